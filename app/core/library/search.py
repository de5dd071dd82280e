"""Search over posts' titles, text, highlight quotes, notes and tags that works for Japanese.

Every text the library searches (a post's text; its title, tags and categories; a highlight's
quote, note and tags) is one row of `search_docs`, whose id is the rowid of its entry in each index
(the indexes are made by the store's migrations):
- `search_text` (trigram tokenizer) finds any substring of three characters or more, Japanese or
  English, case-insensitively; a phrase in double quotes is matched as written.
- `search_grams` holds every character and every pair of neighbouring characters of the text
  (lower-cased, white space and ASCII punctuation left out), made here and kept without positions:
  a one- or two-character query is one of its terms, so 株, 兆円 and 円単 are found wherever they
  are written, however MeCab splits the words around them.
- `search_kana` (trigram) holds each post's text and title read aloud: the dictionary readings of
  its kanji (UniDic's, from the same MeCab pass as the words, and JMdict's for compounds MeCab
  split), the rest as written in hiragana. A kana query
  of three characters or more finds kanji by their reading across the words MeCab split
  (はんどうたい -> 半導体, せつびとうし -> 設備投資, ちょうえん -> 兆円); `search_readings` keeps the
  reading (compressed) and a map of its runs of kanji back to the text, to mark the kanji matched.
- `search_words` (fugashi words: surfaces, dictionary forms and hiragana readings) finds a word by
  its dictionary form and short kana queries by reading (とうし finds 投資); `lexicon` maps readings
  and dictionary forms back to the written forms (とうし -> 投資, 上がる -> 上がっ) to place a snippet.

The two new indexes keep no copy of their text: a row leaves them by FTS5's 'delete' command,
given the terms it was indexed with (the grams of the text `search_text` still holds, the stored
reading).
"""

from __future__ import annotations

import json
import operator
import re
import zlib
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

from app.core.common.kana import is_kana, to_hiragana
from app.core.common.messages import Message
from app.core.reading import furigana
from app.core.store import Annotation, Store

SNIPPET_CONTEXT = 30
MAX_RESULTS = 50
MAX_LIMIT = 10_000  # the most results one search may be asked for
MAX_PER_POST = 100  # the most places one post's text may give
MIN_READING_QUERY = 3  # kana queries this long are read across words (shorter ones match words)


@dataclass(frozen=True)
class SearchHit:
    """One match: which post, where (title, text, quote, note or tag), and a snippet with the match marked."""

    post_id: int
    title: str
    kind: str  # "title" (the post's title, tags, categories), "text", "quote", "note" or "tag"
    annotation_id: str | None
    snippet: str
    match_start: int  # the match inside `snippet`
    match_end: int
    offset: int | None  # where the match starts in the post's plain text (text and quote hits)
    length: int  # how many characters of the source the match covers (of the plain text, for text and quote hits)

    @property
    def marked(self) -> str:
        """The snippet with the match between 【 and 】."""
        return f"{self.snippet[: self.match_start]}【{self.snippet[self.match_start : self.match_end]}】{self.snippet[self.match_end :]}"

    def to_json(self) -> dict:
        return {
            "post": self.post_id, "title": self.title, "kind": self.kind, "annotation": self.annotation_id,
            "snippet": self.snippet, "match": [self.match_start, self.match_end], "marked": self.marked,
            "offset": self.offset, "length": self.length,
        }


# --- what is indexed ---------------------------------------------------------------------------

# Runs of the characters the gram index keeps: all but white space and ASCII punctuation and
# controls, which its ASCII tokenizer would take for separators (every other character is a
# token character to it, so each gram made here is exactly one term).
_GRAM_RUN = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\s]+")


def _grams(text: str) -> str:
    """Every character and every pair of neighbouring characters of `text`, lower-cased, once each."""
    grams: set[str] = set()
    for run in _GRAM_RUN.findall(text.lower()):
        grams.update(run)
        grams.update(map(operator.add, run, run[1:]))
    return " ".join(sorted(grams))


