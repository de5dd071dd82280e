"""The learner's hour on the command line, with the sample post: its words, a status set, a word
list through standard input and out again, the share known following, a deck of the words still
new as Anki's text import and one of the known words as an .apkg; what a terminal is shown is
terminal-safe."""

from __future__ import annotations

import io
import json
import sys

import pytest

from app.cli import main as cli
from app.core.common.paths import sample_post_path
from app.core.library import actions, vocabulary
from app.core.library.derived import open_library
from tests.core.test_anki import needs_dictionary, parse_text_file, read_apkg


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def db(tmp_path, capsys, monkeypatch) -> str:
    monkeypatch.setenv("LANGUAGE", "en")
    path = str(tmp_path / "lib.sqlite3")
    code, out, err = run(capsys, "import", str(sample_post_path()), "--db", path)
    assert (code, err) == (0, "") and "1 new" in out
    return path


def share(db: str) -> float:
    with open_library(db) as store:
        return vocabulary.known_share(store, 1)


@needs_dictionary
def test_a_learners_hour_with_the_sample_post(capsys, db, tmp_path, monkeypatch):
    code, out, err = run(capsys, "words", "1", "--json", "--db", db)
    assert (code, err) == (0, "")
    words = {w["lemma"]: w for w in json.loads(out)}
    assert words["投資"]["gloss"] == "investment" and words["投資"]["reading"] == "とうし" and words["投資"]["status"] == "new"
    assert share(db) == 0

    assert run(capsys, "word-status", "投資", "known", "--db", db)[1] == "投資: known (was new)\n"
    assert share(db) == pytest.approx(words["投資"]["count"] / sum(w["count"] for w in words.values()))

    # A word list from standard input (Anki's notes as text), then out again as known words.
    notes = "#separator:tab\n#html:true\n#tags column:3\n<b>会社</b>\tかいしゃ\tjob\n性能\tせいのう\t\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(notes.encode("utf-8")), encoding="utf-8"))
    code, out, err = run(capsys, "word-status", "--import", "-", "--db", db)
    assert (code, err) == (0, "") and out == "2 words in the list; 2 statuses changed to known.\n"
    assert run(capsys, "word-status", "--export", "-", "--db", db)[1] == "会社\n性能\n投資\n"
    known = sum(words[lemma]["count"] for lemma in ("会社", "性能", "投資"))
    assert share(db) == pytest.approx(known / sum(w["count"] for w in words.values()))

    # An ignored word leaves the count; the share is of the words left. (The posts count する
    # under UniDic's lemma 為る, the name `words` gives it.)
    [do] = vocabulary.as_lemmas(["する"])
    assert do in words
    assert run(capsys, "word-status", do, "ignored", "--db", db)[0] == 0
    counted = sum(w["count"] for lemma, w in words.items() if lemma != do)
    assert share(db) == pytest.approx(known / counted)

    # The words still new, as Anki's text import: one note each, as many as `words --status new`.
    code, out, _err = run(capsys, "words", "1", "--status", "new", "--json", "--db", db)
    new = [w["lemma"] for w in json.loads(out)]
    assert len(new) == len(words) - 4
    deck = tmp_path / "new.txt"
    code, out, err = run(capsys, "anki", "--post", "1", "--status", "new", "-o", str(deck), "--db", db)
    headers, rows = parse_text_file(deck.read_text(encoding="utf-8"))
    assert (code, err) == (0, "") and out == f"{len(rows)} cards written to {deck}.\n"
    columns = headers["columns"].split("\t")
    cards = [dict(zip(columns, row)) for row in rows]
    # A card a word, one note each (two words whose cards name the same word share one note).
    assert 0.9 * len(new) <= len(cards) <= len(new)
    assert len({card["GUID"] for card in cards}) == len(cards)
    assert not {"会社", "性能", "投資"} & {card["Word"] for card in cards}
    assert {"ニュース", "消費電力"} <= {card["Word"] for card in cards}

    # The known words as an .apkg: a zip holding a collection with their notes.
    package = tmp_path / "known.apkg"
    assert run(capsys, "anki", "--status", "known", "-o", str(package), "--db", db)[0] == 0
    assert sorted(fields.split("\x1f")[0] for _guid, fields, _tags in read_apkg(package)) == sorted(["会社", "性能", "投資"])


def test_what_the_terminal_is_shown_is_terminal_safe(capsys, db):
    """A word given with a terminal escape in it is refused in one line; one that came in another
    way (a word list, the window) is written back escaped."""
    code, out, err = run(capsys, "word-status", "a\x1b[31mb", "known", "--db", db)
    assert (code, out) == (2, "") and "\x1b" not in err and len(err.splitlines()) == 1
    with open_library(db) as store:
        actions.set_word_status(store, "a\x1b[31mb", "known")
    code, out, _err = run(capsys, "word-status", "--export", "-", "--db", db)
    assert code == 0 and "\x1b" not in out and "a\\x1b[31mb" in out


@pytest.mark.parametrize("body", ["Just English, 123 and 4.5%.\n", ""])
def test_a_post_without_japanese_words_has_none_to_list_or_export(capsys, tmp_path, db, body):
    post = tmp_path / "plain.md"
    post.write_text(f"---\ntitle: Plain\n---\n\n{body}", encoding="utf-8")
    assert run(capsys, "import", str(post), "--db", db)[0] == 0
    assert run(capsys, "words", str(post), "--db", db)[:2] == (0, "No words in “Plain”.\n")
    assert run(capsys, "words", str(post), "--json", "--db", db)[:2] == (0, "[]\n")
    code, out, err = run(capsys, "anki", "--post", str(post), "-o", str(tmp_path / "d.txt"), "--db", db)
    assert (code, out) == (2, "") and err == "kakikomi: No words in “Plain” to put in the deck.\n"
    assert not (tmp_path / "d.txt").exists()
