"""Building libraries for fault injection and checking what survived; shared by tests/core/test_faults.py
and benchmarks.hostile_report.

Everything is read back with plain sqlite3, so the checks do not depend on the code under test.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import random
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from app.core.library import actions as library
from app.core.library.derived import open_library
from app.core.store import MIGRATIONS, Annotation

FAULT_CHILD = Path(__file__).with_name("fault_child.py")
SEED = 20261128  # kill points are random, but the same on every run
SENTENCES = [
    "半導体の会社が新しい工場を建てると発表した。", "投資額は三千億円で、地元の雇用も増える見込みだ。",
    "担当者は需要の伸びに慎重な見方を示している。", "The analysts were surprised by the numbers.",
    "詳しい数字はまだ公表されていない。", "研究所は来年の計画を説明した。",
]


def post_text(n: int) -> str:
    return "".join(SENTENCES[(n + k) % len(SENTENCES)] + f"第{n}回の{k}番目。\n" for k in range(8))


def integrity(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


def user_data(db: Path) -> dict[str, list[tuple]]:
    """Everything the reader made, read with plain sqlite3 (the same at every schema version)."""
    conn = sqlite3.connect(db)
    try:
        queries = {
            "posts": "SELECT id, source_path, title, text, reading_offset, content_hash FROM posts ORDER BY id",
            "annotations": 'SELECT id, post_id, exact, prefix, suffix, start, "end", color, note, created, updated, deleted, orphan FROM annotations ORDER BY id',
            "annotation_tags": "SELECT annotation_id, tag FROM annotation_tags ORDER BY 1, 2",
            "tags": "SELECT name, color FROM tags ORDER BY name",
            "corrections": "SELECT post_id, surface, reading FROM corrections ORDER BY id",
            "known_words": "SELECT lemma FROM known_words ORDER BY lemma",
        }
        return {name: conn.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


V1_POSTS = 30


def build_v1_library(path: Path) -> None:
    """A schema-1 library (before the search index) with posts, live, deleted and orphaned highlights,
    tags, corrections and known words: migrating it re-indexes every post and highlight."""
    db = sqlite_utils.Database(path)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    for n in range(1, V1_POSTS + 1):
        text = post_text(n)
        db.execute(
            "INSERT INTO posts (id, source_path, title, encoding, content_hash, text, reading_offset, imported_at, updated_at) "
            "VALUES (?, ?, ?, 'utf-8', ?, ?, ?, 't1', 't1')",
            [n, f"/posts/{n:03d}.md", f"記事{n}", f"hash-{n}", text, n],
        )
        for k, (start, deleted, orphan) in enumerate([(0, None, 0), (23, None, 0), (50, "2024-04-02T00:00:00.000000Z", 0), (70, None, 1)]):
            db.execute(
                'INSERT INTO annotations (id, post_id, exact, start, "end", color, note, created, updated, deleted, orphan) '
                "VALUES (?, ?, ?, ?, ?, 'green', ?, 't1', 't1', ?, ?)",
                [f"a{n}-{k}", n, text[start : start + 9], start, start + 9, f"メモ{n}-{k}", deleted, orphan],
            )
        db.execute("INSERT INTO annotation_tags VALUES (?, 'investment')", [f"a{n}-0"])
    db.execute("INSERT INTO tags (name, color) VALUES ('要確認', '#123456')")
    db.execute("INSERT INTO annotation_tags VALUES ('a1-1', '要確認')")
    db.execute("INSERT INTO corrections (post_id, surface, reading, created) VALUES (1, '工場', 'こうば', 't1')")
    db.execute("INSERT INTO known_words VALUES ('会社', 't1')")
    db.conn.commit()
    db.conn.close()


def kill_points() -> list[str]:
    """The child's lines to kill the migration at: after the backup, and at indexing steps."""
    # Index calls in the migration: one per post and one per live highlight (orphans included).
    calls = V1_POSTS + V1_POSTS * 3
    chosen = sorted(random.Random(SEED).sample(range(2, calls - 1), 2))
    return ["backed up", "indexed 1", *(f"indexed {n}" for n in chosen), f"indexed {calls}"]


BASE_HIGHLIGHTS = 1500  # enough that one export takes a while, so kills land mid-write


