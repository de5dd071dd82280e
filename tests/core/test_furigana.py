"""Tests for app.core.reading.furigana and app.core.reading.reading_rules: readings in context, aligned to kanji."""

from __future__ import annotations

import os
import re
import threading

import pytest
import unidic_lite

from app.core.common.paths import resource
from app.core.reading import furigana, reading_rules
from app.core.reading.tokens import Token


def annotate(text: str) -> str:
    """`text` with 《reading》 after every ruby span, Aozora style (no ｜ needed for these tests)."""
    out: list[str] = []
    cursor = 0
    for span in furigana.ruby_spans(furigana.tokenize(text)):
        out.append(text[cursor : span.end])
        out.append(f"《{span.reading}》")
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)


def readings_of(text: str) -> dict[str, str | None]:
    """{surface: reading} of every token of `text` (detail=True)."""
    return {t.surface: t.reading for t in furigana.tokenize(text, detail=True)}


# --- whole sentences ----------------------------------------------------------------------

ANNOTATED = [
    # Okurigana stay bare; each kanji run gets its own part of the word's reading.
    ("秘密を隠さないで。", "秘密《ひみつ》を隠《かく》さないで。"),
    ("取り扱いに注意する。", "取《と》り扱《あつか》いに注意《ちゅうい》する。"),
    # No ruby on Latin letters, digits, katakana or symbols.
    ("売上は720億ドルだ。", "売上《うりあげ》は720億《おく》ドルだ。"),
    ("AIとGPUの話", "AIとGPUの話《はなし》"),
    ("ＣＰＵ＠１２３％、ｗｅｂ。", "ＣＰＵ＠１２３％、ｗｅｂ。"),
    ("カタカナのコーヒー", "カタカナのコーヒー"),
    ("I love 東京 & Python 3.12!", "I love 東京《とうきょう》 & Python 3.12!"),
    ("約3,000億円、つまり3兆円", "約《やく》3,000億《おく》円《えん》、つまり3兆《ちょう》円《えん》"),
    # Compounds that MeCab splits keep their rendaku and compound readings.
    ("株式会社で働く。", "株式《かぶしき》会社《がいしゃ》で働《はたら》く。"),
    ("一晩中雨が降った。", "一《ひと》晩《ばん》中《じゅう》雨《あめ》が降《ふ》った。"),
    ("町工場を訪ねた。", "町《まち》工場《こうば》を訪《たず》ねた。"),
    # 中: ちゅう after a span of time or an activity, じゅう after a word of extent.
    ("午前中は忙しい。", "午前《ごぜん》中《ちゅう》は忙《いそが》しい。"),
    ("会議中です。", "会議《かいぎ》中《ちゅう》です。"),
    ("世界中で売れる。", "世界《せかい》中《じゅう》で売《う》れる。"),
    # Everyday readings where UniDic prefers the formal one.
    ("私は明日、日本へ行く。", "私《わたし》は明日《あした》、日本《にほん》へ行《い》く。"),
    ("今日は晴れ。", "今日《きょう》は晴《は》れ。"),
    # Counters whose sound depends on the number before them.
    ("鉛筆が一本ある。", "鉛筆《えんぴつ》が一《いっ》本《ぽん》ある。"),
    ("傘を三本買った。", "傘《かさ》を三《さん》本《ぼん》買《か》った。"),
    ("ペンが1本ある。", "ペンが1本《ぽん》ある。"),
    ("六分待った。", "六《ろっ》分《ぷん》待《ま》った。"),
    ("4月に会おう。", "4月《がつ》に会《あ》おう。"),
    ("４月と１０月", "４月《がつ》と１０月《がつ》"),
    ("猫が八匹いる", "猫《ねこ》が八《はっ》匹《ぴき》いる"),
    ("三分の一を食べた。", "三《さん》分《ぶん》の一《いち》を食《た》べた。"),
    ("二人で歩く。", "二人《ふたり》で歩《ある》く。"),
    # 人 as a suffix: じん for a kind of person, にん for who does something.
    ("彼は日本人です。", "彼《かれ》は日本《にほん》人《じん》です。"),
    ("管理人に聞いた。", "管理《かんり》人《にん》に聞《き》いた。"),
    ("日曜日に休む。", "日曜《にちよう》日《び》に休《やす》む。"),
    ("彼はそう言う。", "彼《かれ》はそう言《い》う。"),
]


