"""A small trained model that reads frequent homographs from their context: the step after the
hand-written rules of `homographs`.

MeCab's first analysis reads 他, 時, 方, 後… by its costs, not by sense: 他、三名が参加した comes
out た where ほか is said, 【会話】時には じ where とき is. The model is a decision list per word
(Yarowsky's kind) with a veto, trained by `build_context_model` on text with readings in context
(benchmarks/data/SOURCES.md names the data). resources/furigana/context_model.tsv keeps the evidence, one line per word and
feature:

    word <TAB> feature <TAB> counts        e.g.   方 <TAB> n1=は <TAB> かた:14

- `word` is a token's kanji stem (the token without its okurigana: 行っ -> 行). It must be a whole
  run of kanji in the text: a stem that touches more kanji is part of a compound, left alone.
- `feature` is one fact about the token and its neighbours (see `features`): its surface (s=),
  part of speech (pos=), MeCab's reading of the stem (r=), the surfaces one and two tokens away
  (p1= n1= p2p1= n1n2= p1n1=; ^ and $ for no token there, or a space between), their parts of
  speech (p1pos= n1pos=, two levels) and dictionary forms (p1l= n1l=).
- `counts` are how often the word had each reading where the feature held, in the training data.

A feature is a **rule** for its most frequent reading when it held at least MIN_SUPPORT times,
that reading was right at least MIN_PRECISION of them and its `score` (log-likelihood ratio) is
at least MIN_SCORE. For a token, the matching rule with the highest score decides, and the stem
takes its reading when all of these hold:

- it is not MeCab's reading already;
- the rule tests a neighbour: a feature of the word alone (DEFEND_ONLY: its surface, part of speech
  or MeCab's reading) says how it is read most of the time, which is MeCab's own job; such rules
  may only confirm MeCab's reading, by outranking weaker evidence against it;
- no other matching feature that held at least VETO_SUPPORT times saw that reading less than
  VETO_SHARE of the time (の方は: "の" before 方 was ほう as often as かた, so "は" after it does not
  make it かた).

Everything else keeps MeCab's reading (after the hand rules), so a word the data does not decide
is read as before.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.core.common.paths import resource
from app.core.reading.tokens import KANJI_RE, Token

FILE_NAME = "context_model.tsv"
_OKURIGANA = re.compile("[\u3041-\u3096]*$")
_KANA_READING = re.compile("[\u3041-\u3096\u30fc]+")
DEFEND_ONLY = ("s=", "pos=", "r=")
# Chosen by cross-validation (python -m app.core.reading.build_context_model ... --cv).
MIN_SUPPORT = 3
MIN_PRECISION = 0.9
MIN_SCORE = 4.0  # score(6, 6) is 4.1, score(30, 31) 3.3
VETO_SUPPORT = 3
VETO_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the training data says where one feature held: how often each reading was right."""

    counts: tuple[tuple[str, int], ...]  # (reading, count), most frequent first
    total: int
    reading: str  # the most frequent reading
    score: float
    is_rule: bool

    @classmethod
    def of(cls, counts: dict[str, int]) -> Evidence:
        ordered = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        total = sum(counts.values())
        reading, right = ordered[0]
        value = score(right, total)
        is_rule = right >= MIN_SUPPORT and right >= MIN_PRECISION * total and value >= MIN_SCORE
        return cls(ordered, total, reading, value, is_rule)

    def share(self, reading: str) -> float:
        return dict(self.counts).get(reading, 0) / self.total


@dataclass(frozen=True)
class Model:
    # word -> feature -> evidence
    words: dict[str, dict[str, Evidence]]
    # the first character of every word: a cheap filter for tokens
    first_chars: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "first_chars", frozenset(word[0] for word in self.words))

    def decide(self, tokens: Sequence[Token], i: int, stem: str, reading: str) -> str | None:
        """The stem reading the model gives token i (whose stem reads `reading` now), or None to
        keep it."""
        if stem not in self.words:
            return None
        return self.choose(stem, features(tokens, i, reading), reading)

    def choose(self, word: str, facts: Iterable[str], reading: str) -> str | None:
        """The reading the model gives `word` where `facts` (its features) hold and MeCab reads it
        `reading`; None to keep MeCab's (see the module docstring)."""
        table = self.words.get(word)
        if table is None:
            return None
        best: Evidence | None = None
        best_feature = ""
        matching: list[Evidence] = []
        for feature in facts:
            evidence = table.get(feature)
            if evidence is None:
                continue
            matching.append(evidence)
            if evidence.is_rule and (best is None or (evidence.score, evidence.total) > (best.score, best.total)):
                best, best_feature = evidence, feature
        if best is None or best.reading == reading or best_feature.startswith(DEFEND_ONLY):
            return None
        chosen = best.reading
        if any(e.total >= VETO_SUPPORT and e.share(chosen) < VETO_SHARE for e in matching):
            return None
        return chosen


