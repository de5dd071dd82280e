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
