"""Tests for app.core.posts.anchoring: selectors for a span of plain text, and finding them again after edits."""

from __future__ import annotations

import pytest

from app.core.posts.anchoring import (
    CONTEXT_CHARS,
    Selectors,
    TextPositionSelector,
    TextQuoteSelector,
    anchor,
    describe,
)
from app.core.posts.render import RenderOptions, render_markdown
from app.core.reading.furigana_mode import FuriganaMode

# A short article about a chip maker; every sentence is distinct so a long quote occurs once.
ARTICLE = (
    "京都に本社を置く小さな半導体メーカーが、今朝の記者会見で新しい工場の計画を明らかにした。\n"
    "社長によれば、建設には三年ほどかかり、総額で八百億円を投じる予定だという。\n"
    "地元の商店街では、働く人が増えることへの期待と、渋滞への不安が入り混じっている。\n"
    "The company also said it will hire about two hundred engineers over the next year.\n"
    "専門家の一人は、需要が落ち込んだ場合の備えが十分かどうかを注意深く見守りたいと話した。\n"
)
QUOTE = "総額で八百億円を投じる予定"


def selectors_for(text: str, quote: str, occurrence: int = 1) -> Selectors:
    """Selectors for the N-th occurrence of `quote` in `text`."""
    at = -1
    for _ in range(occurrence):
        at = text.index(quote, at + 1)
    return describe(text, at, at + len(quote))


def found_text(text: str, selectors: Selectors) -> str | None:
    found = anchor(text, selectors)
    return None if found is None else text[found.start : found.end]


# --- describe -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "prefix_len", "suffix_len"),
    [
        (100, 110, CONTEXT_CHARS, CONTEXT_CHARS),  # in the middle: full context on both sides
        (0, 5, 0, CONTEXT_CHARS),  # at the very start: no prefix
        (10, 15, 10, CONTEXT_CHARS),  # near the start: a shorter prefix
        (len(ARTICLE) - 5, len(ARTICLE), CONTEXT_CHARS, 0),  # at the very end: no suffix
        (len(ARTICLE) - 20, len(ARTICLE) - 12, CONTEXT_CHARS, 12),  # near the end: a shorter suffix
        (0, len(ARTICLE), 0, 0),  # the whole text
    ],
)
def test_describe_takes_up_to_32_characters_of_context(start: int, end: int, prefix_len: int, suffix_len: int) -> None:
    """describe() stores the quote, up to 32 characters either side (fewer at the edges) and the offsets."""
    selectors = describe(ARTICLE, start, end)
    assert CONTEXT_CHARS == 32
    assert selectors.quote.exact == ARTICLE[start:end]
    assert selectors.quote.prefix == ARTICLE[start - prefix_len : start]
    assert selectors.quote.suffix == ARTICLE[end : end + suffix_len]
    assert len(selectors.quote.prefix) == prefix_len
    assert len(selectors.quote.suffix) == suffix_len
    assert selectors.position == TextPositionSelector(start, end)


@pytest.mark.parametrize(
    ("start", "end"),
    [(5, 5), (6, 5), (-1, 3), (0, len(ARTICLE) + 1), (len(ARTICLE), len(ARTICLE) + 1), (len(ARTICLE), len(ARTICLE))],
)
def test_describe_rejects_empty_and_out_of_range_spans(start: int, end: int) -> None:
    """An empty, reversed or out-of-range span is a ValueError, never a selector for some other text."""
    with pytest.raises(ValueError, match="not inside the text"):
        describe(ARTICLE, start, end)


def test_describe_rejects_any_span_of_an_empty_text() -> None:
    """There is nothing to highlight in an empty text."""
    with pytest.raises(ValueError):
        describe("", 0, 0)


# --- anchor: unchanged text, insertions -----------------------------------------------------


@pytest.mark.parametrize("quote", [QUOTE, "京都", "engineers", ARTICLE[:10], ARTICLE[-10:]])
def test_an_unchanged_text_gives_the_same_span_by_position(quote: str) -> None:
    """In the text it was made on, a highlight is found at its own offsets, by position."""
    selectors = selectors_for(ARTICLE, quote)
    found = anchor(ARTICLE, selectors)
    assert found is not None
    assert (found.start, found.end, found.method) == (selectors.position.start, selectors.position.end, "position")


