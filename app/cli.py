"""The headless commands: `kakikomi info|render|furigana ...`. Core only, no Qt.

Conventions scripts rely on: exit 0 on success; exit 2 with one line on stderr for a user error
(a file that cannot be opened, a bad option); JSON on stdout is UTF-8; never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import json
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app.core.fileio import write_atomic
from app.core.furigana_mode import FuriganaMode
from app.core.page import THEMES, standalone_html, version
from app.core.plain_text import html_to_aozora
from app.core.post import Post, PostError, load_post, post_to_dict
from app.core.render import RenderOptions, render_post

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USER_ERROR = 2


class UserError(Exception):
    """A mistake the user can fix; its message is one sentence for stderr."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr and exit 2 (no usage dump)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{message} (see '{self.prog} --help').")


def _furigana_mode(text: str) -> FuriganaMode:
    try:
        return FuriganaMode.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    """The `kakikomi` command line (the window's own options are added by app.__main__)."""
    parser = _Parser(prog="kakikomi", description="Read Japanese and English posts with furigana.")
    parser.add_argument("--version", action="version", version=f"Kakikomi {version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    # --db on every command: the library commands use it, and render/furigana apply the reader's
    # corrections (and, if asked, known words) from it when it exists.
    common = _Parser(add_help=False)
    common.add_argument("--db", metavar="PATH", help="the library file (default: $KAKIKOMI_HOME/library.sqlite3)")

    info = commands.add_parser("info", parents=[common], help="print a post's metadata, encoding and warnings as JSON")
    info.add_argument("file", metavar="FILE")
    info.set_defaults(run=cmd_info)

    render = commands.add_parser("render", parents=[common], help="render a post to a standalone HTML page")
    render.add_argument("file", metavar="FILE")
    render.add_argument("-o", "--output", metavar="OUT.html", help="write here (default: standard output)")
    render.add_argument("--furigana", type=_furigana_mode, default=FuriganaMode(), metavar="off|all|grade:N|jlpt:N")
    render.add_argument("--theme", choices=THEMES, default="auto")
    render.add_argument("--vertical", action="store_true", help="vertical writing (縦書き)")
    render.add_argument("--allow-remote-images", action="store_true", help="load the post's remote images")
    render.add_argument("--hide-known", action="store_true", help="no furigana over the words you marked as known")
    render.set_defaults(run=cmd_render)

    furigana = commands.add_parser("furigana", parents=[common], help="print the post's text with readings")
    furigana.add_argument("file", metavar="FILE")
    furigana.add_argument("--format", choices=("aozora", "json"), default="aozora")
    furigana.set_defaults(run=cmd_furigana)

    shot = commands.add_parser("screenshot", parents=[common], help="save a PNG of the main window showing a post")
    shot.add_argument("file", nargs="?", metavar="FILE", help="the post (default: the bundled sample)")
    shot.add_argument("-o", "--output", required=True, metavar="OUT.png")
    shot.add_argument("--theme", choices=THEMES, default="light")
    shot.add_argument("--vertical", action="store_true", help="vertical writing (縦書き)")
    shot.add_argument("--furigana", type=_furigana_mode, default=FuriganaMode(), metavar="off|all|grade:N|jlpt:N")
    shot.add_argument("--size", type=_size, default=(1280, 820), metavar="WxH")
    shot.add_argument("--highlight", metavar="QUOTE", help="highlight this quote (tagged claim) first")
    shot.add_argument("--language", choices=("en", "ja"), default="en", help="the language of the window (default: en)")
    shot.set_defaults(run=cmd_screenshot)

    from app.cli_claims import add_claims_commands
    from app.cli_library import add_library_commands

    add_library_commands(commands, common)
    add_claims_commands(commands, common)
    return parser


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdecimal() or not height.isdecimal() or not (200 <= int(width) <= 8000 and 200 <= int(height) <= 8000):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1280x820 (200 to 8000 pixels each way).")
    return int(width), int(height)


def cmd_screenshot(args: argparse.Namespace) -> int:
    from app.ui.screenshot import take_screenshot

    if args.file is not None:
        _load(args.file)  # a post that cannot be opened is a user error, said in one sentence
    try:
        path = take_screenshot(
            args.file, args.output, theme=args.theme, vertical=args.vertical, furigana=args.furigana,
            size=args.size, highlight=args.highlight, db=args.db, language=args.language,
        )
    except RuntimeError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"Could not write {args.output}: {exc.strerror or exc}.") from None
    print(path)
    return EXIT_OK


