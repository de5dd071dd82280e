"""The claims commands: `kakikomi amounts TEXT` and `kakikomi claims FILE`.

Same conventions as app.cli: exit 0 on success, 2 and one line on stderr for a user error, JSON
on stdout in UTF-8.

- `amounts TEXT [--json]` (TEXT "-" reads standard input): the money amounts, percentages and
  years in TEXT. JSON: `{"amounts": [...], "percentages": [...], "years": [...]}`, each item as
  app.core.amounts documents (amounts: text, currency, low, high, approx, period, start, end;
  percentages: text, value, direction, start, end; years: text, year, fiscal, bound, start, end).
  Without --json, one line per item.
- `claims FILE [--json] [--entities TSV]`: the post's suggested claims, offsets into its plain text
  (the text highlights point into). JSON: a list of app.core.claims.Suggestion.to_json() objects
  (sentence, start, end, companies, chips, mentions, amounts, percentages, years).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import cli
from app.core.amounts import Amount, Figures, find_figures


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


def cmd_claims(args: argparse.Namespace) -> int:
    from app.core.claims import suggest_claims
    from app.core.entities import load_entities
    from app.core.furigana_mode import FuriganaMode
    from app.core.render import RenderOptions, render_post

    post = cli._load(args.file)
    if args.entities is not None and not Path(args.entities).is_file():
        raise cli.UserError(f"{args.entities} is not a file of entities (kind, name, aliases, maker; tab-separated).")
    table = load_entities(args.entities)
    for warning in table.warnings:
        print(f"kakikomi: warning: {warning}", file=sys.stderr)
    # The same text the library snapshots and highlights point into (see app.core.library).
    plain = render_post(post, RenderOptions(mode=FuriganaMode("off"))).plain
    suggestions = suggest_claims(plain.text, blocks=plain.blocks, entities=table)
    if args.json:
        cli.emit(cli.to_json([s.to_json() for s in suggestions]))
        return cli.EXIT_OK
    if not suggestions:
        cli.emit(f"No claims to suggest in “{post.title}”.\n")
        return cli.EXIT_OK
    out: list[str] = []
    for s in suggestions:
        out.append(f"{s.start}-{s.end}  {s.sentence.replace(chr(10), ' / ')}")
        if s.companies or s.chips:
            out.append("    " + "; ".join(f"{label}: {', '.join(names)}" for label, names in (("companies", s.companies), ("chips", s.chips)) if names))
        out.extend(f"    {describe_amount(a)}" for a in s.amounts)
    cli.emit("\n".join(out) + "\n")
    return cli.EXIT_OK


def add_claims_commands(commands, common: argparse.ArgumentParser) -> None:
    """Register `amounts` and `claims` on the `kakikomi` sub-command parser."""
    amounts = commands.add_parser("amounts", parents=[common], help="list the money amounts, percentages and years in a text")
    amounts.add_argument("text", metavar="TEXT", help='the text ("-" reads standard input)')
    amounts.add_argument("--json", action="store_true")
    amounts.set_defaults(run=cmd_amounts)

    claims = commands.add_parser("claims", parents=[common], help="suggest the sentences of a post worth keeping as claims")
    claims.add_argument("file", metavar="FILE")
    claims.add_argument("--json", action="store_true")
    claims.add_argument("--entities", metavar="TSV", help="your companies and chips (default: entities.tsv in the data folder)")
    claims.set_defaults(run=cmd_claims)


CLAIMS_COMMANDS = frozenset({"amounts", "claims"})
