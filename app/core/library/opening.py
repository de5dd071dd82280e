"""Opening a post for reading: what the window shows, decided without Qt.

The window (app.ui.main_window) and the process that prepares the first page at start-up
(app.ui.prestart) both open posts through here, so they show the same thing: the post re-imported
first if its file changed, the reader's own readings, the words they know without furigana (in
the modes that hide them), and for a long post readings first only around the reading position
(the rest follow, see `rest_of_readings`).

A post restored from a backup (app.core.library.webanno.restore_post) is shown from the text the
library keeps: the local file its source names is never read for it (the backup could name any
file), unless the caller hands over the file it read because the reader asked for it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from app.core.posts.post import Post, PostError, load_post  # noqa: F401 - PostError: what open_post raises
from app.core.posts.render import RenderedPost, RenderOptions, render_post
from app.core.reading.furigana_mode import FuriganaMode
from app.core.store import Annotation, PostRecord, Store

# Posts longer than this get their readings in two steps: the part around the reading position
# at once, the rest afterwards (a 150k-character post has tens of thousands of ruby).
LONG_POST_CHARS = 20_000
RUBY_BEFORE_CHARS = 3_000
RUBY_AFTER_CHARS = 12_000

# The mark a post restored from a backup's copy carries among its warnings (kept in the library
# with the post; an import of its file replaces the warnings, and so takes the mark away). Never
# change the sentence: libraries keep it.
RESTORED_MARK = "Restored from a backup: Kakikomi shows the backup's copy of its text and does not read its file."


@dataclass
class Opened:
    """A post ready to show. `window` is set when only that span of the text has its readings
    yet: `rest_of_readings` renders the others."""

    record: PostRecord | None  # None: a file not in the library yet (open_file)
    post: Post
    rendered: RenderedPost
    options: RenderOptions
    annotations: list[Annotation]
    offset: int
    window: tuple[int, int] | None = None

    @property
    def allow_remote_images(self) -> bool:
        return self.options.allow_remote_images


def reading_mode(store: Store, furigana: str) -> FuriganaMode:
    """The furigana mode chosen in the settings, with the words the reader knows (which lose
    their furigana in the modes that hide them: unknown, grade, jlpt)."""
    mode = FuriganaMode.parse(furigana or "all")
    return FuriganaMode(mode.kind, mode.level, store.known_words() if mode.hides_known else frozenset())


def open_post(
    store: Store,
    post_id: int,
    mode: FuriganaMode,
    *,
    remote_allowed: Collection[str] = (),
    offset: int | None = None,
    post: Post | None = None,
) -> Opened:
    """Load and render a post of the library at `offset` (default: where the reader left it).

    `post` is its file when the caller has already read it. A file changed on disk is imported
    again (with the plain text of this render: the file is read and rendered once), so its
    highlights are re-anchored before they are painted. A post restored from a backup is shown
    from its stored text (`restored_post`) and its file is never read, unless `post` is given (the
    reader opened that file: it is imported, and the post is no longer a restored one). Raises
    PostError, StoreError or OSError with a sentence for the reader.
    """
    record = store.post(post_id)
    restored = post is None and is_restored(record)
    if restored:
        post = restored_post(record)  # the backup's copy, never the file its source names
    elif post is None:
        post = load_post(record.source_path)
    allow_remote = record.source_path in remote_allowed
    at = record.reading_offset if offset is None else offset
    options = RenderOptions(mode=mode, overrides=store.reading_overrides(record.id), allow_remote_images=allow_remote)
    rendered, window = _render(post, options, record.length, at)
    # A changed file, or a file that renders to another text than the one stored (a newer
    # Kakikomi reads some syntax differently): imported again from this render, so highlights are
    # re-anchored in the text the page shows.
    if not restored and (post.content_hash != record.content_hash or rendered.plain.text != record.text):
        from app.core.library import actions  # (it builds on this module's imports; loaded when needed)

        actions.import_file(store, record.source_path, post=post, plain=rendered.plain)
        record = store.post(post_id)
    elif store.post_blocks(record.id) is None:
        # A post an older Kakikomi imported: its block spans, kept for the claims from now on.
        with store.transaction():
            store.set_post_blocks(record.id, rendered.plain.blocks)
    return Opened(record, post, rendered, options, store.annotations(record.id), at, window)


def is_restored(record: PostRecord) -> bool:
    """Whether the post was restored from a backup's copy (and its file has not been imported since)."""
    return RESTORED_MARK in record.warnings


_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def restored_post(record: PostRecord) -> Post:
    """The post as the library keeps it, without its file: Markdown whose rendered plain text is
    the stored text (so its highlights sit where they were). Each line is a paragraph with its
    Markdown escaped and the white space at its ends kept (as character references), an empty
    line an empty paragraph; a line with author-ruby marks (《) is code, so they stay text."""
    lines = record.text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out = []
    for line in lines:
        core = line.strip()
        if not core:
            out.append(_references(line) if line else "<span></span>")
        elif "《" in line:
            fence = "`" * (max((len(run) for run in re.findall(r"`+", line)), default=0) + 1)
            out.append(f"{fence} {line} {fence}")
        else:
            lead, trail = line[: len(line) - len(line.lstrip())], line[len(line.rstrip()) :]
            out.append(_references(lead) + _ASCII_PUNCTUATION.sub(r"\\\1", core) + _references(trail))
    return Post(
        body="\n\n".join(out) + "\n", source_path=None, warnings=(RESTORED_MARK,), **record.meta_values()
    )


def _references(space: str) -> str:
    return "".join(f"&#{ord(c)};" for c in space)


def open_file(
    path: str | Path,
    mode: FuriganaMode,
    *,
    store: Store | None = None,
    remote_allowed: Collection[str] = (),
    post: Post | None = None,
) -> Opened:
    """A post file that is not in the library (yet), rendered as open_post would show it once
    imported: from its start, with the reader's corrections for everywhere (`store`, if any).
    `post` is the file when the caller has already read it. Import it afterwards with
    `import_file(store, path, post=opened.post, plain=opened.rendered.plain)`: no second read."""
    post = post if post is not None else load_post(path)
    source = str(Path(path).expanduser().resolve())
    overrides = store.reading_overrides(None) if store is not None else ()
    options = RenderOptions(mode=mode, overrides=overrides, allow_remote_images=source in remote_allowed)
    rendered, window = _render(post, options, len(post.body), 0)
    return Opened(None, post, rendered, options, [], 0, window)


def _render(post: Post, options: RenderOptions, length: int, at: int) -> tuple[RenderedPost, tuple[int, int] | None]:
    """The first render: for a long post, readings only around the reading position `at`."""
    if length > LONG_POST_CHARS and options.mode.enabled:
        window = (max(0, at - RUBY_BEFORE_CHARS), at + RUBY_AFTER_CHARS)
        return render_post(post, replace(options, ruby_window=window)), window
    return render_post(post, options), None


def rest_of_readings(post: Post, options: RenderOptions, window: tuple[int, int]) -> list[tuple[int, str]]:
    """The blocks a windowed render left without readings, rendered with them: (index, html)."""
    rendered = render_post(post, options)
    return [
        (block.index, block.html)
        for block, span in zip(rendered.blocks, rendered.plain.blocks)
        if not window[0] <= span.start < window[1]
    ]
