"""`python -m benchmarks.startup`: how soon a post is on screen, and what the app's processes weigh.

Figures (each case a fresh process, timed from just before Popen):

1. process start -> first painted frame of the sample post in the real window, started the way
   `kakikomi FILE` starts it (app.__main__.main -> app.ui.app.run), with a new library, settings
   and caches in a throw-away folder (KAKIKOMI_HOME, XDG_*_HOME): no user data is touched;
2. the floor: a bare QApplication + QWebEngineView, the size of the app's reader pane, showing the
   same page (app.core.posts.page.standalone_html, as MainWindow.open_post renders it) from a file URL;
   app and floor runs alternate, so both share the machine's noise; target app <= 1.2x the floor;
3. a ~150,000-character post (the sample's body repeated with numbered variations): process start
   -> first screen in the real window, and the total PSS of the app's process and all the
   processes under it (Chromium's zygotes and renderer) 2 s after the first screen and again once
   the whole post is in the page (2 s after); target first screen <= 1 s and <= 1.3x the floor (4),
   PSS <= 420 MB. The time
   from the window's open call to the first screen is given too, in that fresh process and in a
   running app (the sample shown first, then the long post opened), since the 1 s target is about
   opening the post;
4. for context, the floor for the long post: the bare view showing its whole page.

"First painted frame", the same test in every case (benchmarks/_startup_child.PaintWatcher): Qt
WebEngine draws into a QQuickWidget inside the QWebEngineView, and every Chromium frame that reaches
the window arrives there as a Paint event. On each Paint event (and, as a fallback, every 250 ms)
the view is grabbed and its pixels counted; the first frame in which at least 2% (and at most 50%:
text leaves most of the background; a view without a frame from Chromium yet shows a black block)
of the pixels in both the top half (title) and the bottom half (body) of the view differ from the
background is the first screen, timed at its Paint event. Why this and not something else: loadFinished says nothing
about paint (for the sample it comes ~0.1 s before the first frame, for a long post after it);
the page's requestAnimationFrame (the app's "ready") only says Blink produced a frame, not that it
reached the window, and the floor has no script to report it; polling grab() on a timer would add
its interval to every figure and load the GUI thread. A Paint event with text in both halves is the
earliest moment a user could read the post, in either case; the grab costs a few milliseconds and
there are only a handful of Paint events before the first screen (Paint events that the grab itself
causes are ignored).

PSS is summed over the app's process and every process below it (/proc/PID/smaps_rollup). Pages of
a file mapped by several processes are shared out between them, so the parent never renders a
post itself (a helper process makes the pages): it would otherwise take half of the MeCab
dictionary's pages off the app's figure. Other programs mapping the same files (another Kakikomi,
a test run) lower the figure the same way.

Times: median and minimum over --runs runs (the machine is shared and noisy); the ratio compares
medians (and minimums) of runs interleaved in the same session. Children's own timestamps (time.monotonic, one
clock for all processes) also give where the time goes: interpreter and imports, QApplication,
the main window, importing and rendering the post, the page load, the first paint.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RATIO_TARGET = 1.2  # the sample: app / floor
LONG_RATIO_TARGET = 1.3  # the long post: app / floor, start -> first screen
FIRST_SCREEN_S = 1.0
PSS_MB = 420.0
LONG_CHARS = 150_000
CHILD_TIMEOUT_S = 120.0


# --- running one measured process ------------------------------------------------------------


@dataclass
class Run:
    """One child process: its events (seconds since just before Popen) and what it reported."""

    case: str
    ok: bool
    events: dict[str, float] = field(default_factory=dict)
    details: dict[str, dict] = field(default_factory=dict)
    pss: list[dict] = field(default_factory=list)  # one entry per measurement
    error: str = ""

    def at(self, event: str) -> float | None:
        return self.events.get(event)

    def first_screen(self, event: str = "first_paint") -> float | None:
        return self.details[event]["paint_t"] if event in self.details else None


def child_environment(home: Path) -> dict[str, str]:
    """Headless Qt, and every place the app or Qt could write to inside `home`."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM") or "offscreen",
        KAKIKOMI_HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),  # QSettings (window geometry)
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--no-sandbox" not in env.get("QTWEBENGINE_CHROMIUM_FLAGS", ""):
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = (env.get("QTWEBENGINE_CHROMIUM_FLAGS", "") + " --no-sandbox").strip()
    return env


