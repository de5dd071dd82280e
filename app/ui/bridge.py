"""The one object the reader page can reach, and every message it may send.

The page's script (resources/reader/reader.js, in the ApplicationWorld) calls these slots with
JSON strings; each is parsed defensively and turned into a typed Qt signal. Python talks back by
running `kk.*` functions in the same world (ReaderView.call).
"""

from __future__ import annotations

import json

from PySide6.QtCore import QObject, Signal, Slot

_MAX_PAYLOAD = 1_000_000  # characters; a selection of a whole long post fits


def _parse(payload: str) -> dict | None:
    if not isinstance(payload, str) or len(payload) > _MAX_PAYLOAD:
        return None
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


class Bridge(QObject):
    """Messages from the reader page: ready, selection, highlight, link and word clicks, position.

    Slots carry the names the page calls them by (Slot(name=...) aliases crash PySide6 6.12
    when QWebChannel invokes them).
    """

    # Signal names differ from the slot names the page calls: QWebChannel resolves a call by name,
    # and a signal sharing a slot's name would be what the page's call reaches.
    pageReady = Signal(str)  # the page's id (set_page_info), so a late message from an old page is known
    selectionMade = Signal(int, int, str)  # start, end, text; (-1, -1, "") when cleared
    highlightActivated = Signal(str)  # a highlight's id; "" for a click in the text outside every highlight
    linkRequested = Signal(str)
    readingPositionChanged = Signal(int)
    wordActivated = Signal(int, int, int)  # plain-text offset; x, y of the click in CSS pixels of the view

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._page_info = "{}"

    def set_page_info(self, info: dict) -> None:
        """What the page asks for when it starts: block offsets, highlights, reading position."""
        self._page_info = json.dumps(info, ensure_ascii=False)

    @Slot(result=str)
    def pageInfo(self) -> str:  # noqa: N802 (called from JavaScript by this name)
        return self._page_info

    @Slot(str)
    def ready(self, payload: str) -> None:  # noqa: N802 (called from JavaScript by this name)
        data = _parse(payload) or {}
        page = data.get("page")
        self.pageReady.emit(page if isinstance(page, str) else "")

    @Slot(str)
    def selectionChanged(self, payload: str) -> None:  # noqa: N802 (called from JavaScript by this name)
        data = _parse(payload)
        if data is None:
            self.selectionMade.emit(-1, -1, "")
            return
        try:
            start, end, text = int(data["start"]), int(data["end"]), str(data.get("text", ""))
        except (KeyError, TypeError, ValueError):
            return
        if 0 <= start < end:
            self.selectionMade.emit(start, end, text)

    @Slot(str)
    def highlightClicked(self, payload: str) -> None:  # noqa: N802 (called from JavaScript by this name)
        data = _parse(payload)
        if data and isinstance(data.get("id"), str):
            self.highlightActivated.emit(data["id"])

    @Slot(str)
    def linkClicked(self, payload: str) -> None:  # noqa: N802 (called from JavaScript by this name)
        data = _parse(payload)
        if data and isinstance(data.get("href"), str):
            self.linkRequested.emit(data["href"])

    @Slot(str)
    def wordClicked(self, payload: str) -> None:  # noqa: N802 (called from JavaScript by this name)
        data = _parse(payload)
        if data is None:
            return
        values = [data.get(key) for key in ("offset", "x", "y")]
        # bool is an int to Python, and NaN or infinity cannot become a position: refuse them.
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and abs(v) < 1e9 for v in values):
            return
        offset, x, y = (int(v) for v in values)
        if offset >= 0:
            self.wordActivated.emit(offset, x, y)

    @Slot(str)
    def positionChanged(self, payload: str) -> None:  # noqa: N802 (called from JavaScript by this name)
        data = _parse(payload)
        if data is not None:
            try:
                self.readingPositionChanged.emit(max(0, int(data.get("offset", 0))))
            except (TypeError, ValueError):
                pass
