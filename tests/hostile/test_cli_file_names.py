"""File names that are not UTF-8 (issue #19, defect 3): the OS gives bytes, Python hands them over
as lone surrogates (surrogateescape). Every command takes such a file as it is, shows its name
escaped (\\xe9), and a folder import goes on past it. Never `internal error: UnicodeEncodeError`."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.cli_runner import run_cli

BAD = b"caf\xe9-\xff"  # Latin-1 and a byte no encoding maps: not UTF-8


def _name(folder: Path, raw: bytes) -> Path:
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + raw))


@pytest.fixture
def home(tmp_path: Path) -> dict:
    return {"KAKIKOMI_HOME": str(tmp_path / "home")}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """a.md, the post with the bad name (no heading: its title comes from the name), z.md."""
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.md").write_text("# A\n\n最初の記事です。\n", encoding="utf-8")
    _name(posts, BAD + b".md").write_text("名前の悪い記事です。工場の話。\n", encoding="utf-8")
    (posts / "z.md").write_text("# Z\n\n最後の記事です。\n", encoding="utf-8")
    return posts


def _no_internal_error(result, what: str) -> None:
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr, (what, result.stderr)
    assert result.code in (0, 2), (what, result.code, result.stderr)


@pytest.mark.parametrize("with_library", [False, True])
def test_info_render_furigana_read_a_post_with_a_bad_name(folder: Path, tmp_path: Path, home: dict, with_library: bool) -> None:
    if with_library:  # render and furigana look the post up in the library for its corrections
        assert run_cli("import", str(folder / "a.md"), env=home).code == 0
    bad = _name(folder, BAD + b".md")
    info = run_cli("info", str(bad), env=home)
    _no_internal_error(info, "info")
    assert info.code == 0
    data = json.loads(info.stdout)
    assert os.fsencode(data["source_path"]) == os.fsencode(bad)  # the name as the OS gave it
    for args in (("render", str(bad)), ("furigana", str(bad)), ("furigana", "--format", "json", str(bad))):
        result = run_cli(*args, env=home)
        _no_internal_error(result, args[0])
        assert result.code == 0, (args, result.stderr)
        result.stdout.decode("utf-8")  # valid UTF-8
    page = run_cli("render", str(bad), env=home).stdout.decode("utf-8")
    assert "caf\\xe9-\\xff" in page  # the title taken from the name, shown escaped
    out = _name(tmp_path, BAD + b".html")
    written = run_cli("render", str(bad), "-o", str(out), env=home)
    assert written.code == 0, written.stderr
    assert "caf\\xe9-\\xff" in out.read_text(encoding="utf-8")


def test_a_folder_import_goes_on_past_a_bad_name(folder: Path, home: dict) -> None:
    result = run_cli("import", str(folder), env=home)
    _no_internal_error(result, "import")
    assert result.code == 0, result.stderr
    assert "3 new" in result.stdout.decode("utf-8")
    listed = run_cli("list", env=home)
    assert listed.code == 0, listed.stderr
    assert "caf\\xe9-\\xff" in listed.stdout.decode("utf-8")
    posts = json.loads(run_cli("list", "--json", env=home).stdout)
    sources = {os.fsencode(p["source_path"]) for p in posts}
    assert os.fsencode(_name(folder, BAD + b".md").resolve()) in sources
    # Again: the same files are recognised, by their real names.
    again = run_cli("import", str(folder), "--json", env=home)
    assert again.code == 0, again.stderr
    assert len(json.loads(again.stdout)["unchanged"]) == 3
    # The post can be named by its path, and highlighted.
    made = run_cli("annotate", str(_name(folder, BAD + b".md")), "--quote", "工場", env=home)
    assert made.code == 0, made.stderr
    shown = run_cli("annotations", str(_name(folder, BAD + b".md")), env=home)
    assert shown.code == 0 and "工場" in shown.stdout.decode("utf-8"), shown.stderr


def test_a_bad_name_in_a_message_is_shown_escaped(folder: Path, home: dict) -> None:
    refused = _name(folder, BAD + b"-binary.md")
    refused.write_bytes(b"\x00\x00binary")
    for args in (("info", str(refused)), ("render", str(refused)), ("furigana", str(refused)), ("import", str(refused))):
        result = run_cli(*args, env=home)
        _no_internal_error(result, args[0])
        assert result.code == 2, (args, result.stderr)
        assert "caf\\xe9-\\xff-binary.md" in result.stderr, result.stderr
    missing = run_cli("info", str(_name(folder, BAD + b"-gone.md")), env=home)
    _no_internal_error(missing, "info of a missing file")
    assert missing.code == 2 and "caf\\xe9-\\xff-gone.md" in missing.stderr


def test_the_library_keeps_the_real_name(folder: Path, home: dict, tmp_path: Path) -> None:
    assert run_cli("import", str(folder), env=home).code == 0
    with sqlite3.connect(tmp_path / "home" / "library.sqlite3") as conn:
        titles = {row[0] for row in conn.execute("SELECT title FROM posts")}
    assert "caf\\xe9-\\xff" in titles  # text in the library is valid UTF-8


def test_screenshot_of_a_post_with_a_bad_name(folder: Path, tmp_path: Path, home: dict) -> None:
    out = _name(tmp_path, BAD + b".png")
    env = {**home, "QT_QPA_PLATFORM": "offscreen"}
    if os.geteuid() == 0:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox"
    result = run_cli(
        "screenshot", str(_name(folder, BAD + b".md")), "-o", str(out), "--size", "900x600",
        env=env, cpu_limit=60, timeout=120, memory_limit=1 << 40,
    )
    _no_internal_error(result, "screenshot")
    assert result.code == 0, result.stderr
    assert out.read_bytes().startswith(b"\x89PNG")
