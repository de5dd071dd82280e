"""Tests for app.core.library.notebook: every highlight of the library, filtered, sorted, and
exported as shown (Markdown and CSV)."""

from __future__ import annotations

import csv
import time
from dataclasses import replace

import pytest
import yaml

from app.core.library import actions as library
from app.core.library import export
from app.core.library.derived import open_library
from app.core.library.notebook import (
    NotebookFilter,
    export_notebook_csv,
    export_notebook_markdown,
    notebook,
    notebook_posts,
    notebook_tags,
    with_text,
)
from app.core.store import Annotation, new_annotation_id

OLDER = "---\ntitle: 古い工場の話\ndate: 2024-03-01\n---\n\n昔の工場は小さかった。職人が三人いた。\n"
NEWER = "---\ntitle: Chips and money\ndate: 2025-11-30\n---\n\n新しい工場で半導体を作る。投資額は一兆円だという。\n\nPrices rose by 20% this year.\n"


@pytest.fixture
def lib(tmp_path):
    store = open_library(tmp_path / "lib.sqlite3")
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "older.md").write_text(OLDER, encoding="utf-8")
    (folder / "newer.md").write_text(NEWER, encoding="utf-8")
    report = library.import_paths(store, [folder])
    assert not report.errors
    posts = {p.title: p for p in store.posts()}
    older, newer = posts["古い工場の話"], posts["Chips and money"]
    made = {}

    def mark(post, quote, created, **options):
        annotation = library.annotate_quote(store, post, quote, **options)
        # Made on a known day, so that dates can be filtered and sorted on.
        made[quote] = store.put_annotation(replace(annotation, created=created, updated=created))

    mark(newer, "半導体を作る", "2025-12-01T10:00:00.000000Z", tags=["chip", "investment"], color="blue")
    mark(newer, "投資額は一兆円", "2025-12-03T09:00:00.000000Z", tags=["investment"], note="Check the AMOUNT.")
    mark(newer, "Prices rose", "2025-12-02T23:59:59.999999Z", color="pink")
    mark(older, "昔の工場", "2025-11-01T08:00:00.000000Z", tags=["history"], color="green")
    mark(older, "職人が三人", "2025-12-05T12:00:00.000000Z", tags=["chip"])
    library.delete_annotation(store, library.annotate_quote(store, older, "小さかった").id)
    yield store, older, newer, made
    store.close()


def quotes(entries):
    return [e.annotation.exact for e in entries]


def test_post_order_lists_newer_posts_first_and_each_in_reading_order(lib):
    """Sorted by post: the library list's order (newest post first), reading order within a post; deleted ones never."""
    store, *_ = lib
    assert quotes(notebook(store)) == ["半導体を作る", "投資額は一兆円", "Prices rose", "昔の工場", "職人が三人"]


def test_date_orders_sort_by_when_the_highlight_was_made(lib):
    """Newest and oldest first follow the highlight's own time, across posts."""
    store, *_ = lib
    newest = quotes(notebook(store, sort="newest"))
    assert newest == ["職人が三人", "投資額は一兆円", "Prices rose", "半導体を作る", "昔の工場"]
    assert quotes(notebook(store, sort="oldest")) == newest[::-1]


def test_filters_by_colour_post_and_every_chosen_tag(lib):
    """Colours and posts keep any of theirs; tags keep the highlights that carry all of them."""
    store, older, newer, _ = lib
    assert quotes(notebook(store, NotebookFilter(colors=("blue", "green")))) == ["半導体を作る", "昔の工場"]
    assert quotes(notebook(store, NotebookFilter(post_ids=(older.id,)))) == ["昔の工場", "職人が三人"]
    assert quotes(notebook(store, NotebookFilter(tags=("chip",)))) == ["半導体を作る", "職人が三人"]
    assert quotes(notebook(store, NotebookFilter(tags=("chip", "investment")))) == ["半導体を作る"]
    assert quotes(notebook(store, NotebookFilter(tags=("chip",), post_ids=(newer.id,), colors=("yellow",)))) == []


