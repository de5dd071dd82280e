"""The library's schema: numbered migrations, each bringing a file one version up.

A file's version is in PRAGMA user_version; `Store` runs the migrations it lacks (after a backup
copy). Data derived from posts and highlights (the search index, the claims) is not the store's
to make: after the migrations named in DERIVED_BY the store calls the rebuild it was given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.core.store.records import BUILTIN_TAGS

if TYPE_CHECKING:
    import sqlite_utils


def _migration_1(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            source_path TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            date TEXT,
            author TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            categories TEXT NOT NULL DEFAULT '[]',
            excerpt TEXT,
            encoding TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            warnings TEXT NOT NULL DEFAULT '[]',
            front_matter TEXT NOT NULL DEFAULT '{}',
            text TEXT NOT NULL,
            reading_offset INTEGER NOT NULL DEFAULT 0,
            imported_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE annotations (
            id TEXT PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE RESTRICT,
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            color TEXT NOT NULL DEFAULT 'yellow',
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted TEXT,
            orphan INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX annotations_post ON annotations(post_id, start)")
    db.execute("CREATE TABLE tags (name TEXT PRIMARY KEY, color TEXT, builtin INTEGER NOT NULL DEFAULT 0)")
    db.execute(
        """CREATE TABLE annotation_tags (
            annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            tag TEXT NOT NULL REFERENCES tags(name) ON UPDATE CASCADE,
            PRIMARY KEY (annotation_id, tag)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX annotation_tags_tag ON annotation_tags(tag)")
    db.execute(
        """CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,
            surface TEXT NOT NULL,
            before TEXT NOT NULL DEFAULT '',
            after TEXT NOT NULL DEFAULT '',
            reading TEXT NOT NULL,
            created TEXT NOT NULL,
            UNIQUE (post_id, surface, before, after)
        )"""
    )
    db.execute("CREATE TABLE known_words (lemma TEXT PRIMARY KEY, created TEXT NOT NULL) WITHOUT ROWID")
    for name, color in BUILTIN_TAGS.items():
        db.execute("INSERT INTO tags (name, color, builtin) VALUES (?, ?, 1)", [name, color])


_SEARCH_TEXT = (
    "CREATE VIRTUAL TABLE search_text USING fts5(kind UNINDEXED, post_id UNINDEXED, "
    "annotation_id UNINDEXED, body, tokenize='trigram')"
)
_SEARCH_WORDS = (
    "CREATE VIRTUAL TABLE search_words USING fts5(kind UNINDEXED, post_id UNINDEXED, "
    "annotation_id UNINDEXED, words, tokenize='unicode61 remove_diacritics 0')"
)


def _migration_2(db: sqlite_utils.Database) -> None:
    # Search: a trigram index for substrings of three characters and more, and a word index
    # (surfaces, lemmas and readings from fugashi) for one- and two-character words and kana.
    db.execute(_SEARCH_TEXT)
    db.execute(_SEARCH_WORDS)
    db.execute("CREATE TABLE lexicon (reading TEXT NOT NULL, surface TEXT NOT NULL, PRIMARY KEY (reading, surface)) WITHOUT ROWID")


def _migration_3(db: sqlite_utils.Database) -> None:
    # Deleting from an FTS5 table by an UNINDEXED column scans the whole index (seconds on a big
    # library, for every highlight saved). `search_docs` says which rows belong to which post or
    # highlight; both indexes use its ids as rowids, so rows are found and deleted by rowid.
    db.execute(
        "CREATE TABLE search_docs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, post_id INTEGER NOT NULL, annotation_id TEXT)"
    )
    db.execute("CREATE INDEX search_docs_post ON search_docs(post_id, kind)")
    db.execute("CREATE INDEX search_docs_annotation ON search_docs(annotation_id)")
    db.execute("DELETE FROM search_text")
    db.execute("DELETE FROM search_words")


def _migration_4(db: sqlite_utils.Database) -> None:
    # Posts are rebuilt with their text last. SQLite reads a row's columns in order, so every
    # column after a long text (reading offset, dates) cost a walk through the text's overflow
    # pages: listing ten thousand posts read most of the file. The length is stored for the list.
    # Highlights get an index in reading order, which spares a sort of every one of them.
    db.execute(
        """CREATE TABLE posts_new (
            id INTEGER PRIMARY KEY,
            source_path TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            date TEXT,
            author TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            categories TEXT NOT NULL DEFAULT '[]',
            excerpt TEXT,
            encoding TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            warnings TEXT NOT NULL DEFAULT '[]',
            front_matter TEXT NOT NULL DEFAULT '{}',
            reading_offset INTEGER NOT NULL DEFAULT 0,
            imported_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            length INTEGER NOT NULL DEFAULT 0,
            text TEXT NOT NULL
        )"""
    )
    columns = (
        "id, source_path, title, date, author, tags, categories, excerpt, encoding, content_hash, warnings, "
        "front_matter, reading_offset, imported_at, updated_at"
    )
    db.execute(f"INSERT INTO posts_new ({columns}, length, text) SELECT {columns}, length(text), text FROM posts")
    db.execute("DROP TABLE posts")  # the caller turned foreign keys off for the rebuild
    db.execute("ALTER TABLE posts_new RENAME TO posts")
    db.execute('CREATE INDEX annotations_order ON annotations(post_id, start, "end", created)')
    db.execute("DROP INDEX annotations_post")


def _migration_5(db: sqlite_utils.Database) -> None:
    # Claims (app.core.claims.table): a highlight tagged chip, investment or claim, with the figures
    # and names found in its quote. The main amount has its own columns so the table sorts and
    # filters in SQL; names, tags and years are rows of claim_terms, found through its primary key.
    # The reader's verdict lives apart in claim_status: a highlight that stops being a claim
    # (tag removed, deleted) loses its claims row but keeps its status for an undo. `revision` is
    # a random number new at every write: it tells a reader's cache that a row changed (two
    # writes can share a timestamp; clocks on some systems tick every 15 ms).
    db.execute(
        """CREATE TABLE claims (
            annotation_id TEXT PRIMARY KEY REFERENCES annotations(id) ON DELETE CASCADE,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            currency TEXT,
            low NUMERIC,
            high NUMERIC,
            period TEXT,
            approx INTEGER NOT NULL DEFAULT 0,
            orphan INTEGER NOT NULL DEFAULT 0,
            updated TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 0,
            tags TEXT NOT NULL DEFAULT '',
            companies TEXT NOT NULL DEFAULT '',
            chips TEXT NOT NULL DEFAULT '',
            years TEXT NOT NULL DEFAULT '',
            amounts TEXT NOT NULL DEFAULT '[]',
            quote TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX claims_amount ON claims(currency, low, high)")
    db.execute("CREATE INDEX claims_post ON claims(post_id, start)")
    db.execute(
        """CREATE TABLE claim_terms (
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            annotation_id TEXT NOT NULL REFERENCES claims(annotation_id) ON DELETE CASCADE,
            PRIMARY KEY (kind, value, annotation_id)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX claim_terms_annotation ON claim_terms(annotation_id)")
    db.execute(
        """CREATE TABLE claim_status (
            annotation_id TEXT PRIMARY KEY REFERENCES annotations(id) ON DELETE CASCADE,
            status TEXT NOT NULL DEFAULT 'unverified'
                CHECK (status IN ('unverified', 'confirmed', 'disputed', 'outdated')),
            note TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX claim_status_status ON claim_status(status)")
    # A dismissed suggestion is remembered by its sentence; the offsets tell apart two copies of
    # the same sentence in one post.
    db.execute(
        """CREATE TABLE dismissed_suggestions (
            id INTEGER PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            sentence TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            created TEXT NOT NULL,
            UNIQUE (post_id, sentence, start)
        )"""
    )


def _migration_6(db: sqlite_utils.Database) -> None:
    # The spans of each post's rendered blocks in its stored text (JSON: [index, start, end, kind]
    # per block), kept beside it so the claims read table rows and code blocks without reading and
    # rendering the file again. An older library's posts get theirs when next opened or imported.
    db.execute(
        "CREATE TABLE post_blocks (post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE, spans TEXT NOT NULL)"
    )


def _migration_7(db: sqlite_utils.Database) -> None:
    # Titles, tags and categories of posts are searched: the schema holds them already (search_docs
    # rows of kind "title"); the library indexes an older file's posts (DERIVED_BY).
    pass


def _migration_8(db: sqlite_utils.Database) -> None:
    # Claims as facts (app.core.claims.facts): whose figure, what it measures, for when, read from
    # the quote (derived: the claims rows are rebuilt, DERIVED_BY). The reader's own corrections
    # live apart in claim_facts, which a rebuild never touches; NULL there means "as read".
    have = {row[1] for row in db.execute("PRAGMA table_info(claims)").fetchall()}
    for column in ("entity", "metric", "fact_period"):
        if column not in have:
            db.execute(f"ALTER TABLE claims ADD COLUMN {column} TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS claims_fact ON claims(entity, metric, fact_period)")
    db.execute(
        """CREATE TABLE IF NOT EXISTS claim_facts (
            annotation_id TEXT PRIMARY KEY REFERENCES annotations(id) ON DELETE CASCADE,
            entity TEXT,
            metric TEXT,
            period TEXT,
            updated TEXT NOT NULL
        ) WITHOUT ROWID"""
    )


def _migration_9(db: sqlite_utils.Database) -> None:
    # Search finds what is on the page (app.core.library.search): every character and pair of
    # characters of a text (`search_grams`, positions left out: a one- or two-character query is
    # one term), and each post's text and title read aloud (`search_kana`, trigram) with the
    # reading and its map back to the text (`search_readings`, by search_docs id). Neither index
    # keeps a copy of its text: a row leaves by the 'delete' command given what was indexed, so
    # the index is made anew (DERIVED_BY) from empty tables, never added to an older one.
    # Every search table is made anew, emptied (dropping is quicker than deleting an FTS5 table's
    # rows one by one, which reads every text), and the whole index rebuilt.
    tables = (
        ("search_text", _SEARCH_TEXT),
        ("search_words", _SEARCH_WORDS),
        ("search_grams", "CREATE VIRTUAL TABLE search_grams USING fts5(grams, content='', detail='none', tokenize='ascii')"),
        ("search_kana", "CREATE VIRTUAL TABLE search_kana USING fts5(reading, content='', tokenize='trigram')"),
        ("search_readings", "CREATE TABLE search_readings (doc INTEGER PRIMARY KEY, reading BLOB NOT NULL, map BLOB NOT NULL)"),
    )
    for table, sql in tables:
        db.execute(f"DROP TABLE IF EXISTS {table}")
        db.execute(sql)
    db.execute("DELETE FROM search_docs")


def _migration_10(db: sqlite_utils.Database) -> None:
    # The learner's words (app.core.library.vocabulary). A word is its lemma; its status is
    # "new" until the reader says otherwise, so only the others have a row. The lemmas the reader
    # knew move in as "known"; `known_words` stays as a view of them, for older SQL and scripts.
    # (Every step can run again over its own result, as the other migrations can.)
    db.execute(
        """CREATE TABLE IF NOT EXISTS word_status (
            lemma TEXT PRIMARY KEY,
            status TEXT NOT NULL CHECK (status IN ('learning', 'known', 'ignored')),
            updated TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX IF NOT EXISTS word_status_status ON word_status(status)")
    kind = db.execute("SELECT type FROM sqlite_master WHERE name = 'known_words'").fetchone()
    if kind is not None and kind[0] == "table":
        db.execute("INSERT OR IGNORE INTO word_status (lemma, status, updated) SELECT lemma, 'known', created FROM known_words")
        db.execute("DROP TABLE known_words")
    db.execute("CREATE VIEW IF NOT EXISTS known_words AS SELECT lemma, updated AS created FROM word_status WHERE status = 'known'")
    # The words the reader put in the Anki deck, with the place in the post they came from (the
    # sentence of the card); a deleted post leaves the word picked, without a place.
    db.execute(
        """CREATE TABLE IF NOT EXISTS anki_picks (
            lemma TEXT PRIMARY KEY,
            post_id INTEGER REFERENCES posts(id) ON DELETE SET NULL,
            start INTEGER,
            "end" INTEGER,
            created TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    # Derived: each post's counted words (one row per lemma: the first spelling met, the reading of
    # the dictionary form, how often, where first). Made at import from the import's MeCab pass;
    # `post_word_counts` has a row for each post whose words are made (a post may have no counted
    # word), so a post imported before this schema gets its words when first asked for, not now.
    db.execute(
        """CREATE TABLE IF NOT EXISTS post_words (
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            lemma TEXT NOT NULL,
            surface TEXT NOT NULL,
            reading TEXT,
            count INTEGER NOT NULL,
            first_start INTEGER NOT NULL,
            first_end INTEGER NOT NULL,
            PRIMARY KEY (post_id, lemma)
        ) WITHOUT ROWID"""
    )
    # Per post whose words are made: how many counted occurrences, how many of known and of
    # ignored words. Triggers keep the last two in step with every status change (an undo
    # included), so the share of every post the reader knows is one read of this small table.
    db.execute(
        """CREATE TABLE IF NOT EXISTS post_word_counts (
            post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
            total INTEGER NOT NULL,
            known INTEGER NOT NULL DEFAULT 0,
            ignored INTEGER NOT NULL DEFAULT 0
        )"""
    )
    for sql in WORD_COUNT_TRIGGERS.values():
        db.execute(sql)


def _counts(row: str, sign: str) -> str:
    """The statement that takes the occurrences of word `row` (new or old) into the counts of known
    and ignored words (sign +) or out of them (sign -). It visits each post once and finds the
    word by post_words' primary key: post_words has no index by lemma, whose writes (hundreds of
    scattered pages per post) would cost more at every import than a status change costs here."""
    found = f"(SELECT w.count FROM post_words w WHERE w.post_id = post_word_counts.post_id AND w.lemma = {row}.lemma)"
    return (
        f"UPDATE post_word_counts SET known = known {sign} (CASE WHEN {row}.status = 'known' THEN {found} ELSE 0 END), "
        f"ignored = ignored {sign} (CASE WHEN {row}.status = 'ignored' THEN {found} ELSE 0 END) "
        f"WHERE {row}.status IN ('known', 'ignored') AND EXISTS {found};"
    )


# The triggers that keep post_word_counts in step with word_status, by name (the store drops them
# for a change of many statuses at once, and counts afresh: see Store.counted_afterwards).
WORD_COUNT_TRIGGERS = {
    "word_status_counts_insert": (
        f"CREATE TRIGGER IF NOT EXISTS word_status_counts_insert AFTER INSERT ON word_status BEGIN {_counts('new', '+')} END"
    ),
    "word_status_counts_delete": (
        f"CREATE TRIGGER IF NOT EXISTS word_status_counts_delete AFTER DELETE ON word_status BEGIN {_counts('old', '-')} END"
    ),
    "word_status_counts_update": (
        "CREATE TRIGGER IF NOT EXISTS word_status_counts_update AFTER UPDATE OF lemma, status ON word_status "
        f"BEGIN {_counts('old', '-')} {_counts('new', '+')} END"
    ),
}


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _migration_1, _migration_2, _migration_3, _migration_4, _migration_5, _migration_6, _migration_7, _migration_8,
    _migration_9, _migration_10,
)
SCHEMA_VERSION = len(MIGRATIONS)
# Migrations after which data derived from posts and highlights is rebuilt (for a library that had
# some): the name of the field of app.core.store.database.Derivations that rebuilds it.
DERIVED_BY = {3: "search", 5: "claims", 7: "titles", 8: "claims", 9: "search"}
