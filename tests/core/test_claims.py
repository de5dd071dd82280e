"""Tests for app.core.claims.amounts (money, percentages, years) and app.core.claims.sentences (suggested claims)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.claims.amounts import Amount, figure_value, find_amounts, find_figures, find_percentages, find_years
from app.core.claims.entities import load_entities
from app.core.claims.sentences import sentence_spans, suggest_claims
from app.core.common.paths import sample_post_path
from app.core.posts.post import load_post
from app.core.posts.render import RenderOptions, render_post
from app.core.reading.furigana_mode import FuriganaMode


@pytest.fixture(autouse=True)
def _no_user_entities(tmp_path_factory, monkeypatch):
    """Suggestions use the bundled entities only, whatever entities.tsv the developer keeps."""
    monkeypatch.setenv("KAKIKOMI_HOME", str(tmp_path_factory.mktemp("home")))


B = 10**9
OKU = 10**8
CHO = 10**12
MAN = 10**4

# (text, [(amount text, currency, low, high, approx, period), ...]) — every amount the text holds.
AMOUNT_CASES = [
    # The issue's own examples.
    ("Metaは2025年にAIインフラへ660億–720億ドルを投じる", [("660億–720億ドル", "USD", 660 * OKU, 720 * OKU, False, None)]),
    ("約1.5兆円", [("約1.5兆円", "JPY", 15 * 10**11, 15 * 10**11, True, None)]),
    ("$5 billion per year", [("$5 billion per year", "USD", 5 * B, 5 * B, False, "year")]),
    ("三百億円以上", [("三百億円以上", "JPY", 300 * OKU, None, False, None)]),
    # Units and their combinations.
    ("投資額は1兆5000億円です。", [("1兆5000億円", "JPY", 15 * 10**11, 15 * 10**11, False, None)]),
    ("2兆3000億5000万円を計上", [("2兆3000億5000万円", "JPY", 2 * CHO + 3000 * OKU + 5000 * MAN, 2 * CHO + 3000 * OKU + 5000 * MAN, False, None)]),
    ("売上高は5000万円だった", [("5000万円", "JPY", 5000 * MAN, 5000 * MAN, False, None)]),
    ("1億ドルの契約", [("1億ドル", "USD", OKU, OKU, False, None)]),
    ("3兆円の予算", [("3兆円", "JPY", 3 * CHO, 3 * CHO, False, None)]),
    ("1万2千円の本", [("1万2千円", "JPY", 12000, 12000, False, None)]),
    ("5千万円を調達", [("5千万円", "JPY", 5000 * MAN, 5000 * MAN, False, None)]),
    ("3千億円の工場", [("3千億円", "JPY", 3000 * OKU, 3000 * OKU, False, None)]),
    # Kanji numerals.
    ("二千万円の赤字", [("二千万円", "JPY", 2000 * MAN, 2000 * MAN, False, None)]),
    ("設備投資を三百億円上乗せする", [("三百億円", "JPY", 300 * OKU, 300 * OKU, False, None)]),
    ("一兆円の大台", [("一兆円", "JPY", CHO, CHO, False, None)]),
    ("五百万円", [("五百万円", "JPY", 500 * MAN, 500 * MAN, False, None)]),
    ("千円札", [("千円", "JPY", 1000, 1000, False, None)]),
    ("十億ドル", [("十億ドル", "USD", 10 * OKU, 10 * OKU, False, None)]),
    ("二〇〇〇円", [("二〇〇〇円", "JPY", 2000, 2000, False, None)]),
    ("三千五百億円", [("三千五百億円", "JPY", 3500 * OKU, 3500 * OKU, False, None)]),
    # Full-width digits and separators, decimals.
    ("２０億ドル", [("２０億ドル", "USD", 20 * OKU, 20 * OKU, False, None)]),
    ("１，２００万円", [("１，２００万円", "JPY", 1200 * MAN, 1200 * MAN, False, None)]),
    ("1,000万円", [("1,000万円", "JPY", 1000 * MAN, 1000 * MAN, False, None)]),
    ("12,345円", [("12,345円", "JPY", 12345, 12345, False, None)]),
    ("1.5兆円", [("1.5兆円", "JPY", 15 * 10**11, 15 * 10**11, False, None)]),
    ("２．５億ドル", [("２．５億ドル", "USD", 25 * 10**7, 25 * 10**7, False, None)]),
    ("0.5億円", [("0.5億円", "JPY", 5 * 10**7, 5 * 10**7, False, None)]),
    ("価格は1,980.5円", [("1,980.5円", "JPY", 1980.5, 1980.5, False, None)]),
    # Currency words and signs.
    ("100米ドル", [("100米ドル", "USD", 100, 100, False, None)]),
    ("50億ユーロ", [("50億ユーロ", "EUR", 50 * OKU, 50 * OKU, False, None)]),
    ("100億元", [("100億元", "CNY", 100 * OKU, 100 * OKU, False, None)]),
    ("300億人民元", [("300億人民元", "CNY", 300 * OKU, 300 * OKU, False, None)]),
    ("1000億ウォン", [("1000億ウォン", "KRW", 1000 * OKU, 1000 * OKU, False, None)]),
    ("10億ポンド", [("10億ポンド", "GBP", 10 * OKU, 10 * OKU, False, None)]),
    ("20億豪ドル", [("20億豪ドル", "AUD", 20 * OKU, 20 * OKU, False, None)]),
    ("$40 billion", [("$40 billion", "USD", 40 * B, 40 * B, False, None)]),
    ("US$1.2 trillion", [("US$1.2 trillion", "USD", 12 * 10**11, 12 * 10**11, False, None)]),
    ("¥3,000", [("¥3,000", "JPY", 3000, 3000, False, None)]),
    ("￥5,000", [("￥5,000", "JPY", 5000, 5000, False, None)]),
    ("€2.5bn", [("€2.5bn", "EUR", 25 * 10**8, 25 * 10**8, False, None)]),
    ("£300m", [("£300m", "GBP", 300 * 10**6, 300 * 10**6, False, None)]),
    ("$5B", [("$5B", "USD", 5 * B, 5 * B, False, None)]),
    ("$1.2tn", [("$1.2tn", "USD", 12 * 10**11, 12 * 10**11, False, None)]),
    ("$750 million", [("$750 million", "USD", 750 * 10**6, 750 * 10**6, False, None)]),
    ("$250k", [("$250k", "USD", 250000, 250000, False, None)]),
    ("5 billion dollars", [("5 billion dollars", "USD", 5 * B, 5 * B, False, None)]),
    ("10 million yen", [("10 million yen", "JPY", 10 * 10**6, 10 * 10**6, False, None)]),
    ("3 billion euros", [("3 billion euros", "EUR", 3 * B, 3 * B, False, None)]),
    ("USD 5 billion", [("USD 5 billion", "USD", 5 * B, 5 * B, False, None)]),
    ("EUR 3bn", [("EUR 3bn", "EUR", 3 * B, 3 * B, False, None)]),
    ("RMB 100 billion", [("RMB 100 billion", "CNY", 100 * B, 100 * B, False, None)]),
    ("5 billion USD", [("5 billion USD", "USD", 5 * B, 5 * B, False, None)]),
    ("US$ 5 billion", [("US$ 5 billion", "USD", 5 * B, 5 * B, False, None)]),
    ("USD5bn", [("USD5bn", "USD", 5 * B, 5 * B, False, None)]),
    ("$1,500", [("$1,500", "USD", 1500, 1500, False, None)]),
    ("$1億", [("$1億", "USD", OKU, OKU, False, None)]),
    # Ranges.
    ("660〜720億ドル", [("660〜720億ドル", "USD", 660 * OKU, 720 * OKU, False, None)]),
    ("500億〜600億ドル", [("500億〜600億ドル", "USD", 500 * OKU, 600 * OKU, False, None)]),
    ("660億ドルから720億ドル", [("660億ドルから720億ドル", "USD", 660 * OKU, 720 * OKU, False, None)]),
    ("660億から720億ドル", [("660億から720億ドル", "USD", 660 * OKU, 720 * OKU, False, None)]),
    ("1〜2兆円", [("1〜2兆円", "JPY", CHO, 2 * CHO, False, None)]),
    ("1-2兆円", [("1-2兆円", "JPY", CHO, 2 * CHO, False, None)]),
    ("5000万〜1億円", [("5000万〜1億円", "JPY", 5000 * MAN, OKU, False, None)]),
    ("三百億～五百億円", [("三百億～五百億円", "JPY", 300 * OKU, 500 * OKU, False, None)]),
    ("1兆〜1兆5000億円", [("1兆〜1兆5000億円", "JPY", CHO, 15 * 10**11, False, None)]),
    ("$5-7 billion", [("$5-7 billion", "USD", 5 * B, 7 * B, False, None)]),
    ("$5–7 billion", [("$5–7 billion", "USD", 5 * B, 7 * B, False, None)]),
    ("$5 billion to $7 billion", [("$5 billion to $7 billion", "USD", 5 * B, 7 * B, False, None)]),
    ("5 to 7 billion dollars", [("5 to 7 billion dollars", "USD", 5 * B, 7 * B, False, None)]),
    ("between $5bn and $7bn", [("$5bn and $7bn", "USD", 5 * B, 7 * B, False, None)]),
    ("660億–720億ドル", [("660億–720億ドル", "USD", 660 * OKU, 720 * OKU, False, None)]),
    # Bounds.
    ("最低でも1000億ドル", [("最低でも1000億ドル", "USD", 1000 * OKU, None, False, None)]),
    ("1兆円を超える資金", [("1兆円を超える", "JPY", CHO, None, False, None)]),
    ("500億円超の投資", [("500億円超", "JPY", 500 * OKU, None, False, None)]),
    ("少なくとも10億ドル", [("少なくとも10億ドル", "USD", 10 * OKU, None, False, None)]),
    ("100億円以下", [("100億円以下", "JPY", None, 100 * OKU, False, None)]),
    ("1000万円未満", [("1000万円未満", "JPY", None, 1000 * MAN, False, None)]),
    ("最大500億ドル", [("最大500億ドル", "USD", None, 500 * OKU, False, None)]),
    ("最大で3兆円", [("最大で3兆円", "JPY", None, 3 * CHO, False, None)]),
    ("more than $10 billion", [("more than $10 billion", "USD", 10 * B, None, False, None)]),
    ("at least $3bn", [("at least $3bn", "USD", 3 * B, None, False, None)]),
    ("up to $20 billion", [("up to $20 billion", "USD", None, 20 * B, False, None)]),
    ("less than $1 million", [("less than $1 million", "USD", None, 10**6, False, None)]),
    ("$10 billion or more", [("$10 billion or more", "USD", 10 * B, None, False, None)]),
    # Approximation.
    ("推定660億ドル", [("推定660億ドル", "USD", 660 * OKU, 660 * OKU, True, None)]),
    ("およそ6兆円", [("およそ6兆円", "JPY", 6 * CHO, 6 * CHO, True, None)]),
    ("100億円程度", [("100億円程度", "JPY", 100 * OKU, 100 * OKU, True, None)]),
    ("6000億ドル規模", [("6000億ドル規模", "USD", 6000 * OKU, 6000 * OKU, True, None)]),
    ("250億ドル前後", [("250億ドル前後", "USD", 250 * OKU, 250 * OKU, True, None)]),
    ("740億ドル近く", [("740億ドル近く", "USD", 740 * OKU, 740 * OKU, True, None)]),
    ("about $40 billion", [("about $40 billion", "USD", 40 * B, 40 * B, True, None)]),
    ("an estimated $66 billion", [("an estimated $66 billion", "USD", 66 * B, 66 * B, True, None)]),
    ("roughly ¥1 trillion", [("roughly ¥1 trillion", "JPY", CHO, CHO, True, None)]),
    ("推定660億ドルから720億ドル", [("推定660億ドルから720億ドル", "USD", 660 * OKU, 720 * OKU, True, None)]),
    ("最低でも6000億ドル規模", [("最低でも6000億ドル規模", "USD", 6000 * OKU, None, True, None)]),
    ("3兆円台の後半", [("3兆円台", "JPY", 3 * CHO, 3 * CHO, True, None)]),
    # Periods.
    ("年間200億ドル", [("年間200億ドル", "USD", 200 * OKU, 200 * OKU, False, "year")]),
    ("毎年50億円", [("毎年50億円", "JPY", 50 * OKU, 50 * OKU, False, "year")]),
    ("年200億ドル", [("年200億ドル", "USD", 200 * OKU, 200 * OKU, False, "year")]),
    ("一年で740億ドル近く", [("一年で740億ドル近く", "USD", 740 * OKU, 740 * OKU, True, "year")]),
    ("一年あたり250億ドル前後", [("一年あたり250億ドル前後", "USD", 250 * OKU, 250 * OKU, True, "year")]),
    ("年間約900億ドル以上", [("年間約900億ドル以上", "USD", 900 * OKU, None, True, "year")]),
    ("100億円/年", [("100億円/年", "JPY", 100 * OKU, 100 * OKU, False, "year")]),
    ("€2.5bn a year", [("€2.5bn a year", "EUR", 25 * 10**8, 25 * 10**8, False, "year")]),
    ("$3 billion annually", [("$3 billion annually", "USD", 3 * B, 3 * B, False, "year")]),
    ("月額5000円", [("月額5000円", "JPY", 5000, 5000, False, "month")]),
    ("$20 per month", [("$20 per month", "USD", 20, 20, False, "month")]),
    # Not per year: a duration, a date, last year.
    ("4年間で最低でも1000億ドル", [("最低でも1000億ドル", "USD", 1000 * OKU, None, False, None)]),
    ("2025年に200億ドル", [("200億ドル", "USD", 200 * OKU, 200 * OKU, False, None)]),
    ("昨年1000億円を投じた", [("1000億円", "JPY", 1000 * OKU, 1000 * OKU, False, None)]),
    ("$5 billion a year ago", [("$5 billion", "USD", 5 * B, 5 * B, False, None)]),
    ("3か月間100億円", [("100億円", "JPY", 100 * OKU, 100 * OKU, False, None)]),
    ("100億円相当の株式", [("100億円", "JPY", 100 * OKU, 100 * OKU, False, None)]),
    # Two amounts in a sentence; amounts next to years and percentages.
    (
        "2025年度に約3兆円、2026年度は前年比20%増の3.6兆円を見込む。",
        [("約3兆円", "JPY", 3 * CHO, 3 * CHO, True, None), ("3.6兆円", "JPY", 36 * 10**11, 36 * 10**11, False, None)],
    ),
    (
        "日本語にすると400億ドル、1ドル150円で計算すればおよそ6兆円です",
        [("400億ドル", "USD", 400 * OKU, 400 * OKU, False, None), ("およそ6兆円", "JPY", 6 * CHO, 6 * CHO, True, None)],
    ),
    (
        "Googleは2027年までに400億ドル、2025年には750億ドルの設備投資を行う",
        [("400億ドル", "USD", 400 * OKU, 400 * OKU, False, None), ("750億ドル", "USD", 750 * OKU, 750 * OKU, False, None)],
    ),
    (
        "Revenue rose 20% to $5 billion in 2025, from $4.2 billion.",
        [("$5 billion", "USD", 5 * B, 5 * B, False, None), ("$4.2 billion", "USD", 42 * 10**8, 42 * 10**8, False, None)],
    ),
    ("$5bn and $7bn", [("$5bn", "USD", 5 * B, 5 * B, False, None), ("$7bn", "USD", 7 * B, 7 * B, False, None)]),
    ("100ドルから1万円", [("100ドル", "USD", 100, 100, False, None), ("1万円", "JPY", MAN, MAN, False, None)]),
    ("2028年までに米国で最低でも6000億ドル規模のデータセンター", [("最低でも6000億ドル規模", "USD", 6000 * OKU, None, True, None)]),
    ("100元で買った", [("100元", "CNY", 100, 100, False, None)]),
    ("一円玉を拾った", [("一円", "JPY", 1, 1, False, None)]),
    ("$5 billion to 2030", [("$5 billion", "USD", 5 * B, 5 * B, False, None)]),
    ("660億ドルから720億の間", [("660億ドル", "USD", 660 * OKU, 660 * OKU, False, None)]),
]

# Text that only looks like money.
NOT_AMOUNTS = [
    "電話番号 03-1234-5678",
    "型番 H100 の在庫",
    "第3四半期の決算",
    "2025年",
    "2025年から2028年まで",
    "前年比20%増",
    "GPUサーバーを10台だけ借りる",
    "二元論",
    "1ドル150円で計算する",
    "1ドル＝150円",
    "$1 = ¥150",
    "一人、三日、十日間",
    "円安が進む",
    "関東一円に店を出す",
    "H100と1,000個",
    "v7",
    "",
]


def _as_tuples(found: list[Amount]) -> list[tuple]:
    return [(a.text, a.currency, a.low, a.high, a.approx, a.period) for a in found]


def test_amount_table_is_large_enough():
    """The table covers at least 80 amounts (the issue asks for 80 cases)."""
    assert sum(len(expected) for _text, expected in AMOUNT_CASES) >= 80
    assert len(AMOUNT_CASES) >= 80


@pytest.mark.parametrize(("text", "expected"), AMOUNT_CASES, ids=[t for t, _e in AMOUNT_CASES])
def test_amounts(text, expected):
    """Each amount is found with its text, currency, bounds, approximation and period."""
    found = find_amounts(text)
    assert _as_tuples(found) == expected
    for amount in found:
        assert text[amount.start : amount.end] == amount.text


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_not_amounts(text):
    """Years, model numbers, quarters, phone numbers, vague counts and exchange rates are not money."""
    assert find_amounts(text) == []


def test_whole_numbers_are_ints_in_json():
    """Whole figures are ints (72000000000, never 7.2e10) and decimals floats, in JSON too."""
    amount = find_amounts("660億–720億ドル")[0]
    assert type(amount.low) is int and type(amount.high) is int
    assert '"high": 72000000000' in json.dumps(amount.to_json())
    assert set(amount.to_json()) >= {"text", "currency", "low", "high", "approx", "period"}
    assert find_amounts("1,980.5円")[0].low == 1980.5


def test_open_bound_is_null_in_json():
    """An open bound is JSON null."""
    assert json.loads(json.dumps(find_amounts("三百億円以上")[0].to_json()))["high"] is None


@pytest.mark.parametrize(
    ("figure", "value"),
    [("1兆5000億", 15 * 10**11), ("三百億", 3 * 10**10), ("二千万", 2 * 10**7), ("1.5兆", 15 * 10**11), ("十", 10),
     ("二〇二五", 2025), ("1,200", 1200), ("5千万", 5 * 10**7), ("１２３", 123)],
)
def test_figure_value(figure, value):
    """Figures as written are read as numbers, exactly (Decimal, no float rounding)."""
    assert figure_value(figure) == value


PERCENT_CASES = [
    ("前年比20%増", [("前年比20%増", 20, "up")]),
    ("売上は15％減少した", [("15％減少", 15, "down")]),
    ("前年比で二割以上増え", [("前年比で二割以上増え", 20, "up")]),
    ("1割5分の上昇", [("1割5分の上昇", 15, "up")]),
    ("株価が一時10%近く動く", [("10%", 10, None)]),
    ("利益率は12.5パーセント", [("12.5パーセント", 12.5, None)]),
    ("revenue rose 20% last year", [("rose 20%", 20, "up")]),
    ("shares fell by 5%", [("fell by 5%", 5, "down")]),
    ("a 20% increase", [("20% increase", 20, "up")]),
    ("margins of +3%", [("+3%", 3, "up")]),
    ("YoY 8%", [("YoY 8%", 8, None)]),
    ("三割引のセール", []),
    ("役割と割合", []),
]


@pytest.mark.parametrize(("text", "expected"), PERCENT_CASES, ids=[t for t, _e in PERCENT_CASES])
def test_percentages(text, expected):
    """Percentages are read as numbers in percent, with the direction said next to them."""
    found = find_percentages(text)
    assert [(p.text, p.value, p.direction) for p in found] == expected
    assert all(text[p.start : p.end] == p.text for p in found)


YEAR_CASES = [
    ("2025年", [("2025年", 2025, False, None)]),
    ("2028年までに", [("2028年までに", 2028, False, "until")]),
    ("2025年から2028年まで", [("2025年から", 2025, False, "from"), ("2028年まで", 2028, False, "until")]),
    ("2025年度に約3兆円", [("2025年度", 2025, True, None)]),
    ("２０２６年", [("２０２６年", 2026, False, None)]),
    ("二〇二五年", [("二〇二五年", 2025, False, None)]),
    ("by 2028", [("by 2028", 2028, False, "until")]),
    ("since 2020", [("since 2020", 2020, False, "from")]),
    ("FY2025 results", [("FY2025", 2025, True, None)]),
    ("in 2025", [("2025", 2025, False, None)]),
    ("4年間で", []),
    ("3年後", []),
    ("H2025", []),
    ("12025年", []),
]


@pytest.mark.parametrize(("text", "expected"), YEAR_CASES, ids=[t for t, _e in YEAR_CASES])
def test_years(text, expected):
    """Years and horizons: calendar or fiscal, and whether until or from."""
    found = find_years(text)
    assert [(y.text, y.year, y.fiscal, y.bound) for y in found] == expected
    assert all(text[y.start : y.end] == y.text for y in found)


def test_figures_keep_years_and_percentages_apart_from_amounts():
    """One text's amounts, percentages and years come back separately and do not overlap."""
    figures = find_figures("Metaは2025年にAIインフラへ660億–720億ドルを投じ、前年比20%増となる")
    assert [a.text for a in figures.amounts] == ["660億–720億ドル"]
    assert [(y.year, y.text) for y in figures.years] == [(2025, "2025年")]
    assert [(p.value, p.direction) for p in figures.percentages] == [(20, "up")]
    assert set(figures.to_json()) == {"amounts", "percentages", "years"}


