"""The start-up's waits (app.ui.app) end on a signal or a timer: the start-up process's word, the
window closing, or a time limit. A stand-in for app.ui.first_page.FirstPage says when."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from app.ui import app as ui_app


class StandInFirstPage(QObject):
    """What the waits ask of a FirstPage: `changed`, waiting_for_store(), page_coming()."""

    changed = Signal()

    def __init__(self):
        super().__init__()
        self.store_ready = False
        self.coming = True

    def waiting_for_store(self) -> bool:
        return not self.store_ready

    def page_coming(self) -> bool:
        return self.coming


def test_the_window_waits_for_the_library_without_taking_clicks(qtbot, window):
    first = StandInFirstPage()
    seen = []

    def ready() -> None:
        seen.append(window.isEnabled())
        first.store_ready = True
        first.changed.emit()

    QTimer.singleShot(100, first.changed.emit)  # another message: still waiting
    QTimer.singleShot(200, ready)
    started = time.monotonic()
    ui_app._until_library_ready(window, first)
    assert seen == [False] and window.isEnabled()
    assert 0.15 < time.monotonic() - started < 5


def test_closing_the_window_ends_the_wait_for_the_library(qtbot, window):
    first = StandInFirstPage()
    QTimer.singleShot(100, window.close)
    ui_app._until_library_ready(window, first)
    assert not window.isVisible() and first.waiting_for_store()


def test_the_wait_for_the_first_frame_ends_when_no_page_is_coming(qtbot, window):
    first = StandInFirstPage()

    def stopped_short() -> None:
        first.coming = False
        first.changed.emit()

    QTimer.singleShot(100, stopped_short)
    started = time.monotonic()
    ui_app._until_first_frame(window, first)
    assert time.monotonic() - started < ui_app.FIRST_FRAME_WAIT_MS / 1000


def test_the_wait_for_the_first_frame_has_a_time_limit(qtbot, window, monkeypatch):
    monkeypatch.setattr(ui_app, "FIRST_FRAME_WAIT_MS", 300)
    first = StandInFirstPage()
    assert not window.reader.is_ready  # no post was opened: no frame is coming
    started = time.monotonic()
    ui_app._until_first_frame(window, first)
    assert 0.25 < time.monotonic() - started < 5


def test_the_wait_for_the_first_frame_ends_a_moment_after_the_page_is_ready(qtbot, window):
    first = StandInFirstPage()
    QTimer.singleShot(100, window.reader.ready.emit)
    started = time.monotonic()
    ui_app._until_first_frame(window, first)
    elapsed = time.monotonic() - started
    assert 0.1 + ui_app.FRAME_AFTER_READY_MS / 1000 <= elapsed + 0.01 and elapsed < ui_app.FIRST_FRAME_WAIT_MS / 1000
