"""Tests for the library commands (import, list, annotate, annotations, search) run as `python -m app` in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.library import actions as library
from app.core.store import SCHEMA_VERSION, open_store
from tests.helpers.cli_runner import ENGLISH_LOCALE

REPO_ROOT = Path(__file__).resolve().parents[2]

FACTORY = """---
title: 新しい工場
date: 2024-05-10
---

北陸の町に半導体の工場ができる。工場の投資額は約二千億円と発表された。

地元では期待の声が多い一方で、水の使い方を心配する人もいる。工場の完成は再来年の予定だ。
"""
ENGLISH = "# Memory chips\n\nPrices for memory chips rose again this quarter, the company said.\n"


def run(*args: str, home: Path, cwd: Path = REPO_ROOT, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m app ARGS` with KAKIKOMI_HOME in the test's folder, so no real library is ever touched;
    its sentences in English whatever the machine's locale, unless `env` says otherwise."""
    environment = {**os.environ, **ENGLISH_LOCALE, "KAKIKOMI_HOME": str(home), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=cwd, env=environment, capture_output=True, text=True,
        encoding="utf-8", timeout=60, check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def ok_json(result: subprocess.CompletedProcess[str]):
    return json.loads(ok(result))


def assert_user_error(result: subprocess.CompletedProcess[str], *phrases: str) -> str:
    """Exit 2, exactly one line on stderr starting with 'kakikomi:', no traceback; returns the line."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kakikomi: ")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for phrase in phrases:
        assert phrase in lines[0]
    return lines[0]


def import_in_process(db: Path, *paths: Path) -> None:
    """Set up a library without a subprocess, for tests of the other commands."""
    with open_store(db) as store:
        report = library.import_paths(store, paths)
    assert report.errors == [] and report.added


def highlights(db: Path, post: str | int) -> list:
    with open_store(db) as store:
        return store.annotations(store.post(post).id)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    folder = tmp_path / "posts"
    (folder / "tech").mkdir(parents=True)
    (folder / "factory.md").write_text(FACTORY, encoding="utf-8")
    (folder / "tech" / "memory.md").write_text(ENGLISH, encoding="utf-8")
    return folder


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lib.sqlite3"


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory):
    """A library with both posts and one highlight, for commands that only read or fail."""
    root = tmp_path_factory.mktemp("cli")
    folder = root / "posts"
    folder.mkdir()
    (folder / "factory.md").write_text(FACTORY, encoding="utf-8")
    (folder / "memory.md").write_text(ENGLISH, encoding="utf-8")
    home = root / "home"
    db = root / "lib.sqlite3"
    import_in_process(db, folder / "factory.md", folder / "memory.md")
    with open_store(db) as store:
        library.annotate_quote(store, store.post(1), "水の使い方", tags=["question"])
    return {"db": db, "home": home, "factory": folder / "factory.md", "root": root}


# --- import -----------------------------------------------------------------------------------


def test_import_prints_a_summary(posts: Path, db: Path, home: Path) -> None:
    """`import FOLDER` exits 0 with a one-line summary; importing again reports the posts unchanged."""
    assert ok(run("import", str(posts), "--db", str(db), home=home)) == "Imported 2 posts: 2 new, 0 updated, 0 unchanged.\n"
    assert ok(run("import", str(posts), "--db", str(db), home=home)) == "Imported 2 posts: 0 new, 0 updated, 2 unchanged.\n"
    assert db.is_file()
    assert not (home / "library.sqlite3").exists()


def test_import_takes_several_paths(posts: Path, db: Path, home: Path, tmp_path: Path) -> None:
    """`import PATH PATH...` imports every file and folder named."""
    extra = tmp_path / "extra.txt"
    extra.write_text("追加のメモです。\n", encoding="utf-8")
    out = ok(run("import", str(posts / "factory.md"), str(posts / "tech"), str(extra), "--db", str(db), home=home))
    assert out.startswith("Imported 3 posts: 3 new")


def test_import_reports_moved_and_orphaned_highlights(posts: Path, db: Path, home: Path) -> None:
    """Re-importing an edited file says how many highlights moved with their text and how many were orphaned."""
    import_in_process(db, posts)
    factory = str(posts / "factory.md")
    with open_store(db) as store:
        library.annotate_quote(store, store.post(factory), "期待の声")
        library.annotate_quote(store, store.post(factory), "水の使い方")
    (posts / "factory.md").write_text(FACTORY.replace("北陸の町に", "先週、北陸の町に").replace("水の使い方を心配する人もいる。", ""), encoding="utf-8")
    out = ok(run("import", factory, "--db", str(db), home=home))
    assert out.splitlines() == [
        "Imported 1 post: 0 new, 1 updated, 0 unchanged.",
        "Highlights moved with their text: 1; orphaned (kept): 1.",
    ]
    assert sorted((a.exact, a.orphan) for a in highlights(db, factory)) == [("期待の声", False), ("水の使い方", True)]


def test_a_bad_file_in_a_folder_is_named_on_stderr_and_the_rest_imported(posts: Path, db: Path, home: Path) -> None:
    """A folder with one bad file still exits 0; stderr has one line naming the skipped file and why."""
    (posts / "tech" / "broken.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(1, 100)))
    result = run("import", str(posts), "--db", str(db), home=home)
    assert ok(result) == "Imported 2 posts: 2 new, 0 updated, 0 unchanged.\n"
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("kakikomi: skipped ") and str(posts / "tech" / "broken.md") in lines[0]
    assert "binary" in lines[0]


def test_import_exits_2_when_every_file_is_bad(tmp_path: Path, db: Path, home: Path) -> None:
    """When nothing could be imported, import exits 2 and names each bad file on its own stderr line."""
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.md").write_bytes(b"")
    (folder / "nul.md").write_bytes("途中に\x00がある".encode())
    result = run("import", str(folder), str(tmp_path / "missing.md"), "--db", str(db), home=home)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith("kakikomi: skipped ") for line in lines)
    for name in ("empty.md", "nul.md", "missing.md"):
        assert sum(name in line for line in lines) == 1


def test_import_json_reports_each_file(posts: Path, db: Path, home: Path) -> None:
    """`import --json` prints the report: ids added, updated, unchanged, and errors with their file."""
    (posts / "empty.md").write_bytes(b"")
    report = ok_json(run("import", str(posts), "--json", "--db", str(db), home=home))
    assert len(report["added"]) == 2 and report["updated"] == [] and report["cancelled"] is False
    assert report["errors"] == [{"file": str(posts / "empty.md"), "error": "empty.md is empty."}]


def test_import_problems_are_japanese_on_stderr_and_english_in_json(tmp_path: Path, db: Path, home: Path) -> None:
    """With LANG=ja_JP.UTF-8 (settings following the system), what import could not do is said in
    Japanese on stderr; --json keeps the English sentences."""
    japanese = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "ja_JP.UTF-8"}
    missing = tmp_path / "missing.md"
    result = run("import", str(missing), "--db", str(db), home=home, env=japanese)
    assert result.returncode == 2
    assert result.stderr == f"kakikomi: {missing} を読み込みませんでした: missing.md は存在しません。\n"
    report = json.loads(run("import", str(missing), "--json", "--db", str(db), home=home, env=japanese).stdout)
    assert report["errors"] == [{"file": str(missing), "error": "missing.md does not exist."}]
    result = run("annotations", "999", "--db", str(db), home=home, env=japanese)
    assert (result.returncode, result.stderr) == (
        2, "kakikomi: 記事 '999' はライブラリにありません。記事とその ID は `kakikomi list` で確認できます。\n"
    )


# --- list -------------------------------------------------------------------------------------


def test_list_of_an_empty_library_says_how_to_add_posts(db: Path, home: Path) -> None:
    """`list` on a new library explains how to import, and `list --json` is an empty array."""
    assert "kakikomi import" in ok(run("list", "--db", str(db), home=home))
    assert ok_json(run("list", "--json", "--db", str(db), home=home)) == []


def test_list_shows_the_posts(shelf) -> None:
    """`list` prints one line per post with its id, date, highlight count (1 highlight, 0 highlights) and title,
    the titles in one column."""
    out = ok(run("list", "--db", str(shelf["db"]), home=shelf["home"]))
    lines = out.splitlines()
    assert len(lines) == 2
    [factory] = [line for line in lines if "新しい工場" in line]
    [memory] = [line for line in lines if "Memory chips" in line]
    assert "2024-05-10" in factory and "  1 highlight   新しい工場" in factory and "highlights" not in factory
    assert "  0 highlights  Memory chips" in memory
    assert factory.index("新しい工場") == memory.index("Memory chips")


def test_list_json_has_the_metadata(shelf) -> None:
    """`list --json` gives each post's id, path, title, date and highlight count, and no text."""
    posts = ok_json(run("list", "--json", "--db", str(shelf["db"]), home=shelf["home"]))
    by_title = {p["title"]: p for p in posts}
    factory = by_title["新しい工場"]
    assert (factory["id"], factory["date"], factory["highlights"]) == (1, "2024-05-10", 1)
    assert factory["source_path"] == str(shelf["factory"].resolve())
    assert "text" not in factory and factory["characters"] > 0


# --- annotate and annotations ---------------------------------------------------------------

ANNOTATION_KEYS = {"id", "quote", "start", "end", "tags", "note", "colour", "orphan"}


def test_annotate_by_id_with_every_option(posts: Path, db: Path, home: Path) -> None:
    """`annotate ID --quote --occurrence --tag --tag --note --color` prints the new id and stores every field."""
    import_in_process(db, posts)
    new_id = ok(run(
        "annotate", "1", "--quote", "工場", "--occurrence", "3", "--tag", "chip", "--tag", "#claim", "--note", "完成の時期",
        "--color", "green", "--db", str(db), home=home,
    )).strip()
    [made] = highlights(db, 1)
    assert made.id == new_id
    with open_store(db) as store:
        text = store.post(1).text
    third = text.index("工場", text.index("工場", text.index("工場") + 1) + 1)
    assert (made.exact, made.start, made.end) == ("工場", third, third + 2)
    assert (made.tags, made.note, made.color, made.orphan) == (("chip", "claim"), "完成の時期", "green", False)


def test_annotate_by_source_path_absolute_and_relative(posts: Path, db: Path, home: Path) -> None:
    """POST may be the post's file, as an absolute path or relative to the current folder."""
    import_in_process(db, posts)
    ok(run("annotate", str(posts / "factory.md"), "--quote", "期待の声", "--db", str(db), home=home))
    ok(run("annotate", "tech/memory.md", "--quote", "memory chips", "--colour", "blue", "--db", str(db), home=home, cwd=posts))
    memory = ok_json(run("annotations", "memory.md", "--json", "--db", str(db), home=home, cwd=posts / "tech"))
    assert [a.exact for a in highlights(db, str(posts / "factory.md"))] == ["期待の声"]
    assert [(a["quote"], a["colour"]) for a in memory] == [("memory chips", "blue")]


def test_annotate_json_prints_the_highlight(posts: Path, db: Path, home: Path) -> None:
    """`annotate --json` prints the new highlight with the same keys as `annotations --json`."""
    import_in_process(db, posts)
    made = ok_json(run("annotate", "1", "--quote", "投資額", "--json", "--db", str(db), home=home))
    assert ANNOTATION_KEYS <= set(made)
    assert made["quote"] == "投資額" and made["colour"] == "yellow"


def test_annotating_a_highlighted_quote_again_updates_it(posts: Path, db: Path, home: Path) -> None:
    """`annotate` on exactly the span of a live highlight prints that highlight's id and updates it
    (tags added, note and colour replaced when given) instead of making a second one."""
    import_in_process(db, posts)
    first = ok(run("annotate", "1", "--quote", "投資額", "--tag", "investment", "--color", "pink", "--db", str(db), home=home)).strip()
    again = ok(run("annotate", "1", "--quote", "投資額", "--tag", "claim", "--note", "要確認", "--db", str(db), home=home)).strip()
    assert again == first
    [made] = highlights(db, 1)
    assert (made.id, set(made.tags), made.note, made.color) == (first, {"investment", "claim"}, "要確認", "pink")
    shown = ok_json(run("annotate", "1", "--quote", "投資額", "--color", "blue", "--json", "--db", str(db), home=home))
    assert (shown["id"], shown["outcome"], shown["colour"], shown["note"]) == (first, "updated", "blue", "要確認")
    # A quote overlapping it merges the two: the first highlight's id again, one live highlight.
    merged = ok_json(run("annotate", "1", "--quote", "工場の投資", "--json", "--db", str(db), home=home))
    assert (merged["id"], merged["outcome"], merged["quote"]) == (first, "merged", "工場の投資額")
    assert [a.id for a in highlights(db, 1)] == [first]


def test_annotations_json_has_the_keys_scripts_rely_on(shelf) -> None:
    """Every item of `annotations POST --json` has id, quote, start, end, tags, note, colour and orphan (a JSON boolean)."""
    listed = ok_json(run("annotations", "1", "--json", "--db", str(shelf["db"]), home=shelf["home"]))
    assert len(listed) == 1
    item = listed[0]
    assert ANNOTATION_KEYS <= set(item)
    assert item["orphan"] is False
    assert isinstance(item["start"], int) and isinstance(item["end"], int) and isinstance(item["tags"], list)
    assert (item["quote"], item["tags"], item["note"], item["colour"]) == ("水の使い方", ["question"], "", "yellow")


def test_annotations_text_output(shelf) -> None:
    """`annotations POST` prints each highlight's id, span, colour, tags and quote."""
    out = ok(run("annotations", "1", "--db", str(shelf["db"]), home=shelf["home"]))
    assert "水の使い方" in out and "#question" in out and "yellow" in out
    empty = ok(run("annotations", "2", "--db", str(shelf["db"]), home=shelf["home"]))
    assert "No highlights" in empty


# --- search -----------------------------------------------------------------------------------


def test_search_json_lists_hits(shelf) -> None:
    """`search QUERY --json` gives hits with kind, snippet, marked match and offset into the post's text."""
    hits = ok_json(run("search", "投資", "--json", "--db", str(shelf["db"]), home=shelf["home"]))
    assert [h["kind"] for h in hits] == ["text"]
    hit = hits[0]
    assert "【投資】" in hit["marked"]
    start, end = hit["match"]
    assert hit["snippet"][start:end] == "投資"
    with open_store(shelf["db"]) as store:
        assert store.post(hit["post"]).text[hit["offset"] : hit["offset"] + 2] == "投資"


def test_search_finds_highlights_and_readings(shelf) -> None:
    """`search` finds a highlight's tag, and a kana query finds kanji by reading."""
    tags = ok_json(run("search", "question", "--json", "--db", str(shelf["db"]), home=shelf["home"]))
    assert [h["kind"] for h in tags] == ["tag"] and tags[0]["annotation"]
    readings = ok_json(run("search", "とうし", "--json", "--db", str(shelf["db"]), home=shelf["home"]))
    assert [h["marked"].count("【投資】") for h in readings] == [1]
    out = ok(run("search", "宇宙旅行", "--db", str(shelf["db"]), home=shelf["home"]))
    assert out.startswith("Nothing found")


# --- user errors ------------------------------------------------------------------------------

def library_state(db: Path) -> tuple:
    """Everything a command could change: posts and every highlight with its fields."""
    with open_store(db) as store:
        return tuple(p.to_json() for p in store.posts()), tuple(store.annotations(include_deleted=True))


USER_ERRORS = [
    (["annotate", "99", "--quote", "工場"], ["No post '99'"]),
    (["annotate", "/no/such/post.md", "--quote", "工場"], ["No post"]),
    (["annotations", "nope.md", "--json"], ["No post"]),
    (["annotate", "1", "--quote", "宇宙旅行"], ["does not occur in the post"]),
    (["annotate", "1", "--quote", "工場", "--occurrence", "9"], ["occurs only 3 times"]),
    (["annotate", "1", "--quote", "工場", "--occurrence", "0"], ["counts from 1"]),
    (["annotate", "1", "--quote", "工場", "--color", "red"], ["red"]),
    (["annotate", "1", "--quote", "工場", "--tag", "two words"], ["cannot contain spaces"]),
    (["annotate", "1"], ["--quote"]),
    (["search", ""], ["Type something"]),
    (["list", "--bogus"], ["--bogus"]),
]


@pytest.mark.parametrize(("args", "phrases"), USER_ERRORS, ids=[" ".join(a) for a, _ in USER_ERRORS])
def test_user_errors_exit_2_with_one_line(shelf, args: list[str], phrases: list[str]) -> None:
    """A mistake the user can fix exits 2 with exactly one stderr line and no traceback, and changes nothing."""
    before = library_state(shelf["db"])
    assert_user_error(run(*args, "--db", str(shelf["db"]), home=shelf["home"]), *phrases)
    assert library_state(shelf["db"]) == before


def test_a_library_from_a_newer_kakikomi_is_a_user_error(shelf, tmp_path: Path, home: Path) -> None:
    """Every command on a newer library exits 2 with one line saying a newer Kakikomi wrote it."""
    db = tmp_path / "newer.sqlite3"
    shutil.copy(shelf["db"], db)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    for args in (["list"], ["annotate", "1", "--quote", "工場"]):
        assert_user_error(run(*args, "--db", str(db), home=home), "newer Kakikomi")
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"this is a shopping list, not a database\n" * 10, "not a Kakikomi library"),
        (b"SQLite format 3\x00" + b"\x07" * 2000, "damaged"),
    ],
    ids=["text file", "broken SQLite"],
)
def test_a_corrupt_library_is_a_user_error(tmp_path: Path, home: Path, content: bytes, phrase: str) -> None:
    """A --db that is not a usable library exits 2 with one line, and the file is left as it was."""
    db = tmp_path / "corrupt.sqlite3"
    db.write_bytes(content)
    assert_user_error(run("search", "工場", "--db", str(db), home=home), phrase, str(db))
    assert db.read_bytes() == content


