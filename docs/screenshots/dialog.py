"""A dialog over the window in a theme, for the README gallery: the sample post with a highlight,
and File › Export Highlights… open over it, drawn into one PNG (offscreen, a throw-away library).

    .venv/bin/python docs/screenshots/dialog.py OUT.png [--theme dark]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--theme", default="dark", choices=("light", "sepia", "dark"))
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QPoint, QTimer
    from PySide6.QtGui import QColor, QPainter

    from app.core.common.paths import sample_post_path
    from app.core.library import actions as library
    from app.core.library.derived import open_library
    from app.core.settings import Settings
    from app.ui import theme
    from app.ui.app import create_application
    from app.ui.export_dialog import ExportDialog
    from app.ui.i18n import install_translators
    from app.ui.main_window import MainWindow

    app = create_application()
    install_translators(app, "en")
    with tempfile.TemporaryDirectory(prefix="kakikomi-shot-") as scratch:
        store = open_library(Path(scratch) / "library.sqlite3")
        window = MainWindow(store, Settings(theme=args.theme), settings_path=Path(scratch) / "settings.json")
        window.resize(1280, 820)
        report = library.import_paths(store, [sample_post_path()])
        post_id = (report.added + report.updated + report.unchanged)[0]
        library.annotate_quote(store, store.post(post_id), "あるSNS企業が一年で740億ドル近くをインフラにつぎ込んだ", tags=["claim"])
        window.refresh_posts()
        window.show()
        loop = QEventLoop()
        window.postShown.connect(lambda _id: QTimer.singleShot(600, loop.quit))
        QTimer.singleShot(60_000, loop.quit)
        window.open_post(post_id, offset=store.post(post_id).text.find("あるSNS企業"))
        loop.exec()
        dialog = ExportDialog(store, post_id, window)
        dialog.destination.setText("~/Documents/ai-chips-and-money.md")  # not this machine's home
        dialog.show()
        for _ in range(5):
            app.processEvents()
        image = window.grab().toImage()
        painter = QPainter(image)
        shown = dialog.grab()
        at = QPoint((image.width() - shown.width()) // 2, image.height() - shown.height() - 50)  # under the highlight
        painter.drawPixmap(at, shown)
        # Offscreen windows have no frame: an edge in the theme's rule colour stands in for it.
        painter.setPen(QColor(theme.colours().rule))
        painter.drawRect(at.x() - 1, at.y() - 1, shown.width() + 1, shown.height() + 1)
        painter.end()
        image.save(args.output)
        dialog.close()
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        store.close()
    print(args.output)


if __name__ == "__main__":
    main()
