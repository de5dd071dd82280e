"""Readings of words MeCab split, from the dictionary (JMdict): the stage after the context rules.

MeCab's short units read a compound piece by piece: 割引率 comes out 割|引率 わり|いんそつ, 偽情報
にせ|じょうほう. Where a stretch of two or more tokens, starting at a token with kanji and ending
where a token ends, is a headword of the dictionary (app.core.reading.dictionary), its reading is
used when it can be chosen without context:

- if the tokens already read as one of the headword's readings, nothing changes;
- else the headword's best reading is taken when it is its only reading or clearly the most frequent
  (JMdict's priority ranks differ); readings of equal standing are left to MeCab (context decides);
- the reading is shared out over the tokens by their own readings, from the left and from the
  right (割|引率: わり + びきりつ); a stretch that cannot be shared out is left alone;
- a token whose reading a context rule changed, and everything overlapping it, is left alone: the
  project's rules win over the dictionary, the reader's own corrections and author ruby over both.

Loanwords written in kanji keep their long-vowel mark: UniDic's コーヒー for 珈琲 is こーひー, as the
dictionary writes it, not こうひい (ー is spelled out only for words the dictionary does not know so).

Without the dictionary file the stage does nothing. Cost: one indexed query per paragraph.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence

from app.core.common.kana import to_hiragana

_MAX_FORM = 8  # longest compound looked for, in characters
# How much more frequent (JMdict rank, lower is more frequent) the best reading must be.
_CLEAR_MARGIN = 10


@functools.cache
def _dictionary():
    """The light connection to the dictionary (app.core.reading.dictionary_file), opened once per
    process; None without its file."""
    from app.core.reading.dictionary_file import open_forms

    return open_forms()


_WINDOWS: dict[str, tuple[int, ...]] = {}  # window -> lengths of the forms it starts with
_MAX_WINDOWS = 200_000


def _look_up(windows: list[str]) -> None:
    """Find the forms of every window not seen before in one query (a paragraph's worth at once)."""
    new = [w for w in dict.fromkeys(windows) if w not in _WINDOWS]
    if not new:
        return
    dictionary = _dictionary()
    if dictionary is None:
        return
    if len(_WINDOWS) + len(new) > _MAX_WINDOWS:
        _WINDOWS.clear()
    _WINDOWS.update(dictionary.forms_at(new, min_length=2, max_length=_MAX_FORM))


def _forms_at(window: str) -> tuple[int, ...]:
    """The lengths (2 or more, longest first) of the dictionary's kanji forms `window` starts with."""
    if window not in _WINDOWS:
        _look_up([window])
    return _WINDOWS.get(window, ())



@functools.lru_cache(maxsize=50_000)
def _readings(form: str) -> tuple[tuple[str, int, int], ...]:
    """The readings of `form`, best first (the full dictionary, opened only when MeCab and the
    dictionary disagree, or for a loanword's long vowel)."""
    if _dictionary() is None:
        return ()
    from app.core.reading.dictionary import Dictionary

    dictionary = Dictionary.open()
    return tuple(dictionary.readings(form)) if dictionary is not None else ()


@functools.lru_cache(maxsize=100_000)
def _agrees(form: str, reading: str) -> bool:
    """Whether an entry written `form` has the reading `reading` (hiragana): one index probe, no
    entry loaded (the usual case: MeCab read the compound as the dictionary does)."""
    dictionary = _dictionary()
    return dictionary is not None and dictionary.has_reading(form, reading)


def forget() -> None:
    """Drop what this stage remembers (the connection and every look-up): tests, a rebuilt file."""
    _WINDOWS.clear()
    for cached in (_dictionary, _readings, _agrees):
        cached.cache_clear()


def apply(tokens, with_kanji: Sequence[int], kanji_of, *, align, spell) -> None:
    """Correct the readings of `tokens` (furigana._Tokens) in place, as the module docstring says.
    `with_kanji` are the indexes of the tokens with kanji; `kanji_of(i)` whether token i has kanji;
    `align` and `spell` are furigana's (a reading over a surface's kanji runs; ー spelled out),
    passed in so this stage needs nothing above it."""
    if not with_kanji:
        return
    dictionary = _dictionary()
    if dictionary is None:
        return
    rows, ends, text = tokens.rows, tokens.ends, tokens.text
    _keep_long_vowels(tokens, with_kanji)
    starts = [ends[i] - len(rows[i][1]) for i in with_kanji]
    candidates = [
        (i, start) for i, start in zip(with_kanji, starts)
        if i + 1 < len(rows) and kanji_of(i + 1) and rows[i + 1][0] == rows[i + 1][1]  # no space between
    ]
    if not candidates:
        return
    _look_up([text[start : start + _MAX_FORM] for _i, start in candidates])
    taken_until = -1
    for i, start in candidates:
        if start < taken_until:
            continue
        for length in _forms_at(text[start : start + _MAX_FORM]):
            end = start + length
            j = bisect.bisect_left(ends, end)
            if j >= len(ends) or ends[j] != end or j <= i:
                continue  # not on a token boundary, or a single token
            _fix(tokens, i, j, text[start:end], align, spell)
            taken_until = end  # nothing starts inside it (日本海側: not 海側 うみがわ)
            break  # the longest form on a boundary decides, fixed or not


# Only words join: nouns, with prefixes and suffixes (an adjective or verb before a noun is a
# phrase, 貴い命, whose reading the dictionary may give one way of two).
_JOINING = ("名詞", "接頭辞", "接尾辞")


def _fix(tokens, i: int, j: int, form: str, align, spell) -> bool:
    pieces = [tokens[k] for k in range(i, j + 1)]
    if any(p.reading != p.dictionary_reading for p in pieces):
        return False  # a context rule chose a reading here: the rules win
    if not all(p.pos.startswith(_JOINING) for p in pieces):
        return False
    before = tokens.rows[i - 1] if i > 0 else None
    if before is not None and (before[1][-1:].isdigit() or before[4].startswith("名詞-数詞")):
        return False  # after a number the first kanji is a counter (3月末 is さんがつまつ, not げつまつ)
    if any(p.reading is None and any("\u3400" <= c <= "\u9fff" for c in p.surface) for p in pieces):
        return False
    joined = "".join(p.reading or to_hiragana(p.surface) for p in pieces)
    if _agrees(form, joined):
        return False  # MeCab reads it as the dictionary does
    readings = _readings(form)
    if not readings or any(joined == r or ("ー" in r and joined == spell(r)) for r, _rank, _entry in readings):
        return False
    # MeCab's reading is none of the dictionary's: its best one, even among equals, is nearer.
    best, _rank, _entry = readings[0]
    shares = _share(best, pieces, align)
    if shares is None:
        return False
    for piece, share in zip(pieces, shares):
        piece.reading = share
    return True


def _share(reading: str, pieces, align) -> list[str] | None:
    """The reading shared out over the pieces: each piece whose own reading starts what is left
    keeps it, from the left, then likewise from the right; one piece may take the rest. Kana in
    a piece's surface must show in its share (okurigana stay bare)."""
    shares: list[str | None] = [None] * len(pieces)
    left, right = 0, len(pieces) - 1
    rest = reading
    while left <= right:
        own = pieces[left].reading or ""
        if own and rest.startswith(own) and len(rest) > len(own):
            shares[left], rest, left = own, rest[len(own) :], left + 1
            continue
        own = pieces[right].reading or ""
        if own and rest.endswith(own) and len(rest) > len(own):
            shares[right], rest, right = own, rest[: -len(own)], right - 1
            continue
        break
    if left != right or not rest:
        return None  # more than one piece left to guess
    shares[left] = rest
    for piece, share in zip(pieces, shares):
        if share is None or (any("\u3400" <= c <= "\u9fff" for c in piece.surface) and not align(piece.surface, share)):
            return None  # the share does not fit the piece (its kana would not match)
    return shares  # type: ignore[return-value]


def _keep_long_vowels(tokens, with_kanji: Sequence[int]) -> None:
    """珈琲 コーヒー: a kanji word UniDic reads with ー keeps it when the dictionary writes it so."""
    rows = tokens.rows
    for i in with_kanji:
        kana = rows[i][2]
        if "ー" not in kana:
            continue
        token = tokens[i]
        if token.reading != token.dictionary_reading:
            continue
        plain = to_hiragana(kana)
        readings = {r for r, _rank, _entry in _readings(token.surface)}
        # 餃子 is both ぎょうざ and ギョーザ in the dictionary: the spelled-out one wins.
        if plain in readings and token.reading not in readings:
            token.reading = plain
