"""The reader: a QWebEngineView that shows one post safely and paints its highlights.

Safety, in layers: the page is served with a CSP header that allows no script; the page's own
JavaScript is switched off; the reader's script and the bridge live in the ApplicationWorld,
which the page cannot reach; every network request is refused unless the reader allowed remote
images for this post; navigation away from the post is refused, and a link opens in the system
browser only if the rendered post really contains it. A link to another post file (a post link,
see app.core.posts.rawhtml.post_link) is handed to the window (`postLinkRequested`), which opens
that post if it is in the library; again only a link the rendered post really contains.
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import re
import sys
from typing import TYPE_CHECKING

from PySide6 import QtCore  # QtCore.Qt when used: see app.ui.main_window
from PySide6.QtCore import QFile, QIODevice, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView

from app.core.common.paths import resource
from app.core.posts.page import PreparedPage, highlight_json, reader_page

if TYPE_CHECKING:
    from app.core.posts.post import Post
    from app.core.posts.render import RenderedPost
    from app.core.store import Annotation
from app.ui.bridge import Bridge
from app.ui.scheme import SCHEME, PageServer

APP_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld
# What reader.js sends for a click on (or Enter in) a post link: this, then the link's data-post.
POST_LINK_SCHEME = "kakikomi-post:"
_DATA_POST = re.compile(r'data-post="([^"]*)"')
_BLANK = "<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>"


@functools.cache
def _reader_script_source() -> str:
    channel = QFile(":/qtwebchannel/qwebchannel.js")
    channel.open(QIODevice.OpenModeFlag.ReadOnly)
    source = bytes(channel.readAll()).decode("utf-8")
    channel.close()
    return source + "\n" + resource("reader", "reader.js").read_text(encoding="utf-8")


class NetworkGuard(QWebEngineUrlRequestInterceptor):
    """Refuses every request that leaves the machine, unless allowed; counts what it refused."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.allow_remote = False
        self.blocked: list[str] = []
        self.allowed_remote: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802 (Qt's name)
        url = info.requestUrl()
        scheme = url.scheme()
        if scheme == SCHEME.decode() or scheme in ("data", "qrc"):
            return
        if self.allow_remote and scheme in ("http", "https") and info.resourceType() == QWebEngineUrlRequestInfo.ResourceType.ResourceTypeImage:
            self.allowed_remote.append(url.toString())
            return
        self.blocked.append(url.toString())
        info.block(True)


class ReaderPage(QWebEnginePage):
    """Stays on the post: any navigation but loading our own page is refused."""

    def __init__(self, profile: QWebEngineProfile, parent=None):
        super().__init__(profile, parent)
        self.refused: list[str] = []
        self.console: list[str] = []

    def acceptNavigationRequest(self, url: QUrl, kind, is_main_frame: bool) -> bool:  # noqa: N802
        if url.scheme() == SCHEME.decode() and kind != QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            return True
        self.refused.append(url.toString())
        return False

    def javaScriptConsoleMessage(self, level, message: str, line: int, source: str) -> None:  # noqa: N802
        self.console.append(message)

    def createWindow(self, kind):  # noqa: N802 - no pop-ups from a post
        return None


# How long after a long post's readings went into the page its freed memory is given back.
RELEASE_AFTER_MS = 1000
# A script call this long (characters) leaves the page's renderer garbage worth collecting at once
# (a long post's rest or its readings: the replaced blocks' nodes and the script's strings, some
# 30 MB for a 150,000-character post, that V8 would otherwise keep until its heap grows again); the
# collection is asked for this long after the last such call (scripts run in order: it runs once
# they are done). It takes the page's thread 25-100 ms, right after the calls that took longer.
COLLECT_SCRIPT_CHARS = 100_000
COLLECT_AFTER_MS = 100
# Collect the renderer's garbage if the engine exposes gc() (app.ui.app starts Chromium with
# --js-flags=--expose-gc; without it, as in a bare QApplication, this does nothing).
COLLECT_SCRIPT = "typeof gc === 'function' ? (gc(), true) : false"


def release_freed_memory() -> None:
    """Hand the memory that was freed back to the system (glibc keeps freed heap pages for
    reuse: after a big transient allocation the window would hold megabytes it no longer uses)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc (musl): nothing to give back this way


def create_reader() -> ReaderView:
    """A reader on its own off-the-record profile, not yet in a window (MainWindow takes it in,
    and its profile, page server and guard as `parts`)."""
    profile, server, guard = make_profile(None)
    reader = ReaderView(profile, server, guard)
    reader.parts = (profile, server, guard)
    return reader


def make_profile(parent) -> tuple[QWebEngineProfile, PageServer, NetworkGuard]:
    """An off-the-record profile with the page server and the network guard installed."""
    profile = QWebEngineProfile(parent)  # no name: nothing is written to disk
    server = PageServer(parent)
    profile.installUrlSchemeHandler(SCHEME, server)
    guard = NetworkGuard(parent)
    profile.setUrlRequestInterceptor(guard)
    return profile, server, guard


def _reader_script() -> QWebEngineScript:
    script = QWebEngineScript()
    script.setName("kakikomi-reader")
    script.setSourceCode(_reader_script_source())
    script.setWorldId(APP_WORLD)
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
    script.setRunsOnSubFrames(False)
    return script


class ReaderView(QWebEngineView):
    """Shows a rendered post; emits `ready` once the page has painted its first screen, and
    `postLinkRequested` with a post link's target (relative to the post) when one is clicked."""

    ready = Signal()
    postLinkRequested = Signal(str)

    def __init__(self, profile: QWebEngineProfile, server: PageServer, guard: NetworkGuard, parent=None):
        super().__init__(parent)
        self._server = server
        self._guard = guard
        self._keys = itertools.count(1)
        self._rest: list[str] = []
        self._links: set[str] = set()
        self._post_links: set[str] = set()
        page = ReaderPage(profile, self)
        settings = page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.AutoLoadImages, True)
        self.bridge = Bridge(self)
        self._channel = QWebChannel(page)
        self._channel.registerObject("kakikomi", self.bridge)
        page.setWebChannel(self._channel, APP_WORLD)
        # On the page, not the profile: a script in the profile's collection crashes Qt 6.12 here.
        page.scripts().insert(_reader_script())
        self.setPage(page)
        self.bridge.pageReady.connect(self._on_ready)
        self.bridge.linkRequested.connect(self._open_link)
        self.is_ready = False
        self._page_key: str | None = None
        self._collect_timer = QTimer(self, singleShot=True, interval=COLLECT_AFTER_MS)
        self._collect_timer.timeout.connect(lambda: self.call(COLLECT_SCRIPT))

    # --- showing a post ---------------------------------------------------------------------

    def show_post(
        self,
        post: Post,
        rendered: RenderedPost,
        highlights: list[Annotation],
        *,
        theme: str = "auto",
        vertical: bool = False,
        offset: int = 0,
        allow_remote_images: bool = False,
    ) -> None:
        """Load `rendered` (first screen first), paint `highlights`, scroll to `offset`."""
        page = reader_page(
            post, rendered, highlights, theme=theme, vertical=vertical, offset=offset, allow_remote_images=allow_remote_images
        )
        page.info["highlights"] = [highlight_json(a) for a in highlights]
        self.show_page(page, allow_remote_images=allow_remote_images)

    def show_page(self, page: PreparedPage, *, allow_remote_images: bool = False) -> None:
        """Load a prepared page (see app.core.posts.page.reader_page)."""
        self.is_ready = False
        self._rest = list(page.rest)
        self._links = set(page.links)
        self._post_links = {html.unescape(target) for part in (page.html, *page.rest) for target in _DATA_POST.findall(part)}
        self._guard.allow_remote = allow_remote_images
        # The reader's pages are local content to Chromium: without this it drops every remote
        # image before the guard sees it. The page's CSP and the guard still let through only
        # images, and only for a post the reader allowed.
        self.page().settings().setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, allow_remote_images)
        key = f"post-{next(self._keys)}"
        self._page_key = key
        self.bridge.set_page_info({"page": key, **page.info})
        url = self._server.publish(key, page.html, remote_images=allow_remote_images)
        self.load(QUrl(url))

    def warm_up(self) -> None:
        """Load an empty page, so Chromium starts its processes while Python prepares the first
        post (its readiness is ignored: only the post's page counts)."""
        self._page_key = None
        self.bridge.set_page_info({"page": "warm-up", "blockStarts": [], "total": 0, "highlights": [], "offset": 0})
        self.load(QUrl(self._server.publish("warm-up", _BLANK)))

    def after_ready(self, action) -> None:
        """`action` once the page has painted its first screen (at once if it has)."""
        if self.is_ready:
            action()
        else:
            self.ready.connect(action, QtCore.Qt.ConnectionType.SingleShotConnection)

    def _on_ready(self, page: str = "") -> None:
        if page != self._page_key:
            return  # the warm-up page, or a page already replaced
        if self._rest:
            # The first screen is painted: now the rest of a long post, in one go.
            self.call(f"kk.appendBlocks({json.dumps(''.join(self._rest), ensure_ascii=False)})")
            self._rest = []
        self.is_ready = True
        self.ready.emit()

    def event(self, event) -> bool:  # noqa: N802 (Qt's name)
        # The page's tooltips (a highlight's note, a title in the post) are untrusted text, and
        # Chromium hands them to Qt as they are: shown as written, never as rich text.
        if event.type() == QtCore.QEvent.Type.ToolTip and self.toolTip():
            from PySide6.QtWidgets import QToolTip

            from app.ui.plain import plain

            QToolTip.showText(event.globalPos(), plain(self.toolTip()), self)
            return True
        return super().event(event)

    # --- talking to the page ----------------------------------------------------------------

    def call(self, script: str, callback=None) -> None:
        """Run `script` in the reader's world (never the post's). After a long script (a long
        post's rest or readings) the page's garbage is collected right after it."""
        if callback is None:
            self.page().runJavaScript(script, APP_WORLD)
        else:
            self.page().runJavaScript(script, APP_WORLD, callback)
        if len(script) >= COLLECT_SCRIPT_CHARS:
            self._collect_timer.start()  # restarted by each long call: one collection after the last

    def replace_blocks(self, blocks: list[tuple[int, str]]) -> None:
        """Swap in new HTML for rendered blocks, given as (index, html) pairs, keeping the
        reader's place: how the readings of a long post arrive after its first screen."""
        # The newline after each block is already in the page, beside the element replaced.
        pairs = [[index, html[:-1] if html.endswith("\n") else html] for index, html in blocks]
        if pairs:
            self.call(f"kk.replaceBlocks({json.dumps(pairs, ensure_ascii=False)})")
            # A long post's readings are megabytes of text, here and in the call just made: once
            # the page has them, the memory they took goes back to the system.
            QTimer.singleShot(RELEASE_AFTER_MS, release_freed_memory)

    def set_highlights(self, highlights: list[Annotation]) -> None:
        self.call(f"kk.setHighlights({json.dumps([highlight_json(a) for a in highlights], ensure_ascii=False)})")

    def select_highlight(self, annotation_id: str | None) -> None:
        """Outline the highlight chosen in the window (None: none)."""
        self.call(f"kk.selectHighlight({json.dumps(annotation_id or '')})")

    def set_classes(self, theme: str, vertical: bool) -> None:
        classes = f"kk-theme-{theme}" + (" kk-vertical" if vertical else "")
        self.call(f"kk.setClasses({json.dumps(classes)})")

    def scroll_to(self, offset: int) -> None:
        self.call(f"kk.scrollToOffset({int(offset)})")

    def select_range(self, start: int, end: int) -> None:
        self.call(f"kk.selectRange({int(start)}, {int(end)})")

    def _open_link(self, href: str) -> None:
        if href.startswith("#"):
            return
        if href.startswith(POST_LINK_SCHEME):
            target = href[len(POST_LINK_SCHEME) :]
            if target in self._post_links:
                self.postLinkRequested.emit(target)
            return
        if href in self._links and QUrl(href).scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(QUrl(href))

    # --- search marks ---

    def _block_point(self, offset: int) -> tuple[int, int]:
        """(block index, characters into that block) of a plain-text offset, from the block starts
        the page was given (the block holding it is the last that starts at or before it)."""
        import bisect

        try:
            starts = json.loads(self.bridge.pageInfo()).get("blockStarts") or [0]
        except (ValueError, AttributeError):
            starts = [0]
        index = max(0, bisect.bisect_right(starts, offset) - 1)
        return index, max(0, offset - starts[index])

    def mark_range(self, start: int, end: int, *, scroll: bool = True) -> None:
        """Mark [start, end) of the post's plain text as the match found (one mark at a time;
        reader.js's search marks), scrolled into view unless `scroll` is False."""
        (kb, at), (end_kb, end_at) = self._block_point(int(start)), self._block_point(int(end))
        self.call(f"kkMarkRange({kb}, {at}, {end_kb}, {end_at}, {json.dumps(bool(scroll))})")

    def mark_when_ready(self, start: int, end: int) -> None:
        """mark_range once the page being loaded has painted its first screen."""
        self.after_ready(lambda: self.mark_range(start, end))

    def mark_title(self, start: int, end: int) -> None:
        """Mark characters [start, end) of the post's title as the match found."""
        self.call(f"kkMarkTitle({int(start)}, {int(end)}, true)")

    def clear_marks(self) -> None:
        self.call("kkClearMarks()")

    # --- word marks ---

    def block_starts(self) -> list[int]:
        """Where each block of the page shown starts in the post's plain text."""
        try:
            return json.loads(self.bridge.pageInfo()).get("blockStarts") or [0]
        except (ValueError, AttributeError):
            return [0]

    def mark_words(self, marks: list[tuple[int, int, str]], callback=None) -> None:
        """Underline words: (start, end, status) spans of the post's plain text, status "new" or
        "learning" (reader.js's word marks); an empty list takes every underline away.
        `callback` gets how many ranges the page painted."""
        self.paint_word_marks(word_marks_argument(marks, self.block_starts()), callback)

    def paint_word_marks(self, argument: str, callback=None) -> None:
        """mark_words with its argument made already (word_marks_argument, on a worker thread)."""
        self.call(f"kkMarkWords({argument})", callback)


def word_marks_argument(marks: list[tuple[int, int, str]], starts: list[int]) -> str:
    """reader.js's kkMarkWords argument (JSON) for (start, end, status) spans of the plain text of
    a page whose blocks start at `starts`: [block, code points into it, end block, code points
    into that one, status] each."""
    # One walk along the blocks (a long post has tens of thousands of words): each word's start
    # in the last block starting at or before it, its end in the last starting before it.
    items = []
    first, count = 0, len(starts)
    for start, end, status in sorted(marks):
        while first + 1 < count and starts[first + 1] <= start:
            first += 1
        last = first
        while last + 1 < count and starts[last + 1] < end:
            last += 1
        items.append([first, max(0, start - starts[first]), last, max(0, end - starts[last]), status])
    return json.dumps(items, ensure_ascii=True, separators=(",", ":"))
