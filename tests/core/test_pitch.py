"""Tests for app.core.reading.pitch: morae, the pitch of each mora, and the accent types UniDic
(unidic-lite) gives words, in and out of context."""

from __future__ import annotations

import pytest

from app.core.reading.pitch import DOWNSTEP_MARK, Pitch, accent_types, accents, moras, token_accents


@pytest.mark.parametrize(
    ("kana", "expected"),
    [
        ("はし", ("は", "し")),
        ("しゃしん", ("しゃ", "し", "ん")),
        ("きょうと", ("きょ", "う", "と")),
        ("がっこう", ("が", "っ", "こ", "う")),
        ("コーヒー", ("コ", "ー", "ヒ", "ー")),
        ("ファイル", ("ファ", "イ", "ル")),
        ("", ()),
    ],
)
def test_moras(kana, expected):
    """Small kana join the mora before them; っ, ん and ー are morae of their own."""
    assert moras(kana) == expected


@pytest.mark.parametrize(
    ("reading", "downstep", "high", "particle_high", "kind", "marked"),
    [
        ("はし", 0, (False, True), True, "heiban", "はし"),
        ("はし", 1, (True, False), False, "atamadaka", "は" + DOWNSTEP_MARK + "し"),
        ("はし", 2, (False, True), False, "odaka", "はし" + DOWNSTEP_MARK),
        ("たべる", 2, (False, True, False), False, "nakadaka", "たべ" + DOWNSTEP_MARK + "る"),
        ("せんせい", 3, (False, True, True, False), False, "nakadaka", "せんせ" + DOWNSTEP_MARK + "い"),
        ("ひ", 0, (False,), True, "heiban", "ひ"),
        ("ひ", 1, (True,), False, "atamadaka", "ひ" + DOWNSTEP_MARK),
        ("しゃしん", 0, (False, True, True), True, "heiban", "しゃしん"),
    ],
)
def test_pitch_per_mora(reading, downstep, high, particle_high, kind, marked):
    """Tokyo pitch: low then high unless the fall is after the first mora; low after the fall."""
    found = Pitch.of(reading, downstep)
    assert found is not None
    assert found.high == high
    assert found.particle_high is particle_high
    assert found.kind == kind
    assert found.marked() == marked
    data = found.to_json()
    assert data["moras"] == list(found.moras) and data["high"] == list(high) and data["downstep"] == downstep


def test_pitch_of_katakana_is_hiragana_and_bad_input_is_none():
    assert Pitch.of("コーヒー", 3).reading == "こーひー"
    assert Pitch.of("はし", 3) is None  # two morae cannot fall after the third
    assert Pitch.of("はし", -1) is None
    assert Pitch.of("箸", 1) is None  # not kana
    assert Pitch.of("", 0) is None


@pytest.mark.parametrize(("field", "expected"), [("0", (0,)), ("0,1", (0, 1)), ("3,4", (3, 4)), ("*", ()), ("", ()), ("1,x", ())])
def test_accent_types(field, expected):
    assert accent_types(field) == expected


@pytest.mark.parametrize(
    ("word", "reading", "downsteps"),
    [
        ("箸", "はし", (1,)),
        ("橋", "はし", (2,)),
        ("端", "はし", (0,)),
        ("雨", "あめ", (1,)),
        ("飴", "あめ", (0,)),
        ("食べる", "たべる", (2,)),
        ("先生", "せんせい", (3,)),
        ("学校", "がっこう", (0,)),
        ("投資", "とうし", (0, 1)),  # UniDic gives two types, in its order
    ],
)
def test_accents_of_known_words(word, reading, downsteps):
    """What the unidic-lite bundled with the app says of words whose accent is well known."""
    found = accents(word)
    assert [(p.reading, p.downstep) for p in found] == [(reading, d) for d in downsteps]


def test_accents_none_for_a_split_compound_or_another_reading():
    """MeCab cuts 人工知能 in two: no accent rather than two wrong ones; a reading MeCab does not
    give the word has none either."""
    assert accents("人工知能") == []
    assert accents("箸", "あめ") == []
    assert accents("") == []


def test_token_accents_of_conjugated_forms():
    """A conjugated token has its dictionary form's accent, read in kana of the dictionary form."""
    assert [(p.reading, p.downstep) for p in token_accents("食べ", "食べる", "たべ")] == [("たべる", 2)]
    text = "昨日は何も食べなかった。"
    start = text.index("食べ")
    assert [(p.reading, p.downstep) for p in token_accents("食べ", "食べる", "たべ", text=text, start=start)] == [("たべる", 2)]


def test_token_accents_in_context():
    """し of 投資した is する (heiban) in its sentence, though し alone is not a word MeCab reads so."""
    text = "半導体に投資した。"
    start = text.index("し", text.index("投資") + 2)
    found = token_accents("し", "為る", "し", text=text, start=start)
    assert [(p.reading, p.downstep) for p in found] == [("する", 0)]


def test_token_accents_refuse_a_token_read_otherwise():
    """The context reads the token another way than the popup says: no accent, not a wrong one."""
    text = "箸で食べる。"
    assert token_accents("箸", "箸", "あめ", text=text, start=0) == []
    assert [(p.reading, p.downstep) for p in token_accents("箸", "箸", "はし", text=text, start=0)] == [("はし", 1)]
