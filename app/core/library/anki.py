"""Words of a post as Anki cards: Anki's plain-text import file, or a deck package (.apkg).

A card holds the word (its dictionary form), its reading, the sentence of the post it came from
with furigana and the word in bold, its meanings (the first senses), its pitch accent, the post's
title and a link back to the post or highlight. One note type, "Kakikomi word", for both formats.

The sentence's furigana is HTML ruby (`<ruby>投資<rt>とうし</rt></ruby>`), not Anki's `投資[とうし]`:
ruby shows in any note type and on every Anki client with no `{{furigana:}}` filter in the card
template, and it cannot be confused with brackets in the post's own text, nor need the space
before each word that the bracket syntax uses to find where the word starts. A template can still
hide the readings with CSS (the front of this note type does: `rt` is hidden until the answer).

Every field is the post's or the dictionary's text, HTML-escaped; the only markup is the ruby, the
bold word and line breaks Kakikomi adds. A note's id (its guid) comes from the word and its
reading (`genanki.guid_for`), the same in both formats: exporting the same word again updates the
note Anki has instead of adding another. Files are written atomically.

The text format follows Anki's manual ("Importing > Text Files > File Headers", Anki 2.1.55+):
`#separator:tab`, `#html:true`, `#notetype:`, `#deck:`, `#columns:`, `#tags column:` and
`#guid column:` header lines, then one note a line, fields separated by tabs.
"""

from __future__ import annotations

import hashlib
import html
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.common.fileio import write_atomic
from app.core.common.messages import Message
from app.core.common.text import escape_surrogates

NOTE_TYPE = "Kakikomi word"
DEFAULT_DECK = "Kakikomi"
FIELDS = ("Word", "Reading", "Sentence", "Meaning", "Pitch", "Post", "Link")
# Text file columns: the fields, then the tags, then the guid (1-based numbers in the headers).
TAGS_COLUMN = len(FIELDS) + 1
GUID_COLUMN = len(FIELDS) + 2
# The note type's id in Anki: fixed, so every export adds to the same note type.
MODEL_ID = 1_583_204_761
# How many senses go on a card (the popup shows as many before "more").
SENSES_ON_CARD = 3
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CSS = """.card { font-family: "Noto Sans CJK JP", "Hiragino Sans", sans-serif; font-size: 22px; text-align: center; }
.word { font-size: 40px; }
.sentence { margin-top: 1em; }
.front rt { visibility: hidden; }
.meaning, .source { font-size: 18px; }
.source { color: #777; margin-top: 1em; }
"""
FRONT = '<div class="front"><div class="word">{{Word}}</div><div class="sentence">{{Sentence}}</div></div>'
BACK = (
    '<div class="word">{{Word}}</div><div class="reading">{{Reading}} {{Pitch}}</div>'
    '<div class="sentence">{{Sentence}}</div><hr id="answer"><div class="meaning">{{Meaning}}</div>'
    '<div class="source">{{Post}}<br>{{Link}}</div>'
)


class AnkiExportError(Exception):
    """An Anki export that cannot be made; str() is one sentence for the user."""


@dataclass(frozen=True)
class AnkiCard:
    """One word to learn. `sentence` is plain text; `word_start`/`word_end` are where the word is
    in it; `ruby` are (start, end, reading) over runs of the sentence; `meanings` one line per
    sense; `pitch` the readings with the downstep marked (はꜜし, "とうし" for heiban)."""

    word: str
    reading: str
    sentence: str = ""
    word_start: int = 0
    word_end: int = 0
    ruby: tuple[tuple[int, int, str], ...] = ()
    meanings: tuple[str, ...] = ()
    pitch: tuple[str, ...] = ()
    title: str = ""
    link: str = ""
    tags: tuple[str, ...] = ()

    @property
    def guid(self) -> str:
        """The note's stable id: the same word and reading give the same note."""
        import genanki

        return genanki.guid_for("kakikomi", self.word, self.reading)

    def fields(self) -> list[str]:
        """The note's fields in FIELDS order, as HTML."""
        return [
            _text(self.word),
            _text(self.reading),
            sentence_html(self.sentence, self.ruby, self.word_start, self.word_end),
            "<br>".join(_text(m) for m in self.meanings),
            " / ".join(_text(p) for p in self.pitch),
            _text(self.title),
            _link(self.link),
        ]

    def tag_list(self) -> list[str]:
        """Anki tags: no spaces inside one (they separate tags)."""
        tags = [re.sub(r"\s+", "_", _plain(t).replace('"', "").strip()) for t in ("kakikomi", *self.tags)]
        return list(dict.fromkeys(t for t in tags if t))