@pytest.mark.parametrize(("text", "expected"), ANNOTATED)
def test_sentence_gets_the_expected_ruby(text: str, expected: str) -> None:
    """Ruby goes over kanji runs only, with the reading right in context."""
    assert annotate(text) == expected


@pytest.mark.parametrize("text", ["ABC", "720", "ドル", "、。！", "GPUとTPU", "ｶﾞｷﾞ"])
def test_no_ruby_without_kanji(text: str) -> None:
    """Latin letters, digits, katakana, kana and symbols never get ruby."""
    assert furigana.ruby_spans(furigana.tokenize(text)) == []


def test_reading_comes_from_the_kana_field_not_the_pronunciation() -> None:
    """The particle は reads は (kana), not わ (pron); readings are hiragana."""
    readings = readings_of("今日は晴れ")
    assert readings["は"] == "は"
    assert readings["今日"] == "きょう"


@pytest.mark.parametrize(
    "text",
    ["株式会社", "１０本の木", "株式\t会社", "株式\n会社", "全角\u3000空白", "  前後の空白  ", "ABC 日本 123"],
)
def test_offsets_index_the_input_exactly(text: str) -> None:
    """Every token's start/end slice the input back to its surface, whatever the white space."""
    tokens = furigana.tokenize(text, detail=True)
    assert tokens
    for token in tokens:
        assert text[token.start : token.end] == token.surface
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)


def test_ruby_many_matches_tokenize() -> None:
    """The fast path used by rendering gives the same ruby as tokenize + ruby_spans."""
    texts = ["株式会社の一晩中", "三本と1本", "", "ABC", "私は明日、日本へ行く。"]
    expected = [furigana.ruby_spans(furigana.tokenize(t)) if t else [] for t in texts]
    made = furigana.ruby_many(texts)
    assert [[s[:3] for s in spans] for spans in made] == [[s[:3] for s in spans] for spans in expected]
    # The same lemmas, but for the runs of a compound the dictionary stage joined: they are named
    # by it, the word the reader knows or not (株式|会社: 株式会社).
    joined = {"株式会社", "一晩中"} if made[0][0].lemma == "株式会社" else set()
    assert [[s.lemma for s in spans] for spans in made] == [
        [next((w for w in joined if w in t and t.index(w) <= s.start < t.index(w) + len(w)), s.lemma) for s in spans]
        for t, spans in zip(texts, expected)
    ]


def test_ruby_spans_of_every_kind_of_token() -> None:
    """ruby_spans gives, per token with a reading, `align` of it moved to the token's place, with
    the token's raw lemma: kana words, words without a reading and words whose kanji come with
    digits or Latin letters get none, a token changed after its reading was aligned once gets the
    new one."""
    text = "私は明日、AI半導体とカタカナ語の取り扱いを3月に学ぶ。ｗ"
    tokens = furigana.tokenize(text, detail=True)
    furigana.ruby_spans(tokens)
    tokens[0].reading = "わたくし"
    tokens.append(Token("3月", len(text), len(text) + 2, "名詞-普通名詞-一般", "三月", "さんがつ"))
    expected = [
        furigana.RubySpan(t.start + s, t.start + e, r, t._lemma)
        for t in tokens if t.reading is not None and furigana.KANJI_RE.search(t.surface)
        for s, e, r in furigana.align(t.surface, t.reading)
    ]
    spans = furigana.ruby_spans(tokens)
    assert spans == expected and all(type(span) is furigana.RubySpan for span in spans)
    assert spans[0] == (0, 1, "わたくし", "私-代名詞")
    assert [text[s.start : s.end] for s in spans] == ["私", "明日", "半", "導体", "語", "取", "扱", "月", "学"]


