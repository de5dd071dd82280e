"""Find in post (Ctrl+F): matches are looked up in the post's plain text, not in the page, so
readings in <rt> never get in the way (投資 is found however it is annotated)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


def find_all(text: str, needle: str) -> list[int]:
    """Start offsets of `needle` in `text`, case-insensitive for letters that keep their length."""
    if not needle:
        return []
    haystack, wanted = text, needle
    if len(text.casefold()) == len(text) and len(needle.casefold()) == len(needle):
        haystack, wanted = text.casefold(), needle.casefold()
    found, at = [], haystack.find(wanted)
    while at >= 0:
        found.append(at)
        at = haystack.find(wanted, at + 1)
    return found


class FindBar(QWidget):
    """A bar above the reader; `matchChosen(start, end)` for the match to show."""

    matchChosen = Signal(int, int)

    def __init__(self, text_source: Callable[[], str], parent: QWidget | None = None):
        super().__init__(parent)
        self.text_source = text_source
        self.matches: list[int] = []
        self.index = -1
        self.field = QLineEdit(placeholderText=self.tr("Find in this post"))
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._search)
        self.field.returnPressed.connect(lambda: self.step(1))
        self.count = QLabel()
        previous = QToolButton(text="↑", toolTip=self.tr("Previous match (Shift+Enter)"))
        previous.clicked.connect(lambda: self.step(-1))
        following = QToolButton(text="↓", toolTip=self.tr("Next match (Enter)"))
        following.clicked.connect(lambda: self.step(1))
        close = QToolButton(text="✕", toolTip=self.tr("Close (Esc)"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for widget in (self.field, self.count, previous, following, close):
            layout.addWidget(widget)
        self.hide()

    def open(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        self._search(self.field.text())

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.step(-1)
        else:
            super().keyPressEvent(event)

    def _search(self, needle: str) -> None:
        self.matches = find_all(self.text_source(), needle)
        self.index = -1
        if self.matches:
            self.step(1)
        else:
            self.count.setText(self.tr("No match") if needle else "")

    def step(self, step: int) -> None:
        """Go to the next (+1) or previous (-1) match, wrapping around."""
        if not self.matches:
            return
        self.index = (self.index + step) % len(self.matches)
        start = self.matches[self.index]
        self.count.setText(self.tr("%1 of %2").replace("%1", str(self.index + 1)).replace("%2", str(len(self.matches))))
        self.matchChosen.emit(start, start + len(self.field.text()))
