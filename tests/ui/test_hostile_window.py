"""Every hostile post through the real window: nothing of the post runs, reaches the bridge, goes
out to the network or navigates away; a refused file gets its message and the window goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWebEngineCore import QWebEngineScript

from app.core.library import actions as library
from tests.fixtures.hostile.corpus import KINDS, REFUSES
from tests.ui.conftest import run_js

# Kinds small enough to open in a test (the 20 MB and 200 KB-line posts are the CLI's to prove).
MAX_BYTES = 2_000_000
PAGE_KINDS = [k for k in KINDS if k.expect != REFUSES and k.known_issue is None]
MAIN_WORLD = QWebEngineScript.ScriptWorldId.MainWorld


def _record_bridge(window) -> list[str]:
    """Every message the bridge turns into a signal, by name, from now on."""
    heard: list[str] = []
    bridge = window.reader.bridge
    for name in ("selectionMade", "highlightActivated", "linkRequested", "wordActivated"):
        getattr(bridge, name).connect(lambda *_args, name=name: heard.append(name))  # every one must exist
    return heard


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=[k.name for k in PAGE_KINDS])
def test_a_hostile_post_runs_nothing_calls_nothing_fetches_nothing_and_stays(qtbot, window, tmp_path, listener, kind) -> None:
    """In the real page: no <script> or on* handler survives, the post's world runs no JavaScript, no bridge message arrives unasked, the page asks for nothing beyond itself, and navigation is refused."""
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
    # The post's own world: a script that would answer and retitle the page if it ran. A world
    # without JavaScript still replies, with the empty string, and the title stays as it was.
    title = run_js(qtbot, window, "document.title")
    assert run_js(qtbot, window, "document.title = 'PWNED'; 'ran: ' + typeof qt", MAIN_WORLD) == ""
    assert run_js(qtbot, window, "document.title") == title != "PWNED"
    # Navigation away (to the listener here, not to another machine) is refused before any request.
    page = window.reader.page()
    url = page.url().toString()
    target = f"{listener.url}/navigated"
    assert run_js(qtbot, window, f"location.href = {json.dumps(target)}; 'asked'") == "asked"
    guard = window.network_guard
    qtbot.waitUntil(
        lambda: bool(target in page.refused or page.url().toString() != url or guard.blocked or listener.requests), timeout=10_000
    )
    qtbot.wait(200)
    assert (target in page.refused, page.url().toString()) == (True, url)
    # Nothing went out, and nothing even reached the network guard: the page asked for nothing.
    assert (listener.requests, guard.blocked, guard.allowed_remote) == ([], [], [])
    assert heard == []


REFUSED = [k for k in KINDS if k.expect == REFUSES]


def test_refused_files_get_their_message_and_the_window_keeps_working(qtbot, window, tmp_path, monkeypatch) -> None:
    """Opening files the loader refuses lists each with its one-sentence reason; a good post opens after."""
    from app.ui import importer

    shown = []
    monkeypatch.setattr(
        importer.ImportErrors, "open",
        lambda self: shown.append([(self.table.topLevelItem(i).text(0), self.table.topLevelItem(i).text(1)) for i in range(self.table.topLevelItemCount())]),
    )
    paths, kinds = [], []
    for kind in REFUSED:
        place = tmp_path / kind.name
        place.mkdir()
        built = kind.build(place)
        if built.is_file() and built.stat().st_size <= 21 * 1024 * 1024:
            paths.append(str(built))
            kinds.append(kind)
    assert len(paths) >= 5
    with qtbot.waitSignal(window.importFinished, timeout=120_000) as done:
        window.import_and_open(paths)
    report = done.args[0]
    assert len(report.errors) == len(paths) and not report.added
    assert len(shown) == 1 and sorted(name for name, _reason in shown[0]) == sorted(Path(p).name for p in paths)
    reasons = dict(shown[0])
    for kind, path in zip(kinds, paths):
        reason = reasons[Path(path).name]
        assert reason.endswith(".") and "\n" not in reason, (kind.name, reason)
        assert all(word.lower() in reason.lower() for word in kind.words), (kind.name, reason)
    good = tmp_path / "good.md"
    good.write_text("---\ntitle: 普通の記事\n---\n\n工場の話。\n", encoding="utf-8")
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.import_and_open([str(good)])
    assert window.current.title == "普通の記事"
