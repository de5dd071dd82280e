"""Web pages as posts: a saved .html/.htm file, or a page fetched because the reader asked.

`extract_page` turns a decoded page into Markdown (its main content, found by trafilatura:
headings, lists, links, tables and code blocks kept; navigation, footers and ads left out) and
the page's title, author and date from its metadata. Scripts, styles, iframes, forms and the
like are removed before the extraction, so their text never reaches the body.
`app.core.posts.post` routes .html/.htm files here and builds the `Post` (the layers forbid this
module to import post.py, which imports it).

`fetch_page` is the only network access, used by `kakikomi import URL`: a timeout, a size cap and
one sentence for every failure. A fetched page is kept beside the library (the data folder: it
may be the only copy left once the site changes) under a name made from
its URL (`cached_page`), and the library's post keeps the URL as its source: opening the post
reads that copy, never the network. Importing the URL again fetches it again.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from app.core.common.messages import Message, clause
from app.core.common.paths import data_dir

PAGE_SUFFIXES = (".html", ".htm")
FETCH_TIMEOUT = 10.0  # seconds; $KAKIKOMI_FETCH_TIMEOUT overrides it (the tests keep it short)
_PAGE_TYPES = ("text/html", "application/xhtml+xml")
_URL = re.compile(r"\Ahttps?://", re.I)
# What Path() makes of a URL ("https://a/b" -> "https:/a/b"), so a Path given back still names it.
_PATH_URL = re.compile(r"\Ahttps?:/(?!/)", re.I)
# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
# Japanese labels whose Python codec is stricter than what the pages really hold.
_CHARSET_CODECS = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
                   "windows-31j": "cp932", "ms_kanji": "cp932", "csshiftjis": "cp932"}
# Elements whose content is never article text.
_NEVER_TEXT = ("script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
               "applet", "form", "input", "button", "select", "textarea", "svg", "math", "canvas", "dialog")


class FetchError(Exception):
    """A page that could not be fetched; its argument is one Message (str(err): the English sentence)."""


@dataclass(frozen=True)
class Page:
    """A page's main content as Markdown, and what its metadata says."""

    markdown: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    excerpt: str | None = None
    tags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    top_lines: tuple[str, ...] = ()  # the first lines of the page's text, where a date may stand alone


def is_url(text: str) -> bool:
    return bool(_URL.match(text))


def source_url(source: str | os.PathLike[str]) -> str | None:
    """The URL `source` names (a URL, or a Path made of one), else None."""
    text = str(source) if not isinstance(source, str) else source
    if _URL.match(text):
        return text
    text = text.replace("\\", "/")
    if _PATH_URL.match(text):
        return text.replace(":/", "://", 1)
    return None


def cached_page(url: str) -> Path:
    """Where the fetched copy of `url` is kept (the same file for the URL and for Path(url))."""
    key = str(PurePosixPath(url.replace("\\", "/")))
    return data_dir() / "pages" / (hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".html")


def declared_text(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) when the page's <meta charset> names an encoding the bytes really are in."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # a byte order mark outranks the meta tag
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    label = match.group(1).decode("ascii", "replace").strip().lower()
    name = _CHARSET_CODECS.get(label, label)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec.startswith(("utf-16", "utf_16")):
        return None  # an ASCII-readable meta tag cannot be in UTF-16
    try:
        return data.decode(codec), codec
    except (UnicodeDecodeError, ValueError):
        return None


_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")


