"""Tests for app.core.library.vocabulary: a post's counted words (made at import from the import's
MeCab pass, or when first asked for), the share of a post the reader knows, the words' places in
a text, word lists and the cards of `kakikomi anki`."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest
import sqlite_utils

from app.core.library import actions as library
from app.core.library import vocabulary
from app.core.library.derived import open_library
from app.core.reading import furigana
from app.core.reading.dictionary import dictionary_path
from app.core.store import MIGRATIONS, Store
from tests.core.conftest import add_post

HAS_DICTIONARY = dictionary_path().is_file() or bool(os.environ.get("CI"))
needs_dictionary = pytest.mark.skipif(not HAS_DICTIONARY, reason="no dictionary file: make dictionary")

FACTORY = """---
title: 新しい工場
---

北陸の町に半導体の工場ができた。工場の投資額は２千億円で、ＡＩ向けのチップを作る。

昨日は来なかったが、今日は来た。何も食べなかった。
"""


def add(store: Store, tmp_path: Path, text: str = FACTORY, name: str = "factory.md"):
    return add_post(store, tmp_path, text, name)  # the library is the `store` fixture of tests/core


# --- counted words ---------------------------------------------------------------------------------


def test_only_content_words_in_kana_or_kanji_are_counted() -> None:
    """Nouns, verbs and the like are counted; particles, auxiliaries, numerals, symbols and
    Latin-only words are not."""
    text = "ＡＢＣは３つの本を読んだ。GPU が速い！"
    found = {lemma for _s, _e, lemma in vocabulary.occurrences(text)}
    assert {"本", "読む", "早い", "つ"} <= found  # 速い is a spelling of UniDic's 早い
    assert not found & {"は", "を", "だ", "た", "ＡＢＣ", "GPU", "３", "。", "！", "が"}
    for start, end, lemma in vocabulary.occurrences(text):
        assert text[start:end]  # offsets index the text
    assert furigana.counted_word("食べ", "動詞-一般") and not furigana.counted_word("３", "名詞-数詞")
    assert not furigana.counted_word("ABC", "名詞-固有名詞-一般") and not furigana.counted_word("が", "助詞-格助詞")


def test_a_words_lemma_is_the_popups() -> None:
    """Each occurrence's lemma is the one the word popup names for that word (words.word_at)."""
    from app.core.reading import words

    text = "昨日は来なかったが、今日は来た。何も食べなかった。"
    for start, end, lemma in vocabulary.occurrences(text):
        assert words.word_at(text, start).lemma == lemma, text[start:end]


def test_the_post_words_are_made_at_import(store: Store, tmp_path: Path) -> None:
    """Importing a post keeps its words: one row per lemma, first spelling, dictionary reading,
    count and first place, in order of first appearance."""
    post = add(store, tmp_path)
    rows = store.post_words(post.id)
    assert rows is not None
    words = {w.lemma: w for w in vocabulary.post_words(store, post.id, glosses=False)}
    factory = words["工場"]
    assert (factory.count, factory.surface, factory.reading, factory.status) == (2, "工場", "こうじょう", "new")
    assert post.text[factory.first_start : factory.first_end] == "工場"
    come = words["来る"]
    assert (come.surface, come.reading, come.count) == ("来", "くる", 2)
    assert words["食べる"].reading == "たべる" and words["食べる"].surface == "食べ"
    starts = [w.first_start for w in vocabulary.post_words(store, post.id, glosses=False)]
    assert starts == sorted(starts)
    assert "２" not in words and "ＡＩ" not in words


def test_the_import_counts_what_a_fresh_count_finds(store: Store, tmp_path: Path) -> None:
    """The words kept from the import's pass are those a count of the text alone finds."""
    post = add(store, tmp_path)
    kept = store.post_words(post.id)
    with store.transaction():
        store.set_post_words(post.id, None)
    assert store.post_words(post.id) is None
    assert vocabulary.make_post_words(store, post.id) == kept
    assert store.post_words(post.id) == kept


