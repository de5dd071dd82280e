"""The notebook window: every highlight of the library, filtered and sorted through its widgets with
real keys and clicks; a row opens its post with the highlight marked; Export writes what is shown."""

from __future__ import annotations

import csv
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from app.core.library import actions as library
from app.ui.notebook import COLUMNS, NotebookWindow
from tests.ui.conftest import run_js
from tests.ui.test_search_ui import type_text

CHIPS = "---\ntitle: 半導体工場への投資\ndate: 2025-11-30\n---\n\n新しい工場で半導体を作る計画が発表された。投資額は一兆円だという。\n"
TOWN = "---\ntitle: 町の工場の話\ndate: 2024-03-01\n---\n\n昔の工場は小さかった。職人が三人いた。\n"


def _library(window, tmp_path) -> dict[str, int]:
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "chips.md").write_text(CHIPS, encoding="utf-8")
    (folder / "town.md").write_text(TOWN, encoding="utf-8")
    assert not library.import_paths(window.store, [folder]).errors
    posts = {p.title: p for p in window.store.posts()}
    chips, town = posts["半導体工場への投資"], posts["町の工場の話"]
    made = [
        (chips, "半導体を作る計画", "2025-12-01T10:00:00.000000Z", {"tags": ["chip"], "color": "blue", "note": "Which fab?"}),
        (chips, "投資額は一兆円", "2025-12-03T10:00:00.000000Z", {"tags": ["investment"]}),
        (town, "職人が三人", "2025-12-02T10:00:00.000000Z", {"tags": ["chip"], "color": "pink"}),
    ]
    for post, quote, created, options in made:
        annotation = library.annotate_quote(window.store, post, quote, **options)
        window.store.put_annotation(replace(annotation, created=created))
    window.refresh_posts()
    return {"chips": chips.id, "town": town.id}


def _shown(notebook: NotebookWindow) -> list[str]:
    return [entry.annotation.exact for entry in notebook.model.entries]


def _open_notebook(qtbot, window) -> NotebookWindow:
    QTest.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: getattr(window, "notebook_window", None) is not None and window.notebook_window.isVisible(), timeout=5_000)
    notebook = window.notebook_window
    qtbot.addWidget(notebook)
    return notebook


def test_ctrl_shift_b_opens_every_highlight_in_post_order(qtbot, window, tmp_path):
    """View › Notebook (Ctrl+Shift+B) lists the library's highlights: newest post first, reading order within."""
    _library(window, tmp_path)
    notebook = _open_notebook(qtbot, window)
    assert _shown(notebook) == ["半導体を作る計画", "投資額は一兆円", "職人が三人"]
    model = notebook.model
    assert model.index(0, COLUMNS.index("post")).data() == "半導体工場への投資"
    assert model.index(0, COLUMNS.index("tags")).data() == "#chip"
    assert model.index(0, COLUMNS.index("made")).data() == "2025-12-01"
    assert notebook.count.text() == "3 highlight(s)"
    assert window.notebook_action.shortcut().toString() == "Ctrl+Shift+B"


def test_typing_and_choosing_filters_narrow_the_rows(qtbot, window, tmp_path):
    """Text typed (after a pause), a tag, a colour chosen with the keyboard, then the order: the rows follow."""
    _library(window, tmp_path)
    notebook = _open_notebook(qtbot, window)
    notebook.text_field.setFocus()
    QTest.keyClicks(notebook.text_field, "FAB")
    qtbot.waitUntil(lambda: _shown(notebook) == ["半導体を作る計画"], timeout=5_000)
    notebook.text_field.clear()
    type_text(notebook.text_field, "工場")  # in the titles of both posts
    qtbot.waitUntil(lambda: len(_shown(notebook)) == 3, timeout=5_000)
    type_text(notebook.text_field, "への")  # 工場への: one post's title
    qtbot.waitUntil(lambda: _shown(notebook) == ["半導体を作る計画", "投資額は一兆円"], timeout=5_000)
    notebook.text_field.clear()
    qtbot.waitUntil(lambda: len(_shown(notebook)) == 3, timeout=5_000)
    notebook.tag_box.setFocus()
    QTest.keyClick(notebook.tag_box, Qt.Key.Key_Down)  # All tags -> #chip
    assert notebook.tag_box.currentText() == "#chip"
    assert _shown(notebook) == ["半導体を作る計画", "職人が三人"]
    notebook.sort_box.setFocus()
    QTest.keyClick(notebook.sort_box, Qt.Key.Key_Down)  # By post -> Newest first
    assert _shown(notebook) == ["職人が三人", "半導体を作る計画"]
    notebook.color_box.setFocus()
    for _ in range(4):  # All colours, yellow, green, blue, pink
        QTest.keyClick(notebook.color_box, Qt.Key.Key_Down)
    assert notebook.color_box.currentData() == "pink"
    assert _shown(notebook) == ["職人が三人"]
    QTest.keyClick(notebook.table, Qt.Key.Key_Escape)
    assert not notebook.isVisible()


