"""The vocabulary panel: the open post's words with real keys and clicks: sorted and filtered,
statuses set in bulk with keys 1-4 (one Ctrl+Z), a click marking the first occurrence in the page,
words added to the Anki deck and the deck exported."""

from __future__ import annotations

import sqlite3
import zipfile

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.core.library import vocabulary
from app.core.reading.dictionary import dictionary_path
from app.ui import vocabulary_panel
from app.ui.vocabulary_panel import COLUMNS, VocabularyPanel
from tests.ui.conftest import open_and_wait, run_js
from tests.ui.test_search_ui import type_text

POST = (
    "---\ntitle: 工場の話\n---\n\n"
    "新しい工場で半導体を作る計画が発表された。投資額は一兆円だという。\n\n"
    "その工場はとても大きい。職人が働いている。\n"
)
OTHER = "---\ntitle: 町の話\n---\n\n昔の町は静かだった。\n"
needs_dictionary = pytest.mark.skipif(not dictionary_path().is_file(), reason="the dictionary is not built (make dictionary)")


@pytest.fixture
def shown(qtbot, window, tmp_path):
    """The post open in the window and the vocabulary panel shown: (panel, post id, plain text)."""
    path = tmp_path / "factory.md"
    path.write_text(POST, encoding="utf-8")
    post_id = open_and_wait(qtbot, window, path)
    panel = vocabulary_panel.install(window)
    panel.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: panel.isVisible() and panel.model.rowCount() > 0, timeout=10_000)
    return panel, post_id, window.store.post(post_id).text


def lemmas(panel: VocabularyPanel) -> list[str]:
    return [word.lemma for word in panel.shown_words()]


def row_of(panel: VocabularyPanel, lemma: str) -> int:
    return lemmas(panel).index(lemma)


def click_row(qtbot, panel: VocabularyPanel, lemma: str, modifier=Qt.KeyboardModifier.NoModifier, column: str = "word") -> None:
    index = panel.proxy.index(row_of(panel, lemma), COLUMNS.index(column))
    panel.table.scrollTo(index)
    rect = panel.table.visualRect(index)
    QTest.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_install_makes_a_hidden_dock_on_the_right(qtbot, window):
    """install() docks the panel on the right, hidden; installing again gives the same panel."""
    panel = vocabulary_panel.install(window)
    assert window.vocabulary is panel
    assert window.dockWidgetArea(panel) == Qt.DockWidgetArea.RightDockWidgetArea
    assert not panel.isVisible()
    assert vocabulary_panel.install(window) is panel
    assert panel.toggleViewAction().text() == "Vocabulary"
    panel.toggleViewAction().trigger()
    qtbot.waitUntil(panel.isVisible, timeout=5_000)
    assert panel.summary.text() == "No post is open."
    assert panel.model.rowCount() == 0
    assert not panel.anki_button.isEnabled() and not panel.status_buttons["known"].isEnabled()


def test_lists_the_posts_words_in_order_of_appearance_with_the_share_known(qtbot, window, shown):
    """The rows are the post's words as the core counts them, first appearance first, with counts."""
    panel, post_id, _text = shown
    expected = vocabulary.post_words(window.store, post_id)
    assert lemmas(panel) == [w.lemma for w in expected]
    assert row_of(panel, "工場") < row_of(panel, "投資")
    factory = panel.proxy.index(row_of(panel, "工場"), COLUMNS.index("count"))
    assert factory.data() == 2
    assert panel.proxy.index(row_of(panel, "工場"), COLUMNS.index("status")).data() == "New"
    assert panel.proxy.index(row_of(panel, "工場"), COLUMNS.index("reading")).data() == "こうじょう"
    assert panel.summary.text() == f"{len(expected)} words · 0% known"
    # A word the post writes in kana is listed in kana, not as UniDic's rare kanji (迚も), and
    # has no reading column of its own; its dictionary form is in the tooltip.
    very = panel.proxy.index(row_of(panel, "迚も"), COLUMNS.index("word"))
    assert very.data() == "とても"
    assert panel.proxy.index(very.row(), COLUMNS.index("reading")).data() == ""
    assert "迚も" in very.data(Qt.ItemDataRole.ToolTipRole)