def test_the_import_makes_one_mecab_pass(store: Store, tmp_path: Path, monkeypatch) -> None:
    """Counting the words costs no second pass over the text: the search index takes the pass the
    words came from."""
    calls = []
    analyse, analyse_words = furigana._analyse, furigana._analyse_words
    monkeypatch.setattr(furigana, "_analyse", lambda text, detail: calls.append(text) or analyse(text, detail))
    monkeypatch.setattr(furigana, "_analyse_words", lambda text: calls.append(text) or analyse_words(text))
    post = add(store, tmp_path)
    assert calls.count(post.text) == 1
    assert store.post_words(post.id)


def test_words_follow_a_changed_text(store: Store, tmp_path: Path) -> None:
    """Importing a changed file counts its words again."""
    post = add(store, tmp_path)
    assert "猫" not in {w.lemma for w in vocabulary.post_words(store, post.id, glosses=False)}
    add(store, tmp_path, FACTORY.replace("何も食べなかった。", "猫が鳴いた。"))
    lemmas = {w.lemma for w in vocabulary.post_words(store, post.id, glosses=False)}
    assert "猫" in lemmas and "食べる" not in lemmas


def test_a_text_changed_without_its_words_has_them_made_again(store: Store, tmp_path: Path) -> None:
    """A writer that changes a post's text without its words (a restore from a backup) leaves them
    to be made when next asked for, from the new text."""
    from app.core.library import derived

    post = add(store, tmp_path)
    with store.transaction():
        store.conn.execute("UPDATE posts SET text = ? WHERE id = ?", ["猫が寝た。", post.id])
        derived.post_text_changed(store, post.id, "猫が寝た。")
    assert store.post_words(post.id) is None
    assert vocabulary.known_shares(store) == {post.id: None}
    assert [w.lemma for w in vocabulary.post_words(store, post.id, glosses=False)] == ["猫", "寝る"]


def _schema_9_library(path: Path) -> None:
    db = sqlite_utils.Database(path)
    for migration in MIGRATIONS[:9]:
        migration(db)
    db.execute("PRAGMA user_version = 9")
    db.execute(
        "INSERT INTO posts (id, source_path, title, encoding, content_hash, text, imported_at, updated_at, length) "
        "VALUES (1, '/posts/a.md', 'A', 'utf-8', 'h', '工場の工場で猫が寝た。', 't', 't', 11)"
    )
    db.conn.commit()
    db.conn.close()


def test_an_older_librarys_posts_get_their_words_when_asked(tmp_path: Path, monkeypatch) -> None:
    """The upgrade reads no post (no MeCab pass); a post's words are made the first time they are
    asked for, and kept."""
    path = tmp_path / "old.sqlite3"
    _schema_9_library(path)
    calls = []
    real = furigana.index_pass_words
    monkeypatch.setattr(furigana, "index_pass_words", lambda text: calls.append(text) or real(text))
    with open_library(path) as store:
        assert calls == [] and store.post_words(1) is None
        assert vocabulary.known_shares(store) == {1: None}
        words = vocabulary.post_words(store, 1, glosses=False)
        assert [(w.lemma, w.count) for w in words] == [("工場", 2), ("猫", 1), ("寝る", 1)]
        assert len(calls) == 1
        vocabulary.post_words(store, 1, glosses=False)
        assert len(calls) == 1
        assert vocabulary.known_shares(store) == {1: 0.0}


def test_post_words_by_status(store: Store, tmp_path: Path) -> None:
    """The status filter keeps the words of that status; a bad status is one sentence."""
    post = add(store, tmp_path)
    library.set_word_status(store, "工場", "learning")
    library.set_word_status(store, "町", "known")
    assert [w.lemma for w in vocabulary.post_words(store, post.id, status="learning", glosses=False)] == ["工場"]
    assert [w.lemma for w in vocabulary.post_words(store, post.id, status="known", glosses=False)] == ["町"]
    new = vocabulary.post_words(store, post.id, status="new", glosses=False)
    assert new and "工場" not in {w.lemma for w in new}
    with pytest.raises(ValueError, match="Unknown word status"):
        vocabulary.post_words(store, post.id, status="done")


