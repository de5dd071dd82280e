"""The learner's view of the window: every furigana mode in the toolbar's box and in View ›
Furigana, underlines of new and learning words, each post's share of known words in the library."""

from __future__ import annotations

import json
import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.core.library import actions as library
from app.core.library import vocabulary
from app.core.settings import load_settings
from app.ui.actions import FURIGANA_MODES, furigana_action_id
from tests.ui.conftest import open_and_wait, run_js

POST = "---\ntitle: 工場の記事\n---\n\n町の工場が新しい機械を入れた。工場の人は喜んでいる。\n\n投資の話は明日。\n"
RUBY_TEXT = "Array.from(document.querySelectorAll('#kk-post rt')).map((rt) => rt.textContent).join(' ')"


@pytest.fixture
def post_id(qtbot, window, tmp_path):
    path = tmp_path / "post.md"
    path.write_text(POST, encoding="utf-8")
    return open_and_wait(qtbot, window, path)


def _click_menu_item(qtbot, menu, action) -> None:
    """Click `action` in the open `menu` with the mouse (a submenu's entry opens the submenu)."""
    qtbot.waitUntil(menu.isVisible, timeout=5_000)
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def choose_in_menu(qtbot, window, *texts: str) -> None:
    """Open the menu bar's menu named texts[0] with the mouse, then click down its submenus to the
    last entry (texts are the actions' texts, mnemonics included)."""
    bar = window.menuBar()
    top = next(a for a in bar.actions() if a.text() == texts[0])
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(top).center())
    menu = top.menu()
    for text in texts[1:]:
        action = next(a for a in menu.actions() if a.text() == text)
        _click_menu_item(qtbot, menu, action)
        menu = action.menu()


def test_every_furigana_mode_is_in_the_box_and_the_menu_in_the_same_order(window):
    """The box and View › Furigana offer all, unknown words only, grades 1-6, beyond jōyō, N5-N2,
    beyond N1 and off; each mode is a radio entry of the menu."""
    values = [window.furigana_box.itemData(i) for i in range(window.furigana_box.count())]
    expected = ["all", "unknown"] + [f"grade:{n}" for n in range(1, 8)] + [f"jlpt:{n}" for n in range(5, 0, -1)] + ["off"]
    assert values == expected == [value for value, *_ in FURIGANA_MODES]
    entries = window.furigana_menu.actions()
    assert entries == [getattr(window, f"{furigana_action_id(v)}_action") for v in values]
    assert all(a.isCheckable() and a.actionGroup() is entries[0].actionGroup() for a in entries)
    assert [a.text() for a in entries if a.isChecked()] == ["&All"]


def test_a_mode_chosen_in_the_menu_changes_the_ruby_the_box_and_the_settings(qtbot, window, post_id, tmp_path):
    """View › Furigana › Off, clicked, takes every reading away, shows "off" in the box and is
    kept; choosing All in the box brings them back and checks All in the menu."""
    assert "こうじょう" in run_js(qtbot, window, RUBY_TEXT)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        choose_in_menu(qtbot, window, "&View", "&Furigana", "&Off")
    assert run_js(qtbot, window, RUBY_TEXT) == ""
    assert window.furigana_box.currentData() == "off" and window.furigana_off_action.isChecked()
    assert load_settings(tmp_path / "settings.json").furigana == "off"
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.furigana_box.setCurrentIndex(window.furigana_box.findData("all"))
    assert "こうじょう" in run_js(qtbot, window, RUBY_TEXT)
    assert window.furigana_all_action.isChecked() and not window.furigana_off_action.isChecked()


def test_a_grade_mode_from_the_menu_keeps_only_the_harder_kanjis_readings(qtbot, window, post_id):
    """Beyond grade 2: 工場 (grade 2 kanji) loses its reading, 機械 (grade 4) keeps it."""
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        choose_in_menu(qtbot, window, "&View", "&Furigana", "Beyond Grade &2")
    ruby = run_js(qtbot, window, RUBY_TEXT)
    assert "きかい" in ruby and "こうじょう" not in ruby
    assert window.furigana_box.currentData() == "grade:2"


def test_unknown_words_only_hides_the_readings_of_known_words(qtbot, window, post_id):
    """In "unknown words only" a known word has no reading and a new one keeps it; in "all"
    every word has its reading again."""
    window.change_words("word-status", library.set_word_status, "工場", "known")
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        choose_in_menu(qtbot, window, "&View", "&Furigana", "&Unknown Words Only")
    ruby = run_js(qtbot, window, RUBY_TEXT)
    assert "きかい" in ruby and "こうじょう" not in ruby
    assert window.furigana_box.currentData() == "unknown" and window.furigana_unknown_action.isChecked()
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.furigana_box.setCurrentIndex(window.furigana_box.findData("all"))
    assert "こうじょう" in run_js(qtbot, window, RUBY_TEXT)


