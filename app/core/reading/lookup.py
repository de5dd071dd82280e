"""What a word means: the dictionary's entries for a word or a token, as plain data for the word
popup and `kakikomi lookup WORD --json`.

    lookup("投資した")
    {"entries": [{"kanji": ["投資"], "readings": ["とうし"], "common": true, "jlpt": 1,
                  "pitch": [{"reading": "とうし", "downstep": 0, …}, …],
                  "senses": [{"pos": ["noun (common) (futsuumeishi)", …], "glosses": ["investment"]}]}],
     "kanji": [{"literal": "投", "meanings": ["throw", …], "on": ["トウ"], "kun": ["な.げる", …],
                "grade": 3, "strokes": 7}, …]}

A word that is a dictionary form is looked up as it is; otherwise MeCab cuts it and the first word
is looked up through its lemma and reading (投資した -> 投資, 食べなかった -> 食べる), or the longest
compound the dictionary has that MeCab split (割引率が -> 割引率). A token of a post
(`lookup_token`) is looked up as the popup needs: the compound MeCab split around it first, then
the entries that match its reading and lemma (`Dictionary.lookup`).

Pitch accent comes from UniDic (`pitch`), only for the reading MeCab gave the word, and never for a
compound MeCab split. JLPT levels come from `jlpt`. Senses that JMdict restricts to other written
forms or readings than the word's are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.common.kana import to_hiragana
from app.core.common.messages import Message
from app.core.reading import jlpt, pitch
from app.core.reading.dictionary import Dictionary, Entry
from app.core.reading.tokens import KANJI_RE, Token

# At most this many entries for one word (a kana word can have dozens).
MAX_ENTRIES = 10
# The longest compound looked for around a token, in characters (as the furigana stage).
MAX_COMPOUND = 8
# How far either side of a token the popup's text is read for a compound.
_REACH = 12
# MeCab's pieces of a compound are nouns, prefixes and suffixes (as in compounds.py).
_JOINING = ("名詞", "接頭辞", "接尾辞")
_NOT_WORDS = ("補助記号", "空白")


class WordLookupError(Exception):
    """A look-up that cannot be made; str() is one sentence for the user."""


class DictionaryMissing(WordLookupError):
    """The dictionary file is not there."""


@dataclass(frozen=True)
class Compound:
    """A dictionary word MeCab split into tokens: text[start:end] == form, read `reading`."""

    form: str
    start: int
    end: int
    reading: str

    def to_json(self) -> dict:
        return {"form": self.form, "start": self.start, "end": self.end, "reading": self.reading}


def _dictionary(dictionary: Dictionary | None) -> Dictionary:
    found = dictionary if dictionary is not None else Dictionary.open()
    if found is None:
        raise DictionaryMissing(Message("lookup.no_dictionary", "The dictionary is not installed: build it with `make dictionary`."))
    return found


def lookup(word: str, dictionary: Dictionary | None = None) -> dict:
    """The entries for `word` and its kanji, as the module docstring shows. Raises
    WordLookupError for an empty word and DictionaryMissing without the dictionary file."""
    word = word.strip()
    if not word:
        raise WordLookupError(Message("lookup.no_word", "Give a word to look up."))
    d = _dictionary(dictionary)
    direct = d.entries(form=word)
    if direct and KANJI_RE.search(word):
        return _result(d, direct, form=word, reading=None, pitches=pitch.accents(word), written=word)
    from app.core.reading import furigana

    tokens = [t for t in furigana.tokenize(word, detail=True) if not t.pos.startswith(_NOT_WORDS) and t.surface.strip()]
    if direct and len(tokens) != 1:  # a kana word MeCab cuts (データセンター)
        return _result(d, direct, form=None, reading=None, pitches=[], written=word)
    if not tokens:
        return _result(d, [], form=None, reading=None, pitches=[], written=word)
    compound = _compound_at(d, word, tokens, 0)
    if compound is not None:
        return _result(d, _compound_entries(d, compound), form=compound.form, reading=compound.reading,
                       pitches=[], written=compound.form)
    first = tokens[0]
    entries = _token_entries(d, first.surface, first.lemma, first.reading)
    if len(tokens) == 1:  # a kana word: MeCab's lemma first (する is 為る), then its other entries
        entries += [e for e in direct if e not in entries]
    pitches = pitch.token_accents(first.surface, first.lemma, first.reading, text=word, start=first.start)
    return _result(d, entries, form=_form_of(entries, first), reading=first.reading, pitches=pitches, written=first.surface)


def lookup_token(
    surface: str,
    lemma: str | None = None,
    reading: str | None = None,
    *,
    text: str | None = None,
    start: int | None = None,
    dictionary: Dictionary | None = None,
) -> dict:
    """The popup's look-up of one token (as `app.core.reading.words.word_at` gives it): with the
    `text` it stands in and its `start` there, the compound MeCab split around it comes first
    (its entries without pitch); then the entries matching the token's reading and lemma, the
    dictionary form of a conjugated word. The result is `lookup`'s, with "compound" added: the
    compound's form, start, end and reading, or None."""
    d = _dictionary(dictionary)
    compound = None
    if text is not None and start is not None and surface and text.startswith(surface, start):
        compound = _compound_around(d, text, start, start + len(surface))
    entries = _token_entries(d, surface, lemma, reading) if surface else []
    pitches = pitch.token_accents(surface, lemma, reading, text=text, start=start) if surface else []
    token = Token(surface, 0, len(surface), "", lemma or "", reading)
    if compound is None:
        result = _result(d, entries, form=_form_of(entries, token), reading=reading, pitches=pitches, written=surface)
    else:
        first = _compound_entries(d, compound)
        result = _result(d, first, form=compound.form, reading=compound.reading, pitches=[], written=compound.form)
        seen = {e.id for e in first}
        rest = [e for e in entries if e.id not in seen][: max(0, MAX_ENTRIES - len(first))]
        result["entries"] += _result(d, rest, form=_form_of(rest, token), reading=reading, pitches=pitches,
                                     written=surface)["entries"]
        known = {k["literal"] for k in result["kanji"]}
        result["kanji"] += [k for k in _kanji(d, surface) if k["literal"] not in known]
    result["compound"] = compound.to_json() if compound is not None else None
    return result


