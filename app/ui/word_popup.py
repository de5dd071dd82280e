"""The word popup: click a word in the post to see its reading, dictionary form and part of speech,
what it means (the bundled dictionary's senses, whether it is common, its JLPT level, its pitch
accent and its kanji: app.core.reading.lookup), pick another reading or type one's own (a
correction for this post or everywhere), and mark the word as known (its furigana hidden from then
on).

The popup only shows a `WordInfo` and says what the reader chose; `connect_word_popup` looks the
word up in the core and writes the choices to the store.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.lazy import lazy_module
from app.ui import theme
from app.ui.plain import make_plain, plain

if TYPE_CHECKING:
    from app.core.reading.words import WordInfo

words = lazy_module("app.core.reading.words")
library = lazy_module("app.core.library.actions")
lookup = lazy_module("app.core.reading.lookup")

SHOWN_SENSES = 3  # per entry, before "More…"
_ROMAJI = re.compile(r"\s*\([a-z]+\)")  # "noun (common) (futsuumeishi)" -> "noun (common)"
WARM_UP_MS = 4000  # after the window is made
SHOWN_ENTRIES = 3

_GAP = 12  # pixels between the click and the popup, so the popup does not hide the word


class WordPopup(QFrame):
    """One word: its reading in large type, dictionary form, part of speech, readings to pick,
    one's own reading and "I know this word". Closes on Escape or a click outside it."""

    readingChosen = Signal(str, bool)  # hiragana reading, everywhere (False: this post only)
    knownChanged = Signal(str, bool)  # lemma, known
    closed = Signal()  # hidden: Escape, a click outside, a reading chosen

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("word-popup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.word: WordInfo | None = None
        self.post_id: int | None = None

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

        self.known_box = QCheckBox(self.tr("I know this word (hide its furigana in every post)"))
        self.known_box.toggled.connect(self._known_toggled)

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
        layout.addWidget(self.correction_part)
        layout.addWidget(self.known_box)

    # --- showing a word ---------------------------------------------------------------------

    def show_word(
        self, word: WordInfo, *, known: bool, post_id: int | None, at: QPoint | None = None, meaning: dict | None = None
    ) -> None:
        """Fill the popup with `word` (and what it means: a `lookup.lookup_token` result, None
        without the dictionary) and show it near the global point `at` (kept on screen)."""
        self.word = word
        self.meaning = meaning
        self._show_meaning(all_senses=False)
        self.post_id = post_id
        self.surface_label.setText(word.surface)
        self.reading_label.setText(word.reading or "")
        self.reading_label.setVisible(bool(word.reading) and word.reading != word.surface)
        self.corrected_note.setVisible(word.corrected)
        self.lemma_label.setText(self.tr("Dictionary form: %1").replace("%1", word.lemma or "—"))
        # The core names parts of speech in English; translations may list those names too.
        self.pos_label.setText(self.tr("Part of speech: %1").replace("%1", self.tr(word.part_of_speech) or word.pos or "—"))
        self.pos_label.setToolTip(plain(word.pos))
        self.alternatives.clear()
        self.alternatives.addItems(list(word.alternatives))
        self.alternatives_title.setVisible(bool(word.alternatives))
        self.alternatives.setVisible(bool(word.alternatives))
        self.correction_part.setVisible(word.has_kanji)
        self.own_reading.clear()
        self.message.clear()
        self.message.hide()
        self.known_box.blockSignals(True)
        self.known_box.setChecked(known)
        self.known_box.blockSignals(False)
        self.known_box.setEnabled(bool(word.lemma))
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
                item.widget().deleteLater()
        meaning = self.meaning or {}
        entries = meaning.get("entries") or []
        hidden = 0
        for entry in entries[: len(entries) if all_senses else SHOWN_ENTRIES]:
            facts = []
            if entry.get("common"):
                facts.append(self.tr("common"))
            if entry.get("jlpt"):
                facts.append(f"JLPT N{entry['jlpt']}")
            accents = [_pitch_mark(p) for p in entry.get("pitch") or []]
            if accents:
                facts.append(self.tr("pitch %1").replace("%1", ", ".join(dict.fromkeys(accents))))
            forms = "・".join(entry.get("kanji") or entry.get("readings") or [])
            readings = "・".join(entry.get("readings") or []) if entry.get("kanji") else ""
            self._meaning_line(forms + (f" 【{readings}】" if readings else ""), bold=True)
            if facts:
                self._meaning_line(" · ".join(facts), small=True)
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

    def _known_toggled(self, checked: bool) -> None:
        if self.word is not None and self.word.lemma:
            self.knownChanged.emit(self.word.lemma, checked)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().hideEvent(event)
        self.closed.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        if self._pass_on(event):
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.own_reading and event.type() == QEvent.Type.KeyPress and self._pass_on(event):
            return True
        return super().eventFilter(watched, event)

    def _pass_on(self, event) -> bool:
        """A single key of the window's (1-5, H, T, N, J, K, Delete) while no reading is being
        typed: the popup closes and the window's action takes it. A click on a highlight opens
        the popup of its word too, and 4 then recolours the highlight. A reading is kana, so
        such a key never starts one (kana typed through an input method come as text, not keys)."""
        window = self.parentWidget()
        if window is None or self.own_reading.text() or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        pressed = QKeySequence(event.key())
        for action in window.actions():
            if action.isEnabled() and pressed in action.shortcuts():
                self.close()
                action.trigger()
                return True
        return False


def _pitch_mark(accent: dict) -> str:
    """はꜜし [1]: the reading with a downstep mark after its last high mora and the accent's
    number as dictionaries give it; とうし [0] for a flat (heiban) word."""
    moras, downstep = accent.get("moras") or [], accent.get("downstep") or 0
    if not downstep:
        return "".join(moras) + " [0]"
    return "".join(moras[:downstep]) + "ꜜ" + "".join(moras[downstep:]) + f" [{downstep}]"


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
        known = bool(word.lemma) and word.lemma in window.store.known_words()
        popup.show_word(word, known=known, post_id=post_id, at=at, meaning=_meaning_of(word, post_text()))

    def save_reading(reading: str, everywhere: bool) -> None:
        word = popup.word
        if word is None or popup.post_id is None:
            return
        # Through the window's history (Ctrl+Z takes it back) when it has one.
        edits = getattr(window, "highlight_actions", None)
        if edits is not None:
            edits.do("reading", library.choose_reading, popup.post_id, word, reading, everywhere=everywhere)
        else:
            library.choose_reading(window.store, popup.post_id, word, reading, everywhere=everywhere)
        window.reload()

    def save_known(lemma: str, known: bool) -> None:
        edits = getattr(window, "highlight_actions", None)
        if edits is not None:
            edits.do("word-status", library.mark_known, lemma, known)
        else:
            library.mark_known(window.store, lemma, known)
        window.reload()

    def closed() -> None:
        # The keys go back to the reader, unless the click that closed the popup went elsewhere.
        focused = QGuiApplication.focusObject()
        inside = focused is popup or (isinstance(focused, QWidget) and popup.isAncestorOf(focused))
        if hasattr(window, "focus_reader") and (focused is None or focused is window or inside):
            window.focus_reader()

    # The dictionary and its taggers opened once the window is up, so the first popup is as
    # quick as the next (~100 ms once; nothing on the start-up path).
    warm = QTimer(popup, singleShot=True, interval=WARM_UP_MS)  # goes with the popup
    warm.timeout.connect(lambda: None if popup.meaning is not None else lookup.warm_up())
    warm.start()
    window.reader.bridge.wordActivated.connect(show)
    popup.readingChosen.connect(save_reading)
    popup.knownChanged.connect(save_known)
    popup.closed.connect(closed)
    return popup
