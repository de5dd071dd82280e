"""A post whose file name is not UTF-8 (issue #19, defect 3), through the window: it is imported and
opened, its name shown escaped (\\xff; Qt would silently drop the byte), and the window goes on."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.ui.conftest import window  # noqa: F401 - the window fixture

RAW = b"caf\xe9-\xff.md"


def test_a_post_with_a_bad_name_is_imported_and_opened(qtbot, window, tmp_path: Path) -> None:  # noqa: F811
    path = os.fsdecode(os.fsencode(tmp_path) + b"/" + RAW)
    Path(path).write_text("名前の悪い記事です。工場の話。\n", encoding="utf-8")
    with qtbot.waitSignal(window.imports.finished, timeout=60_000) as finished:
        window.import_and_open([path])
    report = finished.args[0]
    assert report is not None and not report.errors and len(report.added) == 1
    qtbot.waitUntil(lambda: window.current is not None, timeout=60_000)
    assert window.current.title == "caf\\xe9-\\xff"
    assert "caf\\xe9-\\xff" in window.windowTitle()
    shown = [window.library_panel.posts.item(i).text() for i in range(window.library_panel.posts.count())]
    assert any("caf\\xe9-\\xff" in text for text in shown)
    # The settings were written (recent files and all), and are valid UTF-8 JSON.
    settings = tmp_path / "settings.json"
    assert settings.exists()
    json.loads(settings.read_bytes().decode("utf-8"))
