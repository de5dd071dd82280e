"""The reader's preferences: typed fields with defaults, stored as JSON in the user's config folder.

Loading never raises. A value of the wrong type or out of its allowed set falls back to its
default (a number out of range is clamped), with a sentence in `Settings.warnings`; keys this
version does not know are ignored; a file that is not JSON is moved aside to `settings.json.bad`
and the defaults are used. The file carries a schema "version": older files are brought up to date
by the numbered functions in UPGRADES (as Picard's config_upgrade.py does) before they are read.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from app.core.common.fileio import write_atomic
from app.core.common.messages import Message
from app.core.common.paths import config_dir
from app.core.common.text import has_surrogates, shown_path
from app.core.reading.furigana_mode import FuriganaMode

SCHEMA_VERSION = 1
SETTINGS_FILE = "settings.json"
THEMES = ("auto", "light", "sepia", "dark")
LANGUAGES = ("system", "en", "ja")
FONT_SCALE_MIN = 0.5
FONT_SCALE_MAX = 3.0
MAX_RECENT_FILES = 10

log = logging.getLogger(__name__)


@dataclass
class Settings:
    """Everything the reader remembers between runs. `warnings` is not stored: it tells what
    load_settings had to repair."""

    theme: str = "auto"
    furigana: str = "all"  # "off", "all", "unknown", "grade:N" or "jlpt:N" (see FuriganaMode.parse)
    vertical: bool = False
    underline_words: bool = False  # new and learning words underlined in the page
    font_scale: float = 1.0
    language: str = "system"
    recent_files: list[str] = field(default_factory=list)  # most recent first
    last_export_folder: str | None = None
    allow_remote_images: list[str] = field(default_factory=list)  # post source paths
    window_geometry: str | None = None  # QMainWindow.saveGeometry() as base64
    splitter_state: str | None = None  # QSplitter.saveState() as base64
    # The reader's size at the last close: the page is laid out at this size before the window
    # is built, so the first screen does not move when it appears (None: the default layout's).
    reader_size: list[int] | None = None
    first_run_done: bool = False
    # The post open at the last close (its source path, or the URL of a page from the web): the
    # next start opens it again, where the reader left it (None: the library's newest post).
    last_post: str | None = None
    warnings: list[str] = field(default_factory=list, compare=False, repr=False, metadata={"stored": False})

    def add_recent(self, path: str | os.PathLike[str]) -> None:
        """Put `path` first in recent_files, once, keeping the MAX_RECENT_FILES most recent."""
        entry = os.fspath(path)
        self.recent_files = [entry, *(p for p in self.recent_files if p != entry)][:MAX_RECENT_FILES]

    def to_dict(self) -> dict[str, Any]:
        """The JSON object save_settings writes: "version" and every stored field, validated."""
        raw = {f.name: getattr(self, f.name) for f in _stored_fields()}
        clean, notes = _validated(raw)
        for note in notes:
            log.warning("settings: %s", note)
        return {"version": SCHEMA_VERSION, **clean}


# --- validation: one function per stored field, (raw value, notes) -> clean value or ValueError ---


def _choice(options: tuple[str, ...]) -> Callable[[Any, list[str]], str]:
    def check(value: Any, notes: list[str]) -> str:
        if isinstance(value, str) and value in options:
            return value
        raise ValueError(Message("settings.expected_choice", "expected one of {choices}", choices=", ".join(options)))

    return check


def _furigana(value: Any, notes: list[str]) -> str:
    if not isinstance(value, str):
        raise ValueError(Message("settings.expected_furigana", "expected a furigana mode such as all, off, grade:6, jlpt:3 or known"))
    if value.strip().lower() == "known":  # an older name of "unknown": readings only over words not known
        return "unknown"
    return str(FuriganaMode.parse(value))  # its ValueError already says what is allowed


def _boolean(value: Any, notes: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(Message("settings.expected_boolean", "expected true or false"))


def _font_scale(value: Any, notes: list[str]) -> float:
    # bool is an int to Python, but true is not a font size
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(Message(
            "settings.expected_scale", "expected a number from {low} to {high}", low=FONT_SCALE_MIN, high=FONT_SCALE_MAX
        ))
    clamped = min(max(float(value), FONT_SCALE_MIN), FONT_SCALE_MAX)
    if clamped != value:
        notes.append(Message(
            "settings.scale_clamped", "font_scale {value} is outside {low}–{high}; using {clamped}.",
            value=value, low=FONT_SCALE_MIN, high=FONT_SCALE_MAX, clamped=clamped,
        ))
    return clamped


def _path_list(limit: int | None) -> Callable[[Any, list[str]], list[str]]:
    def check(value: Any, notes: list[str]) -> list[str]:
        if not isinstance(value, list):
            raise ValueError(Message("settings.expected_paths", "expected a list of paths"))
        kept: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item:
                notes.append(Message("settings.path_dropped", "dropped {item} from a list of paths: not a path.", item=repr(item)))
            elif item not in kept:
                kept.append(item)
        return kept[:limit] if limit else kept

    return check


def _optional_path(value: Any, notes: list[str]) -> str | None:
    if value is None or (isinstance(value, str) and value):
        return value
    raise ValueError(Message("settings.expected_folder", "expected a folder path or null"))


def _optional_source(value: Any, notes: list[str]) -> str | None:
    if value is None or (isinstance(value, str) and value and "\x00" not in value):
        return value
    raise ValueError(Message("settings.expected_source", "expected a post's file path or URL, or null"))


def _optional_base64(value: Any, notes: list[str]) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            base64.b64decode(value, validate=True)
            return value
        except (binascii.Error, ValueError):
            pass
    raise ValueError(Message("settings.expected_base64", "expected base64 text or null"))


def _optional_size(value: Any, notes: list[str]) -> list[int] | None:
    if value is None:
        return None
    if (
        isinstance(value, list) and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) and 50 <= v <= 20_000 for v in value)
    ):
        return list(value)
    raise ValueError(Message("settings.expected_size", "expected [width, height] in pixels, or null"))


VALIDATORS: dict[str, Callable[[Any, list[str]], Any]] = {
    "theme": _choice(THEMES),
    "furigana": _furigana,
    "vertical": _boolean,
    "underline_words": _boolean,
    "font_scale": _font_scale,
    "language": _choice(LANGUAGES),
    "recent_files": _path_list(MAX_RECENT_FILES),
    "last_export_folder": _optional_path,
    "allow_remote_images": _path_list(None),
    "window_geometry": _optional_base64,
    "splitter_state": _optional_base64,
    "reader_size": _optional_size,
    "first_run_done": _boolean,
    "last_post": _optional_source,
}


def _stored_fields():
    return [f for f in fields(Settings) if f.metadata.get("stored", True)]


def _validated(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Each stored field's value from `raw`, or its default (with a note) when it is invalid."""
    defaults = Settings()
    clean: dict[str, Any] = {}
    notes: list[str] = []
    for f in _stored_fields():
        default = getattr(defaults, f.name)
        if f.name not in raw:
            clean[f.name] = default
            continue
        try:
            clean[f.name] = VALIDATORS[f.name](raw[f.name], notes)
        except ValueError as exc:
            notes.append(Message(
                "settings.invalid_value", "{field} = {value} is not valid ({reason}); using {default}.",
                field=f.name, value=repr(raw[f.name]), reason=exc, default=repr(default),
            ))
            clean[f.name] = default
    return clean, notes


