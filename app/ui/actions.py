"""The main window's actions, declared once: its menus, their actions with text and shortcut, the
toolbar, and the handler each action calls.

Read the tables to find what a key or a menu entry does:

- `MENU_BAR`: the menu bar's menus, made with the window's frame (`build_frame`), each the
  window's ``<id>_menu``;
- `ACTIONS`: every action, in menu order (submenus and separators in their place), made when the
  window completes itself (`build_actions`), each the window's ``<id>_action``;
- `CHOOSERS`: the furigana and theme boxes, made with the frame (`furigana_box`, `theme_box`);
- `TOOLBAR`: the toolbar, left to right: the choosers, and the actions' buttons around them.

A handler is named by its path from the window: ``"highlight_actions.tag_current"`` calls
``window.highlight_actions.tag_current()`` (see app.ui.main_window for what the window holds).
Texts are in the translation context "MainWindow", as if each were the window's ``self.tr()``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QToolBar

Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class Menu:
    """A menu: on the menu bar, or a submenu of `parent` (then listed in ACTIONS where it goes).
    `filled_by` is called with the menu each time it opens (a list that changes)."""

    id: str
    text: str
    parent: str | None = None
    filled_by: str | None = None


@dataclass(frozen=True)
class Action:
    """One action. `handler` is called with `args`, and a checkable action's handler also gets
    its new state (True: checked). `group`: the exclusive group of checkable choices it belongs to
    (their handler gets only `args`). `checked`: its state when made, read from the window.
    `follows`: a signal of the window's (a bool) that sets its state. `context_menu`: a widget of
    the window whose context menu offers it too. `translate`: False for a text shown as written."""

    id: str
    text: str
    handler: str
    args: tuple = ()
    shortcut: str | QKeySequence.StandardKey | None = None
    menu: str | None = None
    checkable: bool = False
    group: str | None = None
    checked: Callable[[Any], bool] | None = None
    follows: str | None = None
    tip: str = ""
    context_menu: str | None = None
    translate: bool = True


@dataclass(frozen=True)
class ColorActions:
    """One action per highlight colour (app.core.store.COLORS), named as the highlights panel
    names it, with its swatch and its number as shortcut (1-5); the window's `color_actions`."""

    handler: str
    menu: str


@dataclass(frozen=True)
class Separator:
    menu: str


# The furigana modes (app.core.reading.furigana_mode), easiest text first: the value kept in the
# settings, the text in the toolbar's box, the text in View › Furigana.
FURIGANA_MODES = (
    ("all", QT_TRANSLATE_NOOP("MainWindow", "Furigana: all"), QT_TRANSLATE_NOOP("MainWindow", "&All")),
    ("unknown", QT_TRANSLATE_NOOP("MainWindow", "Furigana: unknown words only"), QT_TRANSLATE_NOOP("MainWindow", "&Unknown Words Only")),
    ("grade:1", QT_TRANSLATE_NOOP("MainWindow", "Furigana: beyond grade 1"), QT_TRANSLATE_NOOP("MainWindow", "Beyond Grade &1")),
    ("grade:2", QT_TRANSLATE_NOOP("MainWindow", "Furigana: beyond grade 2"), QT_TRANSLATE_NOOP("MainWindow", "Beyond Grade &2")),
    ("grade:3", QT_TRANSLATE_NOOP("MainWindow", "Furigana: beyond grade 3"), QT_TRANSLATE_NOOP("MainWindow", "Beyond Grade &3")),
    ("grade:4", QT_TRANSLATE_NOOP("MainWindow", "Furigana: beyond grade 4"), QT_TRANSLATE_NOOP("MainWindow", "Beyond Grade &4")),
    ("grade:5", QT_TRANSLATE_NOOP("MainWindow", "Furigana: beyond grade 5"), QT_TRANSLATE_NOOP("MainWindow", "Beyond Grade &5")),
    ("grade:6", QT_TRANSLATE_NOOP("MainWindow", "Furigana: beyond primary school"), QT_TRANSLATE_NOOP("MainWindow", "Beyond &Primary School (Grade 6)")),
    ("grade:7", QT_TRANSLATE_NOOP("MainWindow", "Furigana: beyond jōyō"), QT_TRANSLATE_NOOP("MainWindow", "Beyond &Jōyō")),
    ("jlpt:5", QT_TRANSLATE_NOOP("MainWindow", "Furigana: harder than N5"), QT_TRANSLATE_NOOP("MainWindow", "Harder than N5")),
    ("jlpt:4", QT_TRANSLATE_NOOP("MainWindow", "Furigana: harder than N4"), QT_TRANSLATE_NOOP("MainWindow", "Harder than N4")),
    ("jlpt:3", QT_TRANSLATE_NOOP("MainWindow", "Furigana: harder than N3"), QT_TRANSLATE_NOOP("MainWindow", "Harder than N3")),
    ("jlpt:2", QT_TRANSLATE_NOOP("MainWindow", "Furigana: harder than N2"), QT_TRANSLATE_NOOP("MainWindow", "Harder than N2")),
    ("jlpt:1", QT_TRANSLATE_NOOP("MainWindow", "Furigana: beyond N1"), QT_TRANSLATE_NOOP("MainWindow", "Beyond &N1")),
    ("off", QT_TRANSLATE_NOOP("MainWindow", "Furigana: off"), QT_TRANSLATE_NOOP("MainWindow", "&Off")),
)


