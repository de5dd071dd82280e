"""Claims as facts in the window (#20 items 2-4): the table's entity, metric and period columns
edited with real keys and clicks and saved in the library; the Compare view grouping two posts'
figures for Meta's 2025 capex (agreeing, then flagged by a third); the Timeline view's chart and
its SVG and PNG exports. Through the real window and store.

With KK_CLAIMS_SCREENSHOTS=folder, each view is also grabbed into that folder as a PNG.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLineEdit

from app.core.claims import suggestions as claim_suggestions
from app.core.claims import table as claims_store
from app.core.library import actions as library
from app.ui.claims_compare import FIGURE, GROUP
from app.ui.claims_facts import metric_name
from app.ui.claims_table import COLUMNS

META_A = "Metaは2025年にAIインフラへ660億–720億ドルを投じる。"
META_B = "Metaの2025年の設備投資は約700億ドルになる見通しだ。"
META_C = "Metaは2025年に設備投資として300億ドルを使うと報じられた。"
MICROSOFT = "Microsoftは2025年度にデータセンターへ800億ドルを使う。"
POSTS = {
    "a.md": f"---\ntitle: メタの投資計画\ndate: 2025-02-03\n---\n\n{META_A}\n\n{MICROSOFT}\n",
    "b.md": f"---\ntitle: 決算まとめ\ndate: 2025-05-01\n---\n\n{META_B}\n",
    "c.md": f"---\ntitle: 噂の記事\ndate: 2025-06-10\n---\n\n{META_C}\n",
}
SHOTS = os.environ.get("KK_CLAIMS_SCREENSHOTS")


def _shoot(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        assert widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _import(window, tmp_path: Path, names) -> dict[str, int]:
    """Import posts and accept each one's suggested claims; {file name: post id}."""
    ids = {}
    for name in names:
        path = tmp_path / name
        path.write_text(POSTS[name], encoding="utf-8")
        report = library.import_paths(window.store, [path])
        assert not report.errors, report.errors
        ids[name] = post_id = (report.added + report.updated + report.unchanged)[0]
        for suggestion in claim_suggestions.suggestions_for(window.store, post_id):
            library.accept_suggestion(window.store, post_id, suggestion)
    return ids


@pytest.fixture
def claims(qtbot, window, tmp_path):
    """The claims window over posts a and b (Meta's 2025 capex twice, Microsoft's once)."""
    window.claims_ids = _import(window, tmp_path, ["a.md", "b.md"])
    table = window.show_claims()
    qtbot.waitUntil(lambda: table.isVisible() and table.model.rowCount() == 3, timeout=10_000)
    table.resize(1280, 620)
    return table


def _row(table, quote: str) -> int:
    return next(i for i, claim in enumerate(table.model.claims) if claim.quote == quote)


def _cell_center(table, row: int, column: str) -> QPoint:
    index = table.model.index(row, COLUMNS.index(column))
    table.view.scrollTo(index)
    return table.view.visualRect(index).center()


def _click_tab(table, name: str) -> None:
    bar = table.tabs.tabBar()
    index = {"table": 0, "compare": 1, "timeline": 2}[name]
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, bar.tabRect(index).center())
    assert table.current_view() == name


def _enter(qtbot, table, editor) -> None:
    """Return in an editor: the delegate commits and closes it (queued, as Qt does)."""
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.view.state() != table.view.State.EditingState, timeout=5_000)


def _stored(window, annotation_id: str):
    return claims_store.claim(window.store, annotation_id)


# --- the fact columns --------------------------------------------------------------------------


def test_fact_columns_show_what_was_read(qtbot, window, claims):
    """Each claim's entity, metric and period are columns, read from the sentence (not marked edited)."""
    row = _row(claims, META_A)
    model = claims.model
    texts = [model.index(row, COLUMNS.index(c)).data() for c in ("entity", "metric", "period")]
    assert texts == ["Meta", metric_name("capex"), "2025"]
    assert not model.claims[row].fact_edited
    assert model.index(row, COLUMNS.index("period")).data(Qt.ItemDataRole.FontRole) is None
    assert model.flags(model.index(row, COLUMNS.index("metric"))) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(row, COLUMNS.index("quote"))) & Qt.ItemFlag.ItemIsEditable
    _shoot(claims, "1-table")


