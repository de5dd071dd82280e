"""The desktop reader through the real window: page, highlights, safety."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWebEngineCore import QWebEngineScript, QWebEngineSettings
from PySide6.QtWidgets import QApplication

from app.core.common.paths import sample_post_path
from tests.ui.conftest import dispose, open_and_wait, run_js

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MAIN_WORLD = QWebEngineScript.ScriptWorldId.MainWorld


def test_sample_post_opens_with_furigana(qtbot, window):
    """The bundled sample opens in the reader with ruby, and the sidebar lists it."""
    open_and_wait(qtbot, window, sample_post_path())
    assert window.posts.count() == 1
    assert run_js(qtbot, window, "document.querySelectorAll('#kk-post ruby rt').length") > 100


def test_page_text_matches_the_core_plain_text_on_every_fixture(qtbot, window):
    """On every fixture post, the page's text outside readings is exactly the core's plain text."""
    files = [sample_post_path(), *sorted((FIXTURES / "posts").glob("*.md")), *sorted((FIXTURES / "hostile").glob("*.md"))]
    checked = 0
    for path in files:
        from app.core.library import actions as library

        report = library.import_paths(window.store, [path])
        if report.errors:
            continue  # files the loader refuses (binary, NUL) have no page
        post_id = (report.added + report.updated + report.unchanged)[0]
        with qtbot.waitSignal(window.postShown, timeout=60_000):
            window.open_post(post_id)
        assert run_js(qtbot, window, "kk.plainText()") == window.store.post(post_id).text, path.name
        checked += 1
    assert checked >= 30


def test_keyboard_highlight_is_stored_and_survives_a_restart(qtbot, window, tmp_path):
    """Selecting text and pressing H stores a highlight that the panel shows and a new window still has."""
    post_id = open_and_wait(qtbot, window, sample_post_path())
    text = window.store.post(post_id).text
    start = text.index("町工場")
    window.reader.select_range(start, start + 3)
    qtbot.waitUntil(lambda: window.selection == (start, start + 3), timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_H)
    saved = window.store.annotations(post_id)
    assert [(a.exact, a.start, a.end) for a in saved] == [("町工場", start, start + 3)]
    assert window.highlights.count() == 1
    qtbot.waitUntil(lambda: run_js(qtbot, window, "document.querySelectorAll('mark.kk-hl').length") >= 1, timeout=10_000)
    marked = run_js(qtbot, window, "Array.from(document.querySelectorAll('mark.kk-hl')).map(m => m.textContent).join('')")
    assert marked == "町工場"
    # The restart: a second window on its own connection to the same library file sees only what
    # was committed to it.
    from app.core.library.derived import open_library
    from app.ui.main_window import MainWindow

    window.close()
    store = open_library(window.store.path)
    again = MainWindow(store, settings_path=tmp_path / "settings.json")
    try:
        again.resize(1100, 760)
        again.show()
        with qtbot.waitSignal(again.postShown, timeout=60_000):
            again.open_post(post_id)
        assert [(a.exact, a.start, a.end) for a in store.annotations(post_id)] == [("町工場", start, start + 3)]
        assert again.highlights.count() == 1
        qtbot.waitUntil(lambda: run_js(qtbot, again, "document.querySelectorAll('mark.kk-hl').length") >= 1, timeout=10_000)
        assert run_js(qtbot, again, "Array.from(document.querySelectorAll('mark.kk-hl')).map(m => m.textContent).join('')") == "町工場"
    finally:
        dispose(again)
        store.close()


def test_the_posts_own_world_cannot_reach_the_bridge(qtbot, window):
    """The post's own (main) world runs no script at all, and even with page JavaScript switched on it would see no `qt` object: only the reader's world has the bridge."""
    open_and_wait(qtbot, window, FIXTURES / "hostile" / "script.md")
    assert run_js(qtbot, window, "typeof qt") == "object"
    # A script that would answer and retitle the page if it ran: the main world gives back
    # nothing (the empty reply of a world without JavaScript) and the title stays the post's.
    assert run_js(qtbot, window, "document.title = 'PWNED'; 'ran: ' + typeof qt", MAIN_WORLD) == ""
    assert run_js(qtbot, window, "document.title") == "スクリプトの例"
    assert window.reader.page().title() == "スクリプトの例"
    # Should page JavaScript ever be switched on, the main world still has no bridge.
    window.reader.page().settings().setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, True)
    qtbot.waitUntil(lambda: run_js(qtbot, window, "'on'", MAIN_WORLD) == "on", timeout=10_000)
    assert run_js(qtbot, window, "typeof qt", MAIN_WORLD) == "undefined"
    assert run_js(qtbot, window, "typeof qt") == "object"


def test_a_hostile_post_sends_nothing_over_the_network(qtbot, window, tmp_path, listener):
    """No request from a post full of remote references leaves the page, and the network guard refuses one even when the page itself lets it through."""
    guard = window.network_guard
    for name in ("img-onerror.md", "css.md", "links-image.md"):
        # The post's remote references, pointed at the listener here instead of other machines.
        text = (FIXTURES / "hostile" / name).read_text(encoding="utf-8")
        for host in ("https://images.example", "https://evil.example"):
            text = text.replace(host, listener.url)
        assert listener.url in text, name
        post = tmp_path / name
        post.write_text(text, encoding="utf-8")
        open_and_wait(qtbot, window, post)
    qtbot.wait(500)
    assert (listener.requests, guard.blocked, guard.allowed_remote) == ([], [], [])
    # Past the page: its policy allows remote images and it may reach remote URLs, but the reader
    # did not allow remote images for it, so the guard (the profile's request interceptor) must
    # refuse the request that now gets through to it.
    _profile, pages, _guard = window.reader.parts
    window.reader.page().settings().setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
    target = f"{listener.url}/past-the-page.png"
    url = pages.publish("past-the-page", f"<!doctype html><html><body><p>画像</p><img src='{target}'></body></html>", remote_images=True)
    with qtbot.waitSignal(window.reader.loadFinished, timeout=10_000):
        window.reader.load(QUrl(url))
    qtbot.waitUntil(lambda: bool(guard.blocked or listener.requests), timeout=10_000)
    assert (listener.requests, guard.blocked, guard.allowed_remote) == ([], [target], [])


def test_remote_images_load_only_for_a_post_the_reader_allowed(qtbot, window, tmp_path, listener):
    """A post's remote image is fetched once the reader allows remote images for that post (the
    menu's action), and never before; links and other requests still go nowhere."""
    post = tmp_path / "photo.md"
    post.write_text(f"# 写真\n\n![工場の写真]({listener.url}/figure.png)\n\n<iframe src='{listener.url}/frame'></iframe>\n", encoding="utf-8")
    open_and_wait(qtbot, window, post)
    qtbot.wait(500)
    assert (listener.requests, window.network_guard.allowed_remote) == ([], [])
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.remote_action.trigger()
    qtbot.waitUntil(lambda: "/figure.png" in listener.requests, timeout=10_000)
    assert listener.requests == ["/figure.png"]
    assert window.network_guard.allowed_remote == [f"{listener.url}/figure.png"]


