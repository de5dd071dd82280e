"""What a reader does with the library: import posts, highlight, tag, note, delete, re-attach.

Each function is one user action and one transaction. Importing a changed file re-anchors its
highlights in the new text; a highlight that cannot be placed becomes an orphan and is kept.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.common.messages import Message, as_message, clause
from app.core.library import derived, prepare
from app.core.posts.anchoring import anchor, describe
from app.core.posts.plain_text import PlainText
from app.core.posts.post import POST_SUFFIXES, Post, PostError
from app.core.posts.webpage import is_url, source_url
from app.core.store import (
    COLORS,
    DEFAULT_COLOR,
    Annotation,
    Correction,
    PostRecord,
    Store,
    StoreError,
    new_annotation_id,
    now,
)

if TYPE_CHECKING:
    from app.core.claims.sentences import Suggestion
    from app.core.reading.words import WordInfo

ProgressCallback = Callable[[int, int, Path], None]


@dataclass
class ImportReport:
    """What an import did, file by file; `errors` holds (file, one-sentence reason): the reason a
    core Message where there is one (its id kept: shown in the reader's language; to_json is English)."""

    added: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    reanchored: int = 0
    orphaned: int = 0
    cancelled: bool = False

    def to_json(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
            "errors": [{"file": f, "error": e} for f, e in self.errors],
            "reanchored": self.reanchored, "orphaned": self.orphaned, "cancelled": self.cancelled,
        }


class ImportStopped(Exception):
    """The library refused a write in the middle of an import (a full disk, a read-only file):
    the files before it were saved, each in its own transaction, and the rest were not. str() is
    one sentence that says how many; `report` is what was done."""

    def __init__(self, report: ImportReport, cause: BaseException, total: int):
        self.report = report
        saved = len(report.added) + len(report.updated) + len(report.unchanged)
        rest = total - saved
        refusal = _refusal(cause)
        if refusal.id == "import.disk_full":
            remedy = Message("import.remedy_space", "free some space")
        else:
            remedy = Message("import.remedy_fix", "fix that")
        files = Message("import.one_file", "1 file") if total == 1 else Message("import.files", "{count} files", count=total)
        said = dict(refusal=refusal, saved=saved, files=files, rest=rest, remedy=remedy)
        if saved == 1 and rest == 1:
            message = Message(
                "import.stopped_one_each", "{refusal}: {saved} of {files} was imported and saved before that, the other {rest} was not; "
                "{remedy} and import again (the saved ones are kept).", **said,
            )
        elif saved == 1:
            message = Message(
                "import.stopped_one_saved", "{refusal}: {saved} of {files} was imported and saved before that, the other {rest} were not; "
                "{remedy} and import again (the saved ones are kept).", **said,
            )
        elif rest == 1:
            message = Message(
                "import.stopped_one_left", "{refusal}: {saved} of {files} were imported and saved before that, the other {rest} was not; "
                "{remedy} and import again (the saved ones are kept).", **said,
            )
        else:
            message = Message(
                "import.stopped", "{refusal}: {saved} of {files} were imported and saved before that, the other {rest} were not; "
                "{remedy} and import again (the saved ones are kept).", **said,
            )
        super().__init__(message)


def _refusal(exc: BaseException) -> Message:
    text = str(exc).lower()
    if "full" in text or getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
        return Message("import.disk_full", "The disk is full")
    if "readonly" in text or "read-only" in text or getattr(exc, "errno", None) in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Message("import.read_only", "The library cannot be written (read-only)")
    return Message("import.write_refused", "The library refused a write ({reason})", reason=clause(exc))


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Post files under `paths` (folders searched recursively, hidden folders skipped), sorted;
    plus (path, reason) for paths that do not exist."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files.extend(Path(root) / n for n in sorted(names) if n.lower().endswith(POST_SUFFIXES) and not n.startswith("."))
        elif path.exists():
            files.append(path)
        else:
            missing.append((str(raw), Message("import.missing", "{name} does not exist.", name=path.name or raw)))
    return list(dict.fromkeys(files)), missing


def import_paths(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
    known: Mapping[Path, tuple[Post, PlainText | None]] | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import files, folders and web pages (URLs, fetched now), one transaction per file; one bad
    file never stops the rest (its error is collected).

    Files are read, rendered and split into search words on every core when there are many
    (app.core.library.prepare; `workers` overrides how many processes, 0 for none). `known`
    holds files the caller has already read (and perhaps rendered), by resolved path: they are
    not read again."""
    urls = [str(p) for p in paths if is_url(str(p))]
    files, missing = collect_files([p for p in paths if not is_url(str(p))])
    report = ImportReport(errors=list(missing))
    stored = store.content_hashes([str(path.expanduser().resolve()) for path in files])
    ready = prepare.prepared(files, stored, known=known, workers=workers)
    try:
        for number, path in enumerate(files, 1):
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            if progress is not None:
                progress(number, len(files), path)
            item = next(ready)
            if item.error is not None:
                report.errors.append((str(path), item.error))
                continue
            try:
                status, post_id, moved, orphaned = _store_prepared(store, item)
            except (PostError, StoreError) as exc:
                report.errors.append((str(path), as_message(exc)))
                continue
            except (sqlite3.OperationalError, OSError) as exc:
                # The library refused the write (its transaction was rolled back): the files
                # before were saved, the next would be refused too.
                raise ImportStopped(report, exc, len(files)) from exc
            getattr(report, status).append(post_id)
            report.reanchored += moved
            report.orphaned += orphaned
    finally:
        ready.close()
    if urls and not report.cancelled:
        import_urls(store, urls, report)
    return report


def import_urls(store: Store, urls: Sequence[str], report: ImportReport) -> None:
    """Fetch each web page (only now: the reader asked), keep it beside the library and import it
    under its URL, one transaction each; a page fetched again updates its post. Problems go into
    `report.errors`, one sentence each."""
    from app.core.posts.post import DEFAULT_MAX_BYTES
    from app.core.posts.webpage import FetchError, fetch_page, save_fetched

    for url in urls:
        try:
            save_fetched(url, fetch_page(url, max_bytes=DEFAULT_MAX_BYTES))
            status, post_id, moved, orphaned = import_file(store, url)
        except (FetchError, PostError, StoreError) as exc:
            report.errors.append((url, as_message(exc)))
            continue
        except OSError as exc:
            report.errors.append((url, Message(
                "import.not_kept", "{url} could not be kept beside the library: {reason}.", url=url, reason=exc.strerror or exc
            )))
            continue
        getattr(report, status).append(post_id)
        report.reanchored += moved
        report.orphaned += orphaned


def import_file(
    store: Store, path: Path | str, *, post: Post | None = None, plain: PlainText | None = None
) -> tuple[str, int, int, int]:
    """Import one file: ("added"|"updated"|"unchanged", post id, highlights moved, orphaned).

    A caller that has already read the file (`post`) and rendered it (`plain`, in any furigana
    mode: the plain text is the same) passes them, so the file is read and rendered once.
    Raises PostError for a file that cannot be read as a post. `path` may be the URL of a page
    already fetched beside the library (app.core.posts.webpage): the post keeps the URL.
    """
    source = _source_of(store, path)
    existing = store.post_by_path(source)
    # Unchanged: the same file, unless it now renders to another text than the one stored.
    same = existing is not None and (plain is None or plain.text == existing.text)
    item = prepare.prepare(Path(path) if source_url(path) is None else path, existing.content_hash if same else None, post, plain)
    if item.error is not None:
        raise PostError(item.error)
    return _store_prepared(store, item, existing)


def _source_of(store: Store, path: str | os.PathLike[str]) -> str:
    """The source a post is kept under: the resolved path of a file, or the URL of a page imported
    from the web (its copy beside the library is read). Path() of a URL loses a slash, so a Path
    that names a URL is matched with the URL the library already holds."""
    url = source_url(path)
    if url is None:
        return str(Path(path).expanduser().resolve())
    if isinstance(path, str):
        return url
    for record in store.posts():
        if str(Path(record.source_path)) == str(path):
            return record.source_path
    return url


def _store_prepared(store: Store, item: prepare.Prepared, existing: PostRecord | None = None) -> tuple[str, int, int, int]:
    """Write a prepared file into the library (one transaction): its post, block spans, search
    index and claims, its highlights re-anchored in a changed text."""
    source = _source_of(store, item.path)
    existing = existing or store.post_by_path(source)
    if item.unchanged:
        if existing is not None and existing.content_hash == item.post.content_hash:
            return "unchanged", existing.id, 0, 0
        item = prepare.prepare(item.path, None, item.post)  # the library changed meanwhile
    post, plain = item.post, item.plain
    text = plain.text
    moved = orphaned = 0
    with store.transaction():
        post_id = store.save_post(
            post.meta, source_path=source, text=text, blocks=plain.blocks, warnings=post.warnings,
            front_matter=post.front_matter, existing=existing,
        )
        requoted: list[Annotation] = []
        if existing is not None:
            moved, orphaned = _reanchor(store, post_id, text, requoted)
        derived.post_text_changed(store, post_id, text, requoted, words=item.words, vocabulary=item.vocabulary)
    return ("updated" if existing else "added"), post_id, moved, orphaned


def _reanchor(store: Store, post_id: int, text: str, requoted: list[Annotation]) -> tuple[int, int]:
    """Place every live highlight of a post in its new text; returns (moved, newly orphaned) and
    adds to `requoted` the highlights whose quote changed.

    `updated` is left alone: it records the reader's edits, which merging compares.
    """
    moved = orphaned = 0
    # Deleted highlights move too: an undo must bring one back onto its own text.
    for annotation in store.annotations(post_id, include_deleted=True):
        found = anchor(text, annotation.selectors)
        if found is None:
            if not annotation.orphan:
                store.put_annotation(replace(annotation, orphan=True))
                orphaned += 1
            continue
        if found.method == "position" and not annotation.orphan:
            continue
        selectors = describe(text, found.start, found.end)
        if selectors.quote.exact == annotation.exact:
            store.move_annotation(annotation.id, found.start, found.end, selectors.quote.prefix, selectors.quote.suffix)
            moved += 1
            continue
        requoted.append(
            store.put_annotation(
                replace(
                    annotation, exact=selectors.quote.exact, prefix=selectors.quote.prefix,
                    suffix=selectors.quote.suffix, start=found.start, end=found.end, orphan=False,
                )
            )
        )
        moved += 1
    return moved, orphaned


# --- highlights ------------------------------------------------------------------------------


def _check_color(color: str) -> str:
    if color not in COLORS:
        raise StoreError(Message(
            "highlight.unknown_colour", "Unknown colour {colour}: use one of {choices}.", colour=repr(color), choices=", ".join(COLORS)
        ))
    return color


def _clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    cleaned = []
    for tag in tags:
        tag = tag.strip().lstrip("#").strip()
        if not tag:
            continue
        if any(c.isspace() for c in tag):
            raise StoreError(Message(
                "highlight.tag_with_spaces", "A tag cannot contain spaces ({tag}); use - or _ instead.", tag=repr(tag)
            ))
        cleaned.append(tag)
    return tuple(dict.fromkeys(cleaned))


@dataclass(frozen=True)
class Highlighted:
    """What highlighting a span did: `outcome` is "created" (a new highlight), "updated" (the span
    is, or lies inside, a live highlight, which got what was given), "unchanged" (the same, with
    nothing new given) or "merged" (the span overlapped live highlights: the first now covers them
    all, `absorbed` are the others, marked deleted)."""

    annotation: Annotation
    outcome: str
    absorbed: tuple[str, ...] = ()


def highlight(
    store: Store, post: PostRecord, start: int, end: int, *, tags: Iterable[str] = (), note: str = "",
    color: str | None = None,
) -> Highlighted:
    """Highlight post.text[start:end] without ever making a second highlight over the same text
    (one transaction).

    The span of a live highlight, or a span inside one: that highlight gets the tags added, the
    note and the colour replaced when given. A span that overlaps live highlights partly: the
    first of them (in reading order) grows to cover the span and all of them, with every tag,
    their notes and the given one joined by a blank line, the given colour; the others are marked
    deleted (kept for undo and merging). Otherwise a new highlight (in `color`, else the default).
    """
    post = _with_text(store, post)
    try:
        selectors = describe(post.text, start, end)
    except ValueError as exc:
        raise StoreError(as_message(exc)) from None
    cleaned = _clean_tags(tags)
    if color is not None:
        _check_color(color)
    with store.transaction():
        live = _overlapping(store, post.id, start, end)
        inside = next((a for a in live if (a.start, a.end) == (start, end)), None) or next(
            (a for a in live if a.start <= start and end <= a.end), None
        )
        if inside is not None:
            changed = replace(
                inside, tags=tuple(dict.fromkeys((*inside.tags, *cleaned))), note=note or inside.note,
                color=color or inside.color,
            )
            if changed == inside:
                return Highlighted(inside, "unchanged")
            return Highlighted(_put(store, replace(changed, updated=now())), "updated")
        stamp = now()
        if not live:
            annotation = Annotation(
                id=new_annotation_id(), post_id=post.id, exact=selectors.quote.exact, prefix=selectors.quote.prefix,
                suffix=selectors.quote.suffix, start=start, end=end, color=color or DEFAULT_COLOR, note=note,
                tags=cleaned, created=stamp, updated=stamp,
            )
            return Highlighted(_put(store, annotation), "created")
        first, others = live[0], live[1:]
        low, high = min(start, *(a.start for a in live)), max(end, *(a.end for a in live))
        union = describe(post.text, low, high)
        notes = [n for n in dict.fromkeys([*(a.note.strip() for a in live), note.strip()]) if n]
        merged = replace(
            first, exact=union.quote.exact, prefix=union.quote.prefix, suffix=union.quote.suffix, start=low, end=high,
            tags=tuple(dict.fromkeys([*(t for a in live for t in a.tags), *cleaned])), note="\n\n".join(notes),
            color=color or first.color, updated=stamp,
        )
        for other in others:
            _put(store, replace(other, deleted=stamp, updated=stamp))
        return Highlighted(_put(store, merged), "merged", tuple(a.id for a in others))


def _overlapping(store: Store, post_id: int, start: int, end: int) -> list[Annotation]:
    """The post's live highlights (placed, not deleted) that share text with [start, end), in
    reading order; found by the index on (post_id, start), not by reading every highlight."""
    rows = store.conn.execute(
        'SELECT id FROM annotations WHERE post_id = ? AND start < ? AND "end" > ? AND deleted IS NULL AND NOT orphan '
        'ORDER BY start, "end", created',
        [post_id, end, start],
    ).fetchall()
    return [store.annotation(annotation_id) for (annotation_id,) in rows]


def _put(store: Store, annotation: Annotation) -> Annotation:
    return store.put_annotation(annotation, on_change=lambda a: derived.highlight_changed(store, a))


def annotate_span(
    store: Store, post: PostRecord, start: int, end: int, *, tags: Iterable[str] = (), note: str = "", color: str | None = None
) -> Annotation:
    """Highlight post.text[start:end] (see `highlight`: an existing highlight there is updated,
    overlapping ones merged); the highlight that holds the span now."""
    return highlight(store, post, start, end, tags=tags, note=note, color=color).annotation


def _with_text(store: Store, post: PostRecord) -> PostRecord:
    """The record with its text (a library listing leaves texts out)."""
    return store.post(post.id) if not post.text and post.length else post


def find_quote(text: str, quote: str, occurrence: int = 1) -> tuple[int, int]:
    """The span of the N-th occurrence (1-based) of `quote` in `text`; StoreError if there is none."""
    if not quote:
        raise StoreError(Message("highlight.empty_quote", "The quote to highlight is empty."))
    if occurrence < 1:
        raise StoreError(Message("highlight.occurrence_from_one", "--occurrence counts from 1."))
    at = -1
    for _ in range(occurrence):
        at = text.find(quote, at + 1)
        if at < 0:
            count = text.count(quote)
            if count == 0:
                raise StoreError(Message("highlight.quote_not_found", "The quote {quote} does not occur in the post.", quote=repr(quote)))
            if count == 1:
                raise StoreError(Message("highlight.quote_once", "The quote {quote} occurs only 1 time.", quote=repr(quote)))
            raise StoreError(Message(
                "highlight.quote_times", "The quote {quote} occurs only {count} times.", quote=repr(quote), count=count
            ))
    return at, at + len(quote)


def highlight_quote(store: Store, post: PostRecord, quote: str, *, occurrence: int = 1, **options) -> Highlighted:
    """Highlight the N-th occurrence of `quote` in the post's text, as `highlight` does."""
    post = _with_text(store, post)
    start, end = find_quote(post.text, quote, occurrence)
    return highlight(store, post, start, end, **options)


def annotate_quote(store: Store, post: PostRecord, quote: str, *, occurrence: int = 1, **options) -> Annotation:
    """Highlight the N-th occurrence of `quote` in the post's text (see `highlight`)."""
    return highlight_quote(store, post, quote, occurrence=occurrence, **options).annotation


def update_annotation(
    store: Store, annotation_id: str, *, note: str | None = None, tags: Iterable[str] | None = None, color: str | None = None
) -> Annotation:
    """Change a highlight's note, tags or colour."""
    current = store.annotation(annotation_id)
    changed = replace(
        current,
        note=current.note if note is None else note,
        tags=current.tags if tags is None else _clean_tags(tags),
        color=current.color if color is None else _check_color(color),
        updated=now(),
    )
    return store.put_annotation(changed, on_change=lambda a: derived.highlight_changed(store, a))


def delete_annotation(store: Store, annotation_id: str) -> Annotation:
    """Mark a highlight deleted (kept for undo and for merging with other copies)."""
    current = store.annotation(annotation_id)
    stamp = now()
    return store.put_annotation(replace(current, deleted=stamp, updated=stamp), on_change=lambda a: derived.highlight_changed(store, a))


def restore_annotation(store: Store, annotation_id: str) -> Annotation:
    """Undo a deletion."""
    current = store.annotation(annotation_id)
    return store.put_annotation(replace(current, deleted=None, updated=now()), on_change=lambda a: derived.highlight_changed(store, a))


def reattach(store: Store, annotation_id: str, start: int, end: int) -> Annotation:
    """Attach a (typically orphaned) highlight to post.text[start:end]."""
    current = store.annotation(annotation_id)
    post = store.post(current.post_id)
    try:
        selectors = describe(post.text, start, end)
    except ValueError as exc:
        raise StoreError(as_message(exc)) from None
    changed = replace(
        current, exact=selectors.quote.exact, prefix=selectors.quote.prefix, suffix=selectors.quote.suffix,
        start=start, end=end, orphan=False, updated=now(),
    )
    return store.put_annotation(changed, on_change=lambda a: derived.highlight_changed(store, a))


def accept_suggestion(store: Store, post_id: int, suggestion: Suggestion) -> Annotation:
    """Highlight a suggested sentence (where it is now) with suggestion_tags(); its claim row is
    stored with it. One transaction."""
    from app.core.claims import suggestions  # the claims' tables load on first use, not at start-up

    post = store.post(post_id)
    start, end = suggestions.locate(post.text, suggestion)
    return annotate_span(store, post, start, end, tags=suggestions.suggestion_tags(suggestion))


# --- readings --------------------------------------------------------------------------------


def choose_reading(
    store: Store, post_id: int, word: WordInfo, reading: str, *, everywhere: bool = False
) -> Correction:
    """The reader chose `reading` for `word` of post `post_id` (one transaction).

    A correction for this post keeps the word's context (`before`/`after`), so it changes this
    occurrence and the same phrase, not every other use of the word; one for everywhere is the
    word alone. The renderer takes the first correction that applies, in the order
    `Store.corrections` gives (the post's own, then everywhere's, oldest first): corrections of
    the same word that apply here and come before the new one are removed, so the reading just
    chosen is the one shown.
    """
    with store.transaction():
        if everywhere:
            made = store.add_correction(word.surface, reading)
        else:
            made = store.add_correction(word.surface, reading, post_id=post_id, before=word.before, after=word.after)
        text = store.post(post_id).text
        for correction in store.corrections(post_id):
            if correction.id == made.id:
                break
            if (
                correction.surface == word.surface
                and text.endswith(correction.before, 0, word.start)
                and text.startswith(correction.after, word.end)
            ):
                store.remove_correction(correction.id)
    return made


def mark_known(store: Store, lemma: str, known: bool = True) -> None:
    """The reader knows `lemma` (status "known": its furigana is hidden in the filtering modes),
    or no longer does (status "new")."""
    set_word_status(store, lemma, "known" if known else "new")


# --- words (the learner's vocabulary: app.core.library.vocabulary) --------------------------------


def set_word_status(store: Store, lemma: str, status: str) -> None:
    """The reader's status for `lemma`, one of vocabulary.STATUSES ("new" forgets it); a bad
    status or an empty word is a ValueError with one sentence."""
    from app.core.library import vocabulary

    vocabulary.check_status(status)
    if not lemma or not lemma.strip():
        raise ValueError(Message("words.no_word", "A word's status needs the word: none was given."))
    with store.transaction():
        store.set_word_status(lemma, status)


def set_word_statuses(store: Store, lemmas: Iterable[str], status: str) -> int:
    """One status for many lemmas, in one transaction; how many changed."""
    from app.core.library import vocabulary

    vocabulary.check_status(status)
    chosen = [lemma for lemma in dict.fromkeys(lemmas) if lemma and lemma.strip()]  # an empty line of a list is no word
    changed = 0
    with store.transaction(), store.counted_afterwards(len(chosen)):
        for lemma in chosen:
            changed += store.set_word_status(lemma, status)
    return changed


def import_word_list(store: Store, text: str, status: str = "known") -> int:
    """Give every word of a word list (one a line, or Anki's notes exported as text: see
    vocabulary.parse_word_list) `status`, each as the lemma the posts count it under
    (vocabulary.as_lemmas), in one transaction; how many changed."""
    from app.core.library import vocabulary

    vocabulary.check_status(status)
    return set_word_statuses(store, vocabulary.as_lemmas(vocabulary.parse_word_list(text)), status)


def pick_for_anki(store: Store, lemma: str, post_id: int, start: int, end: int) -> bool:
    """Put `lemma` in the Anki deck, met at [start, end) of the post (its card's sentence); False
    when it was there already (its place is then this one)."""
    with store.transaction():
        return store.put_anki_pick(lemma, post_id, start, end)


def unpick_for_anki(store: Store, lemma: str) -> None:
    """Take `lemma` out of the Anki deck."""
    with store.transaction():
        store.remove_anki_pick(lemma)


def remember_position(store: Store, post_id: int, offset: int) -> None:
    """Where the reader is in a post (the plain text's offset), for the next time it opens."""
    store.set_reading_offset(post_id, offset)


# --- claims ------------------------------------------------------------------------------------


def set_claim_status(store: Store, annotation_id: str, status: str, note: str | None = None):
    """The reader's verdict on a claim (one of claims.table.STATUSES), with a note; the claim row."""
    from app.core.claims import table

    return table.set_claim_status(store, annotation_id, status, note)


def set_claim_fact(
    store: Store, annotation_id: str, *, entity: str | None = None, metric: str | None = None, period: str | None = None
):
    """The reader's correction of a claim's fact (entity, metric, period; None keeps one as it
    is, "" for the entity means none); the claim row."""
    from app.core.claims import table

    return table.set_claim_fact(store, annotation_id, entity=entity, metric=metric, period=period)


def dismiss_suggestion(store: Store, post_id: int, suggestion: Suggestion) -> None:
    """Do not offer this sentence of the post again (remembered by its sentence)."""
    from app.core.claims import suggestions

    suggestions.dismiss_suggestion(store, post_id, suggestion)


def undismiss_suggestion(store: Store, post_id: int, suggestion: Suggestion) -> None:
    """Offer a dismissed sentence again."""
    from app.core.claims import suggestions

    suggestions.undismiss_suggestion(store, post_id, suggestion)
