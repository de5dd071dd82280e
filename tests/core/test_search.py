"""Tests for app.core.library.search on a small real library: Japanese words of any length, readings, English, highlights."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.core.library import actions as library
from app.core.library import search
from app.core.library.derived import open_library
from app.core.store import Store

MARKET = """---
title: 市場のメモ
---

先月、ある半導体メーカーが新工場の建設を発表した。株式市場ではその会社の株が大きく上がった。

投資家の間では、この計画が本当に実現するのか疑問の声もある。長期の投資には慎重さが欠かせない。
"""
ENGLISH = """# Chips and Money

The Chip Maker said its new factory will open next year. Analysts expect strong demand for accelerators.
"""
WEATHER = "# 週末の天気\n\n今日は朝から雨が降っている。明日は晴れるらしい。\n"


def build_library(folder: Path) -> tuple[Store, dict]:
    """Three posts and a few highlights (one deleted); returns the store and the ids tests need."""
    posts = folder / "posts"
    posts.mkdir(parents=True)
    (posts / "market.md").write_text(MARKET, encoding="utf-8")
    (posts / "english.md").write_text(ENGLISH, encoding="utf-8")
    (posts / "weather.md").write_text(WEATHER, encoding="utf-8")
    store = open_library(folder / "lib.sqlite3")
    report = library.import_paths(store, [posts])
    assert len(report.added) == 3 and report.errors == []
    market = store.post(str((posts / "market.md").resolve()))
    english = store.post(str((posts / "english.md").resolve()))
    weather = store.post(str((posts / "weather.md").resolve()))
    doubt = library.annotate_quote(store, market, "疑問の声", tags=["question"], note="実現性について後で調べる。資金計画も確認。")
    demand = library.annotate_quote(store, english, "strong demand", tags=["claim", "chip"], note="Check the numbers later")
    gone = library.annotate_quote(store, market, "新工場の建設", tags=["取り消し済み"], note="削除予定のメモ")
    library.delete_annotation(store, gone.id)
    ids = {"market": market.id, "english": english.id, "weather": weather.id, "doubt": doubt.id, "demand": demand.id, "gone": gone.id}
    return store, ids


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory):
    store, ids = build_library(tmp_path_factory.mktemp("search"))
    yield store, ids
    store.close()


@pytest.fixture
def own_shelf(tmp_path: Path):
    """A library of its own for tests that change it."""
    store, ids = build_library(tmp_path)
    yield store, ids
    store.close()


def hits_of(store: Store, query: str) -> list[search.SearchHit]:
    return search.search(store, query)


def matched(hit: search.SearchHit) -> str:
    return hit.snippet[hit.match_start : hit.match_end]


def assert_well_formed(store: Store, hit: search.SearchHit) -> None:
    """The snippet holds the match, marked wraps it, and a text or quote hit's offset and length
    point at it in the post's text."""
    assert 0 <= hit.match_start < hit.match_end <= len(hit.snippet)
    assert hit.marked == f"{hit.snippet[: hit.match_start]}【{matched(hit)}】{hit.snippet[hit.match_end :]}"
    assert hit.length == hit.match_end - hit.match_start
    post = store.post(hit.post_id)
    if hit.kind == "text":
        assert hit.annotation_id is None
        assert post.text[hit.offset : hit.offset + hit.length].replace("\n", " ") == matched(hit)
    elif hit.kind == "quote":
        assert post.text[hit.offset : hit.offset + hit.length].replace("\n", " ") == matched(hit)
    else:
        assert hit.offset is None
    assert "\n" not in hit.snippet


# --- Japanese of every length -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("株", "株"),  # one character: below the trigram index
        ("投資", "投資"),  # two characters
        ("雨", "雨"),
        ("半導体メーカー", "半導体メーカー"),  # longer: the trigram index
        ("新工場の建設", "新工場の建設"),
        ("欠かせない", "欠かせない"),
        ("投資家", "投資家"),
    ],
)
def test_japanese_queries_of_any_length_find_the_post_text(shelf, query: str, expected: str) -> None:
    """One-, two- and longer Japanese queries find the posts holding them, and only those."""
    store, _ids = shelf
    found = [h for h in hits_of(store, query) if h.kind == "text"]
    assert len({h.post_id for h in found}) == 1
    text = store.post(found[0].post_id).text
    assert [h.offset for h in found] == [m.start() for m in re.finditer(re.escape(expected), text)][:3]
    for hit in found:
        assert matched(hit) == expected
        assert f"【{expected}】" in hit.marked
        assert_well_formed(store, hit)