# --- suggestions ---------------------------------------------------------------------------------


def test_sentence_spans_are_exact_and_trimmed():
    """Sentence offsets index the text exactly, white space left out, decimals not split."""
    text = "  最初の文です。\n\n次は1.5兆円！ Third one. It costs 5 billion U.S. dollars. Sales hit approx. $3bn in 2025. Last one costs $1.2 billion"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "最初の文です。", "次は1.5兆円！", "Third one.", "It costs 5 billion U.S. dollars.", "Sales hit approx. $3bn in 2025.",
        "Last one costs $1.2 billion",
    ]


def test_suggestions_for_a_sentence_with_an_amount():
    """A sentence with an amount is suggested with exact offsets and what was found in it."""
    text = "前置きです。Metaは2025年にAIインフラへ660億–720億ドルを投じる。関係のない文。"
    [s] = suggest_claims(text)
    assert s.sentence == "Metaは2025年にAIインフラへ660億–720億ドルを投じる。"
    assert text[s.start : s.end] == s.sentence
    assert s.companies == ("Meta",) and s.chips == ()
    assert [(a.low, a.high, a.currency) for a in s.amounts] == [(660 * OKU, 720 * OKU, "USD")]
    assert [a.text for a in s.amounts] == [text[a.start : a.end] for a in s.amounts]
    assert [y.year for y in s.years] == [2025]