def test_metric_edited_with_f2_and_the_keyboard_is_saved_and_marked(qtbot, window, claims):
    """F2 on the metric cell opens a list of metrics; Down and Return choose Revenue: one save,
    the row shows it in italics, the library has it, and the other fields stay as read."""
    row = _row(claims, META_A)
    claim_id = claims.model.claims[row].annotation_id
    viewport = claims.view.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _cell_center(claims, row, "metric"))
    QTest.keyClick(claims.view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QComboBox) and editor.currentData() == "capex"
    QTest.keyClick(editor, Qt.Key.Key_Down)
    assert editor.currentData() == "revenue"
    _enter(qtbot, claims, editor)
    row = _row(claims, META_A)
    index = claims.model.index(row, COLUMNS.index("metric"))
    assert index.data() == metric_name("revenue")
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    stored = _stored(window, claim_id)
    assert (stored.entity, stored.metric, stored.fact_period, stored.fact_edited) == ("Meta", "revenue", "2025", True)
    assert "Saved" in claims.result_label.text()
    if SHOTS:
        claims.view.clearSelection()  # the edited cells as they look unselected
        _shoot(claims, "1b-table-edited")


def test_period_typed_after_a_double_click_is_saved_in_the_form_the_library_keeps(qtbot, window, claims):
    """A double-click on the period edits it (it does not open the post); "fy2026" typed is FY2026."""
    row = _row(claims, META_B)
    claim_id = claims.model.claims[row].annotation_id
    viewport = claims.view.viewport()
    where = _cell_center(claims, row, "period")
    opened = []
    claims.openClaim.connect(lambda *args: opened.append(args))
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "2025"
    QTest.keyClicks(editor, "fy2026")
    assert editor.text() == "fy2026"
    _enter(qtbot, claims, editor)
    assert _stored(window, claim_id).fact_period == "FY2026"
    assert claims.model.index(_row(claims, META_B), COLUMNS.index("period")).data() == "FY2026"
    assert opened == []


def test_a_period_the_library_does_not_know_is_one_sentence_and_nothing_changes(qtbot, window, claims):
    """Typing an unfinished period ("20") and Return: the window says why in red, the claim keeps its period."""
    row = _row(claims, META_B)
    claim_id = claims.model.claims[row].annotation_id
    assert claims.edit_fact(claim_id, "period")
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    QTest.keyClicks(editor, "20x")  # the x is refused as it is typed
    assert editor.text() == "20"
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the editor stays open, and says why
    assert "is not a period yet" in claims.result_label.text() and "c62828" in claims.result_label.styleSheet()
    assert claims.view.state() == claims.view.State.EditingState
    # Leaving the cell commits what is there: the library refuses it, in one sentence.
    claims.view.commitData(editor)
    claims.view.closeEditor(editor, claims.fact_delegate.EndEditHint.NoHint)
    assert claims.result_label.text().startswith("Unknown period '20'")
    assert _stored(window, claim_id).fact_period == "2025" and not _stored(window, claim_id).fact_edited
    assert claims.isVisible()


def test_entity_typed_into_its_combo_is_saved_and_an_empty_one_means_none(qtbot, window, claims):
    """The entity editor takes a name from the entity table (typed); emptied, the claim has none."""
    row = _row(claims, META_B)
    claim_id = claims.model.claims[row].annotation_id
    assert claims.edit_fact(claim_id, "entity")
    editor = QApplication.focusWidget()
    box = editor if isinstance(editor, QComboBox) else editor.parent()
    assert isinstance(box, QComboBox) and box.findText("NVIDIA") > 0
    QTest.keyClicks(editor, "nvid")  # completed from the entity table as it is typed
    _enter(qtbot, claims, editor)
    assert _stored(window, claim_id).entity == "NVIDIA"
    assert claims.model.index(_row(claims, META_B), COLUMNS.index("entity")).data() == "NVIDIA"
    assert claims.edit_fact(claim_id, "entity")
    editor = QApplication.focusWidget()
    QTest.keyClick(editor, Qt.Key.Key_Delete)
    _enter(qtbot, claims, editor)
    assert _stored(window, claim_id).entity is None


