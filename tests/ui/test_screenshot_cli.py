"""`kakikomi screenshot`: a PNG of the window, and one sentence (exit 2) for what it cannot do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

REPO_ROOT = Path(__file__).resolve().parents[2]


def screenshot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, KAKIKOMI_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "app", "screenshot", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_a_screenshot_of_the_sample_with_a_highlight(tmp_path):
    """The sample post with a quote highlighted, saved as a PNG of the asked size."""
    out = tmp_path / "window.png"
    result = screenshot(tmp_path, "-o", str(out), "--size", "900x600", "--highlight", "町工場")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)


def test_a_highlight_that_is_not_in_the_post_is_one_sentence(tmp_path):
    """A --highlight quote the post does not contain: exit 2 and one line naming it, no file."""
    out = tmp_path / "window.png"
    result = screenshot(tmp_path, "-o", str(out), "--highlight", "この言葉は記事にない")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("kakikomi:")]
    assert errors == ["kakikomi: The quote 'この言葉は記事にない' does not occur in the post."]
    assert "internal error" not in result.stderr and not out.exists()


def test_a_one_line_post(tmp_path):
    """A very short valid post paints too (its few glyphs are found; #18: "did not paint in time")."""
    post = tmp_path / "one.md"
    post.write_text("---\ntitle: 短い\n---\n一行だけ。\n", encoding="utf-8")
    out = tmp_path / "one.png"
    result = screenshot(tmp_path, str(post), "-o", str(out), "--size", "800x500")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (800, 500)
