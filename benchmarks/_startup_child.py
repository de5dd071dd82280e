"""One measured process for benchmarks/startup.py; not meant to be run by hand.

    python -m benchmarks._startup_child floor FILE.html [--size WxH]
    python -m benchmarks._startup_child app POST.md [--then POST.md] [--pss]   (library: $KAKIKOMI_HOME)

It prints one `KKBENCH {json}` line per event, each stamped with time.monotonic() (one clock for
every process on Linux, so the parent can subtract the moment it started this process), and quits
as soon as it has what was asked for. Only the standard library is imported before the case
starts: the floor must not pay for anything the app imports.
"""

from __future__ import annotations

import json
import os
import sys
import time

STARTED = time.monotonic()  # the interpreter is up and this module runs

# A frame shows the post when at least this share of the pixels in each half of the view (top:
# the title, bottom: the body) differ from the background. A blank page has none; the sample's
# first screen has about 15% in each half.
INK_MIN = 0.02
# ... and at most this share: text leaves most of the page background. A view that has no frame
# from Chromium yet shows a black surface over part of it, which would otherwise count as "ink"
# everywhere (about 75% of a half).
INK_MAX = 0.5
# A frame shows a *new* post (the page replaced another) when this share of its bits changed
# (two different screens of text differ in about 10% of their bits; a caret blink in far less).
CHANGED_MIN = 0.005


def emit(event: str, **fields) -> None:
    print("KKBENCH " + json.dumps({"event": event, "t": time.monotonic(), **fields}), flush=True)