def test_take_gives_the_tokens_indexing_gives() -> None:
    """`_Tokens.take` makes each token as indexing does, once: a token already made is the same
    object, and what it makes indexing gives back."""
    tokens, with_kanji = furigana._analyse("東京で３日の会議に出た。", False)
    first = tokens[with_kanji[1]]
    taken = tokens.take(range(len(tokens)))
    assert taken[with_kanji[1]] is first
    assert all(tokens[i] is token for i, token in enumerate(taken))
    fresh, _ = furigana._analyse("東京で３日の会議に出た。", False)
    assert [(t.surface, t.start, t.end, t.pos, t._lemma, t.reading) for t in taken] == [
        (t.surface, t.start, t.end, t.pos, t._lemma, t.reading) for t in (fresh[i] for i in range(len(fresh)))
    ]
    assert taken[2].surface == "３" and taken[2].reading is None  # as written, not as MeCab saw it


@pytest.mark.parametrize("text", [
    "", "短い", "ー" * 63, "ー" * 64, "あ" + "ｗ" * 64, "ｗ" * 63 + "x" + "ｗ" * 63, " " * 200, "\n" * 100,
    "前置き" * 11 + "｜" * 64, "漢字" * 40 + "ーー" + "ー" * 70 + "後", "ab" * 100,
])
def test_has_long_run_as_the_expression_says(text: str) -> None:
    """The block test finds a run of 64 of one character (white space aside) wherever the
    expression does, at every offset against the 32-character blocks."""
    for shift in range(33):
        shifted = "x" * shift + text
        assert furigana._has_long_run(shifted) == (furigana._LONG_RUN.search(shifted) is not None), shift


@pytest.mark.parametrize(
    ("surface", "reading", "expected"),
    [
        ("漢字", "かんじ", ((0, 2, "かんじ"),)),
        ("隠さ", "かくさ", ((0, 1, "かく"),)),
        ("取り扱い", "とりあつかい", ((0, 1, "と"), (2, 3, "あつか"))),
        ("見る", "みる", ((0, 1, "み"),)),
        ("お茶", "おちゃ", ((1, 2, "ちゃ"),)),
        ("申し込み", "もうしこみ", ((0, 1, "もう"), (2, 3, "こ"))),
        ("人々", "ひとびと", ((0, 2, "ひとびと"),)),
        ("カタカナ語", "かたかなご", ((4, 5, "ご"),)),  # katakana in the surface matches hiragana
        ("取り扱い", "かんじ", ()),  # the reading does not fit the okurigana: no ruby, not a guess
        ("見る", "みた", ()),
        ("3月", "さんがつ", ()),  # digits in the surface: no ruby
        ("AI半導体", "えーあいはんどうたい", ()),
        ("かな", "かな", ()),  # no kanji at all
    ],
)
def test_align(surface: str, reading: str, expected: tuple) -> None:
    """align splits a word's reading over its kanji runs, or gives nothing when it cannot be sure."""
    assert furigana.align(surface, reading) == expected


# --- alternatives ---------------------------------------------------------------------------


def test_alternatives_offer_other_readings() -> None:
    """明日's alternatives include あす (and never the reading already shown)."""
    text = "明日は晴れる。"
    tokens = furigana.tokenize(text)
    furigana.alternatives(text, tokens)
    tomorrow = tokens[0]
    assert tomorrow.reading == "あした"
    assert "あす" in tomorrow.alternatives
    assert "あした" not in tomorrow.alternatives


@pytest.mark.parametrize(("text", "surface", "dictionary"), [("私は行く", "私", "わたくし"), ("日本へ", "日本", "にっぽん")])
def test_alternatives_offer_the_dictionary_reading_a_rule_replaced(text: str, surface: str, dictionary: str) -> None:
    """When a rule replaced UniDic's reading, UniDic's reading is offered so the reader can go back to it."""
    tokens = furigana.tokenize(text)
    furigana.alternatives(text, tokens)
    token = next(t for t in tokens if t.surface == surface)
    assert token.reading != dictionary
    assert dictionary in token.alternatives


def test_alternatives_leave_tokens_without_reading_alone() -> None:
    """Tokens with no reading get no alternatives."""
    text = "Hello 𠮷"
    tokens = furigana.tokenize(text, detail=True)
    furigana.alternatives(text, tokens)
    assert all(t.alternatives == () for t in tokens)


