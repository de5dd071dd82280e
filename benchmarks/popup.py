"""`python -m benchmarks.popup`: how long the word popup takes after a click (#16: the popup within
50 ms of the click on a 2-core machine).

For every word with kanji of the bundled sample post (up to --words), in text order, two figures:

- the core's work: the word at the clicked offset with its reading in context (words.word_at, what
  the popup shows first), the dictionary's look-up of its meanings, kanji, JLPT level and pitch
  (lookup.lookup_token), and the reader's status for the word and whether it is in the Anki deck,
  read from a library holding the post;
- the popup on screen: that work, then the popup filled with it (status buttons, pitch drawing,
  senses, kanji) and painted whole (`grab()`, Qt's raster painting, offscreen), as the window
  does before the reader sees it. `--core` leaves this out.

The dictionary is warmed first, as the window does a few seconds after it opens. Medians, 95th
percentiles and the maximum, wall-clock and CPU (the machines are shared: CPU time says what the
work costs, wall-clock what a reader would wait).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from app.core.common.paths import sample_post_path
from app.core.library import actions
from app.core.library.derived import open_library
from app.core.reading import lookup, words
from app.core.reading.tokens import KANJI_RE

TARGET_MS = 50.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=200)
    parser.add_argument("--core", action="store_true", help="only the core's work, no Qt")
    args = parser.parse_args(argv)
    if not lookup.warm_up():
        print("The dictionary is not built (make dictionary): nothing to measure.")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        store = open_library(Path(folder) / "library.sqlite3")
        try:
            post_id = actions.import_paths(store, [sample_post_path()]).added[0]
            text = store.post(post_id).text
            offsets = [m.start() for m in KANJI_RE.finditer(text)]
            # One click per word: the first kanji of each run of kanji.
            clicks = [o for i, o in enumerate(offsets) if i == 0 or offsets[i - 1] != o - 1][: args.words]
            print(f"word popup per click ({len(clicks)} words of the sample post)")
            _report("core work", _measure(store, text, clicks, popup=None))
            if not args.core:
                _report("on screen", _measure(store, text, clicks, popup=_popup()))
        finally:
            store.close()
    return 0


def _popup():
    """A word popup in an offscreen application, as the window makes it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.ui import qt_noise
    from app.ui.word_popup import WordPopup

    qt_noise.install()  # the offscreen platform's "does not support raise()"
    app = QApplication.instance() or QApplication([])
    popup = WordPopup()
    popup.app = app
    return popup


def _measure(store, text: str, clicks: list[int], popup) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each click: the core's work, and with a popup, the
    popup filled and painted."""
    from app.ui.word_popup import learner_state

    if popup is not None:
        from PySide6.QtCore import QEvent, QPoint

    wall: list[float] = []
    cpu: list[float] = []
    for offset in clicks:
        w0, c0 = time.perf_counter(), time.process_time()
        word = words.word_at(text, offset, ())
        if word is not None:
            meaning = lookup.lookup_token(word.surface, word.lemma, word.reading, text=text, start=word.start)
            status, picked = learner_state(store, word.lemma)
            if popup is not None:
                popup.show_word(word, post_id=1, status=status, picked=picked, at=QPoint(40, 40), meaning=meaning)
                popup.grab()
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        if popup is not None:
            popup.close()
            # The last word's labels deleted, as the event loop does between two clicks.
            popup.app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return wall, cpu


def _report(what: str, figures: tuple[list[float], list[float]]) -> None:
    print(f" {what}")
    for name, values in zip(("wall-clock", "CPU"), figures, strict=True):
        p95 = statistics.quantiles(values, n=20)[-1]
        verdict = "PASS" if p95 <= TARGET_MS else "MISS"
        print(f"  {name:10}  p50 {statistics.median(values):6.2f} ms  p95 {p95:6.2f} ms  max {max(values):6.2f} ms"
              f"  (target p95 <= {TARGET_MS:.0f} ms: {verdict})")


if __name__ == "__main__":
    raise SystemExit(main())
