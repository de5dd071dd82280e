"""HTML a post writes itself, the way a browser would show it, minus anything active.

One allow-list serves both places HTML appears in Markdown:

- inline tags inside a paragraph (`<font color="purple">…</font>`, `<u><b>…</b></u>`, `<a href>`):
  each tag is read by `inline_tag` and rebuilt by `start_tag`; block tags inside a paragraph are
  dropped (their text stays), tags whose content never shows (script, style, …) hide it, and a
  word in angle brackets that is not HTML (`List<T>`) stays text;
- raw HTML blocks: `block_tokens` has nh3 (html5ever) parse and clean the block the way a browser
  parses it (unclosed tags closed, misplaced text moved out of tables), then walks the clean tree
  into markdown-it tokens: structure tags as they are, and each run of text between block
  boundaries as one `inline` token whose text children get furigana like Markdown prose (and are
  in the plain text, so they can be highlighted, searched and exported). Text in <pre> and in
  author-written readings is kept as written.

Every tag that reaches the page is rebuilt here from its name and the few attributes that are
allowed: links only to http, https, mailto and in-page targets (others become a dotted span with
the address as its title), a font colour only when it is a plain colour value, images only as
placeholders (unless the reader allowed remote images), table spans as small numbers. Scripts,
styles, event handlers, forms, frames and embeds never get through.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token as MdToken

ALLOWED_LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# Tags kept inside a line of prose, and tags that make up a block's structure.
INLINE_TAGS = frozenset({
    "b", "strong", "i", "em", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "br", "wbr", "span",
    "kbd", "code", "q", "abbr", "a", "img", "ruby", "rt", "rp", "rb",
})
BLOCK_TAGS = frozenset({
    "p", "div", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr",
    "th", "td", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "details", "summary", "figure",
    "figcaption",
})
VOID_TAGS = frozenset({"br", "wbr", "hr", "img"})
# Old or semantic tags shown as the allowed tag that looks the same.
RENAMES = {
    "font": "span", "strike": "s", "tt": "code", "big": "span", "nobr": "span", "time": "span", "bdi": "span",
    "bdo": "span", "cite": "i", "dfn": "i", "var": "i", "samp": "code", "acronym": "abbr", "center": "div",
    "section": "div", "article": "div", "header": "div", "footer": "div", "main": "div", "aside": "div",
    "nav": "div", "address": "div", "hgroup": "div", "search": "div",
}
# Tags whose content a reader never sees as text: removed with everything inside them.
HIDDEN_TAGS = frozenset({
    "script", "style", "template", "textarea", "select", "title", "noscript", "xmp", "iframe", "object",
    "svg", "math", "noembed", "noframes", "applet", "head",
})
# Other HTML elements: the tag goes, the text inside stays (forms, media fallbacks, layout).
OTHER_ELEMENTS = frozenset({
    "form", "label", "input", "button", "fieldset", "legend", "option", "optgroup", "datalist", "output",
    "meter", "progress", "video", "audio", "source", "track", "picture", "canvas", "map", "area", "embed",
    "frame", "frameset", "meta", "link", "base", "html", "body", "col", "colgroup", "data", "dialog", "menu",
    "slot", "portal", "blink", "marquee", "basefont", "param", "keygen", "image", "listing", "plaintext",
})
_RUBY_PARTS = frozenset({"rt", "rp", "rb"})

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*(/?)>", re.S)
_ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
# A colour that can only be a colour: #rgb…#rrggbbaa, a named colour, or rgb()/hsl() of numbers.
_SAFE_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|(?:rgb|rgba|hsl|hsla)\(\s*[0-9.%,\s/]{1,40}\)")


def safe_href(href: str) -> str | None:
    """`href` if it is an in-page target or an http, https or mailto address; else None."""
    if href.startswith("#"):
        return href
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    return href if scheme in ALLOWED_LINK_SCHEMES else None


# A relative link to another post file (`2010-07-21-x.md`, `../posts/intro.md`, what Jekyll's
# post_url and Hugo's ref become): the reader opens that post if it is in the library.
_POST_LINK = re.compile(r"(?![A-Za-z][A-Za-z0-9+.-]*:|/|\\)[^?#]*\.(?:md|markdown|txt|html?)(?:#[^\s]*)?", re.I)


def post_link(href: str) -> str | None:
    """The post file a relative link points to (no fragment), or None if it is not one."""
    href = href.strip()
    return href.split("#", 1)[0] if _POST_LINK.fullmatch(href) else None


def link_open(href: str, title: str | None = None) -> tuple[str, str]:
    """(the opening HTML, the element name to close) for a link to `href`."""
    safe = safe_href(href)
    if safe is None and (post := post_link(href)) is not None:
        # No href at all (nothing to navigate to); the page's script asks the app to open the post.
        return f'<span class="kk-post-link" role="link" tabindex="0" data-post="{escapeHtml(post)}" title="{escapeHtml(post)}">', "span"
    if safe is None:
        return f'<span class="kk-link-blocked" title="{escapeHtml(href)}">', "span"
    title_attr = f' title="{escapeHtml(title)}"' if title else ""
    external = "" if safe.startswith("#") else ' rel="noopener noreferrer nofollow"'
    return f'<a href="{escapeHtml(safe)}"{title_attr}{external}>', "a"


def image_html(src: str, alt: str, allow_remote: bool) -> str:
    """An image: loaded only from http(s) and only when the reader allowed remote images; else a
    placeholder whose words come from CSS (attr()), so the plain text is the same either way."""
    if allow_remote and urlsplit(src).scheme.lower() in ("http", "https"):
        return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}" loading="lazy" referrerpolicy="no-referrer">'
    return (
        f'<span class="kk-image" role="img" aria-label="{escapeHtml(alt or src)}" '
        f'data-alt="{escapeHtml(alt)}" data-src="{escapeHtml(src)}"></span>'
    )


def start_tag(name: str, attrs: dict[str, str], *, allow_remote_images: bool = False) -> tuple[str, str]:
    """(the HTML, the element name to close) of an allowed tag `name` (already renamed), rebuilt
    from the attributes that are allowed for it. The only way a post's tag reaches the page."""
    if name == "a":
        return link_open(attrs.get("href", ""), attrs.get("title"))
    if name == "img":
        return image_html(attrs.get("src", ""), attrs.get("alt", ""), allow_remote_images), ""
    if name == "details":
        return '<details class="kk-details">', "details"  # closed, like the renderer's own boxes
    extra = ""
    if name in ("abbr",) and attrs.get("title"):
        extra = f' title="{escapeHtml(attrs["title"])}"'
    elif name == "span" and (colour := attrs.get("color", "").strip()) and _SAFE_COLOUR.fullmatch(colour):
        extra = f' style="color:{colour}"'
    elif name in ("td", "th"):
        for key in ("colspan", "rowspan"):
            if (value := attrs.get(key, "").strip()).isdigit() and 1 < int(value) <= 100:
                extra += f' {key}="{int(value)}"'
    elif name == "ol" and (value := attrs.get("start", "").strip()).lstrip("-").isdigit() and len(value) < 10:
        extra = f' start="{int(value)}"'
    return f"<{name}{extra}>", ("" if name in VOID_TAGS else name)