INSERTIONS = [
    # (id, edited text, the text the highlight must land on, how it is found)
    ("before, a sentence", "【追記】この記事は午後に更新しました。\n" + ARTICLE, QUOTE, "exact"),
    ("before, right next to the quote", ARTICLE.replace("総額で", "なお総額で"), QUOTE, "exact"),
    ("before, in English", "Update: figures revised.\n" + ARTICLE, QUOTE, "exact"),
    ("after, right next to the quote", ARTICLE.replace("予定だという", "予定だ、とのことだという"), QUOTE, "position"),
    ("after, at the end", ARTICLE + "続報が入り次第お伝えします。\n", QUOTE, "position"),
    ("inside, one character", ARTICLE.replace("八百億円", "八百億円超"), "総額で八百億円超を投じる予定", "fuzzy"),
    ("inside, two characters", ARTICLE.replace("八百億円を", "約八百億円を"), "総額で約八百億円を投じる予定", "fuzzy"),
    ("inside, one replaced", ARTICLE.replace("八百", "九百"), "総額で九百億円を投じる予定", "fuzzy"),
    ("inside, one removed", ARTICLE.replace("投じる", "投る"), "総額で八百億円を投る予定", "fuzzy"),
    (
        "inside and before at once",
        "はじめに。\n" + ARTICLE.replace("八百億円を", "約八百億円を"),
        "総額で約八百億円を投じる予定",
        "fuzzy",
    ),
]


@pytest.mark.parametrize(("edited", "expected", "method"), [c[1:] for c in INSERTIONS], ids=[c[0] for c in INSERTIONS])
def test_a_highlight_follows_its_text_through_insertions(edited: str, expected: str, method: str) -> None:
    """Text inserted before, after or (a few characters) inside the quote moves the highlight with its text."""
    selectors = selectors_for(ARTICLE, QUOTE)
    found = anchor(edited, selectors)
    assert found is not None
    assert edited.count(expected) == 1
    assert (found.start, found.end) == (edited.index(expected), edited.index(expected) + len(expected))
    assert found.method == method


def test_an_edit_inside_the_quote_beyond_the_error_budget_orphans_it() -> None:
    """When more of the quote changed than max_error_rate allows, the highlight is an orphan, not a guess."""
    selectors = selectors_for(ARTICLE, QUOTE)  # 13 characters: a budget of 2
    edited = ARTICLE.replace("八百億円を", "八百億円もの大金を")
    assert anchor(edited, selectors) is None


def test_a_zero_error_budget_turns_fuzzy_matching_off() -> None:
    """With max_error_rate=0 an edited quote is not matched at all."""
    selectors = selectors_for(ARTICLE, QUOTE)
    edited = ARTICLE.replace("八百億円を", "約八百億円を")
    assert anchor(edited, selectors, max_error_rate=0) is None
    assert anchor(edited, selectors) is not None


# --- repeated quotes --------------------------------------------------------------------------

PRICE_LIST = (
    "各地の店舗の状況は次のとおりです。\n"
    "・札幌店：来月から値上げ予定\n"
    "・仙台店：今月末で営業終了\n"
    "・大阪店：来月から値上げ予定\n"
    "・福岡店：価格は据え置き\n"
    "詳しくは各店にお問い合わせください。\n"
)
REPEATED = "来月から値上げ予定"


@pytest.mark.parametrize(
    ("occurrence", "edited", "owner"),
    [
        (1, "【お知らせ】\n" + PRICE_LIST, "札幌店"),
        (2, "【お知らせ】\n" + PRICE_LIST, "大阪店"),
        (1, PRICE_LIST.replace("・札幌店", "・新店舗：準備中\n・札幌店"), "札幌店"),
        # The insertion puts the first copy nearer where the second one was than the second one now is.
        (2, "（この一覧は毎週月曜日に更新しています）\n" + PRICE_LIST, "大阪店"),
        (2, PRICE_LIST.replace("・仙台店：今月末で営業終了", "・仙台店：今月末で営業終了（移転先は未定）"), "大阪店"),
        # A line between the copies was deleted: ours moves back towards the first copy.
        (2, PRICE_LIST.replace("・仙台店：今月末で営業終了\n", ""), "大阪店"),
    ],
)
def test_a_repeated_quote_stays_with_the_copy_whose_context_matches(occurrence: int, edited: str, owner: str) -> None:
    """Of several copies of the quote, the one whose prefix and suffix match wins, whatever is nearest the old place."""
    selectors = selectors_for(PRICE_LIST, REPEATED, occurrence)
    found = anchor(edited, selectors)
    assert found is not None
    line_start = edited.index(owner)
    assert found.start == edited.index(REPEATED, line_start)
    assert found.end == found.start + len(REPEATED)


