"""Where the dictionary file is, its layout version, and the two look-ups the furigana stage makes
on every paragraph, with nothing but sqlite3: the forms a text starts with, and whether a form has
a reading. Kept apart from app.core.reading.dictionary (its entries, senses and kanji, which the
word popup needs) so the first page a reader sees pays only for a connection, not for that module.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from app.core.common.paths import resource

FILE_NAME = "jmdict.sqlite3"
FORMAT = "1"  # app.core.reading.build_dictionary.FORMAT: the layout this reader understands
# The file is read through SQLite's own small page cache, not mapped into memory: a mapped page
# once read stays in the process's memory figure (PSS) for as long as the connection is open, and
# the readings of a 150,000-character post read 13 MB of the 36 MB file (a scan of the entries,
# 28 MB). Read, the pages stay in the system's file cache all the same, shared by every process,
# and the render takes as long (measured: 0.6-1.0 s either way).
_MMAP_BYTES = 0


def dictionary_path() -> Path:
    """Where the dictionary file is: $KAKIKOMI_DICTIONARY if set, else resources/dictionary/ (in a
    checkout, where `make` builds it; in the packaged app, where the spec puts it)."""
    override = os.environ.get("KAKIKOMI_DICTIONARY")
    return Path(override) if override else resource("dictionary", FILE_NAME)


class Forms:
    """A read-only connection for the two hot look-ups; safe to share between threads."""

    def __init__(self, path: Path):
        self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._db.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
        self._lock = threading.Lock()
        meta = dict(self._db.execute("SELECT key, value FROM meta WHERE key IN ('format', 'max_form_length')").fetchall())
        if meta.get("format") != FORMAT:
            raise sqlite3.DatabaseError(f"layout {meta.get('format')!r}, not {FORMAT!r}")
        self.max_form_length = int(meta.get("max_form_length", "30"))

    def forms_at(self, windows: Iterable[str], min_length: int = 2, max_length: int = 8) -> dict[str, tuple[int, ...]]:
        """For each window, the lengths of the kanji forms it starts with (longest first): one query."""
        limit = min(max_length, self.max_form_length)
        prefixes: dict[str, list[str]] = {}
        windows = list(dict.fromkeys(windows))
        for window in windows:
            for n in range(min_length, min(limit, len(window)) + 1):
                prefixes.setdefault(window[:n], []).append(window)
        found: dict[str, list[int]] = {w: [] for w in windows}
        keys = list(prefixes)
        with self._lock:
            for i in range(0, len(keys), 900):
                chunk = keys[i : i + 900]
                for (form,) in self._db.execute(
                    f"SELECT DISTINCT text FROM kanji_form WHERE text IN ({','.join('?' * len(chunk))})", chunk
                ):
                    for window in prefixes[form]:
                        found[window].append(len(form))
        return {w: tuple(sorted(lengths, reverse=True)) for w, lengths in found.items()}

    def has_reading(self, form: str, reading: str) -> bool:
        """Whether some entry written `form` reads `reading` (hiragana, as the reading keys are)."""
        with self._lock:
            return self._db.execute(
                "SELECT 1 FROM kanji_form k JOIN reading r ON r.entry = k.entry WHERE k.text = ? AND r.key = ? LIMIT 1",
                (form, reading),
            ).fetchone() is not None


def open_forms(path: Path | None = None) -> Forms | None:
    """The light connection to the dictionary, or None when there is no file this version reads."""
    target = Path(path) if path is not None else dictionary_path()
    if not target.is_file():
        return None
    try:
        return Forms(target)
    except sqlite3.Error:
        return None
