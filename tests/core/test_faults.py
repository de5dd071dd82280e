"""Faults injected into real processes: SIGKILL during a migration and during an export, a full
disk, a read-only library folder. Afterwards the library passes PRAGMA integrity_check, holds
every committed row, and an export file is the old one or the new one, whole.

Children (tests/helpers/fault_child.py) print how far they got; the parent polls those lines with
deadlines and kills at the chosen line, so no test depends on timing. The full-disk tests mount a
small tmpfs and the read-only tests a read-only bind mount, both as root; without root the full
disk is skipped and the read-only folder falls back to chmod (which does stop a non-root user).
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.library import actions as library
from app.core.library.derived import open_library
from app.core.store import SCHEMA_VERSION
from tests.helpers.cli_runner import ONE_SENTENCE, run_cli
from tests.helpers.library_faults import (
    BASE_HIGHLIGHTS,
    FAULT_CHILD,
    SEED,
    V1_POSTS,
    CannotMount,
    build_v1_library,
    digest,
    exported_count,
    fill,
    integrity,
    kill_points,
    make_export_library,
    make_library,
    post_text,
    read_only,
    small_disk,
    table_names,
    user_data,
)
from tests.helpers.processes import Child, time_limit

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL, tmpfs and bind mounts are Linux tools")

# --- SIGKILL during a migration ----------------------------------------------------------------

@pytest.fixture(scope="module")
def v1_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A pristine schema-1 library and its user data; tests copy it."""
    path = tmp_path_factory.mktemp("v1") / "old.sqlite3"
    build_v1_library(path)
    return path, user_data(path)


@time_limit(60)
@pytest.mark.parametrize("kill_at", kill_points())
def test_a_migration_killed_at_any_point_loses_nothing(kill_at: str, v1_library, tmp_path: Path) -> None:
    """SIGKILL while an old library is upgraded: integrity holds, every row is there, and the next open finishes the upgrade."""
    pristine, before = v1_library
    db = tmp_path / "lib.sqlite3"
    shutil.copyfile(pristine, db)
    with Child("migrate", str(db), kill_at, script=FAULT_CHILD) as child:
        while kill_at not in child.lines:
            child.wait_for_lines(len(child.lines) + 1, timeout=45)
        child.kill()  # the child waits at kill_at, so the kill lands exactly there
        code, _stderr = child.finish(timeout=10)
        said = list(child.lines)
    assert code == -9 and said[-1] == kill_at and "migrated" not in said

    assert integrity(db) == [("ok",)]
    conn = sqlite3.connect(db)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    assert version == 1  # the upgrade is one transaction: a kill anywhere leaves the library as it was
    assert user_data(db) == before
    backup = db.with_name(db.name + ".v1.bak")
    assert integrity(backup) == [("ok",)] and user_data(backup) == before

    with open_library(db) as store:
        assert store.version == SCHEMA_VERSION
        indexed = store.db.execute("SELECT count(*) FROM search_docs WHERE kind = 'text'").fetchone()[0]
        assert indexed == V1_POSTS  # the killed attempt left no duplicate index rows
        assert {p.title for p in store.posts()} == {f"記事{n}" for n in range(1, V1_POSTS + 1)}
    assert integrity(db) == [("ok",)]
    assert user_data(db) == before


@time_limit(60)
def test_a_backup_killed_midway_is_made_again(v1_library, tmp_path: Path) -> None:
    """SIGKILL while the pre-upgrade backup is being copied: the next open still leaves a backup holding every row."""
    pristine, before = v1_library
    db = tmp_path / "lib.sqlite3"
    shutil.copyfile(pristine, db)
    with Child("slow-backup", str(db), "page 3", script=FAULT_CHILD) as child:
        child.wait_for_lines(3, timeout=45)
        assert child.lines == ["page 1", "page 2", "page 3"]
        child.kill()
        child.finish(timeout=10)
    backup = db.with_name(db.name + ".v1.bak")
    assert backup.exists()  # the half-made copy
    with open_library(db) as store:
        assert store.version == SCHEMA_VERSION
    assert user_data(db) == before
    assert integrity(backup) == [("ok",)]
    assert "posts" in table_names(backup)  # today: an empty database
    assert user_data(backup) == before


# --- SIGKILL during an export -------------------------------------------------------------------

@pytest.fixture
def export_library(tmp_path: Path) -> Path:
    """A library with one post and BASE_HIGHLIGHTS highlights."""
    return make_export_library(tmp_path)


