"""The library file, opened: one SQLite file (sqlite-utils) holding posts, highlights, tags and
reading data, and the queries and writes on it.

Promises: WAL journal, foreign keys, a busy timeout so two processes wait instead of failing;
the schema version lives in PRAGMA user_version and numbered migrations bring any older file up
to date (after a backup copy); a file from a newer Kakikomi is refused; a damaged file gets a clear
message and is never written to. Every user action is one transaction. Highlights are never
deleted: a deletion is a marker (undo, merge), and a highlight whose text is gone is an orphan.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.common.messages import Message
from app.core.common.paths import data_dir
from app.core.common.text import escape_surrogates, has_surrogates, shown_path
from app.core.posts.meta import PostMeta
from app.core.posts.plain_text import BlockSpan
from app.core.store.records import WORD_STATUSES, AnkiPick, Annotation, Correction, PostRecord, PostWordRow, StoreError, now
from app.core.store.schema import DERIVED_BY, MIGRATIONS, SCHEMA_VERSION, WORD_COUNT_TRIGGERS

if TYPE_CHECKING:
    import sqlite_utils

    from app.core.reading.furigana import ReadingOverride

DB_NAME = "library.sqlite3"
BUSY_TIMEOUT_MS = 10_000
# Libraries up to this size are checked page by page at every opening (about a second at most).
QUICK_CHECK_MAX_BYTES = 256 * 1024 * 1024


def default_db_path() -> Path:
    """Where the library lives: $KAKIKOMI_HOME/library.sqlite3, else the platform's data folder."""
    return data_dir() / DB_NAME


# --- the store -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Derivations:
    """How to rebuild what is derived from posts and highlights, given to the store by the layer
    that owns it (app.core.library.derived): the store knows nothing of search or claims."""

    search: Callable[[Store], None]
    claims: Callable[[Store], None]
    titles: Callable[[Store], None]


_POST_COLUMNS_WITHOUT_TEXT = (
    "id, source_path, title, date, author, tags, categories, excerpt, encoding, content_hash, warnings, "
    "front_matter, reading_offset, imported_at, updated_at, length, '' AS text"
)


