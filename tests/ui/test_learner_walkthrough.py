"""A learner's hour with the sample post, end to end through the window with real keys and clicks
(#16 "done when"), in the English and the Japanese window: furigana over unknown words only, a word
looked up by a click (its meanings), marked known (its reading goes), another looked up with W,
marked learning and put in the Anki deck; the vocabulary panel filtered, several words marked known
at once (one Ctrl+Z takes them back) and the library row's share of known words following; File ›
Export Anki Deck… writing an .apkg whose collection holds the deck's notes; the known-words manager
listing what was marked. All offline: the page and the dictionary are local.

KK_LEARNER_SHOTS=folder saves a screenshot of each step in folder/en and folder/ja (looked at by hand)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from app.core.common.paths import sample_post_path
from app.core.library import vocabulary
from app.core.reading.dictionary import dictionary_path
from app.ui import i18n
from app.ui.vocabulary_panel import COLUMNS
from tests.ui.conftest import open_and_wait, run_js
from tests.ui.test_search_ui import type_text

SHOTS = os.environ.get("KK_LEARNER_SHOTS")
SETTLE_MS = 600  # more than reader.js waits after a scroll before it tells the window the position
TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
RUBY_BASES = """JSON.stringify(Array.from(document.querySelectorAll('#kk-post ruby')).map((r) =>
  Array.from(r.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data).join('')))"""

needs_dictionary = pytest.mark.skipif(
    not dictionary_path().is_file() and not os.environ.get("CI"), reason="no dictionary: `make dictionary` builds it"
)


@pytest.fixture(params=["en", "ja"])
def language(request, qapp, tmp_path):
    """The window's language, installed before the window is made (its menus are built once)."""
    if request.param == "ja":
        folder = tmp_path / "translations"
        folder.mkdir()
        for ts in TRANSLATIONS.glob("*.ts"):
            shutil.copy2(ts, folder / ts.name)
        assert i18n.install_translators(qapp, "ja", source_dir=folder, cache=tmp_path / "qt-cache") == "ja"
    yield request.param
    if request.param == "ja":
        i18n.remove_translators(qapp)


# --- the learner's hands ------------------------------------------------------------------------


