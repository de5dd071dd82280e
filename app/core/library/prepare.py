"""Getting files ready for the library: read, render, split into search words and read aloud for
the search index, and count the learner's words, in worker processes when there are many.

Importing a post is mostly CPU work that needs no database: decoding the file, rendering its
Markdown to the plain text and block spans the store keeps, and MeCab's passes over the text for
the search index (its words, and its reading in context). `prepared` does that work for a list of
files on every core (the writes stay with the caller, one transaction per file) and yields the
results in the files' order. Few files, or a machine with one core, are prepared in this process:
starting workers costs about half a second.

Workers are started by a fresh server process ("forkserver"; "spawn" where there is none), never
forked from the caller, which may be the window with Qt's threads running.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.common.cpus import usable_cpus
from app.core.common.messages import as_message
from app.core.posts.plain_text import PlainText
from app.core.posts.post import Post, PostError, load_post
from app.core.posts.render import RenderOptions, render_post
from app.core.reading.furigana_mode import FuriganaMode

if TYPE_CHECKING:
    from app.core.library.search import IndexedText
    from app.core.store.records import PostWordRow

# Below this many files a pool is not worth its start-up.
MIN_FILES_FOR_WORKERS = 24
# Files handed to a worker at a time: enough to keep it busy, few enough to keep the order moving.
_CHUNK = 4


@dataclass(frozen=True)
class Prepared:
    """A file ready to be stored: the post, its plain text, what the search index keeps of it
    (its words, grams and reading: app.core.library.search.index_words) and its counted words
    (app.core.library.vocabulary.word_rows) — or, when its content
    is what the library already has (`unchanged`), only the post; or the one-sentence reason it
    cannot be imported (a core Message: its id crosses the worker processes with it)."""

    path: Path
    post: Post | None = None
    plain: PlainText | None = None
    words: IndexedText | None = None
    unchanged: bool = False
    error: str | None = None
    vocabulary: list[PostWordRow] | None = None  # its counted words (library.vocabulary), from the same MeCab pass


def prepare(path: Path, stored_hash: str | None = None, post: Post | None = None, plain: PlainText | None = None) -> Prepared:
    """Read (unless `post` is given), render (unless `plain` is) and split `path` into search
    words; a file whose content hash is `stored_hash` is not rendered (it is unchanged)."""
    from app.core.library.search import index_words
    from app.core.library.vocabulary import word_rows
    from app.core.reading.furigana import index_pass_words

    try:
        post = post if post is not None else load_post(path)
        if stored_hash is not None and post.content_hash == stored_hash:
            return Prepared(path, post, unchanged=True)
        if plain is None:
            plain = render_post(post, RenderOptions(mode=FuriganaMode("off"))).plain
    except PostError as exc:
        return Prepared(path, error=as_message(exc))
    # One MeCab pass gives the search index its words and readings, and the counted words.
    found, spans, counted = index_pass_words(plain.text)
    return Prepared(path, post, plain, index_words(plain.text, made=(found, spans)), vocabulary=word_rows(counted))


def _prepare_many(jobs: Sequence[tuple[Path, str | None]]) -> list[Prepared]:
    return [prepare(path, stored_hash) for path, stored_hash in jobs]


def worker_count(files: int) -> int:
    """How many worker processes to prepare `files` files with (0: do it in this process)."""
    cores = usable_cpus()
    if files < MIN_FILES_FOR_WORKERS or cores < 2 or os.environ.get("KAKIKOMI_NO_WORKERS"):
        return 0
    return cores


def _new_pool(workers: int):
    # The pool's modules are loaded only for a pool (the window imports this module at start-up).
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=_context())


def _context():
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def prepared(
    files: Sequence[Path],
    stored_hashes: Mapping[Path, str],
    *,
    known: Mapping[Path, tuple[Post, PlainText | None]] | None = None,
    workers: int | None = None,
) -> Iterator[Prepared]:
    """Each of `files` prepared, in order. `stored_hashes` are the content hashes the library
    holds, by resolved path (those files are only read, to tell whether they changed); `known`
    files were read already (and perhaps rendered) by the caller. Stopping the iteration early
    cancels the work not yet started."""
    known = known or {}
    resolved = [path.expanduser().resolve() for path in files]
    count = worker_count(len(files)) if workers is None else workers
    if count == 0 or known:
        for path, full in zip(files, resolved):
            post, plain = known.get(full, (None, None))
            yield prepare(path, stored_hashes.get(full), post, plain)
        return
    from concurrent.futures.process import BrokenProcessPool

    jobs = [(path, stored_hashes.get(full)) for path, full in zip(files, resolved)]
    chunks = [jobs[i : i + _CHUNK] for i in range(0, len(jobs), _CHUNK)]
    done = 0  # chunks handed on
    try:
        pool = _new_pool(count)
    except (OSError, ValueError, RuntimeError):
        pool = None  # no processes to be had: this process does the work
    if pool is not None:
        try:
            # At most a few chunks ahead of the writer: memory stays flat on a folder of any size.
            futures = [pool.submit(_prepare_many, chunk) for chunk in chunks[: 4 * count]]
            for index in range(len(chunks)):
                results = futures[index].result()
                futures[index] = None  # type: ignore[call-overload]  # handed on: let them go
                if len(futures) < len(chunks):
                    futures.append(pool.submit(_prepare_many, chunks[len(futures)]))
                done += 1
                yield from results
        except (BrokenProcessPool, OSError, RuntimeError, pickle.PicklingError):
            # A worker died or could not start (a frozen app without multiprocessing support,
            # a lack of memory): the files it had not handed on are prepared here.
            pass
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    for chunk in chunks[done:]:
        yield from _prepare_many(chunk)
