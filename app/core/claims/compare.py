"""Claims compared across posts: the same entity's same metric for the same period, side by side.

`compare(items)` groups facts (app/core/claims/facts.py) by entity, metric and period and says
whether each group's figures agree: two figures agree when their ranges overlap (an open bound
reaches as far as it says), or when the nearer ends are within 10% of each other. Amounts in
different currencies are compared through the rates table (`resources/claims/rates.tsv`, with its
date, merged with the user's `rates.tsv` in the data folder): approximate by nature, and only used
to compare, never to change a figure shown. Percentages are compared only with percentages; a
figure whose currency has no rate cannot disagree with anything. A fact with no entity or figure
is not grouped. An "as of" period groups by the year of its date.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.core.claims.facts import Fact
from app.core.common import paths
from app.core.common.messages import Message

TOLERANCE = 0.10
RATES_FILE_NAME = "rates.tsv"


@dataclass(frozen=True)
class Rates:
    """US dollars per unit of each currency, and the date the table gives for them."""

    usd_per_unit: dict[str, float]
    as_of: str | None
    warnings: tuple[str, ...] = ()

    def to_usd(self, value: float | None, currency: str) -> float | None:
        rate = self.usd_per_unit.get(currency)
        return None if value is None or rate is None else value * rate


def _read_rates(path: Path) -> tuple[dict[str, float], str | None, list[str]]:
    rates: dict[str, float] = {}
    as_of = None
    warnings: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = [c.strip() for c in line.split("\t")]
        if len(columns) == 2 and columns[0].lower() == "as of":
            as_of = columns[1]
            continue
        try:
            rate = float(columns[1]) if len(columns) == 2 and len(columns[0]) == 3 and columns[0].isalpha() else -1.0
        except ValueError:
            rate = -1.0
        if not 0 < rate < 1e6:
            warnings.append(Message("rates.bad_line", "{file} line {line}: expected a currency code and US dollars per unit.", file=path.name, line=number))
            continue
        rates[columns[0].upper()] = rate
    return rates, as_of, warnings


def load_rates(user_path: str | os.PathLike[str] | None = None) -> Rates:
    """The bundled rates with the user's file merged over them (a missing user file adds nothing)."""
    rates, as_of, warnings = _read_rates(paths.resource("claims", RATES_FILE_NAME))
    user = Path(user_path) if user_path is not None else paths.data_dir() / RATES_FILE_NAME
    try:
        mine, my_date, my_warnings = _read_rates(user)
    except FileNotFoundError:
        mine, my_date, my_warnings = {}, None, []
    except (OSError, UnicodeDecodeError):
        mine, my_date, my_warnings = {}, None, [Message("rates.unreadable", "{file} could not be read, so the bundled rates are used.", file=user.name)]
    return Rates({**rates, **mine}, my_date or as_of, tuple(warnings + my_warnings))


def user_rates_file() -> Path:
    """Where the reader's own rates are kept: rates.tsv in Kakikomi's data folder."""
    return paths.data_dir() / RATES_FILE_NAME


def save_rates(usd_per_unit: dict[str, float], as_of: str, path: str | os.PathLike[str] | None = None) -> Path:
    """Write the reader's rates (currency code -> US dollars per unit, and their date) over the
    bundled ones, atomically. ValueError (one sentence) for a code or a rate that cannot be one."""
    from app.core.common.fileio import write_atomic

    lines = ["# Your exchange rates (Kakikomi merges them over its own): currency, US dollars per unit."]
    if as_of.strip():
        if "\t" in as_of or "\n" in as_of or len(as_of) > 40:
            raise ValueError(Message("rates.bad_date", "The date of the rates must be one short line, e.g. 2026-01-05."))
        lines.append(f"as of\t{as_of.strip()}")
    for code, rate in sorted(usd_per_unit.items()):
        code = code.strip().upper()
        if len(code) != 3 or not code.isascii() or not code.isalpha():
            if not code:
                raise ValueError(Message("rates.empty_code", "An empty code is not a currency code: use three letters, e.g. JPY."))
            raise ValueError(Message("rates.bad_code", "{code} is not a currency code: use three letters, e.g. JPY.", code=code))
        if not isinstance(rate, (int, float)) or not 0 < rate < 1e6:
            raise ValueError(Message("rates.bad_rate", "The rate of {code} must be a positive number of US dollars per unit.", code=code))
        lines.append(f"{code}\t{rate:g}")
    target = Path(path) if path is not None else user_rates_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, ("\n".join(lines) + "\n").encode("utf-8"))
    return target


