"""Find in post (Ctrl+F): matches are looked up in the post's title and plain text, not in the
page, so readings in <rt> never get in the way (投資 is found however it is annotated).

The bar sits in the layout above the reader (never over the page); closing it (Esc, its close
button) says so (`closed`), and the window gives the reader its focus back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QToolButton, QWidget


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
    """A bar above the reader. `titleMatchChosen(start, end)` for a match in the title (shown
    first), `matchChosen(start, end)` for one in the text; `closed` when it is closed."""

    matchChosen = Signal(int, int)
    titleMatchChosen = Signal(int, int)
    closed = Signal()

    def __init__(self, text_source: Callable[[], str], parent: QWidget | None = None, *, title_source: Callable[[], str] | None = None):
        super().__init__(parent)
        self.text_source = text_source
        self.title_source = title_source or (lambda: "")
        self.matches: list[tuple[str, int]] = []  # ("title" or "text", start)
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
        self.close_button = QToolButton(text="✕", toolTip=self.tr("Close (Esc)"))
        self.close_button.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for widget in (self.field, self.count, previous, following, self.close_button):
            layout.addWidget(widget)
        # Its own height and no more: the page below keeps the rest (a bar that grew took a
        # third of the window from the page).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hide()

    def open(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        self._search(self.field.text())

    def close_bar(self) -> None:
        """Hide the bar; the window takes `closed` to give the reader its focus back."""
        self.hide()
        self.closed.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.step(-1)
        else:
            super().keyPressEvent(event)

    def _search(self, needle: str) -> None:
        self.matches = [("title", at) for at in find_all(self.title_source(), needle)]
        self.matches += [("text", at) for at in find_all(self.text_source(), needle)]
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
        where, start = self.matches[self.index]
        count = self.tr("%1 of %2").replace("%1", str(self.index + 1)).replace("%2", str(len(self.matches)))
        self.count.setText(self.tr("%1 (title)").replace("%1", count) if where == "title" else count)
        end = start + len(self.field.text())
        (self.titleMatchChosen if where == "title" else self.matchChosen).emit(start, end)
