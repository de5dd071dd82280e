"""Pitch accent from the UniDic bundled with unidic-lite: a word's morae and where its pitch falls.

UniDic gives each word an accent type (`aType`, field 23): the mora after which the pitch falls,
0 for none (heiban). Tokyo Japanese then fixes every mora's pitch: the first mora is low and the
second high unless the fall comes after the first (atamadaka, high then low); the pitch stays high
up to the fall and low after it; a particle after a heiban word stays high, after an odaka word
(the fall on the last mora) it drops. Some words have two accepted types ("0,1": 投資 is とうし
or とꜜうし), kept in UniDic's order.

The type is that of the word's dictionary form, read with UniDic's base kana (`kanaBase`), so a
conjugated 食べ gives 食べる たべる 2. A word is analysed on its own, a token of a text in its line;
when MeCab does not read it as one word (a compound it splits, 人工|知能), there is no accent: one
per piece would be wrong.

    accents("箸")              # [Pitch(reading='はし', downstep=1, moras=('は', 'し'))]
    Pitch.of("はし", 2).high      # (False, True): は low, し high (a particle after it low)
    Pitch.of("はし", 1).marked()  # 'はꜜし'
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from app.core.common.kana import to_hiragana
from app.core.reading.tokens import clean_lemma

# Small kana that share the mora of the kana before them (きゃ is one mora; っ, ん and ー are morae
# of their own).
_SMALL = frozenset("ぁぃぅぇぉゃゅょゎゕゖァィゥェォャュョヮヵヶ")
# The mark drawn after the mora the pitch falls from (U+A71C MODIFIER LETTER RAISED DOWN ARROW, as
# in Japanese dictionaries written in Latin text).
DOWNSTEP_MARK = "\ua71c"

# One token a line: surface, kana, base kana, lemma, accent type, part of speech.
_NODE_FORMAT = (
    r' -O "" --node-format=%m\\t%f[17]\\t%f[18]\\t%f[7]\\t%f[23]\\t%F-[0,1,2,3]\\n'
    r' --unk-format=%m\\t\\t\\t\\t\\t%F-[0,1,2,3]\\n --eos-format=EOS\\n'
)
_local = threading.local()


def moras(kana: str) -> tuple[str, ...]:
    """`kana` cut into morae: きゃ, っ, ん and ー are one each (しゃしん -> しゃ し ん)."""
    out: list[str] = []
    for char in kana:
        if char in _SMALL and out:
            out[-1] += char
        else:
            out.append(char)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Pitch:
    """One accent of a word: its reading (hiragana), its morae and the downstep, the number of the
    mora the pitch falls after (0: it does not fall, heiban)."""

    reading: str
    downstep: int
    moras: tuple[str, ...]

    @classmethod
    def of(cls, reading: str, downstep: int) -> Pitch | None:
        """The accent of `reading` with downstep `downstep`; None when the reading is not kana or the
        downstep is not one of its morae."""
        kana = to_hiragana(reading)
        split = moras(kana)
        if not split or downstep < 0 or downstep > len(split) or not all(_is_kana(c) for c in kana):
            return None
        return cls(kana, downstep, split)

    @property
    def high(self) -> tuple[bool, ...]:
        """Whether each mora is high."""
        n = len(self.moras)
        if self.downstep == 1:
            return (True,) + (False,) * (n - 1)
        last_high = n if self.downstep == 0 else self.downstep
        return tuple(0 < i < last_high for i in range(n))

    @property
    def particle_high(self) -> bool:
        """Whether a particle after the word (が, を) is high: only after a heiban word."""
        return self.downstep == 0

    @property
    def kind(self) -> str:
        """heiban (no fall), atamadaka (after the first mora), odaka (after the last), nakadaka."""
        if self.downstep == 0:
            return "heiban"
        if self.downstep == 1:
            return "atamadaka"
        return "odaka" if self.downstep == len(self.moras) else "nakadaka"

    def marked(self) -> str:
        """The reading with the downstep mark after the mora the pitch falls from (はꜜし); a
        heiban word unmarked."""
        if self.downstep == 0:
            return self.reading
        return "".join(self.moras[: self.downstep]) + DOWNSTEP_MARK + "".join(self.moras[self.downstep :])

    def to_json(self) -> dict:
        """What the popup draws: the morae with a high/low flag each, the particle's, the type."""
        return {
            "reading": self.reading,
            "downstep": self.downstep,
            "kind": self.kind,
            "moras": list(self.moras),
            "high": list(self.high),
            "particle_high": self.particle_high,
        }


