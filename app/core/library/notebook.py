"""The notebook: every live highlight of the library in one list, filtered and sorted, and the
list as shown written out as Markdown or CSV.

One SQL query reads the highlights with their post's title and date and their tags (filters on
colour, post, tag and date are in the query; the text filter, which must fold case the way Python
does, runs over the rows it returns). The exports take the entries as shown: the Markdown sections
come from app.core.library.export's `post_markdown`, the CSV rows have its HIGHLIGHT_CSV_COLUMNS,
and both are written atomically through its `markdown_file` (which merges into an existing file) and
`write_export`, after its `refuse_post_files`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.core.common.messages import Message
from app.core.common.text import escape_surrogates
from app.core.library import export
from app.core.library.csv_cells import csv_text
from app.core.store import Annotation, PostRecord, Store
from app.core.store.database import path_from_db

SORTS = ("post", "newest", "oldest")
NOTEBOOK_TITLE = "Kakikomi notebook"
_TAG_SEPARATOR = "\x1f"  # a tag has no control characters: it can join a post's tags in one column


@dataclass(frozen=True)
class NotebookFilter:
    """What the notebook shows. Empty means no limit: `colors` and `post_ids` keep highlights of
    any of theirs, `tags` keeps highlights that carry every one; `since`/`until` are inclusive
    ISO dates (YYYY-MM-DD) of when the highlight was made; `text` is found, case folded, in the
    quote, the note, the tags or the post's title."""

    text: str = ""
    tags: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()
    post_ids: tuple[int, ...] = ()
    since: str | None = None
    until: str | None = None
    orphans: bool = True


@dataclass(frozen=True)
class NotebookEntry:
    """A highlight with what the notebook shows of its post."""

    annotation: Annotation
    title: str
    post_date: str | None
    source_path: str

    @property
    def made(self) -> str:
        """The day the highlight was made (YYYY-MM-DD)."""
        return self.annotation.created[:10]


def _checked_day(value: str | None, first: bool) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        if first:
            message = Message("notebook.bad_first_date", "The first date {value} is not a date like 2025-12-31.", value=repr(value))
        else:
            message = Message("notebook.bad_last_date", "The last date {value} is not a date like 2025-12-31.", value=repr(value))
        raise ValueError(message) from None


_ORDER = {
    # The library list's order (newest post first, an undated post by its import date), then
    # reading order inside a post.
    "post": 'coalesce(p.date, p.imported_at) DESC, p.id, a.start, a."end", a.created',
    "newest": "a.created DESC, a.id",
    "oldest": "a.created, a.id",
}


def notebook(store: Store, chosen: NotebookFilter = NotebookFilter(), *, sort: str = "post") -> list[NotebookEntry]:
    """The library's live highlights that `chosen` keeps, in `sort` order (SORTS: "post" for
    the library's post order and reading order within a post, "newest" or "oldest" for when the
    highlight was made). Raises ValueError, one sentence, for an unknown sort or a bad date."""
    if sort not in _ORDER:
        raise ValueError(Message(
            "notebook.unknown_order", "Unknown order {order}: use one of {choices}.", order=repr(sort), choices=", ".join(SORTS)
        ))
    since, until = _checked_day(chosen.since, True), _checked_day(chosen.until, False)
    if since and until and since > until:
        raise ValueError(Message(
            "notebook.dates_reversed", "The first date ({since}) is after the last one ({until}).", since=since, until=until
        ))
    clauses, params = ["a.deleted IS NULL"], []
    if not chosen.orphans:
        clauses.append("a.orphan = 0")
    if chosen.colors:
        clauses.append(f"a.color IN ({', '.join('?' * len(chosen.colors))})")
        params.extend(chosen.colors)
    if chosen.post_ids:
        clauses.append(f"a.post_id IN ({', '.join('?' * len(chosen.post_ids))})")
        params.extend(int(i) for i in chosen.post_ids)
    for tag in dict.fromkeys(chosen.tags):
        clauses.append("EXISTS (SELECT 1 FROM annotation_tags t WHERE t.annotation_id = a.id AND t.tag = ?)")
        params.append(tag)
    # Timestamps are UTC text (2026-01-02T03:04:05.000000Z): a day's bounds compare as text.
    if since:
        clauses.append("a.created >= ?")
        params.append(since)
    if until:
        clauses.append("a.created < ?")
        params.append(until + "U")  # after every time of that day ("T..." sorts before "U")
    rows = store.db.conn.execute(
        "SELECT a.id, a.post_id, a.exact, a.prefix, a.suffix, a.start, a.\"end\", a.color, a.note, a.created, "
        "a.updated, a.orphan, p.title, p.date, p.source_path, "
        f"(SELECT group_concat(tag, '{_TAG_SEPARATOR}') FROM (SELECT tag FROM annotation_tags t "
        "WHERE t.annotation_id = a.id ORDER BY tag)) "
        f"FROM annotations a JOIN posts p ON p.id = a.post_id WHERE {' AND '.join(clauses)} ORDER BY {_ORDER[sort]}",
        params,
    ).fetchall()
    needle = chosen.text.strip().casefold()
    entries = []
    for r in rows:
        tags = tuple(r[15].split(_TAG_SEPARATOR)) if r[15] else ()
        if needle and not _has_text(needle, r[2], r[8], r[12], tags):
            continue
        annotation = Annotation(
            id=r[0], post_id=r[1], exact=r[2], prefix=r[3], suffix=r[4], start=r[5], end=r[6], color=r[7], note=r[8],
            tags=tags, created=r[9], updated=r[10], orphan=bool(r[11]),
        )
        entries.append(NotebookEntry(annotation, r[12], r[13], path_from_db(r[14])))
    return entries


