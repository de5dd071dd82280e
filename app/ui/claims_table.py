"""The claims window: every highlight tagged as a claim across the library, with its post, names,
amount, fact (entity, metric, period) and the status the reader gave it; sorted, filtered,
exported. Beside the table, the claims compared across posts and a timeline
(app.ui.claims_compare).

Thin over app.core.claims.table: filtering and sorting are `claims_table(...)` calls (amounts sort
within a currency there, never across one), statuses go through `set_claim_status`, a fact's
correction through `set_claim_fact` (one transaction per edit; app.ui.claims_facts has the
editors), and the export is `export_claims` with the filters shown. The table holds ClaimRow
values; an edit replaces its row with the one the core returns.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QDate, QDateTime, QLocale, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.claims import table as claims_store
from app.core.claims.table import STATUSES, ClaimRow
from app.core.common.messages import translate
from app.core.library import actions as library
from app.core.library import claims_export
from app.core.library.export import ExportError
from app.core.store import Store, StoreError
from app.ui import theme
from app.ui.claims_compare import CompareView, TimelineView
from app.ui.claims_facts import FactDelegate, metric_name, period_text
from app.ui.fonts import with_cjk_family
from app.ui.i18n import current_language
from app.ui.plain import plain

COLUMNS = ("quote", "post", "date", "companies", "chips", "amount", "entity", "metric", "period", "status")
# The columns of a claim's fact, editable by the reader (each the keyword of set_claim_fact).
FACT_COLUMNS = ("entity", "metric", "period")
VIEWS = ("table", "compare", "timeline")
# Columns claims_table() sorts by; the others are sorted here, by their text.
SORT_KEYS = {"quote": "quote", "post": "post", "date": "date", "amount": "amount", "status": "status"}
FILTERS = ("company", "chip", "tag", "year", "status", "currency")
ROW = Qt.ItemDataRole.UserRole
QUOTE_CHARS = 160


def status_color(status: str) -> str | None:
    """The colour a status is written in, the theme's (none for "unverified")."""
    colours = theme.colours()
    return {"confirmed": colours.success, "disputed": colours.error, "outdated": colours.muted}.get(status)


def shown_date(value: str | None, locale: QLocale | None = None) -> str:
    """A post's date (ISO 8601: a day, or a day and a time) as the reader's locale writes it
    short ("2025/12/22", "12/22/25 9:30 AM"; without a locale, "2025-12-22 09:30"); a value that
    is not such a date as it is."""
    if not value:
        return ""
    locale = locale or QLocale()
    # The C locale (no LANG set) writes "22 12 2025": the ISO order reads better there.
    formats = (("yyyy-MM-dd", "yyyy-MM-dd HH:mm") if locale.language() == QLocale.Language.C
               else (QLocale.FormatType.ShortFormat,) * 2)
    if len(value) > 10 and value[10] in "T ":
        moment = QDateTime.fromString(value, Qt.DateFormat.ISODate)
        if moment.isValid():
            # The time as the post wrote it (its own zone), not moved to this machine's.
            return locale.toString(QDateTime(moment.date(), moment.time()), formats[1])
    day = QDate.fromString(value[:10], Qt.DateFormat.ISODate)
    return locale.toString(day, formats[0]) if day.isValid() else value


