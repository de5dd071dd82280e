"""Tests for app.core.library.history: undo and redo of every annotation edit, in one transaction each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.claims.table import claims_table
from app.core.library import actions as library
from app.core.library import derived, search
from app.core.library.history import KINDS, USER_TABLES, Edit, History
from app.core.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]

FACTORY = """---
title: 新しい工場
date: 2024-05-10
---

北陸の町に半導体の工場ができることになった。投資額は約二千億円と発表された。

地元では期待の声が多い一方で、水の使い方を心配する人もいる。
"""

WEATHER = "# 週末の天気\n\n土曜日は晴れるが、日曜日は午後から雨が降るらしい。傘を忘れずに。\n"


@pytest.fixture
def store(tmp_path: Path):
    with derived.open_library(tmp_path / "lib.sqlite3") as opened:
        yield opened


def add(store: Store, tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    library.import_file(store, path)
    return store.post(str(path.resolve()))


def rows(store: Store, *, without_updated: bool = True) -> dict[str, list[tuple]]:
    """Every row of every table the reader's edits live in (the `updated` time of highlights left
    out: an undo is the reader's newest edit and gets a new one)."""
    found = {}
    for table in USER_TABLES:
        if not store.conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [table]).fetchone():
            continue
        columns = [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")]
        if without_updated and table == "annotations":
            columns.remove("updated")
        listed = ", ".join(f'"{c}"' for c in columns)
        found[table] = sorted(store.conn.execute(f"SELECT {listed} FROM {table}").fetchall(), key=repr)
    return found


def word(store: Store, post, surface: str):
    from app.core.reading import words

    return words.word_at(post.text, post.text.index(surface), store.reading_overrides(post.id))


def claim_ids(store: Store) -> set[str]:
    return {row.annotation_id for row in claims_table(store)}


def found(store: Store, query: str) -> set[tuple[str, str | None]]:
    return {(hit.kind, hit.annotation_id) for hit in search.search(store, query)}


# Each edit: its kind, and a function (store, post, an existing highlight) -> (action, args, kwargs).
EDITS = {
    "create": lambda s, p, a: (library.annotate_span, (p, 30, 36), {"tags": ["claim"], "note": "水の心配"}),
    "delete": lambda s, p, a: (library.delete_annotation, (a.id,), {}),
    "recolour": lambda s, p, a: (library.update_annotation, (a.id,), {"color": "blue"}),
    "tags": lambda s, p, a: (library.update_annotation, (a.id,), {"tags": ["chip", "新タグ"]}),
    "note": lambda s, p, a: (library.update_annotation, (a.id,), {"note": "二千億円は大きい"}),
    "reattach": lambda s, p, a: (library.reattach, (a.id, 0, 4), {}),
    "reading": lambda s, p, a: (library.choose_reading, (p.id, word(s, p, "町"), "ちょう"), {}),
    "word-status": lambda s, p, a: (library.mark_known, ("工場",), {}),
    "anki": lambda s, p, a: (library.pick_for_anki, ("工場", p.id, p.text.index("工場"), p.text.index("工場") + 2), {}),
    "update": lambda s, p, a: (library.update_annotation, (a.id,), {"color": "pink", "note": "n", "tags": ["investment"]}),
}


def test_every_kind_is_covered() -> None:
    """The tests below make an edit of every kind the window names."""
    assert set(EDITS) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_edit_is_undone_and_redone_to_the_same_rows(store: Store, tmp_path: Path, kind: str) -> None:
    """Undo brings back every row the edit changed; redo brings back every row it made (only the
    highlights' `updated` time moves on); both say what they changed."""
    post = add(store, tmp_path, "factory.md", FACTORY)
    existing = library.annotate_quote(store, post, "投資額", tags=["investment"], note="元のメモ")
    library.choose_reading(store, post.id, word(store, post, "工場"), "こうじょう")
    history = History()
    before = rows(store)
    action, args, kwargs = EDITS[kind](store, post, existing)
    history.do(store, kind, action, *args, **kwargs)
    after = rows(store)
    assert after != before
    assert history.undo_kind == kind and history.redo_kind is None

    edit = history.undo(store)
    assert isinstance(edit, Edit) and edit.kind == kind
    assert edit.post_id == (None if kind == "word-status" else post.id)
    undone = rows(store)
    if kind == "create":
        # The highlight stays, marked deleted: a copy exported meanwhile does not come back at a merge.
        [made] = [a for a in store.annotations(post.id, include_deleted=True) if a.id != existing.id]
        assert made.deleted is not None and made.tags == ("claim",) and made.note == "水の心配"
        assert edit.annotation_ids == (made.id,)
        assert [a.id for a in store.annotations(post.id)] == [existing.id]
        assert {t: r for t, r in undone.items() if t not in ("annotations", "annotation_tags", "claim_status")} == {
            t: r for t, r in before.items() if t not in ("annotations", "annotation_tags", "claim_status")
        }
    else:
        assert undone == before
    assert history.undo_kind is None and history.redo_kind == kind

    assert history.redo(store) == edit
    assert rows(store) == after
    assert history.undo_kind == kind and history.redo_kind is None
    # And once more, undone: the same rows as the first time.
    history.undo(store)
    assert rows(store) == undone


def test_an_undo_is_the_newest_edit_of_the_highlight(store: Store, tmp_path: Path) -> None:
    """Undoing a recolour gives the highlight a newer `updated` than the recolour had, so merging
    with a copy exported before the undo keeps the undo (newest edit wins)."""
    post = add(store, tmp_path, "factory.md", FACTORY)
    made = library.annotate_quote(store, post, "投資額")
    history = History()
    recoloured = history.do(store, "recolour", library.update_annotation, made.id, color="blue")
    history.undo(store)
    now = store.annotation(made.id)
    assert now.color == made.color and now.updated > recoloured.updated


def test_the_search_index_and_claims_follow_undo_and_redo(store: Store, tmp_path: Path) -> None:
    """Derived data is refreshed, not played back: a highlight's note and tags leave the search and
    its claim leaves the claims table when its creation is undone, and come back with redo."""
    post = add(store, tmp_path, "factory.md", FACTORY)
    history = History()
    made = history.do(store, "create", library.annotate_quote, post, "約二千億円", tags=["investment"], note="zebrafish")
    assert ("note", made.id) in found(store, "zebrafish") and made.id in claim_ids(store)
    history.undo(store)
    assert ("note", made.id) not in found(store, "zebrafish") and made.id not in claim_ids(store)
    history.redo(store)
    assert ("note", made.id) in found(store, "zebrafish") and made.id in claim_ids(store)
    # A tag edit makes and unmakes a claim.
    history.do(store, "tags", library.update_annotation, made.id, tags=["wildcat"])
    assert made.id not in claim_ids(store) and ("tag", made.id) in found(store, "wildcat")
    history.undo(store)
    assert made.id in claim_ids(store) and ("tag", made.id) not in found(store, "wildcat")


def test_undo_and_redo_go_across_posts_in_order(store: Store, tmp_path: Path) -> None:
    """Edits in two posts are undone last first, each saying its post, and redone first first."""
    factory = add(store, tmp_path, "factory.md", FACTORY)
    weather = add(store, tmp_path, "weather.md", WEATHER)
    history = History()
    first = history.do(store, "create", library.annotate_quote, factory, "半導体")
    second = history.do(store, "create", library.annotate_quote, weather, "傘")
    third = history.do(store, "note", library.update_annotation, first.id, note="工場のこと")
    assert [history.undo(store) for _ in range(3)] == [
        Edit("note", factory.id, (first.id,)), Edit("create", weather.id, (second.id,)), Edit("create", factory.id, (first.id,)),
    ]
    assert history.undo(store) is None and store.annotations() == []
    assert [history.redo(store).post_id for _ in range(3)] == [factory.id, weather.id, factory.id]
    assert history.redo(store) is None
    assert store.annotation(first.id).note == third.note and store.annotation(second.id).deleted is None


def test_a_new_edit_after_an_undo_forgets_the_redo(store: Store, tmp_path: Path) -> None:
    """Undo, then a new edit: there is nothing to redo; the new edit and the earlier ones undo in turn."""
    post = add(store, tmp_path, "factory.md", FACTORY)
    history = History()
    made = history.do(store, "create", library.annotate_quote, post, "半導体")
    history.do(store, "recolour", library.update_annotation, made.id, color="green")
    history.undo(store)
    history.do(store, "note", library.update_annotation, made.id, note="メモ")
    assert history.redo_kind is None and history.redo(store) is None
    assert store.annotation(made.id).color == "yellow"
    assert history.undo(store).kind == "note" and store.annotation(made.id).note == ""
    assert history.undo(store).kind == "create" and store.annotation(made.id).deleted is not None


def test_interleaved_undo_and_redo_keep_every_row(store: Store, tmp_path: Path) -> None:
    """Undo two, redo one, undo one, redo two: each state is the rows it was when first reached."""
    post = add(store, tmp_path, "factory.md", FACTORY)
    history = History()
    states = [rows(store)]
    made = history.do(store, "create", library.annotate_quote, post, "半導体", tags=["chip"])
    states.append(rows(store))
    history.do(store, "tags", library.update_annotation, made.id, tags=["chip", "claim"])
    states.append(rows(store))
    history.do(store, "reading", library.choose_reading, post.id, word(store, post, "町"), "ちょう")
    states.append(rows(store))
    history.undo(store)
    history.undo(store)
    assert rows(store) == states[1]
    history.redo(store)
    assert rows(store) == states[2]
    history.undo(store)
    history.redo(store)
    history.redo(store)
    assert rows(store) == states[3]


def test_an_edit_that_changes_nothing_is_not_remembered(store: Store, tmp_path: Path) -> None:
    """Marking a word known twice: the second is no edit, so undo undoes the first."""
    history = History()
    history.do(store, "word-status", library.mark_known, "工場")
    history.do(store, "word-status", library.mark_known, "工場")
    assert history.undo(store).kind == "word-status" and store.known_words() == frozenset()
    assert history.undo(store) is None


def test_a_merge_is_undone_whole(store: Store, tmp_path: Path) -> None:
    """Highlighting across two highlights merges them in one edit; its undo brings both back as they were."""
    post = add(store, tmp_path, "factory.md", FACTORY)
    one = library.annotate_quote(store, post, "半導体", tags=["chip"])
    two = library.annotate_quote(store, post, "工場", note="二つ目")
    before = rows(store)
    history = History()
    start = post.text.index("半導体")
    merged = history.do(store, "create", library.annotate_span, post, start, post.text.index("工場") + 2)
    assert merged.id == one.id and store.annotation(two.id).deleted is not None
    edit = history.undo(store)
    assert set(edit.annotation_ids) == {one.id, two.id}
    assert rows(store) == before


def test_a_claims_status_and_fact_are_undone_too(store: Store, tmp_path: Path) -> None:
    """The reader's verdict on a claim and their correction of its fact are theirs: undone and redone,
    with the claims table refreshed."""
    post = add(store, tmp_path, "factory.md", FACTORY)
    made = library.annotate_quote(store, post, "投資額は約二千億円と発表された。", tags=["investment"])
    history = History()
    history.do(store, "update", library.set_claim_status, made.id, "disputed", "数字が違う")
    history.do(store, "update", library.set_claim_fact, made.id, entity="北陸", metric="capex")
    [row] = claims_table(store)
    assert (row.status, row.status_note, row.entity, row.metric) == ("disputed", "数字が違う", "北陸", "capex")
    history.undo(store)
    history.undo(store)
    [row] = claims_table(store)
    assert (row.status, row.status_note, row.entity) == ("unverified", "", None)
    history.redo(store)
    [row] = claims_table(store)
    assert (row.status, row.status_note, row.entity) == ("disputed", "数字が違う", None)


def test_the_word_status_table_is_covered_by_its_name(store: Store) -> None:
    """The log is made from a table's columns and key: the words' statuses (named in USER_TABLES)
    are undone like the rest, without code of their own."""
    history = History()
    history.do(store, "word-status", library.set_word_status, "工場", "learning")
    history.do(store, "word-status", library.set_word_status, "工場", "known")
    history.undo(store)
    assert store.conn.execute("SELECT lemma, status FROM word_status").fetchall() == [("工場", "learning")]
    history.undo(store)
    assert store.conn.execute("SELECT count(*) FROM word_status").fetchone()[0] == 0
    history.redo(store)
    history.redo(store)
    assert store.conn.execute("SELECT lemma, status FROM word_status").fetchall() == [("工場", "known")]


def test_a_failure_in_the_middle_of_an_undo_changes_nothing(store: Store, tmp_path: Path, monkeypatch) -> None:
    """An undo is one transaction: when refreshing derived data fails midway, every row, the search
    index and the stacks are as they were, and the undo can be tried again."""
    post = add(store, tmp_path, "factory.md", FACTORY)
    history = History()
    one = history.do(store, "create", library.annotate_quote, post, "半導体", note="zebrafish")
    two = library.annotate_quote(store, post, "工場")
    history.do(store, "create", library.annotate_span, post, one.start, two.end)  # merges the two
    before = rows(store, without_updated=False)
    calls = []

    def fail(store, annotation):
        calls.append(annotation.id)
        if len(calls) == 2:
            raise OSError("disk gone")
        real(store, annotation)

    real = derived.highlight_changed
    monkeypatch.setattr(derived, "highlight_changed", fail)
    with pytest.raises(OSError):
        history.undo(store)
    assert rows(store, without_updated=False) == before and history.undo_kind == "create" and history.redo_kind is None
    monkeypatch.setattr(derived, "highlight_changed", real)
    assert history.undo(store).kind == "create"
    assert store.annotation(two.id).deleted is None and store.annotation(one.id).end == one.end


def test_a_crash_in_the_middle_of_an_undo_leaves_the_file_as_before(tmp_path: Path) -> None:
    """A process killed halfway through an undo (after its first statements): the library file
    reopens whole, holding the rows from before the undo."""
    lib = tmp_path / "lib.sqlite3"
    (tmp_path / "factory.md").write_text(FACTORY, encoding="utf-8")
    script = f"""
import os, json
from app.core.library import actions, derived
from app.core.library.history import History
import app.core.library.history as history_module
store = derived.open_library({str(lib)!r})
actions.import_file(store, {str(tmp_path / "factory.md")!r})
post = store.posts()[0]
history = History()
made = history.do(store, "create", actions.annotate_quote, post, "半導体", tags=["chip"], note="n")
history.do(store, "update", actions.update_annotation, made.id, color="blue", tags=["claim"], note="m")
print(json.dumps(made.id), flush=True)
def crash(*args):
    os._exit(9)
history_module._refresh = crash  # the rows are changed back by then, not yet committed
history.undo(store)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    made_id = json.loads(done.stdout)
    with derived.open_library(lib, create=False) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = store.annotation(made_id)
        assert (kept.color, kept.tags, kept.note, kept.deleted) == ("blue", ("claim",), "m", None)
        assert made_id in claim_ids(store)


def test_an_edit_that_can_no_longer_be_undone_says_so(store: Store, tmp_path: Path) -> None:
    """A change made outside the history that collides with an undo: one sentence, nothing changed,
    and the edit leaves the stack."""
    history = History()
    history.do(store, "word-status", library.mark_known, "工場", False)  # nothing: not remembered
    store.set_known("工場")
    history.do(store, "word-status", library.mark_known, "工場", False)
    store.set_known("工場")  # outside the history: the undo's insert collides with it
    with pytest.raises(StoreError, match="can no longer be undone"):
        history.undo(store)
    assert store.known_words() == frozenset({"工場"}) and history.undo_kind is None


def test_an_unknown_kind_is_refused_and_another_library_starts_afresh(store: Store, tmp_path: Path) -> None:
    """do() takes the kinds the window names; a history used with another library forgets the first's edits."""
    history = History()
    with pytest.raises(ValueError, match="Unknown kind"):
        history.do(store, "paint", library.mark_known, "工場")
    history.do(store, "word-status", library.mark_known, "工場")
    with derived.open_library(tmp_path / "other.sqlite3") as other:
        assert history.undo(other) is None
    assert history.undo_kind is None


def test_a_failed_action_is_not_remembered(store: Store, tmp_path: Path) -> None:
    """An action that raises changes nothing and leaves no edit to undo."""
    post = add(store, tmp_path, "factory.md", FACTORY)
    history = History()
    with pytest.raises(StoreError):
        history.do(store, "create", library.annotate_span, post, 0, 10, color="plaid")
    assert history.undo_kind is None and store.annotations(include_deleted=True) == []
    assert store.conn.execute("SELECT count(*) FROM temp.kk_undo_log").fetchone()[0] == 0


def test_writes_outside_the_history_are_not_logged(store: Store, tmp_path: Path) -> None:
    """Only edits made through do() are remembered: a highlight made directly leaves nothing to undo."""
    post = add(store, tmp_path, "factory.md", FACTORY)
    history = History()
    history.do(store, "word-status", library.mark_known, "工場")
    library.annotate_quote(store, post, "半導体")
    assert store.conn.execute("SELECT count(*) FROM temp.kk_undo_log").fetchone()[0] == 0
    assert history.undo(store).kind == "word-status"
    assert len(store.annotations(post.id)) == 1
