"""Tidying steps of the fetched public datasets (datasets/cpi-us, datasets/population,
datasets/employment-us). Each takes the raw table and the dataset's source.toml and returns the
tidy rows, long: one observation per row, with its unit. What they keep, derive and check is
said in each source.toml's `processing`; lists and names come from its `[raw]` table."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from dashboard.tidy_reference.raw import RawTable

Record = dict[str, object]
_CODE = re.compile(r"[A-Z]{3}")


def _month(raw: RawTable, line: int, row: dict[str, str], column: str) -> str:
    """"1913-01-01" -> "1913-01": the raw file dates a month by its first day."""
    day = raw.value(line, row, column, "date")
    if day is None or day.day != 1:
        raise raw.fail(line, column, f"{row[column]!r} is not the first day of a month")
    return day.strftime("%Y-%m")


def _previous_year(month: str) -> str:
    return f"{int(month[:4]) - 1:04d}{month[4:]}"


def twelve_month_change(index: str, year_before: str) -> float:
    """Percent change over 12 months as BLS publishes it: from the published index values,
    rounded half up to one decimal."""
    change = (Decimal(index) / Decimal(year_before) - 1) * 100
    return float(change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def cpi_us(raw: RawTable, spec: dict) -> list[Record]:
    """CPI-U: each month's index, and its change over 12 months where both indexes exist."""
    index: dict[str, str] = {}
    for line, row in raw.rows:
        month = _month(raw, line, row, "Date")
        if raw.value(line, row, "Index", "number") is None:
            raise raw.fail(line, "Index", "empty: a month without an index is left out of the "
                           "raw file, not given empty")
        if month in index:
            raise raw.fail(line, "Date", f"{month} is given twice")
        if index and month < max(index):
            raise raw.fail(line, "Date", f"{month} is out of order")
        index[month] = row["Index"]
    records: list[Record] = []
    for month, value in index.items():
        records.append({"month": month, "measure": "index", "value": float(value),
                        "unit": "dimensionless"})
        before = index.get(_previous_year(month))
        if before is not None:
            records.append({"month": month, "measure": "12-month change",
                            "value": twelve_month_change(value, before), "unit": "percent"})
    return records


def world_bank_population(raw: RawTable, spec: dict) -> list[Record]:
    """Population by country and aggregate, with `is_aggregate` from source.toml's list."""
    aggregates = set(spec["raw"]["aggregates"]["codes"])
    names: dict[str, str] = {}
    seen: set[tuple[str, int]] = set()
    records = []
    for line, row in raw.rows:
        code = row["Country Code"]
        if not _CODE.fullmatch(code):
            raise raw.fail(line, "Country Code", f"{code!r} is not a three-letter code")
        name = row["Country Name"]
        if not name or names.setdefault(code, name) != name:
            raise raw.fail(line, "Country Name", f"{name!r}: {code} is named {names[code]!r} "
                           "on an earlier line")
        year = raw.value(line, row, "Year", "year")
        if (code, year) in seen:
            raise raw.fail(line, "Year", f"{code} {year} is given twice")
        seen.add((code, year))
        value = raw.value(line, row, "Value", "integer")
        if value is None or value < 0:
            raise raw.fail(line, "Value", f"{row['Value']!r} is not a count of people")
        records.append({"country_name": name, "country_code": code, "year": year,
                        "value": value, "unit": "person", "is_aggregate": code in aggregates})
    stale = sorted(aggregates - set(names))
    if stale:
        raise raw.fail(1, "Country Code", f"the aggregate code(s) {', '.join(stale)} that "
                       "source.toml lists are not in the file: update the list")
    return records


def cps_annual(raw: RawTable, spec: dict) -> list[Record]:
    """BLS CPS table 1, annual averages: one row per year, age basis and measure.

    The table changes from persons 14 years and over to persons 16 years and over in the year
    `[raw] ages.year`, which it gives twice: rows up to the first of the two are the older
    basis. Counts are in thousands in the raw file and become persons.
    """
    measures: dict[str, dict] = spec["raw"]["measures"]
    ages = spec["raw"]["ages"]
    records: list[Record] = []
    previous: int | None = None
    basis = ages["before"]
    for line, row in raw.rows:
        year = raw.value(line, row, "year", "year")
        if year is None:
            raise raw.fail(line, "year", "empty")
        if previous is not None and year == previous == ages["year"] and basis == ages["before"]:
            basis = ages["after"]
        elif previous is not None and year != previous + 1:
            raise raw.fail(line, "year", f"{year} follows {previous}: years must run one by one "
                           f"(only {ages['year']} is given twice, once for each age basis)")
        if year > ages["year"] and basis != ages["after"]:
            raise raw.fail(line, "year", f"{ages['year']} is not given twice: the change of age "
                           "basis that source.toml describes is not in the file")
        previous = year
        footnote = row["footnotes"]
        if footnote not in ("", "1"):
            raise raw.fail(line, "footnotes", f"{footnote!r}: the only footnote is 1 (not "
                           "strictly comparable with earlier years)")
        values = {}
        for measure, how in measures.items():
            value = raw.value(line, row, how["column"], how["type"])
            if value is None:
                raise raw.fail(line, how["column"], "empty")
            values[measure] = value * how.get("scale", 1)
            records.append({"year": year, "ages": basis, "measure": measure,
                            "value": values[measure], "unit": how["unit"],
                            "not_strictly_comparable": footnote == "1"})
        _check_identities(raw, line, values, spec["raw"].get("identities", []))
    return records


def _check_identities(raw: RawTable, line: int, values: dict, identities: list[dict]) -> None:
    """total = sum of parts, each count rounded by BLS on its own: allow `tolerance`."""
    for identity in identities:
        parts = sum(values[p] for p in identity["parts"])
        if abs(values[identity["total"]] - parts) > identity["tolerance"]:
            raise raw.fail(line, identity["total"], f"{values[identity['total']]} is not "
                           f"{' + '.join(identity['parts'])} = {parts} "
                           f"(within {identity['tolerance']})")
