"""The word popup through the real window: click a word, pick a reading, mark a word known (its
status, the Anki deck and the pitch drawing: test_word_popup_learner.py)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel

from app.ui.bridge import Bridge
from app.ui.word_popup import PitchView, WordPopup, connect_word_popup
from tests.ui.conftest import open_and_wait, run_js

POST = "---\ntitle: 単語のテスト\n---\n\n今日は生物の授業で生物を見た。\n\n市場で株を買う。\n"

# The plain-text characters of each <ruby> in the post, with its reading: "生物:せいぶつ".
RUBIES = """JSON.stringify(Array.from(document.querySelectorAll('#kk-post ruby')).map((r) => {
  const base = Array.from(r.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data).join('');
  return base + ':' + Array.from(r.querySelectorAll('rt')).map((t) => t.textContent).join('');
}))"""


def rubies(qtbot, window) -> list[str]:
    """Each ruby of the page as "base:reading"."""
    return json.loads(run_js(qtbot, window, RUBIES))


@pytest.fixture
def post(qtbot, window, tmp_path):
    """The test post, open in the window with the word popup connected; returns (post id, text)."""
    path = tmp_path / "words.md"
    path.write_text(POST, encoding="utf-8")
    post_id = open_and_wait(qtbot, window, path)
    connect_word_popup(window)
    return post_id, window.store.post(post_id).text


def only_unknown_words(qtbot, window) -> None:
    """Furigana over the words the reader does not know (the mode that hides known words' readings)."""
    index = window.furigana_box.findData("unknown")
    assert index >= 0
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.furigana_box.setCurrentIndex(index)


def center_of(qtbot, window, start: int, end: int, element: str = "") -> tuple[float, float]:
    """The centre, in CSS pixels, of the post's characters [start, end) (or of `element` inside
    the ruby holding them, e.g. "rt")."""
    script = f"""(() => {{
      kk.selectRange({start}, {end});
      const range = window.getSelection().getRangeAt(0);
      let box = range.getBoundingClientRect();
      if ({json.dumps(element)}) {{
        const node = range.endContainer;
        box = node.parentElement.closest('ruby').querySelector({json.dumps(element)}).getBoundingClientRect();
      }}
      kk.clearSelection();
      return JSON.stringify([box.left + box.width / 2, box.top + box.height / 2]);
    }})()"""
    x, y = json.loads(run_js(qtbot, window, script))
    return x, y


def click_page(qtbot, window, x: float, y: float) -> None:
    """A real left click on the page at CSS pixel (x, y)."""
    zoom = window.reader.zoomFactor()
    target = window.reader.focusProxy() or window.reader
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(round(x * zoom), round(y * zoom)))


def dispatch_click(qtbot, window, x: float, y: float) -> None:
    """A click event sent by script to the element at CSS pixel (x, y), the selection left as it is."""
    event = f"new MouseEvent('click', {{bubbles: true, clientX: {x}, clientY: {y}, detail: 1}})"
    run_js(qtbot, window, f"document.elementFromPoint({x}, {y}).dispatchEvent({event}); true")


def open_popup(qtbot, window, offset: int) -> WordPopup:
    """Ask for the word at `offset` as the page would, and wait for the popup."""
    window.reader.bridge.wordClicked(json.dumps({"offset": offset, "x": 40, "y": 40}))
    qtbot.waitUntil(lambda: window.word_popup.isVisible(), timeout=10_000)
    return window.word_popup


def test_clicking_a_word_in_the_page_shows_its_reading_and_lemma(qtbot, window, post):
    """A mouse click on a word opens the popup with that occurrence's reading, lemma and part of speech."""
    _post_id, text = post
    start = text.index("生物", 5)
    x, y = center_of(qtbot, window, start, start + 2)
    with qtbot.waitSignal(window.reader.bridge.wordActivated, timeout=10_000) as signal:
        click_page(qtbot, window, x, y)
    assert signal.args[0] in (start, start + 1)
    popup = window.word_popup
    qtbot.waitUntil(popup.isVisible, timeout=10_000)
    assert (popup.word.surface, popup.word.start) == ("生物", start)
    assert popup.surface_label.text() == "生物"
    assert popup.reading_label.text() == "せいぶつ"
    assert "生物" in popup.lemma_label.text()
    assert "noun" in popup.pos_label.text()
    assert "なまもの" in [popup.alternatives.item(i).text() for i in range(popup.alternatives.count())]


