"""fugashi tokens -> readings in context, aligned to kanji runs (okurigana left bare).

The tagger is MeCab through fugashi with the unidic-lite dictionary, opened by `mecab` on
unidic-lite's own paths so that another installed dictionary package cannot take its place.
Readings come from UniDic's `kana` field (how the word is written in kana, so は stays は) and
are turned into hiragana. UniDic's first analysis is then corrected by `reading_rules` (a data table plus counter
and 中 rules), because the dictionary prefers formal readings and loses rendaku when it splits a
compound; then `homographs` reads words of several readings (他 ほか/た, 得る える/うる) from their
neighbours, and `compounds` reads what MeCab split from the dictionary. `alternatives` offers
MeCab's n-best readings for the reader to pick from.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from app.core.common.kana import to_hiragana
from app.core.reading import compounds, homographs, mecab, reading_rules
from app.core.reading.tokens import KANJI_CHARS, KANJI_RE, Token, clean_lemma

_RUN_RE = re.compile(f"([{KANJI_CHARS}]+)|([\u3041-\u3096\u309d\u309e\u30a1-\u30f5\u30fc\u30fd\u30fe]+)|(.)", re.S)

# MeCab reads full-width digits as words (１０ -> テン); ASCII digits keep offsets and read as numbers.
# Tabs and line breaks become spaces (same length) because they separate MeCab's output fields.
_DIGITS_TO_ASCII = str.maketrans("０１２３４５６７８９\t\n\r\x0b\x0c", "0123456789     ")
_REPLACEMENTS = tuple((chr(a), chr(b)) for a, b in _DIGITS_TO_ASCII.items())


def _for_mecab(text: str) -> str:
    """`text` translated by _DIGITS_TO_ASCII, as MeCab is given it: a search and a replace per
    character present, which on Japanese text is about eighty times faster than str.translate."""
    for char, replacement in _REPLACEMENTS:
        if char in text:
            text = text.replace(char, replacement)
    return text

_local = threading.local()


# MeCab prints one token a line: surface with the white space before it, surface, kana (UniDic's field 17: the written form in kana, so
# は stays は where `pron` would say わ), lemma, part of speech. Parsing that one string is about
# twice as fast as asking fugashi for a node object per token.
_NODE_FORMAT = (
    r' -O "" --node-format=%M\\t%m\\t%f[17]\\t%f[7]\\t%F-[0,1,2,3]\\n'
    r' --unk-format=%M\\t%m\\t\\t\\t%F-[0,1,2,3]\\n --eos-format=EOS\\n'
)


def open_tagger(node_format: str = _NODE_FORMAT):
    """A new MeCab tagger over unidic-lite (`mecab.open_tagger`) writing each token as
    `node_format` says, this module's format by default."""
    return mecab.open_tagger(node_format)


def tagger():
    """This thread's MeCab tagger (MeCab taggers are not safe to share across threads)."""
    t = getattr(_local, "tagger", None)
    if t is None:
        t = _local.tagger = open_tagger()
    return t


class RubySpan(NamedTuple):
    """A reading shown over text[start:end], which is one run of kanji of a word.

    `lemma` is UniDic's raw lemma of the word (see `clean_lemma`). A plain tuple: a long post has
    tens of thousands of these.
    """

    start: int
    end: int
    reading: str
    lemma: str = ""


def _lines(output: str) -> list[list[str]]:
    """[surface with white space before it, surface, kana, lemma, pos] per token, up to EOS."""
    lines = output.split("\n")
    try:
        lines = lines[: lines.index("EOS")]
    except ValueError:
        pass
    return [line.split("\t") for line in lines]


class _Memo(dict):
    """key -> make(key), made the first time the key is asked for; emptied when it grows large.

    For MeCab's output lines, the fields in them and the words with their readings: a post
    repeats its words, and a word in the same form gives the same line, so a long post's 200,000
    token lines are a few thousand distinct ones (a few tens of thousands for the most varied prose).
    """

    def __init__(self, make: Callable[[Any], object], limit: int = 200_000):
        super().__init__()
        self.make = make
        self.limit = limit

    def __missing__(self, key: Hashable) -> object:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.make(key)
        return value


def _row_of(line: str) -> tuple:
    fields = line.split("\t")
    if len(fields) != 5:
        return ()
    kana, lemma = fields[2], fields[3]
    has_kanji = KANJI_RE.search(fields[1]) is not None
    return (*fields, has_kanji, _detail_reading(kana, has_kanji), clean_lemma(lemma))


def _detail_reading(kana: str, has_kanji: bool) -> str | None:
    """A token's reading before the rules, as `_Tokens` makes it with detail=True."""
    if kana and _KANA_VALUE.search(kana):
        return reading_from_kana(kana) if has_kanji else to_hiragana(kana)
    return None


