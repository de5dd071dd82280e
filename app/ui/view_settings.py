"""The window's view choices and layout, kept in the reader's settings file: the theme (of the
page and, through app.ui.theme, of every widget), the furigana mode, vertical writing, zoom,
remote images for a post, the language; the window's geometry, its splitter and the reader's size.

The choosers and actions that change them are declared in app.ui.actions.
"""

from __future__ import annotations

import base64

from PySide6.QtCore import QByteArray, QObject
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from app.core.common.messages import translate
from app.core.common.text import has_surrogates
from app.core.settings import save_settings
from app.ui import theme
from app.ui.i18n import current_language

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
        self.window.settings.furigana = self.window.furigana_box.currentData()
        self.save()
        self.window.reload()

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
