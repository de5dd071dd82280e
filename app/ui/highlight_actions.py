"""What the reader does to the open post's highlights from the window: highlight the selection
(H, 1-5), recolour (1-5), tag (T), annotate (N) and delete (Delete) the chosen highlight, undo and
redo every edit (Ctrl+Z, Ctrl+Shift+Z), step through the highlights (J, K), re-attach an orphan,
copy the selection with its readings.

The keys act on what the reader pointed at last: text selected in the page (the highlight it
lies in, or new text to highlight), or a highlight chosen by a click on it in the text, on its row
in the panel, or by J and K. A click in the text outside every highlight chooses none.
Highlighting text that is highlighted already changes that highlight instead of making a second
one, and text that overlaps highlights merges with them (app.core.library.actions.highlight).

Each edit is one library action (app.core.library.actions), run and recorded by the session's
app.core.library.history.History; then the page, the panels and the post's row in the sidebar
are repainted from one read of the post's highlights.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.common.messages import translate
from app.core.common.text import escape_surrogates
from app.core.store import StoreError
from app.lazy import lazy_module
from app.ui.highlights_panel import NoteDialog, TagDialog
from app.ui.i18n import current_language
from app.ui.plain import plain

furigana = lazy_module("app.core.reading.furigana")
library = lazy_module("app.core.library.actions")
undo_history = lazy_module("app.core.library.history")

# What the Edit menu calls each kind of edit: "Undo Recolour", "Redo Tags".
EDIT_NAMES = {
    "create": QT_TRANSLATE_NOOP("HighlightActions", "Highlight"),
    "delete": QT_TRANSLATE_NOOP("HighlightActions", "Delete"),
    "recolour": QT_TRANSLATE_NOOP("HighlightActions", "Recolour"),
    "tags": QT_TRANSLATE_NOOP("HighlightActions", "Tags"),
    "note": QT_TRANSLATE_NOOP("HighlightActions", "Note"),
    "reattach": QT_TRANSLATE_NOOP("HighlightActions", "Re-attach"),
    "reading": QT_TRANSLATE_NOOP("HighlightActions", "Reading"),
    "word-status": QT_TRANSLATE_NOOP("HighlightActions", "Word Status"),
    "anki": QT_TRANSLATE_NOOP("HighlightActions", "Anki Deck"),
    "update": QT_TRANSLATE_NOOP("HighlightActions", "Highlight Change"),
}
# Edits that change how the post is read aloud: the page is rendered again, not only repainted.
RENDERED_KINDS = ("reading", "word-status")


def edit_name(kind: str) -> str:
    """The name of an edit of `kind` in the UI's language."""
    return QCoreApplication.translate("HighlightActions", EDIT_NAMES.get(kind, kind))


