"""Tests for the command line (app.cli, app.__main__), run as `python -m app ...` in a subprocess."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from app.core.common.paths import sample_post_path
from app.core.posts.post import load_post
from app.core.posts.render import render_post
from tests.helpers.cli_runner import ENGLISH_LOCALE

REPO_ROOT = Path(__file__).resolve().parents[2]

POST = """---
title: テストの記事
date: 2024-05-01
author: 山田花子
tags: [日本語, メモ]
categories: [日記]
excerpt: 短い要約です。
---

# 町の話

私は明日、東京の株式会社へ行きます。鉛筆を三本買いました。

```
コードの中の漢字
```

前の段落です。
---END---
最後の段落は[リンク](https://example.jp/)付きです。
"""


def run(*args: str, home: Path, cwd: Path = REPO_ROOT, env: dict | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m app ARGS` with KAKIKOMI_HOME pointing into the test's temporary folder and
    no screen (no DISPLAY, no QT_QPA_PLATFORM), as on a server: opening a post renders it instead.
    Its sentences are English whatever the machine's locale (ENGLISH_LOCALE), unless `env` says otherwise."""
    env = {**os.environ, **ENGLISH_LOCALE, "KAKIKOMI_HOME": str(home), **(env or {})}
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=cwd, env=env, capture_output=True, timeout=60, check=False
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def post_file(tmp_path: Path) -> Path:
    path = tmp_path / "2024-05-01-test.md"
    path.write_text(POST, encoding="utf-8")
    return path


def _stdout_text(result: subprocess.CompletedProcess[bytes]) -> str:
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result.stdout.decode("utf-8")


# --- info -----------------------------------------------------------------------------------


def test_info_prints_the_metadata_as_json(post_file: Path, home: Path) -> None:
    """`info FILE` prints the post's metadata, encoding, warnings and text length as one JSON object."""
    info = json.loads(_stdout_text(run("info", str(post_file), home=home)))
    assert info["title"] == "テストの記事"
    assert info["date"] == "2024-05-01"
    assert info["author"] == "山田花子"
    assert info["tags"] == ["日本語", "メモ"]
    assert info["categories"] == ["日記"]
    assert info["excerpt"] == "短い要約です。"
    assert info["source_path"] == str(post_file)
    assert info["content_hash"] == hashlib.sha256(POST.encode("utf-8")).hexdigest()
    assert info["encoding"] == "utf-8"
    assert info["warnings"] == []
    assert info["characters"] == len(render_post(load_post(post_file)).plain.text)


def test_info_lists_warnings(tmp_path: Path, home: Path) -> None:
    """Problems that do not stop a post from opening are listed in `warnings`, and the exit code is 0."""
    path = tmp_path / "broken-front.md"
    path.write_text("---\ntitle: [unclosed\n---\n\n本文\n", encoding="utf-8")
    info = json.loads(_stdout_text(run("info", str(path), home=home)))
    assert info["warnings"] == ["The front matter is not valid YAML; its title was read line by line."]
    assert info["title"] == "[unclosed"


# --- render ---------------------------------------------------------------------------------


def test_render_writes_a_full_page(post_file: Path, home: Path, tmp_path: Path) -> None:
    """`render FILE -o OUT.html` writes a whole HTML page with ruby and no script, and prints nothing."""
    out = tmp_path / "out.html"
    result = run("render", str(post_file), "-o", str(out), home=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"" and result.stderr == b""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<title>テストの記事</title>" in page
    assert "<ruby>" in page and "<rt>" in page
    assert "<script" not in page.lower()
    assert 'class="kk-section-break"' in page


def test_render_to_stdout_is_the_same_page(post_file: Path, home: Path, tmp_path: Path) -> None:
    """Without -o the page goes to standard output as UTF-8, identical to the file -o writes."""
    out = tmp_path / "out.html"
    assert run("render", str(post_file), "-o", str(out), home=home).returncode == 0
    assert _stdout_text(run("render", str(post_file), home=home)) == out.read_text(encoding="utf-8")


def _rt_count(page: str) -> int:
    return page.count("<rt>")


def test_furigana_off_shows_no_generated_ruby(post_file: Path, home: Path) -> None:
    """--furigana off renders the page with no readings at all (title and body)."""
    page = _stdout_text(run("render", str(post_file), "--furigana", "off", home=home))
    assert _rt_count(page) == 0
    assert "株式会社" in page


@pytest.mark.parametrize("mode", ["grade:1", "grade:6", "jlpt:5", "jlpt:1"])
def test_furigana_filters_show_fewer_readings(post_file: Path, home: Path, mode: str) -> None:
    """--furigana grade:N and jlpt:N show some readings, but fewer than all."""
    everything = _rt_count(_stdout_text(run("render", str(post_file), "--furigana", "all", home=home)))
    filtered = _rt_count(_stdout_text(run("render", str(post_file), "--furigana", mode, home=home)))
    assert 0 <= filtered < everything


def test_furigana_grade_1_keeps_harder_readings(post_file: Path, home: Path) -> None:
    """grade:1 still shows the reading of 株式 (not first-grade kanji) and hides that of 三 and 本."""
    page = _stdout_text(run("render", str(post_file), "--furigana", "grade:1", home=home))
    assert "<ruby>株式<rt>かぶしき</rt></ruby>" in page
    assert "<ruby>三<rt>" not in page


# --- furigana -------------------------------------------------------------------------------


def test_furigana_json_tokens_point_into_the_plain_text(post_file: Path, home: Path) -> None:
    """`furigana --format json` prints an array of tokens, each with exactly the documented keys, whose offsets index the plain text."""
    tokens = json.loads(_stdout_text(run("furigana", str(post_file), "--format", "json", home=home)))
    plain = render_post(load_post(post_file)).plain.text
    assert isinstance(tokens, list) and tokens
    for token in tokens:
        assert set(token) == {"surface", "reading", "start", "end", "lemma", "pos", "alternatives"}
        assert plain[token["start"] : token["end"]] == token["surface"]
        assert isinstance(token["alternatives"], list)
    readings = {t["surface"]: t["reading"] for t in tokens}
    assert readings["私"] == "わたし" and readings["明日"] == "あした" and readings["会社"] == "がいしゃ"
    assert [t["start"] for t in tokens] == sorted(t["start"] for t in tokens)


def test_furigana_json_leaves_code_out(post_file: Path, home: Path) -> None:
    """Words inside a code block are not tokens: they are not prose."""
    tokens = json.loads(_stdout_text(run("furigana", str(post_file), "--format", "json", home=home)))
    plain = render_post(load_post(post_file)).plain.text
    code_start = plain.index("コードの中の漢字")
    assert not any(code_start <= t["start"] < code_start + 8 for t in tokens)


def test_furigana_json_offsets_point_at_the_prose_copy(tmp_path: Path, home: Path) -> None:
    """A token's offsets point at the prose word, not at the same word shown earlier as code."""
    path = tmp_path / "table.md"
    path.write_text("| コード | 名前 |\n|---|---|\n| `東京` | 東京 |\n", encoding="utf-8")
    tokens = json.loads(_stdout_text(run("furigana", str(path), "--format", "json", home=home)))
    plain = render_post(load_post(path)).plain.text
    tokyo = [t for t in tokens if t["surface"] == "東京"]
    assert [t["start"] for t in tokyo] == [plain.rindex("東京")]


def test_furigana_aozora_annotates_and_strips_back_to_the_plain_text(post_file: Path, home: Path) -> None:
    """`furigana FILE` prints Aozora-style text; removing every 《…》 and ｜ gives back the plain text."""
    aozora = _stdout_text(run("furigana", str(post_file), home=home))
    assert "私《わたし》は明日《あした》、東京《とうきょう》の株式《かぶしき》会社《がいしゃ》へ" in aozora
    assert "コードの中の漢字" in aozora  # code is not annotated
    plain = render_post(load_post(post_file)).plain.text
    assert re.sub(r"《[^》]*》|｜", "", aozora) == plain


# --- user errors ----------------------------------------------------------------------------


GOOD = "# 題\n\n本文\n".encode("utf-8")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

# (id, files to create in {dir} (None makes a folder), arguments with {dir} filled in)
ERROR_CASES = [
    ("missing file", {}, ["info", "{dir}/missing.md"]),
    ("empty file", {"empty.md": b""}, ["info", "{dir}/empty.md"]),
    ("blank file", {"blank.md": b"  \n\n"}, ["render", "{dir}/blank.md"]),
    ("binary file", {"image.md": PNG}, ["info", "{dir}/image.md"]),
    ("NUL bytes", {"nul.md": "本文\x00です".encode("utf-8")}, ["furigana", "{dir}/nul.md"]),
    ("directory", {"folder.md": None}, ["info", "{dir}/folder.md"]),
    ("wrong suffix", {"page.pdf": b"<p>x</p>"}, ["render", "{dir}/page.pdf"]),
    ("bad --furigana", {"good.md": GOOD}, ["render", "{dir}/good.md", "--furigana", "sometimes"]),
    ("bad --furigana level", {"good.md": GOOD}, ["render", "{dir}/good.md", "--furigana", "grade:9"]),
    ("bad --format", {"good.md": GOOD}, ["furigana", "{dir}/good.md", "--format", "xml"]),
    ("bad --theme", {"good.md": GOOD}, ["render", "{dir}/good.md", "--theme", "neon"]),
    ("unknown option", {"good.md": GOOD}, ["render", "{dir}/good.md", "--bogus"]),
    ("unknown command", {"good.md": GOOD}, ["frobnicate", "{dir}/good.md"]),
    ("unknown single word", {}, ["frobnicate"]),
    ("missing argument", {}, ["info"]),
    ("missing option value", {"good.md": GOOD}, ["render", "{dir}/good.md", "-o"]),
    ("output into a missing folder", {"good.md": GOOD}, ["render", "{dir}/good.md", "-o", "{dir}/no/such/out.html"]),
    ("output is a folder", {"good.md": GOOD}, ["render", "{dir}/good.md", "-o", "{dir}"]),
    ("open a missing file", {}, ["{dir}/missing.md"]),
]


@pytest.mark.parametrize(("files", "args"), [case[1:] for case in ERROR_CASES], ids=[case[0] for case in ERROR_CASES])
def test_user_error_exits_2_with_one_line(files: dict[str, bytes | None], args: list[str], tmp_path: Path, home: Path) -> None:
    """A user mistake exits 2 with exactly one line on stderr, no traceback and nothing on stdout."""
    work = tmp_path / "work"
    work.mkdir()
    for name, data in files.items():
        if data is None:
            (work / name).mkdir()
        else:
            (work / name).write_bytes(data)
    result = run(*(arg.format(dir=work) for arg in args), home=home)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2, stderr
    assert result.stdout == b""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("kakikomi: ") and stderr.endswith("\n")


def test_error_names_the_file_not_its_folder(tmp_path: Path, home: Path) -> None:
    """The error line names the file by its name, without the rest of the path."""
    stderr = run("info", str(tmp_path / "missing.md"), home=home).stderr.decode("utf-8")
    assert "missing.md" in stderr and str(tmp_path) not in stderr


def test_failed_render_leaves_no_file(post_file: Path, home: Path, tmp_path: Path) -> None:
    """A render that fails (missing post) writes nothing at the output path."""
    out = tmp_path / "out.html"
    assert run("render", str(tmp_path / "missing.md"), "-o", str(out), home=home).returncode == 2
    assert not out.exists()


# --- version, help and opening a post -------------------------------------------------------


def test_version(home: Path) -> None:
    """--version prints Kakikomi and the installed version, and exits 0."""
    text = _stdout_text(run("--version", home=home))
    assert text.strip() == f"Kakikomi {metadata.version('kakikomi')}"
    assert re.fullmatch(r"Kakikomi \d+\.\d+\S*\n", text)


def test_help_lists_the_commands(home: Path) -> None:
    """--help exits 0 and names the three commands."""
    text = _stdout_text(run("--help", home=home))
    for command in ("info", "render", "furigana"):
        assert command in text


def test_no_arguments_renders_the_sample_into_the_cache(home: Path) -> None:
    """Without a screen, `kakikomi` alone renders the bundled sample to KAKIKOMI_HOME/cache/pages and says where."""
    out = home / "cache" / "pages" / f"{sample_post_path().stem}.html"
    text = _stdout_text(run(home=home))
    assert str(out) in text
    page = out.read_text(encoding="utf-8")
    assert "<ruby>" in page and "<script" not in page.lower()


def test_a_file_argument_renders_that_post_into_the_cache(post_file: Path, home: Path, tmp_path: Path) -> None:
    """Without a screen, `kakikomi FILE` renders FILE to KAKIKOMI_HOME/cache/pages/<name>.html and says where."""
    out = home / "cache" / "pages" / f"{post_file.stem}.html"
    text = _stdout_text(run(str(post_file), home=home, cwd=tmp_path))
    assert str(out) in text
    assert "<title>テストの記事</title>" in out.read_text(encoding="utf-8")


# --- export to standard output, plurals ---------------------------------------------------------


@pytest.fixture
def noted_library(post_file: Path, home: Path, tmp_path: Path) -> Path:
    """A library holding the test post with one highlight whose note carries an escape sequence."""
    from app.core.library import actions as library
    from app.core.library.derived import open_library

    db = tmp_path / "lib.sqlite3"
    with open_library(db) as store:
        library.import_file(store, post_file)
        post = store.posts()[0]
        library.annotate_span(store, post, 0, 4, tags=["chip"], note="red \x1b[31malert\x1b[0m here")
    return db


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_export_to_standard_output(noted_library: Path, home: Path, tmp_path: Path, fmt: str) -> None:
    """`export --format md|csv|json -o -` prints the export (terminal-safe: the note's ESC shown as
    \\x1b, in JSON as \\u001b, the same value) and writes no file; it ends with one line end."""
    result = run("export", "--format", fmt, "-o", "-", "--db", str(noted_library), home=home, cwd=tmp_path)
    text = _stdout_text(result)
    assert b"\x1b" not in result.stdout and result.stderr == b""
    assert text.endswith("\n") and not text.endswith("\n\n") and "\r" not in text
    assert not (tmp_path / "-").exists() and not list(tmp_path.glob("*.json")) and not list(tmp_path.glob("*.csv"))
    if fmt == "json":
        [item] = json.loads(text)["first"]["items"]
        assert [body["value"] for body in item["body"]] == ["red \x1b[31malert\x1b[0m here", "chip"]
        assert "\\u001b[31malert" in text
    else:
        assert "red \\x1b[31malert\\x1b[0m here" in text
    if fmt == "md":
        assert text.startswith("---\ntitle: テストの記事\n") and "#chip · yellow\n\nred " in text
    if fmt == "csv":
        assert text.startswith("post,title,source,quote,tags,note,")


def test_export_to_standard_output_of_nothing_says_so(home: Path, tmp_path: Path) -> None:
    """An empty selection prints nothing on standard output and says why on standard error."""
    db = tmp_path / "empty.sqlite3"
    result = run("export", "--format", "md", "-o", "-", "--db", str(db), home=home, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == b""
    assert b"Nothing to export" in result.stderr


@pytest.mark.parametrize(("count", "expected"), [(0, "0 posts"), (1, "1 post"), (2, "2 posts"), (1200, "1,200 posts")])
def test_counts_are_said_with_the_right_noun(count: int, expected: str) -> None:
    """The CLI's counted(): singular for one, plural otherwise, thousands separated."""
    from app.cli.common import counted, noun

    assert counted(count, "post") == expected
    assert noun(count, "entry", "entries") == ("entry" if count == 1 else "entries")


# --- the reader's language ------------------------------------------------------------------------

JAPANESE_LOCALE = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "ja_JP.UTF-8"}


def _settings(home: Path, language: str) -> None:
    folder = home / "config"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.json").write_text(json.dumps({"version": 1, "language": language}), encoding="utf-8")


def _binary(tmp_path: Path) -> Path:
    path = tmp_path / "photo.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return path


def test_a_user_error_is_japanese_when_the_settings_say_so(tmp_path: Path, home: Path) -> None:
    """With language "ja" in the settings, a refused file is one Japanese sentence, exit 2, even in
    an English locale; the settings file is left as it was."""
    _settings(home, "ja")
    before = (home / "config" / "settings.json").read_bytes()
    result = run("info", str(_binary(tmp_path)), home=home)
    assert result.returncode == 2
    assert result.stderr.decode("utf-8") == "kakikomi: photo.md はテキストではなくバイナリファイルのようです。\n"
    assert result.stdout == b""
    assert (home / "config" / "settings.json").read_bytes() == before


def test_a_japanese_locale_speaks_japanese_when_the_settings_follow_the_system(tmp_path: Path, home: Path) -> None:
    """No settings file (language "system") and LANG=ja_JP.UTF-8: Japanese; "en" in the settings wins."""
    result = run("info", str(_binary(tmp_path)), home=home, env=JAPANESE_LOCALE)
    assert (result.returncode, result.stderr.decode("utf-8")) == (2, "kakikomi: photo.md はテキストではなくバイナリファイルのようです。\n")
    _settings(home, "en")
    result = run("info", str(_binary(tmp_path)), home=home, env=JAPANESE_LOCALE)
    assert (result.returncode, result.stderr.decode("utf-8")) == (2, "kakikomi: photo.md looks like a binary file, not text.\n")


def test_a_damaged_settings_file_leaves_the_sentences_to_the_locale(tmp_path: Path, home: Path) -> None:
    """A settings file that is not JSON is neither moved aside nor reported by the command line
    (the window does that); the locale decides."""
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text("{not json", encoding="utf-8")
    result = run("info", str(_binary(tmp_path)), home=home, env=JAPANESE_LOCALE)
    assert (result.returncode, result.stderr.decode("utf-8")) == (2, "kakikomi: photo.md はテキストではなくバイナリファイルのようです。\n")
    assert (home / "config" / "settings.json").read_text(encoding="utf-8") == "{not json"


def test_post_warnings_are_japanese_on_stderr_and_english_in_json(tmp_path: Path, home: Path) -> None:
    _settings(home, "ja")
    post = tmp_path / "damaged.md"
    post.write_text("---\ntitle: 壊れた記事\n---\n\n文字が\ufffd壊れている。\n", encoding="utf-8")
    result = run("render", str(post), "-o", str(tmp_path / "out.html"), home=home)
    assert result.returncode == 0
    assert result.stderr.decode("utf-8") == "kakikomi: 警告: 本文が 1 か所で壊れているようです（\ufffd が含まれています）。\n"
    info = json.loads(_stdout_text(run("info", str(post), home=home)))
    assert info["warnings"] == ["The text looks damaged in 1 place (it contains \ufffd)."]
