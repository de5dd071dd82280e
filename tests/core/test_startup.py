"""Start-up without Qt: the forked process that prepares the window's first page
(app.ui.prestart), the page it prepares, and what opening the window must not import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.claims import sentences as claims
from app.core.claims import suggestions as claim_suggestions
from app.core.library import actions as library
from app.core.library import opening
from app.core.posts.page import reader_page
from app.core.store import open_store

REPO_ROOT = Path(__file__).resolve().parents[2]

POST = """---
title: 設備投資の話
date: 2025-11-02
tags: [半導体]
---

東京の会社が新しい工場に720億ドルを投じると発表した。NVIDIAのH100を使う計画だ。

二つ目の段落には[リンク](https://example.com/a)と**強調**がある。
"""

# Runs app.ui.prestart.start() in a fresh interpreter (no Qt loaded: forking is allowed there),
# reads every message the child sends, and prints them as JSON: the kind, and what matters of it.
_PROBE = r"""
import json, os, sys
from app.core.settings import Settings
from app.ui import prestart

files, db, first_run_done = json.loads(sys.argv[1])
early = prestart.start(files, db, Settings(first_run_done=first_run_done))
out = []
while (message := early.receive()) is not None:
    kind, value = message
    if kind == "page":
        value = {"post_id": value["post_id"], "title": value["title"], "html": value["page"]["html"],
                 "info": value["page"]["info"], "rest": len(value["page"]["rest"])}
    elif kind == "suggestions":
        value = [value[0], [s.sentence for s in value[1]]]
    elif kind == "rest":
        value = len(value)
    out.append([kind, value])
early.close()
print(json.dumps({"messages": out, "qt": sorted(m for m in sys.modules if m.startswith("PySide6"))}))
"""


def run_prestart(tmp_path: Path, files: list[str], *, first_run_done: bool = False) -> list:
    env = dict(os.environ, KAKIKOMI_HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("KAKIKOMI_NO_PRESTART", None)
    db = str(tmp_path / "library.sqlite3")
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps([files, db, first_run_done])],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["qt"] == []
    return report["messages"]


def kinds(messages: list) -> list[str]:
    return [kind for kind, _value in messages]


@pytest.fixture
def post_file(tmp_path: Path) -> Path:
    path = tmp_path / "post.md"
    path.write_text(POST, encoding="utf-8")
    return path


def test_a_new_file_is_shown_first_and_imported_after(tmp_path, post_file):
    """A file not in the library: its page comes first (no post id yet), then the library is made
    and the file imported; the page is the one the window shows for it once imported."""
    messages = run_prestart(tmp_path, [str(post_file)])
    assert kinds(messages) == ["checked", "page", "store", "imported", "suggestions"]
    assert messages[0][1] == []
    page = messages[1][1]
    assert page["post_id"] is None and page["title"] == "設備投資の話"
    imported = messages[3][1]
    with open_store(tmp_path / "library.sqlite3", create=False) as store:
        record = store.post(imported["post_id"])
        assert record.source_path == str(post_file.resolve())
        assert imported["paths"] == [str(post_file)]
        # The window's own rendering of the imported post (app.core.library.opening) gives the same page.
        opened = opening.open_post(store, record.id, opening.reading_mode(store, "all"))
        window_page = reader_page(opened.post, opened.rendered, opened.annotations, offset=opened.offset)
    assert page["html"] == window_page.html
    assert page["info"] == window_page.info
    post_id, sentences = messages[4][1]
    assert post_id == record.id
    assert any("720億ドル" in s for s in sentences)


def test_a_post_already_in_the_library_comes_with_its_highlights(tmp_path, post_file):
    with open_store(tmp_path / "library.sqlite3") as store:
        _status, post_id, _moved, _orphaned = library.import_file(store, post_file)
        record = store.post(post_id)
        made = library.annotate_quote(store, record, "720億ドル", color="green")
    messages = run_prestart(tmp_path, [str(post_file)])
    assert kinds(messages) == ["checked", "page", "store", "imported", "suggestions"]
    page = messages[1][1]
    assert page["post_id"] == post_id
    assert [h["id"] for h in page["info"]["highlights"]] == [made.id]
    # The suggestions come unfiltered (claim_suggestions.raw_suggestions): the window's cache takes
    # them, and suggestions_for leaves out the highlighted sentence.
    assert any("720億ドル" in s for s in messages[4][1][1])


def test_without_files_the_most_recent_post_or_the_sample_on_first_run(tmp_path, post_file):
    messages = run_prestart(tmp_path, [])
    assert kinds(messages)[:2] == ["checked", "page"]
    assert "AI" in messages[1][1]["title"]  # the bundled sample
    assert kinds(messages)[2:4] == ["store", "imported"]
    # The library exists now (the sample is in it): the next start opens its newest post.
    again = run_prestart(tmp_path, [], first_run_done=True)
    assert again[1][0] == "page" and again[1][1]["post_id"] == messages[3][1]["post_id"]


def test_an_empty_library_after_the_first_run_leaves_the_window_to_say_so(tmp_path):
    assert kinds(run_prestart(tmp_path, [], first_run_done=True)) == ["checked", "fallback"]


def test_a_file_that_is_no_post_stops_before_anything(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\x00\x01binary")
    messages = run_prestart(tmp_path, [str(bad), str(tmp_path / "missing.md")])
    assert kinds(messages) == ["checked"]
    problems = messages[0][1]
    assert len(problems) == 2 and "bad.md" in problems[0] and "missing.md" in problems[1]
    assert not (tmp_path / "library.sqlite3").exists()


def test_a_long_post_sends_the_rest_of_its_readings(tmp_path):
    long_post = tmp_path / "long.md"
    paragraphs = [f"第{n}段落では工場と投資の計画について書く。" for n in range(1, 1200)]
    long_post.write_text("---\ntitle: 長い記事\n---\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    messages = run_prestart(tmp_path, [str(long_post)])
    assert kinds(messages) == ["checked", "page", "store", "imported", "rest", "suggestions"]
    assert messages[1][1]["rest"] > 0  # blocks appended after the first screen
    assert messages[4][1] > 0  # blocks whose readings come after


def test_open_file_renders_as_open_post_does_once_imported(tmp_path, post_file):
    """The page of a file not in the library equals the window's page for it once imported."""
    with open_store(tmp_path / "library.sqlite3") as store:
        mode = opening.reading_mode(store, "all")
        before = opening.open_file(post_file, mode, store=store)
        post_id = library.import_file(store, post_file)[1]
        after = opening.open_post(store, post_id, mode)
    assert before.rendered.html == after.rendered.html
    assert before.rendered.plain.text == after.rendered.plain.text
    assert before.record is None and before.annotations == [] and before.offset == 0


def test_opening_the_window_needs_neither_sqlite_utils_nor_rapidfuzz_nor_the_claims():
    """What the window imports to open a library stays light (each costs tens of milliseconds at
    every start); they load on first use."""
    probe = (
        "import sys, tempfile, pathlib\n"
        "from app.core.store import open_store\n"
        "import app.core.library.actions, app.core.posts.page, app.core.library.opening\n"
        "path = pathlib.Path(tempfile.mkdtemp()) / 'l.sqlite3'\n"
        "open_store(path).close()\n"  # made: the migrations use sqlite-utils
        "for name in list(sys.modules):\n"
        "    if name.startswith(('sqlite_utils', 'rapidfuzz')): del sys.modules[name]\n"
        "store = open_store(path); store.posts(); store.known_words()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlite_utils', 'rapidfuzz', 'app.core.claims.sentences', 'app.core.claims.amounts'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_suggestions_are_read_once_per_post_and_filtered_by_highlights(tmp_path, post_file, monkeypatch):
    """A highlight made or removed filters the post's suggestions again; it does not read the post
    again. The filtered list equals a fresh computation."""
    with open_store(tmp_path / "library.sqlite3") as store:
        post_id = library.import_file(store, post_file)[1]
        calls = []
        real = claim_suggestions.suggest_claims
        monkeypatch.setattr(claim_suggestions, "suggest_claims", lambda *a, **k: calls.append(1) or real(*a, **k))
        first = claim_suggestions.suggestions_for(store, post_id)
        assert len(calls) == 1 and any("720億ドル" in s.sentence for s in first)
        library.annotate_quote(store, store.post(post_id), "720億ドル")
        second = claim_suggestions.suggestions_for(store, post_id)
        assert len(calls) == 1
        record = store.post(post_id)
        spans = [(a.start, a.end) for a in store.annotations(post_id)]
        assert second == claims.suggest_claims(record.text, spans, blocks=store.post_blocks(record.id))
        assert not any("720億ドル" in s.sentence for s in second)