def test_chip_with_company_is_suggested_but_chip_alone_is_not():
    """A chip and a company together make a claim; a chip or a company alone does not."""
    text = "NvidiaのH100は高い。B200は速い。Googleは検索の会社だ。"
    suggestions = suggest_claims(text)
    assert [(s.sentence, s.companies, s.chips) for s in suggestions] == [("NvidiaのH100は高い。", ("NVIDIA",), ("H100",))]


def test_excluded_spans_remove_overlapping_sentences():
    """Sentences overlapping an excluded (highlighted or dismissed) span are not offered."""
    text = "一つ目は100億円。二つ目は200億円。三つ目は300億円。"
    all_three = suggest_claims(text)
    assert len(all_three) == 3
    second = all_three[1]
    kept = suggest_claims(text, exclude=[(second.start + 2, second.start + 4)])
    assert [s.sentence for s in kept] == ["一つ目は100億円。", "三つ目は300億円。"]
    # Touching is not overlapping: a span that ends where a sentence starts leaves it alone.
    assert len(suggest_claims(text, exclude=[(0, all_three[0].end)])) == 2
    assert suggest_claims(text, exclude=[(0, len(text))]) == []
    assert len(suggest_claims(text, exclude=[(5, 5)])) == 3  # an empty span excludes nothing


