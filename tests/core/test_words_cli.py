"""`kakikomi words`, `kakikomi word-status` and `kakikomi anki` (#16 item 7): a post's words with
their status, statuses one by one or as a word list, and Anki decks in both formats; a user
error is one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main as cli
from app.core.library import anki
from app.core.library.derived import open_library
from tests.core.test_anki import needs_dictionary, parse_text_file, read_apkg

POST = """---
title: 新しい工場
---

北陸の町に半導体の工場ができた。工場の投資額は大きい。

昨日は何も食べなかった。
"""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def library(tmp_path: Path, capsys, monkeypatch) -> tuple[str, str]:
    """A library holding one post: (its --db path, the post's file)."""
    monkeypatch.setenv("LANGUAGE", "en")
    post = tmp_path / "factory.md"
    post.write_text(POST, encoding="utf-8")
    db = str(tmp_path / "lib.sqlite3")
    code, _out, err = run(capsys, "import", str(post), "--db", db)
    assert code == 0, err
    return db, str(post)


def test_words_json_has_the_fields(capsys, library):
    db, post = library
    code, out, err = run(capsys, "words", post, "--json", "--db", db)
    assert code == 0, err
    words = json.loads(out)
    assert all(set(w) >= {"lemma", "reading", "status", "count", "gloss", "surface", "first_start"} for w in words)
    by_lemma = {w["lemma"]: w for w in words}
    assert by_lemma["工場"]["count"] == 2 and by_lemma["工場"]["reading"] == "こうじょう" and by_lemma["工場"]["status"] == "new"
    assert by_lemma["食べる"]["surface"] == "食べ" and by_lemma["食べる"]["reading"] == "たべる"
    with open_library(db) as store:
        text = store.posts(with_text=True)[0].text
    start = by_lemma["工場"]["first_start"]
    assert start == text.index("工場") and text[start : start + 2] == "工場"
    assert [w["first_start"] for w in words] == sorted(w["first_start"] for w in words)


@needs_dictionary
def test_words_for_a_person_and_by_status(capsys, library):
    db, post = library
    assert run(capsys, "word-status", "工場", "learning", "--db", db)[0] == 0
    code, out, err = run(capsys, "words", post, "--db", db)
    assert code == 0, err
    rows = [line.split("\t") for line in out.splitlines()]
    factory = next(row for row in rows if row[0] == "工場")
    assert factory[1:4] == ["こうじょう", "learning", "2"] and "factory" in factory[4]
    code, out, _err = run(capsys, "words", post, "--status", "learning", "--db", db)
    assert [line.split("\t")[0] for line in out.splitlines()] == ["工場"]
    code, out, _err = run(capsys, "words", "1", "--status", "ignored", "--db", db)
    assert code == 0 and out == "No ignored words in “新しい工場”.\n"


def test_word_status_sets_and_says_what_it_was(capsys, library):
    db, _post = library
    code, out, err = run(capsys, "word-status", "工場", "known", "--db", db)
    assert (code, out, err) == (0, "工場: known (was new)\n", "")
    assert run(capsys, "word-status", "工場", "known", "--db", db)[1] == "工場: known (unchanged)\n"
    assert run(capsys, "word-status", "工場", "new", "--db", db)[1] == "工場: new (was known)\n"
    with open_library(db) as store:
        assert store.word_statuses() == {}


def test_a_word_is_kept_as_the_lemma_the_posts_count(capsys, library):
    """`word-status する known` keeps する's lemma 為る, the word the posts count, and says so; a
    word that is a lemma already (為る, 工場) is kept as given, with nothing more said."""
    db, _post = library
    code, out, err = run(capsys, "word-status", "する", "known", "--db", db)
    assert (code, err) == (0, "")
    assert out == "する is kept as 為る, the dictionary form your posts count it under.\n為る: known (was new)\n"
    assert run(capsys, "word-status", "為る", "learning", "--db", db)[1] == "為る: learning (was known)\n"
    assert run(capsys, "word-status", "食べた", "known", "--db", db)[1].splitlines()[-1] == "食べる: known (was new)"
    with open_library(db) as store:
        assert store.word_statuses() == {"為る": "learning", "食べる": "known"}


def test_a_word_list_is_imported_and_exported(capsys, library, tmp_path):
    db, _post = library
    words = tmp_path / "known.txt"
    words.write_text("#separator:tab\n#html:true\n<b>工場</b>\tこうじょう\n町\tまち\n行った\n", encoding="utf-8")
    code, out, err = run(capsys, "word-status", "--import", str(words), "--db", db)
    assert (code, err) == (0, "") and out == "3 words in the list; 3 statuses changed to known.\n"
    code, out, err = run(capsys, "word-status", "--export", "-", "--db", db)
    assert (code, out) == (0, "工場\n町\n行く\n")
    target = tmp_path / "out" / "list.txt"
    target.parent.mkdir()
    code, out, err = run(capsys, "word-status", "--export", str(target), "--db", db)
    assert code == 0 and target.read_text(encoding="utf-8") == "工場\n町\n行く\n"
    assert run(capsys, "word-status", "--import", str(target), "--status", "learning", "--db", db)[0] == 0
    assert run(capsys, "word-status", "--export", "-", "--status", "learning", "--db", db)[1] == "工場\n町\n行く\n"
    assert run(capsys, "word-status", "--export", "-", "--db", db)[1] == ""


@pytest.mark.parametrize(("args", "message"), [
    (["word-status"], "Give a word and its status"),
    (["word-status", "工場"], "Give the word and its status"),
    (["word-status", "工場", "done"], "invalid choice: 'done'"),
    (["word-status", "工\x00場", "known"], "The word holds a control character"),
    (["word-status", "工場\x1b[31m", "known"], "The word holds a control character"),
    (["word-status", "工\n場", "learning"], "The word holds a control character"),
    (["word-status", " \t ", "known"], "Give the word and its status"),
    (["word-status", "工場", "known", "--export", "-"], "Give a word and its status"),
    (["word-status", "--import", "MISSING", "--export", "-"], "Give a word and its status"),
    (["word-status", "--import", "MISSING"], "Cannot read"),
    (["words", "99"], "No post '99' in the library"),
    (["words", "1", "--status", "seen"], "invalid choice: 'seen'"),
    (["anki", "-o", "deck.apkg"], "No words were added to the Anki deck yet"),
    (["anki", "--status", "learning", "-o", "deck.txt"], "No learning words in the library"),
    (["anki", "--post", "1", "-o", "deck.csv"], "Cannot tell the Anki format from 'deck.csv'"),
    (["anki", "--post", "1", "--status", "ignored", "-o", "deck.txt"], "No ignored words in “新しい工場”"),
    (["anki", "--post", "7", "-o", "deck.txt"], "No post '7' in the library"),
])
def test_user_errors_are_one_line_and_exit_2(capsys, library, tmp_path, monkeypatch, args, message):
    db, _post = library
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *args, "--db", db)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("kakikomi: ") and message in err, err
    assert not any(tmp_path.glob("deck.*"))


