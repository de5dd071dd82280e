"""Post and user text in Qt widgets (issue #19, defect 1): shown as plain text, never as rich text.

A suggested claim whose sentence held `<img width=30000 height=30000>` made a 30000-pixel tooltip
(3.7 GB, a freeze) and `src=/local/file.png` loaded a local file. Qt guesses rich text in
tooltips, labels, message boxes and progress dialogs (Qt.mightBeRichText), so every one of them
that shows untrusted text gets it through app.ui.plain. This test puts hostile text in a post's
title and file name, a claim sentence, a highlight's quote, note and tag, and a refused file's
name, opens everything the window shows them in, and walks every widget, item and action."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex
from PySide6.QtGui import Qt, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QMessageBox

from app.core.library import actions as library
from tests.ui.conftest import open_and_wait, window  # noqa: F401 - the window fixture

IMG = "<img width=30000 height=30000 src=/etc/x.png>"
NAME_IMG = "<img width=30000 height=30000 src=x.png>"  # no slash in a file name
TAG = "<u>tag</u>"  # a tag has no spaces
MARKERS = ("<img", "<u>")
POST = f"""---
title: "{IMG} 工場の記事"
---

東京エレクトロンは&lt;img width=30000 height=30000 src=/etc/x.png&gt;の工場に約二千億円を投資すると発表した。

二つ目の段落です。ここは{IMG.replace("<", "&lt;").replace(">", "&gt;")}を引用する。
"""


def _renders_rich(text: str, format_: Qt.TextFormat = Qt.TextFormat.AutoText) -> bool:
    """Whether Qt would show `text` as rich text and a hostile tag in it would be a tag."""
    if not text or not any(marker in text for marker in MARKERS):
        return False
    if format_ == Qt.TextFormat.PlainText:
        return False
    if format_ == Qt.TextFormat.AutoText and not Qt.mightBeRichText(text):
        return False
    document = QTextDocument()
    document.setHtml(text)
    shown = document.toPlainText()
    return not all(marker in shown for marker in MARKERS if marker in text)


def _model_problems(model: QAbstractItemModel, where: str, parent: QModelIndex = QModelIndex()) -> list[str]:
    problems = []
    try:
        columns = max(1, model.columnCount(parent))
    except TypeError:  # a list model: one column (its columnCount is private)
        columns = 1
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.WhatsThisRole, Qt.ItemDataRole.StatusTipRole):
                value = model.data(index, role)
                if isinstance(value, str) and _renders_rich(value):
                    problems.append(f"{where} row {row} column {column} {role.name}: {value[:120]!r}")
        if columns > 1 and model.rowCount(model.index(row, 0, parent)) > 0:
            problems.extend(_model_problems(model, where, model.index(row, 0, parent)))
    return problems


def rich_text_problems() -> list[str]:
    """Every place in the application's widgets where hostile text would be rendered as rich text."""
    problems = []
    seen_models = set()
    for widget in QApplication.allWidgets():
        where = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        if _renders_rich(widget.toolTip()):
            problems.append(f"{where} tooltip: {widget.toolTip()[:120]!r}")
        if _renders_rich(widget.statusTip()) or _renders_rich(widget.whatsThis()):
            problems.append(f"{where} status tip or what's this")
        if isinstance(widget, QLabel) and _renders_rich(widget.text(), widget.textFormat()):
            problems.append(f"{where} label: {widget.text()[:120]!r}")
        if isinstance(widget, QMessageBox) and (
            _renders_rich(widget.text(), widget.textFormat()) or _renders_rich(widget.informativeText())
        ):
            problems.append(f"{where} message box: {widget.text()[:120]!r}")
        for action in widget.actions():
            if _renders_rich(action.toolTip()) or _renders_rich(action.statusTip()):
                problems.append(f"{where} action {action.text()!r}: {action.toolTip()[:120]!r}")
            menu = action.menu()
            if menu is not None:
                for sub in menu.actions():
                    if _renders_rich(sub.toolTip()) or _renders_rich(sub.statusTip()):
                        problems.append(f"menu {menu.title()!r} action {sub.text()!r}: {sub.toolTip()[:120]!r}")
        if isinstance(widget, QAbstractItemView) and widget.model() is not None and id(widget.model()) not in seen_models:
            seen_models.add(id(widget.model()))
            problems.extend(_model_problems(widget.model(), where))
    return problems


@pytest.fixture
def hostile_post(tmp_path: Path) -> Path:
    folder = tmp_path / "posts"
    folder.mkdir()
    path = folder / f"{NAME_IMG}.md"
    path.write_text(POST, encoding="utf-8")
    return path


def test_the_walk_sees_rich_text(qapp) -> None:
    """The check itself: a label and a tooltip left to guess are caught, plain ones are not."""
    label = QLabel(f"quote {IMG}")
    assert _renders_rich(label.text(), label.textFormat())
    label.setTextFormat(Qt.TextFormat.PlainText)
    assert not _renders_rich(label.text(), label.textFormat())
    assert _renders_rich(f"a {IMG}") and not _renders_rich(f"a &lt;img src=x&gt; {IMG}".replace(IMG, ""))


