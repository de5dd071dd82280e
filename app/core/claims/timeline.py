"""A timeline of one entity's figures as an SVG drawing, made by the app itself. Pure.

`timeline_svg(points, title=…)` draws each figure at its period on a time axis (a year at its
middle, a quarter or half at its own part of the year, an "as of" date at that day), ranges as
bars, single figures as dots, one colour per post with a legend. Money is drawn in one currency
(the most common one among the figures; others converted through the rates table, which the
chart's note says); percentages are drawn on their own chart. Every text in it (titles, posts'
names) is escaped: a post's title is text in the drawing, never markup.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from app.core.claims.compare import Figure, Rates, load_rates

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22")
WIDTH, HEIGHT = 760, 420
LEFT, RIGHT, TOP, BOTTOM = 90, 180, 48, 66


@dataclass(frozen=True)
class Point:
    """One figure to draw: its period ("2025", "FY2025", "2025Q3", "2025H1", "asof:2025-03-04"),
    the post it is from (a name for the legend) and the figure."""

    period: str
    post: str
    figure: Figure


def period_position(period: str) -> float | None:
    """Where a period sits on the time axis, in years (2025.5 is the middle of 2025)."""
    try:
        if period.startswith("asof:"):
            year, month, day = (int(p) for p in period[5:15].split("-"))
            return year + (month - 1) / 12 + (day - 1) / 365
        if period.startswith("FY"):
            return int(period[2:6]) + 0.5
        year = int(period[:4])
        rest = period[4:]
        if rest.startswith("Q") and rest[1:].isdigit():
            return year + (int(rest[1:]) - 0.5) / 4
        if rest.startswith("H") and rest[1:].isdigit():
            return year + (int(rest[1:]) - 0.5) / 2
        return year + 0.5 if not rest else None
    except ValueError:
        return None


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    span = high - low or abs(high) or 1.0
    step = 10 ** math.floor(math.log10(span / count))
    for factor in (1, 2, 5, 10):
        if span / (step * factor) <= count:
            step *= factor
            break
    first = math.floor(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 2)]


def _label(value: float, currency: str) -> str:
    if currency == "%":
        return f"{value:g}%"
    for size, word in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"{value / size:g}{word} {currency}"
    return f"{value:g} {currency}"


def timeline_svg(points: Sequence[Point], *, title: str, rates: Rates | None = None) -> str:
    """The SVG drawing (a complete document) of `points` (see the module docstring)."""
    rates = rates or load_rates()
    money = [p for p in points if p.figure.currency != "%"]
    shown = money or [p for p in points if p.figure.currency == "%"]
    currency = Counter(p.figure.currency for p in shown).most_common(1)[0][0] if shown else "USD"
    rows = []
    converted = False
    for p in shown:
        x = period_position(p.period)
        low, high = p.figure.low, p.figure.high
        if p.figure.currency != currency:
            factor = (rates.usd_per_unit.get(p.figure.currency) or 0) / (rates.usd_per_unit.get(currency) or 1)
            if not factor:
                continue
            low, high, converted = (None if low is None else low * factor), (None if high is None else high * factor), True
        if x is None or (low is None and high is None):
            continue
        rows.append((x, low, high, p))
    posts = list(dict.fromkeys(p.post for _x, _l, _h, p in rows))
    colour = {post: COLOURS[i % len(COLOURS)] for i, post in enumerate(posts)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
           'font-family="Noto Sans CJK JP, sans-serif" font-size="12">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{LEFT}" y="24" font-size="16" font-weight="bold">{escape(title)}</text>']
    if not rows:
        out.append(f'<text x="{LEFT}" y="{HEIGHT // 2}">No figures with a period to draw.</text></svg>')
        return "\n".join(out) + "\n"
    xs = [x for x, *_ in rows]
    values = [v for _x, low, high, _p in rows for v in (low, high) if v is not None]
    x0, x1 = math.floor(min(xs)), math.floor(max(xs)) + 1
    ticks = _ticks(min(0.0, min(values)), max(values) * 1.1)
    y0, y1 = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x: float) -> float:
        return LEFT + (x - x0) / (x1 - x0) * plot_w

    def py(v: float) -> float:
        return TOP + plot_h - (v - y0) / (y1 - y0) * plot_h

    out.append('<g stroke="#ccc">' + "".join(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{py(t):.1f}" y2="{py(t):.1f}"/>' for t in ticks) + "</g>")
    out.append("".join(f'<text x="{LEFT - 6}" y="{py(t) + 4:.1f}" text-anchor="end">{escape(_label(t, currency))}</text>' for t in ticks))
    out.append("".join(f'<text x="{px(year + 0.5):.1f}" y="{TOP + plot_h + 20}" text-anchor="middle">{year}</text>'
                       f'<line x1="{px(year):.1f}" x2="{px(year):.1f}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#eee"/>'
                       for year in range(x0, x1)))
    for x, low, high, p in rows:
        c = colour[p.post]
        tip = f"<title>{escape(p.post)}: {escape(p.figure.text)} ({escape(p.period)})</title>"
        if low is not None and high is not None and low == high:
            out.append(f'<circle class="point" cx="{px(x):.1f}" cy="{py(low):.1f}" r="5" fill="{c}">{tip}</circle>')
        else:
            top = py(high if high is not None else y1)
            bottom = py(low if low is not None else y0)
            out.append(f'<rect class="range" x="{px(x) - 4:.1f}" y="{top:.1f}" width="8" height="{max(bottom - top, 2):.1f}" '
                       f'fill={quoteattr(c)} fill-opacity="0.6">{tip}</rect>')
    for i, post in enumerate(posts):
        y = TOP + 8 + i * 18
        out.append(f'<rect x="{WIDTH - RIGHT + 16}" y="{y - 9}" width="10" height="10" fill="{colour[post]}"/>'
                   f'<text x="{WIDTH - RIGHT + 32}" y="{y}">{escape(post[:28])}</text>')
    notes = ["Ranges are bars, single figures dots; one colour per post."]
    if converted:
        notes.append(f"Other currencies converted to {currency} at approximate rates" + (f" of {rates.as_of}." if rates.as_of else "."))
    out.extend(f'<text x="{LEFT}" y="{HEIGHT - 26 + 14 * i}" fill="#666">{escape(n)}</text>' for i, n in enumerate(notes))
    out.append("</svg>")
    return "\n".join(out) + "\n"
