"""The figures grid's rows, served a block at a time: AG Grid's infinite row model.

A report of 130,000 figures is 74 MB of rows, which took the browser 15 s to take in; a block is
100 rows, whatever the table's size. The grid sends what it shows (its column filters and sort
order, `filterModel` and `sortModel` in AG Grid's words) with each request, the page adds the
search box and the dropdowns, and `view` applies them all here, in pandas. Anything malformed in
a request filters nothing rather than failing: the request comes from a browser. What a request
may ask is bounded, so that its work is bounded whatever its size: a crafted request of a
million search words or ten thousand filter conditions does what the first few would.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

BLOCK_ROWS = 100  # rows per request, and per page of the grid
# What the search box looks in: the words a reader sees in a row.
SEARCHED = ("surface", "sentence", "counted", "unit", "units", "verdict", "quantity_kind",
            "qualifier", "speaker", "stance", "date", "period")
DROPDOWNS = {"kinds": "quantity_kind", "stances": "stance", "speakers": "speaker"}
MAX_SEARCH_WORDS = 12  # distinct words of the search box; the rest are not searched for
MAX_TEXT = 200  # characters of a search word or a filter's value
MAX_CHOICES = 50  # options chosen in a dropdown
MAX_CONDITIONS = 2  # conditions of a column filter, as AG Grid's own filters allow

_TEXT_TESTS = {
    "contains": lambda cell, value: cell.str.contains(value, regex=False),
    "notContains": lambda cell, value: ~cell.str.contains(value, regex=False),
    "equals": lambda cell, value: cell == value,
    "notEqual": lambda cell, value: cell != value,
    "startsWith": lambda cell, value: cell.str.startswith(value),
    "endsWith": lambda cell, value: cell.str.endswith(value),
}
_NUMBER_TESTS = {
    "equals": lambda cell, value: cell == value,
    "notEqual": lambda cell, value: cell != value,
    "lessThan": lambda cell, value: cell < value,
    "lessThanOrEqual": lambda cell, value: cell <= value,
    "greaterThan": lambda cell, value: cell > value,
    "greaterThanOrEqual": lambda cell, value: cell >= value,
}


def view(figures: pd.DataFrame, *, search: object = None, kinds: object = None,
         stances: object = None, speakers: object = None, filter_model: object = None,
         sort_model: object = None) -> pd.DataFrame:
    """The rows the grid shows, in its order: the dropdowns, the search box (every word in some
    searched column, ignoring case) and the column filters, then the sort (document order by
    default)."""
    keep = pd.Series(True, index=figures.index)
    for name, column in DROPDOWNS.items():
        chosen = _strings({"kinds": kinds, "stances": stances, "speakers": speakers}[name])
        if chosen:
            keep &= figures[column].isin(chosen).fillna(False).astype(bool)
    words = search_words(search)
    if words:
        haystack = search_text(figures)
        for word in words:
            keep &= haystack.str.contains(word, regex=False)
    if isinstance(filter_model, Mapping):
        for column, model in filter_model.items():
            if column in figures.columns and isinstance(model, Mapping):
                keep &= _column_filter(figures[column], model)
    return _sorted(figures[keep], sort_model)


def search_words(search: object) -> list[str]:
    """The words the search box looks for: distinct, in lower case, at most MAX_SEARCH_WORDS of
    MAX_TEXT characters each (read from the first few thousand characters only)."""
    if not isinstance(search, str):
        return []
    words = search[:MAX_SEARCH_WORDS * (MAX_TEXT + 1)].lower().split()
    return list(dict.fromkeys(word[:MAX_TEXT] for word in words))[:MAX_SEARCH_WORDS]


def search_text(figures: pd.DataFrame) -> pd.Series:
    """Each row's searched words in lower case, one string per row."""
    parts = [figures[c].astype("string").fillna("").str.lower() for c in SEARCHED
             if c in figures.columns]
    if not parts:
        return pd.Series("", index=figures.index)
    text = parts[0]
    for part in parts[1:]:
        text = text + "\t" + part
    return text


