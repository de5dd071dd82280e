"""Markdown -> safe HTML blocks with furigana on prose text only.

markdown-it-py parses the body once (CommonMark + tables, strikethrough, footnotes, and what the
authors' sites show: boxes, folded details, cards for embeds, a table of contents, GitHub alerts,
TeX kept as written, CJK-friendly emphasis; other generators' syntax is rewritten into these by
dialects.py before the post gets here); the top-level blocks are then annotated and rendered one
at a time, so cost grows linearly with the post and the reader can insert blocks progressively.
Furigana go on text nodes of prose only: never in code, URLs, link targets, math or readings the
author wrote. Nothing in a post can run: HTML the post writes goes through one allow-list
(rawhtml.py) and keeps its structure, its text getting furigana like prose; links keep only http,
https, mailto and in-page targets, and images become placeholders unless remote images are allowed.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Scanned
from markdown_it.token import Token as MdToken
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from app.core.common.messages import Message
from app.core.posts import rawhtml
from app.core.posts.dialects import CARD_KINDS
from app.core.posts.plain_text import BlockSpan, PlainText, html_to_text
from app.core.posts.post import Post, PostError, check_text_size
from app.core.reading import furigana
from app.core.reading.furigana_mode import FuriganaMode

# Author ruby: ｜base《reading》 (explicit base) or kanji《reading》 (the kanji run before 《).
# Without ｜ only a kana reading counts, so a title in 《》 after a kanji (小説《雪国》) stays text.
_AUTHOR_RUBY = re.compile(
    rf"[｜|]([^｜|《》\n]{{1,50}})《([^《》\n]{{1,50}})》|([{furigana.KANJI_CHARS}]{{1,50}})《([\u3041-\u309f\u30a0-\u30ff]{{1,50}})》"
)
# A bare address runs to the next space or Japanese punctuation; it may hold Japanese (an IRI
# such as https://ja.wikipedia.org/wiki/日本), and none of it gets ruby.
_URL_IN_TEXT = re.compile(r"(?:https?|ftp|file|mailto|javascript|data):[^\s<>\"'）」』】、。]+", re.I)
# ---END--- (and similar) marks where a generated post was continued: a section break, never a
# heading underline or a rule glued to the paragraph above.
_NEEDS_ESCAPE = re.compile(r'[&<>"]')
_SECTION_BREAK = re.compile(r"^ {0,3}-{2,}\s*END\s*-{2,}\s*$", re.I)


@dataclass(frozen=True)
class RenderOptions:
    """How to render: which ruby to show and whether remote images may load."""

    mode: FuriganaMode = field(default_factory=FuriganaMode)
    allow_remote_images: bool = False
    collect_tokens: bool = False
    overrides: tuple[furigana.ReadingOverride, ...] = ()  # the reader's own readings
    # Ruby only for the blocks that start inside this span of the plain text (None: every block).
    # A long post's first screen needs a few blocks with readings; the rest can follow.
    ruby_window: tuple[int, int] | None = None


@dataclass(frozen=True)
class RenderedBlock:
    """One top-level block of the post: its HTML (with a trailing newline) and its kind."""

    index: int
    kind: str
    html: str


@dataclass
class RenderedPost:
    """A post turned into HTML blocks, with the plain text annotations point into."""

    blocks: list[RenderedBlock]
    plain: PlainText
    title_html: str
    lang: str
    tokens: list[dict] | None = None

    @property
    def html(self) -> str:
        return "".join(b.html for b in self.blocks)


# --- markdown-it setup ----------------------------------------------------------------------


def _section_break_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    pos = state.bMarks[start] + state.tShift[start]
    line = state.src[pos : state.eMarks[start]]
    if not _SECTION_BREAK.match(line):
        return False
    if silent:
        return True
    state.line = start + 1
    token = state.push("section_break", "hr", 0)
    token.map = [start, state.line]
    token.markup = line.strip()
    return True


# A card for an embedded thing (a video, a post, a gist...), written `@[kind](address "caption")`
# alone on a line (Zenn's syntax; dialects.py writes other generators' embeds this way too). It
# shows the address as a plain link: nothing is embedded or loaded.
_CARD_LINE = re.compile(r' {0,3}@\[([A-Za-z]+)\]\(([^\s()"]*)(?:[ \t]+"([^"\n]*)")?\)[ \t]*')
_CARD_LABELS = {
    "youtube": "YouTube", "tweet": "X (Twitter)", "twitter": "X (Twitter)", "x": "X (Twitter)",
    "gist": "GitHub Gist", "card": "Link", "embed": "Link", "figure": "Figure", "vimeo": "Vimeo",
    "instagram": "Instagram", "speakerdeck": "Speaker Deck", "slideshare": "SlideShare",
    "docswell": "Docswell", "codepen": "CodePen", "codesandbox": "CodeSandbox",
    "stackblitz": "StackBlitz", "jsfiddle": "JSFiddle", "github": "GitHub", "figma": "Figma",
    "blueprintue": "blueprintUE",
}


def _card_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if state.src[pos : pos + 2] != "@[":
        return False
    match = _CARD_LINE.fullmatch(state.src[pos : state.eMarks[start]])
    if match is None or match.group(1).lower() not in CARD_KINDS:
        return False
    if silent:
        return True
    state.line = start + 1
    token = state.push("kk_card", "div", 0)
    token.map = [start, state.line]
    kind, address = match.group(1).lower(), match.group(2)
    if kind == "youtube" and re.fullmatch(r"[\w-]{6,20}", address):
        address = f"https://www.youtube.com/watch?v={address}"  # Zenn gives the video's id
    token.meta = {"kind": kind, "address": address, "caption": match.group(3) or ""}
    return True


def _render_card(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    kind, address, caption = token.meta["kind"], token.meta["address"], token.meta["caption"]
    safe = rawhtml.safe_href(address)
    if safe is not None and not safe.startswith("#"):
        where = f'<a href="{escapeHtml(safe)}" rel="noopener noreferrer nofollow">{escapeHtml(address)}</a>'
    else:
        where = f'<span class="kk-embed-address">{escapeHtml(address)}</span>'
    caption_html = f' <span class="kk-embed-caption">{escapeHtml(caption)}</span>' if caption else ""
    label = escapeHtml(_CARD_LABELS.get(kind, kind))
    return (
        f'<div class="kk-embed kk-embed-{escapeHtml(kind)}"{_block_attr(token)}>'
        f'<span class="kk-embed-kind">{label}</span>{caption_html} {where}</div>\n'
    )


# Boxes: Zenn's :::message [alert] and :::details title, Qiita's :::note [info|warn|alert].
_BOX_VARIANTS = {"message": "message", "info": "info", "warn": "warn", "warning": "warn", "alert": "alert"}


def _box_validator(name: str):
    def validate(params: str, *args) -> bool:
        return params.strip().split(maxsplit=1)[:1] == [name]

    return validate


def _box_variant(token: MdToken) -> str:
    words = token.info.strip().split()
    if words[:1] == ["message"]:
        return "alert" if words[1:2] == ["alert"] else "message"
    return _BOX_VARIANTS.get(words[1], "info") if len(words) > 1 else "info"


def _render_box(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.nesting == -1:
        return "</div>\n"
    return f'<div class="kk-box kk-box-{_box_variant(token)}"{_block_attr(token)}>\n'


def _render_details(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return f"<details class=\"kk-details\"{_block_attr(token)}>\n" if token.nesting == 1 else "</details>\n"


def _render_summary(self, tokens, idx, options, env) -> str:
    return "<summary>" if tokens[idx].nesting == 1 else "</summary>\n"


def _details_summary_rule(state) -> None:
    """Give each :::details its title as a <summary> (an inline token, so it gets furigana)."""
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "container_details_open":
            title = token.info.strip().partition(" ")[2].strip() or "Details"
            opener = MdToken("kk_summary_open", "summary", 1, block=True, level=token.level + 1)
            inline = MdToken("inline", "", 0, content=title, block=True, level=token.level + 2, children=[])
            inline.map = token.map
            closer = MdToken("kk_summary_close", "summary", -1, block=True, level=token.level + 1)
            tokens[i + 1 : i + 1] = [opener, inline, closer]
            i += 3
        i += 1


# Hatena's [:contents] (kramdown's "* TOC {:toc}" is turned into it by dialects.py): a table of
# contents of the post's headings, linking to their ids.
_TOC_LINE = re.compile(r" {0,3}\[:contents\][ \t]*")


def _toc_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if state.src[pos : pos + 2] != "[:" or not _TOC_LINE.fullmatch(state.src[pos : state.eMarks[start]]):
        return False
    if silent:
        return True
    state.line = start + 1
    token = state.push("kk_toc", "nav", 0)
    token.map = [start, state.line]
    return True


def _toc_entries_rule(state) -> None:
    """Fill each table of contents with the headings (level, id, text), once their ids are set."""
    tocs = [t for t in state.tokens if t.type == "kk_toc"]
    if not tocs:
        return
    entries = []
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and i + 1 < len(tokens):
            slug = token.attrGet("id")
            text = "".join(
                child.content for child in tokens[i + 1].children or [] if child.type in ("text", "code_inline")
            )
            if slug and text.strip():
                entries.append((int(token.tag[1]), str(slug), text.strip()))
    for toc in tocs:
        toc.meta = dict(toc.meta or {}, entries=entries)


def _render_toc(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    entries = (token.meta or {}).get("entries") or []
    if not entries:
        return ""
    top = min(level for level, _slug, _text in entries)
    items = "".join(
        f'<li class="kk-toc-{level - top + 1}"><a href="#{escapeHtml(slug)}">{escapeHtml(text)}</a></li>\n'
        for level, slug, text in entries
    )
    return f'<nav class="kk-toc"{_block_attr(token)}>\n<ul>\n{items}</ul>\n</nav>\n'


# GitHub's alerts: a blockquote whose first line is [!NOTE], [!TIP], [!IMPORTANT], [!WARNING] or
# [!CAUTION] is a box titled with that word.
_ALERT_MARKER = re.compile(r"\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|$)", re.I)


def _alert_rule(state) -> None:
    tokens = state.tokens
    i = 0
    while i < len(tokens) - 2:
        token = tokens[i]
        if token.type == "blockquote_open" and tokens[i + 1].type == "paragraph_open" and tokens[i + 2].type == "inline":
            marker = _ALERT_MARKER.match(tokens[i + 2].content)
            if marker is not None:
                depth, j = 0, i
                for j in range(i, len(tokens)):
                    if tokens[j].type == "blockquote_open":
                        depth += 1
                    elif tokens[j].type == "blockquote_close":
                        depth -= 1
                        if depth == 0:
                            break
                kind = marker.group(1).lower()
                token.type, tokens[j].type = "kk_alert_open", "kk_alert_close"
                token.meta = dict(token.meta or {}, kind=kind)
                rest = tokens[i + 2].content[marker.end() :]
                if rest.strip():
                    tokens[i + 2].content = rest
                else:
                    del tokens[i + 1 : i + 4]  # the marker was the whole paragraph
                title = MdToken("kk_alert_title", "p", 0, block=True, level=token.level + 1, meta={"kind": kind})
                tokens.insert(i + 1, title)
        i += 1


def _render_alert(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.type == "kk_alert_close":
        return "</div>\n"
    if token.type == "kk_alert_title":
        return f'<p class="kk-box-title">{token.meta["kind"].title()}</p>\n'
    return f'<div class="kk-box kk-alert kk-alert-{token.meta["kind"]}"{_block_attr(token)}>\n'


# Math ($...$, $$...$$) is shown as the author wrote it (TeX, backslashes and all), set apart and
# without furigana: nothing typesets it.
def _render_math_inline(self, tokens, idx, options, env) -> str:
    return f'<span class="kk-math">{escapeHtml(tokens[idx].content)}</span>'


def _render_math_block(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return f'<div class="kk-math kk-math-block"{_block_attr(token)}>{escapeHtml(token.content.strip())}</div>\n'


# CommonMark leaves **「重要」**と and **本当？**と open: a run after punctuation closes only
# before a space or punctuation. Japanese has no spaces, so (as the CJK-friendly rule of the
# authors' sites does) a CJK character next to the run counts as such a boundary.
_CJK_CHAR = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)


class _CjkStateInline(StateInline):
    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        scanned = super().scanDelims(start, canSplitWord)
        last = self.src[start - 1] if start > 0 else " "
        pos = start + scanned.length
        following = self.src[pos] if pos < self.posMax else " "
        last_cjk, next_cjk = _CJK_CHAR.match(last) is not None, _CJK_CHAR.match(following) is not None
        if not (last_cjk or next_cjk):
            return scanned
        last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
        next_punct = isMdAsciiPunct(ord(following)) or isPunctChar(following)
        last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
        left = not next_space and (not next_punct or last_space or last_punct or last_cjk)
        right = not last_space and (not last_punct or next_space or next_punct or next_cjk)
        can_open = left and (canSplitWord or not right or last_punct)
        can_close = right and (canSplitWord or not left or next_punct)
        return Scanned(can_open, can_close, scanned.length)


def _parse_inline_cjk(parser, src: str, md: MarkdownIt, env, tokens: list[MdToken]) -> list[MdToken]:
    """ParserInline.parse with the CJK-friendly emphasis rule."""
    state = _CjkStateInline(src, md, env, tokens)
    parser.tokenize(state)
    for rule in parser.ruler2.getRules(""):
        rule(state)
    return state.tokens


@functools.cache
def markdown() -> MarkdownIt:
    """The one configured parser (CommonMark + tables, strikethrough, footnotes, heading ids)."""
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, permalink=False)
    md.inline.parse = functools.partial(_parse_inline_cjk, md.inline)
    md.block.ruler.before("hr", "section_break", _section_break_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.before("paragraph", "kk_card", _card_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.before("paragraph", "kk_toc", _toc_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.use(container_plugin, "message", validate=_box_validator("message"), render=_render_box)
    md.use(container_plugin, "note", validate=_box_validator("note"), render=_render_box)
    md.use(container_plugin, "details", validate=_box_validator("details"), render=_render_details)
    md.core.ruler.before("inline", "kk_details_summary", _details_summary_rule)
    md.core.ruler.push("kk_toc_entries", _toc_entries_rule)
    md.core.ruler.push("kk_raw_html", _raw_html_rule)
    md.core.ruler.before("inline", "kk_alerts", _alert_rule)
    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False, allow_blank_lines=False)
    # Every link and image is parsed so the renderer below decides what is safe; markdown-it's
    # own check would leave a rejected link as literal brackets instead.
    md.validateLink = lambda url: True
    rules = md.add_render_rule
    rules("text", _render_text)
    rules("html_inline", _render_html_inline)
    rules("kk_html_open", _render_raw_html)
    rules("kk_html", _render_raw_html)
    rules("kk_html_close", _render_raw_html)
    rules("link_open", _render_link_open)
    rules("link_close", _render_link_close)
    rules("image", _render_image)
    rules("fence", _render_code)
    rules("code_block", _render_code)
    rules("section_break", _render_section_break)
    rules("kk_card", _render_card)
    rules("kk_toc", _render_toc)
    for name in ("kk_alert_open", "kk_alert_close", "kk_alert_title"):
        rules(name, _render_alert)
    rules("math_inline", _render_math_inline)
    rules("math_inline_double", _render_math_inline)
    rules("math_block", _render_math_block)
    rules("kk_summary_open", _render_summary)
    rules("kk_summary_close", _render_summary)
    rules("footnote_block_open", _render_footnote_block_open)
    return md


def _block_attr(token: MdToken) -> str:
    index = token.meta.get("kk_block") if token.meta else None
    return f' data-kb="{index}"' if index is not None else ""  # the index is filled in once known


def _render_text(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    prepared = token.meta.get("kk_html") if token.meta else None
    return prepared if prepared is not None else escapeHtml(token.content)


def _render_html_inline(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    prepared = token.meta.get("kk_html") if token.meta else None
    return prepared if prepared is not None else escapeHtml(token.content)


def _raw_html_rule(state) -> None:
    """Each raw HTML block becomes its allowed structure with its text as inline tokens
    (rawhtml.block_tokens), wrapped in a kk-raw box; a block with nothing to show goes."""
    if not any(token.type == "html_block" for token in state.tokens):
        return
    remote = bool(state.env.get("kk_allow_remote_images"))
    out: list[MdToken] = []
    for token in state.tokens:
        if token.type != "html_block":
            out.append(token)
            continue
        inner = rawhtml.block_tokens(token.content, allow_remote_images=remote, level=token.level)
        if not inner:
            continue
        opener = MdToken("kk_html_open", "div", 1, map=token.map, level=token.level, block=True)
        closer = MdToken("kk_html_close", "div", -1, level=token.level, block=True)
        out.extend([opener, *inner, closer])
    state.tokens = out


def _render_raw_html(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.type == "kk_html_open":
        return f'<div class="kk-raw"{_block_attr(token)}>'
    if token.type == "kk_html_close":
        return "</div>\n"
    return token.meta["kk_html"]


def _render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    title = token.attrGet("title")
    html, closer = rawhtml.link_open(str(token.attrGet("href") or ""), str(title) if title else None)
    env.setdefault("kk_links", []).append(closer)
    return html


def _render_link_close(self, tokens, idx, options, env) -> str:
    stack = env.get("kk_links") or ["a"]
    return f"</{stack.pop()}>"


def _render_image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return rawhtml.image_html(str(token.attrGet("src") or ""), alt, bool(env.get("kk_allow_remote_images")))


def _render_code(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    lang = (token.info or "").strip().split(maxsplit=1)[0] if token.info else ""
    lang_attr = f' class="language-{escapeHtml(lang)}"' if lang else ""
    return f"<pre{_block_attr(token)}><code{lang_attr}>{escapeHtml(token.content)}</code></pre>\n"


def _render_section_break(self, tokens, idx, options, env) -> str:
    return f'<hr class="kk-section-break"{_block_attr(tokens[idx])}>\n'


def _render_footnote_block_open(self, tokens, idx, options, env) -> str:
    return f'<section class="footnotes"{_block_attr(tokens[idx])}>\n<ol class="footnotes-list">\n'


# --- furigana on prose ----------------------------------------------------------------------


@dataclass
class _Segment:
    kind: str  # "text" (gets furigana), "author" (author ruby), "raw" (a URL: shown as is)
    text: str
    reading: str = ""
    start: int = 0  # offset of `text` in the inline's analysed string


class _InlineAnalysis:
    """The prose of one inline token, tokenized as one string so MeCab sees words whole."""

    def __init__(self, children: list[MdToken], *, allow_remote_images: bool = False):
        self.text_children: list[tuple[MdToken, list[_Segment]]] = []
        parts: list[str] = []
        length = 0
        in_autolink = False
        tags = _InlineTags(allow_remote_images)
        hidden: list[MdToken] = []  # text inside <script> and the like, which a browser never shows
        for child in children:
            kind = child.type
            if kind == "html_inline":
                if child.meta and child.meta.get("kk_safe"):
                    tags.ruby_depth += child.meta["kk_ruby"]  # raw HTML's own, already clean
                else:
                    tags.prepare(child)
            elif kind == "link_open":
                in_autolink = child.info == "auto"
                tags.links += 1
            elif kind == "link_close":
                in_autolink = False
                tags.links -= 1
            elif kind == "text":
                if tags.hidden:
                    child.meta = dict(child.meta or {}, kk_html="")
                    hidden.append(child)
                    continue
                if tags.ruby_depth or in_autolink:
                    continue  # inside author <ruby> or a bare URL: shown exactly as written
                segments = _split_segments(child.content)
                for seg in segments:
                    seg.start = length
                    parts.append(seg.text)
                    length += len(seg.text)
                self.text_children.append((child, segments))
        # A <script> the post never closed hides nothing: a browser would hide the rest of the
        # page, but the reader would lose the text without a trace.
        if tags.hidden:
            for child in hidden:
                del child.meta["kk_html"]
        # A ruby the post never closed would turn the rest of the paragraph into a hidden
        # reading: show those tags as the text they are. Other tags are closed at the end, so
        # the browser and plain_text see the same tree.
        still_open = []
        for name, opener, closer in tags.open_tags:
            if name in ("ruby", "rt", "rp", "rb"):
                opener.meta["kk_html"] = escapeHtml(opener.content)
            else:
                still_open.append(closer)
        if still_open:
            closing = "".join(f"</{t}>" for t in reversed(still_open))
            last = children[-1]
            last.meta = dict(last.meta or {})
            if last.type in ("text", "html_inline"):
                base = last.meta.get("kk_html", escapeHtml(last.content))
                last.meta["kk_html"] = base + closing
            else:
                children.append(MdToken("html_inline", "", 0, content="", meta={"kk_html": closing}))
        self.text = "".join(parts)
        self.tokens: list[furigana.TokenEntry] | None = None
        self.annotated = False

    @property
    def needs_tokens(self) -> bool:
        return bool(furigana.KANJI_RE.search(self.text))

    def annotate(
        self,
        spans: list[furigana.RubySpan],
        mode: FuriganaMode,
        tokens: list[furigana.TokenEntry] | None = None,
        *,
        mark: bool = False,
        overrides: tuple[furigana.ReadingOverride, ...] = (),
    ) -> None:
        """Turn this inline's text children into HTML with the ruby the mode lets through."""
        self.tokens = tokens
        if overrides and mode.enabled:
            spans = furigana.apply_overrides(self.text, spans, overrides)
            # A reader's own reading is text like any other: markup in it is shown, never run.
            spans = [s._replace(reading=escapeHtml(s.reading)) if _NEEDS_ESCAPE.search(s.reading) else s for s in spans]
        if mode.kind != "all" or mode.known_words:
            known = mode.known_words
            spans = [
                s for s in spans
                if mode.shows(self.text[s.start : s.end], furigana.clean_lemma(s.lemma) if known else None)
            ]
        if len(spans) > 1:
            starts = {seg.start for _child, segments in self.text_children for seg in segments}
            spans = _word_groups(spans, starts, self.text)
        self.annotated = True
        text = self.text
        # Most prose has nothing to escape: its pieces then go in as they are (the hot loop of a
        # render, one turn per reading).
        plain = _NEEDS_ESCAPE.search(text) is None
        span_iter = iter(spans)
        pending = next(span_iter, None)
        for child, segments in self.text_children:
            out: list[str] = []
            append = out.append
            for seg in segments:
                if mark:
                    append(_SEGMENT_MARK)
                if seg.kind == "author":
                    append(f"<ruby>{escapeHtml(seg.text)}<rt>{escapeHtml(seg.reading)}</rt></ruby>")
                    continue
                if seg.kind == "raw":
                    append(escapeHtml(seg.text))
                    continue
                seg_end = seg.start + len(seg.text)
                cursor = seg.start
                while pending is not None:
                    start, end, reading, _lemma = pending
                    if start >= seg_end:
                        break
                    if start >= cursor and end <= seg_end:
                        if plain:
                            append(text[cursor:start])
                            append(f"<ruby>{text[start:end]}<rt>{reading}</rt></ruby>")
                        else:
                            append(escapeHtml(text[cursor:start]))
                            append(f"<ruby>{escapeHtml(text[start:end])}<rt>{reading}</rt></ruby>")
                        cursor = end
                    elif end > seg_end:
                        break  # crosses into the next segment (or an author ruby): no ruby
                    pending = next(span_iter, None)
                append(text[cursor:seg_end] if plain else escapeHtml(text[cursor:seg_end]))
            child.meta = dict(child.meta or {})
            child.meta["kk_html"] = "".join(out)