def furigana_action_id(value: str) -> str:
    """The id of the View › Furigana action for a mode: "furigana_grade_6" for "grade:6"."""
    return "furigana_" + value.replace(":", "_")


MENU_BAR = (
    Menu("file", QT_TRANSLATE_NOOP("MainWindow", "&File")),
    Menu("edit", QT_TRANSLATE_NOOP("MainWindow", "&Edit")),
    Menu("mark", QT_TRANSLATE_NOOP("MainWindow", "&Highlight")),
    Menu("view", QT_TRANSLATE_NOOP("MainWindow", "&View")),
    Menu("help", QT_TRANSLATE_NOOP("MainWindow", "&Help")),
)

ACTIONS = (
    # File
    Action("open", QT_TRANSLATE_NOOP("MainWindow", "&Open…"), "imports.open_files", shortcut=Key.Open, menu="file"),
    Action("open_folder", QT_TRANSLATE_NOOP("MainWindow", "Open &Folder…"), "imports.open_folder", shortcut="Ctrl+Shift+O", menu="file"),
    Menu("recent", QT_TRANSLATE_NOOP("MainWindow", "Open &Recent"), parent="file", filled_by="imports.fill_recent"),
    Action("import_url", QT_TRANSLATE_NOOP("MainWindow", "Import from &URL…"), "imports.import_url", shortcut="Ctrl+Shift+U", menu="file"),
    Separator("file"),
    Action("export", QT_TRANSLATE_NOOP("MainWindow", "&Export Highlights…"), "export_highlights", shortcut="Ctrl+E", menu="file"),
    Action("export_anki", QT_TRANSLATE_NOOP("MainWindow", "Export &Anki Deck…"), "export_anki_deck", menu="file"),
    Separator("file"),
    Action("quit", QT_TRANSLATE_NOOP("MainWindow", "&Quit"), "close", shortcut=Key.Quit, menu="file"),
    # Edit
    Action("undo", QT_TRANSLATE_NOOP("MainWindow", "&Undo"), "undo", shortcut=Key.Undo, menu="edit"),
    Action("redo", QT_TRANSLATE_NOOP("MainWindow", "&Redo"), "redo", shortcut=Key.Redo, menu="edit"),
    Action("copy_readings", QT_TRANSLATE_NOOP("MainWindow", "Copy with &Readings"), "highlight_actions.copy_with_readings", shortcut="Ctrl+Shift+C", menu="edit"),
    Action("find", QT_TRANSLATE_NOOP("MainWindow", "&Find in Post…"), "find_bar.open", shortcut=Key.Find, menu="edit"),
    Action("search", QT_TRANSLATE_NOOP("MainWindow", "Search the &Library"), "library_panel.focus_search", shortcut="Ctrl+Shift+F", menu="edit"),
    # Highlight
    Action("highlight", QT_TRANSLATE_NOOP("MainWindow", "&Highlight Selection"), "highlight_actions.highlight_selection", shortcut="H", menu="mark"),
    Menu("color", QT_TRANSLATE_NOOP("MainWindow", "Highlight in &Colour"), parent="mark"),
    ColorActions("highlight_actions.highlight_selection", menu="color"),
    Separator("mark"),
    Action("tag", QT_TRANSLATE_NOOP("MainWindow", "&Tag…"), "highlight_actions.tag_current", shortcut="T", menu="mark"),
    Action("note", QT_TRANSLATE_NOOP("MainWindow", "&Note…"), "highlight_actions.note_current", shortcut="N", menu="mark"),
    Action("delete", QT_TRANSLATE_NOOP("MainWindow", "&Delete Highlight"), "highlight_actions.delete_current", shortcut=Key.Delete, menu="mark"),
    Separator("mark"),
    Action("next", QT_TRANSLATE_NOOP("MainWindow", "Ne&xt Highlight"), "highlight_actions.step_highlight", (1,), shortcut="J", menu="mark"),
    Action("previous", QT_TRANSLATE_NOOP("MainWindow", "&Previous Highlight"), "highlight_actions.step_highlight", (-1,), shortcut="K", menu="mark"),
    Action(
        "reattach", QT_TRANSLATE_NOOP("MainWindow", "&Re-attach to Selection"), "highlight_actions.reattach_current", menu="mark",
        context_menu="highlights",
    ),
    # View (the furigana and theme choosers are on the toolbar; the furigana modes are in the menu too)
    Menu("furigana", QT_TRANSLATE_NOOP("MainWindow", "&Furigana"), parent="view"),
    *(
        Action(
            furigana_action_id(value), text, "view.choose_furigana", (value,), menu="furigana", group="furigana",
            checked=lambda window, value=value: window.settings.furigana == value,
        )
        for value, _box_text, text in FURIGANA_MODES
    ),
    Action(
        "underline", QT_TRANSLATE_NOOP("MainWindow", "&Underline New and Learning Words"), "view.set_underline_words", menu="view",
        checkable=True, checked=lambda window: window.settings.underline_words,
        tip=QT_TRANSLATE_NOOP("MainWindow", "New words get a dotted blue underline, words you are learning a wavy orange one"),
    ),
    Action(
        "vertical", QT_TRANSLATE_NOOP("MainWindow", "&Vertical Writing (縦書き)"), "view.set_vertical", shortcut="Ctrl+Shift+V", menu="view",
        checkable=True, checked=lambda window: window.settings.vertical,
    ),
    Separator("view"),
    Action("zoom_in", QT_TRANSLATE_NOOP("MainWindow", "Zoom &In"), "view.zoom", (1,), shortcut=Key.ZoomIn, menu="view"),
    Action("zoom_out", QT_TRANSLATE_NOOP("MainWindow", "Zoom &Out"), "view.zoom", (-1,), shortcut=Key.ZoomOut, menu="view"),
    Action("actual_size", QT_TRANSLATE_NOOP("MainWindow", "&Actual Size"), "view.zoom", (0,), shortcut="Ctrl+0", menu="view"),
    Separator("view"),
    Action(
        "remote", QT_TRANSLATE_NOOP("MainWindow", "Load &Remote Images in This Post"), "view.set_remote_images", menu="view", checkable=True,
        tip=QT_TRANSLATE_NOOP("MainWindow", "Posts may point at images on other sites; they are only fetched if you allow it"),
    ),
    Separator("view"),
    Action("claims", QT_TRANSLATE_NOOP("MainWindow", "&Claims Table…"), "claims.show_table", shortcut="Ctrl+Shift+L", menu="view"),
    Action("notebook", QT_TRANSLATE_NOOP("MainWindow", "&Notebook…"), "show_notebook", shortcut="Ctrl+Shift+B", menu="view"),
    Action(
        "vocabulary", QT_TRANSLATE_NOOP("MainWindow", "&Vocabulary"), "vocabulary.setVisible", shortcut="Ctrl+Shift+W", menu="view",
        checkable=True, checked=lambda window: window.vocabulary.isVisible(), follows="vocabulary.visibilityChanged",
        tip=QT_TRANSLATE_NOOP("MainWindow", "The words of this post: their status, reading, meaning and count"),
    ),
    Action("known_words", QT_TRANSLATE_NOOP("MainWindow", "&Known Words…"), "show_word_manager", shortcut="Ctrl+Shift+K", menu="view"),
    Action(
        "suggested", QT_TRANSLATE_NOOP("MainWindow", "&Suggested Claims"), "suggested_claims.set_expanded", menu="view", checkable=True,
        checked=lambda window: window.suggested_claims.expanded, follows="suggested_claims.header.toggled",
    ),
    Separator("view"),
    Menu("language", QT_TRANSLATE_NOOP("MainWindow", "&Language"), parent="view"),
    Action(
        "language_system", QT_TRANSLATE_NOOP("MainWindow", "Follow the System"), "view.set_language", ("system",), menu="language",
        group="language", checked=lambda window: window.settings.language == "system",
    ),
    Action(
        "language_en", "English", "view.set_language", ("en",), menu="language", group="language",
        checked=lambda window: window.settings.language == "en", translate=False,
    ),
    Action(
        "language_ja", "日本語", "view.set_language", ("ja",), menu="language", group="language",
        checked=lambda window: window.settings.language == "ja", translate=False,
    ),
    # Help
    Action("about", QT_TRANSLATE_NOOP("MainWindow", "&About Kakikomi"), "show_about", menu="help"),
)