@needs_dictionary
def test_post_words_have_short_glosses(store: Store, tmp_path: Path) -> None:
    """Each word gets its first sense's glosses, short."""
    post = add(store, tmp_path)
    words = {w.lemma: w for w in vocabulary.post_words(store, post.id)}
    assert "factory" in words["工場"].gloss
    assert words["食べる"].gloss.startswith("to eat")
    assert all(w.gloss is None or len(w.gloss) <= vocabulary.GLOSS_CHARS + 1 for w in words.values())


# --- the known share ---------------------------------------------------------------------------------


def test_the_known_share_counts_occurrences_and_leaves_ignored_words_out(store: Store, tmp_path: Path) -> None:
    """known / (all - ignored), by occurrences; None for a post without counted words."""
    post = add(store, tmp_path, "工場と工場と町と会社。", "a.md")
    words = {w.lemma: w.count for w in vocabulary.post_words(store, post.id, glosses=False)}
    assert words == {"工場": 2, "町": 1, "会社": 1}
    assert vocabulary.known_share(store, post.id) == 0.0
    library.set_word_status(store, "工場", "known")
    assert vocabulary.known_share(store, post.id) == pytest.approx(2 / 4)
    library.set_word_status(store, "会社", "ignored")
    assert vocabulary.known_share(store, post.id) == pytest.approx(2 / 3)
    library.set_word_status(store, "町", "learning")
    assert vocabulary.known_share(store, post.id) == pytest.approx(2 / 3)
    empty = add(store, tmp_path, "Only English here, 123.", "b.md")
    assert vocabulary.known_share(store, empty.id) is None
    assert vocabulary.known_shares(store) == {post.id: pytest.approx(2 / 3), empty.id: None}


def test_known_shares_of_ten_thousand_posts_are_one_quick_query(tmp_path: Path) -> None:
    """known_shares over 10,000 posts answers in well under 100 ms, and follows every status
    change (bulk, one by one, undone) as a count from scratch does."""
    from app.core.library.history import History

    with open_library(tmp_path / "big.sqlite3") as store:
        lemmas = [f"語{n}" for n in range(1000)]
        with store.transaction():
            store.conn.executemany(
                "INSERT INTO word_status (lemma, status, updated) VALUES (?, ?, 't')",
                [(lemma, ("known", "learning", "ignored")[n % 3]) for n, lemma in enumerate(lemmas[:300])],
            )
            store.conn.executemany(
                "INSERT INTO posts (id, source_path, title, encoding, content_hash, text, imported_at, updated_at) "
                "VALUES (?, ?, 't', 'utf-8', 'h', '', 't', 't')",
                [(n, f"/p/{n}.md") for n in range(1, 10_001)],
            )
            for post_id in range(1, 10_001):
                store.set_post_words(post_id, [(lemmas[(post_id * 7 + k) % 1000], "x", None, 1 + k % 3, k, k + 1) for k in range(40)])
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            shares = vocabulary.known_shares(store)
            best = min(best, time.perf_counter() - start)
        assert len(shares) == 10_000 and all(0 <= s <= 1 for s in shares.values())

        def from_scratch() -> dict[int, float | None]:
            rows = store.conn.execute(
                "SELECT w.post_id, sum(CASE WHEN s.status = 'known' THEN w.count ELSE 0 END), "
                "sum(CASE WHEN s.status IS NOT 'ignored' THEN w.count ELSE 0 END) "
                "FROM post_words w LEFT JOIN word_status s ON s.lemma = w.lemma GROUP BY w.post_id"
            )
            return {post_id: (known / counted if counted else None) for post_id, known, counted in rows}

        assert shares == pytest.approx(from_scratch())
        history = History()
        history.do(store, "word-status", library.set_word_statuses, lemmas[250:400], "known")
        library.set_word_status(store, lemmas[2], "new")
        library.set_word_status(store, lemmas[5], "learning")
        library.set_word_status(store, lemmas[7], "ignored")
        assert vocabulary.known_shares(store) == pytest.approx(from_scratch())
        history.undo(store)
        assert vocabulary.known_shares(store) == pytest.approx(from_scratch())
    assert best < 0.1, f"{best * 1000:.0f} ms"


