"""`kakikomi lookup WORD [--json]` (#16 item 7): the dictionary's entries and kanji, offline; a
conjugated form finds the dictionary form; a user error is one line and exit 2."""

from __future__ import annotations

import json

import pytest

from app import __main__ as entry
from app.cli import main as cli
from app.commands import COMMANDS


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("word", ["投資", "投資した"])
def test_lookup_json_has_the_issue_s_fields_and_finds_the_dictionary_form(capsys, word):
    code, out, err = run(capsys, "lookup", word, "--json")
    assert code == 0, err
    found = json.loads(out)
    assert set(found) >= {"entries", "kanji"}
    entry = found["entries"][0]
    assert set(entry) >= {"kanji", "readings", "common", "jlpt", "pitch", "senses"}
    assert entry["kanji"][0] == "投資" and "とうし" in entry["readings"] and entry["common"] is True
    assert any("investment" in sense["glosses"] for sense in entry["senses"])
    assert all(set(sense) >= {"pos", "glosses"} for sense in entry["senses"])
    assert [k["literal"] for k in found["kanji"]] == ["投", "資"]
    assert set(found["kanji"][0]) >= {"literal", "meanings", "on", "kun", "grade", "strokes"}


def test_lookup_for_a_person(capsys):
    code, out, _err = run(capsys, "lookup", "食べなかった")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("食べる") and "[たべる]" in lines[0] and "common" in lines[0] and "たべꜜる" in lines[0]
    assert lines[1].startswith("  1. to eat")
    assert any(line.startswith("食  eat") and "grade 2" in line for line in lines)


@pytest.mark.parametrize(("args", "message"), [
    (["lookup", "  "], "kakikomi: Give a word to look up."),
    (["lookup", "xqzv"], "kakikomi: 'xqzv' is not in the dictionary."),
])
def test_lookup_user_errors_are_one_line_and_exit_2(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.splitlines() == [message]


def test_every_command_is_known_to_the_entry_point():
    """`kakikomi COMMAND` must reach the command line, not open a window on a file named COMMAND."""
    parser = cli.build_parser()
    (subparsers,) = [a for a in parser._actions if a.dest == "command"]
    assert set(subparsers.choices) == COMMANDS - {"open"}


def test_verbose_is_taken_before_dispatch(monkeypatch):
    seen = {}
    monkeypatch.setenv("KAKIKOMI_VERBOSE", "")  # restored after the test
    monkeypatch.setattr(cli, "run", lambda args: seen.setdefault("args", args) and 0)
    entry.main(["--verbose", "lookup", "投資"])
    import os

    assert seen["args"] == ["lookup", "投資"] and os.environ["KAKIKOMI_VERBOSE"] == "1"
