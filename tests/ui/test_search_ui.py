"""The library search as you type (several snippets per post, the match in bold, opening marks it in
the page) and Find in Post (the title too, a bar beside the page, Esc gives the reader its keys)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.core.library import actions as library
from app.ui import library_panel
from app.ui.library_panel import MATCH, POST_ID, RESULT_TITLE, SNIPPET, SnippetDelegate, result_html
from tests.ui.conftest import run_js

CHIPS = (
    "---\ntitle: 半導体工場への投資\ndate: 2025-11-30\n---\n\n新しい工場で半導体を作る計画が発表された。"
    "投資額は一兆円だという。\n\n政府も半導体の補助金を出す。\n\n設備投資は来年も続く。\n"
)
TOWN = "---\ntitle: 珍しい題名の記事\ndate: 2024-03-01\n---\n\n昔の工場は小さかった。職人が三人いた。\n"


def type_text(widget, text: str) -> None:
    """Key events that carry each character, as a keyboard (or an input method's commit) sends them."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _library(window, tmp_path) -> dict[str, int]:
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "chips.md").write_text(CHIPS, encoding="utf-8")
    (folder / "town.md").write_text(TOWN, encoding="utf-8")
    report = library.import_paths(window.store, [folder])
    assert not report.errors
    posts = {p.title: p.id for p in window.store.posts()}
    chips = window.store.post(posts["半導体工場への投資"])
    library.annotate_quote(window.store, chips, "補助金", note="半導体の補助金はいくら?")
    window.refresh_posts()
    return posts


def _results(window) -> list:
    return [window.posts.item(row) for row in range(window.posts.count()) if window.posts.item(row).data(SNIPPET) is not None]


def test_typing_shows_results_without_enter_several_per_post(qtbot, window, tmp_path):
    """Results come a moment after typing stops, no Enter; one post's results stand together, its title on the first."""
    posts = _library(window, tmp_path)
    field = window.library_panel.search_field
    field.setFocus()
    returned = []
    field.returnPressed.connect(lambda: returned.append(True))
    type_text(field, "半導体")
    assert not _results(window)  # not on every key: once typing pauses
    qtbot.waitUntil(lambda: len(_results(window)) >= 2, timeout=5_000)
    assert not returned
    results = _results(window)
    chips = [item for item in results if item.data(POST_ID) == posts["半導体工場への投資"]]
    assert len(chips) >= 2
    rows = [window.posts.row(item) for item in chips]
    assert rows == list(range(rows[0], rows[0] + len(rows)))  # together
    assert chips[0].data(RESULT_TITLE) == "半導体工場への投資" and all(item.data(RESULT_TITLE) is None for item in chips[1:])
    assert isinstance(window.posts.itemDelegate(), SnippetDelegate)
    # Deleting the text brings the posts back at once.
    field.clear()
    assert not _results(window) and window.posts.count() == 2


def test_result_rich_text_is_built_only_from_escaped_text():
    """Title, snippet and match are escaped; only our own tags make the match bold."""
    made = result_html("<img src=/etc/x>", "text", "a <b>半導体</b> & more", 5, 8)
    assert "<img" not in made and "&lt;img src=/etc/x&gt;" in made
    assert "&lt;b&gt;" in made and "&amp; more" in made
    assert "<b><u>半導体</u></b>" in made