def test_empty_and_plain_texts_have_no_suggestions():
    """No amount and no chip-with-company: nothing to suggest."""
    assert suggest_claims("") == []
    assert suggest_claims("今日はいい天気です。明日は雨でしょう。") == []


@pytest.fixture(scope="module")
def sample_plain():
    rendered = render_post(load_post(sample_post_path()), RenderOptions(mode=FuriganaMode("off")))
    return rendered.plain


def test_sample_post_suggestions(sample_plain):
    """The bundled sample post's suggestions: its amounts, table rows and chip-with-company sentences."""
    text = sample_plain.text
    suggestions = suggest_claims(text, blocks=sample_plain.blocks, entities=load_entities("/nonexistent/entities.tsv"))
    for s in suggestions:
        assert text[s.start : s.end] == s.sentence
        for item in (*s.amounts, *s.mentions, *s.years, *s.percentages):
            assert s.start <= item.start < item.end <= s.end
            assert text[item.start : item.end] == item.text
    by_amount = {a.text: a for s in suggestions for a in s.amounts}
    assert by_amount["一年で740億ドル近く"].period == "year"
    assert (by_amount["500億〜600億ドル"].low, by_amount["500億〜600億ドル"].high) == (500 * OKU, 600 * OKU)
    assert by_amount["1兆5000億円"].currency == "JPY"
    assert by_amount["$40 billion"].low == 40 * B
    assert (by_amount["最低でも1000億ドル"].low, by_amount["最低でも1000億ドル"].high) == (1000 * OKU, None)
    assert by_amount["約3兆円"].approx is True
    assert by_amount["三百億円"].low == 300 * OKU
    assert by_amount["1兆円を超える"].high is None
    # Vague magnitudes are approximate ranges; the exchange rate is not an amount; code is not read.
    assert (by_amount["数千億円"].low, by_amount["数千億円"].high, by_amount["数千億円"].approx) == (2000 * OKU, 9000 * OKU, True)
    assert (by_amount["数百億ドル"].low, by_amount["数百億ドル"].high) == (200 * OKU, 900 * OKU)
    assert not any(a.text.startswith(("1ドル", "150円")) for a in by_amount.values())
    assert not any("RATE" in s.sentence or "print(" in s.sentence for s in suggestions)
    # A table row is one suggestion: the chips and the amount on the same row.
    row = next(s for s in suggestions if "MI300X" in s.sentence and "1兆5000億円" in s.sentence)
    assert row.chips == ("MI300X",)
    # Chip-with-company sentences without amounts.
    nvidia = next(s for s in suggestions if s.sentence.startswith("代表選手はエヌビディア"))
    assert nvidia.companies == ("NVIDIA",) and nvidia.chips == ("H100",) and nvidia.amounts == ()
    google = next(s for s in suggestions if s.sentence.startswith("グーグルのTPU"))
    assert google.chips == ("TPU", "TPU v7") and [m.text for m in google.mentions if m.name == "TPU v7"] == ["TPU v7", "Ironwood"]
    # Sentences with neither are not offered.
    assert not any("そもそもAIチップ" in s.sentence for s in suggestions)
    assert len(suggestions) == 15


