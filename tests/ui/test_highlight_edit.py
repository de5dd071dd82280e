"""Highlights edited in place through the window, with real mouse clicks and key presses: a click
on a highlight (or its row) chooses it and 1-5, T, N, Delete act on it; highlighting highlighted
text changes that highlight, overlapping text merges; a note shows as a marker; every edit undoes
and redoes (Ctrl+Z, Ctrl+Shift+Z), named in the Edit menu."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.core.library import actions as library
from tests.ui.conftest import open_and_wait, run_js

POST = "---\ntitle: 書き込みの試験\n---\n\n町の工場が新しい機械を入れた。工場の人は喜んでいる。\n\n二つ目の段落は投資について書く。\n"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def post(qtbot, window, tmp_path):
    """The test post open in the window; returns (post id, its text)."""
    path = tmp_path / "edit.md"
    path.write_text(POST, encoding="utf-8")
    post_id = open_and_wait(qtbot, window, path)
    return post_id, window.store.post(post_id).text


def reader_widget(window):
    return window.reader.focusProxy() or window.reader


def focus_reader(qtbot, window) -> None:
    window.focus_reader()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is reader_widget(window), timeout=5_000)


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A real key press on whatever has the keyboard."""
    focused = QApplication.focusWidget()
    assert focused is not None
    QTest.keyClick(focused, key, modifier)
    qtbot.wait(50)


def select_text(qtbot, window, start: int, end: int) -> None:
    window.reader.select_range(start, end)
    qtbot.waitUntil(lambda: window.selection == (start, end), timeout=10_000)


def live(window, post_id: int) -> list:
    return window.store.annotations(post_id)


def painted(qtbot, window) -> list[dict]:
    """The page's highlight marks: id, classes, title (the note) and text."""
    script = """JSON.stringify(Array.from(document.querySelectorAll('mark.kk-hl')).map((m) => (
      {id: m.dataset.id, cls: m.className, title: m.title, text: m.textContent})))"""
    return json.loads(run_js(qtbot, window, script))


def click_highlight(qtbot, window, annotation_id: str) -> None:
    """A real left click in the middle of the highlight's first mark; waits until it is chosen."""
    script = f"""(() => {{
      const r = document.querySelector('mark.kk-hl[data-id="{annotation_id}"]').getBoundingClientRect();
      return JSON.stringify([r.left + r.width / 2, r.top + r.height / 2]);
    }})()"""
    x, y = json.loads(run_js(qtbot, window, script))
    zoom = window.reader.zoomFactor()
    QTest.mouseClick(reader_widget(window), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(round(x * zoom), round(y * zoom)))
    qtbot.waitUntil(lambda: window.highlights_panel.current_id() == annotation_id, timeout=10_000)


def click_row(qtbot, window, annotation_id: str) -> None:
    """A real click on the highlight's row in the panel."""
    panel = window.highlights_panel
    row = next(r for r in panel.rows() if panel.list.item(r).data(Qt.ItemDataRole.UserRole) == annotation_id)
    rect = panel.list.visualItemRect(panel.list.item(row))
    QTest.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert panel.current_id() == annotation_id


def highlight_with_keys(qtbot, window, post_id: int, start: int, end: int, key=Qt.Key.Key_H):
    """Select [start, end) and press `key` in the reader; returns the highlight that holds it."""
    select_text(qtbot, window, start, end)
    focus_reader(qtbot, window)
    press(qtbot, key)
    holding = [a for a in live(window, post_id) if a.start <= start and end <= a.end]
    assert len(holding) == 1
    return holding[0]


def answer(qtbot, respond) -> list:
    """Call `respond(dialog)` on the next modal dialog once it is shown (dialogs block in exec);
    returns a list that gets the dialog."""
    seen: list = []

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, check)
            return
        seen.append(dialog)
        respond(dialog)

    QTimer.singleShot(50, check)
    return seen


