"""A child process for the fault tests: works on a library and says how far it got, so the parent
can SIGKILL it at a chosen point.

Run as `python fault_child.py COMMAND ...`. Lines are flushed as they are printed.

Commands:
  migrate DB [STOP]           open (and so migrate) an old library; prints "backed up" after the
                              backup copy, "indexed N" after each post or highlight the migration
                              indexes (inside its open transaction), "migrated" once it is open;
                              after printing the line STOP it waits forever, so a kill lands there
  slow-backup DB STOP         the same, but the backup copies one page at a time, printing "page N"
                              after each; a kill between pages leaves a half-made backup file
  export DB TARGET FORMAT [STOP]
                              export (json, csv or md) to TARGET again and again, adding a highlight
                              before each; inside the atomic write of export N it prints "export N
                              half" (half the temporary file written), "export N written" (all of
                              it, not yet renamed) and "export N renamed"; then "exported N"
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

from crash_child import new_highlight  # (run as a script: its folder is on sys.path) a new row even over highlights

from app.core.library import search
from app.core.library.derived import open_library
from app.core.store import Store

STOP: str | None = None


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    while line == STOP:
        time.sleep(0.05)  # parked at the chosen point until the parent's SIGKILL


def _count_index_calls() -> None:
    count = 0

    def counted(original):
        def wrapper(*args, **kwargs):
            nonlocal count
            result = original(*args, **kwargs)
            count += 1
            say(f"indexed {count}")
            return result

        return wrapper

    search.index_post = counted(search.index_post)
    search.index_annotation = counted(search.index_annotation)


def migrate(db: str, stop: str | None = None) -> None:
    global STOP
    STOP = stop
    _count_index_calls()
    original_backup = Store._backup

    def backup(self: Store, version: int) -> None:
        original_backup(self, version)
        say("backed up")

    Store._backup = backup
    with open_library(db):
        say("migrated")


def slow_backup(db: str, stop: str) -> None:
    global STOP
    STOP = stop

    def backup(self: Store, version: int) -> None:
        # Store._backup's own steps (same target name, same SQLite online backup), one page per step.
        target = self.path.with_name(f"{self.path.name}.v{version}.bak")
        if target.exists():
            return
        dest = sqlite3.connect(target)
        self.db.conn.backup(dest, pages=1, progress=lambda status, remaining, total: say(f"page {total - remaining}"))
        dest.close()
        say("backed up")

    Store._backup = backup
    with open_library(db):
        say("migrated")


class _TracedOs:
    """The os module as app.core.common.fileio sees it, announcing each step of an atomic write."""

    def __init__(self, label):
        self._label = label

    def __getattr__(self, name):
        return getattr(os, name)

    def fdopen(self, fd, *args, **kwargs):
        return _TracedFile(os.fdopen(fd, *args, **kwargs), self._label)

    def replace(self, source, target):
        os.replace(source, target)
        say(f"export {self._label()} renamed")


class _TracedFile:
    def __init__(self, handle, label):
        self._handle, self._label = handle, label

    def write(self, data):
        half = len(data) // 2
        self._handle.write(data[:half])
        self._handle.flush()
        say(f"export {self._label()} half")
        self._handle.write(data[half:])
        self._handle.flush()
        say(f"export {self._label()} written")
        return len(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)


def export(db: str, target: str, kind: str, stop: str | None = None) -> None:
    global STOP
    STOP = stop
    from app.core.common import fileio
    from app.core.library.export import export_csv, export_markdown
    from app.core.library.webanno import export_json

    n = 0
    fileio.os = _TracedOs(lambda: n)

    with open_library(db) as store:
        post = store.posts(with_text=True)[0]
        while True:
            n += 1
            start = (n * 13) % (len(post.text) - 10)
            new_highlight(store, post, start, start + 10, note=f"書き出し{n}")
            if kind == "json":
                export_json(store, Path(target))
            elif kind == "csv":
                export_csv(store, Path(target))
            else:
                export_markdown(store, Path(target))
            say(f"exported {n}")


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"migrate": migrate, "slow-backup": slow_backup, "export": export}[command](*arguments)
