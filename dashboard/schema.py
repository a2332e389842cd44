"""The figures table contract: its columns declared once, built and validated here.

A small declarative schema rather than pandera: pandera's validation alone took about 3 ms on
a five-column, 30-row table on this machine, most of the 10 ms budget for extracting an article,
while these vectorised checks take a fraction of a millisecond and say which row and column fail.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.arrays import ArrowStringArray, BooleanArray, FloatingArray, IntegerArray

from dashboard.units import parses

QUALIFIERS = (
    "exact", "at least", "more than", "up to", "fewer than", "nearly", "about", "range", "vague",
)
KINDS = (
    "count", "rate", "percent", "money", "duration", "age", "measure", "ratio", "fraction",
    "number", "date", "year", "time", "ordinal", "vague",
)
STANCES = ("claim", "data", "reported", "furniture")
CHECK_KINDS = ("finding", "verification", "consistency", "suggestion")
VERDICTS = ("matches", "consistent", "differs", "transposition", "unverifiable")
CHART_ROLES = ("claim", "data", "article")

# ISO date, month or year, or an interval of two of them ("2017/2021").
_ISO = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
ISO_DATE = re.compile(rf"{_ISO}(?:/{_ISO})?")
ISO_DURATION = re.compile(r"P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?")
# Publication dates the tables accept: relative dates ("next year", "last decade") resolve within
# ISO's four-digit years, and an article dated outside them is a typing slip.
PUBLISHED_YEARS = range(1900, 2101)


def published_problem(published: object) -> str | None:
    """Why a publication date cannot be used, or None when it can (or is not given)."""
    year = getattr(published, "year", None)
    if year is None or year in PUBLISHED_YEARS:
        return None
    return (f"published date {published.isoformat()} is outside the years "
            f"{PUBLISHED_YEARS[0]}-{PUBLISHED_YEARS[-1]} this tool reads articles from")


def document_id_for(text: str) -> str:
    """A stable id for text that has no name: `doc-` and 12 hex digits of its SHA-256."""
    return "doc-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


class SchemaError(ValueError):
    """A table breaks its contract; the message names the column and the first bad rows."""


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    description: str
    required: bool = False
    allowed: tuple[str, ...] | None = None
    pattern: re.Pattern[str] | None = None


FIGURE_COLUMNS: tuple[Column, ...] = (
    Column("figure_id", "string", "document_id:char_start, unique in the table", required=True),
    Column("document_id", "string", "which document", required=True),
    Column("surface", "string", "the figure as written", required=True),
    Column("char_start", "Int64", "start of the span in the document text", required=True),
    Column("char_end", "Int64", "end of the span (exclusive)", required=True),
    Column("sentence", "string", "the sentence that holds the figure", required=True),
    Column("value", "Float64", "the stated number, magnitude applied"),
    Column("value_low", "Float64", "lower bound (range end or hedge)"),
    Column("value_high", "Float64", "upper bound (range end or hedge)"),
    Column("qualifier", "string", "exact, at least, about, range ...", True, QUALIFIERS),
    Column("unit", "string", "a unit expression of the project's pint registry"),
    Column("quantity_kind", "string", "count, rate, percent, money, date ...", True, KINDS),
    Column("counted", "string", "what is counted, as written"),
    Column("date", "string", "ISO date, month, year or interval", pattern=ISO_DATE),
    Column("period", "string", "ISO 8601 duration of a stated period", pattern=ISO_DURATION),
    Column("rate_base", "Float64", "the stated denominator of a rate"),
    Column("speaker", "string", "who asserts the figure"),
    Column("in_quote", "boolean", "inside a direct quotation", required=True),
    Column("stance", "string", "claim, data, reported or furniture", True, STANCES),
    Column("publisher", "string", "publisher of the document"),
    Column("published", "string", "publication date of the document", pattern=ISO_DATE),
)
FIGURE_COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in FIGURE_COLUMNS)


# The checks table: one row per step of a check (dashboard/checks). The first sixteen columns
# are the working; the verdict columns say how a figure stands against a source; the next six
# are the structured provenance that the text columns `data_source` and `sources` format; the
# `chart_*` columns say how the claim chart draws a curated check (its `chart` tables in
# data/checks.toml, filled with the check's numbers), so that the chart reads them from here.
CHECK_COLUMNS: tuple[Column, ...] = (
    Column("check_id", "string", "which check: curated id, verify:<figure>, consistency:...",
           required=True),
    Column("step", "string", "the step of the check, or the series a figure was set against",
           required=True),
    Column("kind", "string", "finding, verification, consistency or suggestion", True,
           CHECK_KINDS),
    Column("status", "string", "computed, compared, suggested ..."),
    Column("title", "string", "what the check sets against what"),
    Column("claim_figure_id", "string", "the article's figure the step is about"),
    Column("claim_text", "string", "the sentence of that figure"),
    Column("data_value", "Float64", "the value it is set against"),
    Column("data_unit", "string", "the unit of data_value"),
    Column("data_source", "string", "where data_value comes from, as text"),
    Column("expression", "string", "the working with every quantity filled in"),
    Column("result", "Float64", "the step's result"),
    Column("unit", "string", "the unit of result"),
    Column("finding", "string", "the result in a sentence"),
    Column("assumptions", "string", "every assumption the step rests on, ' | '-separated"),
    Column("sources", "string", "every source of the step, as text, ' | '-separated"),
    Column("verdict", "string", "matches, consistent, differs, transposition, unverifiable",
           allowed=VERDICTS),
    Column("verdict_note", "string", "which estimate agreed, the signed difference, revisions"),
    Column("reference_value", "Float64", "the reference value the verdict compares with"),
    Column("reference_period", "string", "the reference period (2025-04: 12 months ending)"),
    Column("reference_release", "string", "the release (vintage) of the reference data"),
    Column("reference_place", "string", "the place of the reference value (United States)"),
    Column("tolerance", "string", "what the written precision or the hedge allows"),
    Column("document_id", "string", "the document of the claim figure"),
    Column("char_start", "Int64", "the claim figure's span in the document text"),
    Column("char_end", "Int64", "end of that span (exclusive)"),
    Column("dataset", "string", "the reference dataset (data/reference/<dataset>)"),
    Column("series", "string", "the series of the dataset"),
    Column("source_url", "string", "the URL of the reference data"),
    Column("chart_role", "string", "the claim chart's bar for the step: claim (what the claim "
           "implies), data (reference data) or article (the article's own figure)",
           allowed=CHART_ROLES),
    Column("chart_item", "string", "the name of the number the bar shows (an input or a step)"),
    Column("chart_label", "string", "the bar's label, filled with the check's numbers"),
    Column("chart_value", "Float64", "the number the bar shows"),
    Column("chart_unit", "string", "the unit of chart_value"),
    Column("chart_times", "Float64", "how many times chart_times_of the bar's number is"),
    Column("chart_note", "string", "a caveat the chart writes among its notes for the bar"),
    Column("chart_finding", "string", "when the step's finding is the one the chart writes: "
           "what its result counts, in words"),
    Column("chart_title", "string", "the chart's title for the check (its finding), filled"),
    Column("chart_subtitle", "string", "what the chart measures, filled (the unit is added)"),
    Column("chart_axis", "string", "what the value axis counts, after its unit in words"),
    Column("chart_times_of", "string", "what chart_times counts in: 'a year of deaths'"),
)
CHECK_COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in CHECK_COLUMNS)


def _frame(rows: Iterable[Mapping[str, object]], columns: tuple[Column, ...]) -> pd.DataFrame:
    rows = list(rows)
    return _frame_of_columns({c.name: [row.get(c.name) for row in rows] for c in columns},
                             columns)


def _frame_of_columns(values: Mapping[str, list], columns: tuple[Column, ...]) -> pd.DataFrame:
    # The arrays are new, held by nobody else, of one length and of their final dtypes, so
    # DataFrame's checks and copies are skipped: through pd.DataFrame(dict) they cost more than
    # building the arrays. A fresh Index each call, as the constructor gives: a caller may set
    # the name of its table's columns.
    arrays = [_array(values[c.name], c.dtype) for c in columns]
    length = len(arrays[0]) if arrays else 0
    if any(len(array) != length for array in arrays):  # pd.DataFrame says which
        return pd.DataFrame(dict(zip(_names(columns), arrays, strict=True)), copy=False)
    return pd.DataFrame._from_arrays(arrays, columns=_names(columns).copy(),
                                     index=pd.RangeIndex(length), verify_integrity=False)


_INDEXES: dict[tuple[Column, ...], pd.Index] = {}


def _names(columns: tuple[Column, ...]) -> pd.Index:
    index = _INDEXES.get(columns)
    if index is None:  # building an Index from a list cost 45 us, a copy of one 5 us
        index = _INDEXES[columns] = pd.Index([c.name for c in columns])
    return index


_DTYPES: dict[str, object] = {}
_NO_MISSING = np.zeros(0, dtype=bool)
_LARGE_STRING = pa.large_string()


def _array(values: list, dtype: str):
    """pd.array(values, dtype=dtype). Columns of plain floats (or None), ints or bools are
    built from NumPy arrays and a mask, and columns of str (or None) for pyarrow-backed
    strings from a pyarrow array, a fraction of pd.array's per-call cost on the short columns
    of an article; any other values go through pd.array, which converts or refuses them."""
    kinds = set(map(type, values))
    if dtype == "Float64" and kinds <= {float, type(None)}:
        data = np.array(values, dtype=float)  # None -> NaN, and NaN is missing, as in pd.array
        return FloatingArray(data, np.isnan(data))
    if dtype == "Int64" and kinds <= {int}:
        return IntegerArray(np.array(values, dtype=np.int64), _no_missing(len(values)))
    if dtype == "boolean" and kinds <= {bool}:
        return BooleanArray(np.array(values, dtype=bool), _no_missing(len(values)))
    resolved = _DTYPES.get(dtype)
    if resolved is None:  # looking a dtype up by name is most of pd.array's cost on short lists
        resolved = _DTYPES[dtype] = pd.api.types.pandas_dtype(dtype)
    if (kinds <= {str, type(None)} and isinstance(resolved, pd.StringDtype)
            and resolved.storage == "pyarrow" and resolved.na_value is pd.NA):
        # What pd.array makes of these (None -> null), without its pass converting each value
        # to str: "string" is pyarrow-backed from pandas 3, Python-backed before.
        return ArrowStringArray(pa.array(values, type=_LARGE_STRING), dtype=resolved)
    return pd.array(values, dtype=resolved)


def _no_missing(length: int) -> np.ndarray:
    return np.zeros(length, dtype=bool) if length else _NO_MISSING.copy()


def figures_frame(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """Build a figures table with the contract's columns, order and dtypes (missing keys -> NA)."""
    return _frame(rows, FIGURE_COLUMNS)


