"""The post's highlights: reading order, filters by tag and colour, orphans in their own section,
and the small dialogs that edit a highlight's tags (with completion) and its note."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.store import BUILTIN_TAGS, COLORS, Annotation
from app.ui.plain import plain

ANNOTATION_ID = Qt.ItemDataRole.UserRole
OFFSET = Qt.ItemDataRole.UserRole + 1

# The swatches match the reader's highlight colours (resources/reader/reader.css), made opaque.
SWATCHES = {"yellow": "#ffd600", "green": "#50c878", "blue": "#50a0ff", "pink": "#ff69b4", "purple": "#a06eff"}


def swatch(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(SWATCHES.get(color, color)))
    return QIcon(pixmap)


class HighlightsPanel(QWidget):
    """This post's highlights; `activated(id, offset)` when one is clicked (offset -1 for an orphan)."""

    activated = Signal(str, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.annotations: list[Annotation] = []
        self.tag_colors: dict[str, str] = dict(BUILTIN_TAGS)  # the library's tag colours (chip, investment…)
        self.tag_filter = QComboBox()
        self.tag_filter.setToolTip(self.tr("Show only the highlights with this tag"))
        self.color_filter = QComboBox()
        self.color_filter.setToolTip(self.tr("Show only the highlights of this colour"))
        self.color_filter.addItem(self.tr("All colours"), None)
        for color in COLORS:
            self.color_filter.addItem(swatch(color), self.color_name(color), color)
        for box in (self.tag_filter, self.color_filter):
            box.currentIndexChanged.connect(lambda _i: self._fill())
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        # Japanese lines come from the CJK fallback font, taller than the size hint expects:
        # eliding would cut a two-line item down to its first line.
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setSpacing(2)  # re-wrap items when the panel is resized
        self.list.itemClicked.connect(self._clicked)
        self.heading = self.tr("Highlights")
        self.title = QLabel(f"<b>{self.heading}</b>")
        self.empty_note = QLabel(self.tr("Select text in the post and press H to highlight it."))
        self.empty_note.setWordWrap(True)
        filters = QHBoxLayout()
        filters.addWidget(self.tag_filter, 1)
        filters.addWidget(self.color_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.list)

    def color_name(self, color: str) -> str:
        names = {
            "yellow": self.tr("Yellow"), "green": self.tr("Green"), "blue": self.tr("Blue"),
            "pink": self.tr("Pink"), "purple": self.tr("Purple"),
        }
        return names.get(color, color)

    def show_annotations(self, annotations: Sequence[Annotation], tag_colors: dict[str, str] | None = None) -> None:
        """Show a post's highlights (orphans included); keeps the filters where possible."""
        self.annotations = list(annotations)
        if tag_colors is not None:
            self.tag_colors = tag_colors
        current_tag = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem(self.tr("All tags"), None)
        for tag in sorted({t for a in self.annotations for t in a.tags}, key=lambda t: (t not in BUILTIN_TAGS, t.casefold())):
            color = self.tag_colors.get(tag)
            if color:
                self.tag_filter.addItem(swatch(color), f"#{tag}", tag)
            else:
                self.tag_filter.addItem(f"#{tag}", tag)
        self.tag_filter.setCurrentIndex(max(0, self.tag_filter.findData(current_tag)))
        self.tag_filter.blockSignals(False)
        self._fill()

    def _fill(self) -> None:
        tag, color = self.tag_filter.currentData(), self.color_filter.currentData()
        shown = [a for a in self.annotations if (tag is None or tag in a.tags) and (color is None or a.color == color)]
        placed = [a for a in shown if not a.orphan]
        orphans = [a for a in shown if a.orphan]
        selected = self.current_id()
        self.list.clear()
        for annotation in placed:
            self.list.addItem(self._item(annotation))
        if orphans:
            header = QListWidgetItem(self.tr("Orphans: their text changed; select new text and choose Re-attach"))
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self.list.addItem(header)
            for annotation in orphans:
                self.list.addItem(self._item(annotation))
        count = self.tr("%n highlight(s)", "", len(self.annotations))
        self.title.setText(f"<b>{self.heading}</b> ({count})")
        if not self.annotations:
            self.empty_note.setText(self.tr("Select text in the post and press H to highlight it."))
        elif not shown:
            self.empty_note.setText(self.tr("No highlight matches these filters."))
        self.empty_note.setVisible(not shown)
        if selected:
            self.select(selected)

    def _item(self, annotation: Annotation) -> QListWidgetItem:
        tags = " ".join(f"#{t}" for t in annotation.tags)
        quote = annotation.exact if len(annotation.exact) <= 140 else annotation.exact[:140] + "…"
        lines = [quote.replace("\n", " ")]
        if tags or annotation.note:
            lines.append(f"{tags}  {annotation.note[:100]}".strip())
        item = QListWidgetItem(swatch(annotation.color), "\n".join(lines))
        item.setData(ANNOTATION_ID, annotation.id)
        item.setData(OFFSET, -1 if annotation.orphan else annotation.start)
        item.setToolTip(plain(annotation.note or annotation.exact[:400], 1000))
        return item

    def _clicked(self, item: QListWidgetItem) -> None:
        annotation_id = item.data(ANNOTATION_ID)
        if annotation_id:
            self.activated.emit(annotation_id, int(item.data(OFFSET)))

    # --- selection --------------------------------------------------------------------------

    def rows(self) -> list[int]:
        """Rows that hold a highlight (not the Orphans heading)."""
        return [r for r in range(self.list.count()) if self.list.item(r).data(ANNOTATION_ID)]

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(ANNOTATION_ID) if item is not None else None

    def select(self, annotation_id: str) -> bool:
        for row in self.rows():
            if self.list.item(row).data(ANNOTATION_ID) == annotation_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def step(self, step: int) -> tuple[str, int] | None:
        """Select the next (+1) or previous (-1) highlight, wrapping; returns (id, offset)."""
        rows = self.rows()
        if not rows:
            return None
        current = self.list.currentRow()
        if current in rows:
            row = rows[(rows.index(current) + step) % len(rows)]
        else:
            row = rows[0] if step > 0 else rows[-1]
        self.list.setCurrentRow(row)
        item = self.list.item(row)
        return item.data(ANNOTATION_ID), int(item.data(OFFSET))


class _LastWordCompleter(QCompleter):
    """Completes the word being typed in a space-separated list of tags."""

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt override)
        return [path.split(" ")[-1].lstrip("#")]

    def pathFromIndex(self, index) -> str:  # noqa: N802 (Qt override)
        typed = self.widget().text() if self.widget() is not None else ""
        head = typed.rsplit(" ", 1)[0] + " " if " " in typed else ""
        return head + str(index.data())


class TagDialog(QDialog):
    """Edit a highlight's tags: space-separated, completed from the library's tags."""

    def __init__(self, current: Sequence[str], known: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tags"))
        self.field = QLineEdit(" ".join(current))
        self.field.setPlaceholderText(self.tr("chip investment company claim question, or your own"))
        completer = _LastWordCompleter(self)
        completer.setModel(QStringListModel(list(known), completer))
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.field.setCompleter(completer)
        # Enter saves, also when it picks a completion (the completer hands the field its Enter).
        self.field.returnPressed.connect(self.accept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Tags, separated by spaces:")))
        layout.addWidget(self.field)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def tags(self) -> list[str]:
        return self.field.text().split()


class NoteDialog(QDialog):
    """Edit a highlight's note, plain text over several lines: Enter starts a new line,
    Ctrl+Enter saves."""

    def __init__(self, note: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Note"))
        self.field = QPlainTextEdit()
        self.field.setPlainText(note)
        self.field.moveCursor(self.field.textCursor().MoveOperation.End)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Note (Ctrl+Enter saves):")))
        layout.addWidget(self.field)
        layout.addWidget(buttons)
        self.resize(460, 240)

    def note(self) -> str:
        return self.field.toPlainText()