def test_a_one_character_query_is_not_found_where_it_does_not_occur(shelf) -> None:
    """株 finds the market post and neither the weather nor the English one."""
    store, ids = shelf
    assert {h.post_id for h in hits_of(store, "株")} == {ids["market"]}
    assert {h.post_id for h in hits_of(store, "雨")} == {ids["weather"]}


@pytest.mark.parametrize(("query", "surface"), [("とうし", "投資"), ("トウシ", "投資"), ("かぶしき", "株式"), ("あめ", "雨")])
def test_a_kana_query_finds_kanji_by_reading(shelf, query: str, surface: str) -> None:
    """とうし finds 投資 and かぶしき finds 株式 (in hiragana or katakana), marked where the kanji stand."""
    store, _ids = shelf
    found = [h for h in hits_of(store, query) if h.kind == "text"]
    assert len({h.post_id for h in found}) == 1
    for hit in found:
        assert matched(hit) == surface
        assert_well_formed(store, hit)


# --- English ----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["chip maker", "Chip Maker", "CHIP MAKER", "cHiP mAkEr"])
def test_english_is_matched_whatever_the_case(shelf, query: str) -> None:
    """English words match case-insensitively; the snippet shows the text's own capitals."""
    store, ids = shelf
    found = [h for h in hits_of(store, query) if h.kind == "text"]
    assert [h.post_id for h in found] == [ids["english"]]
    assert matched(found[0]) == "Chip Maker"
    assert_well_formed(store, found[0])


@pytest.mark.parametrize("query", ["accelerators", "Analysts", "factory"])
def test_english_words_are_found(shelf, query: str) -> None:
    """A single English word finds the post with it."""
    store, ids = shelf
    found = [h for h in hits_of(store, query) if h.kind == "text"]
    assert [h.post_id for h in found] == [ids["english"]]
    assert matched(found[0]).lower() == query.lower()
    assert_well_formed(store, found[0])


@pytest.mark.parametrize(
    ("query", "found"),
    [('"new factory"', True), ('"factory will open"', True), ('"factory new"', False), ('"半導体メーカーが新工場"', True), ('"メーカー半導体"', False)],
)
def test_a_phrase_in_double_quotes_matches_as_written(shelf, query: str, found: bool) -> None:
    """A quoted phrase matches those words in that order, and not the same words in another order."""
    store, _ids = shelf
    hits = [h for h in hits_of(store, query) if h.kind == "text"]
    assert bool(hits) is found
    for hit in hits:
        assert matched(hit).lower() == query.strip('"').lower()
        assert_well_formed(store, hit)


@pytest.mark.parametrize("word", ["投資", "株"])
def test_a_short_word_in_double_quotes_is_found_like_the_bare_word(shelf, word: str) -> None:
    """Quoting a one- or two-character word finds what the bare word finds."""
    store, _ids = shelf
    bare = {(h.kind, h.post_id) for h in hits_of(store, word)}
    assert bare
    assert {(h.kind, h.post_id) for h in hits_of(store, f'"{word}"')} == bare


# --- highlights: quote, note, tag -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "kind", "highlight", "marked_part"),
    [
        ("疑問の声", "quote", "doubt", "【疑問の声】"),
        ("資金計画", "note", "doubt", "【資金計画】"),
        ("numbers", "note", "demand", "【numbers】"),
        ("question", "tag", "doubt", "【question】"),
        ("claim", "tag", "demand", "【claim】"),
        ("strong demand", "quote", "demand", "【strong demand】"),
    ],
)
def test_highlights_are_found_by_quote_note_and_tag(shelf, query: str, kind: str, highlight: str, marked_part: str) -> None:
    """A query in a highlight's quote, note or tag gives a hit of that kind naming the highlight."""
    store, ids = shelf
    found = [h for h in hits_of(store, query) if h.kind == kind]
    assert [h.annotation_id for h in found] == [ids[highlight]]
    assert marked_part in found[0].marked
    assert_well_formed(store, found[0])


