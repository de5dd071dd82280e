"""Homographs read from their neighbours: the stage after the context rules, before the dictionary.

A word such as 他 (ほか/た), 得る (える/うる) or 下 (した/もと) has more than one reading, and MeCab's
first analysis picks one by its costs, not by sense. resources/furigana/homographs.tsv lists, for
each such word, the readings that its neighbours decide, one rule a line:

    word <TAB> reading <TAB> conditions <TAB> why

- `word` is the token's kanji, as MeCab cuts it; the token may carry okurigana after them (得る,
  好き), which keep their kana: the token reads `reading` + its okurigana.
- `conditions` are space-separated tests, all of which must hold. Each names a neighbour and what
  it must be; several values are separated by `|`, and `!=` turns a test around:
    prev, next, prev2, next2   the surface of the token 1 or 2 before/after (`^` and `$`: no token
                               there, or a space between; `*kana`: a katakana word)
    prevpos, prev2pos, nextpos, pos
                               the beginning of a part of speech (名詞-固有名詞 matches
                               名詞-固有名詞-人名-姓)
    nextlemma, next2lemma      the dictionary form of a token after
    form                       the whole token (得る as against 得た's 得)
  Neighbours count only when nothing stands between them and the word (no space).
- The first rule of a word whose conditions hold decides; with none, MeCab's reading stays.

After the table, a small trained model (`context_model`, resources/furigana/context_model.tsv)
reads the frequent homographs that no rule of the table decided: the hand rules win.

The project's other rules (`reading_rules`) win: a token they changed is left alone, and the
dictionary stage after this one leaves alone what this one changed. The reader's own readings
win over everything, later (`furigana.apply_overrides`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.core.common.paths import resource
from app.core.reading import context_model
from app.core.reading.tokens import KANJI_RE, Token

_OKURIGANA = re.compile("[\u3041-\u3096]*$")
_KATAKANA_WORD = re.compile("[\u30a1-\u30fa\u30fc]+")
_KANA_READING = re.compile("[\u3041-\u3096\u30fc]+")

# What each condition looks at: (offset from the word, what of that token).
_FIELDS = {
    "prev": (-1, "surface"), "next": (1, "surface"), "prev2": (-2, "surface"), "next2": (2, "surface"),
    "prevpos": (-1, "pos"), "prev2pos": (-2, "pos"), "nextpos": (1, "pos"), "pos": (0, "pos"),
    "nextlemma": (1, "lemma"), "next2lemma": (2, "lemma"), "form": (0, "surface"),
}


@dataclass(frozen=True, slots=True)
class Condition:
    offset: int
    field: str
    values: frozenset[str]
    negated: bool

    def holds(self, tokens: Sequence[Token], i: int) -> bool:
        return self._value_in(tokens, i) != self.negated

    def _value_in(self, tokens: Sequence[Token], i: int) -> bool:
        j = i + self.offset
        if j < 0 or j >= len(tokens) or (j != i and not _touching(tokens, i, j)):
            return ("^" if j < i else "$") in self.values
        token = tokens[j]
        if self.field == "surface":
            surface = token.surface
            return surface in self.values or ("*kana" in self.values and _KATAKANA_WORD.fullmatch(surface) is not None)
        if self.field == "pos":
            return any(token.pos.startswith(v) for v in self.values)
        return (token.lemma or "") in self.values


def _touching(tokens: Sequence[Token], i: int, j: int) -> bool:
    """Whether every token from i to j touches the next (no space between): a neighbour counts
    only then."""
    lo, hi = (i, j) if i < j else (j, i)
    for k in range(lo, hi):
        if tokens[k].end != tokens[k + 1].start:
            return False
    return True


@dataclass(frozen=True, slots=True)
class Rule:
    reading: str
    conditions: tuple[Condition, ...]

    def holds(self, tokens: Sequence[Token], i: int) -> bool:
        return all(c.holds(tokens, i) for c in self.conditions)


Guard = tuple[frozenset[str] | None, frozenset[str] | None]


@dataclass(frozen=True)
class Table:
    rules: dict[str, tuple[Rule, ...]]  # word (kanji) -> its rules, in the file's order
    first_chars: frozenset[str]  # the first character of every word: a cheap filter for tokens
    # word -> (surfaces one of which must come just before it, ... just after it) for any of its
    # rules to hold, None where its rules ask nothing of that neighbour's surface
    guards: dict[str, Guard] = field(default_factory=dict)


def _condition(text: str, line: int) -> Condition:
    key, op, values = text.partition("!=") if "!=" in text else text.partition("=")
    if not op or key not in _FIELDS or not values:
        raise ValueError(f"homographs.tsv line {line}: cannot read the condition {text!r}")
    offset, what = _FIELDS[key]
    return Condition(offset, what, frozenset(values.split("|")), op == "!=")


def _cost(condition: Condition) -> tuple[int, bool]:
    return abs(condition.offset) if condition.offset else 1, condition.field != "surface"


def parse(lines: Iterable[str]) -> Table:
    """The table from the file's lines (see the module docstring); a bad line raises ValueError."""
    rules: dict[str, list[Rule]] = {}
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            raise ValueError(f"homographs.tsv line {number}: expected word, reading and conditions")
        word, reading, conditions = fields[0], fields[1], fields[2]
        if not KANJI_RE.search(word) or _KANA_READING.fullmatch(reading) is None:
            raise ValueError(f"homographs.tsv line {number}: {word!r} must have kanji and {reading!r} be hiragana")
        # The tokens next to the word first, and their surfaces before their parts of speech:
        # the cheapest tests, and the ones that fail most often, come first.
        parsed = tuple(sorted((_condition(c, number) for c in conditions.split()), key=_cost))
        if not parsed:
            raise ValueError(f"homographs.tsv line {number}: a rule needs at least one condition")
        rules.setdefault(word, []).append(Rule(reading, parsed))
    table_rules = {w: tuple(r) for w, r in rules.items()}
    guards = {w: (_guard(r, -1), _guard(r, 1)) for w, r in table_rules.items()}
    return Table(table_rules, frozenset(w[0] for w in rules), guards)


