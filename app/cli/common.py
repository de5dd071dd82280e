"""What every command shares: exit codes, the one-sentence user error, the argument parser that
says a usage mistake in one line, UTF-8 JSON output, and one sentence for a write the disk refused."""

from __future__ import annotations

import argparse
import errno
import json
import sqlite3
import sys

from app.core.posts.post import Post, PostError, load_post
from app.core.reading.furigana_mode import FuriganaMode

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USER_ERROR = 2


class UserError(Exception):
    """A mistake the user can fix; its message is one sentence for stderr."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr and exit 2 (no usage dump)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{message} (see '{self.prog} --help').")


def furigana_mode(text: str) -> FuriganaMode:
    try:
        return FuriganaMode.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def load(path: str) -> Post:
    try:
        return load_post(path)
    except PostError as exc:
        raise UserError(str(exc)) from None


def emit(text: str) -> None:
    # Always UTF-8, whatever the terminal's locale says: scripts parse this output.
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


_REFUSED_WRITES = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG)


def storage_problem(exc: BaseException) -> str | None:
    """One sentence for a write the disk refused (full, read-only, not allowed); None for anything else.

    SQLite rolls the transaction back when the disk refuses a write, so the library keeps what it held.
    """
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if "disk is full" in text:
            return "The disk is full, so this change was not saved (the library keeps what it held); free some space and try again."
        if "readonly" in text or "read-only" in text:
            return "The library cannot be written here (read-only), so this change was not saved."
        return None
    if isinstance(exc, OSError) and exc.errno in _REFUSED_WRITES:
        where = f" {exc.filename}" if exc.filename else ""
        return f"Could not write{where}: {(exc.strerror or str(exc)).rstrip('.')}."
    return None