def test_clicking_a_result_opens_the_post_with_the_match_marked(qtbot, window, tmp_path):
    """A click on a text result opens its post and marks exactly the match in the page."""
    posts = _library(window, tmp_path)
    field = window.library_panel.search_field
    field.setFocus()
    type_text(field, "一兆円")
    qtbot.waitUntil(lambda: bool(_results(window)), timeout=5_000)
    item = next(i for i in _results(window) if i.data(MATCH) and i.data(MATCH)[0] == "text")
    rect = window.posts.visualItemRect(item)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        QTest.mouseClick(window.posts.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert window.current.id == posts["半導体工場への投資"]
    qtbot.waitUntil(lambda: run_js(qtbot, window, "kkMarkedText()") == "一兆円", timeout=10_000)
    # A long post's readings replace its blocks after the first screen: the mark stays.
    block = run_js(qtbot, window, 'document.querySelector("#kk-post > [data-kb]").outerHTML')
    window.reader.replace_blocks([(0, block)])
    assert run_js(qtbot, window, "kkMarkedText()") == "一兆円"


def test_enter_opens_a_note_result_with_its_highlight_marked(qtbot, window, tmp_path):
    """Down then Enter opens the chosen result; a note's result marks the highlight it belongs to."""
    _library(window, tmp_path)
    field = window.library_panel.search_field
    field.setFocus()
    type_text(field, "いくら")
    qtbot.waitUntil(lambda: bool(_results(window)), timeout=5_000)
    QTest.keyClick(field, Qt.Key.Key_Down)
    assert window.posts.hasFocus() and window.posts.currentRow() == 0
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        QTest.keyClick(window.posts, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: run_js(qtbot, window, "kkMarkedText()") == "補助金", timeout=10_000)


def test_enter_in_the_field_opens_the_first_result_of_a_title_search(qtbot, window, tmp_path):
    """Enter in the search field searches at once and opens the first result; a title match is marked in the title."""
    posts = _library(window, tmp_path)
    field = window.library_panel.search_field
    field.setFocus()
    type_text(field, "題名")
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        QTest.keyClick(field, Qt.Key.Key_Return)
    assert window.current.id == posts["珍しい題名の記事"]
    qtbot.waitUntil(lambda: run_js(qtbot, window, "kkMarkedText()") == "題名", timeout=10_000)


def _open(qtbot, window, post_id: int) -> None:
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.open_post(post_id)


def test_ctrl_f_finds_a_word_of_the_title_then_of_the_text(qtbot, window, tmp_path):
    """Find in Post looks in the title first, then the text, and marks each match in the page."""
    posts = _library(window, tmp_path)
    _open(qtbot, window, posts["珍しい題名の記事"])
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible() and window.find_bar.field.hasFocus()
    type_text(window.find_bar.field, "題名")
    assert window.find_bar.count.text() == "1 of 1 (title)"
    qtbot.waitUntil(lambda: run_js(qtbot, window, "kkMarkedText()") == "題名", timeout=10_000)
    window.find_bar.field.clear()
    type_text(window.find_bar.field, "工場")
    assert window.find_bar.count.text() == "1 of 1"
    qtbot.waitUntil(lambda: run_js(qtbot, window, "kkMarkedText()") == "工場", timeout=10_000)


def test_find_bar_sits_above_the_page_and_esc_gives_the_reader_its_keys(qtbot, window, tmp_path):
    """The bar takes room above the page (never over it); Esc closes it, clears the mark and focuses the reader."""
    posts = _library(window, tmp_path)
    _open(qtbot, window, posts["半導体工場への投資"])
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(window.find_bar.field, "投資")
    qtbot.waitUntil(lambda: run_js(qtbot, window, "kkMarkedText()") == "投資", timeout=10_000)
    bar = window.find_bar.geometry()
    page = window.reader.geometry()
    assert window.find_bar.parentWidget() is window.reader.parentWidget()
    assert bar.bottom() < page.top() and not bar.intersects(page)
    QTest.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    reader_widgets = {window.reader, window.reader.focusProxy()}
    qtbot.waitUntil(lambda: QApplication.focusWidget() in reader_widgets, timeout=5_000)
    qtbot.waitUntil(lambda: run_js(qtbot, window, "kkMarkedText()") == "", timeout=10_000)


def test_the_close_button_gives_the_reader_its_keys_too(qtbot, window, tmp_path):
    """Closing the bar with its ✕ button focuses the reader as Esc does."""
    posts = _library(window, tmp_path)
    _open(qtbot, window, posts["珍しい題名の記事"])
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    QTest.mouseClick(window.find_bar.close_button, Qt.MouseButton.LeftButton)
    assert not window.find_bar.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() in {window.reader, window.reader.focusProxy()}, timeout=5_000)