def extract_page(text: str, *, url: str | None = None) -> Page:
    """The main content of the page `text` as Markdown, with its metadata. Never raises for a
    strange page: a page without text gives an empty `markdown`."""
    import copy

    import lxml.html
    import trafilatura
    from trafilatura.settings import use_config

    try:
        # lxml refuses text that still declares its encoding (XHTML's <?xml … encoding=…?>).
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text.replace("\x00", ""), count=1))
    except (ValueError, lxml.etree.ParserError):
        return Page("")
    try:
        meta = trafilatura.extract_metadata(copy.deepcopy(tree), default_url=url, extensive=False)  # no guessing from the text
    except Exception:  # noqa: BLE001 - metadata is a bonus, never a reason to refuse a page
        meta = None
    head_title = _first_text(tree, "//title") or None
    author = getattr(meta, "author", None) or _meta_content(tree, "author")
    date = _published(tree)  # only what the page states: trafilatura's guesses read dates out of the text
    # The author's tags and categories; a <meta name="keywords"> list is for search engines, not them.
    keywords = {" ".join((k.get("content") or "").split()) for k in tree.xpath("//meta[@name='keywords' or @name='Keywords']")}
    found = [*(getattr(meta, "categories", None) or ()), *(getattr(meta, "tags", None) or ())]
    tags = tuple(dict.fromkeys(t for t in found if " ".join(t.split()) not in keywords))

    for element in tree.xpath("|".join(f"//{name}" for name in _NEVER_TEXT)):
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()
    _unwrap_layout_tables(tree)
    _wrap_loose_text(tree)
    top_lines = _top_lines(tree) if date is None else ()  # a date alone at the top, looked for only when none is stated
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    options = {"output_format": "markdown", "include_tables": True, "include_links": True, "include_formatting": True,
               "include_comments": False, "include_images": False, "with_metadata": False, "config": config}
    h1 = _first_text(tree, "//h1")
    title = getattr(meta, "title", None) or h1 or head_title
    if title and head_title and "".join(title.split()) not in "".join(head_title.split()):
        title = head_title  # the page's own title, unless the other is it without the site's name
    elif title and head_title and "".join(title.split()) == "".join(head_title.split()):
        title = head_title  # the page's own spacing (trafilatura drops ideographic spaces)
    markdown = "" if _has_boilerplate(tree) else _whole_page(tree, title)
    if not markdown:
        try:
            markdown = trafilatura.extract(copy.deepcopy(tree), **options) or ""
            if not markdown.strip():
                markdown = trafilatura.extract(tree, favor_recall=True, **options) or ""
        except Exception:  # noqa: BLE001 - a page the extractor chokes on opens as its plain text
            markdown = tree.text_content()
    return Page(
        markdown=markdown.strip() + "\n" if markdown.strip() else "",
        title=_squash(title) if title else None,
        author=_squash(author) if author else None,
        date=date.strip() if date else None,
        excerpt=getattr(meta, "description", None) or None,
        tags=tags,
        top_lines=top_lines,
    )


_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def _squash(text: str) -> str:
    """`text` on one line, runs of ASCII white space made one space (an ideographic space is kept)."""
    return _SPACES.sub(" ", text).strip()


def _first_text(tree, xpath: str) -> str:
    for element in tree.xpath(xpath):
        text = _squash(element.text_content())
        if text:
            return text
    return ""


_DATE_NAMES = ("article:published_time", "datePublished", "date", "dc.date", "DC.date", "dcterms.created",
               "dcterms.date", "DC.date.created", "pubdate", "publishdate", "og:published_time")


def _published(tree) -> str | None:
    """The publication date the page states: a <meta>, an itemprop, JSON-LD's datePublished or a
    <time pubdate>; None when it states none (a date in the text is not the page's date)."""
    if (date := _meta_content(tree, *_DATE_NAMES)) is not None:
        return date
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            found = _json_field(json.loads(script.text_content() or "null"), "datePublished")
        except (ValueError, RecursionError):
            continue
        if found:
            return found
    for element in tree.xpath("//time[@pubdate or @itemprop='datePublished'][@datetime]"):
        return element.get("datetime")
    return None


def _json_field(value, key: str, depth: int = 0) -> str | None:
    if depth > 20:
        return None
    if isinstance(value, dict):
        if isinstance(value.get(key), str):
            return value[key]
        value = list(value.values())
    if isinstance(value, list):
        for item in value[:100]:
            if (found := _json_field(item, key, depth + 1)) is not None:
                return found
    return None


# Elements inside a table cell that make the table a page's layout rather than data.
_LAYOUT_CONTENT = "descendant::*[self::p or self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::ul or self::ol or self::blockquote or self::pre or self::table or self::div]"


# Elements that flow inside a line; anything else starts a block.
_INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "del", "dfn", "em", "font", "i", "img", "ins", "kbd",
    "label", "mark", "nobr", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "time", "tt", "u", "var", "wbr",
})
_LOOSE_TEXT_CONTAINERS = "//body|//div|//blockquote|//center|//form|//section|//article|//main"


