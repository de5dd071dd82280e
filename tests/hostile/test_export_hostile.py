"""Hostile text in exports (issue #19, defects 7, 9, 12 and the long file name of 14): every CSV
cell goes through one writer, Markdown merging splits lines on `\\n` only, the front matter stays
valid YAML, a killed export's litter is cleaned by the next one, and one long name does not stop a
folder export. Real SQLite libraries in tmp_path.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.core.claims import table as claims_store
from app.core.library import actions as library
from app.core.library import claims_export, export, webanno
from app.core.library.derived import open_library
from app.core.library.export import export_csv, export_markdown

FORMULA = '=HYPERLINK("http://example.com/x","t")'
POST = "---\ntitle: 投資の話\n---\n\nソフトバンクは約1.5兆円を投資すると発表した。\n\n今日は良い天気です。\n"


@pytest.fixture
def shelf(tmp_path: Path):
    (tmp_path / "posts").mkdir()
    source = tmp_path / "posts" / "invest.md"
    source.write_text(POST, encoding="utf-8")
    store = open_library(tmp_path / "lib.sqlite3")
    library.import_paths(store, [source])
    yield store, store.post(str(source))
    store.close()


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _unsafe_cells(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows[1:] for cell in row if cell.lstrip(" ")[:1] in DANGEROUS]


# --- defect 7: CSV formula injection ---------------------------------------------------------


def test_highlight_csv_neutralises_tags_and_timestamps(shelf, tmp_path):
    """A tag `=HYPERLINK(…)` and created/updated values starting with = or + landed raw before."""
    store, post = shelf
    made = library.annotate_quote(store, post, "良い天気", tags=[FORMULA, "@sum"], note="+1")
    store.db.execute("UPDATE annotations SET created = '=1+2', updated = '+cmd|x' WHERE id = ?", [made.id])
    rows = _rows(export_csv(store, tmp_path / "h.csv"))
    assert _unsafe_cells(rows) == []
    row = dict(zip(rows[0], rows[1]))
    assert row["tags"].startswith("'=HYPERLINK") and (row["created"], row["updated"]) == ("'=1+2", "'+cmd|x")


def test_claims_csv_neutralises_every_text_cell(shelf, tmp_path):
    store, post = shelf
    made = library.annotate_quote(store, post, "ソフトバンクは約1.5兆円を投資すると発表した。", tags=[FORMULA, "investment"])
    claims_store.set_claim_status(store, made.id, "confirmed", "-2+3")
    rows = _rows(claims_export.export_claims(store, tmp_path / "c.csv", "csv"))
    assert len(rows) == 2 and _unsafe_cells(rows) == []
    row = dict(zip(rows[0], rows[1]))
    assert row["tags"].startswith("'=HYPERLINK") and row["status_note"] == "'-2+3"


@example("＝1+1")
@example(" =1+1")
@example("@SUM(A1)")
@given(st.text(max_size=12))
def test_one_cell_writer_never_leaves_a_formula(value):
    cell = export.csv_cell(value)
    assert cell.lstrip(" ")[:1] not in DANGEROUS
    assert cell in (value, "'" + value)


# --- defect 9: faked markers and YAML ----------------------------------------------------------


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x1c", "\x1d", "\x1e", "\x85", "\x0b", "\x0c", "\r"])
def test_a_quote_or_title_cannot_end_the_generated_part_early(shelf, tmp_path, separator):
    """U+2028 or \\x1c and an end marker in a quote and the title: each re-export replaced only part of
    the block and appended another stale copy with duplicate ^kk ids."""
    store, post = shelf
    fake = f"{separator}{export.END_MARKER}{separator}"
    made = library.annotate_quote(store, post, "良い天気", note=f"note{fake}tail")
    store.db.execute("UPDATE annotations SET exact = ? WHERE id = ?", [f"良い{fake}\n天気", made.id])
    store.db.execute("UPDATE posts SET title = ? WHERE id = ?", [f"投資{fake}の話", post.id])
    target = tmp_path / "notes.md"
    export_markdown(store, target, now="2026-01-01T00:00:00Z")
    with target.open("a", encoding="utf-8") as handle:
        handle.write("\nMy own text after the block.\n")
    export_markdown(store, target, now="2026-01-02T00:00:00Z")
    text = export_markdown(store, target, now="2026-01-03T00:00:00Z")[0].read_bytes().decode("utf-8")
    assert text.count(f"^kk-{made.id}") == 1
    assert text.count(export.BEGIN_MARKER + "\n") == 1 and text.count("\n" + export.END_MARKER + "\n") == 1
    assert text.endswith("My own text after the block.\n")
    assert not re.search(f"[\r\n]{export.END_MARKER}[\r\n]", text.split(export.BEGIN_MARKER)[1].split("\n" + export.END_MARKER)[0])
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["exported"] == "2026-01-03T00:00:00Z" and front["title"] == f"投資{fake}の話"


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["title", "source", "date", "tags", "x"]), st.one_of(
    st.none(), st.text(st.characters(blacklist_categories=("Cs",))),
    st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=6), max_size=3)), min_size=1))
def test_the_fast_yaml_writer_always_writes_what_reads_back(values):
    """The front-matter writer left U+2028/U+2029 unquoted: the file's YAML became invalid."""
    written = export._yaml(values)
    assert yaml.safe_load(written) == values


