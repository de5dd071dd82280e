"""Start the real window as `kakikomi FILE` does (app.__main__.main), and report what it shows.

    python tests/helpers/start_window.py FILE [--wait-readings]

Once the post is shown (MainWindow.postShown), and with --wait-readings once the last block of
the page has its readings, it prints one JSON line: the window's title, the open post, the
page's plain text next to the library's, the page's ruby count, and whether the start-up process
prepared the page; also, for the window's two steps (app.ui.main_window), which of the panels'
modules its frame imported, whether the reader had painted before complete(), and the reader's
place then and once the post is shown. Then it quits. The library and settings live in $KAKIKOMI_HOME and the XDG
folders the caller sets. Nothing of the app is imported before it starts (it forks before Qt).
"""

from __future__ import annotations

import json
import sys

from benchmarks._startup_child import after_import  # the same hook the start-up benchmark uses

REPORT: dict = {}
# What the window's frame should not need (app.ui.main_window imports them in complete()).
PANEL_MODULES = ("app.core.store", "app.ui.claims_panel", "app.ui.highlights_panel", "app.ui.library_panel", "app.ui.word_popup")


def reader_place(window) -> list[int]:
    from PySide6.QtCore import QPoint

    corner = window.reader.mapTo(window, QPoint(0, 0))
    return [corner.x(), corner.y(), window.reader.width(), window.reader.height()]


def watch(module, wait_readings: bool) -> None:
    original_init, original_complete = module.MainWindow.__init__, module.MainWindow.complete

    def init(window, *args, **kwargs):
        original_init(window, *args, **kwargs)
        REPORT["frame_imports"] = [name for name in PANEL_MODULES if name in sys.modules]
        window.postShown.connect(lambda post_id: shown(window, post_id, wait_readings))

    def complete(window):
        if not window.completed:
            REPORT.update(painted_before_complete=window.reader.is_ready, place_at_complete=reader_place(window))
        original_complete(window)

    module.MainWindow.__init__ = init
    module.MainWindow.complete = complete


def shown(window, post_id: int, wait_readings: bool) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    if "post_id" in REPORT:
        return
    REPORT.update(post_id=post_id, title=window.windowTitle(), prepared=window.first_page is not None, place_when_shown=reader_place(window))
    last_ruby = "document.querySelector('#kk-post > [data-kb]:last-child').querySelectorAll('rt').length"

    def readings(count) -> None:
        if wait_readings and not count:
            QTimer.singleShot(100, lambda: window.reader.call(last_ruby, readings))
            return
        window.reader.call("kk.plainText()", finish)

    def finish(text) -> None:
        record = window.store.post(post_id)
        REPORT.update(
            current=window.current.id if window.current else None,
            text_matches=text == record.text,
            text_length=len(text or ""),
            posts=[p.id for p in window.store.posts()],
        )
        window.reader.call("document.querySelectorAll('rt').length", done)

    def done(rubies) -> None:
        REPORT["rubies"] = rubies
        print("REPORT " + json.dumps(REPORT, ensure_ascii=False), flush=True)
        QApplication.quit()

    window.reader.call(last_ruby, readings)


def main() -> int:
    wait_readings = "--wait-readings" in sys.argv
    files = [a for a in sys.argv[1:] if not a.startswith("--")]
    after_import("app.ui.main_window", lambda module: watch(module, wait_readings))
    from app.__main__ import main as kakikomi

    return kakikomi(files)


if __name__ == "__main__":
    sys.exit(main())
