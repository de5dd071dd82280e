"""Tests for app.core.claims.table: claims kept with their highlights, the claims table, suggestions, export."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from app.core.claims import suggestions as claim_suggestions
from app.core.claims import table as claims_store
from app.core.claims.table import CLAIM_TAGS, STATUSES, ClaimRow, claims_table
from app.core.library import actions as library
from app.core.library import claims_export
from app.core.library.derived import open_library
from app.core.library.export import ExportError
from app.core.library.webanno import export_json, import_json
from app.core.store import Store, StoreError

INVEST = """---
title: AI投資の年
date: 2024-11-02
---

Metaは2025年に660億–720億ドルを投じる。

地元では期待の声が多い。

ソフトバンクは約1.5兆円を投資すると発表した。

NVIDIAのH100を千台買うという。
"""

CHIPS = """---
title: Chips and money
date: 2023-03-01
---

TSMC will spend $5 billion per year on new fabs in 2026.

Microsoft plans to invest 800億ドル.

It rained all week.
"""


@pytest.fixture
def store(tmp_path: Path):
    with open_library(tmp_path / "lib.sqlite3") as opened:
        yield opened


def add(store: Store, tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = library.import_paths(store, [path])
    assert not report.errors
    return store.post(str(path.resolve()))


def highlight(store: Store, post, quote: str, *tags: str):
    return library.annotate_quote(store, post, quote, tags=tags)


def only(rows: list[ClaimRow]) -> ClaimRow:
    [row] = rows
    return row


# --- rows for claim-tagged highlights -----------------------------------------------------------


def test_a_claim_tagged_highlight_gets_a_row_with_its_figures(store, tmp_path):
    """A highlight tagged investment keeps its amount (USD 66e9–72e9), year 2025 and company Meta."""
    post = add(store, tmp_path, "invest.md", INVEST)
    made = highlight(store, post, "Metaは2025年に660億–720億ドルを投じる", "investment")
    row = only(claims_table(store))
    assert (row.annotation_id, row.post_id, row.post_title, row.post_date) == (made.id, post.id, "AI投資の年", "2024-11-02")
    assert (row.currency, row.low, row.high, row.period, row.approx) == ("USD", 66_000_000_000, 72_000_000_000, None, False)
    assert isinstance(row.low, int) and row.years == (2025,) and row.companies == ("Meta",) and row.chips == ()
    assert row.quote == made.exact and row.start == made.start and row.tags == ("investment",)
    assert row.status == "unverified" and row.status_note == "" and row.orphan is False
    assert [a.text for a in row.amounts] == ["660億–720億ドル"]
    assert row.amount_text == "660億–720億 USD"
    assert row.to_json()["low"] == 66_000_000_000 and row.to_json()["amount_text"] == "660億–720億 USD"


def test_untagged_and_other_tags_are_not_claims(store, tmp_path):
    """Only chip, investment and claim make a claim; a claim without an amount still has a row."""
    post = add(store, tmp_path, "invest.md", INVEST)
    highlight(store, post, "地元では期待の声が多い。", "question")
    highlight(store, post, "ソフトバンクは約1.5兆円を投資すると発表した。")
    chip = highlight(store, post, "NVIDIAのH100を千台買うという。", "chip")
    row = only(claims_table(store))
    assert row.annotation_id == chip.id and row.currency is None and row.amount_text == ""
    assert (row.companies, row.chips) == (("NVIDIA",), ("H100",))
    assert CLAIM_TAGS == {"chip", "investment", "claim"}


def test_amount_text_reads_in_japanese_units():
    """amount_text writes 兆/億/万 exactly, with 約, open bounds and the period."""
    describe = claims_store.format_amount
    assert describe(1_500_000_000_000, 1_500_000_000_000, "JPY", approx=True) == "約1.5兆 JPY"
    assert describe(30_000_000_000, None, "JPY") == "≥ 300億 JPY"
    assert describe(None, 5_000, "USD") == "≤ 5,000 USD"
    assert describe(20_000_000_000, 20_000_000_000, "USD", "year") == "200億 USD/year"
    assert describe(123_456_789, 123_456_789, "JPY") == "1億2345万6789 JPY"


def test_removing_the_claim_tag_removes_the_row_and_keeps_the_status(store, tmp_path):
    """Tags edited away: the row goes; tagged again: it comes back with its status and note."""
    post = add(store, tmp_path, "invest.md", INVEST)
    made = highlight(store, post, "ソフトバンクは約1.5兆円を投資すると発表した。", "claim")
    claims_store.set_claim_status(store, made.id, "disputed", "IR資料と違う")
    library.update_annotation(store, made.id, tags=["question"])
    assert claims_table(store) == []
    library.update_annotation(store, made.id, tags=["question", "investment"])
    row = only(claims_table(store))
    assert (row.status, row.status_note, row.tags) == ("disputed", "IR資料と違う", ("investment", "question"))


def test_delete_and_restore_keep_the_status(store, tmp_path):
    """A deleted claim leaves the table; restored (undo), it is back with its status."""
    post = add(store, tmp_path, "invest.md", INVEST)
    made = highlight(store, post, "ソフトバンクは約1.5兆円を投資すると発表した。", "claim")
    claims_store.set_claim_status(store, made.id, "confirmed", "決算短信で確認")
    library.delete_annotation(store, made.id)
    assert claims_table(store) == []
    library.restore_annotation(store, made.id)
    assert (only(claims_table(store)).status, only(claims_table(store)).status_note) == ("confirmed", "決算短信で確認")


def test_a_changed_post_updates_quote_and_figures(store, tmp_path):
    """Re-anchoring after an edit of the post updates the claim's quote, position and amount."""
    post = add(store, tmp_path, "invest.md", INVEST)
    made = highlight(store, post, "ソフトバンクは約1.5兆円を投資すると発表した。", "claim")
    claims_store.set_claim_status(store, made.id, "outdated")
    edited = INVEST.replace("地元では期待の声が多い。", "前置きが長くなった。地元では期待の声が多い。").replace("約1.5兆円", "約2兆円")
    (tmp_path / "invest.md").write_text(edited, encoding="utf-8")
    library.import_paths(store, [tmp_path / "invest.md"])
    row = only(claims_table(store))
    assert row.quote == "ソフトバンクは約2兆円を投資すると発表した。"
    assert (row.low, row.high, row.approx, row.status) == (2_000_000_000_000, 2_000_000_000_000, True, "outdated")
    text = store.post(post.id).text
    assert text[row.start : row.start + len(row.quote)] == row.quote and row.start > made.start


