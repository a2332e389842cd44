"""Write `data/reference/*.csv` and `data/datapackage.json` from the raw reference files.

The raw files sit in `../shared/reference/` beside the clone, with a README saying where each
number comes from. Provenance, the table schemas and every manual decision are typed once, by
hand, in `data/reference/sources.toml`; this module joins the two, tidies each raw file into the
project's layout (one observation per row, a unit for every count, row-level source URLs kept),
checks the result as `dashboard.reference.load` will, checks it against the figures the raw
README states, and only then writes anything. The same inputs give the same bytes.
"""

from __future__ import annotations

import calendar
import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard import csvout
from dashboard.reference import (
    DATA_DIR,
    PACKAGE_FILE,
    REPO,
    ReferenceError,
    csv_records,
    table_from_csv,
)

RAW_DIR = REPO.parent / "shared" / "reference"
REFERENCE_DIR = "reference"
SOURCES = DATA_DIR / REFERENCE_DIR / "sources.toml"

# The raw files' headers, as the tidying below reads them: a raw file that gains or loses a
# column stops the build rather than losing data quietly.
RAW_COLUMNS: dict[str, tuple[str, ...]] = {
    "cdc_overdose_12mo": (
        "state", "year", "month", "month_num", "period_end", "period", "indicator",
        "reported_value", "predicted_value", "percent_complete", "percent_pending_investigation",
        "footnote_symbol", "footnote",
    ),
    "vessel_strikes": (
        "event_id", "strike_date", "date_note", "announced_date", "region", "location_detail",
        "n_strikes", "n_vessels", "killed", "survivors", "survivor_outcome", "alleged_affiliation",
        "announced_by", "source_url_1", "source_url_2", "source_url_3", "notes",
    ),
    "strike_running_totals": (
        "as_of", "reporter", "strikes", "vessels", "killed", "survivors", "counting_note",
        "source_url",
    ),
    "overdose_annual": (
        "year", "measure", "value", "data_vintage", "publisher", "as_reported_by", "source_url",
        "note",
    ),
    "claims_25000": (
        "date_said", "date_note", "speaker", "quote_as_reported", "setting_as_reported",
        "fact_check_or_context_as_reported", "source_url",
    ),
}
CDC_ESTIMATES = {"reported": "reported_value", "predicted": "predicted_value"}
CDC_PERIOD = {"12 month-ending": "P12M"}
SPEC_KEYS = (
    "raw_file", "title", "description", "publisher", "credit", "dataset", "release", "release_note",
    "date_accessed", "processing", "rights", "licenses", "fields", "primaryKey",
)
# Keys of a field in sources.toml that the build uses but the data package does not carry.
BUILD_ONLY_FIELD_KEYS = ("default",)

_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEARMONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")

Record = dict[str, object]


@dataclass(frozen=True)
class RawTable:
    """A raw reference file: its path and its rows as text, each with its CSV line number."""

    path: Path
    rows: tuple[tuple[int, dict[str, str]], ...]

    def fail(self, line: int, column: str, problem: str) -> ReferenceError:
        return ReferenceError(self.path, problem, line=line, column=column)

    def value(self, line: int, row: dict[str, str], column: str, kind: str = "string") -> object:
        """The cell as `kind` (None when empty); raises naming the raw file, line and column."""
        cell = row[column]
        if cell == "":
            return None
        if kind == "integer":
            if not _INTEGER.fullmatch(cell):
                raise self.fail(line, column, f"{cell!r} is not an integer")
            return int(cell)
        if kind == "number":
            if not _NUMBER.fullmatch(cell):
                raise self.fail(line, column, f"{cell!r} is not a number")
            return float(cell)
        if kind == "year":
            if not re.fullmatch(r"\d{4}", cell):
                raise self.fail(line, column, f"{cell!r} is not a year")
            return int(cell)
        if kind == "date":
            if not _DATE.fullmatch(cell):
                raise self.fail(line, column, f"{cell!r} is not an ISO date (YYYY-MM-DD)")
            try:
                pd.Timestamp(cell)
            except ValueError:
                raise self.fail(line, column, f"{cell!r} is not a calendar date") from None
            return cell
        if kind == "yearmonth":
            if not _YEARMONTH.fullmatch(cell):
                raise self.fail(line, column, f"{cell!r} is not a year and month (YYYY-MM)")
            return cell
        return cell