def test_search_waits_for_a_pause_in_typing(qtbot, window, tmp_path, monkeypatch):
    """Three quick keys make one search, not three."""
    _library(window, tmp_path)
    calls = []
    real = library_panel.LibraryPanel._hits
    monkeypatch.setattr(library_panel.LibraryPanel, "_hits", lambda self, query: calls.append(query) or real(self, query))
    field = window.library_panel.search_field
    field.setFocus()
    type_text(field, "工場で")
    qtbot.waitUntil(lambda: bool(_results(window)), timeout=5_000)
    qtbot.wait(library_panel.SEARCH_DELAY_MS + 100)
    assert calls == ["工場で"]


def test_a_kana_search_marks_the_written_word_it_found(qtbot, window, tmp_path):
    """はんどうたい finds 半導体; opening the result marks the kanji as written in the page."""
    posts = _library(window, tmp_path)
    field = window.library_panel.search_field
    field.setFocus()
    type_text(field, "はんどうたい")
    qtbot.waitUntil(lambda: any(i.data(MATCH) and i.data(MATCH)[0] == "text" for i in _results(window)), timeout=5_000)
    item = next(i for i in _results(window) if i.data(MATCH) and i.data(MATCH)[0] == "text")
    window.posts.setCurrentItem(item)
    window.posts.setFocus()
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        QTest.keyClick(window.posts, Qt.Key.Key_Return)
    assert window.current.id == posts["半導体工場への投資"]
    qtbot.waitUntil(lambda: run_js(qtbot, window, "kkMarkedText()") == "半導体", timeout=10_000)


def test_a_post_imported_during_a_search_joins_its_results(qtbot, window, tmp_path):
    """Nothing found, then a post with the word is imported: the results show it without retyping."""
    _library(window, tmp_path)
    field = window.library_panel.search_field
    field.setFocus()
    type_text(field, "新幹線")
    qtbot.waitUntil(lambda: window.library_panel.empty.text() == "Nothing found for “新幹線”.", timeout=5_000)
    extra = tmp_path / "train.md"
    extra.write_text("---\ntitle: 旅の記録\n---\n\n新幹線で大阪へ行った。\n", encoding="utf-8")
    assert not library.import_paths(window.store, [extra]).errors
    window.refresh_posts()
    assert [item.data(RESULT_TITLE) for item in _results(window)] == ["旅の記録"]
    assert not window.library_panel.empty.isVisible()


def test_results_follow_the_highlights_edited_during_a_search(qtbot, window, tmp_path):
    """A note found, its post opened from the results, its highlight deleted with the Delete key:
    the results drop it without retyping; Ctrl+Z brings it back to them."""
    from tests.ui.test_highlight_edit import focus_reader, press

    posts = _library(window, tmp_path)
    field = window.library_panel.search_field
    field.setFocus()
    type_text(field, "いくら")
    qtbot.waitUntil(lambda: bool(_results(window)), timeout=5_000)
    assert [item.data(POST_ID) for item in _results(window)] == [posts["半導体工場への投資"]]
    QTest.keyClick(field, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        QTest.keyClick(window.posts, Qt.Key.Key_Return)
    focus_reader(qtbot, window)
    window.highlights_panel.list.setCurrentRow(-1)
    press(qtbot, Qt.Key.Key_J)  # the highlight the note belongs to
    press(qtbot, Qt.Key.Key_Delete)
    assert not window.store.annotations(posts["半導体工場への投資"])
    qtbot.waitUntil(lambda: not _results(window), timeout=5_000)
    assert window.library_panel.empty.text() == "Nothing found for “いくら”."
    QTest.keyClick(window.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(_results(window)), timeout=5_000)
