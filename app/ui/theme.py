"""The window's colours: light, sepia and dark, the same as the page's (resources/reader/reader.css),
for every Qt widget too: the sidebar, the panels, menus, dialogs, the word popup, the claims table.

`apply(theme)` puts a theme's QPalette on the QApplication (and its tooltips); "auto" takes
light or dark as the system's colour scheme says (QStyleHints.colorScheme(); unknown: light), and
a `SystemFollower` re-applies it when the system changes scheme. Widgets that paint a colour of
their own (a status, an error) ask `colours()` for the current theme's.

Applied once at start-up (before most widgets exist) and at each change of the theme chooser; it
imports nothing beyond QtGui and QtWidgets, which the window has loaded already. A palette, not an
application style sheet: a style sheet on the application makes every widget go through Qt's
style-sheet style, which made the window's frame 3-4 ms slower to build (the palette: under 1 ms);
the few widgets that colour a message take it from `colours()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

THEMES = ("auto", "light", "sepia", "dark")


@dataclass(frozen=True)
class Colours:
    """One theme's colours (#rrggbb). `base` is the page's background (lists, text fields and
    tables show text on it), `window` the panels' around it; `error`, `success` and `edited` are
    the few colours widgets use for what they say, readable on both."""

    name: str
    dark: bool
    window: str
    base: str
    alternate: str
    text: str
    muted: str
    rule: str
    button: str
    highlight: str
    highlighted_text: str
    link: str
    error: str
    success: str
    edited: str


# From reader.css: --kk-bg is `base`, --kk-fg `text`, --kk-muted `muted`, --kk-rule `rule`,
# --kk-link `link`, --kk-code-bg `window` (the panels sit a shade off the page, as code does).
PALETTES = {
    "light": Colours(
        "light", False, window="#f2f3f5", base="#fdfdfb", alternate="#f6f7f8", text="#1f2328", muted="#667085",
        rule="#d8dce3", button="#f7f8fa", highlight="#1f5fbf", highlighted_text="#ffffff", link="#1f5fbf",
        error="#c62828", success="#2e7d32", edited="#1565c0",
    ),
    "sepia": Colours(
        "sepia", False, window="#ece2cc", base="#f6efe0", alternate="#f1e8d5", text="#3b2f22", muted="#7a6a55",
        rule="#dccfb6", button="#f1e8d6", highlight="#8a4b12", highlighted_text="#f6efe0", link="#8a4b12",
        error="#a83a2a", success="#4c7a3d", edited="#3f6a9a",
    ),
    "dark": Colours(
        "dark", True, window="#22252d", base="#16181d", alternate="#1c1f25", text="#e4e6eb", muted="#9aa3b2",
        rule="#343844", button="#2a2e37", highlight="#35609f", highlighted_text="#ffffff", link="#7fb0ff",
        error="#f07070", success="#5fc37f", edited="#6fa8ff",
    ),
}

_current = PALETTES["light"]


def resolved(theme: str, scheme=None) -> str:
    """The palette `theme` stands for: "auto" is dark when the system's colour scheme (`scheme`,
    a Qt.ColorScheme; None: ask the system now) is dark, else light."""
    if theme in PALETTES:
        return theme
    if theme != "auto":
        raise ValueError(f"Unknown theme {theme!r}: use one of {', '.join(THEMES)}.")
    if scheme is None:
        scheme = QGuiApplication.styleHints().colorScheme()
    # Compared by name: PySide makes the whole Qt namespace's enums on first use of `Qt` (slow).
    return "dark" if getattr(scheme, "name", "") == "Dark" else "light"


def colours() -> Colours:
    """The colours of the theme applied last (light until one is)."""
    return _current


def palette(colours: Colours) -> QPalette:
    """The QPalette of `colours`, every group (the disabled one greyed with `muted`)."""
    c = {name: QColor(value) for name, value in vars(colours).items() if isinstance(value, str) and value.startswith("#")}
    # From the button and window colours Qt derives the bevels' light, mid, dark and shadow.
    result = QPalette(c["button"], c["window"])
    role = QPalette.ColorRole
    for key, roles in (
        ("window", (role.Window,)),
        ("text", (role.WindowText, role.Text, role.ButtonText, role.ToolTipText)),
        ("base", (role.Base, role.ToolTipBase)),
        ("alternate", (role.AlternateBase,)),
        ("button", (role.Button,)),
        ("muted", (role.PlaceholderText,)),
        ("highlight", (role.Highlight, role.Accent)),
        ("highlighted_text", (role.HighlightedText,)),
        ("link", (role.Link, role.LinkVisited)),
        ("error", (role.BrightText,)),
    ):
        for each in roles:
            result.setColor(each, c[key])
    disabled = QPalette.ColorGroup.Disabled
    for each in (role.WindowText, role.Text, role.ButtonText):
        result.setColor(disabled, each, c["muted"])
    result.setColor(disabled, role.Highlight, c["rule"])
    result.setColor(disabled, role.Base, c["window"])
    return result


def apply(theme: str, app: QApplication | None = None, *, scheme=None) -> Colours:
    """Give the application (`app`, else the running one) the palette of `theme`
    ("auto": as the system's colour scheme, or `scheme` when the system just changed it).
    Returns the colours applied; nothing is done when they are already the application's."""
    global _current
    app = app or QApplication.instance()
    chosen = PALETTES[resolved(theme, scheme)]
    if app is None:
        return chosen
    if chosen == _current and app.property("kk-theme") == chosen.name:
        return chosen
    # Fusion draws with the palette on every platform (the Windows and macOS styles keep their
    # own colours for many controls); it is the default on Linux already.
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    made = palette(chosen)
    app.setPalette(made)
    QToolTip.setPalette(made)  # tooltips keep a palette of their own
    # A widget with a style sheet of its own (a bold header, a red message) keeps the palette it
    # was polished with, its text dark on dark: polished again, it takes the new one.
    for widget in app.allWidgets():
        if sheet := widget.styleSheet():
            widget.setStyleSheet(sheet)
    app.setProperty("kk-theme", chosen.name)
    _current = chosen
    return chosen


class SystemFollower(QObject):
    """Re-applies the theme when the system changes its colour scheme and `theme_of()` (the
    chosen theme, read at that moment) is "auto", then calls `applied(colours)`. Its connection
    goes with it (give it a parent)."""

    def __init__(self, theme_of: Callable[[], str], parent: QObject | None = None, *, applied: Callable[[Colours], None] | None = None):
        super().__init__(parent)
        self.theme_of = theme_of
        self.applied = applied  # told the colours after each change
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.system_changed)

    def system_changed(self, scheme) -> None:
        if self.theme_of() == "auto":
            colours = apply("auto", scheme=scheme)
            if self.applied is not None:
                self.applied(colours)