# --- marks ---------------------------------------------------------------------------------------------


def test_status_marks_are_the_new_and_learning_words(store: Store, tmp_path: Path) -> None:
    """Every occurrence of a new or learning word, with its status; known and ignored words have none."""
    post = add(store, tmp_path, "工場と町。工場と会社。", "a.md")
    library.set_word_status(store, "工場", "learning")
    library.set_word_status(store, "町", "known")
    marks = vocabulary.status_marks(store, post.id)
    assert [(post.text[s:e], status) for s, e, status in marks] == [("工場", "learning"), ("工場", "learning"), ("会社", "new")]
    assert vocabulary.status_marks(store, post.id, post.text) == marks


# --- word lists ------------------------------------------------------------------------------------------


def test_a_word_list_is_one_word_a_line() -> None:
    """Blank lines and spaces are dropped; each word once, in order."""
    assert vocabulary.parse_word_list("\ufeff工場\n\n  町 \r\n工場\n食べる\n") == ["工場", "町", "食べる"]


def test_anki_notes_exported_as_text_give_their_first_field() -> None:
    """Anki's "Notes in Plain Text": header lines skipped, guid/notetype/deck columns passed over,
    the first field's HTML, entities and furigana taken away, quoted fields read whole."""
    exported = (
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:7\n"
        "abc123\tJapanese\tKakikomi\t<b>投資</b>\tとうし\tinvestment\tkakikomi\n"
        'def456\tJapanese\tKakikomi\t"食べる[たべる]&nbsp;"\t"to\teat"\tverb\tx\n'
        "ghi789\tJapanese\tKakikomi\t&lt;工場&gt;\tこうじょう\tfactory\t\n"
    )
    assert vocabulary.parse_word_list(exported) == ["投資", "食べる", "<工場>"]
    plain = "#separator:Comma\n#html:false\n町,まち,town\n\"北陸\",ほくりく,Hokuriku\n"
    assert vocabulary.parse_word_list(plain) == ["町", "北陸"]
    # Without headers, a tab-separated export's first column is the word.
    assert vocabulary.parse_word_list("工場\tこうじょう\tfactory\n") == ["工場"]


def test_importing_a_word_list_sets_their_status(store: Store) -> None:
    """Each word gets the status (as the lemma the posts count it under); how many changed."""
    assert library.import_word_list(store, "工場\n行った\nする\n工場\n食べ物\nGPU\n") == 5
    assert vocabulary.statuses(store) == {"工場": "known", "行く": "known", "為る": "known", "食べ物": "known", "GPU": "known"}
    assert library.import_word_list(store, "工場\n町\n", "learning") == 2
    assert vocabulary.word_list_text(store, "known") == "GPU\n為る\n行く\n食べ物\n"
    assert vocabulary.word_list_text(store, "learning") == "工場\n町\n"
    with pytest.raises(ValueError):
        library.import_word_list(store, "工場\n", "seen")


def test_a_word_list_round_trips(store: Store, tmp_path: Path) -> None:
    """The exported list imported into another library gives the same statuses."""
    library.set_word_statuses(store, ["工場", "町", "会社", "食べる"], "known")
    text = vocabulary.word_list_text(store)
    with open_library(tmp_path / "other.sqlite3") as other:
        assert library.import_word_list(other, text) == 4
        assert vocabulary.statuses(other) == vocabulary.statuses(store)


