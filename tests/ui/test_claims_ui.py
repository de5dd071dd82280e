"""Claims in the window: the post's suggested claims (accept, dismiss) and the library's claims
table (sort, filter, status, open at the claim, export), through the real window and store."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QInputDialog

from app.core.claims import suggestions as claim_suggestions
from app.core.claims import table as claims_store
from app.core.library import actions as library
from app.ui.claims_table import COLUMNS
from tests.ui.conftest import open_and_wait, run_js

META = "Metaは2025年にAIインフラへ660億–720億ドルを投じる。"
NVIDIA = "NVIDIAのH100を大量に買う。"
WEATHER = "今日の東京は晴れて暖かい。"
SOFTBANK = "ソフトバンクは1兆円を投資する。"
GOOGLE = "GoogleはTPUを自社で作る。"
CHIPS_POST = f"---\ntitle: AI投資の記事\ndate: 2025-02-03\n---\n\n{META}{NVIDIA}\n\n{WEATHER}{SOFTBANK}\n\n{GOOGLE}\n"

MICROSOFT = "Microsoftは2025年度にデータセンターへ800億ドルを使う。"
KDDI = "KDDIは500億円を投じる。"
AMD = "AMDのMI300XをOracleが採用した。"
CLOUD_POST = f"---\ntitle: クラウドの記事\ndate: 2024-11-20\n---\n\n{MICROSOFT}\n\n{KDDI}{AMD}\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _open(qtbot, window, path: Path) -> int:
    """Open a post and wait until its suggestions are listed."""
    post_id = open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: not window.suggested_claims.computing, timeout=10_000)
    return post_id


def _sentences(window) -> list[str]:
    panel = window.suggested_claims
    return [panel.list.item(row).text().split("\n")[0] for row in range(panel.list.count())]


def _choose(window, sentence: str) -> None:
    panel = window.suggested_claims
    panel.select(next(s for s in panel.suggestions if s.sentence == sentence))


def _accept_all(window, post_id: int) -> None:
    for suggestion in claim_suggestions.suggestions_for(window.store, post_id):
        library.accept_suggestion(window.store, post_id, suggestion)


def _column(claims_window, name: str) -> list[str]:
    model = claims_window.model
    return [model.text(claim, name) for claim in model.claims]


def _click_header(claims_window, name: str) -> None:
    header = claims_window.view.horizontalHeader()
    section = COLUMNS.index(name)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, header.height() // 2))


@pytest.fixture
def claims_window(qtbot, window, tmp_path):
    """The claims table of a library with both posts' suggestions accepted, opened from the menu."""
    first = _open(qtbot, window, _write(tmp_path, "chips.md", CHIPS_POST))
    second = open_and_wait(qtbot, window, _write(tmp_path, "cloud.md", CLOUD_POST))
    _accept_all(window, first)
    _accept_all(window, second)
    window.claims_action.trigger()
    table = window.claims_window
    qtbot.waitUntil(lambda: table.isVisible() and table.model.rowCount() == 7, timeout=10_000)
    return table


def test_suggested_list_shows_the_sentences_with_amounts_or_a_chip_and_company(qtbot, window, tmp_path):
    """Opening a post lists its sentences with an amount, or a chip with a company, and what was found."""
    _open(qtbot, window, _write(tmp_path, "chips.md", CHIPS_POST))
    assert _sentences(window) == [META, NVIDIA, SOFTBANK, GOOGLE]
    panel = window.suggested_claims
    assert panel.header.text().endswith("(4)")
    found = panel.list.item(0).text().split("\n")[1]
    assert "660億–720億ドル" in found and "Meta" in found
    assert "H100" in panel.list.item(1).text().split("\n")[1]


def test_clicking_a_suggestion_asks_the_reader_to_scroll_to_its_sentence(qtbot, window, tmp_path):
    """A click on a row emits the sentence's start offset in the post's text."""
    post_id = _open(qtbot, window, _write(tmp_path, "chips.md", CHIPS_POST))
    panel = window.suggested_claims
    item = panel.list.item(2)
    with qtbot.waitSignal(panel.activated, timeout=5_000) as clicked:
        QTest.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, panel.list.visualItemRect(item).center())
    assert clicked.args == [window.store.post(post_id).text.index(SOFTBANK)]


