"""A claim as a fact: whose figure it is, what it measures, how much, and for when. Pure.

`read_fact(sentence, post_date=…)` reads one sentence (Japanese or English) into a `Fact`:

- `value`: the main figure, an Amount (`kakikomi amounts`) or, without one, a Percentage; the
  first amount of the sentence (later ones are usually a comparison or a second fact).
- `metric`: what the figure measures, from the words nearest to it (see `METRICS`), "price" for a
  per-unit amount with no other word, else "other".
- `entity`: the company or chip (the entity table) the figure belongs to: the name the metric word
  hangs on (NVIDIAの時価総額, TSMCの2025年第3四半期の売上高, Samsung's operating profit), else the
  sentence's topic (Metaは…, …が), else its first name; None without one.
- `period`: "2025", "FY2025", "2025Q3", "2025H1", or "asof:YYYY-MM-DD" (the post's date) when the
  sentence names no period: the year nearest the figure (今年/this year and the like count, from
  the post's date), with the quarter or half written next to it.

Every rule is a word list or a pattern here; the gold set in benchmarks/data/claim_facts/ scores
them (`python -m benchmarks.claim_facts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.claims.amounts import Amount, Percentage, find_amounts, find_percentages, find_years
from app.core.claims.entities import EntityTable, Mention, find_entities

# Metric -> the words that say it, Japanese and English (matched case-insensitively for English).
METRICS: dict[str, tuple[str, ...]] = {
    "capex": ("設備投資", "投資額", "投資", "投じ", "投入", "支出", "使う", "capital expenditures", "capital expenditure", "capex",
              "invest", "invests", "investment", "investments", "spend", "spending", "spends"),
    "revenue": ("売上高", "売上", "売り上げ", "営業収益", "収益", "出荷額", "販売額", "revenue", "sales"),
    "operating_profit": ("営業利益", "営業益", "営業損益", "operating profit", "operating income"),
    "net_profit": ("純利益", "最終利益", "当期利益", "純損失", "最終損益", "最終赤字", "net income", "net profit", "net loss"),
    "valuation": ("時価総額", "企業価値", "評価額", "market value", "market cap", "market capitalization", "valuation",
                  "valued at"),
    "funding": ("資金調達", "調達", "出資", "資金", "raised", "raises", "raise", "funding round", "financing"),
    "price": ("価格", "単価", "値段", "price", "priced", "cost", "costs"),
    "market_size": ("市場規模", "市場", "market size", "market for", "market to", "the market"),
    "subsidy": ("補助金", "助成金", "助成", "支援金", "subsidy", "subsidies", "grant", "CHIPS Act"),
}
# A more specific word wins over a general one at the same distance (CHIPS Act funding is a subsidy).
_SPECIFICITY = {"subsidy": 3, "market_size": 1, "valuation": 2, "funding": 1}
_METRIC_WORDS = sorted(((word, metric) for metric, words in METRICS.items() for word in words), key=lambda wm: -len(wm[0]))
_METRIC_PATTERN = re.compile(
    "|".join(re.escape(w) if not w.isascii() else rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])" for w, _m in _METRIC_WORDS),
    re.I,
)
_METRIC_OF = {word.lower(): metric for word, metric in _METRIC_WORDS}

# Between a name and the metric word it owns: no particle that starts another part of the sentence.
_BREAKS_OWNERSHIP = re.compile(r"[はがをにでと、。,;]|(?<![A-Za-z])(?:and|to|from|with|for|by|than)(?![A-Za-z])")
_TOPIC_AFTER = re.compile(r"(?:[ \u00a0]?(?:は|が|も|では))")
_JOINED = re.compile(r"[ \u00a0]?(?:と|や|、|及び|および|,|and|&)[ \u00a0]?")

_QUARTER_JA = re.compile(r"第([1-4１-４一二三四])四半期|([0-9０-９]{1,2})[〜~～\-－]([0-9０-９]{1,2})月期")
_QUARTER_EN = re.compile(
    r"(?<![A-Za-z])(?:Q([1-4])|([1-4])Q|(first|second|third|fourth) quarter|([1-4])(?:st|nd|rd|th) quarter)(?![A-Za-z0-9])", re.I
)
_HALF = re.compile(r"上期|上半期|下期|下半期|(?<![A-Za-z])(?:H([12])|(first|second) half)(?![A-Za-z0-9])", re.I)
_BARE_YEAR = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d\d)(?![0-9年])")
_RELATIVE_YEARS = {
    "今年度": (0, True), "本年度": (0, True), "今年": (0, False), "本年": (0, False), "昨年度": (-1, True), "昨年": (-1, False),
    "去年": (-1, False), "来年度": (1, True), "来年": (1, False), "this fiscal year": (0, True), "this year": (0, False),
    "last year": (-1, False), "next year": (1, False),
}
_RELATIVE = re.compile("|".join(re.escape(w) for w in sorted(_RELATIVE_YEARS, key=len, reverse=True)), re.I)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class Fact:
    """What one claim says: `entity`'s `metric` was `value` for `period`."""

    entity: str | None
    metric: str
    value: Amount | Percentage | None
    period: str

    @property
    def currency(self) -> str | None:
        return "%" if isinstance(self.value, Percentage) else self.value.currency if self.value else None

    @property
    def low(self):
        return self.value.value if isinstance(self.value, Percentage) else self.value.low if self.value else None

    @property
    def high(self):
        return self.value.value if isinstance(self.value, Percentage) else self.value.high if self.value else None

    def to_json(self) -> dict:
        return {
            "entity": self.entity, "metric": self.metric, "period": self.period,
            "value": self.value.to_json() if self.value else None,
            "currency": self.currency, "low": self.low, "high": self.high,
            "approx": bool(getattr(self.value, "approx", False)),
        }


