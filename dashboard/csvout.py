"""The one way this project writes CSV: formula cells neutralised, numbers left numeric.

Rows end in CRLF as RFC 4180 says; that also makes Python's csv module quote a text cell that
holds a carriage return (before Python 3.13 it quotes only the characters of the line ending),
so such a cell reads back as one cell.

A spreadsheet runs a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
as a formula (OWASP "CSV injection"). Such cells get a leading apostrophe, which spreadsheets
show as text; numeric columns are never touched, so 73960 stays a number.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """`value` made safe for a spreadsheet cell if it is text that starts like a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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
    safe = safe_frame(frame)
    if path is None:
        buffer = io.StringIO()
        safe.to_csv(buffer, index=False, lineterminator="\r\n")
        return buffer.getvalue()
    safe.to_csv(path, index=False, lineterminator="\r\n", encoding="utf-8")
    return None
