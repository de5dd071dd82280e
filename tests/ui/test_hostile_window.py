"""Every hostile post through the real window: nothing of the post runs, reaches the bridge, goes
out to the network or navigates away; a refused file gets its message and the window goes on."""

from __future__ import annotations

import pytest
from PySide6.QtWebEngineCore import QWebEngineScript

from app.core.library import actions as library
from tests.fixtures.hostile.corpus import KINDS, REFUSES
from tests.ui.conftest import run_js

# Kinds small enough to open in a test (the 20 MB and 200 KB-line posts are the CLI's to prove).
MAX_BYTES = 2_000_000
PAGE_KINDS = [k for k in KINDS if k.expect != REFUSES and k.known_issue is None]


def _record_bridge(window) -> list[str]:
    """Every message the bridge turns into a signal, by name, from now on."""
    heard: list[str] = []
    bridge = window.reader.bridge
    for name in ("selectionMade", "highlightActivated", "linkRequested", "wordActivated"):
        signal = getattr(bridge, name, None)
        if signal is not None:
            signal.connect(lambda *_args, name=name: heard.append(name))
    return heard


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=[k.name for k in PAGE_KINDS])
def test_a_hostile_post_runs_nothing_calls_nothing_fetches_nothing_and_stays(qtbot, window, tmp_path, kind) -> None:
    """In the real page: no <script> or on* handler survives, the post's world has no JavaScript,
    no bridge message arrives unasked, nothing leaves the machine, and navigation is refused."""
    path = kind.build(tmp_path)
    if path.is_file() and path.stat().st_size > MAX_BYTES:
        pytest.skip(f"{kind.name} is for the command line ({path.stat().st_size:,} bytes)")
    report = library.import_paths(window.store, [path])
    assert not report.errors, report.errors
    post_id = (report.added + report.updated + report.unchanged)[0]
    heard = _record_bridge(window)
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.open_post(post_id)
    dangerous = run_js(
        qtbot,
        window,
        """(() => {
          const all = Array.from(document.querySelectorAll('*'));
          const handlers = all.filter(el => Array.from(el.attributes).some(a => a.name.toLowerCase().startsWith('on')));
          const urls = all.flatMap(el => ['href', 'src', 'action', 'formaction', 'data'].map(n => el.getAttribute(n) || ''))
            .filter(u => /^\\s*(javascript|data|file|vbscript):/i.test(u));
          const refresh = document.querySelectorAll('meta[http-equiv]:not([http-equiv="Content-Security-Policy"])').length;
          return JSON.stringify({scripts: document.querySelectorAll('script, iframe, object, embed, frame, base').length + refresh,
                                 handlers: handlers.length, urls});
        })()""",
    )
    assert dangerous == '{"scripts":0,"handlers":0,"urls":[]}', kind.name
    results = []
    window.reader.page().runJavaScript("typeof qt", QWebEngineScript.ScriptWorldId.MainWorld, results.append)
    qtbot.wait(200)
    assert results in ([], [None], [""], ["undefined"])  # the post's own world runs nothing at all
    url = window.reader.page().url().toString()
    window.reader.page().runJavaScript("location.href = 'https://example.com/'", QWebEngineScript.ScriptWorldId.ApplicationWorld)
    qtbot.wait(300)
    assert window.reader.page().url().toString() == url
    assert window.network_guard.allowed_remote == []
    assert heard == []


REFUSED = [k for k in KINDS if k.expect == REFUSES]


def test_refused_files_get_their_message_and_the_window_keeps_working(qtbot, window, tmp_path, monkeypatch) -> None:
    """Opening files the loader refuses lists each with its one-sentence reason; a good post opens after."""
    from app.ui import importer

    shown = []
    monkeypatch.setattr(importer.ImportErrors, "open", lambda self: shown.append([self.table.topLevelItem(i).text(1) for i in range(self.table.topLevelItemCount())]))
    paths = []
    for kind in REFUSED:
        place = tmp_path / kind.name
        place.mkdir()
        built = kind.build(place)
        if built.is_file() and built.stat().st_size <= 21 * 1024 * 1024:
            paths.append(str(built))
    with qtbot.waitSignal(window.importFinished, timeout=120_000) as done:
        window.import_and_open(paths)
    report = done.args[0]
    assert len(report.errors) == len(paths) and not report.added
    assert shown and all(reason.endswith(".") and "\n" not in reason for reason in shown[0])
    good = tmp_path / "good.md"
    good.write_text("---\ntitle: 普通の記事\n---\n\n工場の話。\n", encoding="utf-8")
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.import_and_open([str(good)])
    assert window.current.title == "普通の記事"
