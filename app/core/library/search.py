"""Search over posts' text, highlight quotes, notes and tags that works for Japanese.

Two FTS5 indexes (created by the store's migrations) answer every query:
- `search_text` (trigram tokenizer) finds any substring of three characters or more, Japanese or
  English, case-insensitively; a phrase in double quotes is matched as written.
- `search_words` (fugashi words: surfaces, dictionary forms and hiragana readings) finds the one-
  and two-character words the trigram index cannot (投資, 株), and kana queries by reading
  (とうし finds 投資). `lexicon` maps readings and dictionary forms back to the written forms
  (とうし -> 投資, 上がる -> 上がっ) to place the snippet.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from app.core.common.kana import is_kana, to_hiragana
from app.core.reading import furigana
from app.core.store import Annotation, Store

SNIPPET_CONTEXT = 30
MAX_RESULTS = 50
MAX_LIMIT = 10_000  # the most results one search may be asked for


@dataclass(frozen=True)
class SearchHit:
    """One match: which post, where (text, quote, note or tag), and a snippet with the match marked."""

    post_id: int
    title: str
    kind: str  # "title" (the post's title, tags, categories), "text", "quote", "note" or "tag"
    annotation_id: str | None
    snippet: str
    match_start: int  # the match inside `snippet`
    match_end: int
    offset: int | None  # where the match starts in the post's plain text (text and quote hits)

    @property
    def marked(self) -> str:
        """The snippet with the match between 【 and 】."""
        return f"{self.snippet[: self.match_start]}【{self.snippet[self.match_start : self.match_end]}】{self.snippet[self.match_end :]}"

    def to_json(self) -> dict:
        return {
            "post": self.post_id, "title": self.title, "kind": self.kind, "annotation": self.annotation_id,
            "snippet": self.snippet, "match": [self.match_start, self.match_end], "marked": self.marked,
            "offset": self.offset,
        }


# --- indexing --------------------------------------------------------------------------------


def _words(text: str, lexicon: set[tuple[str, str]] | None = None) -> str:
    words: set[str] = set()
    for term in furigana.terms(text):
        words.add(term.surface)
        if term.lemma:
            words.add(term.lemma)
        if term.reading:
            words.add(term.reading)
            if lexicon is not None and furigana.KANJI_RE.search(term.surface):
                lexicon.add((term.reading, term.surface))
        if lexicon is not None and term.lemma and term.lemma != term.surface:
            lexicon.add((term.lemma, term.surface))  # dictionary form -> the form written here
    return " ".join(sorted(words))


def index_words(text: str) -> tuple[str, frozenset[tuple[str, str]]]:
    """What the word index keeps of a post's text: its words, and the (reading or dictionary
    form, written form) pairs of the lexicon. MeCab's work, without the database: importers
    compute it in worker processes and pass it to index_post."""
    lexicon: set[tuple[str, str]] = set()
    return _words(text, lexicon), frozenset(lexicon)


def _add(store: Store, kind: str, post_id: int, annotation_id: str | None, body: str, words: str) -> None:
    cursor = store.db.execute(
        "INSERT INTO search_docs (kind, post_id, annotation_id) VALUES (?, ?, ?)", [kind, post_id, annotation_id]
    )
    doc = cursor.lastrowid
    store.db.execute(
        "INSERT INTO search_text (rowid, kind, post_id, annotation_id, body) VALUES (?, ?, ?, ?, ?)",
        [doc, kind, post_id, annotation_id, body],
    )
    store.db.execute(
        "INSERT INTO search_words (rowid, kind, post_id, annotation_id, words) VALUES (?, ?, ?, ?, ?)",
        [doc, kind, post_id, annotation_id, words],
    )


def _remove(store: Store, where: str, params: list) -> None:
    """Delete index rows by rowid (found through search_docs), never by scanning an index."""
    docs = [row[0] for row in store.db.execute(f"SELECT id FROM search_docs WHERE {where}", params)]
    for doc in docs:
        store.db.execute("DELETE FROM search_text WHERE rowid = ?", [doc])
        store.db.execute("DELETE FROM search_words WHERE rowid = ?", [doc])
    store.db.execute(f"DELETE FROM search_docs WHERE {where}", params)


def index_post(store: Store, post_id: int, text: str, words: tuple[str, frozenset[tuple[str, str]]] | None = None) -> None:
    """(Re)index a post's plain text; call inside the transaction that saves the post. `words`
    is index_words(text) when the caller has it already."""
    _remove(store, "post_id = ? AND kind = 'text'", [post_id])
    words_text, lexicon = words if words is not None else index_words(text)
    _add(store, "text", post_id, None, text, words_text)
    store.db.conn.executemany("INSERT OR IGNORE INTO lexicon (reading, surface) VALUES (?, ?)", sorted(lexicon))


def index_post_meta(store: Store, post_id: int) -> None:
    """(Re)index what the library knows of a post besides its text: its title, tags and
    categories (a "title" hit; call inside the transaction that saves the post)."""
    _remove(store, "post_id = ? AND kind = 'title'", [post_id])
    row = store.db.execute("SELECT title FROM posts WHERE id = ?", [post_id]).fetchone()
    if row is None:
        return
    body = _meta_text(store, post_id, row[0])
    lexicon: set[tuple[str, str]] = set()
    _add(store, "title", post_id, None, body, _words(body, lexicon))
    store.db.conn.executemany("INSERT OR IGNORE INTO lexicon (reading, surface) VALUES (?, ?)", sorted(lexicon))


def _meta_text(store: Store, post_id: int, title: str) -> str:
    """A post's title, then its tags and categories as #words: what a "title" hit is found in."""
    row = store.db.execute("SELECT tags, categories FROM posts WHERE id = ?", [post_id]).fetchone()
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
    lexicon: set[tuple[str, str]] = set()
    _add(store, "quote", annotation.post_id, annotation.id, annotation.exact, _words(annotation.exact, lexicon))
    if annotation.note.strip():
        _add(store, "note", annotation.post_id, annotation.id, annotation.note, _words(annotation.note, lexicon))
    if annotation.tags:
        tags = " ".join(annotation.tags)
        _add(store, "tag", annotation.post_id, annotation.id, tags, _words(tags))
    store.db.conn.executemany("INSERT OR IGNORE INTO lexicon (reading, surface) VALUES (?, ?)", sorted(lexicon))


