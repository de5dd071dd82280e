"""Small things a new reader meets (#18 item 5): the word popup is as small as its word, the claims
table writes dates as the locale does, a post with nothing to suggest says so, and a post's remote
images load when the reader allowed them, and only then."""

from __future__ import annotations

import base64
import http.server
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, QLocale, QPoint, QTime

from app.core.library import actions as library
from app.core.reading.words import WordInfo
from app.ui.claims_table import shown_date
from app.ui.word_popup import WordPopup
from tests.ui.conftest import open_and_wait, run_js, serving

# --- the word popup ---------------------------------------------------------------------------

LONG_WORD = WordInfo("生物学的多様性", 0, 7, "せいぶつがくてきたようせい", "生物学的多様性", "名詞-普通名詞-一般", "noun",
                     ("いきものがくてきたようせい", "なまものがくてきたようせい", "せいぶつがく"), True, "", "")
PARTICLE = WordInfo("ね", 0, 1, "ね", "ね", "助詞-終助詞", "particle", (), False, "", "")


def test_the_word_popup_shrinks_to_a_shorter_word(qtbot):
    """After a long word with other readings, a particle's popup is as small as when it is shown
    first, not the long word's size with empty space."""
    fresh = WordPopup()
    qtbot.addWidget(fresh)
    fresh.show_word(PARTICLE, post_id=1, at=QPoint(50, 50))
    popup = WordPopup()
    qtbot.addWidget(popup)
    popup.show_word(LONG_WORD, post_id=1, at=QPoint(50, 50))
    long_size = popup.size()
    popup.close()
    popup.show_word(PARTICLE, post_id=1, at=QPoint(50, 50))
    assert popup.size() == fresh.size()
    assert popup.width() < long_size.width() and popup.height() < long_size.height()
    # And it grows again for the long word, with room for a message under the reading field.
    popup.close()
    popup.show_word(LONG_WORD, post_id=1, at=QPoint(50, 50))
    assert popup.size() == long_size
    popup.own_reading.setText("abc")
    popup.save_own_reading()
    assert popup.message.isVisible() and popup.height() > long_size.height()
    assert popup.message.geometry().bottom() < popup.height()


# --- dates in the claims table ----------------------------------------------------------------


def test_dates_are_written_as_the_locale_writes_them():
    """A post's ISO date (with or without a time) is the locale's short date; anything else stays."""
    us, ja = QLocale("en_US"), QLocale("ja_JP")
    assert shown_date("2025-02-03", ja) == "2025/02/03"
    assert shown_date("2025-02-03", us) == "2/3/25"
    assert shown_date("2025-02-03T09:30:00+09:00", ja) == "2025/02/03 9:30"  # the post's own time
    assert shown_date("2025-02-03 18:05", ja) == "2025/02/03 18:05"
    assert shown_date("Feb 2025", ja) == "Feb 2025" and shown_date("2025-13-45", ja) == "2025-13-45"
    # Without a locale (LANG unset: Qt's C locale writes "3 2 2025"), in the ISO order, readably.
    c = QLocale(QLocale.Language.C)
    assert shown_date("2025-02-03", c) == "2025-02-03"
    assert shown_date("2025-02-03T09:30:00+09:00", c) == "2025-02-03 09:30"
    assert shown_date(None) == shown_date("") == ""


def test_the_claims_table_shows_readable_dates(qtbot, window, tmp_path):
    """The claims window's date column shows the post's date in the locale's short form, its
    ISO form in the tooltip."""
    from PySide6.QtCore import Qt

    from app.core.claims import suggestions as claim_suggestions
    from app.ui.claims_table import COLUMNS

    path = tmp_path / "dated.md"
    path.write_text("---\ntitle: 日付の記事\ndate: 2025-02-03T09:30:00+09:00\n---\n\nソフトバンクは1兆円を投資する。\n", encoding="utf-8")
    post_id = open_and_wait(qtbot, window, path)
    for suggestion in claim_suggestions.suggestions_for(window.store, post_id):
        library.accept_suggestion(window.store, post_id, suggestion)
    table = window.show_claims()
    qtbot.waitUntil(lambda: table.model.rowCount() == 1, timeout=10_000)
    cell = table.model.index(0, COLUMNS.index("date"))
    assert cell.data() == shown_date("2025-02-03T09:30:00+09:00") != ""
    moment = QDateTime(QDate(2025, 2, 3), QTime(9, 30))
    assert cell.data() in (QLocale().toString(moment, QLocale.FormatType.ShortFormat), "2025-02-03 09:30")
    assert "T09:30" not in cell.data() and "+09:00" not in cell.data()
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "2025-02-03T09:30:00+09:00"