def test_a_word_list_that_is_not_text_or_empty_is_refused(capsys, library, tmp_path):
    db, _post = library
    binary = tmp_path / "list.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81 not utf-8")
    code, _out, err = run(capsys, "word-status", "--import", str(binary), "--db", db)
    assert code == 2 and "is not UTF-8 text" in err and len(err.splitlines()) == 1
    empty = tmp_path / "empty.txt"
    empty.write_text("#separator:tab\n\n", encoding="utf-8")
    code, _out, err = run(capsys, "word-status", "--import", str(empty), "--db", db)
    assert code == 2 and "holds no words" in err
    code, _out, err = run(capsys, "word-status", "--export", db, "--db", db)
    assert code == 2 and "is the library file" in err


def test_anki_text_deck_of_a_posts_words_follows_ankis_format(capsys, library, tmp_path):
    db, post = library
    run(capsys, "word-status", "工場", "learning", "--db", db)
    run(capsys, "word-status", "食べる", "learning", "--db", db)
    target = tmp_path / "deck.txt"
    code, out, err = run(capsys, "anki", "--post", post, "--status", "learning", "-o", str(target), "--db", db)
    assert (code, err) == (0, "") and out == f"2 cards written to {target}.\n"
    headers, rows = parse_text_file(target.read_text(encoding="utf-8"))
    assert headers["separator"] == "tab" and headers["html"] == "true" and headers["notetype"] == anki.NOTE_TYPE
    columns = headers["columns"].split("\t")
    notes = [dict(zip(columns, row)) for row in rows]
    assert [n["Word"] for n in notes] == ["工場", "食べる"]
    assert "<b><ruby>工場<rt>こうじょう</rt></ruby></b>" in notes[0]["Sentence"]
    assert notes[0]["Post"] == "新しい工場" and notes[0]["Link"] == str(Path(post).resolve())
    assert all(len(row) == len(columns) for row in rows)


def test_anki_apkg_holds_the_picked_words_and_keeps_their_ids(capsys, library, tmp_path):
    """No --post or --status: the picked words. The .apkg is a zip holding a collection database
    with those notes; exported again (more words picked), the same word has the same note id."""
    db, _post = library
    from app.core.library import actions

    with open_library(db) as store:
        record = store.posts(with_text=True)[0]
        at = record.text.index("工場")
        actions.pick_for_anki(store, "工場", record.id, at, at + 2)
    first = tmp_path / "one.apkg"
    assert run(capsys, "anki", "-o", str(first), "--db", db)[0] == 0
    notes = read_apkg(first)
    assert [fields.split("\x1f")[0] for _guid, fields, _tags in notes] == ["工場"]
    with open_library(db) as store:
        at = record.text.index("投資")
        actions.pick_for_anki(store, "投資", record.id, at, at + 2)
    second = tmp_path / "two.apkg"
    assert run(capsys, "anki", "-o", str(second), "--db", db)[0] == 0
    again = read_apkg(second)
    assert [fields.split("\x1f")[0] for _guid, fields, _tags in again] == ["工場", "投資"]
    assert again[0][0] == notes[0][0]
    text = tmp_path / "three.txt"
    assert run(capsys, "anki", "-o", str(text), "--db", db)[0] == 0
    _headers, rows = parse_text_file(text.read_text(encoding="utf-8"))
    assert [row[-1] for row in rows] == [guid for guid, _f, _t in again]


def test_anki_by_status_takes_each_word_from_its_first_post(capsys, library, tmp_path):
    db, _post = library
    other = tmp_path / "other.md"
    other.write_text("# 別の記事\n\n町の工場を見た。\n", encoding="utf-8")
    run(capsys, "import", str(other), "--db", db)
    run(capsys, "word-status", "町", "learning", "--db", db)
    target = tmp_path / "deck.txt"
    assert run(capsys, "anki", "--status", "learning", "-o", str(target), "--db", db)[0] == 0
    headers, rows = parse_text_file(target.read_text(encoding="utf-8"))
    [note] = [dict(zip(headers["columns"].split("\t"), row)) for row in rows]
    assert note["Word"] == "町" and note["Post"] == "新しい工場"


def test_the_commands_statuses_are_the_cores():
    """The command line's choices (kept apart so the window starts without the core's vocabulary) are the core's statuses."""
    from app.cli import learner
    from app.core.library import vocabulary

    assert learner.STATUSES == vocabulary.STATUSES
    assert {"words", "word-status", "anki"} <= cli.COMMANDS