def exported_count(path: Path, kind: str) -> int:
    """How many of the child's highlights a whole export file holds; AssertionError if it is not whole."""
    data = path.read_bytes()
    if kind == "json":
        document = json.loads(data.decode("utf-8"))
        items = document["first"]["items"]
        assert document["total"] == len(items)
        return len(items) - BASE_HIGHLIGHTS
    if kind == "csv":
        text = data.decode("utf-8-sig")
        assert text.endswith("\n")
        rows = list(csv.reader(io.StringIO(text)))
        assert all(len(row) == len(rows[0]) == 13 for row in rows)
        return len(rows) - 1 - BASE_HIGHLIGHTS
    text = data.decode("utf-8")
    assert text.count("<!-- kakikomi:begin -->") == 1 and text.rstrip().endswith("<!-- kakikomi:end -->")
    assert text.count("元のメモ") == BASE_HIGHLIGHTS
    return text.count("書き出し") - text.count("書き出しの記事")


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, timeout=30)


def umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True, timeout=30)


def fill(disk: Path, leave: int) -> Path:
    """Fill the file system until only about `leave` bytes are free."""
    filler = disk / "filler"
    with open(filler, "wb") as out:
        try:
            while os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize > leave + 65536:
                out.write(b"\0" * 65536)
                out.flush()
            while os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize > leave:
                out.write(b"\0" * 4096)
                out.flush()
        except OSError:
            pass  # the disk filled up: exactly what was asked for when leave is 0
    return filler


def make_library(folder: Path) -> tuple[Path, Path, dict]:
    """A library in `folder` with one post and two highlights; returns (db, post file, user data)."""
    source = folder.parent / "post.md"
    source.write_text("# 記事\n\n" + post_text(2), encoding="utf-8")
    db = folder / "library.sqlite3"
    with open_library(db) as store:
        post = store.post(library.import_paths(store, [source]).added[0])
        library.annotate_quote(store, post, "半導体の会社", tags=["chip"], note="最初のメモ")
        library.annotate_quote(store, post, "投資額", note="二つ目")
    return db, source, user_data(db)




def make_export_library(folder: Path) -> Path:
    """A library with one post and BASE_HIGHLIGHTS highlights (written directly, without indexing)."""
    db = folder / "lib.sqlite3"
    source = folder / "post.md"
    source.write_text("# 書き出しの記事\n\n" + post_text(1) * 20, encoding="utf-8")
    with open_library(db) as store:
        post_id = library.import_paths(store, [source]).added[0]
        text = store.post(post_id).text
        with store.transaction():
            for n in range(BASE_HIGHLIGHTS):
                start = (n * 7) % (len(text) - 12)
                store.put_annotation(Annotation(
                    id=f"base-{n:05d}", post_id=post_id, exact=text[start : start + 12], prefix="", suffix="",
                    start=start, end=start + 12, note=f"元のメモ{n}", created="2024-01-01T00:00:00Z", updated="2024-01-01T00:00:00Z",
                ))
    return db


def table_names(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


class CannotMount(Exception):
    """This machine does not let us mount (not root, or no mount in the container)."""


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "4m") -> Iterator[Path]:
    """`folder` as its own tmpfs of `size` (root only); raises CannotMount otherwise."""
    if os.geteuid() != 0:
        raise CannotMount("a small file system of its own needs root to mount (tmpfs)")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        mount("-t", "tmpfs", "-o", f"size={size}", "kakikomi-test", str(folder))
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        raise CannotMount(f"cannot mount a tmpfs here: {exc}") from None
    try:
        yield folder
    finally:
        umount(folder)


@contextlib.contextmanager
def read_only(folder: Path, view: Path) -> Iterator[Path]:
    """`folder` seen read-only: a read-only bind mount at `view` as root (whom chmod does not stop),
    else `folder` itself made chmod 555 for the time being. Yields the read-only path."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    view.mkdir(parents=True, exist_ok=True)
    try:
        mount("--bind", str(folder), str(view))
        mount("-o", "remount,bind,ro", str(view))
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        umount(view)
        raise CannotMount(f"cannot make a read-only bind mount here: {exc}") from None
    try:
        yield view
    finally:
        umount(view)