EMPTY = Model({})


def stem_of(surface: str) -> tuple[str, str]:
    """(kanji stem, okurigana) of a token's surface: 行った -> (行, った)."""
    tail = _OKURIGANA.search(surface).group()  # type: ignore[union-attr]
    return surface[: len(surface) - len(tail)], tail


_DIGITS = re.compile("[0-9０-９]+")


def applies(tokens: Sequence[Token], i: int, stem: str) -> bool:
    """Whether the model may read token i, whose kanji stem is `stem`: only where the stem is a
    whole run of kanji (no kanji touches it before, and its okurigana, or the next token, does
    not go on in kanji: a compound is the dictionary's), and not right after a number (3時, 5人:
    counters are the counter rules' to read)."""
    token = tokens[i]
    if not stem or not all(KANJI_RE.match(c) for c in stem):
        return False
    if i > 0:
        before = tokens[i - 1]
        if before.end == token.start and before.surface and (
            KANJI_RE.match(before.surface[-1]) or before.pos.startswith("名詞-数詞") or _DIGITS.search(before.surface[-1:])
        ):
            return False
    if len(stem) == len(token.surface) and i + 1 < len(tokens):
        after = tokens[i + 1]
        if after.start == token.end and after.surface and KANJI_RE.match(after.surface[0]):
            return False
    return True


def _neighbour(tokens: Sequence[Token], i: int, offset: int) -> Token | None:
    """The token `offset` away from i when every token between touches the next, else None."""
    j = i + offset
    if j < 0 or j >= len(tokens):
        return None
    lo, hi = (i, j) if i < j else (j, i)
    for k in range(lo, hi):
        if tokens[k].end != tokens[k + 1].start:
            return None
    return tokens[j]


def _pos2(token: Token) -> str:
    return "-".join(token.pos.split("-", 2)[:2])


def features(tokens: Sequence[Token], i: int, reading: str) -> list[str]:
    """The facts the model knows about token i, whose stem reads `reading` (see the module
    docstring)."""
    token = tokens[i]
    p1, p2 = _neighbour(tokens, i, -1), _neighbour(tokens, i, -2)
    n1, n2 = _neighbour(tokens, i, 1), _neighbour(tokens, i, 2)
    before = p1.surface if p1 is not None else "^"
    after = n1.surface if n1 is not None else "$"
    out = [
        "s=" + token.surface,
        "pos=" + token.pos,
        "r=" + reading,
        "p1=" + before,
        "n1=" + after,
        "p1n1=" + before + "_" + after,
        "p2p1=" + (p2.surface if p2 is not None and p1 is not None else "^") + "_" + before,
        "n1n2=" + after + "_" + (n2.surface if n2 is not None and n1 is not None else "$"),
    ]
    if p1 is not None:
        out.append("p1pos=" + _pos2(p1))
        out.append("p1l=" + (p1.lemma or p1.surface))
    if n1 is not None:
        out.append("n1pos=" + _pos2(n1))
        out.append("n1l=" + (n1.lemma or n1.surface))
    return out


def score(right: int, total: int, smoothing: float = 0.1) -> float:
    """A rule's log-likelihood ratio: `right` of the `total` times its feature held, the word
    read the rule's reading."""
    return math.log((right + smoothing) / (total - right + smoothing))


def parse(lines: Iterable[str]) -> Model:
    """The model from its file's lines; a bad line raises ValueError."""
    words: dict[str, dict[str, Evidence]] = {}
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise ValueError(f"{FILE_NAME} line {number}: expected word, feature and counts")
        word, feature, text = fields
        if not word or not all(KANJI_RE.match(c) for c in word):
            raise ValueError(f"{FILE_NAME} line {number}: {word!r} must be kanji")
        if "=" not in feature:
            raise ValueError(f"{FILE_NAME} line {number}: cannot read the feature {feature!r}")
        counts: dict[str, int] = {}
        for item in text.split():
            reading, _colon, count = item.partition(":")
            if _KANA_READING.fullmatch(reading) is None or not count.isdigit() or int(count) < 1:
                raise ValueError(f"{FILE_NAME} line {number}: cannot read the count {item!r}")
            counts[reading] = counts.get(reading, 0) + int(count)
        if not counts:
            raise ValueError(f"{FILE_NAME} line {number}: no counts")
        words.setdefault(word, {})[feature] = Evidence.of(counts)
    return Model(words)


def format_line(word: str, feature: str, counts: dict[str, int]) -> str:
    """One line of the file, as `parse` reads it."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return f"{word}\t{feature}\t" + " ".join(f"{r}:{c}" for r, c in ordered)


@functools.cache
def load() -> Model:
    """The model in resources/furigana/context_model.tsv, read once; the empty model without it."""
    try:
        with open(resource("furigana", FILE_NAME), encoding="utf-8") as f:
            return parse(f)
    except FileNotFoundError:
        return EMPTY
