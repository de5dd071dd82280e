"""What the gallery's scripts (notes.py, learner.py) share: the real main window on a throw-away
library holding the sample post, shown offscreen with the post open, and a pause that keeps Qt
running. Imported by path, as the scripts run from this folder."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def application(language: str = "en"):
    """The app as `kakikomi` makes it (offscreen unless a display is asked for), in `language`."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.ui.app import create_application
    from app.ui.i18n import install_translators

    app = create_application()
    install_translators(app, language)
    return app


def wait(ms: int) -> None:
    """Let Qt run for `ms` milliseconds (the page paints, workers report)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


@contextmanager
def sample_window(settings, size: tuple[int, int], prepare: Callable | None = None) -> Iterator[tuple]:
    """(window, store, post id): the sample post imported into a new library, `prepare(store,
    post_id)` run on it (highlights, word statuses), the window shown with the post open and
    painted; closed, with its library, afterwards."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer

    from app.core.common.paths import sample_post_path
    from app.core.library import actions as library
    from app.core.library.derived import open_library
    from app.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="kakikomi-shot-") as scratch:
        store = open_library(Path(scratch) / "library.sqlite3")
        window = MainWindow(store, settings, settings_path=Path(scratch) / "settings.json")
        window.resize(*size)
        report = library.import_paths(store, [sample_post_path()])
        post_id = (report.added + report.updated + report.unchanged)[0]
        if prepare is not None:
            prepare(store, post_id)
        window.refresh_posts()
        window.show()
        loop = QEventLoop()
        window.postShown.connect(lambda _id: QTimer.singleShot(600, loop.quit))
        QTimer.singleShot(60_000, loop.quit)
        window.open_post(post_id)
        loop.exec()
        try:
            yield window, store, post_id
        finally:
            window.close()
            window.deleteLater()  # the page goes before its profile, while Qt is still up
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            store.close()