def _wrap_loose_text(tree) -> None:
    """Text written straight into <body> or a <div> between blocks (as old pages do) becomes
    paragraphs, the way a browser shows it; the extractor would otherwise skip it."""
    import lxml.html

    for container in tree.xpath(_LOOSE_TEXT_CONTAINERS):
        loose = (container.text or "").strip() or any(
            isinstance(child.tag, str) and child.tag not in _INLINE and (child.tail or "").strip() for child in container
        )
        if not loose:
            continue
        children: list = []
        run = None

        def add_text(text: str) -> None:
            nonlocal run
            if run is None:
                if not text.strip():
                    return
                run = lxml.html.Element("p")
                children.append(run)
            if len(run):
                run[-1].tail = (run[-1].tail or "") + text
            else:
                run.text = (run.text or "") + text

        text, container.text = container.text or "", None
        add_text(text)
        for child in list(container):
            tail, child.tail = child.tail or "", None
            container.remove(child)
            if isinstance(child.tag, str) and child.tag in _INLINE:
                if run is None:
                    run = lxml.html.Element("p")
                    children.append(run)
                run.append(child)
            else:
                children.append(child)
                run = None
            add_text(tail)
        container.extend(children)


# What marks the parts of a page around its article (menus, sidebars, footers, ads).
_BOILERPLATE_ELEMENTS = "//nav|//header|//footer|//aside|//menu"
_BOILERPLATE_NAMES = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|sidebar|side-bar|footer|header|breadcrumbs?|banner|widgets?|"
    r"comments?|share|social|related|ads?|advert\w*|sponsor\w*|masthead|toolbar)(?:$|[\s_-])",
    re.I,
)
# Block tags that start a CommonMark HTML block which ends at a blank line; others are wrapped in a div.
_HTML_BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "caption", "center", "dd", "details", "dir", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "section", "summary", "table", "ul",
})


def _has_boilerplate(tree) -> bool:
    """Whether the page has parts around its article for the extractor to leave out."""
    if tree.xpath(_BOILERPLATE_ELEMENTS):
        return True
    return any(
        _BOILERPLATE_NAMES.search(element.get("id") or "") or _BOILERPLATE_NAMES.search(element.get("class") or "")
        for element in tree.xpath("//body//*[@id or @class]")
    )


def _whole_page(tree, title: str | None) -> str:
    """A page that is all article (an old hand-written page, a help file): every block of its
    body as an HTML block of the Markdown body, so render.py shows it through its allow-list with
    its structure (the extractor drops short headings and list items of such pages). Rows that
    are mostly links (a page's own navigation) are left out; so is a first <h1> that is the title."""

    body = tree.find("body")
    if body is None:
        return ""
    first_h1 = next(body.iter("h1"), None)
    if first_h1 is not None and title and "".join(first_h1.text_content().split()) in "".join(title.split()):
        first_h1.drop_tree()  # the title, shown above the post: not twice
    blocks: list[str] = []
    _page_blocks(body, blocks)
    return "\n\n".join(blocks) + "\n" if blocks else ""


# Containers that only group blocks: their blocks are taken one by one (the allow-list keeps none
# of their attributes), so a long page is many blocks, not one.
_GROUPS = frozenset({"body", "div", "article", "main", "section", "center"})
_BLOCKS = frozenset({*_HTML_BLOCK_TAGS, "pre"}) - {"li", "dt", "dd", "caption", "summary", "figcaption"}


def _page_blocks(container, blocks: list[str]) -> None:
    import lxml.html

    for child in container:
        if not isinstance(child.tag, str):
            continue
        text = " ".join(child.text_content().split())
        if not text and child.tag not in ("hr", "img"):
            continue
        linked = sum(len("".join(a.text_content().split())) for a in child.xpath(".//a"))
        if text and len(text) < 300 and linked >= 0.6 * len("".join(text.split())):
            continue  # a row of links: the page's own navigation
        if child.tag in _GROUPS and any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in child):
            _page_blocks(child, blocks)
            continue
        html = lxml.html.tostring(child, encoding=str, with_tail=False)
        if child.tag not in _HTML_BLOCK_TAGS and child.tag != "pre":
            html = f"<div>{html}</div>"
        # A blank line would end the HTML block: keep the line as an escaped line break instead.
        blocks.append(_BLANK_LINE.sub("\n&#10;", html.strip()))


_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n)")


def _top_lines(tree, count: int = 8) -> tuple[str, ...]:
    """The first `count` non-empty lines of the page's text, block by block, <br> breaking lines."""
    lines: list[str] = []
    for element in tree.xpath("//body//*[self::p or self::div or self::h1 or self::h2 or self::h3 or self::li or self::td]"):
        lines.extend(" ".join(line.split()) for line in _own_text(element).split("\n") if line.strip())
        if len(lines) >= count:
            break
    return tuple(lines[:count])


