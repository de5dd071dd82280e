"""What the library keeps, as the rest of Kakikomi sees it: a post's record, a highlight, a
reading correction; the colours and built-in tags; the one error the store raises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import NamedTuple

from app.core.posts.anchoring import Selectors, TextPositionSelector, TextQuoteSelector
from app.core.posts.meta import PostMeta

COLORS = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_COLOR = "yellow"
# The built-in vocabulary for claims about chips and money; readers add their own tags.
BUILTIN_TAGS = {
    "chip": "#3b82f6",
    "investment": "#16a34a",
    "company": "#9333ea",
    "claim": "#ea580c",
    "question": "#dc2626",
}


# A word's status, as the reader sets it; "new" (the default) has no row.
WORD_STATUSES = ("new", "learning", "known", "ignored")


class StoreError(Exception):
    """A library problem the user must know about; str() is one sentence (a Message where the
    core raises it, so that the window and the command line can show it translated)."""


def now() -> str:
    """A UTC timestamp that sorts as text (microseconds, so 'newest wins' is well defined)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, kw_only=True)
class PostRecord(PostMeta):
    """A post as the library keeps it: its metadata (PostMeta), the plain text highlights point
    into, and the library's own bookkeeping."""

    id: int
    source_path: str
    warnings: tuple[str, ...] = ()
    text: str = ""
    reading_offset: int = 0
    imported_at: str = ""
    updated_at: str = ""
    highlight_count: int = 0
    length: int = 0  # characters of plain text (known even when `text` was not loaded)

    def to_json(self, *, with_text: bool = False) -> dict:
        data = {
            "id": self.id, "source_path": self.source_path, "title": self.title, "date": self.date,
            "author": self.author, "tags": list(self.tags), "categories": list(self.categories),
            "excerpt": self.excerpt, "encoding": self.encoding, "content_hash": self.content_hash,
            "warnings": list(self.warnings), "characters": self.length,
            "reading_offset": self.reading_offset, "imported_at": self.imported_at,
            "updated_at": self.updated_at, "highlights": self.highlight_count,
        }
        if with_text:
            data["text"] = self.text
        return data


@dataclass(frozen=True)
class Annotation:
    """A highlight: where it points (selectors), how it looks, what the reader wrote."""

    id: str
    post_id: int
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    color: str = DEFAULT_COLOR
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    deleted: str | None = None
    orphan: bool = False

    @property
    def selectors(self) -> Selectors:
        return Selectors(TextQuoteSelector(self.exact, self.prefix, self.suffix), TextPositionSelector(self.start, self.end))

    def to_json(self) -> dict:
        return {
            "id": self.id, "post": self.post_id, "quote": self.exact, "prefix": self.prefix,
            "suffix": self.suffix, "start": self.start, "end": self.end, "tags": list(self.tags),
            "note": self.note, "color": self.color, "created": self.created, "updated": self.updated,
            "deleted": self.deleted, "orphan": self.orphan,
        }


@dataclass(frozen=True)
class Correction:
    """A reading the reader chose: `surface` reads `reading` (in one post, or everywhere)."""

    id: int
    surface: str
    reading: str
    post_id: int | None = None
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class AnkiPick:
    """A word the reader put in the Anki deck, and where in which post they met it (None when
    the post is gone)."""

    lemma: str
    post_id: int | None
    start: int | None
    end: int | None
    created: str = ""


class PostWordRow(NamedTuple):
    """A counted word of a post as the library keeps it (derived from the post's text): its
    lemma, the first spelling met, the reading of its dictionary form, how often it occurs and
    where first (plain-text offsets). A tuple: a long post has thousands."""

    lemma: str
    surface: str
    reading: str | None
    count: int
    first_start: int
    first_end: int


def new_annotation_id() -> str:
    import uuid

    return str(uuid.uuid4())
