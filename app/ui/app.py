"""Start the desktop reader: the Qt application, settings and translations, the library, the window."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from app.core.settings import load_settings, save_settings


def with_page_collection(flags: str) -> str:
    """Chromium's `flags` with V8's gc() exposed, for the reader to collect its page's garbage
    right after a long post's blocks or readings went in (app.ui.reader_view.COLLECT_SCRIPT): tens
    of megabytes the renderer would keep otherwise. The post's own scripts never run (JavaScript is
    on in the reader's world alone), so only the reader calls it. Flags for V8 the user gave are
    left as they are (then nothing is collected early)."""
    if "--js-flags" in flags:
        return flags
    return (flags + " --js-flags=--expose-gc").strip()


def _prepare_environment() -> None:
    # Chromium refuses to run as root without --no-sandbox; a desktop user is never root, CI is.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = with_page_collection(os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", ""))
    # The lines Qt and Chromium print on machines without a GPU or a session bus, unless asked for.
    from app.ui import qt_noise

    qt_noise.install()


def keep_no_sources() -> None:
    """Stop PySide6 from keeping the source of every module imported after it.

    PySide6 decides whether a newly imported module uses it by reading the module's source
    (shibokensupport.feature._mod_uses_pyside, through inspect.getsource), and the source stays
    in linecache for the life of the process: some 190 modules, 2.5 million characters, 5-6 MB.
    The check still runs, as it did; only the lines it read are not kept (a traceback reads them
    again when it needs them)."""
    import linecache

    feature = sys.modules.get("shibokensupport.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if check is None or getattr(check, "keeps_no_sources", False):
        return  # another PySide6, or done already

    def uses_pyside(module):
        before = set(linecache.cache)
        try:
            return check(module)
        finally:
            for name in linecache.cache.keys() - before:
                linecache.cache.pop(name, None)

    uses_pyside.keeps_no_sources = True
    feature._mod_uses_pyside = uses_pyside


# The reader's size in the default layout (a 1280×820 window, see MainWindow).
DEFAULT_READER_SIZE = (712, 763)


def create_application(argv: Sequence[str] | None = None):
    """The QApplication, with the reader's URL scheme registered first (Qt requires that order)."""
    _prepare_environment()
    from PySide6.QtWidgets import QApplication

    keep_no_sources()

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


def run(files: Sequence[str] = (), db: str | None = None) -> int:
    """Open the window on `files` (imported into the library), or on the sample on first run.

    A file that is not a readable post stops it before any window opens (exit code 2). The
    settings are loaded first, so the window is built in the language they choose.

    Where it can (app.ui.prestart), a child process prepares the first page while Qt and
    Chromium start, and the reader shows it as soon as it comes; otherwise the window prepares it.
    The window shows its frame with that page first, and completes itself after the page's first
    frame (see app.ui.main_window). Every wait turns the event loop until a signal or a timer.
    """
    settings = load_settings()
    early, problems = _fork_and_check(files, db, settings)
    if problems:
        from app.core.common.messages import core_language, translate

        for problem in problems:  # in the reader's language (the settings', else the locale's)
            print(f"kakikomi: {translate(problem, core_language(settings.language))}", file=sys.stderr)
        return 2
    # The window's modules (those its frame needs), while the child renders the page on the
    # other core (before Qt's application exists: nothing else competes with them yet).
    _import_window_modules()
    app = create_application()
    window, first = _show_frame(app, settings, early)
    if first is not None:
        # Nothing else on this thread (Chromium's side of the page runs on it too) until the
        # reader has painted the post: then the panels, the menus' actions, the library.
        _until_first_frame(window, first)
    if window.isVisible():
        window.complete()
    if first is not None:
        _until_library_ready(window, first)
    if not window.isVisible():
        return _closed_before_start(window, first)
    store = _open_library(window, first, db)
    if store is None:
        return 2
    window.attach_store(store)
    _open_first_post(window, first, files, settings)
    return _run_until_quit(app, window, store)


def _fork_and_check(files: Sequence[str], db: str | None, settings):
    """Start the process that prepares the first page (None where there is none), and the
    reasons the files given cannot be opened, which it reads while Qt loads here."""
    from app.ui import prestart

    early = prestart.start(list(files), db, settings)
    _prepare_environment()
    import PySide6.QtWebEngineWidgets  # noqa: F401 - Qt loads while the child reads the files

    keep_no_sources()  # before the window's modules are imported

    checked = early.receive_until("checked") if early is not None else None
    if checked is None:  # it ended without a word (or there is none): this process does everything
        return None, prestart.check_files(files)
    problems = checked[1] if checked[0] == "checked" else []
    if problems:
        early.close()
    return early, problems


