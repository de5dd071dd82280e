"""The export dialog: options, the export in a worker thread, where the files went, errors."""

from __future__ import annotations

import csv
import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QFileDialog

from app.core.library import actions as library
from app.core.library.derived import open_library
from app.core.library.export import HIGHLIGHT_CSV_COLUMNS
from app.ui import export_dialog
from app.ui.export_dialog import ExportDialog

RAINY_DAY = """\
---
title: 雨の日の図書館
date: 2025-06-01
tags: [日記]
---

朝から雨が降っていたので、駅前の図書館まで歩いて行った。

窓際の席で古い旅行記を読んでいると、隣の人が静かに傘をたたんだ。

帰り道、商店街のパン屋で焼きたての食パンを買った。
"""

NIGHT_TRAIN = """\
---
title: 夜行列車の記録
---

寝台車の窓から見えた港町の灯りが、いつまでも忘れられない。
"""


@pytest.fixture
def library_with_posts(tmp_path):
    """A library in tmp_path with two imported posts, each with a highlight: (store, post ids, highlights)."""
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "rainy-day.md").write_text(RAINY_DAY, encoding="utf-8")
    (posts / "night-train.md").write_text(NIGHT_TRAIN, encoding="utf-8")
    store = open_library(tmp_path / "library.sqlite3")
    report = library.import_paths(store, [posts])
    assert not report.errors, report.errors
    by_title = {store.post(i).title: i for i in report.added}
    rainy, night = by_title["雨の日の図書館"], by_title["夜行列車の記録"]
    book = library.annotate_quote(store, store.post(rainy), "古い旅行記を読んでいると", tags=("読書",), note="また行きたい")
    lights = library.annotate_quote(store, store.post(night), "港町の灯り", color="blue")
    yield store, (rainy, night), (book, lights)
    store.close()


def make_dialog(qtbot, store, post_id, folder: Path) -> ExportDialog:
    dialog = ExportDialog(store, post_id, last_folder=str(folder))
    qtbot.addWidget(dialog)
    return dialog


def run(qtbot, dialog: ExportDialog) -> None:
    """Start the export and wait until the worker thread has finished and the dialog knows."""
    assert dialog.export()
    qtbot.waitUntil(lambda: not dialog.is_busy, timeout=30_000)


def test_this_post_as_markdown_writes_the_quote_with_readings_and_block_id(qtbot, library_with_posts, tmp_path):
    """Exporting the current post as Markdown writes <stem>.md in last_folder with the quote in the chosen furigana style and its ^kk- block id."""
    store, (rainy, _night), (book, _lights) = library_with_posts
    out = tmp_path / "out"
    out.mkdir()
    dialog = make_dialog(qtbot, store, rainy, out)
    assert dialog.scope_this.isChecked()
    dialog.set_format("md")
    dialog.furigana_box.setCurrentIndex(dialog.furigana_box.findData("ruby"))
    assert dialog.destination.text() == str(out / "rainy-day.md")
    run(qtbot, dialog)
    text = (out / "rainy-day.md").read_text(encoding="utf-8")
    assert f"^kk-{book.id}" in text
    assert "<ruby>" in text and "<rt>" in text
    assert "港町" not in text  # the other post stays out
    assert dialog.error_label.isHidden()
    assert str(out / "rainy-day.md") in dialog.result_label.text()
    assert dialog.written == [out / "rainy-day.md"]