def test_sample_post_suggestions_skip_highlighted_sentences(sample_plain):
    """Highlighted spans of the sample post drop exactly the sentences they touch."""
    text = sample_plain.text
    everything = suggest_claims(text, blocks=sample_plain.blocks)
    start = text.index("三百億円")
    fewer = suggest_claims(text, [(start, start + 4)], blocks=sample_plain.blocks)
    assert len(fewer) == len(everything) - 1
    assert not any("三百億円" in s.sentence for s in fewer)


# --- any text ------------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    ["1", "0", "5", "２", ",", ".", "．", "一", "二", "三", "十", "百", "千", "万", "億", "兆", "円", "ドル", "米ドル", "元",
     "ユーロ", "$", "¥", "€", "billion", "bn", " ", "〜", "–", "-", "から", "to", "and", "between ", "約", "以上", "未満",
     "最大", "年間", "年", "度", "まで", "%", "割", "増", "減", "前年比", "。", "\n", "NVIDIA", "H100", "TPU", "s", "グーグル",
     "メタ", "a", "数", "per year", "about ", "FY", "in ", "2025", "\t"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_any_text_gives_exact_offsets(text):
    """Whatever the text, the finders do not fail and every offset indexes the text exactly."""
    figures = find_figures(text)
    for item in (*figures.amounts, *figures.percentages, *figures.years):
        assert text[item.start : item.end] == item.text
    for amount in figures.amounts:
        assert amount.low is not None or amount.high is not None
        assert amount.low is None or amount.high is None or amount.low <= amount.high
    for suggestion in suggest_claims(text, entities=load_entities("/nonexistent/entities.tsv")):
        assert text[suggestion.start : suggestion.end] == suggestion.sentence
        for item in (*suggestion.amounts, *suggestion.mentions):
            assert suggestion.start <= item.start and item.end <= suggestion.end