def inline_tag(text: str) -> tuple[bool, str, dict[str, str]] | None:
    """(closing, name, attributes) of one HTML tag as markdown-it gives it (`<b>`, `</font>`,
    `<a href="…">`); None for anything else (a comment, a declaration)."""
    match = _TAG.fullmatch(text.strip())
    if match is None:
        return None
    attrs: dict[str, str] = {}
    for attr in _ATTRIBUTE.finditer(match.group(3) or ""):
        key = attr.group(1).lower()
        if key not in attrs:  # the first of a repeated attribute wins, as in a browser
            attrs[key] = next((v for v in attr.group(2, 3, 4) if v is not None), "")
    return match.group(1) == "/", match.group(2).lower(), attrs


def classify(name: str) -> str:
    """What becomes of a tag `name` (lower case): "inline", "block", "hidden", "drop" (the tag
    goes, its text stays) or "text" (not HTML at all: shown as written)."""
    name = RENAMES.get(name, name)
    if name in INLINE_TAGS:
        return "inline"
    if name in BLOCK_TAGS:
        return "block"
    if name in HIDDEN_TAGS:
        return "hidden"
    if name in OTHER_ELEMENTS:
        return "drop"
    return "text"


# --- raw HTML blocks ---------------------------------------------------------------------------

_NH3_TAGS = INLINE_TAGS | BLOCK_TAGS | set(RENAMES)
_NH3_ATTRIBUTES = {
    "a": {"href", "title"}, "abbr": {"title"}, "acronym": {"title"}, "font": {"color"}, "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"}, "ol": {"start"}, "img": {"src", "alt"},
}
# Where white space between tags is layout, not text (a browser keeps it, but it shows nowhere).
_STRUCTURE_ONLY = frozenset({"table", "thead", "tbody", "tfoot", "tr", "ul", "ol", "dl"})


