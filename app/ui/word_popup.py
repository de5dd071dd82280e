"""The word popup: click a word in the post to see its reading, dictionary form and part of speech,
pick another reading or type one's own (a correction for this post or everywhere), and mark the
word as known (its furigana hidden from then on).

The popup only shows a `WordInfo` and says what the reader chose; `connect_word_popup` looks the
word up in the core and writes the choices to the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
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
from app.ui.plain import make_plain, plain

if TYPE_CHECKING:
    from app.core.reading.words import WordInfo

words = lazy_module("app.core.reading.words")
library = lazy_module("app.core.library.actions")

_GAP = 12  # pixels between the click and the popup, so the popup does not hide the word


class WordPopup(QFrame):
    """One word: its reading in large type, dictionary form, part of speech, readings to pick,
    one's own reading and "I know this word". Closes on Escape or a click outside it."""

    readingChosen = Signal(str, bool)  # hiragana reading, everywhere (False: this post only)
    knownChanged = Signal(str, bool)  # lemma, known

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
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save_own_reading)
        own_row = QHBoxLayout()
        own_row.addWidget(self.own_reading)
        own_row.addWidget(self.save_button)
        self.message = QLabel()
        # The word, its reading and its dictionary facts come from the post: plain text only.
        make_plain(self.surface_label, self.reading_label, self.lemma_label, self.pos_label, self.message)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")

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
        head = QHBoxLayout()
        head.addWidget(self.surface_label)
        head.addWidget(self.reading_label)
        head.addStretch(1)
        layout.addLayout(head)
        layout.addWidget(self.corrected_note)
        layout.addWidget(self.lemma_label)
        layout.addWidget(self.pos_label)
        layout.addWidget(self.correction_part)
        layout.addWidget(self.known_box)

    # --- showing a word ---------------------------------------------------------------------

    def show_word(self, word: WordInfo, *, known: bool, post_id: int | None, at: QPoint | None = None) -> None:
        """Fill the popup with `word` and show it near the global point `at` (kept on screen)."""
        self.word = word
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
            self.message.show()
            self.adjustSize()
            return
        self.choose_reading(reading)

    def _known_toggled(self, checked: bool) -> None:
        if self.word is not None and self.word.lemma:
            self.knownChanged.emit(self.word.lemma, checked)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


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
        popup.show_word(word, known=known, post_id=post_id, at=at)

    def save_reading(reading: str, everywhere: bool) -> None:
        word = popup.word
        if word is None or popup.post_id is None:
            return
        library.choose_reading(window.store, popup.post_id, word, reading, everywhere=everywhere)
        window.reload()

    def save_known(lemma: str, known: bool) -> None:
        library.mark_known(window.store, lemma, known)
        window.reload()

    window.reader.bridge.wordActivated.connect(show)
    popup.readingChosen.connect(save_reading)
    popup.knownChanged.connect(save_known)
    return popup