def _folded(text: str) -> str:
    """`text` lower-cased and in hiragana, character for character (a letter that lowers into two,
    İ, would shift every offset after it: such a text keeps its capitals)."""
    lowered = text.lower()
    return to_hiragana(lowered if len(lowered) == len(text) else text)


_BYTE = 255  # the largest number one byte of the reading map holds
def _words(found: set[furigana.Term], lexicon: set[tuple[str, str]]) -> str:
    words: set[str] = set()
    for term in found:
        words.add(term.surface)
        if term.lemma:
            words.add(term.lemma)
        if term.reading:
            words.add(term.reading)
            if furigana.KANJI_RE.search(term.surface):
                lexicon.add((term.reading, term.surface))
        if term.lemma and term.lemma != term.surface:
            lexicon.add((term.lemma, term.surface))  # dictionary form -> the form written here
    return " ".join(sorted(words))


def _reading(text: str, spans: list[furigana.RubySpan]) -> tuple[str, bytes]:
    """`text` read aloud through its ruby `spans` (in text order), and the map back to it (see IndexedText)."""
    folded = _folded(text)
    parts: list[str] = []
    steps = array("B")
    cursor = 0
    for span in spans:
        start, end, spoken = span.start, span.end, span.reading
        if not spoken or start < cursor or end - start > _BYTE or len(spoken) > _BYTE:
            continue  # stays as written
        gap = start - cursor
        while gap > _BYTE:
            steps.extend((_BYTE, 0, 0))
            gap -= _BYTE
        steps.extend((gap, end - start, len(spoken)))
        parts.append(folded[cursor:start])
        parts.append(spoken)
        cursor = end
    parts.append(folded[cursor:])
    return "".join(parts), steps.tobytes()


class ReadingMap:
    """Offsets in a post's reading (see IndexedText) turned back into offsets in its text."""

    def __init__(self, steps: bytes):
        numbers = array("B", steps)
        gaps, self.sizes, self.lengths = numbers[0::3], numbers[1::3], numbers[2::3]
        before = list(accumulate(gaps))
        # Where each run of kanji starts, in the text and in the reading.
        self.text_starts = list(map(operator.add, before, [0, *accumulate(self.sizes)]))
        self.reading_starts = list(map(operator.add, before, [0, *accumulate(self.lengths)]))

    def start(self, at: int) -> int | None:
        """Where a match that starts at `at` in the reading starts in the text; None inside a word's reading."""
        i = bisect_right(self.reading_starts, at) - 1
        if i < 0:
            return at
        if at == self.reading_starts[i]:
            return self.text_starts[i]
        after = self.reading_starts[i] + self.lengths[i]
        return None if at < after else self.text_starts[i] + self.sizes[i] + at - after

    def end(self, at: int) -> int | None:
        """Where a match that ends at `at` in the reading ends in the text; None inside a word's reading."""
        i = bisect_left(self.reading_starts, at) - 1
        if i < 0:
            return at
        after = self.reading_starts[i] + self.lengths[i]
        return None if at < after else self.text_starts[i] + self.sizes[i] + at - after


@dataclass(frozen=True)
class IndexedText:
    """What the index keeps of a text, made without the database: its words and the lexicon's
    (reading or dictionary form, written form) pairs, its grams, and for a post's text and title
    its reading and reading map. MeCab's work: importers compute it in worker processes
    (library.prepare) and pass it to index_post.

    The reading is the text with each run of kanji replaced by its dictionary reading (see
    furigana.index_pass: the pass that finds the words, without the context rules) and everything
    else lower-cased and
    in hiragana, so it matches the text character for character between kanji. The map holds three
    bytes per run of kanji: how many characters since the previous one, the run's length and its
    reading's length (a gap of more than 255 characters takes (255, 0, 0) steps; a run or reading
    longer than 255 characters stays as written).
    """

    words: str
    lexicon: frozenset[tuple[str, str]]
    grams: str
    reading: str | None = None
    reading_map: bytes = b""