def process_tree_pss(root: int) -> list[dict]:
    """Pss (kB) of `root` and every process below it (zygotes, renderers, GPU, utility).

    A renderer forked from Chromium's zygote keeps the zygote's command line; it is told apart by
    its threads (a zygote has one, a renderer runs a compositor thread among many).
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The name is in parentheses and may contain spaces: split after the last ')'.
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        queue.extend(children.get(pid, []))
        try:
            found.append({"pid": pid, "kind": "app (python: Qt + browser)" if pid == root else _kind(pid), "pss_kb": _pss_kb(pid)})
        except OSError:
            continue  # it ended meanwhile
    if found:
        found[0]["top_mappings"] = top_mappings(root)
        found[0]["also_mapped_by"] = outside_mappers({p["pid"] for p in found})
    return found


def outside_mappers(tree: set[int], names=("libQt6WebEngineCore.so", "sys.dic")) -> int:
    """How many processes outside `tree` map the big shared files (they take a share of the PSS)."""
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in tree:
            continue
        try:
            with open(f"/proc/{entry}/maps", encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            continue
        count += any(name in text for name in names)
    return count


def _pss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def _kind(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as handle:
        args = handle.read().split(b"\0")
    kind = next((a.decode()[7:] for a in args if a.startswith(b"--type=")), os.path.basename(args[0].decode()))
    sub = next((a.decode().split("=", 1)[1] for a in args if a.startswith(b"--utility-sub-type=")), "")
    if sub:
        kind += ":" + sub.split(".")[-1]
    if kind == "zygote":
        threads = os.listdir(f"/proc/{pid}/task")
        if len(threads) > 1:
            kind = "renderer (forked from the zygote)"
    return kind


def top_mappings(pid: int, count: int = 16) -> list[tuple[str, int, int]]:
    """Where a process's PSS sits: (mapped file or [anon]/[heap], Pss kB, Rss kB), largest first.
    Pss below Rss for a file means other processes map it too and take their share."""
    sizes: dict[str, list[int]] = {}
    name = "[anon]"
    try:
        with open(f"/proc/{pid}/smaps", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                first = line.split(None, 1)[0]
                if "-" in first and not first.endswith(":"):
                    parts = line.split(None, 5)
                    name = parts[5].strip() if len(parts) > 5 else "[anon]"
                elif first in ("Pss:", "Rss:"):
                    entry = sizes.setdefault(name, [0, 0])
                    entry[first == "Rss:"] += int(line.split()[1])
    except OSError:
        return []
    return sorted(((n, v[0], v[1]) for n, v in sizes.items()), key=lambda item: -item[1])[:count]


class PaintWatcher:
    """Reports the first frame a QWebEngineView paints that shows post text.

    Qt WebEngine draws through a QQuickWidget child of the view; each new Chromium frame that
    reaches the window arrives there as a Paint event. On each one (not the ones our own grab()
    causes) the widget is grabbed and its pixels are checked; the time reported is that of the
    Paint event. A fallback timer checks too, in case a frame comes without a Paint event.
    """

    def __init__(self, view, on_painted, *, differ_from: bytes | None = None):
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.view = view
        self.on_painted = on_painted
        self.differ_from = differ_from
        self.grabbing = False
        self.pending: float | None = None
        self.done = False
        self.paints = 0
        self.checks = 0
        watcher = self

        class Filter(QObject):
            def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
                kind = event.type()
                if kind == QEvent.Type.Paint and obj is not watcher.view and not watcher.grabbing and not watcher.done:
                    watcher.paints += 1
                    if watcher.pending is None:
                        watcher.pending = time.monotonic()
                        QTimer.singleShot(0, watcher.check)
                elif kind == QEvent.Type.ChildAdded and obj is watcher.view and event.child().isWidgetType():
                    event.child().installEventFilter(self)
                return False

        self.filter = Filter()
        view.installEventFilter(self.filter)
        for child in view.children():
            if child.isWidgetType():
                child.installEventFilter(self.filter)
        self.fallback = QTimer()
        self.fallback.setInterval(250)
        self.fallback.timeout.connect(self._poll)
        self.fallback.start()

    def _poll(self) -> None:
        if not self.done and self.pending is None:
            self.pending = time.monotonic()
            self.check(fallback=True)

    def frame(self) -> tuple[bytes, int, int]:
        """The view's current pixels (RGB32 bytes), width, height."""
        target = self.view.focusProxy() or self.view
        self.grabbing = True
        try:
            image = target.grab().toImage()
        finally:
            self.grabbing = False
        return bytes(image.constBits()), image.bytesPerLine(), image.height()

    @staticmethod
    def ink(data: bytes, stride: int, height: int) -> tuple[float, float]:
        """Share of non-background pixels in the top and bottom halves (background: pixel 0,0).

        Counted as 4-byte patterns in the raw bytes, so approximate; enough for a 2% threshold."""
        background = data[:4]
        half = stride * (height // 2)
        top, bottom = data[:half], data[half : stride * height]
        return (1 - 4 * top.count(background) / max(1, len(top)), 1 - 4 * bottom.count(background) / max(1, len(bottom)))

    def check(self, fallback: bool = False) -> None:
        painted_at, self.pending = self.pending, None
        if self.done or painted_at is None:
            return
        self.checks += 1
        data, stride, height = self.frame()
        top, bottom = self.ink(data, stride, height)
        if not (INK_MIN <= top <= INK_MAX and INK_MIN <= bottom <= INK_MAX):
            return
        if self.differ_from is not None and changed_share(self.differ_from, data) < CHANGED_MIN:
            return
        self.done = True
        self.fallback.stop()
        self.on_painted(painted_at, {"ink_top": round(top, 4), "ink_bottom": round(bottom, 4), "paints": self.paints,
                                     "checks": self.checks, "by": "fallback timer" if fallback else "paint event"})


def changed_share(before: bytes, after: bytes) -> float:
    """Share of bits that differ between two frames (a cheap, numpy-free difference)."""
    if len(before) != len(after):
        return 1.0
    diff = int.from_bytes(before, "little") ^ int.from_bytes(after, "little")
    return diff.bit_count() / (8 * len(before))


def run_floor(html_file: str, size: tuple[int, int], pss_after: float) -> int:
    """A bare QApplication + QWebEngineView showing `html_file` from a file URL."""
    from PySide6.QtCore import QTimer, QUrl
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    emit("imported")
    app = QApplication(sys.argv[:1])
    view = QWebEngineView()
    view.resize(*size)
    emit("window_created")

    loaded: list[bool] = []

    def painted(at: float, info: dict) -> None:
        emit("first_paint", paint_t=at, **info)
        if pss_after:
            measure_when_loaded()
        else:
            app.quit()

    def measure_when_loaded() -> None:
        if not loaded:  # a long page paints its first screen well before it has finished loading
            QTimer.singleShot(100, measure_when_loaded)
            return
        QTimer.singleShot(int(pss_after * 1000), lambda: (
            emit("pss", when=f"page loaded + {pss_after:g} s", processes=process_tree_pss(os.getpid())), app.quit()))

    view.loadFinished.connect(lambda ok: loaded.append(ok))
    watcher = PaintWatcher(view, painted)
    view.loadFinished.connect(lambda ok: emit("load_finished", ok=ok))
    view.show()
    view.load(QUrl.fromLocalFile(os.path.abspath(html_file)))
    emit("shown")
    code = app.exec()
    del watcher, view  # the watcher lived for the run; the view goes before the application
    return code


def after_import(name: str, callback) -> None:
    """Call `callback(module)` right after module `name` is first imported (by the app itself:
    importing it here would load Qt before the app starts, and change what is measured)."""
    import importlib.abc
    import importlib.util

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path, target=None):
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            if spec is None or spec.loader is None:
                return spec
            exec_module = spec.loader.exec_module

            def exec_then_call(module):
                exec_module(module)
                callback(module)

            spec.loader.exec_module = exec_then_call
            return spec

    sys.meta_path.insert(0, Finder())


def _instrument(on_window) -> None:
    """Time the app's steps by wrapping them, in this process only, as their modules are
    imported; `on_window(window)` is called as each MainWindow is made. Nothing else changes."""
    import functools

    def timed(owner, name, event, after=None):
        original = getattr(owner, name, None)
        if original is None:  # renamed since this benchmark was written: that step goes untimed
            return

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            emit(f"{event}_start")
            try:
                result = original(*args, **kwargs)
            finally:
                emit(f"{event}_end")
            if after is not None:
                after(args[0])
            return result

        setattr(owner, name, wrapper)

    def window_module(module) -> None:
        emit("ui_imported")
        timed(module.MainWindow, "__init__", "__init__", after=on_window)
        for name in ("import_and_open", "open_post", "complete"):
            timed(module.MainWindow, name, name)

    def reader_module(module) -> None:
        for name in ("show_post", "show_page", "_on_ready"):
            timed(module.ReaderView, name, name)

    after_import("app.ui.app", lambda module: timed(module, "create_application", "create_application"))
    after_import("app.ui.reader_view", reader_module)
    after_import("app.ui.main_window", window_module)


