"""Posts restored from a backup (issue #19 item 13): opening one shows the backup's copy of its
text and never reads the local file its source names, unless the reader asked for that file.

Real SQLite libraries in tmp_path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.library import actions as library
from app.core.library import opening
from app.core.library.derived import open_library
from app.core.library.webanno import export_json, import_json
from app.core.posts import post as post_module
from app.core.posts.post import load_post
from app.core.posts.render import RenderOptions, render_post
from app.core.reading.furigana_mode import FuriganaMode
from app.core.store import PostRecord

PUBLIC = "---\ntitle: 公開\n---\n\n公開の文章です。良い天気です。\n"
SECRET = "---\ntitle: 日記\n---\n\n秘密の日記です。良い天気です。\n"


@pytest.fixture
def restored(tmp_path: Path):
    """A library restored from a backup whose post names a local file that now holds another text."""
    diary = tmp_path / "private-diary.md"
    diary.write_text(PUBLIC, encoding="utf-8")
    with open_library(tmp_path / "first.sqlite3") as first:
        library.import_paths(first, [diary])
        library.annotate_quote(first, first.post(str(diary)), "良い天気", note="a note")
        backup = export_json(first, tmp_path / "backup.json")
    diary.write_text(SECRET, encoding="utf-8")  # what the backup must never pull in
    store = open_library(tmp_path / "second.sqlite3")
    summary = import_json(store, backup)
    assert len(summary.posts_added) == 1 and not summary.errors
    yield store, store.post(summary.posts_added[0]), diary
    store.close()


def test_opening_a_restored_post_never_reads_its_file(restored, monkeypatch):
    store, record, diary = restored
    read: list = []
    real = post_module.parse_post
    monkeypatch.setattr(post_module, "parse_post", lambda *a, **k: read.append(a) or real(*a, **k))
    assert opening.is_restored(record)
    opened = opening.open_post(store, record.id, FuriganaMode("all"))
    assert read == []
    assert "秘密" not in opened.rendered.plain.text and "公開の文章です。" in opened.rendered.plain.text
    assert store.post(record.id).text == record.text and "秘密" not in store.post(record.id).text
    assert opened.rendered.plain.text == record.text  # its highlights sit where they were
    [highlight] = opened.annotations
    assert record.text[highlight.start : highlight.end] == "良い天気" and not highlight.orphan
    assert opening.RESTORED_MARK in opened.post.warnings
    assert opening.is_restored(opened.record)


def test_a_restored_post_opens_even_when_its_file_is_gone(restored):
    store, record, diary = restored
    diary.unlink()
    opened = opening.open_post(store, record.id, FuriganaMode("all"))
    assert opened.rendered.plain.text == record.text


def test_the_file_the_reader_asked_for_is_imported(restored):
    """Opening the file itself (`kakikomi FILE`: the caller read it) imports it: no longer restored."""
    store, record, diary = restored
    opened = opening.open_post(store, record.id, FuriganaMode("all"), post=load_post(diary))
    assert "秘密" in opened.rendered.plain.text
    assert not opening.is_restored(store.post(record.id))


def test_read_post_files_imports_the_file_not_a_restored_copy(tmp_path: Path):
    diary = tmp_path / "diary.md"
    diary.write_text(PUBLIC, encoding="utf-8")
    with open_library(tmp_path / "first.sqlite3") as first:
        library.import_paths(first, [diary])
        library.annotate_quote(first, first.post(str(diary)), "良い天気")
        backup = export_json(first, tmp_path / "backup.json")
    with open_library(tmp_path / "second.sqlite3") as store:
        summary = import_json(store, backup, read_post_files=True)
        assert not opening.is_restored(store.post(summary.posts_added[0]))


def test_the_mark_survives_reopening_the_library(restored, tmp_path: Path):
    store, record, _diary = restored
    store.close()
    with open_library(tmp_path / "second.sqlite3") as again:
        assert opening.is_restored(again.post(record.id))
        assert json.dumps(again.post(record.id).to_json())  # the mark is an ordinary warning


def _record(text: str) -> PostRecord:
    return PostRecord(id=1, source_path="/nowhere/x.md", title="t", text=text, length=len(text))


@pytest.mark.parametrize(
    "text",
    [
        "a\n\nb\n", "  x\t\n# y*\n", "\u3000字下げの段落。\n", "漢字《かんじ》の`話`\n", "   \n",
        "1. list\n- item\n> quote\n", "&amp; <b> [^1] $x$ :smile: ｜字《じ》 {% raw %}\n", "tail  \n",
        "<span></span>\n", "| a | b |\n|---|---|\n", "```\ncode\n```\n",
    ],
)
def test_the_stored_text_renders_to_itself(text):
    rendered = render_post(opening.restored_post(_record(text)), RenderOptions(mode=FuriganaMode("all")))
    assert rendered.plain.text == text


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab漢字《》｜ \t\u3000\n#*_`[]()<>&;!\\|-+.1$:~{}%\u00a0")), min_size=1))
def test_any_stored_text_renders_to_itself(text):
    if not text.strip("\n"):
        return
    rendered = render_post(opening.restored_post(_record(text)), RenderOptions(mode=FuriganaMode("all")))
    assert rendered.plain.text == (text if text.endswith("\n") else text + "\n")