def _show_frame(app, settings, early):
    """The window's frame, shown, around a reader that loads the start-up process's page as soon
    as it comes (`first`, an app.ui.first_page.FirstPage; None without a start-up process)."""
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
    if first is not None and not first.page_shown:
        reader.warm_up()  # an empty page (not a black one) until the post's comes
    return window, first


def _exec_connected(loop, connections) -> None:
    """loop.exec(), with each (signal, slot) of `connections` connected meanwhile."""
    for signal, slot in connections:
        signal.connect(slot)
    try:
        loop.exec()
    finally:
        for signal, slot in connections:
            signal.disconnect(slot)


def _until_first_frame(window, first) -> None:
    """Turn the event loop until the reader has painted the start-up process's page
    (FRAME_AFTER_READY_MS after it says it is ready), or no page is coming, or the window was
    closed, or FIRST_FRAME_WAIT_MS went by: the rest of the window is made after that frame."""
    from PySide6.QtCore import QEventLoop, QTimer

    if window.reader.is_ready or not first.page_coming():
        return
    loop = QEventLoop()
    painted = QTimer(singleShot=True, interval=FRAME_AFTER_READY_MS)
    limit = QTimer(singleShot=True, interval=FIRST_FRAME_WAIT_MS)

    def page_gone() -> None:
        if not first.page_coming():
            loop.quit()

    limit.start()
    _exec_connected(loop, [
        (window.reader.ready, painted.start),
        (painted.timeout, loop.quit),
        (limit.timeout, loop.quit),
        (window.closed, loop.quit),
        (first.changed, page_gone),
    ])
    painted.stop()
    limit.stop()


def _until_library_ready(window, first) -> None:
    """Turn the event loop until the start-up process has made the library, or brought it up to
    date (a big library's upgrade takes a while), or the window was closed; the window takes no
    clicks meanwhile."""
    from PySide6.QtCore import QEventLoop

    if not first.waiting_for_store() or not window.isVisible():
        return
    loop = QEventLoop()

    def library_ready() -> None:
        if not first.waiting_for_store():
            loop.quit()

    window.setEnabled(False)
    _exec_connected(loop, [(window.closed, loop.quit), (first.changed, library_ready)])
    window.setEnabled(True)


def _closed_before_start(window, first) -> int:
    """The window was closed before the library was open: what the start-up process still does
    is not needed."""
    if first is not None:
        first.stop()
    window.deleteLater()
    return 0


def _open_library(window, first, db: str | None):
    """The library, opened; None (and the window gone) when it cannot be, after saying why."""
    from PySide6.QtWidgets import QMessageBox

    from app.core.library.derived import open_library
    from app.core.store import StoreError
    from app.ui.plain import plain

    try:
        return open_library(db)
    except StoreError as exc:
        if first is not None:
            first.stop()
        QMessageBox.critical(window, "Kakikomi", plain(exc))
        window.stop_workers()
        window.deleteLater()
        return None


def _open_first_post(window, first, files: Sequence[str], settings) -> None:
    """The first post: the start-up process's, else the window opens it (app.ui.first_page)."""
    from app.ui.first_page import open_first

    first_run = not settings.first_run_done
    if first is not None:
        window.take_startup(first, files, first_run=first_run)
    else:
        open_first(window, files, first_run=first_run)
    if settings.warnings:
        from app.core.common.messages import translate
        from app.ui.i18n import current_language

        window.statusBar().showMessage(" ".join(translate(w, current_language()) for w in settings.warnings), 15000)
    if first_run:
        settings.first_run_done = True
        try:
            save_settings(settings)
        except OSError:
            pass  # the window says so when it next saves; the sample opening again is harmless


def _run_until_quit(app, window, store) -> int:
    """The application's event loop; then the window and the library are closed in order."""
    from PySide6.QtCore import QCoreApplication, QEvent

    code = app.exec()
    window.stop_workers()  # QApplication.quit() ends the loop without closing the window
    window.deleteLater()  # the page goes before its profile, while Qt is still up
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    store.close()
    return code
