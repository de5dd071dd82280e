"""The known-words manager with real keys and clicks: every word with a status, searched and
filtered; statuses changed in bulk and undone with Ctrl+Z while it is open; word lists imported
(plain, Anki notes as text, a bad file) and exported."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.core.library import actions, vocabulary
from app.core.reading.dictionary import dictionary_path
from app.ui import word_manager
from app.ui.word_manager import COLUMNS, ImportDialog, WordManager
from tests.ui.test_search_ui import type_text

needs_dictionary = pytest.mark.skipif(not dictionary_path().is_file(), reason="the dictionary is not built (make dictionary)")
ANKI_NOTES = (  # Anki's File › Export › Notes in Plain Text, HTML kept
    "#separator:tab\n#html:true\n#tags column:3\n"
    "<b>半導体</b>\tsemiconductor\tkakikomi\n"
    "<span>計画</span>\t<div>plan</div>\t\n"
)


@pytest.fixture
def manager(qtbot, window) -> WordManager:
    """The manager open over a library with three statuses set."""
    actions.set_word_statuses(window.store, ["投資", "工場"], "known")
    actions.set_word_status(window.store, "半導体", "learning")
    opened = word_manager.open_manager(window)
    qtbot.addWidget(opened)
    qtbot.waitUntil(opened.isVisible, timeout=5_000)
    return opened


def shown(manager: WordManager) -> list[str]:
    return manager.shown_lemmas()


def click_row(manager: WordManager, lemma: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    index = manager.proxy.index(shown(manager).index(lemma), 0)
    QTest.mouseClick(manager.table.viewport(), Qt.MouseButton.LeftButton, modifier, manager.table.visualRect(index).center())


def answer(qtbot, respond) -> None:
    """`respond(dialog)` on the next modal dialog, once it is shown (exec blocks)."""

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(30, check)
        else:
            respond(dialog)

    QTimer.singleShot(30, check)


def test_lists_every_word_with_a_status(qtbot, window, manager):
    """Every word with a status, by its word, with the status named; open_manager again: the same window."""
    assert sorted(shown(manager)) == sorted(["投資", "工場", "半導体"])
    row = shown(manager).index("半導体")
    assert manager.proxy.index(row, COLUMNS.index("status")).data() == "Learning"
    assert manager.count.text() == "3 words"
    assert word_manager.open_manager(window) is manager
    assert manager.table.hasFocus()


@needs_dictionary
def test_readings_and_glosses_are_looked_up_and_searched(qtbot, window, manager):
    """The reading and gloss come from the dictionary; once looked up, typing either finds the word."""
    row = shown(manager).index("投資")
    assert manager.proxy.index(row, COLUMNS.index("reading")).data() == "とうし"
    assert "investment" in manager.proxy.index(row, COLUMNS.index("meaning")).data()
    qtbot.waitUntil(manager.filled, timeout=10_000)
    manager.text_field.setFocus()
    type_text(manager.text_field, "factory")
    assert shown(manager) == ["工場"]
    manager.text_field.clear()
    type_text(manager.text_field, "ハンドウ")  # katakana finds the hiragana reading
    assert shown(manager) == ["半導体"]


def test_search_and_status_filter(qtbot, window, manager):
    """Text narrows by the word; the status box by status."""
    manager.text_field.setFocus()
    type_text(manager.text_field, "工")
    assert shown(manager) == ["工場"]
    assert manager.count.text() == "1 of 3 words"
    manager.text_field.clear()
    manager.status_box.setFocus()
    QTest.keyClick(manager.status_box, Qt.Key.Key_Down)  # All -> Learning
    assert manager.status_box.currentData() == "learning"
    assert shown(manager) == ["半導体"]


def test_keys_change_status_in_bulk_and_ctrl_z_undoes_while_open(qtbot, window, manager):
    """Two words chosen, 4 ignores both in one edit; 1 (new) takes a status away and the row goes;
    Ctrl+Z in the manager brings each back, Ctrl+Shift+Z redoes."""
    click_row(manager, "投資")
    click_row(manager, "工場", Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(manager.table, Qt.Key.Key_4)
    assert vocabulary.statuses(window.store) == {"投資": "ignored", "工場": "ignored", "半導体": "learning"}
    assert sorted(manager.selected_lemmas()) == sorted(["投資", "工場"])
    click_row(manager, "半導体")
    QTest.mouseClick(manager.status_buttons["new"], Qt.MouseButton.LeftButton)
    assert "半導体" not in shown(manager)
    assert vocabulary.word_status(window.store, "半導体") == "new"
    QTest.keyClick(manager.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert vocabulary.word_status(window.store, "半導体") == "learning"
    assert "半導体" in shown(manager)
    QTest.keyClick(manager.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert vocabulary.statuses(window.store) == {"投資": "known", "工場": "known", "半導体": "learning"}
    QTest.keyClick(manager.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert vocabulary.word_status(window.store, "投資") == "ignored"
    row = shown(manager).index("投資")
    assert manager.proxy.index(row, COLUMNS.index("status")).data() == "Ignored"


def test_enter_in_the_search_field_changes_nothing(qtbot, window, manager):
    """Enter in the search field does not press a status button (a dialog's default)."""
    click_row(manager, "投資")
    manager.text_field.setFocus()
    QTest.keyClick(manager.text_field, Qt.Key.Key_Return)
    assert vocabulary.word_status(window.store, "投資") == "known"
    assert manager.isVisible()


def test_import_a_plain_list_as_learning(qtbot, window, manager, tmp_path, monkeypatch):
    """A word a line: the dialog says how many, the status chosen with the keyboard is given to all."""
    path = tmp_path / "words.txt"
    path.write_text("\ufeff計画\n発表\n\n投資\n計画\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    seen = []

    def choose(dialog) -> None:
        seen.append(dialog)
        assert isinstance(dialog, ImportDialog)
        dialog.status_box.setFocus()
        QTest.keyClick(dialog.status_box, Qt.Key.Key_Up)  # Known -> Learning
        QTest.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    answer(qtbot, choose)
    QTest.mouseClick(manager.import_button, Qt.MouseButton.LeftButton)
    assert seen
    assert {k: v for k, v in vocabulary.statuses(window.store).items() if k in ("計画", "発表", "投資")} == {
        "計画": "learning", "発表": "learning", "投資": "learning",
    }
    assert sorted(shown(manager)) == sorted(["投資", "工場", "半導体", "計画", "発表"])
    assert manager.count.text() == "Imported 3 words as learning (3 changed)."
    qtbot.waitUntil(manager.isActiveWindow, timeout=5_000)  # back from the dialog
    QTest.keyClick(manager.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one edit
    assert vocabulary.statuses(window.store) == {"投資": "known", "工場": "known", "半導体": "learning"}


def test_import_anki_notes_exported_as_text(qtbot, window, manager, tmp_path, monkeypatch):
    """Anki's notes as plain text: header lines skipped, the first field, its HTML stripped."""
    path = tmp_path / "notes.txt"
    path.write_text(ANKI_NOTES, encoding="utf-8")
    assert manager.read_list(path) == ANKI_NOTES
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    answer(qtbot, lambda dialog: QTest.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton))
    QTest.mouseClick(manager.import_button, Qt.MouseButton.LeftButton)
    assert vocabulary.parse_word_list(ANKI_NOTES) == ["半導体", "計画"]
    assert vocabulary.word_status(window.store, "半導体") == "known"
    assert vocabulary.word_status(window.store, "計画") == "known"


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "list.txt is not a text file in UTF-8."),
        (b"\n  \n", "list.txt holds no words (one word a line, or Anki notes exported as text)."),
    ],
)
def test_a_bad_file_is_one_sentence_and_changes_nothing(qtbot, window, manager, tmp_path, monkeypatch, content, sentence):
    """Not text, or no words: a message box with one sentence; no dialog, no status changed."""
    path = tmp_path / "list.txt"
    path.write_bytes(content)
    before = vocabulary.statuses(window.store)
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *rest: said.append(text))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    QTest.mouseClick(manager.import_button, Qt.MouseButton.LeftButton)
    assert said == [sentence]
    assert vocabulary.statuses(window.store) == before
    assert window.highlight_actions.history.undo_kind is None


