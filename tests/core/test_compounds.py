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