def test_a_highlight_orphaned_by_an_edit_stays_a_claim_flagged(store, tmp_path):
    """A claim whose text is gone is still listed, as an orphan."""
    post = add(store, tmp_path, "invest.md", INVEST)
    highlight(store, post, "NVIDIAのH100を千台買うという。", "chip")
    (tmp_path / "invest.md").write_text(INVEST.replace("NVIDIAのH100を千台買うという。", "全く別の話になった。"), encoding="utf-8")
    library.import_paths(store, [tmp_path / "invest.md"])
    assert only(claims_table(store)).orphan is True


def test_reattach_refreshes_the_claim(store, tmp_path):
    """Re-attaching a highlight to another sentence gives its claim that sentence's figures."""
    post = add(store, tmp_path, "invest.md", INVEST)
    made = highlight(store, post, "NVIDIAのH100を千台買うという。", "chip")
    start, end = library.find_quote(post.text, "ソフトバンクは約1.5兆円を投資すると発表した。")
    library.reattach(store, made.id, start, end)
    assert only(claims_table(store)).currency == "JPY"


def test_imported_web_annotations_become_claims(store, tmp_path):
    """Highlights merged from a Web Annotation file get their claims rows."""
    post = add(store, tmp_path, "invest.md", INVEST)
    highlight(store, post, "Metaは2025年に660億–720億ドルを投じる", "investment")
    backup = export_json(store, tmp_path / "backup.json")
    with open_library(tmp_path / "other.sqlite3") as other:
        summary = import_json(other, backup)
        assert len(summary.added) == 1
        assert only(claims_table(other)).companies == ("Meta",)


def test_refresh_claims_rebuilds_everything(store, tmp_path):
    """refresh_claims(store) with no ids rebuilds every row from the highlights."""
    post = add(store, tmp_path, "invest.md", INVEST)
    highlight(store, post, "Metaは2025年に660億–720億ドルを投じる", "investment")
    highlight(store, post, "NVIDIAのH100を千台買うという。", "chip")
    store.db.execute("DELETE FROM claim_terms")
    store.db.execute("DELETE FROM claims")
    assert claims_store.refresh_claims(store) == 2
    assert len(claims_table(store)) == 2 and len(claims_table(store, company="Meta")) == 1


