"""The headless commands: `kakikomi info|render|furigana ...`. Core only, no Qt.

Conventions scripts rely on: exit 0 on success; exit 2 with one line on stderr for a user error
(a file that cannot be opened, a bad option); JSON on stdout is UTF-8; never a traceback.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from app.cli.common import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USER_ERROR,
    JsonListWriter,
    Parser,
    TokenJson,
    UserError,
    check_text_arguments,
    emit,
    furigana_mode,
    load,
    reader_language,
    refuse_overwriting,
    safe_streams,
    say,
    storage_problem,
    to_json,
    warn,
)
from app.commands import COMMANDS  # noqa: F401 - scripts and tests read the command names here
from app.core.common.cpus import usable_cpus
from app.core.common.fileio import write_atomic
from app.core.common.messages import Message, as_message
from app.core.common.paths import sample_post_path
from app.core.common.text import escape_surrogates
from app.core.posts.page import THEMES, standalone_html, version
from app.core.posts.plain_text import html_to_aozora
from app.core.posts.post import Post, PostError, post_to_dict
from app.core.posts.render import RenderOptions, check_length, halfway_line, post_blocks, post_tokens, render_post
from app.core.reading.furigana_mode import FuriganaMode


def build_parser() -> argparse.ArgumentParser:
    """The `kakikomi` command line (the window's own options are added by app.__main__)."""
    parser = Parser(prog="kakikomi", description="Read Japanese and English posts with furigana.")
    parser.add_argument("--version", action="version", version=f"Kakikomi {version()}")
    # Read by app.__main__ before anything starts (app.ui.qt_noise); listed here for --help.
    parser.add_argument("--verbose", action="store_true", help="also print Qt's and Chromium's own messages (window, screenshot)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    # --db on every command: the library commands use it, and render/furigana apply the reader's
    # corrections (and, if asked, known words) from it when it exists.
    common = Parser(add_help=False)
    common.add_argument("--db", metavar="PATH", help="the library file (default: $KAKIKOMI_HOME/library.sqlite3)")

    info = commands.add_parser("info", parents=[common], help="print a post's metadata, encoding and warnings as JSON")
    info.add_argument("file", metavar="FILE")
    info.set_defaults(run=cmd_info)

    render = commands.add_parser("render", parents=[common], help="render a post to a standalone HTML page")
    render.add_argument("file", metavar="FILE")
    render.add_argument("-o", "--output", metavar="OUT.html", help="write here (default: standard output)")
    render.add_argument("--furigana", type=furigana_mode, default=FuriganaMode(), metavar="off|all|unknown|grade:N|jlpt:N")
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
    shot.add_argument("--furigana", type=furigana_mode, default=FuriganaMode(), metavar="off|all|unknown|grade:N|jlpt:N")
    shot.add_argument("--size", type=_size, default=(1280, 820), metavar="WxH")
    shot.add_argument("--highlight", metavar="QUOTE", help="highlight this quote (tagged claim) first")
    shot.add_argument("--language", choices=("en", "ja"), default="en", help="the language of the window (default: en)")
    shot.set_defaults(run=cmd_screenshot)

    from app.cli import learner
    from app.cli.claims import add_claims_commands
    from app.cli.library import add_library_commands

    add_library_commands(commands, common)
    add_claims_commands(commands, common)
    learner.add_commands(commands, common)
    return parser


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdecimal() or not height.isdecimal() or not (200 <= int(width) <= 8000 and 200 <= int(height) <= 8000):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1280x820 (200 to 8000 pixels each way).")
    return int(width), int(height)


def cmd_screenshot(args: argparse.Namespace) -> int:
    from app.core.store import StoreError
    from app.ui.screenshot import take_screenshot

    if args.file is not None:
        load(args.file)  # a post that cannot be opened is a user error, said in one sentence
    refuse_overwriting(args.output, args.file or sample_post_path(), _library_path(args))
    try:
        path = take_screenshot(
            args.file, args.output, theme=args.theme, vertical=args.vertical, furigana=args.furigana,
            size=args.size, highlight=args.highlight, db=args.db, language=args.language,
        )
    except (RuntimeError, StoreError) as exc:  # StoreError: a --highlight quote not in the post, a bad library
        raise UserError(as_message(exc)) from None
    except OSError as exc:
        raise UserError(f"Could not write {args.output}: {exc.strerror or exc}.") from None
    say(str(path))
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    post = load(args.file)
    rendered = render_post(post, RenderOptions(mode=FuriganaMode("off")))
    info = post_to_dict(post)
    info["characters"] = len(rendered.plain.text)
    info["body_characters"] = len(post.body)
    info["blocks"] = len(rendered.blocks)
    emit(to_json(info))
    return EXIT_OK


def _library_path(args: argparse.Namespace) -> Path:
    from app.core.store import default_db_path

    return Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()


def _reader_preferences(args: argparse.Namespace, post: Post) -> tuple[tuple, frozenset[str]]:
    """The reader's reading overrides (for this post and everywhere) and known words, from the
    library if there is one; a post outside the library gets the everywhere-overrides only."""
    from app.core.library.derived import open_library
    from app.core.store import StoreError

    path = _library_path(args)
    if not path.exists():
        return (), frozenset()
    try:
        with open_library(path, create=False) as store:
            record = store.post_by_path(str(post.source_path.resolve())) if post.source_path else None
            overrides = store.reading_overrides(record.id if record else None)
            known = store.known_words()
    except StoreError as exc:
        raise UserError(as_message(exc)) from None
    return overrides, known


def cmd_render(args: argparse.Namespace) -> int:
    post = load(args.file)
    overrides, known = _reader_preferences(args, post)
    mode = args.furigana
    if args.hide_known or mode.kind == "unknown":
        # --hide-known over every reading is the mode that shows the words not known.
        mode = FuriganaMode("unknown" if mode.kind == "all" else mode.kind, mode.level, known)
    options = RenderOptions(mode=mode, allow_remote_images=args.allow_remote_images, overrides=overrides)
    rendered = render_post(post, options)
    page = standalone_html(
        post, rendered, theme=args.theme, vertical=args.vertical, allow_remote_images=args.allow_remote_images
    )
    if args.output is None:
        emit(page)
        return EXIT_OK
    out = Path(args.output)
    refuse_overwriting(out, args.file, _library_path(args))
    if out.is_dir():
        raise UserError(f"{out} is a folder; give a file name such as {out / (Path(args.file).stem + '.html')}.")
    try:
        write_atomic(out, escape_surrogates(page))  # a title from an undecodable file name, escaped
    except OSError as exc:
        raise UserError(f"Could not write {out}: {exc.strerror or exc}.") from None
    for warning in post.warnings:
        warn(Message("cli.warning", "warning: {warning}", warning=warning))
    return EXIT_OK


def cmd_furigana(args: argparse.Namespace) -> int:
    post = load(args.file)
    overrides, _known = _reader_preferences(args, post)
    options = RenderOptions(overrides=overrides)
    # Both formats go out block by block as the post is read, never whole. A post too long to
    # render is refused by post_tokens/post_blocks themselves, before anything is written.
    if args.format == "json":
        _write_tokens_json(post, options)
    else:
        pieces: list[str] = []
        size = 0
        for block in post_blocks(post, options):
            pieces.append(html_to_aozora(block.html))
            size += len(pieces[-1])
            if size >= _CHUNK:
                emit("".join(pieces))
                pieces, size = [], 0
        emit("".join(pieces))
    return EXIT_OK


_CHUNK = 1 << 16  # characters written at a time
# A post this long (characters of body) has its second half read by a second process when two
# cores are free for it: MeCab holds Python's lock while it works, so a thread would not help.
SPLIT_CHARS = 50_000


def _write_tokens_json(post: Post, options: RenderOptions) -> None:
    """The post's words as a JSON list on stdout (see `Token.to_json`), written as they come.

    A long post is read in two halves at once: this process writes the first half as it goes
    while a forked child writes the second to a temporary file, copied out after the first (or,
    should the child fail, read here then).
    """
    check_length(post)  # before the child is made: a refused post writes nothing
    out, encode = JsonListWriter(), TokenJson()
    halfway = halfway_line(post.body)
    child = _start_second_half(post, options, halfway) if len(post.body) >= SPLIT_CHARS else None
    if child is None:
        for entries in post_tokens(post, options):
            out.add(encode.items(entries))
        out.close()
        return
    pid, spool = child
    try:
        for entries in post_tokens(post, options, (0, halfway)):
            out.add(encode.items(entries))
        _pid, status = os.waitpid(pid, 0)
        pid = 0
        with spool:
            if os.waitstatus_to_exitcode(status) == 0:
                out.add_encoded(spool)
            else:  # the child failed (killed, out of memory, no room for its file): do it here
                for entries in post_tokens(post, options, (halfway, None)):
                    out.add(encode.items(entries))
        out.close()
    finally:
        if pid:  # this process failed or was interrupted first: the child's work is not wanted
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _start_second_half(post: Post, options: RenderOptions, halfway: int) -> tuple[int, BinaryIO] | None:
    """Fork a child that writes the words of the post from line `halfway` on into a temporary
    file, as JSON items joined by ",\n"; returns (its pid, the file), or None where that cannot be."""
    if not hasattr(os, "fork") or usable_cpus() < 2:
        return None
    try:
        spool = tempfile.TemporaryFile()
    except OSError:
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        spool.close()
        return None
    if pid:
        return pid, spool
    # The child never returns: it ends with os._exit (no exit handlers, no flushing of the
    # parent's buffers), 0 once its file is complete, 1 on any error (the parent redoes its part)
    # or as soon as it sees that the parent has gone (killed: nobody wants its work).
    try:
        encode = TokenJson()
        separator = b""
        for entries in post_tokens(post, options, (halfway, None)):
            if os.getppid() != parent:
                break
            items = encode.items(entries)
            if items:
                spool.write(separator + ",\n".join(items).encode("utf-8"))
                separator = b",\n"
        else:
            spool.flush()
            os._exit(0)
    finally:
        os._exit(1)


def run(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code; errors are reported on stderr, one line.
    Everything the command writes goes through the one terminal-safe writer (app.cli.common)."""
    reader_language.cache_clear()  # the settings may have changed since the last command in this process
    with safe_streams():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        command: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
        if command is None:
            parser.print_help()
            return EXIT_OK
        check_text_arguments(args)
        return command(args)
    except (UserError, PostError) as exc:  # a post too long to render is refused after loading
        warn(exc)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        # `kakikomi render x.md | head` closed the pipe: not an error worth a message.
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is "never a traceback"
        # A library problem (damaged, busy, not a library) is one sentence wherever it is met;
        # the store's module is loaded whenever one was raised.
        store_error = getattr(sys.modules.get("app.core.store.records"), "StoreError", None)
        if store_error is not None and isinstance(exc, store_error):
            warn(exc)
            return EXIT_USER_ERROR
        problem = storage_problem(exc)
        if problem is not None:
            warn(problem)
            return EXIT_USER_ERROR
        warn(f"internal error: {type(exc).__name__}: {exc}")
        return EXIT_INTERNAL
