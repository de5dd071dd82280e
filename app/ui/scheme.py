"""The reader's own URL scheme: pages are served from memory with a real CSP header.

`setHtml` goes through a data: URL capped at 2 MB and fails silently on long posts, and it cannot
send headers; a scheme handler has neither problem. Pages live at kakikomi://reader/<key>.
"""

from __future__ import annotations

import collections

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtWebEngineCore import QWebEngineUrlRequestJob, QWebEngineUrlScheme, QWebEngineUrlSchemeHandler

from app.core.common.text import escape_surrogates
from app.core.posts.page import content_security_policy

SCHEME = b"kakikomi"
HOST = "reader"


def register_scheme() -> None:
    """Declare the scheme to Qt WebEngine; must run before the QApplication is created."""
    if QWebEngineUrlScheme.schemeByName(SCHEME).name() == SCHEME:
        return
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme | QWebEngineUrlScheme.Flag.LocalScheme)
    QWebEngineUrlScheme.registerScheme(scheme)


class PageServer(QWebEngineUrlSchemeHandler):
    """Serves the pages the reader publishes, each with its Content-Security-Policy as a header
    (app.core.posts.page.content_security_policy: no script at all, the reader's own runs in
    another world). The page's <meta> tag carries the same policy without the scheme; both apply."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pages: dict[str, tuple[bytes, bool]] = {}
        # QBuffer(QByteArray) reads from the byte array we pass, so it must stay alive while
        # Chromium reads; the last replies are kept. (QBuffer.setData would copy, but in PySide6
        # 6.12 it drops a reference to None on every call and crashes Python at exit.)
        self._replies: collections.deque = collections.deque(maxlen=256)

    def publish(self, key: str, html: str, *, remote_images: bool = False) -> str:
        """Make `html` available; returns its URL."""
        # A title taken from a file name that is not UTF-8 holds lone surrogates: shown escaped.
        self._pages[key] = (escape_surrogates(html).encode("utf-8"), remote_images)
        # Only the newest pages are kept: each opening publishes one, and a long post's page is
        # megabytes. (The one before stays for a reload that is still under way.)
        for old in list(self._pages)[:-2]:
            del self._pages[old]
        return f"{SCHEME.decode()}://{HOST}/{key}"

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 (Qt's name)
        url = job.requestUrl()
        path = url.path().lstrip("/")
        if url.host() != HOST:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        page = self._pages.get(path)
        if page is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        body, remote = page
        self._reply(job, "text/html; charset=utf-8", body, content_security_policy(remote, scheme=SCHEME.decode()))

    def _reply(self, job: QWebEngineUrlRequestJob, content_type: str, body: bytes, csp: str) -> None:
        # The header values must be a list of QByteArray, or Qt drops the CSP without a word.
        job.setAdditionalResponseHeaders({QByteArray(b"Content-Security-Policy"): [QByteArray(csp.encode())]})
        data = QByteArray(body)
        buffer = QBuffer(data, job)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._replies.append((data, buffer))
        job.reply(content_type.encode(), buffer)
