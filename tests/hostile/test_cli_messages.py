"""Messages for bad input (issue #19, defect 14): one clear sentence and exit 2, never an internal
error or a codec's own words. Invalid UTF-8 in a search, a note or a tag; a --limit no one means;
JSON columns of the library edited by hand; a disk that fills up in the middle of an import."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.cli_runner import run_cli
from tests.helpers.library_faults import CannotMount, fill, small_disk

ONE_LINE = re.compile(r"kakikomi: [^\n]*[^\s.][.!?]\n")
BAD_UTF8 = os.fsdecode(b"\xff\xfe bad")  # what the shell hands over for bytes that are not UTF-8


def _refused(result, *words: str) -> str:
    assert not result.timed_out
    assert result.code == 2, (result.code, result.stderr)
    assert ONE_LINE.fullmatch(result.stderr), result.stderr
    for unwanted in ("internal error", "codec", "surrogates", "Traceback"):
        assert unwanted not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    return result.stderr


@pytest.fixture
def library(tmp_path: Path) -> dict:
    """A library with one post (id 1) and one highlight; the environment to reach it."""
    env = {"KAKIKOMI_HOME": str(tmp_path / "home")}
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: 工場\ntags: [chip]\n---\n\n北陸の町に半導体の工場ができる。投資額は約二千億円。\n", encoding="utf-8")
    assert run_cli("import", str(post), env=env).code == 0
    made = run_cli("annotate", "1", "--quote", "工場", "--tag", "claim", env=env)
    assert made.code == 0, made.stderr
    return env


def test_invalid_utf8_in_a_search_is_one_sentence(library: dict) -> None:
    _refused(run_cli("search", BAD_UTF8, env=library), "QUERY", "UTF-8", "\\xff\\xfe")


@pytest.mark.parametrize("option", ["--note", "--tag", "--quote"])
def test_invalid_utf8_in_a_note_or_tag_is_one_sentence(library: dict, option: str) -> None:
    args = ["annotate", "1", "--quote", "工場", option, BAD_UTF8]
    _refused(run_cli(*args, env=library), option, "UTF-8")
    _refused(run_cli("claim-status", "x", "confirmed", "--note", BAD_UTF8, env=library), "--note", "UTF-8")


@pytest.mark.parametrize("limit", ["1e23", "100000000000000000000000", "0", "-1", "x"])
def test_a_limit_no_one_means_is_one_sentence(library: dict, limit: str) -> None:
    _refused(run_cli("search", "工場", "--limit", limit, env=library), "--limit")


def test_a_sensible_limit_still_works(library: dict) -> None:
    result = run_cli("search", "工場", "--limit", "1", env=library)
    assert result.code == 0, result.stderr


TAMPERED = [
    ("UPDATE posts SET tags = 'not json'", "tags"),
    ("UPDATE posts SET categories = '{'", "categories"),
    ("UPDATE posts SET warnings = '5'", "warnings"),
    ("UPDATE posts SET tags = '[1, [2]]'", "tags"),
    ("UPDATE post_blocks SET spans = '[[\"a\"]]'", "blocks"),
    ("UPDATE post_blocks SET spans = 'garbage'", "blocks"),
]


@pytest.mark.parametrize("sql, column", TAMPERED, ids=[f"{c}-{i}" for i, (_s, c) in enumerate(TAMPERED)])
def test_tampered_json_columns_are_one_sentence(library: dict, tmp_path: Path, sql: str, column: str) -> None:
    with sqlite3.connect(tmp_path / "home" / "library.sqlite3") as conn:
        conn.execute(sql)
    for args in (("list",), ("list", "--json"), ("annotations", "1"), ("search", "工場"), ("claims", "1"), ("claims", "--all")):
        result = run_cli(*args, env=library)
        assert result.code in (0, 2), (args, result.code, result.stderr)
        if result.code == 2:
            _refused(result, "damaged")


@pytest.fixture
def disk(tmp_path: Path):
    try:
        with small_disk(tmp_path / "disk", size="4m") as folder:
            yield folder
    except CannotMount as exc:
        pytest.skip(str(exc))


def test_a_disk_full_midway_says_how_many_posts_were_saved(disk: Path, tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    for n in range(12):
        (posts / f"{n:02}.md").write_text(f"# 記事{n}\n\n" + f"半導体の工場の記事、第{n}回。投資額は{n}億円。\n" * 1500, encoding="utf-8")
    db = disk / "library.sqlite3"
    env = {"KAKIKOMI_HOME": str(tmp_path / "home")}
    assert run_cli("import", str(posts / "00.md"), "--db", str(db), env=env).code == 0
    fill(disk, 900 * 1024)
    result = run_cli("import", str(posts), "--db", str(db), env=env)
    message = _refused(result, "full")
    with sqlite3.connect(db) as conn:
        saved = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    assert 1 < saved < 12, saved  # some fitted, not all (else the test proves nothing)
    assert "not saved" not in message or "were saved" in message
    # 00.md was there already (unchanged): the message counts the files imported this time.
    assert re.search(rf"\b{saved} of 12 files\b", message), message