def test_a_quote_hit_points_into_the_post_text(shelf) -> None:
    """A quote hit's offset is where the matched words stand in the post's plain text."""
    store, ids = shelf
    hit = next(h for h in hits_of(store, "声") if h.kind == "quote")
    post = store.post(ids["market"])
    assert post.text[hit.offset : hit.offset + 1] == "声"
    assert hit.offset == store.annotation(ids["doubt"]).start + 3


def test_a_query_in_both_text_and_quote_gives_both_kinds(shelf) -> None:
    """The same words as post text and as a highlight's quote give a text hit and a quote hit."""
    store, ids = shelf
    hits = hits_of(store, "疑問")
    assert {(h.kind, h.post_id) for h in hits} == {("text", ids["market"]), ("quote", ids["market"])}
    for hit in hits:
        assert_well_formed(store, hit)


def test_deleted_highlights_are_not_found(shelf) -> None:
    """The quote, note and tags of a deleted highlight give no hits (the post's text still does)."""
    store, _ids = shelf
    assert hits_of(store, "削除予定") == []
    assert hits_of(store, "取り消し済み") == []
    assert {h.kind for h in hits_of(store, "新工場の建設")} == {"text"}


def test_restoring_or_editing_a_highlight_updates_the_index(own_shelf) -> None:
    """A restored highlight is found again; an edited note is found by its new words, not its old ones."""
    store, ids = own_shelf
    library.restore_annotation(store, ids["gone"])
    assert [h.annotation_id for h in hits_of(store, "削除予定") if h.kind == "note"] == [ids["gone"]]
    library.update_annotation(store, ids["doubt"], note="担当者に電話で確認する。", tags=["company"])
    assert [h for h in hits_of(store, "資金計画")] == []
    assert [h.annotation_id for h in hits_of(store, "電話で確認") if h.kind == "note"] == [ids["doubt"]]
    assert [h.kind for h in hits_of(store, "question")] == []
    assert [h.annotation_id for h in hits_of(store, "company") if h.kind == "tag"] == [ids["doubt"]]


def test_a_reimported_post_is_searched_in_its_new_text(own_shelf) -> None:
    """After a file changes, its old words are no longer found and its new ones are."""
    store, ids = own_shelf
    path = Path(store.post(ids["weather"]).source_path)
    path.write_text("# 週末の天気\n\n今日は一日中よく晴れていた。洗濯物がすぐ乾いた。\n", encoding="utf-8")
    assert library.import_paths(store, [path]).updated == [ids["weather"]]
    assert hits_of(store, "雨") == []
    found = hits_of(store, "洗濯物")
    assert [(h.kind, h.post_id) for h in found] == [("text", ids["weather"])]
    assert_well_formed(store, found[0])


def test_a_dictionary_form_query_never_gives_a_hit_without_a_match(own_shelf) -> None:
    """上がる finds the text, quote and note where 上がっ is written, marked between 【 and 】, and no hit whose match cannot be shown."""
    store, ids = own_shelf
    market = store.post(ids["market"])
    rise = library.annotate_quote(store, market, "株が大きく上がった", note="株価が上がった理由を調べる")
    # This tag holds 上がる in the word index (上がり調子: its dictionary form), but no written form
    # of 上がる the library knows shows in it: a hit for it would have nothing to mark.
    mood = library.annotate_quote(store, market, "株式市場", tags=["上がり調子"])
    hits = hits_of(store, "上がる")
    for hit in hits:
        assert hit.match_end > hit.match_start, hit.marked
        assert_well_formed(store, hit)
    assert sorted((h.kind, h.post_id, h.annotation_id, matched(h)) for h in hits) == [
        ("note", ids["market"], rise.id, "上がっ"),
        ("quote", ids["market"], rise.id, "上がっ"),
        ("text", ids["market"], None, "上がっ"),
    ]
    assert mood.id not in {h.annotation_id for h in hits}


# --- odd queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\n\t", '""', '" "'])
def test_an_empty_query_is_a_value_error(shelf, query: str) -> None:
    """Nothing to search for is a ValueError with a sentence, not an empty result."""
    store, _ids = shelf
    with pytest.raises(ValueError, match="Type something"):
        search.search(store, query)


SYNTAX = """# 記号の記事

検索演算子の AND と OR chip を文字として書く。NEAR( も同じ。

記号 a"b と col:株 と 株* も本文にある。( * - ' ^ も並べておく。
"""


