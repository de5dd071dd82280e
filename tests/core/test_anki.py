"""Tests for app.core.library.anki: cards, Anki's plain-text import file (as Anki's manual
describes its header lines) and the .apkg deck package (a zip holding a collection database)."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import zipfile

import pytest

from app.core.library import anki
from app.core.library.anki import AnkiCard, AnkiExportError, card_for, sentence_around, sentence_html, text_file, write_deck
from app.core.reading.dictionary import dictionary_path

HAS_DICTIONARY = dictionary_path().is_file() or bool(os.environ.get("CI"))
needs_dictionary = pytest.mark.skipif(not HAS_DICTIONARY, reason="no dictionary file: make dictionary")

HOSTILE = 'AI & <script>alert("x")</script>\tnew\nline'


def cards() -> list[AnkiCard]:
    return [
        AnkiCard(
            word="投資", reading="とうし", sentence="半導体への投資が増えた。", word_start=5, word_end=7,
            ruby=((0, 3, "はんどうたい"), (5, 7, "とうし"), (8, 9, "ふ")), meanings=("investment",),
            pitch=("とうし [0]", "とꜜうし [1]"), title=HOSTILE, link="https://example.com/post?a=1&b=2",
            tags=("ai chips", "money"),
        ),
        AnkiCard(word="食べる", reading="たべる", sentence="何も食べなかった。", word_start=2, word_end=4,
                 meanings=("to eat", "to live on"), title="t", link="/home/me/posts/a.md"),
        AnkiCard(word="投資", reading="とうし", sentence="もう一度投資した。", word_start=4, word_end=6),  # same note
    ]


def test_sentence_html_marks_the_word_and_escapes_the_text():
    html = sentence_html("a<b>に投資した", [(5, 7, "とうし")], 5, 9)
    assert html == "a&lt;b&gt;に<b><ruby>投資<rt>とうし</rt></ruby>した</b>"
    # A word inside a ruby run bolds the run whole; overlapping or out-of-range runs are dropped.
    assert sentence_html("投資家", [(0, 3, "とうしか"), (1, 2, "x"), (2, 9, "y")], 0, 2) == "<b><ruby>投資家<rt>とうしか</rt></ruby></b>"
    assert sentence_html("", [], 0, 0) == ""


def test_sentence_around():
    text = "一文目。二文目の投資！\n三行目"
    start = text.index("投資")
    lo, hi = sentence_around(text, start, start + 2)
    assert text[lo:hi] == "二文目の投資！"
    lo, hi = sentence_around(text, text.index("三"), text.index("三") + 1)
    assert text[lo:hi] == "三行目"


def parse_text_file(content: str) -> tuple[dict[str, str], list[list[str]]]:
    """Anki's reading of the file: `#key:value` header lines at the top, then tab-separated rows."""
    headers, rows = {}, []
    lines = content.split("\n")
    assert lines[-1] == ""  # ends with a line break
    body_start = 0
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            body_start = i
            break
        key, sep, value = line[1:].partition(":")
        assert sep, line
        headers[key] = value
    rows = list(csv.reader(io.StringIO("\n".join(lines[body_start:])), delimiter="\t", quotechar='"'))
    return headers, rows


def test_text_file_follows_ankis_header_format():
    headers, rows = parse_text_file(text_file(cards(), deck="Japanese::Kakikomi"))
    assert headers["separator"] == "tab" and headers["html"] == "true"
    assert headers["notetype"] == anki.NOTE_TYPE and headers["deck"] == "Japanese::Kakikomi"
    columns = headers["columns"].split("\t")
    assert columns == [*anki.FIELDS, "Tags", "GUID"]
    tags_column, guid_column = int(headers["tags column"]), int(headers["guid column"])
    assert columns[tags_column - 1] == "Tags" and columns[guid_column - 1] == "GUID"
    assert len(rows) == 2  # the second 投資 is the same note
    assert all(len(row) == len(columns) for row in rows)
    word = dict(zip(columns, rows[0]))
    assert word["Word"] == "投資" and word["Reading"] == "とうし"
    assert word["Sentence"] == "<ruby>半導体<rt>はんどうたい</rt></ruby>への<b><ruby>投資<rt>とうし</rt></ruby></b>が<ruby>増<rt>ふ</rt></ruby>えた。"
    assert word["Post"] == "AI &amp; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; new<br>line"
    assert word["Link"] == '<a href="https://example.com/post?a=1&amp;b=2">https://example.com/post?a=1&amp;b=2</a>'
    assert word["Tags"].split() == ["kakikomi", "ai_chips", "money"]
    assert word["GUID"] == cards()[0].guid
    assert dict(zip(columns, rows[1]))["Link"] == "/home/me/posts/a.md"  # not a web address: text
    assert dict(zip(columns, rows[1]))["Meaning"] == "to eat<br>to live on"


