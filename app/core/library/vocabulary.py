"""The learner's words: each word's status, a post's words, how much of a post the reader knows.

A word is a lemma (`Token.lemma`: UniDic's dictionary form, as the word popup names it). Its
status is one of STATUSES: "new" until the reader says otherwise (no row), then "learning",
"known" or "ignored" (a name, a word not worth learning). Statuses are what the reader made
(store.word_status, under undo); a post's words are derived from its text at import, from the
import's one MeCab pass (furigana.index_pass_words, `word_rows`; kept by store.set_post_words
through library.derived), and made when first asked for a post imported before they were kept.

Counted words are content words: nouns but numerals, pronouns, verbs, adjectives, adverbs,
adnominals, conjunctions, interjections, prefixes and suffixes, spelt with at least one kana or
kanji (furigana.counted_word). The share of a post the reader knows counts occurrences: known
ones over all counted ones but the ignored words'.
"""

from __future__ import annotations

import csv
import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.common.messages import Message
from app.core.store import Store, StoreError
from app.core.store.records import WORD_STATUSES, PostRecord, PostWordRow

if TYPE_CHECKING:
    from app.core.library.anki import AnkiCard

STATUSES = WORD_STATUSES


@dataclass(frozen=True)
class PostWord:
    """A counted word of a post, with the reader's status for it."""

    lemma: str
    surface: str  # the first spelling met in the post
    reading: str | None  # hiragana of the dictionary form
    status: str
    count: int
    first_start: int  # plain-text offsets of the first occurrence
    first_end: int
    gloss: str | None = None  # a short English gloss (the first sense), None without one

    def to_json(self) -> dict:
        return {
            "lemma": self.lemma, "surface": self.surface, "reading": self.reading, "status": self.status,
            "count": self.count, "gloss": self.gloss, "first_start": self.first_start, "first_end": self.first_end,
        }


def check_status(status: str) -> str:
    """`status` if it is one of STATUSES; else ValueError with one sentence."""
    if status not in STATUSES:
        raise ValueError(Message(
            "words.unknown_status", "Unknown word status {status}: use one of {choices}.", status=repr(status), choices=", ".join(STATUSES)
        ))
    return status


def word_status(store: Store, lemma: str) -> str:
    """The reader's status for `lemma` ("new" when never set)."""
    return store.word_status(lemma)


def statuses(store: Store) -> dict[str, str]:
    """Every lemma whose status is not "new", with its status."""
    return store.word_statuses()


# --- a post's words ------------------------------------------------------------------------------


def word_rows(counted: dict[str, list]) -> list[PostWordRow]:
    """The rows the library keeps of the counted words furigana.index_pass_words gives."""
    return [PostWordRow(lemma, *values) for lemma, values in counted.items()]


def make_post_words(store: Store, post_id: int) -> list[PostWordRow]:
    """The post's counted words, made now (one MeCab pass) and kept if they were not yet (a post
    imported before the library kept them); what the library holds otherwise."""
    rows = store.post_words(post_id)
    if rows is not None:
        return rows
    from app.core.reading import furigana

    # The import's own pass, so a post counted now is counted as an import counts it.
    rows = word_rows(furigana.index_pass_words(store.post(post_id).text)[2])
    with store.transaction():
        store.set_post_words(post_id, rows)
    return rows


def post_words(store: Store, post_id: int, *, status: str | None = None, glosses: bool = True) -> list[PostWord]:
    """The post's counted words in order of first appearance, each with the reader's status (only
    those of `status` if given) and, with `glosses`, a short English gloss from the dictionary
    (None for every word without the dictionary file). Raises StoreError for a post not in the
    library, ValueError for a bad status."""
    if status is not None:
        check_status(status)
    rows = make_post_words(store, post_id)
    known = store.statuses_of([row.lemma for row in rows])
    dictionary = _dictionary() if glosses and rows else None
    words = []
    for row in rows:
        found = known.get(row.lemma, "new")
        if status is not None and found != status:
            continue
        gloss = short_gloss(row.lemma, row.reading, dictionary) if dictionary is not None else None
        words.append(PostWord(row.lemma, row.surface, row.reading, found, row.count, row.first_start, row.first_end, gloss))
    return words