def test_editing_a_claim_deleted_meanwhile_says_so_without_crashing(qtbot, window, claims):
    """The claim's highlight was deleted elsewhere: the edit ends in one sentence, the window goes on."""
    row = _row(claims, META_B)
    claim_id = claims.model.claims[row].annotation_id
    library.delete_annotation(window.store, claim_id)
    assert claims.model.save_fact is not None
    assert not claims.model.setData(claims.model.index(row, COLUMNS.index("metric")), "revenue")
    message = claims.result_label.text()
    assert message.startswith("No claim") and message.count(".") <= 2
    assert claims.isVisible()


# --- compared across posts ---------------------------------------------------------------------


def _groups(table):
    tree = table.compare.tree
    return [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]


def test_two_posts_on_metas_2025_capex_are_one_agreeing_group(qtbot, window, claims):
    """The Compare tab: Meta · capex · 2025 from posts a and b, agreeing (a word and green)."""
    _click_tab(claims, "compare")
    groups = _groups(claims)
    assert len(groups) == 1
    group = groups[0].data(0, GROUP)
    assert (group.entity, group.metric, group.period, group.agree) == ("Meta", "capex", "2025", True)
    text = groups[0].text(0)
    assert "agree" in text and "DISAGREE" not in text and "Meta" in text and metric_name("capex") in text
    assert groups[0].foreground(0).color().name() == "#2e7d32"
    figures = [groups[0].child(i) for i in range(groups[0].childCount())]
    assert [f.text(0) for f in figures] == ["メタの投資計画", "決算まとめ"]
    assert [f.text(1) for f in figures] == ["660億–720億ドル", "約700億ドル"]
    assert "660億–720億 USD" in figures[0].text(2)
    assert "Groups: 1, disagreeing: 0" in claims.compare.summary.text()
    _shoot(claims, "2-compare-agree")


def test_a_third_post_far_off_flags_the_group_and_a_figure_opens_its_sentence(qtbot, window, claims, tmp_path):
    """Post c says 300億ドル: the group says DISAGREE in red; double-clicking c's figure opens c at it."""
    ids = _import(window, tmp_path, ["c.md"])
    claims.reload()
    _click_tab(claims, "compare")
    groups = _groups(claims)
    assert len(groups) == 1 and not groups[0].data(0, GROUP).agree
    assert "DISAGREE" in groups[0].text(0) and groups[0].foreground(0).color().name() == "#c62828"
    assert groups[0].childCount() == 3
    _shoot(claims, "3-compare-disagree")
    claims.compare.disagree_only.click()
    assert len(_groups(claims)) == 1
    claims.compare.set_filter(entity="Microsoft")
    assert _groups(claims) == []
    claims.compare.set_filter(entity="Meta")
    tree = claims.compare.tree
    item = next(i for i in claims.compare.figure_items() if i.text(0) == "噂の記事")
    row = item.data(0, FIGURE)
    tree.setCurrentItem(item)
    claims.reload()  # as when the window comes back to the front: the figure chosen stays chosen
    item = tree.currentItem()
    assert item.data(0, FIGURE).annotation_id == row.annotation_id and claims.compare.open_button.isEnabled()
    where = tree.visualItemRect(item).center()
    with qtbot.waitSignal(window.postShown, timeout=60_000) as shown:
        QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
        QTest.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    assert shown.args == [ids["c.md"]] and window.current.id == ids["c.md"]
    assert row.start == window.store.post(ids["c.md"]).text.index(META_C)


def test_a_corrected_fact_moves_a_figure_out_of_the_group(qtbot, window, claims):
    """Correcting post b's period to 2026 in the table leaves no group of two posts in Compare."""
    _click_tab(claims, "compare")
    assert len(_groups(claims)) == 1
    _click_tab(claims, "table")
    claim_id = claims.model.claims[_row(claims, META_B)].annotation_id
    assert claims.edit_fact(claim_id, "period")
    editor = QApplication.focusWidget()
    QTest.keyClicks(editor, "2026")
    _enter(qtbot, claims, editor)
    _click_tab(claims, "compare")
    assert _groups(claims) == [] and "No company" in claims.compare.summary.text()


# --- the timeline ------------------------------------------------------------------------------