def test_the_first_copy_nearer_the_old_place_does_not_win() -> None:
    """An insertion that moves another copy close to the old offsets does not pull the highlight onto it."""
    selectors = selectors_for(PRICE_LIST, REPEATED, 2)
    old = selectors.position.start
    edited = "（この一覧は毎週月曜日に更新しています）\n" + PRICE_LIST
    first, second = edited.index(REPEATED), edited.index(REPEATED, edited.index("大阪店"))
    assert abs(first - old) < abs(second - old)  # precondition: the wrong copy is the nearer one
    found = anchor(edited, selectors)
    assert found is not None and found.start == second


SAME_LINES = (
    "各地の店舗の状況は次のとおりです。\n"
    "・札幌店：来月から値上げ予定\n"
    "・大阪店：来月から値上げ予定\n"
    "・福岡店：価格は据え置き\n"
)


def require(condition: bool, what: str) -> None:
    """A precondition of a test that is expected to fail: a RuntimeError, so xfail(raises=AssertionError) does not hide it."""
    if not condition:
        raise RuntimeError(f"precondition failed: {what}")


def test_a_copy_shifted_exactly_onto_the_old_offsets_does_not_win() -> None:
    """A list item added above moves the identical line before ours onto the old offsets; the highlight stays on its own line."""
    selectors = selectors_for(SAME_LINES, REPEATED, 2)  # the 大阪店 line
    edited = SAME_LINES.replace("・札幌店", "・横浜店：来月から値上げ予定\n・札幌店")
    old = selectors.position.start
    require(edited[old : old + len(REPEATED)] == REPEATED and edited[old - 5 : old - 1] == "・札幌店", "札幌店 is now where 大阪店 was")
    found = anchor(edited, selectors)
    assert found is not None
    assert found.start == edited.index(REPEATED, edited.index("大阪店"))


# --- deletions: orphans, never another passage --------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "edited"),
    [
        (QUOTE, ARTICLE.replace("社長によれば、建設には三年ほどかかり、総額で八百億円を投じる予定だという。\n", "")),
        (QUOTE, ARTICLE.replace(QUOTE, "")),
        ("two hundred engineers", ARTICLE.replace("The company also said it will hire about two hundred engineers over the next year.\n", "")),
        ("渋滞への不安", ARTICLE.replace("渋滞への不安", "駐車場の不足")),
        # The deleted sentence reads much like another one that stays.
        (
            "工場の計画を明らかにした",
            ARTICLE.replace("京都に本社を置く小さな半導体メーカーが、今朝の記者会見で新しい工場の計画を明らかにした。\n", ""),
        ),
    ],
)
def test_a_deleted_passage_becomes_an_orphan(quote: str, edited: str) -> None:
    """When the quoted passage is gone, anchor() returns None rather than any other passage."""
    assert quote not in edited
    assert anchor(edited, selectors_for(ARTICLE, quote)) is None


TWO_REPORTS = (
    "今週の決算発表をまとめておきます。\n"
    "第一四半期の売上高は前年同期比で二割増えた。\n"
    "その間、経営陣は新製品の準備に追われていた。\n"
    "第二四半期の売上高は前年同期比で一割減った。\n"
    "来期の見通しはまだ示されていない。\n"
)


def test_a_deleted_long_sentence_does_not_jump_to_its_twin() -> None:
    """A highlight of a whole sentence that was deleted is an orphan even when a near-identical sentence stays."""
    quote = "第一四半期の売上高は前年同期比で二割増えた。"
    edited = TWO_REPORTS.replace(quote + "\n", "")
    assert anchor(edited, selectors_for(TWO_REPORTS, quote)) is None


def test_a_deleted_phrase_does_not_jump_to_the_same_phrase_in_another_sentence() -> None:
    """A 10-character phrase whose sentence was deleted is an orphan, not moved to the same words in a different sentence."""
    quote = "売上高は前年同期比で"
    edited = TWO_REPORTS.replace("第一四半期の売上高は前年同期比で二割増えた。\n", "")
    assert anchor(edited, selectors_for(TWO_REPORTS, quote)) is None


# --- short quotes ---------------------------------------------------------------------------