def warm_up() -> bool:
    """Open what a first look-up would (the dictionary, the JLPT tables, this thread's MeCab
    taggers) so that the first popup is as quick as the next: ~100 ms once, in the thread that
    will look words up, e.g. when the window is idle after start. False without the dictionary."""
    try:
        text = "人工知能のチップを食べた。"
        for surface, lemma, reading in (("知能", "知能", "ちのう"), ("チップ", "チップ", "ちっぷ"), ("食べ", "食べる", "たべ")):
            lookup_token(surface, lemma, reading, text=text, start=text.index(surface))
    except DictionaryMissing:
        return False
    return True


def _token_entries(d: Dictionary, surface: str, lemma: str | None, reading: str | None) -> list[Entry]:
    """The entries of a token, best first (Dictionary.lookup), its lemma's before its surface's:
    考え of 考えている is 考える before the noun 考え."""
    from app.core.reading.tokens import clean_lemma

    lemma = clean_lemma(lemma)
    found = d.lookup(surface, lemma, reading)
    if lemma and lemma != surface:
        by_lemma = d.lookup(lemma, lemma, reading)
        found = by_lemma + [e for e in found if e not in by_lemma]
    return found


def _form_of(entries: Sequence[Entry], token: Token) -> str | None:
    """The written form the best entry was found by: the lemma (食べ -> 食べる), else the surface."""
    if not entries:
        return None
    for form in (token.lemma, token.surface):
        if form and any(k.text == form for k in entries[0].kanji):
            return form
    return None


def _compound_entries(d: Dictionary, compound: Compound) -> list[Entry]:
    found = d.entries(form=compound.form, reading=compound.reading) or d.entries(form=compound.form)
    return found[:MAX_ENTRIES]