def reset_rates(path: str | os.PathLike[str] | None = None) -> None:
    """Forget the reader's rates: the bundled ones apply again."""
    target = Path(path) if path is not None else user_rates_file()
    target.unlink(missing_ok=True)


@dataclass(frozen=True)
class Figure:
    """One post's figure in a group: where it is from and what it says."""

    post: int | str | None
    claim: str | None
    text: str
    currency: str
    low: float | None
    high: float | None
    approx: bool

    def to_json(self) -> dict:
        return {"post": self.post, "claim": self.claim, "text": self.text, "currency": self.currency,
                "low": self.low, "high": self.high, "approx": self.approx}


@dataclass(frozen=True)
class Group:
    """Figures for one entity, metric and period, and whether they agree."""

    entity: str
    metric: str
    period: str
    agree: bool
    figures: tuple[Figure, ...]

    def to_json(self) -> dict:
        return {"entity": self.entity, "metric": self.metric, "period": self.period, "agree": self.agree,
                "figures": [f.to_json() for f in self.figures]}


def period_key(period: str) -> str:
    """The period a fact is grouped under: an "as of" date counts as its year."""
    return period[5:9] if period.startswith("asof:") and len(period) >= 9 else period


def compare(items: Iterable[tuple[int | str | None, str | None, Fact]], rates: Rates | None = None) -> list[Group]:
    """Groups of (post, claim id, fact) by entity, metric and period, each with its agreement,
    in order of entity, metric and period; only groups with figures from two or more posts."""
    rates = rates or load_rates()
    grouped: dict[tuple[str, str, str], list[Figure]] = {}
    for post, claim, fact in items:
        if fact.entity is None or fact.value is None or fact.currency is None:
            continue
        figure = Figure(post, claim, fact.value.text, fact.currency, fact.low, fact.high, bool(getattr(fact.value, "approx", False)))
        grouped.setdefault((fact.entity, fact.metric, period_key(fact.period)), []).append(figure)
    groups = []
    for (entity, metric, period), figures in sorted(grouped.items()):
        if len({f.post for f in figures}) < 2:
            continue
        agree = all(agrees(a, b, rates) for a, b in itertools.combinations(figures, 2))
        groups.append(Group(entity, metric, period, agree, tuple(figures)))
    return groups


def _in_usd(figure: Figure, rates: Rates) -> tuple[float | None, float | None] | None:
    if figure.currency == "%":
        return figure.low, figure.high
    if figure.currency not in rates.usd_per_unit:
        return None
    return rates.to_usd(figure.low, figure.currency), rates.to_usd(figure.high, figure.currency)


def agrees(a: Figure, b: Figure, rates: Rates, tolerance: float = TOLERANCE) -> bool:
    """Whether two figures can both be right: their ranges overlap, or their nearer ends are
    within `tolerance` of each other. Percentages and money never compare; an unknown currency
    compares with nothing (so it never makes a group disagree)."""
    if (a.currency == "%") != (b.currency == "%"):
        return True
    ra, rb = _in_usd(a, rates), _in_usd(b, rates)
    if ra is None or rb is None:
        return True
    a_low, a_high = ra[0] if ra[0] is not None else float("-inf"), ra[1] if ra[1] is not None else float("inf")
    b_low, b_high = rb[0] if rb[0] is not None else float("-inf"), rb[1] if rb[1] is not None else float("inf")
    if a_low <= b_high and b_low <= a_high:
        return True
    gap_low, gap_high = (a_high, b_low) if a_high < b_low else (b_high, a_low)
    return gap_high - gap_low <= tolerance * max(abs(gap_high), abs(gap_low))
