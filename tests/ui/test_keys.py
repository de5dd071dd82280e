"""Keys that always work: whenever the reader has the keyboard its single keys (H, T, N, 1-5, W,
J, K, Delete) act on the post, and closing the find bar, the word popup, a dialog or the export,
or Esc in the library's search field, gives the keyboard back to the reader. Real key presses,
sent to whatever has the keyboard."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import open_and_wait
from tests.ui.test_highlight_edit import answer, click_row, focus_reader, live, press, reader_widget, select_text

POST = "---\ntitle: 鍵の試験\n---\n\n町の工場が新しい機械を入れた。工場の人は喜んでいる。\n\n二つ目の段落は投資について書く。\n"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def post(qtbot, window, tmp_path):
    """The test post open in the window, with two highlights; returns (post id, text)."""
    path = tmp_path / "keys.md"
    path.write_text(POST, encoding="utf-8")
    post_id = open_and_wait(qtbot, window, path)
    text = window.store.post(post_id).text
    for quote in ("町の工場", "二つ目の段落"):
        start = text.index(quote)
        select_text(qtbot, window, start, start + len(quote))
        focus_reader(qtbot, window)
        press(qtbot, Qt.Key.Key_H)
    assert len(live(window, post_id)) == 2
    return post_id, text


def reader_has_keys(window) -> bool:
    return QApplication.focusWidget() is reader_widget(window)


def test_every_single_key_acts_when_the_reader_has_the_keyboard(qtbot, window, post):
    """J and K step through the highlights, 1-5 recolour the chosen one, H highlights a
    selection, W looks the selected word up, Delete deletes the chosen highlight."""
    post_id, text = post
    first, second = live(window, post_id)
    focus_reader(qtbot, window)
    window.highlights_panel.list.setCurrentRow(-1)
    press(qtbot, Qt.Key.Key_J)
    assert window.highlights_panel.current_id() == first.id
    press(qtbot, Qt.Key.Key_J)
    assert window.highlights_panel.current_id() == second.id
    press(qtbot, Qt.Key.Key_K)
    assert window.highlights_panel.current_id() == first.id
    for key, color in zip((Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5), ("yellow", "green", "blue", "pink", "purple")):
        assert reader_has_keys(window)
        press(qtbot, key)
        assert window.store.annotation(first.id).color == color
    start = text.index("新しい機械")
    select_text(qtbot, window, start, start + 5)
    focus_reader(qtbot, window)
    press(qtbot, Qt.Key.Key_H)
    assert [a.exact for a in live(window, post_id)] == ["町の工場", "新しい機械", "二つ目の段落"]
    start = text.index("投資")
    select_text(qtbot, window, start, start + 2)
    focus_reader(qtbot, window)
    press(qtbot, Qt.Key.Key_W)
    qtbot.waitUntil(window.word_popup.isVisible, timeout=10_000)
    assert window.word_popup.word.surface == "投資"
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: reader_has_keys(window), timeout=5_000)  # the popup gave them back
    click_row(qtbot, window, second.id)  # chosen after the text: Delete takes the highlight
    press(qtbot, Qt.Key.Key_Delete)
    assert [a.exact for a in live(window, post_id)] == ["町の工場", "新しい機械"]


def test_after_find_and_escape_the_keys_act_on_the_post(qtbot, window, post):
    """Ctrl+F then Esc: J, J, K step through the highlights instead of typing "jjk" anywhere."""
    post_id, _text = post
    first, second = live(window, post_id)
    focus_reader(qtbot, window)
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.find_bar.field, timeout=5_000)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: reader_has_keys(window), timeout=5_000)
    window.highlights_panel.list.setCurrentRow(-1)
    for key, expected in ((Qt.Key.Key_J, first.id), (Qt.Key.Key_J, second.id), (Qt.Key.Key_K, first.id)):
        press(qtbot, key)
        assert window.highlights_panel.current_id() == expected
    assert window.library_panel.search_field.text() == "" and window.find_bar.field.text() == ""


def test_escape_in_the_library_search_gives_the_keys_back(qtbot, window, post):
    """Esc in the sidebar's search field hands the keyboard to the reader, the search kept."""
    post_id, _text = post
    first, _second = live(window, post_id)
    field = window.library_panel.search_field
    QTest.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=5_000)
    press(qtbot, Qt.Key.Key_J)
    assert field.text() == "j"  # typing in the field is typing
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: reader_has_keys(window), timeout=5_000)
    assert field.text() == "j"
    window.highlights_panel.select(first.id)
    press(qtbot, Qt.Key.Key_2)
    assert window.store.annotation(first.id).color == "green" and field.text() == "j"


def test_closing_the_word_popup_gives_the_keys_back(qtbot, window, post):
    """After Esc in the word popup, 4 recolours the chosen highlight."""
    post_id, text = post
    first, _second = live(window, post_id)
    window.reader.bridge.wordClicked(json.dumps({"offset": text.index("機械"), "x": 40, "y": 40}))
    qtbot.waitUntil(window.word_popup.isVisible, timeout=10_000)
    QTest.keyClick(window.word_popup, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: reader_has_keys(window), timeout=5_000)
    window.highlights_panel.select(first.id)
    press(qtbot, Qt.Key.Key_4)
    assert window.store.annotation(first.id).color == "pink"


@pytest.mark.parametrize("key", [Qt.Key.Key_T, Qt.Key.Key_N])
def test_closing_the_tag_or_note_dialog_gives_the_keys_back(qtbot, window, post, key):
    """T or N opens its dialog; Esc closes it unchanged and the reader has the keys: 5 recolours."""
    post_id, _text = post
    first, _second = live(window, post_id)
    window.highlights_panel.select(first.id)
    focus_reader(qtbot, window)
    seen = answer(qtbot, lambda dialog: QTest.keyClick(dialog.field, Qt.Key.Key_Escape))
    press(qtbot, key)
    assert seen and not seen[0].isVisible()
    assert reader_has_keys(window)
    press(qtbot, Qt.Key.Key_5)
    current = window.store.annotation(first.id)
    assert (current.color, current.tags, current.note) == ("purple", (), "")


def test_closing_the_export_dialog_gives_the_keys_back(qtbot, window, post):
    """Ctrl+E opens the export; closing it leaves the keyboard with the reader."""
    post_id, _text = post
    first, _second = live(window, post_id)
    focus_reader(qtbot, window)
    seen = answer(qtbot, lambda dialog: dialog.reject())
    press(qtbot, Qt.Key.Key_E, CTRL)
    assert seen and type(seen[0]).__name__ == "ExportDialog"
    assert reader_has_keys(window)
    window.highlights_panel.select(first.id)
    press(qtbot, Qt.Key.Key_3)
    assert window.store.annotation(first.id).color == "blue"
