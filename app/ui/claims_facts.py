"""A claim's fact in the claims window: names for its metric and period, and the editors the
table gives the reader to correct the entity, metric and period of a claim.

Thin over app.core.claims: the metrics are app.core.claims.facts.METRICS (plus "other"), the
entities the names of the entity table, the periods those set_claim_fact accepts. Saving is the
model's (app.ui.claims_table), through app.core.library.actions.set_claim_fact.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QStyledItemDelegate

from app.core.claims.facts import METRICS

METRIC_KEYS: tuple[str, ...] = (*METRICS, "other")
# The periods app.core.claims.table.set_claim_fact accepts (letters in either case while typing).
PERIOD_PATTERN = r"(?:19|20)\d\d(?:[Qq][1-4]|[Hh][12])?|[Ff][Yy](?:19|20)\d\d|asof:\d{4}-\d{2}-\d{2}"
PERIOD_EXAMPLES = "2025, FY2025, 2025Q3, 2025H1, asof:2025-11-30"


class FactNames(QObject):
    """The names of metrics and periods in the UI language (one translation context for the
    table, the comparison and the timeline)."""

    def metric(self, metric: str | None) -> str:
        names = {
            "capex": self.tr("Capex / investment"), "revenue": self.tr("Revenue"),
            "operating_profit": self.tr("Operating profit"), "net_profit": self.tr("Net profit"),
            "valuation": self.tr("Market value / valuation"), "funding": self.tr("Funding raised"),
            "price": self.tr("Price"), "market_size": self.tr("Market size"), "subsidy": self.tr("Subsidy"),
            "other": self.tr("Other"),
        }
        return names.get(metric or "", metric or "")

    def period(self, period: str | None) -> str:
        if not period:
            return ""
        if period.startswith("asof:"):
            return self.tr("as of %1").replace("%1", period[5:]) if period[5:] else ""
        return period


_names: FactNames | None = None


def names() -> FactNames:
    global _names
    if _names is None:
        _names = FactNames()
    return _names


def metric_name(metric: str | None) -> str:
    """"Capex / investment" for "capex" (in the UI language); unknown metrics as they are."""
    return names().metric(metric)


def period_text(period: str | None) -> str:
    """A period for a person: "2025", "FY2025", "2025Q3", "as of 2025-02-03"."""
    return names().period(period)


def normalise_period(text: str) -> str:
    """What the reader typed, as set_claim_fact wants it: fy2025 -> FY2025, 2025q3 -> 2025Q3."""
    text = text.strip()
    return text if text.lower().startswith("asof:") else text.upper()


def entity_names() -> list[str]:
    """The companies' and chips' names of the entity table (the user's file merged), A–Z within each."""
    from app.core.claims.entities import load_entities

    table = load_entities()
    names_ = [e.name for kind in ("company", "chip") for e in sorted(table.entities, key=lambda e: e.name.casefold()) if e.kind == kind]
    return list(dict.fromkeys(names_))


class FactDelegate(QStyledItemDelegate):
    """Editors for the fact columns of the claims table: a list of metrics, a company or chip
    (chosen from the entity table or typed; empty for none) and a period checked as it is typed.
    The value goes to the model's setData (EditRole), which saves it.

    `refused(message)` when Return is pressed on a period that is not one yet (the editor stays
    open; Qt would ignore the key without a word)."""

    refused = Signal(str)

    def __init__(self, column_of, parent=None):
        super().__init__(parent)
        self.column_of = column_of  # index -> "entity", "metric", "period" or another column's name

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt override)
        column = self.column_of(index)
        if column == "metric":
            box = QComboBox(parent)
            for key in METRIC_KEYS:
                box.addItem(metric_name(key), key)
            return box
        if column == "entity":
            box = QComboBox(parent)
            box.setEditable(True)
            box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            box.addItem("")  # none
            box.addItems(entity_names())
            # Completed in place as it is typed (a popup would take the first Return for itself).
            box.completer().setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
            box.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            box.lineEdit().setPlaceholderText(self.tr("Company or chip (empty: none)"))
            return box
        if column == "period":
            edit = QLineEdit(parent)
            edit.setValidator(QRegularExpressionValidator(QRegularExpression(PERIOD_PATTERN), edit))
            edit.setPlaceholderText(PERIOD_EXAMPLES)
            edit.setToolTip(self.tr("A year (2025), a fiscal year (FY2025), a quarter (2025Q3), a half (2025H1) or a date (asof:2025-11-30)"))
            return edit
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor, index):  # noqa: N802 (Qt override)
        value = index.data(Qt.ItemDataRole.EditRole) or ""
        column = self.column_of(index)
        if column == "metric":
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif column == "entity":
            found = editor.findText(value, Qt.MatchFlag.MatchFixedString)
            if found >= 0:
                editor.setCurrentIndex(found)
            else:
                editor.setEditText(value)
            editor.lineEdit().selectAll()
        elif column == "period":
            editor.setText(value)
            editor.selectAll()
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):  # noqa: N802 (Qt override)
        column = self.column_of(index)
        if column == "metric":
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif column == "entity":
            model.setData(index, editor.currentText().strip(), Qt.ItemDataRole.EditRole)
        elif column == "period":
            model.setData(index, normalise_period(editor.text()), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def eventFilter(self, editor, event):  # noqa: N802 (Qt override)
        if (
            event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(editor, QLineEdit)
            and editor.validator() is not None
            and not editor.hasAcceptableInput()
        ):
            self.refused.emit(
                self.tr("“%1” is not a period yet: write a year (2025), FY2025, 2025Q3, 2025H1 or asof:2025-11-30.").replace(
                    "%1", editor.text())
            )
            return True
        return super().eventFilter(editor, event)

    def updateEditorGeometry(self, editor, option, index):  # noqa: N802 (Qt override)
        rect = option.rect
        rect.setWidth(max(rect.width(), editor.sizeHint().width()))
        editor.setGeometry(rect)


__all__ = [
    "FactDelegate", "FactNames", "METRIC_KEYS", "PERIOD_PATTERN", "entity_names", "metric_name", "normalise_period",
    "period_text",
]