# --- the table: sorting and filtering ------------------------------------------------------------


@pytest.fixture
def table(store, tmp_path):
    """Two posts, five claims (one without an amount), one plain highlight."""
    invest = add(store, tmp_path, "invest.md", INVEST)
    chips = add(store, tmp_path, "chips.md", CHIPS)
    ids = {
        "meta": highlight(store, invest, "Metaは2025年に660億–720億ドルを投じる", "investment").id,
        "softbank": highlight(store, invest, "ソフトバンクは約1.5兆円を投資すると発表した。", "claim", "要確認").id,
        "h100": highlight(store, invest, "NVIDIAのH100を千台買うという。", "chip").id,
        "tsmc": highlight(store, chips, "TSMC will spend $5 billion per year on new fabs in 2026.", "investment").id,
        "msft": highlight(store, chips, "Microsoft plans to invest 800億ドル.", "claim").id,
    }
    highlight(store, chips, "It rained all week.", "question")
    return store, ids, invest, chips


def ids_of(rows, ids) -> list[str]:
    names = {v: k for k, v in ids.items()}
    return [names[r.annotation_id] for r in rows]


def test_sort_by_amount_within_currency(table):
    """Amounts sort within their currency (JPY before USD), claims without an amount last."""
    store, ids, *_ = table
    assert ids_of(claims_table(store), ids) == ["softbank", "tsmc", "meta", "msft", "h100"]
    assert ids_of(claims_table(store, descending=True), ids) == ["softbank", "msft", "meta", "tsmc", "h100"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("date", ["tsmc", "msft", "meta", "softbank", "h100"]),
        ("post", ["meta", "softbank", "h100", "tsmc", "msft"]),
        ("quote", ["meta", "msft", "h100", "tsmc", "softbank"]),
        ("position", ["meta", "softbank", "h100", "tsmc", "msft"]),
    ],
)
def test_other_sorts(table, sort, expected):
    """Sorting by post date, post title, quote text and position in the posts."""
    store, ids, *_ = table
    assert ids_of(claims_table(store, sort=sort), ids) == expected


def test_sort_by_status(table):
    """Status sorts in the order of STATUSES, then by amount."""
    store, ids, *_ = table
    claims_store.set_claim_status(store, ids["h100"], "confirmed")
    claims_store.set_claim_status(store, ids["meta"], "outdated")
    assert ids_of(claims_table(store, sort="status"), ids) == ["softbank", "tsmc", "msft", "h100", "meta"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"company": "Meta"}, ["meta"]),
        ({"company": "NVIDIA"}, ["h100"]),
        ({"chip": "H100"}, ["h100"]),
        ({"tag": "要確認"}, ["softbank"]),
        ({"tag": "investment"}, ["tsmc", "meta"]),
        ({"year": 2025}, ["meta"]),
        ({"year": "2026"}, ["tsmc"]),
        ({"year": 2023}, ["tsmc", "msft"]),  # the post's year
        ({"currency": "JPY"}, ["softbank"]),
        ({"status": "disputed"}, ["msft"]),
        ({"status": "unverified", "currency": "USD"}, ["tsmc", "meta"]),
        ({"post_id": "chips"}, ["tsmc", "msft"]),
        ({"company": "Meta", "year": 2026}, []),
    ],
)
def test_every_filter(table, filters, expected):
    """Company, chip, tag, year (stated or the post's), currency, status and post filter the table, and combine."""
    store, ids, invest, chips = table
    claims_store.set_claim_status(store, ids["msft"], "disputed")
    if filters.get("post_id") == "chips":
        filters = {**filters, "post_id": chips.id}
    assert ids_of(claims_table(store, **filters), ids) == expected


def test_facets_list_what_the_filters_can_choose(table):
    """claim_facets gives each company, chip, tag, year, currency and status with its count."""
    store, *_ = table
    facets = claims_store.claim_facets(store)
    assert ["Meta", 1] in facets["company"] and ["H100", 1] in facets["chip"]
    assert [c for c, _n in facets["currency"]] == ["JPY", "USD"]
    assert facets["status"][0] == ["unverified", 5]