@dataclass(frozen=True)
class Chooser:
    """A box on the toolbar, the window's `id`: one of `choices` (value, text), the settings'
    `setting` at first; `handler` is called when another is chosen."""

    id: str
    tip: str
    choices: tuple[tuple[str, str], ...]
    setting: str
    handler: str


CHOOSERS = (
    Chooser(
        "furigana_box", QT_TRANSLATE_NOOP("MainWindow", "Which words get furigana"),
        tuple((value, text) for value, text, _menu_text in FURIGANA_MODES),
        setting="furigana", handler="view.furigana_changed",
    ),
    Chooser(
        "theme_box", QT_TRANSLATE_NOOP("MainWindow", "Colours of the window and the page"),
        (
            ("auto", QT_TRANSLATE_NOOP("MainWindow", "Theme: system")),
            ("light", QT_TRANSLATE_NOOP("MainWindow", "Theme: light")),
            ("sepia", QT_TRANSLATE_NOOP("MainWindow", "Theme: sepia")),
            ("dark", QT_TRANSLATE_NOOP("MainWindow", "Theme: dark")),
        ),
        setting="theme", handler="view.theme_changed",
    ),
)

TOOLBAR_TITLE = QT_TRANSLATE_NOOP("MainWindow", "Reader")
# Left to right: actions by id, "colors" for the colour actions, "|" a separator, "choosers" the
# CHOOSERS (there from the frame on: the buttons added by build_actions go around them).
TOOLBAR = ("highlight", "colors", "|", "choosers", "vertical")