_KANJI_WORD = re.compile(f"[{furigana.KANJI_CHARS}]+")


def _word_groups(spans: list[furigana.RubySpan], segment_starts: set[int], text: str) -> list[furigana.RubySpan]:
    """Readings of kanji that touch merged into one ruby where one of them is wider than its kanji
    (兆|円 -> 兆円 ちょうえん, 編集|部 -> 編集部): a reading wider than its base would push the
    word's kanji apart. Only words written all in kanji join (a verb's stem, 働 of 働く, does
    not); readings that fit stay one per word; nothing merges across markup."""
    out: list[furigana.RubySpan] = []
    i, n = 0, len(spans)

    def whole(span: furigana.RubySpan) -> bool:
        # A word of its own, or a run of a compound the dictionary stage joined written all in
        # kanji (編集|部: both runs are named 編集部, see furigana.joined_words).
        lemma = furigana.clean_lemma(span.lemma)
        if lemma == text[span.start : span.end]:
            return True
        return (lemma is not None and len(lemma) > span.end - span.start and _KANJI_WORD.fullmatch(lemma) is not None
                and text.find(lemma, max(0, span.end - len(lemma)), span.start + len(lemma)) >= 0)

    while i < n:
        j = i
        while (j + 1 < n and spans[j + 1].start == spans[j].end and spans[j].end not in segment_starts
               and whole(spans[j]) and whole(spans[j + 1])):
            j += 1
        group = spans[i : j + 1]
        if j > i and any(len(s.reading) > 2 * (s.end - s.start) for s in group):
            out.append(group[0]._replace(end=group[-1].end, reading="".join(s.reading for s in group)))
        else:
            out.extend(group)
        i = j + 1
    return out