def run_app(post: str, then: str | None, pss: bool, settle: float) -> int:
    """The real app, started as `kakikomi POST` starts it (app.__main__.main), its library in
    $KAKIKOMI_HOME. Qt is imported by the app, as it starts: not here (the app forks its start-up
    process before Qt is loaded, and only then)."""
    state: dict = {}
    QTimer = QApplication = None  # noqa: N806 - Qt's classes, once the app has loaded Qt

    def attach(window) -> None:
        nonlocal QTimer, QApplication
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        state["window"] = window
        reader = window.reader
        reader.loadFinished.connect(lambda ok: emit("load_finished", ok=ok))
        if hasattr(window, "postShown"):
            window.postShown.connect(lambda post_id: (emit("post_shown", post_id=post_id), state.setdefault("shown", True)))
        else:
            state["shown"] = True  # nothing to wait for
        state["watcher"] = PaintWatcher(reader, first_painted)
        QTimer.singleShot(120_000, QApplication.quit)  # a safety net: the parent reports a run without a paint

    def first_painted(at: float, info: dict) -> None:
        emit("first_paint", paint_t=at, **info)
        if pss:
            QTimer.singleShot(int(settle * 1000), after_settle)
        elif then:
            QTimer.singleShot(1000, open_then)
        else:
            quit_once_ready()

    def quit_once_ready(waited: int = 0) -> None:
        # The first frame can come before the page's "ready": wait for it (up to 5 s), so every
        # run reports the same events; the figure itself was taken at the first frame.
        if state.get("shown") or waited >= 5000:
            QApplication.quit()
        else:
            QTimer.singleShot(20, lambda: quit_once_ready(waited + 20))

    def after_settle() -> None:
        emit("pss", when=f"first paint + {settle:g} s", processes=process_tree_pss(os.getpid()),
             blocks_waiting=len(getattr(state["window"].reader, "_rest", [])))
        wait_for_all_blocks()

    def wait_for_all_blocks() -> None:
        # The reader appends the rest of a long post after the first screen; measure again once
        # every block is in the page and laid out, and the machine has had `settle` s to calm down.
        # Scripts run in order in the reader's world: once ReaderView has sent the rest (its _rest
        # is empty), this count runs after kk.appendBlocks, and reading offsetHeight lays it out.
        window = state["window"]
        if getattr(window.reader, "_rest", None):
            QTimer.singleShot(100, wait_for_all_blocks)
            return
        script = "(() => { const n = document.querySelectorAll('#kk-post > [data-kb]').length; document.body.offsetHeight; return n; })()"

        def counted(n):
            if n is not None:
                emit("all_blocks", blocks=int(n))
                QTimer.singleShot(int(settle * 1000), lambda: (
                    emit("pss", when=f"all {int(n)} blocks in the page + {settle:g} s", processes=process_tree_pss(os.getpid())),
                    QTimer.singleShot(1000 if then else 0, open_then if then else QApplication.quit)))
            else:
                QTimer.singleShot(100, wait_for_all_blocks)

        window.reader.call(script, counted)

    def open_then() -> None:
        window = state["window"]
        before, _stride, _height = state["watcher"].frame()
        state["watcher"] = PaintWatcher(window.reader, then_painted, differ_from=before)
        emit("open_then_start")
        window.import_and_open([then])

    def then_painted(at: float, info: dict) -> None:
        emit("then_first_paint", paint_t=at, **info)
        if pss:
            QTimer.singleShot(int(settle * 1000), lambda: (
                emit("pss", when=f"second post first paint + {settle:g} s", processes=process_tree_pss(os.getpid())),
                QApplication.quit()))
        else:
            QApplication.quit()

    _instrument(attach)
    emit("imported")
    from app.__main__ import main as kakikomi

    emit("cli_imported")
    return kakikomi([post])


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks._startup_child")
    parser.add_argument("mode", choices=("floor", "app"))
    parser.add_argument("file")
    parser.add_argument("--size", default="712x763", help="the floor view's size: the app's reader pane (benchmarks.startup passes it)")
    parser.add_argument("--then", help="app: once the first post is shown, open this one too")
    parser.add_argument("--pss", action="store_true", help="measure the processes' PSS once settled")
    parser.add_argument("--settle", type=float, default=2.0)
    args = parser.parse_args(argv)
    emit("started", started=STARTED, pid=os.getpid())
    if args.mode == "floor":
        width, height = (int(v) for v in args.size.split("x"))
        return run_floor(args.file, (width, height), args.settle if args.pss else 0)
    return run_app(args.file, args.then, args.pss, args.settle)


if __name__ == "__main__":
    code = main(sys.argv[1:])
    emit("exit", code=code)
    sys.exit(code)