def test_text_filter_folds_case_and_looks_in_quote_note_tags_and_title(lib):
    """Text is found in the quote, the note (any case), the tags and the post's title."""
    store, *_ = lib
    assert quotes(notebook(store, NotebookFilter(text="一兆"))) == ["投資額は一兆円"]
    assert quotes(notebook(store, NotebookFilter(text="check the amount"))) == ["投資額は一兆円"]
    assert quotes(notebook(store, NotebookFilter(text="HISTORY"))) == ["昔の工場"]
    assert quotes(notebook(store, NotebookFilter(text="古い工場"))) == ["昔の工場", "職人が三人"]
    assert quotes(notebook(store, NotebookFilter(text="  "))) == quotes(notebook(store))
    # Narrowing entries already read gives what the query gives.
    for text in ("一兆", "check the amount", "HISTORY", "古い工場", ""):
        assert with_text(notebook(store, sort="newest"), text) == notebook(store, NotebookFilter(text=text), sort="newest")


def test_date_range_is_inclusive_of_both_days(lib):
    """since/until are whole days: a highlight at 23:59:59 on the last day is in, one the next morning is not."""
    store, *_ = lib
    entries = notebook(store, NotebookFilter(since="2025-12-01", until="2025-12-03"), sort="oldest")
    assert quotes(entries) == ["半導体を作る", "Prices rose", "投資額は一兆円"]
    assert quotes(notebook(store, NotebookFilter(until="2025-12-02"), sort="oldest")) == ["昔の工場", "半導体を作る", "Prices rose"]
    assert [e.made for e in entries] == ["2025-12-01", "2025-12-02", "2025-12-03"]


def test_orphans_are_shown_flagged_unless_left_out(lib, tmp_path):
    """A highlight whose text was edited away is listed as an orphan; orphans=False leaves it out."""
    store, *_ = lib
    changed = NEWER.replace("Prices rose by 20% this year.", "Something else entirely.")
    (tmp_path / "posts" / "newer.md").write_text(changed, encoding="utf-8")
    assert library.import_paths(store, [tmp_path / "posts" / "newer.md"]).orphaned == 1
    assert [e.annotation.exact for e in notebook(store) if e.annotation.orphan] == ["Prices rose"]
    assert "Prices rose" not in quotes(notebook(store, NotebookFilter(orphans=False)))


def test_bad_sort_and_dates_are_one_sentence(lib):
    """An unknown order, a date that is not one, or a range that runs backwards: ValueError with one sentence."""
    store, *_ = lib
    with pytest.raises(ValueError, match="Unknown order 'title'"):
        notebook(store, sort="title")
    with pytest.raises(ValueError, match="not a date like 2025-12-31"):
        notebook(store, NotebookFilter(since="yesterday"))
    with pytest.raises(ValueError, match="after the last one"):
        notebook(store, NotebookFilter(since="2025-12-05", until="2025-12-01"))


def test_tags_and_posts_offered_are_those_of_live_highlights(lib):
    """The filter choices: tags in use (sorted), posts with highlights (library order)."""
    store, older, newer, _ = lib
    assert notebook_tags(store) == ["chip", "history", "investment"]
    assert notebook_posts(store) == [(newer.id, "Chips and money"), (older.id, "古い工場の話")]