# --- upgrades: UPGRADES[n] turns a version n-1 object into a version n object, in place ---------

# Version 1 is the first stored schema. When a field is renamed or its meaning changes, raise
# SCHEMA_VERSION to n and add `UPGRADES[n] = upgrade_to_vN`; never edit an upgrade once released.
UPGRADES: dict[int, Callable[[dict[str, Any]], None]] = {}


def upgrade_data(data: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """Bring a stored object up to SCHEMA_VERSION by running each numbered upgrade in turn.

    A missing or unreadable version counts as 1; a newer version than this app knows is read as
    is (with a note): its unknown keys are ignored.
    """
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        notes.append(Message(
            "settings.invalid_version", "version = {version} is not valid; reading the file as version 1.", version=repr(version)
        ))
        version = 1
    if version > SCHEMA_VERSION:
        notes.append(Message(
            "settings.newer_version", "the settings were written by a newer Kakikomi (version {version}); keys it added are ignored.",
            version=version,
        ))
        return data
    for step in range(version + 1, SCHEMA_VERSION + 1):
        UPGRADES[step](data)
        data["version"] = step
    return data


# --- reading and writing -------------------------------------------------------------------------


def settings_path() -> Path:
    """Where the settings live: settings.json in the user's config folder."""
    return config_dir() / SETTINGS_FILE


def settings_from_dict(data: dict[str, Any]) -> Settings:
    """Settings from a stored object of any version; never raises (see the module docstring)."""
    notes: list[str] = []
    clean, value_notes = _validated(upgrade_data(dict(data), notes))
    return Settings(**clean, warnings=notes + value_notes)


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """The settings stored at `path` (default: settings_path()), or the defaults; never raises.

    No file gives the defaults quietly. A file that cannot be read or is not a JSON object gives
    the defaults and is moved to `<name>.bad` (replacing an older one), so the next save does not
    silently destroy it. Every repair is a sentence in the result's `warnings`, also logged.
    """
    target = Path(path) if path is not None else settings_path()
    try:
        data = _read_regular(target)
        if data is None:  # a pipe, a device or a socket: reading one could wait forever
            note = Message(
                "settings.not_regular", "{path} is not a regular file (a pipe or a device?); using the default settings.",
                path=shown_path(target),
            )
            log.warning("settings: %s", note)
            return Settings(warnings=[note])
        data = json.loads(data.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError(Message("settings.not_an_object", "it holds a JSON {kind}, not an object", kind=type(data).__name__))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeError are ValueErrors
        note = Message("settings.unreadable", "could not read {path} ({reason}); using the default settings.", path=target, reason=exc)
        settings = Settings(warnings=[note])
        settings.warnings.append(_set_aside(target))
    else:
        settings = settings_from_dict(data)
    for note in settings.warnings:
        log.warning("settings: %s", note)
    return settings


def stored_language(path: str | os.PathLike[str] | None = None) -> str:
    """The language setting stored at `path` (default: settings_path()): "system", "en" or "ja",
    for a program that needs only that (the command line's sentences). Unlike load_settings it
    never moves a bad file aside nor logs (the window reports the repairs): anything missing,
    unreadable or invalid is the default, "system"."""
    target = Path(path) if path is not None else settings_path()
    try:
        data = _read_regular(target)
        value = json.loads(data.decode("utf-8")).get("language") if data is not None else None
        return VALIDATORS["language"](value, [])
    except (OSError, ValueError, RecursionError, AttributeError):  # AttributeError: JSON that is not an object
        return Settings().language


def _read_regular(target: Path) -> bytes | None:
    """The file's bytes; None when it is neither a regular file nor a folder (a FIFO, a device, a
    socket), checked before it is opened: opening a FIFO waits for a writer, forever."""
    mode = os.stat(target).st_mode
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return None
    return target.read_bytes()  # a folder: IsADirectoryError, a warning and the defaults


def _set_aside(target: Path) -> str:
    bad = target.with_name(target.name + ".bad")
    if not target.is_file():  # a folder in its place is the user's doing: leave it where it is
        return Message("settings.left_in_place", "{path} is not a file; it was left in place.", path=target)
    try:
        os.replace(target, bad)
    except OSError as exc:
        reason = exc.strerror or exc
        return Message("settings.not_moved_aside", "could not move it aside to {name} ({reason}).", name=bad.name, reason=reason)
    return Message("settings.kept_as", "the unreadable file was kept as {path}.", path=bad)


def save_settings(settings: Settings, path: str | os.PathLike[str] | None = None) -> Path:
    """Write `settings` as JSON to `path` (default: settings_path()), atomically, creating the folder.

    Invalid values are written as their defaults. The file is always valid UTF-8: a path that is
    not UTF-8 (its bytes kept as lone surrogates) is written as JSON escapes (\\udcff), which
    load_settings reads back as the same path. Raises OSError when the file cannot be written.
    """
    target = Path(path) if path is not None else settings_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    data = settings.to_dict()
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if has_surrogates(text):
        text = json.dumps(data, ensure_ascii=True, indent=2) + "\n"
    return write_atomic(target, text)