class HighlightActions(QObject):
    """The window's highlight actions. `window` is the MainWindow: its open post (`current`), the
    text selected in the page (`selection`), `store`, `reader` and `highlights_panel`; once its
    actions are made, `undo_action` and `redo_action`, named after what they would do."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._history = None  # see `history`
        # The chosen highlight is the panel's current row (a click on the highlight in the
        # text selects its row; a click in the text outside every highlight, none). Whether it
        # was chosen after the text selected in the page, if any: the keys act on the later.
        self.chose_last = False
        panel = window.highlights_panel
        panel.activated.connect(self._row_chosen)
        panel.list.currentItemChanged.connect(lambda *_: window.reader.select_highlight(panel.current_id()))
        window.reader.bridge.highlightActivated.connect(self._chosen_in_page)
        window.reader.bridge.selectionMade.connect(self._text_selected)

    @property
    def history(self):
        """This session's edits, for Ctrl+Z and Ctrl+Shift+Z (made at the first edit: nothing of
        it is imported while the window starts)."""
        if self._history is None:
            self._history = undo_history.History()
        return self._history

    # --- which highlight the keys act on ----------------------------------------------------

    def _text_selected(self, start: int, _end: int, _text: str) -> None:
        if start >= 0:
            self.chose_last = False

    def _row_chosen(self, _annotation_id: str, offset: int) -> None:
        self.chose_last = True
        if offset >= 0:  # not an orphan
            self.window.reader.scroll_to(offset)

    def _chosen_in_page(self, annotation_id: str) -> None:
        """A click in the text: on a highlight (chosen, and its row selected), or outside all."""
        panel = self.window.highlights_panel
        if annotation_id and panel.select(annotation_id):
            self.chose_last = True
        else:
            panel.list.setCurrentRow(-1)

    def _live(self) -> list:
        window = self.window
        return [a for a in window.store.annotations(window.current.id) if not a.orphan] if window.current is not None else []

    def _covering(self, start: int, end: int) -> str | None:
        """The highlight the span lies in (the innermost), if any."""
        inside = [a for a in self._live() if a.start <= start and end <= a.end]
        return min(inside, key=lambda a: a.end - a.start).id if inside else None

    def _overlaps(self, start: int, end: int) -> bool:
        return any(a.start < end and start < a.end for a in self._live())

    def target(self) -> str | None:
        """The highlight the keys act on: the one the selected text lies in (none if it lies in
        none), or the chosen one if it was chosen after the text was selected or nothing is."""
        window = self.window
        if self._selection() is not None:
            return self._covering(*window.selection)
        return window.highlights_panel.current_id()

    def _selection(self) -> tuple[int, int] | None:
        """The text selected in the page, unless a highlight was chosen after it."""
        return None if self.chose_last else self.window.selection

    def _say(self, message: str, timeout: int = 5000) -> None:
        self.window.statusBar().showMessage(message, timeout)

    # --- the edits --------------------------------------------------------------------------

    def do(self, kind: str, action, *args, **kwargs):
        """Run the library action `action(store, *args, **kwargs)`, recorded for undo as an edit
        of `kind` (app.core.library.history.KINDS); returns its result. The caller repaints."""
        try:
            return self.history.do(self.window.store, kind, action, *args, **kwargs)
        finally:
            self.history_changed()

    def highlight_selection(self, color: str | None = None, *, tags=(), note: str = ""):
        """Highlight the selected text in `color` (1-5; H: the default colour for new text): a new
        highlight, or the one the text lies in recoloured, or one merged with those it overlaps.
        Without selected text, the chosen highlight is recoloured. Returns the highlight (or None)."""
        window = self.window
        selection = self._selection()
        if window.current is None or (selection is None and self.target() is None):
            self._say(self.tr("Select some text in the post first."), 4000)
            return None
        if selection is None or (not tags and not note and self._covering(*selection)):
            return self.recolour(self.target(), color)
        start, end = selection
        kind = "update" if self._overlaps(start, end) else "create"
        try:
            made = self.do(kind, library.annotate_span, window.current, start, end, color=color, tags=tags, note=note)
        except (StoreError, ValueError) as exc:
            QMessageBox.warning(window, self.tr("Highlight"), plain(exc))
            return None
        self._clear_selection()
        self.repaint(select=made.id)
        return made

    def _clear_selection(self) -> None:
        self.window.reader.call("kk.clearSelection()")
        self.window.selection = None

    def recolour(self, annotation_id: str, color: str | None):
        """Give a highlight another colour (no edit when it has that colour already, or for None:
        H on a highlight only chooses it)."""
        store = self.window.store
        current = store.annotation(annotation_id)
        if color is not None and current.color != color:
            try:
                current = self.do("recolour", library.update_annotation, annotation_id, color=color)
            except StoreError as exc:
                QMessageBox.warning(self.window, self.tr("Highlight"), plain(exc))
                return None
        self._clear_selection()
        self.repaint(select=annotation_id)
        return current

    def made(self, annotation_ids: list[str]) -> None:
        """Highlights made elsewhere (accepted suggestions) and recorded in `history` by their
        maker: painted, listed, the last one selected."""
        self.history_changed()
        self.repaint(select=annotation_ids[-1] if annotation_ids else None)

    def _edited(self, what: str) -> tuple[str | None, bool]:
        """The highlight T or N edits and whether there is one to edit: (its id, True); (None,
        True) for selected text not highlighted yet (the dialog's answer makes it, one edit);
        with neither, the status bar says so and (None, False)."""
        annotation_id = self.target()
        if annotation_id is None and self._selection() is None:
            self._say(what)
            return None, False
        return annotation_id, True

    def tag_current(self) -> None:
        """Edit the tags of the highlight the keys act on (T); selected text that is not
        highlighted yet is highlighted with the tags given, in one edit (one Ctrl+Z)."""
        annotation_id, found = self._edited(self.tr("Choose a highlight (click it) or select some text to tag."))
        if not found:
            return
        store = self.window.store
        current = store.annotation(annotation_id).tags if annotation_id else ()
        dialog = TagDialog(current, [t["name"] for t in store.tags()], self.window)
        accepted = dialog.exec()
        if accepted and annotation_id is None:
            made = self.highlight_selection(tags=dialog.tags()) if dialog.tags() else self.highlight_selection()
            annotation_id = made.id if made else None
        elif accepted and tuple(dialog.tags()) != tuple(store.annotation(annotation_id).tags):
            try:
                self.do("tags", library.update_annotation, annotation_id, tags=dialog.tags())
            except StoreError as exc:
                QMessageBox.warning(self.window, self.tr("Tags"), plain(exc))
        if annotation_id is not None:
            self.repaint(select=annotation_id)
        self.window.focus_reader()

    def note_current(self) -> None:
        """Edit the note of the highlight the keys act on (N); selected text that is not
        highlighted yet is highlighted with the note written, in one edit (one Ctrl+Z)."""
        annotation_id, found = self._edited(self.tr("Choose a highlight (click it) or select some text to annotate."))
        if not found:
            return
        current = self.window.store.annotation(annotation_id).note if annotation_id else ""
        dialog = NoteDialog(current, self.window)
        accepted = dialog.exec()
        if accepted and annotation_id is None:
            made = self.highlight_selection(note=dialog.note()) if dialog.note() else self.highlight_selection()
            annotation_id = made.id if made else None
        elif accepted and dialog.note() != current:
            self.do("note", library.update_annotation, annotation_id, note=dialog.note())
        if annotation_id is not None:
            self.repaint(select=annotation_id)
        self.window.focus_reader()

    def delete_current(self) -> None:
        """Delete the highlight the keys act on (a marker: Ctrl+Z brings it back)."""
        annotation_id = self.target()
        if annotation_id is None:
            self._say(self.tr("Choose a highlight (click it) to delete it."))
            return
        self.do("delete", library.delete_annotation, annotation_id)
        self.window.highlights_panel.list.setCurrentRow(-1)
        self.repaint()
        self._say(self.tr("Highlight deleted. Ctrl+Z brings it back."))

    def reattach_current(self) -> None:
        """Attach the selected highlight (typically an orphan) to the text selected in the post."""
        window = self.window
        annotation_id = window.highlights_panel.current_id()
        if annotation_id is None or window.selection is None:
            QMessageBox.information(
                window, self.tr("Re-attach"), self.tr("Select the text in the post, then choose the highlight to attach to it.")
            )
            return
        self.do("reattach", library.reattach, annotation_id, *window.selection)
        self.repaint(select=annotation_id)

    # --- undo and redo ----------------------------------------------------------------------

    def undo(self) -> None:
        """Take back the last edit of the session (Ctrl+Z), in whichever post it was made."""
        if self._history is None or self.history.undo_kind is None:
            self._say(self.tr("Nothing to undo."), 3000)
            return
        self._replay(self.history.undo)

    def redo(self) -> None:
        """Make again the last edit taken back (Ctrl+Shift+Z)."""
        if self._history is None or self.history.redo_kind is None:
            self._say(self.tr("Nothing to redo."), 3000)
            return
        self._replay(self.history.redo)

    def _replay(self, step) -> None:
        try:
            edit = step(self.window.store)
        except StoreError as exc:  # the library changed meanwhile: the edit was dropped, nothing changed
            self.history_changed()
            self._say(escape_surrogates(translate(exc, current_language())), 10000)  # the status bar shows plain text
            return
        self._show_edit(edit)

    def _show_edit(self, edit) -> None:
        """After an undo or a redo: the post it touched, shown as after the edit itself (opened
        if another post is open, rendered again after a reading or a known word)."""
        self.history_changed()
        if edit is None:
            return
        window = self.window
        live = {a.id for a in self._live_of(edit.post_id)} if edit.post_id is not None else set()
        select = next((i for i in edit.annotation_ids if i in live), None)
        if edit.post_id is not None and (window.current is None or window.current.id != edit.post_id):
            window.open_post(edit.post_id)
        elif edit.kind in RENDERED_KINDS and window.renders_again(edit.kind):
            window.reload()
        else:
            self.repaint(select=select)
            return
        if select:
            window.highlights_panel.select(select)
        window.refresh_posts_counts()

    def _live_of(self, post_id: int) -> list:
        try:
            return self.window.store.annotations(post_id)
        except StoreError:
            return []

    def history_changed(self) -> None:
        """Name the Edit menu's Undo and Redo after what they would do; disabled when nothing."""
        window, edits = self.window, self._history
        for action, kind, named, bare in (
            (getattr(window, "undo_action", None), edits and edits.undo_kind, self.tr("&Undo %1"), self.tr("&Undo")),
            (getattr(window, "redo_action", None), edits and edits.redo_kind, self.tr("&Redo %1"), self.tr("&Redo")),
        ):
            if action is not None:
                action.setText(named.replace("%1", edit_name(kind)) if kind else bare)
                action.setEnabled(kind is not None)

    # --- moving, copying --------------------------------------------------------------------

    def step_highlight(self, step: int) -> None:
        """Select the next (J) or previous (K) highlight and scroll to it."""
        found = self.window.highlights_panel.step(step)
        if found is not None:
            self.chose_last = True
            if found[1] >= 0:
                self.window.reader.scroll_to(found[1])

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
        if selected and not window.highlights_panel.select(selected):
            window.reader.select_highlight(None)
        window.refresh_posts_counts()
