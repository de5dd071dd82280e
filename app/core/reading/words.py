"""The word at a place in a post's plain text: what the reader's word popup shows.

A word is one MeCab token, or the compound MeCab split that the dictionary stage joins (半|導体:
the word 半導体, as the post's counts have it), read in the context it stands in (its line, or the
sentences around it when the line is very long), with the same context rules and the reader's
own readings that the rendered page uses. Only that neighbourhood is analysed, never the whole post, so a click is
answered in milliseconds whatever the post's length.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from app.core.common.kana import to_hiragana
from app.core.common.messages import Message
from app.core.reading import compounds, furigana
from app.core.reading.furigana import ReadingOverride
from app.core.reading.tokens import KANJI_RE, Token

# At most this many characters either side of the word are analysed. Enough for MeCab and the
# reading rules to see the whole sentence; a paragraph longer than that is cut at sentence ends.
_REACH = 200
# n-best is costlier still: it sees the word's sentence, at most this far either side of the word.
_NBEST_REACH = 60
# A correction's context is grown one character a side until this occurrence is the only one in
# the post, up to this many characters; it never crosses a line break, because the renderer
# matches corrections within one paragraph's prose.
_MAX_CONTEXT = 8
_SENTENCE_END = re.compile(r"[。！？!?]")
_NOT_WORDS = ("補助記号", "空白")
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]+")
# What a reader may type as a reading: hiragana, katakana, the long-vowel mark and the iteration
# marks (ゝゞヽヾ); not ・ or ゠, which are punctuation.
_READING = re.compile(r"[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe]+")

# UniDic's part-of-speech names, most specific first: the first prefix that matches wins. Each
# name is a core message (English here, Japanese in resources/messages/ja.po), so the window shows
# it in the reader's language (messages.translate) while JSON keeps the English (a Message is a str).
_PARTS_OF_SPEECH: tuple[tuple[str, Message], ...] = (
    ("名詞-固有名詞-人名", Message("pos.proper_noun_person", "proper noun (person)")),
    ("名詞-固有名詞-地名", Message("pos.proper_noun_place", "proper noun (place)")),
    ("名詞-固有名詞", Message("pos.proper_noun", "proper noun")),
    ("名詞-数詞", Message("pos.numeral", "numeral")),
    ("名詞-普通名詞-サ変", Message("pos.noun_suru", "noun (takes する)")),
    ("名詞-普通名詞-形状詞可能", Message("pos.noun_na_adjective", "noun (also な-adjective)")),
    ("名詞-普通名詞-副詞可能", Message("pos.noun_adverb", "noun (also adverb)")),
    ("名詞-普通名詞-助数詞可能", Message("pos.noun_counter", "noun (also counter)")),
    ("名詞", Message("pos.noun", "noun")),
    ("代名詞", Message("pos.pronoun", "pronoun")),
    ("動詞", Message("pos.verb", "verb")),
    ("形容詞", Message("pos.i_adjective", "い-adjective")),
    ("形状詞", Message("pos.na_adjective", "な-adjective")),
    ("連体詞", Message("pos.adnominal", "pre-noun adjectival")),
    ("副詞", Message("pos.adverb", "adverb")),
    ("接続詞", Message("pos.conjunction", "conjunction")),
    ("感動詞", Message("pos.interjection", "interjection")),
    ("助動詞", Message("pos.auxiliary_verb", "auxiliary verb")),
    ("助詞", Message("pos.particle", "particle")),
    ("接頭辞", Message("pos.prefix", "prefix")),
    ("接尾辞-名詞的-助数詞", Message("pos.counter", "counter")),
    ("接尾辞", Message("pos.suffix", "suffix")),
    ("記号", Message("pos.symbol", "symbol")),
    ("補助記号", Message("pos.punctuation", "punctuation")),
    ("空白", Message("pos.white_space", "white space")),
)


@dataclass(frozen=True)
class WordInfo:
    """One word of a post's plain text, as the word popup shows it.

    `start`/`end` index the full text. `reading` is hiragana as the page shows it (context rules,
    then the reader's corrections; `corrected` says a correction gave it), None when the word has
    no reading (Latin, digits). `alternatives` are the other readings to pick from (MeCab's n-best
    and the dictionary's own), never including `reading`. `before`/`after` are the characters
    around this occurrence to save with a correction so it applies here and not to the post's
    other occurrences (see `furigana.apply_overrides`).
    """

    surface: str
    start: int
    end: int
    reading: str | None
    lemma: str | None
    pos: str  # UniDic's own, e.g. "名詞-普通名詞-一般"
    part_of_speech: str  # in words, e.g. "noun": a Message (messages.translate shows it in Japanese)
    alternatives: tuple[str, ...]
    has_kanji: bool
    before: str
    after: str
    corrected: bool = False


def normalize_reading(typed: str) -> str | None:
    """A reading the reader typed, as hiragana (カタカナ and half-width ｶﾅ too); None unless kana only."""
    text = unicodedata.normalize("NFKC", typed).strip()
    text = re.sub(r"\s+", "", text)
    return to_hiragana(text) if _READING.fullmatch(text) else None


def part_of_speech(pos: str) -> str:
    """UniDic's part of speech ("名詞-普通名詞-一般") in words: a Message, "noun" in English ("名詞"
    through `messages.translate(name, "ja")`); "" if unknown."""
    for prefix, words in _PARTS_OF_SPEECH:
        if pos.startswith(prefix):
            return words
    return ""


def word_at(text: str, offset: int, overrides: Sequence[ReadingOverride] = ()) -> WordInfo | None:
    """The word of `text` covering the character at `offset`, read in its context.

    None when the offset is outside the text or falls on white space or punctuation. A compound
    MeCab split that the dictionary stage joins (半|導体) is one word, whichever piece the offset
    falls on: the text it covers, its reading, the headword's form as its lemma (the word the
    post counts, `furigana.word_occurrences`). A reader's correction covering the offset wins, as
    on the page: the word is then the corrected surface with the reader's reading (and the
    dictionary's analysis of the word under the offset).
    """
    if not 0 <= offset < len(text) or not text[offset].strip():
        return None
    lo, hi = _window(text, offset)
    context = text[lo:hi]
    tokens, joined = furigana.tokenize_words(context)
    index = next((i for i, t in enumerate(tokens) if t.start <= offset - lo < t.end), None)
    if index is None:
        return None
    token = tokens[index]
    if not token.surface.strip() or token.pos.startswith(_NOT_WORDS):
        return None
    corrected = _correction_at(text, lo, hi, offset, overrides)
    compound = next((c for c in joined if c.first <= index < c.stop), None)
    # (a correction of a piece alone, 導体 of 半導体, is about that piece: its token stays the word)
    if compound is not None and (corrected is None or corrected[1:] == (lo + compound.start, lo + compound.end)):
        token = _compound_token(compound, tokens[compound.first : compound.stop])
    start, end = lo + token.start, lo + token.end
    found = _alternatives(context, token)
    reading = token.reading
    if corrected is not None:
        override, start, end = corrected
        same_span = (start, end) == (lo + token.start, lo + token.end)
        # The word's readings fit only when the correction covers exactly the word.
        found = (found | {token.reading}) if same_span and token.reading else set()
        reading = override.reading
    surface = text[start:end]
    before, after = correction_context(text, start, end)
    return WordInfo(
        surface=surface,
        start=start,
        end=end,
        reading=reading,
        lemma=token.lemma,
        pos=token.pos,
        part_of_speech=part_of_speech(token.pos),
        alternatives=tuple(sorted(found - {reading})) if reading and KANJI_RE.search(surface) else (),
        has_kanji=KANJI_RE.search(surface) is not None,
        before=before,
        after=after,
        corrected=corrected is not None,
    )


# The parts of speech a compound keeps from its last piece; a compound ending in a suffix or a
# verb's stem (編集|部, 気|付き) is a noun.
_COMPOUND_POS = ("名詞-普通名詞", "名詞-固有名詞", "形状詞")
_NOUN = "名詞-普通名詞-一般"


def _compound_token(compound: furigana.JoinedWord, pieces: Sequence[Token]) -> Token:
    """A joined compound as one token: its pieces' span, the headword's form as its lemma, the
    compound's reading (as its dictionary reading too: the pieces' own are no reading of it)."""
    first, last = pieces[0], pieces[-1]
    pos = last.pos if last.pos.startswith(_COMPOUND_POS) else _NOUN
    return Token("".join(p.surface for p in pieces), first.start, last.end, pos, compound.form, compound.reading)


def correction_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The (before, after) that single out text[start:end] among the post's occurrences of it.

    Grown a character a side at a time (within the line) until this is the only occurrence with
    that context, or as long as allowed. Kept short on purpose: a correction saved with it changes
    this occurrence (and this exact phrase wherever it recurs), not the word's other uses.
    """
    surface = text[start:end]
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = after = ""
    for reach in range(1, _MAX_CONTEXT + 1):
        before = text[max(line_start, start - reach) : start]
        after = text[end : min(line_end, end + reach)]
        if _count(text, before + surface + after) <= 1:
            break
    return before, after