def index_words(text: str, *, reading: bool = True, made: tuple | None = None) -> IndexedText:
    """Everything the index keeps of `text` (with its reading unless `reading` is False); `made`:
    the (words, ruby) of furigana.index_pass(text) when the caller has made that pass already."""
    lexicon: set[tuple[str, str]] = set()
    if reading:  # one MeCab pass gives both
        found, spans = made if made is not None else furigana.index_pass(text)
        spoken, steps = _reading(text, spans)
    else:
        found, spoken, steps = furigana.terms(text), None, b""
    return IndexedText(_words(found, lexicon), frozenset(lexicon), _grams(text), spoken, steps)


# --- indexing --------------------------------------------------------------------------------


def _add(store: Store, kind: str, post_id: int, annotation_id: str | None, body: str, indexed: IndexedText) -> None:
    db = store.conn
    doc = db.execute("INSERT INTO search_docs (kind, post_id, annotation_id) VALUES (?, ?, ?)", [kind, post_id, annotation_id]).lastrowid
    db.execute(
        "INSERT INTO search_text (rowid, kind, post_id, annotation_id, body) VALUES (?, ?, ?, ?, ?)",
        [doc, kind, post_id, annotation_id, body],
    )
    db.execute(
        "INSERT INTO search_words (rowid, kind, post_id, annotation_id, words) VALUES (?, ?, ?, ?, ?)",
        [doc, kind, post_id, annotation_id, indexed.words],
    )
    db.execute("INSERT INTO search_grams (rowid, grams) VALUES (?, ?)", [doc, indexed.grams])
    if indexed.reading is not None:
        db.execute("INSERT INTO search_kana (rowid, reading) VALUES (?, ?)", [doc, indexed.reading])
        db.execute(
            "INSERT INTO search_readings (doc, reading, map) VALUES (?, ?, ?)",
            [doc, zlib.compress(indexed.reading.encode("utf-8")), indexed.reading_map],
        )
    db.executemany("INSERT OR IGNORE INTO lexicon (reading, surface) VALUES (?, ?)", sorted(indexed.lexicon))


def _remove(store: Store, where: str, params: list) -> None:
    """Delete index rows by rowid (found through search_docs), never by scanning an index."""
    db = store.conn
    docs = [row[0] for row in db.execute(f"SELECT id FROM search_docs WHERE {where}", params)]
    for doc in docs:
        body = db.execute("SELECT body FROM search_text WHERE rowid = ?", [doc]).fetchone()
        if body is not None:
            db.execute("INSERT INTO search_grams (search_grams, rowid, grams) VALUES ('delete', ?, ?)", [doc, _grams(body[0])])
        spoken = db.execute("SELECT reading FROM search_readings WHERE doc = ?", [doc]).fetchone()
        if spoken is not None:
            reading = zlib.decompress(spoken[0]).decode("utf-8")
            db.execute("INSERT INTO search_kana (search_kana, rowid, reading) VALUES ('delete', ?, ?)", [doc, reading])
            db.execute("DELETE FROM search_readings WHERE doc = ?", [doc])
        db.execute("DELETE FROM search_text WHERE rowid = ?", [doc])
        db.execute("DELETE FROM search_words WHERE rowid = ?", [doc])
    db.execute(f"DELETE FROM search_docs WHERE {where}", params)


def index_post(store: Store, post_id: int, text: str, words: IndexedText | None = None) -> None:
    """(Re)index a post's plain text; call inside the transaction that saves the post. `words`
    is index_words(text) when the caller has it already."""
    _remove(store, "post_id = ? AND kind = 'text'", [post_id])
    _add(store, "text", post_id, None, text, words if words is not None else index_words(text))


def index_post_meta(store: Store, post_id: int) -> None:
    """(Re)index what the library knows of a post besides its text: its title, tags and
    categories (a "title" hit; call inside the transaction that saves the post)."""
    _remove(store, "post_id = ? AND kind = 'title'", [post_id])
    row = store.conn.execute("SELECT title FROM posts WHERE id = ?", [post_id]).fetchone()
    if row is None:
        return
    body = _meta_text(store, post_id, row[0])
    _add(store, "title", post_id, None, body, index_words(body))