class _InlineTags:
    """The HTML tags of one inline token, checked against the allow-list (rawhtml.py) in order:
    allowed tags rebuilt, others dropped or hidden, and the tags still open tracked so every tag
    is closed in the right order (the browser and plain_text then see the same tree)."""

    def __init__(self, allow_remote_images: bool):
        self.allow_remote_images = allow_remote_images
        self.open_tags: list[tuple[str, MdToken, str]] = []  # (name, the token opening it, the element that closes it)
        self.open_counts: dict[str, int] = {}  # how many of each name are in open_tags (linear time for deep nesting)
        self.ruby_depth = 0
        self.links = 0  # Markdown links open around here: no link inside a link
        self.hidden = 0
        self.hidden_name = ""

    def prepare(self, token: MdToken) -> None:
        """Set the HTML `token` (one tag as written) stands for in the page."""
        token.meta = dict(token.meta or {})
        parsed = rawhtml.inline_tag(token.content)
        if parsed is None:  # a comment, CDATA, a declaration: never shown by a browser
            token.meta["kk_html"] = ""
            return
        closing, name, attrs = parsed
        kind = rawhtml.classify(name)
        if self.hidden:
            if closing and name == self.hidden_name:
                self.hidden -= 1
            elif not closing and name == self.hidden_name:
                self.hidden += 1
            token.meta["kk_html"] = ""
            return
        if kind == "text":  # not HTML (List<T>): the text as written
            token.meta["kk_html"] = escapeHtml(token.content)
            return
        if kind == "hidden":
            if not closing and not token.content.rstrip().endswith("/>"):
                self.hidden, self.hidden_name = 1, name
            token.meta["kk_html"] = ""
            return
        if kind != "inline":  # a block or another element inside a line: the tag goes, its text stays
            token.meta["kk_html"] = ""
            return
        name = rawhtml.RENAMES.get(name, name)
        if name in rawhtml.VOID_TAGS:
            html, _closer = rawhtml.start_tag(name, attrs, allow_remote_images=self.allow_remote_images)
            token.meta["kk_html"] = "" if closing else html
            return
        in_ruby = self.open_counts.get("ruby", 0) > 0
        if not closing:
            # rt/rp/rb only inside ruby, and no ruby inside ruby, no link inside a link: the tree
            # stays what we expect.
            if (name in ("rt", "rp", "rb") and not in_ruby) or (name == "ruby" and in_ruby) or (
                name in ("rt", "rp", "rb") and self.open_tags and self.open_tags[-1][0] in ("rt", "rp", "rb")
            ) or (name == "a" and (self.links or self.open_counts.get("a"))):
                token.meta["kk_html"] = ""
                return
            html, closer = rawhtml.start_tag(name, attrs, allow_remote_images=self.allow_remote_images)
            self.open_tags.append((name, token, closer))
            self.open_counts[name] = self.open_counts.get(name, 0) + 1
            token.meta["kk_html"] = html
            self.ruby_depth += name == "ruby"
            return
        if not self.open_counts.get(name):
            token.meta["kk_html"] = ""
            return
        closed = []
        while self.open_tags:
            tag, _opener, closer = self.open_tags.pop()
            self.open_counts[tag] -= 1
            closed.append(f"</{closer}>")
            if tag == "ruby":
                self.ruby_depth -= 1
            if tag == name:
                break
        token.meta["kk_html"] = "".join(closed)