def test_a_click_on_a_highlight_then_a_number_recolours_it(qtbot, window, post):
    """Clicking a highlight in the text chooses it (and opens its word's popup); 4 then recolours
    it, through the popup: no "select some text" and no second highlight."""
    post_id, text = post
    start = text.index("新しい機械")
    made = highlight_with_keys(qtbot, window, post_id, start, start + 5)
    assert made.color == "yellow"
    click_highlight(qtbot, window, made.id)
    qtbot.waitUntil(window.word_popup.isVisible, timeout=10_000)  # the popup has the keys now
    press(qtbot, Qt.Key.Key_4)
    assert [(a.id, a.color) for a in live(window, post_id)] == [(made.id, "pink")]
    assert not window.word_popup.isVisible()
    qtbot.waitUntil(lambda: all("kk-hl-pink" in m["cls"] for m in painted(qtbot, window)), timeout=10_000)
    assert all("kk-hl-selected" in m["cls"] for m in painted(qtbot, window))
    assert "Select some text" not in window.statusBar().currentMessage()


def test_highlighting_highlighted_text_changes_that_highlight(qtbot, window, post):
    """The same text highlighted again, or text inside a highlight, changes the colour of the
    highlight there; H on it changes nothing; nothing is ever doubled."""
    post_id, text = post
    start = text.index("新しい機械")
    made = highlight_with_keys(qtbot, window, post_id, start, start + 5)
    again = highlight_with_keys(qtbot, window, post_id, start, start + 5, Qt.Key.Key_2)
    assert (again.id, again.color) == (made.id, "green")
    inside = highlight_with_keys(qtbot, window, post_id, start + 3, start + 5, Qt.Key.Key_3)
    assert (inside.id, inside.color, inside.start, inside.end) == (made.id, "blue", start, start + 5)
    highlight_with_keys(qtbot, window, post_id, start, start + 5, Qt.Key.Key_H)
    assert [(a.id, a.color) for a in live(window, post_id)] == [(made.id, "blue")]


def test_text_overlapping_highlights_merges_them_into_one(qtbot, window, post):
    """A selection overlapping two highlights makes one highlight over all three spans."""
    post_id, text = post
    first = text.index("町の工場")
    second = text.index("機械を入れた")
    a = highlight_with_keys(qtbot, window, post_id, first, first + 4)
    highlight_with_keys(qtbot, window, post_id, second, second + 6, Qt.Key.Key_2)
    merged = highlight_with_keys(qtbot, window, post_id, first + 2, second + 2, Qt.Key.Key_5)
    assert [(h.id, h.start, h.end, h.color) for h in live(window, post_id)] == [(a.id, first, second + 6, "purple")]
    assert merged.exact == text[first : second + 6]
    qtbot.waitUntil(lambda: {m["id"] for m in painted(qtbot, window)} == {a.id}, timeout=10_000)


def test_t_and_n_with_nothing_chosen_say_so(qtbot, window, post):
    """With no highlight chosen and no text selected, T and N open nothing, change nothing and say
    why in the status bar; a click in the text outside every highlight un-chooses one."""
    post_id, text = post
    start = text.index("新しい機械")
    made = highlight_with_keys(qtbot, window, post_id, start, start + 5)
    click_row(qtbot, window, made.id)
    other = text.index("二つ目")
    script = f"""(() => {{ kk.selectRange({other}, {other + 3});
      const r = window.getSelection().getRangeAt(0).getBoundingClientRect(); kk.clearSelection();
      return JSON.stringify([r.left + r.width / 2, r.top + r.height / 2]); }})()"""
    x, y = json.loads(run_js(qtbot, window, script))
    zoom = window.reader.zoomFactor()
    QTest.mouseClick(reader_widget(window), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(round(x * zoom), round(y * zoom)))
    qtbot.waitUntil(lambda: window.highlights_panel.current_id() is None, timeout=10_000)
    window.word_popup.close()
    focus_reader(qtbot, window)
    for key, words in ((Qt.Key.Key_T, "to tag"), (Qt.Key.Key_N, "to annotate")):
        press(qtbot, key)
        assert QApplication.activeModalWidget() is None
        assert words in window.statusBar().currentMessage()
    press(qtbot, Qt.Key.Key_3)
    assert "Select some text" in window.statusBar().currentMessage()
    assert [(a.tags, a.note, a.color) for a in live(window, post_id)] == [((), "", "yellow")]


