"""The vocabulary panel (View › Vocabulary): the open post's words, each with its status, reading,
a short gloss and how often it occurs, with how much of the post the reader knows on top.

Sorted in order of first appearance (as the core gives them), by frequency, by status or by
reading, from the sort box or a click on a column's header; filtered by text (over the word, its
reading and gloss, kana typed either way) and by status. A click (or Enter) on a row shows the
word's first occurrence marked in the page. Keys 1-4 (or the buttons, or the context menu) give
the selected words a status, all in one edit (one Ctrl+Z); "Add to Anki deck" puts them in the
deck at their first occurrence, and "Export Anki deck…" writes cards for the selected words (or,
with none selected, the words added to the deck) as an .apkg package or Anki's text import.

Thin over app.core.library.vocabulary (the words, the shares, the cards) and
app.core.library.actions (the edits, one each, through the window's change_words: its undo covers
them). Every cell is plain text: an item view paints its display text as written; tooltips go
through app.ui.plain.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QItemSelection,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.common.kana import to_hiragana
from app.core.common.messages import translate
from app.core.common.text import escape_surrogates
from app.core.reading.tokens import KANJI_RE
from app.core.store.records import WORD_STATUSES as STATUSES  # keys 1-4, in this order
from app.lazy import lazy_module
from app.ui import theme
from app.ui.fonts import with_cjk_family
from app.ui.i18n import current_language
from app.ui.plain import plain, plain_label

vocabulary = lazy_module("app.core.library.vocabulary")
library = lazy_module("app.core.library.actions")
anki = lazy_module("app.core.library.anki")
core_store = lazy_module("app.core.store")

STATUS_NAMES = {
    "new": QT_TRANSLATE_NOOP("VocabularyPanel", "New"),
    "learning": QT_TRANSLATE_NOOP("VocabularyPanel", "Learning"),
    "known": QT_TRANSLATE_NOOP("VocabularyPanel", "Known"),
    "ignored": QT_TRANSLATE_NOOP("VocabularyPanel", "Ignored"),
}
COLUMNS = ("status", "word", "reading", "meaning", "count")
HEADERS = {
    "status": QT_TRANSLATE_NOOP("VocabularyModel", "Status"),
    "word": QT_TRANSLATE_NOOP("VocabularyModel", "Word"),
    "reading": QT_TRANSLATE_NOOP("VocabularyModel", "Reading"),
    "meaning": QT_TRANSLATE_NOOP("VocabularyModel", "Meaning"),
    "count": QT_TRANSLATE_NOOP("VocabularyModel", "Count"),
}
# The orders of the sort box: (value, its text, the column whose header shows it, descending).
SORTS = (
    ("appearance", QT_TRANSLATE_NOOP("VocabularyPanel", "In order of appearance"), None, False),
    ("frequency", QT_TRANSLATE_NOOP("VocabularyPanel", "Most frequent first"), "count", True),
    ("status", QT_TRANSLATE_NOOP("VocabularyPanel", "By status"), "status", False),
    ("reading", QT_TRANSLATE_NOOP("VocabularyPanel", "By reading"), "reading", False),
)
WORD = Qt.ItemDataRole.UserRole  # the PostWord of the row, in every cell
WIDTH = 460  # pixels, when first shown docked
READER_SHARE = 0.45  # of the window's splitter, what the reader keeps when the dock is first shown
STATUS_KEYS = {Qt.Key.Key_1: "new", Qt.Key.Key_2: "learning", Qt.Key.Key_3: "known", Qt.Key.Key_4: "ignored"}
ANKI_SUFFIXES = (".apkg", ".txt")


def status_name(status: str, context: str = "VocabularyPanel") -> str:
    """A status as the UI calls it, in its language."""
    return QCoreApplication.translate(context, STATUS_NAMES.get(status, status))


def status_colour(status: str) -> str | None:
    """The colour a status is written in (the theme's, as it is now): None for the text's own."""
    c = theme.colours()
    return {"learning": c.link, "known": c.success, "ignored": c.muted}.get(status)


def matches(query: str, *texts: str | None) -> bool:
    """Whether `query` (already folded by `fold`) is in any of `texts`, case and kana folded."""
    return not query or any(query in fold(t) for t in texts if t)


def shown_word(lemma: str, surface: str, reading: str | None) -> str:
    """How the list writes a word: its dictionary form, but in kana when the post writes it in
    kana and the dictionary form is a kanji spelling few use (UniDic's 迚も for とても, 為る for
    する): the reader looks for the word as the post writes it."""
    if reading and not KANJI_RE.search(surface) and KANJI_RE.search(lemma):
        return reading
    return lemma


def fold(text: str) -> str:
    """Text compared case-blind and kana-blind (カタカナ typed finds ひらがな readings)."""
    return to_hiragana(text.casefold())


class VocabularyModel(QAbstractTableModel):
    """The post's words (app.core.library.vocabulary.PostWord) as rows, in first-appearance
    order; the PostWord itself is under WORD in every cell."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.words: list = []

    def set_words(self, words: list) -> None:
        self.beginResetModel()
        self.words = list(words)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.words)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt override)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("VocabularyModel", HEADERS[COLUMNS[section]])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        word = self.words[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            shown = shown_word(word.lemma, word.surface, word.reading)
            return {
                "status": status_name(word.status),
                "word": escape_surrogates(shown),
                "reading": escape_surrogates(word.reading or "") if KANJI_RE.search(shown) else "",  # kana: itself
                "meaning": escape_surrogates(word.gloss or ""),
                "count": word.count,
            }[column]
        if role == WORD:
            return word
        if role == Qt.ItemDataRole.ForegroundRole and (column == "status" or word.status == "ignored"):
            colour = status_colour(word.status)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "count":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "word":
                tip = self.tr("Dictionary form: %1").replace("%1", word.lemma)
                if word.surface != word.lemma:
                    tip += "\n" + self.tr("First seen as %1").replace("%1", word.surface)
                return plain(tip)
            if column == "meaning" and word.gloss:
                return plain(word.gloss)
        return None


class SearchAndStatusFilter(QSortFilterProxyModel):
    """A word list's search (`query`, folded as `fold` does) and status filter; subclasses say
    which rows they keep (filterAcceptsRow)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.query = ""
        self.status: str | None = None

    def set_filters(self, query: str, status: str | None) -> None:
        self.beginFilterChange()
        self.query, self.status = fold(query.strip()), status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)


class VocabularyFilter(SearchAndStatusFilter):
    """Keeps the words the text and status filters let through, in the order chosen: unsorted
    is the source's order (first appearance); ties keep it too. `status` is one status,
    "to-learn" (new and learning), or None: all."""

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 (Qt override)
        word = self.sourceModel().words[row]
        if self.status == "to-learn":
            if word.status not in ("new", "learning"):
                return False
        elif self.status is not None and word.status != self.status:
            return False
        return matches(self.query, word.lemma, word.surface, word.reading, word.gloss)

    def lessThan(self, left, right) -> bool:  # noqa: N802 (Qt override)
        return self.key(left) < self.key(right)

    def key(self, index) -> tuple:
        word = self.sourceModel().words[index.row()]
        column = COLUMNS[index.column()]
        if column == "status":
            main: object = STATUSES.index(word.status) if word.status in STATUSES else len(STATUSES)
        elif column == "count":
            # Descending by count, the earlier word first among equals (keys are compared reversed).
            return (word.count, -word.first_start)
        elif column == "reading":
            main = fold(word.reading or word.surface)
        elif column == "meaning":
            main = (word.gloss or "\uffff").casefold()
        else:
            main = fold(shown_word(word.lemma, word.surface, word.reading))
        return (main, word.first_start)


class WordTable(QTableView):
    """The list of words. Keys 1-4 give the selected words a status (`statusKey`), taken before
    the window's shortcuts (1-5 colour highlights there); Escape gives the keys back (`leave`)."""

    statusKey = Signal(str)
    leave = Signal()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._status_of(event) is not None:
            event.accept()  # the key is ours: it comes back as a key press
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        status = self._status_of(event)
        if status is not None:
            self.statusKey.emit(status)
        elif event.key() == Qt.Key.Key_Escape:
            self.leave.emit()
        else:
            super().keyPressEvent(event)

    @staticmethod
    def _status_of(event) -> str | None:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return None
        return STATUS_KEYS.get(event.key())


class VocabularyPanel(QDockWidget):
    """The open post's words, a dock on the window's right. `window` is the MainWindow: `store`,
    `current`, `reader`, `highlight_actions`, `reload()`, `focus_reader()`, `statusBar()`."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setObjectName("vocabulary-panel")
        self.setWindowTitle(self.tr("Vocabulary"))
        self.setFont(with_cjk_family(self.font()))
        self.post_id: int | None = None  # the post whose words are listed
        self.stale = True  # the words changed (or another post shows) while the panel was hidden
        self.exported: Path | None = None
        self.sized = False  # given its width, once shown
        self._listed: tuple | None = None  # the post and text whose words are listed (see post_shown)

        self.summary = plain_label()
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.shown_count = plain_label()
        self.text_field = QLineEdit(placeholderText=self.tr("Filter by word, reading or meaning"))
        self.text_field.setClearButtonEnabled(True)
        self.status_box = QComboBox(toolTip=self.tr("Only the words with this status"))
        self.status_box.addItem(self.tr("All words"), None)
        self.status_box.addItem(self.tr("To learn (new and learning)"), "to-learn")
        for status in STATUSES:
            self.status_box.addItem(status_name(status), status)
        self.sort_box = QComboBox(toolTip=self.tr("Order of the words"))
        for value, text, _column, _descending in SORTS:
            self.sort_box.addItem(QCoreApplication.translate("VocabularyPanel", text), value)

        self.model = VocabularyModel(self)
        self.proxy = VocabularyFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = WordTable()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.table.horizontalHeader()
        # Widths for a narrow dock; the gloss takes the rest (and its tooltip has it whole).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(30)
        for column, width in zip(COLUMNS, (58, 70, 72, 120, 46)):
            self.table.setColumnWidth(COLUMNS.index(column), width)
        header.setSectionResizeMode(COLUMNS.index("meaning"), QHeaderView.ResizeMode.Stretch)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(False)
        header.sectionClicked.connect(self._header_clicked)

        self.status_buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for number, status in enumerate(STATUSES, 1):
            button = QPushButton(f"{status_name(status)} {number}")
            button.setToolTip(self.tr("Mark the selected words as %1 (key %2)").replace("%1", status_name(status)).replace("%2", str(number)))
            button.clicked.connect(lambda _checked=False, s=status: self.set_status(s))
            self.status_buttons[status] = button
            buttons.addWidget(button)
        self.anki_button = QPushButton(self.tr("Add to Anki deck"), toolTip=self.tr("Add the selected words to the Anki deck, each with its first sentence"))
        self.anki_button.clicked.connect(self.add_to_anki)
        self.export_button = QPushButton(
            self.tr("Export Anki deck…"),
            toolTip=self.tr("Write cards for the selected words (none selected: the words added to the deck) as .apkg or .txt"),
        )
        self.export_button.clicked.connect(lambda: self.export_anki())
        anki_row = QHBoxLayout()
        anki_row.addWidget(self.anki_button)
        anki_row.addWidget(self.export_button)

        filters = QHBoxLayout()
        filters.addWidget(self.status_box, 1)
        filters.addWidget(self.sort_box, 1)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.shown_count)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.text_field)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(anki_row)
        self.setWidget(body)

        self.text_field.textChanged.connect(lambda _text: self._filter())
        self.status_box.currentIndexChanged.connect(lambda _index: self._filter())
        self.sort_box.currentIndexChanged.connect(lambda _index: self._sort())
        self.table.clicked.connect(self._clicked)
        self.table.activated.connect(self.show_word)  # Enter (and a double click)
        self.table.statusKey.connect(self.set_status)
        self.table.leave.connect(window.focus_reader)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.visibilityChanged.connect(self._visibility_changed)
        self._selection_changed()
        self._summarize()

    # --- what is listed -----------------------------------------------------------------------

    def refresh(self) -> None:
        """List the open post's words again (its statuses may have changed), keeping the
        selection, the current row and the place in the list."""
        window = self.window
        current = window.current
        same_post = not self._shown_post_changed()
        self.post_id = current.id if current is not None else None
        self._listed = self._shown_text()
        self.stale = False
        selected = set(self.selected_lemmas()) if same_post else set()
        current_word = self.table.currentIndex().data(WORD) if same_post else None
        scrolled = self.table.verticalScrollBar().value() if same_post else 0
        words, share = [], None
        if self.post_id is not None and window.store is not None:
            try:
                words = vocabulary.post_words(window.store, self.post_id)
                share = vocabulary.known_share(window.store, self.post_id)
            except core_store.StoreError as exc:  # the status bar shows its text as written
                window.statusBar().showMessage(escape_surrogates(translate(exc, current_language())), 10000)
        self.model.set_words(words)
        self._summarize(share)
        self._reselect(selected, current_word.lemma if current_word is not None else None)
        self.table.verticalScrollBar().setValue(scrolled)

    def refresh_if_shown(self) -> None:
        """Refresh now if the panel is visible, else when it is shown next."""
        if self.isVisible():
            self.refresh()
        else:
            self.stale = True

    def post_shown(self, _post_id: int = -1) -> None:
        """A page was shown: another post's, or the same post's again. The same text rendered
        again (after a status change, whose wordsChanged refreshed the list just before, or in
        another furigana mode) has the same words: a long post's list is not made twice."""
        if self.isVisible() and not self.stale and self._listed == self._shown_text():
            return
        self.refresh_if_shown()

    def _shown_text(self) -> tuple | None:
        """Which post and text the window shows: (id, content hash), None without a post."""
        current = self.window.current
        return None if current is None else (current.id, getattr(current, "content_hash", None))

    def _visibility_changed(self, visible: bool) -> None:
        if visible and not self.sized and not self.isFloating():
            # Docked the first time: more room for the glosses in a wide window (a quarter of
            # it at most: the reader keeps its width).
            self.sized = True
            width = min(WIDTH, self.window.width() // 4)
            if self.width() < width:
                self.window.resizeDocks([self], [width], Qt.Orientation.Horizontal)
            QTimer.singleShot(0, self._make_room_for_the_reader)  # once the dock has its width
        if visible and (self.stale or self._shown_post_changed()):
            self.refresh()
        elif not visible and self.window.isVisible():
            self.window.focus_reader()

    def _make_room_for_the_reader(self) -> None:
        """The dock's width comes out of the reader's (the window's splitter gives its changes to
        the reader): in a window of ordinary width that leaves a column a few characters wide. The
        library and the side panels give up width, in proportion to theirs, until the reader has
        READER_SHARE of the splitter again."""
        splitter = getattr(self.window, "splitter", None)
        if splitter is None or splitter.count() != 3 or self.isFloating() or not self.isVisible():
            return
        sizes = splitter.sizes()  # library | reader | side panels
        lack = round(READER_SHARE * sum(sizes)) - sizes[1]
        others = sizes[0] + sizes[2]
        if lack <= 0 or others <= 0:
            return
        from_library = round(lack * sizes[0] / others)
        splitter.setSizes([sizes[0] - from_library, sizes[1] + lack, sizes[2] - (lack - from_library)])

    def _shown_post_changed(self) -> bool:
        current = self.window.current
        return (current.id if current is not None else None) != self.post_id

    def _summarize(self, share: float | None = None) -> None:
        """"80 words · 72% known" over the list (no post: says so)."""
        if self.post_id is None:
            self.summary.setText(self.tr("No post is open."))
        else:
            count = len(self.model.words)
            words = self.tr("1 word") if count == 1 else self.tr("%1 words").replace("%1", str(count))
            known = self.tr("%1% known").replace("%1", str(vocabulary.known_percent(share))) if share is not None else ""
            self.summary.setText(f"{words} · {known}" if known else words)
        self._count_shown()

    def _count_shown(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.shown_count.setText(self.tr("%1 shown").replace("%1", str(shown)) if shown != total else "")

    def _filter(self) -> None:
        self.proxy.set_filters(self.text_field.text(), self.status_box.currentData())
        self._count_shown()

    def _sort(self) -> None:
        value = self.sort_box.currentData()
        _value, _text, column, descending = next(s for s in SORTS if s[0] == value)
        header = self.table.horizontalHeader()
        if column is None:
            self.proxy.sort(-1)  # the source's order: first appearance
            header.setSortIndicatorShown(False)
        else:
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            self.proxy.sort(COLUMNS.index(column), order)
            header.setSortIndicatorShown(True)
            header.setSortIndicator(COLUMNS.index(column), order)

    def _header_clicked(self, section: int) -> None:
        """A header's click: its column's order from the sort box, or, clicked again, reversed;
        the word's column sorts by reading too, the meaning's is left as it is."""
        column = {"word": "reading"}.get(COLUMNS[section], COLUMNS[section])
        value = next((s[0] for s in SORTS if s[2] == column), None)
        header = self.table.horizontalHeader()
        if value is None:
            header.setSortIndicatorShown(self.sort_box.currentData() != "appearance")
            return
        if self.sort_box.currentData() == value:  # again: the other way round
            order = self.proxy.sortOrder()
            flipped = Qt.SortOrder.AscendingOrder if order == Qt.SortOrder.DescendingOrder else Qt.SortOrder.DescendingOrder
            self.proxy.sort(COLUMNS.index(column), flipped)
            header.setSortIndicator(COLUMNS.index(column), flipped)
        else:
            self.sort_box.setCurrentIndex(self.sort_box.findData(value))

    def shown_words(self) -> list:
        """The PostWords listed, in the order shown."""
        return [self.proxy.index(row, 0).data(WORD) for row in range(self.proxy.rowCount())]

    # --- selection ----------------------------------------------------------------------------

    def selected_words(self) -> list:
        """The selected rows' PostWords, in the order shown."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.proxy.index(row, 0).data(WORD) for row in rows]

    def selected_lemmas(self) -> list[str]:
        return [word.lemma for word in self.selected_words()]

    def select_lemmas(self, lemmas) -> None:
        """Select the rows of these words (those shown)."""
        self._reselect(set(lemmas), None)

    def _reselect(self, lemmas: set[str], current: str | None) -> None:
        from PySide6.QtCore import QItemSelectionModel

        rows = []
        # Over the model's own list, not the view's rows through data(): a long post has
        # thousands of words, and this runs after every status change.
        for row, word in enumerate(self.model.words):
            if word.lemma not in lemmas and word.lemma != current:
                continue
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if not index.isValid():  # filtered out
                continue
            if word.lemma in lemmas:
                rows.append(index.row())
            if word.lemma == current:
                self.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.selectionModel().select(row_selection(self.proxy, rows), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _selection_changed(self) -> None:
        chosen = self.table.selectionModel().hasSelection()
        for button in (*self.status_buttons.values(), self.anki_button):
            button.setEnabled(chosen)

    # --- showing a word in the page -------------------------------------------------------------

    def _clicked(self, index: QModelIndex) -> None:
        # Ctrl or Shift with the click adds to the selection: the page stays where it is.
        if QApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier:
            self.show_word(index)

    def show_word(self, index: QModelIndex) -> None:
        """Mark the word's first occurrence in the page, scrolled into view."""
        word = index.data(WORD) if index.isValid() else None
        window = self.window
        if word is None or window.current is None or window.current.id != self.post_id:
            return
        start, end = word.first_start, word.first_end
        window.reader.after_ready(lambda: window.reader.mark_range(start, end))

    # --- changing statuses and the deck --------------------------------------------------------

    def set_status(self, status: str) -> int:
        """Give the selected words `status`, in one edit (one Ctrl+Z); the page is rendered again
        (furigana and underlines follow). Returns how many words changed."""
        lemmas = self.selected_lemmas()
        window = self.window
        if not lemmas or window.current is None:
            return 0
        try:
            changed = window.change_words("word-status", library.set_word_statuses, lemmas, status)
        except (core_store.StoreError, ValueError) as exc:
            QMessageBox.warning(window, self.tr("Word status"), plain(exc))
            return 0
        if changed:
            # The word goes in last: a "%2" in it stays as written.
            shown = status_name(status).lower()
            if len(lemmas) == 1:
                message = self.tr("%1 is now %2.").replace("%2", shown).replace("%1", lemmas[0])
            else:
                message = self.tr("%3 words are now %2.").replace("%3", str(len(lemmas))).replace("%2", shown)
            window.statusBar().showMessage(escape_surrogates(message), 5000)
        return changed

    def add_to_anki(self) -> int:
        """Add the selected words to the Anki deck, each at its first occurrence in this post,
        in one edit. Returns how many were not in the deck yet."""
        words = self.selected_words()
        window = self.window
        if not words or window.current is None:
            return 0
        post_id = self.post_id
        try:
            added = window.change_words("anki", pick_words, [(w.lemma, w.first_start, w.first_end) for w in words], post_id)
        except (core_store.StoreError, ValueError) as exc:
            QMessageBox.warning(window, self.tr("Anki deck"), plain(exc))
            return 0
        window.statusBar().showMessage(
            self.tr("Added %1 of %2 words to the Anki deck (Export Anki deck… writes it).")
            .replace("%1", str(added)).replace("%2", str(len(words))),
            8000,
        )
        return added

    def export_anki(self, selected: bool = True) -> Path | None:
        """Ask where, then write the cards: the selected words from this post (with `selected`),
        or the words added to the deck."""
        lemmas = self.selected_lemmas() if selected else []
        apkg, text = self.tr("Anki deck package (*.apkg)"), self.tr("Anki text import (*.txt)")
        start = (self.exported.parent if self.exported else Path.home()) / "kakikomi.apkg"
        chosen, selected_filter = QFileDialog.getSaveFileName(self, self.tr("Export Anki deck"), str(start), f"{apkg};;{text}")
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() not in ANKI_SUFFIXES:
            target = target.with_name(target.name + (".txt" if selected_filter == text else ".apkg"))
        return self.export_to(target, lemmas or None)

    def export_to(self, target: Path, lemmas: list[str] | None = None) -> Path | None:
        """Write cards to `target` (.apkg or .txt): for `lemmas` from the shown post, or for the
        words added to the deck. Nothing to write, or a file that cannot be written: one sentence."""
        window = self.window
        try:
            if lemmas:
                cards = vocabulary.cards_for(window.store, post_id=self.post_id, lemmas=lemmas)
            else:
                cards = vocabulary.picked_cards(window.store)
            if not cards:
                QMessageBox.information(
                    window, self.tr("Export Anki deck"), self.tr("Select words in the list, or add words to the Anki deck, first.")
                )
                return None
            written = anki.write_deck(target, cards)
        except (anki.AnkiExportError, core_store.StoreError, ValueError) as exc:
            QMessageBox.warning(window, self.tr("Export Anki deck"), plain(exc))
            return None
        self.exported = written
        window.statusBar().showMessage(
            escape_surrogates(self.tr("Wrote %1 cards to %2.").replace("%1", str(len(cards))).replace("%2", str(written))), 10000
        )
        return written

    def _context_menu(self, point) -> None:
        if not self.selected_words():
            return
        menu = QMenu(self)
        show = menu.addAction(self.tr("Show in the Post"))
        show.triggered.connect(lambda: self.show_word(self.table.currentIndex()))
        menu.addSeparator()
        for number, status in enumerate(STATUSES, 1):
            action = menu.addAction(self.tr("Mark as %1").replace("%1", status_name(status)))
            action.setShortcut(str(number))
            action.triggered.connect(lambda _checked=False, s=status: self.set_status(s))
        menu.addSeparator()
        menu.addAction(self.tr("Add to Anki Deck"), self.add_to_anki)
        menu.addAction(self.tr("Export Anki Deck…"), lambda: self.export_anki())
        menu.popup(self.table.viewport().mapToGlobal(point))
        self._menu = menu  # kept until the next one (tests look at it)


def row_selection(model, rows) -> QItemSelection:
    """The whole rows `rows` of `model`, each run of neighbouring rows one range: a selection
    of thousands of one-row ranges makes every later look at it slow (selectedRows, painting)."""
    selection = QItemSelection()
    last = model.columnCount() - 1
    ordered = sorted(set(rows))
    start = 0
    for at in range(1, len(ordered) + 1):
        if at == len(ordered) or ordered[at] != ordered[at - 1] + 1:
            selection.select(model.index(ordered[start], 0), model.index(ordered[at - 1], last))
            start = at
    return selection


def pick_words(store, words, post_id: int) -> int:
    """Put each (lemma, start, end) of post `post_id` in the Anki deck (app.core.library.actions.
    pick_for_anki, one each); run by History.do inside one transaction, so all are one edit.
    Returns how many were not in the deck yet."""
    return sum(1 for lemma, start, end in words if library.pick_for_anki(store, lemma, post_id, start, end))


def install(window) -> VocabularyPanel:
    """Make `window`'s vocabulary panel: a dock on the right, hidden until View › Vocabulary
    shows it (`panel.toggleViewAction()`); `window.vocabulary`. It follows the post shown
    (`postShown`) and the words' statuses (`wordsChanged`)."""
    existing = getattr(window, "vocabulary", None)
    if isinstance(existing, VocabularyPanel):
        return existing
    panel = VocabularyPanel(window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    panel.hide()
    window.vocabulary = panel
    window.postShown.connect(panel.post_shown)
    window.wordsChanged.connect(panel.refresh_if_shown)
    return panel