def _split_segments(content: str) -> list[_Segment]:
    if "《" not in content and ":" not in content:
        return [_Segment("text", content)]
    found: list[tuple[int, int, _Segment]] = []
    if "《" in content:
        for m in _AUTHOR_RUBY.finditer(content):
            base, reading = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(3), m.group(4))
            found.append((m.start(), m.end(), _Segment("author", base, reading)))
    if ":" in content:
        for m in _URL_IN_TEXT.finditer(content):
            if not any(s < m.end() and m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), _Segment("raw", m.group(0))))
    if not found:
        return [_Segment("text", content)]
    found.sort(key=lambda f: f[0])
    segments: list[_Segment] = []
    cursor = 0
    for s, e, seg in found:
        if s > cursor:
            segments.append(_Segment("text", content[cursor:s]))
        segments.append(seg)
        cursor = e
    if cursor < len(content):
        segments.append(_Segment("text", content[cursor:]))
    return segments


# --- the pipeline ---------------------------------------------------------------------------


def _top_level_blocks(tokens: list[MdToken]) -> list[list[MdToken]]:
    blocks: list[list[MdToken]] = []
    current: list[MdToken] = []
    depth = 0
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth <= 0:
            blocks.append(current)
            current, depth = [], 0
    if current:
        blocks.append(current)
    return blocks


