"""The token: one word of MeCab's analysis with its offsets, reading and part of speech.

Shared by the tokenizer (`furigana`) and the rules that correct its readings (`reading_rules`),
so neither needs the other's module for the type.
"""

from __future__ import annotations

import re

# Kanji and the marks that behave like kanji in a reading: 々 (repeat), 〆, 〇 and the small ヶ
# of 3ヶ月, which is read か/が and has no kana spelling of its own in the reading.
KANJI_CHARS = "\u3005\u3006\u3007\u30f6\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
KANJI_RE = re.compile(f"[{KANJI_CHARS}]")


class Token:
    """One MeCab token with offsets into the analysed text.

    `reading` is hiragana for the whole token after the context rules, or None when the token has
    no reading (digits, Latin, symbols, unknown words). `dictionary_reading` is what UniDic said.
    """

    __slots__ = ("surface", "start", "end", "reading", "dictionary_reading", "alternatives", "pos", "_lemma")

    def __init__(self, surface: str, start: int, end: int, pos: str = "", lemma: str = "", reading: str | None = None):
        self.surface = surface
        self.start = start
        self.end = end
        self.pos = pos  # part of speech, e.g. "名詞-普通名詞-一般"
        self._lemma = lemma
        self.reading = reading
        self.dictionary_reading = reading
        self.alternatives: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Token({self.surface!r}, {self.start}, {self.end}, reading={self.reading!r})"

    @property
    def has_kanji(self) -> bool:
        return KANJI_RE.search(self.surface) is not None

    def _pos_part(self, i: int) -> str:
        parts = self.pos.split("-")
        return parts[i] if len(parts) > i else ""

    @property
    def pos1(self) -> str:
        return self._pos_part(0)

    @property
    def pos2(self) -> str:
        return self._pos_part(1)

    @property
    def pos3(self) -> str:
        return self._pos_part(2)

    @property
    def lemma(self) -> str | None:
        """The dictionary form, without UniDic's gloss ("ドル-dollar" -> "ドル")."""
        return clean_lemma(self._lemma)

    def to_json(self) -> dict:
        return {
            "surface": self.surface,
            "reading": self.reading,
            "start": self.start,
            "end": self.end,
            "lemma": self.lemma,
            "pos": self.pos,
            "alternatives": list(self.alternatives),
        }


def clean_lemma(raw: str | None) -> str | None:
    """A UniDic lemma without its gloss ("ドル-dollar" -> "ドル", "私-代名詞" -> "私")."""
    if not raw or raw == "*":
        return None
    head, sep, _gloss = raw.partition("-")
    return head if sep and head else raw