def test_sort_box_and_header_clicks_order_the_words(qtbot, window, shown):
    """Most frequent first from the sort box (keyboard), by status from the header, then back."""
    panel, _post_id, _text = shown
    first = lemmas(panel)
    panel.sort_box.setFocus()
    QTest.keyClick(panel.sort_box, Qt.Key.Key_Down)  # In order of appearance -> Most frequent first
    assert panel.sort_box.currentData() == "frequency"
    counts = [w.count for w in panel.shown_words()]
    assert counts == sorted(counts, reverse=True)
    assert lemmas(panel)[0] == "工場"  # the only word met twice
    window.highlight_actions.do("word-status", vocabulary_actions().set_word_status, "投資", "known")
    panel.refresh()
    header = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(COLUMNS.index("status")) + 5
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, header.height() // 2))
    assert panel.sort_box.currentData() == "status"
    statuses = [w.status for w in panel.shown_words()]
    assert statuses == sorted(statuses, key=vocabulary_panel.STATUSES.index)
    assert statuses[-1] == "known"
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, header.height() // 2))
    assert panel.shown_words()[0].status == "known"  # clicked again: reversed
    panel.sort_box.setCurrentIndex(0)
    assert lemmas(panel) == first


def test_typed_text_and_the_status_box_filter_the_words(qtbot, window, shown):
    """A reading typed in katakana finds the word; a status keeps only its words."""
    panel, _post_id, _text = shown
    panel.text_field.setFocus()
    type_text(panel.text_field, "コウジョウ")
    assert lemmas(panel) == ["工場"]
    assert panel.shown_count.text() == "1 shown"
    panel.text_field.clear()
    assert len(lemmas(panel)) == panel.model.rowCount()
    window.highlight_actions.do("word-status", vocabulary_actions().set_word_statuses, ["工場", "計画"], "learning")
    panel.refresh()
    panel.status_box.setFocus()
    QTest.keyClick(panel.status_box, Qt.Key.Key_Down)  # All -> To learn: new and learning, all of them here
    assert len(lemmas(panel)) == panel.model.rowCount()
    QTest.keyClick(panel.status_box, Qt.Key.Key_Down)  # New
    QTest.keyClick(panel.status_box, Qt.Key.Key_Down)  # Learning
    assert panel.status_box.currentData() == "learning"
    assert sorted(lemmas(panel)) == sorted(["工場", "計画"])


@needs_dictionary
def test_the_meaning_column_shows_a_gloss_and_is_searched(qtbot, window, shown):
    """投資 shows "investment", and typing the English finds it."""
    panel, _post_id, _text = shown
    assert "investment" in panel.proxy.index(row_of(panel, "投資"), COLUMNS.index("meaning")).data()
    type_text(panel.text_field, "INVESTMENT")
    assert "投資" in lemmas(panel)


def test_keys_1_to_4_set_the_selected_words_status_in_one_undoable_edit(qtbot, window, shown):
    """Two rows chosen with clicks, 3 marks both known (the page is rendered again, no highlight
    made); Ctrl+Z in the window takes both back at once."""
    panel, post_id, _text = shown
    click_row(qtbot, panel, "工場")
    click_row(qtbot, panel, "計画", Qt.KeyboardModifier.ControlModifier)
    assert sorted(panel.selected_lemmas()) == sorted(["工場", "計画"])
    assert panel.table.hasFocus()
    with qtbot.waitSignal(window.wordsChanged, timeout=60_000):
        QTest.keyClick(panel.table, Qt.Key.Key_3)
    assert vocabulary.word_status(window.store, "工場") == "known"
    assert vocabulary.word_status(window.store, "計画") == "known"
    assert window.store.annotations(post_id) == []  # 3 did not highlight in the third colour
    assert panel.proxy.index(row_of(panel, "工場"), COLUMNS.index("status")).data() == "Known"
    assert sorted(panel.selected_lemmas()) == sorted(["工場", "計画"])  # the selection stays
    share = vocabulary.known_share(window.store, post_id)
    assert share and panel.summary.text().endswith(f"{vocabulary.known_percent(share)}% known")
    QTest.keyClick(panel.table, Qt.Key.Key_2)
    assert vocabulary.word_status(window.store, "計画") == "learning"
    with qtbot.waitSignal(window.wordsChanged, timeout=60_000):
        QTest.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert vocabulary.word_status(window.store, "計画") == "known"
    with qtbot.waitSignal(window.wordsChanged, timeout=60_000):
        QTest.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert vocabulary.word_status(window.store, "工場") == "new"
    assert vocabulary.word_status(window.store, "計画") == "new"
    qtbot.waitUntil(lambda: panel.proxy.index(row_of(panel, "計画"), 0).data() == "New", timeout=10_000)


def test_buttons_and_the_context_menu_change_status_too(qtbot, window, shown):
    """The Ignored button, then the context menu's Mark as Learning."""
    panel, _post_id, _text = shown
    click_row(qtbot, panel, "職人")
    QTest.mouseClick(panel.status_buttons["ignored"], Qt.MouseButton.LeftButton)
    assert vocabulary.word_status(window.store, "職人") == "ignored"
    index = panel.proxy.index(row_of(panel, "職人"), 1)
    panel.table.customContextMenuRequested.emit(panel.table.visualRect(index).center())
    menu = panel._menu
    learning = next(a for a in menu.actions() if a.text() == "Mark as Learning")
    learning.trigger()
    assert vocabulary.word_status(window.store, "職人") == "learning"


