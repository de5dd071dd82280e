"""A post whose file name is not UTF-8 in the settings (issue #19, defect 3): the settings file
keeps it (as JSON escapes, always valid UTF-8), so it is in Open Recent like any other file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.core.settings import load_settings
from tests.ui.conftest import window  # noqa: F401 - the window fixture

RAW = b"caf\xe9-\xff.md"


def test_a_post_with_a_bad_name_is_in_open_recent(qtbot, window, tmp_path: Path) -> None:  # noqa: F811
    path = os.fsdecode(os.fsencode(tmp_path) + b"/" + RAW)
    Path(path).write_text("名前の悪い記事です。工場の話。\n", encoding="utf-8")
    with qtbot.waitSignal(window.imports.finished, timeout=60_000):
        window.import_and_open([path])
    settings = tmp_path / "settings.json"
    json.loads(settings.read_bytes().decode("utf-8"))  # valid UTF-8
    assert [os.fsencode(p) for p in load_settings(settings).recent_files] == [os.fsencode(tmp_path) + b"/" + RAW]
    window.imports.fill_recent(window.recent_menu)
    assert [a.text() for a in window.recent_menu.actions()] == ["caf\\xe9-\\xff.md"]
