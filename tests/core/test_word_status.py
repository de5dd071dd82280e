"""Tests for the words' statuses (app.core.library.vocabulary, actions): set, kept, undone, migrated,
and driving the furigana mode; the words picked for the Anki deck."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from app.core.library import actions as library
from app.core.library import opening, vocabulary
from app.core.library.derived import open_library
from app.core.library.history import History
from app.core.posts.render import RenderOptions, render_markdown
from app.core.store import MIGRATIONS, SCHEMA_VERSION, Store
from tests.core.conftest import add_post

FACTORY = "---\ntitle: 新しい工場\n---\n\n北陸の町に半導体の工場ができることになった。工場の投資額は大きい。\n"


def add(store: Store, tmp_path: Path, text: str = FACTORY, name: str = "factory.md"):
    return add_post(store, tmp_path, text, name)  # the library is the `store` fixture of tests/core


def test_statuses_and_the_default() -> None:
    """Four statuses, "new" first: the one every word has until the reader sets another."""
    assert vocabulary.STATUSES == ("new", "learning", "known", "ignored")


def test_a_status_is_kept_in_the_library(tmp_path: Path) -> None:
    """A status set is there after the library is opened again; "new" removes the word's row."""
    path = tmp_path / "lib.sqlite3"
    with open_library(path) as store:
        assert vocabulary.word_status(store, "工場") == "new"
        library.set_word_status(store, "工場", "learning")
        library.set_word_status(store, "半導体", "ignored")
        library.set_word_status(store, "町", "known")
    with open_library(path) as store:
        assert vocabulary.word_status(store, "工場") == "learning"
        assert vocabulary.statuses(store) == {"工場": "learning", "半導体": "ignored", "町": "known"}
        assert store.known_words() == frozenset({"町"})
        library.set_word_status(store, "工場", "new")
        assert vocabulary.word_status(store, "工場") == "new"
        assert store.conn.execute("SELECT count(*) FROM word_status WHERE lemma = '工場'").fetchone()[0] == 0


@pytest.mark.parametrize("status", ["", "Known", "unknown", "seen", " known"])
def test_a_bad_status_is_one_sentence_and_changes_nothing(store: Store, status: str) -> None:
    """An unknown status is a ValueError naming it and the choices, in one sentence; nothing is kept."""
    with pytest.raises(ValueError) as caught:
        library.set_word_status(store, "工場", status)
    message = str(caught.value)
    assert message.startswith("Unknown word status") and repr(status) in message
    assert "new, learning, known, ignored" in message and "\n" not in message and message.endswith(".")
    with pytest.raises(ValueError):
        library.set_word_statuses(store, ["工場", "町"], status)
    assert vocabulary.statuses(store) == {}


def test_an_empty_word_has_no_status(store: Store) -> None:
    """A status for no word is refused in one sentence."""
    for lemma in ("", "  "):
        with pytest.raises(ValueError, match="needs the word"):
            library.set_word_status(store, lemma, "known")
    assert vocabulary.statuses(store) == {}


def test_many_statuses_at_once_count_what_changed(store: Store) -> None:
    """set_word_statuses sets every lemma given (once each) and returns how many changed."""
    library.set_word_status(store, "町", "known")
    assert library.set_word_statuses(store, ["工場", "町", "工場", "", "半導体"], "known") == 2
    assert vocabulary.statuses(store) == {"工場": "known", "町": "known", "半導体": "known"}
    assert library.set_word_statuses(store, ["工場", "町"], "known") == 0
    assert library.set_word_statuses(store, ["工場", "水"], "new") == 1
    assert vocabulary.statuses(store) == {"町": "known", "半導体": "known"}


@pytest.mark.parametrize("many", [4, Store.RECOUNT_ABOVE + 10])
def test_many_statuses_are_one_transaction(store: Store, tmp_path: Path, monkeypatch, many: int) -> None:
    """When the library refuses a write midway, none of the statuses of the bulk change is kept,
    and the counts of known words (counted afresh after a big change) are as they were."""
    post = add(store, tmp_path)
    library.set_word_status(store, "町", "known")
    share = vocabulary.known_share(store, post.id)
    triggers = store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall()
    real = Store.set_word_status
    calls = []

    def failing(self, lemma, status):
        calls.append(lemma)
        if len(calls) == many - 1:
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, lemma, status)

    monkeypatch.setattr(Store, "set_word_status", failing)
    with pytest.raises(sqlite3.OperationalError):
        library.set_word_statuses(store, ["工場", "半導体", *(f"語{n}" for n in range(many - 2))], "known")
    monkeypatch.undo()
    assert vocabulary.statuses(store) == {"町": "known"}
    assert store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall() == triggers
    assert vocabulary.known_share(store, post.id) == share
    library.set_word_statuses(store, ["工場", *(f"語{n}" for n in range(many))], "known")
    assert vocabulary.known_share(store, post.id) > share


