"""Site-generator syntax in a post body, made to read the way the author's site shows it.

Posts written for Jekyll (Liquid tags) and other generators carry syntax that only their
generator understands. `preprocess` rewrites the body before it is rendered: each dialect is one
entry of `DIALECTS` (a cheap test on the body and a handler), run in order on the body with its
code protected, so nothing inside fenced code, indented code or inline code spans is touched.
What a handler cannot show it removes, and says so in one warning sentence.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt

from app.core.common.messages import Message

# Protected stretches of the body are swapped for these marks while the handlers run.
_MARK_OPEN, _MARK_CLOSE = "\ue0f0", "\ue0f1"
_MARK = re.compile(f"{_MARK_OPEN}(\\d+){_MARK_CLOSE}")
_MAX_CODE_SPAN = 4000  # longest inline code span looked for (keeps the scan linear)
_SHOWN_IN_WARNING = 3


@dataclass
class Body:
    """The body being rewritten: its text with code swapped for marks, and the warnings so far."""

    text: str
    front_matter: Mapping[str, Any]
    warnings: list[str] = field(default_factory=list)
    _saved: list[str] = field(default_factory=list)

    def protect(self, literal: str) -> str:
        """A mark that stands for `literal` (restored as is at the end)."""
        self._saved.append(literal)
        return f"{_MARK_OPEN}{len(self._saved) - 1}{_MARK_CLOSE}"

    def restore(self, text: str) -> str:
        """`text` with the marks in it replaced by what they stand for (nested marks too)."""
        for _ in range(8):
            if _MARK_OPEN not in text:
                break
            text = _MARK.sub(lambda m: self._saved[int(m.group(1))], text)
        return text


def _nothing(work: Body) -> None:
    return None


@dataclass(frozen=True)
class Dialect:
    """One kind of site-generator syntax.

    `detect` is a cheap test on the raw body. `blocks` runs first (code blocks already protected)
    and turns the dialect's own code blocks into fenced code; then inline code spans are
    protected and `inline` rewrites the rest. Both change `Body.text` in place.
    """

    name: str
    detect: Callable[[str], bool]
    inline: Callable[[Body], None]
    blocks: Callable[[Body], None] = _nothing


def preprocess(body: str, front_matter: Mapping[str, Any] | None) -> tuple[str, list[str]]:
    """The body with site-generator syntax rewritten, and one warning per thing left out."""
    active = [dialect for dialect in DIALECTS if dialect.detect(body)]
    if not active or _MARK_OPEN in body or _MARK_CLOSE in body:
        return body, []
    work = Body(body, front_matter or {})
    work.text = _protect_code_blocks(work, body)
    for dialect in active:
        dialect.blocks(work)
    protect_code_spans(work)
    for dialect in active:
        dialect.inline(work)
    return work.restore(work.text), work.warnings


# --- code stays as written ----------------------------------------------------------------


@functools.cache
def _block_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark")
    md.core.ruler.disable(["inline", "text_join"])  # only the blocks' lines are needed: 10x faster
    return md


def _protect_code_blocks(work: Body, body: str) -> str:
    """Swap fenced and indented code blocks (at any depth) for marks, whole lines at a time."""
    lines = body.split("\n")
    ranges = sorted(
        tuple(token.map) for token in _block_parser().parse(body) if token.type in ("fence", "code_block") and token.map
    )
    if not ranges:
        return body
    out: list[str] = []
    cursor = 0
    for start, end in ranges:
        if start < cursor:
            continue
        out.extend(lines[cursor:start])
        end = min(end, len(lines))
        out.append(work.protect("\n".join(lines[start:end])))
        cursor = end
    out.extend(lines[cursor:])
    return "\n".join(out)


_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def protect_code_spans(work: Body) -> None:
    """Swap inline code spans (`code`, ``co`de``) for marks, as CommonMark pairs backtick runs."""
    text = work.text
    if "`" not in text:
        return
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    breaks = [m.start() for m in _BLANK_LINE.finditer(text)]
    # next_same[i]: the next run after run i with the same length.
    next_same: list[int | None] = [None] * len(runs)
    last_of_length: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        next_same[i] = last_of_length.get(length)
        last_of_length[length] = i
    out: list[str] = []
    cursor = 0
    i = 0
    while i < len(runs):
        start, end = runs[i]
        if start > 0 and text[start - 1] == "\\":
            i += 1
            continue
        j = next_same[i]
        if j is not None:
            close_start, close_end = runs[j]
            crosses = bisect.bisect_left(breaks, start) != bisect.bisect_left(breaks, close_start)
            if not crosses and close_start - end <= _MAX_CODE_SPAN:
                out.append(text[cursor:start])
                out.append(work.protect(text[start:close_end]))
                cursor = close_end
                i = j + 1
                continue
        i += 1
    out.append(text[cursor:])
    work.text = "".join(out)


def _warn_left_out(work: Body, syntax: str, items: list[str]) -> None:
    """One warning naming the first few of the `items` left out; `syntax` is "liquid" or "hugo"."""
    if not items:
        return
    unique = list(dict.fromkeys(" ".join(item.split()) for item in items))
    shown = ", ".join(unique[:_SHOWN_IN_WARNING]) + (", …" if len(unique) > _SHOWN_IN_WARNING else "")
    count = len(items)
    if syntax == "liquid":
        if count == 1:
            message = Message("dialects.liquid_tag_left_out", "Kakikomi left out 1 Liquid tag it cannot show ({shown}).", shown=shown)
        else:
            message = Message(
                "dialects.liquid_tags_left_out", "Kakikomi left out {count} Liquid tags it cannot show ({shown}).", count=count, shown=shown
            )
    elif count == 1:
        message = Message("dialects.hugo_shortcode_left_out", "Kakikomi left out 1 Hugo shortcode it cannot show ({shown}).", shown=shown)
    else:
        message = Message(
            "dialects.hugo_shortcodes_left_out", "Kakikomi left out {count} Hugo shortcodes it cannot show ({shown}).",
            count=count, shown=shown,
        )
    work.warnings.append(message)


def _fence(code: str, lang: str) -> str:
    """`code` as a fenced block, with a fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    code = code.strip("\n")
    return f"{ticks}{lang}\n{code}\n{ticks}"


def _post_file(target: str) -> str:
    """The file name of a post referred to by path or slug: `_posts/2010-07-21-x.md` -> `2010-07-21-x.md`."""
    target = target.strip().strip("\"'").split("#", 1)[0].rstrip("/")
    name = target.rsplit("/", 1)[-1]
    if not re.search(r"\.(?:md|markdown|txt|html?)$", name, re.I):
        name += ".md"
    return name


def _inline_text(value: Any) -> str | None:
    """A front-matter value as one line of literal Markdown text (None if it is not text)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat()
    elif isinstance(value, (str, int, float)):
        text = str(value)
    elif isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        text = ", ".join(str(v) for v in value)
    else:
        return None
    text = " ".join(text.split()).replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~&])", r"\\\1", text)


