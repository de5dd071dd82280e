"""Suggested claims for the open post: the sentences that state an amount, or name a chip with a
company, and are not highlighted or dismissed yet; accept one (a tagged highlight) or dismiss it.

Thin over app.core.claims.table: `suggestions_for` runs in a worker thread with its own
connection to the library (an SQLite connection belongs to the thread that made it, and a long
post takes a fifth of a second); accepting and dismissing are single writes on the GUI thread.

`WindowClaims` wires the claims into the main window: this panel under the post's highlights,
and the library's claims table (app.ui.claims_table), a window of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.common.messages import as_message, translate
from app.core.library.derived import open_library
from app.core.store import Store, StoreError
from app.lazy import lazy_module
from app.ui.i18n import current_language
from app.ui.plain import plain

if TYPE_CHECKING:
    from app.core.claims.sentences import Suggestion

library = lazy_module("app.core.library.actions")
claim_suggestions = lazy_module("app.core.claims.suggestions")  # its tables are built when first needed

SUGGESTION = Qt.ItemDataRole.UserRole
# About two lines of the panel's width: the whole sentence is in the tooltip.
SENTENCE_CHARS = 90
QWIDGETSIZE_MAX = 16_777_215


def found_text(suggestion: Suggestion) -> str:
    """What made the sentence a suggestion, in one line: the amounts as written, then the names."""
    parts = [amount.text for amount in suggestion.amounts]
    parts += list(suggestion.companies) + list(suggestion.chips)
    return " · ".join(dict.fromkeys(parts))


class SuggestionsWorker(QThread):
    """Computes one post's suggestions on its own connection to the library at `db_path`.

    `computed(generation, suggestions, any_found)` carries the list, and whether the post has any
    sentence worth suggesting at all (highlighted, dismissed or not); `failed(generation,
    message)` one sentence for the reader (a core Message keeps its id: the panel shows it in the
    window's language). Nothing here touches a widget."""

    computed = Signal(int, object, bool)
    failed = Signal(int, object)

    def __init__(self, db_path: Path, post_id: int, generation: int, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path, self.post_id, self.generation = Path(db_path), post_id, generation

    def run(self) -> None:
        try:
            store = open_library(self.db_path, create=False)
        except StoreError as exc:
            self.failed.emit(self.generation, as_message(exc))
            return
        try:
            found = claim_suggestions.suggestions_for(store, self.post_id)
            # The raw list is cached by suggestions_for: asking for it again reads nothing.
            any_found = bool(found) or bool(claim_suggestions.raw_suggestions(store, self.post_id))
            self.computed.emit(self.generation, found, any_found)
        except Exception as exc:  # noqa: BLE001 - the panel must hear of it, not a dead thread
            self.failed.emit(self.generation, f"{type(exc).__name__}: {exc}")
        finally:
            store.close()


class SuggestedClaims(QWidget):
    """The open post's suggested claims under a header that folds the list away.

    `activated(start)` when a row is clicked (the reader scrolls there); `accepted(ids)` after
    suggestions became highlights (the window repaints once); `dismissed(start)` after one was
    dismissed; `ready(post_id)` whenever a computed list is shown (tests wait for it).
    """

    activated = Signal(int)
    accepted = Signal(list)
    dismissed = Signal(int)
    ready = Signal(int)

    def __init__(self, store: Store | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.post_id: int | None = None
        self.suggestions: list[Suggestion] = []
        self._generation = 0  # results of an older request (another post, an older state) are dropped
        self._workers: set[SuggestionsWorker] = set()
        self._computing = False
        self._held: int | None = None  # see hold()
        self._any_found = True  # the post has sentences worth suggesting (before highlights, dismissals)
        # How an accepted suggestion's highlight is made: run_edit(kind, action, *args) runs the
        # library action `action(store, *args)`; the window's records it for undo (WindowClaims).
        self.run_edit = lambda _kind, action, *args: action(self.store, *args)

        self.header = QToolButton()
        self.header.setCheckable(True)
        self.header.setChecked(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setAutoRaise(True)
        self.header.setStyleSheet("QToolButton { font-weight: bold; border: none; }")
        self.header.setToolTip(self.tr("Sentences of this post that state an amount, or name a chip and a company"))
        self.header.toggled.connect(self.set_expanded)

        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)  # see HighlightsPanel: CJK lines are taller
        self.list.setSpacing(2)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.note = QLabel()
        self.note.setWordWrap(True)

        self.accept_action = QAction(self.tr("Accept as Claim"), self)
        self.accept_action.setToolTip(self.tr("Highlight the sentence, tagged as a claim"))
        self.accept_action.triggered.connect(self.accept_selected)
        self.dismiss_action = QAction(self.tr("Dismiss"), self)
        self.dismiss_action.setToolTip(self.tr("Do not suggest this sentence again"))
        self.dismiss_action.triggered.connect(self.dismiss_selected)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.list.addAction(self.accept_action)
        self.list.addAction(self.dismiss_action)
        self.accept_button = QPushButton(self.tr("Accept"))
        self.accept_button.setToolTip(self.accept_action.toolTip())
        self.accept_button.clicked.connect(self.accept_selected)
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setToolTip(self.dismiss_action.toolTip())
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.dismiss_button)

        self.body = QWidget()
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.note)
        body_layout.addWidget(self.list, 1)
        body_layout.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(self.body, 1)
        self.set_expanded(True)
        self._update_header()
        self._update_buttons()
        self._show_note()

    # --- folding ----------------------------------------------------------------------------

    @property
    def expanded(self) -> bool:
        return self.header.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        """Show or fold away the list; folded, the widget is only as tall as its header (a splitter
        then gives the room to the highlights above)."""
        if self.header.isChecked() != expanded:
            self.header.setChecked(expanded)  # comes back here through toggled
            return
        self.body.setVisible(expanded)
        self.header.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        if expanded:
            self.setMaximumHeight(QWIDGETSIZE_MAX)
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        else:
            margins = self.layout().contentsMargins()
            self.setMaximumHeight(self.header.sizeHint().height() + margins.top() + margins.bottom())
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def _update_header(self) -> None:
        heading = self.tr("Suggested")
        counted = self.post_id is not None and not (self._computing and not self.suggestions)
        self.header.setText(f"{heading} ({len(self.suggestions)})" if counted else heading)

    # --- computing --------------------------------------------------------------------------

    @property
    def computing(self) -> bool:
        """Whether a newer list is still being computed."""
        return self._computing

    def refresh(self, post_id: int | None) -> None:
        """Show the suggestions of `post_id` (None: no post open), computed off the GUI thread;
        the rows shown stay until the new list arrives."""
        self._generation += 1
        if post_id != self.post_id:
            self.post_id = post_id
            self.suggestions = []
            self.list.clear()
        if post_id is None:
            self._computing = False
            self._update_header()
            self._show_note()
            return
        self._computing = True
        self._update_header()
        self._show_note()
        if self._held == post_id:
            return  # computed elsewhere (the start-up process): release() asks again
        worker = SuggestionsWorker(self.store.path, post_id, self._generation)
        worker.computed.connect(self._computed)
        worker.failed.connect(self._failed)
        worker.finished.connect(lambda w=worker: self._forget(w))
        self._workers.add(worker)
        worker.start()

    def hold(self, post_id: int) -> None:
        """Compute nothing for `post_id` until release(): its suggestions are on their way from
        the process that prepared the first page (see remember())."""
        self._held = post_id

    def release(self) -> None:
        """End hold(): show the held post's suggestions (from the cache when they came)."""
        held, self._held = self._held, None
        if held is not None and held == self.post_id:
            self.refresh(held)

    def remember(self, post_id: int, found) -> None:
        """The suggestions of `post_id` computed elsewhere (the start-up process): kept where
        app.core.claims.suggestions keeps the ones it computes, and shown; ends hold()."""
        try:
            claim_suggestions.remember_suggestions(self.store, post_id, found)
        except StoreError:
            pass  # the post is gone meanwhile: nothing to suggest for it
        self.release()

    def _forget(self, worker: SuggestionsWorker) -> None:
        worker.wait()
        self._workers.discard(worker)
        worker.deleteLater()

    def wait(self) -> None:
        """Wait for the workers still running (the window calls this before it closes: a QThread
        destroyed while it runs takes the application down)."""
        for worker in list(self._workers):
            worker.wait()

    def _computed(self, generation: int, suggestions: list[Suggestion], any_found: bool = True) -> None:
        if generation != self._generation:
            return
        self._computing = False
        self._any_found = any_found
        self._fill(suggestions)
        self.ready.emit(self.post_id if self.post_id is not None else -1)

    def _failed(self, generation: int, message: object) -> None:
        if generation != self._generation:
            return
        self._computing = False
        self._fill([])
        reason = translate(message, current_language())
        self.note.setText(plain(self.tr("Suggestions could not be computed: %1").replace("%1", reason)))
        self.note.show()
        self.ready.emit(self.post_id if self.post_id is not None else -1)

    # --- the list ---------------------------------------------------------------------------

    def _fill(self, suggestions: list[Suggestion]) -> None:
        selected = {s.start for s in self.selected()}
        self.suggestions = list(suggestions)
        self.list.clear()
        for suggestion in self.suggestions:
            item = self._item(suggestion)
            self.list.addItem(item)
            if suggestion.start in selected:
                item.setSelected(True)
        self._update_header()
        self._update_buttons()
        self._show_note()

    def _item(self, suggestion: Suggestion) -> QListWidgetItem:
        sentence = " ".join(suggestion.sentence.split())
        if len(sentence) > SENTENCE_CHARS:
            sentence = sentence[:SENTENCE_CHARS] + "…"
        item = QListWidgetItem(f"{sentence}\n{found_text(suggestion)}")
        item.setData(SUGGESTION, suggestion)
        item.setToolTip(plain(suggestion.sentence, 600))
        return item

    def _show_note(self) -> None:
        if self.post_id is None:
            text = self.tr("Open a post to see the sentences worth keeping as claims.")
        elif self._computing and not self.suggestions:
            text = self.tr("Looking for amounts, companies and chips…")
        elif not self.suggestions and not self._any_found:
            text = self.tr("Nothing to suggest: no sentence of this post states an amount, or names a chip with a company.")
        elif not self.suggestions:
            text = self.tr("Nothing to suggest: every sentence with an amount, or a chip and a company, is highlighted or dismissed.")
        else:
            text = ""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _update_buttons(self) -> None:
        chosen = bool(self.list.selectedItems())
        for widget in (self.accept_button, self.dismiss_button, self.accept_action, self.dismiss_action):
            widget.setEnabled(chosen)

    def _clicked(self, item: QListWidgetItem) -> None:
        suggestion = item.data(SUGGESTION)
        if suggestion is not None:
            self.activated.emit(suggestion.start)

    def selected(self) -> list[Suggestion]:
        """The suggestions selected in the list, in text order."""
        chosen = [item.data(SUGGESTION) for item in self.list.selectedItems()]
        return sorted((s for s in chosen if s is not None), key=lambda s: s.start)

    def select(self, suggestion: Suggestion) -> None:
        """Make `suggestion` the only selected row (by its start offset)."""
        self.list.clearSelection()
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(SUGGESTION).start == suggestion.start:
                self.list.setCurrentItem(item)
                item.setSelected(True)

    def _remove(self, done: list[Suggestion]) -> None:
        """Take rows off at once; the recomputed list (after the window repaints) confirms it."""
        starts = {s.start for s in done}
        self._fill([s for s in self.suggestions if s.start not in starts])

    # --- accept and dismiss -----------------------------------------------------------------

    def accept_selected(self) -> list[str]:
        """Make each selected suggestion a highlight tagged as a claim; returns their ids."""
        if self.post_id is None:
            return []
        made: list[str] = []
        done: list[Suggestion] = []
        for suggestion in self.selected():
            try:
                annotation = self.run_edit("create", library.accept_suggestion, self.post_id, suggestion)
            except (StoreError, ValueError) as exc:
                QMessageBox.warning(self, self.tr("Accept claim"), plain(exc))
                break
            made.append(annotation.id)
            done.append(suggestion)
        self._remove(done)
        if made:
            self.accepted.emit(made)
        return made

    def dismiss_selected(self) -> None:
        """Dismiss each selected suggestion: it is not offered again for this post."""
        if self.post_id is None:
            return
        done: list[Suggestion] = []
        for suggestion in self.selected():
            try:
                library.dismiss_suggestion(self.store, self.post_id, suggestion)
            except (StoreError, ValueError) as exc:
                QMessageBox.warning(self, self.tr("Dismiss suggestion"), plain(exc))
                break
            done.append(suggestion)
        self._remove(done)
        for suggestion in done:
            self.dismissed.emit(suggestion.start)


class WindowClaims(QObject):
    """The claims in the main window `window`: the suggested claims (`panel`) under the post's
    highlights (`side`, the window's right-hand side), and the library's claims table (`table`,
    made when first shown). Accepted suggestions become the window's highlights; a claim chosen
    in the table opens its post at the claim."""

    def __init__(self, window, highlights_panel: QWidget):
        super().__init__(window)
        self.window = window
        self.panel = SuggestedClaims(window.store)
        self.panel.activated.connect(window.reader.scroll_to)
        self.panel.accepted.connect(self._accepted)
        self.panel.run_edit = window.highlight_actions.do  # Ctrl+Z takes an accepted suggestion back
        self.table = None  # an app.ui.claims_table.ClaimsWindow, see show_table()
        self.side = QSplitter(Qt.Orientation.Vertical)
        self.side.setChildrenCollapsible(False)
        self.side.addWidget(highlights_panel)
        self.side.addWidget(self.panel)
        self.side.setStretchFactor(0, 3)
        self.side.setStretchFactor(1, 2)

    def _accepted(self, annotation_ids: list[str]) -> None:
        """Suggestions became highlights: the window paints and lists them (Ctrl+Z takes each
        back), and the claims table, if open, has them too."""
        self.window.highlight_actions.made(annotation_ids)
        if self.table is not None and self.table.isVisible():
            self.table.reload()

    def show_table(self):
        """Open (or bring forward) the library's claims table; returns its window."""
        from app.ui.claims_table import ClaimsWindow

        if self.table is None:
            self.table = ClaimsWindow(self.window.store, self.window)
            self.table.openClaim.connect(self._open_claim)
        else:
            self.table.reload()
        self.table.show()
        self.table.raise_()
        self.table.activateWindow()
        return self.table

    def _open_claim(self, post_id: int, start: int) -> None:
        self.window.open_post(post_id, offset=None if start < 0 else start)
        self.window.raise_()
        self.window.activateWindow()


__all__ = ["SuggestedClaims", "SuggestionsWorker", "WindowClaims", "found_text"]