def test_the_new_word_list_is_the_posts_words_without_a_status(store: Store, tmp_path: Path) -> None:
    post = add(store, tmp_path, "工場と町と会社。", "a.md")
    library.set_word_status(store, "町", "known")
    assert vocabulary.word_list_text(store, "new") == "会社\n工場\n"
    assert post.id


# --- cards -----------------------------------------------------------------------------------------------


def test_cards_of_a_post_by_status_come_from_their_first_sentence(store: Store, tmp_path: Path) -> None:
    """--post with --status: the post's words of that status, each card from its first sentence,
    with the post's title and file as the link."""
    post = add(store, tmp_path)
    library.set_word_statuses(store, ["工場", "食べる"], "learning")
    cards = vocabulary.cards_for(store, post_id=post.id, status="learning")
    assert [c.word for c in cards] == ["工場", "食べる"]
    factory = cards[0]
    assert factory.sentence == "北陸の町に半導体の工場ができた。"
    assert factory.sentence[factory.word_start : factory.word_end] == "工場"
    assert factory.title == "新しい工場" and factory.link == post.source_path
    assert cards[1].sentence == "何も食べなかった。"


def test_cards_by_status_alone_come_from_each_words_first_post(store: Store, tmp_path: Path) -> None:
    first = add(store, tmp_path, "工場が建った。", "a.md")
    add(store, tmp_path, "新しい工場と町。", "b.md")
    library.set_word_statuses(store, ["工場", "町", "宇宙"], "learning")
    cards = {c.word: c for c in vocabulary.cards_for(store, status="learning")}
    assert set(cards) == {"工場", "町", "宇宙"}
    assert cards["工場"].sentence == "工場が建った。" and cards["工場"].link == first.source_path
    assert cards["町"].sentence == "新しい工場と町。"
    assert cards["宇宙"].link == ""  # in no post: a card of the word alone


def test_picked_words_are_the_default_cards(store: Store, tmp_path: Path) -> None:
    post = add(store, tmp_path)
    second = post.text.index("工場", post.text.index("工場") + 1)
    library.pick_for_anki(store, "工場", post.id, second, second + 2)
    at = post.text.index("食べ")
    library.pick_for_anki(store, "食べる", post.id, at, at + 2)
    cards = vocabulary.cards_for(store)
    assert [c.word for c in cards] == ["工場", "食べる"] == [c.word for c in vocabulary.picked_cards(store)]
    assert cards[0].sentence == "工場の投資額は２千億円で、ＡＩ向けのチップを作る。"
    assert cards[0].sentence[cards[0].word_start : cards[0].word_end] == "工場"


def test_only_known_tables_are_touched_by_reading(store: Store, tmp_path: Path) -> None:
    """Asking for words of a post whose words are kept writes nothing."""
    post = add(store, tmp_path)
    changes = store.conn.total_changes
    vocabulary.post_words(store, post.id, glosses=False)
    vocabulary.known_share(store, post.id)
    vocabulary.known_shares(store)
    assert store.conn.total_changes == changes
    assert isinstance(store.conn, sqlite3.Connection)


# A post with a line of many sentences (longer than the stretch a card is looked for in first),
# sentences after white space, a line without a sentence end, and short lines.
LONG_LINE_POST = (
    "---\ntitle: 長い段落\n---\n\n"
    + "".join(f"第{n}工場では半導体を作り、町の人々が働いている。" for n in range(1, 40))
    + "　　　昨日は新しい工場を見学した！  それから駅前で昼食を食べた\n\n"
    + "北陸の冬は寒い。雪が多い。\n\n投資額は大きい\n"
)


