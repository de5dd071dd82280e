"""Importing a folder on every core (app.core.library.prepare): the library it makes is the one
the same import makes in one process, and a worker that cannot run costs nothing but time."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.library import actions as library
from app.core.library import prepare, search
from app.core.library.derived import open_library

POST = """---
title: 投資メモ {n}
date: 2025-{month:02d}-01
tags: [半導体]
---

# 第{n}回

東京の会社が新しい工場に{n}00億円を投じると発表した。NVIDIAのH100を使う計画だ。

| 会社 | 額 |
| --- | --- |
| Meta | {n}0億ドル |

最後の段落には固有の言葉「ことば{n}」がある。
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    posts = tmp_path / "posts"
    posts.mkdir()
    for n in range(1, 31):
        (posts / f"post-{n:02d}.md").write_text(POST.format(n=n, month=1 + n % 12), encoding="utf-8")
    (posts / "broken.md").write_bytes(b"\x00\x01binary")
    return posts


def dump(db: Path) -> dict:
    """What a library holds of its posts: metadata, text, block spans, and what search finds."""
    with open_library(db) as store:
        posts = {
            Path(p.source_path).name: (p.meta, p.text, store.post_blocks(p.id), p.warnings)
            for p in store.posts(with_text=True)
        }
        hits = {q: sorted((h.title, h.kind, h.offset) for h in search.search(store, q)) for q in ("投資", "ことば7", "はっぴょう", "Meta")}
        lexicon = store.conn.execute("SELECT count(*) FROM lexicon").fetchone()[0]
    return {"posts": posts, "hits": hits, "lexicon": lexicon}


def test_workers_make_the_same_library_as_one_process(tmp_path, folder):
    """Thirty posts (and a file that is not one) imported by two worker processes and by this
    process alone: the same posts, texts, block spans, search results and errors."""
    reports = {}
    for workers in (0, 2):
        with open_library(tmp_path / f"lib-{workers}.sqlite3") as store:
            reports[workers] = library.import_paths(store, [folder], workers=workers)
    assert len(reports[2].added) == len(reports[0].added) == 30
    assert [Path(f).name for f, _ in reports[2].errors] == [Path(f).name for f, _ in reports[0].errors] == ["broken.md"]
    one, two = dump(tmp_path / "lib-0.sqlite3"), dump(tmp_path / "lib-2.sqlite3")
    assert two == one
    assert one["hits"]["ことば7"] and one["hits"]["はっぴょう"]


def test_an_unchanged_folder_is_only_read_again(tmp_path, folder, monkeypatch):
    """Importing the same folder twice: every post is unchanged the second time, and nothing is
    rendered (the workers compare content hashes before rendering)."""
    with open_library(tmp_path / "lib.sqlite3") as store:
        library.import_paths(store, [folder], workers=2)
        edited = folder / "post-05.md"
        edited.write_text(edited.read_text(encoding="utf-8").replace("ことば5", "ことば五"), encoding="utf-8")
        again = library.import_paths(store, [folder], workers=2)
        assert len(again.unchanged) == 29 and len(again.updated) == 1 and not again.added
        assert search.search(store, "ことば五")


def test_a_pool_that_cannot_start_falls_back_to_this_process(tmp_path, folder, monkeypatch):
    """Worker processes that cannot be started (as in a frozen app without them) only cost time."""

    class NoProcesses:
        def __init__(self, *args, **kwargs):
            raise OSError("no processes here")

    monkeypatch.setattr(prepare, "_new_pool", NoProcesses)
    with open_library(tmp_path / "lib.sqlite3") as store:
        report = library.import_paths(store, [folder], workers=2)
    assert len(report.added) == 30 and len(report.errors) == 1


def test_a_worker_that_dies_hands_its_files_back(tmp_path, folder, monkeypatch):
    """A worker killed midway: the files it had not handed on are prepared in this process."""
    from concurrent.futures.process import BrokenProcessPool

    class DyingPool:
        def __init__(self, *args, **kwargs):
            self.calls = 0

        def submit(self, fn, chunk):
            self.calls += 1
            dead = self.calls > 2

            class Future:
                def result(self_inner):
                    if dead:
                        raise BrokenProcessPool("a worker died")
                    return fn(chunk)

            return Future()

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(prepare, "_new_pool", DyingPool)
    with open_library(tmp_path / "lib.sqlite3") as store:
        report = library.import_paths(store, [folder], workers=2)
    assert len(report.added) == 30 and len(report.errors) == 1


def test_few_files_are_prepared_in_this_process():
    """A handful of files never start a pool (it would cost more than it saves)."""
    assert prepare.worker_count(prepare.MIN_FILES_FOR_WORKERS - 1) == 0
