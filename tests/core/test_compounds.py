"""The dictionary stage of readings (app/core/reading/compounds.py): compounds MeCab split."""

from __future__ import annotations

import pytest

from app.core.reading import compounds, furigana
from app.core.reading.dictionary import Dictionary
from benchmarks.reading_accuracy import shown_reading

pytestmark = pytest.mark.skipif(Dictionary.open() is None, reason="the dictionary file is built by `make` (make dictionary)")


def ruby(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.reading) for s in furigana.ruby_spans(furigana.tokenize(text))]


@pytest.mark.parametrize(("text", "word", "reading"), [
    ("割引率が上がった。", "割引率", "わりびきりつ"),  # MeCab: 割|引率 わり|いんそつ
    ("三日月が見える。", "三日月", "みかづき"),
    ("手提げ袋に入れる。", "手提げ袋", "てさげぶくろ"),
    ("珈琲を飲む。", "珈琲", "こーひー"),  # a loanword keeps its long vowel, as the dictionary writes it
])
def test_compounds_read_as_the_dictionary_reads_them(text: str, word: str, reading: str) -> None:
    assert shown_reading(text, word) == reading


@pytest.mark.parametrize(("text", "expected"), [
    ("日本海側は雪が多い。", [("日本", "にほん"), ("海", "かい"), ("側", "がわ")]),  # nothing starts inside 日本海
    ("3月末に払う。", [("月", "がつ"), ("末", "まつ")]),  # after a number, a counter: not 月末 げつまつ
    ("餃子を焼く。", [("餃子", "ぎょうざ")]),  # spelled out when the dictionary also has it so
    ("貴い命を守る。", [("貴", "とうと")]),  # a phrase (adjective + noun) is not a compound
])
def test_what_the_dictionary_must_not_change(text: str, expected: list) -> None:
    assert ruby(text)[: len(expected)] == expected


def test_context_rules_win_over_the_dictionary(monkeypatch) -> None:
    """A token a context rule read is left alone, whatever the dictionary says."""
    text = "一日中働いた。"
    assert ruby(text)[:3] == [("一", "いち"), ("日", "にち"), ("中", "じゅう")]


def test_without_the_dictionary_nothing_changes(monkeypatch) -> None:
    compounds.forget()
    monkeypatch.setattr(compounds, "_dictionary", lambda: None)
    assert ("引率", "いんそつ") in ruby("割引率が上がった。")
    monkeypatch.undo()
    compounds.forget()


# --- a word read as one token: the reading with more standing in JMdict -------------------------

@pytest.mark.parametrize(("text", "word", "reading"), [
    ("赤ん坊用の玩具が多い。", "玩具", "おもちゃ"),  # MeCab: がんぐ, which JMdict gives no priority tag
    ("昼飯はまだですか。", "昼飯", "ひるめし"),  # MeCab: ちゅうはん
    ("泥濘で滑った。", "泥濘", "ぬかるみ"),  # no tags at all: JMdict's first reading, MeCab's でいねい is not
    ("崖の上から下界を見下ろす。", "下界", "げかい"),  # MeCab: かかい, another entry without tags
    ("急遽賓客を迎えた。", "賓客", "ひんきゃく"),  # an adverb before it makes no compound
])
def test_a_word_takes_the_reading_with_more_standing(text: str, word: str, reading: str) -> None:
    assert shown_reading(text, word) == reading


@pytest.mark.parametrize(("text", "word", "reading"), [
    ("旅館の女将さんが案内した。", "女将", "おかみ"),  # じょしょう has the tag, but is not the entry's first
    ("早急に直します。", "早急", "さっきゅう"),  # the project's table reads it (readings.tsv)
    ("業績を上方修正した。", "上方", "じょうほう"),  # inside a longer compound MeCab read it for 修正
    ("この3日間は雨だった。", "3日間", "3かかん"),  # a counter after a number: the counter rules read it
    ("二十日に会う。", "二十日", "はつか"),  # a numeral's reading is its own
    ("頭の中では波形のことばかり考えていた。", "波形", "はけい"),  # a sense of its own (waveform)
    ("宝物を探す。", "宝物", "ほうもつ"),  # MeCab's ほうもつ has a tag (ichi1) too: MeCab's stays
])
def test_a_word_keeps_its_reading(text: str, word: str, reading: str) -> None:
    assert shown_reading(text, word) == reading