def test_all_posts_as_markdown_fills_a_folder_with_one_file_per_post(qtbot, library_with_posts, tmp_path):
    """"All posts" in per-post Markdown writes one file per post into a folder, says how many and where, and emits the paths."""
    store, (rainy, _night), (book, lights) = library_with_posts
    dialog = make_dialog(qtbot, store, rainy, tmp_path)
    dialog.scope_all.setChecked(True)
    dialog.set_format("md")
    assert not dialog.files_row.isHidden() and dialog.per_post.isChecked()
    folder = tmp_path / "kakikomi-highlights"
    assert dialog.destination.text() == str(folder)
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as signal:
        assert dialog.export()
    qtbot.waitUntil(lambda: not dialog.is_busy, timeout=30_000)
    assert sorted(Path(p).name for p in signal.args[0]) == ["night-train.md", "rainy-day.md"]
    rainy_text = (folder / "rainy-day.md").read_text(encoding="utf-8")
    assert f"> 古い旅行記を読んでいると ^kk-{book.id}" in rainy_text
    assert "#読書" in rainy_text and "また行きたい" in rainy_text
    assert f"^kk-{lights.id}" in (folder / "night-train.md").read_text(encoding="utf-8")
    # "file(s)" until an English .qm supplies the plural forms; %n is filled in either way.
    assert "2 file(s)" in dialog.result_label.text() and str(folder) in dialog.result_label.text()
    assert dialog.last_folder == str(folder)


def test_all_posts_as_one_markdown_file(qtbot, library_with_posts, tmp_path):
    """Choosing "One file" for all posts writes both posts' highlights into kakikomi-highlights.md."""
    store, (rainy, _night), (book, lights) = library_with_posts
    dialog = make_dialog(qtbot, store, rainy, tmp_path)
    dialog.scope_all.setChecked(True)
    dialog.set_format("md")
    dialog.one_file.setChecked(True)
    assert dialog.destination.text() == str(tmp_path / "kakikomi-highlights.md")
    run(qtbot, dialog)
    text = (tmp_path / "kakikomi-highlights.md").read_text(encoding="utf-8")
    assert f"^kk-{book.id}" in text and f"^kk-{lights.id}" in text
    assert "1 file(s)" in dialog.result_label.text()


def test_json_export_holds_the_highlight_ids(qtbot, library_with_posts, tmp_path):
    """The JSON export is a W3C AnnotationCollection that parses and holds every highlight's id."""
    store, (rainy, _night), (book, lights) = library_with_posts
    dialog = make_dialog(qtbot, store, None, tmp_path)
    dialog.set_format("json")
    target = tmp_path / "kakikomi-highlights.json"
    assert dialog.destination.text() == str(target)
    run(qtbot, dialog)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["type"] == "AnnotationCollection"
    ids = {item["id"] for item in document["first"]["items"]}
    assert ids == {f"urn:uuid:{book.id}", f"urn:uuid:{lights.id}"}
    assert str(target) in dialog.result_label.text()


def test_csv_export_of_this_post_has_the_header_and_the_quote(qtbot, library_with_posts, tmp_path):
    """The CSV export of the current post starts with the CSV columns and has a row with the quote."""
    store, (_rainy, night), (_book, lights) = library_with_posts
    dialog = make_dialog(qtbot, store, night, tmp_path)
    dialog.set_format("csv")
    target = tmp_path / "night-train.csv"
    assert dialog.destination.text() == str(target)
    run(qtbot, dialog)
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert tuple(rows[0]) == HIGHLIGHT_CSV_COLUMNS
    assert [(row[3], row[-1]) for row in rows[1:]] == [("港町の灯り", lights.id)]


def test_open_folder_calls_the_opener_with_the_folder_url(qtbot, library_with_posts, tmp_path):
    """After an export, "Open folder" hands the destination folder's file URL to the opener."""
    store, (rainy, _night), _ = library_with_posts
    dialog = make_dialog(qtbot, store, rainy, tmp_path)
    dialog.set_format("json")
    opened: list[QUrl] = []
    dialog.open_url = opened.append
    assert dialog.open_folder_button.isHidden()
    run(qtbot, dialog)
    assert not dialog.open_folder_button.isHidden()
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(tmp_path))]


