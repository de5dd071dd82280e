"""Tests for app.core.reading.words: the word at an offset of a post's text, read in its context."""

from __future__ import annotations

import json
import time

import pytest

from app.core.common import messages
from app.core.common.messages import Message, translate
from app.core.reading import compounds, furigana
from app.core.reading.dictionary import Dictionary
from app.core.reading.furigana import ReadingOverride
from app.core.reading.words import _PARTS_OF_SPEECH, correction_context, normalize_reading, part_of_speech, word_at

TEXT = "今日は生物の授業で生物を見た。\n昨日、日本へ行った。これはPythonのテスト、ひらがなで書く。\n"


def at(needle: str, nth: int = 0, inside: int = 0) -> int:
    """The offset of the nth occurrence of `needle` in TEXT, plus `inside`."""
    offset = -1
    for _ in range(nth + 1):
        offset = TEXT.index(needle, offset + 1)
    return offset + inside


WORDS = [
    # (offset, surface, reading, lemma, part of speech, has kanji)
    (at("今日"), "今日", "きょう", "今日", "noun (also adverb)", True),
    (at("今日", inside=1), "今日", "きょう", "今日", "noun (also adverb)", True),
    (at("生物"), "生物", "せいぶつ", "生物", "noun", True),
    (at("生物", 1, inside=1), "生物", "せいぶつ", "生物", "noun", True),
    (at("見た"), "見", "み", "見る", "verb", True),
    (at("行っ"), "行っ", "いっ", "行く", "verb", True),
    (at("日本"), "日本", "にほん", "日本", "proper noun (place)", True),
    (at("は"), "は", "は", "は", "particle", False),
    (at("ひらがな", inside=2), "ひらがな", "ひらがな", "平仮名", "noun", False),
    (at("Python", inside=3), "Python", None, None, "noun", False),
]


@pytest.mark.parametrize(("offset", "surface", "reading", "lemma", "pos", "has_kanji"), WORDS)
def test_word_at_gives_the_token_under_the_offset(offset, surface, reading, lemma, pos, has_kanji):
    """Any character of a word gives that whole word with its reading, lemma and part of speech."""
    word = word_at(TEXT, offset)
    assert word is not None
    assert (word.surface, word.reading, word.lemma, word.part_of_speech, word.has_kanji) == (surface, reading, lemma, pos, has_kanji)
    assert TEXT[word.start : word.end] == surface
    assert word.start <= offset < word.end


@pytest.mark.parametrize("offset", [at("。"), at("\n"), at("、"), -1, len(TEXT), len(TEXT) + 5])
def test_no_word_on_punctuation_white_space_or_outside_the_text(offset):
    """Punctuation, line breaks and offsets outside the text (the end included) have no word."""
    assert word_at(TEXT, offset) is None


def test_no_word_on_a_space_between_latin_words():
    """A space between words is not a word."""
    assert word_at("I love Tokyo", 1) is None


def test_readings_follow_the_projects_context_rules():
    """The word's reading is the one the page shows: the context rules apply (私 わたし, 一本 いっぽん)."""
    text = "私は鉛筆を一本買った。"
    assert word_at(text, 0).reading == "わたし"
    assert word_at(text, text.index("本")).reading == "ぽん"


def test_alternatives_offer_the_other_readings_but_not_the_shown_one():
    """Alternatives hold n-best and dictionary readings (生物: なまもの), never the reading shown."""
    word = word_at(TEXT, at("生物", 1))
    assert "なまもの" in word.alternatives
    assert word.reading not in word.alternatives
    assert "こんにち" in word_at(TEXT, at("今日")).alternatives


@pytest.mark.skipif(Dictionary.open() is None, reason="the dictionary file is built by `make` (make dictionary)")
@pytest.mark.parametrize(("text", "char", "surface", "offered"), [
    ("古文書を読む。", "文", "古文書", "こもんじょ"),  # a compound MeCab split (古|文書) has no n-best of its own
    ("街中で会った。", "中", "街中", "まちじゅう"),  # JMdict's other word of the same form
])
def test_alternatives_offer_the_dictionarys_readings(text, char, surface, offered):
    word = word_at(text, text.index(char))
    assert word.surface == surface and offered in word.alternatives and word.reading not in word.alternatives


def test_kana_and_latin_words_have_no_alternatives():
    """Only words with kanji take corrections, so only they offer readings to pick."""
    assert word_at(TEXT, at("ひらがな")).alternatives == ()
    assert word_at(TEXT, at("Python")).alternatives == ()


def test_offsets_are_into_the_full_text_far_from_its_start():
    """A word deep in a long text is found with offsets into the whole text, not its line."""
    text = "前置きの段落です。\n" * 2000 + TEXT
    offset = len(text) - len(TEXT) + at("生物", 1)
    word = word_at(text, offset)
    assert (word.surface, word.start, word.end) == ("生物", offset, offset + 2)


def test_context_singles_out_this_occurrence():
    """before/after are the shortest context in the line that no other occurrence shares."""
    first, second = word_at(TEXT, at("生物")), word_at(TEXT, at("生物", 1))
    assert (first.before, first.after) == ("は", "の")
    assert (second.before, second.after) == ("で", "を")
    assert word_at(TEXT, at("今日")).before == ""  # the start of the text: nothing before it


def test_context_grows_until_unique_and_stops_at_line_breaks():
    """A word repeated in the same short context gets a longer one, never past its line."""
    text = "赤い花と赤い花。\n青い花と赤い花。"
    start = text.index("花", text.index("\n"))
    before, after = correction_context(text, start, start + 1)
    assert "\n" not in before + after
    assert text.count(before + "花" + after) == 1