def read_raw(path: Path, columns: tuple[str, ...]) -> RawTable:
    """The raw file at `path`, whose header must hold exactly `columns`."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ReferenceError(path, "raw reference file is missing (it belongs in "
                             "../shared/reference beside the clone)") from None
    except UnicodeDecodeError as err:
        raise ReferenceError(path, f"raw file is not UTF-8 (byte {err.start})") from None
    records = csv_records(text, path)
    header_line, header = next(records, (1, []))
    for column in columns:
        if column not in header:
            raise ReferenceError(path, "column missing from the raw file", line=header_line,
                                 column=column)
    for column in header:
        if column not in columns:
            raise ReferenceError(path, "raw column that the build does not read; add it to "
                                 "RAW_COLUMNS and sources.toml", line=header_line, column=column)
    if len(set(header)) != len(header):
        repeated = next(c for c in header if header.count(c) > 1)
        raise ReferenceError(path, "column named twice", line=header_line, column=repeated)
    rows = []
    for line, cells in records:
        if len(cells) != len(header):
            raise ReferenceError(path, f"{len(cells)} cells where the header has {len(header)}",
                                 line=line)
        rows.append((line, dict(zip(header, cells, strict=True))))
    return RawTable(path, tuple(rows))


def _copy(raw: RawTable, line: int, row: dict[str, str], fields: list[dict],
          renamed: dict[str, str] | None = None) -> Record:
    """The fields whose raw column has the same name (or the one in `renamed`), parsed."""
    renamed = renamed or {}
    record: Record = {}
    for field in fields:
        column = renamed.get(field["name"], field["name"])
        if column in row:
            record[field["name"]] = raw.value(line, row, column, field.get("type", "string"))
    return record


def _tidy_cdc(raw: RawTable, spec: dict) -> list[Record]:
    indicators: dict[str, str] = spec["indicators"]
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
                           "that sources.toml names")
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


def _tidy_strikes(raw: RawTable, spec: dict) -> list[Record]:
    return [_copy(raw, line, row, spec["fields"]) for line, row in raw.rows]


def _tidy_running_totals(raw: RawTable, spec: dict) -> list[Record]:
    units: dict[str, str] = spec["measure_units"]
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


def _tidy_annual(raw: RawTable, spec: dict) -> list[Record]:
    records = []
    for line, row in raw.rows:
        record = _copy(raw, line, row, spec["fields"])
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


def _tidy_claims(raw: RawTable, spec: dict) -> list[Record]:
    renamed = {"quote": "quote_as_reported", "setting": "setting_as_reported",
               "context": "fact_check_or_context_as_reported"}
    records = []
    for number, (line, row) in enumerate(raw.rows, start=1):
        record = _copy(raw, line, row, spec["fields"], renamed)
        record["claim_id"] = f"claim-{number:02d}"
        records.append(record)
    return records


TIDIERS: dict[str, Callable[[RawTable, dict], list[Record]]] = {
    "cdc_overdose_12mo": _tidy_cdc,
    "vessel_strikes": _tidy_strikes,
    "strike_running_totals": _tidy_running_totals,
    "overdose_annual": _tidy_annual,
    "claims_25000": _tidy_claims,
}


def read_sources(path: Path = SOURCES) -> dict:
    """sources.toml, with each resource's keys checked."""
    try:
        config = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReferenceError(path, "missing: provenance is typed by hand in this file") from None
    except tomllib.TOMLDecodeError as err:
        raise ReferenceError(path, f"not valid TOML ({err})") from None
    resources = config.get("resources") or {}
    for name, spec in resources.items():
        if name not in TIDIERS:
            raise ReferenceError(path, f"resource {name!r} has no tidying step in "
                                 "dashboard/tidy_reference.py")
        for key in SPEC_KEYS:
            if key not in spec:
                raise ReferenceError(path, f"resource {name!r} lacks {key!r}")
    return config


def _with_defaults(records: list[Record], fields: list[dict]) -> list[Record]:
    return [{f["name"]: record.get(f["name"], f.get("default")) for f in fields}
            for record in records]


def _apply_decisions(records: list[Record], spec: dict, name: str, sources: Path) -> None:
    known = {f["name"] for f in spec["fields"]}
    for decision in spec.get("decisions", []):
        where, values = decision["where"], decision["set"]
        unknown = (set(where) | set(values)) - known
        if unknown:
            raise ReferenceError(sources, f"a decision on {name!r} names unknown column(s) "
                                 f"{', '.join(sorted(unknown))}")
        matched = [r for r in records if all(r[k] == v for k, v in where.items())]
        if not matched:
            raise ReferenceError(sources, f"a decision on {name!r} matches no row: {where}")
        for record in matched:
            record.update(values)


def _frame(records: list[Record], fields: list[dict]) -> pd.DataFrame:
    """The records as the table to write: text, whole numbers, and true/false for booleans."""
    columns = {}
    for field in fields:
        values = [record[field["name"]] for record in records]
        kind = field.get("type", "string")
        if kind in ("integer", "year"):
            columns[field["name"]] = pd.array(values, dtype="Int64")
        elif kind == "number":
            columns[field["name"]] = pd.array(values, dtype="Float64")
        elif kind == "boolean":
            columns[field["name"]] = [None if v is None else ("true" if v else "false")
                                      for v in values]
        else:
            columns[field["name"]] = pd.Series(values, dtype="object")
    return pd.DataFrame(columns)