@pytest.fixture(scope="module")
def syntax_shelf(tmp_path_factory: pytest.TempPathFactory):
    """The three posts, and a fourth that holds FTS5's operators and punctuation as text."""
    folder = tmp_path_factory.mktemp("syntax")
    store, ids = build_library(folder)
    path = folder / "syntax.md"
    path.write_text(SYNTAX, encoding="utf-8")
    report = library.import_paths(store, [path])
    assert len(report.added) == 1 and report.errors == []
    ids["syntax"] = report.added[0]
    yield store, ids
    store.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # AND is also in the English post's title and text ("Chips and Money") and the highlight "strong demand".
        ("AND", {("text", "syntax", None, "AND"), ("title", "english", None, "and"), ("text", "english", None, "and"),
                 ("quote", "english", "demand", "and")}),
        # Each word is a substring: the English post holds "or" (in "for") and "Chip", apart.
        ("OR chip", {("text", "syntax", None, "OR chip"), ("text", "english", None, "Chip"), ("text", "english", None, "or")}),
        ("NEAR(", {("text", "syntax", None, "NEAR(")}),
        ('a"b', {("text", "syntax", None, 'a"b')}),
        ("col:株", {("text", "syntax", None, "col:株")}),
        ("株*", {("text", "syntax", None, "株*")}),
    ],
)
def test_query_syntax_characters_are_searched_as_text(syntax_shelf, query: str, expected: set) -> None:
    """FTS5 operators and punctuation in a query never raise and find exactly the places where they are written as text."""
    store, ids = syntax_shelf
    hits = hits_of(store, query)
    found = {(h.kind, h.post_id, h.annotation_id, matched(h)) for h in hits}
    assert found == {(kind, ids[post], ids[note] if note else None, text) for kind, post, note, text in expected}
    assert len(hits) == len({(h.kind, h.post_id, h.annotation_id, h.snippet, h.match_start) for h in hits})  # no place twice
    for hit in hits:
        assert_well_formed(store, hit)


@pytest.mark.parametrize("query", ["(", "*", "-", "'", "^"])
def test_a_lone_punctuation_mark_never_raises_and_finds_nothing(syntax_shelf, query: str) -> None:
    """A lone punctuation mark is neither a word nor three characters long, so it gives an empty list (not an error) even where the text holds it."""
    store, ids = syntax_shelf
    assert query in store.post(ids["syntax"]).text
    assert hits_of(store, query) == []


def test_nothing_found_is_an_empty_list(shelf) -> None:
    """A word in no post and no highlight gives no hits."""
    store, _ids = shelf
    assert hits_of(store, "宇宙旅行") == []
    assert hits_of(store, "zebra") == []


def test_the_limit_caps_the_number_of_hits(shelf) -> None:
    """search(..., limit=N) returns at most N hits."""
    store, _ids = shelf
    assert len(search.search(store, "の", limit=50)) >= 2
    assert len(search.search(store, "の", limit=1)) == 1


def test_a_hit_is_json_ready(shelf) -> None:
    """SearchHit.to_json() has the post, title, kind, highlight id, snippet, match, marked snippet, offset and length."""
    store, ids = shelf
    data = next(h for h in hits_of(store, "株") if h.kind == "text").to_json()
    assert set(data) == {"post", "title", "kind", "annotation", "snippet", "match", "marked", "offset", "length"}
    assert data["length"] == 1 and data["match"][1] - data["match"][0] == 1
    assert (data["post"], data["title"], data["kind"], data["annotation"]) == (ids["market"], "市場のメモ", "text", None)
    assert "【株】" in data["marked"]


# --- titles and tags of posts ------------------------------------------------------------------

TITLED = """---
title: 半導体の行方
tags: [設備投資, TSMC]
categories: 経済
---

本文には題名の言葉が一度も出てこない。工場の話だけをする。
"""