def _meta_text(store: Store, post_id: int, title: str) -> str:
    """A post's title, then its tags and categories as #words: what a "title" hit is found in."""
    row = store.conn.execute("SELECT tags, categories FROM posts WHERE id = ?", [post_id]).fetchone()
    labels = [str(label) for column in row for label in _labels(column)] if row else []
    return title + ("\n" + " ".join(f"#{label}" for label in dict.fromkeys(labels)) if labels else "")


def _labels(column: str | None) -> list:
    """A post's tags or categories as stored (a JSON list); a value edited into something else
    counts as none here (reading the post says the library is damaged)."""
    try:
        value = json.loads(column or "[]")
    except (ValueError, RecursionError):
        return []
    return value if isinstance(value, list) else []


def index_annotation(store: Store, annotation: Annotation) -> None:
    """(Re)index a highlight's quote, note and tags; a deleted highlight leaves the index."""
    _remove(store, "annotation_id = ?", [annotation.id])
    if annotation.deleted:
        return
    _add(store, "quote", annotation.post_id, annotation.id, annotation.exact, index_words(annotation.exact, reading=False))
    if annotation.note.strip():
        _add(store, "note", annotation.post_id, annotation.id, annotation.note, index_words(annotation.note, reading=False))
    if annotation.tags:
        tags = " ".join(annotation.tags)
        indexed = index_words(tags, reading=False)
        _add(store, "tag", annotation.post_id, annotation.id, tags, IndexedText(indexed.words, frozenset(), indexed.grams))


# --- querying --------------------------------------------------------------------------------


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


_SPACE = re.compile(r"\s+")
Key = tuple[str, int, str | None]  # (kind, post id, highlight id): one searched text


@dataclass(frozen=True)
class _Term:
    """One word of a query and the ways it may be written where it matched."""

    text: str
    needles: tuple[str, ...]  # the term and the written forms the lexicon has for it, to find as written
    reading: str | None  # the term in hiragana, when it is kana long enough to be read across words


