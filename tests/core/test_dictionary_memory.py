"""The dictionary file is read, never mapped into the process: a mapped page once read counts in
the process's memory (PSS) for as long as the connection is open, and one scan of the entries
reads most of the 36 MB file (benchmarks/startup.py keeps the window under 420 MB)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.core.reading import build_dictionary
from app.core.reading.dictionary import Dictionary
from app.core.reading.dictionary_file import open_forms
from tests.core.test_dictionary import make_source

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")


def _mapped(path: Path) -> bool:
    return str(path.resolve()) in Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")


def test_reading_the_dictionary_maps_none_of_it(tmp_path):
    out = tmp_path / "out" / "jmdict.sqlite3"
    build_dictionary.build(out, make_source(tmp_path / "jamdict.db"), quiet=True)
    opened = Dictionary(out)
    forms = open_forms(out)
    try:
        (moon,) = opened.entries(form="三日月")
        assert moon.readings[0].text == "みかづき"
        assert opened.kanji("漢").on == ("カン",)
        assert forms.forms_at(["三日月が出た"]) == {"三日月が出た": (3,)}
        assert forms.has_reading("三日月", "みかづき")
        # Every page of the file read, as a scan of the entries reads them.
        assert sum(1 for _ in opened._db.execute("SELECT * FROM entry")) == 3
        assert opened._db.execute("PRAGMA mmap_size").fetchone()[0] == 0
        assert not _mapped(out)
    finally:
        opened.close()