def test_n_edits_the_chosen_note_and_the_page_marks_it(qtbot, window, post):
    """N on the highlight chosen in the panel opens its note; Ctrl+Enter saves it; the page ends
    the highlight with a marker and shows the note, as plain text, when hovered."""
    post_id, text = post
    start = text.index("新しい機械")
    made = highlight_with_keys(qtbot, window, post_id, start, start + 5)
    click_row(qtbot, window, made.id)
    note = "<b>really?</b> & <img src=x>"

    def write(dialog) -> None:
        QTest.keyClicks(dialog.field, note)
        QTest.keyClick(dialog.field, Qt.Key.Key_Return, CTRL)

    seen = answer(qtbot, write)
    press(qtbot, Qt.Key.Key_N)
    assert seen and window.store.annotation(made.id).note == note
    qtbot.waitUntil(lambda: any("kk-hl-noted" in m["cls"] for m in painted(qtbot, window)), timeout=10_000)
    marks = painted(qtbot, window)
    assert all(m["title"] == note for m in marks) and "kk-hl-noted" in marks[-1]["cls"]
    assert run_js(qtbot, window, "document.querySelectorAll('#kk-post b, #kk-post img').length") == 0
    marker = "getComputedStyle(document.querySelector('mark.kk-hl-noted'), '::after').content"
    assert run_js(qtbot, window, marker) == '"✎"'
    assert QApplication.focusWidget() is reader_widget(window)  # the dialog gave the keys back


def test_t_edits_tags_and_one_enter_takes_the_completion(qtbot, window, post):
    """T on the chosen highlight opens its tags; Enter on a completion saves at once."""
    post_id, text = post
    start = text.index("新しい機械")
    made = highlight_with_keys(qtbot, window, post_id, start, start + 5)
    click_highlight(qtbot, window, made.id)
    window.word_popup.close()
    focus_reader(qtbot, window)

    def write(dialog) -> None:
        QTest.keyClicks(dialog.field, "claim inv")
        popup = dialog.field.completer().popup()
        qtbot.waitUntil(popup.isVisible, timeout=5_000)
        popup.setCurrentIndex(dialog.field.completer().completionModel().index(0, 0))
        QTest.keyClick(popup, Qt.Key.Key_Return)

    seen = answer(qtbot, write)
    press(qtbot, Qt.Key.Key_T)
    assert seen and not seen[0].isVisible()
    assert window.store.annotation(made.id).tags == ("claim", "investment")


def test_delete_removes_the_chosen_highlight(qtbot, window, post):
    """Delete with a highlight chosen by a click in the text deletes it (a marker, for undo)."""
    post_id, text = post
    start = text.index("工場の人")
    made = highlight_with_keys(qtbot, window, post_id, start, start + 4)
    click_highlight(qtbot, window, made.id)
    window.word_popup.close()
    focus_reader(qtbot, window)
    press(qtbot, Qt.Key.Key_Delete)
    assert live(window, post_id) == [] and window.store.annotation(made.id).deleted
    qtbot.waitUntil(lambda: painted(qtbot, window) == [], timeout=10_000)


