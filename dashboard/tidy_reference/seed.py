"""Tidying steps of the seed's reference files (../shared/reference): CDC's 12-month counts and
the hand transcriptions. Each takes the raw table and the dataset's source.toml and returns the
tidy rows; parameters (CDC's indicator names, the units of the tallies) come from `[raw]`."""

from __future__ import annotations

import calendar
import re

from dashboard.tidy_reference.raw import RawTable

Record = dict[str, object]
CDC_ESTIMATES = {"reported": "reported_value", "predicted": "predicted_value"}
CDC_PERIOD = {"12 month-ending": "P12M"}


def copy_fields(raw: RawTable, line: int, row: dict[str, str], fields: list[dict],
                renamed: dict[str, str] | None = None) -> Record:
    """The fields whose raw column has the same name (or the one in `renamed`), parsed."""
    renamed = renamed or {}
    record: Record = {}
    for field in fields:
        column = renamed.get(field["name"], field["name"])
        if column in row:
            record[field["name"]] = raw.value(line, row, column, field.get("type", "string"))
    return record


def cdc_vsrr(raw: RawTable, spec: dict) -> list[Record]:
    """CDC's 12-month rows: one row per month, indicator and estimate (reported, predicted)."""
    indicators: dict[str, str] = spec["raw"]["indicators"]
    records = []
    for line, row in raw.rows:
        if row["state"] != "US":
            raise raw.fail(line, "state", f"{row['state']!r}: this table is the US series only")
        if row["period"] not in CDC_PERIOD:
            raise raw.fail(line, "period", f"{row['period']!r}: expected '12 month-ending'")
        period_end = raw.value(line, row, "period_end", "yearmonth")
        year = raw.value(line, row, "year", "integer")
        month_num = raw.value(line, row, "month_num", "integer")
        if not (isinstance(month_num, int) and 1 <= month_num <= 12):
            raise raw.fail(line, "month_num", f"{row['month_num']!r} is not a month number")
        if (period_end != f"{year:04d}-{month_num:02d}"
                or row["month"] != calendar.month_name[month_num]):
            raise raw.fail(line, "period_end",
                           f"{period_end!r} disagrees with year, month and month_num")
        if row["indicator"] not in indicators:
            raise raw.fail(line, "indicator", f"{row['indicator']!r} is not an indicator "
                           "that source.toml names")
        for estimate, column in CDC_ESTIMATES.items():
            records.append({
                "period_end": period_end,
                "period": CDC_PERIOD[row["period"]],
                "indicator": indicators[row["indicator"]],
                "cdc_indicator": row["indicator"],
                "estimate": estimate,
                "value": raw.value(line, row, column, "integer"),
                "unit": "person",
                "percent_complete": raw.value(line, row, "percent_complete", "number"),
                "percent_pending_investigation":
                    raw.value(line, row, "percent_pending_investigation", "number"),
                "footnote_symbol": raw.value(line, row, "footnote_symbol"),
                "footnote": raw.value(line, row, "footnote"),
            })
    return records


def copy_rows(raw: RawTable, spec: dict) -> list[Record]:
    """Row by row, the columns the schema shares with the raw file."""
    return [copy_fields(raw, line, row, spec["fields"]) for line, row in raw.rows]


def running_totals(raw: RawTable, spec: dict) -> list[Record]:
    """One row per stated count: the raw file's count columns become measure, value, unit."""
    units: dict[str, str] = spec["raw"]["measure_units"]
    records = []
    for line, row in raw.rows:
        for measure, unit in units.items():
            value = raw.value(line, row, measure, "integer")
            if value is None:  # the outlet did not state this count
                continue
            records.append({
                "as_of": raw.value(line, row, "as_of", "date"),
                "reporter": row["reporter"],
                "measure": measure,
                "value": value,
                "unit": unit,
                "counting_note": raw.value(line, row, "counting_note"),
                "source_url": raw.value(line, row, "source_url"),
            })
    return records


def overdose_annual(raw: RawTable, spec: dict) -> list[Record]:
    """Annual totals with indicator and status read from the wording of the raw measure."""
    records = []
    for line, row in raw.rows:
        record = copy_fields(raw, line, row, spec["fields"])
        # The raw measure says what is counted first and the release type in brackets:
        # "drug overdose deaths (final; NCHS residence-based)".
        measure = row["measure"].lower()
        if measure.startswith("drug overdose deaths"):
            record["indicator"] = "all drugs"
        elif "synthetic opioids other than methadone" in measure:
            record["indicator"] = "synthetic opioids excl. methadone"
        else:
            raise raw.fail(line, "measure", f"{row['measure']!r} names neither all drug "
                           "overdose deaths nor synthetic opioids other than methadone")
        status = re.search(r"\((final|provisional)\b", measure)
        if status is None:
            raise raw.fail(line, "measure", f"{row['measure']!r} says neither (final ...) "
                           "nor (provisional ...)")
        record["status"] = status.group(1)
        record["unit"] = "person"
        records.append(record)
    return records


def claims(raw: RawTable, spec: dict) -> list[Record]:
    """The statements, columns renamed as `[raw] renamed` says, numbered claim-01 ..."""
    renamed: dict[str, str] = spec["raw"].get("renamed", {})
    records = []
    for number, (line, row) in enumerate(raw.rows, start=1):
        record = copy_fields(raw, line, row, spec["fields"], renamed)
        record["claim_id"] = f"claim-{number:02d}"
        records.append(record)
    return records
