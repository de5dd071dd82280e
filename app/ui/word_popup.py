"""The word popup: click a word in the post to see its reading, dictionary form and part of speech,
what it means (the bundled dictionary's senses, whether it is common, its JLPT level, its pitch
accent drawn over the kana and its kanji: app.core.reading.lookup), pick another reading or type
one's own (a correction for this post or everywhere), set the word's status (new, learning, known,
ignored: known words lose their furigana) and add it to the Anki deck.

Keys while the popup is open: 1-4 set the status and A adds the word to the Anki deck (or takes it
out), for the words a post counts (furigana.counted_word: no particles, numerals or symbols). A
click on a highlight opens its word's popup too, and there 1-5 keep colouring the highlight, as
they do without the popup: the numbers belong to the highlight whenever the window's keys would
act on one (`HighlightActions.target()`), and the popup's hint line says which it is. The window's
other single keys (H, T, N, J, K, Delete, 5) close the popup and act as usual. Ctrl+Z and
Ctrl+Shift+Z undo and redo the window's last edit with the popup open (a reading being typed
keeps them for itself); the popup then shows the word's status as it now is.

A compound MeCab split that the dictionary stage joins (半|導体) is one word here, as in the post's
counts: `words.word_at` gives it whichever piece was clicked, so its status and the deck are the
compound's.

The popup only shows a `WordInfo` and says what the reader chose; `connect_word_popup` looks the
word up in the core and writes the choices to the store, each through the window's undo history.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QGuiApplication, QKeySequence, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.common.text import escape_surrogates
from app.lazy import lazy_module
from app.ui import theme
from app.ui.plain import make_plain, plain
from app.ui.reader_view import release_freed_memory

if TYPE_CHECKING:
    from app.core.reading.words import WordInfo

words = lazy_module("app.core.reading.words")
furigana = lazy_module("app.core.reading.furigana")
library = lazy_module("app.core.library.actions")
lookup = lazy_module("app.core.reading.lookup")
vocabulary = lazy_module("app.core.library.vocabulary")

SHOWN_SENSES = 3  # per entry, before "More…"
_ROMAJI = re.compile(r"\s*\([a-z]+\)")  # "noun (common) (futsuumeishi)" -> "noun (common)"
WARM_UP_MS = 4000  # after the window is made
SHOWN_ENTRIES = 3

_GAP = 12  # pixels between the click and the popup, so the popup does not hide the word

# The word statuses (app.core.library.vocabulary.STATUSES), in the order of their keys 1-4.
STATUS_NAMES = {
    "new": QT_TRANSLATE_NOOP("WordPopup", "New"),
    "learning": QT_TRANSLATE_NOOP("WordPopup", "Learning"),
    "known": QT_TRANSLATE_NOOP("WordPopup", "Known"),
    "ignored": QT_TRANSLATE_NOOP("WordPopup", "Ignored"),
}
STATUS_KEYS = {Qt.Key.Key_1: "new", Qt.Key.Key_2: "learning", Qt.Key.Key_3: "known", Qt.Key.Key_4: "ignored"}
# What each pitch pattern is called, for the drawing's tooltip.
PITCH_KINDS = {
    "heiban": QT_TRANSLATE_NOOP("WordPopup", "heiban: low, then high to the end and on a particle after it"),
    "atamadaka": QT_TRANSLATE_NOOP("WordPopup", "atamadaka: high on the first mora, then low"),
    "nakadaka": QT_TRANSLATE_NOOP("WordPopup", "nakadaka: the pitch falls inside the word"),
    "odaka": QT_TRANSLATE_NOOP("WordPopup", "odaka: high to the end, a particle after it low"),
}


class WordPopup(QFrame):
    """One word: its reading in large type, dictionary form, part of speech, meanings and pitch,
    its status and the Anki deck, readings to pick and one's own reading. Closes on Escape or a
    click outside it."""

    readingChosen = Signal(str, bool)  # hiragana reading, everywhere (False: this post only)
    statusChosen = Signal(str, str)  # lemma, one of STATUS_NAMES
    ankiToggled = Signal(bool)  # True: add the shown word (this occurrence) to the Anki deck; False: take it out
    historyAsked = Signal(bool)  # Ctrl+Z (False) or Ctrl+Shift+Z (True) while the popup is open: the window's undo, redo
    closed = Signal()  # hidden: Escape, a click outside, a reading chosen

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("word-popup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.word: WordInfo | None = None
        self.post_id: int | None = None
        self.status = "new"
        self.picked = False  # the word is in the Anki deck
        self.numbers_colour = False  # 1-5 colour a highlight (the popup was opened on one), not the status
        self.learner = False  # the word is one the reader gives a status (a counted word: not a particle)

        self.surface_label = QLabel()
        self.surface_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reading_label = QLabel()
        self.reading_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label, scale in ((self.surface_label, 2.4), (self.reading_label, 1.6)):
            font = label.font()
            font.setPointSizeF(font.pointSizeF() * scale)
            label.setFont(font)
        self.corrected_note = QLabel(self.tr("Your reading"))
        self.lemma_label = QLabel()
        self.pos_label = QLabel()

        self.alternatives_title = QLabel(self.tr("Other readings (click one to use it):"))
        self.alternatives = QListWidget()
        self.alternatives.setMaximumHeight(110)
        self.alternatives.itemClicked.connect(lambda item: self.choose_reading(item.text()))
        self.alternatives.itemActivated.connect(lambda item: self.choose_reading(item.text()))

        self.own_reading = QLineEdit()
        self.own_reading.setPlaceholderText(self.tr("Your own reading, in kana"))
        self.own_reading.returnPressed.connect(self.save_own_reading)
        self.own_reading.installEventFilter(self)  # the window's single keys, see _pass_on()
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save_own_reading)
        own_row = QHBoxLayout()
        own_row.addWidget(self.own_reading)
        own_row.addWidget(self.save_button)
        self.message = QLabel()
        # The word, its reading and its dictionary facts come from the post: plain text only.
        make_plain(self.surface_label, self.reading_label, self.lemma_label, self.pos_label, self.message)
        self.message.setWordWrap(True)

        self.this_post = QRadioButton(self.tr("This post"))
        self.this_post.setToolTip(self.tr("Only where this word stands in this post, in this context"))
        self.everywhere = QRadioButton(self.tr("Everywhere"))
        self.everywhere.setToolTip(self.tr("This word in every post"))
        self.this_post.setChecked(True)
        self.scope = QButtonGroup(self)
        self.scope.addButton(self.this_post)
        self.scope.addButton(self.everywhere)
        scope_row = QHBoxLayout()
        scope_row.addWidget(QLabel(self.tr("Save for:")))
        scope_row.addWidget(self.this_post)
        scope_row.addWidget(self.everywhere)
        scope_row.addStretch(1)

        # What the word means: plain-text labels, filled from the dictionary's look-up.
        self.meaning_part = QWidget()
        self.meaning_layout = QVBoxLayout(self.meaning_part)
        self.meaning_layout.setContentsMargins(0, 4, 0, 4)
        self.meaning_layout.setSpacing(2)
        self.more_button = QPushButton(self.tr("More…"))
        self.more_button.setFlat(True)
        self.more_button.clicked.connect(lambda: self._show_meaning(all_senses=True))
        self.meaning: dict | None = None

        # The word's status (one lemma, every post) and the Anki deck: buttons and keys 1-4, A.
        self.learner_part = QWidget()
        learner_layout = QVBoxLayout(self.learner_part)
        learner_layout.setContentsMargins(0, 4, 0, 0)
        learner_layout.setSpacing(4)
        status_row = QHBoxLayout()
        status_row.setSpacing(2)
        self.status_buttons: dict[str, QPushButton] = {}
        self.statuses = QButtonGroup(self)
        self.statuses.setExclusive(True)
        for status in STATUS_NAMES:
            button = QPushButton()
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the reading field or the popup
            button.clicked.connect(lambda _checked=False, status=status: self.choose_status(status))
            self.statuses.addButton(button)
            self.status_buttons[status] = button
            status_row.addWidget(button)
        status_row.addStretch(1)
        learner_layout.addLayout(status_row)
        # The deck on a row of its own: one row of five buttons would make the popup wider than
        # its meanings, whose wrapped lines are then measured for the wider width and cut off.
        self.anki_button = QPushButton()
        self.anki_button.setCheckable(True)
        self.anki_button.setAutoDefault(False)
        self.anki_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.anki_button.clicked.connect(lambda _checked=False: self.toggle_anki())
        self.keys_hint = QLabel()
        make_plain(self.keys_hint)
        hint_font = self.keys_hint.font()
        hint_font.setPointSizeF(hint_font.pointSizeF() * 0.85)
        self.keys_hint.setFont(hint_font)
        self.keys_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # the theme's muted colour
        deck_row = QHBoxLayout()
        deck_row.addWidget(self.anki_button)
        deck_row.addStretch(1)
        deck_row.addWidget(self.keys_hint)
        learner_layout.addLayout(deck_row)

        # Everything about readings goes away for words that cannot take one (kana, Latin).
        self.correction_part = QWidget()
        correction_layout = QVBoxLayout(self.correction_part)
        correction_layout.setContentsMargins(0, 0, 0, 0)
        correction_layout.addWidget(self.alternatives_title)
        correction_layout.addWidget(self.alternatives)
        correction_layout.addLayout(own_row)
        correction_layout.addWidget(self.message)
        correction_layout.addLayout(scope_row)

        layout = QVBoxLayout(self)
        # Always its content's size: a short word after a long one leaves no empty space.
        layout.setSizeConstraint(layout.SizeConstraint.SetFixedSize)
        head = QHBoxLayout()
        head.addWidget(self.surface_label)
        head.addWidget(self.reading_label)
        head.addStretch(1)
        layout.addLayout(head)
        layout.addWidget(self.corrected_note)
        layout.addWidget(self.lemma_label)
        layout.addWidget(self.pos_label)
        layout.addWidget(self.meaning_part)
        layout.addWidget(self.learner_part)
        layout.addWidget(self.correction_part)

    # --- showing a word ---------------------------------------------------------------------

    def show_word(
        self,
        word: WordInfo,
        *,
        post_id: int | None,
        status: str = "new",
        picked: bool = False,
        numbers_colour: bool = False,
        at: QPoint | None = None,
        meaning: dict | None = None,
    ) -> None:
        """Fill the popup with `word` (its lemma's `status`, whether it is in the Anki deck: `picked`,
        and what it means: a `lookup.lookup_token` result, None without the dictionary) and show it
        near the global point `at` (kept on screen). With `numbers_colour` the keys 1-5 colour the
        highlight the window's keys act on instead of setting the status."""
        self.word = word
        self.numbers_colour = numbers_colour
        self.meaning = meaning
        self._show_meaning(all_senses=False)
        self.post_id = post_id
        self.surface_label.setText(word.surface)
        self.reading_label.setText(word.reading or "")
        self.reading_label.setVisible(bool(word.reading) and word.reading != word.surface)
        self.corrected_note.setVisible(word.corrected)
        self.lemma_label.setText(self.tr("Dictionary form: %1").replace("%1", word.lemma or "—"))
        # The core names parts of speech in English; translations may list those names too.
        self.pos_label.setText(self.tr("Part of speech: %1").replace("%1", (plain(word.part_of_speech) if word.part_of_speech else "") or word.pos or "—"))
        self.pos_label.setToolTip(plain(word.pos))
        self.alternatives.clear()
        self.alternatives.addItems(list(word.alternatives))
        self.alternatives_title.setVisible(bool(word.alternatives))
        self.alternatives.setVisible(bool(word.alternatives))
        self.correction_part.setVisible(word.has_kanji)
        self.own_reading.clear()
        self.message.clear()
        self.message.hide()
        # Particles, auxiliaries, numerals and symbols are no words to learn (nor in the post's counts).
        self.learner = bool(word.lemma) and furigana.counted_word(word.surface, word.pos)
        self.learner_part.setVisible(self.learner)
        self.set_status(status)
        self.set_picked(picked)
        self.adjustSize()
        if at is not None:
            self.move(_placed(self.size(), at))
        self.show()
        self.raise_()
        if word.has_kanji:
            self.own_reading.setFocus()

    def _show_meaning(self, *, all_senses: bool) -> None:
        """The dictionary's entries (their forms, readings, common, JLPT, pitch and senses: the
        first three, "More…" for the rest) and the word's kanji, as plain-text labels."""
        while self.meaning_layout.count():
            item = self.meaning_layout.takeAt(0)
            if item.widget() is not None and item.widget() is not self.more_button:
                item.widget().hide()  # at once: deleted only when the event loop next runs
                item.widget().deleteLater()
        meaning = self.meaning or {}
        entries = meaning.get("entries") or []
        # A compound MeCab split has no accent of its own (one per piece would be wrong).
        split = bool(meaning.get("compound"))
        hidden = 0
        for entry in entries[: len(entries) if all_senses else SHOWN_ENTRIES]:
            facts = []
            if entry.get("common"):
                facts.append(self.tr("common"))
            if entry.get("jlpt"):
                facts.append(f"JLPT N{entry['jlpt']}")
            forms = "・".join(entry.get("kanji") or entry.get("readings") or [])
            readings = "・".join(entry.get("readings") or []) if entry.get("kanji") else ""
            self._meaning_line(forms + (f" 【{readings}】" if readings else ""), bold=True)
            if facts:
                self._meaning_line(" · ".join(facts), small=True)
            accents = [] if split else list({(p.get("reading"), p.get("downstep")): p for p in entry.get("pitch") or []}.values())
            if accents:
                self.meaning_layout.addWidget(self._pitch_row(accents))
            senses = entry.get("senses") or []
            shown = senses if all_senses else senses[:SHOWN_SENSES]
            hidden += len(senses) - len(shown)
            for n, sense in enumerate(shown, 1):
                # Parts of speech as JMdict names them, less its romaji (futsuumeishi): on hover.
                pos = "; ".join(_ROMAJI.sub("", p) for p in sense.get("pos") or [])
                self._meaning_line(f"{n}. {'; '.join(sense.get('glosses') or [])}", tip=pos)
        if not all_senses:
            hidden += sum(len(e.get("senses") or []) for e in entries[SHOWN_ENTRIES:])
        for kanji in meaning.get("kanji") or []:
            details = [", ".join(kanji.get("meanings", [])[:4])]
            if kanji.get("on"):
                details.append(self.tr("on: %1").replace("%1", "、".join(kanji["on"])))
            if kanji.get("kun"):
                details.append(self.tr("kun: %1").replace("%1", "、".join(kanji["kun"][:4])))
            grade = kanji.get("grade")
            if grade and grade <= 6:  # KANJIDIC: 1-6 primary school, 8 the other jōyō, 9-10 name kanji
                details.append(self.tr("grade %1").replace("%1", str(grade)))
            elif grade == 8:
                details.append(self.tr("jōyō, secondary school"))
            elif grade:
                details.append(self.tr("name kanji"))
            if kanji.get("strokes"):
                details.append(self.tr("%1 strokes").replace("%1", str(kanji["strokes"])))
            self._meaning_line(f"{kanji['literal']}  " + " · ".join(d for d in details if d), small=True)
        if hidden and not all_senses:
            self.more_button.setText(self.tr("More… (%1)").replace("%1", str(hidden)))
            self.meaning_layout.addWidget(self.more_button)
            self.more_button.show()
        else:
            self.more_button.hide()
        self.meaning_part.setVisible(bool(entries or meaning.get("kanji")))
        if all_senses:
            self.adjustSize()

    def _pitch_row(self, accents: list[dict]) -> QWidget:
        """"pitch" and the accents drawn over the kana."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(self.tr("pitch"))
        font = caption.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        caption.setFont(font)
        caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(caption, 0, Qt.AlignmentFlag.AlignBottom)
        row.pitch = PitchView(accents)
        layout.addWidget(row.pitch)
        layout.addStretch(1)
        return row

    def _meaning_line(self, text: str, *, bold: bool = False, small: bool = False, tip: str = "") -> None:
        label = QLabel()
        make_plain(label)  # the dictionary's text, never markup
        label.setText(text)
        if tip:
            label.setToolTip(plain(tip))
        label.setWordWrap(True)
        label.setMinimumWidth(300)
        label.setMaximumWidth(420)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = label.font()
        font.setBold(bold)
        if small:
            font.setPointSizeF(font.pointSizeF() * 0.9)
        label.setFont(font)
        self.meaning_layout.addWidget(label)

    # --- what the reader chooses --------------------------------------------------------------

    def choose_reading(self, reading: str) -> None:
        """Use `reading` for the word (in the chosen scope) and close."""
        if self.word is None or not reading:
            return
        everywhere = self.everywhere.isChecked()
        self.close()
        self.readingChosen.emit(reading, everywhere)

    def save_own_reading(self) -> None:
        """Save the typed reading if it is kana (katakana becomes hiragana); otherwise say why not."""
        reading = words.normalize_reading(self.own_reading.text())
        if reading is None:
            self.message.setText(self.tr("A reading is written in hiragana or katakana only."))
            self.message.setStyleSheet(f"color: {theme.colours().error};")  # the theme's, as it is now
            self.message.show()
            self.adjustSize()
            return
        self.choose_reading(reading)

    def set_status(self, status: str) -> None:
        """Show `status` as the word's (the buttons, with their keys when 1-4 set it)."""
        self.status = status if status in STATUS_NAMES else "new"
        # Checking one unchecks the others (the group is exclusive: unchecking alone is refused).
        self.status_buttons[self.status].setChecked(True)
        for number, (name, button) in enumerate(self.status_buttons.items(), 1):
            label = QCoreApplication.translate("WordPopup", STATUS_NAMES[name])
            button.setText(label if self.numbers_colour else f"{number} {label}")
            _mark_checked(button)
        if self.numbers_colour:
            self.keys_hint.setText(self.tr("Keys: 1–5 colour the highlight · A Anki deck · Esc close"))
        else:
            self.keys_hint.setText(self.tr("Keys: 1–4 status · A Anki deck · Esc close"))

    def set_picked(self, picked: bool) -> None:
        """Show whether the word is in the Anki deck."""
        self.picked = picked
        self.anki_button.setChecked(picked)
        _mark_checked(self.anki_button)
        if picked:
            self.anki_button.setText(self.tr("In Anki deck ✓"))
            self.anki_button.setToolTip(self.tr("Click to take the word out of the Anki deck (A)"))
        else:
            self.anki_button.setText(self.tr("Add to Anki deck"))
            self.anki_button.setToolTip(self.tr("A card for this word, with this sentence (A)"))

    def choose_status(self, status: str) -> None:
        """Give the word's lemma `status` (the popup stays open, showing it)."""
        if self.word is None or not self.learner:
            return
        changed = status != self.status
        self.set_status(status)  # a click on the checked button leaves it checked
        if changed:
            self.statusChosen.emit(self.word.lemma, status)

    def toggle_anki(self) -> None:
        """Add the word to the Anki deck, or take it out if it is in it."""
        if self.word is None or not self.learner:
            return
        picked = not self.picked
        self.set_picked(picked)
        self.ankiToggled.emit(picked)

    def deck_said(self, lemma: str, *, added: bool, count: int) -> str:
        """What the status bar says once `lemma` went into the Anki deck (`added`) or out of it,
        which now holds `count` words."""
        if added and count == 1:
            said = self.tr("Added %1 to the Anki deck (1 word). File › Export Anki deck… writes it.")
        elif added:
            said = self.tr("Added %1 to the Anki deck (%2 words). File › Export Anki deck… writes it.")
        elif count == 1:
            said = self.tr("Took %1 out of the Anki deck (1 word left).")
        else:
            said = self.tr("Took %1 out of the Anki deck (%2 words left).")
        # The status bar draws plain text; the lemma is the post's (put in last: a "%2" in it stays).
        return said.replace("%2", str(count)).replace("%1", escape_surrogates(lemma[:80]))

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().hideEvent(event)
        self.closed.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        if self._history_key(event) or self._learner_key(event) or self._pass_on(event):
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if (watched is self.own_reading and event.type() == QEvent.Type.KeyPress
                and (self._history_key(event) or self._learner_key(event) or self._pass_on(event))):
            return True
        return super().eventFilter(watched, event)

    def _history_key(self, event) -> bool:
        """Undo and Redo (Ctrl+Z, Ctrl+Shift+Z) go to the window's history while no reading is
        being typed (then they are the field's own): a status set by mistake is taken back
        without closing the popup."""
        if self.own_reading.text():
            return False
        for key, redo in ((QKeySequence.StandardKey.Undo, False), (QKeySequence.StandardKey.Redo, True)):
            if event.matches(key):
                self.historyAsked.emit(redo)
                return True
        return False

    def _single_key(self, event) -> bool:
        """A key pressed alone while no reading is being typed."""
        return not self.own_reading.text() and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier

    def _learner_key(self, event) -> bool:
        """1-4 (the status, unless they colour a highlight) and A (the Anki deck)."""
        if not self._single_key(event) or self.word is None or not self.learner:
            return False
        if event.key() in STATUS_KEYS and not self.numbers_colour:
            self.choose_status(STATUS_KEYS[event.key()])
            return True
        if event.key() == Qt.Key.Key_A:
            self.toggle_anki()
            return True
        return False

    def _pass_on(self, event) -> bool:
        """A single key of the window's (H, T, N, J, K, Delete; 1-5 when they colour a highlight)
        while no reading is being typed: the popup closes and the window's action takes it. A
        reading is kana, so such a key never starts one (kana typed through an input method come
        as text, not keys)."""
        window = self.parentWidget()
        if window is None or not self._single_key(event):
            return False
        pressed = QKeySequence(event.key())
        for action in window.actions():
            if action.isEnabled() and pressed in action.shortcuts():
                self.close()
                action.trigger()
                return True
        return False


