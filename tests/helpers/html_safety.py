"""A checker for rendered HTML: everything in it that could run script, load something or navigate.

It walks the HTML with html.parser, the way a browser tokenises it, and lists each element,
attribute and URL that could execute script, fetch a resource or leave the page; it also collects
the visible text (readings left out). Used by the hostile-input tests and benchmarks.hostile_report.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Attributes a browser resolves as a URL (to navigate, fetch or submit).
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset",
    "data", "codebase", "cite", "longdesc", "ping", "lowsrc", "dynsrc", "manifest", "icon",
})
# Elements that run script, embed documents, load resources, submit, or change how the page is
# read (base URL, refresh); never acceptable in a post's HTML.
FORBIDDEN_TAGS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "meta", "link", "base",
    "form", "input", "button", "textarea", "select", "svg", "math", "template", "portal", "video",
    "audio", "source", "track", "noscript", "xmp", "plaintext", "style", "title", "html", "head",
    "body", "area", "map", "details", "dialog",
})
# Only markdown-it's table alignment and a post's own font colour (rawhtml.py) write a style
# attribute, and only these: a colour cannot load or run anything.
_TABLE_ALIGN = re.compile(r"text-align:(left|center|right)")
_FONT_COLOUR = re.compile(r"color:(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|(?:rgb|rgba|hsl|hsla)\(\s*[0-9.%,\s/]{1,40}\))")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads from a URL attribute ("#" for an in-page target, None if relative).

    Browsers strip leading and trailing C0 controls and spaces and drop tabs and newlines anywhere
    in a URL before reading its scheme, so "java\\tscript:" is javascript:.
    """
    cleaned = value.strip("".join(map(chr, range(0x21)))).replace("\t", "").replace("\n", "").replace("\r", "")
    if cleaned.startswith("#"):
        return "#"
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def url_is_safe(value: str) -> bool:
    """Whether `value` leads to an http, https or mailto URL or an in-page target.

    A relative URL is unsafe too: in a page saved to disk it resolves to a file: URL.
    """
    scheme = url_scheme(value)
    return scheme == "#" or scheme in SAFE_SCHEMES


class SafetyChecker(HTMLParser):
    """Walk HTML and collect `problems` (anything that could run or load) and the visible `text`.

    With page=True the input is a whole document: <html>, <head> (with its charset, CSP, viewport
    and generator <meta>, <title> and the reader's <style>) and <body> are expected; the visible
    text is then the article's. Readings (<rt>, <rp>) are left out of the text.
    """

    def __init__(self, *, allow_remote_images: bool = False, page: bool = False):
        super().__init__(convert_charrefs=True)
        self.allow_remote_images = allow_remote_images
        self.page = page
        self.problems: list[str] = []
        self.csp: list[str] = []
        self._parts: list[str] = []
        self._reading_depth = 0
        self._in_head = False
        self._in_article = not page
        self._seen_doctype = False

    @property
    def text(self) -> str:
        return "".join(self._parts)

    # -- elements ------------------------------------------------------------------------

    def handle_starttag(self, tag, attrs):
        self._check_element(tag, attrs)
        if tag in ("rt", "rp"):
            self._reading_depth += 1
        elif tag == "head" and self.page:
            self._in_head = True
        elif tag == "article" and self.page:
            self._in_article = True

    def handle_startendtag(self, tag, attrs):
        self._check_element(tag, attrs)

    def handle_endtag(self, tag):
        if tag in ("rt", "rp") and self._reading_depth:
            self._reading_depth -= 1
        elif tag == "head" and self.page:
            self._in_head = False
        elif tag == "article" and self.page:
            self._in_article = False

    def _check_element(self, tag, attrs):
        if self.page and self._page_structure_allows(tag, attrs):
            pass
        elif tag == "img":
            src = dict(attrs).get("src") or ""
            if not (self.allow_remote_images and url_scheme(src) in ("http", "https")):
                self.problems.append(f"<img src={src!r}>")
        elif tag == "details" and dict(attrs).get("class") == "kk-details" and {name for name, _v in attrs} <= {"class", "data-kb"}:
            pass  # the renderer's own disclosure box (Zenn's :::details): no open, no handlers, nothing else
        elif tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            elif name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc>")
            elif name == "style":
                if not ((tag in ("th", "td") and _TABLE_ALIGN.fullmatch(value or ""))
                        or (tag == "span" and _FONT_COLOUR.fullmatch(value or ""))):
                    self.problems.append(f"<{tag} style={value!r}>")
            elif name in URL_ATTRIBUTES and value is not None and not url_is_safe(value):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def _page_structure_allows(self, tag, attrs) -> bool:
        """The page template's own elements: the document shell and what its <head> holds."""
        if tag in ("html", "head", "body"):
            return True
        if not self._in_head:
            return False
        fields = {name.lower(): (value or "") for name, value in attrs}
        if tag in ("title", "style"):
            return True
        if tag == "meta":
            if fields.get("http-equiv", "").lower() == "content-security-policy":
                self.csp.append(fields.get("content", ""))
                return True
            return "charset" in fields or fields.get("name") in ("viewport", "generator")
        return False

    # -- everything that is not an element ----------------------------------------------------

    def handle_data(self, data):
        if self._in_article and not self._reading_depth and not self._in_head:
            self._parts.append(data)

    def handle_comment(self, data):
        if not self._in_head:
            self.problems.append(f"comment <!--{data[:40]}-->")

    def handle_decl(self, decl):
        if self.page and not self._seen_doctype and decl.lower() == "doctype html":
            self._seen_doctype = True
            return
        self.problems.append(f"declaration <!{decl[:40]}>")

    def unknown_decl(self, data):
        self.problems.append(f"declaration <![{data[:40]}]>")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction <?{data[:40]}>")


def check(html: str, *, allow_remote_images: bool = False, page: bool = False) -> SafetyChecker:
    """Run the checker over `html`; its `problems` list is empty when nothing can run or load."""
    checker = SafetyChecker(allow_remote_images=allow_remote_images, page=page)
    checker.feed(html)
    checker.close()
    return checker
