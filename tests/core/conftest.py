"""Fixtures of the core's tests: a library file of the test's own, and posts written into it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.library import actions as library
from app.core.library.derived import open_library
from app.core.store import Store


@pytest.fixture
def store(tmp_path: Path):
    """A new library file in the test's folder, open (a test file may define its own)."""
    with open_library(tmp_path / "lib.sqlite3") as opened:
        yield opened


def add_post(store: Store, tmp_path: Path, text: str, name: str):
    """`text` written to `name` in the test's folder and imported; its record."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    library.import_file(store, path)
    return store.post(str(path.resolve()))