def test_switching_theme_and_furigana_keeps_highlights(qtbot, window):
    """Changing the furigana mode re-renders the post and its highlights are painted again."""
    post_id = open_and_wait(qtbot, window, sample_post_path())
    post = window.store.post(post_id)
    from app.core.library import actions as library

    library.annotate_quote(window.store, post, "町工場")
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.furigana_box.setCurrentIndex(window.furigana_box.findData("off"))
    assert run_js(qtbot, window, "document.querySelectorAll('#kk-post rt').length") < 20
    assert run_js(qtbot, window, "document.querySelectorAll('mark.kk-hl').length") >= 1
    window.theme_box.setCurrentIndex(window.theme_box.findData("dark"))
    qtbot.waitUntil(lambda: "kk-theme-dark" in run_js(qtbot, window, "document.documentElement.className"), timeout=10_000)


def test_delete_and_undo_and_reattach_an_orphan(qtbot, window, tmp_path):
    """Delete takes a highlight away, Ctrl+Z brings it back; an orphan re-attaches to a selection."""
    from app.core.library import actions as library

    post_file = tmp_path / "edited.md"
    post_file.write_text("---\ntitle: 編集される記事\n---\n\n最初の段落には工場の話がある。\n\n二つ目の段落は投資について書く。\n", encoding="utf-8")
    post_id = open_and_wait(qtbot, window, post_file)
    made = library.annotate_quote(window.store, window.store.post(post_id), "工場の話がある")
    window.refresh_highlights()
    window.highlights.setCurrentRow(0)
    window.delete_current()
    assert window.store.annotations(post_id) == []
    window.undo()
    assert [a.id for a in window.store.annotations(post_id)] == [made.id]
    post_file.write_text("---\ntitle: 編集される記事\n---\n\n最初の段落は書き直された。\n\n二つ目の段落は投資について書く。\n", encoding="utf-8")
    library.import_paths(window.store, [post_file])
    assert window.store.annotation(made.id).orphan
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.open_post(post_id)
    text = window.store.post(post_id).text
    start = text.index("書き直された")
    window.reader.select_range(start, start + 6)
    qtbot.waitUntil(lambda: window.selection == (start, start + 6), timeout=10_000)
    assert window.highlights_panel.select(made.id)  # listed under Orphans
    window.reattach_current()
    again = window.store.annotation(made.id)
    assert (again.orphan, again.exact) == (False, "書き直された")


def test_copy_with_readings_writes_aozora_text(qtbot, window):
    """Ctrl+Shift+C puts the selection on the clipboard as 漢字《かんじ》 text."""
    post_id = open_and_wait(qtbot, window, sample_post_path())
    text = window.store.post(post_id).text
    start = text.index("町工場")
    window.reader.select_range(start, start + 3)
    qtbot.waitUntil(lambda: window.selection == (start, start + 3), timeout=10_000)
    clipboard = QApplication.clipboard()
    clipboard.setText("before")
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert clipboard.text() == "町《まち》工場《こうば》"