def run_child(case: str, args: list[str], workdir: Path) -> Run:
    """Start `python -m benchmarks._startup_child ARGS` in a new library folder; collect its events."""
    home = Path(tempfile.mkdtemp(prefix="home-", dir=workdir))
    env = child_environment(home)
    command = [sys.executable, "-m", "benchmarks._startup_child", *args]
    stderr_path = home / "stderr.txt"
    lines: queue.Queue = queue.Queue()
    with open(stderr_path, "wb") as stderr:
        start = time.monotonic()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, start_new_session=True)

        def pump() -> None:
            for raw in process.stdout:
                lines.put(raw.decode("utf-8", "replace"))
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        run = Run(case, ok=False)
        deadline = start + CHILD_TIMEOUT_S
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                run.error = f"not done within {CHILD_TIMEOUT_S:.0f} s"
                break
            if line is None:
                break
            if not line.startswith("KKBENCH "):
                continue
            data = json.loads(line[8:])
            name = data.pop("event")
            moment = data.pop("t") - start
            if "paint_t" in data:
                data["paint_t"] -= start
            run.events.setdefault(name, moment)
            if name == "pss":
                run.pss.append(data)
            elif data:
                run.details[name] = data
            if name == "exit":
                run.ok = True
                break
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # this child's own session only
            process.wait()
    if "first_paint" not in run.details and not run.error:
        run.error = "no first paint"
    if run.error or process.returncode not in (0, None):
        tail = stderr_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
        run.error = (run.error or f"exit code {process.returncode}") + ("; stderr: " + " | ".join(tail) if tail else "")
        run.ok = run.ok and not run.error
    shutil.rmtree(home, ignore_errors=True)
    return run


# --- the pages and posts measured -------------------------------------------------------------


# The pages and the long post are made in a separate process (prepare()): a parent that had
# rendered a post would keep the MeCab dictionary mapped, and PSS would give half of those pages
# to the parent, making the app look lighter than it is.


def page_as_the_app_renders_it(post_path: Path) -> str:
    """The whole page for `post_path` as MainWindow.open_post renders it (furigana: all)."""
    from app.core.posts.page import standalone_html
    from app.core.posts.post import load_post
    from app.core.posts.render import RenderOptions, render_post
    from app.core.reading.furigana_mode import FuriganaMode

    post = load_post(post_path)
    rendered = render_post(post, RenderOptions(mode=FuriganaMode.parse("all")))
    return standalone_html(post, rendered, theme="auto")



def long_post(folder: Path, chars: int) -> tuple[Path, int, int]:
    """Write a post of about `chars` characters of text (readings excluded): the sample's body,
    part after part, each under its own numbered heading, its prose numbered and its footnote
    renamed. Returns (path, characters of text, top-level blocks)."""
    from app.core.common.paths import sample_post_path
    from app.core.posts.post import load_post
    from app.core.posts.render import RenderOptions, render_post
    from app.core.reading.furigana_mode import FuriganaMode
    from benchmarks.library import _blocks  # the same split as the library benchmark's posts

    sample = load_post(sample_post_path())
    blocks = _blocks(sample.body)

    def part(number: int) -> str:
        out = [f"## 第{number}部：{sample.title}"]
        for block in blocks:
            block = re.sub(r"\[\^(\w+)\]", lambda m: f"[^{m.group(1)}-{number}]", block)
            if not block.startswith(("#", "|", "-", "`", ">", "1.", "[^")) and len(block) > 60:
                block += f"（第{number}部より）"
            out.append(block)
        return "\n\n".join(out)

    def write(parts: int) -> Path:
        front = ["---", f"title: {json.dumps(sample.title + '（15万字の長文版）', ensure_ascii=False)}",
                 "date: 2025-12-24 09:00:00 +0900", f"tags: {json.dumps(list(sample.tags), ensure_ascii=False)}", "---", ""]
        path = folder / "long-post.md"
        path.write_text("\n".join(front) + "\n\n".join(part(n) for n in range(1, parts + 1)) + "\n", encoding="utf-8")
        return path

    def measure(path: Path) -> tuple[int, int]:
        rendered = render_post(load_post(path), RenderOptions(mode=FuriganaMode.parse("off")))
        return len(rendered.plain.text), len(rendered.blocks)

    folder.mkdir(parents=True, exist_ok=True)
    one, _ = measure(write(1))
    parts = max(1, math.ceil(chars / one))
    path = write(parts)
    text, block_count = measure(path)
    return path, text, block_count


