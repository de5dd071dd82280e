"""Highlights as W3C Web Annotation JSON-LD: the backup and exchange format, out and back in.

Every highlight goes out, deletion markers and orphans included, with the posts' text so that a
backup can be restored into an empty library. Importing merges by id: the newest edit wins (the
deletion marker too), and importing the same file twice changes nothing.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from app.core.library import derived
from app.core.library.actions import import_file
from app.core.library.export import ExportError, export_timestamp, select_posts, write_export
from app.core.posts.anchoring import Selectors, anchor, describe
from app.core.posts.meta import PostMeta
from app.core.posts.page import version
from app.core.posts.post import PostError
from app.core.store import COLORS, DEFAULT_COLOR, Annotation, PostRecord, Store, StoreError
from app.core.store import now as store_now

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
KK_PREFIX = "urn:kakikomi:"
KK_CONTEXT = {
    "@version": 1.1,
    "kk": KK_PREFIX,
    "kk:deleted": {"@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
    # Post snapshots are an opaque JSON literal: their keys are ours, not Web Annotation terms.
    "kk:posts": {"@type": "@json"},
}



# --- JSON (W3C Web Annotation) ---------------------------------------------------------------


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
            "source": Path(self.source_path).as_uri(), "title": self.title, "date": self.date, "author": self.author,
            "tags": list(self.tags), "categories": list(self.categories), "excerpt": self.excerpt,
            "encoding": self.encoding, "content_hash": self.content_hash, "text": self.text,
        }

    @classmethod
    def from_json(cls, data: dict) -> PostSnapshot:
        """Read a snapshot; raises ValueError when its source or text is missing."""
        path = _path_of(data.get("source") or data.get("source_path"))
        text = data.get("text")
        if path is None or not isinstance(text, str):
            raise ValueError("a post snapshot needs a file source and its text")
        return cls(
            source_path=path, text=text, title=str(data.get("title") or Path(path).stem),
            date=_optional_text(data.get("date")), author=_optional_text(data.get("author")),
            tags=tuple(map(str, data.get("tags") or ())), categories=tuple(map(str, data.get("categories") or ())),
            excerpt=_optional_text(data.get("excerpt")), encoding=str(data.get("encoding") or "utf-8"),
            content_hash=str(data.get("content_hash") or ""),
        )


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)


def restore_post(store: Store, snapshot: PostSnapshot) -> PostRecord:
    """Put a post into the library from its snapshot (one transaction, text indexed for search);
    a post already there with the same source path is returned unchanged."""
    existing = store.post_by_path(snapshot.source_path)
    if existing is not None:
        return existing
    with store.transaction():
        post_id = store.save_post(snapshot.meta, source_path=snapshot.source_path, text=snapshot.text)
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
            "source": Path(post.source_path).as_uri(),
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
    return write_export(Path(target).expanduser(), json.dumps(collection, ensure_ascii=False, indent=2) + "\n")


# --- JSON import -----------------------------------------------------------------------------


@dataclass
class ImportSummary:
    """What a JSON import did, by highlight id; `errors` are one sentence each."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # the library's copy is as new or newer
    skipped: list[str] = field(default_factory=list)  # could not be imported; see errors
    errors: list[str] = field(default_factory=list)
    posts_added: list[int] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "added": len(self.added), "updated": len(self.updated), "unchanged": len(self.unchanged),
            "skipped": len(self.skipped), "errors": list(self.errors), "posts_added": list(self.posts_added),
        }


def _path_of(source: object) -> str | None:
    """A local path from a file URI or an absolute path; None for anything else."""
    if not isinstance(source, str) or not source:
        return None
    if source.startswith("file:"):
        parsed = urlparse(source)
        if parsed.netloc not in ("", "localhost"):
            return None
        return url2pathname(parsed.path)
    return source if Path(source).is_absolute() else None


