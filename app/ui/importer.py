"""Importing posts off the GUI thread, with a progress dialog that can be cancelled.

The worker opens its own connection to the library (an SQLite connection belongs to the thread
that made it) and calls the core's import_paths; the window hears about progress and the
report through signals, and shows the files that failed and why.

`WindowImports` is the window's side: the files and folders chosen (File › Open, Open Folder,
Open Recent), dropped, or given at start-up are imported, then the first one opened. One file
not in the library yet is shown at once, while it is imported (the import, whose search index
reads every word, takes longer than showing it), and becomes the open post when it is in.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.common.messages import as_message, translate
from app.core.common.text import escape_surrogates
from app.core.library.derived import open_library
from app.core.store import StoreError
from app.lazy import lazy_module
from app.ui.i18n import current_language
from app.ui.plain import plain

library = lazy_module("app.core.library.actions")
opening = lazy_module("app.core.library.opening")


class ImportWorker(QThread):
    """Imports `paths` into the library at `db_path`; emits progress, then `done` with the report."""

    progressed = Signal(int, int, str)  # number, total, file name
    done = Signal(object)  # library.ImportReport
    failed = Signal(object)  # the library could not be opened at all: one sentence (a core Message keeps its id)

    def __init__(self, db_path: Path, paths: Sequence[str], parent: QObject | None = None, *, known=None):
        super().__init__(parent)
        self.db_path = db_path
        self.paths = [str(p) for p in paths]
        self.known = known or {}  # files read (and rendered) already: not read again
        self._cancel = threading.Event()
        self.previewed = False  # the window shows the (one) file already, while it is imported

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:  # runs in the worker thread
        try:
            store = open_library(self.db_path, create=False)
        except StoreError as exc:
            self.failed.emit(as_message(exc))
            return
        try:
            report = library.import_paths(
                store,
                self.paths,
                progress=lambda number, total, path: self.progressed.emit(number, total, Path(path).name),
                cancelled=self._cancel.is_set,
                known=self.known,
            )
        except (library.ImportStopped, StoreError) as exc:  # a full disk midway: says how many were saved
            self.failed.emit(as_message(exc))
            return
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
        self.setLabelText(plain(self.tr("Importing %1 of %2: %3").replace("%1", str(number)).replace("%2", str(total)).replace("%3", name)))


class ImportErrors(QDialog):
    """The files that were not imported, each with the reason."""

    def __init__(self, errors: Sequence[tuple[str, str]], parent: QWidget | None = None):
        """`errors`: (path, reason) pairs; a reason of the core is shown in the window's language."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Some files were not imported"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("%n file(s) could not be imported:", "", len(errors))))
        self.table = QTreeWidget()
        self.table.setHeaderLabels([self.tr("File"), self.tr("Reason")])
        self.table.setRootIsDecorated(False)
        for path, reason in errors:
            item = QTreeWidgetItem([escape_surrogates(Path(path).name), escape_surrogates(translate(reason, current_language()))])
            item.setToolTip(0, plain(path))
            item.setToolTip(1, plain(reason))
            self.table.addTopLevelItem(item)
        self.table.resizeColumnToContents(0)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 320)


