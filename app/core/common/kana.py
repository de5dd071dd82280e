"""Small kana helpers shared by the furigana and search code."""

from __future__ import annotations

# Katakana ァ..ヶ sit exactly 0x60 above hiragana ぁ..ゖ; ー and the rare ヷ-ヺ have no hiragana twin.
_KATA_TO_HIRA = {c: c - 0x60 for c in range(0x30A1, 0x30F7)}
_KATA_TO_HIRA.update({0x30FD: 0x309D, 0x30FE: 0x309E})


def to_hiragana(text: str) -> str:
    """`text` with every katakana letter that has a hiragana twin replaced by it."""
    return text.translate(_KATA_TO_HIRA)


def is_kana(text: str) -> bool:
    """True when `text` is non-empty and only hiragana, katakana and the long-vowel mark."""
    return bool(text) and all("\u3041" <= c <= "\u309f" or "\u30a0" <= c <= "\u30ff" for c in text)