_BLOCK_KINDS = {
    "paragraph_open": "paragraph", "heading_open": "heading", "bullet_list_open": "list",
    "ordered_list_open": "list", "blockquote_open": "blockquote", "fence": "code",
    "code_block": "code", "table_open": "table", "hr": "rule", "html_block": "html", "kk_html_open": "html",
    "section_break": "section_break", "footnote_block_open": "footnotes", "kk_card": "embed",
    "kk_toc": "toc", "container_message_open": "box", "container_note_open": "box",
    "container_details_open": "details",
    "kk_alert_open": "box", "math_block": "math",
}


# In token-collecting renders each analysed text segment is preceded by this private-use mark,
# so its place in the plain text is read off the rendered text instead of searched for (a word
# can also occur in a code span before it). Posts containing the mark fall back to searching.
_SEGMENT_MARK = "\ue000"
_BLOCK_INDEX = "\ue001kk-block\ue001"


def render_markdown(body: str, options: RenderOptions | None = None) -> RenderedPost:
    """Render a Markdown body to HTML blocks plus its plain text (and tokens if asked)."""
    options = options or RenderOptions()
    blocks: list[RenderedBlock] = []
    block_spans: list[BlockSpan] = []
    all_tokens: list[dict] | None = [] if options.collect_tokens else None
    parts: list[str] = []
    offset = 0
    for block, text, entries in _render_blocks(body, options, options.collect_tokens):
        blocks.append(block)
        block_spans.append(BlockSpan(block.index, offset, offset + len(text), block.kind))
        parts.append(text)
        offset += len(text)
        if all_tokens is not None:
            all_tokens.extend(token_json(entry) for entry in entries)
    plain = PlainText("".join(parts), tuple(block_spans))
    return RenderedPost(blocks, plain, "", "ja" if _has_japanese(body) else "en", all_tokens)