def _remove_tag(text: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> str:
    """Apply `pattern`; a tag that was alone on its line takes its line with it."""

    def sub(m: re.Match[str]) -> str:
        new = replace(m)
        if m.group("lead") is not None and m.group("trail") is not None:
            return new.strip("\n") + m.group("trail") if new else ""
        return (m.group("lead") or "") + new + (m.group("trail") or "")

    return pattern.sub(sub, text)


def _own_line(core: str) -> re.Pattern[str]:
    """`core` optionally alone on its line: groups lead/trail hold the line ends then."""
    return re.compile(rf"(?:(?P<lead>^)[ \t]*)?{core}(?:[ \t]*(?P<trail>\n|\Z))?", re.M | re.S)


# --- Liquid (Jekyll, Octopress) -------------------------------------------------------------

_L_OPEN, _L_CLOSE = r"\{%-?[ \t]*", r"[ \t]*-?%\}"
_LIQUID_HIGHLIGHT = re.compile(
    rf"^[ \t]*{_L_OPEN}(?:highlight|codeblock)(?:[ \t]+(?P<lang>[\w+#.-]+))?(?P<opts>[^%\n]*?){_L_CLOSE}[ \t]*\n?"
    rf"(?P<code>.*?){_L_OPEN}end(?:highlight|codeblock){_L_CLOSE}[ \t]*$",
    re.M | re.S,
)
_LIQUID_RAW = re.compile(rf"{_L_OPEN}raw{_L_CLOSE}(?P<inner>.*?){_L_OPEN}endraw{_L_CLOSE}", re.S)
_LIQUID_COMMENT = _own_line(rf"{_L_OPEN}comment{_L_CLOSE}.*?{_L_OPEN}endcomment{_L_CLOSE}")
_LIQUID_POST_LINK = re.compile(rf"{_L_OPEN}(?:post_url|link)[ \t]+(?P<target>[^%\s]+)[^%]*?{_L_CLOSE}")
_LIQUID_VARIABLE = re.compile(r"\{\{-?[ \t]*(?P<scope>page|site)\.(?P<key>[\w.-]+)(?P<filters>[^{}\n]*?)-?\}\}")
_LIQUID_TAG = _own_line(r"(?P<tag>\{%[^\n]*?%\})")
_LIQUID_OUTPUT = _own_line(r"(?P<tag>\{\{(?![<%])[^{}\n]*\}\})")
_LIQUID_TAG_TEST = re.compile(r"\{%-?\s*[a-z_]+\b[^\n]*?%\}|\{\{-?\s*(?:page|site)\.")


def _detect_liquid(body: str) -> bool:
    return ("{%" in body or "{{" in body) and _LIQUID_TAG_TEST.search(body) is not None


def _liquid_blocks(work: Body) -> None:
    def highlight(m: re.Match[str]) -> str:
        lang = m.group("lang") or ""
        if lang.lower() in ("linenos", "text", "plain", "plaintext"):
            lang = "text" if lang.lower() != "linenos" else ""
        # Inside a highlight block Jekyll still runs Liquid: {% raw %} only escapes what it holds.
        code = _LIQUID_RAW.sub(lambda r: r.group("inner"), work.restore(m.group("code")))
        return work.protect(_fence(code, lang))

    work.text = _LIQUID_HIGHLIGHT.sub(highlight, work.text)


def _liquid_inline(work: Body) -> None:
    text = _LIQUID_RAW.sub(lambda m: work.protect(work.restore(m.group("inner"))), work.text)
    text = _remove_tag(text, _LIQUID_COMMENT, lambda m: "")
    text = _LIQUID_POST_LINK.sub(lambda m: _post_file(m.group("target")), text)
    page = {str(key).lower(): value for key, value in work.front_matter.items()}

    def variable(m: re.Match[str]) -> str:
        if m.group("scope") == "page":
            value = _inline_text(page.get(m.group("key").split(".", 1)[0].lower()))
            return value or ""
        return ""

    text = _LIQUID_VARIABLE.sub(variable, text)
    left_out: list[str] = []

    def drop(m: re.Match[str]) -> str:
        left_out.append(m.group("tag"))
        return ""

    text = _remove_tag(text, _LIQUID_TAG, drop)
    text = _remove_tag(text, _LIQUID_OUTPUT, drop)
    work.text = text
    _warn_left_out(work, "liquid", left_out)


# --- cards ------------------------------------------------------------------------------------

# The kinds of embedded thing a card stands for; render.py shows `@[kind](address "caption")`
# alone on a line (Zenn's syntax) as a card with a plain link, never the embed itself.
CARD_KINDS = frozenset({
    "youtube", "tweet", "twitter", "x", "gist", "card", "embed", "figure", "vimeo", "instagram",
    "speakerdeck", "slideshare", "docswell", "codepen", "codesandbox", "stackblitz", "jsfiddle",
    "github", "figma", "blueprintue",
})


def card(kind: str, address: str, caption: str = "") -> str:
    """Markdown for a card (a block of its own) naming `address`."""
    address = re.sub(r"[\s()<>\\\"]", lambda m: "%{:02X}".format(ord(m.group(0))), address.strip())
    caption = " ".join(caption.split()).replace("\\", "").replace('"', "”")
    title = f' "{caption}"' if caption else ""
    return f"\n\n@[{kind}]({address}{title})\n\n"


# --- Hugo shortcodes --------------------------------------------------------------------------

_SHORTCODE = re.compile(
    r'\{\{(?P<d>[<%])-?[ \t]*(?P<close>/)?[ \t]*(?P<name>[A-Za-z_][\w./-]*)'
    r'(?P<args>(?:"[^"\n]*"|`[^`\n]*`|[^"`\n])*?)[ \t]*(?P<self>/)?-?[ \t]*(?P<e>[>%])\}\}'
)
_ESCAPED_SHORTCODE = re.compile(r"\{\{(?P<d>[<%])/\*(?P<inner>.*?)\*/(?P<e>[>%])\}\}")
_HUGO_HIGHLIGHT = re.compile(
    r'^[ \t]*\{\{[<%][ \t]*highlight(?:[ \t]+"?(?P<lang>[\w+#.-]+)"?)?[^\n]*?[>%]\}\}[ \t]*\n?'
    r'(?P<code>.*?)\{\{[<%][ \t]*/highlight[ \t]*[>%]\}\}[ \t]*$',
    re.M | re.S,
)
_SHORTCODE_ARG = re.compile(r'(?:(?P<key>[\w-]+)=)?(?:"(?P<q>[^"]*)"|`(?P<b>[^`]*)`|(?P<w>\S+))')
_HUGO_TEST = re.compile(r"\{\{[<%]")


def _detect_hugo(body: str) -> bool:
    return _HUGO_TEST.search(body) is not None


def _shortcode_args(args: str) -> tuple[list[str], dict[str, str]]:
    positional: list[str] = []
    named: dict[str, str] = {}
    for m in _SHORTCODE_ARG.finditer(args):
        value = next(v for v in (m.group("q"), m.group("b"), m.group("w")) if v is not None)
        if m.group("key"):
            named[m.group("key").lower()] = value
        else:
            positional.append(value)
    return positional, named


def _hugo_blocks(work: Body) -> None:
    # {{</* x */>}} is how Hugo writes a shortcode it should show as text.
    text = _ESCAPED_SHORTCODE.sub(
        lambda m: work.protect("{{" + m.group("d") + m.group("inner") + m.group("e") + "}}"), work.text
    )

    def highlight(m: re.Match[str]) -> str:
        return work.protect(_fence(work.restore(m.group("code")), m.group("lang") or ""))

    work.text = _HUGO_HIGHLIGHT.sub(highlight, text)


def _hugo_card(name: str, positional: list[str], named: dict[str, str]) -> str | None:
    first = positional[0] if positional else ""
    if name == "youtube":
        video = named.get("id") or first
        return card("youtube", f"https://www.youtube.com/watch?v={video}", named.get("title", "")) if video else None
    if name == "vimeo":
        video = named.get("id") or first
        return card("vimeo", f"https://vimeo.com/{video}") if video else None
    if name in ("tweet", "twitter", "x"):
        user = named.get("user") or (first if len(positional) > 1 else "")
        status = named.get("id") or (positional[-1] if positional else "")
        if not status:
            return None
        return card("tweet", f"https://twitter.com/{user or 'i'}/status/{status}")
    if name == "gist":
        if len(positional) < 2:
            return None
        address = f"https://gist.github.com/{positional[0]}/{positional[1]}"
        return card("gist", address, positional[2] if len(positional) > 2 else "")
    if name == "figure":
        source = named.get("src") or named.get("link") or first
        caption = named.get("caption") or named.get("title") or named.get("alt") or ""
        return card("figure", source, caption) if source else None
    if name == "instagram":
        return card("instagram", f"https://www.instagram.com/p/{first}/") if first else None
    return None


def _hugo_inline(work: Body) -> None:
    left_out: list[str] = []

    def shortcode(m: re.Match[str]) -> str:
        name = m.group("name").lower()
        positional, named = _shortcode_args(m.group("args"))
        if m.group("close"):
            return ""  # the opening one is warned about; what is between them stays
        if name in ("ref", "relref"):
            target = named.get("path") or (positional[0] if positional else "")
            return _post_file(target) if target else ""
        made = _hugo_card(name, positional, named)
        if made is not None:
            return made
        left_out.append(m.group(0))
        return ""

    work.text = _remove_tag(work.text, _own_line(rf"(?P<tag>{_SHORTCODE.pattern})"), shortcode)
    _warn_left_out(work, "hugo", left_out)


# --- kramdown (Jekyll's Markdown) -------------------------------------------------------------

# "* TOC" (any list marker) followed by "{:toc}": the generated table of contents, which render.py
# makes from Hatena's "[:contents]".
_KRAMDOWN_TOC = re.compile(r"^[ \t]*(?:[*+-]|1[.)])[ \t]+[^\n]*\n[ \t]*\{:[ \t]*toc[ \t]*\}[ \t]*$|^[ \t]*\{:[ \t]*toc[ \t]*\}[ \t]*$", re.M)
# Attribute lists ({: #id}, {: .class}, {:.class}, {:ref: ...}) and header ids ({#id}): the site
# uses them for styling only, so they are never shown.
_KRAMDOWN_IAL = _own_line(r"(?P<tag>\{:[^{}\n]*\})")
_KRAMDOWN_HEADER_ID = re.compile(r"^([ \t]{0,3}#{1,6}[ \t][^\n]*?)[ \t]+\{#[\w:.-]+\}[ \t]*$", re.M)
_KRAMDOWN_TEST = re.compile(r"\{:[^{}\n]*\}|\{#[\w:.-]+\}")


def _detect_kramdown(body: str) -> bool:
    return _KRAMDOWN_TEST.search(body) is not None


def _kramdown_inline(work: Body) -> None:
    text = _KRAMDOWN_TOC.sub("[:contents]", work.text)
    text = _KRAMDOWN_HEADER_ID.sub(r"\1", text)
    work.text = _remove_tag(text, _KRAMDOWN_IAL, lambda m: "")


# --- emoji shortcodes (GitHub, Qiita, Jekyll's jemoji) -------------------------------------------

_EMOJI_NAME = re.compile(r":[a-z0-9_+-]*[a-z][a-z0-9_+-]*:|:[+-]1:")


def _detect_emoji(body: str) -> bool:
    if _EMOJI_NAME.search(body) is None:
        return False
    import emoji

    names = {m.group(0) for _, m in zip(range(500), _EMOJI_NAME.finditer(body))}
    return any(emoji.emojize(name, language="alias") != name for name in names)


def _emoji_inline(work: Body) -> None:
    import emoji  # only posts with a :name: pay for the import

    # Only known names change (":30:" in a time stays as it is).
    work.text = emoji.emojize(work.text, language="alias")


# --- the registry -----------------------------------------------------------------------------

DIALECTS: tuple[Dialect, ...] = (
    Dialect("hugo", _detect_hugo, _hugo_inline, _hugo_blocks),
    # After Hugo: "{{% x %}}" holds what looks like a Liquid tag.
    Dialect("liquid", _detect_liquid, _liquid_inline, _liquid_blocks),
    Dialect("kramdown", _detect_kramdown, _kramdown_inline),
    # Zenn, Qiita and Hatena need nothing here: render.py parses their boxes (:::message, :::note,
    # :::details), embeds (@[youtube](id)) and table of contents ([:contents]) itself.
    Dialect("emoji", _detect_emoji, _emoji_inline),
)


# --- plain text (.txt that is not Markdown) ------------------------------------------------

# What only Markdown writes: headings, fences, links, bold, table rows (lists and quotes are
# written in plain texts too).
_MARKDOWN_SIGNS = re.compile(
    r"^#{1,6}[ \t]\S|^ {0,3}(?:```|~~~)|\[[^\]\n]+\]\([^)\n]+\)|\*\*[^*\n]+\*\*|^\|.*\|[ \t]*$", re.M
)
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_SPACE_RUN = re.compile(r"(?:^[ \t]+| {2,}|\t)", re.M)


def looks_like_markdown(text: str) -> bool:
    """Whether a .txt body is written in Markdown: a few of its signs, not one stray one."""
    return len(_MARKDOWN_SIGNS.findall(text[:200_000])) >= 2


def plain_text_markdown(text: str) -> str:
    """A plain text as Markdown that shows it as written: every line its own line (a hard break),
    indentation and runs of spaces kept (no-break spaces, not code blocks), nothing read as
    Markdown (ASCII punctuation escaped). Blank lines still part paragraphs; Aozora-style ruby
    (｜漢字《かんじ》) still works, since its marks are not ASCII."""
    paragraphs = []
    for paragraph in re.split(r"\n[ \t\u3000]*\n", text.strip("\n")):
        lines = [_SPACE_RUN.sub(lambda m: "\u00a0" * len(m.group(0).expandtabs(4)), _ASCII_PUNCTUATION.sub(r"\\\1", line))
                 for line in paragraph.split("\n")]
        paragraphs.append("\\\n".join(line.rstrip() for line in lines))
    return "\n\n".join(p for p in paragraphs if p.strip()) + "\n"
