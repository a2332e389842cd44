"""Where a figure of the checks table comes from: as structured columns, and as the text the
`sources` column shows."""

from __future__ import annotations

import pandas as pd


def text_of(value: object) -> str:
    """A table cell as text, empty for NA (pandas' NA has no truth value)."""
    return "" if value is None or pd.isna(value) else str(value)


def where(figure) -> str:
    """"doc characters 10-16: the sentence", for the `sources` text."""
    return (f"{figure.document_id} characters {figure.char_start}-{figure.char_end}: "
            f"{figure.sentence}")


def figure_columns(figure) -> dict:
    """The structured provenance of the row's claim figure."""
    return {"document_id": figure.document_id, "char_start": figure.char_start,
            "char_end": figure.char_end}