def test_line_splitter_splits_on_newline_only():
    assert export.split_lines("a\u2028b\x1cc\r\nd\re\n") == ["a\u2028b\x1cc\r\n", "d\re\n"]
    assert export.split_lines("") == [] and export.split_lines("x") == ["x"]


# --- defect 12: litter after SIGKILL --------------------------------------------------------------


def _litter(folder: Path, parent: Path) -> list[Path]:
    staging = parent / f".{folder.name}.k2j_9x0a.export"
    staging.mkdir()
    (staging / "half.md").write_text("half", encoding="utf-8")
    tmp_md = folder / ".invest.md.0123abcd.tmp"
    tmp_md.write_text("half", encoding="utf-8")
    return [staging, tmp_md]


def test_a_killed_exports_litter_is_cleaned_by_the_next_export(shelf, tmp_path):
    store, post = shelf
    library.annotate_quote(store, post, "良い天気")
    folder = tmp_path / "newnotes"
    folder.mkdir()
    mine = [folder / ".notes.md.tmp", folder / ".invest.md.bak", tmp_path / ".other.k2j_9x0a.export", folder / "mine.md"]
    for path in mine:
        path.write_text("the reader's", encoding="utf-8")
    litter = _litter(folder, tmp_path)
    json_litter = tmp_path / ".b.json.89abcdef.tmp"
    json_litter.write_text("half", encoding="utf-8")
    export_markdown(store, folder)
    webanno.export_json(store, tmp_path / "b.json")
    assert [p for p in [*litter, json_litter] if os.path.lexists(p)] == []
    assert all(p.read_text(encoding="utf-8") == "the reader's" for p in mine)


@pytest.mark.skipif(not hasattr(os, "O_DIRECTORY"), reason="folder locks are POSIX")
def test_a_running_exports_files_are_not_litter(shelf, tmp_path):
    """While another export holds the folder, its temporary files are left alone."""
    import fcntl

    store, post = shelf
    library.annotate_quote(store, post, "良い天気")
    folder = tmp_path / "newnotes"
    folder.mkdir()
    litter = _litter(folder, tmp_path)
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_SH)
        export_markdown(store, folder)
        assert litter[1].exists()
    finally:
        os.close(handle)
    export_markdown(store, folder)
    assert not litter[1].exists()


# --- defect 14: a long export file name --------------------------------------------------------


def test_long_file_names_do_not_stop_a_folder_export(shelf, tmp_path):
    """One post whose name makes a 255-byte export file name aborted the whole folder export."""
    store, post = shelf
    library.annotate_quote(store, post, "良い天気")
    for n, stem in enumerate(["あ" * 84 + "x", "い" * 84 + "yz", "あ" * 84 + "x"]):
        folder = tmp_path / f"elsewhere{n}"
        snapshot = webanno.PostSnapshot.from_json({"source": str(folder / f"{stem}.md"), "text": "今日は良い天気です。", "title": f"t{n}"})
        restored = webanno.restore_post(store, snapshot)
        library.annotate_quote(store, restored, "良い天気")
    written = export_markdown(store, tmp_path / "out")
    assert len(written) == 4 and all(p.is_file() for p in written)
    assert all(len(os.fsencode(p.name)) <= 255 for p in written)
    assert len({p.name.casefold() for p in written}) == 4
    assert export_markdown(store, tmp_path / "out") == written  # the same names next time


