"""Importing posts off the GUI thread, with a progress dialog that can be cancelled.

The worker opens its own connection to the library (an SQLite connection belongs to the thread
that made it) and calls the core's import_paths; the window hears about progress and the
report through signals, and shows the files that failed and why.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressDialog,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.lazy import lazy_module
from app.core.store import StoreError
from app.core.library.derived import open_library

library = lazy_module("app.core.library.actions")


class ImportWorker(QThread):
    """Imports `paths` into the library at `db_path`; emits progress, then `done` with the report."""

    progressed = Signal(int, int, str)  # number, total, file name
    done = Signal(object)  # library.ImportReport
    failed = Signal(str)  # the library could not be opened at all

    def __init__(self, db_path: Path, paths: Sequence[str], parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = db_path
        self.paths = [str(p) for p in paths]
        self._cancel = threading.Event()
        self.previewed = False  # the window shows the (one) file already, while it is imported

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:  # runs in the worker thread
        try:
            store = open_library(self.db_path, create=False)
        except StoreError as exc:
            self.failed.emit(str(exc))
            return
        try:
            report = library.import_paths(
                store,
                self.paths,
                progress=lambda number, total, path: self.progressed.emit(number, total, Path(path).name),
                cancelled=self._cancel.is_set,
            )
        except Exception as exc:  # noqa: BLE001 - the window must hear of it, not a dead thread
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        finally:
            store.close()
        self.done.emit(report)


class ImportProgress(QProgressDialog):
    """A cancellable progress dialog that follows an ImportWorker."""

    def __init__(self, worker: ImportWorker, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Importing posts"))
        self.setLabelText(self.tr("Looking for posts…"))
        self.setCancelButtonText(self.tr("Cancel"))
        self.setMinimumDuration(400)  # a single file comes and goes without a flash
        self.setRange(0, 0)
        self.setAutoClose(True)
        self.setAutoReset(False)
        worker.progressed.connect(self._on_progress)
        self.canceled.connect(worker.cancel)

    def _on_progress(self, number: int, total: int, name: str) -> None:
        self.setRange(0, total)
        self.setValue(number - 1)
        self.setLabelText(self.tr("Importing %1 of %2: %3").replace("%1", str(number)).replace("%2", str(total)).replace("%3", name))


class ImportErrors(QDialog):
    """The files that were not imported, each with the reason."""

    def __init__(self, errors: Sequence[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Some files were not imported"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("%n file(s) could not be imported:", "", len(errors))))
        self.table = QTreeWidget()
        self.table.setHeaderLabels([self.tr("File"), self.tr("Reason")])
        self.table.setRootIsDecorated(False)
        for path, reason in errors:
            item = QTreeWidgetItem([Path(path).name, reason])
            item.setToolTip(0, path)
            item.setToolTip(1, reason)
            self.table.addTopLevelItem(item)
        self.table.resizeColumnToContents(0)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 320)