@time_limit(120)
@pytest.mark.parametrize("kind", ["json", "csv", "md"])
def test_an_export_killed_midway_leaves_the_old_file_or_the_new(kind: str, export_library: Path, tmp_path: Path) -> None:
    """SIGKILL with the temporary file half written, fully written, and just renamed: the export is the old one or the new one, whole."""
    from app.core.library.export import export_csv, export_markdown
    from app.core.library.webanno import export_json

    target = tmp_path / "out" / f"highlights.{kind}"
    target.parent.mkdir()
    with open_library(export_library) as store:  # the "old" file the first export replaces
        {"json": export_json, "csv": export_csv, "md": export_markdown}[kind](store, target)
    assert exported_count(target, kind) == 0
    chooser = random.Random(f"{SEED}-{kind}")
    for step in ("half", "written", "renamed"):
        before = len(user_data(export_library)["annotations"]) - BASE_HIGHLIGHTS  # the earlier children's highlights
        n = chooser.randint(1, 3)  # which of the child's exports to kill
        stop = f"export {n} {step}"
        with Child("export", str(export_library), str(target), kind, stop, script=FAULT_CHILD) as child:
            while stop not in child.lines:
                child.wait_for_lines(len(child.lines) + 1, timeout=60)
            child.kill()  # the child waits at `stop`, so the kill lands exactly there
            child.finish(timeout=10)
        # The child's n-th export holds `before + n` of its highlights; until renamed, the file is the (n-1)-th
        # (for n = 1 that is the file of the round before, which may hold fewer).
        count = exported_count(target, kind)
        if step == "renamed":
            assert count == before + n
        else:
            assert count == before + n - 1 if n > 1 else count <= before
        leftovers = [p for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.")]
        assert len(leftovers) == (0 if step == "renamed" else 1)  # the temporary file a kill leaves behind
        for leftover in leftovers:
            leftover.unlink()
    assert integrity(export_library) == [("ok",)]
    stored = user_data(export_library)["annotations"]
    assert len(stored) >= BASE_HIGHLIGHTS + exported_count(target, kind)  # every highlight the exports held is stored
    assert [p.name for p in target.parent.iterdir()] == [target.name]


# --- a full disk ---------------------------------------------------------------------------------


@pytest.fixture(name="small_disk")
def small_disk_fixture(tmp_path: Path) -> Iterator[Path]:
    """A folder on its own 4 MB tmpfs (root only)."""
    try:
        with small_disk(tmp_path / "disk") as disk:
            yield disk
    except CannotMount as exc:
        pytest.skip(str(exc))


def assert_refused_in_one_sentence(result) -> str:
    message = result.stderr.strip()
    assert (result.code, result.timed_out) == (2, False), result.stderr
    assert "Traceback" not in result.stderr and ONE_SENTENCE.fullmatch(message), message
    return message


@time_limit(90)
@pytest.mark.parametrize("free", [0, 48 * 1024], ids=["full", "nearly-full"])
def test_a_full_disk_refuses_writes_in_one_sentence_and_loses_nothing(free: int, small_disk: Path, tmp_path: Path) -> None:
    """On a full disk, annotate and import exit 2 with one sentence; the library keeps every row and works again once there is space."""
    db, _source, before = make_library(small_disk)
    other = tmp_path / "other.md"
    other.write_text("# 別の記事\n\n" + post_text(3) * 40, encoding="utf-8")
    filler = fill(small_disk, free)
    env = {"KAKIKOMI_HOME": str(tmp_path / "home")}
    big_note = "メモ" * 20_000  # 120 KB (one argument may hold 128 KB): more than the space left
    for args in (
        ("annotate", "1", "--quote", "新しい工場", "--note", big_note, "--db", str(db)),
        ("import", str(other), "--db", str(db)),
    ):
        assert_refused_in_one_sentence(run_cli(*args, env=env))
    filler.unlink()
    assert integrity(db) == [("ok",)]
    assert user_data(db) == before
    result = run_cli("annotate", "1", "--quote", "新しい工場", "--db", str(db), env=env)
    assert result.code == 0, result.stderr
    assert len(user_data(db)["annotations"]) == len(before["annotations"]) + 1


@time_limit(60)
def test_a_full_disk_is_not_reported_as_a_damaged_library(small_disk: Path, tmp_path: Path) -> None:
    """With no space left at all, the message says the disk is full rather than that the library is damaged."""
    db, _source, _before = make_library(small_disk)
    fill(small_disk, 0)
    message = assert_refused_in_one_sentence(run_cli("annotate", "1", "--quote", "投資額", "--db", str(db)))
    assert "damaged" not in message and ("full" in message or "space" in message)


@time_limit(60)
def test_a_full_disk_keeps_the_old_export_and_the_old_page(small_disk: Path, tmp_path: Path) -> None:
    """An export or a rendered page that does not fit leaves the previous file whole and no partial file, with exit 2."""
    (tmp_path / "library").mkdir()
    db, source, _before = make_library(tmp_path / "library")  # the library has room; the output disk has not
    export = small_disk / "highlights.json"
    page = small_disk / "page.html"
    env = {"KAKIKOMI_HOME": str(tmp_path / "home")}
    assert run_cli("export", "--format", "json", "-o", str(export), "--db", str(db), env=env).code == 0
    assert run_cli("render", str(source), "-o", str(page), env=env).code == 0
    old_export, old_page = digest(export), digest(page)
    with open_library(db) as store:
        library.annotate_quote(store, store.post(1), "新しい工場", note="新しいメモ" * 5000)
    fill(small_disk, 0)
    for args in (("export", "--format", "json", "-o", str(export), "--db", str(db)), ("render", str(source), "-o", str(page))):
        message = assert_refused_in_one_sentence(run_cli(*args, env=env))
        assert "No space left on device" in message
    assert (digest(export), digest(page)) == (old_export, old_page)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "highlights.json", "page.html"]


