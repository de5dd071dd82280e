"""The library and file names that are not UTF-8 (issue #19, defect 3), in the core: the source
path is kept as the bytes the OS gave (found again by them), text that names it is kept escaped
or as JSON escapes, and nothing raises UnicodeEncodeError."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from app.core.library import actions as library
from app.core.library.derived import open_library
from app.core.posts.meta import PostMeta

RAW = b"caf\xe9-\xff.md"


def test_a_source_path_that_is_not_utf8_is_kept_as_given(tmp_path: Path) -> None:
    source = os.fsdecode(os.fsencode(tmp_path) + b"/" + RAW)
    with open_library(tmp_path / "library.sqlite3") as store:
        with store.transaction():
            post_id = store.save_post(
                PostMeta(title="caf\udce9", tags=("t\udcff",)), source_path=source, text="本文", warnings=("named caf\udce9",),
                front_matter={"title": "caf\udce9"},
            )
        record = store.post_by_path(source)
        assert record is not None and record.id == post_id
        assert os.fsencode(record.source_path) == os.fsencode(tmp_path) + b"/" + RAW
        assert record.title == "caf\\xe9"  # shown escaped
        assert record.tags == ("t\udcff",) and record.warnings == ("named caf\udce9",)  # JSON escapes, given back
        assert store.post(source).id == post_id
        assert list(store.content_hashes([source])) == [Path(source)]
    with sqlite3.connect(tmp_path / "library.sqlite3") as conn:
        blob, front = conn.execute("SELECT source_path, front_matter FROM posts").fetchone()
    assert blob == os.fsencode(tmp_path) + b"/" + RAW
    assert json.loads(front) == {"title": "caf\udce9"}


def test_importing_a_folder_goes_past_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\n一つ目。\n", encoding="utf-8")
    Path(os.fsdecode(os.fsencode(folder) + b"/" + RAW)).write_text("名前の悪い記事。\n", encoding="utf-8")
    (folder / "z.md").write_text("# Z\n\n最後。\n", encoding="utf-8")
    with open_library(tmp_path / "library.sqlite3") as store:
        report = library.import_paths(store, [folder])
        assert not report.errors and len(report.added) == 3
        again = library.import_paths(store, [folder])
        assert len(again.unchanged) == 3
        titles = {p.title for p in store.posts()}
    assert "caf\\xe9-\\xff" in titles
