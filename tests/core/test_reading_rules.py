"""The context rules of app/core/reading/reading_rules.py and their tables (resources/furigana/):
numbers before counters, and the words the tables read."""

from __future__ import annotations

import pytest

from app.core.reading import furigana, reading_rules
from app.core.reading.tokens import Token
from benchmarks.reading_accuracy import shown_reading


@pytest.mark.parametrize(("text", "word", "reading"), [
    # A number ending in 百 keeps the sound its digit gave it, and takes the counter's small っ.
    ("依頼は六百件を超えた。", "六百件", "ろっぴゃっけん"),
    ("三百本の木を植えた。", "三百本", "さんびゃっぽん"),
    ("八百杯も売れた。", "八百杯", "はっぴゃっぱい"),
    ("百回も言った。", "百回", "ひゃっかい"),
    ("六百人が集まった。", "六百人", "ろっぴゃくにん"),  # 人 takes no small っ
    # 桁 counts digits: ひと, ふた, then numbers with the k-counters' small っ.
    ("円周率を百桁覚えた。", "百桁", "ひゃっけた"),
    ("一桁の数を足す。", "一桁", "ひとけた"),
    ("二桁の数を足す。", "二桁", "ふたけた"),
    ("六桁の暗証番号だ。", "六桁", "ろっけた"),
    # 拍子 after a number is びょうし.
    ("新曲は五拍子だ。", "五拍子", "ごびょうし"),
    ("三拍子そろった。", "三拍子", "さんびょうし"),
    ("拍子抜けした。", "拍子", "ひょうし"),  # no number before it
    # 羽 takes じゅっぱ after ten alone; tens above it read じゅうわ, and 二十 is never 二十日's はつ.
    ("鶴が十羽いる。", "十羽", "じゅっぱ"),
    ("七十羽の白鳥が見える。", "七十羽", "ななじゅうわ"),
    ("二十羽の雀が鳴く。", "二十羽", "にじゅうわ"),
    ("二十日に会う。", "二十日", "はつか"),
    # 頭 and 通 after 百 take a small っ; 点 does not.
    ("牛が百頭いる。", "百頭", "ひゃっとう"),
    ("手紙が百通届いた。", "百通", "ひゃっつう"),
    ("テストで百点を取った。", "百点", "ひゃくてん"),
])
def test_numbers_and_counters(text: str, word: str, reading: str) -> None:
    assert shown_reading(text, word) == reading


def test_a_number_in_hundreds_before_kilo() -> None:
    """キロ doubles the sound before it (五百キロ ごひゃっきろ); the katakana gets no ruby."""
    assert shown_reading("距離は約五百キロです。", "五百") == "ごひゃっ"
    assert shown_reading("距離は五百メートルです。", "五百") == "ごひゃく"


@pytest.mark.parametrize(("text", "word", "reading"), [
    ("受付係の人に聞いた。", "受付係", "うけつけがかり"),  # 係 voices after a noun
    ("係の人に聞いた。", "係", "かかり"),  # alone it does not
    ("4月1日付で異動した。", "付", "づけ"),  # after a counter with its number, too
    ("春雨の降る中を歩いた。", "春雨", "はるさめ"),  # the tables keep the everyday reading
    ("嫌気が差した。", "嫌気", "いやけ"),
])
def test_words_the_tables_read(text: str, word: str, reading: str) -> None:
    assert shown_reading(text, word) == reading


def test_the_tables_load() -> None:
    table = reading_rules.rules()
    assert table.counters["桁"].reading == "けた" and table.counters["拍子"].reading == "びょうし"
    assert table.rendaku["係"] == "がかり"


# --- the rule index (Rules.index): the same rule as trying every rule in turn ---

def _rows(surfaces, gap_after: int | None = None) -> list[tuple]:
    """Rows as furigana's tokens have them (see `reading_rules.apply`), a space before the token
    after index `gap_after`."""
    return [
        (" " * (k - 1 == gap_after) + surface, surface, "ヨミ", surface, "名詞-普通名詞-一般", True, "よみ", surface)
        for k, surface in enumerate(surfaces)
    ]