SAVINGS = (
    "長い目で見た投資では、分散と忍耐が何より大切だと祖母はよく話していた。\n"
    "週末は家族で山に登り、頂上で握り飯を食べた。天気が良くて景色も最高だった。\n"
    "半導体の会社が新工場を建てるそうだ。政府もその投資を後押しする。\n"
    "夕方には雨が降り出したので、急いで駅まで歩いて帰った。\n"
)


@pytest.mark.parametrize(
    ("edited", "expected_start"),
    [
        ("まえがき。\n" + SAVINGS, len("まえがき。\n") + SAVINGS.index("投資を後押し")),
        (SAVINGS.replace("週末は", "先週の週末は"), SAVINGS.index("投資を後押し") + 3),
    ],
)
def test_a_short_quote_moves_with_its_surroundings(edited: str, expected_start: int) -> None:
    """A two-character quote whose surroundings moved with it is found again, and its own copy, not the first."""
    selectors = describe(SAVINGS, SAVINGS.index("投資を後押し"), SAVINGS.index("投資を後押し") + 2)
    found = anchor(edited, selectors)
    assert found is not None
    assert (found.start, found.end) == (expected_start, expected_start + 2)


@pytest.mark.parametrize(
    "edited",
    [
        "まえがき。町の工場が古い設備を売った。工場の人は喜んでいる。",  # what follows it was rewritten
        "はしがき。町の工場が新しい機械を入れた。工場の人は喜んでいる。",  # what precedes it was rewritten
    ],
)
def test_a_short_quote_keeps_its_place_when_one_side_of_its_sentence_is_rewritten(edited: str) -> None:
    """A short quote still at its offset, with the words on one side unchanged, is not orphaned."""
    text = "まえがき。町の工場が新しい機械を入れた。工場の人は喜んでいる。"
    start = text.index("町の工場")
    found = anchor(edited, describe(text, start, start + 4))
    assert found is not None and (found.start, found.end) == (start, start + 4)


@pytest.mark.parametrize(
    "edited",
    [
        SAVINGS.replace("半導体の会社が新工場を建てるそうだ。政府もその投資を後押しする。\n", ""),
        SAVINGS.replace("政府もその投資を後押しする。", ""),
        SAVINGS.replace("その投資を後押し", "その計画を後押し"),
        SAVINGS.replace("その投資を", "その出資を"),
    ],
)
def test_a_deleted_short_quote_is_not_moved_to_the_same_word_elsewhere(edited: str) -> None:
    """投資 whose own occurrence is gone is an orphan, although 投資 still occurs in other surroundings."""
    selectors = describe(SAVINGS, SAVINGS.index("投資を後押し"), SAVINGS.index("投資を後押し") + 2)
    assert "投資" in edited
    assert anchor(edited, selectors) is None


@pytest.mark.parametrize("quote", ["株価", "投資家"])
def test_a_short_quote_never_matches_fuzzily(quote: str) -> None:
    """A two- or three-character quote with one character changed is an orphan, never a fuzzy match."""
    text = f"昨日の{quote}は大きく動いた。ニュースでも取り上げられた。"
    selectors = describe(text, 3, 3 + len(quote))
    edited = text.replace(quote, quote[:-1] + "値")
    assert anchor(edited, selectors) is None


NEWS = (
    "先月、半導体の分野への新しい計画が発表された。\n"
    "地方の工場で働く人たちも、おおむねその投資に賛成した。\n"
    "会社の社長は、慎重な投資を約束した。\n"
    "関係者によると、最初の製品は再来年に出荷される見込みだ。\n"
)


def test_a_deleted_short_quote_does_not_borrow_the_next_sentence_as_context() -> None:
    """投資 in a deleted sentence is an orphan even when the sentence after it now follows another 投資."""
    at = NEWS.index("投資を約束")
    selectors = describe(NEWS, at, at + 2)
    edited = NEWS.replace("会社の社長は、慎重な投資を約束した。\n", "")
    assert anchor(edited, selectors) is None


# --- ruby: the plain text excludes readings ---------------------------------------------------

RUBY_POST = """# 新しい｜工場《こうじょう》の話

北陸の町に、半導体の工場が建つことになった。<ruby>投資<rt>とうし</rt></ruby>額は約二千億円と発表された。

地元の｜商店街《しょうてんがい》では、期待する声と、静かな暮らしが変わることを心配する声が聞かれる。

Engineers from abroad will also move here, the company said.
"""
MODES = ["off", "all", "grade:1", "grade:4", "grade:7", "jlpt:1", "jlpt:3", "jlpt:5"]


