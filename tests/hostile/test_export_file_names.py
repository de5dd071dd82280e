"""Exports of a post whose file name is not UTF-8 (issue #19, defect 3, exports): the library keeps
the name as the OS gave it (bytes); Markdown and CSV write it escaped (\\xe9) and stay valid UTF-8,
JSON writes it as a file:// URI of its bytes, and importing that JSON finds the same file again.
Never `internal error: UnicodeEncodeError`.

Real SQLite libraries in tmp_path; the CLI through tests.helpers.cli_runner.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
import yaml

from app.core.library import actions as library
from app.core.library.annotation_schema import path_of
from app.core.library.derived import open_library
from app.core.library.export import ExportError, export_csv, export_markdown
from app.core.library.webanno import export_json, file_uri, import_json
from tests.helpers.cli_runner import run_cli

BAD = b"caf\xe9-\xff"  # Latin-1 and a byte no encoding maps: not UTF-8
SHOWN = "caf\\xe9-\\xff"


def _name(folder: Path, raw: bytes) -> Path:
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + raw))


@pytest.fixture
def shelf(tmp_path: Path):
    """A library with the badly named post (highlighted) and a good one."""
    posts = tmp_path / "posts"
    posts.mkdir()
    bad = _name(posts, BAD + b".md")
    bad.write_text("名前の悪い記事です。工場の話。\n", encoding="utf-8")
    (posts / "a.md").write_text("# A\n\n最初の記事です。工場の話。\n", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    store = open_library(home / "library.sqlite3")
    library.import_paths(store, [bad, posts / "a.md"])
    for post in store.posts():
        library.annotate_quote(store, post, "工場")
    yield store, bad, {"KAKIKOMI_HOME": str(home)}
    store.close()


def _bad_post(store, bad: Path):
    post = store.post_by_path(str(bad))
    assert post is not None and os.fsencode(post.source_path) == os.fsencode(bad)
    return post


def test_markdown_in_one_file_writes_the_name_escaped(shelf, tmp_path):
    store, bad, _env = shelf
    [written] = export_markdown(store, tmp_path / "out.md")
    text = written.read_bytes().decode("utf-8")  # valid UTF-8
    front = yaml.safe_load(text.split("---\n")[1])
    assert any(source.endswith(f"{SHOWN}.md") for source in front["source"])


def test_markdown_of_the_one_post_and_a_folder_export(shelf, tmp_path):
    store, bad, _env = shelf
    post = _bad_post(store, bad)
    [one] = export_markdown(store, tmp_path / "one.md", post_ids=[post.id])
    front = yaml.safe_load(one.read_bytes().decode("utf-8").split("---\n")[1])
    assert front["source"] == str(bad.parent) + f"/{SHOWN}.md"
    # Again: a re-export merges into the file it wrote.
    export_markdown(store, tmp_path / "one.md", post_ids=[post.id])
    assert one.read_bytes().decode("utf-8").count("工場") == 1
    written = export_markdown(store, tmp_path / "folder")
    assert len(written) == 2
    for path in (tmp_path / "folder").iterdir():
        path.read_bytes().decode("utf-8")
    assert os.fsencode(BAD + b".md") in [os.fsencode(p.name) for p in (tmp_path / "folder").iterdir()]


def test_a_folder_export_onto_the_post_file_itself_is_refused(shelf):
    """The check that an export never overwrites a post file knows names kept as bytes too."""
    store, bad, _env = shelf
    post = _bad_post(store, bad)
    with pytest.raises(ExportError, match="would overwrite a post"):
        export_markdown(store, bad.parent, post_ids=[post.id])


def test_csv_writes_the_name_escaped(shelf, tmp_path):
    store, bad, _env = shelf
    path = export_csv(store, tmp_path / "out.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert sorted(Path(r["source"]).name for r in rows) == sorted(["a.md", f"{SHOWN}.md"])


def test_json_round_trips_the_name_as_the_os_gave_it(shelf, tmp_path):
    store, bad, _env = shelf
    post = _bad_post(store, bad)
    path = export_json(store, tmp_path / "backup.json")
    data = json.loads(path.read_bytes().decode("utf-8"))
    sources = {p["source"] for p in data["kk:posts"]}
    assert file_uri(post.source_path) in sources and "%E9-%FF" in file_uri(post.source_path)
    assert path_of(file_uri(post.source_path)) == post.source_path
    with open_library(tmp_path / "restored.sqlite3") as other:
        summary = import_json(other, path)
        assert not summary.errors and len(summary.added) == 2
        restored = other.post_by_path(post.source_path)
        assert restored is not None and restored.text == post.text
        assert [a.exact for a in other.annotations(restored.id)] == ["工場"]
    with open_library(tmp_path / "from-files.sqlite3") as other:
        summary = import_json(other, path, read_post_files=True)
        assert not summary.errors and len(summary.added) == 2
        assert other.post_by_path(post.source_path) is not None


def test_importing_the_same_backup_again_changes_nothing(shelf, tmp_path):
    store, _bad, _env = shelf
    path = export_json(store, tmp_path / "backup.json")
    summary = import_json(store, path)
    assert not summary.errors and len(summary.unchanged) == 2 and not summary.posts_added


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_the_cli_exports_without_an_internal_error(shelf, tmp_path, fmt):
    _store, _bad, env = shelf
    out = tmp_path / f"out.{fmt}"
    result = run_cli("export", "--format", fmt, "-o", str(out), env=env)
    assert result.code == 0, result.stderr
    assert "internal error" not in result.stderr
    out.read_bytes().decode("utf-8-sig")


def test_a_lone_surrogate_no_byte_stands_for_still_gets_a_uri():
    uri = file_uri("/tmp/x\ud800.md")
    assert uri.startswith("file:///tmp/x") and uri.isascii()