def _text(source: str) -> str:
    """`source` (marked with QT_TRANSLATE_NOOP above) in the UI's language."""
    return QCoreApplication.translate("MainWindow", source)


def _resolve(window, path: str):
    return operator.attrgetter(path)(window)


# --- the frame ----------------------------------------------------------------------------------


def build_frame(window) -> None:
    """The menu bar's menus (empty until build_actions) and the toolbar with its choosers
    (showing the settings' choices): what sets the reader's place in the window."""
    for menu in MENU_BAR:
        setattr(window, f"{menu.id}_menu", window.menuBar().addMenu(_text(menu.text)))
    toolbar = window.toolbar = QToolBar(_text(TOOLBAR_TITLE))
    toolbar.setObjectName("reader-toolbar")
    # Small icons (the colour swatches are 12 px) keep the actions' buttons, added by
    # build_actions, no taller than the choosers: the toolbar, and so the reader, do not move.
    toolbar.setIconSize(QSize(16, 16))
    window.addToolBar(toolbar)
    places = [toolbar.addWidget(_chooser(window, chooser)) for chooser in CHOOSERS]
    window.choosers_place = places[0]  # the buttons before the choosers go before this


def _chooser(window, chooser: Chooser) -> QComboBox:
    box = QComboBox()
    box.setToolTip(_text(chooser.tip))
    for value, label in chooser.choices:
        box.addItem(_text(label), value)
    box.setCurrentIndex(max(0, box.findData(getattr(window.settings, chooser.setting))))
    setattr(window, chooser.id, box)
    return box