# A line -> its row: the five fields (surface with the white space before it, surface, kana,
# lemma, part of speech), then whether the surface has kanji, the reading before the rules with
# detail=True, and the clean lemma; an empty tuple for a line that is not a token.
_ROWS = _Memo(_row_of)
_SPACED, _SURFACE, _KANA, _HAS_KANJI = (operator.itemgetter(i) for i in (0, 1, 2, 5))


def _rows(output: str, memo: _Memo = _ROWS) -> list[tuple]:
    """The rows (see `_ROWS`, or another `memo` of rows by line) of MeCab's lines before EOS
    that make one."""
    lines = output.split("\n")
    try:
        lines = lines[: lines.index("EOS")]
    except ValueError:
        pass
    return list(filter(None, map(memo.__getitem__, lines)))


class _Tokens(Sequence):
    """The tokens of one analysis, made into Token objects only when something looks at them.

    Ruby needs only the tokens with kanji (and the rules a neighbour or two), so building an
    object for every particle and punctuation mark would be most of the cost of a render.
    """

    def __init__(self, text: str, rows: Sequence[tuple], detail: bool):
        self.text = text
        self.rows = rows
        self.ends = list(itertools.accumulate(map(len, map(_SPACED, rows))))
        self.detail = detail
        self.made: dict[int, Token] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i):  # type: ignore[override]
        try:  # the rules ask for the same few tokens again and again: those first
            token = self.made.get(i)
        except TypeError:  # a slice (unhashable before Python 3.12)
            token = None
        if token is not None:
            return token
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self.rows)
            token = self.made.get(i)
        if token is None:
            token = self._make(i)
        return token

    def _make(self, i: int) -> Token:
        row = self.rows[i]
        end = self.ends[i]
        start = end - len(row[1])
        # Kana words get their reading only with detail (ruby needs the kanji ones alone).
        reading = row[6] if self.detail or row[5] else None
        token = self.made[i] = Token(self.text[start:end], start, end, row[4], row[3], reading)
        return token

    def take(self, indexes: Iterable[int]) -> list[Token]:
        """[self[i] for i in indexes] (non-negative indexes), in one loop: the list `tokenize`
        returns."""
        get, make = self.made.get, self._make
        return [get(i) or make(i) for i in indexes]


def tokenize(text: str, *, detail: bool = False) -> list[Token]:
    """Tokens of `text` in order, offsets indexing into `text`, readings corrected for context.

    With detail=False only the tokens that carry kanji are returned (all that ruby needs); with
    detail=True every token is, each with its reading (kana words and loanwords too).
    """
    return _tokenize_one(text, detail) if text else []


# 64 or more of one character (｜｜｜…, ｗｗｗ…, ーーー…): MeCab weighs every length of such a run
# as an unknown word, which takes time growing with the square of its length.
_LONG_RUN = re.compile(r"([^\s])\1{63,}")
_RUN_PIECE = 32


def _has_long_run(text: str) -> bool:
    """Whether `text` has a match of _LONG_RUN. Such a run covers some whole 32-character block
    text[k*32:k*32+32]: the blocks of one character are looked for first, ten times faster than
    the expression's search of every position."""
    for k in range(0, len(text) - 31, 32):
        if text.count(text[k], k, k + 32) == 32:
            return _LONG_RUN.search(text) is not None
    return False


def _run_pieces(text: str) -> Iterable[tuple[int, str]]:
    """(offset, piece) of `text` with every long run of one character cut into 32-character
    pieces; white space before a cut goes with the piece after it (MeCab drops a piece's trailing
    white space, so the rows of the pieces then still cover the text exactly)."""
    cursor = 0
    for match in _LONG_RUN.finditer(text):
        cut = match.start()
        while cut > cursor and text[cut - 1].isspace():
            cut -= 1
        if cut > cursor:
            yield cursor, text[cursor:cut]
        start, end = cut, match.start() + _RUN_PIECE
        while start < match.end():
            yield start, text[start:end]
            start, end = end, min(match.end(), end + _RUN_PIECE)
        cursor = match.end()
    if cursor < len(text):
        yield cursor, text[cursor:]


def _parse_rows(text: str) -> list[tuple]:
    """MeCab's rows for `text`, long runs of one character parsed piece by piece."""
    if not _has_long_run(text):
        return _rows(tagger().parse(text))
    return [row for _offset, piece in _run_pieces(text) for row in _rows(tagger().parse(piece))]


def _analyse(text: str, detail: bool) -> tuple[_Tokens, list[int]]:
    rows = _parse_rows(_for_mecab(text))
    tokens = _Tokens(text, rows, detail)
    with_kanji = list(itertools.compress(itertools.count(), map(_HAS_KANJI, rows)))
    return tokens, with_kanji


def _read_homographs(tokens: _Tokens, with_kanji: list[int]) -> None:
    """`homographs.apply` on the tokens some rule of its table is about, whose neighbours are words
    a rule may ask for (the others are never looked at, so no Token is made for them)."""
    rows = tokens.rows
    guards = homographs.DECIDES
    found = itertools.compress(with_kanji, map(guards.__getitem__, map(_SURFACE, map(rows.__getitem__, with_kanji))))
    last = len(rows) - 1
    candidates = []
    for i in found:
        before, after = guards[rows[i][1]]
        if after is not None and (i == last or rows[i + 1][1] not in after):
            continue
        if before is not None and (i == 0 or rows[i - 1][1] not in before):
            continue
        candidates.append(i)
    if candidates:
        homographs.apply(tokens, candidates)


