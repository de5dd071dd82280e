"""Links between posts in the real window (issue #14 item 1): a click on a post link (Jekyll's
post_url, a relative .md link) opens that post of the library in the reader, Enter on it too; a
link to a post that is not in the library is one sentence in the status bar, and nothing else
happens.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from app.core.library import actions as library
from tests.ui.conftest import run_js

NOW = (
    "---\ntitle: 今回\n---\n\n"
    "まず[前回の記事]({% post_url 2010-07-21-x %})を読んでください。\n\n"
    "[紹介](../pages/about.md#top)もあります。\n\n"
    "[無い記事](2099-01-01-missing.md)は書いていません。\n"
)
PREVIOUS = "---\ntitle: 前回\n---\n\n前回は工場の話でした。\n"
ABOUT = "---\ntitle: 紹介\n---\n\n私について。\n"


def _shelf(qtbot, window, tmp_path):
    posts, pages = tmp_path / "blog" / "_posts", tmp_path / "blog" / "pages"
    posts.mkdir(parents=True)
    pages.mkdir()
    (posts / "2010-08-01-now.md").write_text(NOW, encoding="utf-8")
    (posts / "2010-07-21-x.md").write_text(PREVIOUS, encoding="utf-8")
    (pages / "about.md").write_text(ABOUT, encoding="utf-8")
    report = library.import_paths(window.store, [posts / "2010-08-01-now.md", posts / "2010-07-21-x.md", pages / "about.md"])
    assert not report.errors
    window.refresh_posts()
    ids = {p.title: p.id for p in window.store.posts()}
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.open_post(ids["今回"])
    return ids


def _click_link(qtbot, window, target: str) -> None:
    """A real mouse click in the middle of the post link whose data-post is `target`."""
    rect = json.loads(run_js(qtbot, window, f"""(() => {{
        const link = document.querySelector('.kk-post-link[data-post="{target}"]');
        link.scrollIntoView({{block: 'center'}});
        const r = link.getClientRects()[0];
        return JSON.stringify({{x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2}});
    }})()"""))
    zoom = window.reader.zoomFactor()
    where = QPoint(int(rect["x"] * zoom), int(rect["y"] * zoom))
    QTest.mouseClick(window.reader.focusProxy() or window.reader, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)


def test_clicking_a_post_url_opens_that_post(qtbot, window, tmp_path):
    ids = _shelf(qtbot, window, tmp_path)
    with qtbot.waitSignal(window.postShown, timeout=60_000) as shown:
        _click_link(qtbot, window, "2010-07-21-x.md")
    assert shown.args == [ids["前回"]]
    assert window.current.id == ids["前回"]
    assert "前回は工場の話でした。" in run_js(qtbot, window, "kk.plainText()")
    assert window.windowTitle().startswith("前回")


def test_a_relative_link_with_dots_opens_that_post(qtbot, window, tmp_path):
    ids = _shelf(qtbot, window, tmp_path)
    with qtbot.waitSignal(window.postShown, timeout=60_000) as shown:
        _click_link(qtbot, window, "../pages/about.md")
    assert shown.args == [ids["紹介"]]


def test_enter_on_a_post_link_opens_it(qtbot, window, tmp_path):
    ids = _shelf(qtbot, window, tmp_path)
    run_js(qtbot, window, "document.querySelector('.kk-post-link[data-post=\"2010-07-21-x.md\"]').focus(); 'ok'")
    window.reader.setFocus()
    with qtbot.waitSignal(window.postShown, timeout=60_000) as shown:
        QTest.keyClick(window.reader.focusProxy() or window.reader, Qt.Key.Key_Return)
    assert shown.args == [ids["前回"]]


def test_a_link_to_a_post_not_in_the_library_says_so_and_nothing_else(qtbot, window, tmp_path):
    ids = _shelf(qtbot, window, tmp_path)
    words = []
    window.reader.bridge.wordActivated.connect(lambda *args: words.append(args))
    with qtbot.assertNotEmitted(window.postShown, wait=1000):
        _click_link(qtbot, window, "2099-01-01-missing.md")
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=10_000)
    assert window.statusBar().currentMessage() == "2099-01-01-missing.md is not in the library."
    assert window.current.id == ids["今回"]
    assert words == []  # the click was the link's, not a word's (no word popup)


def test_a_post_link_the_page_does_not_hold_opens_nothing(qtbot, window, tmp_path):
    """Only a link the rendered post really contains is followed (as for web links)."""
    ids = _shelf(qtbot, window, tmp_path)
    with qtbot.assertNotEmitted(window.postShown, wait=500):
        window.reader.bridge.linkClicked(json.dumps({"href": "kakikomi-post:../pages/about.md#elsewhere"}))
        window.reader.bridge.linkClicked(json.dumps({"href": "kakikomi-post:2010-07-21-x"}))
    assert window.current.id == ids["今回"]