# --- every figure read (issue "Claims, round two", item 1) -----------------------------------------

OKU_ = 10**8


@pytest.mark.parametrize(("text", "low", "high"), [
    # Vague magnitudes: 数 is 2 to 9 of the unit, 十数 11 to 19, 数十 20 to 90, 百数十 110 to 190.
    ("数百億円を投じる", 200 * OKU_, 900 * OKU_),
    ("数千億ドル規模の市場", 2000 * OKU_, 9000 * OKU_),
    ("数兆円", 2 * 10**12, 9 * 10**12),
    ("十数億ドル", 11 * OKU_, 19 * OKU_),
    ("何百億円もの資金", 200 * OKU_, 900 * OKU_),
    ("数十億ドル", 20 * OKU_, 90 * OKU_),
    ("百数十億円", 110 * OKU_, 190 * OKU_),
    ("数百万ドル", 2 * 10**6, 9 * 10**6),
])
def test_vague_magnitudes_are_approximate_ranges(text: str, low: int, high: int) -> None:
    [amount] = find_amounts(text)
    assert (amount.low, amount.high, amount.approx) == (low, high, True)
    assert amount.low >= 10 ** (len(str(low)) - 1) and amount.high < 10 ** len(str(low))  # within one power of ten


@pytest.mark.parametrize("text", ["関数百万円", "複数億円の案件", "何円ですか", "人数千人"])
def test_words_ending_in_su_are_not_vague_figures(text: str) -> None:
    assert find_amounts(text) == []