def test_every_edit_undoes_and_redoes_named_in_the_edit_menu(qtbot, window, post):
    """Create, recolour, note, tags and delete each undo with Ctrl+Z and redo with Ctrl+Shift+Z,
    the Edit menu saying which edit comes next; both are disabled when there is none."""
    post_id, text = post
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    start = text.index("新しい機械")
    made = highlight_with_keys(qtbot, window, post_id, start, start + 5)
    assert window.undo_action.text() == "&Undo Highlight"
    highlight_with_keys(qtbot, window, post_id, start, start + 5, Qt.Key.Key_2)
    assert window.undo_action.text() == "&Undo Recolour"
    window.highlight_actions.do("note", library.update_annotation, made.id, note="要確認")
    window.highlight_actions.do("tags", library.update_annotation, made.id, tags=["chip"])
    click_row(qtbot, window, made.id)
    focus_reader(qtbot, window)
    press(qtbot, Qt.Key.Key_Delete)
    assert live(window, post_id) == []

    def state():
        current = window.store.annotation(made.id)
        return (current.deleted is None, current.color, current.note, current.tags)

    steps = [
        ("&Undo Delete", (True, "green", "要確認", ("chip",))),
        ("&Undo Tags", (True, "green", "要確認", ())),
        ("&Undo Note", (True, "green", "", ())),
        ("&Undo Recolour", (True, "yellow", "", ())),
        ("&Undo Highlight", (False, "yellow", "", ())),
    ]
    for name, after in steps:
        assert window.undo_action.text() == name and window.undo_action.isEnabled()
        focus_reader(qtbot, window)
        press(qtbot, Qt.Key.Key_Z, CTRL)
        assert state() == after, name
    assert not window.undo_action.isEnabled()
    assert window.redo_action.text() == "&Redo Highlight"
    for name, after in (("&Redo Highlight", (True, "yellow", "", ())), ("&Redo Recolour", (True, "green", "", ()))):
        assert window.redo_action.text() == name
        focus_reader(qtbot, window)
        press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
        assert state() == after, name
    qtbot.waitUntil(lambda: {m["id"] for m in painted(qtbot, window) if "kk-hl-green" in m["cls"]} == {made.id}, timeout=10_000)
    assert len(live(window, post_id)) == 1


def test_undoing_an_edit_in_another_post_opens_that_post(qtbot, window, post, tmp_path):
    """Ctrl+Z after moving to another post opens the post the edit was made in, then takes it back."""
    post_id, text = post
    start = text.index("新しい機械")
    made = highlight_with_keys(qtbot, window, post_id, start, start + 5, Qt.Key.Key_3)
    other = tmp_path / "other.md"
    other.write_text(POST.replace("書き込みの試験", "別の記事"), encoding="utf-8")
    other_id = open_and_wait(qtbot, window, other)
    assert other_id != post_id
    focus_reader(qtbot, window)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        press(qtbot, Qt.Key.Key_Z, CTRL)
    assert window.current.id == post_id
    assert window.store.annotation(made.id).deleted is not None


def test_a_reading_and_a_word_status_undo_too(qtbot, window, post):
    """A reading chosen in the word popup and a word's status (Known) are edits Ctrl+Z takes back."""
    post_id, text = post
    window.reader.bridge.wordClicked(json.dumps({"offset": text.index("工場") + 1, "x": 40, "y": 40}))
    qtbot.waitUntil(window.word_popup.isVisible, timeout=10_000)
    popup = window.word_popup
    with qtbot.waitSignal(window.wordsChanged, timeout=60_000):
        qtbot.mouseClick(popup.status_buttons["known"], Qt.MouseButton.LeftButton)
    assert "工場" in window.store.known_words()
    assert window.undo_action.text() == "&Undo Word Status"
    with qtbot.waitSignal(window.wordsChanged, timeout=60_000):
        window.undo()
    assert "工場" not in window.store.known_words()
    window.reader.bridge.wordClicked(json.dumps({"offset": text.index("工場") + 1, "x": 40, "y": 40}))
    qtbot.waitUntil(window.word_popup.isVisible, timeout=10_000)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        popup.choose_reading("こうじょう")
    assert [c.reading for c in window.store.corrections(post_id)] == ["こうじょう"]
    assert window.undo_action.text() == "&Undo Reading"
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.undo()
    assert window.store.corrections(post_id) == []
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.redo()
    assert [c.reading for c in window.store.corrections(post_id)] == ["こうじょう"]