def block(rows: pd.DataFrame, request: object) -> dict:
    """The grid's `getRowsResponse` for a `getRowsRequest`: rows startRow to endRow of `rows`
    (at most BLOCK_ROWS), and how many rows there are in all."""
    start, end = 0, BLOCK_ROWS
    if isinstance(request, Mapping):
        start = _index(request.get("startRow"), 0)
        end = _index(request.get("endRow"), start + BLOCK_ROWS)
    end = min(max(start, end), start + BLOCK_ROWS)
    return {"rowData": records(rows.iloc[start:end]), "rowCount": len(rows)}


def records(figures: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON values (NA as null). Column by column, then zipped: converting the
    whole frame to objects first took four times as long, on every block the grid asks for."""
    names = list(figures.columns)
    if not names:
        return [{} for _ in range(len(figures))]
    columns = [figures[name].to_numpy(dtype=object, na_value=None) for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _strings(value: object) -> list[str]:
    """A dropdown's value: a list of its options' strings; anything else chooses nothing."""
    if not isinstance(value, list):
        return []
    return [v[:MAX_TEXT] for v in value[:MAX_CHOICES] if isinstance(v, str)]


def _index(value: object, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return default
    return max(0, int(min(value, 2**31)))


def _column_filter(cell: pd.Series, model: Mapping) -> pd.Series:
    """The rows one column's filter keeps. A filter of two conditions has an operator (AND, OR)
    and its conditions."""
    conditions = model.get("conditions")
    if isinstance(conditions, list):
        masks = [_condition(cell, c, model.get("filterType"))
                 for c in conditions[:MAX_CONDITIONS] if isinstance(c, Mapping)]
        if not masks:
            return pd.Series(True, index=cell.index)
        combined = masks[0]
        for mask in masks[1:]:
            combined = (combined | mask) if model.get("operator") == "OR" else (combined & mask)
        return combined
    return _condition(cell, model, model.get("filterType"))


def _condition(cell: pd.Series, condition: Mapping, kind: object) -> pd.Series:
    everything = pd.Series(True, index=cell.index)
    test = condition.get("type")
    kind = condition.get("filterType", kind)
    if not isinstance(test, str):  # a list or a dict here is no filter (and not hashable)
        return everything
    if test == "blank":
        return cell.isna() | (cell.astype("string").fillna("") == "")
    if test == "notBlank":
        return ~_condition(cell, {"type": "blank"}, kind)
    if kind == "number":
        value = _number(condition.get("filter"))
        numbers = pd.to_numeric(cell, errors="coerce").astype("Float64")
        if test == "inRange":
            high = _number(condition.get("filterTo"))
            if value is None or high is None:
                return everything
            return ((numbers >= value) & (numbers <= high)).fillna(False).astype(bool)
        if value is None or test not in _NUMBER_TESTS:
            return everything
        return _NUMBER_TESTS[test](numbers, value).fillna(False).astype(bool)
    value = condition.get("filter")
    if not isinstance(value, str | int | float) or isinstance(value, bool) \
            or test not in _TEXT_TESTS:
        return everything
    # AG Grid's text filter ignores case, and sees a missing value as empty text.
    text = cell.astype("string").fillna("").str.lower()
    return _TEXT_TESTS[test](text, str(value)[:MAX_TEXT].lower()).fillna(False).astype(bool)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number == number else None


def _sorted(rows: pd.DataFrame, sort_model: object) -> pd.DataFrame:
    if not isinstance(sort_model, list):
        return rows
    by, ascending = [], []
    for item in sort_model[:len(rows.columns)]:
        if (isinstance(item, Mapping) and isinstance(item.get("colId"), str)
                and item["colId"] in rows.columns
                and item.get("sort") in ("asc", "desc") and item["colId"] not in by):
            by.append(item["colId"])
            ascending.append(item["sort"] == "asc")
    if not by:
        return rows
    return rows.sort_values(by, ascending=ascending, kind="stable", na_position="last")

