"""The export dialog: which posts, which format, where to; then where the files went.

Thin over app.core.library.export and app.core.library.webanno: the dialog only gathers an ExportRequest and
hands it to `run_export`, which calls the core exactly as `kakikomi export` does. The export runs
in a worker thread with its own connection to the library (an SQLite connection belongs to the
thread that made it): a whole library can be ten thousand files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.common.messages import as_message, translate
from app.core.library.derived import open_library
from app.core.library.export import FURIGANA_STYLES, GROUPINGS, ExportError, export_csv, export_markdown
from app.core.library.webanno import export_json
from app.core.store import Store, StoreError
from app.ui import theme
from app.ui.i18n import current_language
from app.ui.plain import make_plain

FORMATS = ("md", "json", "csv")
SUFFIXES = {"md": ".md", "json": ".json", "csv": ".csv"}
DEFAULT_STEM = "kakikomi-highlights"

# A QThread destroyed while it runs takes the whole application down: the Python reference to
# a worker lives here until its dialog has heard `finished` (forever if the dialog went first).
_RUNNING: set[QThread] = set()


@dataclass(frozen=True)
class ExportRequest:
    """One export as `kakikomi export` would run it. `post_ids` None means every post with
    highlights; `one_file` matters for Markdown only (False: `target` is a folder)."""

    format: str
    target: Path
    post_ids: tuple[int, ...] | None = None
    furigana: str = "none"
    group_by: str = "position"
    one_file: bool = True

    @property
    def folder(self) -> Path:
        """The folder the files go into (the one to open afterwards)."""
        return self.target if self.format == "md" and not self.one_file else self.target.parent


def run_export(store: Store, request: ExportRequest) -> list[Path]:
    """Do the export with the core's functions; returns the files written. Raises ExportError."""
    post_ids = list(request.post_ids) if request.post_ids is not None else None
    if request.format == "md":
        return export_markdown(
            store, request.target, post_ids=post_ids, furigana=request.furigana, group_by=request.group_by,
            one_file=request.one_file,
        )
    if request.format == "json":
        return [export_json(store, request.target, post_ids=post_ids)]
    if request.format == "csv":
        return [export_csv(store, request.target, post_ids=post_ids)]
    raise ExportError(f"Unknown export format {request.format!r}.")


