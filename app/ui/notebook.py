"""The notebook window (View › Notebook, Ctrl+Shift+B): every highlight of the library in one
table, filtered by text, tag, colour, post and the days they were made, sorted by post or by
date; a row opens its post at the highlight (click, or Enter), and Export writes what is shown.

Thin over app.core.library.notebook: the filters make a NotebookFilter, the table shows the
entries `notebook(...)` returns, and the export hands those same entries to
export_notebook_markdown / export_notebook_csv. Every cell is plain text (an item view paints its
display text as written; tooltips go through app.ui.plain).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QDate, QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.common.messages import translate
from app.core.common.text import escape_surrogates
from app.core.library import notebook as core
from app.core.library.export import ExportError
from app.core.store import COLORS, StoreError
from app.ui.fonts import with_cjk_family
from app.ui.highlights_panel import swatch
from app.ui.i18n import current_language
from app.ui.plain import plain, plain_label

COLUMNS = ("post", "quote", "note", "tags", "colour", "made")
HEADERS = {
    "post": QT_TRANSLATE_NOOP("NotebookModel", "Post"),
    "quote": QT_TRANSLATE_NOOP("NotebookModel", "Highlight"),
    "note": QT_TRANSLATE_NOOP("NotebookModel", "Note"),
    "tags": QT_TRANSLATE_NOOP("NotebookModel", "Tags"),
    "colour": QT_TRANSLATE_NOOP("NotebookModel", "Colour"),
    "made": QT_TRANSLATE_NOOP("NotebookModel", "Highlighted"),
}
CELL_CHARS = 200  # a cell shows one line; the tooltip has the rest
FILTER_DELAY_MS = 200
ENTRY = Qt.ItemDataRole.UserRole


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= CELL_CHARS else line[:CELL_CHARS] + "…"


class NotebookModel(QAbstractTableModel):
    """NotebookEntry values as rows; the entry itself is under ENTRY in every cell."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[core.NotebookEntry] = []
        self.color_names: dict[str, str] = {}

    def set_entries(self, entries: list[core.NotebookEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt override)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("NotebookModel", HEADERS[COLUMNS[section]])
        return None

    def text(self, entry: core.NotebookEntry, column: str) -> str:
        """What the cell shows (one line of plain text)."""
        a = entry.annotation
        if column == "post":
            return _one_line(entry.title)
        if column == "quote":
            quote = _one_line(a.exact)
            return self.tr("(orphan) %1").replace("%1", quote) if a.orphan else quote
        if column == "note":
            return _one_line(a.note)
        if column == "tags":
            return " ".join(f"#{t}" for t in a.tags)
        if column == "colour":
            return self.color_names.get(a.color, a.color)
        return entry.made

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(entry, column)
        if role == ENTRY:
            return entry
        if role == Qt.ItemDataRole.DecorationRole and column == "colour":
            return swatch(entry.annotation.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            a = entry.annotation
            full = {"post": entry.title, "quote": a.exact, "note": a.note}.get(column)
            return plain(full) if full else None
        return None


class NotebookWindow(QWidget):
    """The notebook, a window of its own beside the reader. `openHighlight(post id, start, end,
    orphan)` when a row is opened (the main window shows the post there, the highlight marked)."""

    openHighlight = Signal(int, int, int, bool)

    def __init__(self, store, parent: QWidget | None = None, *, color_names: dict[str, str] | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.store = store
        self.setWindowTitle(self.tr("Notebook — Kakikomi"))
        self.setFont(with_cjk_family(self.font()))
        self.resize(1000, 640)
        self.exported: Path | None = None
        # The entries the library gave for the filters but the text: (filters and order, entries).
        self._asked: tuple[tuple, list[core.NotebookEntry]] | None = None
        self.text_field = QLineEdit(placeholderText=self.tr("Filter by text in highlights, notes, tags, titles…"))
        self.text_field.setClearButtonEnabled(True)
        self._text_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._text_timer.timeout.connect(self.reload)
        self.text_field.textChanged.connect(lambda _text: self._text_timer.start())
        self.tag_box = QComboBox(toolTip=self.tr("Only highlights with this tag"))
        self.color_box = QComboBox(toolTip=self.tr("Only highlights of this colour"))
        self.post_box = QComboBox(toolTip=self.tr("Only highlights of this post"))
        self.post_box.setMinimumContentsLength(18)
        self.post_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.dates = QCheckBox(self.tr("Highlighted from"))
        self.since = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.until = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        today = QDate.currentDate()
        self.since.setDate(today.addDays(-30))
        self.until.setDate(today)
        self.sort_box = QComboBox(toolTip=self.tr("Order of the highlights"))
        for value, label in (("post", self.tr("By post")), ("newest", self.tr("Newest first")), ("oldest", self.tr("Oldest first"))):
            self.sort_box.addItem(label, value)
        self.count = plain_label()  # it may name a file or repeat an error
        self.export_button = QPushButton(self.tr("Export…"), toolTip=self.tr("Write the highlights shown as Markdown or CSV"))
        self.export_button.clicked.connect(self.export)
        self.model = NotebookModel(self)
        self.model.color_names = dict(color_names or {})
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in zip(COLUMNS, (180, 380, 200, 130, 80, 90)):
            self.table.setColumnWidth(COLUMNS.index(column), width)
        header.setSectionResizeMode(COLUMNS.index("quote"), QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._open)
        self.table.activated.connect(self._open)  # Enter (and a double click)

        filters = QHBoxLayout()
        filters.addWidget(self.text_field, 2)
        for box in (self.tag_box, self.color_box, self.post_box):
            filters.addWidget(box, 1)
        second = QHBoxLayout()
        second.addWidget(self.dates)
        second.addWidget(self.since)
        second.addWidget(QLabel(self.tr("to")))
        second.addWidget(self.until)
        second.addSpacing(12)
        second.addWidget(self.sort_box)
        second.addStretch(1)
        second.addWidget(self.count)
        second.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(second)
        layout.addWidget(self.table)
        self._fill_choices()
        for box in (self.tag_box, self.color_box, self.post_box, self.sort_box):
            box.currentIndexChanged.connect(lambda _index: self.reload())
        self.dates.toggled.connect(lambda _on: self._dates_changed())
        self.since.dateChanged.connect(lambda _day: self._dates_changed())
        self.until.dateChanged.connect(lambda _day: self._dates_changed())
        self._dates_changed(reload=False)
        self.reload()

    # --- filters -----------------------------------------------------------------------------

    def _fill_choices(self) -> None:
        """The tags, colours and posts to choose from, keeping what is chosen where it still is."""
        try:
            tags, posts = core.notebook_tags(self.store), core.notebook_posts(self.store)
        except StoreError:
            tags, posts = [], []
        choices = (
            (self.tag_box, self.tr("All tags"), [(t, f"#{t}") for t in tags]),
            (self.color_box, self.tr("All colours"), [(c, self.model.color_names.get(c, c)) for c in COLORS]),
            (self.post_box, self.tr("All posts"), [(post_id, " ".join(title.split())) for post_id, title in posts]),
        )
        for box, everything, items in choices:
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, None)
            for value, label in items:
                box.addItem(label, value)
                if box is self.color_box:
                    box.setItemIcon(box.count() - 1, swatch(value))
            box.setCurrentIndex(max(0, box.findData(current)) if current is not None else 0)
            box.blockSignals(False)

    def _dates_changed(self, *, reload: bool = True) -> None:
        self.since.setEnabled(self.dates.isChecked())
        self.until.setEnabled(self.dates.isChecked())
        if reload:
            self.reload()

    def chosen(self) -> core.NotebookFilter:
        """The filter the widgets show."""
        def one(box: QComboBox) -> tuple:
            return () if box.currentData() is None else (box.currentData(),)

        dated = self.dates.isChecked()
        return core.NotebookFilter(
            text=self.text_field.text(),
            tags=one(self.tag_box),
            colors=one(self.color_box),
            post_ids=one(self.post_box),
            since=self.since.date().toString(Qt.DateFormat.ISODate) if dated else None,
            until=self.until.date().toString(Qt.DateFormat.ISODate) if dated else None,
        )

    def reload(self) -> None:
        """Show the highlights the filters keep. The library is asked again when a filter other
        than the text changed (or after refresh()); typed text narrows what it gave."""
        self._text_timer.stop()
        chosen, sort = self.chosen(), self.sort_box.currentData()
        key = (replace(chosen, text=""), sort)
        try:
            if self._asked is None or self._asked[0] != key:
                self._asked = (key, core.notebook(self.store, key[0], sort=sort))
        except (ValueError, StoreError) as exc:
            self._asked = None
            self.model.set_entries([])
            self.count.setText(translate(exc, current_language()))
            return
        entries = core.with_text(self._asked[1], chosen.text)
        current = self.table.currentIndex().data(ENTRY)
        scrolled = self.table.verticalScrollBar().value()
        self.model.set_entries(entries)
        self.count.setText(self.tr("%n highlight(s)", "", len(entries)))
        # Read again after a visit to the reader: the row chosen and the place in the list stay.
        if current is not None:
            row = next((i for i, e in enumerate(entries) if e.annotation.id == current.annotation.id), None)
            if row is not None:
                self.table.setCurrentIndex(self.model.index(row, COLUMNS.index("quote")))
        self.table.verticalScrollBar().setValue(scrolled)

    def refresh(self) -> None:
        """The library changed (or the window is shown again): new choices, new rows."""
        self._asked = None
        self._fill_choices()
        self.reload()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        # Highlights made, changed or deleted in the reader meanwhile show when the notebook is back.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self.store is not None:
            self.refresh()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            self.close()  # the reader's window is the one left active
        else:
            super().keyPressEvent(event)

    # --- opening and exporting ------------------------------------------------------------------

    def _open(self, index: QModelIndex) -> None:
        entry = index.data(ENTRY)
        if entry is not None:
            a = entry.annotation
            self.openHighlight.emit(a.post_id, a.start, a.end, a.orphan)

    def export(self) -> Path | None:
        """Ask where, then write the highlights shown, in their order, as Markdown or CSV (by
        the suffix chosen)."""
        md_filter, csv_filter = self.tr("Markdown (*.md)"), self.tr("CSV (*.csv)")
        start = (self.exported.parent if self.exported else Path.home()) / "kakikomi-notebook.md"
        chosen, selected_filter = QFileDialog.getSaveFileName(self, self.tr("Export the notebook"), str(start), f"{md_filter};;{csv_filter}")
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() not in (".md", ".csv"):
            target = target.with_name(target.name + (".csv" if selected_filter == csv_filter else ".md"))
        return self.export_to(target)

    def export_to(self, target: Path) -> Path | None:
        """Write the highlights shown to `target` (.csv: CSV, anything else: Markdown)."""
        try:
            if target.suffix.lower() == ".csv":
                written = core.export_notebook_csv(self.store, self.model.entries, target)
            else:
                written = core.export_notebook_markdown(self.store, self.model.entries, target)
        except (ExportError, StoreError) as exc:
            QMessageBox.warning(self, self.tr("Export failed"), plain(exc))
            return None
        self.exported = written
        self.count.setText(self.tr("Exported %n highlight(s) to %1", "", len(self.model.entries)).replace("%1", escape_surrogates(written.name)))
        return written


def show_notebook(window) -> NotebookWindow:
    """Open (or bring forward) `window`'s notebook; a row opens its post in `window`."""
    notebook = getattr(window, "notebook_window", None)
    if notebook is None:
        names = {color: window.highlights_panel.color_name(color) for color in COLORS}
        notebook = window.notebook_window = NotebookWindow(window.store, window, color_names=names)

        def open_highlight(post_id: int, start: int, end: int, orphan: bool) -> None:
            if orphan:
                window.open_post(post_id)
            else:
                window.open_match(post_id, "text", start, end)
            window.raise_()
            window.activateWindow()

        notebook.openHighlight.connect(open_highlight)
    else:
        notebook.store = window.store
        notebook.refresh()
    notebook.show()
    notebook.raise_()
    notebook.activateWindow()
    return notebook
