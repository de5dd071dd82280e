"""Start the real window as `kakikomi FILE` does (app.__main__.main), and report what it shows.

    python tests/helpers/start_window.py FILE [--wait-readings]

Once the post is shown (MainWindow.postShown), and with --wait-readings once the last block of
the page has its readings, it prints one JSON line: the window's title, the open post, the
page's plain text next to the library's, the page's ruby count, and whether the start-up process
prepared the page; then it quits. The library and settings live in $KAKIKOMI_HOME and the XDG
folders the caller sets. Nothing of the app is imported before it starts (it forks before Qt).
"""

from __future__ import annotations

import json
import sys

from benchmarks._startup_child import after_import  # the same hook the start-up benchmark uses

REPORT: dict = {}


def watch(module, wait_readings: bool) -> None:
    original = module.MainWindow.__init__

    def init(window, *args, **kwargs):
        original(window, *args, **kwargs)
        window.postShown.connect(lambda post_id: shown(window, post_id, wait_readings))

    module.MainWindow.__init__ = init


def shown(window, post_id: int, wait_readings: bool) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    if REPORT:
        return
    REPORT.update(post_id=post_id, title=window.windowTitle(), prepared=window._first is not None)
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
