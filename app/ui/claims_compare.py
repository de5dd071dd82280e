"""The claims compared across posts, and drawn over time: two views of the claims window
(app.ui.claims_table).

`CompareView` lists the groups of app.core.claims.table.compare_claims — one entity's metric for
one period, from two posts or more — each said to agree or DISAGREE (a word and a colour), with
each post's figure under it; activating a figure opens its sentence in the reader (the window's
`openClaim`, as a double-click in the table does). `TimelineView` shows claims_timeline's SVG for
an entity (and a metric) and exports it as SVG or PNG, written atomically.

Post titles, quotes and entity names are untrusted: items show them as plain text, tooltips go
through app.ui.plain, and the SVG escapes them itself (app.core.claims.timeline).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.claims import table as claims_store
from app.core.claims.table import ClaimRow, format_amount
from app.core.common.fileio import write_atomic
from app.core.common.messages import translate
from app.core.store import Store, StoreError
from app.ui import theme
from app.ui.claims_facts import METRIC_KEYS, metric_name, period_text
from app.ui.i18n import current_language
from app.ui.plain import plain

COMPARE_COLUMNS = ("post", "figure", "range", "period", "differs", "sentence")
SENTENCE_CHARS = 200
FIGURE = Qt.ItemDataRole.UserRole  # a figure's ClaimRow (None on a group's row)
GROUP = Qt.ItemDataRole.UserRole + 1  # a group's app.core.claims.compare.Group
PNG_SCALE = 2  # the PNG is drawn at twice the SVG's size: sharp on a high-density screen


def _entities(rows: list[ClaimRow]) -> list[tuple[str, int]]:
    """The entities the claims' facts name, with how many claims name each, A–Z."""
    counts: dict[str, int] = {}
    for row in rows:
        if row.entity:
            counts[row.entity] = counts.get(row.entity, 0) + 1
    return sorted(counts.items(), key=lambda item: item[0].casefold())


def _fill_combo(box: QComboBox, choices: list[tuple[str, object]], all_label: str | None) -> None:
    """Fill a filter's choices (label, value), keeping the one chosen when it is still there."""
    chosen = box.currentData()
    box.blockSignals(True)
    box.clear()
    if all_label is not None:
        box.addItem(all_label, None)
    for label, value in choices:
        box.addItem(label, value)
    found = box.findData(chosen) if chosen is not None else -1
    box.setCurrentIndex(found if found >= 0 else 0)
    box.blockSignals(False)


