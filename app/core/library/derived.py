"""What is derived from posts and highlights, and the one place that keeps it in step.

The store keeps what the reader made: posts and highlights. Three things are derived from them:
the search index (app.core.library.search), the claims table (app.core.claims.table) and each
post's counted words (app.core.library.vocabulary). Every write of the library
(app.core.library.actions, the JSON import in app.core.library.webanno) calls the hooks below
inside its own transaction, so derived data is never a step behind, and no caller repeats the
rule. The store's migrations get the same rebuilds as `DERIVATIONS` when an older
library must be brought up to date: open libraries with `open_library`.

The search and claims modules are imported when first needed: the window opens before it writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.store import Annotation, Derivations, Store, open_store

if TYPE_CHECKING:
    from app.core.library.search import IndexedText
    from app.core.store.records import PostWordRow


def _search():
    from app.core.library import search

    return search


def _claims():
    from app.core.claims import table

    return table


def post_text_changed(
    store: Store,
    post_id: int,
    text: str,
    moved: Iterable[Annotation] = (),
    *,
    words: IndexedText | None = None,
    vocabulary: Sequence[PostWordRow] | None = None,
) -> None:
    """A post was added or its text changed: index the new text (`words`: what the index keeps
    of it, if the caller has it, see search.index_words) and keep its counted words (`vocabulary`,
    vocabulary.word_rows; without them, they are made when first asked for); `moved` are the
    highlights whose quote changed with it. Every claim of the post is refreshed (quotes,
    positions, orphans and the post's date, which the year filter reads, may all have changed)."""
    search = _search()
    store.set_post_words(post_id, vocabulary)
    search.index_post(store, post_id, text, words)
    search.index_post_meta(store, post_id)
    for annotation in moved:
        search.index_annotation(store, annotation)
    _claims().refresh_post_claims(store, post_id)


def highlight_changed(store: Store, annotation: Annotation) -> None:
    """A highlight was made, edited, deleted, restored or merged in: its search entries and its claim."""
    _search().index_annotation(store, annotation)
    _claims().refresh_claims(store, [annotation.id])


def rebuild_search(store: Store) -> None:
    """Index every post and highlight again (a migration that made the indexes anew)."""
    search = _search()
    ids = [row[0] for row in store.conn.execute("SELECT id FROM posts ORDER BY id")]
    for post_id in ids:  # one text in memory at a time
        text = store.conn.execute("SELECT text FROM posts WHERE id = ?", [post_id]).fetchone()[0]
        search.index_post(store, post_id, text)
        search.index_post_meta(store, post_id)
    for annotation in store.annotations():
        search.index_annotation(store, annotation)


def rebuild_titles(store: Store) -> None:
    """Index every post's title, tags and categories (a migration that made them searchable)."""
    search = _search()
    for (post_id,) in store.conn.execute("SELECT id FROM posts").fetchall():
        search.index_post_meta(store, post_id)


def rebuild_claims(store: Store) -> None:
    """Extract every claim again (a migration that made the claims table)."""
    _claims().refresh_claims(store)


DERIVATIONS = Derivations(search=rebuild_search, claims=rebuild_claims, titles=rebuild_titles)


def open_library(path: str | Path | None = None, *, create: bool = True) -> Store:
    """Open (creating if needed) the library at `path` or the default place, with the rebuilds an
    older library's upgrade needs."""
    return open_store(path, create=create, derivations=DERIVATIONS)
