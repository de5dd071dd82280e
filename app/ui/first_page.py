"""The window's end of the start-up process (app.ui.prestart): its messages, as Qt signals.

The reader exists before the window: `FirstPage` listens from then on, puts the first page in
the reader the moment it comes (Chromium lays it out while the window is still being built),
and keeps every other message for the window, which takes them over with `hand_over()`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal

from app.core.page import PreparedPage


class PrestartListener(QThread):
    """Reads the start-up process's messages until it ends; each one is a `message` signal."""

    message = Signal(str, object)

    def __init__(self, early, parent: QObject | None = None):
        super().__init__(parent)
        self.early = early

    def run(self) -> None:
        while (message := self.early.receive()) is not None:
            self.message.emit(*message)
        self.early.close()


class FirstPage(QObject):
    """Follows the start-up process `early` for `reader`; see the module."""

    def __init__(self, early, reader, parent: QObject | None = None):
        super().__init__(parent)
        self.early, self.reader = early, reader
        self.store_ready = False
        self.ended = False
        self.page_shown = False
        self._kept: list[tuple[str, object]] = []
        self._window = None
        # What has come already (the page, usually: the process is quicker than Qt) is taken now,
        # so Chromium loads the page while the window is being built.
        while early.waiting() and not self.page_shown and (message := early.receive()) is not None:
            self._message(*message)
        self.listener = PrestartListener(early)
        self.listener.message.connect(self._message)
        self.listener.finished.connect(self._ended)
        self.listener.start()

    def _message(self, kind: str, value) -> None:
        if kind == "store":
            self.store_ready = True
            return
        if kind == "page" and not self.page_shown:
            self.page_shown = True
            self.reader.show_page(PreparedPage(**value["page"]), allow_remote_images=value["allow_remote"])
        if self._window is not None:
            self._window.prestart_message(kind, value)
        else:
            self._kept.append((kind, value))

    def _ended(self) -> None:
        self.ended = True
        if self._window is not None:
            self._window.prestart_ended()

    def waiting_for_store(self) -> bool:
        """Whether the window must still wait before it opens the library (the process may be
        making it, or bringing it up to date)."""
        return not (self.store_ready or self.ended)

    def hand_over(self, window) -> None:
        """From now on `window` gets the messages: first the ones kept until now."""
        self._window = window
        kept, self._kept = self._kept, []
        for kind, value in kept:
            window.prestart_message(kind, value)
        if self.ended:
            window.prestart_ended()

    def stop(self) -> None:
        """End the start-up process and the listening (the window closes)."""
        if self.listener.isRunning():
            self.early.stop()
            self.listener.wait()