def _has_text(needle: str, quote: str, note: str, title: str, tags: tuple[str, ...]) -> bool:
    return any(needle in field.casefold() for field in (quote, note, title, " ".join(tags)))


def with_text(entries: Sequence[NotebookEntry], text: str) -> list[NotebookEntry]:
    """The entries whose quote, note, tags or post title hold `text` (case folded), as
    notebook() keeps them for a NotebookFilter's text: a window that has the entries for the
    other filters narrows them as the reader types, without asking the library again."""
    needle = text.strip().casefold()
    if not needle:
        return list(entries)
    return [e for e in entries if _has_text(needle, e.annotation.exact, e.annotation.note, e.title, e.annotation.tags)]


def notebook_tags(store: Store) -> list[str]:
    """The tags live highlights carry, in the order the notebook offers them."""
    rows = store.db.conn.execute(
        "SELECT DISTINCT t.tag FROM annotation_tags t JOIN annotations a ON a.id = t.annotation_id WHERE a.deleted IS NULL"
    )
    return sorted((r[0] for r in rows), key=lambda t: (t.casefold(), t))


def notebook_posts(store: Store) -> list[tuple[int, str]]:
    """(id, title) of the posts that have live highlights, in the library's order."""
    rows = store.db.conn.execute(
        "SELECT p.id, p.title FROM posts p WHERE EXISTS (SELECT 1 FROM annotations a WHERE a.post_id = p.id "
        "AND a.deleted IS NULL) ORDER BY coalesce(p.date, p.imported_at) DESC, p.id"
    )
    return [(r[0], r[1]) for r in rows]


# --- export of what is shown -----------------------------------------------------------------


def _by_post(entries: Sequence[NotebookEntry]) -> list[tuple[int, list[Annotation]]]:
    """The entries' highlights grouped by post, posts in the order they first appear."""
    groups: dict[int, list[Annotation]] = {}
    for entry in entries:
        groups.setdefault(entry.annotation.post_id, []).append(entry.annotation)
    return list(groups.items())


def notebook_markdown(store: Store, entries: Sequence[NotebookEntry], *, furigana: str = "none") -> str:
    """The generated part of a notebook file: its marker lines around one section per post (as
    app.core.library.export writes a post), each with only the entries shown, in their order."""
    if furigana not in export.FURIGANA_STYLES:
        raise export.ExportError(Message(
            "export.unknown_furigana", "Unknown furigana style {style}: use one of {choices}.",
            style=repr(furigana), choices=", ".join(export.FURIGANA_STYLES),
        ))
    sections = [
        export.post_markdown(store, store.post(post_id), furigana_style=furigana, annotations=annotations)
        for post_id, annotations in _by_post(entries)
    ]
    return "\n".join([export.BEGIN_MARKER, "", "\n\n".join(sections) or "No highlights.", "", export.END_MARKER])


def _front_matter(store: Store, entries: Sequence[NotebookEntry], now: str | None) -> dict:
    posts: list[PostRecord] = [store.post(post_id) for post_id, _ in _by_post(entries)]
    values: dict = {"title": NOTEBOOK_TITLE, "source": [escape_surrogates(p.source_path) for p in posts]}
    tags = list(dict.fromkeys(t for e in entries for t in e.annotation.tags))
    if tags:
        values["tags"] = tags
    values["exported"] = export.export_timestamp(now)
    return values


def export_notebook_markdown(
    store: Store, entries: Sequence[NotebookEntry], target: Path, *, furigana: str = "none", now: str | None = None
) -> Path:
    """Write the entries shown as one Markdown file (atomically): a front matter, then the
    generated part between export's marker lines. Exporting again into the same file replaces
    only the generated part and our front-matter keys, as every export does."""
    target = Path(target).expanduser()
    export.refuse_post_files(store, target.parent, [target])
    generated = notebook_markdown(store, entries, furigana=furigana)
    values = _front_matter(store, entries, now)
    with export.single_file_export(target):
        return export.markdown_file(target, values, generated)


def _csv_values(entry: NotebookEntry) -> dict:
    """An entry's cells by the names export gives its highlight CSV columns."""
    a = entry.annotation
    return {
        "post": a.post_id, "title": entry.title, "source": escape_surrogates(entry.source_path), "quote": a.exact,
        "tags": " ".join(a.tags), "note": a.note, "colour": a.color, "created": a.created, "updated": a.updated,
        "start": a.start, "end": a.end, "orphan": "yes" if a.orphan else "no", "id": a.id,
    }


def export_notebook_csv(store: Store, entries: Sequence[NotebookEntry], target: Path) -> Path:
    """Write the entries shown as CSV (atomically), one row each in their order, with the
    columns of every highlight CSV (export.HIGHLIGHT_CSV_COLUMNS), UTF-8 with a BOM."""
    target = Path(target).expanduser()
    export.refuse_post_files(store, target.parent, [target])
    columns = export.HIGHLIGHT_CSV_COLUMNS
    rows = ([_csv_values(e).get(column, "") for column in columns] for e in entries)
    with export.single_file_export(target):
        return export.write_export(target, csv_text(columns, rows), encoding="utf-8-sig")


__all__ = [
    "NOTEBOOK_TITLE", "SORTS", "NotebookEntry", "NotebookFilter", "export_notebook_csv", "export_notebook_markdown",
    "notebook", "notebook_markdown", "notebook_posts", "notebook_tags", "with_text",
]