def test_export_runs_off_the_gui_thread_on_its_own_connection(qtbot, library_with_posts, tmp_path, monkeypatch):
    """The core export is called in another thread with a Store other than the window's, which is closed afterwards."""
    store, (rainy, _night), _ = library_with_posts
    seen = []
    real = export_dialog.export_csv

    def spy(worker_store, target, **options):
        seen.append((threading.current_thread() is threading.main_thread(), worker_store))
        return real(worker_store, target, **options)

    monkeypatch.setattr(export_dialog, "export_csv", spy)
    dialog = make_dialog(qtbot, store, rainy, tmp_path)
    dialog.set_format("csv")
    run(qtbot, dialog)
    [(on_main_thread, worker_store)] = seen
    assert not on_main_thread
    assert worker_store is not store and worker_store.path == store.path
    with pytest.raises(Exception, match="closed"):
        worker_store.db.execute("SELECT 1")


def test_while_running_export_is_disabled_busy_shows_and_close_waits(qtbot, library_with_posts, tmp_path):
    """While the worker runs, Export is disabled, the busy bar shows and closing the dialog is refused."""
    store, (rainy, _night), _ = library_with_posts
    dialog = make_dialog(qtbot, store, rainy, tmp_path)
    dialog.show()
    assert dialog.export()
    assert dialog.is_busy and not dialog.export_button.isEnabled() and not dialog.busy.isHidden()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Close).isEnabled()
    assert not dialog.export()  # a second click does not start a second export
    dialog.reject()
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.is_busy, timeout=30_000)
    assert dialog.export_button.isEnabled() and dialog.busy.isHidden()
    dialog.reject()
    assert not dialog.isVisible()


def test_an_empty_destination_gives_an_inline_message(qtbot, library_with_posts, tmp_path):
    """An empty destination shows a message in the dialog and starts nothing."""
    store, (rainy, _night), _ = library_with_posts
    dialog = make_dialog(qtbot, store, rainy, tmp_path)
    dialog.destination.setText("  ")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.is_busy
    assert not dialog.error_label.isHidden() and "Choose where" in dialog.error_label.text()
    assert dialog.export_button.isEnabled()


def test_an_unwritable_destination_shows_the_error_and_the_dialog_still_works(qtbot, library_with_posts, tmp_path):
    """A destination under a regular file fails with the core's message in the dialog; a good one then succeeds."""
    store, (rainy, _night), _ = library_with_posts
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    dialog = make_dialog(qtbot, store, rainy, tmp_path)
    for fmt in ("csv", "json", "md"):
        dialog.set_format(fmt)
        dialog.destination.setText(str(blocker / f"out.{fmt}"))
        run(qtbot, dialog)
        assert not dialog.error_label.isHidden(), fmt
        assert str(blocker) in dialog.error_label.text(), fmt
        assert dialog.result_label.isHidden() and dialog.open_folder_button.isHidden()
        assert dialog.export_button.isEnabled()
    dialog.destination.setText(str(tmp_path / "fine.md"))
    run(qtbot, dialog)
    assert dialog.error_label.isHidden()
    assert (tmp_path / "fine.md").is_file()


def test_a_library_that_has_gone_shows_the_store_error(qtbot, library_with_posts, tmp_path):
    """When the worker cannot open the library, its message is shown and the dialog stays usable."""
    store, (rainy, _night), _ = library_with_posts
    dialog = make_dialog(qtbot, store, rainy, tmp_path)
    store.path.rename(tmp_path / "moved.sqlite3")
    run(qtbot, dialog)
    assert "There is no library" in dialog.error_label.text()
    assert dialog.export_button.isEnabled()


def test_a_library_without_highlights_says_there_is_nothing_to_export(qtbot, tmp_path):
    """Per-post Markdown of a library with no highlights writes nothing and says so, with no "Open folder"."""
    (tmp_path / "quiet.md").write_text(NIGHT_TRAIN, encoding="utf-8")
    store = open_library(tmp_path / "library.sqlite3")
    try:
        assert not library.import_paths(store, [tmp_path / "quiet.md"]).errors
        dialog = make_dialog(qtbot, store, None, tmp_path)
        dialog.set_format("md")
        with qtbot.waitSignal(dialog.exported, timeout=30_000) as signal:
            assert dialog.export()
        qtbot.waitUntil(lambda: not dialog.is_busy, timeout=30_000)
        assert signal.args == [[]]
        assert "Nothing to export" in dialog.result_label.text()
        assert dialog.open_folder_button.isHidden()
    finally:
        store.close()


