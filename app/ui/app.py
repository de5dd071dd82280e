"""Start the desktop reader: the Qt application, settings and translations, the library, the window."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

from app.core.settings import load_settings, save_settings


def _prepare_environment() -> None:
    # Chromium refuses to run as root without --no-sandbox; a desktop user is never root, CI is.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()


# The reader's size in the default layout (a 1280×820 window, see MainWindow).
DEFAULT_READER_SIZE = (712, 763)


def create_application(argv: Sequence[str] | None = None):
    """The QApplication, with the reader's URL scheme registered first (Qt requires that order)."""
    _prepare_environment()
    from PySide6.QtWidgets import QApplication

    from app.ui.scheme import register_scheme

    register_scheme()
    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("Kakikomi")
    app.setOrganizationName("Kakikomi")
    # The menu entry packaging/kakikomi.desktop installs: desktops (Wayland ones especially) match
    # the window to it, and so to its icon.
    app.setDesktopFileName("kakikomi")
    from PySide6.QtGui import QIcon

    from app.core.common.paths import resource

    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        path = resource("icons", f"kakikomi-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    app.setWindowIcon(icon)
    return app


def _import_window_modules() -> None:
    import app.ui.i18n  # noqa: F401
    import app.ui.main_window  # noqa: F401


# How long the window waits for the reader's first frame before it completes itself anyway.
FIRST_FRAME_WAIT_MS = 3000
# The page says it is ready (app.ui.reader_view: its second animation frame) before its first
# full frame has always reached the window: measured, that frame came 0-31 ms after "ready"
# (Paint events come before it too, for frames not yet complete).
FRAME_AFTER_READY_MS = 50


def _until_first_frame(window, first) -> None:
    """Turn the event loop until the reader has painted the start-up process's page (or no page
    is coming, or the window was closed): the rest of the window is made after that frame."""
    from PySide6.QtCore import QEventLoop, QTimer

    reader = window.reader
    if reader.is_ready or not first.page_coming():
        return
    loop = QEventLoop()
    deadline = time.monotonic() + FIRST_FRAME_WAIT_MS / 1000

    def check() -> None:
        if not window.isVisible() or not first.page_coming() or time.monotonic() > deadline:
            loop.quit()

    def ready() -> None:
        QTimer.singleShot(FRAME_AFTER_READY_MS, loop.quit)

    waiting = QTimer(interval=20)
    waiting.timeout.connect(check)
    waiting.start()
    reader.ready.connect(ready)
    loop.exec()
    waiting.stop()
    reader.ready.disconnect(ready)


def run(files: Sequence[str] = (), db: str | None = None) -> int:
    """Open the window on `files` (imported into the library), or on the sample on first run.

    A file that is not a readable post stops it before any window opens (exit code 2). The
    settings are loaded first, so the window is built in the language they choose.

    Where it can (app.ui.prestart), a child process prepares the first page while Qt and
    Chromium start, and the reader shows it as soon as it comes; otherwise the window prepares it.
    The window shows its frame with that page first, and completes itself after the page's first
    frame (see app.ui.main_window).
    """
    settings = load_settings()
    from app.ui import prestart

    early = prestart.start(list(files), db, settings)
    _prepare_environment()
    import PySide6.QtWebEngineWidgets  # noqa: F401 - Qt loads while the child reads the files

    checked = early.receive_until("checked") if early is not None else None
    if checked is None:
        early = None  # it ended without a word: this process does everything itself
        problems = prestart.check_files(files)
    else:
        problems = checked[1] if checked[0] == "checked" else []
    if problems:
        if early is not None:
            early.close()
        for problem in problems:
            print(f"kakikomi: {problem}", file=sys.stderr)
        return 2
    # The window's modules (those its frame needs), while the child renders the page on the
    # other core (before Qt's application exists: nothing else competes with them yet).
    _import_window_modules()
    app = create_application()
    from app.ui.i18n import install_translators
    from app.ui.main_window import MainWindow
    from app.ui.reader_view import create_reader

    reader = create_reader()
    # The size it will have in the window: the page is laid out before the window is built.
    reader.resize(*(settings.reader_size or DEFAULT_READER_SIZE))
    first = None
    if early is not None:
        from app.ui.first_page import FirstPage

        first = FirstPage(early, reader)  # the page goes into the reader as soon as it comes
    else:
        reader.warm_up()  # Chromium starts its processes now, on an empty page
    app.processEvents()  # Chromium starts on the page while the window is built
    install_translators(app, settings.language)
    window = MainWindow(None, settings, reader=reader, complete=False)
    window.show()
    if first is not None:
        if not first.page_shown:
            reader.warm_up()  # an empty page (not a black one) until the post's comes
        # Nothing else on this thread (Chromium's side of the page runs on it too) until the
        # reader has painted the post: then the panels, the menus' actions, the library.
        _until_first_frame(window, first)
    if window.isVisible():
        window.complete()
    # The library: the start-up process may be making it, or bringing it up to date (a big
    # library's upgrade takes a while): the window waits, without taking clicks meanwhile.
    if first is not None and first.waiting_for_store() and window.isVisible():
        window.setEnabled(False)
        while first.waiting_for_store() and window.isVisible():
            app.processEvents()
            time.sleep(0.002)
        window.setEnabled(True)
    if not window.isVisible():  # closed meanwhile: what the start-up process does is not needed
        if first is not None:
            first.stop()
        window.deleteLater()
        return 0
    from PySide6.QtWidgets import QMessageBox

    from app.core.store import StoreError

    from app.core.library.derived import open_library

    try:
        store = open_library(db)
    except StoreError as exc:
        if first is not None:
            first.stop()
        QMessageBox.critical(window, "Kakikomi", str(exc))
        window.stop_workers()
        window.deleteLater()
        return 2
    window.attach_store(store)
    first_run = not settings.first_run_done
    if first is not None:
        window.take_startup(first, files, first_run=first_run)
    else:
        window.open_first(files, first_run=first_run)
    if settings.warnings:
        window.statusBar().showMessage(" ".join(settings.warnings), 15000)
    if not settings.first_run_done:
        settings.first_run_done = True
        try:
            save_settings(settings)
        except OSError:
            pass  # the window says so when it next saves; the sample opening again is harmless
    code = app.exec()
    window.stop_workers()  # QApplication.quit() ends the loop without closing the window
    window.deleteLater()  # the page goes before its profile, while Qt is still up
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    store.close()
    return code