def figures_table(columns: Mapping[str, list]) -> pd.DataFrame:
    """`validate_figures(figures_frame(rows))` for figures given as one list per contract column
    (all of the same length): built column-wise, and checked on the lists it was built from
    rather than on lists read back out of pandas, which cost as much as building the table."""
    frame = _frame_of_columns(columns, FIGURE_COLUMNS)
    if _value_problems(columns, FIGURE_COLUMNS) or _figure_problems(columns):
        validate_figures(frame)  # raises, naming the rows as the table holds them
    return frame


def checks_frame(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """Build a checks table with its declared columns, order and dtypes (missing keys -> NA)."""
    return _frame(rows, CHECK_COLUMNS)


def _bad_rows(column: str, values: list, bad: list[int], why: str = "") -> str:
    shown = ", ".join(f"row {r} ({values[r]!r})" for r in bad[:3])
    return f"column {column!r}: {len(bad)} bad value(s): {shown}{why}"


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value != value  # NaN is the one value != itself


def _validate_columns(frame: pd.DataFrame, declared: tuple[Column, ...]
                      ) -> dict[str, list]:
    """Each declared column present with its dtype, required cells filled, allowed values and
    patterns kept, units parsed; the columns as lists, or SchemaError naming what breaks.

    The checks run over plain lists: a table is tens to thousands of rows, where Python's loops
    cost less than pandas' per-call overhead (measured on the seed).
    """
    missing = [c.name for c in declared if c.name not in frame.columns]
    if missing:
        raise SchemaError(f"missing column(s): {', '.join(missing)}")
    problems: list[str] = []
    columns: dict[str, list] = {}
    for column in declared:
        series = frame[column.name]
        if str(series.dtype) != column.dtype:
            problems.append(
                f"column {column.name!r}: dtype {series.dtype}, expected {column.dtype}")
            continue
        values = columns[column.name] = series.tolist()
        _column_problems(column, values, problems)
    if problems:
        raise SchemaError("; ".join(problems))
    return columns


def _value_problems(columns: Mapping[str, list], declared: tuple[Column, ...]) -> list[str]:
    problems: list[str] = []
    for column in declared:
        _column_problems(column, columns[column.name], problems)
    return problems


def _column_problems(column: Column, values: list, problems: list[str]) -> None:
    """Required cells filled, allowed values and patterns kept, units parsed."""
    unit = column.name in ("unit", "data_unit")
    if not (column.required or column.allowed is not None or column.pattern is not None
            or unit):
        return  # a column of free values: nothing to read its cells for
    na = pd.NA
    # Each distinct value is checked once (a table of thousands of rows holds a few kinds,
    # stances and units); the rows are read again only to name those of a bad value.
    try:
        distinct = set(values)
    except TypeError:  # an unhashable cell: every cell is checked on its own
        distinct = None
    if distinct is None:
        present = [v for v in values if not _missing(v)]
        missing = len(present) < len(values)
    else:
        absent = {v for v in distinct if v is None or v is na or v != v}
        present = list(distinct - absent)
        missing = bool(absent)
    if column.required and missing:
        problems.append(_bad_rows(column.name, values,
                                  [r for r, v in enumerate(values) if _missing(v)]))
    tests = []
    if column.allowed is not None:
        tests.append((lambda v: v in column.allowed, ""))
    if column.pattern is not None:
        tests.append((column.pattern.fullmatch, ""))
    if unit:
        tests.append((parses, " (not a unit of the registry)"))
    for passes, why in tests:
        bad = [v for v in present if not passes(v)]
        if bad:
            rows = [r for r, v in enumerate(values) if not _missing(v) and not passes(v)]
            problems.append(_bad_rows(column.name, values, rows, why))


def validate_checks(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a checks table unchanged if it keeps its declared schema, else raise SchemaError."""
    _validate_columns(frame, CHECK_COLUMNS)
    return frame


def validate_figures(frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` unchanged if it keeps the contract, else raise SchemaError saying why."""
    problems = _figure_problems(_validate_columns(frame, FIGURE_COLUMNS))
    if problems:
        raise SchemaError("; ".join(problems))
    return frame


def _figure_problems(columns: Mapping[str, list]) -> list[str]:
    """Unique figure ids, non-empty spans, and bounds in order."""
    problems: list[str] = []
    ids = columns["figure_id"]
    seen: set[str] = set()
    duplicated = [r for r, v in enumerate(ids) if v in seen or seen.add(v)]
    if duplicated:
        problems.append(_bad_rows("figure_id", ids, duplicated, " (figure_id not unique)"))
    starts, ends = columns["char_start"], columns["char_end"]
    empty = [r for r, (a, b) in enumerate(zip(starts, ends, strict=True)) if not 0 <= a < b]
    if empty:
        problems.append(_bad_rows("char_start", starts, empty, " (span is empty or negative)"))
    lows, highs = columns["value_low"], columns["value_high"]
    inverted = [r for r, (a, b) in enumerate(zip(lows, highs, strict=True))
                if not _missing(a) and not _missing(b) and a > b]
    if inverted:
        problems.append(_bad_rows("value_low", lows, inverted, " (value_low > value_high)"))
    return problems