def test_this_post_is_disabled_without_a_current_post(qtbot, library_with_posts, tmp_path):
    """Without a current post, "This post" cannot be chosen and "All posts" is selected."""
    store, _ids, _ = library_with_posts
    dialog = make_dialog(qtbot, store, None, tmp_path)
    assert not dialog.scope_this.isEnabled()
    assert dialog.scope_all.isChecked()
    assert dialog.destination.text() == str(tmp_path / "kakikomi-highlights")


def test_markdown_options_show_only_for_markdown(qtbot, library_with_posts, tmp_path):
    """Furigana and grouping show for Markdown only; the one-file/per-post choice only for all posts."""
    store, (rainy, _night), _ = library_with_posts
    dialog = make_dialog(qtbot, store, rainy, tmp_path)
    dialog.set_format("json")
    assert dialog.markdown_options.isHidden()
    dialog.set_format("md")
    assert not dialog.markdown_options.isHidden()
    assert dialog.files_row.isHidden()
    dialog.scope_all.setChecked(True)
    assert not dialog.files_row.isHidden()
    assert [dialog.furigana_box.itemData(i) for i in range(dialog.furigana_box.count())] == ["none", "aozora", "ruby"]
    assert [dialog.grouping_box.itemData(i) for i in range(dialog.grouping_box.count())] == ["position", "tag"]


def test_destination_follows_the_options_until_the_reader_edits_it(qtbot, library_with_posts, tmp_path):
    """The suggested destination changes with format and scope; a typed one is kept."""
    store, (rainy, _night), _ = library_with_posts
    dialog = make_dialog(qtbot, store, rainy, tmp_path)
    dialog.set_format("csv")
    assert dialog.destination.text() == str(tmp_path / "rainy-day.csv")
    dialog.scope_all.setChecked(True)
    assert dialog.destination.text() == str(tmp_path / "kakikomi-highlights.csv")
    dialog.destination.clear()
    qtbot.keyClicks(dialog.destination, str(tmp_path / "mine.csv"))
    dialog.set_format("json")
    assert dialog.destination.text() == str(tmp_path / "mine.csv")


def test_per_post_markdown_refuses_a_md_file_as_its_folder(qtbot, library_with_posts, tmp_path):
    """One file per post needs a folder: a destination ending in .md gets a message instead of a folder named x.md."""
    store, (rainy, _night), _ = library_with_posts
    dialog = make_dialog(qtbot, store, rainy, tmp_path)
    dialog.set_format("md")
    dialog.scope_all.setChecked(True)
    dialog.destination.setText(str(tmp_path / "notes.md"))
    assert not dialog.export()
    assert "folder" in dialog.error_label.text()
    assert not (tmp_path / "notes.md").exists()


def test_choose_asks_for_a_folder_or_a_file(qtbot, library_with_posts, tmp_path, monkeypatch):
    """"Choose…" asks for a folder for per-post Markdown and a file name otherwise, starting at the suggestion."""
    store, (rainy, _night), _ = library_with_posts
    asked = []
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda _parent, _title, start: asked.append(("dir", start)) or str(tmp_path / "vault"))
    )
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName",
        staticmethod(lambda _parent, _title, start, *_rest: asked.append(("file", start)) or (str(tmp_path / "picked.json"), "")),
    )
    dialog = make_dialog(qtbot, store, rainy, tmp_path)
    dialog.set_format("md")
    dialog.scope_all.setChecked(True)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.destination.text() == str(tmp_path / "vault")
    dialog.set_format("json")
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.destination.text() == str(tmp_path / "picked.json")
    assert asked == [("dir", str(tmp_path / "kakikomi-highlights")), ("file", str(tmp_path / "kakikomi-highlights.json"))]