# --- querying --------------------------------------------------------------------------------


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


_SPACE = re.compile(r"\s+")


def search(store: Store, query: str, *, limit: int = MAX_RESULTS) -> list[SearchHit]:
    """Posts and highlights matching `query`, best first; raises ValueError for an empty query.

    Words separated by spaces must all match (in the same text, quote, note or tags); text in
    double quotes is matched as written.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"The number of results must be a whole number from 1 to {MAX_LIMIT:,}.")
    stripped = query.replace("\x00", " ").strip()  # SQLite's full-text query ends a string at a NUL
    phrase = len(stripped) > 1 and stripped[0] == stripped[-1] == '"'
    text = _SPACE.sub(" ", stripped.strip('"').strip())
    if not text:
        raise ValueError("Type something to search for.")
    terms = [text] if phrase or " " not in text else list(dict.fromkeys(text.split(" ")))
    rows: list[tuple[str, int, str | None]] | None = None
    needles: list[str] = [text]  # the words together are marked where they stand together
    for term in terms:
        found, term_needles = _matches(store, term, phrase, limit * 4)
        needles.extend(n for n in term_needles if n not in needles)
        if rows is None:
            rows = found
        else:
            keep = set(found)
            rows = [key for key in rows if key in keep]
    # A post whose title or tags match comes before the places in texts (newest first within each).
    rows = sorted(rows or [], key=lambda key: key[0] != "title")
    hits: list[SearchHit] = []
    for key in rows:
        hit = _hit(store, key, needles)
        if hit is not None:
            hits.append(hit)
        if len(hits) >= limit:
            break
    return hits


def _matches(store: Store, term: str, phrase: bool, limit: int) -> tuple[list[tuple[str, int, str | None]], list[str]]:
    """Where one term matches, in rank order, and the strings to look for when placing snippets."""
    keys: list[tuple[str, int, str | None]] = []

    def take(rows):
        for kind, post_id, annotation_id in rows:
            key = (kind, int(post_id), annotation_id)
            if key not in keys:
                keys.append(key)

    # Newest first, not ORDER BY rank: ranking every match of a common word costs 40-100 ms in a
    # library of ten thousand posts, and FTS5 walks its rows backwards for free. Highlights, notes
    # and tags are indexed when written, so the reader's own recent words come first.
    if len(term) >= 3:
        take(
            store.db.execute(
                "SELECT kind, post_id, annotation_id FROM search_text WHERE search_text MATCH ? ORDER BY rowid DESC LIMIT ?",
                [_fts_string(term), limit],
            ).fetchall()
        )
    reading = to_hiragana(term) if is_kana(term) else None
    if not (phrase and len(term) >= 3):
        # A short bare word also finds longer words that start with it (投資 -> 投資家); in quotes
        # it is that word only. The written form and its hiragana reading go in one query.
        pattern = " OR ".join(
            _fts_string(word) + ("*" if len(word) <= 2 and not phrase else "")
            for word in dict.fromkeys([term] + ([reading] if reading else []))
        )
        take(
            store.db.execute(
                "SELECT kind, post_id, annotation_id FROM search_words WHERE search_words MATCH ? ORDER BY rowid DESC LIMIT ?",
                [pattern, limit],
            ).fetchall()
        )
    return keys, _surfaces_for(store, term, reading)


def _surfaces_for(store: Store, term: str, reading: str | None) -> list[str]:
    """The term and the written forms the library has for it as a reading or a dictionary form
    (とうし -> 投資, 上がる -> 上がっ), so a snippet can show where it matched."""
    keys = list(dict.fromkeys([term] + ([reading] if reading else [])))
    surfaces = [
        r[0]
        for key in keys
        for r in store.db.execute("SELECT surface FROM lexicon WHERE reading = ? ORDER BY length(surface) DESC LIMIT 20", [key])
    ]
    return list(dict.fromkeys(keys + surfaces))


def _hit(store: Store, key: tuple[str, int, str | None], needles: list[str]) -> SearchHit | None:
    kind, post_id, annotation_id = key
    post = store.db.execute("SELECT title FROM posts WHERE id = ?", [post_id]).fetchone()
    if post is None:
        return None
    title = post[0]
    if kind == "text":
        return _text_hit(store, post_id, title, needles)
    if kind == "title":
        snippet, s, e, at = _snippet(_meta_text(store, post_id, title), needles)
        return SearchHit(post_id, title, "title", None, snippet, s, e, None) if at is not None else None
    annotation = store.db.execute("SELECT exact, note, start, deleted FROM annotations WHERE id = ?", [annotation_id]).fetchone()
    if annotation is None or annotation[3] is not None:
        return None
    exact, note, start, _deleted = annotation
    source = {"quote": exact, "note": note, "tag": ""}.get(kind, exact)
    if kind == "tag":
        tags = [r[0] for r in store.db.execute("SELECT tag FROM annotation_tags WHERE annotation_id = ?", [annotation_id])]
        source = " ".join(f"#{t}" for t in tags)
    snippet, s, e, at = _snippet(source, needles)
    if at is None:
        return None  # matched through a form that does not show in it: no hit without a match
    offset = start + at if kind == "quote" else None
    return SearchHit(post_id, title, kind, annotation_id, snippet, s, e, offset)


def _text_hit(store: Store, post_id: int, title: str, needles: list[str]) -> SearchHit | None:
    # The text is read once and searched here: asking SQLite instr(lower(text), ...) once per
    # needle read and lowered the whole post again for every form a kana query can take.
    row = store.db.execute("SELECT text FROM posts WHERE id = ?", [post_id]).fetchone()
    if row is None:
        return None
    snippet, s, e, at = _snippet(row[0], needles)
    if at is None:
        return None
    return SearchHit(post_id, title, "text", None, snippet, s, e, at)


def _snippet(source: str, needles: list[str]) -> tuple[str, int, int, int | None]:
    lowered = source.lower()
    if len(lowered) != len(source):  # a few letters lower into two (İ): offsets would slip
        lowered = source
    for needle in needles:
        at = lowered.find(needle.lower())
        if at >= 0:
            begin = max(0, at - SNIPPET_CONTEXT)
            piece = source[begin : at + len(needle) + SNIPPET_CONTEXT]
            snippet, s, e = _tidy(piece, at - begin, at - begin + len(needle), begin > 0)
            return snippet, s, e, at
    piece = source[: 2 * SNIPPET_CONTEXT]
    return _tidy(piece, 0, 0, False) + (None,)


def _tidy(piece: str, start: int, end: int, cut_before: bool) -> tuple[str, int, int]:
    """Line breaks become spaces; an ellipsis shows where the snippet was cut."""
    piece = piece.replace("\n", " ")
    if cut_before:
        piece = "…" + piece
        start, end = start + 1, end + 1
    return piece, start, end