def test_a_posts_title_and_tags_are_searched_and_come_first(tmp_path: Path) -> None:
    """A word of a post's title, or one of its tags or categories, finds the post as a "title" hit,
    listed before the hits in texts (the body mentions 半導体 in another post)."""
    store, ids = build_library(tmp_path)
    path = tmp_path / "titled.md"
    path.write_text(TITLED, encoding="utf-8")
    titled = library.import_paths(store, [path]).added[0]
    hits = hits_of(store, "半導体")
    assert [(h.kind, h.post_id) for h in hits] == [("title", titled), ("text", ids["market"])]
    assert hits[0].marked == "【半導体】の行方 #設備投資 #TSMC #経済" and hits[0].offset is None
    for query in ("設備投資", "TSMC", "経済", "行方"):
        assert [(h.kind, h.post_id) for h in hits_of(store, query)] == [("title", titled)], query
    store.close()


def test_a_changed_title_is_searched_by_its_new_words(tmp_path: Path) -> None:
    """Importing the edited file again indexes its new title; the old one finds nothing."""
    store, _ids = build_library(tmp_path)
    path = tmp_path / "titled.md"
    path.write_text(TITLED, encoding="utf-8")
    library.import_paths(store, [path])
    path.write_text(TITLED.replace("半導体の行方", "電力の行方"), encoding="utf-8")
    post_id = library.import_paths(store, [path]).updated[0]
    assert [h.kind for h in hits_of(store, "電力") if h.post_id == post_id] == ["title"]
    assert [h for h in hits_of(store, "半導体") if h.post_id == post_id] == []
    store.close()


def test_an_older_librarys_titles_are_searched_after_the_upgrade(tmp_path: Path) -> None:
    """A library from schema 6 (titles not indexed) gets its posts' titles indexed when opened."""
    import sqlite3

    store, ids = build_library(tmp_path)
    store.db.execute("DELETE FROM search_text WHERE kind = 'title'")
    store.db.execute("DELETE FROM search_words WHERE kind = 'title'")
    store.db.execute("DELETE FROM search_docs WHERE kind = 'title'")
    store.close()
    conn = sqlite3.connect(tmp_path / "lib.sqlite3")
    conn.execute("PRAGMA user_version = 6")
    conn.commit()
    conn.close()
    with open_library(tmp_path / "lib.sqlite3") as upgraded:
        assert [(h.kind, h.post_id) for h in hits_of(upgraded, "市場のメモ")][:1] == [("title", ids["market"])]


# --- what is on the page: any substring, readings across words, several places ------------------

PAGE = """---
title: 設備投資の行方
tags: [半導体]
---

政府は半導体産業に3兆円単位の支援を検討している。各社の設備投資も兆円規模に膨らんだ。

当社の計画では、来年の設備投資を減らす。株価は動かなかった。

兆円という言葉は、この記事に三度目の兆円として、最後にもう一度だけ兆円と書く。
"""


@pytest.fixture(scope="module")
def page_shelf(tmp_path_factory: pytest.TempPathFactory):
    """The three posts, a fourth about investment in trillions of yen, and a highlight on it with a note and a tag."""
    folder = tmp_path_factory.mktemp("page")
    store, ids = build_library(folder)
    path = folder / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    ids["page"] = library.import_paths(store, [path]).added[0]
    page = store.post(ids["page"])
    ids["support"] = library.annotate_quote(store, page, "支援を検討", tags=["補助金政策"], note="予算は数兆円単位になりそう").id
    yield store, ids
    store.close()


def text_places(store: Store, query: str, post_id: int, **options) -> list[tuple[int, str]]:
    """(offset, matched text) of the text hits of `post_id` for `query`, each checked well formed."""
    found = [h for h in search.search(store, query, **options) if h.kind == "text" and h.post_id == post_id]
    for hit in found:
        assert_well_formed(store, hit)
    return [(h.offset, matched(h)) for h in found]


@pytest.mark.parametrize("query", ["兆円", "半導", "円単", "設備", "備投", "株", "兆"])
def test_any_short_substring_is_found_however_mecab_splits_it(page_shelf, query: str) -> None:
    """One- and two-character strings are found in the text where they are written, also where
    they straddle two of MeCab's words (兆|円, 円|単) or sit inside one (半導 of 半導体)."""
    store, ids = page_shelf
    text = store.post(ids["page"]).text
    expected = [(m.start(), query) for m in re.finditer(re.escape(query), text)][:3]
    assert expected  # the page holds it
    assert text_places(store, query, ids["page"]) == expected


