"""The literary gold sets (older novels with the author's ruby, issue 15): well formed, split by
work, free of the reserved authors, and scored beside the plain dictionary."""

from __future__ import annotations

import csv
import functools
import importlib.util
import re
import sys
from collections import Counter

import pytest

from app.core.reading.tokens import KANJI_CHARS
from benchmarks import reading_accuracy

BUILD = reading_accuracy.DATA / "build" / "build_literary_gold.py"
FIELDS = ["sentence", "word", "reading", "note", "start", "doc", "sid", "parts"]
KANJI = re.compile(f"[{KANJI_CHARS}]")
# Issue 15's reserved authors (Aozora card directories too: 芥川 879, 漱石 148, 賢治 81, 久作 96,
# 乱歩 1779, 南吉 121, かの子 76).
RESERVED_NAMES = ("芥川", "漱石", "宮沢賢治", "夢野", "乱歩", "新美南吉", "岡本かの子")
RESERVED_CARDS = {"000879", "000148", "000081", "000096", "001779", "000121", "000076"}


def _rows(half: str) -> list[dict]:
    path = reading_accuracy.DATA / reading_accuracy.LITERARY[half]
    if not path.exists():
        pytest.skip("the literary gold sets are not in this checkout")
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t")
        assert reader.fieldnames == FIELDS
        return list(reader)


@functools.cache
def _build_module():
    """benchmarks/data/build/build_literary_gold.py (a script, not a package module)."""
    spec = importlib.util.spec_from_file_location("build_literary_gold", BUILD)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("half", ["dev", "test"])
def test_rows_are_whole_kanji_runs_at_their_offsets(half):
    """Every row parses, names a kanji run where `start` says, as a whole run (no kanji on either
    side), with a hiragana reading in modern kana."""
    rows = _rows(half)
    assert len(rows) >= 1500
    for row in rows:
        assert None not in row and all(row[k] is not None for k in FIELDS), row
        sentence, word, start = row["sentence"], row["word"], int(row["start"])
        assert sentence[start:start + len(word)] == word, row
        assert all(KANJI.match(c) for c in word), row
        assert start == 0 or not KANJI.match(sentence[start - 1]), row
        assert start + len(word) == len(sentence) or not KANJI.match(sentence[start + len(word)]), row
        assert re.fullmatch("[ぁ-ゖー]+", row["reading"]) and not re.search("[ゐゑを]", row["reading"]), row
        assert len(sentence) <= 200 and "※" not in sentence, row
        assert row["note"] in {"single", "compound", "split"}, row
        if row["note"] == "split":
            parts = [p.split("=") for p in row["parts"].split("|")]
            assert "".join(b for b, _ in parts) == word and "".join(r for _, r in parts) == row["reading"], row


def test_split_is_by_work_and_no_reserved_author_appears():
    """No work is on both sides, each side has many works and authors, and none of the reserved
    authors' works (issue 15) is anywhere in either file."""
    dev, test = _rows("dev"), _rows("test")
    dev_docs, test_docs = {r["doc"] for r in dev}, {r["doc"] for r in test}
    assert not dev_docs & test_docs
    dev_works = {r["sid"].split(":")[0] for r in dev}
    test_works = {r["sid"].split(":")[0] for r in test}
    assert not dev_works & test_works
    for docs in (dev_docs, test_docs):
        assert len(docs) >= 20 and len({d.split("/")[0] for d in docs}) >= 10
    for row in dev + test:
        assert not any(name in row["doc"] for name in RESERVED_NAMES), row
        assert row["sid"].split("/")[0] not in RESERVED_CARDS, row
    # No work dominates a side.
    for rows in (dev, test):
        assert max(Counter(r["doc"] for r in rows).values()) <= _build_module().ROWS_PER_WORK


def test_literary_dev_not_worse_than_the_plain_dictionary():
    """Issue 15: on literary text Kakikomi never reads worse than the plain dictionary (dev is the
    guard; the benchmark prints test). The disagreement lists account for the whole difference."""
    figures = reading_accuracy.literary_figures()
    if "dev" not in figures:
        pytest.skip("the literary gold sets are not in this checkout")
    ours, plain = figures["dev"]["kakikomi"], figures["dev"]["plain"]
    assert ours.rows == plain.rows >= 1500
    assert ours.ratio >= plain.ratio
    worse, better = reading_accuracy.disagreements(reading_accuracy.DATA / reading_accuracy.LITERARY["dev"])
    assert len(better) - len(worse) == len(plain.misses) - len(ours.misses)
    for row in worse:
        assert reading_accuracy.is_right(row.plain, row.expected) and not reading_accuracy.is_right(row.ours, row.expected)


def test_build_parses_aozora_ruby():
    """The build script's reading of Aozora's ruby notation: a base is the kanji run before 《
    (never into the previous base) or starts at ｜; notes ［＃…］ are removed."""
    build = _build_module()
    plain, groups = build.parse("疲労｜困憊《こんぱい》の果て、邪智暴虐《じゃちぼうぎゃく》の王［＃「王」に傍点］。")
    assert plain == "疲労困憊の果て、邪智暴虐の王。"
    assert groups == [(2, 4, "こんぱい"), (8, 12, "じゃちぼうぎゃく")]
    plain, groups = build.parse("人生《じんせい》山《やま》を行く")
    assert groups == [(0, 2, "じんせい"), (2, 3, "やま")]
    stats = Counter()
    # A run only partly under ruby is no row; one covered by two groups is a split row.
    assert build.runs("疲労困憊の果て", [(2, 4, "こんぱい")], stats) == []
    assert stats["run: some kanji without ruby"] == 1
    assert build.runs("人生山を行く", [(0, 2, "じんせい"), (2, 3, "やま")], stats) == [
        (0, "人生山", "じんせいやま", "split", "人生=じんせい|山=やま")
    ]


def test_build_readings_leave_out_glosses_and_historical_kana():
    build = _build_module()
    stats = Counter()
    assert build.reading_of("こゝろ", stats) == "こころ"
    assert build.reading_of("つッぱ", stats) == "つっぱ"
    assert build.reading_of("ランプ", stats) is None  # katakana ruby: a foreign word or a gloss
    assert build.reading_of("（やう）", stats) is None  # not kana
    assert build.runs("吾木香が咲く", [(0, 3, "われもかう")], stats) == []
    assert build.runs("蝶が飛ぶ", [(0, 1, "てふ")], stats) == []
    assert stats["run: reading in historical kana (dropped)"] == 2
    # Two words meeting (裸馬 はだか+うま) are not taken for a historical spelling.
    assert build.runs("裸馬に乗る", [(0, 2, "はだかうま")], stats)[0][2] == "はだかうま"