def test_accept_makes_a_tagged_highlight_and_the_suggestion_leaves_the_list(qtbot, window, tmp_path):
    """Accept turns the sentence into a highlight tagged as a claim, painted in the page; Ctrl+Z takes it back."""
    post_id = _open(qtbot, window, _write(tmp_path, "chips.md", CHIPS_POST))
    _choose(window, META)
    window.suggested_claims.accept_button.click()
    highlights = window.store.annotations(post_id)
    assert [h.exact for h in highlights] == [META]
    assert set(highlights[0].tags) == {"claim", "investment", "company"}
    assert META not in _sentences(window)
    qtbot.waitUntil(lambda: not window.suggested_claims.computing, timeout=10_000)
    assert _sentences(window) == [NVIDIA, SOFTBANK, GOOGLE]
    assert window.highlights_panel.current_id() == highlights[0].id
    qtbot.waitUntil(lambda: run_js(qtbot, window, "document.querySelectorAll('mark.kk-hl').length") >= 1, timeout=10_000)
    window.undo()
    qtbot.waitUntil(lambda: not window.suggested_claims.computing, timeout=10_000)
    assert window.store.annotations(post_id) == [] and _sentences(window)[0] == META


def test_dismissed_suggestion_stays_dismissed_after_reopening_the_post(qtbot, window, tmp_path):
    """Dismiss removes a suggestion at once, makes no highlight, and the post does not offer it again."""
    path = _write(tmp_path, "chips.md", CHIPS_POST)
    post_id = _open(qtbot, window, path)
    _choose(window, GOOGLE)
    with qtbot.waitSignal(window.suggested_claims.dismissed, timeout=5_000):
        window.suggested_claims.dismiss_button.click()
    assert _sentences(window) == [META, NVIDIA, SOFTBANK]
    assert window.store.annotations(post_id) == []
    _open(qtbot, window, _write(tmp_path, "cloud.md", CLOUD_POST))
    assert _sentences(window) == [MICROSOFT, KDDI, AMD]
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.open_post(post_id)
    qtbot.waitUntil(lambda: not window.suggested_claims.computing, timeout=10_000)
    assert _sentences(window) == [META, NVIDIA, SOFTBANK]


def test_the_suggested_list_folds_away_from_its_header_and_the_view_menu(qtbot, window, tmp_path):
    """The header button and View ▸ Suggested Claims fold the list and unfold it again."""
    _open(qtbot, window, _write(tmp_path, "chips.md", CHIPS_POST))
    panel = window.suggested_claims
    panel.header.click()
    assert not panel.list.isVisible() and not window.suggested_action.isChecked()
    assert panel.height() <= panel.header.sizeHint().height() + 20
    window.suggested_action.trigger()
    assert panel.list.isVisible() and panel.expanded


def test_a_suggestion_accepted_while_the_table_is_open_shows_up_in_it(qtbot, window, tmp_path):
    """Accepting two suggestions at once with the claims table open adds both rows to it."""
    post_id = _open(qtbot, window, _write(tmp_path, "chips.md", CHIPS_POST))
    table = window.show_claims()
    assert table.model.rowCount() == 0 and "Claims shown: 0" in table.count_label.text()
    panel = window.suggested_claims
    panel.list.item(0).setSelected(True)
    panel.list.item(2).setSelected(True)
    panel.accept_action.trigger()
    assert {c.quote for c in table.model.claims} == {META, SOFTBANK}
    assert table.filters["currency"].findData("JPY") > 0
    window.claims_action.trigger()
    assert window.claims_window is table and table.isVisible()
    assert len(window.store.annotations(post_id)) == 2


def test_claims_table_lists_accepted_claims_with_their_amounts(qtbot, window, tmp_path, claims_window):
    """The table lists every claim of the library with its post, names and readable amount."""
    by_quote = {claim.quote: claim for claim in claims_window.model.claims}
    assert set(by_quote) == {META, NVIDIA, SOFTBANK, GOOGLE, MICROSOFT, KDDI, AMD}
    meta = by_quote[META]
    assert meta.post_title == "AI投資の記事" and meta.currency == "USD"
    assert (meta.low, meta.high) == (66_000_000_000, 72_000_000_000)
    row = claims_window.model.claims.index(meta)
    assert claims_window.model.text(meta, "amount") == meta.amount_text != ""
    assert claims_window.model.index(row, COLUMNS.index("companies")).data() == "Meta"
    assert "Claims shown: 7" in claims_window.count_label.text()