def _underlined(qtbot, window) -> dict:
    return json.loads(run_js(qtbot, window, "JSON.stringify(kkWordMarks())"))


def _pieces(qtbot, window, name: str) -> list[str]:
    """The text of each range of the page's highlight `name` (CSS Custom Highlight API)."""
    ranges = f'(CSS.highlights.has("{name}") ? Array.from(CSS.highlights.get("{name}")) : [])'
    return json.loads(run_js(qtbot, window, f"JSON.stringify({ranges}.map((r) => r.startContainer.data.slice(r.startOffset, r.endOffset)))"))


def test_underlines_follow_the_menu_and_the_words_statuses(qtbot, window, post_id, tmp_path):
    """View › Underline New and Learning Words paints new words as kk-new (no element added);
    a word set to learning moves to kk-learning, a known one has none; switched off, none."""
    assert run_js(qtbot, window, 'CSS.highlights.has("kk-new")') is False
    marks_before = run_js(qtbot, window, "document.querySelectorAll('#kk-post mark, #kk-post span').length")
    with qtbot.waitSignal(window.underlines.painted, timeout=60_000) as painted:
        choose_in_menu(qtbot, window, "&View", "&Underline New and Learning Words")
    assert window.underline_action.isChecked() and load_settings(tmp_path / "settings.json").underline_words
    assert painted.args[0] > 0 and run_js(qtbot, window, 'CSS.highlights.has("kk-new")') is True
    assert run_js(qtbot, window, "document.querySelectorAll('#kk-post mark, #kk-post span').length") == marks_before
    words = vocabulary.occurrences(window.store.post(post_id).text)
    assert _underlined(qtbot, window)["new"] >= len(words) > 0  # a word cut by its ruby is two ranges
    assert _pieces(qtbot, window, "kk-new").count("工場") == 2

    with qtbot.waitSignal(window.underlines.painted, timeout=60_000):
        window.change_words("word-status", library.set_word_status, "工場", "learning")
    marks = _underlined(qtbot, window)
    assert marks["learning"] == 2
    assert _pieces(qtbot, window, "kk-learning") == ["工場", "工場"] and "工場" not in _pieces(qtbot, window, "kk-new")

    with qtbot.waitSignal(window.underlines.painted, timeout=60_000):
        window.change_words("word-status", library.set_word_status, "工場", "known")
    assert _underlined(qtbot, window)["learning"] == 0
    assert _underlined(qtbot, window)["new"] == marks["new"]  # 工場 is neither, the others stay new

    choose_in_menu(qtbot, window, "&View", "&Underline New and Learning Words")
    qtbot.waitUntil(lambda: run_js(qtbot, window, 'CSS.highlights.has("kk-new")') is False, timeout=10_000)
    assert not window.underline_action.isChecked()


def test_a_word_with_a_reading_is_underlined_under_its_text_not_its_reading(qtbot, window, post_id):
    """A word whose kanji carry ruby and whose kana follow (新しい) is underlined in two pieces,
    the kanji and the kana, and never over its reading."""
    text = window.store.post(post_id).text
    start = text.index("新しい")
    with qtbot.waitCallback(timeout=10_000) as painted:
        window.reader.mark_words([(start, start + 3, "new")], painted)
    assert painted.args == [2]
    assert _pieces(qtbot, window, "kk-new") == ["新", "しい"]


def test_underlines_come_back_after_the_highlights_or_the_blocks_change(qtbot, window, post_id):
    """Highlighting text splits the page's text nodes, a long post's late readings replace its
    blocks: either way the underlines are painted again."""
    window.settings.underline_words = True
    with qtbot.waitSignal(window.underlines.painted, timeout=60_000):
        window.underlines.refresh()
    before = _underlined(qtbot, window)
    record = window.store.post(post_id)
    library.annotate_quote(window.store, record, "新しい機械")
    window.highlight_actions.repaint()
    qtbot.waitUntil(lambda: run_js(qtbot, window, "document.querySelectorAll('mark.kk-hl').length") > 0, timeout=10_000)
    assert _underlined(qtbot, window) == before
    assert "機械" in _pieces(qtbot, window, "kk-new")
    first = run_js(qtbot, window, "document.querySelector('#kk-post > [data-kb]').outerHTML")
    run_js(qtbot, window, "document.querySelector('#kk-post > [data-kb]').dataset.old = '1'")
    window.reader.replace_blocks([(0, first)])
    qtbot.waitUntil(lambda: run_js(qtbot, window, "!document.querySelector('#kk-post > [data-old]')"), timeout=10_000)
    assert _underlined(qtbot, window) == before
    in_page = 'Array.from(CSS.highlights.get("kk-new")).every((r) => r.startContainer.isConnected)'
    assert run_js(qtbot, window, in_page) is True  # none left on the replaced block's old text


