"""Qt tests run offscreen; Chromium needs --no-sandbox as root. Set before Qt loads."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "") + " --no-sandbox").strip()

import http.server  # noqa: E402
import threading  # noqa: E402

import pytest  # noqa: E402

from app.ui.scheme import register_scheme  # noqa: E402

register_scheme()  # before pytest-qt creates the QApplication


@pytest.fixture
def window(qtbot, tmp_path):
    """A main window on a fresh library in tmp_path, with settings kept in tmp_path too."""
    from app.core.library.derived import open_library
    from app.ui.main_window import MainWindow

    store = open_library(tmp_path / "library.sqlite3")
    win = MainWindow(store, settings_path=tmp_path / "settings.json")
    qtbot.addWidget(win)
    win.resize(1100, 760)
    win.show()
    yield win
    dispose(win)
    store.close()


def dispose(win) -> None:
    """Close and really delete a window now (its page before its profile), not at interpreter exit,
    when Qt WebEngine may already be gone."""
    from PySide6.QtCore import QCoreApplication, QEvent

    win.close()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def open_and_wait(qtbot, win, path) -> int:
    """Import `path`, open it and wait until the page has painted; returns the post id."""
    from app.core.library import actions as library

    report = library.import_paths(win.store, [path])
    assert not report.errors, report.errors
    post_id = (report.added + report.updated + report.unchanged)[0]
    win.refresh_posts()
    with qtbot.waitSignal(win.postShown, timeout=60_000):
        win.open_post(post_id)
    return post_id


def run_js(qtbot, win, script: str, world=None):
    """Run `script` in the page and return its result (the reader's world unless told)."""
    from PySide6.QtWebEngineCore import QWebEngineScript

    results = []
    world_id = QWebEngineScript.ScriptWorldId.ApplicationWorld if world is None else world
    win.reader.page().runJavaScript(script, world_id, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    return results[0]


class _Recorder(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def listener():
    """An HTTP server on 127.0.0.1 that records every request it gets: it stands in for another
    machine, so that no request of a test leaves this one."""
    yield from serving(_Recorder)


def serving(handler):
    """An HTTP server on 127.0.0.1 with `handler`, its requests recorded in `.requests` and its
    address in `.url`, running until the generator is closed (for a fixture to yield from)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests = []
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


# The post the word popup's tests read (test_word_popup_learner, test_word_popup_compound): a
# compound MeCab splits (割|引率), words to mark, a word to highlight (市場).
LEARNER_POST = "---\ntitle: 学習者\n---\n\n箸で工場に投資した。割引率が高い。\n\n市場で株を買う。\n"


@pytest.fixture
def learner_post(qtbot, window, tmp_path):
    """LEARNER_POST, open in the window with the word popup connected; returns (post id, text)."""
    from app.ui.word_popup import connect_word_popup

    path = tmp_path / "learner.md"
    path.write_text(LEARNER_POST, encoding="utf-8")
    post_id = open_and_wait(qtbot, window, path)
    connect_word_popup(window)
    return post_id, window.store.post(post_id).text


def open_popup(qtbot, win, offset: int):
    """Ask for the word at `offset` as the page would, and wait for the popup showing it."""
    import json

    win.reader.bridge.wordClicked(json.dumps({"offset": offset, "x": 40, "y": 40}))
    qtbot.waitUntil(lambda: win.word_popup.isVisible() and win.word_popup.word is not None
                    and win.word_popup.word.start <= offset < win.word_popup.word.end, timeout=10_000)
    return win.word_popup


def press_key(qtbot, key, modifiers=None) -> None:
    """A real key press on whatever has the keyboard (a popup's field, or the popup itself)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    focused = QApplication.focusWidget() or QApplication.activePopupWidget()
    assert focused is not None
    QTest.keyClick(focused, key, Qt.KeyboardModifier.NoModifier if modifiers is None else modifiers)
    qtbot.wait(20)