class Store:
    """An open library file. Use as a context manager, or call close()."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True, derivations: Derivations | None = None):
        self.path = Path(path) if path is not None else default_db_path()
        self._derivations = derivations
        self._check_file(create)
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(Message(
                "store.cannot_open", "The library {path} could not be opened: {reason}.", path=self.path, reason=exc
            )) from None
        self.conn = conn
        self._db = None  # sqlite-utils, made on first use: importing it costs a tenth of a second at start-up
        try:
            self._configure()
            self._migrate()
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(self._open_problem(exc)) from None

    def _open_problem(self, exc: sqlite3.DatabaseError) -> Message:
        """One sentence for an error while opening: busy, a full disk, a read-only place, or damage."""
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return Message("store.busy", "The library {path} is busy in another program; try again in a moment.", path=self.path)
        folder = self.path.parent
        try:
            full = "disk is full" in text or ("i/o error" in text and shutil.disk_usage(folder).free < 1024 * 1024)
        except OSError:
            full = False
        if full:
            return Message(
                "store.disk_full", "The disk holding the library {path} is full; free some space and open it again (nothing was changed).",
                path=self.path,
            )
        # SQLite needs to write its -wal and -shm files beside the library, even to read it.
        if not os.access(folder, os.W_OK) or (self.path.exists() and not os.access(self.path, os.W_OK)):
            return Message(
                "store.read_only", "The library {path} cannot be written (its folder or file is read-only); nothing was changed.", path=self.path
            )
        return Message(
            "store.damaged", "The library {path} is damaged or not a Kakikomi library ({reason}); it was left untouched.", path=self.path, reason=exc
        )

    def _check_file(self, create: bool) -> None:
        """Refuse, before anything opens it, a library path that is not a regular file: opening a
        FIFO blocks until a writer comes (forever), a device is no library, a looping link never
        resolves, and an empty file is no library either (it is never made one silently)."""
        if str(self.path).startswith(":"):  # ":memory:"
            return
        shown = shown_path(self.path)
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            if os.path.lexists(self.path):  # a link to nowhere: SQLite would make its target
                raise StoreError(Message(
                    "store.dangling_link", "The library {path} is a symbolic link to a file that does not exist.", path=shown
                )) from None
            if not create:
                raise StoreError(Message("store.none_at", "There is no library at {path}.", path=shown)) from None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(Message(
                    "store.folder_not_created", "The library folder {path} could not be created: {reason}.",
                    path=shown_path(self.path.parent), reason=exc.strerror or exc,
                )) from None
            return
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise StoreError(Message(
                    "store.looping_link", "The library {path} is a symbolic link that loops (it never reaches a file).", path=shown
                )) from None
            raise StoreError(Message(
                "store.unreachable", "The library {path} cannot be reached: {reason}.", path=shown, reason=exc.strerror or exc
            )) from None
        if stat.S_ISDIR(info.st_mode):
            raise StoreError(Message("store.folder", "{path} is a folder; the library must be a file.", path=shown))
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(Message(
                "store.not_regular", "The library {path} is not a regular file ({kind}); it was left untouched.", path=shown, kind=_file_kind(info.st_mode)
            ))
        if info.st_size == 0:
            raise StoreError(Message(
                "store.empty_file",
                "The library {path} is an empty file (0 bytes), not a Kakikomi library; it was left untouched "
                "(remove it to start a new library there).",
                path=shown,
            ))
        try:
            with open(self.path, "rb") as f:
                head = f.read(16)
        except OSError as exc:
            raise StoreError(Message(
                "store.unreadable", "The library {path} cannot be read: {reason}.", path=shown, reason=exc.strerror or exc
            )) from None
        if head != b"SQLite format 3\x00":
            raise StoreError(Message(
                "store.not_sqlite", "{path} is not a Kakikomi library (it is not an SQLite file); it was left untouched.", path=shown
            ))
        self._check_companions(shown)

    def _check_companions(self, shown: str) -> None:
        """SQLite opens the -wal, -shm and -journal files beside the library too: one of them
        that is not a regular file (a FIFO would block the opening forever) is refused as well."""
        for suffix in ("-wal", "-shm", "-journal"):
            companion = f"{self.path}{suffix}"
            try:
                info = os.stat(companion)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise StoreError(Message(
                    "store.companion_unreachable", "The file {path} beside the library cannot be reached: {reason}.",
                    path=f"{shown}{suffix}", reason=exc.strerror or exc,
                )) from None
            if not stat.S_ISREG(info.st_mode):
                raise StoreError(Message(
                    "store.companion_not_regular", "The file {path} beside the library is not a regular file ({kind}); nothing was changed.",
                    path=f"{shown}{suffix}", kind=_file_kind(info.st_mode),
                ))

    def _configure(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # The schema must be readable before anything else (a damaged header or catalogue fails here).
        self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        # quick_check reads the whole file, so damage is found before we write, not spread. It costs
        # seconds on a library of a gigabyte, at every start: a big library is checked before a
        # migration only, and SQLite still refuses any damaged page it meets (a StoreError).
        if self._size() <= QUICK_CHECK_MAX_BYTES or 0 < self.version < SCHEMA_VERSION:
            self._quick_check()
        # Refuse what is not ours before the first write (switching to WAL rewrites the header).
        version = self.version
        if version > SCHEMA_VERSION:
            raise StoreError(Message(
                "store.newer_schema",
                "The library {path} was written by a newer Kakikomi (schema {version}, this one knows {known}); update Kakikomi to open it.",
                path=self.path, version=version, known=SCHEMA_VERSION,
            ))
        if version == 0 and self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(Message(
                "store.other_program", "{path} is an SQLite file of another program, not a Kakikomi library; it was left untouched.", path=self.path
            ))
        mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal" and not str(self.path).startswith(":"):
            raise sqlite3.DatabaseError(Message("store.no_wal", "the journal cannot be switched to WAL ({mode})", mode=mode))
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA recursive_triggers = ON")  # as sqlite-utils sets it, whether or not it is loaded yet
        self.conn.execute("PRAGMA synchronous = NORMAL")
        # Sorting a post's highlights needs a scratch B-tree; on disk, that file costs milliseconds
        # each time once a big write (a re-import) has filled the page cache.
        self.conn.execute("PRAGMA temp_store = MEMORY")
        # Search reads many pages of the indexes; a bigger page cache and memory-mapped reads keep
        # them at hand (64 MB of cache at most, and mapping costs address space, not memory).
        self.conn.execute("PRAGMA cache_size = -65536")
        self.conn.execute("PRAGMA mmap_size = 268435456")

    def _size(self) -> int:
        try:
            return self.path.stat().st_size
        except (OSError, ValueError):
            return 0  # ":memory:" and the like

    def _quick_check(self) -> None:
        result = self.conn.execute("PRAGMA quick_check").fetchone()
        if result and result[0] != "ok":
            said = " ".join(str(result[0]).replace("*", " ").split())  # one line: it goes into one sentence
            raise sqlite3.DatabaseError(Message("store.integrity", "integrity check says {said}", said=said[:200]))

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection: the schema's migrations and the row writers."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    @property
    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        current = self.version
        if current == SCHEMA_VERSION:
            return
        if current > 0:
            self._backup(current)
        # A migration may rebuild a table others refer to (SQLite's way to reorder columns):
        # foreign keys are off meanwhile (only possible outside a transaction) and checked at the end.
        self.conn.execute("PRAGMA foreign_keys = OFF")
        # One transaction for the whole upgrade: what an older library already holds is derived
        # anew once, at the end, by code written for the newest schema; a kill at any point
        # leaves the library as it was before the upgrade (and the backup beside it).
        pending: list[str] = []
        try:
            with self.transaction():
                for number in range(current + 1, SCHEMA_VERSION + 1):
                    MIGRATIONS[number - 1](self.db)
                    derived = DERIVED_BY.get(number)
                    if derived is not None and current >= 1 and derived not in pending:
                        pending.append(derived)
                    broken = self.conn.execute("PRAGMA foreign_key_check").fetchone()
                    if broken:
                        raise sqlite3.DatabaseError(Message(
                            "store.broken_reference", "migration {number} left a broken reference in {table}", number=number, table=broken[0]
                        ))
                    self.conn.execute(f"PRAGMA user_version = {number}")
                for name in pending:
                    self._derive(name)
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")

    def _derive(self, name: str) -> None:
        rebuild = getattr(self._derivations, name, None) if self._derivations is not None else None
        if rebuild is None:
            raise StoreError(Message(
                "store.needs_derivations",
                "The library {path} needs an upgrade that rebuilds its {name}; open it with "
                "app.core.library.derived.open_library (nothing was changed).",
                path=self.path, name=name,
            ))
        rebuild(self)

    def _backup(self, version: int) -> None:
        """Copy the file before changing its schema, with SQLite's online backup (WAL included)."""
        target = self.path.with_name(f"{self.path.name}.v{version}.bak")
        if _is_backup_of(target, version):
            return  # made by an earlier attempt whose upgrade did not finish
        # Copied under a temporary name and renamed when whole: a crash midway leaves no
        # half-made backup that a later attempt would take for a real one.
        partial = target.with_name(target.name + ".partial")
        try:
            partial.unlink(missing_ok=True)
            dest = sqlite3.connect(partial)
            with dest:
                self.conn.backup(dest)
            dest.close()
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(Message(
                "store.backup_failed", "Could not back up the library before upgrading it: {reason}.", reason=exc
            )) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One user action: everything inside commits together or not at all."""
        conn = self.conn
        if conn.in_transaction:
            yield  # nested: the outer transaction decides
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- posts -------------------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence = ()) -> Iterator[dict]:
        """Rows as dicts. Not sqlite-utils' query(): it wraps each read in a SAVEPOINT, and FTS5
        flushes its pending index data at every savepoint, so a read inside an import's
        transaction would pay for writing the search index."""
        cursor = self.conn.execute(sql, params)
        keys = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row))

    def _post(self, row: dict) -> PostRecord:
        return PostRecord(
            id=row["id"], source_path=path_from_db(row["source_path"]), title=row["title"], date=row["date"],
            author=row["author"], tags=self._words(row, "tags"), categories=self._words(row, "categories"),
            excerpt=row["excerpt"], encoding=row["encoding"], content_hash=row["content_hash"],
            warnings=self._words(row, "warnings"), text=row["text"], reading_offset=row["reading_offset"],
            imported_at=row["imported_at"], updated_at=row["updated_at"], highlight_count=row.get("highlights", 0) or 0,
            length=row["length"],
        )

    def _words(self, row: dict, column: str) -> tuple[str, ...]:
        """A post's JSON list column (tags, categories, warnings); a value edited into something
        else is a StoreError that says so, not a crash."""
        try:
            value = json.loads(row[column]) if row[column] is not None else []
        except (TypeError, ValueError, RecursionError):
            value = None
        if not isinstance(value, list) or not all(isinstance(item, (str, int, float)) for item in value):
            raise StoreError(Message(
                "store.damaged_words",
                "The library {path} is damaged: the {column} of post {id} are not a list of words "
                "(the file was edited outside Kakikomi); it was left untouched.",
                path=shown_path(self.path), column=column, id=row["id"],
            ))
        return tuple(str(item) for item in value)

    _POST_QUERY = (
        "SELECT posts.*, (SELECT count(*) FROM annotations a WHERE a.post_id = posts.id "
        "AND a.deleted IS NULL) AS highlights FROM posts"
    )

    def posts(self, *, with_text: bool = False) -> list[PostRecord]:
        """Every post, newest date first, then the posts without a date, last imported first (an
        undated post imported today is not the newest post); their texts only when asked (a
        library list of thousands of posts must not read every post's text)."""
        query = self._POST_QUERY if with_text else self._POST_QUERY.replace("posts.*", _POST_COLUMNS_WITHOUT_TEXT, 1)
        rows = self._rows(query + " ORDER BY date IS NULL, coalesce(date, imported_at) DESC, id")
        return [self._post(r) for r in rows]

    def post(self, ref: int | str) -> PostRecord:
        """A post by id, by source path, or by an id given as text; raises StoreError if none."""
        row = None
        text = str(ref)
        if isinstance(ref, int) or text.isdecimal():
            row = next(self._rows(self._POST_QUERY + " WHERE id = ?", [int(text)]), None)
        if row is None:
            candidates = [text]
            try:
                candidates.append(str(Path(text).expanduser().resolve()))
            except (OSError, RuntimeError):
                pass
            for candidate in candidates:
                row = next(self._rows(self._POST_QUERY + " WHERE source_path = ?", [path_to_db(candidate)]), None)
                if row is not None:
                    break
        if row is None:
            raise StoreError(Message(
                "store.no_post", "No post {ref} in the library; `kakikomi list` shows the posts and their ids.", ref=escape_surrogates(repr(ref))
            ))
        return self._post(row)

    def post_by_path(self, source_path: str) -> PostRecord | None:
        row = next(self._rows(self._POST_QUERY + " WHERE source_path = ?", [path_to_db(source_path)]), None)
        return self._post(row) if row else None

    def save_post(
        self,
        meta: PostMeta,
        *,
        source_path: str,
        text: str,
        blocks: Sequence[BlockSpan] | None = None,
        warnings: Sequence[str] = (),
        front_matter: Mapping | None = None,
        existing: PostRecord | None = None,
    ) -> int:
        """Insert or update a post's row (inside the caller's transaction); returns its id.

        `blocks` are the rendered blocks' spans in `text` (the claims read table rows and code
        blocks from them); None when they are not known, which forgets any stored for an older text.
        """
        stamp = now()
        row = meta.meta_values()
        for key in ("tags", "categories"):
            row[key] = _json_text(list(row[key]))
        row.update(
            text=text, length=len(text), updated_at=stamp,
            warnings=_json_text(list(warnings)), front_matter=_json_text(dict(front_matter or {})),
        )
        # Text in the library is UTF-8: a title taken from an undecodable file name is kept
        # escaped (\xff), JSON keeps it as JSON escapes (_json_text); the source path is kept as
        # the OS gave it (path_to_db).
        row = {key: escape_surrogates(value) if isinstance(value, str) else value for key, value in row.items()}
        row["source_path"] = path_to_db(source_path)
        if existing is None:
            row["imported_at"] = stamp
            post_id = self.db["posts"].insert(row).last_pk
        else:
            self.db["posts"].update(existing.id, row)
            post_id = existing.id
        self.set_post_blocks(post_id, blocks)
        return post_id

    def set_post_blocks(self, post_id: int, blocks: Sequence[BlockSpan] | None) -> None:
        """Keep the spans of a post's rendered blocks in its stored text (None: forget them)."""
        if blocks is None:
            self.conn.execute("DELETE FROM post_blocks WHERE post_id = ?", [post_id])
            return
        spans = json.dumps([[b.index, b.start, b.end, b.kind] for b in blocks], separators=(",", ":"))
        self.conn.execute("INSERT OR REPLACE INTO post_blocks (post_id, spans) VALUES (?, ?)", [post_id, spans])

    def post_blocks(self, post_id: int) -> tuple[BlockSpan, ...] | None:
        """The spans of the post's rendered blocks in its stored text; None when not known (a post
        imported by an older Kakikomi, until it is opened)."""
        row = self.conn.execute("SELECT spans FROM post_blocks WHERE post_id = ?", [post_id]).fetchone()
        if row is None:
            return None
        try:
            spans = tuple(BlockSpan(index, start, end, kind) for index, start, end, kind in json.loads(row[0]))
        except (TypeError, ValueError, RecursionError):
            return None  # edited into something else: not known, as for an older library
        if not all(
            type(s.index) is int and type(s.start) is int and type(s.end) is int and isinstance(s.kind, str) for s in spans
        ):
            return None
        return spans

    def content_hashes(self, sources: Sequence[str]) -> dict[Path, str]:
        """The content hashes of the posts from these sources (resolved paths), by path: an
        import tells changed files by them."""
        found: dict[Path, str] = {}
        for at in range(0, len(sources), 500):  # SQLite's limit on parameters, with room to spare
            batch = [path_to_db(source) for source in sources[at : at + 500]]
            rows = self.conn.execute(
                f"SELECT source_path, content_hash FROM posts WHERE source_path IN ({', '.join('?' * len(batch))})", batch
            )
            found.update((Path(path_from_db(path)), digest) for path, digest in rows)
        return found

    def set_reading_offset(self, post_id: int, offset: int) -> None:
        with self.transaction():
            self.conn.execute("UPDATE posts SET reading_offset = ? WHERE id = ?", [max(0, int(offset)), post_id])

    # --- annotations -------------------------------------------------------------------------

    _ANNOTATION_COLUMNS = 'id, post_id, exact, prefix, suffix, start, "end", color, note, created, updated, deleted, orphan'

    def _annotations(self, where: str, params: Sequence) -> list[Annotation]:
        rows = self.conn.execute(
            f'SELECT {self._ANNOTATION_COLUMNS} FROM annotations WHERE {where} ORDER BY post_id, start, "end", created', params
        ).fetchall()
        # The tags of the same highlights in one query (the join finds them by primary key).
        tags: dict[str, list[str]] = {}
        for annotation_id, tag in self.conn.execute(
            f"SELECT t.annotation_id, t.tag FROM annotation_tags t JOIN annotations a ON a.id = t.annotation_id "
            f"WHERE {where} ORDER BY t.annotation_id, t.tag",
            params,
        ):
            tags.setdefault(annotation_id, []).append(tag)
        return [
            Annotation(
                id=r[0], post_id=r[1], exact=r[2], prefix=r[3], suffix=r[4], start=r[5], end=r[6], color=r[7], note=r[8],
                tags=tuple(tags.get(r[0], ())), created=r[9], updated=r[10], deleted=r[11], orphan=bool(r[12]),
            )
            for r in rows
        ]

    def annotations(self, post_id: int | None = None, *, include_deleted: bool = False) -> list[Annotation]:
        """Highlights of one post (or all), in reading order; orphans included, flagged."""
        clauses, params = [], []
        if post_id is not None:
            clauses.append("post_id = ?")
            params.append(post_id)
        if not include_deleted:
            clauses.append("deleted IS NULL")
        return self._annotations(" AND ".join(clauses) or "1", params)

    def annotation(self, annotation_id: str) -> Annotation:
        found = self._annotations("id = ?", [annotation_id])
        if not found:
            raise StoreError(Message("store.no_highlight", "No highlight {id} in the library.", id=repr(annotation_id)))
        return found[0]

    def _ensure_tags(self, tags: Sequence[str]) -> None:
        for tag in tags:
            self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", [tag])

    def _write_tags(self, annotation_id: str, tags: Sequence[str]) -> None:
        self._ensure_tags(tags)
        self.conn.execute("DELETE FROM annotation_tags WHERE annotation_id = ?", [annotation_id])
        for tag in dict.fromkeys(tags):
            self.conn.execute("INSERT INTO annotation_tags (annotation_id, tag) VALUES (?, ?)", [annotation_id, tag])

    def put_annotation(self, annotation: Annotation, *, on_change: Callable[[Annotation], None] | None = None) -> Annotation:
        """Insert or replace one highlight with its tags (inside the caller's transaction or its own)."""
        with self.transaction():
            row = {
                "id": annotation.id, "post_id": annotation.post_id, "exact": annotation.exact,
                "prefix": annotation.prefix, "suffix": annotation.suffix, "start": annotation.start,
                "end": annotation.end, "color": annotation.color, "note": annotation.note,
                "created": annotation.created, "updated": annotation.updated, "deleted": annotation.deleted,
                "orphan": int(annotation.orphan),
            }
            self.db["annotations"].upsert(row, pk="id")
            self._write_tags(annotation.id, annotation.tags)
            if on_change is not None:
                on_change(annotation)
        return annotation

    def move_annotation(self, annotation_id: str, start: int, end: int, prefix: str, suffix: str) -> None:
        """Record that a highlight's unchanged quote now stands at [start, end) (re-anchoring): a
        single row update, since its text, tags and search entries stay as they are."""
        self.conn.execute(
            'UPDATE annotations SET start = ?, "end" = ?, prefix = ?, suffix = ?, orphan = 0 WHERE id = ?',
            [start, end, prefix, suffix, annotation_id],
        )

    # --- tags, corrections, known words -----------------------------------------------------

    def tags(self) -> list[dict]:
        """Every tag with its colour, whether it is built in and how many live highlights use it."""
        return list(
            self._rows(
                "SELECT t.name, t.color, t.builtin, (SELECT count(*) FROM annotation_tags x JOIN annotations a "
                "ON a.id = x.annotation_id WHERE x.tag = t.name AND a.deleted IS NULL) AS uses "
                "FROM tags t ORDER BY t.builtin DESC, t.name"
            )
        )

    def tag_colors(self) -> dict[str, str]:
        """The tags that have a colour (the built-in ones at least), without counting their uses."""
        return dict(self.conn.execute("SELECT name, color FROM tags WHERE color IS NOT NULL").fetchall())

    def set_tag_color(self, name: str, color: str | None) -> None:
        with self.transaction():
            self._ensure_tags([name])
            self.conn.execute("UPDATE tags SET color = ? WHERE name = ?", [color, name])

    def add_correction(self, surface: str, reading: str, *, post_id: int | None = None, before: str = "", after: str = "") -> Correction:
        """Remember the reader's reading of `surface` (for one post, or everywhere when post_id is None)."""
        with self.transaction():
            self.conn.execute(
                "DELETE FROM corrections WHERE post_id IS ? AND surface = ? AND before = ? AND after = ?",
                [post_id, surface, before, after],
            )
            self.conn.execute(
                "INSERT INTO corrections (post_id, surface, before, after, reading, created) VALUES (?, ?, ?, ?, ?, ?)",
                [post_id, surface, before, after, reading, now()],
            )
            new_id = self.conn.execute("SELECT last_insert_rowid()").fetchone()[0]
        return Correction(new_id, surface, reading, post_id, before, after)

    def corrections(self, post_id: int | None = None) -> list[Correction]:
        """Corrections that apply to a post: its own and the ones for everywhere."""
        rows = self.conn.execute(
            "SELECT id, surface, reading, post_id, before, after FROM corrections WHERE post_id IS NULL OR post_id = ? "
            "ORDER BY post_id IS NULL, id",
            [post_id],
        ).fetchall()
        return [Correction(*row) for row in rows]

    def reading_overrides(self, post_id: int | None = None) -> tuple[ReadingOverride, ...]:
        """The corrections that apply to a post, as the renderer and export take them."""
        from app.core.reading.furigana import ReadingOverride  # the tokenizer's module: not needed to open the window

        return tuple(ReadingOverride(c.surface, c.reading, c.before, c.after) for c in self.corrections(post_id))

    def remove_correction(self, correction_id: int) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM corrections WHERE id = ?", [correction_id])

    # --- the learner's words (app.core.library.vocabulary) --------------------------------------

    def known_words(self) -> frozenset[str]:
        """Lemmas the reader knows (status "known"): their furigana is hidden in the filtering modes."""
        return frozenset(r[0] for r in self.conn.execute("SELECT lemma FROM word_status WHERE status = 'known'"))

    def set_known(self, lemma: str, known: bool = True) -> None:
        """Mark `lemma` known, or (known=False) new again."""
        self.set_word_status(lemma, "known" if known else "new")

    def word_status(self, lemma: str) -> str:
        """The status of one lemma: one of WORD_STATUSES, "new" when the reader never set one."""
        row = self.conn.execute("SELECT status FROM word_status WHERE lemma = ?", [lemma]).fetchone()
        return row[0] if row else "new"

    def word_statuses(self) -> dict[str, str]:
        """Every lemma whose status is not "new", with its status."""
        return dict(self.conn.execute("SELECT lemma, status FROM word_status ORDER BY lemma").fetchall())

    def set_word_status(self, lemma: str, status: str) -> bool:
        """Give `lemma` a status ("new" forgets its row); whether anything changed. Inside the
        caller's transaction, or its own."""
        if status not in WORD_STATUSES:
            raise ValueError(Message(
                "words.unknown_status", "Unknown word status {status}: use one of {choices}.",
                status=repr(status), choices=", ".join(WORD_STATUSES),
            ))
        with self.transaction():
            if status == "new":
                return self.conn.execute("DELETE FROM word_status WHERE lemma = ?", [lemma]).rowcount > 0
            changed = self.conn.execute(
                "INSERT INTO word_status (lemma, status, updated) VALUES (?, ?, ?) "
                "ON CONFLICT (lemma) DO UPDATE SET status = excluded.status, updated = excluded.updated "
                "WHERE word_status.status IS NOT excluded.status",
                [lemma, status, now()],
            ).rowcount
            return changed > 0

    def anki_picks(self) -> list[AnkiPick]:
        """The words the reader put in the Anki deck, oldest first."""
        rows = self.conn.execute('SELECT lemma, post_id, start, "end", created FROM anki_picks ORDER BY created, lemma')
        return [AnkiPick(*row) for row in rows]

    def anki_pick(self, lemma: str) -> AnkiPick | None:
        """The Anki deck's pick of `lemma`, None when the word is not in the deck."""
        row = self.conn.execute('SELECT lemma, post_id, start, "end", created FROM anki_picks WHERE lemma = ?', [lemma]).fetchone()
        return AnkiPick(*row) if row is not None else None

    def put_anki_pick(self, lemma: str, post_id: int | None, start: int | None, end: int | None) -> bool:
        """Put `lemma` in the deck, from [start, end) of the post; False if it was there (its place
        is then updated)."""
        with self.transaction():
            found = self.conn.execute('SELECT post_id, start, "end" FROM anki_picks WHERE lemma = ?', [lemma]).fetchone()
            if found is None:
                self.conn.execute(
                    'INSERT INTO anki_picks (lemma, post_id, start, "end", created) VALUES (?, ?, ?, ?, ?)',
                    [lemma, post_id, start, end, now()],
                )
                return True
            if tuple(found) != (post_id, start, end):
                self.conn.execute('UPDATE anki_picks SET post_id = ?, start = ?, "end" = ? WHERE lemma = ?', [post_id, start, end, lemma])
            return False

    def remove_anki_pick(self, lemma: str) -> bool:
        with self.transaction():
            return self.conn.execute("DELETE FROM anki_picks WHERE lemma = ?", [lemma]).rowcount > 0

    # Derived: each post's counted words (library.vocabulary makes them, library.derived keeps them in step).

    def set_post_words(self, post_id: int, words: Sequence[PostWordRow] | None) -> None:
        """Keep the post's counted words and their counts (None: forget them, to be made again
        when asked for). Inside the caller's transaction."""
        self.conn.execute("DELETE FROM post_words WHERE post_id = ?", [post_id])
        if words is None:
            self.conn.execute("DELETE FROM post_word_counts WHERE post_id = ?", [post_id])
            return
        self.conn.executemany(
            "INSERT OR REPLACE INTO post_words (post_id, lemma, surface, reading, count, first_start, first_end) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(post_id, *word) for word in words],
        )
        self.conn.execute(
            "INSERT OR REPLACE INTO post_word_counts (post_id, total, known, ignored) "
            "SELECT ?, coalesce(sum(w.count), 0), coalesce(sum(CASE WHEN s.status = 'known' THEN w.count END), 0), "
            "coalesce(sum(CASE WHEN s.status = 'ignored' THEN w.count END), 0) "
            "FROM post_words w LEFT JOIN word_status s ON s.lemma = w.lemma WHERE w.post_id = ?",
            [post_id, post_id],
        )

    def post_words(self, post_id: int) -> list[PostWordRow] | None:
        """The post's counted words in order of first appearance; None when not made yet."""
        if self.conn.execute("SELECT 1 FROM post_word_counts WHERE post_id = ?", [post_id]).fetchone() is None:
            return None
        rows = self.conn.execute(
            "SELECT lemma, surface, reading, count, first_start, first_end FROM post_words WHERE post_id = ? ORDER BY first_start",
            [post_id],
        )
        return [PostWordRow(*row) for row in rows]

    def posts_without_words(self) -> list[int]:
        """Posts whose counted words are not made yet (imported before the words were kept)."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM posts WHERE id NOT IN (SELECT post_id FROM post_word_counts) ORDER BY id"
        )]

    def known_counts(self, post_id: int | None = None) -> dict[int, tuple[int, int] | None]:
        """Per post (or only `post_id`): (occurrences of known words, occurrences of words not
        ignored), None for a post whose words are not made yet. One query over a table of one row
        per post, which triggers keep in step with the statuses."""
        where, params = ("WHERE p.id = ?", [post_id]) if post_id is not None else ("", [])
        rows = self.conn.execute(
            f"SELECT p.id, c.known, c.total - c.ignored FROM posts p LEFT JOIN post_word_counts c ON c.post_id = p.id {where}",
            params,
        )
        return {found: (known, counted) if known is not None else None for found, known, counted in rows}

    def statuses_of(self, lemmas: Sequence[str]) -> dict[str, str]:
        """The statuses of those of `lemmas` that are not "new"."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(lemmas))
        for at in range(0, len(unique), 500):
            batch = unique[at : at + 500]
            found.update(self.conn.execute(
                f"SELECT lemma, status FROM word_status WHERE lemma IN ({', '.join('?' * len(batch))})", batch
            ).fetchall())
        return found

    def lemmas_without_status(self) -> list[str]:
        """The lemmas of the posts' words (those made) that have no status: the new words."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT lemma FROM post_words WHERE lemma NOT IN (SELECT lemma FROM word_status)"
        )]

    # More status changes than this at once are counted afresh (counted_afterwards) rather than
    # one by one by the triggers (each visits every post).
    RECOUNT_ABOVE = 50

    @contextmanager
    def counted_afterwards(self, changes: int) -> Iterator[None]:
        """Around a change of `changes` statuses (in one transaction): with more than RECOUNT_ABOVE,
        the triggers that count known and ignored words are dropped meanwhile and every post is
        counted afresh afterwards (one pass over post_words instead of one per changed word)."""
        if changes <= self.RECOUNT_ABOVE:
            yield
            return
        with self.transaction():  # a failure rolls the dropped triggers back too
            for name in WORD_COUNT_TRIGGERS:
                self.conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            yield
            self.conn.execute("UPDATE post_word_counts SET known = 0, ignored = 0 WHERE known OR ignored")
            self.conn.execute(
                "UPDATE post_word_counts SET known = coalesce(c.known, 0), ignored = coalesce(c.ignored, 0) FROM ("
                "SELECT w.post_id, sum(CASE WHEN s.status = 'known' THEN w.count END) AS known, "
                "sum(CASE WHEN s.status = 'ignored' THEN w.count END) AS ignored "
                "FROM word_status s JOIN post_words w ON w.lemma = s.lemma WHERE s.status IN ('known', 'ignored') GROUP BY w.post_id"
                ") AS c WHERE c.post_id = post_word_counts.post_id"
            )
            for sql in WORD_COUNT_TRIGGERS.values():
                self.conn.execute(sql)

    def first_occurrences(self, lemmas: Sequence[str]) -> dict[str, tuple[int, int, int]]:
        """For each lemma found in a post: (post id, start, end) of its first occurrence in the
        earliest-imported post that has it (a pass over every post's words: for exports)."""
        rows = self.conn.execute(
            # min() picks the row the other columns come from (SQLite's bare columns); the lemmas
            # come as one JSON list, so the words are read once whatever their number.
            "SELECT lemma, min(post_id), first_start, first_end FROM post_words "
            "WHERE lemma IN (SELECT value FROM json_each(?)) GROUP BY lemma",
            [json.dumps(list(lemmas), ensure_ascii=False)],
        )
        return {lemma: (post_id, start, end) for lemma, post_id, start, end in rows}


def _json_text(value: object) -> str:
    """`value` as the JSON a column keeps: UTF-8 as it is, but lone surrogates (from a file name
    that is not UTF-8) as JSON escapes, which SQLite can store and json.loads gives back."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return json.dumps(value, ensure_ascii=True, default=str) if has_surrogates(text) else text


def _file_kind(mode: int) -> Message:
    """What a file that is not a regular file is, in a few words."""
    for test, kind in (
        (stat.S_ISFIFO, Message("store.kind_fifo", "a named pipe")), (stat.S_ISCHR, Message("store.kind_char", "a character device")),
        (stat.S_ISBLK, Message("store.kind_block", "a block device")), (stat.S_ISSOCK, Message("store.kind_socket", "a socket")),
    ):
        if test(mode):
            return kind
    return Message("store.kind_other", "not a file of data")


def path_to_db(path: str) -> str | bytes:
    """A source path as the library keeps it: text when it is UTF-8 (nearly always), else the
    bytes the OS gave (a BLOB), so a file whose name is not UTF-8 is found again by its name."""
    if not has_surrogates(path):
        return path
    try:
        return os.fsencode(path)
    except UnicodeEncodeError:  # a surrogate no byte stands for: keep it findable all the same
        return path.encode("utf-8", "surrogatepass")


def path_from_db(value: str | bytes) -> str:
    """A source path read from the library: bytes (see path_to_db) back to the name Python uses
    for them (surrogateescape)."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def _is_backup_of(path: Path, version: int) -> bool:
    """Whether `path` is a whole library at schema `version` (a backup worth keeping)."""
    if not path.is_file():  # not there, or not a regular file (a FIFO would block the opening)
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = conn.execute("PRAGMA user_version").fetchone()[0]
            has_posts = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'posts'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return found == version and has_posts == 1


def open_store(path: str | Path | None = None, *, create: bool = True, derivations: Derivations | None = None) -> Store:
    """Open (creating if needed) the library at `path` or the default place. An older library's
    upgrade needs `derivations` (app.core.library.derived.open_library gives them)."""
    return Store(path, create=create, derivations=derivations)


__all__ = ["BUSY_TIMEOUT_MS", "DB_NAME", "Derivations", "Store", "default_db_path", "open_store"]
