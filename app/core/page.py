"""A rendered post as one standalone HTML page: the reader's CSS inline, no script, a strict CSP."""

from __future__ import annotations

import functools
import html
import re
from importlib import metadata

from app.core.paths import resource
from app.core.post import Post
from app.core.render import RenderedPost

THEMES = ("auto", "light", "sepia", "dark")
# No script at all; styles only from the page itself; images only when the reader allowed them.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
_CSP_REMOTE_IMAGES = "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; base-uri 'none'; form-action 'none'"


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@functools.cache
def _template() -> str:
    return resource("reader", "page.html").read_text(encoding="utf-8")


@functools.cache
def reader_css() -> str:
    """The reader's stylesheet (themes, ruby, vertical writing, highlight colours)."""
    return resource("reader", "reader.css").read_text(encoding="utf-8")


def version() -> str:
    """Kakikomi's version, from the installed distribution (pyproject.toml)."""
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
) -> str:
    """A complete HTML document for `post`, readable in any browser without Kakikomi."""
    if theme not in THEMES:
        raise ValueError(f"Unknown theme {theme!r}: use one of {', '.join(THEMES)}.")
    classes = [f"kk-theme-{theme}"] + (["kk-vertical"] if vertical else [])
    fields = {
        "lang": rendered.lang,
        "html_class": " ".join(classes),
        "csp": _CSP_REMOTE_IMAGES if allow_remote_images else _CSP,
        "version": html.escape(version()),
        "title_text": html.escape(post.title),
        "css": reader_css(),
        "title_html": rendered.title_html,
        "meta_html": _meta_html(post),
        "body_html": rendered.html,
    }
    # One pass over the template only: a value that happens to contain "{css}" stays as it is.
    return _PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), _template())