def test_sorting_by_amount_orders_within_each_currency(qtbot, window, tmp_path, claims_window):
    """Clicking the Amount header sorts by amount within a currency, and a second click reverses it."""
    for descending in (False, True):
        _click_header(claims_window, "amount")
        header = claims_window.view.horizontalHeader()
        assert header.sortIndicatorSection() == COLUMNS.index("amount")
        assert (header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder) == descending
        with_amounts = [c for c in claims_window.model.claims if c.currency]
        for currency in ("USD", "JPY"):
            highs = [c.high for c in with_amounts if c.currency == currency]
            assert highs == sorted(highs, reverse=descending) and len(highs) == 2
        # One currency's claims stay together: amounts are never compared across currencies.
        currencies = [c.currency for c in with_amounts]
        assert sorted(set(currencies), key=currencies.index) == list(dict.fromkeys(currencies))
        assert currencies.count(currencies[0]) == 2 and currencies[0] == currencies[1]
    _click_header(claims_window, "post")
    titles = _column(claims_window, "post")
    assert titles == sorted(titles) or titles == sorted(titles, reverse=True)


def test_filters_narrow_the_table(qtbot, window, tmp_path, claims_window):
    """Each filter, filled from the claims, narrows the rows; Show All brings them back."""
    claims_window.set_filter("currency", "JPY")
    assert set(_column(claims_window, "quote")) == {SOFTBANK, KDDI}
    claims_window.set_filter("currency", None)
    claims_window.set_filter("company", "Meta")
    assert _column(claims_window, "quote") == [META]
    claims_window.set_filter("company", None)
    claims_window.set_filter("chip", "MI300X")
    assert _column(claims_window, "quote") == [AMD]
    assert claims_window.filters["chip"].findData("H100") > 0
    assert claims_window.filters["year"].findData(2025) > 0
    claims_window.clear_filters()
    assert claims_window.model.rowCount() == 7


def test_setting_a_status_and_its_note_persists(qtbot, window, tmp_path, claims_window, monkeypatch):
    """Marking a claim disputed with a note is stored, shown in the row and filterable by status."""
    meta = next(c for c in claims_window.model.claims if c.quote == META)
    assert claims_window.select_claim(meta.annotation_id)
    claims_window.status_actions["disputed"].trigger()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(lambda *a, **k: ("決算資料では650億ドル", True)))
    claims_window.note_action.trigger()
    stored = [c for c in claims_store.claims_table(window.store) if c.annotation_id == meta.annotation_id][0]
    assert (stored.status, stored.status_note) == ("disputed", "決算資料では650億ドル")
    claims_window.set_filter("status", "disputed")
    assert _column(claims_window, "quote") == [META]
    assert claims_window.model.text(claims_window.model.claims[0], "status").startswith("disputed")
    assert claims_window.status_box.currentData() == "disputed"


def test_double_click_opens_the_post_at_the_claim(qtbot, window, tmp_path, claims_window):
    """Double-clicking a row opens its post in the reader at the claim's sentence."""
    claims_window.set_filter("company", "Microsoft")
    claim = claims_window.model.claims[0]
    assert claim.quote == MICROSOFT
    first = window.store.post_by_path(str((tmp_path / "chips.md").resolve()))
    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.open_post(first.id)
    assert window.current.id == first.id
    index = claims_window.model.index(0, COLUMNS.index("quote"))
    where = claims_window.view.visualRect(index).center()
    viewport = claims_window.view.viewport()
    with qtbot.waitSignal(window.postShown, timeout=60_000) as shown:
        # An item view takes a double click only on the index the first click pressed.
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
        QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    assert shown.args == [claim.post_id] and window.current.id == claim.post_id
    assert claim.start == window.store.post(claim.post_id).text.index(MICROSOFT)


@pytest.mark.parametrize("suffix", [".csv", ".md"])
def test_export_writes_the_filtered_claims_where_the_reader_chose(qtbot, window, tmp_path, claims_window, monkeypatch, suffix):
    """Export… writes the claims the filters show, in the format of the chosen suffix, and says where."""
    target = tmp_path / "out" / f"claims{suffix}"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    claims_window.set_filter("currency", "USD")
    claims_window.export_button.click()
    text = target.read_text(encoding="utf-8")
    assert META in text and MICROSOFT in text and KDDI not in text
    assert str(target) in claims_window.result_label.text()