def clean(html: str) -> str:
    """`html` parsed as a browser would and reduced to the allow-list (nh3 / ammonia)."""
    return nh3.clean(
        html,
        tags=set(_NH3_TAGS),
        clean_content_tags=set(HIDDEN_TAGS),
        attributes={tag: set(names) for tag, names in _NH3_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_LINK_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )


def _safe(html: str, ruby: int = 0) -> MdToken:
    """A piece of finished HTML among an inline token's children (never analysed)."""
    return MdToken("html_inline", "", 0, content=html, meta={"kk_html": html, "kk_safe": True, "kk_ruby": ruby})


class _Walker(HTMLParser):
    """Turns clean HTML into markdown-it tokens: structure as `kk_html` tokens, each run of
    inline content as an `inline` token (see the module docstring)."""

    def __init__(self, allow_remote_images: bool, level: int):
        super().__init__(convert_charrefs=True)
        self.allow_remote_images = allow_remote_images
        self.level = level
        self.tokens: list[MdToken] = []
        self.run: list[MdToken] = []
        self.closers: list[str] = []  # for each open element, the HTML that closes it ("" for none)
        self.names: list[str] = []
        self.pre = 0
        self.ruby_parts = 0  # inside <rt>/<rp>: readings the author wrote

    def flush(self) -> None:
        if self.run:
            inline = MdToken("inline", "", 0, content="", children=self.run, level=self.level + 1)
            self.tokens.append(inline)
            self.run = []

    def structure(self, html: str) -> None:
        self.flush()
        self.tokens.append(MdToken("kk_html", "", 0, content=html, meta={"kk_html": html}, level=self.level + 1))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = RENAMES.get(tag, tag)
        kind = classify(tag)
        if kind not in ("inline", "block"):
            return  # nh3 let through only allowed tags; nothing else can arrive
        html, closer = start_tag(name, {k: v or "" for k, v in attrs}, allow_remote_images=self.allow_remote_images)
        if kind == "block":
            self.structure(html + ("\n" if name == "hr" else ""))
            self.pre += name == "pre"
        else:
            self.run.append(_safe(html, ruby=1 if name == "ruby" else 0))
            self.ruby_parts += name in _RUBY_PARTS
        if name not in VOID_TAGS:
            self.closers.append(f"</{closer}>" if closer else "")
            self.names.append(name)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = RENAMES.get(tag, tag)
        if name in VOID_TAGS:
            self.handle_starttag(tag, attrs)
        else:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        name = RENAMES.get(tag, tag)
        if name in VOID_TAGS or name not in self.names:
            return
        while self.names:
            open_name, closer = self.names.pop(), self.closers.pop()
            if open_name in BLOCK_TAGS:
                self.structure(closer + "\n")  # a line break after each block, as markdown-it writes them
                self.pre -= open_name == "pre"
            else:
                self.run.append(_safe(closer, ruby=-1 if open_name == "ruby" else 0))
                self.ruby_parts -= open_name in _RUBY_PARTS
            if open_name == name:
                break

    def handle_data(self, data: str) -> None:
        if not data:
            return
        if self.pre or self.ruby_parts:
            self.run.append(_safe(escapeHtml(data)))  # code and the author's readings: as written
        elif data.strip() or (self.run and (not self.names or self.names[-1] not in _STRUCTURE_ONLY)):
            self.run.append(MdToken("text", "", 0, content=data))

    def close(self) -> None:
        super().close()
        while self.names:
            self.handle_endtag(self.names[-1])
        self.flush()


def block_tokens(html: str, *, allow_remote_images: bool = False, level: int = 0) -> list[MdToken]:
    """The tokens that stand for a raw HTML block (see the module docstring), without the wrapper;
    an empty list when nothing of it may be shown."""
    walker = _Walker(allow_remote_images, level)
    walker.feed(clean(html))
    walker.close()
    return walker.tokens
