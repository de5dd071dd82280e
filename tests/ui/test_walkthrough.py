"""A reader's session through the window, end to end, with real keys and clicks (#17 "done when"):
highlight, highlight the same text again, recolour, tag, annotate, undo and redo, then search for
text that is on the page (兆円, a kana reading, a title word) and keep using the single keys after
the find bar and the search box. Never a duplicate, a dead key or an empty result.

KK_WALKTHROUGH_SHOTS=folder saves a screenshot after each step (looked at by hand)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from app.core.common.paths import sample_post_path
from tests.ui.conftest import open_and_wait
from tests.ui.test_highlight_edit import CTRL, SHIFT, answer, click_highlight, focus_reader, highlight_with_keys, live, press

SHOTS = os.environ.get("KK_WALKTHROUGH_SHOTS")


def shot(qtbot, window, name: str) -> None:
    if SHOTS:
        qtbot.wait(300)
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_a_reading_session_never_duplicates_never_drops_a_key_and_finds_what_is_on_the_page(qtbot, window):
    post_id = open_and_wait(qtbot, window, sample_post_path())
    text = window.store.post(post_id).text
    quote = "桁外れのお金"
    start = text.index(quote)

    # Highlight, then the same text again in another colour: one highlight, recoloured.
    made = highlight_with_keys(qtbot, window, post_id, start, start + len(quote))
    again = highlight_with_keys(qtbot, window, post_id, start, start + len(quote), Qt.Key.Key_4)
    assert again.id == made.id and again.color == "pink"
    assert len(live(window, post_id)) == 1
    shot(qtbot, window, "1-recoloured")

    # Tag it and write a note on it, chosen by a click.
    click_highlight(qtbot, window, made.id)
    qtbot.waitUntil(window.word_popup.isVisible, timeout=10_000)  # a click on a word opens its popup, which has the keys
    answer(qtbot, lambda dialog: (dialog.findChild(QLineEdit).setText("investment"), dialog.accept()))
    press(qtbot, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: live(window, post_id)[0].tags == ("investment",), timeout=10_000)
    answer(qtbot, lambda dialog: (dialog.field.setPlainText("桁が違う"), dialog.accept()))
    press(qtbot, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: live(window, post_id)[0].note == "桁が違う", timeout=10_000)
    shot(qtbot, window, "2-tagged")

    # Undo the note, the tag and the recolour, redo the recolour.
    focus_reader(qtbot, window)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: live(window, post_id)[0].note == "", timeout=10_000)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: live(window, post_id)[0].tags == (), timeout=10_000)
    assert live(window, post_id)[0].color == "pink"
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: live(window, post_id)[0].color == "yellow", timeout=10_000)
    press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    qtbot.waitUntil(lambda: live(window, post_id)[0].color == "pink", timeout=10_000)
    assert len(live(window, post_id)) == 1

    # Search as you type: a string MeCab splits across words, and a kana reading of a compound.
    field = window.library_panel.search_field
    for query, expected in (("兆円", "兆円"), ("はんどうたい", "半導体")):
        field.setFocus()
        field.clear()
        field.insert(query)  # QTest.keyClicks cannot type CJK; the field's own edit signals fire as typing does
        panel = window.library_panel
        qtbot.waitUntil(lambda: panel.posts.count() > 0 and "【" in panel.posts.item(0).text(), timeout=10_000)
        assert any(f"【{expected}】" in panel.posts.item(r).text() for r in range(panel.posts.count()))
        shot(qtbot, window, f"3-search-{expected}")
    # Esc gives the reader its keys back: J steps to the highlight.
    QTest.keyClick(field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is (window.reader.focusProxy() or window.reader), timeout=5_000)

    # Ctrl+F finds a word of the title; Esc closes the bar and the keys still work.
    press(qtbot, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    qtbot.waitUntil(bar.isVisible, timeout=5_000)
    bar.field.setText("兆円単位")
    qtbot.waitUntil(lambda: "title" in bar.count.text(), timeout=10_000)
    shot(qtbot, window, "4-find-title")
    QTest.keyClick(bar.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=5_000)
    focus_reader(qtbot, window)
    press(qtbot, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: window.highlights_panel.current_id() == made.id, timeout=10_000)
    press(qtbot, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: live(window, post_id)[0].color == "green", timeout=10_000)
    assert len(live(window, post_id)) == 1
    shot(qtbot, window, "5-after-find")