def test_a_missing_file_is_one_sentence(qtbot, window, manager, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *rest: said.append(text))
    assert manager.read_list(tmp_path / "gone.txt") is None
    assert len(said) == 1 and said[0].startswith("Cannot read gone.txt:")


def test_export_writes_the_words_shown_one_a_line(qtbot, window, manager, tmp_path, monkeypatch):
    """Known words only (status box), exported: one lemma a line, read back by parse_word_list."""
    manager.status_box.setCurrentIndex(manager.status_box.findData("known"))
    target = tmp_path / "known.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    QTest.mouseClick(manager.export_button, Qt.MouseButton.LeftButton)
    written = target.read_text(encoding="utf-8")
    assert sorted(written.splitlines()) == sorted(["投資", "工場"])
    assert written.endswith("\n")
    assert sorted(vocabulary.parse_word_list(written)) == sorted(["投資", "工場"])
    assert manager.count.text() == "Exported 2 words to known.txt"


def test_escape_closes_and_the_reader_gets_the_keys(qtbot, window, manager, monkeypatch):
    """Escape in the list or the search field closes the manager; the reader takes the keys."""
    given = []
    monkeypatch.setattr(window, "focus_reader", lambda: given.append(True))
    QTest.keyClick(manager.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not manager.isVisible(), timeout=5_000)
    assert given
    reopened = word_manager.open_manager(window)
    assert reopened is manager and manager.isVisible()
    QTest.keyClick(manager.text_field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not manager.isVisible(), timeout=5_000)


def test_a_word_met_in_a_post_is_shown_as_the_post_writes_it(qtbot, window, tmp_path):
    """迚も (UniDic's dictionary form) read in a post as とても: listed as とても, no reading column."""
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: t\n---\n\nとても大きい工場だ。\n", encoding="utf-8")
    assert not actions.import_paths(window.store, [path]).errors
    actions.set_word_statuses(window.store, ["迚も", "工場"], "known")
    manager = word_manager.open_manager(window)
    qtbot.addWidget(manager)
    words = {manager.proxy.index(row, 0).data(): row for row in range(manager.proxy.rowCount())}
    assert sorted(words) == ["とても", "工場"]
    assert manager.proxy.index(words["とても"], COLUMNS.index("reading")).data() == ""
    assert manager.proxy.index(words["工場"], COLUMNS.index("reading")).data() == "こうじょう"
