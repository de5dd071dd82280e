"""The main window: library sidebar, the reader, and the post's highlights.

Thin over the core: it asks app.core for posts, renders and highlights, and only arranges them.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.core import furigana, library, search
from app.core.furigana_mode import FuriganaMode
from app.core.post import PostError, load_post
from app.core.render import RenderOptions, render_post
from app.core.store import COLORS, PostRecord, Store, StoreError
from app.ui.reader_view import ReaderView, make_profile

FURIGANA_CHOICES = [
    ("all", "Furigana: all"),
    ("grade:6", "Furigana: beyond primary school"),
    ("grade:7", "Furigana: beyond jōyō"),
    ("jlpt:3", "Furigana: harder than N3"),
    ("known", "Furigana: hide known words"),
    ("off", "Furigana: off"),
]
THEME_CHOICES = [("auto", "Theme: system"), ("light", "Theme: light"), ("sepia", "Theme: sepia"), ("dark", "Theme: dark")]


class MainWindow(QMainWindow):
    """Library | reader | highlights. `postShown` fires when a post's page is painted."""

    postShown = Signal(int)

    def __init__(self, store: Store, settings: QSettings | None = None):
        super().__init__()
        self.store = store
        self.settings = settings or QSettings()
        self.current: PostRecord | None = None
        self.selection: tuple[int, int] | None = None
        # What Ctrl+Z takes back: ("delete", id) restores, ("create", id) deletes again.
        self.undo_stack: list[tuple[str, str]] = []
        self.setWindowTitle("Kakikomi 書き込み")
        self.resize(1280, 820)
        profile, server, guard = make_profile(None)
        self.network_guard = guard
        self.reader = ReaderView(profile, server, guard, self)
        self.reader.ready.connect(self._on_ready)
        self.reader.bridge.selectionMade.connect(self._on_selection)
        self.reader.bridge.highlightActivated.connect(self._select_highlight)
        self.reader.bridge.readingPositionChanged.connect(self._on_position)

        self.search_field = QLineEdit(placeholderText="Search posts, quotes, notes, tags…")
        self.search_field.returnPressed.connect(self._search)
        self.posts = QListWidget()
        self.posts.setWordWrap(True)
        self.posts.itemActivated.connect(self._open_item)
        self.posts.itemClicked.connect(self._open_item)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self.search_field)
        left_layout.addWidget(self.posts)

        self.highlights = QListWidget()
        self.highlights.setWordWrap(True)
        self.highlights.itemClicked.connect(lambda item: self.reader.scroll_to(item.data(Qt.ItemDataRole.UserRole + 1)))
        self.empty_note = QLabel("Select text in the post and press H to highlight it.")
        self.empty_note.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 6, 6, 6)
        right_layout.addWidget(QLabel("<b>Highlights</b>"))
        right_layout.addWidget(self.empty_note)
        right_layout.addWidget(self.highlights)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.reader)
        self.splitter.addWidget(right)
        self.splitter.setSizes([260, 760, 300])
        self.setCentralWidget(self.splitter)
        # The profile must outlive the page that uses it: children are deleted in the order they
        # were added, so it joins the window only now, after the reader (inside the splitter).
        for owned in (profile, server, guard):
            owned.setParent(self)
        self._build_toolbar()
        self._restore_layout()
        self.refresh_posts()

    # --- layout -----------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QToolBar("Reader")
        bar.setObjectName("reader-toolbar")
        self.addToolBar(bar)
        open_action = QAction("Open…", self, shortcut=QKeySequence.StandardKey.Open, triggered=self.open_files)
        folder_action = QAction("Open Folder…", self, triggered=self.open_folder)
        bar.addAction(open_action)
        bar.addAction(folder_action)
        self.furigana_box = QComboBox()
        for value, label in FURIGANA_CHOICES:
            self.furigana_box.addItem(label, value)
        self.furigana_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.theme_box = QComboBox()
        for value, label in THEME_CHOICES:
            self.theme_box.addItem(label, value)
        self.theme_box.currentIndexChanged.connect(lambda _i: self._apply_classes())
        self.vertical_action = QAction("縦書き", self, checkable=True, triggered=lambda _c: self._apply_classes())
        bar.addWidget(self.furigana_box)
        bar.addWidget(self.theme_box)
        bar.addAction(self.vertical_action)
        highlight = QAction("Highlight", self, shortcut="H", triggered=lambda: self.highlight_selection())
        self.addAction(highlight)
        bar.addAction(highlight)
        for number, color in enumerate(COLORS, 1):
            action = QAction(f"Highlight {color}", self, shortcut=str(number))
            action.triggered.connect(lambda _c=False, col=color: self.highlight_selection(col))
            self.addAction(action)
        self.addAction(QAction("Tag", self, shortcut="T", triggered=self.tag_current))
        self.addAction(QAction("Note", self, shortcut="N", triggered=self.note_current))
        self.addAction(QAction("Delete highlight", self, shortcut=QKeySequence.StandardKey.Delete, triggered=self.delete_current))
        self.addAction(QAction("Undo", self, shortcut=QKeySequence.StandardKey.Undo, triggered=self.undo))
        self.addAction(QAction("Next highlight", self, shortcut="J", triggered=lambda: self.step_highlight(1)))
        self.addAction(QAction("Previous highlight", self, shortcut="K", triggered=lambda: self.step_highlight(-1)))
        self.addAction(QAction("Copy with readings", self, shortcut="Ctrl+Shift+C", triggered=self.copy_with_readings))
        self.reattach_action = QAction("Re-attach to selection", self, triggered=self.reattach_current)
        self.highlights.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.highlights.addAction(self.reattach_action)

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        sizes = self.settings.value("window/splitter")
        if sizes is not None:
            self.splitter.restoreState(sizes)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        super().closeEvent(event)

    # --- posts ------------------------------------------------------------------------------

    def refresh_posts(self) -> None:
        self.posts.clear()
        for post in self.store.posts():
            date = (post.date or "")[:10]
            item = QListWidgetItem(f"{post.title}\n{date}  ·  {post.highlight_count} highlights")
            item.setData(Qt.ItemDataRole.UserRole, post.id)
            self.posts.addItem(item)

    def _open_item(self, item: QListWidgetItem) -> None:
        post_id = item.data(Qt.ItemDataRole.UserRole)
        offset = item.data(Qt.ItemDataRole.UserRole + 1)
        if post_id is not None:
            self.open_post(int(post_id), offset=offset)

    def import_and_open(self, paths: list[str]) -> None:
        report = library.import_paths(self.store, paths)
        self.refresh_posts()
        if report.errors:
            QMessageBox.warning(self, "Some files were not opened", "\n".join(f"{p}: {e}" for p, e in report.errors[:20]))
        opened = (report.added + report.updated + report.unchanged)[:1]
        if opened:
            self.open_post(opened[0])

    def open_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Open posts", "", "Posts (*.md *.markdown *.txt)")
        if files:
            self.import_and_open(files)

    def open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of posts")
        if folder:
            self.import_and_open([folder])

    def _mode(self) -> FuriganaMode:
        value = self.furigana_box.currentData()
        if value == "known":
            return FuriganaMode("all", 0, self.store.known_words())
        return FuriganaMode.parse(value)

    def open_post(self, post_id: int, *, offset: int | None = None) -> None:
        try:
            record = self.store.post(post_id)
            post = load_post(record.source_path)
            if post.content_hash != record.content_hash:
                library.import_file(self.store, record.source_path)  # changed on disk: re-anchor first
                record = self.store.post(post_id)
        except (PostError, StoreError) as exc:
            QMessageBox.warning(self, "Cannot open the post", str(exc))
            return
        overrides = self.store.reading_overrides(record.id)
        rendered = render_post(post, RenderOptions(mode=self._mode(), overrides=overrides))
        self.current = record
        self.selection = None
        self.reader.show_post(
            post,
            rendered,
            self.store.annotations(record.id),
            theme=self.theme_box.currentData(),
            vertical=self.vertical_action.isChecked(),
            offset=record.reading_offset if offset is None else offset,
        )
        self.refresh_highlights()

    def reload(self) -> None:
        if self.current is not None:
            self.open_post(self.current.id)

    def _apply_classes(self) -> None:
        self.reader.set_classes(self.theme_box.currentData(), self.vertical_action.isChecked())

    def _on_ready(self) -> None:
        if self.current is not None:
            self.postShown.emit(self.current.id)

    def _on_position(self, offset: int) -> None:
        if self.current is not None:
            self.store.set_reading_offset(self.current.id, offset)

    # --- search -----------------------------------------------------------------------------

    def _search(self) -> None:
        query = self.search_field.text().strip()
        if not query:
            self.refresh_posts()
            return
        self.posts.clear()
        try:
            hits = search.search(self.store, query)
        except ValueError:
            return
        for hit in hits:
            item = QListWidgetItem(f"{hit.title}\n{hit.marked}")
            item.setData(Qt.ItemDataRole.UserRole, hit.post_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, hit.offset)
            self.posts.addItem(item)
        if not hits:
            self.posts.addItem(QListWidgetItem(f"Nothing found for “{query}”."))

    # --- highlights -------------------------------------------------------------------------

    def _on_selection(self, start: int, end: int, _text: str) -> None:
        self.selection = (start, end) if start >= 0 else None

    def refresh_highlights(self) -> None:
        self.highlights.clear()
        if self.current is None:
            return
        found = self.store.annotations(self.current.id)
        self.empty_note.setVisible(not found)
        for a in found:
            tags = " ".join(f"#{t}" for t in a.tags)
            prefix = "⚠ orphan · " if a.orphan else ""
            item = QListWidgetItem(f"{prefix}{a.exact[:120]}\n{tags} {a.note[:80]}".strip())
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, a.start)
            self.highlights.addItem(item)

    def highlight_selection(self, color: str = "yellow", *, tags=(), note: str = ""):
        """Highlight the current selection; returns the new highlight (or None)."""
        if self.current is None or self.selection is None:
            return None
        start, end = self.selection
        made = library.annotate_span(self.store, self.current, start, end, color=color, tags=tags, note=note)
        self.undo_stack.append(("create", made.id))
        self.reader.set_highlights(self.store.annotations(self.current.id))
        self.reader.call("kk.clearSelection()")
        self.selection = None
        self.refresh_highlights()
        self.refresh_posts_counts()
        return made

    def refresh_posts_counts(self) -> None:
        if not self.search_field.text().strip():
            self.refresh_posts()

    def _current_highlight_id(self) -> str | None:
        item = self.highlights.currentItem() or (self.highlights.item(self.highlights.count() - 1) if self.highlights.count() else None)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _select_highlight(self, annotation_id: str) -> None:
        for row in range(self.highlights.count()):
            if self.highlights.item(row).data(Qt.ItemDataRole.UserRole) == annotation_id:
                self.highlights.setCurrentRow(row)

    def tag_current(self) -> None:
        annotation_id = self._current_highlight_id()
        if annotation_id is None:
            return
        current = self.store.annotation(annotation_id)
        text, ok = QInputDialog.getText(self, "Tags", "Tags (space-separated):", text=" ".join(current.tags))
        if ok:
            try:
                library.update_annotation(self.store, annotation_id, tags=text.split())
            except StoreError as exc:
                QMessageBox.warning(self, "Tags", str(exc))
            self.refresh_highlights()

    def note_current(self) -> None:
        annotation_id = self._current_highlight_id()
        if annotation_id is None:
            return
        current = self.store.annotation(annotation_id)
        text, ok = QInputDialog.getMultiLineText(self, "Note", "Note:", current.note)
        if ok:
            library.update_annotation(self.store, annotation_id, note=text)
            self.refresh_highlights()

    def _repaint(self) -> None:
        if self.current is not None:
            self.reader.set_highlights(self.store.annotations(self.current.id))
        self.refresh_highlights()
        self.refresh_posts_counts()

    def delete_current(self) -> None:
        """Delete the selected highlight (a marker: Ctrl+Z brings it back)."""
        item = self.highlights.currentItem()
        if item is None:
            return
        annotation_id = item.data(Qt.ItemDataRole.UserRole)
        library.delete_annotation(self.store, annotation_id)
        self.undo_stack.append(("delete", annotation_id))
        self._repaint()

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
        count = self.highlights.count()
        if not count:
            return
        row = (self.highlights.currentRow() + step) % count if self.highlights.currentRow() >= 0 else (0 if step > 0 else count - 1)
        self.highlights.setCurrentRow(row)
        self.reader.scroll_to(self.highlights.item(row).data(Qt.ItemDataRole.UserRole + 1))

    def reattach_current(self) -> None:
        """Attach the selected highlight (typically an orphan) to the text selected in the post."""
        item = self.highlights.currentItem()
        if item is None or self.selection is None:
            QMessageBox.information(self, "Re-attach", "Select the text in the post, then choose the highlight to attach to it.")
            return
        library.reattach(self.store, item.data(Qt.ItemDataRole.UserRole), *self.selection)
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