@pytest.mark.parametrize(
    ("query", "surface"),
    [("はんどうたい", "半導体"), ("せつびとうし", "設備投資"), ("ちょうえん", "兆円"), ("セツビトウシ", "設備投資"), ("ちょうえんたんい", "兆円単位")],
)
def test_a_kana_query_finds_a_compound_by_its_reading_across_words(page_shelf, query: str, surface: str) -> None:
    """A kana query is read across the words MeCab split: the hit marks the kanji, and its offset
    and length point at them in the plain text."""
    store, ids = page_shelf
    text = store.post(ids["page"]).text
    places = text_places(store, query, ids["page"], per_post=10)
    assert places == [(m.start(), surface) for m in re.finditer(surface, text)]


def test_a_kana_query_matches_whole_words_not_the_middle_of_a_reading(page_shelf) -> None:
    """とうし is the reading of 投資, but not of と当社 (ととうしゃ), whose reading holds it from the
    middle of a word: only 投資 is marked."""
    store, ids = page_shelf
    text = store.post(ids["page"]).text
    assert "当社" in text
    assert {m for _offset, m in text_places(store, "とうし", ids["page"], per_post=10)} == {"投資"}


def test_a_title_word_is_found_in_the_title_alone(page_shelf) -> None:
    """A word only the title holds (行方), a two-character string of it and a kana reading of it give a title hit, first."""
    store, ids = page_shelf
    assert "行方" not in store.post(ids["page"]).text
    for query, marked in (("行方", "設備投資の【行方】 #半導体"), ("資の", "設備投【資の】行方 #半導体"), ("せつびとうし", "【設備投資】の行方 #半導体")):
        hits = hits_of(store, query)
        assert (hits[0].kind, hits[0].post_id, hits[0].marked) == ("title", ids["page"], marked), query
        assert (hits[0].offset, hits[0].length) == (None, len(marked.split("【")[1].split("】")[0]))


def test_a_post_gives_several_places_in_text_order(page_shelf) -> None:
    """兆円 stands five times in the page: per_post hits give the first of them, distinct and in text order."""
    store, ids = page_shelf
    text = store.post(ids["page"]).text
    every = [m.start() for m in re.finditer("兆円", text)]
    assert len(every) == 5
    assert [offset for offset, _m in text_places(store, "兆円", ids["page"])] == every[:3]  # three by default
    assert [offset for offset, _m in text_places(store, "兆円", ids["page"], per_post=1)] == every[:1]
    assert [offset for offset, _m in text_places(store, "兆円", ids["page"], per_post=10)] == every
    snippets = [h.snippet for h in search.search(store, "兆円", per_post=10) if h.kind == "text"]
    assert len(set(snippets)) == len(snippets)


def test_the_limit_counts_hits_and_per_post_is_checked(page_shelf) -> None:
    """limit caps the hits, per_post the places of one text; a per_post out of range is a ValueError with a sentence."""
    store, _ids = page_shelf
    assert len(search.search(store, "兆円", limit=2, per_post=10)) == 2
    for bad in (0, -1, search.MAX_PER_POST + 1, True, 1.5):
        with pytest.raises(ValueError, match="places per post"):
            search.search(store, "兆円", per_post=bad)


@pytest.mark.parametrize(("query", "kind", "part"), [("円単", "note", "数【兆円】"), ("政策", "tag", "【政策】"), ("検討", "quote", "【検討】")])
def test_highlights_are_found_by_short_strings_too(page_shelf, query: str, kind: str, part: str) -> None:
    """A highlight's note, tags and quote are found by two-character strings MeCab never makes a word of."""
    store, ids = page_shelf
    found = [h for h in hits_of(store, query) if h.kind == kind]
    assert [h.annotation_id for h in found] == [ids["support"]]
    assert_well_formed(store, found[0])
    if kind != "note":
        assert part in found[0].marked
    else:
        assert "数兆【円単】位" in found[0].marked


def test_short_english_queries_match_any_case(page_shelf) -> None:
    """One and two Latin letters are found case-insensitively, marked with the text's own capitals."""
    store, ids = page_shelf
    for query in ("ch", "CH", "Ch"):
        assert {m for _o, m in text_places(store, query, ids["english"], per_post=10)} == {"Ch"}


