"""Tests for app.core.reading.homographs: words of several readings read from their neighbours.

Every sentence here was written for these tests. Each homograph the table decides has a sentence
where its rule gives the reading and, for most, one where the other reading must stay.
"""

from __future__ import annotations

import pytest

from app.core.reading import context_model, furigana, homographs
from app.core.reading.tokens import Token
from tests.core.test_furigana import annotate

# (sentence, the word as it must read in it, in 《》 notation)
SENTENCES = [
    ("他の店も見てみよう。", "他《ほか》"),
    ("他に方法はない。", "他《ほか》"),
    ("その他の項目は省略する。", "他《た》"),
    ("他社と提携した。", "他社《たしゃ》"),
    ("あの方が校長先生です。", "方《かた》"),
    ("近所の方に道を聞いた。", "方《かた》"),
    ("こちらの方が安い。", "方《ほう》"),
    ("駅の方へ歩いた。", "方《ほう》"),
    ("火は瞬く間に燃え広がった。", "間《ま》"),
    ("知らぬ間に眠っていた。", "間《ま》"),
    ("二つの駅の間に公園がある。", "間《あいだ》"),
    ("庭の柿の実が赤くなった。", "実《み》"),
    ("長年の努力が実を結んだ。", "実《み》"),
    ("実は昨日、財布を落とした。", "実《じつ》"),
    ("実の兄に相談した。", "実《じつ》"),
    ("転んで額を怪我した。", "額《ひたい》"),
    ("額の汗をタオルで拭いた。", "額《ひたい》"),
    ("請求された額を払った。", "額《がく》"),
    ("机の下に鍵が落ちていた。", "下《した》"),
    ("大きな木の下で休んだ。", "下《した》"),
    ("先生の指導の下で実験を続けた。", "下《もと》"),
    ("厳しい条件の下で実験を続けた。", "下《もと》"),
    ("新米の味は格別だ。", "新米《しんまい》"),
    ("お米を研いでから炊く。", "米《こめ》"),
    ("今年は米がよく実った。", "米《こめ》"),
    ("米大統領が声明を出した。", "米《べい》"),
    ("その数は年々減っている。", "数《かず》"),
    ("星の数ほど店がある。", "数《かず》"),
    ("参加者数が増えた。", "数《すう》"),
    ("二進数で表す。", "数《すう》"),
    ("年の離れた妹がいる。", "年《とし》"),
    ("年を取ると朝が早くなる。", "年《とし》"),
    ("来年の計画を立てる。", "来年《らいねん》"),
    ("年に一度の祭りだ。", "年《ねん》"),
    ("夜が明ける前に出発した。", "夜《よ》"),
    ("夜も更けてきたので帰ろう。", "夜《よ》"),
    ("夜に雨が降った。", "夜《よる》"),
    ("あまりの練習量に音を上げた。", "音《ね》"),
    ("どこからか虫の音が聞こえる。", "音《ね》"),
    ("ドアの閉まる音がした。", "音《おと》"),
    ("ナイル川の源流を訪ねた。", "川《がわ》"),
    ("川で釣りをした。", "川《かわ》"),
    ("メディチ家の宝物を見た。", "家《け》"),
    ("田中家の人々が集まった。", "家《け》"),
    ("家に帰って休む。", "家《いえ》"),
    ("新しい箱に詰め替えた。", "箱《はこ》"),
    ("板が真っ二つに割れた。", "二《ぷた》"),
    ("二つ目の角を曲がる。", "二《ふた》"),
    ("お兄ちゃんと公園に行った。", "兄《にい》"),
    ("兄は医者をしている。", "兄《あに》"),
    ("お姉ちゃんに叱られた。", "姉《ねえ》"),
    ("母ちゃんの味が恋しい。", "母《かあ》"),
    ("母は料理が上手だ。", "母《はは》"),
    ("父ちゃんが迎えに来た。", "父《とう》"),
    ("それは十分にあり得る話だ。", "得《う》"),
    ("考え得る限りの手を打った。", "得《う》"),
    ("上司の許可を得る必要がある。", "許可《きょか》を得《え》"),
    ("多くの支持を得た。", "得《え》"),
    ("彼はビール好きで有名だ。", "好《ず》"),
    ("甘いものが好きだ。", "好《す》"),
    ("あの映画は見るに堪えない。", "堪《た》"),
    ("涙を堪えて笑った。", "堪《こら》"),
    ("素材に拘る店だ。", "拘《こだわ》"),
    ("不安が頭を過る。", "過《よぎ》"),
    ("大きな溜め息を吐いた。", "吐《つ》"),
    ("息を吐いてから吸う。", "吐《は》"),
    ("魚を捌くのが得意だ。", "捌《さば》"),
    ("念願の職に就くことができた。", "就《つ》"),
    ("星が瞬く夜だった。", "瞬《またた》"),
    ("山頂に着くと視界が開けた。", "開《ひら》"),
    ("窓を開けた。", "開《あ》"),
    ("三時頃に電話する。", "頃《ごろ》"),
    ("子供の頃はよく泳いだ。", "頃《ころ》"),
    ("近々伺います。", "近々《ちかぢか》"),
    ("朝から身体が重い。", "身体《からだ》"),
    ("身体検査を受けた。", "身体《しんたい》検査《けんさ》"),
    ("この町から百キロ離れた港。", "百《ひゃっ》"),
    ("十キロ走った。", "十《じゅっ》"),
    ("風邪気味で会社を休んだ。", "気味《ぎみ》"),
    ("気味の悪い話だ。", "気味《きみ》"),
    ("不気味な音がした。", "不《ぶ》気味《きみ》"),
    ("ガラス細工の店に入った。", "細工《ざいく》"),
    ("細工を施した箱。", "細工《さいく》"),
    ("注意深く観察した。", "深《ぶか》"),
    ("この川は深い。", "深《ふか》"),
    ("彼は義理堅い人だ。", "堅《がた》"),
    ("堅い木の実。", "堅《かた》"),
    ("分別のある大人になりたい。", "分別《ふんべつ》"),
    ("ゴミの分別を徹底する。", "分別《ぶんべつ》"),
    ("神社のご利益がある。", "利益《りやく》"),
    ("会社の利益が増えた。", "利益《りえき》"),
    ("目下のところ問題はない。", "目下《もっか》"),
    ("目下の者に優しい。", "目下《めした》"),
    ("大勢に影響はない。", "大勢《たいせい》"),
    ("大勢の人が集まった。", "大勢《おおぜい》"),
    ("床に就いた。", "床《とこ》"),
    ("床を掃除した。", "床《ゆか》"),
    ("ドアが開いた。", "開《あ》"),
    ("会議を開いた。", "開《ひら》"),
    ("赤ちゃんを抱いた。", "抱《だ》"),
    ("将来に夢を抱く。", "抱《いだ》"),
    ("損害を被った。", "被《こうむ》"),
    ("帽子を被った。", "被《かぶ》"),
    ("水を弾く素材。", "弾《はじ》"),
    ("ピアノを弾く。", "弾《ひ》"),
    ("家名を汚す。", "汚《けが》"),
    ("服を汚す。", "汚《よご》"),
    ("大人気ない態度だ。", "大《おと》人気《なげ》"),
    ("大人気の店だ。", "大《だい》人気《にんき》"),
    ("何気ない一言。", "何《なに》気《げ》"),
    ("この間、友達と会った。", "間《あいだ》"),
    ("心中を察する。", "心中《しんちゅう》"),
    ("一家心中を図った。", "心中《しんじゅう》"),
    ("職人気質の父。", "気質《かたぎ》"),
    ("穏やかな気質の犬。", "気質《きしつ》"),
    ("市場で野菜を買った。", "市場《いちば》"),
    ("株式市場が混乱した。", "市場《しじょう》"),
    ("辛いカレーが好きだ。", "辛《から》"),
    ("このラーメンは辛い。", "辛《から》"),
    ("辛い思いをした。", "辛《つら》"),
    ("タバコを止めた。", "止《や》"),
    ("車を止めた。", "止《と》"),
    ("今日では誰でも使える。", "今日《こんにち》"),
    ("今日に至るまで続いている。", "今日《こんにち》"),
    ("今日は雨だ。", "今日《きょう》"),
    ("電車を待つ間に本を読んだ。", "間《あいだ》"),
    ("寝ている間に雪が積もった。", "間《あいだ》"),
    ("店の入り口に休業中の札を下げた。", "札《ふだ》"),
    ("財布から千円札を出した。", "札《さつ》"),
    ("空の瓶を洗って捨てた。", "空《から》"),
    ("空の色が変わった。", "空《そら》"),
    ("金の価格が上がった。", "金《きん》"),
    ("金の貸し借りはしない。", "金《かね》"),
    ("お土産に最中を買った。", "最中《もなか》"),
    ("食事の最中に電話が鳴った。", "最中《さいちゅう》"),
    ("北から寒気が流れ込む。", "寒気《かんき》"),
    ("大家さんに家賃を払った。", "大家《おおや》"),
    ("彼は書道の大家として知られる。", "大家《たいか》"),
    ("サイン色紙をもらった。", "色紙《しきし》"),
    ("色紙で鶴を折った。", "色紙《いろがみ》"),
    ("朝の電車が空いていた。", "空《す》"),
    ("隣の席が空いた。", "空《あ》"),
    ("体中が痛い。", "体《からだ》中《じゅう》"),
    ("金がないので外食は控える。", "金《かね》"),
    ("彼の下で働いた。", "下《もと》"),
    ("恩師の下で修業した。", "下《もと》"),
    ("空のペットボトルを捨てた。", "空《から》"),
    ("十年の差は大きい。", "年《ねん》"),
    ("国が補助金を出す。", "補助《ほじょ》金《きん》"),
    ("冷蔵の生物ですので、すぐにお持ち帰りください。", "生物《なまもの》"),
    ("深海の生物を調べる。", "生物《せいぶつ》"),
    ("レジ袋を断った。", "袋《ぶくろ》"),
    ("袋に入れた。", "袋《ふくろ》"),
    ("お節料理を作る。", "節《せち》"),
    ("竹の節を数えた。", "節《ふし》"),
    ("飴を一袋もらった。", "一《ひと》袋《ふくろ》"),
    ("身を粉にして働いた。", "粉《こ》"),
    ("小麦粉をふるった。", "小麦《こむぎ》粉《こ》"),
    ("粉を練った。", "粉《こな》"),
    ("間が悪いことに雨が降った。", "間《ま》"),
    ("素で驚いた。", "素《す》"),
    ("スープの素を買った。", "素《もと》"),
    ("端から見れば簡単だ。", "端《はた》"),
    ("端に寄せた。", "端《はし》"),
    ("過去に類を見ない規模だ。", "類《るい》"),
    ("類は友を呼ぶ。", "類《るい》"),
    ("旅先で羽を伸ばした。", "羽《はね》"),
    ("そんな話は聞いた例がない。", "例《ためし》"),
    ("例を挙げる。", "例《れい》"),
    ("腸が煮えくり返る思いだ。", "腸《はらわた》"),
    ("寝惚けて転んだ。", "寝惚《ねぼ》"),
    ("相手の上手を行く作戦だ。", "上手《うわて》"),
    ("料理が上手だ。", "上手《じょうず》"),
    ("鉢に土を入れる。", "鉢《はち》"),
    ("植木鉢を買った。", "鉢《ばち》"),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_homograph_reads_as_its_context_says(text: str, expected: str) -> None:
    assert expected in annotate(text)


def test_every_word_of_the_table_is_tested() -> None:
    """A rule nobody tests is a rule nobody knows works: each word of the table has a sentence."""
    tested = "".join(expected for _text, expected in SENTENCES)
    untested = [word for word in homographs.table().rules if f"{word[-1]}《" not in tested]
    assert untested == []


def test_the_same_reading_in_every_path() -> None:
    """Ruby for a render (ruby_many) and the word list (token_entries) read the homograph alike,
    and the dictionary's reading stays on offer as an alternative."""
    text = "他の店も見た。赤ちゃんを抱いた。"
    spans = furigana.ruby_many([text])[0]
    assert spans == furigana.ruby_spans(furigana.tokenize(text))
    entries = {e.surface: e for e in furigana.token_entries(text)}
    assert entries["他"].reading == "ほか" and "た" in entries["他"].alternatives
    assert entries["抱い"].reading == "だい" and "いだい" in entries["抱い"].alternatives


def test_the_readers_own_reading_wins() -> None:
    text = "他の店も見た。"
    spans = furigana.ruby_spans(furigana.tokenize(text))
    assert [s.reading for s in spans if s.start == 0] == ["ほか"]
    mine = furigana.apply_overrides(text, spans, [furigana.ReadingOverride("他", "た")])
    assert [s.reading for s in mine if s.start == 0] == ["た"]
    assert furigana.with_readings(text, 0, 2, [furigana.ReadingOverride("他", "た")]) == "他《た》の"


# --- the mechanism, on tokens made by hand -------------------------------------------------

def tokens(*parts: tuple[str, str, str | None], gap_after: int | None = None) -> list[Token]:
    """Tokens (surface, pos, reading) laid end to end; a space after token `gap_after`."""
    out: list[Token] = []
    at = 0
    for k, (surface, pos, reading) in enumerate(parts):
        out.append(Token(surface, at, at + len(surface), pos, surface, reading))
        at += len(surface) + (1 if k == gap_after else 0)
    return out


def read(table_text: str, toks: list[Token], monkeypatch) -> list[str | None]:
    """The readings of `toks` after the rules of `table_text` alone (no trained model)."""
    monkeypatch.setattr(homographs, "table", lambda: homographs.parse(table_text.splitlines()))
    monkeypatch.setattr(homographs, "_model", context_model.EMPTY)
    homographs.apply(toks)
    return [t.reading for t in toks]


NOUN, PARTICLE, VERB = "名詞-普通名詞-一般", "助詞-格助詞", "動詞-一般"


def test_first_matching_rule_decides_and_okurigana_stay(monkeypatch) -> None:
    table = "得\tう\tform=得る prevpos=動詞\n得\tえ\tform=得る prevpos=助詞\n"
    after_verb = tokens(("あり", VERB, "あり"), ("得る", VERB, "える"))
    assert read(table, after_verb, monkeypatch)[1] == "うる"
    after_particle = tokens(("を", PARTICLE, "を"), ("得る", VERB, "うる"))
    assert read(table, after_particle, monkeypatch)[1] == "える"
    other_form = tokens(("あり", VERB, "あり"), ("得", VERB, "え"), ("た", "助動詞", "た"))
    assert read(table, other_form, monkeypatch)[1] == "え"


def test_negation_start_and_katakana(monkeypatch) -> None:
    table = "箱\tはこ\tprevpos!=名詞\n川\tがわ\tprev=*kana\n"
    assert read(table, tokens(("箱", NOUN, "ばこ"), ("に", PARTICLE, "に")), monkeypatch)[0] == "はこ"
    assert read(table, tokens(("ゴミ", NOUN, "ごみ"), ("箱", NOUN, "ばこ")), monkeypatch)[1] == "ばこ"
    assert read(table, tokens(("ナイル", NOUN, "ないる"), ("川", NOUN, "かわ")), monkeypatch)[1] == "がわ"
    assert read(table, tokens(("小", NOUN, "お"), ("川", NOUN, "かわ")), monkeypatch)[1] == "かわ"


def test_a_space_cuts_the_context(monkeypatch) -> None:
    table = "他\tほか\tnext=の\n"
    assert read(table, tokens(("他", NOUN, "た"), ("の", PARTICLE, "の")), monkeypatch)[0] == "ほか"
    assert read(table, tokens(("他", NOUN, "た"), ("の", PARTICLE, "の"), gap_after=0), monkeypatch)[0] == "た"


def test_a_reading_another_rule_chose_is_left_alone(monkeypatch) -> None:
    toks = tokens(("他", NOUN, "た"), ("の", PARTICLE, "の"))
    toks[0].reading = "よそ"  # changed by an earlier stage
    assert read("他\tほか\tnext=の\n", toks, monkeypatch)[0] == "よそ"


@pytest.mark.parametrize(
    "line",
    [
        "他\tほか",  # no conditions column
        "他\tほか\t",  # an empty condition list
        "他\tホカ\tnext=の",  # katakana reading
        "ほか\tほか\tnext=の",  # no kanji in the word
        "他\tほか\tnear=の",  # unknown field
        "他\tほか\tnext",  # no value
    ],
)
def test_a_bad_line_is_refused(line: str) -> None:
    with pytest.raises(ValueError, match="homographs.tsv line 1"):
        homographs.parse([line])


def test_guards_name_the_neighbours_every_rule_needs() -> None:
    table = homographs.parse(["年\tとし\tnext=の next2=差", "年\tとし\tnext=を|が prev!=毎", "下\tした\tprev=の", "下\tもと\tpos=名詞"])
    assert table.guards["年"] == (None, frozenset({"の", "を", "が"}))
    assert table.guards["下"] == (None, None)  # the second rule asks nothing of its neighbours


def test_guards_only_save_time(monkeypatch) -> None:
    """Ruby with the guards (the render's path) is ruby with every word's rules tried."""
    with_guards = [furigana.ruby_many([text])[0] for text, _expected in SENTENCES]

    def every_token(tokens, with_kanji):
        homographs.apply(tokens, with_kanji)

    monkeypatch.setattr(furigana, "_read_homographs", every_token)
    assert [furigana.ruby_many([text])[0] for text, _expected in SENTENCES] == with_guards


def test_the_shipped_table_loads() -> None:
    table = homographs.table()
    assert {"他", "得", "下", "額"} <= set(table.rules)
    assert all(word[0] in table.first_chars for word in table.rules)
