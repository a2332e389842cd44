"""The one way this project writes CSV: formula cells neutralised, numbers left numeric.

Rows end in CRLF as RFC 4180 says; that also makes Python's csv module quote a text cell that
holds a carriage return (before Python 3.13 it quotes only the characters of the line ending),
so such a cell reads back as one cell.

A spreadsheet runs a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
as a formula (OWASP "CSV injection"). Such cells get a leading apostrophe, which spreadsheets
show as text; numeric columns are never touched, so 73960 stays a number. Every text cell is
quoted, so a spreadsheet set to another separator (`;` in much of Europe) keeps
`Payment;=1+1` as one cell; a reader that ignores the quotes would still split it there, so a
formula start right after a separator (`,`, `;`, a tab) gets its apostrophe too.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula start right after a separator a spreadsheet may split on.
_AFTER_SEPARATOR = re.compile(r"([,;\t])([=+\-@])")


def neutralise(value: object) -> object:
    """`value` made safe for a spreadsheet cell if it is text that holds a formula start at its
    beginning or right after a separator."""
    if not isinstance(value, str):
        return value
    value = _AFTER_SEPARATOR.sub(r"\1'\2", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Missing(float):
    """A missing cell: a number to the csv module, so never quoted, and written as nothing
    (quoted, it would be an empty text in a numeric column)."""

    def __str__(self) -> str:
        return ""


_MISSING = _Missing("nan")


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells cannot run as formulas."""
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            safe[column] = series.map(neutralise, na_action="ignore")
    return safe


def to_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str | None:
    """Write `frame` as UTF-8 CSV to `path`, or return the text when `path` is None."""
    buffer = io.StringIO()
    # The header is the table's own column names, quoted only where CSV needs it.
    csv.writer(buffer, lineterminator="\r\n").writerow([str(c) for c in frame.columns])
    cells = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    cells.writerows([_MISSING if _is_missing(v) else v for v in row]
                    for row in safe_frame(frame).itertuples(index=False, name=None))
    if path is None:
        return buffer.getvalue()
    Path(path).write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return None