# --- the tagger -----------------------------------------------------------------------------


def test_tagger_uses_unidic_lite_dictionary() -> None:
    """The tagger is opened on unidic-lite's own dictionary folder, not whatever dictionary is installed."""
    info = furigana.tagger().dictionary_info
    dicdir = os.path.realpath(unidic_lite.DICDIR)
    assert info and all(os.path.realpath(d["filename"]).startswith(dicdir + os.sep) for d in info)


def test_each_thread_has_its_own_tagger() -> None:
    """MeCab taggers are not shared across threads; one thread keeps reusing its own."""
    here = furigana.tagger()
    assert furigana.tagger() is here
    there: list[object] = []
    worker = threading.Thread(target=lambda: there.append(furigana.tagger()))
    worker.start()
    worker.join()
    assert there and there[0] is not here


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,000", 1000),
        ("１，２００", 1200),
        ("１０", 10),
        ("二十四", 24),
        ("三千", 3000),
        ("二〇二五", 2025),
        ("二千二十五", 2025),
        ("十", 10),
        ("十一", 11),
        ("百八", 108),
        ("千百十一", 1111),
        ("一万", 10_000),
        ("万", 10_000),
        ("二十万三千", 203_000),
        ("三億五千万", 350_000_000),
        ("五十億", 5_000_000_000),
        ("1万2千", 12_000),
        ("3千億", 300_000_000_000),
        ("4,200億", 420_000_000_000),
        ("1兆5000億", 1_500_000_000_000),
        ("〇", 0),
        ("", None),
        ("abc", None),
        ("1.5", None),
        ("何", None),
    ],
)
def test_parse_number(text: str, value: int | None) -> None:
    """parse_number reads Arabic, full-width and kanji numerals (with 万/億/兆 groups), or gives None."""
    assert reading_rules.parse_number(text) == value


# --- the rule tables ------------------------------------------------------------------------

_HIRAGANA = re.compile("[\u3041-\u309f]+")
_KNOWN_KINDS = {"seq", "ju", "rendaku"}