def _count(text: str, needle: str) -> int:
    count = 0
    at = text.find(needle)
    while at >= 0 and count < 2:
        count += 1
        at = text.find(needle, at + 1)
    return count


def _window(text: str, offset: int) -> tuple[int, int]:
    """The line around `offset`, or whole sentences within _REACH of it when the line is long."""
    lo = text.rfind("\n", 0, offset) + 1
    hi = text.find("\n", offset)
    hi = len(text) if hi < 0 else hi
    if offset - lo > _REACH:
        cut = offset - _REACH
        ends = [m.end() for m in _SENTENCE_END.finditer(text, cut, offset)]
        lo = ends[0] if ends else cut
    if hi - offset > _REACH:
        cut = offset + _REACH
        ends = [m.end() for m in _SENTENCE_END.finditer(text, offset, cut)]
        hi = ends[-1] if ends else cut
    return lo, hi


def _alternatives(context: str, token: Token) -> set[str]:
    """Other readings of the token: n-best over its own sentence only (n-best is costly), the
    word's own analysed alone, and the dictionary's (JMdict) readings of its form: a compound MeCab
    split (古|文書) has no n-best of its own, and JMdict knows readings UniDic lacks (こもんじょ)."""
    if token.reading is None or not KANJI_RE.search(token.surface):
        return set()
    begin = max(0, token.start - _NBEST_REACH)
    starts = [m.end() for m in _SENTENCE_END.finditer(context, begin, token.start)]
    begin = starts[-1] if starts else begin
    stop = _SENTENCE_END.search(context, token.end, token.end + _NBEST_REACH)
    sentence = context[begin : stop.end() if stop else token.end + _NBEST_REACH]
    # A copy with offsets into the sentence (alternatives() matches n-best tokens by span).
    probe = Token(token.surface, token.start - begin, token.end - begin, token.pos, token.lemma or "", token.dictionary_reading)
    probe.reading = token.reading
    furigana.alternatives(sentence, [probe])
    return set(probe.alternatives) | _readings_alone(token.surface) | set(compounds.readings_of(token.surface))