def test_a_folder_as_db_is_a_user_error(tmp_path: Path, home: Path) -> None:
    """--db naming a folder exits 2 with one line."""
    assert_user_error(run("list", "--db", str(tmp_path), home=home), "is a folder")


# --- KAKIKOMI_HOME ----------------------------------------------------------------------------


def test_without_db_the_library_is_in_kakikomi_home(posts: Path, tmp_path: Path) -> None:
    """With no --db, every command uses $KAKIKOMI_HOME/library.sqlite3."""
    home = tmp_path / "kakikomi-home"
    assert ok(run("import", str(posts), home=home)).startswith("Imported 2 posts")
    assert (home / "library.sqlite3").is_file()
    listed = ok_json(run("list", "--json", home=home))
    assert sorted(p["title"] for p in listed) == ["Memory chips", "新しい工場"]
    factory = next(p for p in listed if p["title"] == "新しい工場")
    ok(run("annotate", str(factory["id"]), "--quote", "期待の声", "--tag", "claim", home=home))
    assert [a["quote"] for a in ok_json(run("annotations", str(posts / "factory.md"), "--json", home=home))] == ["期待の声"]
    assert [h["kind"] for h in ok_json(run("search", "claim", "--json", home=home))] == ["tag"]
    # Another home is another library.
    assert ok_json(run("list", "--json", home=tmp_path / "elsewhere")) == []