def test_hostile_text_is_plain_in_every_widget(qtbot, window, hostile_post: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    post_id = open_and_wait(qtbot, window, hostile_post)
    store = window.store
    record = store.post(post_id)
    # A highlight whose quote, note and tag are hostile, and a tagged claim of the same sentence.
    start = record.text.index("<img", record.text.index("二つ目"))
    library.annotate_span(store, record, start, start + len(IMG), tags=[TAG, "claim"], note=f"note {IMG}\nsecond line")
    window.refresh_highlights()
    window.refresh_posts()
    # The suggested claims of the post hold the hostile sentence.
    qtbot.waitUntil(lambda: window.suggested_claims.list.count() > 0, timeout=30_000)
    # The claims table, the recent files, the errors of an import, a progress label and a message.
    window.show_claims()
    qtbot.waitUntil(lambda: window.claims_window is not None and window.claims_window.isVisible(), timeout=10_000)
    table = window.claims_window
    table.refresh()
    assert any(IMG in claim.quote for claim in table.model.claims)  # the walk sees the hostile claim's row
    # The same post again under another name, its amount sentence accepted as a claim in both and
    # given a hostile company: the Compare view groups them, the Timeline view draws them.
    second = hostile_post.with_name(f"second {NAME_IMG}.md")
    second.write_text(POST, encoding="utf-8")
    report = library.import_paths(store, [second])
    hostile_entity = f"{IMG} 社"
    from app.core.claims import suggestions as claim_suggestions

    for each in (post_id, *report.added):
        for suggestion in claim_suggestions.suggestions_for(store, each):
            if "二千億円" in suggestion.sentence:
                made = library.accept_suggestion(store, each, suggestion)
                library.set_claim_fact(store, made.id, entity=hostile_entity)
    table.reload()
    table.show_view("compare")
    assert table.compare.groups and table.compare.groups[0].entity == hostile_entity
    table.show_view("timeline")
    assert table.timeline.set_entity(hostile_entity) and table.timeline.svg_text
    assert "<img" not in table.timeline.svg_text  # escaped in the drawing
    assert any("<img" in window.suggested_claims.list.item(i).text() for i in range(window.suggested_claims.list.count()))
    window.settings.add_recent(str(hostile_post))
    from app.ui import importer

    errors = importer.ImportErrors([(str(tmp_path / f"{NAME_IMG}.md"), f"{NAME_IMG}.md contains NUL bytes {IMG}.")], window)
    errors.show()
    worker = importer.ImportWorker(store.path, [str(hostile_post)], window)
    progress = importer.ImportProgress(worker, window)
    progress._on_progress(1, 2, f"{NAME_IMG}.md")
    progress.show()
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *more: said.append(text))
    window.imports._failed(worker, None, f"Import failed for {IMG}")
    assert said
    said_problems = [f"message box: {text[:120]!r}" for text in said if _renders_rich(text)]
    # The Open Recent menu, filled as when it is opened.
    from PySide6.QtWidgets import QMenu

    recent = QMenu(window)
    window.imports.fill_recent(recent)
    assert any(NAME_IMG in action.text() for action in recent.actions())
    recent_problems = [a.toolTip() for a in recent.actions() if _renders_rich(a.toolTip())]
    qtbot.wait(50)
    problems = rich_text_problems()
    errors.close()
    progress.close()
    problems += said_problems + [f"Open Recent tooltip: {tip[:120]!r}" for tip in recent_problems]
    assert not problems, "\n".join(problems)


def test_plain_helper_keeps_ordinary_text_as_it_is(qapp) -> None:
    from app.ui.plain import plain

    assert plain("工場の記事") == "工場の記事"
    assert plain(f"工場 {IMG}") != f"工場 {IMG}" and not _renders_rich(plain(f"工場 {IMG}"))
    document = QTextDocument()
    document.setHtml(plain(f"工場 {IMG}"))
    assert IMG in document.toPlainText()  # shown as written
    assert "\\xff" in plain("caf\udcff")  # an undecodable file name, escaped (Qt would drop it)


def test_a_damaged_library_is_said_in_the_list_and_the_window_goes_on(qtbot, window, hostile_post: Path) -> None:  # noqa: F811
    """Tags edited into something else by hand (issue #19, defect 14): the list says the library is
    damaged, in plain text, instead of the window failing."""
    library.import_paths(window.store, [hostile_post])
    window.store.conn.execute("UPDATE posts SET tags = '<img src=x> not json'")
    window.refresh_posts()
    panel = window.library_panel
    assert "damaged" in panel.empty.text() and panel.empty.isVisibleTo(panel)
    assert panel.empty.textFormat() == Qt.TextFormat.PlainText
    assert window.isVisible()
