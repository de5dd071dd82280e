"""The main window: library sidebar, the reader, and the post's highlights.

Thin over the core: it asks app.core for posts, renders and highlights, and only arranges them.
The window holds the open post (`current`, `selection`; `open_post`); the rest is done by parts
of its own, each in its module:

- app.ui.actions: the menus, actions (text, shortcut, handler) and toolbar, declared as tables;
- app.ui.highlight_actions (`highlight_actions`): highlight, recolour, tag, annotate, delete, J/K,
  and the session's undo and redo of every edit;
- app.ui.importer (`imports`): files and folders opened or dropped; a new file shown while imported;
- app.ui.claims_panel (`claims`): the suggested claims under the highlights, the claims table;
- app.ui.view_settings (`view`): theme, furigana, vertical writing, zoom, layout, in the settings;
  and (`underlines`) the underlines of new and learning words;
- app.ui.late_readings (`readings`): a long post's readings beyond its first screen;
- app.ui.first_page (`first_page`): the first post at start-up, prepared by a forked process;
- app.ui.word_popup: the popup of a clicked word.

The window is made in two steps. `MainWindow(...)` makes its frame: the reader, the splitter
with a place for each panel, the menu bar's menus and the toolbar's choosers, so the reader has
its final size and place. `complete()` makes the rest: the panels, the actions, the word popup.
The constructor does both unless asked not to; at start-up, app.ui.app.run() shows the frame and
lets the reader paint its first page before it completes the window. So this module imports only
what the frame needs: the panels' modules, the store's and PySide's `Qt` namespace (whose enums
take PySide about 35 ms to make) are imported on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from app.core.common.messages import translate
from app.core.common.text import escape_surrogates
from app.core.settings import Settings, load_settings
from app.lazy import lazy_module
from app.ui import actions
from app.ui.fonts import with_cjk_family
from app.ui.i18n import current_language
from app.ui.late_readings import LateReadings
from app.ui.plain import plain
from app.ui.reader_view import ReaderView, create_reader
from app.ui.view_settings import ViewSettings, WordUnderlines

if TYPE_CHECKING:
    from app.core.library.opening import Opened
    from app.core.reading.furigana_mode import FuriganaMode
    from app.core.store import PostRecord, Store
    from app.ui.importer import ImportWorker

# Imported on first use (see the module's docstring).
library = lazy_module("app.core.library.actions")
opening = lazy_module("app.core.library.opening")
post_links = lazy_module("app.core.library.post_links")
core_store = lazy_module("app.core.store")


# Edits that change a word's status or the Anki deck's words: after one (or its undo or redo)
# the window says `wordsChanged`.
WORD_EDITS = ("word-status", "anki")


# A post whose words were never counted (imported by an older Kakikomi) is counted this long after
# its page shows, off the opening's path.
COUNT_WORDS_AFTER_MS = 800


class MainWindow(QMainWindow):
    """Library | reader | highlights. `postShown` fires when a post's page is painted;
    `importFinished` when an import started from the window is done; `closed` when it closes;
    `wordsChanged` after a word's status or the Anki deck's words changed (an edit of a kind in
    WORD_EDITS, made, undone or redone): what shows them refreshes."""

    postShown = Signal(int)
    importFinished = Signal(object)
    closed = Signal()
    wordsChanged = Signal()

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
        self.first_page = None  # the start-up process's app.ui.first_page.FirstPage, see take_startup()
        self.completed = False  # see complete()
        self.setWindowTitle("Kakikomi 書き込み")
        self.setFont(with_cjk_family(self.font()))
        self.resize(1280, 820)
        self._take_reader(reader)
        self.readings = LateReadings(self.reader, self)  # a long post's readings beyond its first screen
        self.view = ViewSettings(self)
        self.underlines = WordUnderlines(self)
        # Reading position is saved a moment after scrolling stops, not on every scroll event.
        self._position_timer = QTimer(self, singleShot=True, interval=800)
        self._position_timer.timeout.connect(self._save_position)
        self._pending_offset: int | None = None
        actions.build_frame(self)
        self.view.restore_layout()
        if complete:
            self.complete()

    def _take_reader(self, reader: ReaderView | None) -> None:
        """The reader in the middle of the splitter, between the panels' places. It may come made,
        already loading the first page (app.ui.app.run)."""
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
        self.reader.postLinkRequested.connect(self.open_post_link)
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

    def complete(self) -> None:
        """Make the rest of the window: the panels, the menus' and the toolbar's actions, the word
        popup; then list the library if the window has one. Done once; see the module."""
        if self.completed:
            return
        from app.ui.claims_panel import WindowClaims
        from app.ui.find_bar import FindBar
        from app.ui.highlight_actions import HighlightActions
        from app.ui.highlights_panel import HighlightsPanel
        from app.ui.importer import WindowImports
        from app.ui.library_panel import LibraryPanel
        from app.ui.vocabulary_panel import install as install_vocabulary
        from app.ui.word_popup import connect_word_popup

        self.find_bar = FindBar(self._current_text, title_source=lambda: self.current.title if self.current else "")
        self.find_bar.matchChosen.connect(self._show_match)
        self.find_bar.matchChosen.connect(lambda start, end: self.reader.mark_range(start, end, scroll=False))
        self.find_bar.titleMatchChosen.connect(self.reader.mark_title)
        self.find_bar.closed.connect(self._find_closed)
        self._middle_layout.insertWidget(0, self.find_bar)  # hidden until Ctrl+F
        self.library_panel = LibraryPanel(self.store)
        self.library_panel.postActivated.connect(lambda post_id, offset: self.open_post(post_id, offset=None if offset < 0 else offset))
        self.library_panel.matchActivated.connect(self.open_match)
        self.posts = self.library_panel.posts
        self.highlights_panel = HighlightsPanel()
        self.highlights = self.highlights_panel.list
        self.highlight_actions = HighlightActions(self)
        self.claims = WindowClaims(self, self.highlights_panel)
        self.suggested_claims = self.claims.panel
        self.side_splitter = self.claims.side
        self.imports = WindowImports(self)
        self.imports.finished.connect(self.importFinished)
        self.wordsChanged.connect(self.library_panel.refresh_shares)
        self.wordsChanged.connect(self.underlines.refresh)
        self.postShown.connect(lambda post_id: QTimer.singleShot(COUNT_WORDS_AFTER_MS, self, lambda: self._count_words(post_id)))
        for index, panel in ((0, self.library_panel), (2, self.side_splitter)):
            self.splitter.replaceWidget(index, panel).deleteLater()
        install_vocabulary(self)  # View › Vocabulary shows it
        actions.build_actions(self)
        self.highlight_actions.history_changed()  # Undo and Redo: nothing yet
        # Esc in the library's search field gives the keys back to the reader.
        self.library_panel.search_field.installEventFilter(self)
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

    # --- what the tests and other modules ask of the window's parts -------------------------

    def save_settings(self) -> None:
        self.view.save()

    def zoom(self, direction: int) -> None:
        self.view.zoom(direction)

    def import_and_open(self, paths: list[str]) -> ImportWorker:
        """Import files and folders, then open the first (app.ui.importer.WindowImports)."""
        return self.imports.import_and_open(paths)

    def highlight_selection(self, color: str | None = None, *, tags=(), note: str = ""):
        return self.highlight_actions.highlight_selection(color, tags=tags, note=note)

    def delete_current(self) -> None:
        self.highlight_actions.delete_current()

    def undo(self) -> None:
        """Take back the session's last edit (Edit › Undo, Ctrl+Z)."""
        kind = self.highlight_actions.history.undo_kind
        self.highlight_actions.undo()
        if kind in WORD_EDITS:
            self.wordsChanged.emit()

    def redo(self) -> None:
        """Make the last edit taken back again (Edit › Redo)."""
        kind = self.highlight_actions.history.redo_kind
        self.highlight_actions.redo()
        if kind in WORD_EDITS:
            self.wordsChanged.emit()

    def change_words(self, kind: str, action, *args) -> object:
        """Run a library action that changes words (`kind` in WORD_EDITS: statuses, the Anki
        deck's picks) as one edit (Ctrl+Z undoes it); then the page is rendered again (furigana
        and underlines follow the statuses) and `wordsChanged` is emitted. Returns its result."""
        result = self.highlight_actions.do(kind, action, *args)
        if self.renders_again(kind):
            self.reload()
        self.wordsChanged.emit()
        return result

    def renders_again(self, kind: str) -> bool:
        """Whether an edit of `kind` changes the page's furigana, so the page must be rendered
        again: a reading always, a word's status only in a mode that hides known words (the
        underlines follow `wordsChanged` without a new page)."""
        if kind == "reading":
            return True
        return kind == "word-status" and self.reading_mode().hides_known

    def focus_reader(self) -> None:
        """Give the keyboard to the reader, where the single keys (H, T, N, 1-5, W, J, K, Delete)
        act on the post: after a popup, a dialog, the find bar or a search field is done."""
        self.activateWindow()
        self.reader.setFocus()  # its focus proxy: the widget Chromium draws the page in

    def reattach_current(self) -> None:
        self.highlight_actions.reattach_current()

    def copy_with_readings(self) -> str:
        return self.highlight_actions.copy_with_readings()

    def show_claims(self):
        """Open (or bring forward) the library's claims table; returns its window."""
        return self.claims.show_table()

    @property
    def claims_window(self):
        """The claims table's window, once it was shown."""
        return self.claims.table

    # --- the open post ----------------------------------------------------------------------

    def open_post(self, post_id: int, *, offset: int | None = None) -> None:
        """Show a post (re-importing it first if its file changed) at `offset` or where the
        reader left it."""
        self.leave_shown_post()
        try:
            opened = opening.open_post(
                self.store, post_id, self.reading_mode(), remote_allowed=self.settings.allow_remote_images, offset=offset
            )
        except (opening.PostError, core_store.StoreError, OSError) as exc:
            QMessageBox.warning(self, self.tr("Cannot open the post"), plain(exc))
            return
        self.show_opened(opened)

    def open_match(self, post_id: int, where: str, start: int, end: int) -> None:
        """Open a post at a search match and mark the match in the page (where: "text" or "title")."""
        self.open_post(post_id, offset=start if where == "text" else 0)
        if self.current is not None and self.current.id == post_id:
            mark = self.reader.mark_range if where == "text" else self.reader.mark_title
            self.reader.after_ready(lambda: mark(start, end))

    def _find_closed(self) -> None:
        """The find bar was closed: its mark goes, and the reader has the focus again."""
        self.reader.clear_marks()
        self.focus_reader()

    def show_word_manager(self):
        """Open (or bring forward) every word with a status across the library (app.ui.word_manager)."""
        from app.ui.word_manager import open_manager

        return open_manager(self)

    def export_anki_deck(self):
        """File › Export Anki Deck…: the words added to the deck, as .apkg or Anki's text import."""
        return self.vocabulary.export_anki(selected=False)

    def show_notebook(self):
        """Open (or bring forward) the notebook of every highlight (app.ui.notebook); returns it."""
        from app.ui.notebook import show_notebook

        return show_notebook(self)

    def open_post_link(self, target: str) -> None:
        """A link in the shown post to another post file (`target`, relative to the shown post):
        that post of the library opens as the library list opens it; one that is not in the
        library is one sentence in the status bar, and nothing else happens."""
        try:
            found = post_links.linked_post(self.store, self.current, target) if self.store is not None else None
        except core_store.StoreError as exc:
            self.statusBar().showMessage(escape_surrogates(translate(exc, current_language())), 10000)
            return
        if found is None:
            # The status bar shows its text as written (never rich text); a long link is cut.
            name = escape_surrogates(target if len(target) <= 200 else target[:200] + "…")
            self.statusBar().showMessage(self.tr("%1 is not in the library.").replace("%1", name), 10000)
            return
        self.open_post(found.id)

    def leave_shown_post(self) -> None:
        """Another post is being opened: the place in this one is saved, and neither the start-up
        process's post nor a file shown while it is imported becomes the open post when ready."""
        self._save_position()
        if self.completed:
            self.imports.previewing = None
        if self.first_page is not None:
            self.first_page.superseded()

    def show_opened(self, opened: Opened) -> None:
        """Put a post app.core.library.opening opened into the reader: one of the library, which
        becomes the open post, or a file not in it yet (no open post until it is)."""
        self.readings.follow(opened)
        if opened.record is not None:
            self._show(opened.record)
        else:
            self.current, self.selection = None, None
            self.setWindowTitle(f"{escape_surrogates(opened.post.title)} — Kakikomi")
        self.reader.show_post(
            opened.post,
            opened.rendered,
            opened.annotations,
            theme=self.theme_box.currentData(),
            vertical=self.vertical_action.isChecked(),
            offset=opened.offset,
            allow_remote_images=opened.allow_remote_images,
        )
        self._shown(opened.post.warnings if opened.record is not None else (), opened.annotations)

    def _show(self, record: PostRecord) -> None:
        """The window's side of showing `record`: the current post, its title, its remote-images
        switch; the next start opens it again (saved with the settings at the close)."""
        self.current = record
        self.settings.last_post = record.source_path
        self.selection = None
        self.remote_action.setChecked(record.source_path in self.settings.allow_remote_images)
        self.setWindowTitle(f"{escape_surrogates(record.title)} — Kakikomi")

    def _shown(self, warnings, annotations) -> None:
        if warnings:  # the post's warnings, each in the window's language
            language = current_language()
            self.statusBar().showMessage(escape_surrogates(" ".join(translate(w, language) for w in warnings)), 10000)
        self.refresh_highlights(annotations)

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

    def take_startup(self, first, files, *, first_run: bool) -> None:
        """Take over from the start-up process (`first`, an app.ui.first_page.FirstPage): its
        page is in the reader or on its way, and its post becomes the open one once it is in the
        library. If it stops short, app.ui.first_page.open_first() does the rest."""
        self.first_page = first
        self.readings.expect(first.early)  # until another post is opened
        first.hand_over(self, files, first_run=first_run)

    def reload(self) -> None:
        if self.current is not None:
            self._save_position()
            self.open_post(self.current.id)

    def reading_mode(self) -> FuriganaMode:
        """The chosen mode; words the reader marked as known lose their furigana in every mode."""
        return opening.reading_mode(self.store, self.furigana_box.currentData())

    def _current_text(self) -> str:
        if self.current is None:
            return ""
        if not self.current.text:
            self.current = self.store.post(self.current.id)
        return self.current.text

    def refresh_posts(self) -> None:
        self.library_panel.refresh()

    def refresh_posts_counts(self) -> None:
        """The current post's row in the sidebar: its highlight count changed."""
        if self.current is not None:
            self.library_panel.update_post(self.store.post(self.current.id))

    def refresh_highlights(self, annotations: list | None = None) -> None:
        """The panels for the current post (`annotations`: its highlights, when just read)."""
        if annotations is None:
            annotations = self.store.annotations(self.current.id) if self.current else []
        self.highlights_panel.show_annotations(annotations, self.store.tag_colors())
        self.suggested_claims.refresh(self.current.id if self.current else None)

    # --- the reader's signals ---------------------------------------------------------------

    def _count_words(self, post_id: int) -> None:
        """A post imported before the library counted its words gets them once it has been read
        (one MeCab pass, after the page shows), so the library list can say how much is known."""
        from app.core.library import vocabulary
        from app.core.store import StoreError

        if self.store is None or self.current is None or self.current.id != post_id:
            return
        try:
            if self.store.post_words(post_id) is not None:
                return
            vocabulary.make_post_words(self.store, post_id)
        except StoreError:
            return  # the post went meanwhile: nothing to count
        self.library_panel.refresh_shares()

    def _on_ready(self) -> None:
        if self.current is not None:
            self.postShown.emit(self.current.id)

    def _on_selection(self, start: int, end: int, _text: str) -> None:
        self.selection = (start, end) if start >= 0 else None

    def _on_position(self, offset: int) -> None:
        self._pending_offset = offset
        self._position_timer.start()

    def _save_position(self) -> None:
        if self.current is not None and self._pending_offset is not None:
            try:
                library.remember_position(self.store, self.current.id, self._pending_offset)
            except core_store.StoreError:
                pass
        self._pending_offset = None

    def _show_match(self, start: int, end: int) -> None:
        self.reader.select_range(start, end)
        self.reader.scroll_to(start)

    # --- dialogs ----------------------------------------------------------------------------

    def export_highlights(self) -> None:
        from app.ui.export_dialog import ExportDialog

        dialog = ExportDialog(self.store, self.current.id if self.current else None, self, last_folder=self.settings.last_export_folder)
        dialog.exec()
        if dialog.last_folder:
            self.settings.last_export_folder = str(dialog.last_folder)
            self.save_settings()
        self.focus_reader()

    def show_about(self) -> None:
        from app.ui.about import AboutDialog

        AboutDialog(self).exec()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        """Esc in the library's search field: the reader takes the keys (the search stays)."""
        from PySide6.QtCore import QEvent, Qt

        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape and watched is self.library_panel.search_field:
            self.focus_reader()
            return True
        return super().eventFilter(watched, event)

    # --- dropping files, closing ------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_and_open(paths)

    def stop_workers(self) -> None:
        """Wait for the window's threads (and end the start-up process): before the window goes,
        however the application ends."""
        self.readings.stop()
        self.underlines.stop()
        if self.first_page is not None:
            self.first_page.stop()  # what it still prepares is not needed any more
        if self.completed:
            self.imports.stop()
            self.suggested_claims.wait()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.stop_workers()
        self._save_position()
        self.view.keep_layout()
        super().closeEvent(event)
        self.closed.emit()