def test_timeline_shows_the_chart_and_exports_svg_and_png(qtbot, window, claims, tmp_path, monkeypatch):
    """The Timeline tab draws Meta's figures; Export… writes the SVG as drawn, and a PNG twice its size."""
    _import(window, tmp_path, ["c.md"])
    claims.reload()
    _click_tab(claims, "timeline")
    timeline = claims.timeline
    assert timeline.set_entity("Meta")
    assert timeline.chart.isVisible() and timeline.chart.renderer().isValid()
    assert timeline.svg_text.startswith("<svg") and "Meta" in timeline.svg_text
    assert timeline.svg_text.count('class="range"') + timeline.svg_text.count('class="point"') == 3
    _shoot(claims, "4-timeline")
    for name, expected_filter in (("chart.svg", "SVG"), ("chart.png", "PNG")):
        target = tmp_path / "out" / name
        target.parent.mkdir(exist_ok=True)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, t=target, **k: (str(t), "")))
        QTest.mouseClick(timeline.export_button, Qt.MouseButton.LeftButton)
        assert target.is_file() and str(target) in timeline.result.text()
    assert (tmp_path / "out" / "chart.svg").read_text(encoding="utf-8") == timeline.svg_text
    if SHOTS:
        (Path(SHOTS) / "8-exported-chart.png").write_bytes((tmp_path / "out" / "chart.png").read_bytes())
    image = QImage(str(tmp_path / "out" / "chart.png"))
    assert not image.isNull() and image.width() == 2 * 760
    assert not [p for p in (tmp_path / "out").iterdir() if p.suffix not in (".svg", ".png")]  # no temporary file left


def test_timeline_export_to_a_missing_folder_is_one_sentence(qtbot, window, claims, tmp_path):
    """A folder that does not exist: the view says so in red, nothing is written."""
    claims.show_view("timeline")
    assert claims.timeline.set_entity("Meta", "capex")
    assert claims.timeline.export(tmp_path / "nowhere" / "chart.png") is None
    assert "c62828" in claims.timeline.result.styleSheet() and claims.timeline.result.text()
    assert not (tmp_path / "nowhere").exists()


def test_screenshot_in_japanese(qtbot, tmp_path):
    """With KK_CLAIMS_SCREENSHOTS, the Compare view in Japanese (the window's strings translated)."""
    if not SHOTS:
        pytest.skip("screenshots only when KK_CLAIMS_SCREENSHOTS is set")
    from app.core.library.derived import open_library
    from app.ui.i18n import install_translators, remove_translators
    from app.ui.main_window import MainWindow
    from tests.ui.conftest import dispose

    app = QApplication.instance()
    assert install_translators(app, "ja", cache=tmp_path / "qm") == "ja"
    store = open_library(tmp_path / "library.sqlite3")
    try:
        win = MainWindow(store, settings_path=tmp_path / "settings.json")
        win.show()
        _import(win, tmp_path, ["a.md", "b.md", "c.md"])
        table = win.show_claims()
        table.resize(1280, 620)
        _shoot(table, "5-ja-table")
        table.show_view("compare")
        _shoot(table, "6-ja-compare")
        table.show_view("timeline")
        table.timeline.set_entity("Meta")
        _shoot(table, "7-ja-timeline")
        dispose(win)
    finally:
        remove_translators(app)
        store.close()


def test_exchange_rates_are_edited_saved_and_restored(qtbot, tmp_path):
    """The rates dialog: a rate typed and saved is the reader's rates.tsv; a rate that is not a
    number is one sentence and nothing is written; Restore Defaults brings the bundled ones back."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from app.core.claims.compare import load_rates
    from app.ui.claims_compare import RatesDialog

    mine = tmp_path / "rates.tsv"
    dialog = RatesDialog(path=mine)
    qtbot.addWidget(dialog)
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == "JPY")
    dialog.table.item(row, 1).setText("abc")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert "JPY" in dialog.message.text() and not mine.exists()
    dialog.table.item(row, 1).setText("0.0071")
    dialog.as_of.clear()
    qtbot.keyClicks(dialog.as_of, "2026-01-05")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    rates = load_rates(mine)
    assert (rates.usd_per_unit["JPY"], rates.as_of) == (0.0071, "2026-01-05")
    again = RatesDialog(path=mine)
    qtbot.addWidget(again)
    qtbot.mouseClick(again.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.RestoreDefaults), Qt.MouseButton.LeftButton)
    assert not mine.exists()