def read_fact(sentence: str, *, post_date: str | None = None, entities: EntityTable | None = None) -> Fact:
    """The fact `sentence` states (see the module docstring); fields it cannot tell are None/"other"."""
    amounts = find_amounts(sentence)
    value: Amount | Percentage | None = amounts[0] if amounts else next(iter(find_percentages(sentence)), None)
    where = (value.start, value.end) if value else (len(sentence), len(sentence))
    metric, metric_at = _metric(sentence, where)
    if metric is None:
        metric = "price" if isinstance(value, Amount) and value.per else "other"
    mentions = find_entities(sentence, entities)
    entity = _entity(sentence, mentions, metric_at)
    return Fact(entity, metric, value, _period(sentence, where, post_date))


def _distance(span: tuple[int, int], where: tuple[int, int]) -> int:
    """Characters between a word and the figure; a word after the figure counts a little farther."""
    if span[1] <= where[0]:
        return where[0] - span[1]
    if span[0] >= where[1]:
        return (span[0] - where[1]) * 3 // 2 + 1
    return 0


def _metric(sentence: str, where: tuple[int, int]) -> tuple[str | None, tuple[int, int] | None]:
    best: tuple[float, str, tuple[int, int]] | None = None
    for m in _METRIC_PATTERN.finditer(sentence):
        if where[0] <= m.start() < where[1]:
            continue  # inside the figure itself (per share, …)
        metric = _METRIC_OF[m.group().lower()]
        score = _distance(m.span(), where) - 4 * _SPECIFICITY.get(metric, 0)
        if best is None or score < best[0]:
            best = (score, metric, m.span())
    return (best[1], best[2]) if best else (None, None)


def _entity(sentence: str, mentions: list[Mention], metric_at: tuple[int, int] | None) -> str | None:
    if not mentions:
        return None
    if metric_at is not None:
        owners = [m for m in mentions if m.end <= metric_at[0] and not _BREAKS_OWNERSHIP.search(sentence, m.end, metric_at[0])]
        if owners:
            return owners[-1].name
    for i, m in enumerate(mentions):
        if _TOPIC_AFTER.match(sentence, m.end):
            # "OpenAIとオラクルは": the first of names joined by と/や/and is the topic as written.
            while i > 0 and _JOINED.fullmatch(sentence, mentions[i - 1].end, mentions[i].start):
                i -= 1
            return mentions[i].name
    return mentions[0].name


def _period(sentence: str, where: tuple[int, int], post_date: str | None) -> str:
    post_year = int(post_date[:4]) if post_date and post_date[:4].isdigit() else None
    candidates: list[tuple[int, int, int, bool]] = []  # (distance, start, year, fiscal)
    for year in find_years(sentence):
        candidates.append((_distance((year.start, year.end), where), year.start, year.year, year.fiscal))
    taken = {c[1] for c in candidates}
    for m in _BARE_YEAR.finditer(sentence):
        if not any(abs(m.start() - s) <= 4 for s in taken) and not (where[0] <= m.start() < where[1]):
            fiscal = bool(re.search(r"(?:FY|fiscal(?: year)?)[ \u00a0]?\Z", sentence[max(0, m.start() - 12) : m.start()], re.I))
            candidates.append((_distance(m.span(), where), m.start(), int(m.group(1)), fiscal))
    if post_year is not None:
        for m in _RELATIVE.finditer(sentence):
            shift, fiscal = _RELATIVE_YEARS[m.group().lower()]
            candidates.append((_distance(m.span(), where), m.start(), post_year + shift, fiscal))
    if not candidates:
        return f"asof:{post_date}" if post_date else "asof:"
    _distance_, start, year, fiscal = min(candidates)
    if fiscal:
        return f"FY{year}"
    near = sentence[max(0, start - 30) : start + 40]
    if (quarter := _quarter(near)) is not None:
        return f"{year}Q{quarter}"
    if (half := _half(near)) is not None:
        return f"{year}H{half}"
    return str(year)


def _quarter(text: str) -> int | None:
    if m := _QUARTER_JA.search(text):
        if m.group(1):
            digit = m.group(1).translate(_DIGITS)
            return int(digit) if digit.isdigit() else _ORDINALS[digit]
        first_month = int(m.group(2).translate(_DIGITS))
        return (first_month - 1) // 3 + 1 if 1 <= first_month <= 12 else None
    if m := _QUARTER_EN.search(text):
        word = m.group(3)
        return _ORDINALS[word.lower()] if word else int(m.group(1) or m.group(2) or m.group(4))
    return None


def _half(text: str) -> int | None:
    m = _HALF.search(text)
    if m is None:
        return None
    word = m.group()
    if word in ("上期", "上半期") or (m.group(2) or "").lower() == "first" or m.group(1) == "1":
        return 1
    return 2