def index_is_sound(store: Store) -> None:
    """FTS5's own check of the new indexes, and the rows they hold agree with search_docs."""
    for table in ("search_grams", "search_kana", "search_text", "search_words"):
        store.conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
    docs = store.conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]
    assert store.conn.execute("SELECT count(*) FROM search_text").fetchone()[0] == docs
    readings = store.conn.execute("SELECT count(*) FROM search_readings").fetchone()[0]
    assert readings == store.conn.execute("SELECT count(*) FROM search_docs WHERE kind IN ('text', 'title')").fetchone()[0]


def test_changed_texts_leave_the_new_indexes_whole(own_shelf) -> None:
    """Re-importing a changed post and editing and deleting highlights remove their old grams and
    readings: the old strings find nothing, the new ones are found, and the indexes check sound."""
    store, ids = own_shelf
    path = Path(store.post(ids["weather"]).source_path)
    path.write_text("# 週末の天気\n\n今日は一日中よく晴れていた。洗濯物がすぐ乾いた。\n", encoding="utf-8")
    assert library.import_paths(store, [path]).updated == [ids["weather"]]
    assert [h for h in hits_of(store, "雨") if h.post_id == ids["weather"]] == []
    assert [h for h in hits_of(store, "あめがふ") if h.post_id == ids["weather"]] == []
    assert [matched(h) for h in hits_of(store, "せんたくもの")] == ["洗濯物"]
    assert [matched(h) for h in hits_of(store, "濯物")] == ["濯物"]
    library.update_annotation(store, ids["doubt"], note="担当者に電話で確認する。")
    assert [h for h in hits_of(store, "資金") if h.kind == "note"] == []
    assert [h.annotation_id for h in hits_of(store, "電話") if h.kind == "note"] == [ids["doubt"]]
    library.delete_annotation(store, ids["doubt"])
    assert [h for h in hits_of(store, "電話")] == []
    index_is_sound(store)


def test_a_migration_8_library_gets_the_new_index_when_opened(tmp_path: Path) -> None:
    """A library file from schema 8 (search words and trigrams, no grams, no readings) is upgraded
    in one transaction: afterwards 兆円, 円単 and はんどうたい are found, each text indexed once."""
    import sqlite3

    from app.core.store import SCHEMA_VERSION

    store, ids = build_library(tmp_path)
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    page = library.import_paths(store, [path]).added[0]
    store.close()
    # What schema 8 had: the same posts, highlights and search_text/search_words rows, none of the new tables.
    conn = sqlite3.connect(tmp_path / "lib.sqlite3")
    for table in ("search_grams", "search_kana", "search_readings"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    conn.close()
    with open_library(tmp_path / "lib.sqlite3") as upgraded:
        assert upgraded.version == SCHEMA_VERSION
        assert (tmp_path / "lib.sqlite3.v8.bak").is_file()
        for query, surface in (("兆円", "兆円"), ("円単", "円単"), ("はんどうたい", "半導体")):
            found = [h for h in hits_of(upgraded, query) if h.kind == "text" and h.post_id == page]
            assert found and {matched(h) for h in found} == {surface}, query
            for hit in found:
                assert_well_formed(upgraded, hit)
        assert [h.annotation_id for h in hits_of(upgraded, "疑問の声") if h.kind == "quote"] == [ids["doubt"]]
        assert upgraded.conn.execute("SELECT count(*) FROM search_docs WHERE kind = 'text'").fetchone()[0] == 4
        index_is_sound(upgraded)


def test_the_reading_maps_back_to_the_text_after_long_gaps() -> None:
    """A post's reading maps each match back to the kanji it reads, also after more than 255
    characters without kanji; a match that begins or ends inside one word's reading maps to nothing."""
    text = "x" * 600 + "設備投資の話。" + "ー" * 300 + "兆円"
    indexed = search.index_words(text)
    places = search.ReadingMap(indexed.reading_map)
    at = indexed.reading.find("せつびとうし")
    assert (places.start(at), places.end(at + len("せつびとうし"))) == (600, 604)
    assert places.start(at + 1) is None and places.end(at + 5) is None  # せ|つ, とう|し
    at = indexed.reading.find("ちょうえん")
    assert (places.start(at), places.end(at + len("ちょうえん"))) == (len(text) - 2, len(text))
    at = indexed.reading.find("の")
    assert text[places.start(at) : places.end(at + 1)] == "の"  # kana stand for themselves
    assert indexed.reading.startswith("x" * 600)