def _tried_in_turn(rows, i):
    """The first of the word's rules that matches, trying each in `sequences` order (as before the index)."""
    for rule in reading_rules.rules().sequences.get(rows[i][1], ()):
        if reading_rules._matches(rows, i, rule[0]):
            return rule
    return None


def test_the_index_finds_the_rule_trying_every_rule_finds() -> None:
    """For every rule of the tables, its own tokens, cut short, with a space inside and followed
    by a word no rule has: the index picks the rule trying each rule in turn picks."""
    table = reading_rules.rules()
    cases = 0
    for first, candidates in table.sequences.items():
        for surfaces, _readings in candidates:
            variants = [list(surfaces), [first, "〓"], [first]]
            variants += [list(surfaces[:k]) for k in range(2, len(surfaces))]
            for words in variants:
                for gap in (None, 0):
                    padded = ["前", *words, "後"]
                    for rows in (_rows(padded, None if gap is None else gap + 1), _rows(padded[:-1], None if gap is None else gap + 1)):
                        found = reading_rules._rule_at(rows, 1, table.index[first], len(rows))
                        assert found == _tried_in_turn(rows, 1), (words, gap)
                        cases += 1
    assert cases > 1000


def test_a_space_breaks_a_sequence() -> None:
    """A rule of several tokens matches only tokens with nothing between them."""
    assert reading_rules._matches(_rows(["株式", "会社"]), 0, ("株式", "会社"))
    assert not reading_rules._matches(_rows(["株式", "会社"], gap_after=0), 0, ("株式", "会社"))
    assert not reading_rules._matches(_rows(["株式"]), 0, ("株式", "会社"))


def _analysed(text: str):
    """furigana's tokens of `text` and the indexes of its trigger words, before any stage ran."""
    tokens, with_kanji = furigana._analyse(text, False)
    triggers = reading_rules.rules().triggers
    return tokens, [i for i in with_kanji if tokens.rows[i][1] in triggers]


def test_rules_make_tokens_only_for_words_they_read() -> None:
    """Trigger words no rule changes (会社 after no noun, 中 after no word of extent), and the
    neighbours of all of them, are read from the rows: a Token is made only for the words whose
    rule sets their reading (a render needs none for most words)."""
    tokens, candidates = _analysed("この会社の中で、私の名前は今日も社長の後ろにある。")
    assert [tokens.rows[i][1] for i in candidates][:2] == ["会社", "中"]
    reading_rules.apply(tokens, candidates)
    changed = {tokens.rows[i][1]: token.reading for i, token in tokens.made.items()}
    assert changed == {"私": "わたし", "今日": "きょう"}


@pytest.mark.parametrize(("text", "word", "reading"), [
    ("株式会社に勤める。", "会社", "がいしゃ"),  # a sequence of two tokens
    ("世界中を旅した。", "中", "じゅう"),  # 中 after a word of extent
    ("三本の木。", "本", "ぼん"),  # a counter after its number
    ("日本人が来た。", "人", "じん"),
    ("5月1日(水)に会う。", "水", "すい"),  # a weekday in brackets after a date
])
def test_rules_read_neighbours_from_rows(text: str, word: str, reading: str) -> None:
    """Each kind of rule, run on the rows of a real analysis, changes the word it is about."""
    tokens, candidates = _analysed(text)
    reading_rules.apply(tokens, candidates)
    found = [t.reading for t in tokens.made.values() if t.surface == word]
    assert found == [reading]


def test_pos_parts_are_tokens_own() -> None:
    for pos in ("名詞-普通名詞-一般", "接尾辞-名詞的-助数詞", "名詞-数詞", "名詞", "", "補助記号-括弧開"):
        token = Token("x", 0, 1, pos)
        assert reading_rules._pos_parts(pos) == (token.pos1, token.pos2, token.pos3)