def token_json(entry: furigana.TokenEntry) -> dict:
    """The entry as `Token.to_json` gives a token (offsets into the post's plain text)."""
    return {
        "surface": entry.surface, "reading": entry.reading, "start": entry.start, "end": entry.end,
        "lemma": entry.lemma, "pos": entry.pos, "alternatives": list(entry.alternatives),
    }


def _render_blocks(
    body: str,
    options: RenderOptions,
    collect: bool,
    *,
    ruby: bool = True,
    lines: tuple[int, int | None] = (0, None),
) -> Iterator[tuple[RenderedBlock, str, list[furigana.TokenEntry] | None]]:
    """The rendered blocks one at a time, each with its plain text and, when `collect`, its words
    with offsets into the post's plain text (None otherwise).

    ruby=False leaves the ruby out of a collecting render's HTML: readings are escaped, so they never change the text.
    `lines` = (first, stop) yields only the blocks from the first one starting at or after source
    line `first` up to the first one starting at or after line `stop` (a block with no line of its
    own, such as the footnotes, goes with the one before): the blocks before are still rendered,
    for the offsets (without their words, unless ruby can change the text). Two calls with (0, n)
    and (n, None) share out a post.
    """
    md = markdown()
    env: dict = {"kk_allow_remote_images": options.allow_remote_images}
    tokens = md.parse(body, env)
    mode = options.mode
    marked = collect and _SEGMENT_MARK not in body
    first_line, stop_line = lines
    started = first_line <= 0
    index = 0
    offset = 0
    for block_tokens in _top_level_blocks(tokens):
        first = block_tokens[0]
        if first.map is not None:
            if stop_line is not None and first.map[0] >= stop_line:
                return
            started = started or first.map[0] >= first_line
        first.meta = dict(first.meta or {})
        first.meta["kk_block"] = _BLOCK_INDEX
        if first.tag and (first.nesting == 1 or first.type == "hr"):
            first.attrSet("data-kb", _BLOCK_INDEX)
        analyses = [
            _InlineAnalysis(t.children, allow_remote_images=options.allow_remote_images)
            for t in block_tokens if t.type == "inline" and t.children
        ]
        window = options.ruby_window
        with_ruby = mode.enabled and (window is None or window[0] <= offset < window[1])
        collecting = collect and (started or ruby)
        for analysis in analyses:
            if collecting:
                found = furigana.token_entries(analysis.text) if analysis.text.strip() else []
                spans = furigana.entry_ruby_spans(found) if with_ruby and ruby else []
                analysis.annotate(spans, mode, found, mark=marked, overrides=options.overrides if ruby else ())
            elif with_ruby and started and analysis.needs_tokens:
                analysis.annotate(furigana.ruby_many([analysis.text])[0], mode, overrides=options.overrides)
            else:
                analysis.annotate([], mode)
        block_html = md.renderer.render(block_tokens, md.options, env)
        if not block_html:
            continue  # e.g. raw HTML that was all script: no block, and no index used up
        text = html_to_text(block_html)
        entries = None
        if collecting:
            text, block_html, segment_starts = _take_marks(text, block_html) if marked else (text, block_html, None)
            entries = _tokens_in_plain_text(analyses, text, offset, segment_starts) if started else None
        if started:
            block_html = block_html.replace(_BLOCK_INDEX, str(index), 1)
            kind = _BLOCK_KINDS.get(first.type, first.type)
            yield RenderedBlock(index, kind, block_html), text, entries
        index += 1
        offset += len(text)