def test_a_posts_cards_are_the_cards_of_the_whole_text(store: Store, tmp_path: Path, monkeypatch) -> None:
    """Each card is made from a stretch around its sentence, yet is the card the whole text gives
    (same sentence, furigana with the reader's corrections, compound and pitch); the post, its
    words and its corrections are read once for all its cards."""
    from app.core.library import anki

    post = add(store, tmp_path, LONG_LINE_POST, "long.md")
    with store.transaction():
        store.add_correction("工場", "こうば", post_id=post.id)
    reads = []
    real = store.reading_overrides
    monkeypatch.setattr(store, "reading_overrides", lambda *a, **k: reads.append(a) or real(*a, **k))
    words = vocabulary.post_words(store, post.id, glosses=False)
    assert len(words) > 15
    cards = vocabulary.cards_for(store, post_id=post.id)
    assert len(reads) == 1
    overrides = real(post.id)
    whole = [
        anki.card_for(post.text, w.first_start, w.first_end, lemma=w.lemma, reading=w.reading, title=post.title,
                      link=post.source_path, overrides=overrides)
        for w in words
    ]
    assert cards == whole
    assert any("<rt>こうば</rt>" in anki.sentence_html(c.sentence, c.ruby, 0, 0) for c in cards)
    late = next(c for c in cards if c.word in ("昼食", "見学"))
    assert late.sentence in ("昨日は新しい工場を見学した！", "それから駅前で昼食を食べた")


def test_a_cards_stretch_holds_its_sentence_whole_in_a_long_line(store: Store, tmp_path: Path) -> None:
    """In a line far longer than the first stretch looked at, a card's stretch is its sentence and
    a few characters around it; a sentence longer than the stretch grows it until it is whole."""
    from app.core.library import anki

    endless = "工場" + "の町" * 400 + "で働く。次の文。"
    post = add(store, tmp_path, "---\ntitle: 長文\n---\n\n" + "前の文。" * 100 + endless + "\n", "endless.md")
    found = vocabulary._PostForCards.read(store, post.id)
    text = post.text
    for word in ("工場", "働", "次"):
        start = text.index(word, text.index(endless[:4]))
        lo, hi = found.window(start, start + len(word))
        s_lo, s_hi = anki.sentence_around(text, start, start + len(word))
        assert lo <= s_lo and s_hi <= hi and (s_lo - lo, hi - s_hi) <= (vocabulary._CARD_MARGIN,) * 2
        assert anki.sentence_around(text[lo:hi], start - lo, start - lo + len(word)) == (s_lo - lo, s_hi - lo)
    assert hi - lo < 50  # 次の文。: not the whole line


def test_a_word_already_a_lemma_is_kept(store: Store) -> None:
    """A word list's words are kept under the lemma the posts count (する -> 為る, みる -> 見る),
    but a word that is such a lemma stays itself (為る, which MeCab alone reads as 成る)."""
    assert vocabulary.as_lemmas(["する", "為る", "みる", "行った", "工場", "東京タワー"]) == ["為る", "見る", "行く", "工場", "東京タワー"]
    assert library.import_word_list(store, "為る\nする\n成る\n") == 2
    assert store.word_statuses() == {"為る": "known", "成る": "known"}


def test_post_words_look_up_glosses_only_for_the_words_they_give(store: Store, tmp_path: Path, monkeypatch) -> None:
    """With a status, only that status's words are glossed, each word once."""
    post = add(store, tmp_path)
    library.set_word_statuses(store, ["工場", "食べる"], "learning")
    looked_up = []
    monkeypatch.setattr(vocabulary, "_dictionary", lambda: "the dictionary")
    monkeypatch.setattr(vocabulary, "short_gloss", lambda lemma, reading, d: looked_up.append((lemma, d)) or f"gloss of {lemma}")
    words = vocabulary.post_words(store, post.id, status="learning")
    assert [(w.lemma, w.gloss, w.status) for w in words] == [("工場", "gloss of 工場", "learning"), ("食べる", "gloss of 食べる", "learning")]
    assert looked_up == [("工場", "the dictionary"), ("食べる", "the dictionary")]
    assert all(w.gloss is None for w in vocabulary.post_words(store, post.id, glosses=False))
