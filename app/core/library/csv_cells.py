"""The one writer of CSV cells: every cell of every CSV export goes through `csv_cell`.

A cell whose text starts like a formula (=, +, -, @, a tab or a carriage return, their full-width
forms, or any of these after leading spaces) would run in Excel or LibreOffice: a hostile post,
tag or imported timestamp can plant one. A leading apostrophe makes the spreadsheet show it as
text. Numbers stay numbers; None is an empty cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")


def csv_cell(value: object) -> object:
    """`value` safe for a spreadsheet: text that starts like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    text = value if isinstance(value, str) else str(value)
    if text[:1] in _FORMULA_STARTS or text.lstrip(" ")[:1] in _FORMULA_STARTS:
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV document (header, then rows), every cell through csv_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(name) for name in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


__all__ = ["csv_cell", "csv_text"]