def _plain(text: str) -> str:
    return _CONTROLS.sub("", escape_surrogates(text or ""))


def _text(text: str) -> str:
    """Plain text as an HTML field on one line: escaped, line breaks as <br>, tabs as spaces."""
    escaped = html.escape(_plain(text), quote=True)
    return re.sub(r"\r\n|\r|\n", "<br>", escaped).replace("\t", " ")


def _link(link: str) -> str:
    """A web address as a link; anything else (a file, a kakikomi reference) as text."""
    text = _text(link)
    if re.match(r"https?://", link or "", re.I) and not re.search(r"\s", link):
        return f'<a href="{text}">{text}</a>'
    return text


def sentence_html(sentence: str, ruby: Sequence[tuple[int, int, str]], start: int, end: int) -> str:
    """The sentence as HTML: ruby over its runs, the word between start and end in <b> (a ruby run
    the word only partly covers is in bold whole)."""
    taken: list[tuple[int, int, str]] = []
    for s, e, r in sorted(ruby):
        if 0 <= s < e <= len(sentence) and (not taken or s >= taken[-1][1]):
            taken.append((s, e, r))
    pieces: list[tuple[int, int, str | None]] = []
    at = 0
    for s, e, r in (*taken, (len(sentence), len(sentence), "")):
        cuts = sorted({at, s, *(c for c in (start, end) if at < c < s)})
        pieces += [(a, b, None) for a, b in zip(cuts, cuts[1:])]
        if r:
            pieces.append((s, e, r))
        at = e
    out = []
    bold = False
    for s, e, reading in pieces:
        inside = s < end and e > start
        if inside != bold:
            out.append("<b>" if inside else "</b>")
            bold = inside
        base = _text(sentence[s:e])
        out.append(f"<ruby>{base}<rt>{_text(reading)}</rt></ruby>" if reading else base)
    if bold:
        out.append("</b>")
    return "".join(out)


# --- making cards ----------------------------------------------------------------------------


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of `text` holding text[start:end]: from after the previous 。！？!? or line
    break to the next one (included), trimmed of white space."""
    lo = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        lo = match.end()
    stop = _SENTENCE_END.search(text, end)
    hi = len(text) if stop is None else (stop.end() if stop.group() != "\n" else stop.start())
    while lo < start and text[lo].isspace():
        lo += 1
    while hi > end and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def card_for(
    text: str,
    start: int,
    end: int,
    *,
    lemma: str | None = None,
    reading: str | None = None,
    title: str = "",
    link: str = "",
    tags: Iterable[str] = (),
    overrides: Sequence = (),
    dictionary=None,
) -> AnkiCard:
    """The card for the word text[start:end] of a post's plain text (a token as the popup gives
    it, with its lemma and reading): its sentence with furigana (the reader's `overrides`
    applied, `furigana.ReadingOverride`s), the dictionary's entry for it, meanings and pitch. The
    word is the `lemma` when one is given (the compound MeCab split around the token only when
    the lemma is its form: 半導体, not 年 -> 三年); without a lemma, the compound around the token,
    else the entry's form. Without the dictionary the card has the word, its reading and the
    sentence only."""
    from app.core.reading import furigana
    from app.core.reading.lookup import DictionaryMissing, lookup_token
    from app.core.reading.tokens import clean_lemma

    surface = text[start:end]
    lo, hi = sentence_around(text, start, end)
    sentence = text[lo:hi]
    spans = furigana.ruby_spans(furigana.tokenize(sentence))
    spans = furigana.apply_overrides(sentence, spans, overrides) if overrides else spans
    lemma = clean_lemma(lemma)
    word = lemma or surface
    word_reading = (reading or "") if word == surface else ""  # a conjugated token's reading is not its word's
    meanings: tuple[str, ...] = ()
    pitch: tuple[str, ...] = ()
    word_start, word_end = start - lo, end - lo
    try:
        found = lookup_token(surface, lemma, reading, text=text, start=start, dictionary=dictionary)
        if lemma and found.get("compound") and found["compound"]["form"] != lemma:
            # The word is the lemma given (年 of 三年, 部 of 編集部), not the compound around it:
            # its own entries, or two words of one compound would make one note.
            found = lookup_token(surface, lemma, reading, dictionary=dictionary)
    except DictionaryMissing:
        found = {"entries": [], "compound": None}
    compound = found.get("compound")
    if compound:
        word, word_reading = compound["form"], compound["reading"]
        word_start, word_end = compound["start"] - lo, compound["end"] - lo
    if found["entries"]:
        entry = found["entries"][0]
        meanings = tuple("; ".join(s["glosses"]) for s in entry["senses"][:SENSES_ON_CARD])
        accents = entry["pitch"]
        if not compound and not lemma and word not in entry["kanji"] and word not in entry["readings"]:
            # no lemma: the entry's form names the word (a lemma given is the word: ハル stays ハル)
            word = entry["kanji"][0] if entry["kanji"] else entry["readings"][0]
        if accents:
            word_reading = accents[0]["reading"]
            pitch = tuple(_marked(a) for a in accents)
        elif not compound and (not reading or (lemma and lemma != surface)):
            word_reading = entry["readings"][0]  # the dictionary form's, not the conjugated token's
    return AnkiCard(
        word=word,
        reading=word_reading,
        sentence=sentence,
        word_start=word_start,
        word_end=word_end,
        ruby=tuple((s.start, s.end, s.reading) for s in spans),
        meanings=meanings,
        pitch=pitch,
        title=title,
        link=link,
        tags=tuple(tags),
    )


def _marked(accent: dict) -> str:
    from app.core.reading.pitch import Pitch

    found = Pitch.of(accent["reading"], accent["downstep"])
    return f"{found.marked()} [{found.downstep}]" if found is not None else accent["reading"]


# --- writing ---------------------------------------------------------------------------------


def _unique(cards: Iterable[AnkiCard]) -> list[AnkiCard]:
    """One card per note id, the first kept (a word met twice in a post is one note)."""
    seen: dict[str, AnkiCard] = {}
    for card in cards:
        seen.setdefault(card.guid, card)
    return list(seen.values())


def _header_value(text: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", _plain(text)).strip()


def text_file(cards: Iterable[AnkiCard], deck: str = DEFAULT_DECK) -> str:
    """Anki's plain-text import file for the cards, header lines first."""
    lines = [
        "#separator:tab",
        "#html:true",
        f"#notetype:{NOTE_TYPE}",
        f"#deck:{_header_value(deck) or DEFAULT_DECK}",
        "#columns:" + "\t".join((*FIELDS, "Tags", "GUID")),
        f"#tags column:{TAGS_COLUMN}",
        f"#guid column:{GUID_COLUMN}",
    ]
    for card in _unique(cards):
        fields = card.fields()
        if fields[0].startswith("#"):
            fields[0] = "&#35;" + fields[0][1:]  # a line starting with # is a comment to Anki
        lines.append("\t".join((*fields, " ".join(card.tag_list()), card.guid)))
    return "\n".join(lines) + "\n"