def _kanji_of(rows: Sequence[tuple]) -> Callable[[int], bool]:
    """i -> whether row i has kanji (the compounds stage asks a few times per token: a list's own
    lookup, not a Python function)."""
    return list(map(_HAS_KANJI, rows)).__getitem__


def _read_in_context(tokens: _Tokens, with_kanji: list[int]) -> None:
    """The context rules on their trigger words (`reading_rules.apply` skips the others), then
    the homographs."""
    rows = tokens.rows
    triggers = reading_rules.rules().triggers
    reading_rules.apply(tokens, [i for i in with_kanji if rows[i][1] in triggers])
    _read_homographs(tokens, with_kanji)


def _tokenize_one(text: str, detail: bool) -> list[Token]:
    tokens, with_kanji = _analyse(text, detail)
    _read_in_context(tokens, with_kanji)
    compounds.apply(tokens, with_kanji, _kanji_of(tokens.rows), align=align, spell=reading_from_kana)
    return tokens.take(range(len(tokens)) if detail else with_kanji)


class TokenEntry(NamedTuple):
    """One word as `Token.to_json` gives it (the same fields, in the same order), as a tuple: a
    long post has a few hundred thousand of these. `lemma` is the clean one (`Token.lemma`)."""

    surface: str
    reading: str | None
    start: int
    end: int
    lemma: str | None
    pos: str
    alternatives: tuple[str, ...]


def token_entries(text: str, n: int = 5) -> list[TokenEntry]:
    """Every token of `text` with its reading and its n-best alternatives: what
    `tokenize(text, detail=True)` followed by `alternatives(text, tokens, n)` gives, field for
    field, without a Token object for the words no rule touches."""
    if not text:
        return []
    tokens, with_kanji = _analyse(text, True)
    rows = tokens.rows
    _read_in_context(tokens, with_kanji)
    compounds.apply(tokens, with_kanji, _kanji_of(rows), align=align, spell=reading_from_kana)
    by_span = _nbest_readings(text, n)
    extra = reading_rules.rules().alternatives
    made = tokens.made
    out: list[TokenEntry] = []
    append = out.append
    start = 0
    for i, row in enumerate(rows):
        end = start + len(row[0])
        token_start = end - len(row[1])
        surface = text[token_start:end]
        token = made.get(i) if made else None
        if token is not None:
            reading, dictionary = token.reading, token.dictionary_reading
        else:
            reading = dictionary = row[6]
        if reading is None:
            choices: tuple[str, ...] = ()
        else:
            found = by_span.get((token_start, end))
            more = extra.get(surface)
            if more is None and (not dictionary or dictionary == reading) and (
                found is None or (len(found) == 1 and reading in found)
            ):
                choices = ()  # the common case: nothing but the reading shown
            else:
                found = set(found) if found else set()
                if dictionary:
                    found.add(dictionary)
                if more:
                    found.update(more)
                found.discard(reading)
                choices = tuple(sorted(found))
        append(TokenEntry(surface, reading, token_start, end, row[7], row[4], choices))
        start = end
    return out


def entry_ruby_spans(entries: Iterable[TokenEntry]) -> list[RubySpan]:
    """`ruby_spans` of the tokens the entries describe (the lemma is the clean one)."""
    spans: list[RubySpan] = []
    search = KANJI_RE.search
    for entry in entries:
        reading = entry.reading
        if reading is None or search(entry.surface) is None:
            continue
        for s, e, r in align(entry.surface, reading):
            spans.append(RubySpan(entry.start + s, entry.start + e, r, entry.lemma or ""))
    return spans


def ruby_many(texts: Sequence[str]) -> list[list[RubySpan]]:
    """The ruby for each text, in text order: what rendering needs, built without a Token per word.

    Same readings as `ruby_spans(tokenize(text))`; the rules still see full tokens around the
    words they apply to. Each text is analysed on its own: joining paragraphs into one MeCab
    call would let one paragraph's words change how the next one is read.
    """
    return [_ruby_one(text) if text else [] for text in texts]


def _ruby_one(text: str) -> list[RubySpan]:
    return _ruby_of(*_analyse(text, False))


