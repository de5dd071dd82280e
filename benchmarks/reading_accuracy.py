"""Reading accuracy of the furigana against hand-built gold lists (benchmarks/data/*.tsv).

A row is right when the ruby a reader would see over the word, read together with the word's
kana, spells the gold reading. Arabic digits carry no ruby, so for a word like 3本 only the ruby
around the digits is compared (the gold さんぼん must be some reading of 3 followed by ぼん).
"""

from __future__ import annotations

import csv
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


def shown_reading(sentence: str, word: str) -> str | None:
    """How the first occurrence of `word` reads with the ruby Kakikomi shows over it."""
    start = sentence.index(word)
    end = start + len(word)
    spans = {s.start: s for s in furigana.ruby_spans(furigana.tokenize(sentence))}
    out: list[str] = []
    i = start
    while i < end:
        span = spans.get(i)
        if span is not None and span.end <= end:
            out.append(span.reading)
            i = span.end
            continue
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


def measure(path: Path) -> Accuracy:
    """Score one gold list."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    misses = []
    for row in rows:
        shown = shown_reading(row["sentence"], row["word"])
        if not is_right(shown, row["reading"]):
            misses.append(Miss(row["sentence"], row["word"], row["reading"], shown, row.get("note", "")))
    return Accuracy(path.name, len(rows), tuple(misses))


def measure_all() -> list[Accuracy]:
    return [measure(DATA / name) for name in GOLD_FILES if (DATA / name).exists()]
