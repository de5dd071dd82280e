"""The claims table written out: CSV for a spreadsheet, Markdown for notes kept beside the
highlights export (each claim links to its highlight's block there)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.core.claims.table import ClaimRow, claims_table
from app.core.common.messages import Message, as_message
from app.core.library.csv_cells import csv_text
from app.core.library.export import ExportError, export_file_names, select_posts, single_file_export, write_export
from app.core.store import Store, StoreError, now

EXPORT_FORMATS = ("csv", "md")
CLAIM_CSV_COLUMNS = (
    "id", "post", "title", "date", "quote", "companies", "chips", "amount", "currency", "low", "high", "period",
    "approx", "years", "tags", "status", "status_note", "orphan",
)


def _md_cell(text: str) -> str:
    # A table cell is one line; a pipe would end it (an escaped one stays text, also inside [[links]]).
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def _claims_markdown(store: Store, rows: Sequence[ClaimRow], filters: dict) -> str:
    names = export_file_names(select_posts(store, None))
    chosen = ", ".join(f"{k} {v}" for k, v in filters.items() if v not in (None, "") and k not in ("sort", "descending"))
    lines = [
        "# Claims", "",
        f"{len(rows)} claim{'s' if len(rows) != 1 else ''}" + (f" ({chosen})" if chosen else "") + f", exported {now()[:19]}Z.",
        "",
        "| Quote | Post | Date | Companies | Chips | Amount | Years | Status | Note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        stem = names.get(r.post_id, f"post-{r.post_id}.md")[:-3]
        link = f"[[{stem}#^kk-{r.annotation_id}\\|{_md_cell(r.post_title)}]]"
        cells = [
            _md_cell(r.quote) + (" (orphan)" if r.orphan else ""), link, (r.post_date or "")[:10],
            _md_cell(", ".join(r.companies)), _md_cell(", ".join(r.chips)), _md_cell(r.amount_text),
            ", ".join(map(str, r.years)), r.status, _md_cell(r.status_note),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _claims_csv(rows: Sequence[ClaimRow]) -> str:
    return csv_text(CLAIM_CSV_COLUMNS, (
        [
            r.annotation_id, r.post_id, r.post_title, r.post_date, r.quote,
            "; ".join(r.companies), "; ".join(r.chips), r.amount_text, r.currency,
            r.low, r.high, r.period, "yes" if r.approx else "no", " ".join(map(str, r.years)), " ".join(r.tags),
            r.status, r.status_note, "yes" if r.orphan else "no",
        ]
        for r in rows
    ))


def export_claims(store: Store, target: Path, fmt: str = "csv", **filters) -> Path:
    """Write the claims table (claims_table's filters and sort) to `target`, atomically.

    CSV: CLAIM_CSV_COLUMNS, UTF-8 with a BOM (Excel reads Japanese), every cell through csv_cells.csv_cell.
    Markdown ("md"): a table with each claim's post linked to its highlight's block in the
    highlights export (`[[file#^kk-<id>|title]]`). Raises ExportError when it cannot be written.
    """
    text = claims_text(store, fmt, **filters)
    target = Path(target).expanduser()
    with single_file_export(target):
        return write_export(target, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")


def claims_text(store: Store, fmt: str = "csv", **filters) -> str:
    """The claims table as export_claims writes it (CSV without the BOM), for standard output."""
    if fmt not in EXPORT_FORMATS:
        raise ExportError(Message("export.unknown_claims_format", "Unknown format {format}: use csv or md.", format=repr(fmt)))
    try:
        rows = claims_table(store, **filters)
    except StoreError as exc:
        raise ExportError(as_message(exc)) from None
    return _claims_csv(rows) if fmt == "csv" else _claims_markdown(store, rows, filters)