def deck_id(name: str) -> int:
    """A stable Anki deck id for a deck name (genanki wants one between 2**30 and 2**31)."""
    digest = int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16)
    return (1 << 30) + digest % (1 << 30)


def _model():
    import genanki

    return genanki.Model(
        MODEL_ID,
        NOTE_TYPE,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Reading", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )


def apkg_bytes(cards: Iterable[AnkiCard], deck: str = DEFAULT_DECK) -> bytes:
    """An Anki deck package (.apkg) holding the cards, as bytes."""
    import genanki

    name = _header_value(deck) or DEFAULT_DECK
    package_deck = genanki.Deck(deck_id(name), name)
    model = _model()
    for card in _unique(cards):
        package_deck.add_note(genanki.Note(model=model, fields=card.fields(), tags=card.tag_list(), guid=card.guid))
    with tempfile.TemporaryDirectory(prefix="kakikomi-anki-") as folder:
        target = Path(folder) / "deck.apkg"
        genanki.Package(package_deck).write_to_file(str(target))
        return target.read_bytes()


def write_deck(path: str | Path, cards: Iterable[AnkiCard], deck: str = DEFAULT_DECK) -> Path:
    """Write the cards to `path`: an .apkg package, or Anki's text import for .txt (and .tsv).
    Atomic; raises AnkiExportError for another suffix or a file that cannot be written."""
    target = Path(path)
    suffix = target.suffix.lower()
    cards = list(cards)
    if suffix == ".apkg":
        data: str | bytes = apkg_bytes(cards, deck)
    elif suffix in (".txt", ".tsv"):
        data = text_file(cards, deck)
    else:
        raise AnkiExportError(Message(
            "anki.unknown_format", "Cannot tell the Anki format from {name}: name the file .apkg or .txt.", name=repr(target.name)
        ))
    try:
        return write_atomic(target, data)
    except OSError as exc:
        raise AnkiExportError(Message("anki.unwritable", "Cannot write {path}: {reason}.", path=target, reason=exc.strerror or exc)) from None