def _ruby_of(tokens: _Tokens, with_kanji: list[int], *, in_context: bool = True) -> list[RubySpan]:
    rows = tokens.rows
    if in_context:  # (the search index goes without: see index_pass)
        _read_in_context(tokens, with_kanji)
    compounds.apply(tokens, with_kanji, _kanji_of(rows), align=align, spell=reading_from_kana)
    made = tokens.made
    ends = tokens.ends
    out: list[RubySpan] = []
    append = out.append
    new = tuple.__new__  # (see ruby_spans)
    # The hot loop of every render: flat, with lookups bound to locals.
    for i in with_kanji:
        row = rows[i]
        surface = row[1]
        token = made.get(i)
        reading = token.reading if token is not None else _hiragana(row[2])
        if not reading:
            continue
        start = ends[i] - len(surface)
        for s, e, r in align(surface, reading):
            append(new(RubySpan, (start + s, start + e, r, row[3])))
    if getattr(tokens, "compounds", None):
        _name_compounds(out, joined_words(tokens))
    return out


def _name_compounds(spans: list[RubySpan], joined: Sequence[JoinedWord]) -> None:
    """Give the runs of each compound the dictionary stage joined its form as their lemma (the
    word the reader knows or not: furigana mode "unknown"), in place; `spans` in text order."""
    k, n = 0, len(spans)
    for word in joined:
        k = bisect.bisect_left(spans, word.start, k, key=_START)
        while k < n and spans[k].end <= word.end:
            span = spans[k]
            spans[k] = RubySpan(span.start, span.end, span.reading, word.form)
            k += 1


_START = operator.itemgetter(0)


@functools.lru_cache(maxsize=100_000)
def _hiragana(kana: str) -> str | None:
    return reading_from_kana(kana) if kana and kana != "*" and _KANA_VALUE.search(kana) else None


_KANA_VALUE = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")

# ー in a reading of kanji stands for a long vowel that hiragana spells out (ギョーザ -> ぎょうざ):
# after an e-row kana it is い (as in せんせい), after an o-row kana う (as in こうこう).
_VOWEL_OF: dict[str, str] = {}
for _row, _vowel in (
    ("あかさたなはまやらわがざだばぱぁゃゎ", "あ"),
    ("いきしちにひみりぎじぢびぴぃ", "い"),
    ("うくすつぬふむゆるぐずづぶぷぅゅ", "う"),
    ("えけせてねへめれげぜでべぺぇ", "い"),
    ("おこそとのほもよろをごぞどぼぽぉょ", "う"),
):
    for _kana in _row:
        _VOWEL_OF[_kana] = _vowel


def reading_from_kana(kana: str) -> str:
    """UniDic's katakana reading of a kanji word as hiragana, ー written out (ギョーザ -> ぎょうざ)."""
    reading = to_hiragana(kana)
    if "ー" not in reading:
        return reading
    out: list[str] = []
    for ch in reading:
        out.append(_VOWEL_OF.get(out[-1], ch) if ch == "ー" and out else ch)
    return "".join(out)


@functools.lru_cache(maxsize=50_000)
def align(surface: str, reading: str) -> tuple[tuple[int, int, str], ...]:
    """Split a token's reading over its kanji runs: ((start, end, reading), ...) within `surface`.

    Kana in the surface must match the reading (compared in hiragana), so okurigana stay bare:
    取り扱い/とりあつかい -> 取:と, 扱:あつか. A surface with Latin letters, digits or symbols, or a
    reading that does not fit, gives no ruby rather than a guess.
    """
    runs = [(m.start(), m.end(), m.group(1) is not None, m.group(3) is not None) for m in _RUN_RE.finditer(surface)]
    if not any(is_kanji for _s, _e, is_kanji, _o in runs) or any(other for *_x, other in runs):
        return ()
    if len(runs) == 1:
        return ((0, len(surface), reading),)
    if len(runs) <= _FIT_RUNS:
        pieces = [(s, e, None if is_kanji else to_hiragana(surface[s:e])) for s, e, is_kanji, _o in runs]
        return _fit(pieces, reading)
    pattern = "".join("(.+?)" if is_kanji else "(" + re.escape(to_hiragana(surface[s:e])) + ")" for s, e, is_kanji, _o in runs)
    match = re.fullmatch(pattern, reading)
    if match is None:
        return ()
    return tuple((s, e, match.group(i + 1)) for i, (s, e, is_kanji, _o) in enumerate(runs) if is_kanji)


# A word of up to this many runs of kanji and kana (送り仮名 and all) is fitted by `_fit`; longer
# ones (a reader's own reading of a long phrase) by the regular expression it stands for.
_FIT_RUNS = 8


def _fit(pieces: list[tuple[int, int, str | None]], reading: str) -> tuple[tuple[int, int, str], ...]:
    """What `align` finds with the pattern (.+?) for each run of kanji and the run's kana for each
    run of kana, matched against the whole reading: the same first match (fewest characters to
    the earliest kanji run, then the next...; none across a line break, as `.` does), without
    compiling a pattern per word (which made aligning a post's words the first time twice as slow).
    `pieces`: (start, end, kana in hiragana, or None for kanji) of each run."""
    last = len(pieces)
    failed: set[tuple[int, int]] = set()  # (piece, position) known not to lead to a match
    found: list[tuple[int, int, str]] = []

    def fit(k: int, pos: int) -> bool:
        if k == last:
            return pos == len(reading)
        if (k, pos) in failed:
            return False
        start, end, kana = pieces[k]
        if kana is not None:
            if reading.startswith(kana, pos) and fit(k + 1, pos + len(kana)):
                return True
        else:
            line_end = reading.find("\n", pos)
            for stop in range(pos + 1, (len(reading) if line_end < 0 else line_end) + 1):
                if fit(k + 1, stop):
                    found.append((start, end, reading[pos:stop]))
                    return True
        failed.add((k, pos))
        return False

    return tuple(reversed(found)) if fit(0, 0) else ()


