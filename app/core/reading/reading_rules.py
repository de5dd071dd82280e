"""Context rules that correct UniDic's first reading (the data lives in resources/furigana/).

MeCab picks one reading per token from the dictionary. For modern prose that is wrong in a few
systematic ways, each handled here: formal readings where the everyday one is expected (私, 明日),
compounds split into parts that lose their rendaku (株式|会社 -> がいしゃ), the suffix 中 after a
word of extent (世界中 じゅう), and counters whose sound depends on the number (一本 いっぽん).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.core.common.kana import is_kana
from app.core.common.paths import resource
from app.core.reading.tokens import Token

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}
_NUMERAL_CHARS = set(_KANJI_DIGITS) | set(_SMALL_UNITS) | set(_BIG_UNITS) | set("0123456789０１２３４５６７８９,，何")
# How each kanji digit may be read at the end of a number, longest first, so that a counter rule
# can swap only the last digit's sound (二十四 にじゅうよん -> にじゅうよっ).
_DIGIT_READINGS = {
    "一": ("いっ", "いち"), "二": ("に",), "三": ("さん",), "四": ("よん", "よっ", "し", "よ"),
    "五": ("ご",), "六": ("ろっ", "ろく"), "七": ("なな", "しち"), "八": ("はっ", "はち", "よう"),
    "九": ("きゅう", "く"), "十": ("じゅっ", "じゅう", "とお"),
    # 百 keeps the sound a digit before it gave it (三百 さんびゃく, 六百 ろっぴゃく)
    "百": ("ひゃっ", "びゃっ", "ぴゃっ", "ひゃく", "びゃく", "ぴゃく"),
}
_SOKUON_KEYS = {"h": {"1", "6", "8", "10", "100"}, "k": {"1", "6", "8", "10", "100"},
                "s": {"1", "8", "10"}, "t": {"1", "8", "10"}, "-": set()}
_P_SOUND = str.maketrans("はひふへほ", "ぱぴぷぺぽ")


@dataclass(frozen=True)
class Counter:
    reading: str
    sound_class: str
    exceptions: dict[str, tuple[str | None, str]] = field(default_factory=dict)

    def readings_after(self, key: str, exact: str) -> tuple[str | None, str]:
        """(how the numeral's end is read or None to keep it, how the counter is read)."""
        for k in (exact, key):
            if k in self.exceptions:
                return self.exceptions[k]
        if key in _SOKUON_KEYS[self.sound_class]:
            counter = self.reading.translate(_P_SOUND) if self.sound_class == "h" else self.reading
            return "っ", counter
        return None, self.reading


@dataclass(frozen=True)
class Rules:
    sequences: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]
    alternatives: dict[str, tuple[str, ...]]
    ju_words: frozenset[str]
    rendaku: dict[str, str]
    counters: dict[str, Counter]
    triggers: frozenset[str] = frozenset()  # every surface some rule starts or ends on
    # `sequences` by the surfaces a token and the one after it must have: first surface ->
    # (the length of its shortest rule of several tokens, 0 if none; those rules by their second
    # surface, in `sequences` order; its first one-token rule or None). A word with a dozen rules
    # (一, 何) then tries only those its next token can start.
    index: dict[str, tuple[int, dict[str, tuple], tuple | None]] = field(default_factory=dict)


