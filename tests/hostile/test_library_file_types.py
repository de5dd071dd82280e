"""What the library file may be (issue #19, defect 4): its type is checked before it is opened.

A FIFO (named pipe) given as the library with --db or as $KAKIKOMI_HOME/library.sqlite3 hung
forever (opening it blocks until a writer comes); a character device (/proc/self/fd/0) was
"disk is full", a looping symlink "does not exist", and an empty (0-byte) file was silently made
a new library. Each now gets its own sentence, exit 2, and the file is left as it was."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from app.core.store import StoreError, open_store
from tests.helpers.cli_runner import run_cli

ONE_LINE = re.compile(r"kakikomi: [^\n]*[.!?]\n")


def _refused(result, *words: str) -> str:
    assert not result.timed_out, "the command hung"
    assert result.code == 2, (result.code, result.stderr)
    assert ONE_LINE.fullmatch(result.stderr), result.stderr
    assert "internal error" not in result.stderr and "disk is full" not in result.stderr.lower()
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    return result.stderr


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.sqlite3"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", [("list",), ("search", "x"), ("import", "README.md"), ("claims", "--all")])
def test_a_fifo_given_with_db_is_refused_at_once(fifo: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    result = run_cli(*command, "--db", str(fifo), env={"KAKIKOMI_HOME": str(tmp_path / "home")}, timeout=20)
    _refused(result, str(fifo), "not a regular file", "pipe")
    assert fifo.exists() and not Path(f"{fifo}-wal").exists()


def test_a_fifo_in_kakikomi_home_is_refused_at_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(home / "library.sqlite3")
    post = tmp_path / "p.md"
    post.write_text("# P\n\n本文です。\n", encoding="utf-8")
    for args in (("list",), ("render", str(post)), ("furigana", str(post))):
        result = run_cli(*args, env={"KAKIKOMI_HOME": str(home)}, timeout=20)
        _refused(result, "library.sqlite3", "not a regular file", "pipe")


def test_a_character_device_is_not_a_full_disk(tmp_path: Path) -> None:
    result = run_cli("list", "--db", "/proc/self/fd/0", env={"KAKIKOMI_HOME": str(tmp_path / "home")}, timeout=20)
    _refused(result, "/proc/self/fd/0", "not a regular file", "device")


def test_a_looping_symlink_is_said_to_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.sqlite3"
    loop.symlink_to(loop)
    for args in (("list", "--db", str(loop)), ("import", "README.md", "--db", str(loop))):
        result = run_cli(*args, env={"KAKIKOMI_HOME": str(tmp_path / "home")}, timeout=20)
        message = _refused(result, str(loop), "symbolic link")
        assert "does not exist" not in message and "loop" in message


def test_an_empty_library_is_not_made_a_new_one(tmp_path: Path) -> None:
    empty = tmp_path / "library.sqlite3"
    empty.write_bytes(b"")
    for args in (("list",), ("import", "README.md")):
        result = run_cli(*args, "--db", str(empty), env={"KAKIKOMI_HOME": str(tmp_path / "home")}, timeout=20)
        _refused(result, str(empty), "empty")
    assert empty.read_bytes() == b""  # left untouched
    assert not Path(f"{empty}-wal").exists()


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_fifo_beside_the_library_is_refused_at_once(tmp_path: Path, suffix: str) -> None:
    """SQLite opens the -wal, -shm and -journal files too: a FIFO there would block it as well."""
    env = {"KAKIKOMI_HOME": str(tmp_path / "home")}
    assert run_cli("import", "README.md", env=env).code == 0
    library = tmp_path / "home" / "library.sqlite3"
    companion = Path(f"{library}{suffix}")
    companion.unlink(missing_ok=True)
    os.mkfifo(companion)
    _refused(run_cli("list", env=env, timeout=20), suffix, "not a regular file", "pipe")


def test_the_store_checks_the_type_before_opening(fifo: Path, tmp_path: Path) -> None:
    """In the core too: a StoreError, not a hang (the window opens libraries the same way)."""
    with pytest.raises(StoreError, match="not a regular file"):
        open_store(fifo)
    with pytest.raises(StoreError, match="empty"):
        (tmp_path / "empty.sqlite3").write_bytes(b"")
        open_store(tmp_path / "empty.sqlite3")
    # A new library is still made where there is none.
    with open_store(tmp_path / "new" / "library.sqlite3") as store:
        assert store.posts() == []