@pytest.mark.parametrize(("text", "low", "high", "approx"), [
    ("100億円強を投じ", 100 * OKU_, None, True),
    ("100億ドル弱", None, 100 * OKU_, True),
    ("100億円超", 100 * OKU_, None, False),
    ("100億円超え", 100 * OKU_, None, False),
    ("売上高が1兆円を超えた", 10000 * OKU_, None, False),
    ("時価総額が3兆ドルを突破した", 3 * 10**12, None, False),
    ("利益は10億円を下回った", None, 10 * OKU_, False),
    ("100億円以上", 100 * OKU_, None, False),
    ("10億円足らず", None, 10 * OKU_, False),
    ("10億円未満", None, 10 * OKU_, False),
    ("10億円以下", None, 10 * OKU_, False),
    ("10億円前後", 10 * OKU_, 10 * OKU_, True),
    ("10億円程度", 10 * OKU_, 10 * OKU_, True),
    ("およそ10億円", 10 * OKU_, 10 * OKU_, True),
    ("1万円〜のプラン", 10_000, None, False),
    ("1万円～2万円", 10_000, 20_000, False),
    ("200〜300億ドル", 200 * OKU_, 300 * OKU_, False),
])
def test_bounds_and_approximations(text: str, low, high, approx: bool) -> None:
    [amount] = find_amounts(text)
    assert (amount.low, amount.high, amount.approx) == (low, high, approx)