class ClaimsModel(QAbstractTableModel):
    """ClaimRow values as table rows; the row itself is under ROW in every cell.

    The fact columns are editable: setData hands the value to `save_fact(claim, column, value)`
    (the window's, which saves it) and shows the row it returns (None: not saved)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.claims: list[ClaimRow] = []
        self.save_fact = None

    def set_claims(self, claims: list[ClaimRow]) -> None:
        self.beginResetModel()
        self.claims = list(claims)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.claims)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt override)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.column_title(COLUMNS[section])
        return None

    def column_title(self, column: str) -> str:
        return {
            "quote": self.tr("Quote"), "post": self.tr("Post"), "date": self.tr("Date"),
            "companies": self.tr("Companies"), "chips": self.tr("Chips"), "amount": self.tr("Amount"),
            "entity": self.tr("Company or chip"), "metric": self.tr("Metric"), "period": self.tr("Period"),
            "status": self.tr("Status"),
        }[column]

    def status_name(self, status: str) -> str:
        return {
            "unverified": self.tr("unverified"), "confirmed": self.tr("confirmed"),
            "disputed": self.tr("disputed"), "outdated": self.tr("outdated"),
        }.get(status, status)

    def text(self, claim: ClaimRow, column: str) -> str:
        """What the cell shows."""
        if column == "quote":
            quote = " ".join(claim.quote.split())
            return quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS] + "…"
        if column == "post":
            return claim.post_title
        if column == "date":
            return shown_date(claim.post_date)
        if column == "companies":
            return ", ".join(claim.companies)
        if column == "chips":
            return ", ".join(claim.chips)
        if column == "amount":
            return claim.amount_text
        if column == "entity":
            return claim.entity or ""
        if column == "metric":
            return metric_name(claim.metric)
        if column == "period":
            return period_text(claim.fact_period)
        status = self.status_name(claim.status)
        return f"{status} ✎" if claim.status_note else status

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        claim = self.claims[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(claim, column)
        if role == ROW:
            return claim
        if role == Qt.ItemDataRole.EditRole and column in FACT_COLUMNS:
            return {"entity": claim.entity or "", "metric": claim.metric or "other", "period": claim.fact_period or ""}[column]
        if role == Qt.ItemDataRole.FontRole and column in FACT_COLUMNS and claim.fact_edited:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in FACT_COLUMNS:
                return (self.tr("You corrected this claim's fact (company or chip, metric or period). Double-click or press F2 to change it.") if claim.fact_edited
                        else self.tr("Read from the sentence. Double-click or press F2 to correct it."))
            if column == "status" and claim.status_note:
                return plain(claim.status_note)
            if column == "date" and claim.post_date:
                return plain(claim.post_date)  # as the post states it
            if column == "quote":
                orphan = "\n\n" + self.tr("Its text changed in the post: re-attach the highlight.") if claim.orphan else ""
                return plain(claim.quote[:1000] + orphan)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "status" and (color := status_color(claim.status)):
                return QBrush(QColor(color))
            if claim.orphan:
                return QBrush(QColor(theme.colours().muted))
            if column in FACT_COLUMNS and claim.fact_edited:
                return QBrush(QColor(theme.colours().edited))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "amount":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index):
        flags = super().flags(index)
        if index.isValid() and COLUMNS[index.column()] in FACT_COLUMNS and self.save_fact is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802 (Qt override)
        """A fact corrected in its editor: saved (unless unchanged), its row replaced by the saved one."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.save_fact is None:
            return False
        column = COLUMNS[index.column()]
        if column not in FACT_COLUMNS or value is None or value == self.data(index, Qt.ItemDataRole.EditRole):
            return False
        if column == "period" and not value:
            return False  # a period cannot be taken away, only corrected
        row = index.row()
        saved = self.save_fact(self.claims[row], column, value)
        if saved is None or row >= len(self.claims) or self.claims[row].annotation_id != saved.annotation_id:
            return False
        self.claims[row] = saved
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return True


