"""`kakikomi FILE` without a screen (no DISPLAY, no QT_QPA_PLATFORM): the post is rendered to a
page and its place printed, and a file that is not a post is one sentence; both lines go through
the CLI's terminal-safe writer (a control character or an undecodable byte in the file's name is
shown escaped, the output is valid UTF-8), as every other command-line line does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.processes import REPO_ROOT

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
EVIL = b"evil\x1b]0;pwned\x07\x1b[2J-\xff"  # a title change, a screen wipe, a byte that is not UTF-8


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["KAKIKOMI_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=REPO_ROOT, env=env, capture_output=True, timeout=120, check=False
    )


def _clean(output: bytes) -> str:
    text = output.decode("utf-8")  # valid UTF-8
    assert not CONTROL.findall(text), text
    return text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a screen is assumed elsewhere")
def test_a_post_rendered_instead_of_a_window_is_named_safely(tmp_path: Path):
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + EVIL + b".md"))
    path.write_text("# 題\n\n工場の話です。\n", encoding="utf-8")
    result = _run(os.fsdecode(os.fsencode(path)), home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    out = _clean(result.stdout)
    assert out.startswith("No screen to open a window on; rendered evil\\x1b]0;pwned\\x07\\x1b[2J-\\xff.md")
    _clean(result.stderr)
    [page] = (tmp_path / "home" / "cache" / "pages").iterdir()
    assert "工場" in page.read_text(encoding="utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a screen is assumed elsewhere")
def test_a_file_that_is_not_a_post_is_one_safe_sentence(tmp_path: Path):
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + EVIL + b".png"))
    path.write_bytes(b"\x89PNG")
    result = _run(os.fsdecode(os.fsencode(path)), home=tmp_path / "home")
    assert result.returncode == 2
    err = _clean(result.stderr)
    assert err.startswith("kakikomi: evil\\x1b]0;pwned\\x07\\x1b[2J-\\xff.png is not a post") and err.count("\n") == 1
    assert result.stdout == b""
