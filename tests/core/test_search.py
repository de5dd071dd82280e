"""Tests for app.core.library.search on a small real library: Japanese words of any length, readings, English, highlights."""

from __future__ import annotations

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
    """The snippet holds the match, marked wraps it, and a text hit's offset points at it in the post's text."""
    assert 0 <= hit.match_start < hit.match_end <= len(hit.snippet)
    assert hit.marked == f"{hit.snippet[: hit.match_start]}【{matched(hit)}】{hit.snippet[hit.match_end :]}"
    post = store.post(hit.post_id)
    if hit.kind == "text":
        assert hit.annotation_id is None
        assert post.text[hit.offset : hit.offset + len(matched(hit))] == matched(hit)
    elif hit.kind == "quote":
        assert post.text[hit.offset : hit.offset + len(matched(hit))] == matched(hit)
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
    assert len(found) == 1
    hit = found[0]
    assert matched(hit) == expected
    assert f"【{expected}】" in hit.marked
    assert_well_formed(store, hit)
    assert expected in store.post(hit.post_id).text


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
    assert len(found) == 1
    assert matched(found[0]) == surface
    assert_well_formed(store, found[0])


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
        ("OR chip", {("text", "syntax", None, "OR chip")}),
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
    assert len(hits) == len(found)
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
    """SearchHit.to_json() has the post, title, kind, highlight id, snippet, match, marked snippet and offset."""
    store, ids = shelf
    data = next(h for h in hits_of(store, "株") if h.kind == "text").to_json()
    assert set(data) == {"post", "title", "kind", "annotation", "snippet", "match", "marked", "offset"}
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