class ClaimsWindow(QMainWindow):
    """The library's claims in a table with filters; not modal.

    `openClaim(post_id, start)` on a double-click (start is -1 for a claim whose text is gone),
    in the table or on a figure of the comparison; `statusChanged(annotation_id)` after a status
    or its note was set; `factChanged(annotation_id)` after its entity, metric or period was.
    Three views in tabs: the table, the comparison across posts and the timeline."""

    openClaim = Signal(int, int)
    statusChanged = Signal(str)
    factChanged = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.exported: Path | None = None
        self._sized = False
        self.setWindowTitle(self.tr("Claims — Kakikomi"))
        self.setFont(with_cjk_family(self.font()))  # one family for kana, kanji and the Latin between
        self.resize(1100, 600)
        self._build()
        self.reload()

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.filters: dict[str, QComboBox] = {}
        filter_row = QHBoxLayout()
        labels = {
            "company": self.tr("Company:"), "chip": self.tr("Chip:"), "tag": self.tr("Tag:"),
            "year": self.tr("Year:"), "status": self.tr("Status:"), "currency": self.tr("Currency:"),
        }
        for name in FILTERS:
            box = QComboBox()
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.addItem(self.tr("All"), None)
            box.currentIndexChanged.connect(lambda _i: self.refresh())
            label = QLabel(labels[name])
            label.setBuddy(box)
            filter_row.addWidget(label)
            filter_row.addWidget(box)
            self.filters[name] = box
        filter_row.addStretch(1)
        self.clear_button = QPushButton(self.tr("Show All"))
        self.clear_button.setToolTip(self.tr("Clear the filters"))
        self.clear_button.clicked.connect(self.clear_filters)
        filter_row.addWidget(self.clear_button)

        self.model = ClaimsModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # The fact columns: a double-click or F2 edits (elsewhere a double-click opens the post).
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.model.save_fact = self.save_fact
        self.fact_delegate = FactDelegate(lambda index: COLUMNS[index.column()], self.view)
        self.fact_delegate.refused.connect(lambda message: self._show_result(message, error=True))
        for column in FACT_COLUMNS:
            self.view.setItemDelegateForColumn(COLUMNS.index(column), self.fact_delegate)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(COLUMNS.index("amount"), Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(lambda _section, _order: self.refresh())
        header.setSectionResizeMode(COLUMNS.index("quote"), QHeaderView.ResizeMode.Stretch)
        # Fitting columns measures every cell: the first rows are enough to size them.
        header.setResizeContentsPrecision(60)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

        self.status_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)  # none checked: mixed statuses
        for status in STATUSES:
            action = QAction(self.tr("Mark as %1").replace("%1", self.model.status_name(status)), self, checkable=True)
            action.triggered.connect(lambda _c=False, s=status: self.set_status(s))
            group.addAction(action)
            self.status_actions[status] = action
        self.note_action = QAction(self.tr("Edit Status &Note…"), self)
        self.note_action.triggered.connect(self.edit_note)
        self.open_action = QAction(self.tr("&Open in the Reader"), self)
        self.open_action.triggered.connect(self.open_current)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

        self.status_box = QComboBox()
        self.status_box.setToolTip(self.tr("The status of the selected claims"))
        for status in STATUSES:
            self.status_box.addItem(self.model.status_name(status), status)
        self.status_box.activated.connect(lambda _i: self.set_status(self.status_box.currentData()))
        self.note_button = QPushButton(self.tr("Note…"))
        self.note_button.setToolTip(self.tr("Why the claim has this status: a source, a correction"))
        self.note_button.clicked.connect(self.edit_note)
        self.count_label = QLabel()
        self.result_label = QLabel()
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Save the claims shown as CSV or Markdown"))
        self.export_button.clicked.connect(self.export)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(self.tr("Status:")))
        bottom.addWidget(self.status_box)
        bottom.addWidget(self.note_button)
        bottom.addSpacing(12)
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.result_label, 1)
        bottom.addWidget(self.export_button)

        table_page = QWidget()
        layout = QVBoxLayout(table_page)
        layout.addLayout(filter_row)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        self.compare = CompareView(self.store)
        self.compare.openClaim.connect(self.openClaim)
        self.timeline = TimelineView(self.store)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(table_page, self.tr("Claims"))
        self.tabs.addTab(self.compare, self.tr("Compare"))
        self.tabs.addTab(self.timeline, self.tr("Timeline"))
        self.tabs.setTabToolTip(1, self.tr("The same company's figure for the same period, side by side across posts"))
        self.tabs.setTabToolTip(2, self.tr("A company's or chip's figures over time, as a chart"))
        self.tabs.currentChanged.connect(lambda _i: self._refresh_view())
        self.setCentralWidget(self.tabs)

    def show_view(self, name: str) -> None:
        """Show one of VIEWS: "table", "compare" or "timeline"."""
        self.tabs.setCurrentIndex(VIEWS.index(name))

    def current_view(self) -> str:
        return VIEWS[self.tabs.currentIndex()]

    def _refresh_view(self) -> None:
        """The comparison or the timeline, read again when shown after a change."""
        view = {"compare": self.compare, "timeline": self.timeline}.get(self.current_view())
        if view is not None and view.stale:
            view.refresh()

    # --- querying ---------------------------------------------------------------------------

    def current_filters(self) -> dict:
        """The filters chosen, as claims_table() keywords (those left at "All" are left out)."""
        return {name: box.currentData() for name, box in self.filters.items() if box.currentData() is not None}

    def sort_column(self) -> tuple[str, bool]:
        header = self.view.horizontalHeader()
        return COLUMNS[header.sortIndicatorSection()], header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    def reload(self) -> None:
        """Read the library again: the filters' choices, then the rows."""
        try:
            facets = claims_store.claim_facets(self.store)
        except StoreError as exc:
            self._show_result(exc, error=True)
            return
        for name in FILTERS:
            box = self.filters[name]
            chosen = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(self.tr("All"), None)
            for value, count in facets.get(name, []):
                label = self.model.status_name(value) if name == "status" else f"#{value}" if name == "tag" else str(value)
                box.addItem(f"{label} ({count})", value)
            box.setCurrentIndex(max(0, box.findData(chosen)) if chosen is not None else 0)
            box.blockSignals(False)
        self.refresh()
        self.compare.stale = self.timeline.stale = True
        self._refresh_view()

    def refresh(self) -> None:
        """Ask the core again for the rows the filters and the sort column describe; the selected
        claims stay selected when they are still shown."""
        column, descending = self.sort_column()
        selected = {claim.annotation_id for claim in self.selected()}
        try:
            if column in SORT_KEYS:
                rows = claims_store.claims_table(self.store, sort=SORT_KEYS[column], descending=descending, **self.current_filters())
            else:
                rows = claims_store.claims_table(self.store, sort="post", **self.current_filters())
                rows.sort(key=lambda row: (not self.model.text(row, column), self.model.text(row, column).casefold()), reverse=descending)
        except StoreError as exc:
            self._show_result(exc, error=True)
            return
        self.model.set_claims(rows)
        if not self._sized and rows:
            self.view.resizeColumnsToContents()  # once: columns that jump at each filter are hard to read
            self._sized = True
        self._select_ids(selected)
        self.count_label.setText(self.tr("Claims shown: %1").replace("%1", str(len(rows))))
        self._update_actions()

    def clear_filters(self) -> None:
        for box in self.filters.values():
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.refresh()

    def set_filter(self, name: str, value) -> None:
        """Choose `value` in the `name` filter (None: all); the table follows."""
        box = self.filters[name]
        box.setCurrentIndex(max(0, box.findData(value)) if value is not None else 0)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # Highlights tagged in the reader meanwhile show up when the reader comes back here.
        # Not while a fact is being edited: the editor would go with the rows.
        if event.type() == event.Type.ActivationChange and self.isActiveWindow() and not self._editing():
            self.reload()
        super().changeEvent(event)

    def _editing(self) -> bool:
        return self.view.state() == QAbstractItemView.State.EditingState

    # --- selection --------------------------------------------------------------------------

    def selected(self) -> list[ClaimRow]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.claims[row] for row in rows if row < len(self.model.claims)]

    def _select_ids(self, ids: set[str]) -> None:
        selection = self.view.selectionModel()
        selection.clearSelection()
        for row, claim in enumerate(self.model.claims):
            if claim.annotation_id in ids:
                selection.select(
                    self.model.index(row, 0),
                    selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                )

    def select_claim(self, annotation_id: str) -> bool:
        """Select the row of one claim; False when it is not shown."""
        self._select_ids({annotation_id})
        return any(c.annotation_id == annotation_id for c in self.selected())

    def _update_actions(self) -> None:
        chosen = self.selected()
        for widget in (self.status_box, self.note_button, self.note_action, self.open_action, *self.status_actions.values()):
            widget.setEnabled(bool(chosen))
        if chosen:
            statuses = {claim.status for claim in chosen}
            only = statuses.pop() if len(statuses) == 1 else None
            self.status_box.setCurrentIndex(max(0, self.status_box.findData(only)) if only else -1)
            for status, action in self.status_actions.items():
                action.setChecked(status == only)

    def _context_menu(self, position) -> None:
        index = self.view.indexAt(position)
        if index.isValid() and not self.view.selectionModel().isRowSelected(index.row(), QModelIndex()):
            self.view.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.open_action)
        menu.addSeparator()
        for action in self.status_actions.values():
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.note_action)
        menu.exec(self.view.viewport().mapToGlobal(position))

    # --- actions ----------------------------------------------------------------------------

    def _double_clicked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid() and COLUMNS[index.column()] not in FACT_COLUMNS:  # those are edited
            self._open(self.model.claims[index.row()])

    def open_current(self) -> None:
        chosen = self.selected()
        if chosen:
            self._open(chosen[0])

    def _open(self, claim: ClaimRow) -> None:
        self.openClaim.emit(claim.post_id, -1 if claim.orphan else claim.start)

    def set_status(self, status: str, note: str | None = None) -> None:
        """Give the selected claims `status` (and `note`, when given); the table is read again."""
        chosen = self.selected()
        for claim in chosen:
            try:
                library.set_claim_status(self.store, claim.annotation_id, status, note)
            except (StoreError, ValueError) as exc:
                QMessageBox.warning(self, self.tr("Claim status"), plain(exc))
                break
            self.statusChanged.emit(claim.annotation_id)
        self.refresh()

    def save_fact(self, claim: ClaimRow, column: str, value: str) -> ClaimRow | None:
        """Correct one field of a claim's fact (`column` is "entity", "metric" or "period"; an
        empty entity means none); the saved row, or None after saying why it was not saved."""
        try:
            saved = library.set_claim_fact(self.store, claim.annotation_id, **{column: value})
        except (StoreError, ValueError) as exc:
            self._show_result(exc, error=True)
            return None
        shown = {"entity": saved.entity or "—", "metric": metric_name(saved.metric), "period": period_text(saved.fact_period)}[column]
        self._show_result(self.tr("Saved: %1 is now %2.").replace("%1", self.model.column_title(column)).replace("%2", shown))
        self.compare.stale = self.timeline.stale = True
        self.factChanged.emit(claim.annotation_id)
        return saved

    def edit_fact(self, annotation_id: str, column: str) -> bool:
        """Open the editor of one claim's `column` (a fact column) as F2 would; False when the
        claim is not shown."""
        if not self.select_claim(annotation_id):
            return False
        row = next(i for i, c in enumerate(self.model.claims) if c.annotation_id == annotation_id)
        index = self.model.index(row, COLUMNS.index(column))
        self.view.setCurrentIndex(index)
        self.view.edit(index)
        return True

    def edit_note(self) -> None:
        """Ask for the note of the selected claims' status (the first one's note to start from)."""
        chosen = self.selected()
        if not chosen:
            return
        first = chosen[0]
        text, ok = QInputDialog.getMultiLineText(
            self, self.tr("Status note"), self.tr("Why is this claim %1?").replace("%1", self.model.status_name(first.status)),
            first.status_note,
        )
        if not ok:
            return
        for claim in chosen:
            try:
                library.set_claim_status(self.store, claim.annotation_id, claim.status, text)
            except (StoreError, ValueError) as exc:
                QMessageBox.warning(self, self.tr("Claim status"), plain(exc))
                break
            self.statusChanged.emit(claim.annotation_id)
        self.refresh()

    def export(self) -> Path | None:
        """Ask where, then write the claims the filters show, in the table's order, as CSV or
        Markdown (by the suffix chosen); says where they went."""
        csv_filter, md_filter = self.tr("CSV (*.csv)"), self.tr("Markdown (*.md)")
        start = (self.exported.parent if self.exported else Path.home()) / "kakikomi-claims.csv"
        chosen, selected_filter = QFileDialog.getSaveFileName(
            self, self.tr("Export claims"), str(start), f"{csv_filter};;{md_filter}"
        )
        if not chosen:
            return None
        target = Path(chosen)
        suffix = target.suffix.lower()
        if suffix not in (".csv", ".md"):
            suffix = ".md" if selected_filter == md_filter else ".csv"
            target = target.with_name(target.name + suffix)
        column, descending = self.sort_column()
        order = {"sort": SORT_KEYS[column], "descending": descending} if column in SORT_KEYS else {}
        try:
            written = claims_export.export_claims(self.store, target, suffix[1:], **self.current_filters(), **order)
        except (ExportError, StoreError, ValueError) as exc:
            self._show_result(exc, error=True)
            return None
        except OSError as exc:
            self._show_result(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else exc, error=True)
            return None
        self.exported = Path(written)
        self._show_result(self.tr("Exported to %1").replace("%1", str(self.exported)))
        return self.exported

    def _show_result(self, message: object, *, error: bool = False) -> None:
        """Show `message` (text, or an error of the core: in the window's language)."""
        self.result_label.setStyleSheet(f"color: {theme.colours().error};" if error else "")
        self.result_label.setText(plain(message))
        self.statusBar().showMessage(translate(message, current_language()), 10000)


__all__ = ["ClaimsModel", "ClaimsWindow", "COLUMNS", "FACT_COLUMNS", "VIEWS"]
