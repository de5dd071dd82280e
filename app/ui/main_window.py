"""The main window: library sidebar, the reader, and the post's highlights.

Thin over the core: it asks app.core for posts, renders and highlights, and only arranges them.
Its actions are declared once, in `_build_actions()`, with their menu, shortcut and handler.

The window is made in two steps. `MainWindow(...)` makes its frame: the reader, the splitter
with a place for each panel, the menu bar's menus and the toolbar's choosers, so the reader has
its final size and place. `complete()` makes the rest: the panels, the actions, the word popup.
The constructor does both unless asked not to; at start-up, app.ui.app.run() shows the frame and
lets the reader paint its first page before it completes the window. So this module imports only
what the frame needs: the panels' modules, the store's and PySide's `Qt` namespace (whose enums
take PySide about 35 ms to make) are imported on first use.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore  # QtCore.Qt when used: see the module's docstring
from PySide6.QtCore import QByteArray, QSize, QThread, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.lazy import lazy_module

if TYPE_CHECKING:
    from app.core.reading.furigana_mode import FuriganaMode
    from app.core.posts.render import RenderOptions
    from app.core.store import PostRecord, Store
    from app.ui.importer import ImportProgress, ImportWorker

# Imported on first use: the window opens on a page another process prepared (app.ui.prestart),
# and shows it before it is complete (see the module's docstring).
furigana = lazy_module("app.core.reading.furigana")
library = lazy_module("app.core.library.actions")
opening = lazy_module("app.core.library.opening")
core_store = lazy_module("app.core.store")
highlights_ui = lazy_module("app.ui.highlights_panel")
importer = lazy_module("app.ui.importer")
from app.core.common.paths import sample_post_path
from app.core.settings import Settings, load_settings, save_settings
from app.ui.fonts import with_cjk_family
from app.ui.reader_view import ReaderView, create_reader

ZOOM_STEPS = (0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)


class RenderJob(QThread):
    """Renders the readings a long post's first render left out, on a worker thread (MeCab's
    tagger is per thread); emits `rendered` with (index, html) pairs."""

    rendered = Signal(object)

    def __init__(self, post, options: RenderOptions, window: tuple[int, int], parent=None):
        super().__init__(parent)
        self.post, self.options, self.window = post, options, window

    def run(self) -> None:
        try:
            self.rendered.emit(opening.rest_of_readings(self.post, self.options, self.window))
        except Exception:  # noqa: BLE001 - the first render already shows the post; readings stay partial
            pass


class MainWindow(QMainWindow):
    """Library | reader | highlights. `postShown` fires when a post's page is painted;
    `importFinished` when an import started from the window is done."""

    postShown = Signal(int)
    importFinished = Signal(object)

    def __init__(
        self,
        store: Store | None,
        settings: Settings | None = None,
        *,
        settings_path: Path | None = None,
        reader: ReaderView | None = None,
        complete: bool = True,
    ):
        super().__init__()
        self.store = store
        self.settings_path = settings_path
        self.settings = settings if settings is not None else load_settings(settings_path)
        self.current: PostRecord | None = None
        self.selection: tuple[int, int] | None = None
        # What Ctrl+Z takes back: ("delete", id) restores, ("create", id) deletes again.
        self.undo_stack: list[tuple[str, str]] = []
        self._imports: list[ImportWorker] = []
        self._render_job: RenderJob | None = None  # the one whose result is still wanted
        self._render_jobs: set[RenderJob] = set()  # all still running (a thread must finish before it goes)
        self._first = None  # the start-up process's FirstPage, see take_startup()
        self._previewing: str | None = None  # the file shown while it is imported, see _preview()
        self.completed = False  # see complete()
        self.setWindowTitle("Kakikomi 書き込み")
        self.setFont(with_cjk_family(self.font()))
        self.resize(1280, 820)

        # The reader may come made, already loading the first page (app.ui.app.run).
        if reader is None:
            reader = create_reader()
            reader.warm_up()  # Chromium starts its processes while the first post is prepared
        profile, server, guard = reader.parts
        self.network_guard = guard
        self.reader = reader
        self.reader.setAcceptDrops(False)  # dropped files are imported by the window
        self.reader.ready.connect(self._on_ready)
        self.reader.bridge.selectionMade.connect(self._on_selection)
        self.reader.bridge.readingPositionChanged.connect(self._on_position)
        middle = QWidget()
        self._middle_layout = QVBoxLayout(middle)
        self._middle_layout.setContentsMargins(0, 0, 0, 0)
        self._middle_layout.setSpacing(0)
        self._middle_layout.addWidget(self.reader)

        # The panels' places, until complete() puts the panels there (QSplitter.replaceWidget
        # keeps a place's size): the reader has its final size from the first frame on.
        self.splitter = QSplitter()
        self.splitter.addWidget(QWidget())
        self.splitter.addWidget(middle)
        self.splitter.addWidget(QWidget())
        self.splitter.setSizes([260, 760, 300])
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)
        # The profile must outlive the page that uses it: children are deleted in the order they
        # were added, so it joins the window only now, after the reader (inside the splitter).
        for owned in (profile, server, guard):
            owned.setParent(self)
        # Reading position is saved a moment after scrolling stops, not on every scroll event.
        self._position_timer = QTimer(self, singleShot=True, interval=800)
        self._position_timer.timeout.connect(self._save_position)
        self._pending_offset: int | None = None
        self._build_frame()
        self._restore_layout()
        if complete:
            self.complete()

    def complete(self) -> None:
        """Make the rest of the window: the panels, the menus' and the toolbar's actions, the word
        popup; then list the library if the window has one. Done once; see the module."""
        if self.completed:
            return
        from app.ui.find_bar import FindBar
        from app.ui.library_panel import LibraryPanel
        from app.ui.word_popup import connect_word_popup

        self.find_bar = FindBar(self._current_text)
        self.find_bar.matchChosen.connect(self._show_match)
        self._middle_layout.insertWidget(0, self.find_bar)  # hidden until Ctrl+F
        self.library_panel = LibraryPanel(self.store)
        self.library_panel.postActivated.connect(lambda post_id, offset: self.open_post(post_id, offset=None if offset < 0 else offset))
        self.search_field = self.library_panel.search_field
        self.posts = self.library_panel.posts
        self.highlights_panel = highlights_ui.HighlightsPanel()
        self.highlights_panel.activated.connect(self._highlight_clicked)
        self.highlights = self.highlights_panel.list
        self.empty_note = self.highlights_panel.empty_note
        for index, panel in ((0, self.library_panel), (2, self._build_claims_side())):
            self.splitter.replaceWidget(index, panel).deleteLater()
        self.reader.bridge.highlightActivated.connect(self._select_highlight)
        self._build_actions()
        connect_word_popup(self)
        self.setAcceptDrops(True)
        self.completed = True
        if self.store is not None:
            self.refresh_posts()

    def attach_store(self, store: Store) -> None:
        """The library, for a window made without one (app.ui.app.run shows the window while the
        start-up process may still be making the library)."""
        self.complete()
        self.store = store
        self.library_panel.store = store
        self.suggested_claims.store = store
        self.refresh_posts()

    # --- actions ----------------------------------------------------------------------------

    def _action(self, text: str, handler, shortcut=None, *, menu=None, checkable=False, tip: str = "") -> QAction:
        action = QAction(text, self, checkable=checkable)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(handler)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        if menu is not None:
            menu.addAction(action)
        return action

    def _build_frame(self) -> None:
        """The menu bar's menus (empty until complete()) and the toolbar with its two choosers:
        what sets the reader's place in the window."""
        bar = self.menuBar()
        self.file_menu = bar.addMenu(self.tr("&File"))
        self.edit_menu = bar.addMenu(self.tr("&Edit"))
        self.mark_menu = bar.addMenu(self.tr("&Highlight"))
        self.view_menu = bar.addMenu(self.tr("&View"))
        self.help_menu = bar.addMenu(self.tr("&Help"))
        self.furigana_box = QComboBox()
        self.furigana_box.setToolTip(self.tr("Which words get furigana"))
        for value, label in self._furigana_choices():
            self.furigana_box.addItem(label, value)
        self.furigana_box.setCurrentIndex(max(0, self.furigana_box.findData(self.settings.furigana)))
        self.theme_box = QComboBox()
        self.theme_box.setToolTip(self.tr("Colours of the page"))
        for value, label in self._theme_choices():
            self.theme_box.addItem(label, value)
        self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(self.settings.theme)))
        self.toolbar = QToolBar(self.tr("Reader"))
        self.toolbar.setObjectName("reader-toolbar")
        # Small icons (the colour swatches are 12 px) keep the actions' buttons, added by
        # complete(), no taller than the choosers: the toolbar, and so the reader, do not move.
        self.toolbar.setIconSize(QSize(16, 16))
        self.addToolBar(self.toolbar)
        self._choosers = self.toolbar.addWidget(self.furigana_box)  # the actions go before it
        self.toolbar.addWidget(self.theme_box)

    def _build_actions(self) -> None:
        file_menu = self.file_menu
        self._action(self.tr("&Open…"), self.open_files, QKeySequence.StandardKey.Open, menu=file_menu)
        self._action(self.tr("Open &Folder…"), self.open_folder, "Ctrl+Shift+O", menu=file_menu)
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.export_action = self._action(self.tr("&Export Highlights…"), self.export_highlights, "Ctrl+E", menu=file_menu)
        file_menu.addSeparator()
        self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit, menu=file_menu)

        edit_menu = self.edit_menu
        self._action(self.tr("&Undo"), self.undo, QKeySequence.StandardKey.Undo, menu=edit_menu)
        self._action(self.tr("Copy with &Readings"), self.copy_with_readings, "Ctrl+Shift+C", menu=edit_menu)
        self._action(self.tr("&Find in Post…"), self.find_bar.open, QKeySequence.StandardKey.Find, menu=edit_menu)
        self._action(self.tr("Search the &Library"), self._focus_search, "Ctrl+Shift+F", menu=edit_menu)

        mark_menu = self.mark_menu
        self.highlight_action = self._action(self.tr("&Highlight Selection"), lambda: self.highlight_selection(), "H", menu=mark_menu)
        colour_menu = mark_menu.addMenu(self.tr("Highlight in &Colour"))
        self.color_actions = []
        for number, color in enumerate(core_store.COLORS, 1):
            action = self._action(
                self.highlights_panel.color_name(color), lambda _c=False, col=color: self.highlight_selection(col), str(number), menu=colour_menu
            )
            action.setIcon(highlights_ui.swatch(color))
            self.color_actions.append(action)
        mark_menu.addSeparator()
        self._action(self.tr("&Tag…"), self.tag_current, "T", menu=mark_menu)
        self._action(self.tr("&Note…"), self.note_current, "N", menu=mark_menu)
        self._action(self.tr("&Delete Highlight"), self.delete_current, QKeySequence.StandardKey.Delete, menu=mark_menu)
        mark_menu.addSeparator()
        self._action(self.tr("Ne&xt Highlight"), lambda: self.step_highlight(1), "J", menu=mark_menu)
        self._action(self.tr("&Previous Highlight"), lambda: self.step_highlight(-1), "K", menu=mark_menu)
        self.reattach_action = self._action(self.tr("&Re-attach to Selection"), self.reattach_current, menu=mark_menu)
        self.highlights.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.reattach_action,):
            self.highlights.addAction(action)

        view_menu = self.view_menu
        self.furigana_box.currentIndexChanged.connect(self._furigana_changed)
        self.theme_box.currentIndexChanged.connect(self._theme_changed)
        self.vertical_action = self._action(
            self.tr("&Vertical Writing (縦書き)"), lambda _c: self._layout_changed(), "Ctrl+Shift+V", menu=view_menu, checkable=True
        )
        self.vertical_action.setChecked(self.settings.vertical)
        view_menu.addSeparator()
        self._action(self.tr("Zoom &In"), lambda: self.zoom(1), QKeySequence.StandardKey.ZoomIn, menu=view_menu)
        self._action(self.tr("Zoom &Out"), lambda: self.zoom(-1), QKeySequence.StandardKey.ZoomOut, menu=view_menu)
        self._action(self.tr("&Actual Size"), lambda: self.zoom(0), "Ctrl+0", menu=view_menu)
        view_menu.addSeparator()
        self.remote_action = self._action(
            self.tr("Load &Remote Images in This Post"), self._remote_changed, menu=view_menu, checkable=True,
            tip=self.tr("Posts may point at images on other sites; they are only fetched if you allow it"),
        )
        self._build_claims_actions(view_menu)
        self.language_menu = view_menu.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        for value, label in (("system", self.tr("Follow the System")), ("en", "English"), ("ja", "日本語")):
            action = QAction(label, self, checkable=True, checked=self.settings.language == value)
            action.triggered.connect(lambda _c=False, v=value: self._language_changed(v))
            group.addAction(action)
            self.language_menu.addAction(action)

        self._action(self.tr("&About Kakikomi"), self.show_about, menu=self.help_menu)

        self.toolbar.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.insertActions(self._choosers, [self.highlight_action, *self.color_actions])
        self.toolbar.insertSeparator(self._choosers)
        self.toolbar.addAction(self.vertical_action)

    def _build_claims_actions(self, view_menu) -> None:
        view_menu.addSeparator()
        self.claims_action = self._action(self.tr("&Claims Table…"), self.show_claims, "Ctrl+Shift+L", menu=view_menu)
        self.suggested_action = self._action(
            self.tr("&Suggested Claims"), self.suggested_claims.set_expanded, menu=view_menu, checkable=True,
        )
        self.suggested_action.setChecked(self.suggested_claims.expanded)
        self.suggested_claims.header.toggled.connect(self.suggested_action.setChecked)
        view_menu.addSeparator()

    def _furigana_choices(self) -> list[tuple[str, str]]:
        return [
            ("all", self.tr("Furigana: all")),
            ("grade:6", self.tr("Furigana: beyond primary school")),
            ("grade:7", self.tr("Furigana: beyond jōyō")),
            ("jlpt:3", self.tr("Furigana: harder than N3")),
            ("jlpt:1", self.tr("Furigana: beyond N1")),
            ("off", self.tr("Furigana: off")),
        ]

    def _theme_choices(self) -> list[tuple[str, str]]:
        return [
            ("auto", self.tr("Theme: system")),
            ("light", self.tr("Theme: light")),
            ("sepia", self.tr("Theme: sepia")),
            ("dark", self.tr("Theme: dark")),
        ]

    # --- settings and layout ----------------------------------------------------------------

    def save_settings(self) -> None:
        try:
            save_settings(self.settings, self.settings_path)
        except OSError as exc:
            self.statusBar().showMessage(self.tr("Settings could not be saved: %1").replace("%1", str(exc)), 8000)

    def _restore_layout(self) -> None:
        for value, restore in ((self.settings.window_geometry, self.restoreGeometry), (self.settings.splitter_state, self.splitter.restoreState)):
            if value:
                try:
                    restore(QByteArray(base64.b64decode(value)))
                except ValueError:
                    pass
        self.reader.setZoomFactor(self.settings.font_scale)

    def stop_workers(self) -> None:
        """Wait for the window's threads (and end the start-up process): before the window goes,
        however the application ends."""
        self._render_job = None
        if self._first is not None:
            self._first.stop()  # what it still prepares is not needed any more
        for job in list(self._render_jobs):
            job.wait()
        for worker in list(self._imports):
            worker.cancel()
            worker.wait()
        if self.completed:
            self.suggested_claims.wait()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.stop_workers()
        self._save_position()
        self.settings.window_geometry = base64.b64encode(bytes(self.saveGeometry().data())).decode()
        self.settings.splitter_state = base64.b64encode(bytes(self.splitter.saveState().data())).decode()
        self.settings.reader_size = [self.reader.width(), self.reader.height()]
        self.save_settings()
        super().closeEvent(event)

    def _furigana_changed(self) -> None:
        self.settings.furigana = self.furigana_box.currentData()
        self.save_settings()
        self.reload()

    def _theme_changed(self) -> None:
        self.settings.theme = self.theme_box.currentData()
        self.save_settings()
        self._apply_classes()

    def _layout_changed(self) -> None:
        self.settings.vertical = self.vertical_action.isChecked()
        self.save_settings()
        self._apply_classes()

    def _language_changed(self, language: str) -> None:
        self.settings.language = language
        self.save_settings()
        QMessageBox.information(self, self.tr("Language"), self.tr("The new language is used from the next start of Kakikomi."))

    def zoom(self, direction: int) -> None:
        """Zoom the page in (+1), out (-1) or back to 100% (0); remembered across sessions."""
        current = self.reader.zoomFactor()
        if direction == 0:
            factor = 1.0
        elif direction > 0:
            factor = next((z for z in ZOOM_STEPS if z > current + 0.01), ZOOM_STEPS[-1])
        else:
            factor = next((z for z in reversed(ZOOM_STEPS) if z < current - 0.01), ZOOM_STEPS[0])
        self.reader.setZoomFactor(factor)
        self.settings.font_scale = factor
        self.save_settings()

    # --- posts ------------------------------------------------------------------------------

    def refresh_posts(self) -> None:
        self.library_panel.refresh()

    def refresh_posts_counts(self) -> None:
        """The current post's row in the sidebar: its highlight count changed."""
        if self.current is not None:
            self.library_panel.update_post(self.store.post(self.current.id))

    def import_and_open(self, paths: list[str]) -> ImportWorker:
        """Import files and folders off the GUI thread (with a progress dialog that can be
        cancelled), then open the first post and list the files that failed.

        One file that is not in the library yet is shown at once, while it is imported: the
        import (its search index reads every word) takes longer than showing it."""
        progress = None
        previewed = len(paths) == 1 and self._preview(paths[0])
        worker = importer.ImportWorker(self.store.path, paths, self)
        worker.previewed = previewed
        if not previewed:
            progress = importer.ImportProgress(worker, self)
        worker.done.connect(lambda report: self._import_done(worker, progress, report, paths))
        worker.failed.connect(lambda message: self._import_failed(worker, progress, message))
        self._imports.append(worker)
        worker.start()
        return worker

    def _preview(self, name: str) -> bool:
        """Show the post file `name` before it is in the library (see import_and_open)."""
        path = Path(name).expanduser()
        source = str(path.resolve())
        if not path.is_file() or self.store.post_by_path(source) is not None:
            return False
        try:
            opened = opening.open_file(path, self._mode(), store=self.store, remote_allowed=self.settings.allow_remote_images)
        except (opening.PostError, core_store.StoreError, OSError):
            return False  # the import says what is wrong with it
        self._save_position()
        self._previewing = source
        self._chose_post()
        self._render_job = None
        if opened.window is not None:
            self._render_rest(opened.post, opened.options, opened.window)
        self.current = None
        self.selection = None
        self.setWindowTitle(f"{opened.post.title} — Kakikomi")
        self.reader.show_post(
            opened.post, opened.rendered, [], theme=self.theme_box.currentData(),
            vertical=self.vertical_action.isChecked(), offset=0, allow_remote_images=opened.allow_remote_images,
        )
        self.refresh_highlights([])
        return True

    def _import_done(self, worker: ImportWorker, progress: ImportProgress | None, report: library.ImportReport, paths: list[str]) -> None:
        if progress is not None:
            progress.reset()
            progress.deleteLater()
        self._forget(worker)
        for path in paths:
            self.settings.add_recent(str(Path(path).expanduser().resolve()))
        self.save_settings()
        self.refresh_posts()
        opened = (report.added + report.updated + report.unchanged)[:1]
        previewing, self._previewing = self._previewing, None
        if opened and worker.previewed:
            # Shown already: it becomes the open post, unless the reader went to another meanwhile.
            if previewing == self.store.post(opened[0]).source_path:
                self.adopt_shown_post(opened[0])
        elif opened:
            self.open_post(opened[0])
        if report.errors:
            importer.ImportErrors(report.errors, self).open()
        if report.cancelled:
            self.statusBar().showMessage(self.tr("Import cancelled."), 5000)
        self.importFinished.emit(report)

    def _import_failed(self, worker: ImportWorker, progress: ImportProgress | None, message: str) -> None:
        self._previewing = None
        if progress is not None:
            progress.reset()
            progress.deleteLater()
        self._forget(worker)
        QMessageBox.warning(self, self.tr("Import failed"), message)
        self.importFinished.emit(None)

    def _forget(self, worker: ImportWorker) -> None:
        worker.wait()
        if worker in self._imports:
            self._imports.remove(worker)
        worker.deleteLater()

    def open_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Open posts"), self._start_folder(), self.tr("Posts (*.md *.markdown *.txt)"))
        if files:
            self.import_and_open(files)

    def open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open a folder of posts"), self._start_folder())
        if folder:
            self.import_and_open([folder])

    def _start_folder(self) -> str:
        recent = self.settings.recent_files[:1]
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        existing = [p for p in self.settings.recent_files if Path(p).exists()]
        for path in existing:
            action = self.recent_menu.addAction(Path(path).name or path)
            action.setToolTip(path)
            action.triggered.connect(lambda _c=False, p=path: self.import_and_open([p]))
        if not existing:
            empty = self.recent_menu.addAction(self.tr("No recent files"))
            empty.setEnabled(False)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_and_open(paths)

    def _mode(self) -> FuriganaMode:
        """The chosen mode; words the reader marked as known lose their furigana in every mode."""
        return opening.reading_mode(self.store, self.furigana_box.currentData())

    def open_post(self, post_id: int, *, offset: int | None = None) -> None:
        """Show a post (re-importing it first if its file changed) at `offset` or where the
        reader left it."""
        self._save_position()
        self._previewing = None
        self._chose_post()
        try:
            opened = opening.open_post(
                self.store, post_id, self._mode(), remote_allowed=self.settings.allow_remote_images, offset=offset
            )
        except (opening.PostError, core_store.StoreError, OSError) as exc:
            QMessageBox.warning(self, self.tr("Cannot open the post"), str(exc))
            return
        self._render_job = None
        if opened.window is not None:
            self._render_rest(opened.post, opened.options, opened.window)
        self._show(opened.record)
        self.reader.show_post(
            opened.post,
            opened.rendered,
            opened.annotations,
            theme=self.theme_box.currentData(),
            vertical=self.vertical_action.isChecked(),
            offset=opened.offset,
            allow_remote_images=opened.allow_remote_images,
        )
        self._shown(opened.post.warnings, opened.annotations)

    def _chose_post(self) -> None:
        """Another post is being opened: the start-up process's is not forced on the reader."""
        if self._first is not None:
            self._first.superseded()

    def _show(self, record: PostRecord) -> None:
        """The window's side of showing `record`: the current post, its title, its remote-images switch."""
        self.current = record
        self.selection = None
        self.remote_action.setChecked(record.source_path in self.settings.allow_remote_images)
        self.setWindowTitle(f"{record.title} — Kakikomi")

    def _shown(self, warnings, annotations) -> None:
        if warnings:
            self.statusBar().showMessage(" ".join(warnings), 10000)
        self.refresh_highlights(annotations)

    def open_first(self, files, *, first_run: bool) -> None:
        """The first post at start-up: `files` (imported), else the library's most recent post,
        else on the first run the bundled sample."""
        if files:
            self.import_and_open([str(Path(f)) for f in files])
        elif posts := self.store.posts():
            self.open_post(posts[0].id)
        elif first_run:
            self.import_and_open([str(sample_post_path())])
        # else an empty library: the panels say what to do

    def take_startup(self, first, files, *, first_run: bool) -> None:
        """Take over from the start-up process (`first`, an app.ui.first_page.FirstPage, which
        follows its messages): its page is in the reader or on its way, and its post becomes
        the open one once it is in the library. If it stops short, open_first() does the rest."""
        self._first = first
        self._render_job = first.early  # its readings are the ones wanted, until another post is opened
        first.hand_over(self, files, first_run=first_run)

    def adopt_shown_post(self, post_id: int, warnings=()) -> bool:
        """The post the reader shows already (prepared at start-up, or shown while it was
        imported) becomes the open post. False if it is not in the library."""
        try:
            record = self.store.post(post_id)
        except core_store.StoreError:
            return False
        self._show(record)
        self._shown(warnings, self.store.annotations(record.id))
        if self.reader.is_ready:
            self._on_ready()  # painted before it was in the library
        return True

    def after_ready(self, action) -> None:
        """`action` once the reader has painted its page (at once if it has)."""
        if self.reader.is_ready:
            action()
        else:
            self.reader.ready.connect(action, QtCore.Qt.ConnectionType.SingleShotConnection)

    def remember_suggestions(self, post_id: int, found) -> None:
        """Suggestions computed elsewhere (the start-up process): kept, and shown."""
        from app.core.claims import table as claims_store
        from app.core.claims import suggestions as claim_suggestions

        try:
            claim_suggestions.remember_suggestions(self.store, post_id, found)
        except core_store.StoreError:
            pass  # the post is gone meanwhile: nothing to suggest for it
        self.suggested_claims.release()

    def _render_rest(self, post, options: RenderOptions, window: tuple[int, int]) -> None:
        """Render the whole post with readings on a worker thread; when done (and the post is
        still the one shown, painted), swap in the blocks the first render left without."""
        job = RenderJob(post, options, window, self)
        self._render_job = job
        self._render_jobs.add(job)
        job.rendered.connect(lambda blocks, job=job: self.rest_of_readings(job, blocks))
        job.finished.connect(lambda job=job: (self._render_jobs.discard(job), job.deleteLater()))
        job.start()

    def rest_of_readings(self, job, blocks: list[tuple[int, str]]) -> None:
        """A long post's other readings, rendered by `job` (a RenderJob or the start-up process)."""
        if job is not self._render_job:
            return  # another post (or mode) was opened meanwhile
        if self.reader.is_ready:
            self.reader.replace_blocks(blocks)
        else:
            self.reader.ready.connect(lambda: self._replace_when_ready(job, blocks), QtCore.Qt.ConnectionType.SingleShotConnection)

    def _replace_when_ready(self, job, blocks) -> None:
        if job is self._render_job:
            self.reader.replace_blocks(blocks)

    def reload(self) -> None:
        if self.current is not None:
            self._save_position()
            self.open_post(self.current.id)

    def _current_text(self) -> str:
        if self.current is None:
            return ""
        if not self.current.text:
            self.current = self.store.post(self.current.id)
        return self.current.text

    def _apply_classes(self) -> None:
        self.reader.set_classes(self.theme_box.currentData(), self.vertical_action.isChecked())

    def _remote_changed(self, allowed: bool) -> None:
        if self.current is None:
            self.remote_action.setChecked(False)
            return
        source = self.current.source_path
        listed = [p for p in self.settings.allow_remote_images if p != source]
        self.settings.allow_remote_images = listed + ([source] if allowed else [])
        self.save_settings()
        self.reload()

    def _on_ready(self) -> None:
        if self.current is not None:
            self.postShown.emit(self.current.id)

    def _on_position(self, offset: int) -> None:
        self._pending_offset = offset
        self._position_timer.start()

    def _save_position(self) -> None:
        if self.current is not None and self._pending_offset is not None:
            try:
                self.store.set_reading_offset(self.current.id, self._pending_offset)
            except core_store.StoreError:
                pass
        self._pending_offset = None

    def _focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _show_match(self, start: int, end: int) -> None:
        self.reader.select_range(start, end)
        self.reader.scroll_to(start)

    # --- highlights -------------------------------------------------------------------------

    def _on_selection(self, start: int, end: int, _text: str) -> None:
        self.selection = (start, end) if start >= 0 else None

    def refresh_highlights(self, annotations: list | None = None) -> None:
        """The panels for the current post (`annotations`: its highlights, when just read)."""
        if annotations is None:
            annotations = self.store.annotations(self.current.id) if self.current else []
        self.highlights_panel.show_annotations(annotations, self.store.tag_colors())
        self.suggested_claims.refresh(self.current.id if self.current else None)

    def _highlight_clicked(self, annotation_id: str, offset: int) -> None:
        if offset >= 0:
            self.reader.scroll_to(offset)

    def highlight_selection(self, color: str = "yellow", *, tags=(), note: str = ""):
        """Highlight the current selection; returns the new highlight (or None)."""
        if self.current is None or self.selection is None:
            self.statusBar().showMessage(self.tr("Select some text in the post first."), 4000)
            return None
        start, end = self.selection
        try:
            made = library.annotate_span(self.store, self.current, start, end, color=color, tags=tags, note=note)
        except (core_store.StoreError, ValueError) as exc:
            QMessageBox.warning(self, self.tr("Highlight"), str(exc))
            return None
        self.undo_stack.append(("create", made.id))
        self.reader.call("kk.clearSelection()")
        self.selection = None
        self._repaint(select=made.id)
        return made

    def _current_highlight_id(self) -> str | None:
        """The highlight the panel has selected, else a new one from the text selected in the
        page (T and N on a selection highlight it first), else the last highlight."""
        chosen = self.highlights_panel.current_id()
        if chosen:
            return chosen
        if self.selection is not None:
            made = self.highlight_selection()
            return made.id if made else None
        rows = self.highlights_panel.rows()
        return self.highlights.item(rows[-1]).data(QtCore.Qt.ItemDataRole.UserRole) if rows else None

    def _select_highlight(self, annotation_id: str) -> None:
        self.highlights_panel.select(annotation_id)

    def tag_current(self) -> None:
        annotation_id = self._current_highlight_id()
        if annotation_id is None:
            return
        current = self.store.annotation(annotation_id)
        dialog = highlights_ui.TagDialog(current.tags, [t["name"] for t in self.store.tags()], self)
        if dialog.exec():
            try:
                library.update_annotation(self.store, annotation_id, tags=dialog.tags())
            except core_store.StoreError as exc:
                QMessageBox.warning(self, self.tr("Tags"), str(exc))
            self._repaint()

    def note_current(self) -> None:
        annotation_id = self._current_highlight_id()
        if annotation_id is None:
            return
        current = self.store.annotation(annotation_id)
        text, ok = QInputDialog.getMultiLineText(self, self.tr("Note"), self.tr("Note:"), current.note)
        if ok:
            library.update_annotation(self.store, annotation_id, note=text)
            self._repaint()

    def _repaint(self, *, select: str | None = None) -> None:
        """After a highlight changed: the page, the panels and the post's row, from one read."""
        selected = select or self.highlights_panel.current_id()
        annotations = self.store.annotations(self.current.id) if self.current is not None else []
        if self.current is not None:
            self.reader.set_highlights(annotations)
        self.refresh_highlights(annotations)
        if selected:
            self.highlights_panel.select(selected)
        self.refresh_posts_counts()

    def delete_current(self) -> None:
        """Delete the selected highlight (a marker: Ctrl+Z brings it back)."""
        annotation_id = self.highlights_panel.current_id()
        if annotation_id is None:
            return
        library.delete_annotation(self.store, annotation_id)
        self.undo_stack.append(("delete", annotation_id))
        self._repaint()
        self.statusBar().showMessage(self.tr("Highlight deleted. Ctrl+Z brings it back."), 5000)

    def undo(self) -> None:
        """Take back the last highlight made or deleted."""
        if not self.undo_stack:
            return
        action, annotation_id = self.undo_stack.pop()
        if action == "delete":
            library.restore_annotation(self.store, annotation_id)
        else:
            library.delete_annotation(self.store, annotation_id)
        self._repaint()

    def step_highlight(self, step: int) -> None:
        """Select the next (J) or previous (K) highlight and scroll to it."""
        found = self.highlights_panel.step(step)
        if found is not None and found[1] >= 0:
            self.reader.scroll_to(found[1])

    def reattach_current(self) -> None:
        """Attach the selected highlight (typically an orphan) to the text selected in the post."""
        annotation_id = self.highlights_panel.current_id()
        if annotation_id is None or self.selection is None:
            QMessageBox.information(
                self, self.tr("Re-attach"), self.tr("Select the text in the post, then choose the highlight to attach to it.")
            )
            return
        library.reattach(self.store, annotation_id, *self.selection)
        self._repaint()

    def copy_with_readings(self) -> str:
        """Copy the selection as 漢字《かんじ》 text (plain copy, Ctrl+C, leaves readings out)."""
        if self.current is None or self.selection is None:
            return ""
        record = self.store.post(self.current.id)
        overrides = self.store.reading_overrides(record.id)
        text = furigana.with_readings(record.text, *self.selection, overrides)
        QApplication.clipboard().setText(text)
        return text

    # --- claims -----------------------------------------------------------------------------

    def _build_claims_side(self) -> QSplitter:
        """The right-hand side: the highlights above, the post's suggested claims below."""
        from app.ui.claims_panel import SuggestedClaims

        self.suggested_claims = SuggestedClaims(self.store)
        self.suggested_claims.activated.connect(self.reader.scroll_to)
        self.suggested_claims.accepted.connect(self._claims_accepted)
        self.claims_window = None
        self.side_splitter = QSplitter(QtCore.Qt.Orientation.Vertical)
        self.side_splitter.setChildrenCollapsible(False)
        self.side_splitter.addWidget(self.highlights_panel)
        self.side_splitter.addWidget(self.suggested_claims)
        self.side_splitter.setStretchFactor(0, 3)
        self.side_splitter.setStretchFactor(1, 2)
        return self.side_splitter

    def _claims_accepted(self, annotation_ids: list[str]) -> None:
        """Suggestions became highlights: paint them, list them, and let Ctrl+Z take each back."""
        self.undo_stack.extend(("create", annotation_id) for annotation_id in annotation_ids)
        self._repaint()
        self.highlights_panel.select(annotation_ids[-1])
        if self.claims_window is not None and self.claims_window.isVisible():
            self.claims_window.reload()

    def show_claims(self):
        """Open (or bring forward) the library's claims table."""
        from app.ui.claims_table import ClaimsWindow

        if self.claims_window is None:
            self.claims_window = ClaimsWindow(self.store, self)
            self.claims_window.openClaim.connect(self._open_claim)
        else:
            self.claims_window.reload()
        self.claims_window.show()
        self.claims_window.raise_()
        self.claims_window.activateWindow()
        return self.claims_window

    def _open_claim(self, post_id: int, start: int) -> None:
        self.open_post(post_id, offset=None if start < 0 else start)
        self.raise_()
        self.activateWindow()

    # --- dialogs ----------------------------------------------------------------------------

    def export_highlights(self) -> None:
        from app.ui.export_dialog import ExportDialog

        dialog = ExportDialog(self.store, self.current.id if self.current else None, self, last_folder=self.settings.last_export_folder)
        dialog.exec()
        if dialog.last_folder:
            self.settings.last_export_folder = str(dialog.last_folder)
            self.save_settings()

    def show_about(self) -> None:
        from app.ui.about import AboutDialog

        AboutDialog(self).exec()