def svg_to_png(svg: str, scale: int = PNG_SCALE) -> bytes:
    """The SVG drawing rendered into a PNG image (white behind it), `scale` times its size."""
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise ValueError("The chart could not be drawn as an image.")
    size = renderer.defaultSize()
    image = QImage(QSize(max(1, size.width() * scale), max(1, size.height() * scale)), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ValueError("The chart could not be saved as PNG.")
    return bytes(buffer.data())


class SvgChart(QWidget):
    """An SVG drawing scaled to the widget's size with its proportions kept (QSvgWidget stretches
    it: a dot becomes an ellipse), centred on the window's background."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._renderer = QSvgRenderer(self)
        self._renderer.repaintNeeded.connect(self.update)

    def renderer(self) -> QSvgRenderer:
        return self._renderer

    def load(self, data: QByteArray) -> bool:
        loaded = self._renderer.load(data)
        self.updateGeometry()
        self.update()
        return loaded

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self._renderer.defaultSize() if self._renderer.isValid() else QSize(760, 420)

    def drawn_rect(self) -> QRectF:
        """Where the drawing is painted: as large as fits, in its proportions, centred."""
        size = self._renderer.defaultSize()
        if size.isEmpty():
            return QRectF(self.rect())
        scale = min(self.width() / size.width(), self.height() / size.height())
        width, height = size.width() * scale, size.height() * scale
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt override)
        if not self._renderer.isValid():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self._renderer.render(painter, self.drawn_rect())
        painter.end()


class CompareView(QWidget):
    """The claims grouped by entity, metric and period across posts; see the module.

    `openClaim(post_id, start)` when a figure is activated (start is -1 for a claim whose text
    is gone). `stale` says the library changed since the groups were read (the window reads
    them again when the view is shown)."""

    openClaim = Signal(int, int)

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.stale = True
        self.rates = None  # app.core.claims.compare.Rates, read at each refresh
        self.groups: list = []
        self.rows: dict[str, ClaimRow] = {}
        self._sized = False  # columns fitted to the first groups shown, then left to the reader

        self.entity_box = QComboBox()
        self.entity_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.metric_box = QComboBox()
        self.metric_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.disagree_only = QCheckBox(self.tr("Disagreements only"))
        for box in (self.entity_box, self.metric_box):
            box.addItem(self.tr("All"), None)
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.disagree_only.toggled.connect(lambda _on: self.refresh())
        entity_label = QLabel(self.tr("Company or chip:"))
        entity_label.setBuddy(self.entity_box)
        metric_label = QLabel(self.tr("Metric:"))
        metric_label.setBuddy(self.metric_box)
        filters = QHBoxLayout()
        filters.addWidget(entity_label)
        filters.addWidget(self.entity_box)
        filters.addWidget(metric_label)
        filters.addWidget(self.metric_box)
        filters.addWidget(self.disagree_only)
        filters.addStretch(1)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COMPARE_COLUMNS))
        self.tree.setHeaderLabels([
            self.tr("Post"), self.tr("Figure as written"), self.tr("Range"), self.tr("Period stated"),
            self.tr("Differs from"), self.tr("Sentence"),
        ])
        self.tree.headerItem().setToolTip(4, self.tr("How many of the group's other figures this one neither overlaps nor comes within 10% of"))
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(60)
        for column in range(len(COMPARE_COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemSelectionChanged.connect(self._update_buttons)

        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.open_button = QPushButton(self.tr("Open in the Reader"))
        self.open_button.setToolTip(self.tr("Open the post at the sentence of the chosen figure"))
        self.open_button.clicked.connect(self.open_current)
        self.rates_button = QPushButton(self.tr("Exchange Rates…"))
        self.rates_button.setToolTip(self.tr("The approximate rates used to compare figures in different currencies"))
        self.rates_button.clicked.connect(self.edit_rates)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.rates_button)
        bottom.addWidget(self.open_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bottom)
        self._update_buttons()

    # --- reading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the groups again for the filters chosen (their choices too)."""
        from app.core.claims.compare import load_rates

        self.stale = False
        try:
            self.rates = load_rates()
            rows = claims_store.claims_table(self.store, sort="position")
            self.rows = {row.annotation_id: row for row in rows}
            _fill_combo(self.entity_box, [(f"{name} ({count})", name) for name, count in _entities(rows)], self.tr("All"))
            metrics = {row.metric for row in rows if row.entity and row.metric}
            _fill_combo(self.metric_box, [(metric_name(m), m) for m in METRIC_KEYS if m in metrics], self.tr("All"))
            groups = claims_store.compare_claims(
                self.store, entity=self.entity_box.currentData(), metric=self.metric_box.currentData(), rates=self.rates
            )
        except (StoreError, ValueError) as exc:
            self.groups = []
            self.tree.clear()
            self._say(exc, error=True)
            return
        if self.disagree_only.isChecked():
            groups = [g for g in groups if not g.agree]
        self.groups = groups
        self._fill()

    def _fill(self) -> None:
        current = self.tree.currentItem()
        chosen = current.data(0, FIGURE) if current is not None else None
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for group in self.groups:
            item = QTreeWidgetItem([self.group_text(group)])
            item.setData(0, GROUP, group)
            item.setData(0, FIGURE, None)
            item.setFont(0, bold)
            item.setForeground(0, QBrush(QColor(theme.colours().success if group.agree else theme.colours().error)))
            item.setToolTip(0, self.tr("The figures overlap or are within 10% of each other.") if group.agree
                            else self.tr("At least two figures neither overlap nor come within 10% of each other."))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(item)
            item.setFirstColumnSpanned(True)
            for figure in group.figures:
                item.addChild(self._figure_item(figure, group))
        self.tree.expandAll()
        if chosen is not None:  # the figure chosen before stays chosen (the window reads again on coming back)
            for item in self.figure_items():
                row = item.data(0, FIGURE)
                if row is not None and row.annotation_id == chosen.annotation_id:
                    self.tree.setCurrentItem(item)
                    self.tree.scrollToItem(item)
                    break
        if self.groups and not self._sized:
            for column in range(len(COMPARE_COLUMNS) - 1):
                self.tree.resizeColumnToContents(column)
            self.tree.setColumnWidth(0, min(self.tree.columnWidth(0), 260))
            self._sized = True
        disagreeing = sum(1 for g in self.groups if not g.agree)
        if self.groups:
            text = self.tr("Groups: %1, disagreeing: %2. Double-click a figure to open its sentence.").replace(
                "%1", str(len(self.groups))).replace("%2", str(disagreeing))
        else:
            text = self.tr("No company's figure for one metric and period is given by two posts or more.")
        self._say(f"{text} {self.rates_note()}")
        self._update_buttons()

    def _figure_item(self, figure, group) -> QTreeWidgetItem:
        from app.core.claims.compare import agrees

        row = self.rows.get(figure.claim or "")
        title = row.post_title if row else str(figure.post)
        if figure.currency == "%":
            span = f"{figure.low:g}%" if figure.low is not None else ""
        else:
            span = format_amount(figure.low, figure.high, figure.currency, None, figure.approx)
        others = [f for f in group.figures if f is not figure]
        differs = sum(1 for other in others if not agrees(figure, other, self.rates))
        differs_text = self.tr("✗ %1 of %2").replace("%1", str(differs)).replace("%2", str(len(others))) if differs else "—"
        sentence = " ".join(row.quote.split()) if row else ""
        if len(sentence) > SENTENCE_CHARS:
            sentence = sentence[:SENTENCE_CHARS] + "…"
        child = QTreeWidgetItem([title, figure.text, span, period_text(row.fact_period) if row else "", differs_text, sentence])
        child.setData(0, FIGURE, row)
        if differs:
            child.setForeground(4, QBrush(QColor(theme.colours().error)))
        if row is not None:
            child.setToolTip(0, plain(row.post_title, 500))
            child.setToolTip(5, plain(row.quote, 1000))
        child.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return child

    def group_text(self, group) -> str:
        """"✗ DISAGREE — Meta · Capex / investment · 2025 (3 posts)": the verdict in words first."""
        verdict = self.tr("✓ agree") if group.agree else self.tr("✗ DISAGREE")
        posts = len({f.post for f in group.figures})
        count = self.tr("%1 posts").replace("%1", str(posts))
        return f"{verdict} — {group.entity} · {metric_name(group.metric)} · {period_text(group.period)} ({count})"

    def edit_rates(self) -> None:
        """The rates dialog; what the reader saves applies to the groups at once."""
        dialog = RatesDialog(self)
        if dialog.exec():
            self.refresh()

    def rates_note(self) -> str:
        as_of = self.rates.as_of if self.rates else None
        if as_of:
            return self.tr("Figures in different currencies are compared at approximate exchange rates of %1.").replace("%1", as_of)
        return self.tr("Figures in different currencies are compared at approximate exchange rates.")

    def _say(self, message: object, *, error: bool = False) -> None:
        """Show `message` (text, or an error of the core: in the window's language)."""
        self.summary.setStyleSheet(f"color: {theme.colours().error};" if error else "")
        self.summary.setText(translate(message, current_language()))

    # --- choosing ---------------------------------------------------------------------------

    def set_filter(self, entity: str | None = None, metric: str | None = None) -> None:
        """Choose an entity and a metric (None: all); the groups follow."""
        for box, value in ((self.entity_box, entity), (self.metric_box, metric)):
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(value)) if value is not None else 0)
            box.blockSignals(False)
        self.refresh()

    def figure_items(self) -> list[QTreeWidgetItem]:
        return [self.tree.topLevelItem(i).child(j) for i in range(self.tree.topLevelItemCount())
                for j in range(self.tree.topLevelItem(i).childCount())]

    def _update_buttons(self) -> None:
        item = self.tree.currentItem()
        self.open_button.setEnabled(item is not None and item.data(0, FIGURE) is not None and item.isSelected())

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        row = item.data(0, FIGURE)
        if row is not None:
            self.openClaim.emit(row.post_id, -1 if row.orphan else row.start)

    def open_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self._activated(item)


