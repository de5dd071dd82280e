"""The claims commands: `kakikomi amounts TEXT`, `kakikomi claims FILE|POST|--all`, `kakikomi claim-status`.

Same conventions as app.cli: exit 0 on success, 2 and one line on stderr for a user error, JSON
on stdout in UTF-8.

- `amounts TEXT [--json]` (TEXT "-" reads standard input): the money amounts, percentages and
  years in TEXT. JSON: `{"amounts": [...], "percentages": [...], "years": [...]}`, each item as
  app.core.claims.amounts documents (amounts: text, currency, low, high, approx, period, start, end;
  percentages: text, value, direction, start, end; years: text, year, fiscal, bound, start, end).
  Without --json, one line per item.
- `claims FILE [--json] [--entities TSV]`: the post's suggested claims, offsets into its plain text
  (the text highlights point into). JSON: a list of app.core.claims.sentences.Suggestion.to_json() objects
  (sentence, start, end, companies, chips, mentions, amounts, percentages, years).
- `claims POST [--json]`, POST a library post's id or source path (a FILE that was imported is
  that post): its stored claims and its suggestions (neither highlighted nor dismissed), offsets
  into the stored text. JSON: `{"post": {...}, "claims": [ClaimRow.to_json()...],
  "suggestions": [Suggestion.to_json()...]}`.
- `claims --all [--json] [--format csv|md -o PATH] [--company C] [--chip C] [--tag T] [--year Y]
  [--status S] [--currency CUR] [--sort KEY] [--descending]`: the claims table of the library;
  JSON is a list of ClaimRow.to_json() (id, post, post_title, post_date, quote, start, tags,
  companies, chips, amounts, currency, low, high, period, approx, amount_text, years, status,
  status_note, orphan); with -o it is written as CSV or Markdown (the format from --format, else
  from the file's suffix); `-o -` prints it (CSV unless --format md).
- `claims --compare [--company NAME] [--metric M] [--json]`: claims of the same entity, metric and
  period across posts, side by side. JSON: `{"groups": [{"entity", "metric", "period", "agree",
  "figures": [{"post", "claim", "text", "currency", "low", "high", "approx"}]}]}`; a group whose
  figures neither overlap nor lie within 10% of each other does not agree (other currencies are
  compared through an approximate rates table).
- `claims --chart --company NAME [--metric M] -o chart.svg`: that entity's figures over time as SVG.
- `claim-status ID STATUS [--note TEXT] [--json]`: set a claim's status (unverified, confirmed,
  disputed, outdated) and note.
- `claim-set ID [--entity E] [--metric M] [--period P] [--json]`: correct what a claim is about
  (entity, metric, period); each one given replaces what was read.

A claim's ID may be given by a unique prefix of its highlight id.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import common as cli
from app.core.claims.amounts import Amount, Figures, find_figures
from app.core.common.messages import Message, as_message
from app.core.common.text import shown_path

# app.core.claims.table's names, spelled out here: building the parser for every command must not
# import the claims machinery (a test checks they agree).
STATUSES = ("unverified", "confirmed", "disputed", "outdated")
SORTS = ("amount", "date", "post", "status", "quote", "position")
EXPORT_FORMATS = ("csv", "md")
METRICS = ("capex", "revenue", "operating_profit", "net_profit", "valuation", "funding", "price", "market_size", "subsidy",
           "other")


def _number(value: int | float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def describe_amount(amount: Amount) -> str:
    """One line for a person: "約1.5兆円  JPY 1,500,000,000,000 (approx)"."""
    if amount.low is not None and amount.high is not None:
        figure = _number(amount.low) if amount.low == amount.high else f"{_number(amount.low)}–{_number(amount.high)}"
    elif amount.low is not None:
        figure = f"≥ {_number(amount.low)}"
    else:
        figure = f"≤ {_number(amount.high)}" if amount.high is not None else "?"
    notes = [word for word, on in (("approx", amount.approx), (f"per {amount.period}", amount.period)) if on]
    return f"{amount.text}  {amount.currency} {figure}" + (f" ({', '.join(notes)})" if notes else "")


def describe_figures(figures: Figures) -> list[str]:
    lines = [describe_amount(a) for a in figures.amounts]
    for p in figures.percentages:
        lines.append(f"{p.text}  {_number(p.value)}%" + (f" ({p.direction})" if p.direction else ""))
    for y in figures.years:
        notes = [word for word, on in (("fiscal", y.fiscal), (y.bound, y.bound)) if on]
        lines.append(f"{y.text}  year {y.year}" + (f" ({', '.join(notes)})" if notes else ""))
    return lines


def cmd_amounts(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    figures = find_figures(text)
    if args.json:
        cli.emit(cli.to_json(figures.to_json()))
        return cli.EXIT_OK
    lines = describe_figures(figures)
    cli.emit("\n".join(lines) + "\n" if lines else "No amounts, percentages or years found.\n")
    return cli.EXIT_OK


def _entities(args: argparse.Namespace):
    from app.core.claims.entities import load_entities

    if args.entities is not None and not Path(args.entities).is_file():
        raise cli.UserError(f"{args.entities} is not a file of entities (kind, name, aliases, maker; tab-separated).")
    table = load_entities(args.entities)
    for warning in table.warnings:
        cli.warn(Message("cli.warning", "warning: {warning}", warning=warning))
    return table


def _suggestion_lines(suggestions) -> list[str]:
    out: list[str] = []
    for s in suggestions:
        out.append(f"{s.start}-{s.end}  {s.sentence.replace(chr(10), ' / ')}")
        if s.companies or s.chips:
            out.append("    " + "; ".join(f"{label}: {', '.join(names)}" for label, names in (("companies", s.companies), ("chips", s.chips)) if names))
        out.extend(f"    {describe_amount(a)}" for a in s.amounts)
    return out


def _claim_line(row) -> str:
    """One claim for a person: status, amount, names, quote, where it is."""
    names = "; ".join(", ".join(n) for n in (row.companies, row.chips) if n)
    parts = [f"[{row.status}]", row.amount_text or "—", f"({names})" if names else "", row.quote.replace("\n", " / ")]
    where = f"    {row.post_title}" + (f", {row.post_date[:10]}" if row.post_date else "") + f"  @{row.start}  {row.annotation_id}"
    note = f"\n    note: {row.status_note}" if row.status_note else ""
    return "  ".join(p for p in parts if p) + "\n" + where + (" [orphan]" if row.orphan else "") + note


def _library_post(args: argparse.Namespace, ref: str):
    """The library and its post named by `ref` (id or source path), or (None, None) when no library
    holds it and `ref` is a file (read as a file, not as a post)."""
    from app.cli.library import open_library
    from app.core.store import StoreError, default_db_path

    db = Path(args.db).expanduser() if args.db else default_db_path()
    is_file = Path(ref).expanduser().is_file()
    if not db.exists():
        if is_file:
            return None, None
        if ref.isdecimal():
            raise cli.UserError(f"There is no library at {db}, so there is no post {ref}.")
        cli.load(ref)  # says in one sentence why the file cannot be read
    try:
        store = open_library(args, create=False)
    except cli.UserError:
        if is_file:  # a file is still read as one when the library cannot be opened
            return None, None
        raise
    try:
        return store, store.post(ref)
    except StoreError as exc:
        store.close()
        if is_file:
            return None, None
        if ref.isdecimal():
            raise cli.UserError(as_message(exc)) from None
        cli.load(ref)
        raise cli.UserError(as_message(exc)) from None


def cmd_claims(args: argparse.Namespace) -> int:
    from app.core.claims.sentences import suggest_claims
    from app.core.posts.render import RenderOptions, render_post
    from app.core.reading.furigana_mode import FuriganaMode

    if args.compare or args.chart:
        if args.file is not None or args.all:
            raise cli.UserError("--compare and --chart look at the whole library: give no post and no --all.")
        return _claims_chart(args) if args.chart else _claims_compare(args)
    if args.all:
        if args.file is not None:
            raise cli.UserError("Give either a post or --all, not both.")
        return _claims_table(args)
    if args.file is None:
        raise cli.UserError("Name a post (its file, id or source path), or use --all for the whole library.")
    if args.output is not None or args.format is not None:
        raise cli.UserError("-o and --format write the claims table: use them with --all.")
    store, record = _library_post(args, args.file)
    if store is not None:
        with store:
            return _claims_of_post(args, store, record)
    post = cli.load(args.file)
    table = _entities(args)
    # The same text the library snapshots and highlights point into (see app.core.library.actions).
    plain = render_post(post, RenderOptions(mode=FuriganaMode("off"))).plain
    suggestions = suggest_claims(plain.text, blocks=plain.blocks, entities=table)
    if args.json:
        cli.emit(cli.to_json([s.to_json() for s in suggestions]))
        return cli.EXIT_OK
    if not suggestions:
        cli.emit(f"No claims to suggest in “{post.title}”.\n")
        return cli.EXIT_OK
    cli.emit("\n".join(_suggestion_lines(suggestions)) + "\n")
    return cli.EXIT_OK


def _claims_of_post(args: argparse.Namespace, store, record) -> int:
    from app.core.claims import suggestions as claim_suggestions
    from app.core.claims import table as claims_store

    table = _entities(args)
    claims = claims_store.claims_table(store, post_id=record.id, sort="position")
    suggestions = claim_suggestions.suggestions_for(store, record.id, entities=table)
    if args.json:
        cli.emit(cli.to_json({
            "post": record.to_json(), "claims": [c.to_json() for c in claims],
            "suggestions": [s.to_json() for s in suggestions],
        }))
        return cli.EXIT_OK
    out = [f"{record.title} (post {record.id})", ""]
    out.append(f"Claims ({len(claims)}):" if claims else "No claims yet (highlights tagged chip, investment or claim).")
    out.extend(_claim_line(c) for c in claims)
    out.append("")
    out.append(f"Suggested ({len(suggestions)}):" if suggestions else "No claims to suggest.")
    out.extend(_suggestion_lines(suggestions))
    cli.emit("\n".join(out) + "\n")
    return cli.EXIT_OK


def _claims_table(args: argparse.Namespace) -> int:
    from app.cli.library import open_library
    from app.core.claims import table as claims_store
    from app.core.library import claims_export
    from app.core.library.export import ExportError
    from app.core.store import StoreError

    filters = {
        "company": args.company, "chip": args.chip, "tag": args.tag, "year": args.year, "status": args.status,
        "currency": args.currency.upper() if args.currency else None, "sort": args.sort, "descending": args.descending,
    }
    with open_library(args, create=False) as store:
        if args.output == "-":  # standard output, terminal-safe
            try:
                cli.emit(claims_export.claims_text(store, args.format or "csv", **filters).replace("\r\n", "\n"))
            except ExportError as exc:
                raise cli.UserError(as_message(exc)) from None
            return cli.EXIT_OK
        if args.output is not None:
            target = Path(args.output).expanduser()
            fmt = args.format or ("md" if target.suffix.lower() in (".md", ".markdown") else "csv")
            try:
                written = claims_export.export_claims(store, target, fmt, **filters)
            except ExportError as exc:
                raise cli.UserError(as_message(exc)) from None
            cli.say(str(written))
            return cli.EXIT_OK
        if args.format is not None:
            raise cli.UserError("--format needs -o PATH (the file to write).")
        try:
            rows = claims_store.claims_table(store, **filters)
        except StoreError as exc:
            raise cli.UserError(as_message(exc)) from None
    if args.json:
        cli.emit(cli.to_json([r.to_json() for r in rows]))
        return cli.EXIT_OK
    if not rows:
        cli.emit("No claims found.\n")
        return cli.EXIT_OK
    cli.emit("\n".join(_claim_line(r) for r in rows) + "\n")
    return cli.EXIT_OK


def _claims_compare(args: argparse.Namespace) -> int:
    from app.cli.library import open_library
    from app.core.claims import table as claims_store

    if args.output is not None or args.format is not None:
        raise cli.UserError("--compare prints the groups: -o and --format are for --all or --chart.")
    with open_library(args, create=False) as store:
        groups = claims_store.compare_claims(store, entity=args.company, metric=args.metric)
    if args.json:
        cli.emit(cli.to_json({"groups": [g.to_json() for g in groups]}))
        return cli.EXIT_OK
    if not groups:
        cli.emit("No figure is given by two posts for the same entity, metric and period.\n")
        return cli.EXIT_OK
    out = []
    for g in groups:
        out.append(f"{g.entity} · {g.metric} · {g.period}: {'agree' if g.agree else 'DISAGREE'}")
        out.extend(f"  post {f.post}  {f.text}  ({f.claim})" for f in g.figures)
    cli.emit("\n".join(out) + "\n")
    return cli.EXIT_OK


def _claims_chart(args: argparse.Namespace) -> int:
    from app.cli.library import open_library
    from app.core.claims import table as claims_store
    from app.core.common.fileio import write_atomic

    if not args.company:
        raise cli.UserError("--chart draws one company's or chip's figures: name it with --company NAME.")
    if args.output is None:
        raise cli.UserError("--chart needs -o PATH.svg (the drawing to write).")
    target = Path(args.output).expanduser()
    if target.suffix.lower() != ".svg":
        raise cli.UserError(f"{shown_path(target.name)} is not an .svg file: the chart is written as SVG.")
    with open_library(args, create=False) as store:
        svg = claims_store.claims_timeline(store, args.company, metric=args.metric)
    try:
        write_atomic(target, svg.encode("utf-8"))
    except OSError as exc:
        raise cli.UserError(f"The chart could not be written to {shown_path(target)}: {exc.strerror or exc}.") from None
    cli.say(str(target))
    return cli.EXIT_OK


def _claim_id(store, given: str) -> str:
    """The claim id `given` stands for: itself, or the one claim whose id starts with it (like git)."""
    if store.db.execute("SELECT 1 FROM claims WHERE annotation_id = ?", [given]).fetchone():
        return given
    pattern = given.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = [r[0] for r in store.db.execute(
        "SELECT annotation_id FROM claims WHERE annotation_id LIKE ? ESCAPE '\\' LIMIT 3", [pattern])]
    if len(found) > 1:
        raise cli.UserError(f"{cli.terminal_safe(given)!s} is the start of several claims' ids: give more of it.")
    return found[0] if found else given


def cmd_claim_set(args: argparse.Namespace) -> int:
    from app.cli.library import open_library
    from app.core.library import actions as library
    from app.core.store import StoreError

    if args.entity is None and args.metric is None and args.period is None:
        raise cli.UserError("Say what to correct: --entity, --metric or --period.")
    with open_library(args, create=False) as store:
        try:
            row = library.set_claim_fact(store, _claim_id(store, args.id), entity=args.entity, metric=args.metric,
                                         period=args.period)
        except StoreError as exc:
            raise cli.UserError(as_message(exc)) from None
    if args.json:
        cli.emit(cli.to_json(row.to_json()))
    else:
        cli.emit(_claim_line(row) + f"\n  {row.entity or '-'} · {row.metric} · {row.fact_period}\n")
    return cli.EXIT_OK


def cmd_claim_status(args: argparse.Namespace) -> int:
    from app.cli.library import open_library
    from app.core.library import actions as library
    from app.core.store import StoreError

    with open_library(args, create=False) as store:
        try:
            row = library.set_claim_status(store, _claim_id(store, args.id), args.status, args.note)
        except StoreError as exc:
            raise cli.UserError(as_message(exc)) from None
    if args.json:
        cli.emit(cli.to_json(row.to_json()))
    else:
        cli.emit(_claim_line(row) + "\n")
    return cli.EXIT_OK


def add_claims_commands(commands, common: argparse.ArgumentParser) -> None:
    """Register `amounts` and `claims` on the `kakikomi` sub-command parser."""
    amounts = commands.add_parser("amounts", parents=[common], help="list the money amounts, percentages and years in a text")
    amounts.add_argument("text", metavar="TEXT", help='the text ("-" reads standard input)')
    amounts.add_argument("--json", action="store_true")
    amounts.set_defaults(run=cmd_amounts)

    claims = commands.add_parser(
        "claims", parents=[common], help="a post's claims and suggested claims, or the claims table of the library (--all)"
    )
    claims.add_argument("file", nargs="?", metavar="FILE|POST", help="a post file, or a library post's id or source path")
    claims.add_argument("--all", action="store_true", help="the claims of the whole library")
    claims.add_argument("--json", action="store_true")
    claims.add_argument("--entities", metavar="TSV", help="your companies and chips (default: entities.tsv in the data folder)")
    claims.add_argument("--format", choices=EXPORT_FORMATS, help="with --all -o: CSV or Markdown (default: from the suffix)")
    claims.add_argument("-o", "--output", metavar="PATH", help="with --all: write the table here (- for standard output)")
    claims.add_argument("--company", metavar="NAME")
    claims.add_argument("--chip", metavar="NAME")
    claims.add_argument("--tag", metavar="TAG")
    claims.add_argument("--year", type=int, metavar="YEAR", help="a year the quote states, or the post's year")
    claims.add_argument("--status", choices=STATUSES)
    claims.add_argument("--currency", metavar="CODE", help="ISO 4217, e.g. JPY, USD")
    claims.add_argument("--sort", choices=SORTS, default="amount")
    claims.add_argument("--descending", action="store_true")
    claims.add_argument("--compare", action="store_true", help="the same entity, metric and period across posts, side by side")
    claims.add_argument("--chart", action="store_true", help="with --company NAME -o chart.svg: figures over time")
    claims.add_argument("--metric", choices=METRICS, help="with --compare or --chart: one metric")
    claims.set_defaults(run=cmd_claims)

    fact = commands.add_parser("claim-set", parents=[common], help="correct a claim's entity, metric or period")
    fact.add_argument("id", metavar="ID", help="the claim's highlight id (or a unique prefix of it)")
    fact.add_argument("--entity", metavar="NAME", help='the company or chip ("" for none)')
    fact.add_argument("--metric", choices=METRICS)
    fact.add_argument("--period", metavar="PERIOD", help="2025, FY2025, 2025Q3, 2025H1 or asof:2025-11-30")
    fact.add_argument("--json", action="store_true")
    fact.set_defaults(run=cmd_claim_set)

    status = commands.add_parser("claim-status", parents=[common], help="set a claim's status and note")
    status.add_argument("id", metavar="ID", help="the claim's highlight id")
    status.add_argument("status", metavar="STATUS", choices=STATUSES, help=", ".join(STATUSES))
    status.add_argument("--note", metavar="TEXT")
    status.add_argument("--json", action="store_true")
    status.set_defaults(run=cmd_claim_status)


CLAIMS_COMMANDS = frozenset({"amounts", "claims", "claim-status", "claim-set"})