# --- compounds with kana inside, and runs shared by their kanji --------------------------------

@pytest.mark.parametrize(("text", "word", "reading"), [
    ("四つ葉のクローバーを見つけた。", "四つ葉", "よつば"),  # the counting rule (よっつ) gives way
    ("減らず口を叩く。", "減らず口", "へらずぐち"),
    ("帆掛け船が進む。", "帆掛け船", "ほかけぶね"),
    ("修羅場となった。", "修羅場", "しゅらば"),  # MeCab's しゅらじょう is a reading JMdict marks irregular
    ("逆境に見えるが五分五分だ。", "五分五分", "ごぶごぶ"),  # shared by the kanji's readings: ご|ぶ|ご|ぶ
    ("一宿一飯の恩義がある。", "一宿一飯", "いっしゅくいっぱん"),  # いっ, しゅく, いっ, ぱん
    ("二重瞼の彼が歌う。", "二重瞼", "ふたえまぶた"),
    ("頑固者で困る。", "頑固者", "がんこもの"),  # a na-adjective's stem joins its suffix
    ("拉麺を食べる。", "拉麺", "らーめん"),  # 拉 is no verb without okurigana
    ("原因を深掘りする。", "深掘り", "ふかぼり"),  # 深 is no adjective without okurigana either
])
def test_compounds_the_dictionary_reads(text: str, word: str, reading: str) -> None:
    assert shown_reading(text, word) == reading


def test_a_date_is_read_by_the_counter_rules() -> None:
    """十月十日 is also JMdict's とつきとおか (a pregnancy's length): as a date, the rules read it."""
    assert shown_reading("十月十日は祝日だった。", "十月十日") == "じゅうがつとおか"


def test_ruby_of_a_shared_run_stays_on_each_token() -> None:
    """The reading is shared out token by token, okurigana bare: 四:よ, つ, 葉:ば."""
    assert ruby("四つ葉のクローバー")[:2] == [("四", "よ"), ("葉", "ば")]


@pytest.mark.parametrize(("reading", "parts", "owns", "expected"), [
    ("ごぶごぶ", ["五", "分", "五", "分"], ["ご", "ふん", "ご", "ふん"], ["ご", "ぶ", "ご", "ぶ"]),
    ("ごじっぽひゃっぽ", ["五十", "歩", "百", "歩"], ["ごじゅう", "ほ", "ひゃく", "ほ"], ["ごじっ", "ぽ", "ひゃっ", "ぽ"]),
    ("いくじな", ["意気", "地", "無"], ["いき", "ち", "な"], ["いく", "じ", "な"]),  # one part takes the rest
    ("あいうえお", ["一", "二"], ["いち", "に"], None),  # nothing fits: no guess
])
def test_share_by_kanji(reading: str, parts: list, owns: list, expected) -> None:
    assert compounds._share_by_kanji(reading, parts, owns) == expected


def test_the_light_reader_agrees_with_the_dictionary() -> None:
    """The stage reads JMdict's entry rows itself (no Dictionary module on a page's first render):
    its readings, ranks and entries are Dictionary.readings' own."""
    dictionary = Dictionary.open()
    for form in ("修羅場", "玩具", "河岸", "女将", "故郷", "一人", "餃子", "珈琲", "明日", "頭数", "生物", "施行"):
        assert compounds._readings(form) == tuple(dictionary.readings(form)), form


# --- rendaku: the second part of a split compound ----------------------------------------------

@pytest.mark.parametrize(("text", "word", "reading"), [
    ("山で人食い熊が出た。", "人食い熊", "ひとくいぐま"),  # UniDic has 熊 グマ: voiced after a noun
    ("ゴム鉄砲で遊んだ。", "ゴム鉄砲", "ごむでっぽう"),  # a Sino-Japanese noun after a loanword
    ("流し斬りを決めた。", "流し斬り", "ながしぎり"),  # a verb's noun after another verb's noun
    ("宝くじで大金持ちになった。", "大金持ち", "おおがねもち"),  # JMdict lists the voiced reading first
    ("この鞄は使い勝手が良い。", "使い勝手", "つかいがって"),
])
def test_second_parts_voice(text: str, word: str, reading: str) -> None:
    assert shown_reading(text, word) == reading