# --- the suggested claims' empty state ---------------------------------------------------------


def _note_after_opening(qtbot, window, path: Path) -> str:
    open_and_wait(qtbot, window, path)
    panel = window.suggested_claims
    qtbot.waitUntil(lambda: not panel.computing, timeout=10_000)
    assert panel.note.isVisible() or panel.suggestions
    return panel.note.text() if panel.note.isVisible() else ""


def test_a_post_without_amounts_says_there_is_nothing_in_it_to_suggest(qtbot, window, tmp_path):
    """A post with no amount and no chip says so, not that everything was highlighted or dismissed;
    once a post's only suggestion is dismissed, the note says that instead."""
    calm = tmp_path / "calm.md"
    calm.write_text("---\ntitle: 散歩\n---\n\n今日の東京は晴れて暖かい。\n\n公園を歩いた。\n", encoding="utf-8")
    note = _note_after_opening(qtbot, window, calm)
    assert "no sentence of this post states an amount" in note and "dismissed" not in note
    assert window.suggested_claims.header.text().endswith("(0)")

    money = tmp_path / "money.md"
    money.write_text("---\ntitle: 投資\n---\n\nソフトバンクは1兆円を投資する。\n", encoding="utf-8")
    assert _note_after_opening(qtbot, window, money) == ""
    panel = window.suggested_claims
    panel.select(panel.suggestions[0])
    panel.dismiss_button.click()
    qtbot.waitUntil(lambda: not panel.computing and not panel.suggestions, timeout=10_000)
    assert "is highlighted or dismissed" in panel.note.text() and panel.note.isVisible()


# --- remote images -----------------------------------------------------------------------------

# A 2×3 PNG: the page's <img> reports this size only when the picture really came and was decoded.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAIAAAA2iEnWAAAAEElEQVR4nGP4z8AARAwoFABE0AX7pM/egAAAAABJRU5ErkJggg=="
)


class _Images(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def images():
    """A local HTTP server that serves a small PNG for every path and records the paths asked."""
    yield from serving(_Images)


IMAGE_SIZES = "JSON.stringify(Array.from(document.images).map((i) => [i.getAttribute('src'), i.complete, i.naturalWidth, i.naturalHeight]))"


def test_remote_images_load_when_allowed_and_only_then(qtbot, window, tmp_path, images):
    """A post's remote images (one in its first screen, one in the part appended after it) are
    not fetched, nor in the page, until the reader allows remote images for the post; then both
    come and are shown at their size. Taking the permission back leaves placeholders again."""
    import json

    paragraphs = "\n\n".join(f"段落{n}の文です。" for n in range(90))
    post = tmp_path / "photos.md"
    post.write_text(f"# 写真\n\n![工場]({images.url}/first.png)\n\n{paragraphs}\n\n![港]({images.url}/last.png)\n", encoding="utf-8")
    open_and_wait(qtbot, window, post)
    qtbot.wait(300)
    assert images.requests == [] and json.loads(run_js(qtbot, window, IMAGE_SIZES)) == []
    assert run_js(qtbot, window, "document.querySelectorAll('.kk-image').length") == 2

    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.remote_action.trigger()
    expected = [[f"{images.url}/first.png", True, 2, 3], [f"{images.url}/last.png", True, 2, 3]]
    qtbot.waitUntil(lambda: json.loads(run_js(qtbot, window, IMAGE_SIZES)) == expected, timeout=10_000)
    assert sorted(images.requests) == ["/first.png", "/last.png"]

    with qtbot.waitSignal(window.postShown, timeout=60_000):
        window.remote_action.trigger()
    assert json.loads(run_js(qtbot, window, IMAGE_SIZES)) == []
    assert not window.remote_action.isChecked()
