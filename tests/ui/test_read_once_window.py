"""A new file opened in a running window is read once and rendered once per furigana request:
shown from its file, imported from what was read and rendered to show it, its suggested claims
from the stored text and block spans. (Start-up and folders: tests/core/test_read_once.py.)"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.core.test_read_once import SHORT, long_post


@pytest.mark.parametrize("text, renders", [(SHORT, 1), (long_post(), 2)], ids=["short", "long"])
def test_a_new_file_opened_in_the_window_is_read_once(qtbot, window, tmp_path, counts, text, renders):
    """Opening a new post file in a running window: one read; one render (a long post: its first
    screen, then the rest of its readings); the import reuses them, and so do the claims."""
    path = tmp_path / "new.md"
    path.write_text(text, encoding="utf-8")
    with qtbot.waitSignal(window.importFinished, timeout=60_000) as finished:
        window.import_and_open([str(path)])
    report = finished.args[0]
    assert len(report.added) == 1 and not report.errors
    post_id = report.added[0]
    qtbot.waitUntil(lambda: window.current is not None and window.current.id == post_id, timeout=30_000)
    qtbot.waitUntil(lambda: counts["render"] >= renders, timeout=30_000)
    qtbot.wait(300)  # anything else that would read or render it has had its turn
    assert counts == Counter(load=1, render=renders)
    assert window.store.post_blocks(post_id) is not None
