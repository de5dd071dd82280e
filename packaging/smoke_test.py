"""Smoke test of the frozen app in dist/Kakikomi/ (run by `make package` after the build).

    python packaging/smoke_test.py [dist/Kakikomi] [--archive dist/Kakikomi-…tar.gz]

Checks, each with a line of output:
1. `Kakikomi --version` prints the version of pyproject.toml;
2. `Kakikomi furigana` on the sample post gives readings (MeCab and the UniDic dictionary load),
   and the JMdict/KANJIDIC2 dictionary file is in the folder with its licence and answers a lookup;
3. `Kakikomi screenshot` renders the sample post to a PNG under the offscreen platform, and the
   PNG is not blank;
4. `Kakikomi POST` opens the window (the start-up process forks and imports the post): the post
   is in the library within the time limit (then it is stopped, with what it started);
5. the same still work once the folder is moved somewhere else (a path with a space and
   Japanese in it), in Japanese, vertical and dark this time;
then prints the unpacked and archive sizes against their targets (more is a failure).

Everything runs with KAKIKOMI_HOME in a temporary folder: no user's library or settings are
touched. Exit 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNPACKED_LIMIT_MB = 750
ARCHIVE_LIMIT_MB = 260
MB = 1_000_000  # decimal megabytes: the stricter reading of the targets
TIMEOUT_S = 240


class SmokeFailure(Exception):
    pass


def expected_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def frozen_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["KAKIKOMI_HOME"] = str(home)
    env["QT_QPA_PLATFORM"] = "offscreen"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to start its sandbox as root (CI runs as root).
        flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            env["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --no-sandbox".strip()
    return env


def run(executable: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(
            [str(executable), *args], env=env, capture_output=True, timeout=TIMEOUT_S, check=False,
            cwd=env["KAKIKOMI_HOME"],  # not the checkout: nothing may be found by accident
        )
    except subprocess.TimeoutExpired as exc:
        raise SmokeFailure(f"`Kakikomi {' '.join(args)}` did not finish within {TIMEOUT_S} s") from exc
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-15:]
        raise SmokeFailure(f"`Kakikomi {' '.join(args)}` exited {done.returncode}:\n    " + "\n    ".join(tail))
    return done


def image_is_painted(path: Path) -> tuple[bool, str]:
    """Not blank: on a 64×64 grid, enough samples differ from the commonest colour and there are
    several colours (text, ruby, the window's frame), as in app.ui.screenshot's own check."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    if image.isNull():
        return False, "not a readable image"
    samples = [
        image.pixel(x * (image.width() - 1) // 63, y * (image.height() - 1) // 63) for x in range(64) for y in range(64)
    ]
    counts: dict[int, int] = {}
    for pixel in samples:
        counts[pixel] = counts.get(pixel, 0) + 1
    background = max(counts.values())
    differing = len(samples) - background
    summary = f"{image.width()}x{image.height()}, {len(counts)} colours sampled, {differing / len(samples):.0%} off the background"
    return differing >= 0.03 * len(samples) and len(counts) >= 8, summary


def check_folder(folder: Path, home: Path, label: str, shot_args: list[str]) -> None:
    executable = folder / ("Kakikomi.exe" if sys.platform == "win32" else "Kakikomi")
    env = frozen_env(home)
    version = run(executable, ["--version"], env).stdout.decode("utf-8").strip()
    want = f"Kakikomi {expected_version()}"
    if version != want:
        raise SmokeFailure(f"{label}: --version printed {version!r}, expected {want!r}")
    print(f"ok   {label}: --version -> {version}")

    sample = folder / "_internal" / "resources" / "samples" / "ai-chips-and-money.md"
    text = run(executable, ["furigana", str(sample)], env).stdout.decode("utf-8")
    if "《" not in text:
        raise SmokeFailure(f"{label}: furigana printed no readings")
    first = next(line for line in text.splitlines() if "《" in line)
    print(f"ok   {label}: furigana -> {first[:40]}…")

    check_dictionary(folder, label)

    check_window(executable, sample, home / f"window-{label.replace(' ', '-')}", label)

    png = home / f"shot-{label.replace(' ', '-')}.png"
    started = time.monotonic()
    run(executable, ["screenshot", "-o", str(png), *shot_args], env)
    painted, summary = image_is_painted(png)
    if not painted:
        raise SmokeFailure(f"{label}: the screenshot {png} looks blank ({summary})")
    print(f"ok   {label}: screenshot {' '.join(shot_args) or '(defaults)'} -> {summary}, {time.monotonic() - started:.1f} s")


def check_dictionary(folder: Path, label: str) -> None:
    """The dictionary (JMdict and KANJIDIC2) is in the folder with its licence note, opens read-only
    as the app opens it (a file: URI, so the moved folder's space and Japanese are tested too) and
    answers: 投資 is "investment", 漢 has its on reading."""
    where = folder / "_internal" / "resources" / "dictionary"
    path, licence = where / "jmdict.sqlite3", where / "LICENCE.txt"
    if not path.is_file() or not licence.is_file():
        raise SmokeFailure(f"{label}: no dictionary ({path.name} and {licence.name}) in {where}")
    if "Attribution-ShareAlike 4.0" not in licence.read_text(encoding="utf-8"):
        raise SmokeFailure(f"{label}: {licence} does not name the CC BY-SA 4.0 licence")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            senses = db.execute(
                "SELECT e.senses FROM kanji_form k JOIN entry e ON e.id = k.entry WHERE k.text = '投資'"
            ).fetchone()
            on = db.execute("SELECT on_readings FROM kanji WHERE literal = '漢'").fetchone()
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise SmokeFailure(f"{label}: the dictionary {path} does not open: {exc}") from exc
    if not senses or "investment" not in senses[0] or not on or "カン" not in on[0]:
        raise SmokeFailure(f"{label}: the dictionary {path} does not know 投資 or 漢")
    print(f"ok   {label}: dictionary {path.stat().st_size / MB:.1f} MB, 投資 -> investment, 漢 -> {on[0]}")


def check_window(executable: Path, post: Path, home: Path, label: str) -> None:
    """The window on `post`, as a user starts it: the post gets into a new library."""
    home.mkdir()
    env = frozen_env(home)
    library = home / "library.sqlite3"
    started = time.monotonic()
    process = subprocess.Popen([str(executable), str(post)], env=env, cwd=home, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
    found = ""
    try:
        while time.monotonic() - started < TIMEOUT_S and process.poll() is None and not found:
            time.sleep(0.25)
            if library.exists():
                try:
                    with sqlite3.connect(f"file:{library}?mode=ro", uri=True) as db:
                        found = next(iter(db.execute("SELECT title FROM posts")), ("",))[0]
                except sqlite3.Error:
                    pass  # being made
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            _out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            _out, err = process.communicate()
        try:
            os.killpg(process.pid, signal.SIGKILL)  # Chromium's helpers and the start-up process
        except ProcessLookupError:
            pass
    if not found:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-15:]
        raise SmokeFailure(f"{label}: `Kakikomi POST` did not import the post (exit {process.returncode}):\n    " + "\n    ".join(tail))
    print(f"ok   {label}: the window imported {found[:30]}… in {time.monotonic() - started:.1f} s")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "dist" / "Kakikomi"))
    parser.add_argument("--archive", help="the .tar.gz of the folder, to check its size")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (screenshots) and say where")
    args = parser.parse_args(argv)
    folder = Path(args.folder).resolve()
    if not folder.is_dir():
        print(f"smoke test: no frozen app at {folder}; build it first (make package)", file=sys.stderr)
        return 1

    scratch = Path(tempfile.mkdtemp(prefix="kakikomi-smoke-"))
    moved_parent = scratch / "移動 先"
    moved = moved_parent / folder.name
    failures = 0
    try:
        home = scratch / "home"
        home.mkdir()
        try:
            check_folder(folder, home, "in place", [])
        except SmokeFailure as exc:
            print(f"FAIL {exc}")
            failures += 1
        moved_parent.mkdir()
        shutil.move(str(folder), str(moved))
        try:
            check_folder(moved, home, "moved", ["--language", "ja", "--vertical", "--theme", "dark"])
        except SmokeFailure as exc:
            print(f"FAIL {exc}")
            failures += 1
        finally:
            shutil.move(str(moved), str(folder))
    finally:
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    unpacked = folder_size(folder)
    ok = unpacked <= UNPACKED_LIMIT_MB * MB
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} unpacked size {unpacked / MB:.0f} MB (target ≤ {UNPACKED_LIMIT_MB} MB)")
    if args.archive:
        archive = Path(args.archive).stat().st_size
        ok = archive <= ARCHIVE_LIMIT_MB * MB
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} archive {Path(args.archive).name} {archive / MB:.0f} MB (target ≤ {ARCHIVE_LIMIT_MB} MB)")
    print("smoke test passed" if not failures else f"smoke test: {failures} check(s) failed")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
