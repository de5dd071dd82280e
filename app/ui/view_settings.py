"""The window's view choices and layout, kept in the reader's settings file: the theme (of the
page and, through app.ui.theme, of every widget), the furigana mode, the underlines of new and
learning words (`WordUnderlines`), vertical writing, zoom, remote images for a post, the language;
the window's geometry, its splitter and the reader's size.

The choosers and actions that change them are declared in app.ui.actions.
"""

from __future__ import annotations

import base64
import time

from PySide6.QtCore import QByteArray, QObject, QThread, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from app.core.common.messages import translate
from app.core.common.text import has_surrogates
from app.core.settings import save_settings
from app.lazy import lazy_module
from app.ui import theme
from app.ui.actions import furigana_action_id
from app.ui.i18n import current_language

vocabulary = lazy_module("app.core.library.vocabulary")

ZOOM_STEPS = (0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)


class ViewSettings(QObject):
    """The view of the MainWindow `window`: its `settings` (saved to `settings_path`), its
    `theme_box`, `furigana_box`, `vertical_action` and `remote_action`, and its open post."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        # The widgets' colours follow the theme too (the page's follow the theme box's choice).
        self._reader_background(theme.apply(window.settings.theme))
        self.system = theme.SystemFollower(lambda: self.window.settings.theme, self, applied=self._reader_background)

    def save(self) -> None:
        """Write the settings file; the status bar says so if it cannot be written."""
        try:
            save_settings(self.window.settings, self.window.settings_path)
        except (OSError, UnicodeError) as exc:  # UnicodeError: a value that is not text (a file name's bytes)
            reason = translate(exc, current_language())
            self.window.statusBar().showMessage(self.tr("Settings could not be saved: %1").replace("%1", reason), 8000)

    # --- the layout -------------------------------------------------------------------------

    def restore_layout(self) -> None:
        """The window's geometry, splitter and zoom as they were last time."""
        window, settings = self.window, self.window.settings
        for value, restore in ((settings.window_geometry, window.restoreGeometry), (settings.splitter_state, window.splitter.restoreState)):
            if value:
                try:
                    restore(QByteArray(base64.b64decode(value)))
                except ValueError:
                    pass
        window.reader.setZoomFactor(settings.font_scale)

    def keep_layout(self) -> None:
        """Save the window's geometry, splitter and reader size (the window closes)."""
        window, settings = self.window, self.window.settings
        settings.window_geometry = base64.b64encode(bytes(window.saveGeometry().data())).decode()
        settings.splitter_state = base64.b64encode(bytes(window.splitter.saveState().data())).decode()
        settings.reader_size = [window.reader.width(), window.reader.height()]
        self.save()

    # --- the choices ------------------------------------------------------------------------

    def furigana_changed(self) -> None:
        """Another mode in the toolbar's box: kept, checked in View › Furigana, the post rendered again."""
        window = self.window
        window.settings.furigana = window.furigana_box.currentData()
        self.save()
        action = getattr(window, f"{furigana_action_id(window.settings.furigana)}_action", None)
        if action is not None:
            action.setChecked(True)
        window.reload()

    def choose_furigana(self, mode: str) -> None:
        """A mode chosen in View › Furigana: the toolbar's box shows it (and so it is applied)."""
        box = self.window.furigana_box
        index = box.findData(mode)
        if index >= 0 and index != box.currentIndex():
            box.setCurrentIndex(index)

    def set_underline_words(self, underline: bool) -> None:
        """Underline new and learning words in the page, or not (View menu)."""
        self.window.settings.underline_words = underline
        self.save()
        self.window.underlines.refresh()

    def theme_changed(self) -> None:
        self.window.settings.theme = self.window.theme_box.currentData()
        self.save()
        self._reader_background(theme.apply(self.window.settings.theme))
        self._apply_classes()

    def _reader_background(self, colours: theme.Colours) -> None:
        # What the reader shows before a page paints (at start-up, between posts): the theme's
        # page colour, not a white flash in the dark theme.
        self.window.reader.page().setBackgroundColor(QColor(colours.base))

    def set_vertical(self, vertical: bool) -> None:
        self.window.settings.vertical = vertical
        self.save()
        self._apply_classes()

    def _apply_classes(self) -> None:
        self.window.reader.set_classes(self.window.theme_box.currentData(), self.window.vertical_action.isChecked())

    def set_remote_images(self, allowed: bool) -> None:
        """Load the open post's remote images, or not (remembered for its file)."""
        window, settings = self.window, self.window.settings
        if window.current is None:
            window.remote_action.setChecked(False)
            return
        source = window.current.source_path
        if has_surrogates(source):  # the settings file (UTF-8 JSON) cannot keep such a name yet
            window.remote_action.setChecked(False)
            window.statusBar().showMessage(self.tr("Remote images cannot be remembered for a file whose name is not UTF-8."), 8000)
            return
        listed = [p for p in settings.allow_remote_images if p != source]
        settings.allow_remote_images = listed + ([source] if allowed else [])
        self.save()
        window.reload()

    def set_language(self, language: str) -> None:
        self.window.settings.language = language
        self.save()
        QMessageBox.information(self.window, self.tr("Language"), self.tr("The new language is used from the next start of Kakikomi."))

    def zoom(self, direction: int) -> None:
        """Zoom the page in (+1), out (-1) or back to 100% (0); remembered across sessions."""
        reader = self.window.reader
        current = reader.zoomFactor()
        if direction == 0:
            factor = 1.0
        elif direction > 0:
            factor = next((z for z in ZOOM_STEPS if z > current + 0.01), ZOOM_STEPS[-1])
        else:
            factor = next((z for z in reversed(ZOOM_STEPS) if z < current - 0.01), ZOOM_STEPS[0])
        reader.setZoomFactor(factor)
        self.window.settings.font_scale = factor
        self.save()