def ruby_spans(tokens: Iterable[Token]) -> list[RubySpan]:
    """Ruby for every kanji run of the tokens that have a reading, in text order."""
    spans: list[RubySpan] = []
    append = spans.append
    runs_of = _RUNS_OF.__getitem__
    new = tuple.__new__  # RubySpan(...) without its __new__'s argument handling: twice as fast
    for token in tokens:
        reading = token.reading
        if reading is None:
            continue
        start = token.start
        for s, e, r in runs_of((token.surface, reading)):
            append(new(RubySpan, (start + s, start + e, r, token._lemma)))
    return spans


# (surface, reading) -> `align` of them, () for a surface without kanji: one look-up a token in
# place of a regular expression's search and align's cache.
_RUNS_OF = _Memo(lambda key: align(*key) if KANJI_RE.search(key[0]) is not None else ())


def alternatives(text: str, tokens: Sequence[Token], n: int = 5) -> None:
    """Fill `token.alternatives` with other readings MeCab's n-best analyses give the same span.

    Sentences are analysed one at a time (n-best over a whole post would explode); the readings the
    rules replaced are offered too, so the reader can always go back to the dictionary's reading.
    """
    by_span = _nbest_readings(text, n)
    for token in tokens:
        if token.reading is None:
            continue
        found = set(by_span.get((token.start, token.end), ()))
        if token.dictionary_reading:
            found.add(token.dictionary_reading)
        found.update(reading_rules.extra_alternatives(token))
        found.discard(token.reading)
        token.alternatives = tuple(sorted(found))


_FULL_WIDTH_DIGIT = re.compile("[０-９]")


def _nbest_readings(text: str, n: int) -> dict[tuple[int, int], set[str]]:
    """(start, end) in `text` -> the readings (hiragana) MeCab's n best analyses of its sentence
    give that span; the spans of tokens without a kana reading are left out."""
    by_span: dict[tuple[int, int], set[str]] = {}
    nbest = tagger().nbest
    row_of = _ROWS.__getitem__
    reading_of = _KANA_READINGS.__getitem__
    any_full_width = _FULL_WIDTH_DIGIT.search(text) is not None
    for sentence_start, sentence in _sentences(text):
        if not KANJI_RE.search(sentence):
            continue
        try:
            output = nbest(_for_mecab(sentence), n)
        except (RuntimeError, ValueError):
            continue
        if any_full_width and _FULL_WIDTH_DIGIT.search(sentence):
            _nbest_by_search(sentence_start, sentence, output, by_span)
            continue
        # Every analysis covers the sentence from its start, and each row's first field is the
        # token with the white space MeCab skipped before it: the offsets are running sums, and
        # the distinct (start, end, kana) of all n analyses are converted once. (Looking each
        # token up in the sentence gives the same offsets, but for full-width digits, above.)
        found: set[tuple[int, int, str]] = set()
        for analysis in output.split("EOS\n"):
            rows = list(filter(None, map(row_of, analysis.split("\n"))))
            ends = list(itertools.accumulate(map(len, map(_SPACED, rows))))
            found.update(zip(map(operator.sub, ends, map(len, map(_SURFACE, rows))), ends, map(_KANA, rows)))
        for start, end, kana in found:
            reading = reading_of(kana)
            if reading is not None:
                key = (sentence_start + start, sentence_start + end)
                readings = by_span.get(key)
                if readings is None:
                    by_span[key] = {reading}
                else:
                    readings.add(reading)
    return by_span


# UniDic's kana -> the reading n-best offers (None: none).
_KANA_READINGS = _Memo(lambda kana: to_hiragana(kana) if kana and kana != "*" and _KANA_VALUE.search(kana) else None)


def _nbest_by_search(sentence_start: int, sentence: str, output: str, by_span: dict[tuple[int, int], set[str]]) -> None:
    """The n-best readings of a sentence whose full-width digits MeCab saw as ASCII: each token is
    looked for in the sentence as written, as the readings have always been matched to spans."""
    for analysis in output.split("EOS\n"):
        pos = 0
        for row in _lines(analysis):
            if len(row) != 5:
                continue
            surface, kana = row[1], row[2]
            start = sentence.find(surface, pos)
            if start < 0:
                break
            pos = start + len(surface)
            if kana and kana != "*" and _KANA_VALUE.search(kana):
                key = (sentence_start + start, sentence_start + pos)
                by_span.setdefault(key, set()).add(to_hiragana(kana))