def _take_marks(text: str, block_html: str) -> tuple[str, str, list[int]]:
    """Remove the segment marks; return the clean text and HTML and where each segment starts."""
    starts = []
    pieces = text.split(_SEGMENT_MARK)
    position = len(pieces[0])
    for piece in pieces[1:]:
        starts.append(position)
        position += len(piece)
    return "".join(pieces), block_html.replace(_SEGMENT_MARK, ""), starts


def _tokens_in_plain_text(
    analyses: list[_InlineAnalysis], block_text: str, block_offset: int, segment_starts: list[int] | None
) -> list[furigana.TokenEntry]:
    """Place each analysed token in the block's plain text, segment by segment.

    A segment found in the text maps every offset from its start to its end onto the text; where
    two segments touch, the earlier one's mapping wins. A token is kept when both its ends map and
    the text between them is its surface.
    """
    out: list[furigana.TokenEntry] = []
    cursor = 0
    k = 0
    entry_type = furigana.TokenEntry
    for analysis in analyses:
        starts: list[int] = []  # placed segments, in order: start and end in the analysed text,
        ends: list[int] = []  # and where the start is in the block's text
        places: list[int] = []
        for _child, segments in analysis.text_children:
            for seg in segments:
                if segment_starts is not None:
                    found = segment_starts[k] if k < len(segment_starts) else -1
                    k += 1
                else:
                    found = block_text.find(seg.text, cursor)
                if found < 0 or block_text[found : found + len(seg.text)] != seg.text:
                    continue
                starts.append(seg.start)
                ends.append(seg.start + len(seg.text))
                places.append(found)
                cursor = found + len(seg.text)
        if not starts or not analysis.tokens:
            continue
        # A token inside one segment is that segment's text in the block's text, as found: only
        # a token that spans segments (and what lies between them) needs comparing.
        if len(starts) == 1:  # most paragraphs: one stretch of prose
            lo, hi, shift = starts[0], ends[0], block_offset + places[0] - starts[0]
            for surface, reading, start, end, lemma, pos, choices in analysis.tokens:
                if lo <= start and end <= hi and surface.strip():
                    out.append(entry_type(surface, reading, start + shift, end + shift, lemma, pos, choices))
            continue
        for surface, reading, start, end, lemma, pos, choices in analysis.tokens:
            if not surface.strip():
                continue
            i = bisect.bisect_left(ends, start)
            if i == len(ends) or starts[i] > start:
                continue
            j = bisect.bisect_left(ends, end, i)
            if j == len(ends) or starts[j] > end:
                continue
            a, b = places[i] + start - starts[i], places[j] + end - starts[j]
            if i == j or block_text[a:b] == surface:
                out.append(entry_type(surface, reading, block_offset + a, block_offset + b, lemma, pos, choices))
    return out


