"""The one definition of a post's text that annotations point into.

It is the text of the rendered article as the reader's page holds it: every text node in
document order, except those inside <rt> and <rp> (the readings). So it is the same whatever the
furigana mode, and the page's script can compute the same offsets by walking its text nodes.
Blocks map ranges of it back to the rendered top-level blocks.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

from app.core.reading.tokens import KANJI_CHARS

# The renderer emits well-formed HTML whose attribute values never hold a raw ">", with no
# comments or scripts, so tags can be found by pattern. Readings may nest (raw HTML can put an
# <rt> inside an <rt>), so the walk counts how deep inside readings it is.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)?[^>]*>")
_READING_TAGS = frozenset({"rt", "rp"})
# A reading as the renderer writes it: <rt> and text up to </rt>, nothing nested. Removing it
# whole is what the walk below does with it, wherever it stands (its text is dropped and the
# depth is back where it was after it), so a page of ruby needs no walk at all; but for a "<"
# with no ">" before the next one (never in the renderer's HTML), where _TAG would take the
# reading's tag into an earlier one.
_PLAIN_READING = re.compile(r"<(rt|rp)>[^<]*</\1>")
_UNCLOSED_TAG = re.compile(r"<[^>]*<")
_READING_TAG = re.compile(r"</?[rR][tTpP](?![A-Za-z0-9])")  # as _TAG finds the name, any case


def html_to_text(fragment: str) -> str:
    """The text of rendered HTML outside <rt>/<rp>, entities decoded."""
    if "<" not in fragment:
        return html.unescape(fragment)
    if "<rt" not in fragment and "<rp" not in fragment:
        return html.unescape(_TAG.sub("", fragment))
    if _UNCLOSED_TAG.search(fragment) is None:
        fragment = _PLAIN_READING.sub("", fragment)
        if _READING_TAG.search(fragment) is None:
            return html.unescape(_TAG.sub("", fragment))
    out: list[str] = []
    depth = 0
    cursor = 0
    for m in _TAG.finditer(fragment):
        if depth == 0:
            out.append(fragment[cursor : m.start()])
        cursor = m.end()
        name = (m.group(2) or "").lower()
        if name in _READING_TAGS:
            depth = max(0, depth - 1) if m.group(1) else depth + 1
    if depth == 0:
        out.append(fragment[cursor:])
    return html.unescape("".join(out))


@dataclass(frozen=True)
class BlockSpan:
    """Block `index` of the rendered post covers text[start:end]."""

    index: int
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class PlainText:
    """A post's plain text and the rendered block each range of it belongs to."""

    text: str
    blocks: tuple[BlockSpan, ...]

    def block_at(self, offset: int) -> BlockSpan | None:
        """The block holding the character at `offset` (None outside the text)."""
        starts = [b.start for b in self.blocks]
        i = bisect.bisect_right(starts, offset) - 1
        if 0 <= i < len(self.blocks) and self.blocks[i].start <= offset < self.blocks[i].end:
            return self.blocks[i]
        return None

    def blocks_between(self, start: int, end: int) -> list[BlockSpan]:
        """The blocks a span [start, end) touches, in order."""
        return [b for b in self.blocks if b.start < end and start < b.end]


_RUBY = re.compile(r"<ruby\b[^>]*>(.*?)</ruby>", re.S)
_RT = re.compile(r"<rt\b[^>]*>(.*?)</rt>", re.S)
_RP = re.compile(r"<rp\b[^>]*>.*?</rp>", re.S)
# The same characters the renderer's own 漢字《よみ》 syntax takes as a base (kanji, 々, 〆, 〇, ヶ).
_IDEOGRAPH_RUN = re.compile(f"[{KANJI_CHARS}]+")


def html_to_aozora(fragment: str) -> str:
    """The plain text of rendered HTML with each reading written after its base, Aozora style.

    Base《reading》 when the base is a kanji run that begins right there (so a reader of the
    notation finds the base unambiguously); ｜base《reading》 otherwise, e.g. after another kanji
    or when the base holds kana or other characters.
    """
    out: list[str] = []
    cursor = 0
    for m in _RUBY.finditer(fragment):
        out.append(html_to_text(fragment[cursor : m.start()]))
        inner = _RP.sub("", m.group(1))
        reading = html.unescape(_TAG.sub("", "".join(_RT.findall(inner))))
        base = html_to_text(_RT.sub("", inner))
        previous = out[-1][-1:] if out and out[-1] else ""
        plain_base = _IDEOGRAPH_RUN.fullmatch(base) is not None
        follows_kanji = bool(previous) and _IDEOGRAPH_RUN.fullmatch(previous) is not None
        bar = "" if plain_base and not follows_kanji else "｜"
        out.append(f"{bar}{base}《{reading}》" if reading else base)
        cursor = m.end()
    out.append(html_to_text(fragment[cursor:]))
    return "".join(out)