def test_hovering_a_highlight_shows_its_note_as_plain_text(qtbot, window, post):
    """The mouse resting on a highlight with a note shows the note in a tooltip, as written: markup
    in it is text, never rich text."""
    from PySide6.QtWidgets import QToolTip

    post_id, text = post
    start = text.index("新しい機械")
    made = highlight_with_keys(qtbot, window, post_id, start, start + 5)
    window.highlight_actions.do("note", library.update_annotation, made.id, note="<b>x</b> & <img src=y>")
    window.highlight_actions.repaint()
    qtbot.waitUntil(lambda: any(m["title"] for m in painted(qtbot, window)), timeout=10_000)
    script = """(() => { const r = document.querySelector('mark.kk-hl').getBoundingClientRect();
      return JSON.stringify([r.left + r.width / 2, r.top + r.height / 2]); })()"""
    x, y = json.loads(run_js(qtbot, window, script))
    zoom = window.reader.zoomFactor()
    QTest.mouseMove(reader_widget(window), QPoint(round(x * zoom) - 5, round(y * zoom)))
    qtbot.wait(100)
    QTest.mouseMove(reader_widget(window), QPoint(round(x * zoom), round(y * zoom)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=10_000)
    assert QToolTip.text() == "<p>&lt;b&gt;x&lt;/b&gt; &amp; &lt;img src=y&gt;</p>"


def test_a_reattached_orphan_goes_back_with_ctrl_z(qtbot, window, tmp_path):
    """Re-attach is an edit too: Ctrl+Z makes the highlight an orphan again, Ctrl+Shift+Z re-attaches it."""
    path = tmp_path / "changed.md"
    path.write_text(POST, encoding="utf-8")
    post_id = open_and_wait(qtbot, window, path)
    made = library.annotate_quote(window.store, window.store.post(post_id), "新しい機械")
    path.write_text(POST.replace("新しい機械を入れた", "古い設備を売った"), encoding="utf-8")
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.open_post(post_id)  # the file changed: the highlight lost its text
    assert window.store.annotation(made.id).orphan
    text = window.store.post(post_id).text
    start = text.index("古い設備")
    select_text(qtbot, window, start, start + 4)
    click_row(qtbot, window, made.id)
    window.reattach_action.trigger()
    assert (window.store.annotation(made.id).orphan, window.store.annotation(made.id).exact) == (False, "古い設備")
    assert window.undo_action.text() == "&Undo Re-attach"
    focus_reader(qtbot, window)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert window.store.annotation(made.id).orphan
    press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    assert (window.store.annotation(made.id).orphan, window.store.annotation(made.id).exact) == (False, "古い設備")


def test_n_on_selected_text_makes_one_highlight_with_its_note_in_one_undo_step(qtbot, window, post):
    """N on selected text that is not highlighted yet: the note written makes the highlight with
    it, one edit (one Ctrl+Z takes both away); Esc in the dialog makes nothing."""
    post_id, text = post
    start = text.index("投資")
    select_text(qtbot, window, start, start + 2)
    focus_reader(qtbot, window)
    seen = answer(qtbot, lambda dialog: QTest.keyClick(dialog.field, Qt.Key.Key_Escape))
    press(qtbot, Qt.Key.Key_N)
    assert seen and live(window, post_id) == []

    def write(dialog) -> None:
        QTest.keyClicks(dialog.field, "money")
        QTest.keyClick(dialog.field, Qt.Key.Key_Return, CTRL)

    select_text(qtbot, window, start, start + 2)
    focus_reader(qtbot, window)
    seen = answer(qtbot, write)
    press(qtbot, Qt.Key.Key_N)
    assert seen
    made = live(window, post_id)
    assert [(a.start, a.end, a.note) for a in made] == [(start, start + 2, "money")]
    focus_reader(qtbot, window)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert live(window, post_id) == []


def test_t_on_selected_text_makes_one_highlight_with_its_tags_in_one_undo_step(qtbot, window, post):
    """T on selected text: the tags given make the highlight with them, one edit."""
    post_id, text = post
    start = text.index("工場の人")

    def write(dialog) -> None:
        QTest.keyClicks(dialog.field, "people")
        dialog.accept()

    select_text(qtbot, window, start, start + 4)
    focus_reader(qtbot, window)
    seen = answer(qtbot, write)
    press(qtbot, Qt.Key.Key_T)
    assert seen
    made = live(window, post_id)
    assert [(a.start, a.end, a.tags) for a in made] == [(start, start + 4, ("people",))]
    focus_reader(qtbot, window)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert live(window, post_id) == []
