"""The figures table as a fact-checker reads it: each figure with the verdict the checks gave it
and its unit in words, for the grid. The CSV downloads keep the figures contract
(dashboard/schema.py); these columns are for reading."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import pandas as pd

from dashboard.charts.style import VERDICT_ORDER, unit_words

# What the grid shows first: the figure, how it stands against the data, who says it.
READING_ORDER = ("surface", "verdict", "speaker", "in_quote", "stance", "value", "units",
                 "qualifier", "quantity_kind", "counted", "date", "period", "value_low",
                 "value_high", "sentence")
NO_UNIT = "dimensionless"


@cache
def headers() -> dict[str, str]:
    """Column -> header, from headers.toml."""
    text = resources.files("dashboard").joinpath("headers.toml").read_text("utf-8")
    return tomllib.loads(text)


def header(column: str) -> str:
    return headers().get(column) or column.replace("_", " ").capitalize()


def verdicts_of(checks: pd.DataFrame | None) -> dict[str, str]:
    """Figure id -> the most telling verdict the checks gave it (what differs before what
    agrees), for figures the checks set against the data or against the article."""
    if checks is None or checks.empty or "verdict" not in checks:
        return {}
    rank = {verdict: at for at, verdict in enumerate(VERDICT_ORDER)}
    found: dict[str, str] = {}
    for figure, verdict in zip(checks["claim_figure_id"], checks["verdict"], strict=True):
        if pd.isna(figure) or pd.isna(verdict):
            continue
        if figure not in found or rank.get(verdict, 99) < rank.get(found[figure], 99):
            found[str(figure)] = str(verdict)
    return found


def reading_rows(figures: pd.DataFrame, checks: pd.DataFrame | None) -> pd.DataFrame:
    """`figures` with `verdict` and `units` (the unit in words: "people", "people per
    strike"; none for a bare number), same index and order."""
    verdicts = verdicts_of(checks)
    words = {u: ("" if u == NO_UNIT else unit_words(str(u)))
             for u in figures["unit"].dropna().unique()}
    return figures.assign(
        verdict=figures["figure_id"].map(verdicts).astype("string"),
        units=figures["unit"].map(words).astype("string"),
    )
