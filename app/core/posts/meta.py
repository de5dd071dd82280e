"""What is known of a post besides its text, declared once for every layer that keeps it: the post
read from its file (`Post`), the library's record (`PostRecord`) and the snapshot a JSON export
carries (`PostSnapshot`) are all a `PostMeta` and more."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, kw_only=True)
class PostMeta:
    """A post's metadata: from its front matter (or file name), as the library lists it."""

    title: str
    date: str | None = None  # ISO 8601 (a day, or a moment)
    author: str | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    excerpt: str | None = None
    encoding: str = "utf-8"  # of the file it was read from
    content_hash: str = ""  # sha256 of the decoded text: tells a changed file

    @property
    def meta(self) -> PostMeta:
        """Just the metadata (of a Post, a PostRecord or a snapshot)."""
        return PostMeta(**self.meta_values())

    def meta_values(self) -> dict:
        """The metadata as keyword arguments (for another PostMeta, or a database row)."""
        return {f.name: getattr(self, f.name) for f in fields(PostMeta)}