def _rows(name: str):
    with open(resource("furigana", name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip() and not line.startswith("#"):
                yield line.split("\t")


@functools.cache
def rules() -> Rules:
    """The rule tables, read once from resources/furigana/."""
    sequences: dict[str, list] = {}
    alternatives: dict[str, tuple[str, ...]] = {}
    ju: set[str] = set()
    rendaku: dict[str, str] = {}
    for row in _rows("readings.tsv"):
        kind, match = row[0], row[1]
        reading = row[2] if len(row) > 2 else ""
        if kind == "seq":
            surfaces, readings = tuple(match.split("+")), tuple(reading.split("+"))
            if len(surfaces) != len(readings):
                raise ValueError(f"readings.tsv: {match} has {len(surfaces)} tokens but {len(readings)} readings")
            sequences.setdefault(surfaces[0], []).append((surfaces, readings))
            extra = tuple(row[3].split()) if len(row) > 3 else ()
            if extra and (len(surfaces) > 1 or not all(is_kana(a) for a in extra)):
                raise ValueError(f"readings.tsv: alternatives of {match} must be kana words of a one-token rule")
            if extra:
                alternatives[surfaces[0]] = extra
        elif kind == "ju":
            ju.add(match)
        elif kind == "rendaku":
            rendaku[match] = reading
        else:
            raise ValueError(f"readings.tsv: unknown rule kind {kind!r} in {row!r}")
    for candidates in sequences.values():
        candidates.sort(key=lambda c: -len(c[0]))
    counters = {}
    for row in _rows("counters.tsv"):
        exceptions = {}
        for item in (row[3].split() if len(row) > 3 else ()):
            key, _, value = item.partition(":")
            numeral, slash, counter = value.rpartition("/")
            exceptions[key] = (numeral if slash else None, counter)
        counters[row[0]] = Counter(row[1], row[2], exceptions)
    triggers = frozenset(sequences) | frozenset(counters) | frozenset(rendaku) | {"中"} | frozenset(_WEEKDAYS)
    return Rules(sequences, alternatives, frozenset(ju), rendaku, counters, triggers, _index(sequences))


def _index(sequences: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]) -> dict[str, tuple[int, dict[str, tuple], tuple | None]]:
    """`Rules.index` of the rules (each word's longest first)."""
    index = {}
    for first, candidates in sequences.items():
        by_second: dict[str, list] = {}
        for candidate in candidates:
            if len(candidate[0]) > 1:
                by_second.setdefault(candidate[0][1], []).append(candidate)
        shortest = min((len(c[0]) for c in candidates if len(c[0]) > 1), default=0)
        single = next((c for c in candidates if len(c[0]) == 1), None)
        index[first] = (shortest, {k: tuple(v) for k, v in by_second.items()}, single)
    return index


def extra_alternatives(token: Token) -> tuple[str, ...]:
    """Readings the table offers for this word besides the one chosen."""
    return rules().alternatives.get(token.surface, ())


def apply(tokens, candidates: Iterable[int]) -> None:
    """Correct the readings of `tokens` (furigana's tokens of one analysis) in place, using their
    neighbours as context.

    `candidates` are the indexes worth looking at: those of the tokens whose surface is one of
    `Rules.triggers`. The neighbours are read from `tokens.rows`, MeCab's fields of each token
    (0: the surface with the white space before it, 1: the surface, 4: the part of speech, 7: the
    lemma as `Token.lemma` gives it), so that a Token is made only for the words a rule reads."""
    table = rules()
    triggers, index = table.triggers, table.index
    rows = tokens.rows
    fixed: set[int] = set()
    count = len(rows)
    for i in candidates:
        row = rows[i]
        surface = row[1]
        if surface in _WEEKDAYS and _is_weekday(rows, i):
            tokens[i].reading = _WEEKDAYS[surface]  # 5月1日(水): すい, not みず
            fixed.add(i)
            continue
        if surface not in triggers or i in fixed:
            continue
        entry = index.get(surface)
        found = _rule_at(rows, i, entry, count) if entry is not None else None
        if found is not None:
            for j, reading in enumerate(found[1]):
                if reading != "*" and reading:
                    tokens[i + j].reading = reading
                    fixed.add(i + j)  # a "*" token stays open to the rules below (四月+一日)
        if i in fixed or i == 0 or row[0] != row[1]:  # (white space before it: no word before)
            continue
        prev = rows[i - 1]
        pos1 = _pos_parts(row[4])[0]
        if surface == "中" and pos1 == "接尾辞":
            if prev[1] in table.ju_words or (prev[7] or "") in table.ju_words:
                tokens[i].reading = "じゅう"
        elif surface in table.counters and pos1 in ("接尾辞", "名詞") and _apply_counter(tokens, i, table.counters[surface], fixed):
            pass
        elif surface == "人" and pos1 == "接尾辞":
            tokens[i].reading = _person_suffix(prev[4])
        elif surface in table.rendaku and _ends_compound(prev[1], prev[4]):
            tokens[i].reading = table.rendaku[surface]


def _rule_at(rows: Sequence[tuple], i: int, entry: tuple, count: int) -> tuple | None:
    """The rule (surfaces, readings) of `Rules.sequences` that matches first at token i, whose
    `Rules.index` entry is `entry`, or None; `count` is len(rows) (`rows` as `apply` has them).

    Trying each of the word's rules in turn finds the same, but rules whose second surface is
    not the next token's can never match: only the others are tried, then the one-token rule."""
    shortest, by_second, single = entry
    if shortest and i + shortest <= count:
        after = rows[i + 1]
        if after[0] == after[1]:
            for rule in by_second.get(after[1], ()):
                if _matches(rows, i, rule[0]):
                    return rule
    return single


@functools.lru_cache(maxsize=4096)
def _pos_parts(pos: str) -> tuple[str, str, str]:
    """(pos1, pos2, pos3) of a part of speech, as Token gives them ("" where it has fewer)."""
    parts = pos.split("-")
    return (parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "")


# A day of the week written as one kanji in brackets after a date or a number: 5月1日(水),
# 10/9（木）, 3日【土・日】. Alone, 水 is みず and 木 is き; there they are すい and もく.
_WEEKDAYS = {"月": "げつ", "火": "か", "水": "すい", "木": "もく", "金": "きん", "土": "ど", "日": "にち", "祝": "しゅく"}
_OPENING = frozenset("(（[［【〔〈《")
_CLOSING = frozenset(")）]］】〕〉》")
_BETWEEN_DAYS = frozenset("・、,，/／")
_DATE_END = frozenset("0123456789０１２３４５６７８９〇一二三四五六七八九十日")


def _is_weekday(rows: Sequence[tuple], i: int) -> bool:
    """Whether token `i` is a weekday kanji inside brackets that follow a date or a number,
    alone or with other days (月・祝, 土、日); `rows` as `apply` has them."""
    left = i
    while left > 0 and _next_to(rows[left]) and (rows[left - 1][1] in _WEEKDAYS or rows[left - 1][1] in _BETWEEN_DAYS):
        left -= 1
    right = i
    while right + 1 < len(rows) and _next_to(rows[right + 1]) and (
        rows[right + 1][1] in _WEEKDAYS or rows[right + 1][1] in _BETWEEN_DAYS
    ):
        right += 1
    if left < 2 or right + 1 >= len(rows):
        return False
    opening, closing, before = rows[left - 1][1], rows[right + 1], rows[left - 2][1]
    return (
        opening in _OPENING and closing[1] in _CLOSING
        and _next_to(rows[left]) and _next_to(closing) and _next_to(rows[left - 1])
        and bool(before) and before[-1] in _DATE_END
    )


def _next_to(row: tuple) -> bool:
    """Whether this token follows the one before with at most a space between (MeCab keeps no
    other gap)."""
    return len(row[0]) - len(row[1]) <= 1


def _matches(rows: Sequence[tuple], i: int, surfaces: tuple[str, ...]) -> bool:
    """Whether the tokens from i on are `surfaces`, with no space between them."""
    if i + len(surfaces) > len(rows):
        return False
    for j, surface in enumerate(surfaces):
        row = rows[i + j]
        if row[1] != surface or (j and row[0] != row[1]):
            return False
    return True


def _ends_compound(surface: str, pos: str) -> bool:
    """Whether the word before (its surface and part of speech) makes a compound with the next."""
    # A noun directly before (保険|会社) or a counter (4月1日|付) makes a compound; time nouns used
    # as adverbs (今日|会社へ) and numerals do not.
    if surface in ("お", "ご", "御"):
        return False  # an honorific prefix (お菓子) is not a compound
    if pos.startswith("接尾辞-名詞的-助数詞"):
        return True  # a counter with its number (4月1日|付 づけ, 2割|高 だか)
    pos1, pos2, pos3 = _pos_parts(pos)
    return pos1 in ("名詞", "接頭辞") and pos2 != "数詞" and pos3 != "副詞可能"


def _person_suffix(pos: str) -> str:
    """How 人 reads after a word of this part of speech."""
    # 人 after a place or a plain noun names a kind of person (日本人, 社会人: じん); after an
    # action noun it names who does it (管理人, 案内人: にん).
    return "にん" if pos.endswith("サ変可能") else "じん"


def _apply_counter(tokens, i: int, counter: Counter, fixed: set[int]) -> bool:
    """Read a counter after the number before it; False when no number comes before it. `tokens`
    as `apply` has them: a Token is made for the number and the counter alone."""
    rows = tokens.rows
    start = i  # the first of the numeral tokens before it, with no space between
    while start > 0 and rows[start][0] == rows[start][1] and _is_numeral(rows[start - 1]):
        start -= 1
    if start == i:
        return False
    token = tokens[i]
    run = [tokens[k] for k in range(start, i)]
    text = "".join([t.surface for t in run])
    surface = token.surface
    if "何" in text:
        key = exact = "何"
    else:
        value = parse_number(text)
        if value is None:
            return False
        key, exact = _number_key(value), f"={value}"
        if surface == "日" and value == 1:
            # 1日 after a month is the first of the month (ついたち); otherwise one day (いちにち).
            if start > 0 and rows[start - 1][1] == "月":
                _set_numeral(run, "^つい", fixed, start)
                token.reading = "たち"
                return True
    if surface == "分" and i + 1 < len(rows) and rows[i + 1][1] == "の":
        token.reading = "ぶん"  # a fraction (三分の一), not minutes
        return True
    numeral, reading = counter.readings_after(key, exact)
    token.reading = reading
    for k, token in enumerate(run):
        if token.surface == "二十" and token.reading == "はつ" and start + k not in fixed:
            token.reading = "にじゅう"  # UniDic's はつ of 二十日 before another counter (二十羽)
    if numeral is not None:
        _set_numeral(run, numeral, fixed, start)
    return True


def _set_numeral(run: list[Token], numeral: str, fixed: set[int], first_index: int) -> None:
    """Change how a run of numeral tokens ends ("っ" = small tsu, "^x" = the whole number is x)."""
    kanji_tokens = [(k, t) for k, t in enumerate(run) if t.reading is not None and t.surface[-1:] in _DIGIT_READINGS]
    if not kanji_tokens:
        return  # digits carry no ruby, so only the counter's reading matters
    if numeral.startswith("^"):
        whole = numeral[1:]
        first = True
        for k, token in kanji_tokens:
            if first_index + k in fixed:
                continue
            token.reading = whole if first else ""
            first = False
        return
    last = run[-1]
    if last.reading is None or first_index + len(run) - 1 in fixed:
        return
    reading = last.reading
    for form in _DIGIT_READINGS.get(last.surface[-1], ()):
        if reading.endswith(form):
            stem = reading[: -len(form)]
            if numeral == "っ":
                last.reading = stem + form[:-1] + "っ" if not form.endswith("っ") else reading
            else:
                last.reading = stem + numeral
            return
    if len(last.surface) == 1 and numeral != "っ":
        last.reading = numeral  # MeCab read the digit some other way (三 as みっ): say it outright


def _is_numeral(row: tuple) -> bool:
    """Whether a token (its row, as `apply` has them) is a number or part of one."""
    surface = row[1]
    return _pos_parts(row[4])[1] == "数詞" or (bool(surface) and _NUMERAL_CHARS.issuperset(surface))


def parse_number(text: str) -> int | None:
    """The value of a number written in Arabic or kanji numerals (1,000 / 二十四 / 三千 / 二〇二五)."""
    text = text.replace(",", "").replace("，", "").translate(_ASCII_DIGITS)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total = section = 0
    digits: int | None = None
    for ch in text:
        if ch.isdigit() or ch in _KANJI_DIGITS:
            d = int(ch) if ch.isdigit() else _KANJI_DIGITS[ch]
            digits = d if digits is None else digits * 10 + d
        elif ch in _SMALL_UNITS:
            section += (1 if digits is None else digits) * _SMALL_UNITS[ch]
            digits = None
        elif ch in _BIG_UNITS:
            section += digits or 0
            total += (section or 1) * _BIG_UNITS[ch]
            section, digits = 0, None
        else:
            return None
    return total + section + (digits or 0)


_ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _number_key(value: int) -> str:
    """What decides a counter's sound: the last digit, else the last round place (20 -> 10)."""
    if value % 10:
        return str(value % 10)
    for place in (10, 100, 1000):
        if value % (place * 10):
            return str(place)
    return "10000"
