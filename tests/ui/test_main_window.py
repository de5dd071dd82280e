"""The main window around the reader: importing, the panels, find, settings, mouse highlighting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.core.common.paths import sample_post_path
from app.core.library import actions as library
from app.core.library import opening
from app.core.settings import load_settings
from tests.ui.conftest import open_and_wait, run_js

POST = "---\ntitle: 工場の記事\ntags: [工場]\n---\n\n町の工場が新しい機械を入れた。工場の人は喜んでいる。\n"


def _import_and_wait(qtbot, window, paths):
    with qtbot.waitSignal(window.importFinished, timeout=60_000) as finished:
        window.import_and_open([str(p) for p in paths])
    return finished.args[0]


def test_a_folder_with_a_bad_file_imports_the_rest_and_lists_the_failure(qtbot, window, tmp_path):
    """Importing a folder runs off the GUI thread; good posts arrive, the bad one is listed with its reason."""
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "good.md").write_text(POST, encoding="utf-8")
    (folder / "broken.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        report = _import_and_wait(qtbot, window, [folder])
    assert len(report.added) == 1 and [Path(f).name for f, _ in report.errors] == ["broken.md"]
    assert window.posts.count() == 1
    from app.ui.importer import ImportErrors

    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportErrors) and w.isVisible()]
    assert dialogs and dialogs[0].table.topLevelItem(0).text(0) == "broken.md"
    dialogs[0].close()
    assert str(folder.resolve()) in load_settings(tmp_path / "settings.json").recent_files


def test_dropping_a_file_on_the_window_imports_and_opens_it(qtbot, window, tmp_path):
    """A post file dropped on the window is imported and shown."""
    post = tmp_path / "dropped.md"
    post.write_text(POST, encoding="utf-8")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(post))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.dropEvent(event)
    assert window.current is not None and window.current.title == "工場の記事"


def test_find_in_post_steps_through_matches_in_the_title_and_the_plain_text(qtbot, window, tmp_path):
    """Ctrl+F finds every occurrence of a kanji word despite its ruby, the title's first, and
    shows each in turn."""
    post = tmp_path / "find.md"
    post.write_text(POST, encoding="utf-8")
    post_id = open_and_wait(qtbot, window, post)
    text = window.store.post(post_id).text
    window.find_bar.open()
    with qtbot.waitSignal(window.find_bar.titleMatchChosen, timeout=10_000) as title:
        window.find_bar.field.setText("工場")
    assert title.args == [0, 2] and window.find_bar.count.text() == "1 of 3 (title)"
    first = text.index("工場")
    second = text.index("工場", first + 1)
    for expected in (first, second):
        with qtbot.waitSignal(window.find_bar.matchChosen, timeout=10_000) as found:
            window.find_bar.step(1)
        assert found.args == [expected, expected + 2]


def test_highlights_panel_filters_by_tag_and_colour_and_lists_orphans_apart(qtbot, window, tmp_path):
    """The panel's filters narrow the list; an orphan shows under its own heading."""
    post = tmp_path / "panel.md"
    post.write_text(POST, encoding="utf-8")
    post_id = open_and_wait(qtbot, window, post)
    record = window.store.post(post_id)
    library.annotate_quote(window.store, record, "町の工場", tags=["company"], color="green")
    library.annotate_quote(window.store, record, "新しい機械", tags=["chip"])
    window.refresh_highlights()
    panel = window.highlights_panel
    assert len(panel.rows()) == 2
    panel.tag_filter.setCurrentIndex(panel.tag_filter.findData("chip"))
    assert [panel.list.item(r).text().split("\n")[0] for r in panel.rows()] == ["新しい機械"]
    panel.tag_filter.setCurrentIndex(0)
    panel.color_filter.setCurrentIndex(panel.color_filter.findData("green"))
    assert [panel.list.item(r).text().split("\n")[0] for r in panel.rows()] == ["町の工場"]
    panel.color_filter.setCurrentIndex(0)
    post.write_text(POST.replace("新しい機械を入れた", "古い設備を売った"), encoding="utf-8")
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.open_post(post_id)  # the file changed: re-anchored on opening
    texts = [panel.list.item(r).text() for r in range(panel.list.count())]
    assert texts[0].startswith("町の工場") and texts[1].startswith("Orphans") and texts[2].startswith("新しい機械")