@pytest.mark.parametrize(("text", "period"), [
    ("年収1,500万円", "year"), ("年率換算で300億ドル", "year"), ("通期で1兆円", "year"), ("年商50億円", "year"),
    ("毎年10億円", "year"), ("四半期ごとに50億ドル", "quarter"), ("毎四半期30億ドル", "quarter"),
    ("$5bn per quarter", "quarter"), ("$5bn quarterly", "quarter"), ("月額980円", "month"), ("月収30万円", "month"),
    ("第3四半期に50億ドル", None),
])
def test_periods(text: str, period) -> None:
    [amount] = find_amounts(text)
    assert amount.period == period


@pytest.mark.parametrize(("text", "per"), [
    ("1株当たり120円の配当", "share"), ("一人あたり10万円", "person"), ("1台につき300万円", "unit"),
    ("$2.50 per share", "share"), ("$3,000 per GPU", "GPU"), ("GDP of $40,000 per capita", "person"), ("300億円の配当", None),
])
def test_per_unit_amounts(text: str, per) -> None:
    [amount] = find_amounts(text)
    assert amount.per == per and amount.to_json()["per"] == per


@pytest.mark.parametrize(("text", "currency"), [
    ("100億人民元", "CNY"), ("100元", "CNY"), ("1兆ウォン", "KRW"), ("50億台湾ドル", "TWD"), ("NT$5 billion", "TWD"),
    ("£3bn", "GBP"), ("₹500 crore", "INR"), ("12.1 trillion won", "KRW"), ("3 billion pounds", "GBP"), ("¥1,000", "JPY"), ("US$2mn", "USD"), ("300円", "JPY"), ("€7bn", "EUR"),
])
def test_more_currencies(text: str, currency: str) -> None:
    assert find_amounts(text)[0].currency == currency


def test_crore_and_lakh_scale_rupees() -> None:
    assert (find_amounts("₹500 crore")[0].low, find_amounts("₹2 lakh")[0].low) == (5 * 10**9, 2 * 10**5)
    assert find_amounts("we won 5 billion") == []  # won is a verb here: no figure before it


def test_the_amounts_json_keeps_every_field_and_gains_per() -> None:
    assert set(find_amounts("約100億円")[0].to_json()) == {"text", "currency", "low", "high", "approx", "period", "per", "start", "end"}
