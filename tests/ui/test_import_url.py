"""File › Import from URL…: a web page is fetched because the reader asked, imported and opened."""

from __future__ import annotations

import http.server
import threading

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>工場の話</title>
<meta property="article:published_time" content="2024-05-01"></head>
<body><nav>ホーム</nav><article><h1>工場の話</h1><p>半導体の会社が新しい工場を建てると発表した。投資額は大きい。</p>
<p>地元の町では期待の声が多い。水の使い方を心配する人もいる。</p></article><footer>Copyright</footer></body></html>"""


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGE.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def page_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/article.html"
    server.shutdown()
    server.server_close()


def test_a_page_is_imported_from_its_address_and_opened(qtbot, window, page_server, monkeypatch, tmp_path):
    """The File menu's Import from URL… asks for an address, fetches the page, keeps it in the
    library under its URL and opens it; it is not added to Open Recent."""
    monkeypatch.setenv("KAKIKOMI_HOME", str(tmp_path / "home"))  # where the fetched page is kept
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: (page_server, True))
    with qtbot.waitSignal(window.importFinished, timeout=60_000) as finished:
        window.import_url_action.trigger()
    report = finished.args[0]
    assert len(report.added) == 1 and not report.errors
    qtbot.waitUntil(lambda: window.current is not None and window.current.source_path == page_server, timeout=30_000)
    assert window.current.title == "工場の話" and "半導体の会社" in window.store.post(window.current.id).text
    assert page_server not in window.settings.recent_files
    assert list((tmp_path / "home" / "pages").glob("*.html"))


def test_an_address_that_is_not_a_web_page_is_one_sentence(qtbot, window, monkeypatch):
    """Anything but an http or https address is refused with one sentence, and nothing is fetched."""
    said = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("file:///etc/passwd", True))
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: said.append(text))
    window.import_url_action.trigger()
    assert said == ["Only http and https addresses can be imported."]
    assert window.store.posts() == []