def _mark_checked(button: QPushButton) -> None:
    """A checked button in the theme's selection colours (a sunken button alone is hard to tell
    from the others in the dark theme); an unchecked one as its parent's."""
    if button.isChecked():
        colours = theme.colours()
        palette = QPalette(button.palette())
        palette.setColor(QPalette.ColorRole.Button, QColor(colours.highlight))
        palette.setColor(QPalette.ColorRole.ButtonText, QColor(colours.highlighted_text))
        button.setPalette(palette)
    else:
        button.setPalette(QPalette())


class PitchView(QWidget):
    """A word's pitch accents drawn over its kana, as Japanese dictionaries do: a line over the
    high morae, a hook down after the mora the pitch falls from (none for a heiban word, whose
    line runs on to a particle after it), then the accent's number. `accents` are the
    `Pitch.to_json()` dicts of app.core.reading.pitch (morae and high/low each). Painted, so the
    dictionary's kana are never markup; the colours are the theme's."""

    SCALE = 1.3  # the kana's size against the popup's text
    GAP = 18  # pixels between two accents of one word

    def __init__(self, accents: list[dict], parent: QWidget | None = None):
        super().__init__(parent)
        self.accents = [a for a in accents if a.get("moras") and len(a.get("high") or ()) == len(a["moras"])]
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * self.SCALE)
        self.setFont(font)
        self._small = self.font()
        self._small.setPointSizeF(self.font().pointSizeF() / self.SCALE * 0.9)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        marks = [_pitch_mark(a) for a in self.accents]
        self.setAccessibleName(self.tr("Pitch accent: %1").replace("%1", ", ".join(marks)))
        lines = []
        for mark, accent in zip(marks, self.accents, strict=True):
            kind = PITCH_KINDS.get(accent.get("kind"))
            lines.append(f"{mark}: {QCoreApplication.translate('WordPopup', kind)}" if kind else mark)
        self.setToolTip(plain("\n".join(lines)))

    def _line_gap(self) -> int:
        return max(3, QFontMetrics(self.font()).height() // 6)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        metrics, small = QFontMetrics(self.font()), QFontMetrics(self._small)
        width = 0
        for accent in self.accents:
            width += sum(metrics.horizontalAdvance(m) for m in accent["moras"])
            width += metrics.horizontalAdvance(" ") + small.horizontalAdvance(f"[{accent.get('downstep', 0)}]") + self.GAP
        return QSize(max(0, width - self.GAP) + 2, metrics.height() + 2 * self._line_gap() + 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.sizeHint()

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        colours = theme.colours()
        metrics, small = QFontMetrics(self.font()), QFontMetrics(self._small)
        painter = QPainter(self)  # lines straight and whole pixels wide: crisp, without antialiasing
        gap = self._line_gap()
        top = gap  # the line over the high morae
        baseline = top + gap + metrics.ascent()
        hook = top + gap + metrics.ascent() // 2  # where the fall's hook ends
        line = QPen(QColor(colours.link))
        line.setWidth(max(2, round(metrics.height() / 14)))
        line.setCapStyle(Qt.PenCapStyle.SquareCap)
        x = 1.0
        for accent in self.accents:
            downstep = accent.get("downstep") or 0
            painter.setFont(self.font())
            for index, (mora, high) in enumerate(zip(accent["moras"], accent["high"], strict=True)):
                width = metrics.horizontalAdvance(mora)
                painter.setPen(QColor(colours.text))
                painter.drawText(round(x), baseline, mora)
                painter.setPen(line)
                if high:
                    painter.drawLine(round(x), top, round(x + width), top)
                    if index + 1 == downstep:  # the pitch falls after this mora
                        painter.drawLine(round(x + width), top, round(x + width), hook)
                x += width
            x += metrics.horizontalAdvance(" ")
            painter.setFont(self._small)
            painter.setPen(QColor(colours.muted))
            number = f"[{downstep}]"
            painter.drawText(round(x), baseline, number)
            x += small.horizontalAdvance(number) + self.GAP
        painter.end()


def _pitch_mark(accent: dict) -> str:
    """はꜜし [1]: the reading with a downstep mark after its last high mora and the accent's
    number as dictionaries give it; とうし [0] for a flat (heiban) word."""
    moras, downstep = accent.get("moras") or [], accent.get("downstep") or 0
    if not downstep:
        return "".join(moras) + " [0]"
    return "".join(moras[:downstep]) + "ꜜ" + "".join(moras[downstep:]) + f" [{downstep}]"


def learner_state(store, lemma: str | None) -> tuple[str, bool]:
    """The lemma's status and whether it is in the Anki deck ("new", False without a lemma)."""
    if not lemma:
        return "new", False
    return vocabulary.word_status(store, lemma), store.anki_pick(lemma) is not None


def _picked_count(store) -> int:
    """How many words the Anki deck holds."""
    return len(store.anki_picks())


def _meaning_of(word, text: str) -> dict | None:
    """The dictionary's look-up of a word of the post (None without the dictionary)."""
    try:
        return lookup.lookup_token(word.surface, word.lemma, word.reading, text=text, start=word.start)
    except lookup.WordLookupError:
        return None


def _placed(size: QSize, at: QPoint) -> QPoint:
    """Where a popup of that size goes: below and right of `at`, above it if there is no room
    below, always inside the screen's available area."""
    screen = QGuiApplication.screenAt(at) or QGuiApplication.primaryScreen()
    area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1 << 15, 1 << 15)
    x, y = at.x(), at.y() + _GAP
    if y + size.height() > area.bottom():
        y = at.y() - _GAP - size.height()
    x = max(area.left(), min(x, area.right() - size.width()))
    y = max(area.top(), min(y, area.bottom() - size.height()))
    return QPoint(x, y)


def connect_word_popup(window) -> WordPopup:
    """Show the word popup when a word of the window's post is clicked; returns the popup.

    `window` is a MainWindow or alike: `reader` (with `bridge`), `store`, `current` (the shown
    PostRecord) and `reload()`. Calling this again returns the popup already connected.
    """
    existing = getattr(window, "word_popup", None)
    if isinstance(existing, WordPopup):
        return existing
    popup = WordPopup(window)
    window.word_popup = popup

    def post_text() -> str:
        current = window.current
        return current.text or window.store.post(current.id).text

    def show(offset: int, x: int, y: int) -> None:
        if window.current is None:
            return
        post_id = window.current.id
        word = words.word_at(post_text(), offset, window.store.reading_overrides(post_id))
        if word is None:
            popup.close()
            return
        # The page measures in CSS pixels; the view's pixels are those times its zoom.
        zoom = window.reader.zoomFactor()
        at = window.reader.mapToGlobal(QPoint(round(x * zoom), round(y * zoom)))
        status, picked = learner_state(window.store, word.lemma)
        # When the window's 1-5 act on a highlight (the click was on one), they keep doing so.
        numbers_colour = window.highlight_actions.target() is not None
        popup.show_word(word, post_id=post_id, status=status, picked=picked, numbers_colour=numbers_colour, at=at,
                        meaning=_meaning_of(word, post_text()))

    def save_reading(reading: str, everywhere: bool) -> None:
        word = popup.word
        if word is None or popup.post_id is None:
            return
        # Through the window's history: Ctrl+Z takes it back.
        window.highlight_actions.do("reading", library.choose_reading, popup.post_id, word, reading, everywhere=everywhere)
        window.reload()

    # A status or the deck changes as one edit of the window's (MainWindow.change_words: Ctrl+Z
    # takes it back, the page and the views of words follow).
    def save_status(lemma: str, status: str) -> None:
        window.change_words("word-status", library.set_word_status, lemma, status)

    def toggle_anki(add: bool) -> None:
        word = popup.word
        if word is None or not word.lemma or popup.post_id is None:
            return
        if add:
            window.change_words("anki", library.pick_for_anki, word.lemma, popup.post_id, word.start, word.end)
        else:
            window.change_words("anki", library.unpick_for_anki, word.lemma)
        window.statusBar().showMessage(popup.deck_said(word.lemma, added=add, count=_picked_count(window.store)), 10000)

    def history(redo: bool) -> None:
        """The window's Undo or Redo from the popup; the popup then shows its word's status and
        deck as they now are."""
        (window.redo if redo else window.undo)()
        word = popup.word
        if word is not None and popup.isVisible():
            status, picked = learner_state(window.store, word.lemma)
            popup.set_status(status)
            popup.set_picked(picked)

    def closed() -> None:
        # The keys go back to the reader, unless the click that closed the popup went elsewhere.
        focused = QGuiApplication.focusObject()
        inside = focused is popup or (isinstance(focused, QWidget) and popup.isAncestorOf(focused))
        if hasattr(window, "focus_reader") and (focused is None or focused is window or inside):
            window.focus_reader()

    # The dictionary and its taggers opened once the window is up, so the first popup is as
    # quick as the next (~100 ms once; nothing on the start-up path).
    warm = QTimer(popup, singleShot=True, interval=WARM_UP_MS)  # goes with the popup

    def warm_up() -> None:
        if popup.meaning is None:
            lookup.warm_up()
            release_freed_memory()  # what opening them took and no longer needs goes back

    warm.timeout.connect(warm_up)
    warm.start()
    window.reader.bridge.wordActivated.connect(show)
    popup.readingChosen.connect(save_reading)
    popup.statusChosen.connect(save_status)
    popup.ankiToggled.connect(toggle_anki)
    popup.historyAsked.connect(history)
    popup.closed.connect(closed)
    return popup
