"""Hostile input, round two: posts whose size hides in what the old cap did not count.

Every stage is bounded by the work it does: characters counting white space, lines, table cells,
and runs of one character (which MeCab would weigh at every length). A post beyond a bound gets
one sentence and exit 2 within the CLI's CPU and memory budget (tests/helpers/cli_runner.py);
one within the bounds is shown. Also the front matter YAML 1.1 would misread.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.posts.post import MAX_TEXT_LINES, parse_post
from app.core.posts.render import MAX_TABLE_CELLS, RenderOptions, render_post
from app.core.reading import furigana
from app.core.reading.furigana_mode import FuriganaMode
from tests.helpers.cli_runner import ONE_SENTENCE, run_cli

FLOODS = {
    "newlines": ("本文\n" + "\n" * 19_000_000 + "終わり\n", "counting spaces and line breaks"),
    "spaces": ("本文 " + " " * 19_000_000 + "終わり\n", "counting spaces and line breaks"),
    "dash-lines": ("-\n" * 399_000, "lines"),
    "deep-list": ("".join("  " * i + "- x\n" for i in range(3000)), "counting spaces and line breaks"),
    "table-cells": ("|a" * 5000 + "|\n" + "|-" * 5000 + "|\n" + ("|漢字" * 5000 + "|\n") * 20, "table cell borders"),
}


@pytest.mark.parametrize("kind", sorted(FLOODS))
@pytest.mark.parametrize("command", ["info", "render"])
def test_a_flood_is_refused_in_one_sentence_within_the_budget(tmp_path: Path, kind: str, command: str) -> None:
    text, words = FLOODS[kind]
    post = tmp_path / f"{kind}.md"
    post.write_text(text, encoding="utf-8")
    args = [command, str(post)] + (["-o", str(tmp_path / "out.html")] if command == "render" else [])
    result = run_cli(*args)
    assert result.code == 2, result.stderr
    assert ONE_SENTENCE.fullmatch(result.stderr.strip().splitlines()[-1]) and words in result.stderr
    assert "split it into parts" in result.stderr and "Traceback" not in result.stderr


def test_the_bounds_leave_real_posts_alone() -> None:
    """A long post of 3,000 lines with a table of 400 cells is shown."""
    body = "".join(f"{i}行目の文です。\n\n" for i in range(1500)) + "|項目|金額|\n|-|-|\n" + "|投資|10億円|\n" * 200
    rendered = render_post(parse_post(body.encode(), source_path=Path("long.md")))
    assert "1499行目" in rendered.plain.text and "<table" in rendered.html
    assert MAX_TEXT_LINES >= 100_000 and MAX_TABLE_CELLS >= 50_000


@pytest.mark.parametrize("run", ["｜", "ｗ", "ー", "！", "―", "a"])
def test_a_long_run_of_one_character_is_read_in_pieces(run: str) -> None:
    """100,000 of one character around real words: the words keep their readings and places."""
    text = "前の文です。 " + run * 100_000 + "漢字《かんじ》と東京都に行く。"
    entries = furigana.token_entries(text)
    assert all(text[e.start : e.end] == e.surface for e in entries)
    words = [e.surface for e in entries if furigana.KANJI_RE.search(e.surface)]
    assert words[:1] == ["前"] and "東京" in words and "行く" in words
    rendered = render_post(parse_post(text.encode(), source_path=Path("run.md")), RenderOptions(mode=FuriganaMode("all")))
    # 東京|都 is one word to the dictionary stage: one ruby over the compound.
    assert "<ruby>漢字<rt>かんじ</rt></ruby>" in rendered.html and "<ruby>東京都<rt>とうきょうと</rt></ruby>" in rendered.html


def test_the_ruby_marker_flood_renders_within_the_budget(tmp_path: Path) -> None:
    post = tmp_path / "ruby.md"
    post.write_text("｜" * 100_000 + "漢《かん》" * 30_000 + "\n", encoding="utf-8")
    result = run_cli("render", str(post), "-o", str(tmp_path / "ruby.html"))
    assert result.code == 0, result.stderr
    assert (tmp_path / "ruby.html").read_text(encoding="utf-8").count("<ruby>漢<rt>かん</rt></ruby>") == 30_000


@pytest.mark.parametrize("command", ["info", "render"])
def test_front_matter_yaml_would_misread_opens(tmp_path: Path, command: str) -> None:
    post = tmp_path / "fm.md"
    post.write_bytes(b'---\ntitle: "\\ud800"\ndate: 59:59:59\ntags: 1:2:3\n---\n\xe6\x9c\xac\xe6\x96\x87\n')
    args = [command, str(post)] + (["-o", str(tmp_path / "out.html")] if command == "render" else [])
    result = run_cli(*args)
    assert result.code == 0, result.stderr
    if command == "info":
        assert b'"1:2:3"' in result.stdout and b"\\ud800" not in result.stdout
