"""The real start-up, `kakikomi FILE` in its own process: with the page prepared by the forked
start-up process (app.ui.prestart) and without it (KAKIKOMI_NO_PRESTART), the window shows the
same post, the page's text is the library's, and the post is the open one (it can be highlighted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.ui.app import DEFAULT_READER_SIZE

REPO_ROOT = Path(__file__).resolve().parents[2]
HELPER = REPO_ROOT / "tests" / "helpers" / "start_window.py"


def start(tmp_path: Path, files: list[str], *, prestart: bool, wait_readings: bool = False) -> dict:
    home = tmp_path / ("with" if prestart else "without")
    env = dict(os.environ, KAKIKOMI_HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               PYTHONPATH=str(REPO_ROOT))
    env.pop("KAKIKOMI_NO_PRESTART", None)
    if not prestart:
        env["KAKIKOMI_NO_PRESTART"] = "1"
    args = [sys.executable, str(HELPER), *files] + (["--wait-readings"] if wait_readings else [])
    result = subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180, check=False)
    reports = [line[7:] for line in result.stdout.splitlines() if line.startswith("REPORT ")]
    assert result.returncode == 0 and reports, result.stdout[-2000:] + result.stderr[-3000:]
    return json.loads(reports[-1])


@pytest.fixture
def post_file(tmp_path: Path) -> Path:
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: 起動の試験\n---\n\n新しい工場に720億ドルを投じる。\n\n二つ目の段落。\n", encoding="utf-8")
    return path


def test_the_prepared_start_shows_what_the_window_alone_shows(tmp_path, post_file):
    prepared = start(tmp_path, [str(post_file)], prestart=True)
    alone = start(tmp_path, [str(post_file)], prestart=False)
    assert prepared["prepared"] is True and alone["prepared"] is False
    for report in (prepared, alone):
        assert report["title"] == "起動の試験 — Kakikomi"
        assert report["current"] == report["post_id"]  # the open post: highlights go to it
        assert report["posts"] == [report["post_id"]]
        assert report["text_matches"] is True
        assert report["rubies"] > 0
    assert prepared["text_length"] == alone["text_length"]
    assert prepared["rubies"] == alone["rubies"]


def test_the_window_completes_itself_after_the_first_frame_without_moving_the_reader(tmp_path, post_file):
    """At start-up the window shows its frame first: the reader paints the prepared page before
    the panels exist (their modules are not even imported), and adding them moves nothing."""
    prepared = start(tmp_path, [str(post_file)], prestart=True)
    alone = start(tmp_path, [str(post_file)], prestart=False)
    assert prepared["frame_imports"] == [] and alone["frame_imports"] == []
    assert prepared["painted_before_complete"] is True
    assert alone["painted_before_complete"] is False  # nothing to paint yet: it completes at once
    for report in (prepared, alone):
        assert report["place_at_complete"] == report["place_when_shown"]
        # A first start has no saved reader size: the page was laid out for the default layout's.
        assert report["place_when_shown"][2:] == list(DEFAULT_READER_SIZE)


def test_a_long_post_gets_all_its_readings_from_the_start_up_process(tmp_path):
    long_post = tmp_path / "long.md"
    paragraphs = [f"第{n}段落では工場と投資の計画について書く。" for n in range(1, 1200)]
    long_post.write_text("---\ntitle: 長い記事\n---\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    report = start(tmp_path, [str(long_post)], prestart=True, wait_readings=True)
    assert report["prepared"] is True
    assert report["text_matches"] is True
    assert report["rubies"] >= 1199 * 4  # 段落, 工場, 投資, 計画 (and 第) in every paragraph


def test_a_file_that_is_no_post_stops_before_any_window(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\x00binary")
    env = dict(os.environ, KAKIKOMI_HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run([sys.executable, "-m", "app", str(bad)], cwd=REPO_ROOT, env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert "bad.md" in result.stderr and "NUL" in result.stderr
    assert not (tmp_path / "home" / "library.sqlite3").exists()


def test_many_files_go_to_the_window_which_completes_without_waiting_for_a_page(tmp_path):
    """The start-up process leaves more than a few files to the window's import (with its
    progress): no page is coming, so the window completes at once and opens the first post."""
    files = []
    for n in range(1, 10):
        path = tmp_path / f"post{n}.md"
        path.write_text(f"---\ntitle: 記事{n}\n---\n\n工場の話、その{n}。\n", encoding="utf-8")
        files.append(str(path))
    report = start(tmp_path, files, prestart=True)
    assert report["painted_before_complete"] is False
    assert report["current"] == report["post_id"] and len(report["posts"]) == 9
    assert report["text_matches"] is True


@pytest.mark.parametrize("prestart", [True, False])
def test_a_folder_is_imported_and_opened_like_open_folder(tmp_path, prestart):
    """`kakikomi FOLDER` (#18): the folder's posts are imported (sub-folders too) and the window
    opens on one of them, as File › Open Folder does; it is not refused as "not a post"."""
    folder = tmp_path / "blog"
    (folder / "2024").mkdir(parents=True)
    (folder / "a.md").write_text("---\ntitle: 一つ目\n---\n\n最初の記事。\n", encoding="utf-8")
    (folder / "b.md").write_text("---\ntitle: 二つ目\ndate: 2024-01-02\n---\n\n二つ目の記事。\n", encoding="utf-8")
    (folder / "2024" / "c.md").write_text("---\ntitle: 三つ目\n---\n\n三つ目の記事。\n", encoding="utf-8")
    report = start(tmp_path, [str(folder)], prestart=prestart)
    assert len(report["posts"]) == 3
    assert report["current"] in report["posts"]
    assert report["text_matches"] is True
