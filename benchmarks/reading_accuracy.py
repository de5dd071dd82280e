"""Reading accuracy of the furigana against hand-built gold lists (benchmarks/data/*.tsv).

A row is right when the ruby a reader would see over the word, read together with the word's
kana, spells the gold reading. Arabic digits carry no ruby, so for a word like 3本 only the ruby
around the digits is compared (the gold さんぼん must be some reading of 3 followed by ぼん).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from app.core.common.kana import to_hiragana
from app.core.reading import furigana

DATA = Path(__file__).resolve().parent / "data"
GOLD_FILES = ("reading_gold.tsv", "reading_gold_holdout.tsv", "reading_gold_fresh.tsv")
_DIGITS = re.compile(r"[0-9０-９][0-9０-９,.]*")


@dataclass(frozen=True)
class Miss:
    sentence: str
    word: str
    expected: str
    shown: str | None
    note: str


@dataclass(frozen=True)
class Accuracy:
    name: str
    rows: int
    misses: tuple[Miss, ...]

    @property
    def ratio(self) -> float:
        return 1 - len(self.misses) / self.rows if self.rows else 0.0


def _spans(sentence: str, plain: bool = False) -> dict[int, furigana.RubySpan]:
    """The ruby Kakikomi shows over `sentence` (plain: UniDic's own readings, no rules), by start."""
    tokens = furigana.tokenize(sentence)
    if plain:
        for token in tokens:
            token.reading = token.dictionary_reading
    return {s.start: s for s in furigana.ruby_spans(tokens)}


def shown_reading(sentence: str, word: str, start: int | None = None, spans: dict[int, furigana.RubySpan] | None = None) -> str | None:
    """How `word` at `start` (else its first occurrence) reads with the ruby Kakikomi shows over it."""
    if start is None:
        start = sentence.index(word)
    end = start + len(word)
    if spans is None:
        spans = _spans(sentence)
    out: list[str] = []
    i = start
    while i < end:
        span = spans.get(i)
        if span is not None and span.end <= end:
            out.append(span.reading)
            i = span.end
            continue
        if span is not None and span.start == start and span.end > end and not any(
            furigana.KANJI_RE.match(c) for c in sentence[end : span.end]
        ):
            return None  # ruby over more than the word: not this word's reading
        if furigana.KANJI_RE.match(sentence[i]):
            return None  # a kanji with no ruby of its own (or ruby spilling past the word)
        out.append(to_hiragana(sentence[i]))
        i += 1
    return "".join(out)


def is_right(shown: str | None, expected: str) -> bool:
    """Whether the shown reading spells the expected one; a run of Arabic digits (which gets no
    ruby) may stand for any reading of the number, but everything around it must match."""
    if shown is None:
        return False
    if shown == expected:
        return True
    parts = _DIGITS.split(shown)
    if len(parts) == 1:
        return False
    pattern = ".+".join(re.escape(p) for p in parts)
    return re.fullmatch(pattern, expected) is not None


def read_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def measure(path: Path, *, plain: bool = False, only=None, name: str | None = None) -> Accuracy:
    """Score one gold list (plain: UniDic's readings with none of Kakikomi's rules; `only`: a test
    a row must pass to count). A row with a `start` column is scored at that offset."""
    misses = []
    counted = 0
    cache: dict[str, dict[int, furigana.RubySpan]] = {}
    for row in read_rows(path):
        if only is not None and not only(row):
            continue
        counted += 1
        sentence = row["sentence"]
        spans = cache.get(sentence)
        if spans is None:
            spans = cache[sentence] = _spans(sentence, plain)
        start = int(row["start"]) if row.get("start") else None
        shown = shown_reading(sentence, row["word"], start, spans)
        if not is_right(shown, row["reading"]):
            misses.append(Miss(sentence, row["word"], row["reading"], shown, row.get("note", "")))
    return Accuracy(name or path.name, counted, tuple(misses))


def measure_all() -> list[Accuracy]:
    return [measure(DATA / name) for name in GOLD_FILES if (DATA / name).exists()]


# Modern prose never used to write rules (benchmarks/data/SOURCES.md): dev may be looked at while
# writing rules, test only scored.
MODERN = {"dev": "reading_modern_dev.tsv", "test": "reading_modern_test.tsv"}


def named_by_rules(word: str) -> bool:
    """Whether a rule or table of Kakikomi's names `word` (or a word in it): its reading may have
    been fixed by hand, so it is not an unseen word."""
    from app.core.reading import reading_rules

    table = reading_rules.rules()
    names = _rule_names()
    return word in names or any(t in word for t in table.counters) or any(n in word for n in names if len(n) > 1)


@functools.cache
def _rule_names() -> frozenset[str]:
    from app.core.reading import homographs, reading_rules

    table = reading_rules.rules()
    names = set(table.triggers) | set(table.ju_words) | set(table.rendaku) | set(table.alternatives)
    for candidates in table.sequences.values():
        for surfaces, _readings in candidates:
            names.add("".join(surfaces))
    names |= homographs.words()  # words read from their neighbours (homographs.tsv)
    return frozenset(n for n in names if furigana.KANJI_RE.search(n))


def modern_figures() -> dict[str, dict[str, Accuracy]]:
    """For dev and test: Kakikomi and the plain dictionary, all words and unseen words."""
    out: dict[str, dict[str, Accuracy]] = {}
    for half, name in MODERN.items():
        path = DATA / name
        if not path.exists():
            continue
        unseen = lambda row: not named_by_rules(row["word"])  # noqa: E731
        out[half] = {
            "kakikomi": measure(path, name=f"{half}: Kakikomi"),
            "plain": measure(path, plain=True, name=f"{half}: plain dictionary"),
            "kakikomi_unseen": measure(path, only=unseen, name=f"{half}, unseen words: Kakikomi"),
            "plain_unseen": measure(path, plain=True, only=unseen, name=f"{half}, unseen words: plain dictionary"),
        }
    return out


# Older literary prose with the author's or editor's ruby (Aozora Bunko; benchmarks/data/SOURCES.md).
# Issue 15: Kakikomi must never read it worse than the plain dictionary. Dev may be read while
# fixing readings, test is only scored.
LITERARY = {"dev": "reading_literary_dev.tsv", "test": "reading_literary_test.tsv"}


@dataclass(frozen=True)
class Disagreement:
    """A row that Kakikomi and the plain dictionary score differently."""

    sentence: str
    word: str
    start: int
    expected: str
    ours: str | None
    plain: str | None
    doc: str


def literary_figures() -> dict[str, dict[str, Accuracy]]:
    """For dev and test: Kakikomi and the plain dictionary on the literary sets."""
    out: dict[str, dict[str, Accuracy]] = {}
    for half, name in LITERARY.items():
        path = DATA / name
        if not path.exists():
            continue
        out[half] = {
            "kakikomi": measure(path, name=f"{half}: Kakikomi"),
            "plain": measure(path, plain=True, name=f"{half}: plain dictionary"),
        }
    return out


def disagreements(path: Path) -> tuple[list[Disagreement], list[Disagreement]]:
    """The rows of one gold list that only Kakikomi gets wrong (the plain dictionary right), and
    those that only the plain dictionary gets wrong, each row scored at its `start`."""
    worse: list[Disagreement] = []
    better: list[Disagreement] = []
    ours_cache: dict[str, dict[int, furigana.RubySpan]] = {}
    plain_cache: dict[str, dict[int, furigana.RubySpan]] = {}
    for row in read_rows(path):
        sentence, word, expected = row["sentence"], row["word"], row["reading"]
        start = int(row["start"]) if row.get("start") else sentence.index(word)
        if sentence not in ours_cache:
            ours_cache[sentence] = _spans(sentence)
            plain_cache[sentence] = _spans(sentence, plain=True)
        ours = shown_reading(sentence, word, start, ours_cache[sentence])
        plain = shown_reading(sentence, word, start, plain_cache[sentence])
        ours_right, plain_right = is_right(ours, expected), is_right(plain, expected)
        if ours_right != plain_right:
            found = Disagreement(sentence, word, start, expected, ours, plain, row.get("doc", ""))
            (better if ours_right else worse).append(found)
    return worse, better
