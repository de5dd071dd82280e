"""Tests for app.core.store: the library file, its migrations, and the records kept in it."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from app.core.library import search
from app.core.library.derived import open_library
from app.core.posts.meta import PostMeta
from app.core.store import (
    BUILTIN_TAGS,
    BUSY_TIMEOUT_MS,
    DB_NAME,
    MIGRATIONS,
    SCHEMA_VERSION,
    Annotation,
    Store,
    StoreError,
    new_annotation_id,
    now,
)

POST_TEXT = "春の決算\n半導体の会社が新しい工場の建設を発表した。投資額は千億円を超える。\nThe chip maker expects strong demand.\n"


@pytest.fixture
def store(tmp_path: Path):
    with open_library(tmp_path / "lib.sqlite3") as opened:
        yield opened


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_post(store: Store, source_path: str = "/posts/spring.md", *, title: str = "春の決算", date: str | None = None, text: str = POST_TEXT) -> int:
    meta = PostMeta(title=title, date=date, tags=("決算",), content_hash=hashlib.sha256(text.encode()).hexdigest())
    with store.transaction():
        return store.save_post(meta, source_path=source_path, text=text, front_matter={"title": title})


def make_annotation(post_id: int, quote: str, *, text: str = POST_TEXT, **fields) -> Annotation:
    start = text.index(quote)
    stamp = now()
    return Annotation(
        id=new_annotation_id(), post_id=post_id, exact=quote, prefix=text[max(0, start - 32) : start],
        suffix=text[start + len(quote) : start + len(quote) + 32], start=start, end=start + len(quote),
        created=stamp, updated=stamp, **fields,
    )


def pragma(store: Store, name: str):
    return store.db.execute(f"PRAGMA {name}").fetchone()[0]


def schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name").fetchall()
    finally:
        conn.close()


# --- creating and configuring -----------------------------------------------------------------


def test_a_library_is_created_in_a_fresh_folder(tmp_path: Path) -> None:
    """open_library() makes missing folders and a new file with the current schema and the built-in tags."""
    path = tmp_path / "not" / "yet" / "there" / "lib.sqlite3"
    with open_library(path) as created:
        assert created.version == SCHEMA_VERSION
        assert created.posts() == []
        assert {t["name"] for t in created.tags()} == set(BUILTIN_TAGS)
    assert path.is_file()


def test_without_create_a_missing_library_is_an_error(tmp_path: Path) -> None:
    """create=False never makes a file: a missing library is a StoreError sentence."""
    path = tmp_path / "missing.sqlite3"
    with pytest.raises(StoreError, match="There is no library"):
        open_library(path, create=False)
    assert not path.exists()


def test_the_default_library_lives_in_kakikomi_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no path, the library is $KAKIKOMI_HOME/library.sqlite3."""
    monkeypatch.setenv("KAKIKOMI_HOME", str(tmp_path / "home"))
    with open_library() as opened:
        assert opened.path == tmp_path / "home" / DB_NAME
    assert (tmp_path / "home" / DB_NAME).is_file()


@pytest.mark.parametrize(
    ("name", "expected"),
    [("journal_mode", "wal"), ("foreign_keys", 1), ("busy_timeout", BUSY_TIMEOUT_MS), ("user_version", SCHEMA_VERSION)],
)
def test_the_connection_is_configured(store: Store, name: str, expected) -> None:
    """WAL journal, foreign keys on, a busy timeout, and the schema version in user_version."""
    assert pragma(store, name) == expected


def test_the_busy_timeout_is_long_enough_to_wait_for_another_writer() -> None:
    """Two processes writing at once wait for each other for seconds, not milliseconds."""
    assert BUSY_TIMEOUT_MS >= 5000


