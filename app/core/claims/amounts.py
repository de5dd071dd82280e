"""Money amounts, percentages and years found in Japanese and English text, normalised. Pure.

Each finder returns dataclasses in text order with `start`/`end` indexing into the text given, so
`text[start:end] == found.text`. Their `to_json()` shapes (what `kakikomi amounts --json` prints):

- Amount: `{text, currency, low, high, approx, period, per, start, end}`. `text` takes in the
  words that qualify the figure (約1.5兆円, 三百億円以上). `currency` is an ISO 4217 code;
  `low`/`high` are in units of it (an int when whole, 72000000000 not 7.2e10); a single figure
  has low == high; an open bound is null (以上/超/超え/最低でも/at least/1万円〜: no high;
  以下/未満/足らず/最大/up to: no low; 強 is a lower bound and 弱 an upper one, both approximate).
  `approx` is true for 約/推定/およそ/程度/前後/規模/about… and for vague magnitudes: 数百億円 is
  2×10^10–9×10^10 (数 is 2 to 9 of the unit, 十数 11 to 19, 数十 20 to 90, 百数十 110 to 190;
  何 and 幾 count as 数). `period` is "year" (年間/毎年/年収/年率/年商/通期/per year…), "quarter"
  (四半期ごと/毎四半期/per quarter/quarterly), "month" (月額/毎月/月収/per month) or null. `per`
  is what one amount is for, when it is per unit: "share" (1株当たり/per share), "person"
  (1人当たり/per capita), "unit" (1台当たり/per unit), "chip", "GPU", "user", "employee",
  "company", else null. No exchange rate is ever applied: "1ドル150円" is recognised as a rate
  and is not an amount.
- Percentage: `{text, value, direction, start, end}`. `value` is in percent (20 for 20%, 二割 and
  2割 are 20, 1割5分 is 15); `direction` is "up" (増, 上昇, rose, +…), "down" (減, 下落, fell, −…) or
  null. The text takes in a comparison basis written just before it (前年比, 前年同期比, YoY).
- Year: `{text, year, fiscal, bound, start, end}`. `year` is an int; `fiscal` is true for 年度/FY;
  `bound` is "until" (まで/までに/by/until) or "from" (から/以降/since/from), else null.

"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

Number = int | float


@dataclass(frozen=True)
class Amount:
    """Money said in text[start:end]: between `low` and `high` of `currency` (None: open bound)."""

    text: str
    currency: str
    low: Number | None
    high: Number | None
    approx: bool
    period: str | None
    start: int
    end: int
    per: str | None = None

    def to_json(self) -> dict:
        return {
            "text": self.text, "currency": self.currency, "low": self.low, "high": self.high,
            "approx": self.approx, "period": self.period, "per": self.per, "start": self.start, "end": self.end,
        }


@dataclass(frozen=True)
class Percentage:
    """A percentage said in text[start:end], with the direction of change it states, if any."""

    text: str
    value: Number
    direction: str | None
    start: int
    end: int

    def to_json(self) -> dict:
        return {"text": self.text, "value": self.value, "direction": self.direction, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Year:
    """A calendar or fiscal year said in text[start:end], possibly as a horizon (まで) or start (から)."""

    text: str
    year: int
    fiscal: bool
    bound: str | None
    start: int
    end: int

    def to_json(self) -> dict:
        return {
            "text": self.text, "year": self.year, "fiscal": self.fiscal, "bound": self.bound,
            "start": self.start, "end": self.end,
        }


@dataclass(frozen=True)
class Figures:
    """Everything numeric `find_figures` saw in one text."""

    amounts: tuple[Amount, ...]
    percentages: tuple[Percentage, ...]
    years: tuple[Year, ...]

    def to_json(self) -> dict:
        return {
            "amounts": [a.to_json() for a in self.amounts],
            "percentages": [p.to_json() for p in self.percentages],
            "years": [y.to_json() for y in self.years],
        }


# --- numbers -------------------------------------------------------------------------------------

_DIG = "0-9０-９"
_KANJI_DIGITS = "〇一二三四五六七八九"
_ARABIC = rf"[{_DIG}]+(?:[,，][{_DIG}]{{3}})*(?:[.．][{_DIG}]+)?"
_PART = rf"(?:{_ARABIC}[千百十]?|[{_KANJI_DIGITS}十百千]+)"
_BIG = "[万億兆]"
# 1兆5000億, 三百億, 5千万, 1.5兆, 1,200: parts joined by big units, Arabic and kanji never mixed in one part.
_FIGURE = rf"{_PART}(?:{_BIG}(?:{_PART}{_BIG})*{_PART}?)?"
# A figure never continues a word, a number or a vague count (数百億, 何千万).
_NOT_BEFORE = rf"(?<![{_DIG}A-Za-z.,．，数何幾{_KANJI_DIGITS}十百千万億兆$＄¥￥€£₩₹])"

_ASCII_DIGITS = str.maketrans("０１２３４５６７８９，．", "0123456789,.")
_KANJI_VALUE = {ch: i for i, ch in enumerate(_KANJI_DIGITS)}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}
_SCALES = {
    "trillion": 10**12, "tn": 10**12, "trn": 10**12, "t": 10**12,
    "billion": 10**9, "bn": 10**9, "b": 10**9,
    "million": 10**6, "mn": 10**6, "mm": 10**6, "m": 10**6,
    "thousand": 10**3, "k": 10**3, "crore": 10**7, "lakh": 10**5,
}


def _section(part: str) -> Decimal:
    """The value of one part below 万: "5000", "1.5", "5千", "三百", "二〇二五"."""
    part = part.translate(_ASCII_DIGITS).replace(",", "")
    if part[0].isdigit():
        unit = _SMALL_UNITS.get(part[-1], 1)
        return Decimal(part.rstrip("十百千")) * unit
    total = Decimal(0)
    current: int | None = None
    for ch in part:
        if ch in _SMALL_UNITS:
            total += (current if current is not None else 1) * _SMALL_UNITS[ch]
            current = None
        else:
            current = _KANJI_VALUE[ch] if current is None else current * 10 + _KANJI_VALUE[ch]
    return total + (current or 0)


_FIGURE_PIECES = re.compile(rf"({_PART})({_BIG})?")


def figure_value(figure: str) -> Decimal:
    """The value of a figure as written: "1兆5000億" -> 1500000000000, "三百億" -> 30000000000."""
    total = Decimal(0)
    for m in _FIGURE_PIECES.finditer(figure):
        total += _section(m.group(1)) * _BIG_UNITS.get(m.group(2) or "", 1)
    return total


def _largest_unit(figure: str) -> int:
    units = [_BIG_UNITS[ch] for ch in figure if ch in _BIG_UNITS]
    return max(units) if units else 1


def as_number(value: Decimal) -> Number:
    """An int when whole (72000000000, never 7.2e10), else a float."""
    integral = value.to_integral_value()
    return int(integral) if value == integral else float(value)


# --- currencies ----------------------------------------------------------------------------------

_CURRENCY_BEFORE = {
    "US$": "USD", "U.S.$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "HK$": "HKD",
    "NT$": "TWD", "S$": "SGD", "NZ$": "NZD", "$": "USD", "＄": "USD", "¥": "JPY", "￥": "JPY", "€": "EUR",
    "£": "GBP", "₩": "KRW", "₹": "INR",
}
_CODES = ("USD", "JPY", "EUR", "CNY", "RMB", "GBP", "KRW", "TWD", "INR", "CHF", "AUD", "CAD", "HKD", "SGD")
_CURRENCY_AFTER = {
    "米ドル": "USD", "米国ドル": "USD", "USドル": "USD", "豪ドル": "AUD", "香港ドル": "HKD", "台湾ドル": "TWD",
    "新台湾ドル": "TWD", "カナダドル": "CAD", "シンガポールドル": "SGD", "NZドル": "NZD", "ドル": "USD",
    "日本円": "JPY", "円": "JPY", "ユーロ": "EUR", "人民元": "CNY", "中国元": "CNY", "元": "CNY",
    "英ポンド": "GBP", "ポンド": "GBP", "ウォン": "KRW", "ルピー": "INR", "スイスフラン": "CHF",
    "US dollars": "USD", "U.S. dollars": "USD", "dollars": "USD", "dollar": "USD", "yen": "JPY",
    "euros": "EUR", "euro": "EUR", "yuan": "CNY", "renminbi": "CNY", "won": "KRW", "pounds": "GBP",
    "pound sterling": "GBP", "rupees": "INR", "rupee": "INR", "Taiwan dollars": "TWD", "NT dollars": "TWD",
}
_ISO = {code: ("CNY" if code == "RMB" else code) for code in _CODES}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_BEFORE = rf"(?:{_alternation(_CURRENCY_BEFORE)}|{_alternation(_CODES)})[ \u00a0]?"
# 元 after a figure is a currency only when no kanji follows (二元論, 100元札 are not money).
_AFTER = (
    rf"(?:(?:{_alternation(w for w in _CURRENCY_AFTER if w != '元')})(?![A-Za-z])|元(?![\u4e00-\u9fff])"
    rf"|(?:{_alternation(_CODES)})(?![A-Za-z]))"
)
_SCALE = r"(?:[ \u00a0]?(?:trillion|billion|million|thousand|crore|lakh|trn|tn|bn|mn)|mm|[TBMKbmk])(?![A-Za-z])"


def _side(n: int) -> str:
    return rf"(?P<before{n}>{_BEFORE})?(?P<figure{n}>{_FIGURE})(?P<scale{n}>{_SCALE})?(?:[ \u00a0]?(?P<after{n}>{_AFTER}))?"


_RANGE_SEPARATOR = r"[ \u00a0]?(?:から|〜|～|~|–|—|‐|-|−|to|and)[ \u00a0]?"
_BETWEEN = re.compile(r"(?<![A-Za-z])between[ \u00a0]\Z", re.I)
_AMOUNT = re.compile(rf"{_NOT_BEFORE}{_side(1)}(?:(?P<separator>{_RANGE_SEPARATOR}){_side(2)})?")

# "1ドル150円", "1ドル＝150円", "$1 = ¥150": a rate of exchange, not money spent.
_RATE = re.compile(
    rf"(?:[1１一][ \u00a0]?(?:米)?ドル[ \u00a0]?(?:=|＝|あたり|当たり|につき|は)?[ \u00a0]?(?:約)?{_ARABIC}[ \u00a0]?円"
    rf"|\$1[ \u00a0]?[=＝][ \u00a0]?[¥￥]{_ARABIC})"
)

# --- qualifiers around an amount -----------------------------------------------------------------
# Each word's effect: "approx", "low" (a lower bound: no high), "high" (an upper bound: no low),
# or a period. Prefixes are peeled off right to left, suffixes left to right, so 年間約 and 約年間
# both work.
_APPROX, _LOW, _HIGH, _YEAR, _MONTH, _QUARTER = "approx", "low", "high", "year", "month", "quarter"
_PERIODS = (_YEAR, _QUARTER, _MONTH)
_JA_PREFIXES = {
    "約": _APPROX, "およそ": _APPROX, "おおよそ": _APPROX, "推定": _APPROX, "推計": _APPROX, "概ね": _APPROX,
    "ざっと": _APPROX, "大体": _APPROX, "ほぼ": _APPROX,
    "最低でも": _LOW, "最低": _LOW, "少なくとも": _LOW, "最低限": _LOW,
    "最大で": _HIGH, "最大": _HIGH, "最高で": _HIGH, "多くても": _HIGH, "上限": _HIGH,
    "年間": _YEAR, "毎年": _YEAR, "年額": _YEAR, "年": _YEAR, "年に": _YEAR, "年あたり": _YEAR, "年当たり": _YEAR,
    "一年で": _YEAR, "1年で": _YEAR, "一年に": _YEAR, "1年に": _YEAR, "一年あたり": _YEAR, "1年あたり": _YEAR,
    "一年当たり": _YEAR, "1年当たり": _YEAR, "年平均": _YEAR, "年収": _YEAR, "年率": _YEAR, "年商": _YEAR,
    "年率換算で": _YEAR, "年換算で": _YEAR, "通期で": _YEAR, "通期の": _YEAR, "通期": _YEAR,
    "四半期ごとに": _QUARTER, "四半期ごと": _QUARTER, "毎四半期": _QUARTER, "四半期あたり": _QUARTER,
    "四半期当たり": _QUARTER, "1四半期あたり": _QUARTER, "一四半期あたり": _QUARTER, "四半期平均": _QUARTER,
    "月額": _MONTH, "毎月": _MONTH, "月間": _MONTH, "月収": _MONTH, "月商": _MONTH,
}
_EN_PREFIXES = {
    "about": _APPROX, "around": _APPROX, "approximately": _APPROX, "approx.": _APPROX, "roughly": _APPROX,
    "some": _APPROX, "nearly": _APPROX, "almost": _APPROX, "an estimated": _APPROX, "estimated": _APPROX,
    "more than": _LOW, "over": _LOW, "at least": _LOW, "in excess of": _LOW, "upwards of": _LOW, "above": _LOW,
    "up to": _HIGH, "less than": _HIGH, "under": _HIGH, "at most": _HIGH, "as much as": _HIGH,
    "no more than": _HIGH, "below": _HIGH,
}
_JA_SUFFIXES = {
    "以上": _LOW, "超え": _LOW, "超": _LOW, "を超える": _LOW, "を超えた": _LOW, "を超え": _LOW, "を上回る": _LOW,
    "を上回った": _LOW, "を突破": _LOW, "を突破した": _LOW,
    "以下": _HIGH, "未満": _HIGH, "以内": _HIGH, "足らず": _HIGH, "に満たない": _HIGH, "に満たなかった": _HIGH,
    "を下回る": _HIGH, "を下回った": _HIGH,
    "程度": _APPROX, "前後": _APPROX, "規模": _APPROX, "ほど": _APPROX, "近く": _APPROX, "くらい": _APPROX,
    "ぐらい": _APPROX, "台": _APPROX, "余り": _APPROX, "あまり": _APPROX,
    "強": (_LOW, _APPROX), "弱": (_HIGH, _APPROX),
    "/年": _YEAR, "／年": _YEAR, "/月": _MONTH, "／月": _MONTH, "/四半期": _QUARTER, "／四半期": _QUARTER,
}
_EN_SUFFIXES = {
    " per year": _YEAR, " a year": _YEAR, " annually": _YEAR, " each year": _YEAR, " every year": _YEAR,
    " per annum": _YEAR, "/year": _YEAR, "/yr": _YEAR, " per month": _MONTH, " a month": _MONTH,
    " each month": _MONTH, "/month": _MONTH, " or more": _LOW, " or less": _HIGH,
    " per quarter": _QUARTER, " a quarter": _QUARTER, " each quarter": _QUARTER, " quarterly": _QUARTER,
    "/quarter": _QUARTER, "/qtr": _QUARTER,
    " per share": "per:share", " a share": "per:share", " per person": "per:person", " per capita": "per:person",
    " per head": "per:person", " per unit": "per:unit", " per chip": "per:chip", " per GPU": "per:GPU",
    " per user": "per:user", " per employee": "per:employee",
}
# 1株当たり, 一人あたりの, 1台につき: what one amount is for (the `per` field).
_PER_UNITS = {"株": "share", "人": "person", "台": "unit", "個": "unit", "枚": "unit", "チップ": "chip", "GPU": "GPU",
              "ユーザー": "user", "従業員": "employee", "社": "company", "件": "item"}
_JA_PER = re.compile(rf"(?:[1１一]|ひと)?({_alternation(_PER_UNITS)})(?:当たり|あたり|につき)(?:の|で|は)?[ \u00a0]?\Z")
# A wave dash after an amount with no figure after it: "1万円〜" is "from 10,000 yen".
_OPEN_RANGE = re.compile(r"[〜～~](?![ \u00a0]?[0-9０-９〇一二三四五六七八九十百千$＄¥￥€£])")
# Searched for in a window ending where the amount starts: the leftmost match is the longest word.
_JA_PREFIX = re.compile(rf"(?:{_alternation(_JA_PREFIXES)})\Z")
_LONGEST_JA_PREFIX = max(map(len, _JA_PREFIXES))
_JA_SUFFIX = re.compile(_alternation(_JA_SUFFIXES))
_EN_PREFIX = re.compile(rf"(?<![A-Za-z])({_alternation(_EN_PREFIXES)})[ \u00a0]\Z", re.I)
_EN_SUFFIX = re.compile(rf"({_alternation(_EN_SUFFIXES)})(?![A-Za-z])", re.I)
_EN_SUFFIX_EFFECTS = {word.lower(): effect for word, effect in _EN_SUFFIXES.items()}
_NUMERAL_CHARS = set("0123456789０１２３４５６７８９" + _KANJI_DIGITS + "十百千")
_KANJI = re.compile(r"[\u3005\u4e00-\u9fff]")
_COUNTER_MARKS = frozenset("かヶカケ箇")


def _prefix_allowed(word: str, before: str) -> bool:
    """年…/月… before an amount mean "per year/month" unless they end 2025年, 4年間, 3か月間 or 昨年."""
    if not word.startswith(("年", "月")):
        return True
    if before in _NUMERAL_CHARS or before in _COUNTER_MARKS:
        return False
    return word in ("年間", "月間") or not _KANJI.fullmatch(before or " ")


def _qualify(text: str, start: int, end: int, floor: int = 0) -> tuple[int, int, set[str]]:
    """The amount text[start:end] widened by the qualifiers around it (none before `floor`), and what they say."""
    effects: set[str] = set()
    for _ in range(5):
        m = _JA_PREFIX.search(text, max(floor, start - _LONGEST_JA_PREFIX), start)
        while m is not None and not _prefix_allowed(m.group(), text[max(0, m.start() - 1) : m.start()]):
            m = _JA_PREFIX.search(text, m.start() + 1, start)
        if m is not None:
            effects.add(_JA_PREFIXES[m.group()])
            start = m.start()
            continue
        m = _JA_PER.search(text, max(floor, start - 10), start)
        if m is not None:
            effects.add("per:" + _PER_UNITS[m.group(1)])
            start = m.start()
            continue
        m = _EN_PREFIX.search(text, max(floor, start - 20), start)
        if m is not None:
            effects.add(_EN_PREFIXES[m.group(1).lower()])
            start = m.start()
        elif start > floor and text[start - 1] in "~～≈":
            effects.add(_APPROX)
            start -= 1
        else:
            break
    for _ in range(4):
        m = _JA_SUFFIX.match(text, end)
        if m is not None:
            effect = _JA_SUFFIXES[m.group()]
            effects.update(effect if isinstance(effect, tuple) else (effect,))
            end = m.end()
            continue
        m = _OPEN_RANGE.match(text, end)
        if m is not None:
            effects.add(_LOW)
            end = m.end()
            continue
        m = _EN_SUFFIX.match(text, end)
        if m is None or text.startswith((" ago", " earlier", " later"), m.end()):
            break
        effects.add(_EN_SUFFIX_EFFECTS[m.group(1).lower()])
        end = m.end()
    return start, end, effects


# --- where to look ------------------------------------------------------------------------------
# The full patterns start with a look-behind, which makes the regex engine try them at every
# character of a long post. Each kind of figure has a marker it cannot do without (a currency, a
# % sign, 年 or a 19xx/20xx year), which a pattern of plain literals finds quickly; the full
# pattern then runs only in a window around each marker. The windows are wider than any figure.


def _windows(text: str, marker: re.Pattern, before: int, after: int) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for m in marker.finditer(text):
        start, end = max(0, m.start() - before), min(len(text), m.end() + after)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


_CURRENCY_MARKER = re.compile(
    "円|ドル|ユーロ|元|ポンド|ウォン|ルピー|フラン|[$＄¥￥€£₩₹]|" + "|".join(_CODES)
    + "|dollar|yen|euro|yuan|renminbi|won|pound|rupee"
)
_PERCENT_MARKER = re.compile("%|％|パーセント|割|percent|per cent")
_JA_YEAR_MARKER = re.compile("年")
_EN_YEAR_MARKER = re.compile(r"(?:19|20)\d\d")


# --- amounts -------------------------------------------------------------------------------------


def _currency(m: re.Match, n: int) -> str | None:
    after = m.group(f"after{n}")
    if after:
        return _CURRENCY_AFTER.get(after) or _ISO[after]
    before = m.group(f"before{n}")
    if before:
        before = before.strip()
        return _CURRENCY_BEFORE.get(before) or _ISO[before]
    return None


def _side_value(m: re.Match, n: int, inherit: int = 1) -> Decimal:
    value = figure_value(m.group(f"figure{n}"))
    scale = m.group(f"scale{n}")
    if scale:
        value *= _SCALES[scale.strip().lower()]
    return value * inherit


def _place_wide(text: str, m: re.Match) -> bool:
    """関東一円, 県内一円: 一円 after a place name means "all over", not one yen."""
    return m.group("figure1") == "一" and m.group("after1") == "円" and bool(_KANJI.fullmatch(text[m.start() - 1 : m.start()]))


def _parse(text: str, m: re.Match) -> tuple[int, str, Decimal, Decimal] | None:
    """(end, currency, low, high) of one match, or None when it is not money."""
    first = _currency(m, 1)
    separator = m.group("separator")
    # "and" joins a range only after "between"; "$5bn and $7bn" elsewhere are two amounts.
    if separator is not None and (separator.strip() != "and" or _BETWEEN.search(text, max(0, m.start() - 10), m.start())):
        second = _currency(m, 2)
        if second is None and m.group("before1") and not m.group("after1"):
            second = first  # $5-7 billion, $5 to 7 billion: the sign is given once, on the low end.
        if second is not None and first in (None, second):
            high = _side_value(m, 2)
            unit = 1
            if _largest_unit(m.group("figure1")) == 1 and not m.group("scale1"):
                # 660〜720億ドル, $5-7 billion: the unit is given once, on the high end.
                unit = _SCALES[m.group("scale2").strip().lower()] if m.group("scale2") else _largest_unit(m.group("figure2"))
            low = _side_value(m, 1, unit)
            # A range runs upwards; "$5 billion to 2030" is an amount and then something else.
            if low <= high:
                return m.end(), second, low, high
    if first is None or _place_wide(text, m):
        return None
    end = m.end("after1") if m.group("after1") else m.end("scale1") if m.group("scale1") else m.end("figure1")
    value = _side_value(m, 1)
    return end, first, value, value


def find_amounts(text: str) -> list[Amount]:
    """The money amounts in `text`, in order, each normalised (see the module docstring).

    A figure is money only with a currency (円, ドル, $, ¥, €, USD, yen…) on it, or on one end of its
    range (660〜720億ドル, $5-7 billion); years, model numbers (H100), quarters (第3四半期), phone
    numbers, vague counts (数千億円) and exchange rates (1ドル150円) are not amounts.
    """
    if not text:
        return []
    found: list[Amount] = []
    for window_start, window_end in _windows(text, _CURRENCY_MARKER, 48, 48):
        _amounts_in(text, window_start, window_end, found)
        _vague_in(text, window_start, window_end, found)
    return found


# Vague magnitudes: how many of the unit each count word means (see the module docstring).
_VAGUE_COUNTS = {
    "数": (2, 9), "何": (2, 9), "幾": (2, 9), "十数": (11, 19), "数十": (20, 90), "何十": (20, 90), "幾十": (20, 90),
    "数百": (200, 900), "何百": (200, 900), "幾百": (200, 900), "百数十": (110, 190), "数千": (2000, 9000),
    "何千": (2000, 9000), "幾千": (2000, 9000),
}
# Words ending in 数 that are not a count (関数, 複数, 人数…): 数 after them is no vague figure.
_NOT_A_COUNT = "関複少多総件回人点倍係変整定分指乗台株日年枚個社票手数"
_VAGUE = re.compile(
    rf"(?<![{_DIG}{_KANJI_DIGITS}十百千万億兆{_NOT_A_COUNT}])(?P<count>{_alternation(_VAGUE_COUNTS)})"
    rf"(?P<big>[万億兆])?[ \u00a0]?(?P<after>{_AFTER})"
)


def _vague_in(text: str, pos: int, endpos: int, found: list[Amount]) -> None:
    """数百億円, 十数億ドル, 数千億ドル規模: approximate ranges, added to `found` in order."""
    for m in _VAGUE.finditer(text, pos, endpos):
        count, big = m.group("count"), m.group("big")
        if count in ("何", "幾") and not big:
            continue  # 何円: "how many yen", a question, not a figure
        starts = [a.start for a in found]
        i = bisect.bisect_left(starts, m.start())
        if (i > 0 and found[i - 1].end > m.start()) or (i < len(found) and found[i].start < m.end()):
            continue
        low, high = (n * _BIG_UNITS.get(big or "", 1) for n in _VAGUE_COUNTS[count])
        currency = _CURRENCY_AFTER.get(m.group("after")) or _ISO[m.group("after")]
        floor = found[i - 1].end if i > 0 else 0
        start, end, effects = _qualify(text, m.start(), m.end(), floor)
        if i < len(found) and end > found[i].start:
            start, end, effects = m.start(), m.end(), set()
        found.insert(i, _amount(text, start, end, currency, low, high, effects | {_APPROX}))


def _amounts_in(text: str, pos: int, endpos: int, found: list[Amount]) -> None:
    rates = [(r.start(), r.end()) for r in _RATE.finditer(text, max(0, pos - 16), endpos)]
    pos = max(pos, found[-1].end if found else 0)
    while pos < endpos:
        m = _AMOUNT.search(text, pos, endpos)
        if m is None:
            break
        parsed = _parse(text, m)
        if parsed is None:
            pos = m.start() + 1 if m.group("separator") is not None else m.end()
            continue
        core_end, currency, low, high = parsed
        pos = core_end
        core_start = m.start()
        if any(s < core_end and core_start < e for s, e in rates):
            continue
        start, end, effects = _qualify(text, core_start, core_end, found[-1].end if found else 0)
        pos = end
        found.append(_amount(text, start, end, currency, as_number(min(low, high)), as_number(max(low, high)), effects))


def _amount(text: str, start: int, end: int, currency: str, low: Number, high: Number, effects: set[str]) -> Amount:
    """The Amount of text[start:end] with what its qualifiers say: an open bound, approximate, a
    period, what one amount is for."""
    if _LOW in effects and _HIGH not in effects:
        high = None
    elif _HIGH in effects and _LOW not in effects:
        low = None
    period = next((p for p in _PERIODS if p in effects), None)
    per = next((e[4:] for e in sorted(effects) if e.startswith("per:")), None)
    return Amount(text[start:end], currency, low, high, _APPROX in effects, period, start, end, per)


# --- percentages ---------------------------------------------------------------------------------

_PERCENT_SIGN = r"(?:%|％|パーセント|percent(?![A-Za-z])|per cent(?![A-Za-z]))"
# 2割 / 二割 is 20%, 1割5分 15%; 割引, 割合, 割安, 割高 are other words.
_WARI = rf"(?P<wari>[{_DIG}]+|[{_KANJI_DIGITS}十])割(?:(?P<bu>[0-9{_KANJI_DIGITS}])分)?(?![引合安高愛])"
_PERCENT = re.compile(
    rf"{_NOT_BEFORE}(?P<sign>[+＋\-−–])?"
    rf"(?:(?P<number>{_ARABIC}|[{_KANJI_DIGITS}十]+)[ \u00a0]?{_PERCENT_SIGN}|{_WARI})"
)
_BASIS = re.compile(
    r"(?:前年同期比|前年度比|前年比|前期比|前月比|前年同月比|YoY|year-on-year|year on year)(?:で|の)?[ \u00a0]?\Z", re.I
)
_JA_UP = re.compile(r"(?:以上|程度|近く|前後|ほど|強|弱|の|も)*(?:増加|増え|増|上昇|アップ|伸び|拡大|成長|高)")
_JA_DOWN = re.compile(r"(?:以上|程度|近く|前後|ほど|強|弱|の|も)*(?:減少|減り|減|下落|低下|ダウン|縮小|安)")
_EN_UP_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:up|rose|risen|rises?|grew|grown|grows?|increased?|increases|gained|gains?|jumped|climbed)"
    r"(?: by)?[ \u00a0]\Z",
    re.I,
)
_EN_DOWN_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:down|fell|fallen|falls?|dropped|drops?|declined?|declines|decreased?|decreases|lost|slid)"
    r"(?: by)?[ \u00a0]\Z",
    re.I,
)
_EN_UP_AFTER = re.compile(r"[ \u00a0](?:increase|rise|growth|gain|jump|higher)(?![A-Za-z])", re.I)
_EN_DOWN_AFTER = re.compile(r"[ \u00a0](?:decrease|decline|drop|fall|lower|cut)(?![A-Za-z])", re.I)


def find_percentages(text: str) -> list[Percentage]:
    """Percentages (20%, 20％, 20パーセント, 二割, 1割5分) in order, with the direction stated next to them."""
    found: list[Percentage] = []
    matches = (m for s, e in _windows(text, _PERCENT_MARKER, 24, 12) for m in _PERCENT.finditer(text, s, e))
    for m in matches:
        if found and m.start() < found[-1].end:
            continue
        if m.group("wari"):
            value = figure_value(m.group("wari")) * 10 + (figure_value(m.group("bu")) if m.group("bu") else 0)
        else:
            value = figure_value(m.group("number"))
        start, end = m.start(), m.end()
        direction = None
        sign = m.group("sign")
        if sign:
            direction = "up" if sign in "+＋" else "down"
        basis = _BASIS.search(text, max(0, start - 20), start)
        if basis:
            start = basis.start()
        for pattern, name in ((_JA_UP, "up"), (_JA_DOWN, "down"), (_EN_UP_AFTER, "up"), (_EN_DOWN_AFTER, "down")):
            after = pattern.match(text, end)
            if after:
                direction, end = name, after.end()
                break
        else:
            for pattern, name in ((_EN_UP_BEFORE, "up"), (_EN_DOWN_BEFORE, "down")):
                before = pattern.search(text, max(0, start - 20), start)
                if before:
                    direction, start = name, before.start()
                    break
        found.append(Percentage(text[start:end], as_number(value), direction, start, end))
    return found


# --- years ---------------------------------------------------------------------------------------

_JA_YEAR = re.compile(
    rf"(?<![{_DIG}{_KANJI_DIGITS}])(?P<digits>(?:19|20|１９|２０)[{_DIG}]{{2}}|[一二][〇一二三四五六七八九]{{3}})年(?!間)"
    r"(?P<fiscal>度)?(?P<bound>までに|まで|から|以降|以来)?"
)
_EN_YEAR = re.compile(
    r"(?<![A-Za-z0-9])(?:(?P<fy>FY ?|fiscal year |fiscal )|(?P<word>in|by|until|through|since|from|before|after|to|during|of) )"
    r"(?P<digits>(?:19|20)\d{2})(?![0-9A-Za-z])",
    re.I,
)
_EN_BOUNDS = {
    "by": "until", "until": "until", "through": "until", "to": "until", "before": "until",
    "since": "from", "from": "from", "after": "from",
}
_JA_BOUNDS = {"まで": "until", "までに": "until", "から": "from", "以降": "from", "以来": "from"}


def find_years(text: str) -> list[Year]:
    """Years in order: 2025年, 2025年度 (fiscal), 2028年まで (until), 2025年から (from), in/by 2028, FY2025."""
    found: list[Year] = []
    for m in (m for s, e in _windows(text, _JA_YEAR_MARKER, 4, 4) for m in _JA_YEAR.finditer(text, s, e)):
        year = int(figure_value(m.group("digits")))
        bound = _JA_BOUNDS.get(m.group("bound") or "")
        found.append(Year(m.group(), year, m.group("fiscal") is not None, bound, m.start(), m.end()))
    for m in (m for s, e in _windows(text, _EN_YEAR_MARKER, 13, 1) for m in _EN_YEAR.finditer(text, s, e)):
        word = (m.group("word") or "").lower()
        start = m.start() if m.group("fy") or word in _EN_BOUNDS else m.start("digits")
        fiscal = m.group("fy") is not None
        found.append(Year(text[start : m.end()], int(m.group("digits")), fiscal, _EN_BOUNDS.get(word), start, m.end()))
    found.sort(key=lambda y: y.start)
    return found


def find_figures(text: str) -> Figures:
    """Amounts, percentages and years of `text`; a year or percentage inside an amount is dropped."""
    amounts = find_amounts(text)
    starts = [a.start for a in amounts]

    def outside(item) -> bool:
        i = bisect.bisect_left(starts, item.end)  # amounts starting before the item ends
        return i == 0 or amounts[i - 1].end <= item.start  # they do not overlap, being disjoint and in order

    percentages = tuple(p for p in find_percentages(text) if outside(p))
    return Figures(tuple(amounts), percentages, tuple(y for y in find_years(text) if outside(y)))
