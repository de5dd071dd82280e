"""The learner's commands.

`kakikomi lookup WORD [--json]`: what a word means, offline, from the bundled dictionary
(JMdict and KANJIDIC2; app.core.reading.lookup): its entries (written forms, readings, whether it is
common, its JLPT level, its pitch accent, its senses with their parts of speech and glosses) and
its kanji (meanings, on and kun readings, school grade, strokes). A conjugated form finds its
dictionary form (投資した -> 投資).

`kakikomi words POST [--status S] [--json]`: a post's words with their reading, status, count and
gloss (app.core.library.vocabulary). `kakikomi word-status LEMMA STATUS`, `--import FILE` and
`--export FILE` (`-`: standard input or output): the reader's word statuses, one word or a word
list. `kakikomi anki [--post POST] [--status S] -o deck.apkg|deck.txt`: an Anki deck of the picked
words, a post's words or the words of a status.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import UserError, counted, emit, say, to_json
from app.core.common.messages import as_message

# Senses shown per entry without --json (the JSON has them all).
SHOWN_SENSES = 5


STATUSES = ("new", "learning", "known", "ignored")  # app.core.library.vocabulary.STATUSES (not imported at start-up)
_STATUS_LIST = "|".join(STATUSES)


def add_commands(commands, common) -> None:
    lookup = commands.add_parser("lookup", parents=[common], help="look a word up in the bundled dictionary (JMdict)")
    lookup.add_argument("word", metavar="WORD", help="a word as written in a post (a conjugated form finds its dictionary form)")
    lookup.add_argument("--json", action="store_true", help="print the entries and kanji as JSON")
    lookup.set_defaults(run=cmd_lookup)

    words = commands.add_parser("words", parents=[common], help="list a post's words: lemma, reading, status, count, gloss")
    words.add_argument("post", metavar="POST", help="the post's id or file")
    words.add_argument("--status", choices=STATUSES, metavar=_STATUS_LIST, help="only the words of this status")
    words.add_argument("--json", action="store_true", help="print the words as JSON")
    words.set_defaults(run=cmd_words)

    status = commands.add_parser(
        "word-status", parents=[common], help="set a word's status (new, learning, known, ignored), or import or export a word list"
    )
    status.add_argument("lemma", nargs="?", metavar="LEMMA", help="the word (its dictionary form, as `kakikomi words` lists it)")
    status.add_argument("status", nargs="?", choices=STATUSES, metavar="STATUS", help=f"its new status: {', '.join(STATUSES)}")
    status.add_argument(
        "--import", dest="file", metavar="FILE",
        help="give every word of FILE a status (one word a line, or Anki's notes exported as text; - reads standard input)",
    )
    status.add_argument("--export", dest="output", metavar="FILE", help="write the words of a status to FILE, one a line (- for standard output)")
    status.add_argument("--status", dest="list_status", choices=STATUSES, metavar=_STATUS_LIST, help="the status to import as or export (default: known)")
    status.set_defaults(run=cmd_word_status)

    deck = commands.add_parser("anki", parents=[common], help="write an Anki deck (.apkg, or Anki's text import .txt) of words to learn")
    deck.add_argument("--post", metavar="POST", help="that post's words (filtered by --status) instead of the words picked for the deck")
    deck.add_argument("--status", choices=STATUSES, metavar=_STATUS_LIST, help="only the words of this status (alone: every such word, from its first post)")
    deck.add_argument("-o", "--output", required=True, metavar="deck.apkg|deck.txt", help="the deck file; its suffix says the format")
    deck.set_defaults(run=cmd_anki)


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


# --- words, statuses, decks --------------------------------------------------------------------------


def _library(args: argparse.Namespace):
    from app.cli.library import open_library

    return open_library(args)


def _post(store, ref: str):
    from app.cli.library import _post

    return _post(store, ref)


def _library_path(args: argparse.Namespace) -> Path:
    from app.core.store import default_db_path

    return Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()


def _not_the_library(target: Path, args: argparse.Namespace) -> None:
    """Refuse to write a file over the library itself, in one sentence."""
    from app.core.common.text import shown_path

    library = _library_path(args)
    try:
        same = target.exists() and library.exists() and target.samefile(library)
    except OSError:
        same = False
    if same:
        raise UserError(f"{shown_path(target)} is the library file; writing there would overwrite it, so choose another file.")


def cmd_words(args: argparse.Namespace) -> int:
    from app.core.library import vocabulary

    with _library(args) as store:
        post = _post(store, args.post)
        words = vocabulary.post_words(store, post.id, status=args.status)
    if args.json:
        emit(to_json([w.to_json() for w in words]))
        return 0
    if not words:
        kind = f" {args.status}" if args.status else ""
        say(f"No{kind} words in “{post.title}”.")
        return 0
    for w in words:
        say("\t".join((w.lemma, w.reading or "", w.status, str(w.count), w.gloss or "")))
    return 0


def cmd_word_status(args: argparse.Namespace) -> int:
    chosen = [name for name, given in (("LEMMA STATUS", args.lemma is not None), ("--import", args.file), ("--export", args.output)) if given]
    if len(chosen) != 1:
        raise UserError("Give a word and its status (kakikomi word-status 工場 known), or --import FILE, or --export FILE.")
    if args.lemma is not None:
        return _set_one(args)
    if args.file:
        return _import_list(args)
    return _export_list(args)


def _set_one(args: argparse.Namespace) -> int:
    import unicodedata

    from app.core.library import actions, vocabulary

    word = args.lemma.strip()
    if args.status is None or not word:
        raise UserError(f"Give the word and its status: one of {', '.join(STATUSES)} (kakikomi word-status 工場 known).")
    if any(unicodedata.category(c) == "Cc" for c in word):
        raise UserError("The word holds a control character (a tab, a line break or the like); give the word alone.")
    if args.list_status is not None:
        raise UserError("--status goes with --import or --export; give a single word's status after the word.")
    # The lemma the posts count the word under, as --import keeps a list's words (する -> 為る).
    [lemma] = vocabulary.as_lemmas([word])
    with _library(args) as store:
        before = store.word_status(lemma)
        actions.set_word_status(store, lemma, args.status)
    if lemma != word:
        say(f"{word} is kept as {lemma}, the dictionary form your posts count it under.")
    say(f"{lemma}: {args.status}" + (f" (was {before})" if before != args.status else " (unchanged)"))
    return 0


def _import_list(args: argparse.Namespace) -> int:
    from app.core.common.text import shown_path
    from app.core.library import actions, vocabulary

    status = args.list_status or "known"
    if args.file == "-":
        data = sys.stdin.buffer.read()
        name = "standard input"
    else:
        path = Path(args.file).expanduser()
        name = shown_path(path)
        if path.is_dir():
            raise UserError(f"{name} is a folder; give a word list file.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UserError(f"Cannot read {name}: {exc.strerror or exc}.") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{name} is not UTF-8 text; save the word list as UTF-8.") from None
    words = vocabulary.parse_word_list(text)
    if not words:
        raise UserError(f"{name} holds no words (give one word a line, or Anki's notes exported as text).")
    with _library(args) as store:
        changed = actions.import_word_list(store, text, status)
    say(f"{counted(len(words), 'word')} in the list; {counted(changed, 'status', 'statuses')} changed to {status}.")
    return 0


def _export_list(args: argparse.Namespace) -> int:
    from app.core.common.fileio import write_atomic
    from app.core.common.text import shown_path
    from app.core.library import vocabulary

    status = args.list_status or "known"
    with _library(args) as store:
        text = vocabulary.word_list_text(store, status)
    if args.output == "-":
        emit(text)
        return 0
    target = Path(args.output).expanduser()
    if target.is_dir():
        raise UserError(f"{shown_path(target)} is a folder; give a file name such as {shown_path(target / f'{status}.txt')}.")
    _not_the_library(target, args)
    try:
        write_atomic(target, text)
    except OSError as exc:
        raise UserError(f"Could not write {shown_path(target)}: {exc.strerror or exc}.") from None
    say(f"{counted(text.count(chr(10)), 'word')} ({status}) written to {shown_path(target)}.")
    return 0


def cmd_anki(args: argparse.Namespace) -> int:
    from app.core.common.text import shown_path
    from app.core.library import anki, vocabulary

    target = Path(args.output).expanduser()
    if target.suffix.lower() not in (".apkg", ".txt", ".tsv"):
        raise UserError(f"Cannot tell the Anki format from {target.name!r}: name the file .apkg or .txt.")
    if target.is_dir():
        raise UserError(f"{shown_path(target)} is a folder; give a file name such as {shown_path(target / 'deck.apkg')}.")
    _not_the_library(target, args)
    with _library(args) as store:
        if args.post is not None:
            post = _post(store, args.post)
            cards = vocabulary.cards_for(store, post_id=post.id, status=args.status)
            if not cards:
                kind = f"{args.status} " if args.status else ""
                raise UserError(f"No {kind}words in “{post.title}” to put in the deck.")
        elif args.status is not None:
            cards = vocabulary.cards_for(store, status=args.status)
            if not cards:
                raise UserError(f"No {args.status} words in the library to put in the deck.")
        else:
            cards = vocabulary.picked_cards(store)
            if not cards:
                raise UserError(
                    "No words were added to the Anki deck yet: add some from the word popup or the vocabulary panel, "
                    "or give --post or --status."
                )
    try:
        written = anki.write_deck(target, cards)
    except anki.AnkiExportError as exc:
        raise UserError(as_message(exc)) from None
    notes = len({card.guid for card in cards})
    say(f"{counted(notes, 'card')} written to {shown_path(written)}.")
    return 0
