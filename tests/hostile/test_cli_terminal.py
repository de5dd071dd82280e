"""Terminal escape injection (issue #19, defect 8): whatever a post, a highlight or a file name
holds, no line the CLI writes on stdout or stderr carries a control character to the terminal.
One terminal-safe writer shows them escaped (ESC as \\x1b); JSON keeps them as JSON escapes, so
scripts read back the exact text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers.cli_runner import run_cli

# A window-title change (OSC 0, ended by BEL), a screen wipe (CSI 2J), an OSC 52 clipboard write,
# an 8-bit CSI (U+009B) and a carriage return that would hide the start of the line.
TITLE = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07Evil\x9b31m title\rX"
# An OSC 8 link in the date reaches the date warning on stderr.
DATE = "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\"
NOTE = "note \x1b[31mred\x1b[0m \x1b]52;c;ZXZpbA==\x07"
TAG = "t\x1b[8m"
# Raw control characters a terminal acts on: C0 (but newline and tab), DEL, C1.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _yaml(text: str) -> str:
    """`text` as a YAML double-quoted scalar (control characters as \\xNN escapes)."""
    return '"' + "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in '"\\' else c for c in text) + '"'


def _post(folder: Path) -> Path:
    path = folder / "evil.md"
    path.write_text(f"---\ntitle: {_yaml(TITLE)}\ndate: {_yaml(DATE)}\n---\n\nhello world, 半導体の工場。\n", encoding="utf-8")
    return path


def _clean(output: str | bytes, what: str) -> None:
    text = output.decode("utf-8") if isinstance(output, bytes) else output
    found = CONTROL.findall(text)
    assert not found, f"{what} carries raw control characters {found!r}: {text[:400]!r}"


@pytest.fixture
def home(tmp_path: Path) -> dict:
    return {"KAKIKOMI_HOME": str(tmp_path / "home")}


def test_list_shows_a_hostile_title_escaped(tmp_path: Path, home: dict) -> None:
    post = _post(tmp_path)
    imported = run_cli("import", str(post), env=home)
    assert imported.code == 0, imported.stderr
    listed = run_cli("list", env=home)
    assert listed.code == 0, listed.stderr
    _clean(listed.stdout, "kakikomi list")
    _clean(listed.stderr, "kakikomi list's stderr")
    text = listed.stdout.decode("utf-8")
    assert "\\x1b]0;pwned\\x07" in text and "\\x9b31m" in text and "\\x0dX" in text
    # JSON keeps the exact title, as JSON escapes.
    as_json = run_cli("list", "--json", env=home)
    _clean(as_json.stdout, "kakikomi list --json")
    assert json.loads(as_json.stdout)[0]["title"] == TITLE


def test_the_date_warning_on_stderr_is_escaped(tmp_path: Path, home: dict) -> None:
    post = _post(tmp_path)
    result = run_cli("render", str(post), "-o", str(tmp_path / "out.html"), env=home)
    assert result.code == 0, result.stderr
    assert "could not be understood" in result.stderr
    _clean(result.stderr, "the date warning")
    assert "\\x1b]8;;http://evil.example/" in result.stderr


def test_highlights_notes_tags_and_search_hits_are_escaped(tmp_path: Path, home: dict) -> None:
    post = _post(tmp_path)
    assert run_cli("import", str(post), env=home).code == 0
    made = run_cli("annotate", "1", "--quote", "hello", "--note", NOTE, "--tag", TAG, env=home)
    assert made.code == 0, made.stderr
    for args in (("annotations", "1"), ("search", "hello"), ("search", "red"), ("search", "\x1b[2Jnothing")):
        result = run_cli(*args, env=home)
        assert result.code == 0, (args, result.stderr)
        _clean(result.stdout, f"kakikomi {' '.join(args)!r}")
        _clean(result.stderr, f"kakikomi {' '.join(args)!r} stderr")
    shown = run_cli("annotations", "1", env=home).stdout.decode("utf-8")
    assert "\\x1b[31mred" in shown and "#t\\x1b[8m" in shown
    as_json = json.loads(run_cli("annotations", "1", "--json", env=home).stdout)
    assert as_json[0]["note"] == NOTE and as_json[0]["tags"] == [TAG]


def test_a_file_name_with_escapes_is_shown_escaped(tmp_path: Path, home: dict) -> None:
    bad = tmp_path / "x\x1b]0;pwned\x07.md"
    bad.write_bytes(b"\x00\x01\x02 binary")  # refused: its name goes into the message
    for args in (("import", str(bad)), ("info", str(bad)), ("render", str(bad))):
        result = run_cli(*args, env=home)
        assert result.code == 2, (args, result.code, result.stderr)
        _clean(result.stderr, f"kakikomi {args[0]}'s message")
        assert "\\x1b]0;pwned\\x07" in result.stderr


def test_a_usage_error_is_escaped(home: dict) -> None:
    result = run_cli("list", "--\x1b[2Jbad", env=home)
    assert result.code == 2
    _clean(result.stderr, "a usage error")


# --- the writer itself, over any text ---------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from app.cli import common as cli  # noqa: E402

# Any code point, lone surrogates included (what a file name that is not UTF-8 brings).
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=60)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_the_terminal_writer_lets_no_control_character_through(text: str) -> None:
    shown = cli.terminal_safe(text)
    assert not CONTROL.search(shown)
    shown.encode("utf-8")  # always writable
    assert cli.terminal_safe(shown) == shown  # nothing left to escape


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | ANY_TEXT, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(ANY_TEXT, inner, max_size=4), max_leaves=12))
def test_json_output_is_safe_and_reads_back_the_same(value) -> None:
    encoded = cli.to_json(value)
    assert not CONTROL.search(encoded.replace("\n", ""))
    assert cli.terminal_safe(encoded) == encoded  # emit() changes nothing in it
    assert json.loads(encoded) == value


@pytest.fixture(scope="module")
def small_library(tmp_path_factory) -> Path:
    from app.core.library import actions as library
    from app.core.library.derived import open_library

    folder = tmp_path_factory.mktemp("fuzz")
    post = _post(folder)
    with open_library(folder / "library.sqlite3") as store:
        library.import_paths(store, [post])
    return folder / "library.sqlite3"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=ANY_TEXT, note=ANY_TEXT)
def test_any_argument_is_an_answer_or_one_sentence(small_library: Path, query: str, note: str, capsys) -> None:
    """Search, annotate and list with any text as arguments: exit 0 or 2, never an internal error,
    and nothing raw reaches the terminal."""
    from app.cli import main

    for args in (["search", query], ["annotate", "1", "--quote", "hello", "--note", note, "--tag", query or "t"], ["list"]):
        code = main.run([*args, "--db", str(small_library)])
        out, err = capsys.readouterr()
        assert code in (0, 2), (args, err)
        assert "internal error" not in err and "Traceback" not in err, err
        assert not CONTROL.search(out) and not CONTROL.search(err), (out, err)