def test_unknown_sort_or_status_filter_is_a_store_error(table):
    """A sort key or status the table does not know is a one-sentence StoreError."""
    store, *_ = table
    with pytest.raises(StoreError, match="Unknown sort"):
        claims_table(store, sort="size")
    with pytest.raises(StoreError, match="Unknown status"):
        claims_table(store, status="true")


def test_rows_follow_changes_after_being_listed(table):
    """A listed row is rebuilt after a change to its status, tags or post (no stale rows)."""
    store, ids, invest, _chips = table
    assert only(claims_table(store, company="Meta")).status == "unverified"
    claims_store.set_claim_status(store, ids["meta"], "confirmed", "OK")
    assert (only(claims_table(store, company="Meta")).status, only(claims_table(store, company="Meta")).status_note) == ("confirmed", "OK")
    library.update_annotation(store, ids["meta"], tags=["investment", "AI"])
    assert only(claims_table(store, company="Meta")).tags == ("AI", "investment")


# --- status ------------------------------------------------------------------------------------


def test_set_claim_status_validates(table):
    """Status must be one of STATUSES and the id a claim; a note is kept when None is passed."""
    store, ids, *_ = table
    row = claims_store.set_claim_status(store, ids["meta"], "confirmed", "10-Kで確認")
    assert (row.status, row.status_note) == ("confirmed", "10-Kで確認")
    assert claims_store.set_claim_status(store, ids["meta"], "disputed").status_note == "10-Kで確認"
    with pytest.raises(StoreError, match="Unknown status 'wrong'") as caught:
        claims_store.set_claim_status(store, ids["meta"], "wrong")
    assert all(s in str(caught.value) for s in STATUSES)
    with pytest.raises(StoreError, match="No claim"):
        claims_store.set_claim_status(store, "no-such-id", "confirmed")


def test_status_cannot_be_set_on_a_highlight_that_is_not_a_claim(table):
    """A plain highlight has no claim to give a status to."""
    store, *_ = table
    plain = next(a for a in store.annotations() if a.tags == ("question",))
    with pytest.raises(StoreError, match="No claim"):
        claims_store.set_claim_status(store, plain.id, "confirmed")


# --- suggestions -------------------------------------------------------------------------------


def test_suggestions_leave_out_highlighted_sentences(store, tmp_path):
    """A sentence under a live highlight is not suggested; deleting the highlight offers it again."""
    post = add(store, tmp_path, "invest.md", INVEST)
    before = [s.sentence for s in claim_suggestions.suggestions_for(store, post.id)]
    assert before == ["Metaは2025年に660億–720億ドルを投じる。", "ソフトバンクは約1.5兆円を投資すると発表した。", "NVIDIAのH100を千台買うという。"]
    made = highlight(store, post, "660億–720億ドル", "note")
    assert [s.sentence for s in claim_suggestions.suggestions_for(store, post.id)] == before[1:]
    library.delete_annotation(store, made.id)
    assert [s.sentence for s in claim_suggestions.suggestions_for(store, post.id)] == before


def test_dismissed_suggestions_stay_dismissed_after_an_edit(store, tmp_path):
    """A dismissal is remembered, and survives a re-import of an edited post that keeps the sentence."""
    post = add(store, tmp_path, "invest.md", INVEST)
    first = claim_suggestions.suggestions_for(store, post.id)[0]
    claim_suggestions.dismiss_suggestion(store, post.id, first)
    assert first.sentence not in [s.sentence for s in claim_suggestions.suggestions_for(store, post.id)]
    (tmp_path / "invest.md").write_text(INVEST.replace("---\n\n", "---\n\n# 新しい見出し\n\n", 1), encoding="utf-8")
    library.import_paths(store, [tmp_path / "invest.md"])
    after = claim_suggestions.suggestions_for(store, post.id)
    assert len(after) == 2 and first.sentence not in [s.sentence for s in after]
    assert claim_suggestions.dismissed_suggestions(store, post.id)[0]["sentence"] == first.sentence
    claim_suggestions.undismiss_suggestion(store, post.id, first)
    assert first.sentence in [s.sentence for s in claim_suggestions.suggestions_for(store, post.id)]