def _is_kana(char: str) -> bool:
    return "\u3041" <= char <= "\u3096" or char in "ーゝゞ"


def accent_types(field: str) -> tuple[int, ...]:
    """UniDic's aType field as numbers ("0,1" -> (0, 1)); () for "*" or anything else."""
    out = []
    for part in field.split(","):
        part = part.strip()
        if not (part.isascii() and part.isdecimal()):
            return ()
        out.append(int(part))
    return tuple(dict.fromkeys(out))


def _tagger():
    """This thread's tagger with the accent fields (MeCab taggers are not shared across threads)."""
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        from app.core.reading.furigana import open_tagger

        tagger = _local.tagger = open_tagger(_NODE_FORMAT)
    return tagger


@dataclass(frozen=True, slots=True)
class _Analysis:
    surface: str
    kana: str  # hiragana
    base: str  # the dictionary form's kana, hiragana
    lemma: str | None
    types: tuple[int, ...]
    pos: str


@lru_cache(maxsize=20_000)
def _analyse(word: str, keep_all: bool = False) -> tuple[_Analysis, ...]:
    """MeCab's tokens of `word` analysed on its own, with their accent types (punctuation and
    white space left out unless `keep_all`)."""
    lines = _tagger().parse(word).split("\n")
    out = []
    for line in lines:
        if line == "EOS":
            break
        fields = line.split("\t")
        if len(fields) != 6:
            continue
        surface, kana, base, lemma, types, pos = fields
        if not keep_all and pos.startswith(("補助記号", "空白")):
            continue
        out.append(_Analysis(surface, to_hiragana(kana), to_hiragana(base), clean_lemma(lemma), accent_types(types), pos))
    return tuple(out)


def _pitches(found: _Analysis) -> list[Pitch]:
    return [p for p in (Pitch.of(found.base, t) for t in found.types) if p is not None]


def accents(word: str, reading: str | None = None) -> list[Pitch]:
    """The accents of `word` (a dictionary form: 箸, 食べる, 投資) read `reading` (any kana
    script; None: as MeCab reads it), UniDic's order. [] when MeCab reads the word as more than one
    token, with another reading, or without an accent type."""
    if not word:
        return []
    found = _analyse(word)
    if len(found) != 1:
        return []
    only = found[0]
    if reading is not None and to_hiragana(reading) not in (only.kana, only.base):
        return []
    return _pitches(only)


# How far either side of a token its context is analysed (within its line).
_REACH = 80
_BLANKS = str.maketrans("\t\r\x0b\x0c", "    ")


def token_accents(
    surface: str, lemma: str | None = None, reading: str | None = None, *, text: str | None = None, start: int | None = None
) -> list[Pitch]:
    """The accents of a token as MeCab gave it in a text: its dictionary form's, read as the token
    is read. With the `text` it stands in and its `start`, the token in its line (し of 投資した is
    する's); else the surface alone (食べ of 食べた: 食べる たべる 2), then its lemma. [] when the
    token is not one word with that reading and lemma."""
    lemma = clean_lemma(lemma) if lemma else None
    key = to_hiragana(reading) if reading else None

    def fits(found: _Analysis) -> bool:
        return (key is None or found.kana == key) and (lemma is None or found.lemma == lemma)

    if text is not None and start is not None and surface and text.startswith(surface, start):
        found = _in_context(text, start, start + len(surface))
        if found is not None:
            return _pitches(found) if fits(found) else []
    found_alone = _analyse(surface) if surface else ()
    if len(found_alone) == 1 and fits(found_alone[0]):
        return _pitches(found_alone[0])
    if lemma and lemma != surface:
        found_alone = _analyse(lemma)
        if len(found_alone) == 1 and found_alone[0].lemma == lemma:
            only = found_alone[0]
            # The lemma's reading must continue the token's (食べ -> たべる), not be another word's.
            if key is None or only.base.startswith(key[:1]):
                return _pitches(only)
    return []


def _in_context(text: str, start: int, end: int) -> _Analysis | None:
    """The token text[start:end] as MeCab reads it in its line (at most _REACH characters a side);
    None when MeCab cuts the line elsewhere there."""
    lo = max(text.rfind("\n", 0, start) + 1, start - _REACH)
    hi = text.find("\n", end)
    hi = min(len(text) if hi < 0 else hi, end + _REACH)
    window = text[lo:hi].translate(_BLANKS)
    at = 0
    for found in _analyse(window, keep_all=True):
        at = window.find(found.surface, at)
        if at < 0:
            return None
        if lo + at == start:
            return found if lo + at + len(found.surface) == end else None
        if lo + at > start:
            return None
        at += len(found.surface)
    return None
