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

# The renderer emits well-formed HTML whose attribute values never hold a raw ">", with no
# comments or scripts, so tags can be stripped by pattern: readings first, then every tag.
_READINGS = re.compile(r"<(rt|rp)\b[^>]*>.*?</\1>", re.S)
_TAG = re.compile(r"<[^>]*>")


def html_to_text(fragment: str) -> str:
    """The text of rendered HTML outside <rt>/<rp>, entities decoded."""
    if "<" not in fragment:
        return html.unescape(fragment)
    return html.unescape(_TAG.sub("", _READINGS.sub("", fragment)))


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
_IDEOGRAPH_RUN = re.compile(r"[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


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