def test_mark_known_is_the_known_status(store: Store) -> None:
    """"I know this word" is status known; taking it back makes the word new again."""
    library.mark_known(store, "工場")
    assert vocabulary.word_status(store, "工場") == "known"
    library.mark_known(store, "工場", False)
    assert vocabulary.word_status(store, "工場") == "new"


def test_bulk_statuses_are_one_undo(store: Store) -> None:
    """A bulk change is one edit: one undo takes it all back, one redo makes it again."""
    library.set_word_status(store, "町", "learning")
    history = History()
    history.do(store, "word-status", library.set_word_statuses, ["工場", "町", "半導体"], "known")
    assert vocabulary.statuses(store) == {"工場": "known", "町": "known", "半導体": "known"}
    edit = history.undo(store)
    assert edit is not None and edit.kind == "word-status" and edit.post_id is None
    assert vocabulary.statuses(store) == {"町": "learning"}
    history.redo(store)
    assert vocabulary.statuses(store) == {"工場": "known", "町": "known", "半導体": "known"}


def _ruby_bases(html: str) -> set[str]:
    import re

    return set(re.findall(r"<ruby>([^<]+)<rt>", html))


def test_statuses_drive_the_furigana_mode(store: Store, tmp_path: Path) -> None:
    """The window's mode (opening.reading_mode) hides the known words' readings in mode unknown
    (and grade/jlpt), never in mode all; learning and ignored words keep theirs."""
    body = "北陸の町に半導体の工場ができることになった。"
    library.set_word_status(store, "工場", "known")
    library.set_word_status(store, "町", "learning")
    library.set_word_status(store, "北陸", "ignored")
    unknown = _ruby_bases(render_markdown(body, RenderOptions(mode=opening.reading_mode(store, "unknown"))).html)
    every = _ruby_bases(render_markdown(body, RenderOptions(mode=opening.reading_mode(store, "all"))).html)
    assert {"工場", "北陸", "町"} <= every
    assert "工場" not in unknown and {"北陸", "町"} <= unknown
    assert opening.reading_mode(store, "all").known_words == frozenset()
    assert opening.reading_mode(store, "grade:1").known_words == frozenset({"工場"})
    library.set_word_status(store, "工場", "learning")
    again = _ruby_bases(render_markdown(body, RenderOptions(mode=opening.reading_mode(store, "unknown"))).html)
    assert "工場" in again


def test_known_words_move_into_the_statuses_at_the_upgrade(tmp_path: Path) -> None:
    """A library of schema 9 keeps its known words: they become status known, and the old table's
    name still reads them."""
    path = tmp_path / "old.sqlite3"
    db = sqlite_utils.Database(path)
    for migration in MIGRATIONS[:9]:
        migration(db)
    db.execute("PRAGMA user_version = 9")
    db.execute("INSERT INTO known_words VALUES ('会社', '2024-01-01T00:00:00.000000Z'), ('工場', 't2')")
    db.conn.commit()
    db.conn.close()
    with open_library(path) as store:
        assert store.version == SCHEMA_VERSION
        assert vocabulary.statuses(store) == {"会社": "known", "工場": "known"}
        assert store.conn.execute("SELECT lemma, created FROM known_words ORDER BY lemma").fetchall() == [
            ("会社", "2024-01-01T00:00:00.000000Z"), ("工場", "t2"),
        ]
        library.set_word_status(store, "会社", "learning")
        assert store.known_words() == frozenset({"工場"})


def test_a_word_is_picked_for_anki_once(store: Store, tmp_path: Path) -> None:
    """Picking a word twice keeps one pick (at the newer place) and says it was there; unpicking removes it."""
    post = add(store, tmp_path)
    first = post.text.index("工場")
    second = post.text.index("工場", first + 1)
    assert library.pick_for_anki(store, "工場", post.id, first, first + 2) is True
    assert library.pick_for_anki(store, "工場", post.id, second, second + 2) is False
    [pick] = store.anki_picks()
    assert (pick.lemma, pick.post_id, pick.start, pick.end) == ("工場", post.id, second, second + 2)
    library.pick_for_anki(store, "半導体", post.id, post.text.index("半導体"), post.text.index("半導体") + 3)
    assert [p.lemma for p in store.anki_picks()] == ["工場", "半導体"]
    library.unpick_for_anki(store, "工場")
    assert [p.lemma for p in store.anki_picks()] == ["半導体"]


def test_a_pick_is_undone(store: Store, tmp_path: Path) -> None:
    """Adding a word to the deck is an edit undo takes back (the pick belongs to its post)."""
    post = add(store, tmp_path)
    at = post.text.index("工場")
    history = History()
    history.do(store, "anki", library.pick_for_anki, "工場", post.id, at, at + 2)
    edit = history.undo(store)
    assert edit is not None and edit.kind == "anki" and edit.post_id == post.id
    assert store.anki_picks() == []
    history.redo(store)
    assert [p.lemma for p in store.anki_picks()] == ["工場"]
