"""What the reader does to the open post's highlights from the window: highlight the selection
(H, 1-5), tag (T), annotate (N), delete (Delete) and undo (Ctrl+Z), step through them (J, K),
re-attach an orphan, copy the selection with its readings.

Each is one library action (app.core.library.actions); then the page, the panels and the post's
row in the sidebar are repainted from one read of the post's highlights.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from app.core.store import StoreError
from app.lazy import lazy_module
from app.ui.highlights_panel import ANNOTATION_ID, TagDialog
from app.ui.plain import plain

furigana = lazy_module("app.core.reading.furigana")
library = lazy_module("app.core.library.actions")


class HighlightActions(QObject):
    """The window's highlight actions. `window` is the MainWindow: its open post (`current`), the
    text selected in the page (`selection`), `store`, `reader` and `highlights_panel`."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        # What Ctrl+Z takes back: ("delete", id) restores, ("create", id) deletes again.
        self.undo_stack: list[tuple[str, str]] = []
        window.highlights_panel.activated.connect(self._scroll_to)
        window.reader.bridge.highlightActivated.connect(window.highlights_panel.select)

    def _scroll_to(self, _annotation_id: str, offset: int) -> None:
        if offset >= 0:  # not an orphan
            self.window.reader.scroll_to(offset)

    def highlight_selection(self, color: str = "yellow", *, tags=(), note: str = ""):
        """Highlight the current selection; returns the new highlight (or None)."""
        window = self.window
        if window.current is None or window.selection is None:
            window.statusBar().showMessage(self.tr("Select some text in the post first."), 4000)
            return None
        start, end = window.selection
        try:
            made = library.annotate_span(window.store, window.current, start, end, color=color, tags=tags, note=note)
        except (StoreError, ValueError) as exc:
            QMessageBox.warning(window, self.tr("Highlight"), plain(exc))
            return None
        self.undo_stack.append(("create", made.id))
        window.reader.call("kk.clearSelection()")
        window.selection = None
        self.repaint(select=made.id)
        return made

    def made(self, annotation_ids: list[str]) -> None:
        """Highlights made elsewhere (accepted suggestions): painted, listed, the last one
        selected, and each one for Ctrl+Z to take back."""
        self.undo_stack.extend(("create", annotation_id) for annotation_id in annotation_ids)
        self.repaint()
        self.window.highlights_panel.select(annotation_ids[-1])

    def _current_id(self) -> str | None:
        """The highlight the panel has selected, else a new one from the text selected in the
        page (T and N on a selection highlight it first), else the last highlight."""
        panel = self.window.highlights_panel
        chosen = panel.current_id()
        if chosen:
            return chosen
        if self.window.selection is not None:
            made = self.highlight_selection()
            return made.id if made else None
        rows = panel.rows()
        return panel.list.item(rows[-1]).data(ANNOTATION_ID) if rows else None

    def tag_current(self) -> None:
        annotation_id = self._current_id()
        if annotation_id is None:
            return
        store = self.window.store
        dialog = TagDialog(store.annotation(annotation_id).tags, [t["name"] for t in store.tags()], self.window)
        if dialog.exec():
            try:
                library.update_annotation(store, annotation_id, tags=dialog.tags())
            except StoreError as exc:
                QMessageBox.warning(self.window, self.tr("Tags"), plain(exc))
            self.repaint()

    def note_current(self) -> None:
        annotation_id = self._current_id()
        if annotation_id is None:
            return
        current = self.window.store.annotation(annotation_id)
        text, ok = QInputDialog.getMultiLineText(self.window, self.tr("Note"), self.tr("Note:"), current.note)
        if ok:
            library.update_annotation(self.window.store, annotation_id, note=text)
            self.repaint()

    def delete_current(self) -> None:
        """Delete the selected highlight (a marker: Ctrl+Z brings it back)."""
        annotation_id = self.window.highlights_panel.current_id()
        if annotation_id is None:
            return
        library.delete_annotation(self.window.store, annotation_id)
        self.undo_stack.append(("delete", annotation_id))
        self.repaint()
        self.window.statusBar().showMessage(self.tr("Highlight deleted. Ctrl+Z brings it back."), 5000)

    def undo(self) -> None:
        """Take back the last highlight made or deleted."""
        if not self.undo_stack:
            return
        action, annotation_id = self.undo_stack.pop()
        if action == "delete":
            library.restore_annotation(self.window.store, annotation_id)
        else:
            library.delete_annotation(self.window.store, annotation_id)
        self.repaint()

    def step_highlight(self, step: int) -> None:
        """Select the next (J) or previous (K) highlight and scroll to it."""
        found = self.window.highlights_panel.step(step)
        if found is not None and found[1] >= 0:
            self.window.reader.scroll_to(found[1])

    def reattach_current(self) -> None:
        """Attach the selected highlight (typically an orphan) to the text selected in the post."""
        window = self.window
        annotation_id = window.highlights_panel.current_id()
        if annotation_id is None or window.selection is None:
            QMessageBox.information(
                window, self.tr("Re-attach"), self.tr("Select the text in the post, then choose the highlight to attach to it.")
            )
            return
        library.reattach(window.store, annotation_id, *window.selection)
        self.repaint()

    def copy_with_readings(self) -> str:
        """Copy the selection as 漢字《かんじ》 text (plain copy, Ctrl+C, leaves readings out)."""
        window = self.window
        if window.current is None or window.selection is None:
            return ""
        record = window.store.post(window.current.id)
        text = furigana.with_readings(record.text, *window.selection, window.store.reading_overrides(record.id))
        QApplication.clipboard().setText(text)
        return text

    def repaint(self, *, select: str | None = None) -> None:
        """After a highlight changed: the page, the panels and the post's row, from one read."""
        window = self.window
        selected = select or window.highlights_panel.current_id()
        annotations = window.store.annotations(window.current.id) if window.current is not None else []
        if window.current is not None:
            window.reader.set_highlights(annotations)
        window.refresh_highlights(annotations)
        if selected:
            window.highlights_panel.select(selected)
        window.refresh_posts_counts()

