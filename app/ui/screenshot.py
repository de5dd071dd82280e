"""`kakikomi screenshot`: the real main window, rendered offscreen, saved as a PNG."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.core.common.fileio import write_atomic
from app.core.common.paths import sample_post_path
from app.core.common.text import shown_path
from app.core.library.derived import open_library
from app.core.reading.furigana_mode import FuriganaMode

# How long to wait for the page to paint before giving up (a long post on a busy machine).
READY_TIMEOUT_MS = 60_000


def take_screenshot(
    post_file: str | None,
    out: str,
    *,
    theme: str = "light",
    vertical: bool = False,
    furigana: FuriganaMode | None = None,
    size: tuple[int, int] = (1280, 820),
    highlight: str | None = None,
    db: str | None = None,
    language: str = "en",
) -> Path:
    """Open `post_file` (default: the sample) in a throw-away library unless `db` is given, wait
    until the page is painted, and save the window. Raises RuntimeError when nothing painted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer

    from app.core.library import actions as library
    from app.ui.app import create_application
    from app.ui.main_window import MainWindow

    app = create_application()
    from app.ui.i18n import install_translators

    install_translators(app, language)
    with tempfile.TemporaryDirectory(prefix="kakikomi-shot-") as scratch:
        store = open_library(db or Path(scratch) / "library.sqlite3")
        window = MainWindow(store, settings_path=Path(scratch) / "settings.json")
        window.resize(*size)
        _choose(window.theme_box, theme)
        _choose(window.furigana_box, str(furigana) if furigana else "all")
        window.vertical_action.setChecked(vertical)
        target = post_file or str(sample_post_path())
        report = library.import_paths(store, [target])
        if report.errors:
            raise RuntimeError(report.errors[0][1])
        post_id = (report.added + report.updated + report.unchanged)[0]
        if highlight:
            library.annotate_quote(store, store.post(post_id), highlight, tags=["claim"])
        window.refresh_posts()
        window.show()
        loop = QEventLoop()
        window.postShown.connect(lambda _id: QTimer.singleShot(400, loop.quit))
        QTimer.singleShot(READY_TIMEOUT_MS, loop.quit)
        window.open_post(post_id, offset=store.post(post_id).text.find(highlight) if highlight else 0)
        loop.exec()
        image = None
        for _attempt in range(20):  # grab() can return a blank frame until Chromium has painted
            app.processEvents()
            image = window.grab().toImage()
            if window.reader.is_ready and _painted(window.reader.grab().toImage()):
                break
            wait = QEventLoop()
            QTimer.singleShot(250, wait.quit)
            wait.exec()
        else:
            raise RuntimeError("The page did not paint in time; nothing was saved.")
        out_path = Path(out)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        _save_png(image, out_path)
        window.close()
        window.deleteLater()  # the page goes before its profile, while Qt is still up
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        store.close()
    return out_path


def _save_png(image, out_path: Path) -> None:
    """Save `image` as a PNG at `out_path`, whole or not at all. The bytes are written by Python,
    not by Qt, which cannot name a file whose name is not UTF-8."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    saved = image.save(buffer, "PNG")
    buffer.close()
    if not saved:
        raise RuntimeError(f"Could not make a PNG of the window for {shown_path(out_path)}.")
    write_atomic(out_path, bytes(data.data()))


def _choose(box, value: str) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)
    elif value:
        box.addItem(value, value)
        box.setCurrentIndex(box.count() - 1)


def _painted(image) -> bool:
    """More than a blank page: some pixels differ from the first one (text was drawn). Every third
    pixel of every third row is looked at, so that a one-line post's few glyphs count; the scan
    stops as soon as enough differ."""
    if image.isNull() or image.width() < 10 or image.height() < 10:
        return False
    first = image.pixel(0, 0)
    differing = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            if image.pixel(x, y) != first:
                differing += 1
                if differing > 20:
                    return True
    return False