def test_wal_mode_is_kept_in_the_file(store: Store) -> None:
    """Another connection (another process) sees the file in WAL mode too."""
    other = sqlite3.connect(store.path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


def test_foreign_keys_are_enforced(store: Store) -> None:
    """A highlight of a post that does not exist is refused by the database."""
    with pytest.raises(sqlite3.IntegrityError):
        store.put_annotation(make_annotation(999, "工場"))
    assert store.annotations(include_deleted=True) == []


def test_a_failed_transaction_leaves_nothing_behind(store: Store) -> None:
    """Everything inside store.transaction() is rolled back when it raises."""
    post_id = add_post(store)
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.put_annotation(make_annotation(post_id, "工場"))
            store.set_known("工場")
            raise RuntimeError("stop")
    assert store.annotations(include_deleted=True) == []
    assert store.known_words() == frozenset()


# --- migrations -------------------------------------------------------------------------------


def _seed_v1(db: sqlite_utils.Database) -> None:
    """Rows as Kakikomi with schema 1 wrote them."""
    db.execute(
        "INSERT INTO posts (id, source_path, title, date, tags, encoding, content_hash, text, reading_offset, imported_at, updated_at) "
        "VALUES (1, '/posts/spring.md', '春の決算', '2024-04-01', '[\"決算\"]', 'utf-8', 'hash-1', ?, 17, 't1', 't1')",
        [POST_TEXT],
    )
    rows = [
        ("live-1", "新しい工場の建設", 18, 26, "green", "大事", None, 0),
        ("gone-1", "投資額", 31, 34, "yellow", "", "2024-04-02T00:00:00.000000Z", 0),
        ("lost-1", "消えた文", 0, 4, "pink", "元の文は消えた", None, 1),
    ]
    for row in rows:
        db.execute(
            'INSERT INTO annotations (id, post_id, exact, start, "end", color, note, created, updated, deleted, orphan) '
            "VALUES (?, 1, ?, ?, ?, ?, ?, 't1', 't1', ?, ?)",
            list(row),
        )
    db.execute("INSERT INTO tags (name, color) VALUES ('要確認', '#123456')")
    db.execute("INSERT INTO annotation_tags VALUES ('live-1', 'investment'), ('live-1', '要確認')")
    db.execute("INSERT INTO corrections (post_id, surface, reading, created) VALUES (1, '工場', 'こうば', 't1')")
    db.execute("INSERT INTO corrections (post_id, surface, reading, created) VALUES (NULL, '半導体', 'はんどうたい', 't1')")
    db.execute("INSERT INTO known_words VALUES ('会社', 't1')")


def _seed_v4(db: sqlite_utils.Database) -> None:
    """Rows as Kakikomi with schema 4 wrote them: the same, with each post's length stored."""
    _seed_v1(db)
    db.execute("UPDATE posts SET length = length(text)")


# The rows each schema version can hold; a version without its own seed uses the latest older one.
SEEDS = {0: lambda db: None, 1: _seed_v1, 4: _seed_v4}


def build_old_library(path: Path, version: int) -> None:
    """A library as it was at schema `version`: MIGRATIONS[:version] applied, user_version set, rows added."""
    db = sqlite_utils.Database(path)
    for migration in MIGRATIONS[:version]:
        migration(db)
    db.execute(f"PRAGMA user_version = {version}")
    SEEDS[max(k for k in SEEDS if k <= version)](db)
    db.conn.commit()
    db.conn.close()


def test_every_schema_version_has_a_migration_and_seed_rows() -> None:
    """SCHEMA_VERSION counts the migrations, and this test file knows rows for every version but the empty one."""
    assert SCHEMA_VERSION == len(MIGRATIONS) >= 1
    assert 1 in SEEDS


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
def test_an_older_library_is_migrated_to_the_current_schema(tmp_path: Path, version: int) -> None:
    """A library from any earlier schema opens with the current schema, identical to a fresh one's."""
    path = tmp_path / "old.sqlite3"
    build_old_library(path, version)
    with open_library(path) as migrated:
        assert migrated.version == SCHEMA_VERSION
    with open_library(tmp_path / "fresh.sqlite3"):
        pass
    assert schema(path) == schema(tmp_path / "fresh.sqlite3")


@pytest.mark.parametrize("version", [v for v in range(1, SCHEMA_VERSION)])
def test_an_older_librarys_rows_survive_the_migration(tmp_path: Path, version: int) -> None:
    """Posts, highlights (live, deleted, orphaned), tags, corrections and known words are all still there."""
    path = tmp_path / "old.sqlite3"
    build_old_library(path, version)
    with open_library(path) as migrated:
        post = migrated.post(1)
        assert (post.title, post.text, post.date, post.tags, post.reading_offset) == ("春の決算", POST_TEXT, "2024-04-01", ("決算",), 17)
        assert post.highlight_count == 2
        assert post.length == len(POST_TEXT)  # schema 4 stores it; older files get it counted
        assert [p.length for p in migrated.posts()] == [len(POST_TEXT)]
        everything = {a.id: a for a in migrated.annotations(include_deleted=True)}
        assert set(everything) == {"live-1", "gone-1", "lost-1"}
        assert [a.id for a in migrated.annotations(1)] == ["lost-1", "live-1"]
        live = everything["live-1"]
        assert (live.exact, live.start, live.end, live.color, live.note, live.tags) == (
            "新しい工場の建設", 18, 26, "green", "大事", ("investment", "要確認"),
        )
        assert everything["gone-1"].deleted == "2024-04-02T00:00:00.000000Z"
        assert everything["lost-1"].orphan is True
        assert {t["name"]: t["color"] for t in migrated.tags()}["要確認"] == "#123456"
        assert {(c.surface, c.reading, c.post_id) for c in migrated.corrections(1)} == {("工場", "こうば", 1), ("半導体", "はんどうたい", None)}
        assert migrated.known_words() == frozenset({"会社"})


@pytest.mark.parametrize("version", [v for v in range(1, SCHEMA_VERSION)])
def test_a_backup_is_made_before_migrating(tmp_path: Path, version: int) -> None:
    """Before its schema changes, the file is copied to NAME.vN.bak, which still holds schema N and its rows."""
    path = tmp_path / "old.sqlite3"
    build_old_library(path, version)
    open_library(path).close()
    backup = tmp_path / f"old.sqlite3.v{version}.bak"
    assert backup.is_file()
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        assert conn.execute("SELECT title FROM posts").fetchall() == [("春の決算",)]
        assert conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 3
    finally:
        conn.close()


def test_a_current_library_is_not_backed_up_again(tmp_path: Path) -> None:
    """Opening an up-to-date library makes no backup file."""
    path = tmp_path / "lib.sqlite3"
    open_library(path).close()
    open_library(path).close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".bak")) == []