def _readings_alone(surface: str, n: int = 10) -> set[str]:
    """The dictionary's readings of `surface` analysed on its own as one word (生物: なまもの too),
    which the sentence's n-best may never reach."""
    try:
        output = furigana.tagger().nbest(surface, n)
    except (RuntimeError, ValueError):
        return set()
    found = set()
    for line in output.split("\n"):
        row = line.split("\t")
        if len(row) == 5 and row[1] == surface and row[2] and _KANA.fullmatch(row[2]):
            found.add(furigana.reading_from_kana(row[2]))
    return found


def _correction_at(
    text: str, lo: int, hi: int, offset: int, overrides: Sequence[ReadingOverride]
) -> tuple[ReadingOverride, int, int] | None:
    """The correction the page applies over `offset`, with the span it covers.

    Same precedence as `furigana.apply_overrides`: corrections in order, an occurrence skipped
    when an earlier correction already took any of its characters.
    """
    taken: list[tuple[int, int, ReadingOverride]] = []
    for override in overrides:
        surface = override.surface
        if not surface or not KANJI_RE.search(surface):
            continue
        at = text.find(surface, lo, hi)
        while at >= 0:
            end = at + len(surface)
            if (
                text.endswith(override.before, 0, at)
                and text.startswith(override.after, end)
                and not any(s < end and at < e for s, e, _o in taken)
            ):
                taken.append((at, end, override))
            at = text.find(surface, at + 1, hi)
    for s, e, override in taken:
        if s <= offset < e:
            return override, s, e
    return None
