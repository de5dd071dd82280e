"""Where Kakikomi finds its bundled resources and keeps the user's data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Kakikomi"


def resources_dir() -> Path:
    """The folder holding reader CSS/JS, data tables and the sample post.

    In a PyInstaller bundle it sits next to the frozen code; in a checkout it is the top-level
    `resources/` beside `app/`.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[3] / "resources"


def resource(*parts: str) -> Path:
    """The path of one bundled resource, e.g. resource("reader", "reader.css")."""
    return resources_dir().joinpath(*parts)


def sample_post_path() -> Path:
    """The bundled sample post that the app opens on first run."""
    return resource("samples", "ai-chips-and-money.md")


def data_dir() -> Path:
    """The user's Kakikomi data folder: $KAKIKOMI_HOME if set, else the platform's data folder."""
    home = os.environ.get("KAKIKOMI_HOME")
    if home:
        return Path(home).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user's settings folder: $KAKIKOMI_HOME/config if set, else the platform's config folder."""
    home = os.environ.get("KAKIKOMI_HOME")
    if home:
        return Path(home).expanduser() / "config"
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """A folder for files Kakikomi can always regenerate (rendered pages and the like)."""
    home = os.environ.get("KAKIKOMI_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
