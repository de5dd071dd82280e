"""What keeps the window's memory down (benchmarks/startup.py measures it: PSS <= 420 MB with a
long post open): the page's garbage collected after a long script, the sources PySide6 reads not
kept, the start-up page not kept twice."""

from __future__ import annotations

import linecache
import os
import sys

from app.ui.app import keep_no_sources, with_page_collection
from app.ui.reader_view import COLLECT_SCRIPT, COLLECT_SCRIPT_CHARS


def test_chromium_exposes_gc_unless_v8_flags_were_given():
    assert with_page_collection("") == "--js-flags=--expose-gc"
    assert with_page_collection("--no-sandbox") == "--no-sandbox --js-flags=--expose-gc"
    assert with_page_collection("--js-flags=--max-old-space-size=512") == "--js-flags=--max-old-space-size=512"


def test_modules_pyside_checks_are_not_kept_in_linecache(qapp, tmp_path, monkeypatch):
    keep_no_sources()
    keep_no_sources()  # twice: wrapped once
    (tmp_path / "kk_mem_uses_qt.py").write_text("import PySide6  # a module that uses Qt\n", encoding="utf-8")
    (tmp_path / "kk_mem_plain.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        # An import statement (PySide6 follows those through builtins.__import__).
        __import__("kk_mem_uses_qt")
        __import__("kk_mem_plain")
        feature = sys.modules["shibokensupport.feature"]
        # PySide6 still tells the two apart, as it did...
        assert feature.pyside_feature_dict["kk_mem_uses_qt"] == 0
        assert feature.pyside_feature_dict["kk_mem_plain"] == -1
        # ... but the lines it read are gone.
        assert not [name for name in linecache.cache if "kk_mem_" in name]
        # A traceback still finds them.
        assert linecache.getline(str(tmp_path / "kk_mem_plain.py"), 1) == "VALUE = 1\n"
    finally:
        for name in ("kk_mem_uses_qt", "kk_mem_plain"):
            sys.modules.pop(name, None)
        linecache.clearcache()


def _spy_scripts(reader) -> list[str]:
    scripts: list[str] = []
    page = reader.page()
    run = page.runJavaScript

    def spy(script, *args):
        scripts.append(script)
        return run(script, *args)

    page.runJavaScript = spy
    return scripts


def test_page_garbage_is_collected_once_after_long_scripts(qtbot, window):
    reader = window.reader
    scripts = _spy_scripts(reader)
    reader.call("void 0")
    qtbot.wait(700)
    assert COLLECT_SCRIPT not in scripts  # a short script leaves nothing worth collecting
    long_script = "/*" + "x" * COLLECT_SCRIPT_CHARS + "*/ void 0"
    reader.call(long_script)
    reader.call(long_script)  # two in a row: one collection, after the last
    qtbot.waitUntil(lambda: COLLECT_SCRIPT in scripts, timeout=3000)
    qtbot.wait(700)
    assert scripts.count(COLLECT_SCRIPT) == 1
    assert scripts.index(COLLECT_SCRIPT) > scripts.index(long_script)


def test_collection_runs_in_the_page_when_gc_is_exposed(qtbot, window):
    """Under `kakikomi` Chromium has gc() (app.ui.app); elsewhere the script does nothing."""
    reader = window.reader
    with qtbot.waitSignal(reader.loadFinished, timeout=10000):
        reader.warm_up()
    results = []
    reader.call(COLLECT_SCRIPT, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    exposed = "--expose-gc" in os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    assert results == [exposed]


class _Early:
    """The start-up process's end, with its messages given in advance; it then stays open (a
    process still working) until stopped."""

    def __init__(self, messages):
        import threading

        self.messages = list(messages)
        self.stopped = threading.Event()

    def waiting(self) -> bool:
        return bool(self.messages)

    def receive(self):
        if self.messages:
            return self.messages.pop(0)
        self.stopped.wait(10)
        return None

    def close(self) -> None:
        pass

    def stop(self) -> None:
        self.stopped.set()


class _Reader:
    def __init__(self):
        self.shown = []

    def show_page(self, page, *, allow_remote_images=False) -> None:
        self.shown.append(page)


class _Window:
    def __init__(self):
        self.titles = []

    def setWindowTitle(self, title: str) -> None:  # noqa: N802 (Qt's name)
        self.titles.append(title)


def test_the_first_page_is_not_kept_once_the_reader_has_it(qtbot):
    from dataclasses import asdict

    from app.core.posts.page import PreparedPage
    from app.ui.first_page import FirstPage

    page = PreparedPage("<p>first</p>" * 1000, ["<p>rest</p>" * 1000], [], {"total": 1})
    message = {"post_id": None, "page": asdict(page), "allow_remote": False, "title": "長文", "warnings": ["w"]}
    reader = _Reader()
    first = FirstPage(_Early([("page", message)]), reader)
    try:
        assert reader.shown == [page]  # the reader has it...
        kept = first._kept[0][1]
        assert kept["title"] == "長文" and kept["warnings"] == ["w"] and "page" not in kept  # ... nothing else keeps it
        window = _Window()
        first.hand_over(window, [], first_run=False)
        assert window.titles == ["長文 — Kakikomi"]
        assert first._page is not None and "page" not in first._page
    finally:
        first.stop()
