"""Start the desktop reader: the Qt application, the library, the main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from app.core.paths import sample_post_path
from app.core.store import StoreError, open_store


def _prepare_environment() -> None:
    # Chromium refuses to run as root without --no-sandbox; a desktop user is never root, CI is.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()


def create_application(argv: Sequence[str] | None = None):
    """The QApplication, with the reader's URL scheme registered first (Qt requires that order)."""
    _prepare_environment()
    from PySide6.QtWidgets import QApplication

    from app.ui.scheme import register_scheme

    register_scheme()
    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("Kakikomi")
    app.setOrganizationName("Kakikomi")
    return app


def run(files: Sequence[str] = (), db: str | None = None) -> int:
    """Open the window on `files` (imported into the library), or on the sample on first run."""
    app = create_application()
    from PySide6.QtWidgets import QMessageBox

    from app.ui.main_window import MainWindow

    try:
        store = open_store(db)
    except StoreError as exc:
        QMessageBox.critical(None, "Kakikomi", str(exc))
        return 2
    window = MainWindow(store)
    window.show()
    if files:
        window.import_and_open([str(Path(f)) for f in files])
    elif not store.posts():
        window.import_and_open([str(sample_post_path())])
    else:
        window.open_post(store.posts()[0].id)
    code = app.exec()
    window.deleteLater()  # the page goes before its profile, while Qt is still up
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    store.close()
    return code