def _table_rows(name: str) -> list[list[str]]:
    rows = []
    for line in resource("furigana", name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def test_rule_tables_load() -> None:
    """rules() reads both tables: sequences, 中 words, rendaku words and counters are all there."""
    table = reading_rules.rules()
    assert table.sequences and table.ju_words and table.rendaku and table.counters
    assert "本" in table.counters and "世界" in table.ju_words and table.rendaku["会社"] == "がいしゃ"


def test_every_sequence_row_has_one_reading_per_token() -> None:
    """Each seq row of readings.tsv gives as many readings as it has tokens, each hiragana or *."""
    rows = [row for row in _table_rows("readings.tsv") if row[0] == "seq"]
    assert len(rows) > 20
    for row in rows:
        surfaces, readings = row[1].split("+"), row[2].split("+")
        assert len(surfaces) == len(readings), row
        assert all(r == "*" or _HIRAGANA.fullmatch(r) for r in readings), row


def test_rendaku_and_counter_readings_are_hiragana() -> None:
    """Rendaku readings, counter readings and counter exceptions are hiragana (^ and / only as syntax)."""
    for row in _table_rows("readings.tsv"):
        if row[0] == "rendaku":
            assert _HIRAGANA.fullmatch(row[2]), row
    for row in _table_rows("counters.tsv"):
        assert _HIRAGANA.fullmatch(row[1]), row
        assert row[2] in {"h", "k", "s", "t", "-"}, row
        for item in row[3].split() if len(row) > 3 else ():
            key, _, value = item.partition(":")
            assert re.fullmatch(r"[1-9]|10+|何|=\d+", key), row
            assert all(_HIRAGANA.fullmatch(part) for part in value.lstrip("^").split("/")), row


def test_alternatives_column_holds_plain_hiragana_words() -> None:
    """The alternatives offered in the word popup are whole hiragana words, never '+'-joined parts."""
    for row in _table_rows("readings.tsv"):
        if row[0] == "seq" and len(row) > 3 and row[3].strip():
            assert all(_HIRAGANA.fullmatch(r) for r in row[3].split()), row
    for word, offered in reading_rules.rules().alternatives.items():
        assert all(_HIRAGANA.fullmatch(r) for r in offered), word


def test_every_readings_row_has_a_known_kind() -> None:
    """Every data row of readings.tsv is a seq, ju or rendaku rule (a typo must not be skipped silently)."""
    unknown = [row for row in _table_rows("readings.tsv") if row[0] not in _KNOWN_KINDS]
    assert unknown == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年5月1日(水)に発表", {"水": "すい"}),
        ("5/1（木）の会議", {"木": "もく"}),
        ("12月3日(火)と", {"火": "か"}),
        ("１月５日（金）", {"金": "きん"}),
        ("6月2日［土］", {"土": "ど"}),
        ("3日【日】", {"日": "にち"}),
        ("5月6日(月・祝)", {"月": "げつ", "祝": "しゅく"}),
        ("3日〔土、日〕", {"土": "ど", "日": "にち"}),
        ("2日 (月)", {"月": "げつ"}),
        # Not after a date or a number: the words themselves.
        ("水(みず)を飲む", {"水": "みず"}),
        ("第3回(水)", {"水": "みず"}),
        ("毎週(木)曜", {"木": "き"}),
    ],
)
def test_a_weekday_in_brackets_after_a_date_is_read_as_a_weekday(text: str, expected: dict) -> None:
    """(月) (火) (水) (木) (金) (土) (日) and (祝) after a date or a number, in any bracket style,
    alone or with other days, are read げつ か すい もく きん ど にち しゅく; elsewhere they are words."""
    tokens = {t.start: t for t in furigana.tokenize(text)}
    for surface, reading in expected.items():
        at = text.rindex(surface)  # the one in brackets (or the word itself)
        assert tokens[at].reading == reading, (text, surface)
    # The page shows the same readings.
    for surface, reading in expected.items():
        assert f"<ruby>{surface}<rt>{reading}</rt></ruby>" in furigana_html_of(text)


def furigana_html_of(text: str) -> str:
    from app.core.posts.post import parse_post
    from app.core.posts.render import render_post

    return render_post(parse_post(text.encode("utf-8"))).html


@pytest.mark.parametrize(("text", "expected"), [
    ("何時も元気だ。", [("何時", "いつ")]),
    ("何時でも来て。", [("何", "い"), ("時", "つ")]),
    ("何時の間にか寝た。", [("何", "い"), ("時", "つ"), ("間", "ま")]),
    ("何時に来る？", [("何", "なん"), ("時", "じ")]),  # what time: unchanged
    ("何より大事だ。", [("何", "なに")]),
    ("好い天気だ。", [("好", "い")]),
])
def test_itsu_nani_and_ii_in_context(text, expected):
    spans = furigana.ruby_spans(furigana.tokenize(text))
    assert [(text[s.start : s.end], s.reading) for s in spans][: len(expected)] == expected


@pytest.mark.parametrize(("text", "word", "reading"), [
    ("百俵の米を運ぶ。", "百俵", "ひゃっぴょう"), ("一票差で負けた。", "一票", "いっぴょう"), ("三票足りない。", "三票", "さんびょう"),
    ("百球を投げた。", "百球", "ひゃっきゅう"), ("百貫の重さ。", "百貫", "ひゃっかん"), ("八通の手紙。", "八通", "はっつう"),
    ("六通届いた。", "六通", "ろくつう"),
])
def test_more_counters_change_their_sound(text: str, word: str, reading: str) -> None:
    start = text.index(word)
    spans = [s for s in furigana.ruby_many([text])[0] if start <= s.start < start + len(word)]
    assert "".join(s.reading for s in spans) == reading


@pytest.mark.parametrize(("text", "reading"), [("米を炊く。", "こめ"), ("日本の米", "こめ"), ("米大統領が来日した。", "べい")])
def test_rice_and_america(text: str, reading: str) -> None:
    (span,) = [s for s in furigana.ruby_many([text])[0] if text[s.start:s.end] == "米"]
    assert span.reading == reading