def _own_text(element) -> str:
    """An element's text outside its child blocks, with <br> as a line break."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "br":
            parts.append("\n")
        elif isinstance(child.tag, str) and child.tag in _INLINE:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts)


def _unwrap_layout_tables(tree) -> None:
    """Tables that lay out a page (cells holding headings, paragraphs, lists or other tables, or
    long text) become plain blocks, so their text comes out as prose, not as one table row."""
    for table in tree.xpath("//table"):
        cells = [cell for cell in table.xpath(".//td|.//th") if next(cell.iterancestors("table"), None) is table]
        if any(cell.xpath(_LAYOUT_CONTENT) or len(cell.text_content()) > 400 for cell in cells):
            parts = [e for e in table.xpath(".//tr|.//thead|.//tbody|.//tfoot|.//caption") if next(e.iterancestors("table"), None) is table]
            for element in [table, *parts, *cells]:
                element.tag = "div"
                for name in ("colspan", "rowspan"):
                    element.attrib.pop(name, None)


def _meta_content(tree, *names: str) -> str | None:
    for name in names:
        for element in tree.xpath("//meta[@name=$n or @property=$n or @itemprop=$n]", n=name):
            content = " ".join((element.get("content") or "").split())
            if content:
                return content
    return None


# --- fetching (only when the reader asks) -------------------------------------------------------


def fetch_page(url: str, *, max_bytes: int, timeout: float | None = None) -> bytes:
    """The bytes of the web page at `url`; raises FetchError with one sentence for a refused,
    failed, too slow, too big or not-HTML download. Never reads more than `max_bytes + 1` bytes."""
    import http.client
    import urllib.error
    import urllib.request

    if not is_url(url):
        raise FetchError(Message("fetch.not_http", "{url} is not an http or https address.", url=url))
    if timeout is None:
        try:
            timeout = float(os.environ.get("KAKIKOMI_FETCH_TIMEOUT") or FETCH_TIMEOUT)
        except ValueError:
            timeout = FETCH_TIMEOUT
    request = urllib.request.Request(url, headers={
        "User-Agent": "Kakikomi (reader; fetched at the reader's request)", "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"})
    too_big = Message("fetch.too_large", "{url} is larger than {limit} MB, so it was not imported.", url=url, limit=max_bytes // (1024 * 1024))
    if timeout == 1:
        seconds = Message("fetch.one_second", "1 second")
    else:
        seconds = Message("fetch.seconds", "{count} seconds", count=f"{timeout:g}")
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # http(s) only, checked above
            kind = response.headers.get_content_type()
            if kind not in _PAGE_TYPES:
                raise FetchError(Message("fetch.not_a_page", "{url} is not a web page (the server sent {kind}), so it was not imported.", url=url, kind=kind))
            length = response.headers.get("Content-Length")
            if length and length.strip().isdecimal() and int(length) > max_bytes:
                raise FetchError(too_big)
            chunks, size = [], 0
            while size <= max_bytes:
                if time.monotonic() > deadline:
                    raise FetchError(Message("fetch.too_slow", "{url} did not finish loading within {seconds}.", url=url, seconds=seconds))
                chunk = response.read(min(64 * 1024, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > max_bytes:
                raise FetchError(too_big)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(Message(
            "fetch.http_error", "{url} could not be fetched: the server answered {status}.", url=url, status=f"{exc.code} {exc.reason or ''}".rstrip()
        )) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise FetchError(Message("fetch.no_answer", "{url} did not answer within {seconds}.", url=url, seconds=seconds)) from None
        text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
        raise FetchError(Message("fetch.failed", "{url} could not be fetched: {reason}.", url=url, reason=clause(text))) from None
    except TimeoutError:
        raise FetchError(Message("fetch.no_answer", "{url} did not answer within {seconds}.", url=url, seconds=seconds)) from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise FetchError(Message("fetch.failed", "{url} could not be fetched: {reason}.", url=url, reason=clause(text))) from None
    data = b"".join(chunks)
    if not data.strip():
        raise FetchError(Message("fetch.empty", "{url} sent an empty page, so it was not imported.", url=url))
    return data


def save_fetched(url: str, data: bytes) -> Path:
    """Keep the fetched page beside the library (see `cached_page`); returns its path."""
    from app.core.common.fileio import write_atomic

    target = cached_page(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(target, data, durable=False)