class UnderlineJob(QThread):
    """Makes the page's underlines off the GUI thread: where the text's counted words are (one
    MeCab pass, app.core.library.vocabulary.occurrences, unless `places` has them already: MeCab's
    tagger is per thread), those whose status is new or learning, as the page's kkMarkWords
    argument. Emits `made` with the places and the argument."""

    made = Signal(object, str)

    def __init__(self, text: str, places: list | None, statuses: dict[str, str], starts: list[int], parent=None):
        super().__init__(parent)
        self.text, self.places, self.statuses, self.starts = text, places, statuses, starts
        self.mecab_seconds: float | None = None

    def run(self) -> None:
        from app.ui.reader_view import word_marks_argument

        try:
            places = self.places
            if places is None:
                began = time.perf_counter()
                places = vocabulary.occurrences(self.text)
                self.mecab_seconds = time.perf_counter() - began
            # vocabulary.status_marks, with the places found once for the text
            marks = [(start, end, self.statuses.get(lemma, "new")) for start, end, lemma in places]
            marked = [mark for mark in marks if mark[2] in vocabulary.MARKED]
            self.made.emit(places, word_marks_argument(marked, self.starts))
        except Exception:  # noqa: BLE001 - no underlines is the worst that can happen; the page stays
            self.made.emit(None, "[]")


class WordUnderlines(QObject):
    """The underlines of the open post's new and learning words, while View › Underline New and
    Learning Words is on: painted once the page shows (never holding up its opening), again after
    each page of the post (a reload after a status change, another furigana mode) and taken away
    when switched off. The work is done on a worker thread (UnderlineJob); where the words are is
    kept while the post and its text stay the same, so a change of status only looks the
    statuses up again. `painted` gives how many ranges the page underlined."""

    painted = Signal(int)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._places: tuple[int, str, list] | None = None  # (post id, its text, its words' places)
        self._wanted: UnderlineJob | None = None
        self._jobs: set[UnderlineJob] = set()  # all still running (a thread must finish before it goes)
        # Seconds the last painting took: "mecab" (on the worker; absent when the places were
        # known), "worker" (all of the worker's part), "gui" (on the GUI thread, both ends).
        self.timings: dict[str, float] = {}
        self._worker_began = 0.0
        window.postShown.connect(lambda _post_id: self.refresh())

    def refresh(self) -> None:
        """Underline the open post's words as their statuses are now (or take the underlines
        away when the setting is off)."""
        window = self.window
        if not window.settings.underline_words:
            self._wanted = None
            window.reader.mark_words([])
            return
        if window.current is None or window.store is None:
            return
        began = time.perf_counter()
        post_id, text = window.current.id, window._current_text()
        known = self._places[2] if self._places is not None and self._places[:2] == (post_id, text) else None
        job = UnderlineJob(text, known, vocabulary.statuses(window.store), window.reader.block_starts(), self)
        self._wanted = job
        self._jobs.add(job)
        job.made.connect(lambda places, argument, job=job: self._made(job, post_id, text, places, argument))
        job.finished.connect(lambda job=job: (self._jobs.discard(job), job.deleteLater()))
        self.timings = {"gui": time.perf_counter() - began}
        self._worker_began = time.perf_counter()
        job.start()

    def _made(self, job: UnderlineJob, post_id: int, text: str, places: list | None, argument: str) -> None:
        if job is not self._wanted:
            return  # another post, or another text of it, or none is wanted now
        self._wanted = None
        began = time.perf_counter()
        self.timings["worker"] = began - self._worker_began
        if job.mecab_seconds is not None:
            self.timings["mecab"] = job.mecab_seconds
        if places is not None:
            self._places = (post_id, text, places)
        window = self.window

        def paint() -> None:
            if window.current is not None and window.current.id == post_id and window.settings.underline_words:
                window.reader.paint_word_marks(argument, lambda count: self.painted.emit(int(count or 0)))

        window.reader.after_ready(paint)  # a page still loading gets them once it shows
        self.timings["gui"] += time.perf_counter() - began

    def stop(self) -> None:
        """No underlines wanted any more; wait for the threads still working (the window closes)."""
        self._wanted = None
        for job in list(self._jobs):
            job.wait()
