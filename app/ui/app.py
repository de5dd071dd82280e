"""Start the desktop reader: the Qt application, settings and translations, the library, the window."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from app.core.paths import sample_post_path
from app.core.settings import load_settings, save_settings


def _prepare_environment() -> None:
    # Chromium refuses to run as root without --no-sandbox; a desktop user is never root, CI is.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()


# UI fonts that draw Japanese: the first one found leads the font list, so list rows are sized
# for Japanese lines (a Latin default measures them too short and Qt cuts them off).
CJK_UI_FAMILIES = ("Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic UI", "Meiryo UI", "Source Han Sans JP")


def with_cjk_family(font):
    """`font` with the first installed Japanese UI family in front of its own families."""
    from PySide6.QtGui import QFontDatabase

    installed = set(QFontDatabase.families())
    for family in CJK_UI_FAMILIES:
        if family in installed:
            font.setFamilies([family, *font.families()])
            break
    return font


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

    from app.core.paths import resource

    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        path = resource("icons", f"kakikomi-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    app.setWindowIcon(icon)
    return app


def run(files: Sequence[str] = (), db: str | None = None) -> int:
    """Open the window on `files` (imported into the library), or on the sample on first run.

    The settings are loaded first, so the window is built in the language they choose.
    """
    app = create_application()
    from PySide6.QtWidgets import QMessageBox

    from app.core.store import StoreError, open_store
    from app.ui.i18n import install_translators
    from app.ui.main_window import MainWindow

    settings = load_settings()
    install_translators(app, settings.language)
    try:
        store = open_store(db)
    except StoreError as exc:
        QMessageBox.critical(None, "Kakikomi", str(exc))
        return 2
    window = MainWindow(store, settings)
    window.show()
    if files:
        window.import_and_open([str(Path(f)) for f in files])
    elif store.posts():
        window.open_post(store.posts()[0].id)
    elif not settings.first_run_done:
        window.import_and_open([str(sample_post_path())])
    if settings.warnings:
        window.statusBar().showMessage(" ".join(settings.warnings), 15000)
    if not settings.first_run_done:
        settings.first_run_done = True
        try:
            save_settings(settings)
        except OSError:
            pass  # the window says so when it next saves; the sample opening again is harmless
    code = app.exec()
    window.deleteLater()  # the page goes before its profile, while Qt is still up
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    store.close()
    return code