def known_percent(share: float) -> int:
    """A share of known words as the window shows it, in whole percent rounded down: 100% only
    when every counted word is known."""
    return math.floor(100 * share)


def known_share(store: Store, post_id: int) -> float | None:
    """The share of the post's counted words the reader knows: occurrences of known words over
    the occurrences of all but the ignored ones; None for a post with no such word."""
    make_post_words(store, post_id)
    known, counted = store.known_counts(post_id).get(post_id) or (0, 0)
    return known / counted if counted else None


def known_shares(store: Store) -> dict[int, float | None]:
    """known_share of every post, in one query; None for a post without counted words and for a
    post whose words are not made yet (see make_post_words)."""
    return {
        post_id: (counts[0] / counts[1] if counts and counts[1] else None) for post_id, counts in store.known_counts().items()
    }


def occurrences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lemma) of every counted word of a plain text, in order, from one MeCab pass."""
    from app.core.reading import furigana

    return [(o.start, o.end, o.lemma) for o in furigana.word_occurrences(text)]


# Statuses the text underlines (the others are words the reader is done with).
MARKED = ("new", "learning")


def status_marks(store: Store, post_id: int, text: str | None = None) -> list[tuple[int, int, str]]:
    """(start, end, status) of every occurrence of a new or learning word in the post's plain text
    (`text` when the caller has it), in text order: what the page underlines."""
    if text is None:
        text = store.post(post_id).text
    found = occurrences(text)
    known = store.statuses_of([lemma for _s, _e, lemma in found])
    marks = []
    for start, end, lemma in found:
        status = known.get(lemma, "new")
        if status in MARKED:
            marks.append((start, end, status))
    return marks


# --- glosses ---------------------------------------------------------------------------------------

GLOSS_CHARS = 40
_glosses: dict[tuple[str, str | None], str | None] = {}


def _dictionary():
    from app.core.reading.dictionary import Dictionary

    return Dictionary.open()


def short_gloss(lemma: str, reading: str | None = None, dictionary=None) -> str | None:
    """The first sense's glosses of the word's best entry, cut to about GLOSS_CHARS characters;
    None when the dictionary has no entry (or is not installed)."""
    key = (lemma, reading)
    if key in _glosses:
        return _glosses[key]
    d = dictionary if dictionary is not None else _dictionary()
    if d is None:
        return None
    entries = d.lookup(lemma, lemma, reading)
    gloss = None
    for entry in entries[:1]:
        for sense in entry.senses:
            if sense.glosses:
                gloss = _cut("; ".join(sense.glosses))
                break
    if len(_glosses) > 50_000:
        _glosses.clear()
    _glosses[key] = gloss
    return gloss


def _cut(text: str) -> str:
    """`text` whole if short, else cut after a gloss (at "; ") or a word, with an ellipsis."""
    if len(text) <= GLOSS_CHARS:
        return text
    head = text[:GLOSS_CHARS]
    for mark in ("; ", " "):
        at = head.rfind(mark)
        if at >= GLOSS_CHARS // 2:
            return head[:at].rstrip(";, ") + "…"
    return head.rstrip() + "…"


# --- word lists ------------------------------------------------------------------------------------

# Anki's names for the separators its text files declare (#separator:tab).
_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
_TAG = re.compile(r"<[^>]*>")
_BRACKET_READING = re.compile(r"\[[^\[\]]*\]")  # Anki's furigana: 漢字[かんじ]
_HEADER = re.compile(r"#([a-z ]+):(.*)", re.IGNORECASE)


def parse_word_list(text: str) -> list[str]:
    """The words of a word list, in order, each once: one word a line, or the notes Anki exports
    as text ("Notes in Plain Text": `#`-header lines, then one note a line, fields separated as
    `#separator` says (tab by default, fields with a separator or a line break in double quotes);
    the word is the first field, after any guid, note type or deck columns the headers name),
    its HTML and Anki furigana (漢字[かんじ]) taken away."""
    separator = "\t"
    skipped: set[int] = set()  # 0-based columns that are not fields
    body: list[str] = []
    for line in text.lstrip("\ufeff").splitlines():
        if line.startswith("#"):
            header = _HEADER.fullmatch(line.strip())
            if header is None:
                continue
            name, value = header.group(1).strip().lower(), header.group(2).strip()
            if name == "separator":
                separator = _SEPARATORS.get(value.lower(), value[:1] or "\t")
            elif name in ("guid column", "notetype column", "deck column", "tags column") and value.isdecimal():
                skipped.add(int(value) - 1)
            continue
        body.append(line)
    words: dict[str, None] = {}
    for fields in csv.reader(body, delimiter=separator, quotechar='"'):
        columns = [value for index, value in enumerate(fields) if index not in skipped]
        if not columns:
            continue
        word = _clean_word(columns[0])
        if word:
            words.setdefault(word, None)
    return list(words)


def _clean_word(field: str) -> str:
    """A field as a word: no HTML, no Anki furigana, no space around or inside."""
    text = html.unescape(_TAG.sub("", field.replace("<br>", " ")))
    text = _BRACKET_READING.sub("", text)
    return "".join(text.split())


def as_lemmas(words: Iterable[str]) -> list[str]:
    """Each word as the lemma the library keeps words under, where MeCab reads it as one counted
    word (する -> 為る, 行った -> 行く: what the reader's posts count); other words, and a word
    that is such a lemma itself in one of MeCab's readings of it (為る), as they are."""
    from app.core.reading import furigana

    out: dict[str, None] = {}
    for word in words:
        found = furigana.word_occurrences(word)
        # One counted word, with at most endings after it (行っ|た): that word's lemma, unless the
        # word is one already (為る, which MeCab alone reads as 成る).
        lemma = found[0].lemma if len(found) == 1 and found[0].start == 0 else word
        if lemma != word and found[0].surface == word and _is_a_lemma(word):
            lemma = word
        out.setdefault(lemma, None)
    return list(out)


def _is_a_lemma(word: str, n: int = 5) -> bool:
    """Whether one of MeCab's `n` best readings of `word` alone is one word whose lemma is `word`."""
    from app.core.reading import furigana
    from app.core.reading.tokens import clean_lemma

    try:
        output = furigana.tagger().nbest(word, n)
    except (RuntimeError, ValueError):
        return False
    for analysis in output.split("EOS"):
        rows = [line.split("\t") for line in analysis.strip("\n").split("\n") if line]
        if len(rows) == 1 and len(rows[0]) >= 4 and rows[0][0] == word and clean_lemma(rows[0][3]) == word:
            return True
    return False


def word_list_text(store: Store, status: str = "known") -> str:
    """The lemmas of one status, one a line (sorted): a word list to keep or to import elsewhere.
    "new" lists the words of the library's posts that have no status."""
    check_status(status)
    if status == "new":
        lemmas = store.lemmas_without_status()
    else:
        lemmas = [lemma for lemma, found in store.word_statuses().items() if found == status]
    return "".join(f"{lemma}\n" for lemma in sorted(lemmas))


# --- Anki cards ------------------------------------------------------------------------------------


def picked_cards(store: Store, dictionary=None) -> list[AnkiCard]:
    """The words the reader put in the Anki deck, as cards (in the order they were picked), each
    with the sentence of the post where they were picked."""
    places = [(p.lemma, p.post_id, p.start, p.end) for p in store.anki_picks()]
    return _cards(store, places, dictionary)


def cards_for(
    store: Store, *, post_id: int | None = None, status: str | None = None, lemmas: Iterable[str] | None = None, dictionary=None
) -> list[AnkiCard]:
    """Cards for `kakikomi anki` and the vocabulary panel: with `post_id`, that post's words (of
    `status`, and among `lemmas`, when given) from their first sentence there; else the words of
    `status` or `lemmas`, each from its first post (a word in no post gets a card without a
    sentence of a post); with none of them, the picked words (picked_cards)."""
    if status is not None:
        check_status(status)
    wanted = list(dict.fromkeys(lemmas)) if lemmas is not None else None
    if post_id is not None:
        words = post_words(store, post_id, status=status, glosses=False)
        if wanted is not None:
            chosen = set(wanted)
            words = [w for w in words if w.lemma in chosen]
        return _cards(store, [(w.lemma, post_id, w.first_start, w.first_end) for w in words], dictionary)
    if wanted is None and status is None:
        return picked_cards(store, dictionary)
    if wanted is None:
        if status == "new":
            wanted = sorted(store.lemmas_without_status())
        else:
            wanted = sorted(lemma for lemma, found in store.word_statuses().items() if found == status)
    elif status is not None:
        known = store.statuses_of(wanted)
        wanted = [lemma for lemma in wanted if known.get(lemma, "new") == status]
    first = store.first_occurrences(wanted)
    return _cards(store, [(lemma, *first.get(lemma, (None, None, None))) for lemma in wanted], dictionary)


def _cards(store: Store, places: Sequence[tuple[str, int | None, int | None, int | None]], dictionary) -> list[AnkiCard]:
    """A card per (lemma, post id, start, end): from the post's sentence there, or from the lemma
    alone when the place is gone. Each post is read once (its text, words and corrections), and
    each card is made from its sentence and a few characters around it (_PostForCards.window),
    never from the whole post."""
    from app.core.library import anki

    if dictionary is None:
        dictionary = _dictionary()  # once for every card, not once a card
    posts: dict[int, _PostForCards | None] = {}
    cards = []
    for lemma, post_id, start, end in places:
        post = None
        if post_id is not None:
            if post_id not in posts:
                posts[post_id] = _PostForCards.read(store, post_id)
            post = posts[post_id]
        if post is not None and start is not None and end is not None and 0 <= start < end <= len(post.record.text):
            row = post.words.get(lemma)
            lo, hi = post.window(start, end)
            cards.append(anki.card_for(
                post.record.text[lo:hi], start - lo, end - lo, lemma=lemma, reading=row.reading if row else None,
                title=post.record.title, link=post.record.source_path, overrides=post.overrides, dictionary=dictionary,
            ))
        else:
            cards.append(anki.card_for(lemma, 0, len(lemma), lemma=lemma, dictionary=dictionary))
    return cards


# A card is made from its word's sentence and this many characters either side (within the line):
# enough for the compound MeCab split around the word (lookup reaches 12 characters) and for MeCab
# to read the sentence's first word as it does in the whole text.
_CARD_MARGIN = 16
# How far either side of the word its sentence is looked for first (a longer one: further).
_SENTENCE_REACH = 256


@dataclass
class _PostForCards:
    """What every card of one post needs, read once: the post, its words, its corrections, where
    its lines start."""

    record: PostRecord
    words: dict[str, PostWordRow]
    overrides: tuple  # the reader's corrections that apply to the post (furigana.ReadingOverride)
    line_starts: list[int]

    @classmethod
    def read(cls, store: Store, post_id: int) -> _PostForCards | None:
        try:
            record = store.post(post_id)
        except StoreError:
            return None
        words = {row.lemma: row for row in make_post_words(store, post_id)}
        starts = [0] + [m.end() for m in re.finditer("\n", record.text)]
        return cls(record, words, store.reading_overrides(post_id), starts)

    def window(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the text the card of text[start:end] is made from: the word's sentence
        (anki.sentence_around, which stops at a line break) and _CARD_MARGIN characters either
        side within its line. Every word of a sentence is then read in the same stretch (its
        pitch analysis, cached by its text, serves them all), never in the whole post."""
        from bisect import bisect_right

        from app.core.library import anki

        text = self.record.text
        index = bisect_right(self.line_starts, start) - 1
        lo = self.line_starts[index]
        hi = self.line_starts[index + 1] - 1 if index + 1 < len(self.line_starts) else len(text)
        reach = _SENTENCE_REACH
        while True:  # the sentence within a stretch of the line that holds it whole
            part_lo, part_hi = max(lo, start - reach), min(hi, end + reach)
            s_lo, s_hi = anki.sentence_around(text[part_lo:part_hi], start - part_lo, end - part_lo)
            # Whole when the stretch reaches the line's ends or a sentence end on both sides (a
            # bound moved by trimming white space alone does not count: the stretch then grows).
            ends_before = part_lo == lo or (s_lo > 0 and not text[part_lo].isspace())
            ends_after = part_hi == hi or (s_hi < part_hi - part_lo and not text[part_hi - 1].isspace())
            if ends_before and ends_after:
                return max(lo, part_lo + s_lo - _CARD_MARGIN), min(hi, part_lo + s_hi + _CARD_MARGIN)
            reach *= 4