_SENTENCE_END = re.compile(r"[。！？!?\n]+")


def _sentences(text: str) -> Iterable[tuple[int, str]]:
    """(offset, sentence) of `text`; a sentence with a long run of one character comes in pieces."""
    if _has_long_run(text):
        for offset, piece in _run_pieces(text):
            for start, sentence in _sentences(piece):
                yield offset + start, sentence
        return
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            yield start, text[start : m.end()]
        start = m.end()
    if start < len(text):
        yield start, text[start:]


@dataclass(frozen=True, slots=True)
class Term:
    """A word of a text as the search index keeps it: surface, dictionary form and reading."""

    surface: str
    lemma: str | None
    reading: str | None


_NOT_WORDS = ("補助記号", "空白", "記号")


def terms(text: str) -> set[Term]:
    """The distinct words of `text` (punctuation and white space left out), for indexing.

    Uses UniDic's own readings (no context rules): an index wants every reading a reader might
    type, and is built for whole libraries, where speed matters more.
    """
    found: set[Term] = set()
    for start in range(0, len(text), _TERMS_CHUNK):
        piece = text[start : start + _TERMS_CHUNK]
        output = tagger().parse(_for_mecab(piece))
        # A post repeats its words: split each distinct line once (7,000 tokens, ~800 lines).
        for line in set(output.split("\n")):
            row = line.split("\t")
            if len(row) != 5 or row[4].startswith(_NOT_WORDS) or not row[1].strip():
                continue
            kana = row[2]
            found.add(Term(row[1], clean_lemma(row[3]), to_hiragana(kana) if kana and _KANA_VALUE.search(kana) else None))
    return found


def index_pass(text: str) -> tuple[set[Term], list[RubySpan]]:
    """One MeCab pass for the search index: the distinct words of `text` (as `terms` gives them,
    with UniDic's readings) and the ruby of its runs of kanji in text order: UniDic's readings with
    the dictionary's for the compounds MeCab split (洗濯|物 せんたくもの, as the page reads them),
    without the context rules, which would double the time of an import for the few readings
    they change. Long texts are read in pieces cut at a line break (see _TERMS_CHUNK)."""
    found, spans, _words = _index_pass(text, False)
    return found, spans


def index_pass_words(text: str) -> tuple[set[Term], list[RubySpan], dict[str, list]]:
    """`index_pass(text)` and, from the same MeCab pass, the counted words of `text` (see
    `counted_word`): lemma -> [first surface, reading of the dictionary form (hiragana, or None),
    occurrences, first start, first end], in order of first appearance, a compound the dictionary
    stage joins one word (`_occurrences_in`: that stage runs for the ruby anyway, no second pass).
    An import takes both from it (app.core.library.prepare): the search index's part goes to
    search.index_words(made=)."""
    return _index_pass(text, True)


def _index_pass(text: str, with_words: bool) -> tuple[set[Term], list[RubySpan], dict[str, list]]:
    found: set[Term] = set()
    spans: list[RubySpan] = []
    words: dict[str, list] = {}
    for start, end in _pieces(text):
        tokens, with_kanji = _analyse_words(text[start:end]) if with_words else _analyse(text[start:end], False)
        for row in set(tokens.rows):  # a post repeats its words: each distinct row once
            if not row[4].startswith(_NOT_WORDS) and row[1].strip():
                kana = row[2]
                found.add(Term(row[1], row[7], to_hiragana(kana) if kana and _KANA_VALUE.search(kana) else None))
        ruby = _ruby_of(tokens, with_kanji, in_context=False)  # (the compounds stage: see _occurrences_in)
        if with_words:  # (inline: a long post has tens of thousands of words)
            for at, stop, word in _occurrences_in(tokens, start):
                lemma = word[0]
                seen = words.get(lemma)
                if seen is None:
                    words[lemma] = [text[at:stop], word[2], 1, at, stop]
                else:
                    seen[2] += 1
        spans.extend(span._replace(start=span.start + start, end=span.end + start) for span in ruby)
    return found, spans, words