def test_date_range_keeps_the_days_chosen(qtbot, window, tmp_path):
    """With the dates switched on, only highlights made on those days are shown."""
    _library(window, tmp_path)
    notebook = _open_notebook(qtbot, window)
    from PySide6.QtCore import QDate

    notebook.since.setDate(QDate(2025, 12, 2))
    notebook.until.setDate(QDate(2025, 12, 3))
    assert len(_shown(notebook)) == 3  # not until the dates are switched on
    QTest.mouseClick(notebook.dates, Qt.MouseButton.LeftButton)
    assert notebook.dates.isChecked()
    assert _shown(notebook) == ["投資額は一兆円", "職人が三人"]


def test_clicking_a_row_opens_the_post_with_the_highlight_marked(qtbot, window, tmp_path):
    """A click on a row shows its post in the main window, the highlight marked in the page."""
    posts = _library(window, tmp_path)
    notebook = _open_notebook(qtbot, window)
    row = _shown(notebook).index("職人が三人")
    rect = notebook.table.visualRect(notebook.model.index(row, COLUMNS.index("quote")))
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        QTest.mouseClick(notebook.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert window.current.id == posts["town"]
    qtbot.waitUntil(lambda: run_js(qtbot, window, "kkMarkedText()") == "職人が三人", timeout=10_000)


def test_enter_on_a_row_opens_it(qtbot, window, tmp_path):
    """Moving to a row with the keyboard and pressing Enter opens it as a click does."""
    posts = _library(window, tmp_path)
    notebook = _open_notebook(qtbot, window)
    notebook.table.setFocus()
    notebook.table.setCurrentIndex(notebook.model.index(0, 1))
    QTest.keyClick(notebook.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        QTest.keyClick(notebook.table, Qt.Key.Key_Return)
    assert window.current.id == posts["chips"]
    qtbot.waitUntil(lambda: run_js(qtbot, window, "kkMarkedText()") == "投資額は一兆円", timeout=10_000)


def test_export_writes_what_is_shown(qtbot, window, tmp_path, monkeypatch):
    """Export… writes the filtered rows only, in their order: CSV or Markdown by the name chosen."""
    _library(window, tmp_path)
    notebook = _open_notebook(qtbot, window)
    notebook.tag_box.setCurrentIndex(notebook.tag_box.findData("chip"))
    notebook.sort_box.setCurrentIndex(notebook.sort_box.findData("newest"))
    target = tmp_path / "out" / "notebook"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "CSV (*.csv)"))
    QTest.mouseClick(notebook.export_button, Qt.MouseButton.LeftButton)
    with open(tmp_path / "out" / "notebook.csv", encoding="utf-8-sig", newline="") as handle:
        assert [row["quote"] for row in csv.DictReader(handle)] == ["職人が三人", "半導体を作る計画"]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target) + ".md", "Markdown (*.md)"))
    QTest.mouseClick(notebook.export_button, Qt.MouseButton.LeftButton)
    text = (tmp_path / "out" / "notebook.md").read_text(encoding="utf-8")
    assert "職人が三人" in text and "半導体を作る計画" in text and "一兆円" not in text
    assert "notebook.md" in notebook.count.text()


def test_a_highlight_made_in_the_window_shows_when_the_notebook_is_shown_again(qtbot, window, tmp_path):
    """The notebook reads the library again when it is brought forward."""
    posts = _library(window, tmp_path)
    notebook = _open_notebook(qtbot, window)
    notebook.hide()
    library.annotate_quote(window.store, window.store.post(posts["town"]), "昔の工場")
    window.show_notebook()
    assert "昔の工場" in _shown(notebook)
