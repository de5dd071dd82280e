"""The timeline of an entity's figures as SVG (app/core/claims/timeline.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.core.claims.compare import Figure, Rates
from app.core.claims.timeline import Point, period_position, timeline_svg

RATES = Rates({"USD": 1.0, "JPY": 0.0064}, "2025-11-28")
NS = {"s": "http://www.w3.org/2000/svg"}


def point(period: str, post: str, low, high, currency: str = "USD", text: str = "x") -> Point:
    return Point(period, post, Figure(post, None, text, currency, low, high, False))


@pytest.mark.parametrize(("period", "where"), [
    ("2025", 2025.5), ("FY2025", 2025.5), ("2025Q1", 2025.125), ("2025Q4", 2025.875), ("2025H2", 2025.75),
    ("asof:2025-07-01", 2025.5), ("garbage", None), ("2025Q", None),
])
def test_period_positions(period: str, where) -> None:
    got = period_position(period)
    assert got == where if where is None else abs(got - where) < 0.01


def test_ranges_are_bars_points_are_dots_one_colour_per_post() -> None:
    svg = timeline_svg([
        point("2025", "Post A", 66e9, 72e9), point("2025", "Post B", 70e9, 70e9),
        point("2024", "Post A", 39e9, 39e9), point("2026Q1", "Post C", 1e13, 1e13, "JPY"),
    ], title="Meta — capex", rates=RATES)
    root = ET.fromstring(svg)
    assert len(root.findall(".//s:rect[@class='range']", NS)) == 1
    dots = root.findall(".//s:circle[@class='point']", NS)
    assert len(dots) == 3 and len({d.get("fill") for d in dots}) == 3
    assert "converted to USD at approximate rates of 2025-11-28" in svg


def test_titles_and_post_names_are_text_never_markup() -> None:
    hostile = '<script>alert(1)</script><image href="file:///etc/passwd"/>'
    svg = timeline_svg([point("2025", hostile, 1e9, 1e9, text=hostile)], title=hostile, rates=RATES)
    root = ET.fromstring(svg)  # still well-formed
    assert root.find(".//s:script", NS) is None and root.find(".//s:image", NS) is None
    assert "&lt;script&gt;" in svg


def test_nothing_to_draw_says_so() -> None:
    assert "No figures with a period" in timeline_svg([point("garbage", "A", 1, 1)], title="x", rates=RATES)