def _compound_around(d: Dictionary, text: str, start: int, end: int) -> Compound | None:
    """The longest dictionary word of two or more of MeCab's tokens, nouns and affixes all, that
    covers text[start:end] (a token), read in the line around it; None if there is none."""
    from app.core.reading import furigana

    lo = max(text.rfind("\n", 0, start) + 1, start - _REACH)
    hi = text.find("\n", end)
    hi = min(len(text) if hi < 0 else hi, end + _REACH)
    window = text[lo:hi]
    tokens = furigana.tokenize(window, detail=True)
    index = next((i for i, t in enumerate(tokens) if lo + t.start == start and lo + t.end == end), None)
    if index is None:
        return None
    best = None
    for i in range(index, -1, -1):
        if start - (lo + tokens[i].start) >= MAX_COMPOUND:
            break
        found = _compound_at(d, window, tokens, i, must_reach=index)
        if found is not None and (best is None or len(found.form) > len(best.form)):
            best = found
    if best is None:
        return None
    return Compound(best.form, lo + best.start, lo + best.end, best.reading)


def _compound_at(d: Dictionary, text: str, tokens: Sequence[Token], i: int, must_reach: int | None = None) -> Compound | None:
    """The longest dictionary form starting at token i that ends where a later token ends (at
    token `must_reach` or after), over nouns and affixes only."""
    first = tokens[i]
    if not KANJI_RE.search(first.surface):
        return None
    ends = {t.end: j for j, t in enumerate(tokens)}
    for match in d.compounds_at(text, first.start, min_length=2, max_length=MAX_COMPOUND):
        j = ends.get(match.end)
        if j is None or j <= i or (must_reach is not None and j < must_reach):
            continue
        pieces = tokens[i : j + 1]
        if not all(p.pos.startswith(_JOINING) for p in pieces):
            continue
        if any(pieces[k].end != pieces[k + 1].start for k in range(len(pieces) - 1)):
            continue  # no space inside a word
        reading = "".join(p.reading or to_hiragana(p.surface) for p in pieces)
        return Compound(match.form, first.start, match.end, reading)
    return None


def _result(d: Dictionary, entries: Sequence[Entry], *, form: str | None, reading: str | None,
            pitches: Sequence[pitch.Pitch], written: str) -> dict:
    """The JSON of the entries (at most MAX_ENTRIES) and of the kanji of `written`. The pitch is
    MeCab's word's: it goes to the entries written `form` (to the first entry for a kana word)."""
    entries = list(entries[:MAX_ENTRIES])
    with_pitch = {e.id for e in entries if form and any(k.text == form for k in e.kanji)}
    if not with_pitch and entries:
        with_pitch = {entries[0].id}
    return {
        "entries": [
            _entry_json(d, e, form=form, reading=reading, pitches=pitches if e.id in with_pitch else ())
            for e in entries
        ],
        "kanji": _kanji(d, written),
    }


def _entry_json(d: Dictionary, entry: Entry, *, form: str | None, reading: str | None, pitches: Sequence[pitch.Pitch]) -> dict:
    if form and not any(k.text == form for k in entry.kanji):
        form = None
    readings = {r.hiragana for r in entry.readings_of(form)}
    key = to_hiragana(reading) if reading else None
    key = key if key in readings else None  # a conjugated token's reading (たべ) restricts nothing
    senses = []
    for sense in entry.senses:
        if form and sense.only_kanji and form not in sense.only_kanji:
            continue
        if key and sense.only_readings and key not in {to_hiragana(r) for r in sense.only_readings}:
            continue
        senses.append(sense)
    return {
        "kanji": [k.text for k in entry.kanji],
        "readings": [r.text for r in entry.readings],
        "common": entry.common,
        "jlpt": jlpt.word_level(entry, d),
        "pitch": [p.to_json() for p in pitches if p.reading in readings],
        "senses": [{"pos": [t.text for t in s.pos], "glosses": list(s.glosses)} for s in senses or entry.senses],
    }


def _kanji(d: Dictionary, written: str) -> list[dict]:
    out = []
    for char in dict.fromkeys(KANJI_RE.findall(written or "")):
        found = d.kanji(char)
        if found is None:
            continue
        out.append({
            "literal": found.literal,
            "meanings": list(found.meanings),
            "on": list(found.on),
            "kun": list(found.kun),
            "grade": found.grade,
            "strokes": found.strokes,
        })
    return out