def test_posts_from_before_the_search_index_are_found_after_the_upgrade(tmp_path: Path) -> None:
    """After upgrading a schema-1 library, search finds its posts' text and its highlights' notes."""
    path = tmp_path / "old.sqlite3"
    build_old_library(path, 1)
    with open_library(path) as migrated:
        assert {h.kind for h in search.search(migrated, "新しい工場")} >= {"text"}
        assert [h.kind for h in search.search(migrated, "大事")] == ["note"]


# --- refusing files -------------------------------------------------------------------------


def test_a_library_from_a_newer_kakikomi_is_refused_untouched(tmp_path: Path) -> None:
    """A schema newer than this Kakikomi knows is a StoreError saying so; the file's bytes do not change."""
    path = tmp_path / "lib.sqlite3"
    with open_library(path) as newer:
        add_post(newer)
        newer.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = digest(path)
    with pytest.raises(StoreError) as caught:
        open_library(path)
    message = str(caught.value)
    assert "newer Kakikomi" in message and str(path) in message
    assert "\n" not in message and message.endswith(".")
    assert digest(path) == before
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_a_newer_library_in_rollback_journal_mode_is_refused_untouched(tmp_path: Path) -> None:
    """A newer library that is not in WAL mode (copied, restored, or made by other tools) is refused without a write."""
    path = tmp_path / "lib.sqlite3"
    db = sqlite_utils.Database(path)
    for migration in MIGRATIONS:
        migration(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    db.conn.commit()
    db.conn.close()
    before = digest(path)
    with pytest.raises(StoreError, match="newer Kakikomi"):
        open_library(path)
    assert digest(path) == before


def _sqlite_bytes(tmp_path: Path) -> bytes:
    """A real library of a few pages, as bytes."""
    source = tmp_path / "source.sqlite3"
    with open_library(source) as made:
        post_id = add_post(made)
        for n in range(200):
            made.set_known(f"単語{n}" * 10)
        made.put_annotation(make_annotation(post_id, "工場"))
        made.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return source.read_bytes()


_NOISE = random.Random(20240501)  # seeded: the same "random" files on every run

CORRUPT = {
    "random bytes": lambda good: _NOISE.randbytes(8192),
    "a text file": lambda good: "これはメモ帳で書いた普通の文章です。\nNot a database.\n".encode() * 20,
    "a truncated library": lambda good: good[: len(good) // 2],
    "only the first 100 bytes": lambda good: good[:100],
    "an SQLite header then noise": lambda good: good[:16] + _NOISE.randbytes(4096),
    "a zeroed middle": lambda good: good[:4096] + bytes(4096) + good[8192:],
}


@pytest.mark.parametrize("kind", CORRUPT)
def test_a_damaged_file_is_refused_with_a_sentence_and_left_untouched(tmp_path: Path, kind: str) -> None:
    """Random bytes, text, a truncated or damaged library: a one-sentence StoreError, and the bytes stay as they were."""
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(CORRUPT[kind](_sqlite_bytes(tmp_path)))
    before = digest(path)
    with pytest.raises(StoreError) as caught:
        with open_library(path) as opened:
            opened.posts()  # damage a quick check misses must still surface as StoreError
    message = str(caught.value)
    assert str(path) in message
    assert "\n" not in message and message.endswith(".")
    assert "left untouched" in message or "damaged" in message or "not a Kakikomi library" in message
    assert digest(path) == before


@pytest.mark.parametrize("ddl", ["CREATE TABLE bookmarks (url TEXT, title TEXT)", "CREATE TABLE posts (body TEXT)"])
def test_another_programs_sqlite_file_is_refused_untouched(tmp_path: Path, ddl: str) -> None:
    """An SQLite database that is not a Kakikomi library is refused, and not a byte of it changes."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute(ddl)
    conn.commit()
    conn.close()
    before = digest(path)
    try:
        open_library(path).close()
    except StoreError as exc:
        message = str(exc)
    else:
        message = "(opened as a library)"
    assert "not a Kakikomi library" in message
    assert digest(path) == before


def test_a_folder_is_not_a_library(tmp_path: Path) -> None:
    """--db pointing at a folder is a StoreError naming it."""
    with pytest.raises(StoreError, match="is a folder"):
        open_library(tmp_path)


# --- posts ----------------------------------------------------------------------------------


def test_posts_are_found_by_id_and_by_path(store: Store) -> None:
    """post() takes an id, an id as text or the source path; post_by_path() takes the path."""
    post_id = add_post(store, "/posts/spring.md")
    other = add_post(store, "/posts/autumn.md", title="秋の決算")
    assert store.post(post_id).source_path == "/posts/spring.md"
    assert store.post(str(other)).title == "秋の決算"
    assert store.post("/posts/autumn.md").id == other
    assert store.post_by_path("/posts/spring.md").id == post_id
    assert store.post_by_path("/posts/winter.md") is None


@pytest.mark.parametrize("ref", [42, "42", "/posts/winter.md", "winter.md", ""])
def test_an_unknown_post_is_a_store_error(store: Store, ref) -> None:
    """An unknown id or path is a StoreError that says how to list the posts."""
    add_post(store)
    with pytest.raises(StoreError, match="No post .* `kakikomi list`"):
        store.post(ref)


def test_posts_are_listed_newest_first(store: Store) -> None:
    """posts() sorts by date, newest first."""
    add_post(store, "/a.md", title="古い", date="2023-01-01")
    add_post(store, "/b.md", title="新しい", date="2024-06-01")
    add_post(store, "/c.md", title="中間", date="2023-09-01")
    assert [p.title for p in store.posts()] == ["新しい", "中間", "古い"]


def test_the_reading_offset_is_stored_and_never_negative(store: Store) -> None:
    """set_reading_offset() remembers where the reader was; a negative offset becomes 0."""
    post_id = add_post(store)
    store.set_reading_offset(post_id, 25)
    assert store.post(post_id).reading_offset == 25
    store.set_reading_offset(post_id, -4)
    assert store.post(post_id).reading_offset == 0


# --- annotations ----------------------------------------------------------------------------


def test_deleted_highlights_are_markers_hidden_by_default(store: Store) -> None:
    """annotations() hides deleted highlights unless include_deleted; they are never removed."""
    post_id = add_post(store)
    live = store.put_annotation(make_annotation(post_id, "新しい工場", tags=("chip",)))
    gone = store.put_annotation(make_annotation(post_id, "投資額", deleted=now()))
    assert [a.id for a in store.annotations(post_id)] == [live.id]
    assert [a.id for a in store.annotations(post_id, include_deleted=True)] == [live.id, gone.id]
    assert [a.id for a in store.annotations()] == [live.id]
    assert store.annotation(gone.id).deleted is not None
    assert store.post(post_id).highlight_count == 1


def test_orphans_are_listed_and_flagged(store: Store) -> None:
    """An orphaned highlight is kept in the list, with orphan True."""
    post_id = add_post(store)
    orphan = store.put_annotation(make_annotation(post_id, "工場", orphan=True))
    assert [(a.id, a.orphan) for a in store.annotations(post_id)] == [(orphan.id, True)]


def test_highlights_come_back_in_reading_order_with_their_fields(store: Store) -> None:
    """annotations() lists a post's highlights by position, with colour, note and sorted tags."""
    post_id = add_post(store)
    later = store.put_annotation(make_annotation(post_id, "strong demand", color="blue", note="英語の部分", tags=("claim", "chip")))
    earlier = store.put_annotation(make_annotation(post_id, "半導体"))
    found = store.annotations(post_id)
    assert [a.id for a in found] == [earlier.id, later.id]
    assert (found[1].color, found[1].note, found[1].tags, found[1].exact) == ("blue", "英語の部分", ("chip", "claim"), "strong demand")


def test_put_annotation_replaces_by_id(store: Store) -> None:
    """Writing a highlight with an existing id replaces it, tags included."""
    post_id = add_post(store)
    first = store.put_annotation(make_annotation(post_id, "工場", tags=("chip", "question")))
    store.put_annotation(Annotation(**{**first.__dict__, "note": "書き直し", "tags": ("company",)}))
    again = store.annotation(first.id)
    assert (again.note, again.tags) == ("書き直し", ("company",))
    assert len(store.annotations(include_deleted=True)) == 1


def test_an_unknown_highlight_is_a_store_error(store: Store) -> None:
    """annotation() of an id that is not there is a StoreError."""
    with pytest.raises(StoreError, match="No highlight"):
        store.annotation("no-such-id")


# --- tags -----------------------------------------------------------------------------------


def test_the_built_in_tags_come_with_their_colours(store: Store) -> None:
    """chip, investment, company, claim and question are built in, each with its colour."""
    assert set(BUILTIN_TAGS) == {"chip", "investment", "company", "claim", "question"}
    tags = {t["name"]: t for t in store.tags()}
    for name, color in BUILTIN_TAGS.items():
        assert (tags[name]["color"], tags[name]["builtin"], tags[name]["uses"]) == (color, 1, 0)
        assert color.startswith("#") and len(color) == 7


def test_tag_use_counts_only_live_highlights(store: Store) -> None:
    """tags() counts the highlights using each tag, leaving deleted ones out; a reader's tag is not built in."""
    post_id = add_post(store)
    store.put_annotation(make_annotation(post_id, "工場", tags=("chip", "工場メモ")))
    store.put_annotation(make_annotation(post_id, "半導体", tags=("chip",)))
    store.put_annotation(make_annotation(post_id, "投資額", tags=("chip",), deleted=now()))
    tags = {t["name"]: t for t in store.tags()}
    assert tags["chip"]["uses"] == 2
    assert (tags["工場メモ"]["uses"], tags["工場メモ"]["builtin"], tags["工場メモ"]["color"]) == (1, 0, None)
    assert [t["name"] for t in store.tags()][: len(BUILTIN_TAGS)] == sorted(BUILTIN_TAGS)


@pytest.mark.parametrize(("name", "color"), [("chip", "#000000"), ("新しいタグ", "#abcdef"), ("investment", None)])
def test_set_tag_color_changes_or_creates_a_tag(store: Store, name: str, color: str | None) -> None:
    """set_tag_color() recolours a tag (built in or not), creating it when it is new."""
    store.set_tag_color(name, color)
    tags = {t["name"]: t for t in store.tags()}
    assert tags[name]["color"] == color
    assert tags[name]["builtin"] == (1 if name in BUILTIN_TAGS else 0)


# --- corrections and known words ------------------------------------------------------------


def test_corrections_apply_to_their_post_and_everywhere(store: Store) -> None:
    """A post sees its own corrections first, then the global ones; another post sees only the global ones."""
    first, second = add_post(store, "/a.md"), add_post(store, "/b.md")
    everywhere = store.add_correction("半導体", "はんどうたい")
    own = store.add_correction("工場", "こうば", post_id=first, before="新しい", after="の")
    assert [c.id for c in store.corrections(first)] == [own.id, everywhere.id]
    assert [c.id for c in store.corrections(second)] == [everywhere.id]
    assert [c.id for c in store.corrections(None)] == [everywhere.id]
    found = store.corrections(first)[0]
    assert (found.surface, found.reading, found.post_id, found.before, found.after) == ("工場", "こうば", first, "新しい", "の")


def test_a_new_correction_replaces_the_old_one_for_the_same_word_and_place(store: Store) -> None:
    """Correcting the same surface in the same context again keeps only the latest reading."""
    post_id = add_post(store)
    store.add_correction("工場", "こうば", post_id=post_id)
    store.add_correction("工場", "こうじょう", post_id=post_id)
    store.add_correction("工場", "こうば")
    store.add_correction("工場", "こうじょう")
    assert {(c.reading, c.post_id) for c in store.corrections(post_id)} == {("こうじょう", None), ("こうじょう", post_id)}
    assert len(store.corrections(post_id)) == 2


def test_a_correction_can_be_removed(store: Store) -> None:
    """remove_correction() forgets one correction and leaves the rest."""
    kept = store.add_correction("株", "かぶ")
    gone = store.add_correction("今日", "こんにち")
    store.remove_correction(gone.id)
    assert [c.id for c in store.corrections()] == [kept.id]


def test_known_words_are_added_and_removed(store: Store) -> None:
    """set_known() adds a lemma once, and set_known(..., False) removes it."""
    store.set_known("会社")
    store.set_known("会社")
    store.set_known("工場")
    assert store.known_words() == frozenset({"会社", "工場"})
    store.set_known("会社", False)
    store.set_known("存在しない", False)
    assert store.known_words() == frozenset({"工場"})