def test_clicking_a_reading_counts_as_its_base(qtbot, window, post):
    """A click on the furigana above a word gives the word under it."""
    _post_id, text = post
    start = text.index("授業")
    x, y = center_of(qtbot, window, start, start + 2, "rt")
    with qtbot.waitSignal(window.reader.bridge.wordActivated, timeout=10_000) as signal:
        dispatch_click(qtbot, window, x, y)
    assert signal.args[0] == start
    qtbot.waitUntil(window.word_popup.isVisible, timeout=10_000)
    assert window.word_popup.word.surface == "授業"


def test_a_click_that_ends_a_selection_opens_no_popup(qtbot, window, post):
    """With text selected, a click is part of selecting: no word is looked up."""
    _post_id, text = post
    start = text.index("市場")
    x, y = center_of(qtbot, window, start, start + 2)
    window.reader.select_range(start, start + 4)
    qtbot.waitUntil(lambda: window.selection == (start, start + 4), timeout=10_000)
    sent = []
    window.reader.bridge.wordActivated.connect(lambda *args: sent.append(args))
    dispatch_click(qtbot, window, x, y)
    qtbot.wait(800)
    assert sent == []
    assert not window.word_popup.isVisible()


def test_a_double_click_selects_the_word_without_a_popup(qtbot, window, post):
    """A double click keeps selecting the word under it: the first click's lookup is called off."""
    _post_id, text = post
    start = text.index("授業")
    x, y = center_of(qtbot, window, start, start + 2)
    sent = []
    window.reader.bridge.wordActivated.connect(lambda *args: sent.append(args))
    zoom = window.reader.zoomFactor()
    target = window.reader.focusProxy() or window.reader
    qtbot.mouseDClick(target, Qt.MouseButton.LeftButton, pos=QPoint(round(x * zoom), round(y * zoom)))
    qtbot.waitUntil(lambda: window.selection is not None, timeout=10_000)
    qtbot.wait(800)
    assert sent == []
    assert window.selection[0] <= start < window.selection[1]


def test_pressing_w_looks_up_the_selected_word(qtbot, window, post):
    """W with a word selected opens the popup for it, from the keyboard."""
    _post_id, text = post
    start = text.index("市場")
    window.reader.select_range(start, start + 2)
    qtbot.waitUntil(lambda: window.selection == (start, start + 2), timeout=10_000)
    target = window.reader.focusProxy() or window.reader
    target.setFocus()
    with qtbot.waitSignal(window.reader.bridge.wordActivated, timeout=10_000) as signal:
        qtbot.keyClick(target, Qt.Key.Key_W)
    assert signal.args[0] == start
    qtbot.waitUntil(window.word_popup.isVisible, timeout=10_000)
    assert (window.word_popup.word.surface, window.word_popup.word.reading) == ("市場", "しじょう")


def test_clicking_a_highlighted_word_still_selects_the_highlight(qtbot, window, post):
    """A click on a highlight keeps selecting it in the side panel (and looks the word up too)."""
    from app.core.library import actions as library

    post_id, text = post
    made = library.annotate_quote(window.store, window.store.post(post_id), "市場で株")
    window.reader.set_highlights(window.store.annotations(post_id))
    qtbot.waitUntil(lambda: run_js(qtbot, window, "document.querySelectorAll('mark.kk-hl').length") >= 1, timeout=10_000)
    start = text.index("株")
    x, y = center_of(qtbot, window, start, start + 1)
    with qtbot.waitSignal(window.reader.bridge.highlightActivated, timeout=10_000) as signal:
        click_page(qtbot, window, x, y)
    assert signal.args == [made.id]
    qtbot.waitUntil(window.word_popup.isVisible, timeout=10_000)
    assert window.word_popup.word.surface == "株"