class TimelineView(QWidget):
    """One entity's figures over time (claims_timeline's SVG), with Export… to SVG or PNG.

    `stale` as in CompareView."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.stale = True
        self.svg_text = ""
        self.exported: Path | None = None

        self.entity_box = QComboBox()
        self.entity_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.metric_box = QComboBox()
        self.metric_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.metric_box.addItem(self.tr("All"), None)
        for box in (self.entity_box, self.metric_box):
            box.currentIndexChanged.connect(lambda _i: self.draw())
        entity_label = QLabel(self.tr("Company or chip:"))
        entity_label.setBuddy(self.entity_box)
        metric_label = QLabel(self.tr("Metric:"))
        metric_label.setBuddy(self.metric_box)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Save the chart as SVG or PNG"))
        self.export_button.clicked.connect(lambda _checked=False: self.export())
        controls = QHBoxLayout()
        controls.addWidget(entity_label)
        controls.addWidget(self.entity_box)
        controls.addWidget(metric_label)
        controls.addWidget(self.metric_box)
        controls.addStretch(1)
        controls.addWidget(self.export_button)

        self.chart = SvgChart()
        self.chart.setMinimumSize(380, 210)
        self.empty = QLabel(self.tr("No claim names a company or chip yet: tag sentences as claims, or correct their company in the table."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result = QLabel()
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.result)
        self.empty.hide()

    def refresh(self) -> None:
        """Read the entities and metrics again, then draw."""
        self.stale = False
        try:
            rows = claims_store.claims_table(self.store, sort="position")
        except StoreError as exc:
            self._say(exc, error=True)
            return
        _fill_combo(self.entity_box, [(f"{name} ({count})", name) for name, count in _entities(rows)], None)
        metrics = {row.metric for row in rows if row.entity and row.metric}
        _fill_combo(self.metric_box, [(metric_name(m), m) for m in METRIC_KEYS if m in metrics], self.tr("All"))
        self.draw()

    def set_entity(self, entity: str, metric: str | None = None) -> bool:
        """Draw `entity`'s figures (of `metric`, None: all); False when no claim names it."""
        if self.stale:
            self.refresh()
        found = self.entity_box.findData(entity)
        if found < 0:
            return False
        for box, index in ((self.entity_box, found), (self.metric_box, max(0, self.metric_box.findData(metric)) if metric else 0)):
            box.blockSignals(True)
            box.setCurrentIndex(index)
            box.blockSignals(False)
        self.draw()
        return True

    def draw(self) -> None:
        entity = self.entity_box.currentData()
        has_chart = entity is not None
        self.chart.setVisible(has_chart)
        self.empty.setVisible(not has_chart)
        self.export_button.setEnabled(has_chart)
        if not has_chart:
            self.svg_text = ""
            return
        try:
            self.svg_text = claims_store.claims_timeline(self.store, entity, metric=self.metric_box.currentData())
        except (StoreError, ValueError) as exc:
            self.svg_text = ""
            self.export_button.setEnabled(False)
            self._say(exc, error=True)
            return
        self.chart.load(QByteArray(self.svg_text.encode("utf-8")))
        self._say("")

    def export(self, target: str | Path | None = None) -> Path | None:
        """Write the chart shown as SVG or PNG (by the suffix; asks where when no target is
        given), atomically; says where it went."""
        if not self.svg_text:
            return None
        svg_filter, png_filter = self.tr("SVG image (*.svg)"), self.tr("PNG image (*.png)")
        if target is None:
            start = (self.exported.parent if self.exported else Path.home()) / "kakikomi-timeline.svg"
            chosen, selected_filter = QFileDialog.getSaveFileName(
                self, self.tr("Export timeline"), str(start), f"{svg_filter};;{png_filter}"
            )
            if not chosen:
                return None
        else:
            chosen, selected_filter = str(target), ""
        path = Path(chosen)
        suffix = path.suffix.lower()
        if suffix not in (".svg", ".png"):
            suffix = ".png" if selected_filter == png_filter else ".svg"
            path = path.with_name(path.name + suffix)
        try:
            data = svg_to_png(self.svg_text) if suffix == ".png" else self.svg_text.encode("utf-8")
            written = write_atomic(path, data)
        except ValueError as exc:
            self._say(exc, error=True)
            return None
        except OSError as exc:
            self._say(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else exc, error=True)
            return None
        self.exported = Path(written)
        self._say(self.tr("Exported to %1").replace("%1", str(self.exported)))
        return self.exported

    def _say(self, message: object, *, error: bool = False) -> None:
        """Show `message` (text, or an error of the core: in the window's language)."""
        self.result.setStyleSheet(f"color: {theme.colours().error};" if error else "")
        self.result.setText(translate(message, current_language()))