def _guard(rules: tuple[Rule, ...], offset: int) -> frozenset[str] | None:
    """The surfaces the neighbour at `offset` must have for some rule to hold; None when a rule
    takes any surface there."""
    allowed: set[str] = set()
    for rule in rules:
        needed = [
            c.values for c in rule.conditions
            if c.offset == offset and c.field == "surface" and not c.negated and not c.values & {"^", "$", "*kana"}
        ]
        if not needed:
            return None
        allowed |= frozenset.intersection(*needed)
    return frozenset(allowed)


@functools.cache
def table() -> Table:
    """The rules, read once from resources/furigana/homographs.tsv."""
    with open(resource("furigana", "homographs.tsv"), encoding="utf-8") as f:
        return parse(f)


class _Decides(dict):
    """surface -> the guard (`Table.guards`) of the word that token is (its kanji before the
    okurigana), or None when no rule is about it; worked out once per surface, it keeps every
    other token from being looked at. A word the context model reads takes any neighbours
    ((None, None)). Emptied when it grows large."""

    def __missing__(self, surface: str) -> Guard | None:
        if len(self) >= 50_000:
            self.clear()
        stem = surface[: len(surface) - len(_OKURIGANA.search(surface).group())]  # type: ignore[union-attr]
        found: Guard | None = (None, None) if stem in model().words else table().guards.get(stem)
        self[surface] = found
        return found


DECIDES = _Decides()

_model: context_model.Model | None = None  # None: the one in resources (context_model.load)


def model() -> context_model.Model:
    """The context model `apply` uses after the table's rules."""
    return context_model.load() if _model is None else _model


def use_model(new: context_model.Model | None) -> None:
    """Read with `new` from now on (None: the model in resources again; `context_model.EMPTY`:
    none, as the build does to see MeCab's readings after the hand rules alone)."""
    global _model
    _model = new
    DECIDES.clear()


def words() -> frozenset[str]:
    """The words the table or the context model decides (for the benchmark's count of words no
    rule names: the model learnt its words partly from the dev set)."""
    return frozenset(table().rules) | frozenset(model().words)


def apply(tokens: Sequence[Token], candidates: Iterable[int] | None = None) -> None:
    """Read the homographs among `tokens` from their neighbours, in place.

    `candidates` are the indices worth looking at (tokens with kanji); None means all of them.
    A token whose reading an earlier rule already changed is left as it is. A token no rule of
    the table decides goes to the context model (`model()`), if it is one of its words.
    """
    found = table()
    learnt = model()
    rules, first_chars, learnt_first = found.rules, found.first_chars, learnt.first_chars
    for i in range(len(tokens)) if candidates is None else candidates:
        token = tokens[i]
        surface = token.surface
        if not surface or (surface[0] not in first_chars and surface[0] not in learnt_first):
            continue
        reading = token.reading
        if reading is None or reading != token.dictionary_reading:
            continue
        tail = _OKURIGANA.search(surface).group()  # type: ignore[union-attr]
        stem = surface[: len(surface) - len(tail)]
        if not reading.endswith(tail):
            continue
        for rule in rules.get(stem, ()):
            if rule.holds(tokens, i):
                token.reading = rule.reading + tail
                break
        else:
            if stem in learnt.words and context_model.applies(tokens, i, stem):
                stem_reading = reading[: len(reading) - len(tail)]
                decided = learnt.decide(tokens, i, stem, stem_reading)
                if decided is not None:
                    token.reading = decided + tail