@pytest.mark.parametrize("quote", ["半導体の工場が建つ", "投資額は約二千億円", "商店街では、期待する声", "工場の話", "Engineers from abroad"])
def test_selectors_on_the_plain_text_anchor_the_same_in_every_furigana_mode(quote: str) -> None:
    """A selector described on rendered.plain.text finds the same span whatever ruby the page shows."""
    base = render_markdown(RUBY_POST, RenderOptions(mode=FuriganaMode.parse("off"))).plain.text
    at = base.index(quote)
    selectors = describe(base, at, at + len(quote))
    for mode in MODES:
        rendered = render_markdown(RUBY_POST, RenderOptions(mode=FuriganaMode.parse(mode)))
        assert rendered.plain.text == base, mode
        found = anchor(rendered.plain.text, selectors)
        assert found is not None, mode
        assert (found.start, found.end, found.method) == (at, at + len(quote), "position"), mode


def test_the_plain_text_leaves_out_the_readings_the_page_shows() -> None:
    """With furigana on, the page has <rt> readings, and none of them is in the plain text."""
    rendered = render_markdown(RUBY_POST, RenderOptions(mode=FuriganaMode.parse("all")))
    assert "<rt>しょうてんがい</rt>" in rendered.html
    assert "<rt>とうし</rt>" in rendered.html
    for reading in ("しょうてんがい", "こうじょう", "とうし"):
        assert reading not in rendered.plain.text
    assert "商店街" in rendered.plain.text and "｜" not in rendered.plain.text and "《" not in rendered.plain.text


# --- JSON -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "selectors",
    [
        describe(ARTICLE, 0, 5),
        selectors_for(ARTICLE, QUOTE),
        describe(ARTICLE, len(ARTICLE) - 3, len(ARTICLE)),
        Selectors(TextQuoteSelector('"引用"と\\改行\nと🎌', "前", "後"), TextPositionSelector(3, 12)),
    ],
)
def test_selectors_survive_a_json_round_trip(selectors: Selectors) -> None:
    """to_json() gives the two W3C selectors, and from_json() reads them back unchanged."""
    data = selectors.to_json()
    assert [item["type"] for item in data] == ["TextQuoteSelector", "TextPositionSelector"]
    assert Selectors.from_json(data) == selectors
    assert Selectors.from_json(list(reversed(data))) == selectors


def test_from_json_without_a_position_still_anchors_by_quote() -> None:
    """A quote selector alone is enough: the position is unknown (-1) and the quote is searched for."""
    selectors = Selectors.from_json([{"type": "TextQuoteSelector", "exact": QUOTE}])
    assert selectors.position == TextPositionSelector(-1, -1)
    found = anchor(ARTICLE, selectors)
    assert found is not None and ARTICLE[found.start : found.end] == QUOTE


def test_from_json_ignores_selectors_of_other_kinds() -> None:
    """Unknown selector types (CSS, XPath ...) are skipped."""
    data = [{"type": "CssSelector", "value": "p"}, *selectors_for(ARTICLE, QUOTE).to_json()]
    assert Selectors.from_json(data) == selectors_for(ARTICLE, QUOTE)


@pytest.mark.parametrize(
    "data",
    [
        [],
        [{"type": "TextPositionSelector", "start": 1, "end": 4}],
        [{"type": "TextQuoteSelector", "exact": "", "prefix": "a"}],
        [{"type": "TextQuoteSelector", "prefix": "a", "suffix": "b"}],
        [{"exact": "引用"}],
        [{"type": "textquoteselector", "exact": "引用"}],
        [{"type": "TextQuoteSelector", "exact": "引用"}, {"type": "TextPositionSelector", "start": "abc", "end": 3}],
    ],
)
def test_from_json_rejects_selectors_without_a_usable_quote(data: list[dict]) -> None:
    """No quote selector, an empty quote or a non-numeric offset is a ValueError."""
    with pytest.raises(ValueError):
        Selectors.from_json(data)


def test_a_short_quote_that_begins_the_text_stays_when_the_rest_of_its_sentence_changes() -> None:
    """The post's first words, highlighted, stay highlighted when the rest of that sentence is rewritten."""
    text = "町の工場が新しい機械を入れた。工場の人は喜んでいる。"
    found = anchor(text.replace("新しい機械を入れた", "古い設備を売った"), describe(text, 0, 4))
    assert found is not None and (found.start, found.end) == (0, 4)