def test_dismissing_one_copy_of_a_repeated_sentence_keeps_the_other(store, tmp_path):
    """Two copies of one sentence: the offsets tell which one was dismissed."""
    text = "# 再掲\n\n投資額は三百億円だ。\n\n間の文。\n\n投資額は三百億円だ。\n"
    post = add(store, tmp_path, "twice.md", text)
    first, second = claim_suggestions.suggestions_for(store, post.id)
    claim_suggestions.dismiss_suggestion(store, post.id, second)
    assert [s.start for s in claim_suggestions.suggestions_for(store, post.id)] == [first.start]


def test_accept_makes_a_tagged_highlight_and_a_claim(store, tmp_path):
    """Accepting highlights the sentence tagged claim (+ investment, chip, company as found) with its claim row."""
    post = add(store, tmp_path, "invest.md", INVEST)
    meta, _softbank, h100 = claim_suggestions.suggestions_for(store, post.id)
    made = library.accept_suggestion(store, post.id, meta)
    assert set(made.tags) == {"claim", "investment", "company"} and made.exact == meta.sentence
    assert (made.start, made.end) == (meta.start, meta.end)
    chip = library.accept_suggestion(store, post.id, h100)
    assert set(chip.tags) == {"claim", "chip", "company"}
    assert {r.annotation_id for r in claims_table(store)} == {made.id, chip.id}
    assert [s.sentence for s in claim_suggestions.suggestions_for(store, post.id)] == ["ソフトバンクは約1.5兆円を投資すると発表した。"]


def test_accept_finds_a_sentence_that_moved_and_refuses_one_that_is_gone(store, tmp_path):
    """An accepted suggestion whose offsets are stale is placed on its sentence; a vanished one is a StoreError."""
    post = add(store, tmp_path, "invest.md", INVEST)
    _meta, softbank, h100 = claim_suggestions.suggestions_for(store, post.id)
    (tmp_path / "invest.md").write_text(
        INVEST.replace("---\n\n", "---\n\n前置き。\n\n", 1).replace("NVIDIAのH100を千台買うという。", "消えた。"), encoding="utf-8"
    )
    library.import_paths(store, [tmp_path / "invest.md"])
    made = library.accept_suggestion(store, post.id, softbank)
    assert made.exact == softbank.sentence and made.start != softbank.start
    with pytest.raises(StoreError, match="no longer in the post"):
        library.accept_suggestion(store, post.id, h100)


# --- export ------------------------------------------------------------------------------------


