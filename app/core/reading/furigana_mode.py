"""Which readings to show: off, all, over the words not known, above a jōyō grade or JLPT level."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

# Grades 1-6 are the kyōiku kanji taught in each primary-school year, 7 the rest of the jōyō list
# (secondary school), 8 everything beyond it.
MAX_GRADE = 8


@functools.cache
def _grades() -> dict[str, int]:
    import kanji_lists

    grades: dict[str, int] = {}
    for kanji in kanji_lists.JOYO.HEISEI22:
        grades[kanji] = 7
    for n in range(6, 0, -1):
        for kanji in getattr(kanji_lists.KYOIKU, f"GRADE{n}"):
            grades[kanji] = n
    return grades


@functools.cache
def _jlpt() -> dict[str, int]:
    # Jonathan Waller's lists as built at set-up (app.core.reading.jlpt: complete, 分, 身 and 無
    # included); kanji-lists' copy of them (19 old-JLPT kanji short) where the build is missing.
    from app.core.reading import jlpt

    built = jlpt.levels().kanji
    if built:
        return dict(built)
    import kanji_lists

    levels: dict[str, int] = {}
    for n in range(1, 6):  # N5 is the easiest; a kanji keeps the easiest level it is listed at
        for kanji in getattr(kanji_lists.JLPT, f"N{n}"):
            levels[kanji] = n
    return levels


def kanji_grade(kanji: str) -> int:
    """The school grade a kanji is taught in (1-6), 7 for other jōyō kanji, 8 beyond jōyō."""
    return _grades().get(kanji, MAX_GRADE)


def kanji_jlpt(kanji: str) -> int:
    """The JLPT level of a kanji (5 easiest .. 1 hardest), 0 when no level lists it."""
    return _jlpt().get(kanji, 0)


# Modes without a level: no readings, every reading, readings over the words not known.
PLAIN_KINDS = ("off", "all", "unknown")


@dataclass(frozen=True)
class FuriganaMode:
    """A furigana setting. kind: "off", "all" (every reading), "unknown" (readings over the words
    the reader does not know), "grade" (show above grade N) or "jlpt" (show for kanji harder than
    JLPT level N). known_words: lemmas the reader knows, whose readings "unknown", "grade" and
    "jlpt" hide."""

    kind: str = "all"
    level: int = 0
    known_words: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, text: str, known_words: frozenset[str] = frozenset()) -> FuriganaMode:
        """Read "off", "all", "unknown", "grade:N" (1-7) or "jlpt:N" (1-5); raises ValueError with a sentence."""
        value = text.strip().lower()
        if value in PLAIN_KINDS:
            return cls(value, 0, known_words)
        kind, _, number = value.partition(":")
        limits = {"grade": (1, MAX_GRADE - 1), "jlpt": (1, 5)}
        if kind in limits and number.isascii() and number.isdecimal():
            low, high = limits[kind]
            if low <= int(number) <= high:
                return cls(kind, int(number), known_words)
        raise ValueError(
            f"Unknown furigana mode {text!r}: use off, all, unknown, grade:N (N from 1 to {MAX_GRADE - 1}) or jlpt:N (N from 1 to 5)."
        )

    def __str__(self) -> str:
        return self.kind if self.kind in PLAIN_KINDS else f"{self.kind}:{self.level}"

    @property
    def enabled(self) -> bool:
        return self.kind != "off"

    @property
    def hides_known(self) -> bool:
        """Whether the words the reader knows lose their readings in this mode (all but off and all)."""
        return self.kind not in ("off", "all")

    def shows(self, kanji_run: str, lemma: str | None = None) -> bool:
        """Whether ruby goes over this run of kanji (of a word with this lemma)."""
        if self.kind == "off":
            return False
        if self.kind == "all":
            return True
        if lemma and lemma in self.known_words:
            return False
        if self.kind == "grade":
            return any(kanji_grade(c) > self.level for c in kanji_run)
        if self.kind == "jlpt":
            return any(kanji_jlpt(c) < self.level for c in kanji_run)
        return True
