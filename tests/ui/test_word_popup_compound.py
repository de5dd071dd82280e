"""The word popup and the window's history (Ctrl+Z, Ctrl+Shift+Z with the popup open), and a
compound MeCab split that the dictionary stage joins (割|引率) as one word there (#16)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.reading import furigana
from app.core.reading.dictionary import dictionary_path
from app.ui import word_popup
from app.ui.word_popup import WordPopup
from tests.ui.conftest import open_popup
from tests.ui.conftest import press_key as press


def _stage_records() -> bool:
    """Whether the dictionary stage joins 割|引率 as one word (the dictionary file and the
    compounds stage's record: app.core.reading.compounds.apply)."""
    if not dictionary_path().is_file():
        return False
    return [o.lemma for o in furigana.word_occurrences("割引率が高い。")][:1] == ["割引率"]


def checked(popup: WordPopup) -> str:
    return next(name for name, button in popup.status_buttons.items() if button.isChecked())


CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo_with_the_popup_open(qtbot, window, learner_post):
    _post_id, text = learner_post
    popup = open_popup(qtbot, window, text.index("工場"))
    press(qtbot, Qt.Key.Key_2)
    assert window.store.word_status("工場") == "learning"
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: window.store.word_status("工場") == "new", timeout=10_000)
    assert popup.isVisible() and checked(popup) == "new"
    press(qtbot, Qt.Key.Key_Z, CTRL_SHIFT)
    qtbot.waitUntil(lambda: window.store.word_status("工場") == "learning", timeout=10_000)
    assert popup.isVisible() and checked(popup) == "learning"
    # The deck too: A, then Ctrl+Z takes the word out again and the button says so.
    press(qtbot, Qt.Key.Key_A)
    assert window.store.anki_pick("工場") is not None and popup.picked
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: window.store.anki_pick("工場") is None, timeout=10_000)
    assert not popup.picked and not popup.anki_button.isChecked()


def test_ctrl_z_while_typing_a_reading_is_the_fields_own(qtbot, window, learner_post):
    _post_id, text = learner_post
    popup = open_popup(qtbot, window, text.index("工場"))
    press(qtbot, Qt.Key.Key_3)
    assert window.store.word_status("工場") == "known"
    popup.own_reading.setFocus()
    popup.own_reading.insert("こう")  # (as typed: an edit the field can take back)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert window.store.word_status("工場") == "known"  # the window's history untouched
    assert popup.own_reading.text() == ""  # the field took back its own edit


def test_the_popup_asks_the_store_for_one_pick(monkeypatch, qtbot, window, learner_post):
    """learner_state looks the one word up, never the whole deck."""
    _post_id, text = learner_post
    monkeypatch.setattr(type(window.store), "anki_picks", lambda self: pytest.fail("the whole deck was read"))
    window.store.put_anki_pick("投資", 1, 0, 2)
    assert word_popup.learner_state(window.store, "投資") == ("new", True)
    assert word_popup.learner_state(window.store, "工場") == ("new", False)
    assert word_popup.learner_state(window.store, None) == ("new", False)


@pytest.mark.skipif(not _stage_records(), reason="no dictionary, or compounds.apply does not record its compounds yet")
def test_a_split_compound_is_one_word_in_the_popup(qtbot, window, learner_post):
    """A click on 引率 of 割|引率 shows 割引率; 3 makes 割引率 known (not 引率), A puts 割引率 in the
    deck with the compound's place, and the post's counts have 割引率."""
    post_id, text = learner_post
    start = text.index("割引率")
    popup = open_popup(qtbot, window, start + 1)
    assert (popup.word.surface, popup.word.lemma, popup.word.reading) == ("割引率", "割引率", "わりびきりつ")
    assert popup.learner_part.isVisible()
    press(qtbot, Qt.Key.Key_3)
    assert window.store.word_statuses() == {"割引率": "known"}
    press(qtbot, Qt.Key.Key_A)
    pick = window.store.anki_pick("割引率")
    assert (pick.post_id, pick.start, pick.end) == (post_id, start, start + 3)
    from app.core.library import vocabulary

    counted = {w.lemma: w.status for w in vocabulary.post_words(window.store, post_id, glosses=False)}
    assert counted["割引率"] == "known" and "引率" not in counted and "割" not in counted