@pytest.mark.parametrize(("text", "word", "reading"), [
    ("料金はチップ込みです。", "チップ込み", "ちっぷこみ"),  # a verb's noun after a plain noun
    ("週末はバス釣りに行く。", "バス釣り", "ばすつり"),
    ("夜は帳簿付けをする。", "帳簿付け", "ちょうぼつけ"),
    ("彼は満足気に笑った。", "満足気", "まんぞくき"),  # Sino-Japanese after Sino-Japanese: no
    ("キャンプ中に雨が降った。", "キャンプ中", "きゃんぷちゅう"),  # a Sino-Japanese suffix: no
    ("意識高い系の人だ。", "意識高い", "いしきたかい"),  # an adjective after a noun is a phrase
    ("ピーヒャラ笛を吹く。", "笛", "ふえ"),  # nothing known before it
    ("渡り鳥が来た。", "渡り鳥", "わたりどり"),  # MeCab's own reading stays
    ("焼き鳥を食べた。", "焼き鳥", "やきとり"),
])
def test_what_must_not_voice(text: str, word: str, reading: str) -> None:
    assert shown_reading(text, word) == reading


def test_unidic_entries_of_a_word() -> None:
    """UniDic's entries of a surface come with their word origin: the evidence for rendaku."""
    assert ("グマ", "名詞-普通名詞-一般", "和") in compounds._entries("熊")
    assert compounds._voiced("熊", "クマ", "名詞-普通名詞-一般", ("人食い", "ヒトクイ", "名詞-普通名詞-一般")) == "ぐま"
    assert compounds._voiced("窓", "マド", "名詞-普通名詞-一般", ("ガラス", "ガラス", "名詞-普通名詞-一般")) == ""  # ま never voices
    # Lyman's law comes with the data: 傷 (キズ) has a voiced sound already, and no ギズ entry.
    assert compounds._voiced("傷", "キズ", "名詞-普通名詞-一般", ("切り", "キリ", "名詞-普通名詞-一般")) == ""


@pytest.mark.parametrize(("text", "word", "reading"), [
    ("犯人をしょっ引けるのは僕だ。", "しょっ引ける", "しょっぴける"),  # a lone っ before a verb: p
    ("あっ本が落ちた。", "本", "ほん"),  # after an interjection's っ a new word starts
    ("えっ本当？", "本当", "ほんとう"),
])
def test_after_a_small_tsu(text: str, word: str, reading: str) -> None:
    assert shown_reading(text, word) == reading


# --- the look-ups: only the stretches on token boundaries, entries parsed once ----------------

def _old_headwords(tokens, candidates, limit):
    """What the stage found before it looked up stretches alone: every prefix of each window
    through the forms' connection (Forms.forms_at), then the longest on a later token's end."""
    import bisect

    from app.core.reading.dictionary_file import open_forms

    ends, text = tokens.ends, tokens.text
    lengths = open_forms().forms_at([text[start : start + limit] for _i, start in candidates], min_length=2, max_length=limit)
    out = []
    for i, start in candidates:
        for length in lengths[text[start : start + limit]]:
            j = bisect.bisect_left(ends, start + length)
            if j < len(ends) and ends[j] == start + length and j > i:
                out.append((i, start, j))
                break
    return out


def test_headwords_are_the_longest_forms_ending_on_a_token() -> None:
    """From every token of a few paragraphs (the stage asks only where a compound may start), the
    stretches found are those probing every prefix of the text found, the first time (look-ups)
    and the next (remembered)."""
    from app.core.common.paths import sample_post_path
    from app.core.posts.post import load_post

    texts = [p for p in load_post(sample_post_path()).body.split("\n\n") if p.strip()][:40]
    texts += ["割引率が上がった。四つ葉のクローバー、日本海側は雪。", "お守りをぎゅうぎゅう詰めにした株式会社"]
    limit = min(compounds._MAX_FORM, compounds._dictionary().max_form_length)
    compounds.forget()
    found = 0
    for round_ in range(2):
        for text in texts:
            tokens, _with_kanji = furigana._analyse(text, False)
            starts = [(i, tokens.ends[i] - len(tokens.rows[i][1])) for i in range(len(tokens.rows))]
            got = compounds._headwords(starts, tokens.ends, tokens.text, limit)
            assert got == _old_headwords(tokens, starts, limit), (round_, text)
            found += len(got)
    assert found > 50


