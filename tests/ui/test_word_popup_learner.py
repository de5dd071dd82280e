"""The word popup for the learner (#16): the word's status (buttons and keys 1-4), the Anki deck
(button and A) and the pitch accent drawn over the kana, through the real window."""

from __future__ import annotations

import json
import os

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from app.core.library import actions as library
from app.core.reading.dictionary import dictionary_path
from app.ui import theme
from app.ui.word_popup import STATUS_NAMES, PitchView, WordPopup
from tests.ui.conftest import open_popup, run_js
from tests.ui.conftest import press_key as press

needs_dictionary = pytest.mark.skipif(
    not dictionary_path().is_file() and not os.environ.get("CI"), reason="no dictionary: `make dictionary` builds it"
)


def rubies(qtbot, window) -> list[str]:
    script = """JSON.stringify(Array.from(document.querySelectorAll('#kk-post ruby')).map((r) =>
      Array.from(r.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data).join('')))"""
    return json.loads(run_js(qtbot, window, script))


def only_unknown_words(qtbot, window) -> None:
    """Furigana over the words the reader does not know (the mode that hides known words' readings)."""
    index = window.furigana_box.findData("unknown")
    assert index >= 0
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.furigana_box.setCurrentIndex(index)


def checked_status(popup: WordPopup) -> list[str]:
    """The statuses whose buttons are checked, each checked one (and only those) painted in the
    theme's selection colour."""
    selected = QColor(theme.colours().highlight)
    for button in popup.status_buttons.values():
        assert (button.palette().color(button.palette().ColorRole.Button) == selected) == button.isChecked()
    return [name for name, button in popup.status_buttons.items() if button.isChecked()]


def test_keys_one_to_four_set_the_words_status(qtbot, window, learner_post):
    """1-4 in the open popup give the lemma its status (stored, shown checked, kept when the
    popup opens again); known hides its furigana, new forgets the row; wordsChanged is said."""
    _post_id, text = learner_post
    only_unknown_words(qtbot, window)
    popup = open_popup(qtbot, window, text.index("工場"))
    assert checked_status(popup) == ["new"]
    assert [b.text() for b in popup.status_buttons.values()] == ["1 New", "2 Learning", "3 Known", "4 Ignored"]
    assert "1–4" in popup.keys_hint.text()
    said = []
    window.wordsChanged.connect(lambda: said.append(True))
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        press(qtbot, Qt.Key.Key_2)
    assert window.store.word_status("工場") == "learning"
    assert popup.isVisible() and checked_status(popup) == ["learning"]
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        press(qtbot, Qt.Key.Key_3)
    assert window.store.word_status("工場") == "known"
    assert "工場" in window.store.known_words()
    assert "工場" not in rubies(qtbot, window) and "投資" in rubies(qtbot, window)
    popup.close()
    again = open_popup(qtbot, window, text.index("工場"))
    assert checked_status(again) == ["known"]
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        press(qtbot, Qt.Key.Key_4)
    assert window.store.word_status("工場") == "ignored"
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        press(qtbot, Qt.Key.Key_1)
    assert window.store.word_statuses() == {}
    assert "工場" in rubies(qtbot, window)
    assert len(said) == 4


def test_a_status_key_that_changes_nothing_is_no_edit(qtbot, window, learner_post):
    """Pressing the key of the status the word has already writes nothing and re-renders nothing."""
    _post_id, text = learner_post
    popup = open_popup(qtbot, window, text.index("工場"))
    shown = []
    window.postShown.connect(lambda *args: shown.append(args))
    press(qtbot, Qt.Key.Key_1)
    qtbot.wait(300)
    assert shown == [] and window.store.word_statuses() == {}
    assert popup.isVisible() and checked_status(popup) == ["new"]


def test_status_buttons_take_a_mouse_click_and_undo(qtbot, window, learner_post):
    """A click on Known stores it (one edit: Ctrl+Z takes it back); the buttons are exclusive."""
    _post_id, text = learner_post
    popup = open_popup(qtbot, window, text.index("投資"))
    # (Every reading shows in this mode: a status changes no ruby, so the page is not made again.)
    with qtbot.waitSignal(window.wordsChanged, timeout=10_000):
        qtbot.mouseClick(popup.status_buttons["known"], Qt.MouseButton.LeftButton)
    assert window.store.word_status("投資") == "known" and checked_status(popup) == ["known"]
    with qtbot.waitSignal(window.wordsChanged, timeout=10_000):
        qtbot.mouseClick(popup.status_buttons["learning"], Qt.MouseButton.LeftButton)
    assert window.store.word_status("投資") == "learning" and checked_status(popup) == ["learning"]
    popup.close()
    with qtbot.waitSignal(window.wordsChanged, timeout=10_000):
        window.undo()
    assert window.store.word_status("投資") == "known"