def search(store: Store, query: str, *, limit: int = MAX_RESULTS, per_post: int = 3) -> list[SearchHit]:
    """Posts and highlights matching `query`, best first, at most `limit` hits; raises ValueError
    for an empty query, or a limit or per_post out of range.

    Words separated by spaces must all match (in the same text, quote, note or tags); text in
    double quotes is matched as written. A post's title hit comes first; its text gives up to
    `per_post` hits, at distinct places in text order.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(Message(
            "search.bad_limit", "The number of results must be a whole number from 1 to {limit}.", limit=f"{MAX_LIMIT:,}"
        ))
    if isinstance(per_post, bool) or not isinstance(per_post, int) or not 1 <= per_post <= MAX_PER_POST:
        raise ValueError(Message(
            "search.bad_per_post", "The number of places per post must be a whole number from 1 to {limit}.", limit=MAX_PER_POST
        ))
    stripped = query.replace("\x00", " ").strip()  # SQLite's full-text query ends a string at a NUL
    phrase = len(stripped) > 1 and stripped[0] == stripped[-1] == '"'
    text = _SPACE.sub(" ", stripped.strip('"').strip())
    if not text:
        raise ValueError(Message("search.empty", "Type something to search for."))
    words = [text] if phrase or " " not in text else list(dict.fromkeys(text.split(" ")))
    rows: list[Key] | None = None
    terms: list[_Term] = []
    for word in words:
        found, term = _matches(store, word, phrase, limit * 4)
        terms.append(term)
        if rows is None:
            rows = found
        else:
            keep = set(found)
            rows = [key for key in rows if key in keep]
    # A post whose title or tags match comes before the places in texts (newest first within each).
    rows = sorted(rows or [], key=lambda key: key[0] != "title")
    together = _Term(text, (text,), None) if len(terms) > 1 else None  # the words together are marked where they stand together
    hits: list[SearchHit] = []
    for key in rows:
        hits.extend(_hits(store, key, terms, together, per_post))
        if len(hits) >= limit:
            break
    return hits[:limit]


def _matches(store: Store, word: str, phrase: bool, limit: int) -> tuple[list[Key], _Term]:
    """Where one word of the query matches, in rank order, and how to place it in a snippet."""
    keys: dict[Key, None] = {}

    def take(sql: str, match: str) -> None:
        for kind, post_id, annotation_id in store.conn.execute(sql, [match, limit]):
            keys.setdefault((kind, int(post_id), annotation_id))

    # Newest first, not ORDER BY rank: ranking every match of a common word costs 40-100 ms in a
    # library of ten thousand posts, and FTS5 walks its rows backwards for free. Highlights, notes
    # and tags are indexed when written, so the reader's own recent words come first.
    if len(word) >= 3:
        take("SELECT kind, post_id, annotation_id FROM search_text WHERE search_text MATCH ? ORDER BY rowid DESC LIMIT ?", _fts_string(word))
    else:
        grams = [_fts_string(run) for run in _GRAM_RUN.findall(word.lower())]
        if grams:  # a lone punctuation mark is no gram: it is found by nothing
            take(_DOCS_OF.format(table="search_grams"), " AND ".join(grams))
    reading = to_hiragana(word) if is_kana(word) else None
    spoken = reading if reading is not None and len(reading) >= MIN_READING_QUERY else None
    if spoken is not None:
        take(_DOCS_OF.format(table="search_kana"), _fts_string(spoken))
    if not (phrase and len(word) >= 3):
        # A short bare word also finds longer words that start with it by reading or dictionary
        # form; in quotes it is that word only. The written form and its reading go in one query.
        pattern = " OR ".join(
            _fts_string(form) + ("*" if len(form) <= 2 and not phrase else "")
            for form in dict.fromkeys([word] + ([reading] if reading else []))
        )
        take("SELECT kind, post_id, annotation_id FROM search_words WHERE search_words MATCH ? ORDER BY rowid DESC LIMIT ?", pattern)
    return list(keys), _Term(word, tuple(_surfaces_for(store, word, reading)), spoken)


_DOCS_OF = (
    "SELECT d.kind, d.post_id, d.annotation_id FROM {table} AS x JOIN search_docs AS d ON d.id = x.rowid "
    "WHERE {table} MATCH ? ORDER BY x.rowid DESC LIMIT ?"
)


def _surfaces_for(store: Store, term: str, reading: str | None) -> list[str]:
    """The term and the written forms the library has for it as a reading or a dictionary form
    (とうし -> 投資, 上がる -> 上がっ), so a snippet can show where it matched."""
    keys = list(dict.fromkeys([term] + ([reading] if reading else [])))
    surfaces = [
        r[0]
        for key in keys
        for r in store.conn.execute("SELECT surface FROM lexicon WHERE reading = ? ORDER BY length(surface) DESC LIMIT 20", [key])
    ]
    return list(dict.fromkeys(keys + surfaces))


def _hits(store: Store, key: Key, terms: list[_Term], together: _Term | None, per_post: int) -> list[SearchHit]:
    kind, post_id, annotation_id = key
    db = store.conn
    post = db.execute("SELECT title FROM posts WHERE id = ?", [post_id]).fetchone()
    if post is None:
        return []
    title = post[0]
    if kind in ("text", "title"):
        source = db.execute("SELECT text FROM posts WHERE id = ?", [post_id]).fetchone()[0] if kind == "text" else _meta_text(store, post_id, title)
        spoken = None
        if any(term.reading for term in terms):
            row = db.execute(
                "SELECT r.reading, r.map FROM search_docs AS d JOIN search_readings AS r ON r.doc = d.id "
                "WHERE d.post_id = ? AND d.kind = ? LIMIT 1",
                [post_id, kind],
            ).fetchone()
            if row is not None:
                spoken = (zlib.decompress(row[0]).decode("utf-8"), ReadingMap(row[1]))
        places = _places(source, terms, together, spoken, per_post if kind == "text" else 1)
        return [_hit(post_id, title, kind, None, source, start, end, start if kind == "text" else None) for start, end in places]
    annotation = db.execute("SELECT exact, note, start, deleted FROM annotations WHERE id = ?", [annotation_id]).fetchone()
    if annotation is None or annotation[3] is not None:
        return []
    exact, note, start, _deleted = annotation
    source = {"quote": exact, "note": note}.get(kind, exact)
    if kind == "tag":
        tags = [r[0] for r in db.execute("SELECT tag FROM annotation_tags WHERE annotation_id = ?", [annotation_id])]
        source = " ".join(f"#{t}" for t in tags)
    places = _places(source, terms, together, None, 1)
    # No place: matched through a form that does not show in it, and no hit without a match.
    return [_hit(post_id, title, kind, annotation_id, source, s, e, start + s if kind == "quote" else None) for s, e in places]


def _places(source: str, terms: list[_Term], together: _Term | None, spoken, wanted: int) -> list[tuple[int, int]]:
    """Up to `wanted` distinct places (start, end) in `source` where the query matched, in order:
    where the query's words stand together if they do anywhere, else where any of them stands."""
    lowered = source.lower()
    if len(lowered) != len(source):  # a few letters lower into two (İ): offsets would slip
        lowered = source
    if together is not None:
        found = _spans(lowered, together, None, wanted)
        if found:
            return _distinct(found, wanted)
    found = [span for term in terms for span in _spans(lowered, term, spoken, wanted)]
    return _distinct(found, wanted)