class WindowImports(QObject):
    """The window's imports (see the module). `window` is the MainWindow; `finished` carries each
    import's report (None when the library could not be opened)."""

    finished = Signal(object)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.workers: list[ImportWorker] = []
        self.previewing: str | None = None  # the file shown while it is imported; None once another post is opened

    def import_and_open(self, paths: list[str]) -> ImportWorker:
        """Import files and folders off the GUI thread (with a progress dialog that can be
        cancelled), then open the first post and list the files that failed."""
        window = self.window
        progress = None
        shown = self._preview(paths[0]) if len(paths) == 1 else None
        previewed = shown is not None
        # The file shown is imported from what was read and rendered to show it.
        known = {Path(shown.post.source_path).resolve(): (shown.post, shown.rendered.plain)} if shown is not None else None
        worker = ImportWorker(window.store.path, paths, window, known=known)
        worker.previewed = previewed
        if not previewed:
            progress = ImportProgress(worker, window)
        worker.done.connect(lambda report: self._done(worker, progress, report, paths))
        worker.failed.connect(lambda message: self._failed(worker, progress, message))
        self.workers.append(worker)
        worker.start()
        return worker

    def _preview(self, name: str):
        """Show the post file `name` before it is in the library (see the module); what was
        shown (an app.core.library.opening.Opened), or None."""
        window = self.window
        path = Path(name).expanduser()
        source = str(path.resolve())
        if not path.is_file() or window.store.post_by_path(source) is not None:
            return None
        try:
            opened = opening.open_file(path, window.reading_mode(), store=window.store, remote_allowed=window.settings.allow_remote_images)
        except (opening.PostError, StoreError, OSError):
            return None  # the import says what is wrong with it
        window.leave_shown_post()
        self.previewing = source
        window.show_opened(opened)
        return opened

    def _done(self, worker: ImportWorker, progress: ImportProgress | None, report, paths: list[str]) -> None:
        window = self.window
        self._forget(worker, progress)
        from app.core.posts.webpage import is_url

        for path in paths:
            # A web page is opened from the library, not from Open Recent. (A file name that is not
            # UTF-8 is kept too: the settings file writes it as JSON escapes.)
            if not is_url(path):
                window.settings.add_recent(str(Path(path).expanduser().resolve()))
        window.save_settings()
        window.refresh_posts()
        opened = (report.added + report.updated + report.unchanged)[:1]
        previewing, self.previewing = self.previewing, None
        if opened and worker.previewed:
            # Shown already: it becomes the open post, unless the reader went to another meanwhile.
            if previewing == window.store.post(opened[0]).source_path:
                window.adopt_shown_post(opened[0])
        elif opened:
            window.open_post(opened[0])
        if report.errors:
            ImportErrors(report.errors, window).open()
        if report.cancelled:
            window.statusBar().showMessage(self.tr("Import cancelled."), 5000)
        self.finished.emit(report)

    def _failed(self, worker: ImportWorker, progress: ImportProgress | None, message: object) -> None:
        self.previewing = None
        self._forget(worker, progress)
        QMessageBox.warning(self.window, self.tr("Import failed"), plain(message))
        self.finished.emit(None)

    def _forget(self, worker: ImportWorker, progress: ImportProgress | None) -> None:
        if progress is not None:
            progress.reset()
            progress.deleteLater()
        worker.wait()
        if worker in self.workers:
            self.workers.remove(worker)
        worker.deleteLater()

    def stop(self) -> None:
        """Cancel the imports under way and wait for their threads (the window closes)."""
        for worker in list(self.workers):
            worker.cancel()
            worker.wait()

    # --- choosing what to import ------------------------------------------------------------

    def open_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self.window, self.tr("Open posts"), self._start_folder(), self.tr("Posts (*.md *.markdown *.txt *.html *.htm)"))
        if files:
            self.import_and_open(files)

    def open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Open a folder of posts"), self._start_folder())
        if folder:
            self.import_and_open([folder])

    def import_url(self) -> None:
        """Ask for the address of a web page, then fetch it (now, because the reader asked),
        import it and open it; a page fetched again updates its post."""
        from PySide6.QtWidgets import QInputDialog

        from app.core.posts.webpage import is_url

        url, ok = QInputDialog.getText(self.window, self.tr("Import from URL"), self.tr("The address of a web page (http or https):"))
        url = url.strip()
        if not ok or not url:
            return
        if not is_url(url):
            QMessageBox.warning(self.window, self.tr("Import from URL"), self.tr("Only http and https addresses can be imported."))
            return
        self.import_and_open([url])

    def _start_folder(self) -> str:
        recent = self.window.settings.recent_files[:1]
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def fill_recent(self, menu) -> None:
        """Open Recent, as it opens: the recent files that still exist."""
        menu.clear()
        existing = [p for p in self.window.settings.recent_files if Path(p).exists()]
        for path in existing:
            action = menu.addAction(escape_surrogates(Path(path).name or path).replace("&", "&&"))
            action.setToolTip(plain(path))
            action.triggered.connect(lambda _c=False, p=path: self.import_and_open([p]))
        if not existing:
            empty = menu.addAction(self.tr("No recent files"))
            empty.setEnabled(False)
