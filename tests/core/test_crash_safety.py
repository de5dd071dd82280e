"""Crash safety of the library: a killed writer loses nothing it reported, and processes share the file.

Each test runs child processes (tests/helpers/crash_child.py) that print a line only after a
transaction has committed. The parent polls their output with deadlines instead of sleeping, so
the tests hold on a loaded machine; each test also has an overall time limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.library import actions as library
from app.core.library.derived import open_library
from app.core.store.database import BUSY_TIMEOUT_MS
from tests.helpers.library_faults import integrity
from tests.helpers.processes import REPO_ROOT, Child, time_limit, wait_until

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="SIGKILL and SIGALRM are POSIX")

SUBJECTS = ["半導体メーカー", "地方の銀行", "新しい工場", "電池の会社", "研究所", "小さな商店", "市役所", "大学の研究室"]
EVENTS = ["来年の計画を発表した", "投資を増やすと決めた", "人を多く雇う予定だ", "売上が二割伸びた", "株価が大きく下がった", "新製品を披露した"]
REMARKS = [
    "担当者は慎重な見方を示している。",
    "地元の人々の反応はさまざまだ。",
    "専門家は需要の伸びに注目している。",
    "The analysts were surprised by the numbers.",
    "詳しい数字はまだ公表されていない。",
]


def generated_post(n: int) -> str:
    """A post of a few paragraphs, different for every n, built from the lists above."""
    paragraphs = []
    for p in range(6):
        k = n * 7 + p
        paragraphs.append(
            f"{SUBJECTS[k % len(SUBJECTS)]}が{EVENTS[(k // 3) % len(EVENTS)]}。第{n}回の記事の第{p + 1}段落。"
            f"{REMARKS[(k // 2) % len(REMARKS)]}{SUBJECTS[(k + 3) % len(SUBJECTS)]}も{EVENTS[(k + 1) % len(EVENTS)]}。"
        )
    return f"---\ntitle: 記事 {n:03d}\ndate: 2024-01-{1 + n % 28:02d}\n---\n\n" + "\n\n".join(paragraphs) + "\n"


def write_posts(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"post-{n:03d}.md"
        path.write_text(generated_post(n), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def one_post_library(tmp_path: Path) -> tuple[Path, int]:
    """A library holding one generated post; returns (db, post id)."""
    db = tmp_path / "lib.sqlite3"
    [path] = write_posts(tmp_path / "one", 1)
    with open_library(db) as store:
        report = library.import_paths(store, [path])
    return db, report.added[0]


@time_limit(60)
def test_an_import_killed_midway_keeps_every_committed_post(tmp_path: Path) -> None:
    """SIGKILL during an import of 300 posts: the file passes integrity_check and every reported post is there, whole."""
    folder = tmp_path / "posts"
    write_posts(folder, 300)
    db = tmp_path / "lib.sqlite3"
    open_library(db).close()
    with Child("import", str(db), str(folder)) as child:
        child.wait_for_lines(40, timeout=45)
        child.kill()
        code, _stderr = child.finish(timeout=10)
        reported = list(child.lines)
    assert code == -9
    assert 40 <= len(reported) < 300

    assert integrity(db) == [("ok",)]
    with open_library(db) as store:
        stored = {p.source_path: p for p in store.posts(with_text=True)}
        assert set(reported) <= set(stored)
        for post in stored.values():
            # A post is never half there: its row and its search index entry were one transaction.
            rows = store.db.execute("SELECT count(*) FROM search_text WHERE kind = 'text' AND post_id = ?", [post.id]).fetchone()[0]
            assert rows == 1, post.source_path
            assert post.title.startswith("記事 ") and "段落" in post.text
        # The library carries on: importing again adds the rest and leaves the committed ones unchanged.
        report = library.import_paths(store, [folder])
    assert report.errors == []
    assert len(report.unchanged) == len(stored) and len(report.added) == 300 - len(stored)


@time_limit(60)
def test_highlights_killed_midway_keep_every_committed_one(one_post_library: tuple[Path, int]) -> None:
    """SIGKILL while highlights are written one by one: integrity holds and every printed id is stored with its tags."""
    db, post_id = one_post_library
    with Child("annotate", str(db), str(post_id), "1000000") as child:
        child.wait_for_lines(60, timeout=45)
        child.kill()
        code, _stderr = child.finish(timeout=10)
        reported = list(child.lines)
    assert code == -9

    assert integrity(db) == [("ok",)]
    with open_library(db) as store:
        stored = {a.id: a for a in store.annotations(post_id)}
        assert set(reported) <= set(stored)
        assert len(stored) - len(reported) <= 1  # at most the one committed just before the kill, unprinted
        text = store.post(post_id).text
        for annotation in stored.values():
            assert text[annotation.start : annotation.end] == annotation.exact
            assert len(annotation.tags) == 1 and annotation.note.startswith("メモ")
            indexed = store.db.execute("SELECT count(*) FROM search_text WHERE annotation_id = ?", [annotation.id]).fetchone()[0]
            assert indexed >= 1


@time_limit(90)
def test_two_writers_at_once_both_finish(one_post_library: tuple[Path, int], tmp_path: Path) -> None:
    """Two processes writing 200 highlights each to the same library wait for each other; all 400 are stored."""
    db, post_id = one_post_library
    go = tmp_path / "go"
    with Child("annotate", str(db), str(post_id), "200", str(go)) as first, Child("annotate", str(db), str(post_id), "200", str(go)) as second:
        first.wait_for_lines(1, timeout=30)
        second.wait_for_lines(1, timeout=30)
        assert first.lines[0] == second.lines[0] == "ready"
        go.touch()
        results = [first.finish(timeout=70), second.finish(timeout=70)]
        written = first.lines[1:] + second.lines[1:]
    for code, stderr in results:
        assert (code, stderr) == (0, "")
    assert len(written) == len(set(written)) == 400

    assert integrity(db) == [("ok",)]
    with open_library(db) as store:
        stored = store.annotations(post_id)
        assert {a.id for a in stored} == set(written)
        assert store.post(post_id).highlight_count == 400
        assert sum(t["uses"] for t in store.tags() if t["name"].startswith("batch-")) == 400


@time_limit(60)
def test_a_reader_reads_while_another_process_writes(one_post_library: tuple[Path, int], tmp_path: Path) -> None:
    """While a writer holds an open transaction, another process reads at once and sees only committed highlights."""
    db, post_id = one_post_library
    with open_library(db) as store:
        committed = library.annotate_quote(store, store.post(post_id), store.post(post_id).text[:6])
    release = tmp_path / "release"

    def read() -> tuple[float, list[dict]]:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "app", "annotations", str(post_id), "--json", "--db", str(db)],
            cwd=REPO_ROOT, capture_output=True, timeout=30, check=False,
            env={**os.environ, "KAKIKOMI_HOME": str(tmp_path / "home")},
        )
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        return time.monotonic() - started, json.loads(result.stdout)

    with Child("hold", str(db), str(post_id), str(release)) as writer:
        writer.wait_for_lines(1, timeout=30)
        assert writer.lines == ["holding"]
        elapsed, seen = read()
        # Far below the busy timeout: the reader did not wait for the writer's lock.
        assert elapsed < BUSY_TIMEOUT_MS / 1000 / 2
        assert [a["id"] for a in seen] == [committed.id]
        assert writer.process.poll() is None  # the write transaction was open the whole time
        release.touch()
        writer.wait_for_lines(2, timeout=30)
        code, stderr = writer.finish(timeout=30)
    assert (code, stderr) == (0, "")
    _elapsed, seen = read()
    assert len(seen) == 6
    assert sum(a["note"] == "未確定" for a in seen) == 5


def test_the_time_limit_stops_a_test_that_hangs() -> None:
    """time_limit() turns a hung test into a TimeoutError, and the polling helpers give up with an AssertionError."""

    @time_limit(0.2)
    def hangs() -> None:
        while True:
            time.sleep(0.01)

    with pytest.raises(TimeoutError, match="hangs ran longer than its 0.2 s limit"):
        hangs()
    with pytest.raises(AssertionError, match="timed out waiting for nothing"):
        wait_until(lambda: False, timeout=0.05, what="nothing")
