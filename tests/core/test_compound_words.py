"""A compound MeCab split that the dictionary stage joins is one word for the learner (#16):
counted once under the headword's form, its runs of ruby named by it (furigana mode "unknown"),
and the word the popup gives for any of its pieces (app.core.reading.furigana, words).

The first tests stand the dictionary stage's record (`tokens.compounds`, what
app.core.reading.compounds.apply leaves) in for it, so they run without the dictionary file; the
last ones run the real stage."""

from __future__ import annotations

import os

import pytest

from app.core.library import vocabulary
from app.core.posts import render
from app.core.reading import compounds, furigana, words
from app.core.reading.dictionary import dictionary_path
from app.core.reading.furigana_mode import FuriganaMode

HAS_DICTIONARY = dictionary_path().is_file() or bool(os.environ.get("CI"))


@pytest.fixture
def stage(monkeypatch):
    """The dictionary stage as it runs, and its record of the compounds it joined made from
    `joined` (form -> reading): every stretch of two or more tokens with no space between that
    spells a form. Returns the dict to fill."""
    joined: dict[str, str] = {}
    real = compounds.apply

    def apply(tokens, with_kanji, kanji_of, *, align, spell):
        real(tokens, with_kanji, kanji_of, align=align, spell=spell)
        rows, found, i = tokens.rows, [], 0
        while i < len(rows):
            for j in range(min(len(rows), i + 4), i + 1, -1):
                form = "".join(row[1] for row in rows[i:j])
                if form in joined and all(row[0] == row[1] for row in rows[i + 1 : j]):
                    found.append((i, j, form, joined[form]))
                    i = j - 1
                    break
            i += 1
        tokens.compounds = found

    monkeypatch.setattr(compounds, "apply", apply)
    return joined


TEXT = "半導体の工場。導体と半分、また半導体。"


def test_a_joined_compound_is_counted_once_under_its_form(stage):
    stage["半導体"] = "はんどうたい"
    found = furigana.word_occurrences(TEXT)
    first = found[0]
    assert (first.start, first.end, first.lemma, first.surface, first.reading) == (0, 3, "半導体", "半導体", "はんどうたい")
    lemmas = [o.lemma for o in found]
    assert lemmas.count("半導体") == 2 and "半" not in lemmas
    assert lemmas.count("導体") == 1  # 導体 alone is a word of its own
    assert [o.start for o in found] == sorted(o.start for o in found)
    # The import's one pass counts the same, in order of first appearance.
    _terms, _spans, counted = furigana.index_pass_words(TEXT)
    assert counted["半導体"] == ["半導体", "はんどうたい", 2, 0, 3]
    assert counted["導体"][2] == 1 and "半" not in counted
    assert list(counted) == list(dict.fromkeys(lemmas))
    assert vocabulary.occurrences(TEXT)[0] == (0, 3, "半導体")


def test_without_the_record_every_token_is_a_word(monkeypatch):
    """No record (the stage did not run, or found nothing): the pieces are the words, as before."""
    monkeypatch.setattr(compounds, "apply", lambda *args, **kwargs: None)
    lemmas = [o.lemma for o in furigana.word_occurrences("半導体の工場。")]
    assert lemmas[:2] == ["半", "導体"]


def test_a_number_and_its_counter_stay_apart(stage):
    """三|年 is a number with its counter, no word to learn: 年 is counted, 三 not at all."""
    stage["三年"] = "さんねん"
    stage["一日中"] = "いちにちじゅう"
    found = furigana.word_occurrences("三年で一日中働いた。")
    assert [o.lemma for o in found][:3] == ["年", "一日中", "働く"]
    spans = furigana.ruby_many(["三年で"])[0]
    assert [furigana.clean_lemma(s.lemma) for s in spans] == ["三", "年"]


def test_the_runs_of_a_compound_are_named_by_it_and_read_the_same(stage):
    plain = furigana.ruby_many([TEXT])[0]
    stage["半導体"] = "はんどうたい"
    spans = furigana.ruby_many([TEXT])[0]
    assert [(s.start, s.end, s.reading) for s in spans] == [(s.start, s.end, s.reading) for s in plain]
    named = {(s.start, s.end): s.lemma for s in spans}
    assert named[(0, 1)] == named[(1, 3)] == "半導体"
    assert named[(7, 9)] == "導体" and named[(10, 12)] == "半分"
    # The search index's pass names them the same way.
    _terms, index_spans = furigana.index_pass(TEXT)
    assert {(s.start, s.end): s.lemma for s in index_spans}[(0, 1)] == "半導体"