def _extension(data: dict, name: str) -> object:
    for key in (f"kk:{name}", name, KK_PREFIX + name):
        if key in data:
            return data[key]
    return None


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(data: dict) -> set[str]:
    return {str(t) for t in _as_list(data.get("type") or data.get("@type"))}


def _items(document: object) -> tuple[list, list]:
    """(annotations, post snapshots) of any accepted shape; ExportError for anything else."""
    if isinstance(document, list):
        return document, []
    if not isinstance(document, dict):
        raise ExportError("The file holds no Web Annotations (expected a collection, a page, an annotation or a list).")
    types = _types(document)
    snapshots = _as_list(_extension(document, "posts"))
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
            raise ExportError("The collection's pages are not in the file (it links to them), so nothing was imported.")
        return items, snapshots
    raise ExportError("The file holds no Web Annotations (expected a collection, a page, an annotation or a list).")


@dataclass(frozen=True)
class _Incoming:
    id: str
    path: str | None
    source: str
    selectors: Selectors
    color: str
    note: str
    tags: tuple[str, ...]
    created: str | None
    modified: str | None
    deleted: str | None


def _annotation_id(raw: object, fallback: str) -> str:
    text = str(raw).strip() if raw else ""
    if text.lower().startswith("urn:uuid:"):
        text = text[len("urn:uuid:") :]
    try:
        return str(uuid.UUID(text))
    except ValueError:
        # Another tool's id (or none): a stable uuid, so importing the same file twice matches.
        return str(uuid.uuid5(uuid.NAMESPACE_URL, text or fallback))


def _clean_tag(value: object) -> str:
    return re.sub(r"\s+", "-", str(value).strip().lstrip("#").strip())


def _parse(item: object) -> _Incoming:
    """Read one annotation; raises ValueError with the reason it cannot be used."""
    if not isinstance(item, dict):
        raise ValueError("it is not a JSON object")
    targets = [t for t in _as_list(item.get("target")) if isinstance(t, dict)]
    target = next((t for t in targets if t.get("selector")), None)
    if target is None:
        raise ValueError("it has no target with a selector")
    selectors = Selectors.from_json([s for s in _as_list(target.get("selector")) if isinstance(s, dict)])
    source = str(target.get("source") or target.get("id") or "")
    notes, tags = [], []
    bodies = _as_list(item.get("body"))
    if isinstance(item.get("bodyValue"), str):
        bodies.append({"type": "TextualBody", "value": item["bodyValue"]})
    for body in bodies:
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue
        purposes = set(_as_list(body.get("purpose")))
        if "tagging" in purposes:
            tags.append(_clean_tag(body["value"]))
        elif body["value"].strip():
            notes.append(body["value"])
    tags.extend(_clean_tag(t) for t in _as_list(item.get("tags")) if isinstance(t, str))
    color = str(target.get("styleClass") or DEFAULT_COLOR)
    created = item.get("created")
    modified = item.get("modified") or created
    fallback = f"{source}#{selectors.quote.exact}#{selectors.position.start}#{created}"
    deleted = _extension(item, "deleted")
    return _Incoming(
        id=_annotation_id(item.get("id"), fallback), path=_path_of(source), source=source, selectors=selectors,
        color=color if color in COLORS else DEFAULT_COLOR, note="\n\n".join(notes),
        tags=tuple(dict.fromkeys(t for t in tags if t)), created=str(created) if created else None,
        modified=str(modified) if modified else None, deleted=str(deleted) if deleted else None,
    )


def _moment(stamp: str) -> datetime | str:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _newer(incoming: str | None, stored: str) -> bool:
    """Whether the incoming edit time is strictly later; an unknown time never wins."""
    if not incoming:
        return False
    a, b = _moment(incoming), _moment(stored)
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a > b
    return incoming > stored