def _row_sources(records: list[Record], spec: dict) -> list[dict]:
    """One Frictionless source per URL the rows cite, titled with the rows that cite it."""
    row_sources = spec.get("row_sources")
    if not row_sources:
        return []
    cited: dict[str, list[str]] = {}
    for record in records:
        for column in row_sources["columns"]:
            url = record[column]
            if url:
                labels = cited.setdefault(url, [])
                label = row_sources["label"].format(**record)
                if label not in labels:
                    labels.append(label)
    return [{"title": f"Cited for {', '.join(labels)}", "path": url}
            for url, labels in cited.items()]


def _descriptor(name: str, spec: dict, records: list[Record]) -> dict:
    descriptor = {
        "name": name,
        "path": f"{REFERENCE_DIR}/{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": spec["title"],
        "description": spec["description"],
        "publisher": spec["publisher"],
        "credit": spec["credit"],
        "dataset": spec["dataset"],
        "release": spec["release"],
        "release_note": spec["release_note"],
    }
    if "url" in spec:
        descriptor["url"] = spec["url"]
    descriptor["date_accessed"] = spec["date_accessed"]
    if "date_accessed_note" in spec:
        descriptor["date_accessed_note"] = spec["date_accessed_note"]
    descriptor.update({
        "raw_file": spec["raw_file"],
        "processing": spec["processing"],
        "rights": spec["rights"],
        "licenses": spec["licenses"],
        "sources": [*spec.get("sources", []), *_row_sources(records, spec)],
        "decisions": spec.get("decisions", []),
        "excluded": spec.get("excluded", []),
        "stated": spec.get("stated", []),
        "schema": {
            "fields": [{k: v for k, v in f.items() if k not in BUILD_ONLY_FIELD_KEYS}
                       for f in spec["fields"]],
            "primaryKey": spec["primaryKey"],
            "missingValues": [""],
        },
    })
    return descriptor


def _rows(frame: pd.DataFrame, where: dict) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    return frame[mask]


def stated_problems(frame: pd.DataFrame, stated: dict) -> list[str]:
    """How the table disagrees with one `stated` entry of sources.toml (empty when it agrees)."""
    problems = []
    if "rows" in stated and len(frame) != stated["rows"]:
        problems.append(f"{len(frame)} rows, stated {stated['rows']}")
    for column, total in stated.get("sums", {}).items():
        if frame[column].sum() != total:
            problems.append(f"sum of {column} is {frame[column].sum()}, stated {total}")
    for check in stated.get("values", []):
        rows = _rows(frame, check["where"])
        column = check.get("column", "value")
        found = rows[column].tolist()
        if found != [check["value"]]:
            problems.append(f"{column} where {check['where']} is {found}, stated {check['value']}")
    for check in stated.get("max", []):
        rows = _rows(frame, check["where"])
        column = check.get("column", "value")
        top = rows.loc[rows[column].idxmax()] if len(rows) else None
        if top is None or top[column] != check["value"] or any(
                top[k] != v for k, v in check.get("at", {}).items()):
            problems.append(f"largest {column} where {check['where']} is not {check['value']} "
                            f"at {check.get('at', {})}")
    return problems


def build_reference(raw_dir: Path = RAW_DIR, data_dir: Path = DATA_DIR, *,
                    sources: Path = SOURCES) -> list[Path]:
    """Write data/reference/<resource>.csv and data/datapackage.json; returns the paths written.

    Nothing is written unless every table passes its schema and matches every figure the raw
    README states (listed in sources.toml). Raises ReferenceError naming the raw file, line and
    column of bad raw data, or sources.toml for a bad or stale decision.
    """
    raw_dir, data_dir, sources = Path(raw_dir), Path(data_dir), Path(sources)
    if not raw_dir.is_dir():
        raise ReferenceError(raw_dir, "raw reference folder is missing (../shared/reference "
                             "beside the clone)")
    config = read_sources(sources)
    outputs: list[tuple[Path, bytes]] = []
    descriptors = []
    for name, spec in config["resources"].items():
        raw = read_raw(raw_dir / spec["raw_file"], RAW_COLUMNS[name])
        records = _with_defaults(TIDIERS[name](raw, spec), spec["fields"])
        _apply_decisions(records, spec, name, sources)
        text = csvout.to_csv(_frame(records, spec["fields"]))
        descriptor = _descriptor(name, spec, records)
        built = f"{REFERENCE_DIR}/{name}.csv as built from {raw.path.name}"
        table = table_from_csv(text, descriptor, built)
        for stated in spec.get("stated", []):
            problems = stated_problems(table, stated)
            if problems:
                raise ReferenceError(built, f"disagrees with the raw README's "
                                     f"{stated['quote']!r}: {'; '.join(problems)}")
        outputs.append((data_dir / REFERENCE_DIR / f"{name}.csv", text.encode("utf-8")))
        descriptors.append(descriptor)
    package = {**config["package"], "profile": "tabular-data-package", "resources": descriptors}
    package_text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    outputs.append((data_dir / PACKAGE_FILE, package_text.encode("utf-8")))

    (data_dir / REFERENCE_DIR).mkdir(parents=True, exist_ok=True)
    for path, content in outputs:
        path.write_bytes(content)
    return [path for path, _ in outputs]