def test_tag_dialog_completes_the_word_being_typed(qtbot, window):
    """Typing the start of a known tag after others completes only that last word."""
    from app.ui.highlights_panel import TagDialog

    dialog = TagDialog(["claim"], ["chip", "company", "investment"], window)
    qtbot.addWidget(dialog)
    completer = dialog.field.completer()
    assert completer.splitPath("claim inv") == ["inv"]
    dialog.field.setText("claim inv")
    completer.setCompletionPrefix("inv")
    assert completer.pathFromIndex(completer.currentIndex()) == "claim investment"


def test_view_choices_and_zoom_are_remembered_in_the_settings_file(qtbot, window, tmp_path):
    """Theme, furigana mode, vertical writing and zoom are saved to the user's settings file."""
    open_and_wait(qtbot, window, sample_post_path())
    window.theme_box.setCurrentIndex(window.theme_box.findData("sepia"))
    window.vertical_action.trigger()
    window.zoom(1)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.furigana_box.setCurrentIndex(window.furigana_box.findData("off"))
    saved = load_settings(tmp_path / "settings.json")
    assert (saved.theme, saved.vertical, saved.furigana, saved.font_scale) == ("sepia", True, "off", 1.1)


def test_highlight_by_mouse_drag_through_the_real_page(qtbot, window, tmp_path):
    """Dragging the mouse over words in the page selects them; H stores exactly those words."""
    post = tmp_path / "drag.md"
    post.write_text("---\ntitle: ドラッグ\n---\n\nThe quick brown fox jumps over the lazy dog.\n", encoding="utf-8")
    post_id = open_and_wait(qtbot, window, post)
    rect = run_js(
        qtbot,
        window,
        """(() => {
          const walker = document.createTreeWalker(document.getElementById('kk-post'), NodeFilter.SHOW_TEXT);
          let node; while ((node = walker.nextNode()) && node.data.indexOf('brown fox') < 0) {}
          const range = document.createRange(); const at = node.data.indexOf('brown fox');
          range.setStart(node, at); range.setEnd(node, at + 9);
          const r = range.getBoundingClientRect();
          return JSON.stringify({left: r.left, right: r.right, y: (r.top + r.bottom) / 2});
        })()""",
    )
    box = json.loads(rect)
    target = window.reader.focusProxy() or window.reader
    zoom = window.reader.zoomFactor()
    start = QPoint(int(box["left"] * zoom) + 1, int(box["y"] * zoom))
    end = QPoint(int(box["right"] * zoom) - 1, int(box["y"] * zoom))
    QTest.mousePress(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 11):
        QTest.mouseMove(target, start + (end - start) * step / 10)
        qtbot.wait(20)
    QTest.mouseRelease(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    text = window.store.post(post_id).text
    wanted = (text.index("brown fox"), text.index("brown fox") + 9)
    qtbot.waitUntil(lambda: window.selection == wanted, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_H)
    assert [a.exact for a in window.store.annotations(post_id)] == ["brown fox"]


def test_offsets_after_emoji_and_rare_kanji_match_the_core(qtbot, window, tmp_path):
    """After characters that are two UTF-16 units (emoji, 𠮷), a selection and a painted highlight
    still cover exactly the intended characters of the core's plain text."""
    post = tmp_path / "emoji.md"
    post.write_text("---\ntitle: 絵文字\n---\n\n👨‍👩‍👧 家族と𠮷野家へ行った。😀 工場の見学もした。\n", encoding="utf-8")
    post_id = open_and_wait(qtbot, window, post)
    text = window.store.post(post_id).text
    start = text.index("工場の見学")
    window.reader.select_range(start, start + 5)
    qtbot.waitUntil(lambda: window.selection == (start, start + 5), timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_H)
    assert [a.exact for a in window.store.annotations(post_id)] == ["工場の見学"]
    qtbot.waitUntil(lambda: run_js(qtbot, window, "document.querySelectorAll('mark.kk-hl').length") >= 1, timeout=10_000)
    marked = run_js(qtbot, window, "Array.from(document.querySelectorAll('mark.kk-hl')).map(m => m.textContent).join('')")
    assert marked == "工場の見学"


def test_the_reading_position_is_saved_after_scrolling(qtbot, window):
    """Scrolling the post stores where the reader is, and reopening the post goes back there."""
    post_id = open_and_wait(qtbot, window, sample_post_path())
    run_js(qtbot, window, "window.scrollTo(0, document.body.scrollHeight / 2); true")
    qtbot.waitUntil(lambda: window._pending_offset is not None, timeout=10_000)
    window._save_position()
    saved = window.store.post(post_id).reading_offset
    assert saved > 0


def test_a_long_post_gets_its_readings_in_two_steps_and_keeps_its_text(qtbot, window, tmp_path):
    """A long post opens with readings around the reading position first; the rest arrive from a
    worker thread, and the page's text never changes."""
    paragraphs = [f"第{n}段落では町の工場と新しい投資について書く。" for n in range(1, 1500)]
    post = tmp_path / "long.md"
    post.write_text("---\ntitle: 長い記事\n---\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    post_id = open_and_wait(qtbot, window, post)
    assert window.store.post(post_id).length > opening.LONG_POST_CHARS
    last = "document.querySelector('#kk-post > [data-kb]:last-child').querySelectorAll('rt').length"
    qtbot.waitUntil(lambda: run_js(qtbot, window, last) > 0, timeout=60_000)
    assert run_js(qtbot, window, "kk.plainText()") == window.store.post(post_id).text


def test_a_new_highlight_updates_its_posts_row_only(qtbot, window, tmp_path):
    """Highlighting updates the count in the post's sidebar row without listing the library again."""
    post = tmp_path / "row.md"
    post.write_text(POST, encoding="utf-8")
    post_id = open_and_wait(qtbot, window, post)
    other = tmp_path / "other.md"
    other.write_text(POST.replace("工場の記事", "別の記事"), encoding="utf-8")
    library.import_paths(window.store, [other])
    window.refresh_posts()
    rows_before = [window.posts.item(r).data(Qt.ItemDataRole.UserRole) for r in range(window.posts.count())]
    text = window.store.post(post_id).text
    start = text.index("新しい機械")
    window.reader.select_range(start, start + 5)
    qtbot.waitUntil(lambda: window.selection == (start, start + 5), timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_H)
    rows_after = [window.posts.item(r).data(Qt.ItemDataRole.UserRole) for r in range(window.posts.count())]
    assert rows_after == rows_before
    row = rows_after.index(post_id)
    assert "1 highlight" in window.posts.item(row).text()


def test_a_new_file_is_shown_while_it_is_imported(qtbot, window, tmp_path):
    """One file not in the library yet is on screen at once (no progress dialog), and becomes the
    open post, to highlight, when its import is done; the page is not loaded twice."""
    from app.ui.importer import ImportProgress

    post = tmp_path / "new.md"
    post.write_text("---\ntitle: 新しい記事\n---\n\n工場に投資する計画がある。\n", encoding="utf-8")
    loads = []
    window.reader.loadStarted.connect(lambda: loads.append(1))
    with qtbot.waitSignal(window.importFinished, timeout=60_000) as finished:
        window.import_and_open([str(post)])
        assert window.windowTitle() == "新しい記事 — Kakikomi"
        assert window.current is None  # not in the library yet
        assert window.findChildren(ImportProgress) == []
    post_id = finished.args[0].added[0]
    assert window.current is not None and window.current.id == post_id
    qtbot.waitUntil(lambda: window.reader.is_ready, timeout=60_000)
    assert run_js(qtbot, window, "kk.plainText()") == window.store.post(post_id).text
    assert len(loads) == 1
    window.selection = (0, 2)
    made = window.highlight_selection("green")
    assert made is not None and made.exact == "工場"
    assert [a.id for a in window.store.annotations(post_id)] == [made.id]


def test_a_post_chosen_while_another_is_imported_stays_open(qtbot, window, tmp_path):
    """The reader opens a post of the library while a new file is shown and imported: when the
    import is done, the window stays on the post they chose."""
    chosen = tmp_path / "chosen.md"
    chosen.write_text("---\ntitle: 選んだ記事\n---\n\n本文。\n", encoding="utf-8")
    chosen_id = open_and_wait(qtbot, window, chosen)
    new = tmp_path / "new.md"
    new.write_text("---\ntitle: 新しい記事\n---\n\n工場の話。\n", encoding="utf-8")
    with qtbot.waitSignal(window.importFinished, timeout=60_000):
        window.import_and_open([str(new)])
        assert window.windowTitle() == "新しい記事 — Kakikomi"
        window.open_post(chosen_id)
    assert window.current.id == chosen_id
    assert window.windowTitle() == "選んだ記事 — Kakikomi"
    assert len(window.store.posts()) == 2


def _reader_place(win) -> tuple[int, int, int, int]:
    corner = win.reader.mapTo(win, QPoint(0, 0))
    return corner.x(), corner.y(), win.reader.width(), win.reader.height()


def test_the_windows_frame_keeps_the_saved_layout_and_completing_it_moves_nothing(qtbot, tmp_path):
    """A window made in two steps (app.ui.app.run shows the frame first): the frame already has
    the saved geometry and splitter sizes, and the panels complete() adds leave the reader be."""
    from app.core.library.derived import open_library
    from app.ui.main_window import MainWindow
    from tests.ui.conftest import dispose

    store = open_library(tmp_path / "library.sqlite3")
    first = MainWindow(store, settings_path=tmp_path / "settings.json")
    first.resize(780, 560)  # within the offscreen screen: a restored geometry is fitted to the screen
    first.show()
    first.splitter.setSizes([170, 420, 180])
    qtbot.wait(50)
    saved_sizes = first.splitter.sizes()
    dispose(first)  # closing saves the layout

    frame = MainWindow(store, settings_path=tmp_path / "settings.json", complete=False)
    frame.show()
    qtbot.waitExposed(frame)
    assert not frame.completed and not hasattr(frame, "library_panel")
    assert frame.size().width() == 780 and frame.splitter.sizes() == saved_sizes
    before = _reader_place(frame)
    frame.complete()
    qtbot.wait(50)  # the layouts settle
    assert _reader_place(frame) == before and frame.splitter.sizes() == saved_sizes
    assert frame.splitter.widget(0) is frame.library_panel and frame.splitter.widget(2) is frame.side_splitter
    assert frame.toolbar.actions()[0] is frame.highlight_action
    assert frame.furigana_box.isVisible() and frame.find_bar.isHidden()
    assert [a.text() for a in frame.file_menu.actions()][:2] == ["&Open…", "Open &Folder…"]
    dispose(frame)
    store.close()


def test_a_frame_closed_before_it_is_complete_saves_its_layout(qtbot, tmp_path):
    """Closed while the reader paints its first page (before complete()): no error, and the
    window's size is kept for next time as usual."""
    from app.ui.main_window import MainWindow
    from tests.ui.conftest import dispose

    frame = MainWindow(None, settings_path=tmp_path / "settings.json", complete=False)
    frame.resize(760, 540)
    frame.show()
    qtbot.waitExposed(frame)
    frame.close()
    settings = load_settings(tmp_path / "settings.json")
    assert settings.window_geometry and settings.reader_size == [frame.reader.width(), frame.reader.height()]
    dispose(frame)


def test_closing_the_window_remembers_the_open_post(qtbot, window, tmp_path):
    """The post open at the close is saved in the settings (its source), for the next start."""
    first = tmp_path / "first.md"
    first.write_text(POST, encoding="utf-8")
    second = tmp_path / "second.md"
    second.write_text(POST.replace("工場の記事", "二つ目の記事"), encoding="utf-8")
    open_and_wait(qtbot, window, first)
    post_id = open_and_wait(qtbot, window, second)
    window.close()
    assert load_settings(tmp_path / "settings.json").last_post == window.store.post(post_id).source_path


def _start_window(home: Path, *, prestart: bool) -> dict:
    """`kakikomi` with no file, in its own process (tests/helpers/start_window.py), on `home`."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, KAKIKOMI_HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               PYTHONPATH=str(root))
    env.pop("KAKIKOMI_NO_PRESTART", None)
    if not prestart:
        env["KAKIKOMI_NO_PRESTART"] = "1"
    result = subprocess.run(
        [sys.executable, str(root / "tests" / "helpers" / "start_window.py")], cwd=root, env=env, capture_output=True, text=True,
        timeout=180, check=False,
    )
    reports = [line[7:] for line in result.stdout.splitlines() if line.startswith("REPORT ")]
    assert result.returncode == 0 and reports, result.stdout[-2000:] + result.stderr[-3000:]
    return json.loads(reports[-1])


@pytest.mark.parametrize("prestart", [True, False])
def test_a_restart_opens_the_post_open_at_the_last_close(tmp_path, monkeypatch, prestart):
    """Started without a file, the window opens the post that was open at the last close (not the
    newest); once that post is gone from the library, the newest again. With the start-up process
    and without it (Windows, KAKIKOMI_NO_PRESTART, a fallback)."""
    from app.core.library.derived import open_library
    from app.core.settings import Settings, save_settings
    from app.core.store import default_db_path

    home = tmp_path / "home"
    monkeypatch.setenv("KAKIKOMI_HOME", str(home))
    older, newer = tmp_path / "older.md", tmp_path / "newer.md"
    older.write_text("---\ntitle: 古い記事\ndate: 2024-01-01\n---\n\n古い工場の話。\n", encoding="utf-8")
    newer.write_text("---\ntitle: 新しい記事\ndate: 2026-01-01\n---\n\n新しい工場の話。\n", encoding="utf-8")
    store = open_library(default_db_path())
    report = library.import_paths(store, [older, newer])
    older_id, newer_id = report.added
    source = store.post(older_id).source_path
    store.close()
    save_settings(Settings(first_run_done=True, last_post=source), home / "config" / "settings.json")
    shown = _start_window(home, prestart=prestart)
    assert (shown["post_id"], shown["title"]) == (older_id, "古い記事 — Kakikomi")
    save_settings(Settings(first_run_done=True, last_post=str(tmp_path / "gone.md")), home / "config" / "settings.json")
    assert _start_window(home, prestart=prestart)["post_id"] == newer_id


def test_the_page_prepared_at_start_up_carries_the_notes(tmp_path):
    """The first page, prepared by the start-up process, gives the reader each highlight's note,
    as the window's own pages do: the marker and the hover are there from the first frame."""
    from app.core.store import open_store
    from tests.core.test_startup import run_prestart

    post_file = tmp_path / "noted.md"
    post_file.write_text(POST, encoding="utf-8")
    with open_store(tmp_path / "library.sqlite3") as store:
        _status, post_id, _moved, _orphaned = library.import_file(store, post_file)
        noted = library.annotate_quote(store, store.post(post_id), "新しい機械", note="<b>要確認</b>")
        bare = library.annotate_quote(store, store.post(post_id), "工場の人")
    page = dict(run_prestart(tmp_path, [str(post_file)]))["page"]
    assert [(h["id"], h["note"]) for h in page["info"]["highlights"]] == [(noted.id, "<b>要確認</b>"), (bare.id, "")]
