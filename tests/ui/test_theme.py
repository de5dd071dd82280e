"""The theme colours the whole window: the application's palette (panels, menus, dialogs, the word
popup, the claims window) follows the theme box, and "system" follows the system's colour scheme."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.core.common.paths import resource, sample_post_path
from app.core.settings import load_settings
from app.ui import theme
from tests.ui.conftest import dispose, open_and_wait, run_js

ROLE = QPalette.ColorRole


@pytest.fixture(autouse=True)
def light_afterwards():
    """The application's palette is shared by every test: it goes back to light after each."""
    yield
    theme.apply("light")


def _colours(widget) -> tuple[str, str, str]:
    palette = widget.palette()
    return palette.color(ROLE.Window).name(), palette.color(ROLE.Base).name(), palette.color(ROLE.Text).name()


def _wait_colours(qtbot, widget, name: str) -> None:
    """The widget shows theme `name`'s colours (widgets hear of the application's palette through
    posted events)."""
    qtbot.waitUntil(lambda: _colours(widget) == _expected(name), timeout=5_000)


def _expected(name: str) -> tuple[str, str, str]:
    chosen = theme.PALETTES[name]
    return chosen.window, chosen.base, chosen.text


def _choose_with_keys(qtbot, box, value: str) -> None:
    """Pick `value` in a closed combo box with the arrow keys, as a reader would."""
    box.setFocus()
    key = Qt.Key.Key_Down if box.findData(value) > box.currentIndex() else Qt.Key.Key_Up
    for _ in range(box.count()):
        if box.currentData() == value:
            return
        qtbot.keyClick(box, key)
    assert box.currentData() == value


def test_the_palettes_are_the_pages_colours():
    """Each palette's base and text are the page's background and text colour in reader.css."""
    css = resource("reader", "reader.css").read_text(encoding="utf-8")
    blocks = {"light": css[: css.index("html.kk-theme-sepia")], "sepia": css[css.index("html.kk-theme-sepia"):],
              "dark": css[css.index("html.kk-theme-dark"):]}
    for name, block in blocks.items():
        chosen = theme.PALETTES[name]
        assert re.search(r"--kk-bg:\s*([#\w]+)", block).group(1) == chosen.base, name
        assert re.search(r"--kk-fg:\s*([#\w]+)", block).group(1) == chosen.text, name
        assert re.search(r"--kk-link:\s*([#\w]+)", block).group(1) == chosen.link, name
        assert re.search(r"--kk-code-bg:\s*([#\w]+)", block).group(1) == chosen.window, name


def test_each_theme_colours_the_application_and_the_window(qtbot, window):
    """Choosing light, sepia or dark in the theme box gives the application, the panels and the
    page that theme's colours, and the choice is saved."""
    open_and_wait(qtbot, window, sample_post_path())
    for name in ("dark", "sepia", "light", "dark"):
        _choose_with_keys(qtbot, window.theme_box, name)
        assert _colours(QApplication.instance()) == _expected(name)
        panels = (window.library_panel, window.highlights_panel, window.suggested_claims, window.suggested_claims.header)
        for widget in (window, *panels, window.menuBar()):
            _wait_colours(qtbot, widget, name)
        assert load_settings(window.settings_path).theme == name
        # Before a page paints, the reader shows the theme's page colour, not white.
        assert window.reader.page().backgroundColor().name() == theme.PALETTES[name].base
        qtbot.waitUntil(lambda n=name: f"kk-theme-{n}" in run_js(qtbot, window, "document.documentElement.className"), timeout=10_000)
    # Dark really is dark: light text on a dark background, and disabled text still readable.
    palette = QApplication.instance().palette()
    assert palette.color(ROLE.Base).lightness() < 60 and palette.color(ROLE.Text).lightness() > 200
    assert palette.color(QPalette.ColorGroup.Disabled, ROLE.Text).name() == theme.PALETTES["dark"].muted


def test_a_window_starts_in_the_theme_of_its_settings(qtbot, tmp_path):
    """The theme kept in the settings colours a new window from its first frame."""
    from app.core.settings import Settings
    from app.ui.main_window import MainWindow

    win = MainWindow(None, Settings(theme="sepia"), settings_path=tmp_path / "settings.json", complete=False)
    try:
        assert _colours(QApplication.instance()) == _expected("sepia")
        _wait_colours(qtbot, win.theme_box, "sepia")
    finally:
        dispose(win)


def test_system_theme_follows_the_systems_colour_scheme(qtbot, window):
    """With "Theme: system" the palette turns dark and light again as the system's scheme changes;
    with a theme chosen, a change of the system's scheme changes nothing."""
    hints = QGuiApplication.styleHints()
    _choose_with_keys(qtbot, window.theme_box, "auto")
    # The offscreen platform states no scheme: light.
    assert _colours(QApplication.instance()) == _expected("light")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert _colours(QApplication.instance()) == _expected("dark")
    assert window.reader.page().backgroundColor().name() == theme.PALETTES["dark"].base
    _wait_colours(qtbot, window.library_panel, "dark")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert _colours(QApplication.instance()) == _expected("light")
    _choose_with_keys(qtbot, window.theme_box, "sepia")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert _colours(QApplication.instance()) == _expected("sepia")
    assert theme.resolved("auto", Qt.ColorScheme.Dark) == "dark" and theme.resolved("auto", Qt.ColorScheme.Unknown) == "light"


def test_dialogs_the_popup_and_the_claims_window_take_the_theme(qtbot, window):
    """The About and export dialogs, the word popup and the claims window are dark in the dark theme."""
    from app.ui.about import AboutDialog
    from app.ui.export_dialog import ExportDialog
    from app.ui.word_popup import connect_word_popup

    _choose_with_keys(qtbot, window.theme_box, "dark")
    about = AboutDialog(window)
    export = ExportDialog(window.store, None, window)
    popup = connect_word_popup(window)
    claims = window.show_claims()
    for widget in (about, export, popup, claims, claims.view, claims.view.horizontalHeader()):
        _wait_colours(qtbot, widget, "dark")
    # A colour a widget chooses itself (a disputed claim, an error) is the theme's too.
    from app.ui.claims_table import status_color

    assert status_color("disputed") == theme.PALETTES["dark"].error
    _choose_with_keys(qtbot, window.theme_box, "light")
    _wait_colours(qtbot, about, "light")
    assert status_color("disputed") == theme.PALETTES["light"].error
    for widget in (about, export):
        widget.deleteLater()


def test_an_unknown_theme_is_refused():
    """A theme name that is none of the four is one sentence, not a light window by accident."""
    with pytest.raises(ValueError, match="Unknown theme 'blue'"):
        theme.apply("blue")
