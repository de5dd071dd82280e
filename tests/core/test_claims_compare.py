"""Claims compared across posts (app/core/claims/compare.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.claims.compare import Figure, Rates, agrees, compare, load_rates, period_key
from app.core.claims.entities import load_entities
from app.core.claims.facts import read_fact

TABLE = load_entities(user_path=Path("/nonexistent"))
RATES = Rates({"USD": 1.0, "JPY": 0.0064, "EUR": 1.16}, "2025-11-28")


def fig(low, high, currency="USD", post=1) -> Figure:
    return Figure(post, None, "x", currency, low, high, False)


@pytest.mark.parametrize(("a", "b", "same"), [
    (fig(66e9, 72e9), fig(70e9, 70e9), True),  # inside the range
    (fig(70e9, 70e9), fig(75e9, 75e9), True),  # 7% apart
    (fig(70e9, 70e9), fig(80e9, 80e9), False),  # 12.5% apart
    (fig(66e9, 72e9), fig(90e9, 95e9), False),  # ranges apart
    (fig(100e9, None), fig(150e9, 150e9), True),  # "over 100" holds 150
    (fig(None, 50e9), fig(80e9, 80e9), False),  # "up to 50" cannot be 80
    (fig(1e12, 1e12, "JPY"), fig(6.4e9, 6.4e9), True),  # 1兆円 is about 64億ドル
    (fig(1e12, 1e12, "JPY"), fig(10e9, 10e9), False),
    (fig(20, 20, "%"), fig(22, 22, "%"), True),
    (fig(20, 20, "%"), fig(40e9, 40e9), True),  # a percentage never compares with money
    (fig(5e9, 5e9, "XYZ"), fig(1, 1), True),  # no rate: cannot disagree
])
def test_agreement(a: Figure, b: Figure, same: bool) -> None:
    assert agrees(a, b, RATES) is same and agrees(b, a, RATES) is same


def test_two_posts_on_metas_2025_capex_are_one_group() -> None:
    facts = [
        (1, "a", read_fact("Metaは2025年の設備投資を660億〜720億ドルとした。", post_date="2025-11-30", entities=TABLE)),
        (2, "b", read_fact("Meta expects 2025 capital expenditures of about $70 billion.", post_date="2025-10-30", entities=TABLE)),
        (3, "c", read_fact("Googleは2025年に750億ドルを投資する。", post_date="2025-02-05", entities=TABLE)),
        (3, "d", read_fact("Googleの2025年の設備投資は850億ドルに増えた。", post_date="2025-07-24", entities=TABLE)),
        (4, "e", read_fact("Metaは2025年の設備投資を1000億ドルと見込む。", post_date="2025-01-30", entities=TABLE)),
    ]
    groups = compare(facts, RATES)
    assert [(g.entity, g.metric, g.period) for g in groups] == [("Meta", "capex", "2025")]  # Google's are from one post
    [meta] = groups
    assert meta.agree is False and [f.claim for f in meta.figures] == ["a", "b", "e"]
    assert compare(facts[:2], RATES)[0].agree is True
    assert meta.to_json()["figures"][0] == {"post": 1, "claim": "a", "text": "660億〜720億ドル", "currency": "USD",
                                             "low": 66000000000, "high": 72000000000, "approx": False}


def test_an_as_of_date_groups_by_its_year() -> None:
    assert period_key("asof:2025-03-04") == "2025" and period_key("FY2025") == "FY2025"


def test_the_bundled_rates_have_a_date_and_a_users_file_wins(tmp_path: Path) -> None:
    bundled = load_rates(tmp_path / "none.tsv")
    assert bundled.as_of and bundled.usd_per_unit["USD"] == 1 and 0 < bundled.usd_per_unit["JPY"] < 0.02
    mine = tmp_path / "rates.tsv"
    mine.write_text("as of\t2026-01-05\nJPY\t0.007\nbad line\n", encoding="utf-8")
    rates = load_rates(mine)
    assert (rates.as_of, rates.usd_per_unit["JPY"], rates.usd_per_unit["EUR"]) == ("2026-01-05", 0.007, bundled.usd_per_unit["EUR"])
    assert len(rates.warnings) == 1 and "line 3" in rates.warnings[0]


def test_the_readers_rates_are_saved_read_back_and_reset(tmp_path: Path) -> None:
    from app.core.claims.compare import reset_rates, save_rates

    mine = tmp_path / "data" / "rates.tsv"
    save_rates({"jpy": 0.0071, "EUR": 1.2}, "2026-01-05", mine)
    rates = load_rates(mine)
    assert (rates.as_of, rates.usd_per_unit["JPY"], rates.usd_per_unit["EUR"]) == ("2026-01-05", 0.0071, 1.2)
    for bad in ({"YEN!": 1.0}, {"JPY": 0.0}, {"JPY": -1.0}):
        with pytest.raises(ValueError):
            save_rates(bad, "2026-01-05", mine)
    assert load_rates(mine).usd_per_unit["JPY"] == 0.0071  # a refused save leaves the file as it was
    reset_rates(mine)
    assert not mine.exists() and load_rates(mine).usd_per_unit["JPY"] == load_rates(tmp_path / "none").usd_per_unit["JPY"]
