"""The known-words manager (View › Known Words…): every word the reader gave a status, across the
library, with its reading and a short gloss; search, a status filter, statuses changed in bulk
(keys 1-4, the buttons or the context menu; Ctrl+Z and Ctrl+Shift+Z work while it is open), a
word list imported (one word a line, or Anki's "Notes in Plain Text" export) and exported (one
word a line: the words shown).

Thin over app.core.library.vocabulary (the statuses, the word lists) and app.core.library.actions
(the edits, through the window's change_words: its undo covers them). A word
is shown as its first post writes it, with the reading met there (a word met in no post: the
dictionary's), and a short gloss (vocabulary.short_gloss): looked up as rows are painted, and for
the rest a few hundred at a time while the window is idle, so that search finds them too.
Every cell is plain text; tooltips and messages go through app.ui.plain.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.common.messages import translate
from app.core.common.text import escape_surrogates
from app.core.reading.tokens import KANJI_RE
from app.lazy import lazy_module
from app.ui.fonts import with_cjk_family
from app.ui.i18n import current_language
from app.ui.plain import plain, plain_label
from app.ui.vocabulary_panel import (
    STATUSES,
    SearchAndStatusFilter,
    WordTable,
    fold,
    matches,
    row_selection,
    shown_word,
    status_colour,
    status_name,
)

vocabulary = lazy_module("app.core.library.vocabulary")
library = lazy_module("app.core.library.actions")
dictionary = lazy_module("app.core.reading.dictionary")
fileio = lazy_module("app.core.common.fileio")
core_store = lazy_module("app.core.store")

COLUMNS = ("word", "reading", "meaning", "status")
HEADERS = {
    "word": QT_TRANSLATE_NOOP("WordStatusModel", "Word"),
    "reading": QT_TRANSLATE_NOOP("WordStatusModel", "Reading"),
    "meaning": QT_TRANSLATE_NOOP("WordStatusModel", "Meaning"),
    "status": QT_TRANSLATE_NOOP("WordStatusModel", "Status"),
}
LEMMA = Qt.ItemDataRole.UserRole
FILL_BATCH = 200  # words looked up per idle moment
MAX_LIST_BYTES = 20 * 1024 * 1024  # a word list larger than this is not one


class WordFacts(NamedTuple):
    """How the list shows a word: as the posts write it (see vocabulary_panel.shown_word), its
    reading (none for a word written in kana) and a short gloss."""

    word: str
    reading: str
    gloss: str


def dictionary_facts(lemma: str) -> WordFacts:
    """A word met in no post, from the dictionary: the reading of its best entry and
    vocabulary.short_gloss; the bare lemma without the dictionary or an entry."""
    found = dictionary.Dictionary.open()
    entries = found.lookup(lemma, lemma) if found is not None else []
    if not entries:
        return WordFacts(lemma, "", "")
    entry = entries[0]
    written = lemma in {form.text for form in entry.kanji}  # not a kana word, nor another spelling's
    readings = entry.readings_of(lemma) if written else ()
    reading = readings[0].hiragana if readings else ""
    return WordFacts(lemma, reading, vocabulary.short_gloss(lemma, reading or None, found) or "")


class WordStatusModel(QAbstractTableModel):
    """(lemma, status) rows. Each word's facts are looked up on first need and kept: from its
    first post's words (the spelling and reading met there) or, met in no post, the dictionary."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.store = None
        self.rows: list[tuple[str, str]] = []
        self.facts: dict[str, WordFacts] = {}
        self._places: dict[str, tuple[int, int, int]] = {}  # lemma: (post id, start, end) of its first occurrence
        self._post_words: dict[int, dict] = {}  # post id: {lemma: PostWordRow}

    def set_rows(self, store, statuses: dict[str, str]) -> None:
        self.beginResetModel()
        self.store = store
        self.rows = sorted(statuses.items(), key=lambda item: (fold(item[0]), item[0]))
        new = [lemma for lemma in statuses if lemma not in self._places]
        try:
            self._places.update(store.first_occurrences(new) if new else {})
        except core_store.StoreError:
            pass  # the words are then looked up in the dictionary
        self.endResetModel()

    def facts_of(self, lemma: str) -> WordFacts:
        found = self.facts.get(lemma)
        if found is None:
            found = self.facts[lemma] = self._look_up(lemma)
        return found

    def _look_up(self, lemma: str) -> WordFacts:
        place = self._places.get(lemma)
        row = None
        if place is not None:
            post_id = place[0]
            if post_id not in self._post_words:
                try:
                    self._post_words[post_id] = {r.lemma: r for r in self.store.post_words(post_id) or ()}
                except core_store.StoreError:
                    self._post_words[post_id] = {}
            row = self._post_words[post_id].get(lemma)
        if row is None:
            return dictionary_facts(lemma)
        word = shown_word(lemma, row.surface, row.reading)
        reading = row.reading if row.reading and KANJI_RE.search(word) else ""
        return WordFacts(word, reading or "", vocabulary.short_gloss(lemma, row.reading) or "")

    def missing(self) -> list[str]:
        """The words whose reading and gloss were not looked up yet."""
        return [lemma for lemma, _status in self.rows if lemma not in self.facts]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt override)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("WordStatusModel", HEADERS[COLUMNS[section]])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        lemma, status = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "status":
                return status_name(status)
            facts = self.facts_of(lemma)
            return escape_surrogates({"word": facts.word, "reading": facts.reading, "meaning": facts.gloss}[column])
        if role == LEMMA:
            return lemma
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            colour = status_colour(status)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and column == "meaning":
            gloss = self.facts_of(lemma).gloss
            return plain(gloss) if gloss else None
        if role == Qt.ItemDataRole.ToolTipRole and column == "word" and self.facts_of(lemma).word != lemma:
            return plain(QCoreApplication.translate("VocabularyModel", "Dictionary form: %1").replace("%1", lemma))
        return None