def test_picking_an_alternative_saves_a_correction_for_this_occurrence(qtbot, window, post):
    """Clicking another reading stores it for this post in this context and the page re-renders with it."""
    post_id, text = post
    start = text.index("生物", 5)
    popup = open_popup(qtbot, window, start + 1)
    items = popup.alternatives.findItems("なまもの", Qt.MatchFlag.MatchExactly)
    assert items
    rect = popup.alternatives.visualItemRect(items[0])
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        qtbot.mouseClick(popup.alternatives.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert not popup.isVisible()
    saved = [(c.surface, c.reading, c.post_id, c.before, c.after) for c in window.store.corrections(post_id)]
    assert saved == [("生物", "なまもの", post_id, "で", "を")]
    shown = rubies(qtbot, window)
    assert [r for r in shown if r.startswith("生物")] == ["生物:せいぶつ", "生物:なまもの"]
    assert run_js(qtbot, window, "kk.plainText()") == text
    again = open_popup(qtbot, window, start)
    assert (again.reading_label.text(), again.corrected_note.isVisible()) == ("なまもの", True)


def test_ones_own_reading_is_checked_and_saved_everywhere(qtbot, window, post):
    """A typed reading must be kana (katakana is stored as hiragana); "everywhere" saves it for every post."""
    post_id, text = post
    popup = open_popup(qtbot, window, text.index("市場"))
    qtbot.keyClicks(popup.own_reading, "market")
    qtbot.keyClick(popup.own_reading, Qt.Key.Key_Return)
    assert popup.isVisible() and popup.message.isVisible() and popup.message.text()
    assert window.store.corrections(post_id) == []
    popup.own_reading.setText("イチバ")
    popup.everywhere.setChecked(True)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        qtbot.mouseClick(popup.save_button, Qt.MouseButton.LeftButton)
    saved = [(c.surface, c.reading, c.post_id, c.before, c.after) for c in window.store.corrections(post_id)]
    assert saved == [("市場", "いちば", None, "", "")]
    assert "市場:いちば" in rubies(qtbot, window)


def test_a_reading_saved_everywhere_replaces_this_posts_own(qtbot, window, post):
    """Choosing a reading for everywhere drops this post's correction of that occurrence, which would hide it."""
    post_id, text = post
    window.store.add_correction("市場", "いちば", post_id=post_id)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.reload()
    popup = open_popup(qtbot, window, text.index("市場"))
    assert popup.word.reading == "いちば"
    popup.everywhere.setChecked(True)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        popup.choose_reading("しじょう")
    saved = [(c.surface, c.reading, c.post_id) for c in window.store.corrections(post_id)]
    assert saved == [("市場", "しじょう", None)]
    assert "市場:しじょう" in rubies(qtbot, window)


def test_known_hides_its_furigana_from_then_on(qtbot, window, post):
    """Clicking "Known" stores the lemma as known, and its ruby disappears (in the modes that hide
    known words' readings: unknown words only, grade, JLPT)."""
    _post_id, text = post
    only_unknown_words(qtbot, window)
    assert "授業:じゅぎょう" in rubies(qtbot, window)
    popup = open_popup(qtbot, window, text.index("授業"))
    assert not popup.status_buttons["known"].isChecked() and popup.status_buttons["new"].isChecked()
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        qtbot.mouseClick(popup.status_buttons["known"], Qt.MouseButton.LeftButton)
    assert "授業" in window.store.known_words()
    shown = rubies(qtbot, window)
    assert not any(r.startswith("授業") for r in shown)
    assert "生物:せいぶつ" in shown
    popup.close()
    assert open_popup(qtbot, window, text.index("授業")).status_buttons["known"].isChecked()


def test_no_popup_on_punctuation_and_escape_closes_it(qtbot, window, post):
    """An offset on punctuation shows nothing; Escape closes an open popup."""
    _post_id, text = post
    popup = open_popup(qtbot, window, text.index("今日"))
    assert popup.word.reading == "きょう"
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    window.reader.bridge.wordClicked(json.dumps({"offset": text.index("。"), "x": 10, "y": 10}))
    qtbot.wait(100)
    assert not popup.isVisible()


def test_the_popup_stays_on_screen(qtbot, window, post):
    """A click near the screen's bottom-right corner puts the popup above and left of it, on screen."""
    _post_id, text = post
    popup = open_popup(qtbot, window, text.index("生物"))
    area = popup.screen().availableGeometry()
    popup.show_word(popup.word, post_id=popup.post_id, at=area.bottomRight() - QPoint(2, 2))
    assert area.contains(popup.frameGeometry().topLeft()) and area.contains(popup.frameGeometry().bottomRight())


def test_connecting_twice_gives_the_same_popup(qtbot, window, post):
    """connect_word_popup is idempotent, so the main window may call it too."""
    assert connect_word_popup(window) is window.word_popup


@pytest.mark.parametrize(
    "payload",
    [
        "not json", "[]", "{}", '{"offset": "3", "x": 0, "y": 0}', '{"offset": 3, "x": 0}',
        '{"offset": -1, "x": 0, "y": 0}', '{"offset": true, "x": 0, "y": 0}',
        '{"offset": NaN, "x": 0, "y": 0}', '{"offset": 1e300, "x": 0, "y": 0}', "{" * 2_000_000,
    ],
)
def test_bridge_ignores_malformed_word_clicks(qtbot, payload):
    """A word click the bridge cannot read is dropped without a signal or an error."""
    bridge = Bridge()
    sent = []
    bridge.wordActivated.connect(lambda *args: sent.append(args))
    bridge.wordClicked(payload)
    bridge.wordClicked('{"offset": 7, "x": 12.5, "y": 30}')
    assert sent == [(7, 12, 30)]


def _meaning_lines(popup) -> list[str]:
    """The text of the meaning's labels (the pitch drawing is no label), in order."""
    layout = popup.meaning_layout
    widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
    return [w.text() for w in widgets if isinstance(w, QLabel) and w is not popup.more_button]


def test_the_popup_says_what_the_word_means(qtbot, window, tmp_path):
    """The popup of a word shows the dictionary's senses (three, then "More…"), common, JLPT and
    pitch, and each kanji's meanings, readings, grade and strokes (#16 item 1); a conjugated verb
    finds its dictionary form, and a compound MeCab split is found whole."""
    path = tmp_path / "meaning.md"
    path.write_text("---\ntitle: 意味\n---\n\n工場に投資した。割引率が高い。\n", encoding="utf-8")
    open_and_wait(qtbot, window, path)
    connect_word_popup(window)
    text = window.store.post(window.current.id).text
    popup = open_popup(qtbot, window, text.index("投資"))
    lines = _meaning_lines(popup)
    assert lines[0] == "投資 【とうし】"
    assert "common" in lines[1] and "JLPT N" in lines[1]
    assert [(a["reading"], a["downstep"]) for a in popup.meaning_part.findChildren(PitchView)[0].accents][0] == ("とうし", 0)
    assert lines[2].startswith("1. investment")
    assert any(line.startswith("投  throw") and "grade 3" in line and "7 strokes" in line for line in lines)
    assert popup.meaning_part.isVisible()
    popup.close()

    popup = open_popup(qtbot, window, text.index("割引率") + 1)
    assert _meaning_lines(popup)[0].startswith("割引率 【わりびきりつ】")
    popup.close()


def test_more_shows_every_sense(qtbot, window, tmp_path):
    path = tmp_path / "more.md"
    path.write_text("---\ntitle: 多義\n---\n\n手を取る。\n", encoding="utf-8")
    open_and_wait(qtbot, window, path)
    connect_word_popup(window)
    text = window.store.post(window.current.id).text
    popup = open_popup(qtbot, window, text.index("取"))
    before = len(_meaning_lines(popup))
    assert popup.more_button.isVisible() and "(" in popup.more_button.text()
    qtbot.mouseClick(popup.more_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(_meaning_lines(popup)) > before, timeout=5_000)
    assert not popup.more_button.isVisible()


def test_meanings_are_plain_text(qtbot, window, post):
    """Whatever the dictionary says goes into plain-text labels (never markup)."""
    _post_id, text = post
    popup = open_popup(qtbot, window, text.index("生物", 5))
    layout = popup.meaning_layout
    labels = [w for w in (layout.itemAt(i).widget() for i in range(layout.count())) if isinstance(w, QLabel) and w is not popup.more_button]
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