def shot(qtbot, window, language: str, name: str, *extra) -> None:
    """The window as the learner sees it, its word popup painted where it is on screen; `extra`
    top-level widgets (a dialog) saved beside it."""
    if not SHOTS:
        return
    qtbot.wait(250)
    folder = Path(SHOTS) / language
    folder.mkdir(parents=True, exist_ok=True)
    image = window.grab()
    popup = window.word_popup
    if popup.isVisible():
        painter = QPainter(image)
        painter.drawPixmap(window.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
        painter.end()
    image.save(str(folder / f"{name}.png"))
    for index, widget in enumerate(extra, 1):
        widget.grab().save(str(folder / f"{name}-{index}.png"))


def reader_widget(window):
    return window.reader.focusProxy() or window.reader


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A real key press on whatever has the keyboard (the popup, when it is open)."""
    focused = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert focused is not None
    QTest.keyClick(focused, key, modifier)
    qtbot.wait(30)


def choose(qtbot, window, action) -> None:
    """Click `action` with the mouse: its menu in the menu bar, then down the submenus to it."""

    def path_in(menu, trail):
        for entry in menu.actions():
            if entry is action:
                return [*trail, entry]
            if entry.menu() is not None:
                found = path_in(entry.menu(), [*trail, entry])
                if found:
                    return found
        return None

    bar = window.menuBar()
    path = next(p for top in bar.actions() if top.menu() is not None and (p := path_in(top.menu(), [top])))
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(path[0]).center())
    menu = path[0].menu()
    for entry in path[1:]:
        qtbot.waitUntil(menu.isVisible, timeout=5_000)
        QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(entry).center())
        menu = entry.menu()


def word_point(qtbot, window, start: int) -> QPoint:
    """Where, in the reader's pixels, the first character at plain-text offset `start` is drawn
    (scrolled into view first)."""
    script = f"""(() => {{
      kk.scrollToOffset({start});
      kk.selectRange({start}, {start + 1});
      const s = getSelection(), r = s.getRangeAt(0).getClientRects()[0];
      s.removeAllRanges();
      return JSON.stringify([r.left + r.width / 2, r.top + r.height / 2]);
    }})()"""
    x, y = json.loads(run_js(qtbot, window, script))
    qtbot.wait(SETTLE_MS)  # a reader's pause: the page has said where it is scrolled to
    zoom = window.reader.zoomFactor()
    return QPoint(round(x * zoom), round(y * zoom))


def click_word(qtbot, window, start: int):
    """A real left click on the word at `start`; waits for its popup."""
    window.word_popup.close()
    at = word_point(qtbot, window, start)
    QTest.mouseClick(reader_widget(window), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    qtbot.waitUntil(lambda: window.word_popup.isVisible() and window.word_popup.word.start <= start < window.word_popup.word.end, timeout=10_000)
    return window.word_popup


def w_on_word(qtbot, window, start: int):
    """The caret put before the word at `start`, then W (the keyboard's way to the popup)."""
    window.word_popup.close()
    word_point(qtbot, window, start)  # scrolled to it
    run_js(qtbot, window, f"(() => {{ kk.selectRange({start}, {start}); return true; }})()")
    window.focus_reader()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is reader_widget(window), timeout=5_000)
    QTest.keyClick(reader_widget(window), Qt.Key.Key_W)
    qtbot.waitUntil(lambda: window.word_popup.isVisible() and window.word_popup.word.start <= start < window.word_popup.word.end, timeout=10_000)
    return window.word_popup


def rubies(qtbot, window) -> list[str]:
    return json.loads(run_js(qtbot, window, RUBY_BASES))


def row_text(window, post_id: int) -> str:
    posts = window.library_panel.posts
    return next(posts.item(r).text() for r in range(posts.count()) if posts.item(r).data(Qt.ItemDataRole.UserRole) == post_id)


def share_shown(window, post_id: int) -> int:
    """The share of known words the library row shows, in percent: its last detail ("72% known"
    after "40% read")."""
    text = row_text(window, post_id)
    assert window.library_panel.known_share_text(post_id) in text
    found = re.findall(r"(\d+)\s*%", text.splitlines()[-1])
    assert found, text
    return int(found[-1])


def click_row(panel, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    index = panel.proxy.index(row, COLUMNS.index("word"))
    panel.table.scrollTo(index)
    QTest.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, modifier, panel.table.visualRect(index).center())


def apkg_notes(path: Path, folder: Path) -> list[list[str]]:
    """The notes' fields in the .apkg's collection database."""
    assert zipfile.is_zipfile(path)
    with zipfile.ZipFile(path) as package:
        name = next(n for n in package.namelist() if n.startswith("collection.anki2"))
        (folder / "collection.anki2").write_bytes(package.read(name))
    with sqlite3.connect(folder / "collection.anki2") as db:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        return [row[0].split("\x1f") for row in db.execute("select flds from notes order by id")]


# --- the hour -------------------------------------------------------------------------------------


@needs_dictionary
def test_a_learners_hour_with_the_sample_post(qtbot, language, window, tmp_path, monkeypatch):
    """Read the sample post with readings over unknown words only, look words up, mark what is
    known, see the share of the post known rise, take the new words to Anki, find them in the
    known-words manager, in the English or the Japanese window."""
    post_id = open_and_wait(qtbot, window, sample_post_path())
    text = window.store.post(post_id).text
    store = window.store
    if language == "ja":  # the learner's menus and buttons are Japanese
        assert window.furigana_unknown_action.text() == "覚えていない語だけ(&U)"
    else:
        assert window.furigana_unknown_action.text() == "&Unknown Words Only"
    share_at_start = share_shown(window, post_id)
    assert share_at_start == 0
    shot(qtbot, window, language, "01-opened")

    # View › Furigana › Unknown Words Only: every word is new, so every reading stays.
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        choose(qtbot, window, window.furigana_unknown_action)
    assert window.settings.furigana == "unknown" and window.furigana_unknown_action.isChecked()
    assert "投資" in rubies(qtbot, window)
    shot(qtbot, window, language, "02-unknown-words-only")

    # A click on 投資: its popup says what it means; 3 marks it known and its readings go.
    investment = text.index("投資")
    popup = click_word(qtbot, window, investment)
    assert popup.word.lemma == "投資"
    glosses = [g for entry in popup.meaning["entries"] for sense in entry["senses"] for g in sense["glosses"]]
    assert "investment" in glosses
    assert popup.status_buttons["new"].isChecked()
    shot(qtbot, window, language, "03-popup-investment")
    before = rubies(qtbot, window).count("投資")
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        press(qtbot, Qt.Key.Key_3)
    assert vocabulary.word_status(store, "投資") == "known" and popup.status_buttons["known"].isChecked()
    # 投資 alone loses its readings; inside a compound the dictionary joins (設備投資, 投資額),
    # which is a word of its own and still new, it keeps them.
    in_compounds = sum(w.count for w in vocabulary.post_words(store, post_id) if "投資" in w.lemma and w.lemma != "投資")
    assert in_compounds > 0 and rubies(qtbot, window).count("投資") == in_compounds < before
    known_now = vocabulary.known_share(store, post_id)
    assert known_now > 0 and share_shown(window, post_id) == int(100 * known_now)  # the row follows
    shot(qtbot, window, language, "04-investment-known")

    # W on 性能 (performance): 2 makes it a word being learnt, A puts it in the Anki deck.
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.word_popup.isVisible(), timeout=5_000)
    chip = text.index("性能")
    popup = w_on_word(qtbot, window, chip)
    assert popup.word.lemma == "性能"
    assert any("performance" in g for entry in popup.meaning["entries"] for s in entry["senses"] for g in s["glosses"])
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        press(qtbot, Qt.Key.Key_2)
    assert vocabulary.word_status(store, "性能") == "learning"
    press(qtbot, Qt.Key.Key_A)
    assert [(p.lemma, p.post_id, p.start) for p in store.anki_picks()] == [("性能", post_id, chip)]
    assert popup.anki_button.isChecked()
    assert "性能" in rubies(qtbot, window)  # learning words keep their readings
    shot(qtbot, window, language, "05-performance-learning-in-deck")
    press(qtbot, Qt.Key.Key_Escape)

    # One more for the deck, by a click: 冗談 (a joke), added with A and left new.
    dawn = text.index("冗談")
    popup = click_word(qtbot, window, dawn)
    press(qtbot, Qt.Key.Key_A)
    assert sorted(p.lemma for p in store.anki_picks()) == sorted(["性能", popup.word.lemma])
    dawn_lemma = popup.word.lemma
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.word_popup.isVisible(), timeout=5_000)

    # View › Vocabulary (Ctrl+Shift+W): the post's words, filtered to the new ones.
    window.focus_reader()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is reader_widget(window), timeout=5_000)
    press(qtbot, Qt.Key.Key_W, CTRL | SHIFT)
    panel = window.vocabulary
    qtbot.waitUntil(lambda: panel.isVisible() and panel.model.rowCount() > 0, timeout=10_000)
    assert [w.lemma for w in panel.model.words] == [w.lemma for w in vocabulary.post_words(store, post_id)]
    assert window.vocabulary_action.isChecked()
    splitter = window.splitter  # the dock's width came out of the panels beside the reader, not all of the reader's
    qtbot.waitUntil(lambda: splitter.sizes()[1] >= 0.4 * sum(splitter.sizes()), timeout=5_000)
    panel.status_box.setFocus()
    QTest.keyClick(panel.status_box, Qt.Key.Key_Down)  # All -> To learn
    QTest.keyClick(panel.status_box, Qt.Key.Key_Down)  # -> New
    assert panel.status_box.currentData() == "new"
    shown = [w.lemma for w in panel.shown_words()]
    assert "投資" not in shown and "性能" not in shown and shown
    assert all(w.status == "new" for w in panel.shown_words())
    panel.text_field.setFocus()
    type_text(panel.text_field, "ゲーム")  # a word of the post typed as the learner would
    qtbot.waitUntil(lambda: [w.lemma for w in panel.shown_words()] != shown, timeout=5_000)
    assert "ゲーム" in [w.lemma for w in panel.shown_words()]
    panel.text_field.clear()
    panel.sort_box.setFocus()
    QTest.keyClick(panel.sort_box, Qt.Key.Key_Down)  # In order of appearance -> Most frequent first
    counts = [w.count for w in panel.shown_words()]
    assert panel.sort_box.currentData() == "frequency" and counts == sorted(counts, reverse=True)
    shot(qtbot, window, language, "06-vocabulary-new-words")

    # Several rows chosen with clicks, 3: all known in one edit; the row's share rises.
    chosen = [w.lemma for w in panel.shown_words()[:4]]
    click_row(panel, 0)
    for row in range(1, 4):
        click_row(panel, row, CTRL)
    assert sorted(panel.selected_lemmas()) == sorted(chosen)
    share_before = share_shown(window, post_id)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        QTest.keyClick(panel.table, Qt.Key.Key_3)
    assert all(vocabulary.word_status(store, lemma) == "known" for lemma in chosen)
    qtbot.waitUntil(lambda: share_shown(window, post_id) > share_before, timeout=10_000)
    raised = share_shown(window, post_id)
    core_share = vocabulary.known_share(store, post_id)
    assert raised == int(100 * core_share) and f"{raised}%" in panel.summary.text()  # the panel says the same
    assert not any(lemma in [w.lemma for w in panel.shown_words()] for lemma in chosen)  # the filter is "new"
    shot(qtbot, window, language, "07-four-words-known")

    # One Ctrl+Z takes the four back; Ctrl+Shift+Z makes them known again.
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        QTest.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    assert all(vocabulary.word_status(store, lemma) == "new" for lemma in chosen)
    assert vocabulary.word_status(store, "投資") == "known"
    qtbot.waitUntil(lambda: share_shown(window, post_id) == share_before, timeout=10_000)
    qtbot.waitUntil(lambda: set(chosen) <= {w.lemma for w in panel.shown_words()}, timeout=10_000)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        QTest.keyClick(panel.table, Qt.Key.Key_Z, CTRL | SHIFT)
    assert all(vocabulary.word_status(store, lemma) == "known" for lemma in chosen)
    qtbot.waitUntil(lambda: share_shown(window, post_id) == raised, timeout=10_000)

    # File › Export Anki Deck…: the deck's two words, as an .apkg Anki opens.
    target = tmp_path / "kakikomi-deck.apkg"
    asked = []

    def save_as(*args, **kwargs):
        asked.append(args)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    choose(qtbot, window, window.export_anki_action)
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert len(asked) == 1
    notes = apkg_notes(target, tmp_path)
    assert sorted(fields[0] for fields in notes) == sorted(["性能", dawn_lemma])
    chip_note = next(fields for fields in notes if fields[0] == "性能")
    assert any("performance" in field for field in chip_note)  # its meaning
    assert any("せいのう" in field for field in chip_note)  # its reading
    assert any("AIチップとお金の話" in field for field in chip_note)  # the post's title
    assert str(target) in window.statusBar().currentMessage()
    shot(qtbot, window, language, "08-deck-exported")

    # View › Known Words… (Ctrl+Shift+K): every word with a status, across the library.
    window.focus_reader()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is reader_widget(window), timeout=5_000)
    press(qtbot, Qt.Key.Key_K, CTRL | SHIFT)
    qtbot.waitUntil(lambda: getattr(window, "word_manager", None) is not None and window.word_manager.isVisible(), timeout=10_000)
    manager = window.word_manager
    assert sorted(manager.shown_lemmas()) == sorted(["投資", "性能", *chosen])
    statuses = {manager.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole): manager.proxy.index(r, 3).data() for r in range(manager.proxy.rowCount())}
    known_name = panel.status_buttons["known"].text().rsplit(" ", 1)[0]
    assert statuses["投資"] == known_name and statuses["性能"] != known_name
    qtbot.waitUntil(manager.filled, timeout=30_000)
    shot(qtbot, window, language, "09-known-words", manager)
    manager.close()
    qtbot.waitUntil(lambda: not manager.isVisible(), timeout=5_000)