# --- the actions --------------------------------------------------------------------------------


def build_actions(window) -> dict[str, QAction]:
    """Make ACTIONS (and their submenus) for `window`, whose frame and panels exist, put them in
    their menus and on the toolbar, connect the choosers; returns the actions by id."""
    from PySide6.QtCore import Qt

    menus = {menu.id: getattr(window, f"{menu.id}_menu") for menu in MENU_BAR}
    made: dict[str, QAction] = {}
    groups: dict[str, QActionGroup] = {}
    for entry in ACTIONS:
        if isinstance(entry, Separator):
            menus[entry.menu].addSeparator()
        elif isinstance(entry, Menu):
            menus[entry.id] = _submenu(window, entry, menus[entry.parent])
        elif isinstance(entry, ColorActions):
            window.color_actions = _color_actions(window, entry, menus[entry.menu])
        else:
            made[entry.id] = _action(window, entry, menus.get(entry.menu), groups)
            if entry.context_menu:
                widget = _resolve(window, entry.context_menu)
                widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
                widget.addAction(made[entry.id])
    for chooser in CHOOSERS:
        handler = _resolve(window, chooser.handler)
        getattr(window, chooser.id).currentIndexChanged.connect(lambda _index, handler=handler: handler())
    _fill_toolbar(window, made)
    return made


def _submenu(window, entry: Menu, parent):
    menu = parent.addMenu(_text(entry.text))
    setattr(window, f"{entry.id}_menu", menu)
    if entry.filled_by:
        fill = _resolve(window, entry.filled_by)
        menu.aboutToShow.connect(lambda: fill(menu))
    return menu


def _action(window, entry: Action, menu, groups: dict[str, QActionGroup]) -> QAction:
    action = QAction(_text(entry.text) if entry.translate else entry.text, window)
    action.setCheckable(entry.checkable or entry.group is not None)
    if isinstance(entry.shortcut, Key):
        action.setShortcuts(entry.shortcut)  # every key the platform gives it (Redo: Ctrl+Shift+Z and Ctrl+Y)
    elif entry.shortcut is not None:
        action.setShortcut(QKeySequence(entry.shortcut))
    if entry.tip:
        action.setToolTip(_text(entry.tip))
        action.setStatusTip(_text(entry.tip))
    if entry.checked is not None:
        action.setChecked(entry.checked(window))
    if entry.group is not None:
        groups.setdefault(entry.group, QActionGroup(window)).addAction(action)
    handler, args = _resolve(window, entry.handler), entry.args
    if entry.checkable:
        action.triggered.connect(lambda checked: handler(*args, checked))
    else:
        action.triggered.connect(lambda: handler(*args))
    if entry.follows:
        _resolve(window, entry.follows).connect(action.setChecked)
    window.addAction(action)  # shortcuts work even with the menu bar hidden
    if menu is not None:
        menu.addAction(action)
    setattr(window, f"{entry.id}_action", action)
    return action


def _color_actions(window, entry: ColorActions, menu) -> list[QAction]:
    from app.core.store import COLORS
    from app.ui.highlights_panel import swatch

    handler = _resolve(window, entry.handler)
    actions = []
    for number, color in enumerate(COLORS, 1):
        action = QAction(window.highlights_panel.color_name(color), window)
        action.setShortcut(QKeySequence(str(number)))
        action.setIcon(swatch(color))
        action.triggered.connect(lambda _checked=False, color=color: handler(color))
        window.addAction(action)
        menu.addAction(action)
        actions.append(action)
    return actions


def _fill_toolbar(window, made: dict[str, QAction]) -> None:
    from PySide6.QtCore import Qt

    toolbar, place = window.toolbar, window.choosers_place
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    before = True  # until "choosers": inserted before them
    for item in TOOLBAR:
        if item == "choosers":
            before = False
        elif item == "|" and before:
            toolbar.insertSeparator(place)
        elif item == "|":
            toolbar.addSeparator()
        else:
            actions = window.color_actions if item == "colors" else [made[item]]
            if before:
                toolbar.insertActions(place, actions)
            else:
                toolbar.addActions(actions)