def test_export_file_names_fit_and_stay_unique():
    posts = [type("P", (), {"id": i, "source_path": f"/x{i % 2}/" + "字" * 85 + ".md"})() for i in range(1, 5)]
    names = export.export_file_names(posts)
    assert all(len(os.fsencode(n)) <= 255 and n.endswith(".md") for n in names.values())
    assert len({n.casefold() for n in names.values()}) == 4
    assert re.fullmatch("字+\\.md", names[1])


@pytest.mark.parametrize("kind", ["json", "md"])
def test_the_temporary_file_of_an_export_killed_by_sigkill_goes_at_the_next_export(kind, tmp_path):
    """A real SIGKILL with the temporary file half written: the next export leaves only the export."""
    from tests.helpers.library_faults import FAULT_CHILD, make_export_library
    from tests.helpers.processes import Child

    db = make_export_library(tmp_path)
    target = tmp_path / "out" / f"highlights.{kind}"
    target.parent.mkdir()
    with Child("export", str(db), str(target), kind, "export 1 half", script=FAULT_CHILD) as child:
        while "export 1 half" not in child.lines:
            child.wait_for_lines(len(child.lines) + 1, timeout=60)
        child.kill()
        child.finish(timeout=10)
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")]  # the litter is there
    with open_library(db) as store:
        (webanno.export_json if kind == "json" else export_markdown)(store, target)
    assert [p.name for p in target.parent.iterdir()] == [target.name]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_as_the_markdown_file_is_one_sentence_not_a_hang(shelf, tmp_path):
    import subprocess
    import sys

    store, post = shelf
    library.annotate_quote(store, post, "良い天気")
    fifo = tmp_path / "notes.md"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "app", "export", "--db", str(store.path), "--format", "md", "-o", str(fifo)],
        cwd=Path(__file__).resolve().parents[2], env={**os.environ, "KAKIKOMI_HOME": str(tmp_path / "home")},
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "not a regular file" in result.stderr


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_MARKERS = st.sampled_from([export.BEGIN_MARKER, export.END_MARKER, "\u2028", "\x1c", "\r", "\n", "\x85", " "])
_HOSTILE = st.lists(st.one_of(_TEXT, _MARKERS), max_size=6).map("".join)


@settings(max_examples=100, deadline=None)
@given(quote=_HOSTILE.filter(str.strip), note=_HOSTILE, title=_HOSTILE, tag=_TEXT)
def test_fuzzed_quotes_notes_and_titles_never_fake_a_marker(quote, note, title, tag):
    """Whatever a quote, note, tag or title holds, merging twice keeps one generated part, one block
    id and the reader's text around it."""
    from app.core.store import Annotation

    made = Annotation(id="kk-test", post_id=1, exact=quote, prefix="", suffix="", start=0, end=len(quote), note=note,
                      tags=(tag.replace(" ", "-"),) if tag.strip() else ())
    generated = export._generated([f"# {export._one_line(title) or 'x'}", export.highlight_markdown(made)])
    values = {"title": title, "exported": "2026-01-01T00:00:00Z"}
    first = export.merge_markdown("reader's head\n", values, generated)
    second = export.merge_markdown(first + "reader's tail\n", {**values, "exported": "2026-01-02T00:00:00Z"}, generated)
    assert second.count("^kk-kk-test") == 1
    assert second.endswith("reader's tail\n") and "reader's head\n" in second
    lines = export.split_lines(second)
    assert sum(export.is_marker_line(line, export.END_MARKER) for line in lines) == 1
    assert sum(export.is_marker_line(line, export.BEGIN_MARKER) for line in lines) == 1
    front = yaml.safe_load(second.split("---\n")[1])
    assert front["title"] == title and front["exported"] == "2026-01-02T00:00:00Z"