def test_export_csv(table, tmp_path):
    """CSV: a header, a row per claim in the table's order and filters, formula-like cells made text."""
    store, ids, *_ = table
    claims_store.set_claim_status(store, ids["meta"], "confirmed", "=HYPERLINK(\"x\")")
    path = claims_export.export_claims(store, tmp_path / "claims.csv", "csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == [ids[k] for k in ("softbank", "tsmc", "meta", "msft", "h100")]
    meta = rows[2]
    assert (meta["currency"], meta["low"], meta["high"], meta["companies"], meta["years"]) == ("USD", "66000000000", "72000000000", "Meta", "2025")
    assert meta["amount"] == "660億–720億 USD" and meta["status"] == "confirmed" and meta["status_note"].startswith("'=")
    assert list(rows[0]) == list(claims_export.CLAIM_CSV_COLUMNS)
    filtered = claims_export.export_claims(store, tmp_path / "jpy.csv", "csv", currency="JPY")
    assert len(list(csv.DictReader(io.StringIO(filtered.read_text(encoding="utf-8-sig"))))) == 1


def test_export_markdown(table, tmp_path):
    """Markdown: a table whose rows link each claim's post to its highlight's block (^kk-<id>)."""
    store, ids, *_ = table
    path = claims_export.export_claims(store, tmp_path / "claims.md", "md", company="Meta")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Claims\n")
    assert "| Quote | Post | Date | Companies | Chips | Amount | Years | Status | Note |" in text
    [line] = [l for l in text.splitlines() if ids["meta"] in l]
    assert f"[[invest#^kk-{ids['meta']}\\|AI投資の年]]" in line
    assert "660億–720億 USD" in line and "| 2024-11-02 |" in line and "company Meta" in text


def test_export_markdown_escapes_pipes(store, tmp_path):
    """A quote with a pipe and a line break stays in its cell."""
    post = add(store, tmp_path, "pipe.md", "# A|B\n\n| 会社 | 額 |\n| --- | --- |\n| Meta | 100億ドル |\n")
    highlight(store, post, post.text[post.text.index("Meta") :].strip(), "claim")
    text = claims_export.export_claims(store, tmp_path / "c.md", "md").read_text(encoding="utf-8")
    row = text.splitlines()[-1]
    assert row.count(" | ") == 8 and "\\|" in row


def test_export_is_atomic(table, tmp_path, monkeypatch):
    """A failed write leaves the old file whole and no temporary file; a bad format is an ExportError."""
    store, *_ = table
    target = tmp_path / "claims.csv"
    target.write_text("old", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.core.library.export.write_atomic", refuse)
    with pytest.raises(ExportError, match="Could not write"):
        claims_export.export_claims(store, target, "csv")
    assert target.read_text(encoding="utf-8") == "old" and sorted(p.name for p in tmp_path.iterdir()) == before
    with pytest.raises(ExportError, match="Unknown format"):
        claims_export.export_claims(store, target, "xlsx")


# --- the schema --------------------------------------------------------------------------------


# (schema 5 made the claims table: libraries from before it have their tags turned into claims)
@pytest.mark.parametrize("version", range(1, 5))
def test_migration_5_makes_claims_of_an_older_librarys_tags(tmp_path, version):
    """From every earlier schema, a highlight already tagged investment becomes a claim, unverified."""
    from tests.core.test_store import build_old_library

    path = tmp_path / "old.sqlite3"
    build_old_library(path, version)
    with open_library(path) as migrated:
        row = only(claims_table(migrated))
        assert (row.annotation_id, row.quote, row.status, row.years) == ("live-1", "新しい工場の建設", "unverified", ())
        assert claims_table(migrated, year=2024)[0].annotation_id == "live-1"  # the post's year
        # Deleted and untagged highlights are not claims.
        assert migrated.db.execute("SELECT count(*) FROM claims").fetchone()[0] == 1


def test_status_is_checked_by_the_database(store, tmp_path):
    """The status column refuses a value outside STATUSES, whoever writes it."""
    post = add(store, tmp_path, "invest.md", INVEST)
    made = highlight(store, post, "Metaは2025年に660億–720億ドルを投じる", "investment")
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("UPDATE claim_status SET status = 'maybe' WHERE annotation_id = ?", [made.id])


def test_rows_follow_changes_made_within_one_clock_tick(table, monkeypatch):
    """Two writes with the same timestamp (a coarse clock) still show in the table."""
    store, ids, *_ = table
    monkeypatch.setattr(claims_store, "now", lambda: "2026-01-01T00:00:00.000000Z")
    claims_table(store)
    claims_store.set_claim_status(store, ids["meta"], "confirmed")
    assert only(claims_table(store, company="Meta")).status == "confirmed"
    claims_store.set_claim_status(store, ids["meta"], "disputed")
    assert only(claims_table(store, company="Meta")).status == "disputed"


def test_rows_follow_changes_from_another_connection(table):
    """A status set through another connection to the same file shows in the table."""
    store, ids, *_ = table
    claims_table(store)
    with open_library(store.path) as other:
        claims_store.set_claim_status(other, ids["tsmc"], "outdated", "古い")
    assert only(claims_table(store, status="outdated")).status_note == "古い"
    assert [r.status for r in claims_table(store) if r.annotation_id == ids["tsmc"]] == ["outdated"]


def test_sorts_stay_right_after_status_changes_to_listed_rows(table):
    """Status and amount sorts are right after statuses change on a table already listed."""
    store, ids, *_ = table
    assert ids_of(claims_table(store, sort="status"), ids) == ["softbank", "tsmc", "meta", "msft", "h100"]
    claims_store.set_claim_status(store, ids["h100"], "confirmed")
    claims_store.set_claim_status(store, ids["meta"], "outdated")
    assert ids_of(claims_table(store, sort="status"), ids) == ["softbank", "tsmc", "msft", "h100", "meta"]
    assert ids_of(claims_table(store, sort="status", descending=True), ids) == ["meta", "h100", "softbank", "msft", "tsmc"]
    assert ids_of(claims_table(store), ids) == ["softbank", "tsmc", "meta", "msft", "h100"]