def prepare(workdir: Path, chars: int) -> dict:
    """Write sample.html, posts/long-post.md and long.html under `workdir`; say what was made."""
    from app.core.common.paths import sample_post_path

    t0 = time.perf_counter()
    (workdir / "sample.html").write_text(page_as_the_app_renders_it(sample_post_path()), encoding="utf-8")
    long_path, long_chars, long_blocks = long_post(workdir / "posts", chars)
    (workdir / "long.html").write_text(page_as_the_app_renders_it(long_path), encoding="utf-8")
    return {"sample": str(sample_post_path()), "sample_page": str(workdir / "sample.html"), "long": str(long_path),
            "long_chars": long_chars, "long_blocks": long_blocks, "long_page": str(workdir / "long.html"),
            "seconds": time.perf_counter() - t0}


def revision() -> str:
    """The checkout's commit, and whether app/ or resources/ has uncommitted changes (read only)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "app", "resources"], cwd=ROOT, capture_output=True, text=True,
                               timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + (" + uncommitted app/resources changes" if dirty else "")


# --- figures -----------------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    value: float | None
    unit: str
    target: str = ""
    ok: bool | None = None
    note: str = ""


def mark(ok: bool | None) -> str:
    return "" if ok is None else ("✓" if ok else "✗")


def table(figures: list[Figure]) -> str:
    lines = [f"{'figure':<52}{'value':>11}  {'target':<10}{'':<3}note", "-" * 110]
    for f in figures:
        value = "-" if f.value is None else (f"{f.value:.0f} {f.unit}" if f.unit == "MB" else f"{f.value:.2f}{f.unit}")
        lines.append(f"{f.name:<52}{value:>11}  {f.target:<10}{mark(f.ok):<3}{f.note}")
    return "\n".join(lines)


def seconds(values: list[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def pss_mb(measure: dict) -> float:
    return sum(p["pss_kb"] for p in measure["processes"]) / 1024


def describe_pss(measure: dict) -> str:
    parts = [f"{p['kind']} {p['pss_kb'] / 1024:.0f}" for p in sorted(measure["processes"], key=lambda p: -p["pss_kb"])]
    return ", ".join(parts)


# What the children's events mean, in the order they usually come.
EVENT_LABELS = {
    "started": "interpreter up, child module runs",
    "imported": "floor: PySide6 web engine imported; app: the benchmark's hooks are set (nothing of the app imported yet)",
    "cli_imported": "app.__main__ imported (the command table)",
    "create_application_start": "QApplication next (settings read, start-up process forked, files checked)",
    "create_application_end": "create_application() done (PySide6 imported, scheme, QApplication)",
    "ui_imported": "app.ui.main_window imported (what the window's frame needs; the panels come later)",
    "window_created": "QApplication + QWebEngineView created",
    "__init___start": "MainWindow() starts (the frame around the reader; the library is opened later)",
    "__init___end": "MainWindow() done (menus, toolbar, the panels' places)",
    "shown": "show() + load() returned",
    "show_page_end": "  page published to the waiting load",
    "import_and_open_start": "window.import_and_open() starts",
    "open_post_start": "  import done (render, index); open_post() starts",
    "show_post_start": "  post loaded + rendered; show_post() starts",
    "show_post_end": "  page HTML built, published, load() called",
    "import_and_open_end": "import_and_open() returns",
    "load_finished": "loadFinished",
    "_on_ready_start": "bridge 'ready' (page's double rAF)",
    "first_paint": "FIRST PAINTED FRAME with the post",
    "complete_start": "window.complete() starts (after the first frame): panels, actions, word popup",
    "complete_end": "window.complete() done",
    "post_shown": "postShown: the post is the window's open post (library open, panels filled)",
}


def open_call(run: Run) -> float:
    """When the app was asked to open the post: the window's import_and_open(), or, when a
    start-up process prepares the first page (app.ui.prestart), kakikomi's main() (the child is
    forked, and starts on the post, at once)."""
    return run.at("import_and_open_start") or run.at("cli_imported")


def timeline(runs: list[Run]) -> list[str]:
    """The events of the median run (by first screen), in order, with the step from the last."""
    ordered_runs = sorted(runs, key=lambda r: r.first_screen())
    run = ordered_runs[(len(ordered_runs) - 1) // 2]
    moments = [(run.first_screen() if name == "first_paint" else run.at(name), name) for name in EVENT_LABELS]
    lines, last = [], 0.0
    for moment, name in sorted(m for m in moments if m[0] is not None):
        lines.append(f"    {moment * 1000:>6.0f} ms  (+{(moment - last) * 1000:>4.0f})  {EVENT_LABELS[name]}")
        last = moment
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each timed case (default 5)")
    parser.add_argument("--chars", type=int, default=LONG_CHARS, help="characters of text in the long post")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds to wait before measuring PSS")
    parser.add_argument("--no-warmup", action="store_true", help="skip the untimed first start of each case")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (pages, long post)")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)  # internal: make the pages in WORKDIR
    args = parser.parse_args(argv)
    if args.prepare:
        print(json.dumps(prepare(args.prepare, args.chars)))
        return 0

    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    workdir = Path(tempfile.mkdtemp(prefix="kakikomi-startup-"))
    figures: list[Figure] = []
    failures: list[Run] = []
    try:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"Python {sys.version.split()[0]}, PySide6 {pyside_version} (Qt {qVersion()}), {os.cpu_count()} CPUs,"
              f" load average {load:.2f}, QT_QPA_PLATFORM={child_environment(workdir)['QT_QPA_PLATFORM']}; code {revision()}")

        # Bytecode for the app's own modules, as an installed copy has (pip compiles it when it
        # installs a wheel; the frozen package carries it). With PYTHONDONTWRITEBYTECODE set, a
        # checkout's modules would otherwise be compiled again in every run (~0.1 s).
        import compileall

        compileall.compile_dir(ROOT / "app", quiet=1)
        made = subprocess.run([sys.executable, "-m", "benchmarks.startup", "--prepare", str(workdir), "--chars", str(args.chars)],
                              cwd=ROOT, env=child_environment(workdir), capture_output=True, text=True, check=True)
        made = json.loads(made.stdout.strip().splitlines()[-1])
        sample, sample_page = Path(made["sample"]), Path(made["sample_page"])
        long_path, long_chars, long_blocks, long_page = Path(made["long"]), made["long_chars"], made["long_blocks"], Path(made["long_page"])
        print(f"Long post: {long_chars:,} characters of text, {long_blocks:,} blocks, {long_path.stat().st_size / 1e6:.2f} MB of"
              f" Markdown, {long_page.stat().st_size / 1e6:.2f} MB as a whole page (made in {made['seconds']:.1f} s)")

        app_args = ["app", str(sample)]
        from app.ui.app import DEFAULT_READER_SIZE  # the reader's size in the window's default layout

        floor_size = "%dx%d" % DEFAULT_READER_SIZE
        floor_args = ["floor", str(sample_page), "--size", floor_size]

        def keep(run: Run) -> Run:
            if not run.ok:
                failures.append(run)
                print(f"  {run.case}: FAILED: {run.error}", flush=True)
            return run

        if not args.no_warmup:
            print("\nWarm-up (untimed: fills the disk cache, compiles bytecode)", flush=True)
            for case, case_args in (("app", app_args), ("floor", floor_args)):
                run = keep(run_child(f"warm-up {case}", case_args, workdir))
                if run.ok:
                    print(f"  {case}: {run.first_screen():.2f} s")

        print(f"\n1-2. Sample post, process start -> first painted frame ({args.runs} runs each, alternating)", flush=True)
        app_runs: list[Run] = []
        floor_runs: list[Run] = []
        for number in range(args.runs):
            order = [("app", app_args, app_runs), ("floor", floor_args, floor_runs)]
            for case, case_args, into in order if number % 2 == 0 else order[::-1]:
                run = keep(run_child(case, case_args, workdir))
                if run.ok:
                    into.append(run)
                    print(f"  run {number + 1} {case:<5} {run.first_screen():.2f} s", flush=True)
        app_times = [r.first_screen() for r in app_runs]
        floor_times = [r.first_screen() for r in floor_runs]
        if app_times and floor_times:
            app_median, floor_median = statistics.median(app_times), statistics.median(floor_times)
            ratio = app_median / floor_median
            ratio_min = min(app_times) / min(floor_times)
            print(f"  app:   median {app_median:.2f} s, min {min(app_times):.2f} s   [{seconds(app_times)}]")
            print(f"  floor: median {floor_median:.2f} s, min {min(floor_times):.2f} s   [{seconds(floor_times)}]")
            print(f"  app / floor: {ratio:.2f}x (medians) {mark(ratio <= RATIO_TARGET)}, {ratio_min:.2f}x (minimums)"
                  f" {mark(ratio_min <= RATIO_TARGET)}   target <= {RATIO_TARGET}x")
            print("  the app's timeline (its median run, ms since process start):")
            print("\n".join(timeline(app_runs)))
            print("  the floor's timeline (its median run):")
            print("\n".join(timeline(floor_runs)))
            late = sum(r.details["first_paint"].get("by") != "paint event" for r in app_runs + floor_runs)
            if late:
                print(f"  ({late} first frame(s) were found by the 250 ms fallback timer, not at a Paint event: those times are late)")
            shown = [r.at("post_shown") for r in app_runs if r.at("post_shown") is not None]
            if shown:
                print(f"  (the app's own postShown signal: median {statistics.median(shown):.2f} s after process start)")
            figures += [
                Figure("sample: app, start -> first frame (median)", app_median, " s", note=f"min {min(app_times):.2f} s; {len(app_times)} runs"),
                Figure("sample: floor, start -> first frame (median)", floor_median, " s", note=f"min {min(floor_times):.2f} s; {len(floor_times)} runs"),
                Figure("sample: app / floor (medians)", ratio, "x", f"<= {RATIO_TARGET}x", ratio <= RATIO_TARGET),
                Figure("sample: app / floor (minimums)", ratio_min, "x", f"<= {RATIO_TARGET}x", ratio_min <= RATIO_TARGET),
            ]

        print(f"\n3. Long post ({long_chars:,} characters): a fresh process, `kakikomi long-post.md` ({args.runs} runs)", flush=True)
        long_runs: list[Run] = []
        for number in range(args.runs):
            run = keep(run_child("long post", ["app", str(long_path), "--pss", "--settle", str(args.settle)], workdir))
            if not run.ok:
                continue
            long_runs.append(run)
            opened = run.first_screen() - open_call(run)
            clicked = f" ({run.first_screen() - run.at('open_post_start'):.2f} s after open_post)" if run.at("open_post_start") else ""
            sizes = ", ".join(f"{pss_mb(m):.0f} MB ({m['when']})" for m in run.pss)
            print(f"  run {number + 1}: first screen {run.first_screen():.2f} s after process start, {opened:.2f} s after the open call"
                  f"{clicked}; PSS {sizes}", flush=True)
        if long_runs:
            starts = [r.first_screen() for r in long_runs]
            opens = [r.first_screen() - open_call(r) for r in long_runs]
            clicks = [r.first_screen() - r.at("open_post_start") for r in long_runs if r.at("open_post_start")]
            first_pss = [pss_mb(r.pss[0]) for r in long_runs if r.pss]
            full_pss = [pss_mb(r.pss[-1]) for r in long_runs if len(r.pss) > 1]
            print("  timeline (the median run, ms since process start):")
            print("\n".join(timeline(long_runs)))
            all_blocks = [r.at("all_blocks") - r.first_screen() for r in long_runs if r.at("all_blocks") is not None]
            if all_blocks:
                print(f"    (first screen -> all {long_blocks:,} blocks appended and laid out: median {statistics.median(all_blocks):.2f} s)")
            last = long_runs[-1]
            for measure in last.pss:
                print(f"  PSS by process, MB ({measure['when']}): {describe_pss(measure)}")
            top = last.pss[-1]["processes"][0].get("top_mappings", []) if last.pss else []
            if top:
                print("  the app process's largest mappings, MB: " + ", ".join(f"{Path(n).name} {kb / 1024:.0f}" for n, kb, _rss in top[:8]))
            others = max((m["processes"][0].get("also_mapped_by", 0) for r in long_runs for m in r.pss), default=0)
            if others:
                print(f"  NOTE: {others} other process(es) on this machine map Qt WebEngine's library or the MeCab dictionary, and"
                      " take a share of those pages: the PSS figures are lower than on a quiet machine")
            value = statistics.median(starts)
            figures.append(Figure("long: start -> first screen (median)", value, " s", f"<= {FIRST_SCREEN_S:g} s", value <= FIRST_SCREEN_S,
                                  f"min {min(starts):.2f} s; includes Qt + Chromium start"))
            value = statistics.median(opens)
            figures.append(Figure("long: open call -> first screen, new process", value, " s", f"<= {FIRST_SCREEN_S:g} s",
                                  value <= FIRST_SCREEN_S, f"min {min(opens):.2f} s; import + render + load"))
            if clicks:  # the window opened the post itself (no start-up process prepared it)
                value = statistics.median(clicks)
                figures.append(Figure("long: open_post -> first screen, new process", value, " s", f"<= {FIRST_SCREEN_S:g} s",
                                      value <= FIRST_SCREEN_S, f"min {min(clicks):.2f} s; already in the library"))
            if first_pss:
                value = statistics.median(first_pss)
                figures.append(Figure(f"long: PSS, first screen + {args.settle:g} s (median)", value, "MB",
                                      note=f"max {max(first_pss):.0f} MB; the rest of the post still being added"))
            if full_pss:
                value = statistics.median(full_pss)
                figures.append(Figure(f"long: PSS, whole post in page + {args.settle:g} s", value, "MB", f"<= {PSS_MB:.0f} MB",
                                      value <= PSS_MB, f"max {max(full_pss):.0f} MB"))

        print(f"\n3b. Long post opened in a running app (sample shown first, then the long post; {args.runs} runs)", flush=True)
        then_times = []
        for number in range(args.runs):
            run = keep(run_child("long post, running app", ["app", str(sample), "--then", str(long_path)], workdir))
            if run.ok and "then_first_paint" in run.details:
                then_times.append(run.first_screen("then_first_paint") - run.at("open_then_start"))
                print(f"  run {number + 1}: {then_times[-1]:.2f} s from import_and_open to the first screen of the long post", flush=True)
            elif run.ok:
                failures.append(run)
                print(f"  run {number + 1}: the long post's first screen was not seen")
        if then_times:
            value = statistics.median(then_times)
            figures.append(Figure("long: open in a running app -> first screen", value, " s", f"<= {FIRST_SCREEN_S:g} s",
                                  value <= FIRST_SCREEN_S, f"min {min(then_times):.2f} s; import + render + load"))

        print(f"\n4. The floor for the long post (bare view, its whole page from a file URL; {args.runs} runs)", flush=True)
        floor_starts = []
        for number in range(args.runs):
            run = keep(run_child("long floor", ["floor", str(long_page), "--size", floor_size, "--pss", "--settle", str(args.settle)], workdir))
            if not run.ok:
                continue
            floor_starts.append(run.first_screen())
            finished = run.at("load_finished")
            print(f"  run {number + 1}: first screen {run.first_screen():.2f} s after process start; loadFinished "
                  + (f"at {finished:.2f} s" if finished is not None else "not within the settle time")
                  + (f"; PSS {pss_mb(run.pss[0]):.0f} MB, {run.pss[0]['when']} ({describe_pss(run.pss[0])})" if run.pss else ""),
                  flush=True)
            if run.pss and number == 0:
                figures.append(Figure(f"long, floor: PSS, page loaded + {args.settle:g} s", pss_mb(run.pss[0]), "MB", note="no target"))
        if floor_starts:
            floor = statistics.median(floor_starts)
            figures.append(Figure("long, floor: start -> first screen (median)", floor, " s", note=f"min {min(floor_starts):.2f} s; bare view, whole page"))
            if long_runs:
                ratio = statistics.median(r.first_screen() for r in long_runs) / floor
                figures.append(Figure("long: app / floor, start -> first screen", ratio, "x", f"<= {LONG_RATIO_TARGET}x", ratio <= LONG_RATIO_TARGET,
                                      "medians; the app's runs are section 3's"))

        print("\nSummary")
        print(table(figures))
        if failures:
            print(f"\n{len(failures)} run(s) failed: " + "; ".join(f"{r.case}: {r.error}" for r in failures))
        return 1 if failures else 0
    finally:
        if args.keep:
            print(f"\n(kept {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
