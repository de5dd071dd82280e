"""`kakikomi lookup WORD [--json]`: what a word means, offline, from the bundled dictionary
(JMdict and KANJIDIC2; app.core.reading.lookup): its entries (written forms, readings, whether it is
common, its JLPT level, its pitch accent, its senses with their parts of speech and glosses) and
its kanji (meanings, on and kun readings, school grade, strokes). A conjugated form finds its
dictionary form (投資した -> 投資).
"""

from __future__ import annotations

import argparse

from app.cli.common import UserError, emit, say, to_json
from app.core.common.messages import as_message

# Senses shown per entry without --json (the JSON has them all).
SHOWN_SENSES = 5


def add_commands(commands, common) -> None:
    lookup = commands.add_parser("lookup", parents=[common], help="look a word up in the bundled dictionary (JMdict)")
    lookup.add_argument("word", metavar="WORD", help="a word as written in a post (a conjugated form finds its dictionary form)")
    lookup.add_argument("--json", action="store_true", help="print the entries and kanji as JSON")
    lookup.set_defaults(run=cmd_lookup)


def cmd_lookup(args: argparse.Namespace) -> int:
    from app.core.reading.lookup import WordLookupError, lookup

    try:
        found = lookup(args.word)
    except WordLookupError as exc:
        raise UserError(as_message(exc)) from None
    if args.json:
        emit(to_json(found))
        return 0
    if not found["entries"] and not found["kanji"]:
        raise UserError(f"{args.word.strip()!r} is not in the dictionary.")
    for line in describe(found):
        say(line)
    return 0


def describe(found: dict) -> list[str]:
    """The lookup as lines for a person: each entry's forms and facts, its senses numbered, then
    each kanji."""
    lines: list[str] = []
    for entry in found["entries"]:
        forms = "・".join(entry["kanji"]) or "・".join(entry["readings"])
        readings = "・".join(entry["readings"]) if entry["kanji"] else ""
        facts = [f for f in (
            "common" if entry["common"] else "",
            f"JLPT N{entry['jlpt']}" if entry.get("jlpt") else "",
            "pitch " + ", ".join(_pitch(p) for p in entry["pitch"]) if entry.get("pitch") else "",
        ) if f]
        lines.append(f"{forms}{f' [{readings}]' if readings else ''}{'  (' + '; '.join(facts) + ')' if facts else ''}")
        for n, sense in enumerate(entry["senses"][:SHOWN_SENSES], 1):
            pos = f" ({', '.join(sense['pos'])})" if sense["pos"] else ""
            lines.append(f"  {n}. {'; '.join(sense['glosses'])}{pos}")
        more = len(entry["senses"]) - SHOWN_SENSES
        if more > 0:
            lines.append(f"  … {more} more {'sense' if more == 1 else 'senses'} (--json shows all)")
    for kanji in found["kanji"]:
        facts = [f for f in (
            f"grade {kanji['grade']}" if kanji.get("grade") else "",
            f"{kanji['strokes']} strokes" if kanji.get("strokes") else "",
        ) if f]
        readings = "  ".join(part for part in ("、".join(kanji["on"]), "、".join(kanji["kun"])) if part)
        lines.append(f"{kanji['literal']}  {', '.join(kanji['meanings'][:6])}"
                     f"{'  ' + readings if readings else ''}{'  (' + ', '.join(facts) + ')' if facts else ''}")
    return lines


def _pitch(accent: dict) -> str:
    """はꜜし: the reading with a downstep mark after the last high mora (none for heiban)."""
    moras, downstep = accent["moras"], accent["downstep"]
    if not downstep:
        return "".join(moras) + " (heiban)"
    return "".join(moras[:downstep]) + "ꜜ" + "".join(moras[downstep:])