def _row_text(window, post_id: int) -> str:
    rows = [window.posts.item(r) for r in range(window.posts.count())]
    return next(item.text() for item in rows if item.data(Qt.ItemDataRole.UserRole) == post_id)


def test_the_library_row_shows_the_share_of_known_words_and_follows_changes(qtbot, window, post_id):
    """A post's row says how much of it is known; a word marked known raises the figure, and
    Ctrl+Z (the window's undo) brings it back, both through wordsChanged."""
    share = vocabulary.known_shares(window.store)[post_id]
    assert f"{math.floor(100 * share)}% known" in _row_text(window, post_id)
    with qtbot.waitSignal(window.wordsChanged, timeout=10_000):
        window.change_words("word-status", library.set_word_status, "工場", "known")
    raised = vocabulary.known_shares(window.store)[post_id]
    assert raised > share and f"{math.floor(100 * raised)}% known" in _row_text(window, post_id)
    window.focus_reader()
    with qtbot.waitSignal(window.wordsChanged, timeout=10_000):
        QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert vocabulary.word_status(window.store, "工場") == "new"
    assert f"{math.floor(100 * share)}% known" in _row_text(window, post_id)


def test_a_post_without_words_shows_no_share(qtbot, window, tmp_path):
    """A post with no counted word (only Latin letters and digits) has no "known" figure."""
    path = tmp_path / "latin.md"
    path.write_text("---\ntitle: Numbers\n---\n\nABC 123 xyz.\n", encoding="utf-8")
    post_id = open_and_wait(qtbot, window, path)
    assert vocabulary.known_shares(window.store).get(post_id) is None
    assert "known" not in _row_text(window, post_id)


def test_adding_a_word_to_the_anki_deck_and_undoing_it_say_words_changed(qtbot, window, post_id):
    """A word picked for the Anki deck through the window is one edit: wordsChanged when made,
    and again when Edit › Undo takes it back (the pick is gone)."""
    text = window.store.post(post_id).text
    start = text.index("機械")
    with qtbot.waitSignal(window.wordsChanged, timeout=10_000):
        window.change_words("anki", library.pick_for_anki, "機械", post_id, start, start + 2)
    assert [pick.lemma for pick in window.store.anki_picks()] == ["機械"]
    assert window.undo_action.isEnabled()
    with qtbot.waitSignal(window.wordsChanged, timeout=10_000):
        window.undo_action.trigger()
    assert window.store.anki_picks() == []


def test_a_post_from_an_older_library_gets_its_share_once_it_has_been_read(qtbot, window, tmp_path):
    """A post whose words were never counted (an older library) shows no figure until it is
    read; shortly after its page shows, its words are counted and its row gets the figure."""
    path = tmp_path / "older.md"
    path.write_text(POST, encoding="utf-8")
    first = open_and_wait(qtbot, window, path)
    other = tmp_path / "other.md"
    other.write_text("---\ntitle: 別の記事\n---\n\n別の話。\n", encoding="utf-8")
    open_and_wait(qtbot, window, other)
    with window.store.transaction():
        window.store.conn.execute("DELETE FROM post_words WHERE post_id = ?", [first])
        window.store.conn.execute("DELETE FROM post_word_counts WHERE post_id = ?", [first])
    window.refresh_posts()
    assert window.store.post_words(first) is None and "known" not in _row_text(window, first)
    open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: "known" in _row_text(window, first), timeout=10_000)
    assert window.store.post_words(first)


def test_a_status_change_renders_the_page_again_only_where_it_changes_the_furigana(qtbot, window, post_id):
    """In "all" a word's status changes no reading: the page stays (no new render, which takes
    a second on a long post) and the underlines follow; in "unknown words only" it is rendered
    again without the known word's reading."""
    window.settings.underline_words = True
    window.underlines.refresh()
    qtbot.waitUntil(lambda: run_js(qtbot, window, 'CSS.highlights.has("kk-new")') is True, timeout=10_000)
    shown = []
    window.postShown.connect(shown.append)
    with qtbot.waitSignal(window.underlines.painted, timeout=10_000):
        window.change_words("word-status", library.set_word_status, "工場", "learning")
    assert shown == [] and "こうじょう" in run_js(qtbot, window, RUBY_TEXT)
    assert run_js(qtbot, window, 'CSS.highlights.has("kk-learning")') is True
    window.furigana_box.setCurrentIndex(window.furigana_box.findData("unknown"))
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=60_000)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.change_words("word-status", library.set_word_status, "工場", "known")
    assert "こうじょう" not in run_js(qtbot, window, RUBY_TEXT)
