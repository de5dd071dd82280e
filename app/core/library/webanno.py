"""Highlights as W3C Web Annotation JSON-LD: the backup and exchange format, out and back in.

Every highlight goes out, deletion markers and orphans included, with the posts' text so that a
backup can be restored into an empty library. Importing merges by id: the newest edit wins (the
deletion marker too), and importing the same file twice changes nothing.
"""

from __future__ import annotations

import json
import os
import stat
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from app.core.common.messages import Message, as_message, clause
from app.core.library import derived
from app.core.library.actions import import_file
from app.core.library.annotation_schema import (
    KK_PREFIX,
    MAX_FILE_BYTES,
    DocumentError,
    Incoming,
    Invalid,
    annotation_id,
    extension,
    load_document,
    parse_time,
    read_annotation,
    read_snapshot,
    stored_time,
)
from app.core.library.export import ExportError, export_timestamp, select_posts, single_file_export, write_export
from app.core.library.opening import RESTORED_MARK
from app.core.posts.anchoring import Selectors, anchor, describe
from app.core.posts.meta import PostMeta
from app.core.posts.page import version
from app.core.posts.post import PostError
from app.core.store import Annotation, PostRecord, Store, StoreError
from app.core.store import now as store_now

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
KK_CONTEXT = {
    "@version": 1.1,
    "kk": KK_PREFIX,
    "kk:deleted": {"@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
    # Post snapshots are an opaque JSON literal: their keys are ours, not Web Annotation terms.
    "kk:posts": {"@type": "@json"},
}



# --- JSON (W3C Web Annotation) ---------------------------------------------------------------


def file_uri(source_path: str) -> str:
    """The file:// URI of a post's source: a name that is not UTF-8 as the bytes the OS gave
    (%FF), which annotation_schema.path_of decodes back to the same name."""
    try:
        return Path(source_path).as_uri()
    except UnicodeEncodeError:  # a lone surrogate no byte stands for (never from the OS)
        return "file://" + quote(source_path.encode("utf-8", "surrogatepass"), safe="/")


@dataclass(frozen=True, kw_only=True)
class PostSnapshot(PostMeta):
    """What a backup keeps of a post (its metadata and text) so that its highlights can live in a
    library without the file."""

    source_path: str
    text: str

    @classmethod
    def of(cls, post: PostRecord) -> PostSnapshot:
        return cls(source_path=post.source_path, text=post.text, **post.meta_values())

    def to_json(self) -> dict:
        return {
            "source": file_uri(self.source_path), "title": self.title, "date": self.date, "author": self.author,
            "tags": list(self.tags), "categories": list(self.categories), "excerpt": self.excerpt,
            "encoding": self.encoding, "content_hash": self.content_hash, "text": self.text,
        }

    @classmethod
    def from_json(cls, data: object) -> PostSnapshot:
        """Read a snapshot (checked by annotation_schema.read_snapshot); raises ValueError with the
        reason when its source or text is missing or a value is not what it should be."""
        return cls(**read_snapshot(data))


def restore_post(store: Store, snapshot: PostSnapshot) -> PostRecord:
    """Put a post into the library from its snapshot (one transaction, text indexed for search);
    a post already there with the same source path is returned unchanged. The post is marked as
    restored (opening.RESTORED_MARK), so opening it shows this text and never reads the local file
    the backup names."""
    existing = store.post_by_path(snapshot.source_path)
    if existing is not None:
        return existing
    with store.transaction():
        post_id = store.save_post(
            snapshot.meta, source_path=snapshot.source_path, text=snapshot.text, warnings=(RESTORED_MARK,)
        )
        derived.post_text_changed(store, post_id, snapshot.text)
    return store.post(post_id)


def annotation_json(annotation: Annotation, post: PostRecord) -> dict:
    """One highlight as a W3C Web Annotation (with Kakikomi's deleted and orphan terms)."""
    body = []
    if annotation.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": annotation.note, "format": "text/markdown"})
    body.extend({"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in annotation.tags)
    return {
        "id": f"urn:uuid:{annotation.id}",
        "type": "Annotation",
        "created": annotation.created,
        "modified": annotation.updated,
        "motivation": "commenting" if annotation.note else "highlighting",
        "body": body,
        "target": {
            "source": file_uri(post.source_path),
            "styleClass": annotation.color,
            "selector": annotation.selectors.to_json(),
        },
        "kk:deleted": annotation.deleted,
        "kk:orphan": annotation.orphan,
    }


def export_json(store: Store, target: Path, *, post_ids: Sequence[int] | None = None, now: str | None = None) -> Path:
    """Write a W3C AnnotationCollection (JSON-LD, UTF-8) holding every highlight of the posts,
    deleted ones and orphans included, and the posts' metadata and text (`kk:posts`)."""
    posts = select_posts(store, post_ids, with_text=True)
    items = [annotation_json(a, p) for p in posts for a in store.annotations(p.id, include_deleted=True)]
    collection = {
        "@context": [ANNO_CONTEXT, KK_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": "AnnotationCollection",
        "label": "Kakikomi highlights",
        "generator": {"id": "urn:kakikomi:app", "type": "Software", "name": f"Kakikomi {version()}"},
        "generated": export_timestamp(now),
        "total": len(items),
        "kk:posts": [PostSnapshot.of(p).to_json() for p in posts],
        "first": {"id": f"urn:uuid:{uuid.uuid4()}", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    target = Path(target).expanduser()
    with single_file_export(target):
        return write_export(target, json.dumps(collection, ensure_ascii=False, indent=2) + "\n")


# --- JSON import -----------------------------------------------------------------------------


@dataclass
class ImportSummary:
    """What a JSON import did, by highlight id; `errors` are one sentence each (one per skipped
    item), `warnings` one sentence each about what was imported anyway (a time clamped to now, a
    post copy left out)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # the library's copy is as new or newer, or the same
    skipped: list[str] = field(default_factory=list)  # could not be imported; see errors
    errors: list[str] = field(default_factory=list)
    posts_added: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped_why: list[tuple[str, str]] = field(default_factory=list)  # (id or #item number, reason)

    def to_json(self) -> dict:
        return {
            "added": len(self.added), "updated": len(self.updated), "unchanged": len(self.unchanged),
            "skipped": len(self.skipped), "errors": list(self.errors), "posts_added": list(self.posts_added),
            "warnings": list(self.warnings), "skipped_items": [{"id": i, "why": why} for i, why in self.skipped_why],
        }

    def skip(self, key: str, label: str, why: str) -> None:
        self.skipped.append(key)
        self.skipped_why.append((key, why))
        self.errors.append(Message("annotations.skipped", "Annotation {label} was skipped: {why}.", label=label, why=why))


def _types(data: dict) -> set[str]:
    return {t for t in _as_list(data.get("type") or data.get("@type")) if isinstance(t, str)}


_NO_ANNOTATIONS = Message(
    "annotations.none_in_file", "The file holds no Web Annotations (expected a collection, a page, an annotation or a list)."
)


def _items(document: object) -> tuple[list, list]:
    """(annotations, post snapshots) of any accepted shape; ExportError for anything else."""
    if isinstance(document, list):
        return document, []
    if not isinstance(document, dict):
        raise ExportError(_NO_ANNOTATIONS)
    types = _types(document)
    snapshots = _as_list(extension(document, "posts"))
    if "Annotation" in types or (not types and "target" in document):
        return [document], snapshots
    if "AnnotationPage" in types:
        return _as_list(document.get("items")), snapshots
    if "AnnotationCollection" in types:
        items = list(_as_list(document.get("items")))
        page = document.get("first")
        while isinstance(page, dict):
            items.extend(_as_list(page.get("items")))
            page = page.get("next")
        if isinstance(page, str):
            raise ExportError(Message(
                "annotations.pages_elsewhere", "The collection's pages are not in the file (it links to them), so nothing was imported."
            ))
        return items, snapshots
    raise ExportError(_NO_ANNOTATIONS)


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _newer(incoming: str | None, stored: str) -> bool:
    """Whether the incoming edit time is strictly later, compared as times: an unknown incoming
    time never wins, and a stored one that is not a time (an older import's garbage) always loses."""
    if not incoming:
        return False
    mine, theirs = parse_time(incoming), stored_time(stored)
    if mine is None:
        return False
    return theirs is None or mine > theirs


def _same(incoming: Incoming, current: Annotation) -> bool:
    """Whether importing would change nothing a reader sees (only the times differ)."""
    return (
        incoming.selectors.quote.exact == current.exact and incoming.note == current.note
        and incoming.tags == tuple(current.tags) and incoming.color == current.color
        and (incoming.deleted is None) == (current.deleted is None)
    )


class _Posts:
    """Finds (or brings into the library) the post an incoming annotation belongs to: from the
    file's copy of the post (kk:posts), or from the local file it names only when read_files is set."""

    def __init__(self, store: Store, snapshots: list, summary: ImportSummary, read_files: bool):
        self.store = store
        self.summary = summary
        self.read_files = read_files
        self.found: dict[str, PostRecord | None] = {}
        self.by_id: dict[int, PostRecord] = {}
        self.reasons: dict[str, Message] = {}
        self.snapshots: dict[str, PostSnapshot] = {}
        for number, raw in enumerate(snapshots, 1):
            try:
                snapshot = PostSnapshot.from_json(raw)
            except ValueError as exc:
                summary.warnings.append(Message(
                    "annotations.post_copy_left_out", "The copy of post {number} in the file was left out: {reason}.",
                    number=number, reason=clause(exc),
                ))
                continue
            self.snapshots.setdefault(snapshot.source_path, snapshot)

    def of_id(self, post_id: int) -> PostRecord:
        if post_id not in self.by_id:
            self.by_id[post_id] = self.store.post(post_id)
        return self.by_id[post_id]

    def get(self, incoming: Incoming) -> PostRecord | None:
        key = incoming.path or incoming.source
        if key not in self.found:
            self.found[key] = self._find(incoming)
        return self.found[key]

    def _find(self, incoming: Incoming) -> PostRecord | None:
        post = self.store.post_by_path(incoming.path or incoming.source)
        if post is not None or incoming.path is None:
            return post
        reason = Message(
            "annotations.no_post_copy", "the file holds no copy of its text (post files named in it are read only with --read-post-files)"
        )
        if self.read_files:
            reason = Message("annotations.post_file_missing", "its file is missing and the file holds no copy of its text")
            try:
                if Path(incoming.path).is_file():
                    _status, post_id, _moved, _orphaned = import_file(self.store, Path(incoming.path))
                    self.summary.posts_added.append(post_id)
                    return self.store.post(post_id)
            except (PostError, StoreError, OSError, ValueError) as exc:
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                reason = Message(
                    "annotations.post_file_unreadable", "its file could not be read ({reason}) and the file holds no copy of its text",
                    reason=clause(why),
                )
        snapshot = self.snapshots.get(incoming.path)
        if snapshot is None:
            self.reasons[incoming.path] = reason
            return None
        post = restore_post(self.store, snapshot)
        self.summary.posts_added.append(post.id)
        return post


class _FuzzyBudget:
    """Fuzzy placement costs about len(quote) × len(text): each quote gets at most PER_ITEM of it,
    the whole import TOTAL; past that only exact matches are looked for (the rest become orphans,
    kept, to re-attach later)."""

    PER_ITEM = 20_000_000
    TOTAL = 400_000_000

    def __init__(self) -> None:
        self.left = self.TOTAL

    def allows(self, quote: str, text: str) -> bool:
        cost = len(quote) * len(text)
        if cost > self.PER_ITEM or cost > self.left:
            return False
        self.left -= cost
        return True


def _placed(text: str, incoming: Incoming, budget: _FuzzyBudget) -> tuple[Selectors, bool]:
    """The selectors re-anchored in the post's text, or the stored ones and orphan=True."""
    exact_only = not budget.allows(incoming.selectors.quote.exact, text)
    found = anchor(text, incoming.selectors, max_error_rate=0.0) if exact_only else anchor(text, incoming.selectors)
    if found is None:
        return incoming.selectors, True
    return describe(text, found.start, found.end), False


Progress = Callable[[int, int], None]


def import_json(
    store: Store, source: Path, *, read_post_files: bool = False, progress: Progress | None = None
) -> ImportSummary:
    """Merge a Web Annotation file into the library by annotation id, newest edit winning.

    Every item is checked against one schema (annotation_schema): an invalid one is skipped with
    its reason, a time in the future is clamped to now with a warning. A new id is added
    (re-anchored in the post's current text, an orphan if it cannot be placed); a known id is
    replaced only when the file's `modified` is strictly newer (compared as times; deletion
    markers included) and something a reader sees changed, and never moved to another post. A
    missing post is restored from the file's `kk:posts` copy; the local file an annotation names
    is read only with read_post_files. All in one transaction; `progress(done, total)` after each
    item. Raises ExportError when the file is unreadable or not Web Annotation JSON.
    """
    source = Path(source).expanduser()
    data = _read_file(source)
    try:
        document = load_document(data, source.name)
    except DocumentError as exc:
        raise ExportError(as_message(exc)) from None
    del data
    items, snapshots = _items(document)
    summary = ImportSummary()
    now = datetime.now(timezone.utc)
    budget = _FuzzyBudget()
    with store.transaction():
        posts = _Posts(store, snapshots, summary, read_post_files)
        for number, item in enumerate(items, 1):
            _import_one(store, posts, number, item, summary, now, budget)
            if progress is not None:
                progress(number, len(items))
    return summary


def _read_file(source: Path) -> bytes:
    """The file's bytes; ExportError for a pipe or a device (reading one could wait forever), a file
    over MAX_FILE_BYTES, or one that cannot be read."""
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise ExportError(Message("annotations.folder", "{path} is a folder; give the JSON file to import.", path=source))
            if not stat.S_ISREG(info.st_mode):
                raise ExportError(Message("annotations.not_regular", "{path} is not a regular file (a pipe or a device?), so nothing was imported.", path=source))
            if info.st_size > MAX_FILE_BYTES:
                raise ExportError(Message(
                    "annotations.file_too_large", "{name} is {size} MB; an annotation file may be at most {limit} MB.",
                    name=source.name, size=f"{info.st_size / 2**20:,.0f}", limit=f"{MAX_FILE_BYTES // 2**20:,}",
                ))
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ExportError(Message("annotations.unreadable", "Could not read {path}: {reason}.", path=source, reason=exc.strerror or exc)) from None
    except ValueError:  # a NUL in the path
        raise ExportError(Message("annotations.bad_path", "Could not read {path}: the path is not a file name.", path=source)) from None


def _label(item: object, number: int) -> tuple[str, str]:
    """(the key an item is listed under in `skipped`, how a sentence names it)."""
    raw = item.get("id") if isinstance(item, dict) else None
    if isinstance(raw, str) and raw.strip() and len(raw) <= 200:
        try:
            key = annotation_id(raw, "")
        except ValueError:
            return f"#{number}", f"#{number}"
        return key, (key if key in raw else f"{raw} (#{number})")
    return f"#{number}", f"#{number}"


def _import_one(
    store: Store, posts: _Posts, number: int, item: object, summary: ImportSummary, now: datetime, budget: _FuzzyBudget
) -> None:
    try:
        incoming = read_annotation(item, now)
    except Invalid as exc:
        summary.skip(*_label(item, number), as_message(exc))
        return
    if incoming.warnings:
        summary.warnings.append(Message(
            "annotations.future_time", "Annotation {id} has a time in the future ({times}); it was read as now.",
            id=incoming.id, times=", ".join(incoming.warnings),
        ))
    try:
        current = store.annotation(incoming.id)
    except StoreError:
        current = None
    if current is not None:
        try:
            post = posts.of_id(current.post_id)
        except StoreError as exc:
            summary.skip(incoming.id, incoming.id, Message("annotations.no_post_in_library", "the library's copy of it has no post ({reason})", reason=clause(exc)))
            return
        if (incoming.path or incoming.source) != post.source_path:
            summary.skip(incoming.id, incoming.id, Message(
                "annotations.other_post", "it belongs to another post in the library ({path}), and an import never moves a highlight",
                path=post.source_path,
            ))
            return
        if _same(incoming, current) or not _newer(incoming.modified, current.updated):
            summary.unchanged.append(incoming.id)
            return
    else:
        post = posts.get(incoming)
    if post is None:
        where = incoming.path or incoming.source or Message("annotations.no_source", "(no source)")
        reason = posts.reasons.get(incoming.path or "") or Message("annotations.not_a_local_file", "it is not a local file")
        summary.skip(incoming.id, incoming.id, Message(
            "annotations.post_not_in_library", "its post {path} is not in the library and {reason}", path=where, reason=reason
        ))
        return
    selectors, orphan = _placed(post.text, incoming, budget)
    stamp = store_now()
    created = incoming.created or (current.created if current else None) or incoming.modified or stamp
    annotation = Annotation(
        id=incoming.id, post_id=post.id, exact=selectors.quote.exact, prefix=selectors.quote.prefix,
        suffix=selectors.quote.suffix, start=selectors.position.start, end=selectors.position.end,
        color=incoming.color, note=incoming.note, tags=incoming.tags, created=created,
        updated=incoming.modified or created, deleted=incoming.deleted, orphan=orphan,
    )
    store.put_annotation(annotation, on_change=lambda a: derived.highlight_changed(store, a))
    (summary.updated if current is not None else summary.added).append(incoming.id)


__all__ = [
    "ExportError", "ImportSummary", "PostSnapshot", "annotation_json", "export_json", "import_json", "restore_post",
]