def _pieces(text: str) -> Iterable[tuple[int, int]]:
    """Where to cut a long text for MeCab (see _TERMS_CHUNK): (start, end) pieces ending at a
    line break where there is one in the second half of a piece."""
    start = 0
    while start < len(text):
        end = min(len(text), start + _TERMS_CHUNK)
        if end < len(text):
            cut = text.rfind("\n", start + _TERMS_CHUNK // 2, end)
            end = cut + 1 if cut >= 0 else end
        yield start, end
        start = end


# --- counted words (the learner's vocabulary: app.core.library.vocabulary) ------------------------

# Content words: what a learner learns. Numerals, particles, auxiliaries and symbols are not.
_COUNTED_POS = ("名詞", "代名詞", "動詞", "形容詞", "形状詞", "副詞", "連体詞", "接続詞", "感動詞", "接頭辞", "接尾辞")
_KANA_OR_KANJI = re.compile(f"[{KANJI_CHARS}\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fd\u30fe]")


def counted_word(surface: str, pos: str) -> bool:
    """Whether a token is a counted word: a content word (by its part of speech, numerals left
    out) spelt with at least one kana or kanji (no Latin-only words, digits or symbols)."""
    return pos.startswith(_COUNTED_POS) and not pos.startswith("名詞-数詞") and _KANA_OR_KANJI.search(surface) is not None


class WordOccurrence(NamedTuple):
    """One counted word in a text: text[start:end] is `surface`, a form of `lemma` (Token.lemma),
    whose dictionary form reads `reading` (hiragana; None when UniDic has none)."""

    start: int
    end: int
    lemma: str
    surface: str
    reading: str | None


def word_occurrences(text: str) -> list[WordOccurrence]:
    """Every counted word of `text` in order, from one MeCab pass and the dictionary stage (a
    compound it joins is one word: `_occurrences_in`), without the context rules, as an import
    counts them (`index_pass_words`)."""
    out: list[WordOccurrence] = []
    for start, end in _pieces(text):
        tokens, with_kanji = _analyse_words(text[start:end])
        compounds.apply(tokens, with_kanji, _kanji_of(tokens.rows), align=align, spell=reading_from_kana)
        out.extend(WordOccurrence(at, stop, word[0], text[at:stop], word[2]) for at, stop, word in _occurrences_in(tokens, start))
    return out


def _occurrences_in(tokens: _Tokens, offset: int) -> Iterable[tuple[int, int, tuple[str, str, str | None]]]:
    """(start, end, (lemma, surface, reading)) of each counted word of rows made by the words
    tagger (`_analyse_words`), in text order, `offset` added to the places. After the dictionary
    stage a compound it joined (`joined_words`) is one word in place of its pieces: its lemma the
    headword's form (半導体, not 半 and 導体), its surface the text it covers, its reading the
    compound's."""
    rows, ends = tokens.rows, tokens.ends
    counted = itertools.compress(itertools.count(), map(_WORD, rows))
    joined = joined_words(tokens)
    if not joined:  # the usual paragraph
        for i in counted:
            row = rows[i]
            stop = ends[i] + offset
            yield stop - len(row[1]), stop, row[9]
        return
    text = tokens.text
    pending = iter(joined)
    compound = next(pending, None)
    inside_until = -1  # the tokens before this index belong to a compound already given
    for i in counted:
        while compound is not None and compound.first <= i:
            yield compound.start + offset, compound.end + offset, (compound.form, text[compound.start : compound.end], compound.reading)
            inside_until = compound.stop
            compound = next(pending, None)
        if i < inside_until:
            continue
        row = rows[i]
        stop = ends[i] + offset
        yield stop - len(row[1]), stop, row[9]
    while compound is not None:
        yield compound.start + offset, compound.end + offset, (compound.form, text[compound.start : compound.end], compound.reading)
        compound = next(pending, None)


def tokenize_words(text: str) -> tuple[list[Token], list[JoinedWord]]:
    """`tokenize(text, detail=True)` and the compounds the dictionary stage joined there
    (`joined_words`: token indexes into that list), for the word popup: read in context as the
    page is (the context rules first)."""
    if not text:
        return [], []
    tokens, with_kanji = _analyse(text, True)
    _read_in_context(tokens, with_kanji)
    compounds.apply(tokens, with_kanji, _kanji_of(tokens.rows), align=align, spell=reading_from_kana)
    return tokens.take(range(len(tokens))), joined_words(tokens)


class JoinedWord(NamedTuple):
    """A compound the dictionary stage (app.core.reading.compounds) joined, as one word of the
    learner's: tokens[first:stop] cover text[start:end], a spelling of the headword `form`, read
    `reading` (hiragana)."""

    first: int
    stop: int
    start: int
    end: int
    form: str
    reading: str


def joined_words(tokens: _Tokens) -> list[JoinedWord]:
    """The compounds `compounds.apply` joined in these tokens (its `compounds` record: first token,
    end token, form, reading), in text order, but for a number with its counter alone (三|年: a
    numeral is no word to learn; 一日中 and 百円玉 are words). Empty before the stage ran or
    without the dictionary."""
    found = getattr(tokens, "compounds", None)
    if not found:
        return []
    rows, ends = tokens.rows, tokens.ends
    out = []
    for first, stop, form, reading in found:
        if stop - first == 2 and rows[first][4].startswith("名詞-数詞") and "助数詞" in rows[first + 1][4]:
            continue
        out.append(JoinedWord(first, stop, ends[first] - len(rows[first][1]), ends[stop - 1], form, reading))
    return out


# The tagger for words also prints UniDic's kanaBase (field 18: the kana of the dictionary form
# of this occurrence, 来 -> クル, し -> スル), the reading a word list shows for a conjugated word.
_WORD_FORMAT = (
    r' -O "" --node-format=%M\\t%m\\t%f[17]\\t%f[7]\\t%F-[0,1,2,3]\\t%f[18]\\n'
    r' --unk-format=%M\\t%m\\t\\t\\t%F-[0,1,2,3]\\t\\n --eos-format=EOS\\n'
)


def _word_tagger():
    """This thread's tagger for counted words (see _WORD_FORMAT)."""
    t = getattr(_local, "word_tagger", None)
    if t is None:
        t = _local.word_tagger = open_tagger(_WORD_FORMAT)
    return t


def _word_row_of(line: str) -> tuple:
    """A line of the words tagger -> the row `_ROWS` makes of its first five fields, then the
    dictionary form's kana, then (lemma, surface, reading) for a counted word or None."""
    head, _tab, base = line.rpartition("\t")
    row = _ROWS[head] if head else ()
    if not row:
        return ()
    lemma, surface = row[7], row[1]
    word = None
    if lemma and counted_word(surface, row[4]):
        # A word written as its dictionary form reads as here (私 わたし, where UniDic's base
        # is わたくし); another form reads as its dictionary form does (来 -> くる).
        kana = row[2] if surface == lemma else base
        reading = None
        if kana and _KANA_VALUE.search(kana):
            reading = reading_from_kana(kana) if KANJI_RE.search(lemma) else to_hiragana(kana)
        word = (lemma, surface, reading)
    return (*row, base, word)


_WORD_ROWS = _Memo(_word_row_of)
_WORD = operator.itemgetter(9)


def _word_rows(output: str) -> list[tuple]:
    return _rows(output, _WORD_ROWS)


def _analyse_words(text: str) -> tuple[_Tokens, list[int]]:
    """`_analyse(text, False)` by the words tagger: the same rows, each with its word (see
    `_word_row_of`), long runs of one character parsed piece by piece."""
    translated = _for_mecab(text)
    parse = _word_tagger().parse
    if not _has_long_run(translated):
        rows = _word_rows(parse(translated))
    else:
        rows = [row for _offset, piece in _run_pieces(translated) for row in _word_rows(parse(piece))]
    tokens = _Tokens(text, rows, False)
    return tokens, list(itertools.compress(itertools.count(), map(_HAS_KANJI, rows)))


# MeCab's lattice grows with its input and the tagger keeps its largest one: index long texts in
# pieces (a word cut at a piece's edge is indexed as two fragments, a little recall lost at those
# few places). 10,000 characters keep 8 MB where 50,000 kept 41 MB, at the same speed.
_TERMS_CHUNK = 10_000


@dataclass(frozen=True, slots=True)
class ReadingOverride:
    """The reader's own reading of `surface`, where it stands between `before` and `after`
    (either may be empty: the surface anywhere)."""

    surface: str
    reading: str
    before: str = ""
    after: str = ""


def apply_overrides(text: str, spans: list[RubySpan], overrides: Sequence[ReadingOverride]) -> list[RubySpan]:
    """`spans` with the reader's overrides applied: ruby from the dictionary that overlaps an
    overridden word is replaced by the reader's reading, aligned to the word's kanji runs."""
    if not overrides:
        return spans
    replaced: list[tuple[int, int]] = []
    added: list[RubySpan] = []
    for override in overrides:
        if not override.surface or not KANJI_RE.search(override.surface):
            continue
        at = text.find(override.surface)
        while at >= 0:
            end = at + len(override.surface)
            if text[:at].endswith(override.before) and text[end:].startswith(override.after) and not any(
                s < end and at < e for s, e in replaced
            ):
                pieces = align(override.surface, override.reading) or ((0, len(override.surface), override.reading),)
                added.extend(RubySpan(at + s, at + e, r, "") for s, e, r in pieces)
                replaced.append((at, end))
            at = text.find(override.surface, at + 1)
    kept = [s for s in spans if not any(s.start < e and b < s.end for b, e in replaced)]
    return sorted(kept + added)


def aozora_ruby(base: str, reading: str, before: str) -> str:
    """base《reading》 in Aozora Bunko notation, with ｜ when `before` (the character written just
    before) is a kanji the base would otherwise reach back over."""
    bar = "｜" if before and KANJI_RE.match(before) else ""
    return f"{bar}{base}《{reading}》"


def with_readings(text: str, start: int, end: int, overrides: Sequence[ReadingOverride] = ()) -> str:
    """text[start:end] with 漢字《かんじ》 readings, read in the context around it."""
    lo, hi = max(0, start - 32), min(len(text), end + 32)
    context = text[lo:hi]
    spans = apply_overrides(context, ruby_spans(tokenize(context)), overrides)
    out: list[str] = []
    cursor = start - lo
    for span in spans:
        if span.start < start - lo or span.end > end - lo or span.start < cursor:
            continue
        out.append(context[cursor : span.start])
        out.append(aozora_ruby(context[span.start : span.end], span.reading, out[-1][-1:] if out and out[-1] else ""))
        cursor = span.end
    out.append(context[cursor : end - lo])
    return "".join(out)