def test_the_light_reader_agrees_with_the_dictionary_in_bulk() -> None:
    """A few hundred forms across the file, fetched in one query (`_prefetch`), each entry's row
    parsed once (`_entry_row`): Dictionary.readings' readings, ranks and entries, form by form."""
    dictionary = Dictionary.open()
    db = compounds._light()[0]
    forms = [row[0] for k, row in enumerate(db.execute("SELECT DISTINCT text FROM kanji_form")) if k % 701 == 0]
    assert len(forms) > 200
    compounds.forget()
    compounds._prefetch(forms)
    for form in forms:
        assert compounds._readings(form) == tuple(dictionary.readings(form)), form


# --- set phrases: the dictionary's expressions, found whole or inflected ---------------------------

@pytest.mark.parametrize(("text", "word", "reading"), [
    ("彼は虎穴に入らずんば虎子を得ずと言った。", "入", "い"),  # MeCab: はい
    ("蛇の道は蛇と言うだろう。", "蛇", "じゃ"),  # the first 蛇; MeCab: へび
    ("今まで通りに進める。", "通", "どお"),  # MeCab: とお
    ("氏より育ちと言う。", "氏", "うじ"),  # MeCab: し
    ("茨の道を行く。", "茨", "いばら"),  # a phrase of three characters, an idiom in JMdict
    ("それも宜なるかな。", "宜", "むべ"),
    ("この仕事は私の性に合っている。", "性", "しょう"),  # 性に合う, inflected
    ("突拍子もなく笑い出した。", "突拍子", "とっぴょうし"),  # 突拍子もない, inflected
])
def test_set_phrases_read_as_the_dictionary_reads_them(text: str, word: str, reading: str) -> None:
    assert shown_reading(text, word) == reading


@pytest.mark.parametrize(("text", "word", "reading"), [
    ("暦上では春だ。", "上", "じょう"),  # 上では is a phrase, but here 上 ends the word 暦上
    ("皮を剝ぎ取る。", "剝", "は"),  # 皮を剝く inflected would start so: the verb here is 剝ぐ
    ("次のどちらかを行ってください。", "行", "おこな"),  # not 行ってくる: the verb is 下さる
    ("心に刻み込む。", "込", "こ"),  # 心に刻む's verb is 刻む, not 刻み込む
    ("茨が生えている。", "生", "は"),  # no phrase: MeCab's readings stay
])
def test_what_a_phrase_must_not_change(text: str, word: str, reading: str) -> None:
    assert shown_reading(text, word) == reading


def test_phrase_readings_stay_kana() -> None:
    """Every ruby over a sentence with phrases is kana: the inflected end is spelled from the text."""
    for text in ("心に刻み込む。", "この仕事は性に合わない。", "突拍子もなかった。"):
        for span in furigana.ruby_spans(furigana.tokenize(text)):
            assert not furigana.KANJI_RE.search(span.reading), (text, span)


def test_a_file_without_the_phrase_table_reads_no_phrases(monkeypatch, tmp_path) -> None:
    import sqlite3

    db = sqlite3.connect(tmp_path / "old.sqlite3", check_same_thread=False)
    db.execute("CREATE TABLE kanji_form (text TEXT, entry INTEGER)")
    compounds.forget()
    monkeypatch.setattr(compounds, "_light", lambda: (db, frozenset()))
    compounds._heads(["虎穴に"])
    assert compounds._PHRASES["虎穴に"] == () and "虎穴に" not in compounds._STARTS_PHRASE
    monkeypatch.undo()
    compounds.forget()
    compounds._heads(["虎穴に", "虎穴は"])
    assert "虎穴に" in compounds._STARTS_PHRASE and compounds._PHRASES["虎穴は"] == ()
    assert "虎穴に入らずんば虎子を得ず" in {form for form, _stem in compounds._phrases("虎穴に")}