def test_text_file_header_values_cannot_break_lines():
    headers, rows = parse_text_file(text_file(cards()[:1], deck="a\nb\tc"))
    assert headers["deck"] == "a b c" and len(rows) == 1
    assert parse_text_file(text_file([], deck=""))[0]["deck"] == anki.DEFAULT_DECK


def read_apkg(path) -> list[tuple]:
    with zipfile.ZipFile(path) as package:
        assert "collection.anki2" in package.namelist()
        data = package.read("collection.anki2")
    db_path = str(path) + ".anki2"
    with open(db_path, "wb") as out:
        out.write(data)
    db = sqlite3.connect(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        models = db.execute("SELECT models FROM col").fetchone()[0]
        assert anki.NOTE_TYPE in models
        notes = db.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
        assert db.execute("SELECT count(*) FROM cards").fetchone()[0] == len(notes)
        return notes
    finally:
        db.close()


def test_apkg_is_a_collection_with_the_notes(tmp_path):
    target = write_deck(tmp_path / "deck.apkg", cards(), deck="Kakikomi")
    notes = read_apkg(target)
    assert len(notes) == 2
    guid, fields, tags = notes[0]
    assert fields.split("\x1f") == cards()[0].fields()
    assert len(fields.split("\x1f")) == len(anki.FIELDS)
    assert tags.split() == ["kakikomi", "ai_chips", "money"]
    assert guid == cards()[0].guid


def test_reexport_keeps_note_ids(tmp_path):
    """The same word exported again has the same guid (Anki updates the note, adds none)."""
    first = read_apkg(write_deck(tmp_path / "one.apkg", cards()))
    again = read_apkg(write_deck(tmp_path / "two.apkg", list(reversed(cards()))))
    assert {g for g, _f, _t in first} == {g for g, _f, _t in again}
    _headers, rows = parse_text_file(text_file(cards()))
    assert {row[-1] for row in rows} == {g for g, _f, _t in first}
    # Different readings of one spelling are different notes.
    assert AnkiCard("辛い", "からい").guid != AnkiCard("辛い", "つらい").guid


def test_write_deck_is_atomic_and_refuses_other_names(tmp_path):
    target = tmp_path / "deck.txt"
    target.write_text("old", encoding="utf-8")
    write_deck(target, cards())
    assert target.read_text(encoding="utf-8").startswith("#separator:tab\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.txt"]  # no temporary file left
    with pytest.raises(AnkiExportError, match=r"\.apkg or \.txt"):
        write_deck(tmp_path / "deck.csv", cards())
    with pytest.raises(AnkiExportError, match="Cannot write"):
        write_deck(tmp_path / "missing" / "deck.apkg", cards())


@needs_dictionary
def test_card_for_a_word_of_a_post():
    text = "# 見出し\n半導体への投資が増えた。人工知能の開発に投資した。"
    start = text.index("投資")
    card = card_for(text, start, start + 2, lemma="投資", reading="とうし", title="AI", link="https://e.x/p")
    assert card.sentence == "半導体への投資が増えた。"
    assert card.sentence[card.word_start : card.word_end] == "投資"
    assert card.word == "投資" and card.reading == "とうし"
    assert card.meanings[0].startswith("investment")
    assert card.pitch == ("とうし [0]", "とꜜうし [1]")
    assert "<b><ruby>投資<rt>とうし</rt></ruby></b>" in card.fields()[2]


@needs_dictionary
def test_card_for_a_conjugated_word_and_a_split_compound():
    text = "昨日は何も食べなかった。人工知能の開発。"
    start = text.index("食べ")
    card = card_for(text, start, start + 2, lemma="食べる", reading="たべ")
    assert (card.word, card.reading, card.pitch) == ("食べる", "たべる", ("たべꜜる [2]",))
    start = text.index("知能")
    # The compound MeCab split (人工|知能) is the word when the lemma is its form, whichever span
    # the card is asked for (a piece's, as a pick made before the compound was one word)...
    for at, lemma in ((start, "人工知能"), (start - 2, "人工知能"), (start, None)):
        card = card_for(text, at, start + 2, lemma=lemma, reading="ちのう" if lemma is None else None)
        assert (card.word, card.reading, card.pitch) == ("人工知能", "じんこうちのう", ())
        assert card.sentence[card.word_start : card.word_end] == "人工知能"
        assert card.meanings[0].startswith("artificial intelligence")
    # ... but a piece's own lemma is that piece's word (two words of a compound are two notes).
    card = card_for(text, start, start + 2, lemma="知能", reading="ちのう")
    assert (card.word, card.reading) == ("知能", "ちのう")
    assert card.sentence[card.word_start : card.word_end] == "知能"
    assert card.meanings[0].startswith("intelligence")


@needs_dictionary
def test_a_lemma_given_is_the_cards_word():
    """`anki --post 1 --status new` made one note of 年 and 三年, of 部 and 編集部, of ハル and 春:
    the lemma a card is asked for is its word."""
    text = "三年で編集部が変わった。ハルが来た。"
    made = {}
    for surface, lemma, reading in (("年", "年", "ねん"), ("部", "部", "ぶ"), ("編集", "編集", "へんしゅう"), ("ハル", "ハル", "はる")):
        start = text.index(surface)
        card = card_for(text, start, start + len(surface), lemma=lemma, reading=reading)
        assert card.word == lemma
        assert card.sentence[card.word_start : card.word_end] == surface
        assert card.meanings
        made[lemma] = card
    assert made["年"].meanings[0].startswith("year")
    assert len({card.guid for card in made.values()}) == 4
    # Without a lemma the compound around the token names the card, as before.
    start = text.index("部")
    assert card_for(text, start, start + 1).word == "編集部"


def test_card_without_the_dictionary(monkeypatch):
    """No dictionary file: the card still has the word (its lemma), the sentence and its furigana;
    a conjugated token's reading is not given as the dictionary form's."""
    from app.core.reading.dictionary import Dictionary

    monkeypatch.setattr(Dictionary, "open", classmethod(lambda cls, path=None: None))
    text = "何も食べなかった。"
    card = card_for(text, 2, 4, lemma="食べる", reading="たべ", title="t")
    assert (card.word, card.reading, card.meanings, card.pitch) == ("食べる", "", (), ())
    assert card.sentence == text and "<b>" in card.fields()[2] and "<rt>た</rt>" in card.fields()[2]
    card = card_for(text, 0, 1, lemma="何", reading="なに")
    assert (card.word, card.reading) == ("何", "なに")


@needs_dictionary
def test_a_posts_cards_are_one_note_a_word(tmp_path):
    """`kakikomi anki --post P --status new`: one card a counted word, named by its lemma, so no
    two words make one note (三年 and 年, 編集部 and 部 were one)."""
    from app.core.library import actions as library
    from app.core.library import vocabulary
    from app.core.library.derived import open_library

    path = tmp_path / "post.md"
    path.write_text("---\ntitle: t\n---\n\n三年で編集部が変わった。年に一度、部の皆とハルに会う。春が来た。\n", encoding="utf-8")
    with open_library(tmp_path / "lib.sqlite3") as store:
        library.import_file(store, path)
        post = store.post(str(path.resolve()))
        lemmas = [w.lemma for w in vocabulary.post_words(store, post.id, status="new", glosses=False)]
        made = vocabulary.cards_for(store, post_id=post.id, status="new")
    assert [card.word for card in made] == lemmas
    assert len({card.guid for card in made}) == len(made)
    assert {"年", "部", "ハル", "春"} <= set(lemmas)