def _spans(lowered: str, term: _Term, spoken, wanted: int) -> list[tuple[int, int]]:
    """The first places of `term` in a text: as written (or in a written form of its reading or
    dictionary form), and through the text's reading."""
    spans: list[tuple[int, int]] = []
    for needle in term.needles:
        needle = needle.lower()
        at = lowered.find(needle)
        count = 0
        while at >= 0 and count < 2 * wanted:
            spans.append((at, at + len(needle)))
            count += 1
            at = lowered.find(needle, at + 1)
    if term.reading and spoken is not None:
        reading, places = spoken
        at = reading.find(term.reading)
        count = tried = 0
        # A match must begin and end where a run of kanji does (or in kana written as such):
        # とうし is not found in と当社 (ととうしゃ).
        while at >= 0 and count < 2 * wanted and tried < 10_000:
            tried += 1
            start, end = places.start(at), places.end(at + len(term.reading))
            if start is not None and end is not None and end > start:
                spans.append((start, end))
                count += 1
            at = reading.find(term.reading, at + 1)
    return spans


def _distinct(spans: list[tuple[int, int]], wanted: int) -> list[tuple[int, int]]:
    """The first `wanted` spans in text order that do not overlap an earlier one (the longer
    first where two begin at the same place)."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda span: (span[0], -span[1])):
        if end > start and (not kept or start >= kept[-1][1]):
            kept.append((start, end))
            if len(kept) == wanted:
                break
    return kept


def _hit(post_id: int, title: str, kind: str, annotation_id: str | None, source: str, start: int, end: int, offset: int | None) -> SearchHit:
    begin = max(0, start - SNIPPET_CONTEXT)
    snippet, s, e = _tidy(source[begin : end + SNIPPET_CONTEXT], start - begin, end - begin, begin > 0)
    return SearchHit(post_id, title, kind, annotation_id, snippet, s, e, offset, end - start)


def _tidy(piece: str, start: int, end: int, cut_before: bool) -> tuple[str, int, int]:
    """Line breaks become spaces; an ellipsis shows where the snippet was cut."""
    piece = piece.replace("\n", " ")
    if cut_before:
        piece = "…" + piece
        start, end = start + 1, end + 1
    return piece, start, end