# --- a read-only library folder ----------------------------------------------------------------


@pytest.fixture
def read_only_library(tmp_path: Path) -> Iterator[tuple[Path, Path, Path, dict]]:
    """(folder, the folder as seen read-only, post file, user data) for a library made in the folder."""
    folder = tmp_path / "library"
    folder.mkdir()
    _db, source, before = make_library(folder)
    try:
        with read_only(folder, tmp_path / "read-only") as view:
            yield folder, view, source, before
    except CannotMount as exc:
        pytest.skip(str(exc))


@time_limit(60)
def test_a_read_only_library_folder_refuses_writes_in_one_sentence(read_only_library, tmp_path: Path) -> None:
    """In a read-only folder, annotate, import and export exit 2 with one sentence, and the library's files do not change."""
    folder, view, source, before = read_only_library
    db = folder / "library.sqlite3"
    files_before = {p.name: digest(p) for p in folder.iterdir()}
    env = {"KAKIKOMI_HOME": str(tmp_path / "home")}
    for args in (
        ("annotate", "1", "--quote", "新しい工場", "--db", str(view / db.name)),
        ("import", str(source), "--db", str(view / db.name)),
        ("export", "--format", "csv", "-o", str(view / "out.csv"), "--db", str(db)),
    ):
        assert_refused_in_one_sentence(run_cli(*args, env=env))
    assert {p.name: digest(p) for p in folder.iterdir()} == files_before
    assert integrity(db) == [("ok",)]
    assert user_data(db) == before


@time_limit(60)
def test_a_read_only_library_is_not_reported_as_damaged(read_only_library) -> None:
    """The message for a library in a read-only folder says it cannot be written, not that it is damaged."""
    _folder, view, _source, _before = read_only_library
    message = assert_refused_in_one_sentence(run_cli("annotate", "1", "--quote", "投資額", "--db", str(view / "library.sqlite3")))
    assert "damaged" not in message and ("read-only" in message or "cannot be written" in message)


@pytest.mark.parametrize("error, words", [
    (sqlite3.OperationalError("database or disk is full"), "The disk is full"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
    (OSError(28, "No space left on device", "/x/out.json"), "Could not write /x/out.json: No space left on device."),
    (OSError(30, "Read-only file system", "/x/out.csv"), "Could not write /x/out.csv: Read-only file system."),
])
def test_a_refused_write_is_one_sentence_not_an_internal_error(error: Exception, words: str, monkeypatch, capsys) -> None:
    """A write the disk refuses, raised anywhere in a command, is exit 2 with one sentence instead of an internal error."""
    from app.cli import main as cli

    def refuse(_args):
        raise error

    monkeypatch.setattr(cli, "cmd_info", refuse)
    assert cli.run(["info", "x.md"]) == cli.EXIT_USER_ERROR
    message = capsys.readouterr().err.strip()
    assert ONE_SENTENCE.fullmatch(message) and words in message