def test_unknown_mode_hides_the_ruby_of_a_known_compound_only(stage):
    stage["半導体"] = "はんどうたい"
    known = render.furigana_html("半導体と半分", FuriganaMode.parse("unknown", frozenset({"半導体"})))
    assert known == "半導体と<ruby>半分<rt>はんぶん</rt></ruby>"
    # Its pieces known on their own do not hide the compound's ruby.
    pieces = render.furigana_html("半導体と半分", FuriganaMode.parse("unknown", frozenset({"半", "導体"})))
    assert "どうたい" in pieces


def test_the_popup_word_on_any_piece_is_the_compound(stage):
    stage["半導体"] = "はんどうたい"
    text = "新しい半導体を作る。"
    start = text.index("半導体")
    for offset in (start, start + 1, start + 2):
        word = words.word_at(text, offset)
        assert (word.surface, word.start, word.end, word.lemma, word.reading) == ("半導体", start, start + 3, "半導体", "はんどうたい")
        assert word.part_of_speech == "noun" and word.has_kanji
        assert furigana.counted_word(word.surface, word.pos)  # the popup's 1-4 and A act on it
    assert words.word_at(text, text.index("作")).lemma == "作る"


def test_a_correction_of_the_compound_covers_it_whole(stage):
    stage["半導体"] = "はんどうたい"
    text = "新しい半導体を作る。"
    start = text.index("半導体")
    override = furigana.ReadingOverride("半導体", "はんどーたい")
    word = words.word_at(text, start + 1, [override])
    assert (word.surface, word.reading, word.corrected, word.lemma) == ("半導体", "はんどーたい", True, "半導体")
    assert "はんどうたい" in word.alternatives
    # A correction of one piece is about that piece: the word is the piece, as the page reads it.
    piece = words.word_at(text, start + 1, [furigana.ReadingOverride("導体", "どーたい")])
    assert (piece.surface, piece.reading, piece.corrected, piece.lemma) == ("導体", "どーたい", True, "導体")


def test_a_word_list_names_the_compound_as_the_posts_count_it(stage):
    """`word-status --import` of 半導体 stores the word the posts count, not 半."""
    stage["半導体"] = "はんどうたい"
    assert vocabulary.as_lemmas(["半導体", "導体"]) == ["半導体", "導体"]


# --- the real dictionary stage ---------------------------------------------------------------------


def _stage_records() -> bool:
    """Whether app.core.reading.compounds.apply leaves its record of the compounds it joined."""
    if not HAS_DICTIONARY:
        return False
    return [o.lemma for o in furigana.word_occurrences("割引率が高い。")][:1] == ["割引率"]


needs_stage = pytest.mark.skipif(
    not _stage_records(), reason="the dictionary stage does not record its compounds (no dictionary, or compounds.apply before the hook)"
)


@needs_stage
def test_the_dictionary_stage_joins_words_not_phrases():
    text = "半導体の市場は三年で編集部が変わった。割引率と一日中。"
    found = {o.lemma: (o.surface, o.reading) for o in furigana.word_occurrences(text)}
    assert found["半導体"] == ("半導体", "はんどうたい")
    assert found["編集部"] == ("編集部", "へんしゅうぶ")
    assert found["割引率"] == ("割引率", "わりびきりつ")
    assert found["一日中"] == ("一日中", "いちにちじゅう")
    assert "年" in found and "三年" not in found  # a number and its counter
    assert not {"半", "導体", "編集", "部", "割", "引率"} & set(found)
    assert furigana.index_pass_words(text)[2]["半導体"][2] == 1
    word = words.word_at(text, text.index("引率"))
    assert (word.lemma, word.surface, word.reading) == ("割引率", "割引率", "わりびきりつ")
    assert vocabulary.as_lemmas(["半導体", "割引率"]) == ["半導体", "割引率"]


@needs_stage
def test_the_real_stage_leaves_the_readings_as_they_were(monkeypatch):
    """The record changes lemmas only: every run reads as it did."""
    text = "半導体の市場は三年で編集部が変わった。割引率と一日中、修羅場の大金持ち。"
    spans = furigana.ruby_many([text])[0]
    real = compounds.apply

    def forgetful(tokens, *args, **kwargs):
        real(tokens, *args, **kwargs)
        tokens.compounds = []

    monkeypatch.setattr(compounds, "apply", forgetful)
    assert [s[:3] for s in furigana.ruby_many([text])[0]] == [s[:3] for s in spans]
