"""The library commands: import, list, annotate, annotations, search, export, import-annotations.

Same conventions as app.cli: exit 0 on success, 2 and one line on stderr for a user error. Every
command takes --db PATH (else $KAKIKOMI_HOME/library.sqlite3, else the platform's data folder).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import common as cli
from app.core.common.messages import Message, as_message
from app.core.library import actions as library
from app.core.library import derived, search
from app.core.store import COLORS, Store, StoreError


def open_library(args: argparse.Namespace, *, create: bool = True) -> Store:
    try:
        return derived.open_library(getattr(args, "db", None), create=create)
    except StoreError as exc:
        raise cli.UserError(as_message(exc)) from None


def _post(store: Store, ref: str):
    try:
        return store.post(ref)
    except StoreError as exc:
        raise cli.UserError(as_message(exc)) from None


def cmd_import(args: argparse.Namespace) -> int:
    from app.core.posts.webpage import is_url

    urls = [p for p in args.paths if is_url(p)]
    with open_library(args) as store:
        try:
            report = library.import_paths(store, args.paths)
        except library.ImportStopped as exc:  # a full disk midway: how many were saved, in one sentence
            raise cli.UserError(as_message(exc)) from None
    if args.json:
        cli.emit(cli.to_json(report.to_json()))
    else:
        done = len(report.added) + len(report.updated) + len(report.unchanged)
        cli.say(
            f"Imported {cli.counted(done, 'post')}: {len(report.added)} new, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged."
        )
        if report.reanchored or report.orphaned:
            cli.say(f"Highlights moved with their text: {report.reanchored}; orphaned (kept): {report.orphaned}.")
    for path, reason in report.errors:
        # A page's reason already names its address: one short sentence.
        cli.warn(reason if path in urls else Message("cli.skipped", "skipped {path}: {reason}", path=path, reason=reason))
    nothing_done = not (report.added or report.updated or report.unchanged)
    return cli.EXIT_USER_ERROR if report.errors and nothing_done else cli.EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with open_library(args) as store:
        posts = store.posts()
    if args.json:
        cli.emit(cli.to_json([p.to_json() for p in posts]))
        return cli.EXIT_OK
    if not posts:
        cli.say("The library is empty; add posts with `kakikomi import FILE_OR_FOLDER`.")
        return cli.EXIT_OK
    for p in posts:
        cli.say(f"{p.id:>5}  {(p.date or '')[:10]:<10}  {p.highlight_count:>3} {cli.noun(p.highlight_count, 'highlight'):<10}  {p.title}")
    return cli.EXIT_OK


def annotation_json(a) -> dict:
    """The fields scripts rely on (see the issue): id, quote, start, end, tags, note, colour, orphan."""
    return {
        "id": a.id, "post": a.post_id, "quote": a.exact, "start": a.start, "end": a.end, "tags": list(a.tags),
        "note": a.note, "colour": a.color, "orphan": a.orphan, "created": a.created, "updated": a.updated,
    }


def cmd_annotate(args: argparse.Namespace) -> int:
    with open_library(args) as store:
        post = _post(store, args.post)
        try:
            result = library.highlight_quote(
                store, post, args.quote, occurrence=args.occurrence, tags=args.tag or (), note=args.note or "", color=args.color
            )
        except StoreError as exc:
            raise cli.UserError(as_message(exc)) from None
    # A quote already highlighted updates that highlight (or merges overlapping ones): its id is printed.
    if args.json:
        cli.emit(cli.to_json({**annotation_json(result.annotation), "outcome": result.outcome, "absorbed": list(result.absorbed)}))
    else:
        print(result.annotation.id)
    return cli.EXIT_OK


def cmd_annotations(args: argparse.Namespace) -> int:
    with open_library(args) as store:
        post = _post(store, args.post)
        found = store.annotations(post.id)
    if args.json:
        cli.emit(cli.to_json([annotation_json(a) for a in found]))
        return cli.EXIT_OK
    if not found:
        print(f"No highlights in “{post.title}” yet.")
    for a in found:
        tags = " ".join(f"#{t}" for t in a.tags)
        orphan = "  [orphan]" if a.orphan else ""
        print(f"{a.id}  {a.start}-{a.end}  {a.color}  {tags}{orphan}\n    {a.exact}" + (f"\n    note: {a.note}" if a.note else ""))
    return cli.EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    if not 1 <= args.limit <= search.MAX_LIMIT:
        raise cli.UserError(f"--limit is how many results to show: a whole number from 1 to {search.MAX_LIMIT:,}.")
    with open_library(args) as store:
        try:
            hits = search.search(store, args.query, limit=args.limit)
        except ValueError as exc:
            raise cli.UserError(as_message(exc)) from None
    if args.json:
        cli.emit(cli.to_json([h.to_json() for h in hits]))
        return cli.EXIT_OK
    if not hits:
        cli.say(f"Nothing found for {args.query!r}.")
    for h in hits:
        where = f"@{h.offset}" if h.offset is not None else ""
        cli.say(f"[{h.post_id}] {h.title} ({h.kind}{where})\n    {h.marked}")
    return cli.EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from app.core.library.export import FURIGANA_STYLES, ExportError, export_csv, export_markdown
    from app.core.library.webanno import export_json

    if args.format == "md" and args.furigana not in FURIGANA_STYLES:
        raise cli.UserError(f"--furigana for Markdown is one of {', '.join(FURIGANA_STYLES)}.")
    if args.output == "-":
        return _export_to_stdout(args)
    target = Path(args.output).expanduser()
    with open_library(args) as store:
        post_ids = [_post(store, args.post).id] if args.post else None
        try:
            if args.format == "md":
                written = export_markdown(store, target, post_ids=post_ids, furigana=args.furigana, group_by=args.group_by)
            elif args.format == "json":
                written = [export_json(store, target, post_ids=post_ids)]
            else:
                written = [export_csv(store, target, post_ids=post_ids)]
        except ExportError as exc:
            raise cli.UserError(as_message(exc)) from None
    if not written:
        cli.say("Nothing to export: no post in the selection has highlights.")
    for path in written:
        cli.say(str(path))
    return cli.EXIT_OK


def _export_to_stdout(args: argparse.Namespace) -> int:
    """`export -o -`: the export on standard output, through the terminal-safe writer (a control
    character in a note is shown escaped; JSON keeps it as a \\u escape, still the same value)."""
    import tempfile

    from app.core.library.export import ExportError, highlights_csv, markdown_text
    from app.core.library.webanno import export_json

    with open_library(args) as store:
        post_ids = [_post(store, args.post).id] if args.post else None
        try:
            if args.format == "md":
                text = markdown_text(store, post_ids=post_ids, furigana=args.furigana, group_by=args.group_by)
            elif args.format == "csv":
                text = highlights_csv(store, post_ids=post_ids).replace("\r\n", "\n")  # a terminal's line ends
            else:
                # The JSON export is made as a file is (webanno writes it); read back, then printed.
                with tempfile.TemporaryDirectory(prefix="kakikomi-export-") as folder:
                    written = export_json(store, Path(folder) / "export.json", post_ids=post_ids)
                    text = cli.json_safe(written.read_text(encoding="utf-8"))
        except ExportError as exc:
            raise cli.UserError(as_message(exc)) from None
    if not text:
        cli.warn("Nothing to export: no post in the selection has highlights.")
        return cli.EXIT_OK
    cli.emit(text if text.endswith("\n") else text + "\n")
    return cli.EXIT_OK


def cmd_import_annotations(args: argparse.Namespace) -> int:
    from app.core.library.export import ExportError
    from app.core.library.webanno import import_json

    show = _Progress() if args.progress or sys.stderr.isatty() else None
    with open_library(args) as store:
        try:
            summary = import_json(store, Path(args.file).expanduser(), read_post_files=args.read_post_files, progress=show)
        except ExportError as exc:
            raise cli.UserError(as_message(exc)) from None
    if args.json:
        cli.emit(cli.to_json(summary.to_json()))
    else:
        cli.say(
            f"Highlights: {len(summary.added)} added, {len(summary.updated)} updated, {len(summary.unchanged)} unchanged, "
            f"{len(summary.skipped)} skipped; posts restored: {len(summary.posts_added)}."
        )
    lines = [*summary.errors, *summary.warnings]
    for line in lines[:_MAX_REPORT_LINES]:
        cli.warn(line)
    if len(lines) > _MAX_REPORT_LINES:
        more = len(lines) - _MAX_REPORT_LINES
        cli.warn(f"… and {more:,} more like these (all of them are in the output of --json).")
    nothing_done = not (summary.added or summary.updated or summary.unchanged)
    return cli.EXIT_USER_ERROR if summary.skipped and nothing_done else cli.EXIT_OK


_MAX_REPORT_LINES = 20  # skipped items and warnings shown on stderr; --json lists every one


class _Progress:
    """`import-annotations --progress` (or on a terminal): how far a big file is, a line on stderr
    every two seconds; nothing for a file read in less."""

    def __init__(self) -> None:
        import time

        self._clock = time.monotonic
        self._next = self._clock() + 2.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if self._clock() < self._next or (done == total and not self._shown):
            return
        self._next = self._clock() + 2.0
        self._shown = True
        cli.warn(f"{done:,} of {total:,} annotations read…")


def add_library_commands(commands, common: argparse.ArgumentParser) -> None:
    """Register the library commands on the `kakikomi` sub-command parser."""
    imp = commands.add_parser("import", parents=[common], help="add files, folders and web pages (URLs) to the library")
    imp.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(run=cmd_import)

    lst = commands.add_parser("list", parents=[common], help="list the posts in the library")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(run=cmd_list)

    ann = commands.add_parser("annotate", parents=[common], help="highlight a quote in a post")
    ann.add_argument("post", metavar="POST", help="a post id or a source path")
    ann.add_argument("--quote", required=True, metavar="TEXT")
    ann.add_argument("--occurrence", type=int, default=1, metavar="N", help="which occurrence of the quote (from 1)")
    ann.add_argument("--tag", action="append", metavar="T", help="a tag (repeat for several)")
    ann.add_argument("--note", metavar="TEXT")
    ann.add_argument(
        "--color", "--colour", dest="color", choices=COLORS, metavar="NAME",
        help="yellow for a new highlight unless given; an existing one keeps its colour unless given",
    )
    ann.add_argument("--json", action="store_true")
    ann.set_defaults(run=cmd_annotate)

    anns = commands.add_parser("annotations", parents=[common], help="list a post's highlights")
    anns.add_argument("post", metavar="POST")
    anns.add_argument("--json", action="store_true")
    anns.set_defaults(run=cmd_annotations)

    sea = commands.add_parser("search", parents=[common], help="search post text, quotes, notes and tags")
    sea.add_argument("query", metavar="QUERY")
    sea.add_argument("--limit", type=int, default=search.MAX_RESULTS)
    sea.add_argument("--json", action="store_true")
    sea.set_defaults(run=cmd_search)

    exp = commands.add_parser("export", parents=[common], help="export highlights to Markdown, JSON or CSV")
    exp.add_argument("--post", metavar="POST", help="only this post (an id or a source path)")
    exp.add_argument("--format", choices=("md", "json", "csv"), required=True)
    exp.add_argument(
        "-o", "--output", required=True, metavar="PATH",
        help="a folder or FILE.md for md; a file otherwise; - for standard output",
    )
    exp.add_argument("--furigana", default="none", metavar="none|aozora|ruby", help="readings in Markdown quotes")
    exp.add_argument("--group-by", choices=("position", "tag"), default="position")
    exp.set_defaults(run=cmd_export)

    imp_ann = commands.add_parser("import-annotations", parents=[common], help="merge highlights from a JSON export")
    imp_ann.add_argument("file", metavar="FILE.json")
    imp_ann.add_argument("--json", action="store_true")
    imp_ann.add_argument(
        "--read-post-files", action="store_true",
        help="import a post missing from the library from the local file an annotation names (by default its "
        "text comes only from the copy in FILE.json, and no local file is read)",
    )
    imp_ann.add_argument("--progress", action="store_true", help="show how far a big file is (always on a terminal)")
    imp_ann.set_defaults(run=cmd_import_annotations)


LIBRARY_COMMANDS = frozenset({"import", "list", "annotate", "annotations", "search", "export", "import-annotations"})
