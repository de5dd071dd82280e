"""Writing over the input (issue #19, defect 11): `render p.md -o p.md` and `screenshot p.md -o p.md`
wrote over the post; like `export`, they refuse in one sentence and leave it as it was, whatever
the spelling of the path (relative, through a link, a hard link), and never write over the library."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.cli_runner import run_cli

POST = "# 工場\n\n北陸の町に半導体の工場ができる。\n"


@pytest.fixture
def home(tmp_path: Path) -> dict:
    return {"KAKIKOMI_HOME": str(tmp_path / "home")}


@pytest.fixture
def post(tmp_path: Path) -> Path:
    path = tmp_path / "p.md"
    path.write_text(POST, encoding="utf-8")
    return path


def _spellings(post: Path) -> list[str]:
    link = post.with_name("link.md")
    link.symlink_to(post.name)
    hard = post.with_name("hard.md")
    os.link(post, hard)
    return [str(post), str(post.parent / "." / post.name), str(link), str(hard)]


def _refused(result, post: Path) -> None:
    assert result.code == 2, (result.code, result.stderr)
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("kakikomi: "), result.stderr
    assert "overwrite" in result.stderr
    assert post.read_text(encoding="utf-8") == POST


def test_render_refuses_to_write_over_its_post(post: Path, home: dict) -> None:
    for out in _spellings(post):
        _refused(run_cli("render", str(post), "-o", out, env=home), post)


def test_render_refuses_to_write_over_the_library(post: Path, home: dict, tmp_path: Path) -> None:
    assert run_cli("import", str(post), env=home).code == 0
    library = tmp_path / "home" / "library.sqlite3"
    before = library.read_bytes()
    result = run_cli("render", str(post), "-o", str(library), env=home)
    assert result.code == 2 and "overwrite" in result.stderr, result.stderr
    assert library.read_bytes() == before


def test_screenshot_refuses_to_write_over_its_post(post: Path, home: dict) -> None:
    env = {**home, "QT_QPA_PLATFORM": "offscreen"}
    for out in _spellings(post)[:2]:
        _refused(run_cli("screenshot", str(post), "-o", out, env=env, cpu_limit=60, timeout=120, memory_limit=1 << 40), post)


def test_render_to_another_file_still_works(post: Path, home: dict, tmp_path: Path) -> None:
    result = run_cli("render", str(post), "-o", str(tmp_path / "p.html"), env=home)
    assert result.code == 0, result.stderr
    assert "ができる" in (tmp_path / "p.html").read_text(encoding="utf-8")