def test_a_click_marks_the_first_occurrence_in_the_page_and_escape_gives_the_keys_back(qtbot, window, shown):
    """Clicking 工場's row marks its first place in the text; Enter on another row marks that one."""
    panel, _post_id, text = shown
    click_row(qtbot, panel, "工場")
    qtbot.waitUntil(lambda: run_js(qtbot, window, "kkMarkedText()") == "工場", timeout=10_000)
    word = panel.shown_words()[row_of(panel, "工場")]
    assert text[word.first_start:word.first_end] == "工場"
    assert word.first_start == text.index("工場")
    panel.table.setCurrentIndex(panel.proxy.index(row_of(panel, "投資"), 1))
    QTest.keyClick(panel.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: run_js(qtbot, window, "kkMarkedText()") == "投資", timeout=10_000)
    QTest.keyClick(panel.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not panel.table.hasFocus(), timeout=5_000)


def test_add_to_anki_then_export_the_deck(qtbot, window, shown, tmp_path, monkeypatch):
    """Two words added (one undoable edit), then Export writes them as .apkg and as text."""
    panel, _post_id, _text = shown
    click_row(qtbot, panel, "投資")
    click_row(qtbot, panel, "計画", Qt.KeyboardModifier.ControlModifier)
    QTest.mouseClick(panel.anki_button, Qt.MouseButton.LeftButton)
    picked = vocabulary.picked_cards(window.store)
    assert sorted(card.word for card in picked) == sorted(["投資", "計画"])
    assert "Anki deck" in window.statusBar().currentMessage()
    panel.table.clearSelection()
    target = tmp_path / "deck.apkg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    QTest.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert zipfile.is_zipfile(target)
    with zipfile.ZipFile(target) as package:
        names = package.namelist()
        collection = next(n for n in names if n.startswith("collection.anki2"))
        (tmp_path / "collection").write_bytes(package.read(collection))
    with sqlite3.connect(tmp_path / "collection") as db:
        fields = [row[0] for row in db.execute("select flds from notes")]
    assert sorted(f.split("\x1f")[0] for f in fields) == sorted(["投資", "計画"])
    # The selection's words, as Anki's text import, the suffix from the filter chosen.
    click_row(qtbot, panel, "工場")
    text_target = tmp_path / "selected"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(text_target), "Anki text import (*.txt)")))
    QTest.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    written = (tmp_path / "selected.txt").read_text(encoding="utf-8")
    assert written.startswith("#separator:")
    assert [line.split("\t")[0] for line in written.splitlines() if not line.startswith("#")] == ["工場"]
    # Ctrl+Z takes the two words out of the deck again.
    QTest.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert vocabulary.picked_cards(window.store) == []


def test_nothing_to_export_says_so(qtbot, window, shown, tmp_path, monkeypatch):
    """No selection and an empty deck: one sentence, no file."""
    panel, _post_id, _text = shown
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text, *rest: said.append(text))
    target = tmp_path / "deck.apkg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    QTest.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert said == ["Select words in the list, or add words to the Anki deck, first."]
    assert not target.exists()


def test_follows_the_post_shown_and_statuses_set_elsewhere(qtbot, window, shown, tmp_path):
    """Another post opened: its words; a status set from the core and the window told: the row follows."""
    panel, _post_id, _text = shown
    other = tmp_path / "town.md"
    other.write_text(OTHER, encoding="utf-8")
    other_id = open_and_wait(qtbot, window, other)
    qtbot.waitUntil(lambda: "町" in lemmas(panel), timeout=10_000)
    assert lemmas(panel) == [w.lemma for w in vocabulary.post_words(window.store, other_id)]
    vocabulary_actions().set_word_status(window.store, "町", "known")
    if hasattr(window, "wordsChanged"):
        window.wordsChanged.emit()
    else:
        window.reload()
    qtbot.waitUntil(lambda: panel.shown_words()[row_of(panel, "町")].status == "known", timeout=10_000)


def test_hidden_panel_catches_up_when_shown(qtbot, window, shown, tmp_path):
    """Hidden (View › Vocabulary again), it does no work; shown again, it lists the post now open."""
    panel, _post_id, _text = shown
    panel.toggleViewAction().trigger()
    assert not panel.isVisible()
    other = tmp_path / "town.md"
    other.write_text(OTHER, encoding="utf-8")
    open_and_wait(qtbot, window, other)
    assert "町" not in lemmas(panel)
    panel.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: "町" in lemmas(panel), timeout=10_000)
    assert QApplication.activeWindow() in (window, None)


def vocabulary_actions():
    from app.core.library import actions

    return actions
