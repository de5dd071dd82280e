"""Selectors (quote + position) <-> spans of a post's plain text, surviving edits of the post.

A highlight is stored the W3C Web Annotation way: a TextQuoteSelector (the exact text with up to
32 characters of prefix and suffix) and a TextPositionSelector (start and end offsets into the
post's plain text). To find it again in a possibly edited text we try, in order:

1. the stored position, if the quote is still exactly there;
2. the exact quote elsewhere, the occurrence whose surroundings best match the stored prefix and
   suffix (nearest the old position on a tie);
3. a fuzzy match, scored on the quote, prefix, suffix and distance from the old position, with at
   most `max_error_rate` of the quote's characters changed;
4. nothing: the annotation becomes an orphan (kept by the caller, never moved onto other text).

Short quotes are the risky ones (投資 occurs everywhere): they never match fuzzily, and an exact
match elsewhere is only taken when its surroundings look like the stored ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.core.common.messages import Message

CONTEXT_CHARS = 32
DEFAULT_MAX_ERROR_RATE = 0.2
# A quote at least this long is evidence enough on its own; a shorter one needs its context.
SELF_EVIDENT_LENGTH = 12
# How much the surroundings of a moved quote must resemble the stored prefix or suffix.
MIN_CONTEXT_SIMILARITY = 0.5
# A short quote found elsewhere must have nearly the same neighbours: short words recur, and a
# near-identical sentence nearby (第一四半期 / 第二四半期) must not take its highlight.
MIN_NEAR_SIMILARITY_SHORT = 0.75
_MAX_EXACT_CANDIDATES = 2000


@dataclass(frozen=True)
class TextQuoteSelector:
    exact: str
    prefix: str = ""
    suffix: str = ""

    def to_json(self) -> dict:
        return {"type": "TextQuoteSelector", "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix}


@dataclass(frozen=True)
class TextPositionSelector:
    start: int
    end: int

    def to_json(self) -> dict:
        return {"type": "TextPositionSelector", "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Selectors:
    """Where an annotation points: its quote and its position in the plain text."""

    quote: TextQuoteSelector
    position: TextPositionSelector

    def to_json(self) -> list[dict]:
        return [self.quote.to_json(), self.position.to_json()]

    @classmethod
    def from_json(cls, items: list[dict]) -> Selectors:
        """Read W3C selectors; raises ValueError when they are malformed or the quote is missing."""
        try:
            return cls._from_json(items)
        except (AttributeError, TypeError) as exc:
            raise ValueError(Message("anchoring.malformed", "The annotation's selectors are malformed ({reason}).", reason=exc)) from None

    @classmethod
    def _from_json(cls, items: list[dict]) -> Selectors:
        quote = position = None
        for item in items:
            kind = item.get("type")
            if kind == "TextQuoteSelector":
                quote = TextQuoteSelector(str(item.get("exact", "")), str(item.get("prefix", "")), str(item.get("suffix", "")))
            elif kind == "TextPositionSelector":
                position = TextPositionSelector(int(item.get("start", 0)), int(item.get("end", 0)))
        if quote is None or not quote.exact:
            raise ValueError(Message("anchoring.no_quote", "The annotation has no TextQuoteSelector with an exact quote."))
        if position is None:
            position = TextPositionSelector(-1, -1)
        return cls(quote, position)


@dataclass(frozen=True)
class Anchor:
    """A span of the text an annotation was found at, and how it was found."""

    start: int
    end: int
    method: str  # "position", "exact" or "fuzzy"
    score: float = 1.0


def describe(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Selectors:
    """Selectors for text[start:end]; raises ValueError for an empty or out-of-range span."""
    if not 0 <= start < end <= len(text):
        raise ValueError(Message(
            "anchoring.span_outside", "The span {start}-{end} is not inside the text (length {length}).", start=start, end=end, length=len(text)
        ))
    quote = TextQuoteSelector(text[start:end], text[max(0, start - context) : start], text[end : end + context])
    return Selectors(quote, TextPositionSelector(start, end))


def anchor(text: str, selectors: Selectors, *, max_error_rate: float = DEFAULT_MAX_ERROR_RATE) -> Anchor | None:
    """Find the annotation in `text`, or None when it cannot be placed safely (an orphan)."""
    quote = selectors.quote
    exact = quote.exact
    if not exact:
        return None
    start, end = selectors.position.start, selectors.position.end
    if 0 <= start <= end <= len(text) and text[start:end] == exact:
        # The quote is still at its place. Take it at once if its surroundings are unchanged too;
        # otherwise a copy may have slid onto the old offsets (a line added to a list of equal
        # lines), so let every occurrence compete, the old place winning ties.
        if _context_similarity(text, quote, start, end) == (1.0, 1.0):
            return Anchor(start, end, "position")
    found = _exact(text, selectors)
    if found is not None:
        if found.start == start and found.end == end:
            return Anchor(start, end, "position", found.score)
        return found
    return _fuzzy(text, selectors, max_error_rate)


@cache
def _levenshtein():
    # rapidfuzz is needed only when a quote moved: not imported while the window starts.
    from rapidfuzz.distance import Levenshtein

    return Levenshtein


@cache
def _fuzz():
    from rapidfuzz import fuzz

    return fuzz


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return _levenshtein().normalized_similarity(a, b)


def _context_similarity(text: str, quote: TextQuoteSelector, start: int, end: int) -> tuple[float, float]:
    """How much the text around [start, end) looks like the stored prefix and suffix (0-1 each)."""
    prefix = text[max(0, start - len(quote.prefix)) : start]
    suffix = text[end : end + len(quote.suffix)]
    # An empty stored prefix says the quote began the text (an empty suffix: ended it). That is
    # true of a candidate only at the very start (end), not of every place with an empty slice.
    prefix_sim = (1.0 if start == 0 else 0.0) if not quote.prefix else _similarity(prefix, quote.prefix)
    suffix_sim = (1.0 if end == len(text) else 0.0) if not quote.suffix else _similarity(suffix, quote.suffix)
    return prefix_sim, suffix_sim


# The characters right next to a quote say most about whether it is the same place: a deleted
# sentence's neighbour can share a long window of context with it and still be another place.
NEAR_CHARS = 8


def _near_similarity(text: str, quote: TextQuoteSelector, start: int, end: int) -> float:
    """The mean similarity of the few characters just before and just after (each side 0-1)."""
    near_prefix = quote.prefix[-NEAR_CHARS:]
    near_suffix = quote.suffix[:NEAR_CHARS]
    before = text[max(0, start - len(near_prefix)) : start]
    after = text[end : end + len(near_suffix)]
    scores = []
    if near_prefix:
        scores.append(_similarity(before, near_prefix))
    if near_suffix:
        scores.append(_similarity(after, near_suffix))
    return sum(scores) / len(scores) if scores else 1.0


def _one_side_intact(text: str, quote: TextQuoteSelector, start: int, end: int, old_start: int) -> bool:
    """The quote still stands at its old offset with the words just before it, or just after it,
    unchanged: the rest of its sentence was rewritten, but this is its place."""
    if start != old_start:
        return False
    near_prefix, near_suffix = quote.prefix[-NEAR_CHARS:], quote.suffix[:NEAR_CHARS]
    # No stored prefix: the quote began the text, and still does (start == old start == 0).
    before_intact = text[max(0, start - len(near_prefix)) : start] == near_prefix
    after_intact = text[end : end + len(near_suffix)] == near_suffix if near_suffix else end == len(text)
    return before_intact or after_intact


def _proximity(text: str, old_start: int, start: int) -> float:
    if old_start < 0:
        return 0.0
    return 1.0 - min(1.0, abs(start - old_start) / max(1, len(text)))


def _exact(text: str, selectors: Selectors) -> Anchor | None:
    quote = selectors.quote
    exact = quote.exact
    best: tuple[float, float, int] | None = None  # (context, proximity, start)
    at = text.find(exact)
    seen = 0
    while at >= 0 and seen < _MAX_EXACT_CANDIDATES:
        prefix_sim, suffix_sim = _context_similarity(text, quote, at, at + len(exact))
        candidate = ((prefix_sim + suffix_sim) / 2, _proximity(text, selectors.position.start, at), at)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
        seen += 1
        at = text.find(exact, at + 1)
    if best is None:
        return None
    context, _proximity_score, at = best
    if (
        len(exact) < SELF_EVIDENT_LENGTH
        and _near_similarity(text, quote, at, at + len(exact)) < MIN_NEAR_SIMILARITY_SHORT
        and not _one_side_intact(text, quote, at, at + len(exact), selectors.position.start)
    ):
        return None  # the same short words elsewhere, in other surroundings: not ours
    return Anchor(at, at + len(exact), "exact", context)


def _fuzzy(text: str, selectors: Selectors, max_error_rate: float) -> Anchor | None:
    quote = selectors.quote
    exact = quote.exact
    budget = int(len(exact) * max_error_rate)
    if budget < 1 or len(exact) < SELF_EVIDENT_LENGTH // 2:
        return None
    candidates = set()
    old = selectors.position.start
    if old >= 0:
        window = max(4 * len(exact), 2000)
        lo = max(0, old - window)
        hi = min(len(text), old + len(exact) + window)
        candidates.add(_best_alignment(exact, text, lo, hi))
    candidates.add(_best_alignment(exact, text, 0, len(text)))
    candidates.update(_between_context(text, quote))
    best: Anchor | None = None
    best_score = -1.0
    for span in candidates:
        if span is None:
            continue
        start, end = _refine(text, exact, span[0], span[1], budget)
        distance = _levenshtein().distance(exact, text[start:end], score_cutoff=budget)
        if distance > budget or start >= end:
            continue
        if text[start:end] in quote.suffix or text[start:end] in quote.prefix:
            continue  # a neighbour that moved into the deleted quote's place, not the quote
        prefix_sim, suffix_sim = _context_similarity(text, quote, start, end)
        # A changed quote must at least still stand where it stood: next to its old neighbours.
        if max(prefix_sim, suffix_sim) < MIN_CONTEXT_SIMILARITY or _near_similarity(text, quote, start, end) < MIN_CONTEXT_SIMILARITY:
            continue
        quote_sim = 1.0 - distance / len(exact)
        # Weights as in Hypothesis' match-quote: the quote matters most, then its surroundings
        # (which tell repeated passages apart), and the old position only breaks ties.
        score = (50 * quote_sim + 20 * prefix_sim + 20 * suffix_sim + 2 * _proximity(text, old, start)) / 92
        if score > best_score:
            best, best_score = Anchor(start, end, "fuzzy", score), score
    return best


def _best_alignment(exact: str, text: str, lo: int, hi: int) -> tuple[int, int] | None:
    haystack = text[lo:hi]
    if not haystack:
        return None
    if len(haystack) <= len(exact):
        return (lo, hi)
    found = _fuzz().partial_ratio_alignment(exact, haystack)
    if found is None or found.score <= 0:
        return None
    return (lo + found.dest_start, lo + found.dest_end)


def _between_context(text: str, quote: TextQuoteSelector) -> list[tuple[int, int]]:
    """Spans framed by the stored prefix and suffix where both still stand: an edit inside the
    quote leaves its surroundings intact."""
    spans = []
    if len(quote.prefix) < 8 or len(quote.suffix) < 8:
        return spans
    limit = len(quote.exact) * 2 + 16
    at = text.find(quote.prefix)
    count = 0
    while at >= 0 and count < 50:
        start = at + len(quote.prefix)
        end = text.find(quote.suffix, start, start + limit + len(quote.suffix))
        if end > start:
            spans.append((start, end))
        count += 1
        at = text.find(quote.prefix, at + 1)
    return spans


def _refine(text: str, exact: str, start: int, end: int, budget: int) -> tuple[int, int]:
    """Move the ends of an approximate span to where the quote's edit distance is smallest.

    partial_ratio_alignment returns a window as long as the quote; an edit that made the passage
    longer or shorter leaves its ends a few characters off.
    """
    reach = min(budget, 16)

    def cost(s: int, e: int) -> int:
        return _levenshtein().distance(exact, text[s:e]) if 0 <= s < e <= len(text) else 1 << 30

    best_end = min(range(end - reach, end + reach + 1), key=lambda e: (cost(start, e), abs(e - end)))
    best_start = min(range(start - reach, start + reach + 1), key=lambda s: (cost(s, best_end), abs(s - start)))
    return best_start, best_end