_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _has_japanese(text: str) -> bool:
    return _JAPANESE.search(text[:20000]) is not None


def furigana_html(text: str, mode: FuriganaMode) -> str:
    """Escaped HTML of a line of prose (a title, say) with ruby as the mode allows."""
    child = MdToken("text", "", 0, content=text)
    analysis = _InlineAnalysis([child])
    spans = furigana.ruby_many([analysis.text])[0] if mode.enabled and analysis.needs_tokens else []
    analysis.annotate(spans, mode)
    return child.meta["kk_html"]


# The biggest body shown. Rendering costs about 3.7 s per MB of Japanese prose here, and a post
# must be shown (or refused, in one sentence) within seconds, so the work is bounded by what
# drives it: characters (400,000 is over twice the longest real posts we have seen, 150,000, and
# renders in about 4 s), characters counting white space (a flood of spaces or line breaks still
# costs parsing), lines (each is a possible block) and table cells (each cell is analysed alone).
MAX_RENDER_CHARS = 400_000
MAX_TABLE_CELLS = 50_000


def check_length(post: Post) -> None:
    """Raise PostError (one sentence) for a body too big to show in seconds (see above)."""
    body = post.body
    name = post.source_path.name if post.source_path else Message("render.the_post", "The post")
    check_text_size(body, name)  # characters counting white space, lines: as when it was read
    # Spaces and line breaks are cheap next to text (deep indentation is mostly spaces): counted apart.
    length = len(body) - body.count(" ") - body.count("\n") - body.count("\t")
    if length > MAX_RENDER_CHARS:
        raise PostError(Message(
            "render.too_many_characters", "{name} is {count} characters long; Kakikomi shows posts of up to {limit} characters, so split it into parts.",
            name=name, count=f"{length:,}", limit=f"{MAX_RENDER_CHARS:,}",
        ))
    if (cells := body.count("|")) > MAX_TABLE_CELLS:
        raise PostError(Message(
            "render.too_many_table_cells",
            "{name} has {count} table cell borders (|); Kakikomi shows posts of up to {limit}, so split it into parts.",
            name=name, count=f"{cells:,}", limit=f"{MAX_TABLE_CELLS:,}",
        ))


def render_post(post: Post, options: RenderOptions | None = None) -> RenderedPost:
    """Render a loaded post: its body as blocks and its title with furigana. Raises PostError
    (one sentence) for a body over MAX_RENDER_CHARS characters."""
    check_length(post)
    options = options or RenderOptions()
    rendered = render_markdown(post.body, options)
    rendered.title_html = furigana_html(post.title, options.mode)
    if rendered.lang == "en" and _has_japanese(post.title):
        rendered.lang = "ja"
    return rendered


def post_blocks(post: Post, options: RenderOptions | None = None) -> Iterator[RenderedBlock]:
    """The post's body rendered one block at a time, as `render_post(post, options).blocks` holds
    them, for a caller that writes each block out and forgets it.

    The length is checked at once: PostError comes from this call, before any block is made.
    """
    check_length(post)
    return (block for block, _text, _entries in _render_blocks(post.body, options or RenderOptions(), False))


def post_tokens(
    post: Post, options: RenderOptions | None = None, lines: tuple[int, int | None] = (0, None)
) -> Iterator[list[furigana.TokenEntry]]:
    """The post's words block by block, as `render_post(post, RenderOptions(collect_tokens=True,
    ...)).tokens` lists them (see `token_json`), with offsets into the post's plain text.

    `lines` takes a share of the blocks (see `halfway_line`). The length is checked at once:
    PostError comes from this call, before any block is made.
    """
    check_length(post)
    options = options or RenderOptions()
    blocks = _render_blocks(post.body, options, True, ruby=False, lines=lines)
    return (entries or [] for _block, _text, entries in blocks)


def halfway_line(body: str) -> int:
    """The source line halfway through `body` by characters: `post_tokens` with (0, line) and
    (line, None) share the work of a post about evenly."""
    return body.count("\n", 0, len(body) // 2)
