"""The learner's panels at their edges: a post with no Japanese and a post with no text at all,
a word list whose words look like markup, and a few thousand words chosen at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMessageBox

from app.core.library import actions as library
from app.core.library import vocabulary
from app.ui.vocabulary_panel import row_selection
from app.ui.word_manager import ImportDialog, open_manager
from tests.ui.conftest import open_and_wait


def _shown_panel(qtbot, window):
    panel = window.vocabulary
    if not panel.isVisible():
        panel.toggleViewAction().trigger()
    qtbot.waitUntil(panel.isVisible, timeout=5_000)
    return panel


def test_posts_without_words_list_none_and_refuse_nothing_loudly(qtbot, window, tmp_path, monkeypatch):
    """A post in English only and a post with no body: the panel lists no word and gives no share,
    its buttons are off, keys 1-4 do nothing, the library row has no "known" figure; a Japanese post
    opened after them is listed at once."""
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text, *rest: said.append(text))
    english = tmp_path / "english.md"
    english.write_text("---\ntitle: English only\n---\n\nJust some English text, 123 and 4.5%.\n", encoding="utf-8")
    empty = tmp_path / "empty.md"
    empty.write_text("---\ntitle: 空っぽ\n---\n", encoding="utf-8")
    panel = _shown_panel(qtbot, window)
    for path in (english, empty):
        post_id = open_and_wait(qtbot, window, path)
        qtbot.waitUntil(lambda post_id=post_id: panel.post_id == post_id, timeout=10_000)
        assert panel.model.rowCount() == 0
        assert panel.summary.text() == "0 words"
        assert not panel.status_buttons["known"].isEnabled() and not panel.anki_button.isEnabled()
        QTest.keyClick(panel.table, Qt.Key.Key_3)
        assert window.store.word_statuses() == {}
        assert vocabulary.known_share(window.store, post_id) is None
        assert window.library_panel.known_share_text(post_id) == ""
        assert panel.export_to(tmp_path / "deck.apkg") is None  # nothing picked: one sentence, no file
        assert not (tmp_path / "deck.apkg").exists()
    assert said == ["Select words in the list, or add words to the Anki deck, first."] * 2
    japanese = tmp_path / "factory.md"
    japanese.write_text("---\ntitle: 工場\n---\n\n工場で働く。\n", encoding="utf-8")
    post_id = open_and_wait(qtbot, window, japanese)
    qtbot.waitUntil(lambda: panel.post_id == post_id and panel.model.rowCount() > 0, timeout=10_000)
    assert "工場" in [w.lemma for w in panel.model.words]


def test_a_word_list_of_markup_is_shown_as_written(qtbot, window, tmp_path):
    """Words that look like markup once Anki's entities are decoded (&lt;b&gt;) are words like any
    other: the import's preview and the manager's rows show their characters, never bold text."""
    text = "&lt;b&gt;太字&lt;/b&gt;\n<i>工場</i>\n&lt;img src=x onerror=alert(1)&gt;\n"
    words = vocabulary.parse_word_list(text)
    assert words == ["<b>太字</b>", "工場", "<imgsrc=xonerror=alert(1)>"]  # a word has no spaces
    dialog = ImportDialog("<b>list</b>.txt", words)
    qtbot.addWidget(dialog)
    labels = [label for label in dialog.findChildren(QLabel) if "太字" in label.text() or "list" in label.text()]
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    manager = open_manager(window)
    with qtbot.waitSignal(window.wordsChanged, timeout=10_000):
        assert manager.import_text(text, "known") == 3
    shown = {manager.proxy.index(r, 0).data() for r in range(manager.proxy.rowCount())}
    assert {"<b>太字</b>", "工場", "<imgsrc=xonerror=alert(1)>"} <= shown
    manager.close()


def test_thousands_of_words_chosen_at_once_stay_one_range_and_one_edit(qtbot, window, tmp_path):
    """Every word of the manager chosen (Ctrl+A) and marked learning: one edit, the selection kept
    as one range (not one per row, which makes every later look at it slow), one Ctrl+Z back."""
    lemmas = [f"語{n:04d}" for n in range(3000)]
    library.set_word_statuses(window.store, lemmas, "known")
    manager = open_manager(window)
    qtbot.waitUntil(lambda: manager.model.rowCount() == 3000, timeout=10_000)
    manager.table.setFocus()
    QTest.keyClick(manager.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(manager.selected_lemmas()) == 3000
    QTest.keyClick(manager.table, Qt.Key.Key_2)
    assert set(vocabulary.statuses(window.store).values()) == {"learning"}
    assert len(manager.table.selectionModel().selection()) == 1 and len(manager.selected_lemmas()) == 3000
    assert manager.status_buttons["known"].isEnabled()
    QTest.keyClick(manager.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert set(vocabulary.statuses(window.store).values()) == {"known"}
    qtbot.waitUntil(lambda: manager.proxy.index(0, 3).data() == "Known", timeout=10_000)
    manager.close()


def test_row_selection_joins_neighbouring_rows(qtbot, window):
    """Rows 0-2, 5 and 7-8 (given in any order, once or twice) make three ranges of whole rows."""
    model = window.vocabulary.proxy
    window.vocabulary.model.set_words(
        [vocabulary.PostWord(f"語{n}", f"語{n}", None, "new", 1, n, n + 1) for n in range(10)]
    )
    selection = row_selection(model, [8, 0, 1, 2, 5, 7, 1])
    assert [(r.top(), r.bottom(), r.left(), r.right()) for r in selection] == [
        (0, 2, 0, model.columnCount() - 1), (5, 5, 0, model.columnCount() - 1), (7, 8, 0, model.columnCount() - 1),
    ]
    assert len(row_selection(model, [])) == 0


def test_a_status_change_makes_the_list_once(qtbot, window, tmp_path, monkeypatch):
    """3 on a row: the list is made again once (on wordsChanged), not a second time when the page
    of the same text shows again; another post opened is listed."""
    path = tmp_path / "factory.md"
    path.write_text("---\ntitle: 工場\n---\n\n町の工場で機械を作る。\n", encoding="utf-8")
    open_and_wait(qtbot, window, path)
    panel = _shown_panel(qtbot, window)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=10_000)
    made = []
    real = vocabulary.post_words
    monkeypatch.setattr(vocabulary, "post_words", lambda *args, **kwargs: made.append(args[1]) or real(*args, **kwargs))
    panel.select_lemmas(["工場"])
    panel.table.setFocus()
    with qtbot.waitSignal(window.wordsChanged, timeout=60_000):
        QTest.keyClick(panel.table, Qt.Key.Key_3)
    qtbot.wait(100)
    assert vocabulary.word_status(window.store, "工場") == "known"
    assert len(made) == 1 and {w.lemma: w.status for w in panel.shown_words()}["工場"] == "known"
    other = tmp_path / "town.md"
    other.write_text("---\ntitle: 町\n---\n\n静かな町。\n", encoding="utf-8")
    post_id = open_and_wait(qtbot, window, other)
    qtbot.waitUntil(lambda: panel.post_id == post_id and "静か" in [w.lemma for w in panel.model.words], timeout=10_000)