class WordStatusFilter(SearchAndStatusFilter):
    """The words the search and the status filter keep. The search looks at the word, and at the
    reading and gloss of the words looked up so far (all of them, once the idle fill is done)."""

    def refilter(self) -> None:
        self.set_filters(self.query, self.status)

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 (Qt override)
        model = self.sourceModel()
        lemma, status = model.rows[row]
        if self.status is not None and status != self.status:
            return False
        if not self.query or matches(self.query, lemma):
            return True
        return matches(self.query, *model.facts.get(lemma, ()))


class ImportDialog(QDialog):
    """What an import would do: how many words the file holds, a few of them, and the status
    they get (known unless chosen otherwise)."""

    def __init__(self, name: str, lemmas: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import a word list"))
        sample = "、".join(lemmas[:8]) + ("…" if len(lemmas) > 8 else "")
        found = plain_label(
            (self.tr("1 word in %2:") if len(lemmas) == 1 else self.tr("%1 words in %2:"))
            .replace("%1", str(len(lemmas))).replace("%2", name)
        )
        words = plain_label(sample)
        words.setWordWrap(True)
        self.status_box = QComboBox()
        for status in STATUSES:
            self.status_box.addItem(status_name(status), status)
        self.status_box.setCurrentIndex(self.status_box.findData("known"))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Give them the status:")))
        row.addWidget(self.status_box, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(found)
        layout.addWidget(words)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def status(self) -> str:
        return self.status_box.currentData()


class WordManager(QDialog):
    """Every word with a status, for `window` (the MainWindow: `store`, `highlight_actions`,
    `reload()`, `focus_reader()`, `wordsChanged` where it has it). Not modal: the reader stays
    usable, and the list follows changes made there."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setWindowTitle(self.tr("Known Words — Kakikomi"))
        self.setFont(with_cjk_family(self.font()))
        self.resize(720, 560)
        self.exported: Path | None = None
        self.last_folder: Path | None = None

        self.text_field = QLineEdit(placeholderText=self.tr("Search words, readings and meanings"))
        self.text_field.setClearButtonEnabled(True)
        self.status_box = QComboBox(toolTip=self.tr("Only the words with this status"))
        self.status_box.addItem(self.tr("All statuses"), None)
        for status in STATUSES[1:]:  # a word without a status is new, and not listed
            self.status_box.addItem(status_name(status), status)
        self.count = plain_label()

        self.model = WordStatusModel(self)
        self.proxy = WordStatusFilter(self)
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
        for column, width in zip(COLUMNS, (140, 140, 280, 90)):
            self.table.setColumnWidth(COLUMNS.index(column), width)
        header.setSectionResizeMode(COLUMNS.index("meaning"), QHeaderView.ResizeMode.Stretch)
        # A header's click sorts by that column; unsorted at first (no look-up of every word).
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

        self.status_buttons: dict[str, QPushButton] = {}
        status_row = QHBoxLayout()
        for number, status in enumerate(STATUSES, 1):
            button = QPushButton(f"{status_name(status)} {number}")
            button.setToolTip(self.tr("Mark the selected words as %1 (key %2)").replace("%1", status_name(status)).replace("%2", str(number)))
            button.clicked.connect(lambda _checked=False, s=status: self.set_status(s))
            self.status_buttons[status] = button
            status_row.addWidget(button)
        status_row.addStretch(1)
        self.import_button = QPushButton(self.tr("Import…"), toolTip=self.tr("Give the words of a word list (one a line, or Anki's notes exported as text) a status"))
        self.import_button.clicked.connect(self.import_list)
        self.export_button = QPushButton(self.tr("Export…"), toolTip=self.tr("Write the words shown, one a line"))
        self.export_button.clicked.connect(self.export_list)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        file_row = QHBoxLayout()
        file_row.addWidget(self.import_button)
        file_row.addWidget(self.export_button)
        file_row.addStretch(1)
        file_row.addWidget(close)

        filters = QHBoxLayout()
        filters.addWidget(self.text_field, 2)
        filters.addWidget(self.status_box, 1)
        filters.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(status_row)
        layout.addLayout(file_row)

        # The window's Edit › Undo and Redo, while this window has the keys.
        QShortcut(QKeySequence.StandardKey.Undo, self, lambda: self._replay("undo"))
        QShortcut(QKeySequence.StandardKey.Redo, self, lambda: self._replay("redo"))
        self._fill_timer = QTimer(self, singleShot=True, interval=0)
        self._fill_timer.timeout.connect(self._fill_some)

        self.text_field.textChanged.connect(lambda _text: self._filter())
        self.status_box.currentIndexChanged.connect(lambda _index: self._filter())
        self.table.statusKey.connect(self.set_status)
        self.table.leave.connect(self.close)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.finished.connect(self._finished)
        window.wordsChanged.connect(self._words_changed_elsewhere)
        # Enter in the search field must not press a button (a dialog's buttons are its defaults).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self.refresh()

    # --- what is listed -----------------------------------------------------------------------

    def refresh(self) -> None:
        """List every word with a status again, keeping the selection and the place in the list."""
        selected = set(self.selected_lemmas())
        scrolled = self.table.verticalScrollBar().value()
        try:
            statuses = vocabulary.statuses(self.window.store)
        except core_store.StoreError as exc:
            statuses = {}
            self.count.setText(translate(exc, current_language()))  # a plain-text label
        self.model.set_rows(self.window.store, statuses)
        self.proxy.refilter()
        self.select_lemmas(selected)
        self.table.verticalScrollBar().setValue(scrolled)
        self._count()
        self._selection_changed()
        self._fill_timer.start()

    def _words_changed_elsewhere(self) -> None:
        if self.isVisible():
            self.refresh()

    def _fill_some(self) -> None:
        """Look up the next words' readings and glosses while the window is idle; the search
        takes them in once all are there."""
        missing = self.model.missing()
        for lemma in missing[:FILL_BATCH]:
            self.model.facts_of(lemma)
        if len(missing) > FILL_BATCH:
            self._fill_timer.start()
        elif missing and self.proxy.query:
            self.proxy.refilter()
            self._count()

    def filled(self) -> bool:
        """Whether every word's reading and gloss is looked up (search covers them all)."""
        return not self.model.missing()

    def _filter(self) -> None:
        self.proxy.set_filters(self.text_field.text(), self.status_box.currentData())
        self._count()
        self._selection_changed()

    def _count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = self.tr("1 word") if total == 1 else self.tr("%1 words").replace("%1", str(total))
        if shown != total:
            text = self.tr("%1 of %2").replace("%1", str(shown)).replace("%2", text)
        self.count.setText(text)

    def shown_lemmas(self) -> list[str]:
        return [self.proxy.index(row, 0).data(LEMMA) for row in range(self.proxy.rowCount())]

    # --- selection ----------------------------------------------------------------------------

    def selected_lemmas(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.proxy.index(row, 0).data(LEMMA) for row in rows]

    def select_lemmas(self, lemmas) -> None:
        from PySide6.QtCore import QItemSelectionModel

        wanted = set(lemmas)
        rows = []
        if wanted:  # over the model's rows, not the view's through data(): thousands of words
            for row, (lemma, _status) in enumerate(self.model.rows):
                if lemma in wanted:
                    index = self.proxy.mapFromSource(self.model.index(row, 0))
                    if index.isValid():
                        rows.append(index.row())
        self.table.selectionModel().select(row_selection(self.proxy, rows), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _selection_changed(self) -> None:
        chosen = self.table.selectionModel().hasSelection()
        for button in self.status_buttons.values():
            button.setEnabled(chosen)
        self.export_button.setEnabled(self.proxy.rowCount() > 0)

    # --- edits ----------------------------------------------------------------------------------

    def set_status(self, status: str) -> int:
        """Give the selected words `status` in one edit (New takes their status away: they leave
        the list, Ctrl+Z brings them back). Returns how many changed."""
        lemmas = self.selected_lemmas()
        if not lemmas:
            return 0
        return self._edit(library.set_word_statuses, lemmas, status)

    def _edit(self, action, *args) -> int:
        try:
            changed = self.window.change_words("word-status", action, *args)
        except (core_store.StoreError, ValueError) as exc:
            QMessageBox.warning(self, self.tr("Word status"), plain(exc))
            return 0
        self._follow()
        return changed

    def _follow(self) -> None:
        """After an edit, undo or redo of the manager's: the list again, once (the window's
        wordsChanged refreshes it while the manager is shown)."""
        if not self.isVisible():
            self.refresh()

    def _replay(self, which: str) -> None:
        """Ctrl+Z or Ctrl+Shift+Z here: the window's undo or redo (whatever the last edit was),
        then the list again when that edit was a word's."""
        window = self.window
        kind = window.highlight_actions.history.undo_kind if which == "undo" else window.highlight_actions.history.redo_kind
        (window.undo if which == "undo" else window.redo)()  # the window says wordsChanged after a word's edit
        if kind not in ("word-status", "anki"):
            return  # a highlight's edit: the list has not changed
        self._follow()

    # --- word lists -------------------------------------------------------------------------------

    def import_list(self) -> int:
        """Ask for a word list, show what it holds, and give its words the status chosen."""
        folder = self.last_folder or Path.home()
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import a word list"), str(folder), self.tr("Word lists (*.txt *.tsv *.csv);;All files (*)")
        )
        if not chosen:
            return 0
        path = Path(chosen)
        self.last_folder = path.parent
        text = self.read_list(path)
        if text is None:
            return 0
        dialog = ImportDialog(escape_surrogates(path.name), vocabulary.parse_word_list(text), self)
        accepted = dialog.exec()
        self._take_keys()
        return self.import_text(text, dialog.status()) if accepted else 0

    def _take_keys(self) -> None:
        """After a dialog of its own: the manager is the active window again (its Ctrl+Z)."""
        self.activateWindow()
        self.table.setFocus()

    def read_list(self, path: Path) -> str | None:
        """The text of the word list at `path`; a file that is not one (unreadable, not text, no
        word in it): one sentence in a message box, and None."""
        name = escape_surrogates(path.name)
        try:
            if path.stat().st_size > MAX_LIST_BYTES:
                return self._refuse(self.tr("%1 is too large for a word list.").replace("%1", name))
            data = path.read_bytes()
        except OSError as exc:
            reason = escape_surrogates(exc.strerror or str(exc))
            return self._refuse(self.tr("Cannot read %1: %2.").replace("%1", name).replace("%2", reason))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return self._refuse(self.tr("%1 is not a text file in UTF-8.").replace("%1", name))
        if "\x00" in text:
            return self._refuse(self.tr("%1 is not a text file in UTF-8.").replace("%1", name))
        if not vocabulary.parse_word_list(text):
            return self._refuse(self.tr("%1 holds no words (one word a line, or Anki notes exported as text).").replace("%1", name))
        return text

    def _refuse(self, sentence: str) -> None:
        QMessageBox.warning(self, self.tr("Import a word list"), plain(sentence))

    def import_text(self, text: str, status: str) -> int:
        """Give the words of a word list's `text` `status` (actions.import_word_list), in one
        edit; says how many changed. Returns that number."""
        changed = self._edit(library.import_word_list, text, status)
        self.count.setText(
            self.tr("Imported %1 words as %2 (%3 changed).")
            .replace("%1", str(len(vocabulary.parse_word_list(text)))).replace("%2", status_name(status).lower()).replace("%3", str(changed))
        )
        return changed

    def export_list(self) -> Path | None:
        """Ask where, then write the words shown, one a line."""
        folder = (self.exported.parent if self.exported else self.last_folder) or Path.home()
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export the word list"), str(folder / "kakikomi-words.txt"), self.tr("Word lists (*.txt)")
        )
        if not chosen:
            return None
        return self.export_to(Path(chosen))

    def export_to(self, target: Path) -> Path | None:
        """Write the words shown (one a line, UTF-8) to `target`, atomically."""
        lemmas = self.shown_lemmas()
        try:
            written = fileio.write_atomic(target, "".join(f"{lemma}\n" for lemma in lemmas))
        except OSError as exc:
            reason = escape_surrogates(exc.strerror or str(exc))
            QMessageBox.warning(self, self.tr("Export the word list"), plain(self.tr("Cannot write %1: %2.").replace("%1", str(target)).replace("%2", reason)))
            return None
        self.exported = written
        self.last_folder = written.parent
        self.count.setText(
            self.tr("Exported %1 words to %2").replace("%1", str(len(lemmas))).replace("%2", escape_surrogates(written.name))
        )
        return written

    # --- the rest -------------------------------------------------------------------------------

    def _context_menu(self, point) -> None:
        if not self.selected_lemmas():
            return
        menu = QMenu(self)
        for number, status in enumerate(STATUSES, 1):
            action = menu.addAction(self.tr("Mark as %1").replace("%1", status_name(status)))
            action.setShortcut(str(number))
            action.triggered.connect(lambda _checked=False, s=status: self.set_status(s))
        menu.popup(self.table.viewport().mapToGlobal(point))
        self._menu = menu

    def _finished(self) -> None:
        """Closed (Escape, Close, the window's frame): the reader has the keys again."""
        self._fill_timer.stop()
        self.window.focus_reader()


def open_manager(window) -> WordManager:
    """Open (or bring forward) `window`'s known-words manager; returns it (`window.word_manager`)."""
    manager = getattr(window, "word_manager", None)
    if not isinstance(manager, WordManager):
        manager = window.word_manager = WordManager(window)
    else:
        manager.refresh()
    manager.show()
    manager.raise_()
    manager.activateWindow()
    manager.table.setFocus()
    return manager
