"""Readings from the dictionary (JMdict): the stage after the context rules and homographs.

MeCab's short units read a compound piece by piece: 割引率 comes out 割|引率 わり|いんそつ, 修羅場
修羅|場 しゅら|じょう. Where a stretch of two or more tokens is a headword of the dictionary
(app.core.reading.dictionary) — starting at a token with kanji (or a word in kana before one: お守り,
ぎゅうぎゅう詰め), ending where a token ends, with at most one kana token between kanji (四|つ|葉) —
its reading is used when it can be chosen without context:

- if the tokens already read as one of the headword's readings, nothing changes (a reading JMdict
  marks out-dated or irregular does not count);
- else the headword's best reading is taken (JMdict's priority ranks, then its order);
- the reading is aligned to the form's runs of kanji (kana between them as written), and a run
  over several tokens is shared out by the tokens' own readings, from the left and from the right
  (割|引率: わり + びきりつ), else by what their kanji may be read (KANJIDIC2, with rendaku and a
  small っ: 五|分|五|分 ごぶごぶ, 一|宿|一|飯 いっしゅくいっぱん), only where there is one way to;
  a stretch that cannot be shared out is left alone;
- only words join: nouns with prefixes and suffixes, stems written in kanji alone (深|掘り), and
  for forms written with kana inside, verb stems before a noun (減らず口); not dates (十月十日);
- a token whose reading a context rule changed, and everything overlapping it, is left alone (but
  for a set word written with kana inside, 四つ葉 よつば): the project's rules win over the
  dictionary, the reader's own corrections and author ruby over both.

A word MeCab read as one token takes the dictionary's reading when MeCab's has less standing
there (`_prefer_common`: 玩具 おもちゃ, not がんぐ).

Rendaku lost in the split: where the tokens already read as one of a headword's readings and the
best one differs only by one piece voiced, the piece voices (大|金持ち おおがねもち). A piece of a
compound the dictionary does not know voices where UniDic has its voiced form as an entry and the
word is one that voices (`_voice_second_parts`: 人食い|熊 ぐま). After a small っ MeCab cut off, a
verb's は-row sound becomes p (しょ|っ|引ける しょっぴける).

The stretches that read as one of their headword's readings once the stage is done, and are one
word by the rules above (`_one_word`), are left on the tokens as `tokens.compounds`: (first token,
end token (exclusive), form, reading) each, in text order (absent when the stage found no
stretch). They are the learner's words (app.core.reading.furigana.joined_words): 半|導体 is the
word 半導体, counted once, whose ruby the reader who knows it does not need.

Set phrases come first (`_read_phrases`): where an expression of the dictionary (蛇の道は蛇,
虎穴に入らずんば虎子を得ず, 今まで通り; the file's phrase table) is written whole, or with its last
verb or adjective inflected (性に合って, 突拍子もなく), it reads as the dictionary reads it, under the
same conditions as a compound (the rules win; no change where it already reads so).

Loanwords written in kanji keep their long-vowel mark: UniDic's コーヒー for 珈琲 is こーひー, as the
dictionary writes it, not こうひい (ー is spelled out only for words the dictionary does not know so).

Without the dictionary file the stage does nothing. Cost: three indexed queries per paragraph (which
of the stretches where a compound may be are forms, the entries of words and compounds, which of
the words' first three characters start a phrase; only for those not seen before), on a connection
of its own;
the UniDic entries of a word that may voice come from a tagger of its own (opened once per thread,
a few milliseconds), remembered per word.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from app.core.common.kana import to_hiragana

_MAX_FORM = 8  # longest compound looked for, in characters


@functools.cache
def _dictionary():
    """The light connection to the dictionary (app.core.reading.dictionary_file), opened once per
    process; None without its file."""
    from app.core.reading.dictionary_file import open_forms

    return open_forms()


# window (the text where a compound may start, _MAX_FORM characters) -> for each length, whether
# the window's first `length` characters are a kanji form of the dictionary: _FORM, _NOT_FORM or
# 0 (not asked yet)
_WINDOWS: dict[str, bytearray] = {}
_FORM, _NOT_FORM = 2, 1
_MAX_WINDOWS = 200_000


def _look_up(asked: list[tuple[str, int]]) -> None:
    """Learn whether each (window, length) is a form (`_WINDOWS`), in one query."""
    forms = list(dict.fromkeys(window[:length] for window, length in asked))
    found: set[str] = set()
    light = _light()
    if light is not None:
        db = light[0]
        with _LIGHT_LOCK:
            for i in range(0, len(forms), 900):
                chunk = forms[i : i + 900]
                found.update(form for (form,) in db.execute(
                    f"SELECT DISTINCT text FROM kanji_form WHERE text IN ({','.join('?' * len(chunk))})", chunk
                ))
    for window, length in asked:
        _WINDOWS[window][length] = _FORM if window[:length] in found else _NOT_FORM


@functools.lru_cache(maxsize=50_000)
def _readings(form: str) -> tuple[tuple[str, int, int], ...]:
    """The readings of `form`, best first, as app.core.reading.dictionary.Dictionary.readings
    gives them: (hiragana, rank, entry id), out-dated and irregular kana left out."""
    return tuple((r, rank, entry) for r, rank, entry, _first in _standing(form))


def readings_of(form: str) -> tuple[str, ...]:
    """The dictionary's readings of `form` (hiragana, best first; out-dated and irregular kana left
    out), () when it is no form of the dictionary or there is no dictionary file."""
    if _dictionary() is None or not form:
        return ()
    return tuple(r for r, _rank, _entry in _readings(form))


def _standing(form: str) -> tuple[tuple[str, int, int, bool], ...]:
    """(reading, rank, entry id, whether it is its entry's first reading of `form`), best first."""
    found = _STANDING.get(form)
    if found is None:
        _prefetch([form])
        found = _STANDING.get(form, ())
    return found


_STANDING: dict[str, tuple[tuple[str, int, int, bool], ...]] = {}


def _prefetch(forms: Iterable[str]) -> None:
    """Find the standing (`_standing`) of every form not seen before in one query.

    Read straight from the file's entry rows (a little JSON each, parsed once per entry:
    `_entry_row`): the full app.core.reading.dictionary module is for the word popup, and a page
    should not pay for loading it."""
    new = [f for f in dict.fromkeys(forms) if f not in _STANDING]
    light = _light() if new else None
    if light is None:
        return
    db, skip = light
    if len(_STANDING) + len(new) > _MAX_WINDOWS:
        _STANDING.clear()
    rows_of: dict[str, list[tuple]] = {f: [] for f in new}
    parsed = _ENTRY_ROWS
    with _LIGHT_LOCK:
        for i in range(0, len(new), 900):
            chunk = new[i : i + 900]
            for form, entry_id, common, kanji_json, readings_json in db.execute(
                "SELECT k.text, e.id, e.common, e.kanji, e.readings FROM kanji_form k JOIN entry e ON e.id = k.entry"
                f" WHERE k.text IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                entry = parsed.get(entry_id)
                if entry is None:
                    if len(parsed) >= _MAX_WINDOWS:
                        parsed.clear()
                    entry = parsed[entry_id] = _entry_row(entry_id, common, kanji_json, readings_json, skip)
                rows_of[form].append(entry)
    for form, rows in rows_of.items():
        _STANDING[form] = _standing_of(form, rows)


# entry id -> `_entry_row` of it
_ENTRY_ROWS: dict[int, tuple] = {}


def _entry_row(entry_id: int, common: int, kanji_json: str, readings_json: str, skip: frozenset[int]) -> tuple:
    """What `_standing_of` needs of an entry's row, whatever form it was found by: (its order
    among entries: its best rank and whether it is common; its id; its kanji forms -> their rank,
    first listing; its readings as (hiragana, rank, the forms they are restricted to or None)
    without those never shown for kanji (re_nokanji) and, by `skip`, the out-dated and irregular
    kana). Ranks as `_rank` gives them; 100 where there is no priority."""
    kanji, readings = json.loads(f"[{kanji_json},{readings_json}]")  # one parse for both
    rank = _rank
    best = 100
    form_ranks: dict[str, int] = {}
    for k in kanji:
        k_rank = rank(k[1]) if len(k) > 1 else 100
        if k_rank < best:
            best = k_rank
        if k[0] not in form_ranks:
            form_ranks[k[0]] = k_rank
    shown = []
    for r in readings:
        n = len(r)
        r_rank = rank(r[1]) if n > 1 else 100
        if r_rank < best:
            best = r_rank
        if (n > 3 and r[3]) or (n > 2 and skip.intersection(r[2])):
            continue  # not a reading of the kanji (re_nokanji), or out-dated or irregular kana
        shown.append((to_hiragana(r[0]), r_rank, tuple(r[4]) if n > 4 and r[4] else None))
    return (best, not common), entry_id, form_ranks, tuple(shown)


def _standing_of(form: str, rows: list[tuple]) -> tuple[tuple[str, int, int, bool], ...]:
    """The standing of `form` from its entries' rows (`_entry_row`)."""
    entries = []
    for order, entry_id, form_ranks, shown in sorted(rows, key=lambda e: e[1]):  # by id
        valid = [(key, rank) for key, rank, only in shown if only is None or form in only]  # not restricted to other forms
        entries.append((order, entry_id, form_ranks.get(form, 100), valid))
    entries.sort(key=lambda e: e[0])  # as Dictionary.entries: most frequent first, stable
    found: dict[str, tuple[str, int, int]] = {}
    firsts: set[str] = set()
    for _order, entry_id, form_rank, valid in entries:
        if valid:
            firsts.add(valid[0][0])
        for key, rank in valid:
            rank = max(form_rank, rank)
            if key not in found or rank < found[key][1]:
                found[key] = (key, rank, entry_id)
    return tuple((key, rank, entry, key in firsts) for key, rank, entry in sorted(found.values(), key=lambda c: c[1]))


# JMdict's priority tags that make a word common (app.core.reading.dictionary.COMMON_PRIORITIES).
_COMMON = frozenset({"news1", "ichi1", "spec1", "spec2", "gai1"})
_LIGHT_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1024)
def _rank(priorities: str) -> int:
    """JMdict's priority tags (space-separated) as a rank, lower more frequent: what
    app.core.reading.dictionary.priority_rank gives."""
    if not priorities:
        return 100
    tags = priorities.split()
    ranks = [int(t[2:]) for t in tags if t.startswith("nf") and t[2:].isdigit()]
    if ranks:
        return min(ranks)
    return 50 if _COMMON.intersection(tags) else 75


@functools.cache
def _light():
    """A read-only connection of this stage's own to the dictionary file and the ids of the tags
    for out-dated and irregular kana; None without a file this version reads."""
    if _dictionary() is None:
        return None
    from app.core.reading.dictionary_file import _MMAP_BYTES, dictionary_path

    try:
        db = sqlite3.connect(f"{dictionary_path().resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        db.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")  # as the forms' connection (see dictionary_file)
        skip = frozenset(row[0] for row in db.execute("SELECT id FROM tag WHERE kind = 're_inf' AND code IN ('ok', 'ik')"))
    except sqlite3.Error:
        return None
    return db, skip


def forget() -> None:
    """Drop what this stage remembers (the connection and every look-up): tests, a rebuilt file."""
    _WINDOWS.clear()
    _STANDING.clear()
    _ENTRY_ROWS.clear()
    _KNOWN.clear()
    _PREFERRED.clear()
    _VOICED_FORMS.clear()
    _PHRASES.clear()
    _STARTS_PHRASE.clear()
    for cached in (_dictionary, _rank, _readings, _entries, _named_by_rules, _light, _by_kanji, _kanji_readings, _has_own_sense):
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
    _read_phrases(tokens, with_kanji, align)
    # (token, start) where a compound may start, in text order
    candidates: list[tuple[int, int]] = []
    append = candidates.append
    last = len(rows) - 1
    kana_starts = _KANA_STARTS
    after_sokuon: list[int] = []
    for i in with_kanji:
        row = rows[i]
        start = ends[i] - len(row[1])
        if i and row[0] == row[1]:
            before = rows[i - 1]
            if not kanji_of(i - 1):
                if before[4].startswith(kana_starts):
                    append((i - 1, start - len(before[1])))  # a word in kana before kanji (お守り)
                elif before[1] in _SOKUON and row[4].startswith("動詞") and i > 1 and before[0] == before[1]:
                    after_sokuon.append(i)
        if i < last:
            after = rows[i + 1]
            if after[0] == after[1] and (  # no space between
                kanji_of(i + 1) or (i + 1 < last and kanji_of(i + 2) and rows[i + 2][0] == rows[i + 2][1])
            ):
                append((i, start))  # the next token, or the one after a kana token (四|つ|葉)
    headwords = _headwords(candidates, ends, text, min(_MAX_FORM, dictionary.max_form_length))
    forms = [text[start : ends[j]] for _i, start, j in headwords]
    standing = _STANDING
    # the entries of the paragraph's words and compounds not seen before: one query
    _prefer_common(tokens, with_kanji, spell, [form for form in forms if form not in standing])
    if after_sokuon:
        _after_sokuon(tokens, after_sokuon)
    if not candidates:
        return
    taken_until = -1
    taken: list[tuple[int, int]] = []  # the stretches (first, last token) that are headwords
    joined = tokens.compounds = []  # the words among them (see the module docstring)
    for (i, start, j), form in zip(headwords, forms):
        if start < taken_until:
            continue
        _fix(tokens, i, j, form, align, spell)
        reading = _one_word(tokens, i, j, form, spell)
        if reading is not None:
            joined.append((i, j + 1, form, reading))
        taken.append((i, j))
        taken_until = ends[j]  # nothing starts inside it (日本海側: not 海側 うみがわ)
    _voice_second_parts(tokens, candidates, taken)


def _headwords(candidates: Sequence[tuple[int, int]], ends: list[int], text: str, limit: int) -> list[tuple[int, int, int]]:
    """(token, start, last token) of the longest stretch from each candidate (token, start) to the
    end of a later token, `limit` characters at most, that is a kanji form of the dictionary, for
    the candidates that have one, in order.

    Only such stretches are looked up (`_WINDOWS`), not every prefix of the text there: all those
    of a paragraph not seen before in one query."""
    windows = _WINDOWS
    if len(windows) > _MAX_WINDOWS:
        windows.clear()
    found = _longest(candidates, ends, text, limit, windows)
    if found is not None:
        return found
    asked: list[tuple[str, int]] = []
    last = len(ends) - 1
    for i, start in candidates:
        window = text[start : start + limit]
        known = windows.get(window)
        if known is None:
            known = windows[window] = bytearray(_MAX_FORM + 1)
        j = i + 1
        while j <= last and ends[j] <= start + limit:
            if not known[ends[j] - start]:
                asked.append((window, ends[j] - start))
            j += 1
    _look_up(asked)
    return _longest(candidates, ends, text, limit, windows) or []  # (never None now)


def _longest(candidates: Sequence[tuple[int, int]], ends: list[int], text: str, limit: int, windows) -> list[tuple[int, int, int]] | None:
    """(token, start, last token) of the longest stretch from each candidate (token, start) that is
    a form, for those that have one, in order; None when some stretch is not in `windows` yet."""
    out: list[tuple[int, int, int]] = []
    append = out.append
    get = windows.get
    right = bisect.bisect_right
    form = _FORM
    for i, start in candidates:
        known = get(text[start : start + limit])
        if known is None:
            return None
        for j in range(right(ends, start + limit, i + 1) - 1, i, -1):  # the longest first
            is_form = known[ends[j] - start]
            if is_form == form:
                append((i, start, j))
                break
            if not is_form:
                return None
    return out


_SOKUON = frozenset("っッ")
# Words that end an utterance before a lone っ (よ|っ, ね|っ): what follows is a new word.
_NOT_BEFORE_SOKUON = ("感動詞", "助詞-終助詞", "補助記号", "空白")
_H_TO_P = str.maketrans("はひふへほ", "ぱぴぷぺぽ")


def _after_sokuon(tokens, found: Sequence[int]) -> None:
    """A verb in kanji read from は, ひ, ふ, へ or ほ straight after a small っ that MeCab cut off as a
    token of its own, after kana (しょ|っ|引ける): inside a word the sound after っ is p
    (しょっぴける), as in every verb written so in one piece (引っ張る ひっぱる, ぶっ放す ぶっぱなす).
    Not after an interjection or a sentence-ending particle (よ|っ|...: a new word), and not where
    a context rule chose the reading. (あっ, えっ are interjections of their own: never here.)"""
    made, rows = tokens.made, tokens.rows
    for i in found:
        reading, first = rows[i][6], rows[i - 2]
        if not reading or reading[0] not in "はひふへほ" or first[5] or first[4].startswith(_NOT_BEFORE_SOKUON):
            continue
        token = made.get(i)
        if token is not None and token.reading != token.dictionary_reading:
            continue
        tokens[i].reading = reading[0].translate(_H_TO_P) + reading[1:]


# Words in kana that may start a compound the dictionary writes with kanji after them: a prefix
# (お守り), a pronoun (そこら中), an adverb or a noun (ぎゅうぎゅう詰め); never a particle.
_KANA_STARTS = ("接頭辞", "代名詞", "副詞", "名詞-普通名詞")


# Only words join: nouns, with prefixes and suffixes, and the stems of na-adjectives before a
# suffix or a noun (頑固|者 がんこもの); an adjective or a verb before a noun is a phrase (貴い命,
# whose reading the dictionary may give one way of two).
_JOINING = ("名詞", "接頭辞", "接尾辞", "形状詞")
# Inside a compound written with kana (使い勝手, 減らず口, 帆掛け船, ぎゅうぎゅう詰め) a verb's stem,
# an auxiliary or an adverb may stand before the noun that ends it.
_INSIDE = ("動詞", "助動詞", "名詞", "接頭辞", "接尾辞", "代名詞", "副詞", "形状詞")


def _joins(pieces, form: str) -> bool:
    """Whether the pieces make one word the dictionary may read: nouns with their prefixes and
    suffixes, and the stems of verbs and adjectives MeCab found written in kanji alone (拉|麺,
    深|掘り: a verb or an adjective of its own shows its okurigana), the last piece maybe a verb's
    stem with its okurigana after such pieces (深|掘り ふかぼり, 気|付き きづき); or, when the form
    itself is written with kana before a kanji, verb stems, auxiliaries and adverbs before a noun
    that ends it. An adjective or a verb before a noun is otherwise a phrase (貴い命)."""
    *head, last = pieces
    if all(p.pos.startswith(_JOINING) or _bare_stem(p) for p in head) and (
        last.pos.startswith(_JOINING) or _bare_stem(last) or last.pos.startswith("動詞")
    ):
        return True
    if not last.pos.startswith(("名詞", "接尾辞")) or not _KANA_INSIDE.search(form):
        return False
    return all(p.pos.startswith(_INSIDE) for p in pieces)


def _bare_stem(piece) -> bool:
    """A verb's or an adjective's stem written in kanji alone (深 of 深掘り, 拉 of 拉麺)."""
    return piece.pos.startswith(("動詞", "形容詞")) and _ALL_KANJI_1.fullmatch(piece.surface) is not None


_ALL_KANJI_1 = re.compile("[\u3400-\u9fff々]+")
# Kana before a kanji in a form: 四つ葉, 使い勝手, ぎゅうぎゅう詰め (not 割引率, nor 取り扱い's end).
_KANA_INSIDE = re.compile("[\u3041-\u3096\u30a1-\u30fa][\u3400-\u9fff々]")


def _fix(tokens, i: int, j: int, form: str, align, spell) -> bool:
    # The usual case first, without making a Token: the tokens read as the dictionary does. A
    # reading JMdict marks out-dated or irregular (修羅場 しゅらじょう) is not one of _known.
    made, rows = tokens.made, tokens.rows
    now = []
    for k in range(i, j + 1):
        token = made.get(k)
        reading = rows[k][6] if token is None else token.reading
        now.append(reading or to_hiragana(rows[k][1]))
    joined = "".join(now)
    if joined in _known(form, spell):
        return joined != _readings(form)[0][0] and _voice_as_listed(tokens, i, now, form)
    pieces = [tokens[k] for k in range(i, j + 1)]
    if any(p.reading != p.dictionary_reading for p in pieces) and not _KANA_INSIDE.search(form):
        # a context rule chose a reading here: the rules win, but for a set word written with
        # kana between its kanji (四つ葉 よつば, not the counting よっつ)
        return False
    if not _joins(pieces, form):
        return False
    before = tokens.rows[i - 1] if i > 0 else None
    if before is not None and (before[1][-1:].isdigit() or before[4].startswith("名詞-数詞")):
        return False  # after a number the first kanji is a counter (3月末 is さんがつまつ, not げつまつ)
    if any(p.reading is None and any("\u3400" <= c <= "\u9fff" for c in p.surface) for p in pieces):
        return False
    if _DATE.fullmatch(form):
        return False  # a date (十月十日 じゅうがつとおか): the counter rules read it, not an idiom
    readings = _readings(form)
    if not readings:
        return False
    # MeCab's reading is none of the dictionary's: its best one, even among equals, is nearer.
    best, _rank, _entry = readings[0]
    shares = _spread(best, pieces, form, align)
    if shares is None:
        return False
    for piece, share in zip(pieces, shares):
        piece.reading = share
    return True


class _Piece(NamedTuple):
    """A token as `_joins` looks at it, made from its row."""

    surface: str
    pos: str


def _one_word(tokens, i: int, j: int, form: str, spell) -> str | None:
    """The reading of tokens i..j (the headword `form`) after `_fix`, when they now read as one of
    its readings and are one word (`_joins`; not a date, nor a counter after a number); else None."""
    rows, made = tokens.rows, tokens.made
    stretch = rows[i : j + 1]
    now = []
    nouns = True
    for k, row in enumerate(stretch, i):
        token = made.get(k)
        now.append((row[6] if token is None else token.reading) or to_hiragana(row[1]))
        nouns = nouns and row[4].startswith(_JOINING)
    reading = "".join(now)
    if reading not in _known(form, spell):
        return None
    if i and (rows[i - 1][1][-1:].isdigit() or rows[i - 1][4].startswith("名詞-数詞")):
        return None
    if not nouns and not _joins([_Piece(row[1], row[4]) for row in stretch], form):
        return None
    if "月" in form and _DATE.fullmatch(form):
        return None
    return reading


def _voice_as_listed(tokens, i: int, now: list[str], form: str) -> bool:
    """The tokens read as one of the headword's readings, but the best one is the same with one
    piece voiced (rendaku): 大|金持ち おおかねもち -> おおがねもち, 使い|勝手 つかいがって. JMdict lists
    the voiced reading first, so it is the usual one; MeCab read the piece as it reads alone.
    Nothing changes where a context rule chose a piece's reading."""
    best = _readings(form)[0][0]
    for k in range(1, len(now)):
        piece = now[k]
        if not piece or piece[0] not in _VOICEABLE:
            continue
        voiced = piece[0].translate(_VOICED) + piece[1:]
        if "".join(now[:k]) + voiced + "".join(now[k + 1 :]) != best:
            continue
        token, before = tokens[i + k], tokens.rows[i + k - 1]
        if token.reading != token.dictionary_reading or not _ALL_KANJI_1.search(token.surface):
            return False
        row = tokens.rows[i + k]
        if not _voices(_origin(row[1], row[2], row[4]), row[4], (before[1], before[2], before[4])):
            return False  # Sino-Japanese pieces keep MeCab's reading (芸|達者 げいたっしゃ, 碁会|所 ごかいしょ)
        token.reading = voiced
        return True
    return False


def _known(form: str, spell) -> frozenset[str]:
    """The readings of `form` (`_readings`), with ー spelled out too (こーひー, こうひい)."""
    found = _KNOWN.get(form)
    if found is None:
        if len(_KNOWN) >= _MAX_WINDOWS:
            _KNOWN.clear()
        readings = [r for r, _rank, _entry in _readings(form)]
        found = _KNOWN[form] = frozenset(readings + [spell(r) for r in readings if "ー" in r])
    return found


_KNOWN: dict[str, frozenset[str]] = {}
_DATE = re.compile("[〇一二三四五六七八九十百千]+月[〇一二三四五六七八九十]+日")


def _spread(reading: str, pieces, form: str, align) -> list[str] | None:
    """The form's reading shared out over its pieces (tokens), or None when it cannot be.

    The reading is first aligned to the form's runs of kanji (kana between them read as
    themselves: 四つ葉 よつば -> 四:よ, 葉:ば). A run inside one piece goes to that piece; a run
    over several pieces (修羅|場) is shared by the pieces' own readings (`_share`), else by their
    kanji's readings (`_share_by_kanji`). Each piece's share must fit its surface (its okurigana
    as written)."""
    runs = align(form, reading)
    if not runs:
        return None
    bounds: list[tuple[int, int]] = []
    at = 0
    for piece in pieces:
        bounds.append((at, at + len(piece.surface)))
        at += len(piece.surface)
    # For each piece: where each of its stretches of a run of kanji starts -> (its end, reading).
    stretches: list[dict[int, tuple[int, str]]] = [{} for _ in pieces]
    for s, e, run_reading in runs:
        spans = [(k, max(s, a), min(e, b)) for k, (a, b) in enumerate(bounds) if a < e and s < b]
        if len(spans) == 1:
            k, lo, hi = spans[0]
            stretches[k][lo] = (hi, run_reading)
            continue
        owns: list[str] = []
        for k, lo, hi in spans:
            a = bounds[k][0]
            own = pieces[k].reading
            found = align(pieces[k].surface, own) if own else ()
            mine = next((r for ps, pe, r in found if a + ps == lo and a + pe == hi), None)
            if mine is None:
                return None  # the piece's own reading does not cover its part of the run
            owns.append(mine)
        shares = _share(run_reading, owns) or _share_by_kanji(run_reading, [form[lo:hi] for _k, lo, hi in spans], owns)
        if shares is None:
            return None
        for (k, lo, hi), share in zip(spans, shares):
            stretches[k][lo] = (hi, share)
    out: list[str] = []
    for (a, b), piece, mine in zip(bounds, pieces, stretches):
        text: list[str] = []
        pos = a
        while pos < b:
            if pos in mine:
                pos, part = mine[pos]
                text.append(part)
            else:  # kana between the runs, read as written
                text.append(to_hiragana(form[pos]))
                pos += 1
        share = "".join(text)
        if any("\u3400" <= c <= "\u9fff" for c in piece.surface) and not align(piece.surface, share):
            return None  # the share does not fit the piece (its kana would not match)
        out.append(share)
    return out


def _share(reading: str, owns: list[str]) -> list[str] | None:
    """A run's reading shared out over its parts in several pieces, by each part's own reading:
    a part whose own reading starts what is left keeps it, from the left, then likewise from the
    right; one part may take the rest (割|引率: わり + びきりつ)."""
    shares: list[str | None] = [None] * len(owns)
    left, right = 0, len(owns) - 1
    rest = reading
    while left <= right:
        own = owns[left]
        if own and rest.startswith(own) and len(rest) > len(own):
            shares[left], rest, left = own, rest[len(own) :], left + 1
            continue
        own = owns[right]
        if own and rest.endswith(own) and len(rest) > len(own):
            shares[right], rest, right = own, rest[: -len(own)], right - 1
            continue
        break
    if left != right or not rest:
        return None  # more than one part left to guess
    shares[left] = rest
    return shares  # type: ignore[return-value]


def _share_by_kanji(reading: str, parts: list[str], owns: list[str]) -> list[str] | None:
    """A run's reading shared out over its parts by how each part's kanji may be read, when
    `_share` cannot: 五|分|五|分 ごぶごぶ -> ご ぶ ご ぶ; 一|宿|一|飯 いっしゅくいっぱん -> いっ しゅく
    いっ ぱん. A part fits a stretch of the reading that is its own reading, or its kanji's readings
    (KANJIDIC2) one after another, each maybe voiced (rendaku) or cut short by a small っ. The
    sharing must be the only one where every part fits; failing that, the only one where every
    part but one fits (that one takes what is left). Otherwise None: the reading is not guessed."""
    if len(parts) > _MAX_FORM or len(reading) > 3 * _MAX_FORM:
        return None
    for free in (False, True):
        found = _sharings(reading, tuple(parts), tuple(owns), free)
        if len(found) == 1:
            return list(found.pop())
        if found:
            return None  # more than one way: context would have to decide
    return None


def _sharings(reading: str, parts: tuple[str, ...], owns: tuple[str, ...], free: bool) -> set[tuple[str, ...]]:
    """The ways (at most two) to cut `reading` into the parts' readings (see `_share_by_kanji`);
    with `free`, exactly one part may take any stretch."""
    out: set[tuple[str, ...]] = set()

    def walk(k: int, at: int, taken: tuple[str, ...], used: bool) -> None:
        if len(out) > 1:
            return
        if k == len(parts):
            if at == len(reading) and used == free:
                out.add(taken)
            return
        for end in range(at + 1, len(reading) - (len(parts) - k - 1) + 1):
            piece = reading[at:end]
            if _fits(parts[k], owns[k], piece):
                walk(k + 1, end, (*taken, piece), used)
            elif free and not used:
                walk(k + 1, end, (*taken, piece), True)

    walk(0, 0, (), False)
    return out


def _fits(part: str, own: str, piece: str) -> bool:
    """Whether `piece` of a reading may read the kanji `part` (MeCab read it `own`)."""
    return piece in _sound_changes(own) or _by_kanji(part, piece)


@functools.lru_cache(maxsize=20_000)
def _by_kanji(part: str, piece: str) -> bool:
    """Whether `piece` is the readings of the kanji of `part`, one after another."""
    if not part:
        return not piece
    return any(piece.startswith(r) and _by_kanji(part[1:], piece[len(r) :]) for r in _kanji_readings(part[0]))


_VOICED = str.maketrans("かきくけこさしすせそたちつてとはひふへほ", "がぎぐげござじずぜぞだぢづでどばびぶべぼ")
_HALF_VOICED = str.maketrans("はひふへほ", "ぱぴぷぺぽ")


@functools.lru_cache(maxsize=20_000)
def _sound_changes(reading: str) -> frozenset[str]:
    """`reading` and how it may sound inside a compound: voiced at its start (rendaku: か -> が,
    は -> ば or ぱ), its last く, つ, ち or き turned into a small っ, じゅう into じっ or じゅっ."""
    if not reading:
        return frozenset()
    starts = {reading, reading[0].translate(_VOICED) + reading[1:], reading[0].translate(_HALF_VOICED) + reading[1:]}
    out = set(starts)
    for r in starts:
        if len(r) > 1 and r[-1] in "くつちき":
            out.add(r[:-1] + "っ")
        if r.endswith("じゅう"):
            out.update((r[:-3] + "じっ", r[:-3] + "じゅっ"))
    return frozenset(out)


@functools.lru_cache(maxsize=5_000)
def _kanji_readings(char: str) -> frozenset[str]:
    """How `char` may be read in a word (KANJIDIC2's on and kun readings in hiragana, without
    okurigana; names' readings left out), with their sound changes (`_sound_changes`)."""
    light = _light()
    if light is None:
        return frozenset()
    with _LIGHT_LOCK:
        row = light[0].execute("SELECT on_readings, kun_readings FROM kanji WHERE literal = ?", (char,)).fetchone()
    if row is None:
        return frozenset()
    out: set[str] = set()
    for reading in (row[0] + " " + row[1]).split():
        stem = to_hiragana(reading.split(".")[0].strip("-"))
        if stem:
            out |= _sound_changes(stem)
    return frozenset(out)


_ALL_KANJI = re.compile("[\u3400-\u9fff々〆ヶ]{2,}")


def _prefer_common(tokens, with_kanji: Sequence[int], spell, also: Sequence[str] = ()) -> None:
    """A word of two or more kanji that MeCab read as one token standing on its own takes the
    form's best reading in JMdict where MeCab's has less standing:
    - the best reading has a priority tag (news, ichi, spec, nf) and MeCab's has none, or is not
      a reading of the form at all: 玩具 おもちゃ, not がんぐ; 昼飯 ひるめし, not ちゅうはん;
    - no reading of the form has a tag, and MeCab's is a later one of an entry whose first is
      the best (JMdict lists the usual reading first: 泥濘 ぬかるみ, not でいねい), or the form has
      that one reading alone (強面 こわもて, not こわおもて).
    The best reading must be its entry's first (女将 stays おかみ, though じょしょう carries the
    newspaper tag). MeCab's reading stays for names, numerals and suffixes (their readings are
    their own), for a counter after a number, for the words the project's own tables read
    (`reading_rules`, `homographs`: the rules win), and inside a longer compound (上方|修正
    じょうほう, 無|造作 ぞうさ), where MeCab read the word for its neighbour.
    `also`: forms whose entries are fetched in the same query (the paragraph's compounds)."""
    rows = tokens.rows
    made = tokens.made
    last = len(rows) - 1
    preferred = _PREFERRED
    words: list[int] = []
    unknown: list[str] = []
    for i in with_kanji:
        row = rows[i]
        best = preferred.get(row)
        if best == "":
            continue  # the usual case: this word in this reading never changes
        if best is None:
            surface = row[1]
            if not row[6] or len(surface) < 2 or _ALL_KANJI.fullmatch(surface) is None or row[4].startswith(_OWN_READINGS):
                preferred[row] = ""
                continue
            unknown.append(surface)
        words.append(i)
    if unknown or also:
        _prefetch([*unknown, *also])  # with the paragraph's compounds (`also`): one query
    if not words:
        return
    if unknown and len(preferred) >= _MAX_WINDOWS:
        preferred.clear()
    for i in words:
        row = rows[i]
        best = preferred.get(row)
        if best is None:
            best = preferred[row] = _preferred_of(row, spell)
        if not best:
            continue
        if i > 0 and (rows[i - 1][1][-1:].isdigit() or rows[i - 1][4].startswith("名詞-数詞")):
            continue  # a counter after a number (3日間 みっかかん): the counter rules read it
        if (i > 0 and row[0] == row[1] and rows[i - 1][4].startswith(_JOINING) and (rows[i - 1][5] or rows[i - 1][4].startswith("接頭辞"))) or (
            i < last and rows[i + 1][0] == rows[i + 1][1] and rows[i + 1][5] and rows[i + 1][4].startswith(_JOINING)
        ):
            continue  # part of a longer compound (an adverb before it is not: 急遽|賓客)
        token = made.get(i)
        if token is not None and token.reading != token.dictionary_reading:
            continue  # a context rule chose it
        tokens[i].reading = best


# MeCab's row of a word -> the reading `_prefer_common` gives it ("": MeCab's own stays).
_PREFERRED: dict[tuple, str] = {}


def _preferred_of(row: tuple, spell) -> str:
    """The reading `_prefer_common` gives a word MeCab read as `row`, whatever its neighbours;
    "" to keep MeCab's."""
    surface, reading = row[1], row[6]
    if surface in _named_by_rules():
        return ""
    standing = _standing(surface)
    if not standing:
        return ""
    best, best_rank, _entry, first = standing[0]
    if not first or reading == best or spell(best) == reading:
        return ""
    if best_rank < _NO_PRIORITY:
        if any(rank < _NO_PRIORITY and (r == reading or spell(r) == reading) for r, rank, _e, _f in standing):
            return ""  # MeCab's reading has a priority tag too
    elif any(f and (r == reading or spell(r) == reading) for r, _rank, _e, f in standing):
        return ""  # no tags at all, and MeCab's reading is an entry's first too
    elif len(standing) > 1 and not any(r == reading or spell(r) == reading for r, _rank, _e, _f in standing):
        return ""  # no tags, and MeCab's reading is none of several: JMdict may just lack it
    if _has_own_sense(surface, reading):
        return ""  # MeCab's reading is a word of its own (波形 はけい "waveform", なみがた "wavy form")
    return best


@functools.lru_cache(maxsize=5_000)
def _has_own_sense(form: str, reading: str) -> bool:
    """Whether some sense of an entry written `form` belongs to `reading` alone (JMdict's stagr):
    then MeCab chose a meaning, not a spelling."""
    light = _light()
    if light is None:
        return False
    with _LIGHT_LOCK:
        rows = light[0].execute(
            "SELECT e.senses FROM kanji_form k JOIN entry e ON e.id = k.entry WHERE k.text = ?", (form,)
        ).fetchall()
    return any(reading in map(to_hiragana, sense.get("r", ())) for (senses,) in rows for sense in json.loads(senses))


# app.core.reading.dictionary.priority_rank of a reading without any priority tag.
_NO_PRIORITY = 100


@functools.cache
def _named_by_rules() -> frozenset[str]:
    """The one-token words the project's tables read (readings.tsv, homographs.tsv)."""
    from app.core.reading import homographs, reading_rules

    table = reading_rules.rules()
    named = {surfaces[0] for candidates in table.sequences.values() for surfaces, _r in candidates if len(surfaces) == 1}
    return frozenset(named | homographs.words())


# Parts of speech whose readings the dictionary's words do not decide: names, numerals, and
# suffixes (a counter such as 日間 reads after its number).
_OWN_READINGS = ("名詞-固有名詞", "名詞-数詞", "接尾辞")


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


# --- rendaku: the second part of a compound MeCab split -------------------------------------------

def _voice_second_parts(tokens, candidates: Sequence[tuple[int, int]], taken: Sequence[tuple[int, int]]) -> None:
    """Rendaku (連濁) for a word MeCab split off a compound the dictionary does not know: 人食い|熊
    ひとくい|ぐま, ゴム|鉄砲 でっぽう, 流し|斬り ながしぎり. The second part takes its voiced reading
    when all of these hold:
    - it directly follows a common noun MeCab knows or a prefix (not お, ご, 御; not a numeral, a
      name, or a time word used as an adverb: 今日|会社へ), with no space between;
    - it is a common noun or a noun-like suffix (not a counter), untouched by the context rules
      and not inside a stretch the dictionary knows as one word (白熊 stays しろくま);
    - a verb's noun (釣り, 込み, 付け) voices only after another verb's noun (流し|斬り): after a
      plain noun it is as often its object, which does not voice (バス釣り, チップ込み, 帳簿付け);
    - UniDic itself has the voiced form as an entry of the same word and part of speech (熊 グマ,
      斬り ギリ): it has one only where the word voices in compounds, so Lyman's law (傷 キズ has
      no ギズ) and the words that never voice come with the data;
    - the word is Japanese (UniDic's 語種 和), or a Sino-Japanese noun after a word that is not
      Sino-Japanese (`_voices`: ゴム|鉄砲, not 満足|気, nor キャンプ|中's ぢゅう).
    """
    rows, made = tokens.rows, tokens.made
    in_taken: set[int] | None = None
    last = len(rows) - 1
    voiceable = _VOICEABLE
    for i, _start in candidates:
        k = i + 1
        if k > last:
            continue
        row = rows[k]
        reading = row[6]
        # the cheap tests first: most words after a noun start with a sound that never voices
        if not reading or reading[0] not in voiceable or row[0] != row[1] or not row[5]:
            continue
        pos, before = row[4], rows[i]
        if not pos.startswith(_VOICING_POS) or pos.startswith(_NOT_VOICING) or not before[6]:
            continue  # (a word MeCab does not know before it: ピーヒャラ|笛 is no compound it can judge)
        if not before[4].startswith(_BEFORE_VOICING) or before[4].startswith(_NOT_BEFORE_VOICING) or before[1] in _HONORIFIC:
            continue
        if not _ALL_KANJI_1.fullmatch(row[1]) and not (before[5] and _ENDS_IN_KANA.search(before[1])):
            continue  # a verb's noun (釣り, 付け): voiced after another verb's noun alone (流し|斬り)
        if in_taken is None:
            in_taken = {t for first, stop in taken for t in range(first, stop + 1)}
        if k in in_taken or i in in_taken:
            continue
        token = made.get(k)
        if token is not None and token.reading != token.dictionary_reading:
            continue  # a context rule chose it
        voiced = _voiced(row[1], row[2], pos, (before[1], before[2], before[4]))
        if voiced:
            tokens[k].reading = voiced


_ENDS_IN_KANA = re.compile("[\u3041-\u3096]$")
_VOICEABLE = frozenset("かきくけこさしすせそたちつてとはひふへほ")
_VOICING_POS = ("名詞-普通名詞", "接尾辞-名詞的")
_NOT_VOICING = ("接尾辞-名詞的-助数詞", "名詞-普通名詞-副詞可能")
_BEFORE_VOICING = ("名詞-普通名詞", "接頭辞")
_NOT_BEFORE_VOICING = ("名詞-普通名詞-副詞可能",)
_HONORIFIC = frozenset(("お", "ご", "御"))


def _voiced(surface: str, kana: str, pos: str, after: tuple[str, str, str]) -> str:
    """The voiced reading of a word MeCab read `kana` as `pos` after the word `after` (surface,
    kana, part of speech), or "": UniDic must have the voiced form as an entry of the same part of
    speech, and a Sino-Japanese word voices only after a word that is not (ゴム|鉄砲 でっぽう, but
    満足|気 and 突|拍子 stay as they are)."""
    key = (surface, kana, pos, after)
    found = _VOICED_FORMS.get(key)
    if found is None:
        if len(_VOICED_FORMS) >= _MAX_WINDOWS:
            _VOICED_FORMS.clear()
        found = _VOICED_FORMS[key] = _voiced_of(surface, kana, pos, after)
    return found


_VOICED_FORMS: dict[tuple, str] = {}


def _voiced_of(surface: str, kana: str, pos: str, after: tuple[str, str, str]) -> str:
    plain = to_hiragana(kana)
    wanted = plain[0].translate(_VOICED) + plain[1:]
    if wanted == plain:
        return ""  # a sound that does not voice
    top = pos.split("-")[0]
    for other_kana, other_pos, origin in sorted(_entries(surface)):
        if to_hiragana(other_kana) == wanted and other_pos.split("-")[0] == top:
            break
    else:
        return ""
    return wanted if _voices(origin, pos, after) else ""


def _voices(origin: str, pos: str, after: tuple[str, str, str]) -> bool:
    """Whether a word of this origin (UniDic's 語種) and part of speech may voice after the word
    `after` (surface, kana, part of speech): a Japanese word (和), or a Sino-Japanese noun (漢)
    after a word that is not one (ゴム|鉄砲 でっぽう; not 満足|気, 芸|達者, 碁会|所)."""
    return origin == "和" or (origin == "漢" and pos.startswith("名詞") and _origin(*after) in ("和", "外"))


def _origin(surface: str, kana: str, pos: str) -> str:
    """UniDic's word origin (語種: 和, 漢, 外, 混, 固) of a word MeCab read `kana` as `pos`."""
    entries = _entries(surface)
    exact = sorted(origin for other_kana, other_pos, origin in entries if other_kana == kana and other_pos == pos)
    loose = sorted(origin for other_kana, _pos, origin in entries if other_kana == kana)
    return (exact or loose or [""])[0]


@functools.lru_cache(maxsize=20_000)
def _entries(surface: str) -> frozenset[tuple[str, str, str]]:
    """(kana, part of speech, word origin) of UniDic's entries written `surface`: the one-token
    analyses among MeCab's n-best for the word alone."""
    tagger = getattr(_TAGGERS, "tagger", None)
    if tagger is None:
        tagger = _TAGGERS.tagger = _open_tagger()
    found: set[tuple[str, str, str]] = set()
    lines: list[str] = []
    for line in tagger.nbest(surface, _ENTRIES_N).split("\n"):
        if line != "EOS":
            lines.append(line)
            continue
        if len(lines) == 1:  # an analysis of one token
            fields = lines[0].split("\t")
            if len(fields) == 4 and fields[0] == surface:
                found.add((fields[1], fields[3], fields[2]))
        lines = []
    return frozenset(found)


# surface, kana (UniDic's field 17), word origin (field 12: 語種), part of speech
_ENTRY_FORMAT = (
    r' -O "" --node-format=%m\\t%f[17]\\t%f[12]\\t%F-[0,1,2,3]\\n'
    r' --unk-format=%m\\t\\t\\t%F-[0,1,2,3]\\n --eos-format=EOS\\n'
)
_TAGGERS = threading.local()  # one tagger per thread (MeCab taggers are not safe to share)
_ENTRIES_N = 20


def _open_tagger():
    """A MeCab tagger over unidic-lite writing _ENTRY_FORMAT: the word origin is a field the
    page's tagger does not print (a tagger of its own costs less than printing it for every
    token of every render)."""
    from app.core.reading import mecab

    return mecab.open_tagger(_ENTRY_FORMAT)



# Set phrases (the dictionary file's phrase table, app.core.reading.build_dictionary._is_phrase),
# by their first three characters: head -> the phrases starting with it (`_phrases`), () for a head
# no phrase starts with. A text's heads not seen before are asked for in one query (`_heads`).
_PHRASES: dict[str, tuple[tuple[str, str | None], ...]] = {}
_STARTS_PHRASE: set[str] = set()  # the heads seen that some phrase starts with


def _heads(heads: list[str]) -> None:
    """Learn which of `heads` (new ones) start phrases, in one query; a file without the phrase
    table has none."""
    light = _light()
    found: set[str] = set()
    if light is not None:
        with _LIGHT_LOCK:
            try:
                for i in range(0, len(heads), 900):
                    chunk = heads[i : i + 900]
                    found.update(head for (head,) in light[0].execute(
                        f"SELECT DISTINCT head FROM phrase WHERE head IN ({','.join('?' * len(chunk))})", chunk
                    ))
            except sqlite3.OperationalError:
                pass  # a file from before the phrase table
    if len(_PHRASES) + len(_STARTS_PHRASE) + len(heads) > _MAX_WINDOWS:
        _PHRASES.clear()
        _STARTS_PHRASE.clear()
    for head in heads:
        if head in found:
            _STARTS_PHRASE.add(head)  # its phrases are read when first met (`_phrases`)
        else:
            _PHRASES[head] = ()


def _phrases(head: str) -> tuple[tuple[str, str | None], ...]:
    """(phrase, its stem when it may be found inflected: `_INFLECTED_ENDS`) for the phrases
    starting with `head` (one `_heads` found), longest first."""
    forms = _PHRASES.get(head)
    if forms is None:
        light = _light()
        with _LIGHT_LOCK:
            found = [form for (form,) in light[0].execute("SELECT text FROM phrase WHERE head = ?", (head,))]
        if len(_PHRASES) >= _MAX_WINDOWS:
            _PHRASES.clear()
        forms = _PHRASES[head] = tuple(
            (form, form[:-1] if form[-1] in _INFLECTED_ENDS and len(form) >= 4 else None)
            for form in sorted(found, key=len, reverse=True)
        )
    return forms


def _read_phrases(tokens, with_kanji: Sequence[int], align) -> None:
    """Read each set phrase of the dictionary found in the text as the dictionary reads it
    (蛇の道は蛇 じゃのみちはへび, 虎穴に入らずんば虎子を得ず こけつにいらずんば…, 今まで通り
    いままでどおり, 性に合って しょうにあって): a phrase starts where a word in kanji does (not
    inside one: 暦|上では) and ends where a token ends, written as listed or with its last verb or
    adjective inflected (`_phrase_here`); its best reading is shared out over its tokens as a
    compound's is (`_spread`). Nothing changes where the tokens already read as one of the phrase's
    readings, where a context rule chose a reading inside it (the rules win), or where the reading
    cannot be shared out. Longest first; a phrase found, the next one starts after it."""
    rows, ends, text = tokens.rows, tokens.ends, tokens.text
    known, starts = _PHRASES, _STARTS_PHRASE
    found = []
    unknown = []
    for i in with_kanji:
        start = ends[i] - len(rows[i][1])
        head = text[start : start + 3]
        if head in starts:
            found.append((i, start))
        elif head not in known:
            unknown.append((i, start, head))
    if unknown:
        _heads(list({head for _i, _start, head in unknown}))
        found.extend((i, start) for i, start, head in unknown if head in _STARTS_PHRASE)
        found.sort()
    taken_until = -1
    for i, start in found:
        if start < taken_until or (i and rows[i][0] == rows[i][1] and rows[i - 1][5]):
            continue  # inside a phrase read already, or inside a word (暦|上では)
        for form, stem in _phrases(text[start : start + 3]):
            if not text.startswith(stem or form, start):
                continue
            here = _phrase_here(form, stem, text, start, rows, ends)
            if here is None:
                continue
            j, written, suffix = here
            if j <= i or any(rows[k][0] != rows[k][1] for k in range(i + 1, j + 1)):
                continue  # white space inside
            readings = [(r[: len(r) - len(suffix)] + to_hiragana(written[len(form) - len(suffix) :]), rank, e)
                        for r, rank, e in _readings(form) if r.endswith(suffix)]
            if not readings:
                continue
            pieces = [tokens[k] for k in range(i, j + 1)]
            if "".join(p.reading or to_hiragana(p.surface) for p in pieces) in {r for r, _rank, _e in readings}:
                break
            if any(p.reading != p.dictionary_reading for p in pieces):
                break  # a context rule chose a reading here: the rules win
            shares = _spread(readings[0][0], pieces, written, align)
            if shares is None:
                continue
            for piece, share in zip(pieces, shares):
                if piece.reading is not None or share != to_hiragana(piece.surface):
                    piece.reading = share
            taken_until = start + len(written)
            break


# A phrase ending in a verb or an adjective is found inflected too (兜の緒を締めて, 身銭を切らない):
# its form without the last kana, then more kana, ending where a verb's or an adjective's token ends.
_INFLECTED_ENDS = frozenset("うくぐすつぬぶむるい")
_HIRAGANA_ONLY = re.compile("[\u3041-\u3096]+")


def _phrase_here(form: str, stem: str | None, text: str, start: int, rows, ends: list[int]) -> tuple[int, str, str] | None:
    """Where phrase `form` (`stem`: `_phrases`) is written at `start`, the text there starting
    with the stem (or the form): (its last token, the text it takes, the end of the form the text
    replaces: "" when written as listed, the last kana when inflected); or None."""
    if text.startswith(form, start):
        j = bisect.bisect_left(ends, start + len(form))
        return (j, form, "") if j < len(ends) and ends[j] == start + len(form) else None
    if stem is None:
        return None
    stem_end = start + len(stem)
    k = bisect.bisect_right(ends, stem_end)  # the token the inflection starts in
    if k >= len(ends) or not rows[k][4].startswith(("動詞", "形容詞")):
        return None
    word_start = ends[k] - len(rows[k][1])
    if word_start >= stem_end or _HIRAGANA_ONLY.fullmatch(text, stem_end, ends[k]) is None:
        return None
    # The token is the phrase's last word inflected: its lemma is that word (皮を剝ぎ is 剝ぐ, not
    # 剝く; 行ってください is 下さる, not 行ってくる; 心に刻み込む is 刻み込む, not 刻む).
    lemma, word = rows[k][7] or "", form[word_start - start :]
    if lemma != word and not (
        _HIRAGANA_ONLY.fullmatch(word) and len(lemma) == len(word) and lemma[-1:] == word[-1:]  # ない, 無い
    ):
        return None
    return k, text[start : ends[k]], form[-1]
