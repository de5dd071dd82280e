"""Start Kakikomi: a headless command (see app.cli) or the desktop reader.

`kakikomi` alone opens the window on the library (the bundled sample post on first run);
`kakikomi FILE...` and `kakikomi open FILE...` open those posts. Without a screen (no DISPLAY and
no QT_QPA_PLATFORM), the post is rendered to an HTML page instead, and its place is printed
(through app.cli.common's terminal-safe writer, as every command-line line is).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from app.commands import COMMANDS

EXIT_USER_ERROR = 2  # as app.cli's; the window's path does not load the command-line code


def render_instead(path: Path) -> int:
    """Without a screen to show a window on, render `path` to a page and say where it is."""
    from app.cli import main as cli
    from app.cli.common import say, warn
    from app.core.common.paths import cache_dir

    out_dir = cache_dir() / "pages"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        warn(f"could not create {out_dir}: {exc.strerror or exc}.")
        return cli.EXIT_USER_ERROR
    out = out_dir / f"{path.stem}.html"
    code = cli.run(["render", str(path), "-o", str(out)])
    if code == cli.EXIT_OK:
        say(f"No screen to open a window on; rendered {path.name} with furigana to {out}")
    return code


def _has_screen() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def open_window(files: list[str]) -> int:
    """The desktop reader on `files` (or the library / the sample post). A file that is not a
    readable post stops it with one sentence (exit code 2), before any window opens."""
    if _has_screen():
        from app.ui.app import run

        return run(files)  # it checks the files while Qt loads
    from app.cli.common import warn
    from app.core.common.paths import sample_post_path
    from app.core.posts.post import PostError, load_post

    for name in files:
        try:
            load_post(name)
        except PostError as exc:
            warn(str(exc))
            return EXIT_USER_ERROR
    return render_instead(Path(files[0]) if files else sample_post_path())


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--verbose" in args:  # Qt's and Chromium's own messages too (app.ui.qt_noise)
        args = [a for a in args if a != "--verbose"]
        os.environ["KAKIKOMI_VERBOSE"] = "1"
    if not args:
        return open_window([])
    if args[0] == "open":
        return open_window(args[1:])
    if not args[0].startswith("-") and args[0] not in COMMANDS:
        return open_window(args)  # kakikomi FILE...
    from app.cli import main as cli

    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
