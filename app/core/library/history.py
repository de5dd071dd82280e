"""Undo and redo of the reader's edits, backed by the library's own transactions.

The way SQLite's documentation describes (https://www.sqlite.org/undoredo.html): temporary
triggers on the tables that hold what the reader made log, for every row an action changes, the
SQL that changes it back. `History.do` runs one action of app.core.library.actions in one
transaction with the log switched on and keeps the statements it gathered; `undo` plays them
backwards in one transaction, the triggers gathering meanwhile what plays the undo back (the
redo). Nothing derived is logged: the search index and the claims table are refreshed through
app.core.library.derived for every highlight an undo or a redo touched.

Two rules keep what the reader made safe and merging right:
- undoing the creation of a highlight marks it deleted, as Delete does, instead of removing its
  row (a copy exported meanwhile must not come back at the next merge);
- a highlight an undo or a redo changes gets a new `updated` time: the change is the reader's
  newest edit, and merging keeps the newest.

The triggers exist on the library's connection only and fire only inside `do`, `undo` and
`redo`; the stacks live in memory, one history per window session.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.core.common.messages import Message
from app.core.library import derived
from app.core.store import Store, StoreError, now

KINDS = ("create", "delete", "recolour", "tags", "note", "reattach", "reading", "word-status", "anki", "update")

# The tables that hold what the reader made. A new one is named here and is covered at once: its
# triggers are made from its columns and primary key.
USER_TABLES = (
    "annotations", "annotation_tags", "tags", "corrections", "word_status", "anki_picks", "claim_status",
    "claim_facts", "dismissed_suggestions",
)
MAX_EDITS = 500  # kept per stack; the oldest go first

_LOG = "temp.kk_undo_log"
_STATE = "temp.kk_undo_state"


@dataclass(frozen=True)
class Edit:
    """What one undo or redo changed: the kind of the edit (one of KINDS), the post it was made
    in (None for one that belongs to no post, such as a word's status) and the highlights it touched."""

    kind: str
    post_id: int | None
    annotation_ids: tuple[str, ...]


@dataclass(frozen=True)
class _Change:
    """One row changed by an edit, and the statement that changes it back."""

    table: str
    op: str  # what was done to the row: insert, update or delete
    key: tuple
    annotation_id: str | None
    post_id: int | None
    inverse: str


@dataclass(frozen=True)
class _Entry:
    kind: str
    changes: tuple[_Change, ...]

    def edit(self) -> Edit:
        ids = tuple(dict.fromkeys(c.annotation_id for c in self.changes if c.annotation_id is not None))
        posts = [c.post_id for c in self.changes if c.post_id is not None]
        return Edit(self.kind, posts[0] if posts else None, ids)


class History:
    """The session's undo and redo stacks over one library."""

    def __init__(self, limit: int = MAX_EDITS):
        self._undo: list[_Entry] = []
        self._redo: list[_Entry] = []
        self._limit = limit
        self._library: str | None = None

    # --- the stacks ---------------------------------------------------------------------------

    @property
    def undo_kind(self) -> str | None:
        """The kind of the edit `undo` would undo (None when there is none)."""
        return self._undo[-1].kind if self._undo else None

    @property
    def redo_kind(self) -> str | None:
        """The kind of the edit `redo` would make again (None when there is none)."""
        return self._redo[-1].kind if self._redo else None

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()

    # --- doing, undoing, redoing --------------------------------------------------------------

    def do(self, store: Store, kind: str, action: Callable[..., Any], *args, **kwargs) -> Any:
        """Run `action(store, *args, **kwargs)` (a function of app.core.library.actions) in one
        transaction, remember what it changed under `kind`, and return what it returned. A new
        edit forgets what could be redone; an action that changed nothing is not remembered."""
        if kind not in KINDS:
            raise ValueError(Message(
                "history.unknown_kind", "Unknown kind of edit {kind}: use one of {choices}.", kind=repr(kind), choices=", ".join(KINDS)
            ))
        self._same_library(store)
        _install(store)
        with store.transaction():
            _logging(store, True)
            result = action(store, *args, **kwargs)
            changes = _take_log(store)
            _logging(store, False)
        if changes:
            self._push(self._undo, _Entry(kind, changes))
            self._redo.clear()
        return result

    def undo(self, store: Store) -> Edit | None:
        """Undo the last edit, in one transaction; what it changed, or None when there is nothing to undo."""
        return self._replay(store, self._undo, self._redo, undoing=True)

    def redo(self, store: Store) -> Edit | None:
        """Make the last undone edit again, in one transaction; None when there is nothing to redo."""
        return self._replay(store, self._redo, self._undo, undoing=False)

    def _replay(self, store: Store, source: list[_Entry], target: list[_Entry], *, undoing: bool) -> Edit | None:
        self._same_library(store)
        if not source:
            return None
        entry = source[-1]
        _install(store)
        statuses = sum(1 for change in entry.changes if change.table == "word_status")
        try:
            with store.transaction(), store.counted_afterwards(statuses):
                _logging(store, True)
                touched = _play_back(store, entry, undoing=undoing)
                changes = _take_log(store)
                _logging(store, False)
                _refresh(store, touched)  # not logged: derived data follows, it is not played back
        except sqlite3.IntegrityError as exc:
            # The library changed outside this history (another window, an import) in a way the
            # edit cannot be played over: nothing was changed; the edit is dropped.
            source.pop()
            if undoing:
                message = Message(
                    "history.cannot_undo", "This edit can no longer be undone: the library changed since ({reason}); nothing was changed.",
                    reason=exc,
                )
            else:
                message = Message(
                    "history.cannot_redo", "This edit can no longer be redone: the library changed since ({reason}); nothing was changed.",
                    reason=exc,
                )
            raise StoreError(message) from None
        source.pop()
        self._push(target, _Entry(entry.kind, changes))
        return entry.edit()

    def _push(self, stack: list[_Entry], entry: _Entry) -> None:
        stack.append(entry)
        del stack[: max(0, len(stack) - self._limit)]

    def _same_library(self, store: Store) -> None:
        """Edits belong to one library file: another one starts a new history."""
        library = str(store.path)
        if self._library != library:
            self.clear()
            self._library = library


# --- playing an edit back ----------------------------------------------------------------------


def _play_back(store: Store, entry: _Entry, *, undoing: bool) -> list[str]:
    """Change back every row of `entry`, last change first, keeping what the reader made (see
    the module's docstring); returns the ids of the highlights touched."""
    conn = store.conn
    stamp = now()
    created = {c.key[0] for c in entry.changes if c.table == "annotations" and c.op == "insert"} if undoing else set()
    for change in reversed(entry.changes):
        if change.table == "annotations" and change.key[0] in created:
            # Undoing a creation: the highlight is marked deleted, its row and tags kept.
            conn.execute("UPDATE annotations SET deleted = ?, updated = ? WHERE id = ?", [stamp, stamp, change.key[0]])
            continue
        if change.op == "insert" and change.table == "annotation_tags" and change.annotation_id in created:
            continue  # the tags stay with the highlight marked deleted
        if change.op == "insert" and change.table == "tags" and _tag_in_use(store, change.key[0]):
            continue  # a highlight (kept deleted, or made meanwhile) still names it
        conn.execute(change.inverse)
    touched = list(dict.fromkeys(c.annotation_id for c in entry.changes if c.annotation_id is not None))
    for annotation_id in touched:
        conn.execute("UPDATE annotations SET updated = ? WHERE id = ? AND updated < ?", [stamp, annotation_id, stamp])
    return touched


def _refresh(store: Store, touched: list[str]) -> None:
    """The search index and the claims table, for the highlights an undo or a redo touched."""
    for annotation_id in touched:
        try:
            annotation = store.annotation(annotation_id)
        except StoreError:
            continue  # never made (a redo of nothing): nothing is derived from it
        derived.highlight_changed(store, annotation)


def _tag_in_use(store: Store, name: str) -> bool:
    return store.conn.execute("SELECT 1 FROM annotation_tags WHERE tag = ? LIMIT 1", [name]).fetchone() is not None


# --- the log -----------------------------------------------------------------------------------


def _logging(store: Store, on: bool) -> None:
    store.conn.execute(f"UPDATE {_STATE} SET active = ?", [int(on)])


def _take_log(store: Store) -> tuple[_Change, ...]:
    rows = store.conn.execute(f"SELECT tbl, op, key, annotation_id, post_id, inverse FROM {_LOG} ORDER BY seq").fetchall()
    store.conn.execute(f"DELETE FROM {_LOG}")
    return tuple(_Change(table, op, tuple(json.loads(key)), annotation, post, sql) for table, op, key, annotation, post, sql in rows)


def _install(store: Store) -> None:
    """Make the log, its switch and the triggers on this connection, once."""
    conn = store.conn
    if conn.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'kk_undo_state'").fetchone():
        return
    tables = [t for t in USER_TABLES if conn.execute("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?", [t]).fetchone()]
    statements = [
        (
            "CREATE TEMP TABLE kk_undo_log (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, op TEXT NOT NULL, key TEXT NOT NULL, "
            "annotation_id TEXT, post_id INTEGER, inverse TEXT NOT NULL)"
        ),
        "CREATE TEMP TABLE kk_undo_state (active INTEGER NOT NULL)",
        "INSERT INTO temp.kk_undo_state (active) VALUES (0)",
    ]
    for table in tables:
        statements.extend(_triggers(conn, table))
    with store.transaction():
        for statement in statements:
            conn.execute(statement)


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(identifier: str) -> str:
    """An identifier quoted for SQL, as an SQL string literal (it goes into the logged statement)."""
    return "'" + _name(identifier).replace("'", "''") + "'"


def _triggers(conn: sqlite3.Connection, table: str) -> list[str]:
    """The three triggers that log, for each row of `table` changed while logging is on, the
    statement that changes it back; made from the table's columns and primary key."""
    info = conn.execute(f"PRAGMA main.table_info({_name(table)})").fetchall()
    columns = [row[1] for row in info]
    key = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]] or ["rowid"]
    annotation = "id" if table == "annotations" else "annotation_id" if "annotation_id" in columns else None
    post = "post_id" if "post_id" in columns else None
    target = _literal(table)

    def where(row: str) -> str:
        return " || ' AND ' || ".join(f"{_literal(k)} || ' IS ' || quote({row}.{_name(k)})" for k in key)

    def log(op: str, row: str, inverse: str) -> str:
        key_json = "json_array(" + ", ".join(f"{row}.{_name(k)}" for k in key) + ")"
        annotation_value = f"{row}.{_name(annotation)}" if annotation else "NULL"
        post_value = f"{row}.{_name(post)}" if post else "NULL"
        return (
            "INSERT INTO kk_undo_log (tbl, op, key, annotation_id, post_id, inverse) VALUES "
            f"('{table}', '{op}', {key_json}, {annotation_value}, {post_value}, {inverse});"
        )

    active = "(SELECT active FROM kk_undo_state)"  # unqualified: a trigger's statements may not name a schema
    name = table.replace('"', "")
    inserted = f"'DELETE FROM ' || {target} || ' WHERE ' || {where('new')}"
    values = " || ', ' || ".join(f"quote(old.{_name(c)})" for c in columns)
    listed = ", ".join(_name(c) for c in columns).replace("'", "''")
    deleted = f"'INSERT INTO ' || {target} || ' ({listed}) VALUES (' || {values} || ')'"
    # Only the columns that changed are set back: a change made outside the history meanwhile
    # (an import moving a highlight) is not undone with it.
    sets = " || ".join(
        f"CASE WHEN old.{_name(c)} IS NOT new.{_name(c)} THEN ', ' || {_literal(c)} || ' = ' || quote(old.{_name(c)}) ELSE '' END"
        for c in columns
    )
    updated = f"'UPDATE ' || {target} || ' SET ' || substr({sets}, 3) || ' WHERE ' || {where('new')}"
    changed = " OR ".join(f"old.{_name(c)} IS NOT new.{_name(c)}" for c in columns)
    on = f"ON main.{_name(table)} WHEN {active}"
    return [
        f"CREATE TEMP TRIGGER {_name('kk_undo_' + name + '_insert')} AFTER INSERT {on} BEGIN {log('insert', 'new', inserted)} END",
        f"CREATE TEMP TRIGGER {_name('kk_undo_' + name + '_update')} AFTER UPDATE {on} AND ({changed}) "
        + f"BEGIN {log('update', 'new', updated)} END",
        f"CREATE TEMP TRIGGER {_name('kk_undo_' + name + '_delete')} AFTER DELETE {on} BEGIN {log('delete', 'old', deleted)} END",
    ]


__all__ = ["KINDS", "MAX_EDITS", "USER_TABLES", "Edit", "History"]