def test_typing_a_reading_keeps_the_number_keys_out_of_it(qtbot, window, learner_post):
    """While a reading is being typed the keys are the field's: a digit is text, not a status."""
    _post_id, text = learner_post
    popup = open_popup(qtbot, window, text.index("市場"))
    popup.own_reading.setText("し")
    QTest.keyClick(popup.own_reading, Qt.Key.Key_3)
    assert popup.own_reading.text() == "し3"
    assert window.store.word_statuses() == {}


def test_on_a_highlight_the_numbers_colour_it_and_the_status_stays(qtbot, window, learner_post):
    """A popup opened by a click on a highlight leaves 1-5 to the highlight (as without the
    popup), says so, and numbers no status button; its buttons still set the status."""
    post_id, text = learner_post
    made = library.annotate_quote(window.store, window.store.post(post_id), "市場")
    window.highlight_actions.repaint()
    script = f"""(() => {{
      const r = document.querySelector('mark.kk-hl[data-id="{made.id}"]').getBoundingClientRect();
      return JSON.stringify([r.left + r.width / 2, r.top + r.height / 2]);
    }})()"""
    qtbot.waitUntil(lambda: run_js(qtbot, window, "document.querySelectorAll('mark.kk-hl').length") == 1, timeout=10_000)
    x, y = json.loads(run_js(qtbot, window, script))
    zoom = window.reader.zoomFactor()
    target = window.reader.focusProxy() or window.reader
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(round(x * zoom), round(y * zoom)))
    qtbot.waitUntil(lambda: window.highlights_panel.current_id() == made.id, timeout=10_000)
    qtbot.waitUntil(lambda: window.word_popup.isVisible(), timeout=10_000)
    popup = window.word_popup
    assert popup.word.surface == "市場"
    assert popup.numbers_colour and "1–5" in popup.keys_hint.text()
    assert [b.text() for b in popup.status_buttons.values()] == ["New", "Learning", "Known", "Ignored"]
    press(qtbot, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: window.store.annotation(made.id).color == "green", timeout=10_000)
    assert window.store.word_statuses() == {}
    assert not popup.isVisible()
    # A word outside every highlight: a click there chooses none, and the numbers are the status's.
    window.reader.bridge.highlightClicked(json.dumps({"id": ""}))
    popup = open_popup(qtbot, window, text.index("工場"))
    assert not popup.numbers_colour and "1–4" in popup.keys_hint.text()


def test_a_adds_the_word_to_the_anki_deck_and_takes_it_out(qtbot, window, learner_post):
    """A (or the button) puts the word in the Anki deck with the place it was met, says so in the
    status bar and shows "In Anki deck ✓"; A again takes it out; Ctrl+Z undoes either."""
    post_id, text = learner_post
    start = text.index("投資")
    popup = open_popup(qtbot, window, start)
    assert popup.anki_button.text() == "Add to Anki deck" and not popup.anki_button.isChecked()
    said = []
    window.wordsChanged.connect(lambda: said.append(True))
    press(qtbot, Qt.Key.Key_A)
    assert said == [True]
    assert [(p.lemma, p.post_id, p.start, p.end) for p in window.store.anki_picks()] == [("投資", post_id, start, start + 2)]
    assert popup.anki_button.text() == "In Anki deck ✓" and popup.anki_button.isChecked()
    assert window.statusBar().currentMessage() == (
        "Added 投資 to the Anki deck (1 word). File › Export Anki deck… writes it."
    )
    assert window.undo_action.text().startswith("&Undo")
    popup.close()
    second = open_popup(qtbot, window, text.index("工場"))
    assert second.anki_button.text() == "Add to Anki deck"
    qtbot.mouseClick(second.anki_button, Qt.MouseButton.LeftButton)
    assert sorted(p.lemma for p in window.store.anki_picks()) == ["工場", "投資"]
    assert "(2 words)" in window.statusBar().currentMessage()
    second.close()
    third = open_popup(qtbot, window, start)
    assert third.anki_button.text() == "In Anki deck ✓"
    press(qtbot, Qt.Key.Key_A)
    assert [p.lemma for p in window.store.anki_picks()] == ["工場"]
    assert third.anki_button.text() == "Add to Anki deck"
    assert window.statusBar().currentMessage() == "Took 投資 out of the Anki deck (1 word left)."
    third.close()
    window.undo()
    assert sorted(p.lemma for p in window.store.anki_picks()) == ["工場", "投資"]


