"""Suggested claims: the sentences of a post that state an amount, or name a chip with a company.

`suggest_claims` reads a post's plain text (app.core.posts.plain_text, the text highlights point into)
and offers each such sentence with what was found in it; the figures come from app.core.claims.amounts,
the names from app.core.claims.entities. Offsets are exact indexes into the text given, so
`text[s.start:s.end] == s.sentence`; spans already highlighted or dismissed can be passed in
`exclude`, and a sentence overlapping one of them is not offered.

A suggestion's `to_json()` is `{sentence, start, end, companies, chips, mentions, amounts,
percentages, years}`: companies and chips are the distinct names in order; mentions, amounts,
percentages and years are as `Mention.to_json` and app.core.claims.amounts describe, offsets into the
whole text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.core.claims.amounts import Amount, Percentage, Year, find_figures
from app.core.claims.entities import EntityTable, Mention, find_entities, load_entities
from app.core.posts.plain_text import BlockSpan

# A sentence ends after 。！？!? (with any closing quotes or brackets), at a line break, or after
# an English full stop followed by white space (so 1.5兆 and $1.2 stay whole) that does not end an
# initial or an abbreviation.
_SENTENCE_END = re.compile(r"[。！？!?]+[」』）)\"'”’]*|\n+|\.(?=\s)")
_WORD_BEFORE = re.compile(r"(?<![A-Za-z])[A-Za-z]+\Z")
_ABBREVIATIONS = frozenset({"approx", "est", "inc", "corp", "co", "ltd", "mr", "mrs", "ms", "dr", "vs", "no", "fig", "st"})
# In a table the renderer puts each cell on its own line and a blank line between rows: a row is
# one statement (company, chip, amount).
_TABLE_ROW_END = re.compile(r"\n{2,}")
# Code says nothing a reader claims.
_SKIPPED_BLOCKS = frozenset({"code"})


@dataclass(frozen=True)
class Suggestion:
    """text[start:end] == sentence, which states `amounts` or names a chip with a company."""

    sentence: str
    start: int
    end: int
    companies: tuple[str, ...]
    chips: tuple[str, ...]
    mentions: tuple[Mention, ...]
    amounts: tuple[Amount, ...]
    percentages: tuple[Percentage, ...]
    years: tuple[Year, ...]

    def to_json(self) -> dict:
        return {
            "sentence": self.sentence, "start": self.start, "end": self.end,
            "companies": list(self.companies), "chips": list(self.chips),
            "mentions": [m.to_json() for m in self.mentions],
            "amounts": [a.to_json() for a in self.amounts],
            "percentages": [p.to_json() for p in self.percentages],
            "years": [y.to_json() for y in self.years],
        }


def _ends_sentence(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` (white space after it) ends a sentence: not after an initial
    (U.S., J. Smith) or a common abbreviation (approx., Inc.)."""
    word = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if word is None:
        return True
    return len(word.group()) > 1 and word.group().lower() not in _ABBREVIATIONS


def _split(text: str, start: int, end: int, pattern: re.Pattern) -> Iterable[tuple[int, int]]:
    cursor = start
    for m in pattern.finditer(text, start, end):
        if text[m.start()] == "." and not _ends_sentence(text, m.start()):
            continue
        yield cursor, m.end()
        cursor = m.end()
    if cursor < end:
        yield cursor, end


def sentence_spans(text: str, blocks: Sequence[BlockSpan] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, white space around it left out, empty ones skipped.

    With the post's `blocks` (PlainText.blocks), a table row is one sentence and code is skipped.
    """
    regions: list[tuple[int, int, re.Pattern]] = []
    if blocks:
        cursor = 0
        for block in blocks:
            if block.start > cursor:
                regions.append((cursor, block.start, _SENTENCE_END))
            if block.kind not in _SKIPPED_BLOCKS:
                regions.append((block.start, block.end, _TABLE_ROW_END if block.kind == "table" else _SENTENCE_END))
            cursor = max(cursor, block.end)
        if cursor < len(text):
            regions.append((cursor, len(text), _SENTENCE_END))
    else:
        regions.append((0, len(text), _SENTENCE_END))
    spans: list[tuple[int, int]] = []
    for region_start, region_end, pattern in regions:
        for start, end in _split(text, region_start, region_end, pattern):
            piece = text[start:end]
            kept = piece.strip()
            if kept:
                start += len(piece) - len(piece.lstrip())
                spans.append((start, start + len(kept)))
    return spans


class _Sorted:
    """Items with start/end, sorted by start, looked up by the range they lie in."""

    def __init__(self, items: Sequence) -> None:
        self.items = sorted(items, key=lambda item: item.start)
        self.starts = [item.start for item in self.items]

    def within(self, start: int, end: int) -> tuple:
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end, i)
        return tuple(item for item in self.items[i:j] if item.end <= end)


def _overlaps(spans: list[tuple[int, int]], ends: list[int], start: int, end: int) -> bool:
    """Whether any of `spans` (sorted by start, `ends` their running maximum ends) overlaps [start, end)."""
    i = bisect.bisect_left(spans, (end,))  # spans starting before `end`
    return i > 0 and ends[i - 1] > start


def not_overlapping(suggestions: Iterable[Suggestion], exclude: Iterable[tuple[int, int]]) -> list[Suggestion]:
    """The suggestions whose sentence overlaps none of the (start, end) spans of `exclude`: what
    suggest_claims(text, exclude) keeps of suggest_claims(text)."""
    excluded = sorted((s, e) for s, e in exclude if e > s)
    excluded_ends = list(itertools.accumulate((e for _s, e in excluded), max))
    return [s for s in suggestions if not _overlaps(excluded, excluded_ends, s.start, s.end)]


def suggest_claims(
    text: str,
    exclude: Iterable[tuple[int, int]] = (),
    *,
    blocks: Sequence[BlockSpan] | None = None,
    entities: EntityTable | None = None,
) -> list[Suggestion]:
    """The sentences of `text` worth keeping as claims, in order.

    A sentence is offered when it states a money amount, or names a chip and a company. One that
    overlaps any (start, end) span of `exclude` (already highlighted, or dismissed) is not.
    `entities` defaults to the bundled table with the user's file merged over it.
    """
    if not text:
        return []
    excluded = sorted((s, e) for s, e in exclude if e > s)
    excluded_ends = list(itertools.accumulate((e for _s, e in excluded), max))
    figures = find_figures(text)
    amounts_found, percentages, years = _Sorted(figures.amounts), _Sorted(figures.percentages), _Sorted(figures.years)
    mentions = _Sorted(find_entities(text, entities or load_entities()))
    suggestions: list[Suggestion] = []
    for start, end in sentence_spans(text, blocks):
        if _overlaps(excluded, excluded_ends, start, end):
            continue
        amounts = amounts_found.within(start, end)
        named = mentions.within(start, end)
        companies = tuple(dict.fromkeys(m.name for m in named if m.kind == "company"))
        chips = tuple(dict.fromkeys(m.name for m in named if m.kind == "chip"))
        if not amounts and not (companies and chips):
            continue
        suggestions.append(
            Suggestion(
                text[start:end], start, end, companies, chips, named, amounts,
                percentages.within(start, end), years.within(start, end),
            )
        )
    return suggestions
