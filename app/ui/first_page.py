"""The window's first post: the start-up process's end (app.ui.prestart), and `open_first`.

The reader exists before the window: `FirstPage` listens from then on, puts the first page in
the reader the moment it comes (Chromium lays it out while the window is still being built), and
keeps every other message until the window exists (`hand_over()`). Then it makes the post the
window's open post once it is in the library, passes on a long post's other readings and the
suggested claims, and if the process stops short, opens the first post the usual way
(`open_first`, which the window uses without a start-up process too).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from app.core.common.paths import sample_post_path
from app.core.common.text import escape_surrogates
from app.core.posts.page import PreparedPage
from app.ui.prestart import remembered_post


def open_first(window, files, *, first_run: bool) -> None:
    """The first post at start-up, opened by the MainWindow `window`: `files` (imported), else the
    post open at the last close, else the library's most recent post, else on the first run the
    bundled sample."""
    if files:
        window.import_and_open([str(Path(f)) for f in files])
    elif (remembered := remembered_post(window.store, window.settings)) is not None:
        window.open_post(remembered)
    elif posts := window.store.posts():
        window.open_post(posts[0].id)
    elif first_run:
        window.import_and_open([str(sample_post_path())])
    # else an empty library: the panels say what to do


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
    """Follows the start-up process `early` for `reader`, then for the window; see the module.
    `changed` after each message and when the process has ended: what waiting_for_store() and
    page_coming() say may have changed (app.ui.app waits on it)."""

    changed = Signal()

    def __init__(self, early, reader, parent: QObject | None = None):
        super().__init__(parent)
        self.early, self.reader = early, reader
        self.store_ready = False
        self.ended = False
        self.page_shown = False
        self.fell_back = False  # the process said it stops short (see page_coming())
        self.done = False  # the post is the window's open post, or the window went its own way
        self._page: dict | None = None
        self._kept: list[tuple[str, object]] = []
        self._window = None
        self._files: list[str] = []
        self._first_run = False
        # What has come already (the page, usually: the process is quicker than Qt) is taken now,
        # so Chromium loads the page while the window is being built.
        while early.waiting() and not self.page_shown and (message := early.receive()) is not None:
            self._message(*message)
        self.listener = PrestartListener(early)
        self.listener.message.connect(self._message)
        self.listener.finished.connect(self._ended)
        self.listener.start()

    def waiting_for_store(self) -> bool:
        """Whether the window must still wait before it opens the library (the process may be
        making it, or bringing it up to date)."""
        return not (self.store_ready or self.ended)

    def page_coming(self) -> bool:
        """Whether the reader shows the process's page, or may still: not once it stopped short."""
        return self.page_shown or not (self.ended or self.fell_back)

    def hand_over(self, window, files, *, first_run: bool) -> None:
        """From now on the messages go to the MainWindow `window` (first the ones kept until now).
        If the process stops short, open_first(window, files) does the rest."""
        self._window, self._files, self._first_run = window, list(files), first_run
        kept, self._kept = self._kept, []
        for kind, value in kept:
            self._take(kind, value)
        if self.ended:
            self._ended()

    def superseded(self) -> None:
        """The reader opened another post: this one is not made the open post when it comes."""
        self.done = True

    def stop(self) -> None:
        """End the start-up process and the listening (the window closes)."""
        if self.listener.isRunning():
            self.early.stop()
            self.listener.wait()

    # --- the messages (see app.ui.prestart) --------------------------------------------------

    def _message(self, kind: str, value) -> None:
        if kind == "fallback":
            self.fell_back = True
        if kind == "page" and not self.page_shown:
            self.page_shown = True
            self.reader.show_page(PreparedPage(**value["page"]), allow_remote_images=value["allow_remote"])
        if kind == "page":
            # The reader has the page (its HTML, a long post's rest): what is kept of the message
            # is only what the window takes from it (the title, the post's id, its warnings).
            value = {key: item for key, item in value.items() if key != "page"}
        if kind == "store":
            self.store_ready = True
        elif self._window is not None:
            self._take(kind, value)
        else:
            self._kept.append((kind, value))
        self.changed.emit()

    def _take(self, kind: str, value) -> None:
        window = self._window
        if kind == "page":
            self._page = value
            window.setWindowTitle(f"{escape_surrogates(value['title'])} — Kakikomi")
            if value["post_id"] is not None:
                self._adopt(value["post_id"])
        elif kind == "imported":
            for path in value["paths"]:
                window.settings.add_recent(str(Path(path).expanduser().resolve()))
            if value["paths"]:
                window.save_settings()
            window.refresh_posts()  # the post came into the library after the list was filled
            self._adopt(value["post_id"])
        elif kind == "fallback":
            self._fall_back()
        elif kind == "rest":
            window.readings.arrived(self.early, value)
        elif kind == "suggestions":
            post_id, found = value
            # After the first screen: the claims' tables load on the window's thread.
            self.reader.after_ready(lambda: window.suggested_claims.remember(post_id, found))

    def _ended(self) -> None:
        self.ended = True
        if self._window is not None:
            self._fall_back()  # if it ended before its post was in the library
            # Suggestions never sent are computed by the window.
            self.reader.after_ready(self._window.suggested_claims.release)
        self.changed.emit()

    def _adopt(self, post_id: int) -> None:
        if self.done:
            return
        self.done = True
        window = self._window
        window.suggested_claims.hold(post_id)  # they are on their way
        if not window.adopt_shown_post(post_id, self._page["warnings"] if self._page else ()):
            window.suggested_claims.release()
            self.stop()
            open_first(window, self._files, first_run=self._first_run)

    def _fall_back(self) -> None:
        if not self.done:
            self.done = True
            open_first(self._window, self._files, first_run=self._first_run)