def test_markdown_export_writes_only_what_is_shown_and_merges_on_re_export(lib, tmp_path):
    """The shown entries, grouped under their posts; a re-export keeps what the reader wrote around the markers."""
    store, *_ = lib
    shown = notebook(store, NotebookFilter(tags=("chip",)))
    target = tmp_path / "out" / "notebook.md"
    target.parent.mkdir()
    export_notebook_markdown(store, shown, target, now="2026-01-02T03:04:05Z")
    text = target.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == "Kakikomi notebook" and front["exported"] == "2026-01-02T03:04:05Z"
    assert "date" not in front and front["tags"] == ["chip", "investment"]
    assert text.endswith(export.END_MARKER + "\n")
    assert "# Chips and money" in text and "# 古い工場の話" in text
    assert "> 半導体を作る ^kk-" in text and "> 職人が三人 ^kk-" in text
    assert "一兆円" not in text and "昔の工場" not in text
    assert text.index("# Chips and money") < text.index("# 古い工場の話")
    # The reader writes above the generated part; the next export with another filter keeps it.
    target.write_text(text.replace(export.BEGIN_MARKER, "My own words.\n\n" + export.BEGIN_MARKER), encoding="utf-8")
    export_notebook_markdown(store, notebook(store, NotebookFilter(colors=("pink",))), target)
    again = target.read_text(encoding="utf-8")
    assert "My own words." in again and "> Prices rose ^kk-" in again and "半導体を作る" not in again


def test_csv_export_has_one_row_per_entry_shown_in_its_order(lib, tmp_path):
    """CSV rows are the entries as shown (sorted, filtered), under the highlight CSV's columns."""
    store, *_ = lib
    shown = notebook(store, NotebookFilter(text="工場"), sort="newest")
    target = export_notebook_csv(store, shown, tmp_path / "notebook.csv")
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(export.HIGHLIGHT_CSV_COLUMNS)
    assert [r["quote"] for r in rows] == ["職人が三人", "昔の工場"]
    assert rows[0]["title"] == "古い工場の話" and rows[1]["tags"] == "history" and rows[1]["colour"] == "green"


def test_exports_never_write_over_a_post_of_the_library(lib, tmp_path):
    """A target that is a post's own file is refused with one sentence, and the post is untouched."""
    store, *_ = lib
    post_file = tmp_path / "posts" / "older.md"
    before = post_file.read_bytes()
    for write in (export_notebook_markdown, export_notebook_csv):
        with pytest.raises(export.ExportError, match="would overwrite a post of the library"):
            write(store, notebook(store), post_file)
    assert post_file.read_bytes() == before


def test_one_query_answers_quickly_for_ten_thousand_highlights(tmp_path):
    """10,000 highlights over 100 posts: one query filters and sorts them all, well under the time a query per row takes."""
    store = open_library(tmp_path / "big.sqlite3")
    text = "工場で半導体を作る。" * 50
    with store.transaction():
        ids = [
            store.save_post(_meta(i), source_path=str(tmp_path / f"p{i}.md"), text=text)
            for i in range(100)
        ]
        for n in range(10_000):
            start = (n % 50) * 10
            stamp = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T00:00:{n % 60:02d}.{n:06d}Z"
            store.put_annotation(Annotation(
                id=new_annotation_id(), post_id=ids[n % 100], exact=text[start : start + 5], prefix="", suffix="",
                start=start, end=start + 5, color=("yellow", "green", "blue")[n % 3], note=f"note {n}",
                tags=("chip",) if n % 2 else ("chip", "investment"), created=stamp, updated=stamp,
            ))
    timings = {}
    for name, args in {
        "all": (NotebookFilter(), "post"),
        "newest": (NotebookFilter(), "newest"),
        "tag+text": (NotebookFilter(tags=("investment",), text="NOTE 99"), "post"),
        "colour+dates": (NotebookFilter(colors=("green",), since="2025-03-01", until="2025-06-30"), "oldest"),
    }.items():
        began = time.perf_counter()
        entries = notebook(store, args[0], sort=args[1])
        timings[name] = time.perf_counter() - began
        assert entries
    assert len(notebook(store)) == 10_000
    assert max(timings.values()) < 2.0, timings  # about 0.1 s on an idle machine; an N+1 query is seconds
    store.close()


def _meta(i: int):
    from app.core.posts.meta import PostMeta

    return PostMeta(title=f"Post {i}", date=f"2025-01-{1 + i % 28:02d}")

