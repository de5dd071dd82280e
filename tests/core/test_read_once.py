"""Each post is read from its file once and rendered once per furigana request on its way into the
library: at start-up, and when a folder is imported. (The window's own path is in
tests/ui/test_read_once_window.py.)"""

from __future__ import annotations

import os
import pickle
import threading
from collections import Counter
from pathlib import Path

import pytest

from app.core.claims import suggestions as claim_suggestions
from app.core.library import actions as library
from app.core.library.derived import open_library
from app.core.settings import Settings
from app.ui import prestart

SHORT = """---
title: 設備投資の話
date: 2025-11-02
---

東京の会社が新しい工場に720億ドルを投じると発表した。NVIDIAのH100を使う計画だ。

| 会社 | 額 |
| --- | --- |
| Meta | 100億ドル |
"""


def long_post() -> str:
    """Over opening.LONG_POST_CHARS: its readings come in two steps (the window, then the rest)."""
    paragraph = "半導体の会社が新しい工場に三百億円を投じると発表した。市場は成長を続けている。\n\n"
    return "---\ntitle: 長い記事\n---\n\n" + paragraph * 700


@pytest.fixture
def fresh_suggestions():
    """No post's suggestions remembered from an earlier test."""
    claim_suggestions._RAW_SUGGESTIONS.clear()


def prepare(files: list[str], db: Path) -> list[tuple[str, object]]:
    """Run the start-up process's work in this process (so it can be counted); its messages."""
    read_end, write_end = os.pipe()
    messages: list[tuple[str, object]] = []

    def listen() -> None:
        early = prestart.Prestart(-1, read_end)
        while True:
            header = early._read(prestart._HEADER.size)
            if header is None:
                return
            messages.append(pickle.loads(early._read(prestart._HEADER.unpack(header)[0])))

    listener = threading.Thread(target=listen)
    listener.start()
    try:
        prestart._prepare(write_end, files, str(db), Settings(first_run_done=True))
    finally:
        os.close(write_end)
        listener.join(timeout=60)
        os.close(read_end)
    return messages


@pytest.mark.parametrize("text, renders", [(SHORT, 1), (long_post(), 2)])
def test_a_new_file_at_start_up_is_read_once_and_rendered_once_per_request(tmp_path, fresh_suggestions, counts, text, renders):
    """Start-up with a new file: one read; one render (a long post: its first screen, then the
    rest of its readings); the import and the suggested claims reuse them."""
    path = tmp_path / "post.md"
    path.write_text(text, encoding="utf-8")
    messages = prepare([str(path)], tmp_path / "library.sqlite3")
    kinds = [kind for kind, _ in messages]
    assert "fallback" not in kinds, messages
    assert kinds[:2] == ["checked", "page"] and "imported" in kinds and kinds[-1] == "suggestions"
    assert ("rest" in kinds) == (renders == 2)
    assert counts == Counter(load=1, render=renders)
    with open_library(tmp_path / "library.sqlite3") as store:
        [record] = store.posts(with_text=True)
        assert store.post_blocks(record.id) is not None  # the claims need no render of their own


def test_a_changed_file_at_start_up_is_read_and_rendered_once(tmp_path, fresh_suggestions, counts):
    """A post of the library whose file changed is imported again from the start-up page's render."""
    path = tmp_path / "post.md"
    path.write_text(SHORT, encoding="utf-8")
    with open_library(tmp_path / "library.sqlite3") as store:
        library.import_file(store, path)
    path.write_text(SHORT.replace("720億ドル", "730億ドル"), encoding="utf-8")
    counts.clear()
    messages = prepare([str(path)], tmp_path / "library.sqlite3")
    assert "fallback" not in [kind for kind, _ in messages]
    assert counts == Counter(load=1, render=1)
    with open_library(tmp_path / "library.sqlite3") as store:
        assert "730億ドル" in store.posts(with_text=True)[0].text


def test_importing_a_folder_reads_and_renders_each_file_once(tmp_path, fresh_suggestions, counts):
    """A folder of posts: each file read once and rendered once; the suggested claims of each
    come from the stored text and block spans, without reading its file again."""
    folder = tmp_path / "posts"
    folder.mkdir()
    for number in range(5):
        (folder / f"post-{number}.md").write_text(SHORT.replace("設備投資の話", f"設備投資の話 {number}"), encoding="utf-8")
    with open_library(tmp_path / "library.sqlite3") as store:
        report = library.import_paths(store, [folder])
        assert len(report.added) == 5 and not report.errors
        assert counts == Counter(load=5, render=5)
        for post_id in report.added:
            found = claim_suggestions.suggestions_for(store, post_id)
            assert any("720億ドル" in s.sentence for s in found)
            assert any(s.sentence.startswith("| Meta") or "Meta" in s.sentence for s in found)
        assert counts == Counter(load=5, render=5)
