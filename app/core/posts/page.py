"""A rendered post as one standalone HTML page: the reader's CSS inline, no script, a strict CSP."""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.common.messages import Message
from app.core.common.paths import resource

if TYPE_CHECKING:  # the window imports this module while it starts: the renderer comes later
    from app.core.posts.post import Post
    from app.core.posts.render import RenderedPost

THEMES = ("auto", "light", "sepia", "dark")


def content_security_policy(remote_images: bool = False, *, scheme: str | None = None) -> str:
    """The page's Content-Security-Policy: no script at all (nothing allows one, so default-src
    'none' forbids it); styles only inline; images only inline (data:), and from the web only when
    the reader allowed remote images for the post; no <base>, no form submission.

    `scheme`: the URL scheme the page is served from (the reader's, whose header carries this
    policy), whose styles, images and fonts are the app's own; None for a standalone file, whose
    <meta> tag carries it."""
    own = [f"{scheme}:"] if scheme else []
    images = [*own, "data:", *(["https:", "http:"] if remote_images else [])]
    directives = [
        "default-src 'none'",
        " ".join(["style-src", *own, "'unsafe-inline'"]),
        " ".join(["img-src", *images]),
        *([f"font-src {scheme}:"] if scheme else []),
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(directives)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@functools.cache
def _template() -> str:
    return resource("reader", "page.html").read_text(encoding="utf-8")


@functools.cache
def reader_css() -> str:
    """The reader's stylesheet (themes, ruby, vertical writing, highlight colours)."""
    return resource("reader", "reader.css").read_text(encoding="utf-8")


@functools.cache
def version() -> str:
    """Kakikomi's version, from the installed distribution (pyproject.toml)."""
    from importlib import metadata

    try:
        return metadata.version("kakikomi")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _meta_html(post: Post) -> str:
    parts = []
    if post.date:
        parts.append(f'<time datetime="{html.escape(post.date)}">{html.escape(post.date[:10])}</time>')
    if post.author:
        parts.append(html.escape(post.author))
    tags = "".join(f'<span class="kk-tag">{html.escape(t)}</span>' for t in post.tags)
    if tags:
        parts.append(tags)
    return " · ".join(parts)


def standalone_html(
    post: Post,
    rendered: RenderedPost,
    *,
    theme: str = "auto",
    vertical: bool = False,
    allow_remote_images: bool = False,
    generator: bool = True,
) -> str:
    """A complete HTML document for `post`, readable in any browser without Kakikomi.
    `generator`: say which Kakikomi made it (a page saved for others; the reader's own page
    goes without: looking the version up costs its first page a few hundredths of a second)."""
    if theme not in THEMES:
        raise ValueError(Message("page.unknown_theme", "Unknown theme {theme}: use one of {choices}.", theme=repr(theme), choices=", ".join(THEMES)))
    classes = [f"kk-theme-{theme}"] + (["kk-vertical"] if vertical else [])
    fields = {
        "lang": rendered.lang,
        "html_class": " ".join(classes),
        "csp": content_security_policy(allow_remote_images),
        "generator_meta": f'<meta name="generator" content="Kakikomi {html.escape(version())}">' if generator else "",
        "title_text": html.escape(post.title),
        "css": reader_css(),
        "title_html": rendered.title_html,
        "meta_html": _meta_html(post),
        "body_html": rendered.html,
    }
    # One pass over the template only: a value that happens to contain "{css}" stays as it is.
    return _PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), _template())


# --- the reader's first page -----------------------------------------------------------------

# Blocks in the first page load; the rest are appended once the first screen is painted, so a
# very long post does not make Chromium lay out tens of thousands of <ruby> before showing anything.
FIRST_BLOCKS = 60
# Characters past the reading position that the first page load includes (a few screens).
FIRST_SCREEN_CHARS = 6000
_HREF = re.compile(r'<a href="([^"]*)"')


@dataclass
class PreparedPage:
    """What the reader loads for a post: the first page, the blocks appended after its first
    paint, the links the post really contains (the only ones a click may open), and what the
    reader's script is told (block offsets, length, highlights, where to scroll).

    Plain data only (str, int, list, dict): it crosses from the process that prepares the first
    page at start-up to the window unchanged."""

    html: str
    rest: list[str]
    links: list[str]
    info: dict


def highlight_json(annotation) -> dict:
    """A highlight as the reader's script paints it, with its note (marked after the highlight,
    shown as plain text when hovered)."""
    a = annotation
    return {"id": a.id, "start": a.start, "end": a.end, "color": a.color, "orphan": a.orphan, "note": a.note}


def reader_page(
    post: Post,
    rendered: RenderedPost,
    highlights: list,
    *,
    theme: str = "auto",
    vertical: bool = False,
    offset: int = 0,
    allow_remote_images: bool = False,
) -> PreparedPage:
    """The reader's page for `rendered`: the opening blocks, or all up to a little past where
    the reader left off (`offset`), with the rest to follow once it is painted."""
    from app.core.posts.render import RenderedPost

    spans = rendered.plain.blocks
    reach = next((i for i, span in enumerate(spans) if span.start > offset + FIRST_SCREEN_CHARS), len(spans))
    cut = max(FIRST_BLOCKS, reach)
    partial = RenderedPost(rendered.blocks[:cut], rendered.plain, rendered.title_html, rendered.lang)
    page = standalone_html(post, partial, theme=theme, vertical=vertical, allow_remote_images=allow_remote_images, generator=False)
    links = sorted({html.unescape(h) for b in rendered.blocks for h in _HREF.findall(b.html)})
    info = {
        "blockStarts": [b.start for b in spans],
        "total": len(rendered.plain.text),
        "highlights": [highlight_json(a) for a in highlights],
        "offset": offset,
    }
    return PreparedPage(page, [b.html for b in rendered.blocks[cut:]], links, info)