class _Posts:
    """Finds (or brings into the library) the post an incoming annotation belongs to."""

    def __init__(self, store: Store, snapshots: list, summary: ImportSummary):
        self.store = store
        self.summary = summary
        self.found: dict[str, PostRecord | None] = {}
        self.reasons: dict[str, str] = {}
        self.snapshots: dict[str, PostSnapshot] = {}
        for raw in snapshots:
            try:
                snapshot = PostSnapshot.from_json(raw) if isinstance(raw, dict) else None
            except ValueError:
                snapshot = None
            if snapshot is not None:
                self.snapshots[snapshot.source_path] = snapshot

    def get(self, incoming: _Incoming) -> PostRecord | None:
        key = incoming.path or incoming.source
        if key not in self.found:
            self.found[key] = self._find(incoming)
        return self.found[key]

    def _find(self, incoming: _Incoming) -> PostRecord | None:
        post = self.store.post_by_path(incoming.path or incoming.source)
        if post is not None or incoming.path is None:
            return post
        reason = "its file is missing"
        if Path(incoming.path).is_file():
            try:
                _status, post_id, _moved, _orphaned = import_file(self.store, Path(incoming.path))
                self.summary.posts_added.append(post_id)
                return self.store.post(post_id)
            except (PostError, StoreError) as exc:
                reason = f"its file could not be read ({str(exc).rstrip('.')})"
        snapshot = self.snapshots.get(incoming.path)
        if snapshot is None:
            self.reasons[incoming.path] = f"{reason} and the file holds no copy of it"
            return None
        post = restore_post(self.store, snapshot)
        self.summary.posts_added.append(post.id)
        return post


def _placed(text: str, incoming: _Incoming) -> tuple[Selectors, bool]:
    """The selectors re-anchored in the post's text, or the stored ones and orphan=True."""
    found = anchor(text, incoming.selectors)
    if found is None:
        return incoming.selectors, True
    return describe(text, found.start, found.end), False


def import_json(store: Store, source: Path) -> ImportSummary:
    """Merge a Web Annotation file into the library by annotation id, newest edit winning.

    A new id is added (re-anchored in the post's current text, an orphan if it cannot be
    placed); a known id is replaced only when the file's `modified` is strictly newer (deletion
    markers included). A missing post is imported from its file, else restored from the file's
    `kk:posts` snapshot, else the annotation is skipped with an error. All in one transaction.
    Raises ExportError when the file is unreadable or not Web Annotation JSON.
    """
    source = Path(source).expanduser()
    try:
        document = json.loads(source.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise ExportError(f"Could not read {source}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise ExportError(f"{source.name} is not UTF-8 text, so it cannot be Web Annotation JSON.") from None
    except json.JSONDecodeError as exc:
        raise ExportError(f"{source.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None
    items, snapshots = _items(document)
    summary = ImportSummary()
    with store.transaction():
        posts = _Posts(store, snapshots, summary)
        for number, item in enumerate(items, 1):
            _import_one(store, posts, number, item, summary)
    return summary


def _import_one(store: Store, posts: _Posts, number: int, item: object, summary: ImportSummary) -> None:
    try:
        incoming = _parse(item)
    except (ValueError, TypeError) as exc:
        summary.skipped.append(str(item.get("id")) if isinstance(item, dict) and item.get("id") else f"#{number}")
        summary.errors.append(f"Annotation {number} was skipped: {exc}.")
        return
    post = posts.get(incoming)
    if post is None:
        where = incoming.path or incoming.source or "(no source)"
        reason = posts.reasons.get(incoming.path or "", "it is not a local file")
        summary.skipped.append(incoming.id)
        summary.errors.append(f"Annotation {incoming.id} was skipped: its post {where} is not in the library and {reason}.")
        return
    try:
        current = store.annotation(incoming.id)
    except StoreError:
        current = None
    if current is not None and not _newer(incoming.modified, current.updated):
        summary.unchanged.append(incoming.id)
        return
    selectors, orphan = _placed(post.text, incoming)
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