__all__ = ["CompareView", "SvgChart", "TimelineView", "svg_to_png"]


class RatesDialog(QDialog):
    """The exchange rates used to compare figures (app.core.claims.compare): US dollars per unit of
    each currency, with their date; saved as the reader's own rates.tsv, or reset to the bundled."""

    def __init__(self, parent: QWidget | None = None, *, path: Path | None = None):
        from app.core.claims.compare import load_rates

        super().__init__(parent)
        self.setWindowTitle(self.tr("Exchange Rates"))
        self.path = path
        rates = load_rates(path)
        self.table = QTableWidget(len(rates.usd_per_unit), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Currency"), self.tr("US dollars per unit")])
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, (code, rate) in enumerate(sorted(rates.usd_per_unit.items())):
            code_item = QTableWidgetItem(code)
            code_item.setFlags(code_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, code_item)
            self.table.setItem(row, 1, QTableWidgetItem(f"{rate:g}"))
        self.as_of = QLineEdit(rates.as_of or "")
        self.as_of.setPlaceholderText("2026-01-05")
        date_label = QLabel(self.tr("As of:"))
        date_label.setBuddy(self.as_of)
        note = QLabel(self.tr("Approximate rates, used only to compare figures given in different currencies; a figure "
                              "is always shown as written."))
        note.setWordWrap(True)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet(f"color: {theme.colours().error};")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore)
        date_row = QHBoxLayout()
        date_row.addWidget(date_label)
        date_row.addWidget(self.as_of, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(date_row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(420, 480)

    def values(self) -> dict[str, float]:
        """The rates as typed; ValueError (one sentence) for one that is not a number."""
        out: dict[str, float] = {}
        for row in range(self.table.rowCount()):
            code = self.table.item(row, 0).text()
            text = (self.table.item(row, 1).text() if self.table.item(row, 1) else "").strip()
            try:
                out[code] = float(text)
            except ValueError:
                raise ValueError(self.tr("The rate of %1 is not a number.").replace("%1", code)) from None
        return out

    def save(self) -> None:
        from app.core.claims.compare import save_rates

        try:
            save_rates(self.values(), self.as_of.text(), self.path)
        except (ValueError, OSError) as exc:
            self.message.setText(translate(exc, current_language()))
            return
        self.accept()

    def restore(self) -> None:
        from app.core.claims.compare import reset_rates

        try:
            reset_rates(self.path)
        except OSError as exc:
            self.message.setText(translate(exc, current_language()))
            return
        self.accept()