def _load(path: str) -> Post:
    try:
        return load_post(path)
    except PostError as exc:
        raise UserError(str(exc)) from None


def emit(text: str) -> None:
    # Always UTF-8, whatever the terminal's locale says: scripts parse this output.
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def cmd_info(args: argparse.Namespace) -> int:
    post = _load(args.file)
    rendered = render_post(post, RenderOptions(mode=FuriganaMode("off")))
    info = post_to_dict(post)
    info["characters"] = len(rendered.plain.text)
    info["body_characters"] = len(post.body)
    info["blocks"] = len(rendered.blocks)
    emit(to_json(info))
    return EXIT_OK


def _reader_preferences(args: argparse.Namespace, post: Post) -> tuple[tuple, frozenset[str]]:
    """The reader's reading overrides (for this post and everywhere) and known words, from the
    library if there is one; a post outside the library gets the everywhere-overrides only."""
    from app.core.store import StoreError, default_db_path, open_store

    path = Path(args.db) if getattr(args, "db", None) else default_db_path()
    if not path.exists():
        return (), frozenset()
    try:
        with open_store(path, create=False) as store:
            record = store.post_by_path(str(post.source_path.resolve())) if post.source_path else None
            overrides = store.reading_overrides(record.id if record else None)
            known = store.known_words()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    return overrides, known


def cmd_render(args: argparse.Namespace) -> int:
    post = _load(args.file)
    overrides, known = _reader_preferences(args, post)
    mode = args.furigana
    if args.hide_known:
        mode = FuriganaMode(mode.kind, mode.level, known)
    options = RenderOptions(mode=mode, allow_remote_images=args.allow_remote_images, overrides=overrides)
    rendered = render_post(post, options)
    page = standalone_html(
        post, rendered, theme=args.theme, vertical=args.vertical, allow_remote_images=args.allow_remote_images
    )
    if args.output is None:
        emit(page)
        return EXIT_OK
    out = Path(args.output)
    if out.is_dir():
        raise UserError(f"{out} is a folder; give a file name such as {out / (Path(args.file).stem + '.html')}.")
    try:
        write_atomic(out, page)
    except OSError as exc:
        raise UserError(f"Could not write {out}: {exc.strerror or exc}.") from None
    for warning in post.warnings:
        print(f"kakikomi: warning: {warning}", file=sys.stderr)
    return EXIT_OK


def cmd_furigana(args: argparse.Namespace) -> int:
    post = _load(args.file)
    overrides, _known = _reader_preferences(args, post)
    if args.format == "json":
        rendered = render_post(post, RenderOptions(collect_tokens=True, overrides=overrides))
        emit(to_json(rendered.tokens or []))
    else:
        rendered = render_post(post, RenderOptions(overrides=overrides))
        emit("".join(html_to_aozora(block.html) for block in rendered.blocks))
    return EXIT_OK


def run(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code; errors are reported on stderr, one line."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        command: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
        if command is None:
            parser.print_help()
            return EXIT_OK
        return command(args)
    except (UserError, PostError) as exc:  # a post too long to render is refused after loading
        print(f"kakikomi: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        # `kakikomi render x.md | head` closed the pipe: not an error worth a message.
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is "never a traceback"
        problem = storage_problem(exc)
        if problem is not None:
            print(f"kakikomi: {problem}", file=sys.stderr)
            return EXIT_USER_ERROR
        print(f"kakikomi: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


_REFUSED_WRITES = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG)


def storage_problem(exc: BaseException) -> str | None:
    """One sentence for a write the disk refused (full, read-only, not allowed); None for anything else.

    SQLite rolls the transaction back when the disk refuses a write, so the library keeps what it held.
    """
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if "disk is full" in text:
            return "The disk is full, so this change was not saved (the library keeps what it held); free some space and try again."
        if "readonly" in text or "read-only" in text:
            return "The library cannot be written here (read-only), so this change was not saved."
        return None
    if isinstance(exc, OSError) and exc.errno in _REFUSED_WRITES:
        where = f" {exc.filename}" if exc.filename else ""
        return f"Could not write{where}: {(exc.strerror or str(exc)).rstrip('.')}."
    return None


from app.commands import COMMANDS  # noqa: E402,F401 - kept here too: scripts and tests read cli.COMMANDS