@needs_dictionary
def test_the_pitch_is_drawn_over_the_kana(qtbot, window, learner_post):
    """箸 (はꜜし, atamadaka): the line runs over は, not over し, with the fall's hook between;
    the drawing names the accent for screen readers."""
    _post_id, text = learner_post
    popup = open_popup(qtbot, window, text.index("箸"))
    views = popup.meaning_part.findChildren(PitchView)
    assert len(views) == 1
    view = views[0]
    qtbot.waitUntil(view.isVisible, timeout=5_000)
    assert [(a["reading"], a["downstep"]) for a in view.accents] == [("はし", 1)]
    assert view.accessibleName().endswith("はꜜし [1]")
    image = view.grab().toImage()
    line = QColor(theme.colours().link)
    gap = view._line_gap()
    metrics = view.fontMetrics()
    first, second = metrics.horizontalAdvance("は"), metrics.horizontalAdvance("し")

    def inked(x0: int, x1: int, y: int) -> int:
        ratio = image.devicePixelRatio()
        return sum(1 for x in range(x0, x1) if _near(QColor(image.pixel(round(x * ratio), round(y * ratio))), line))

    assert inked(3, first - 2, gap) >= first // 2  # over は
    assert inked(first + 4, first + second - 2, gap) == 0  # not over し
    assert inked(first - 1, first + 3, gap + 4) >= 1  # the hook down after は


def _near(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60


@needs_dictionary
def test_no_pitch_for_a_compound_mecab_split(qtbot, window, learner_post):
    """割引率 is one dictionary word MeCab cuts in two: no accent is drawn for it (one per piece
    would be wrong), while a word MeCab reads whole (投資) has its two accents."""
    _post_id, text = learner_post
    popup = open_popup(qtbot, window, text.index("割引率") + 1)
    # The popup's word is the compound (or, before the dictionary stage names it, its look-up is).
    assert popup.word.lemma == "割引率" or popup.meaning.get("compound")
    assert popup.meaning["entries"][0]["kanji"] == ["割引率"]
    assert popup.meaning_part.findChildren(PitchView) == []
    popup.close()
    popup = open_popup(qtbot, window, text.index("投資"))
    views = popup.meaning_part.findChildren(PitchView)
    assert [[a["downstep"] for a in v.accents] for v in views] == [[0, 1]]


def test_pitch_view_draws_what_it_is_given_in_both_themes(qtbot):
    """The drawing alone: the line in the theme's link colour over high morae, light and dark."""
    heiban = {"reading": "とうし", "downstep": 0, "kind": "heiban", "moras": ["と", "う", "し"], "high": [False, True, True]}
    for name in ("light", "dark"):
        theme.apply(name)
        view = PitchView([heiban])
        qtbot.addWidget(view)
        view.resize(view.sizeHint())
        image = view.grab().toImage()
        ratio = image.devicePixelRatio()
        line = QColor(theme.colours().link)
        width = view.fontMetrics().horizontalAdvance("と")
        y = round(view._line_gap() * ratio)
        over_first = [_near(QColor(image.pixel(round(x * ratio), y)), line) for x in range(2, width - 2)]
        over_second = [_near(QColor(image.pixel(round(x * ratio), y)), line) for x in range(width + 3, 2 * width - 2)]
        assert not any(over_first) and all(over_second), name
    theme.apply("light")


def test_only_words_to_learn_have_a_status_and_a_deck(qtbot):
    """A particle or a word without a lemma is no word to learn (nor counted in the post): the
    status and deck part is hidden and 1-4, A do nothing; a noun has them."""
    from app.core.reading.words import WordInfo

    popup = WordPopup()
    qtbot.addWidget(popup)
    chosen = []
    popup.statusChosen.connect(lambda *args: chosen.append(args))
    popup.ankiToggled.connect(lambda *args: chosen.append(args))
    for word in (WordInfo("abc", 0, 3, None, None, "名詞", "noun", (), False, "", ""),
                 WordInfo("ね", 0, 1, "ね", "ね", "助詞-終助詞", "particle", (), False, "", "")):
        popup.show_word(word, post_id=1, at=QPoint(20, 20))
        assert not popup.learner_part.isVisible()
        QTest.keyClick(popup, Qt.Key.Key_3)
        QTest.keyClick(popup, Qt.Key.Key_A)
        assert chosen == []
    popup.show_word(WordInfo("ねこ", 0, 2, "ねこ", "猫", "名詞-普通名詞-一般", "noun", (), False, "", ""), post_id=1, at=QPoint(20, 20))
    assert popup.learner_part.isVisible()
    QTest.keyClick(popup, Qt.Key.Key_3)
    QTest.keyClick(popup, Qt.Key.Key_A)
    assert chosen == [("猫", "known"), (True,)]


def test_status_names_are_the_cores():
    """The popup offers exactly the core's statuses, in the order of their keys."""
    from app.core.library.vocabulary import STATUSES

    assert tuple(STATUS_NAMES) == tuple(STATUSES)