class ExportWorker(QThread):
    """Runs one ExportRequest on its own connection to the library at `db_path`.

    When `finished` fires, exactly one of `written` (the paths) and `error` (one sentence for
    the user, a core Message keeping its id) is set; they are read only after that, in the GUI
    thread."""

    def __init__(self, db_path: Path, request: ExportRequest, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.request = request
        self.written: list[Path] | None = None
        self.error: str | None = None

    def run(self) -> None:  # runs in the worker thread: no widget is touched here
        try:
            store = open_library(self.db_path, create=False)
        except StoreError as exc:
            self.error = as_message(exc)
            return
        try:
            self.written = run_export(store, self.request)
        except (ExportError, StoreError) as exc:
            self.error = as_message(exc)
        except OSError as exc:
            self.error = f"{exc.strerror or exc}: {exc.filename}" if exc.filename else as_message(exc)
        except Exception as exc:  # noqa: BLE001 - the dialog must hear of it, not a dead thread
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            store.close()


class ExportDialog(QDialog):
    """Scope, format, Markdown options and destination; runs the export off the GUI thread,
    then shows where the files went with a button that opens their folder.

    `exported` carries the written paths (as strings); `last_folder` is where the last export
    went (or the folder given at construction), for the window to remember; `open_url` is the
    function that opens the folder (tests replace it).
    """

    exported = Signal(list)

    def __init__(
        self, store: Store, current_post_id: int | None, parent: QWidget | None = None, *, last_folder: str | None = None
    ):
        super().__init__(parent)
        self.store = store
        self.current_post_id = current_post_id
        self.last_folder = last_folder
        self.open_url = QDesktopServices.openUrl
        self.written: list[Path] = []
        self._worker: ExportWorker | None = None
        self._request: ExportRequest | None = None
        self._result_folder: Path | None = None
        self._post_stem = self._stem_of(current_post_id)
        # The destination follows the options until the reader types or chooses one.
        self._follow_options = True
        self.setWindowTitle(self.tr("Export highlights"))
        self._build()
        self._update_options()

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.scope_this = QRadioButton(self.tr("This post"))
        self.scope_all = QRadioButton(self.tr("All posts with highlights"))
        self.scope_group = QButtonGroup(self)
        for button in (self.scope_this, self.scope_all):
            self.scope_group.addButton(button)
        if self._post_stem is None:
            self.scope_this.setEnabled(False)
            self.scope_this.setToolTip(self.tr("Open a post to export only its highlights."))
            self.scope_all.setChecked(True)
        else:
            self.scope_this.setChecked(True)
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.scope_this)
        scope_row.addWidget(self.scope_all)
        scope_row.addStretch(1)

        self.format_box = QComboBox()
        for value, label in zip(
            FORMATS, (self.tr("Markdown (Obsidian)"), self.tr("JSON (W3C Web Annotation)"), self.tr("CSV (spreadsheets)"))
        ):
            self.format_box.addItem(label, value)

        self.furigana_box = QComboBox()
        furigana_labels = {"none": self.tr("None"), "aozora": self.tr("漢字《かんじ》 (Aozora Bunko)"), "ruby": self.tr("<ruby> (HTML)")}
        for value in FURIGANA_STYLES:
            self.furigana_box.addItem(furigana_labels.get(value, value), value)
        self.grouping_box = QComboBox()
        grouping_labels = {"position": self.tr("By position in the post"), "tag": self.tr("By tag")}
        for value in GROUPINGS:
            self.grouping_box.addItem(grouping_labels.get(value, value), value)
        self.per_post = QRadioButton(self.tr("One file per post (in a folder)"))
        self.one_file = QRadioButton(self.tr("One file"))
        self.layout_group = QButtonGroup(self)
        for button in (self.per_post, self.one_file):
            self.layout_group.addButton(button)
        self.per_post.setChecked(True)
        self.files_row = QWidget()
        files_layout = QHBoxLayout(self.files_row)
        files_layout.setContentsMargins(0, 0, 0, 0)
        files_layout.addWidget(self.per_post)
        files_layout.addWidget(self.one_file)
        files_layout.addStretch(1)
        self.markdown_options = QGroupBox(self.tr("Markdown"))
        markdown_form = QFormLayout(self.markdown_options)
        markdown_form.addRow(self.tr("Furigana in quotes:"), self.furigana_box)
        markdown_form.addRow(self.tr("Order:"), self.grouping_box)
        markdown_form.addRow(self.tr("Files:"), self.files_row)

        self.destination = QLineEdit()
        self.destination.textEdited.connect(self._on_destination_edited)
        self.choose_button = QPushButton(self.tr("Choose…"))
        self.choose_button.clicked.connect(self.choose_destination)
        destination_row = QHBoxLayout()
        destination_row.addWidget(self.destination, 1)
        destination_row.addWidget(self.choose_button)

        form = QFormLayout()
        form.addRow(self.tr("Highlights of:"), scope_row)
        form.addRow(self.tr("Format:"), self.format_box)
        form.addRow(self.markdown_options)
        form.addRow(self.tr("Save to:"), destination_row)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no steps to count: the core writes the files in one call
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {theme.colours().error};")
        self.error_label.hide()
        self.result_label = QLabel()
        make_plain(self.error_label, self.result_label)  # they name files and say what went wrong
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.hide()
        self.open_folder_button = QPushButton(self.tr("Open folder"))
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_folder_button.hide()
        result_row = QHBoxLayout()
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.open_folder_button)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.error_label)
        layout.addLayout(result_row)
        layout.addWidget(self.buttons)

        self.format_box.currentIndexChanged.connect(lambda _i: self._update_options())
        for group in (self.scope_group, self.layout_group):
            group.buttonToggled.connect(lambda _b, _checked: self._update_options())
        self.resize(560, self.sizeHint().height())

    def _stem_of(self, post_id: int | None) -> str | None:
        if post_id is None:
            return None
        try:
            post = self.store.post(post_id)
        except StoreError:
            return None
        return Path(post.source_path).stem or f"post-{post.id}"

    # --- options ----------------------------------------------------------------------------

    @property
    def format(self) -> str:
        return self.format_box.currentData()

    def set_format(self, value: str) -> None:
        self.format_box.setCurrentIndex(self.format_box.findData(value))

    @property
    def whole_library(self) -> bool:
        return self.scope_all.isChecked()

    def _per_post_folder(self) -> bool:
        return self.format == "md" and self.whole_library and self.per_post.isChecked()

    def _update_options(self) -> None:
        markdown = self.format == "md"
        self.markdown_options.setVisible(markdown)
        self.markdown_options.setEnabled(markdown)
        self.files_row.setEnabled(markdown and self.whole_library)
        label = self.markdown_options.layout().labelForField(self.files_row)
        for widget in (self.files_row, label):
            if widget is not None:
                widget.setVisible(self.whole_library)
        self.destination.setPlaceholderText(
            self.tr("A folder for the Markdown files") if self._per_post_folder() else self.tr("A file")
        )
        if self._follow_options:
            self.destination.setText(str(self.default_destination()))

    def _on_destination_edited(self, _text: str) -> None:
        self._follow_options = False  # the reader's own choice: options no longer move it

    def _base_folder(self) -> Path:
        if self.last_folder and Path(self.last_folder).expanduser().is_dir():
            return Path(self.last_folder).expanduser()
        return Path.home()

    def default_destination(self) -> Path:
        """Where the export goes unless the reader says otherwise: in `last_folder` (else the home
        folder), a `kakikomi-highlights` folder or file, or a file named after the post."""
        if self._per_post_folder():
            return self._base_folder() / DEFAULT_STEM
        stem = self._post_stem if not self.whole_library and self._post_stem else DEFAULT_STEM
        return self._base_folder() / f"{stem}{SUFFIXES[self.format]}"

    def choose_destination(self) -> None:
        """Ask for a folder (one Markdown file per post) or a file name, starting at the current one."""
        start = self._dialog_start()
        if self._per_post_folder():
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Export into folder"), str(start))
        else:
            filters = {
                "md": self.tr("Markdown (*.md)"), "json": self.tr("JSON (*.json)"), "csv": self.tr("CSV (*.csv)"),
            }
            # Re-exporting into a Markdown file keeps what the reader wrote around our part:
            # asking "replace it?" would suggest otherwise.
            options = QFileDialog.Option.DontConfirmOverwrite if self.format == "md" else QFileDialog.Option(0)
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Export to file"), str(start), filters[self.format], "", options
            )
        if chosen:
            self.destination.setText(chosen)
            self._follow_options = False

    def _dialog_start(self) -> Path:
        """Where the file dialog opens: the destination if it suits the format, else the suggested
        name in the destination's folder."""
        current = self._target_from_text() or self.default_destination()
        if self._per_post_folder():
            return current.parent if current.suffix.lower() == ".md" else current
        if current.suffix.lower() == SUFFIXES[self.format]:
            return current
        folder = current if current.is_dir() else current.parent
        return folder / self.default_destination().name

    def _target_from_text(self) -> Path | None:
        text = self.destination.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.is_absolute() else self._base_folder() / path

    def request(self) -> ExportRequest | None:
        """The export the options describe, or None after showing why it cannot run."""
        target = self._target_from_text()
        if target is None:
            self._show_error(self.tr("Choose where to save the export."))
            return None
        per_post = self._per_post_folder()
        if per_post and target.suffix.lower() == ".md":
            self._show_error(self.tr("For one file per post, choose a folder, not a .md file."))
            return None
        if not per_post and target.is_dir():
            self._show_error(self.tr("%1 is a folder; choose a file name.").replace("%1", str(target)))
            return None
        post_ids = None if self.whole_library else (self.current_post_id,)
        if self.format == "md":
            return ExportRequest(
                "md", target, post_ids, self.furigana_box.currentData(), self.grouping_box.currentData(), not per_post
            )
        return ExportRequest(self.format, target, post_ids)

    # --- running ----------------------------------------------------------------------------

    @property
    def is_busy(self) -> bool:
        return self._worker is not None

    def export(self) -> bool:
        """Start the export in a worker thread; False when the options are incomplete or one runs."""
        if self._worker is not None:
            return False
        self._clear_messages()
        request = self.request()
        if request is None:
            return False
        worker = ExportWorker(self.store.path, request)
        worker.finished.connect(self._on_finished)
        worker.finished.connect(worker.deleteLater)  # the thread object lives in the GUI thread
        self._worker = worker
        self._request = request
        _RUNNING.add(worker)
        self._set_running(True)
        worker.start()
        return True

    def _set_running(self, running: bool) -> None:
        self.busy.setVisible(running)
        self.export_button.setEnabled(not running)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setEnabled(not running)
        for widget in (self.scope_this, self.scope_all, self.format_box, self.markdown_options, self.destination, self.choose_button):
            widget.setEnabled(not running and (widget is not self.scope_this or self._post_stem is not None))
        if not running:
            self._update_options()

    def _on_finished(self) -> None:
        worker, request = self._worker, self._request
        self._worker = self._request = None
        if worker is None or request is None:
            return
        _RUNNING.discard(worker)
        self._set_running(False)
        if worker.error is not None:
            self._show_error(worker.error)
            return
        self.written = list(worker.written or [])
        self.last_folder = str(request.folder)
        self._show_result(request)
        self.exported.emit([str(path) for path in self.written])

    def _clear_messages(self) -> None:
        for widget in (self.error_label, self.result_label, self.open_folder_button):
            widget.hide()
        self.error_label.clear()
        self.result_label.clear()
        self._result_folder = None

    def _show_error(self, message: str) -> None:
        """Show `message` (an error of the core in the window's language)."""
        self.error_label.setText(translate(message, current_language()))
        self.error_label.show()

    def _show_result(self, request: ExportRequest) -> None:
        count = len(self.written)
        if count == 0:
            self.result_label.setText(self.tr("Nothing to export: no post in the selection has highlights."))
            self.result_label.show()
            return
        files = self.tr("%n file(s)", "", count)
        if count == 1:
            where = str(self.written[0])
        else:
            where = str(request.folder)
        self.result_label.setText(self.tr("Exported %1 to %2").replace("%1", files).replace("%2", where))
        self.result_label.show()
        self._result_folder = request.folder
        self.open_folder_button.show()

    def open_folder(self) -> None:
        """Open the folder the last export went into, with the system's file manager."""
        if self._result_folder is not None:
            self.open_url(QUrl.fromLocalFile(str(self._result_folder)))

    def reject(self) -> None:
        # Closing mid-export would leave the reader not knowing what was written: Close is
        # disabled while the worker runs, and Escape or the window's close button wait too.
        if self._worker is None:
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self._worker is not None:
            event.ignore()
            return
        super().closeEvent(event)


__all__ = ["ExportDialog", "ExportRequest", "ExportWorker", "run_export"]
