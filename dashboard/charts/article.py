"""What the charts read from an article's figures table (dashboard.schema): who published it and
when, each figure's stated number and dates, and the article's own count of strikes and deaths."""

from __future__ import annotations

import re
from typing import NamedTuple

import pandas as pd

from dashboard.charts.style import as_float, day, is_missing, month

_PERIOD = re.compile(r"P(\d+)([YMWD])")
_OFFSETS = {"Y": "years", "M": "months", "W": "weeks", "D": "days"}


def published(figures: pd.DataFrame) -> pd.Timestamp | None:
    """The article's publication date, or None when the table does not give one."""
    dates = figures["published"].dropna() if "published" in figures else []
    return pd.Timestamp(str(dates.iloc[0])) if len(dates) else None


def provenance(figures: pd.DataFrame) -> str | None:
    """The article's credit line, "Article: Al Jazeera, 18 Nov 2025"; None for an empty table."""
    if figures.empty:
        return None
    row = figures.iloc[0]
    who = row["document_id"] if is_missing(row["publisher"]) else row["publisher"]
    when = published(figures)
    return f"Article: {who}, {day(when) if when is not None else 'publication date unknown'}"


def stated(row: pd.Series) -> float | None:
    """The number a figure states: its value, else the bound its hedge gives."""
    for column in ("value", "value_low", "value_high"):
        number = as_float(row[column])
        if number is not None:
            return number
    return None


def by_id(figures: pd.DataFrame, figure_id: object) -> pd.Series | None:
    rows = figures[figures["figure_id"] == figure_id] if not is_missing(figure_id) else figures[:0]
    return rows.iloc[0] if len(rows) else None


def where(figures: pd.DataFrame, row: pd.Series, credit: str | None = None) -> str:
    """The article's credit line with the figure's span and speaker, for a `source` cell.
    A loop over many rows passes `credit` (provenance(figures)) so it is worked out once."""
    speaker = "" if is_missing(row["speaker"]) else f"; {row['speaker']}"
    quoted = ", in a quotation" if row["in_quote"] is True else ""
    return (f"{credit or provenance(figures)}, characters {row['char_start']}-{row['char_end']}"
            f" ({row['stance']}{speaker}{quoted})")


class Toll(NamedTuple):
    """The article's count of strikes and of people killed in them, from one sentence."""

    strikes: pd.Series
    deaths: pd.Series


def strike_toll(figures: pd.DataFrame) -> Toll | None:
    """The first sentence that counts both strikes and people ("21 strikes ... killing 83
    people"), or None when no sentence does."""
    content = figures[(figures["stance"] != "furniture") & (figures["quantity_kind"] == "count")]
    counts = content[content[["value", "value_low", "value_high"]].notna().any(axis=1)]
    for _, strikes in counts[counts["unit"] == "strike"].iterrows():
        people = counts[(counts["unit"] == "person") & (counts["sentence"] == strikes["sentence"])
                        & (counts["document_id"] == strikes["document_id"])]
        if len(people):
            return Toll(strikes, people.iloc[0])
    return None


class Span(NamedTuple):
    """When a figure's date lies: a day (start == end) or [start, end) for a month, year, stated
    period or interval."""

    start: pd.Timestamp
    end: pd.Timestamp
    precision: str  # day, month, year, period or interval
    label: str


def _one(date: str) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    if len(date) == 10:
        when = pd.Timestamp(date)
        return when, when, "day"
    if len(date) == 7:
        start = pd.Timestamp(date + "-01")
        return start, start + pd.DateOffset(months=1), "month"
    start = pd.Timestamp(date + "-01-01")
    return start, start + pd.DateOffset(years=1), "year"


def span(date: object, period: object = None) -> Span | None:
    """The Span of a figure's `date` cell ("2025-09-02", "2025-04", "2023", "2017/2021"); a
    figure measured over a stated period ("P12M") spans the period that ends at its date."""
    if is_missing(date) or not str(date).strip():
        return None
    text = str(date)
    if "/" in text:
        first, last = text.split("/", 1)
        start, _, _ = _one(first)
        _, end, _ = _one(last)
        return Span(start, end, "interval", f"{first}\u2013{last}")
    start, end, precision = _one(text)
    label = {"day": day(start), "month": month(text[:7]) if precision == "month" else text,
             "year": text}[precision]
    match = _PERIOD.fullmatch(str(period)) if not is_missing(period) else None
    if match and precision == "month":
        amount, code = int(match.group(1)), match.group(2)
        start = end - pd.DateOffset(**{_OFFSETS[code]: amount})
        plural = {"Y": "years", "M": "months", "W": "weeks", "D": "days"}[code]
        return Span(start, end, "period", f"{amount} {plural} to {label}")
    return Span(start, end, precision, label)


def excerpt(sentence: str, surface: str, words: int = 4) -> str:
    """A few words of `sentence` around `surface`, with ellipses where it is cut."""
    at = sentence.find(surface)
    if at < 0:
        return " ".join(sentence.split()[: 2 * words]) + "\u2026"
    before = sentence[:at].split()
    after = sentence[at + len(surface):].split()
    text = " ".join([*before[-words:], surface + ("" if not after or sentence[
        at + len(surface)].isspace() else after.pop(0)), *after[:words]])
    head = "\u2026" if len(before) > words else ""
    tail = "\u2026" if len(after) > words else ""
    return f"{head}{text.strip()}{tail}"