def test_a_correction_with_this_context_changes_only_this_occurrence():
    """Saving the word's before/after with a reading re-reads this occurrence and not the other."""
    word = word_at(TEXT, at("生物", 1))
    override = ReadingOverride(word.surface, "なまもの", word.before, word.after)
    line = TEXT.split("\n")[0]
    spans = furigana.apply_overrides(line, furigana.ruby_spans(furigana.tokenize(line)), [override])
    readings = [s.reading for s in spans if line[s.start : s.end] == "生物"]
    assert readings == ["せいぶつ", "なまもの"]


def test_overrides_give_the_readers_reading():
    """A correction covering the word gives its reading, and the old one becomes an alternative."""
    overrides = (ReadingOverride("生物", "なまもの", "で", "を"),)
    second = word_at(TEXT, at("生物", 1), overrides)
    assert (second.reading, second.corrected) == ("なまもの", True)
    assert "せいぶつ" in second.alternatives and "なまもの" not in second.alternatives
    first = word_at(TEXT, at("生物"), overrides)
    assert (first.reading, first.corrected) == ("せいぶつ", False)


def test_an_override_longer_than_the_token_becomes_the_word():
    """A correction of a phrase (町工場) is the word the reader clicked inside of, as the page shows it."""
    text = "町工場で働く。"
    word = word_at(text, 1, (ReadingOverride("町工場", "まちこうば"),))
    assert (word.surface, word.start, word.end, word.reading) == ("町工場", 0, 3, "まちこうば")
    # the correction covers the word the dictionary joins (町|工場): its other readings are offered
    assert set(word.alternatives) == set(compounds.readings_of("町工場")) - {"まちこうば"}


def test_overrides_without_kanji_or_in_another_context_are_ignored():
    """Corrections the page would not apply (kana only, other context) leave the word alone."""
    overrides = (ReadingOverride("きょう", "こんにち"), ReadingOverride("今日", "こんにち", "昨", ""))
    assert word_at(TEXT, at("今日"), overrides).reading == "きょう"


@pytest.mark.parametrize(
    ("pos", "words"),
    [
        ("名詞-普通名詞-一般", "noun"),
        ("名詞-普通名詞-サ変可能", "noun (takes する)"),
        ("名詞-固有名詞-人名-姓", "proper noun (person)"),
        ("動詞-一般", "verb"),
        ("助動詞", "auxiliary verb"),
        ("形容詞-一般", "い-adjective"),
        ("形状詞-一般", "な-adjective"),
        ("補助記号-句点", "punctuation"),
        ("", ""),
    ],
)
def test_part_of_speech_in_words(pos, words):
    """UniDic's part-of-speech fields read as words, the most specific name first."""
    assert part_of_speech(pos) == words


@pytest.fixture
def own_catalogs(tmp_path, monkeypatch):
    """The catalogs read afresh, any built on demand going to tmp_path (not the user's cache)."""
    monkeypatch.setattr(messages, "cache_dir", lambda: tmp_path / "cache")
    messages.reload_catalogs()
    yield
    messages.reload_catalogs()


@pytest.mark.parametrize(
    ("pos", "japanese"),
    [("名詞-普通名詞-サ変可能", "名詞（「する」が付く）"), ("動詞-一般", "動詞"), ("形状詞-一般", "形容動詞"), ("助詞-格助詞", "助詞")],
)
def test_a_part_of_speech_is_a_message_in_the_readers_language(pos, japanese, own_catalogs):
    """The names are core messages: Japanese through translate(), English in str() and JSON."""
    name = part_of_speech(pos)
    assert isinstance(name, Message) and name.id.startswith("pos.")
    assert translate(name, "ja") == japanese and translate(name, "en") == str(name)
    assert json.loads(json.dumps({"pos": name})) == {"pos": str(name)}


def test_every_part_of_speech_has_a_japanese_name(own_catalogs):
    """No part of speech shows in English in the Japanese window: each has its own id and its own
    translation in ja.po."""
    names = [name for _prefix, name in _PARTS_OF_SPEECH]
    assert len({name.id for name in names}) == len(names)
    catalog = messages.read_po(messages.messages_dir() / "ja.po")
    assert all(catalog.get(name.id) for name in names), [name.id for name in names if not catalog.get(name.id)]
    assert len({catalog[name.id] for name in names}) == len(names)
    assert all(translate(name, "ja") == catalog[name.id] for name in names)


@pytest.mark.parametrize(
    ("typed", "reading"),
    [
        ("なまもの", "なまもの"),
        ("ナマモノ", "なまもの"),
        (" ｲﾁﾊﾞ ", "いちば"),
        ("なま もの", "なまもの"),
        ("ぎょーざ", "ぎょーざ"),
        ("market", None),
        ("生物", None),
        ("な・ま", None),
        ("", None),
    ],
)
def test_a_typed_reading_is_kana_only_and_becomes_hiragana(typed, reading):
    """A reader's own reading must be kana; katakana (half-width too) is stored as hiragana."""
    assert normalize_reading(typed) == reading


def test_a_word_in_a_long_post_is_found_fast():
    """Only the word's neighbourhood is analysed: well under 20 ms a word in a 150k-character post."""
    text = (TEXT * 3000)[:150_000]
    word_at(text, 3)  # the tagger opens once per thread
    offsets = range(1000, 150_000, 7919)
    began = time.perf_counter()
    for offset in offsets:
        word_at(text, offset)
    assert (time.perf_counter() - began) / len(offsets) < 0.02
