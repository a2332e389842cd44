"""The reference catalog: one folder per dataset under `data/reference/`, read as checked tables.

    data/reference/<dataset>/<dataset>.csv    the tidy table
    data/reference/<dataset>/source.toml      its origin record, schema and series

`catalog()` lists every dataset with its origin and its series (what each series measures, in
which unit, where and over which periods: the contract the checks engine matches figures with);
`load(name)` reads a table as its source.toml describes it and refuses data that breaks the
description, with a `ReferenceError` naming the file, the CSV line (the header is line 1), the
row's primary key and the column. `read_package()` assembles the Frictionless data package of
the whole catalog, which `make data` also writes to `data/datapackage.json` for readers and
the export ZIP carries.

Both the loader and the tidying steps (dashboard/tidy_reference) read cells with `parse_cell`,
so a table means the same to the build that writes it and to the code that reads it. The checks
are our own rather than frictionless' (frictionless validates the package in the tests): they
are ten times faster and name the row's key, not only its number. Parsed tables and source
records are cached by file, modification time and size; callers treat them as read-only.
"""

from __future__ import annotations

import copy
import csv
import datetime
import io
import json
import re
import tomllib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard.csvout import FORMULA_STARTS
from dashboard.units import parses

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"
CATALOG = "reference"
SOURCE_FILE = "source.toml"
PACKAGE_FILE = "datapackage.json"
PACKAGE_TOML = "catalog.toml"

# Frictionless' defaults, so that the package means the same to frictionless and to us.
TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")
MISSING_VALUES = ("",)
TYPES = ("string", "integer", "number", "boolean", "date", "yearmonth", "year")

# Period structures a series may have, and what its date column then holds.
PERIODS = {"12 months ending": ("yearmonth",), "calendar year": ("year", "integer"),
           "month": ("yearmonth",)}
UNDATED = ("none", "latest before publication")

# The origin record every source.toml gives; `url` may be left out by a compilation whose rows
# carry their own URLs (`row_sources`).
ORIGIN_KEYS = ("title", "publisher", "dataset", "release", "date_accessed", "licenses")
OPTIONAL_KEYS = ("description", "credit", "release_note", "url", "date_accessed_note",
                 "processing", "rights", "sources", "row_sources", "primaryKey", "raw",
                 "fields", "decisions", "excluded", "stated", "series")
# Keys of a field that the build uses but the data package does not carry.
BUILD_ONLY_FIELD_KEYS = ("default",)
SERIES_REQUIRED = ("id", "title", "measure", "unit", "period", "date_column", "precision")
SERIES_OPTIONAL = ("exclude", "geography", "geography_column", "value_column", "where",
                   "estimate_column", "primary_estimate", "estimates", "cited_as", "undated",
                   "revised", "counted_units")
_NAME = re.compile(r"[a-z0-9][a-z0-9_]*")
_ISO_PARTIAL = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEARMONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")
_YEAR = re.compile(r"\d{4}")


# The name hides Python's builtin ReferenceError (a weak-reference error) inside this module only;
# callers import it by this name as the package's error for bad reference data.
class ReferenceError(ValueError):
    """Reference data that breaks its description: says which file, line, key and column."""

    def __init__(self, file: str | Path, problem: str, *, line: int | None = None,
                 key: dict | None = None, column: str | None = None) -> None:
        self.file = str(file)
        self.problem = problem
        self.line = line
        self.key = key
        self.column = column
        where = [self.file]
        if line is not None:
            where.append(f"line {line}")
        if key:
            where.append(", ".join(f"{k}={v}" for k, v in key.items()))
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}")

    def shown(self, data_dir: Path) -> str:
        """The message with the file named from the data folder's parent (`data/reference/...`),
        as a reader of the dashboard is shown it: no path of the machine."""
        try:
            file = Path(self.file).resolve().relative_to(Path(data_dir).resolve().parent)
        except ValueError:
            file = Path(self.file).name
        return str(self).replace(self.file, str(file), 1)


class CellError(ValueError):
    """A cell that is not of its declared type; the caller says where it is."""


def parse_cell(cell: str, kind: str) -> object:
    """The text of a non-empty cell as a value of `kind` (one of TYPES); raises CellError.

    integer and year -> int, number -> float, boolean -> bool, date -> datetime.date,
    yearmonth and string -> str.
    """
    if kind == "integer":
        if not _INTEGER.fullmatch(cell):
            raise CellError(f"{cell!r} is not an integer")
        return int(cell)
    if kind == "number":
        if not _NUMBER.fullmatch(cell):
            raise CellError(f"{cell!r} is not a number")
        return float(cell)
    if kind == "boolean":
        if cell in TRUE_VALUES:
            return True
        if cell in FALSE_VALUES:
            return False
        raise CellError(f"{cell!r} is not a boolean (true or false)")
    if kind == "date":
        if not _DATE.fullmatch(cell):
            raise CellError(f"{cell!r} is not an ISO date (YYYY-MM-DD)")
        try:
            return datetime.date.fromisoformat(cell)
        except ValueError:
            raise CellError(f"{cell!r} is not a calendar date") from None
    if kind == "yearmonth":
        if not _YEARMONTH.fullmatch(cell):
            raise CellError(f"{cell!r} is not an ISO year and month (YYYY-MM)")
        return cell
    if kind == "year":
        if not _YEAR.fullmatch(cell):
            raise CellError(f"{cell!r} is not a year (YYYY)")
        return int(cell)
    if kind == "string":
        return cell
    raise CellError(f"type {kind!r} is not one of {', '.join(TYPES)}")


# -- source.toml -------------------------------------------------------------------------------

def catalog_dir(data_dir: Path = DATA_DIR) -> Path:
    return Path(data_dir) / CATALOG


def _stat(path: Path) -> tuple[str, int, int]:
    info = path.stat()
    return str(path), info.st_mtime_ns, info.st_size


def _source_files(folder: Path) -> list[Path]:
    """The source.toml of every dataset folder of the catalog `folder` (hidden ones skipped)."""
    if not folder.is_dir():
        raise ReferenceError(folder, "the reference catalog folder is missing")
    return sorted(p / SOURCE_FILE for p in folder.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and (p / SOURCE_FILE).is_file())


def read_source(path: Path, name: str | None = None) -> dict:
    """The source.toml at `path`, checked: origin, schema and series (see `check_source`).

    `name` is the dataset's name (by default its folder's); cached by file, time and size.
    """
    path = Path(path)
    try:
        stat = _stat(path)
    except FileNotFoundError:
        raise ReferenceError(path, "missing: every dataset folder holds one") from None
    return copy.deepcopy(_read_source(stat, name or path.parent.name))


@lru_cache(maxsize=256)
def _read_source(stat: tuple[str, int, int], name: str) -> dict:
    path = Path(stat[0])
    try:
        spec = tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as err:
        raise ReferenceError(path, f"not UTF-8 (byte {err.start})") from None
    except tomllib.TOMLDecodeError as err:
        raise ReferenceError(path, f"not valid TOML ({err})") from None
    check_source(spec, path, name)
    return spec


def check_source(spec: dict, file: str | Path, name: str) -> None:
    """Raise ReferenceError naming `file` for anything source.toml must have and lacks.

    The origin (ORIGIN_KEYS, and a `url` unless the rows carry theirs in `row_sources`), known
    keys only, the table schema (`fields`: name, a type of TYPES, a unit the project's registry
    parses; `primaryKey` of those fields) and every `[[series]]` (see `_check_series`). Fills in
    the series' defaults and its `dataset`.
    """
    if not _NAME.fullmatch(name):
        raise ReferenceError(file, f"dataset name {name!r} must be lower-case letters, digits "
                             "and _ (it names the folder and the table)")
    for key in ORIGIN_KEYS:
        if key not in spec or spec[key] in ("", [], None):
            raise ReferenceError(file, f"the origin record lacks {key!r}")
    if "url" not in spec and "row_sources" not in spec:
        raise ReferenceError(file, "the origin record lacks 'url' (or 'row_sources' naming "
                             "the columns that hold each row's URL)")
    unknown = sorted(set(spec) - set(ORIGIN_KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        raise ReferenceError(file, f"unknown key {unknown[0]!r} (known: "
                             f"{', '.join((*ORIGIN_KEYS, *OPTIONAL_KEYS))})")
    for key in ("release", "date_accessed"):
        if not _ISO_PARTIAL.fullmatch(str(spec[key])):
            raise ReferenceError(file, f"{key} {spec[key]!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    licenses = spec["licenses"]
    if not isinstance(licenses, list) or not all(
            isinstance(x, dict) and x.get("name") and (x.get("path") or x.get("title"))
            for x in licenses):
        raise ReferenceError(file, "licenses must be a list of tables with a name and a path "
                             "or title")
    fields = spec.get("fields")
    if not isinstance(fields, list) or not fields:
        raise ReferenceError(file, "the schema lists no fields ([[fields]] with name and type)")
    _check_fields(fields, file)
    names_ = [f["name"] for f in fields]
    key = spec.get("primaryKey", [])
    spec["primaryKey"] = key = [key] if isinstance(key, str) else list(key)
    for column in key:
        if column not in names_:
            raise ReferenceError(file, "primaryKey names a column that is not a field",
                                 column=column)
    if "row_sources" in spec:
        for column in spec["row_sources"].get("columns", []):
            if column not in names_:
                raise ReferenceError(file, "row_sources names a column that is not a field",
                                     column=column)
    series = spec.get("series", [])
    if not isinstance(series, list):
        raise ReferenceError(file, "series must be an array of tables ([[series]])")
    spec["series"] = [_check_series(s, fields, file, name) for s in series]


def _check_fields(fields: list, file: str | Path) -> None:
    seen: set[str] = set()
    for number, field in enumerate(fields, start=1):
        if not isinstance(field, dict) or not isinstance(field.get("name"), str):
            raise ReferenceError(file, f"field {number} has no name")
        name = field["name"]
        if name in seen:
            raise ReferenceError(file, "field named twice", column=name)
        seen.add(name)
        kind = field.setdefault("type", "string")
        if kind not in TYPES:
            raise ReferenceError(file, f"type {kind!r} is not one of {', '.join(TYPES)}",
                                 column=name)
        unit = field.get("unit")
        if unit is not None and not parses(str(unit)):
            raise ReferenceError(file, f"unknown unit {unit!r} (not in the project's registry)",
                                 column=name)
    for field in fields:
        unit_field = field.get("unitField")
        if unit_field is not None and unit_field not in seen:
            raise ReferenceError(file, f"unitField {unit_field!r} is not a field",
                                 column=field["name"])


def _check_series(series: object, fields: list[dict], file: str | Path, dataset: str) -> dict:
    """One [[series]] checked and completed with its defaults (the contract of `catalog`)."""
    label = series.get("id") if isinstance(series, dict) else None

    def fail(problem: str) -> ReferenceError:
        return ReferenceError(file, f"series {label!r}: {problem}")

    if not isinstance(series, dict):
        raise fail("not a table")
    for key in SERIES_REQUIRED:
        if key not in series:
            raise fail(f"lacks {key!r}")
    unknown = sorted(set(series) - set(SERIES_REQUIRED) - set(SERIES_OPTIONAL) - {"dataset"})
    if unknown:
        raise fail(f"unknown key {unknown[0]!r}")
    if not isinstance(series["id"], str) or not _NAME.fullmatch(series["id"]):
        raise fail("id must be lower-case letters, digits and _")
    if not isinstance(series["title"], str) or "\n" in series["title"]:
        raise fail("title must be one line")
    types = {f["name"]: f["type"] for f in fields}
    for key in ("measure", "exclude", "cited_as"):
        words = series.get(key, [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise fail(f"{key} must be a list of phrases")
    if not series["measure"]:
        raise fail("measure lists no phrase")
    for key in ("measure", "exclude"):
        for phrase in series.get(key, []):
            if phrase != phrase.lower():
                raise fail(f"{key} phrase {phrase!r} must be lower case")
    if not isinstance(series["unit"], str) or not parses(series["unit"]):
        raise fail(f"unit {series['unit']!r} does not parse in the project's registry")
    counted_units = series.setdefault("counted_units", [])
    if not isinstance(counted_units, list) or not all(parses(u) for u in counted_units):
        raise fail("counted_units must be a list of units of the project's registry")
    if series["period"] not in PERIODS:
        raise fail(f"period {series['period']!r} is not one of {', '.join(PERIODS)}")
    if ("geography" in series) == ("geography_column" in series):
        raise fail("give either geography (a place) or geography_column (a column of places)")

    def column(key: str, kinds: tuple[str, ...] | None = None) -> None:
        name = series[key]
        if name not in types:
            raise ReferenceError(file, f"series {label!r}: {key} names a column that is not "
                                 "a field", column=str(name))
        if kinds is not None and types[name] not in kinds:
            raise ReferenceError(file, f"series {label!r}: {key} is of type {types[name]}, "
                                 f"where a {series['period']!r} series needs "
                                 f"{' or '.join(kinds)}", column=name)

    series.setdefault("value_column", "value")
    column("date_column", PERIODS[series["period"]])
    column("value_column", ("integer", "number"))
    for key in ("geography_column", "estimate_column"):
        if key in series:
            column(key)
    where = series.setdefault("where", {})
    if not isinstance(where, dict):
        raise fail("where must be a table of column = value")
    for name in where:
        if name not in types:
            raise ReferenceError(file, f"series {label!r}: where names a column that is not "
                                 "a field", column=name)
    estimates = series.setdefault("estimates", {})
    if not isinstance(estimates, dict):
        raise fail("estimates must be a table of estimate = description")
    if "estimate_column" in series:
        primary = series.get("primary_estimate")
        if primary not in estimates:
            raise fail(f"primary_estimate {primary!r} is not one of the estimates "
                       f"({', '.join(estimates) or 'none listed'})")
    precision = series["precision"]
    if isinstance(precision, bool) or not isinstance(precision, int | float) or precision <= 0:
        raise fail(f"precision {precision!r} must be a positive number")
    series.setdefault("undated", "none")
    if series["undated"] not in UNDATED:
        raise fail(f"undated {series['undated']!r} is not one of {', '.join(UNDATED)}")
    if not isinstance(series.setdefault("revised", False), bool):
        raise fail("revised must be true or false")
    for key in ("exclude", "cited_as"):
        series.setdefault(key, [])
    for key in ("geography", "geography_column", "estimate_column", "primary_estimate"):
        series.setdefault(key, None)
    series["dataset"] = dataset
    return series


def _sources(data_dir: Path) -> dict[str, dict]:
    """{dataset name: its checked source.toml}, in name order; cached until a file changes."""
    return sources_in(catalog_dir(data_dir))


def sources_in(folder: Path) -> dict[str, dict]:
    """{dataset name: its checked source.toml} of the catalog folder `folder` (read-only)."""
    return _sources_cached(tuple(_stat(p) for p in _source_files(Path(folder))))


def _sources_cached(stats: tuple[tuple[str, int, int], ...]) -> dict[str, dict]:
    """The catalog's datasets; the first malformed one raises (for the catalog's own tools)."""
    specs, problems = _read_sources(stats)
    if problems:
        raise problems[0]
    return specs


def usable_sources(data_dir: Path = DATA_DIR) -> tuple[dict[str, dict], tuple[ReferenceError, ...]]:
    """The datasets that can be read, and what is wrong with those that cannot: the checks of an
    article go on with the rest, and say which files they could not read."""
    folder = catalog_dir(Path(data_dir))
    return _read_sources(tuple(_stat(p) for p in _source_files(folder)))


@lru_cache(maxsize=16)
def _read_sources(stats: tuple[tuple[str, int, int], ...]
                  ) -> tuple[dict[str, dict], tuple[ReferenceError, ...]]:
    specs: dict[str, dict] = {}
    problems: list[ReferenceError] = []
    ids: dict[str, str] = {}
    for stat in stats:
        path = Path(stat[0])
        try:
            spec = _read_source(stat, path.parent.name)
            for series in spec["series"]:
                if series["id"] in ids:
                    raise ReferenceError(path, f"series {series['id']!r}: the id is taken by "
                                         f"dataset {ids[series['id']]!r} (ids are unique "
                                         "across the catalog)")
        except ReferenceError as err:
            problems.append(err)
            continue
        ids.update({series["id"]: path.parent.name for series in spec["series"]})
        specs[path.parent.name] = spec
    return specs, tuple(problems)


def _spec(name: str, data_dir: Path) -> dict:
    """Dataset `name`'s description; what is wrong with it, or with no other dataset."""
    specs, problems = usable_sources(data_dir)
    for problem in problems:
        if name not in specs and Path(problem.file).parent.name == name:
            raise problem
    if name not in specs:
        raise ReferenceError(catalog_dir(data_dir), f"no dataset {name!r} "
                             f"(the catalog has {', '.join(specs) or 'none'})")
    return specs[name]


# -- the catalog and its descriptors -----------------------------------------------------------

def names(data_dir: Path = DATA_DIR) -> list[str]:
    """The names of the catalog's datasets, in name order."""
    return list(_sources(Path(data_dir)))


def catalog(data_dir: Path = DATA_DIR, *, strict: bool = True) -> list[dict]:
    """One dict per dataset: its origin and its validated series. A malformed dataset raises
    ReferenceError, or with `strict=False` is left out (see usable_sources).

    Keys: name, title, description, publisher, credit, dataset, release, release_note, url
    (None for a compilation whose rows carry their URLs), licenses, date_accessed, raw (how the
    table is made, or None) and series: each [[series]] of its source.toml as a dict with id,
    title, dataset, measure, exclude, unit, geography, geography_column, period, date_column,
    value_column, where, estimate_column, primary_estimate, estimates, precision, cited_as,
    undated, revised.
    """
    out = []
    specs = _sources(Path(data_dir)) if strict else usable_sources(Path(data_dir))[0]
    for name, spec in specs.items():
        out.append({
            "name": name, "title": spec["title"], "description": spec.get("description", ""),
            "publisher": spec["publisher"], "credit": spec.get("credit", spec["publisher"]),
            "dataset": spec["dataset"], "release": str(spec["release"]),
            "release_note": spec.get("release_note", ""), "url": spec.get("url"),
            "licenses": copy.deepcopy(spec["licenses"]),
            "date_accessed": str(spec["date_accessed"]),
            "raw": copy.deepcopy(spec.get("raw")), "series": copy.deepcopy(spec["series"]),
        })
    return out


def descriptor(name: str, spec: dict) -> dict:
    """The Frictionless tabular-data-resource of dataset `name` from its source.toml `spec`."""
    out = {
        "name": name,
        "path": f"{CATALOG}/{name}/{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": spec["title"],
        "description": spec.get("description", spec["title"]),
        "publisher": spec["publisher"],
        "credit": spec.get("credit", spec["publisher"]),
        "dataset": spec["dataset"],
        "release": str(spec["release"]),
        "release_note": spec.get("release_note", ""),
    }
    if "url" in spec:
        out["url"] = spec["url"]
    out["date_accessed"] = str(spec["date_accessed"])
    if "date_accessed_note" in spec:
        out["date_accessed_note"] = spec["date_accessed_note"]
    if "raw" in spec:
        out["raw"] = spec["raw"]
    out.update({
        "processing": spec.get("processing", ""),
        "rights": spec.get("rights", ""),
        "licenses": spec["licenses"],
        "sources": list(spec.get("sources", [])),
        "decisions": spec.get("decisions", []),
        "excluded": spec.get("excluded", []),
        "stated": spec.get("stated", []),
        "series": spec["series"],
        "schema": {
            "fields": [{k: v for k, v in f.items() if k not in BUILD_ONLY_FIELD_KEYS}
                       for f in spec["fields"]],
            "primaryKey": spec["primaryKey"],
            "missingValues": list(MISSING_VALUES),
        },
    })
    return copy.deepcopy(out)


def resource(name: str, data_dir: Path = DATA_DIR) -> dict:
    """A copy of the descriptor of dataset `name` (schema, sources, licences, decisions, series).

    The URLs a compilation's rows cite are added by `read_package`, which reads the tables.
    """
    return descriptor(name, _spec(name, Path(data_dir)))


def read_package(data_dir: Path = DATA_DIR) -> dict:
    """The Frictionless data package of the whole catalog, assembled from its folders.

    Each resource is `resource(name)` plus, for a compilation, one source per URL its rows cite.
    Package name, title and description come from `reference/catalog.toml` when there is one.
    """
    data_dir = Path(data_dir)
    about = {"name": "reference-catalog", "title": "Reference catalog"}
    path = catalog_dir(data_dir) / PACKAGE_TOML
    if path.is_file():
        try:
            about.update(tomllib.loads(path.read_text(encoding="utf-8")).get("package", {}))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise ReferenceError(path, f"not valid TOML ({err})") from None
    resources = []
    for name, spec in _sources(data_dir).items():
        described = descriptor(name, spec)
        if spec.get("row_sources"):
            described["sources"] += row_sources(load(name, data_dir), spec["row_sources"])
        resources.append(described)
    return {**about, "profile": "tabular-data-package", "resources": resources}


def package_json(data_dir: Path = DATA_DIR) -> str:
    """`read_package` as the text of a datapackage.json (what `make data` writes)."""
    return json.dumps(read_package(data_dir), indent=2, ensure_ascii=False) + "\n"


def row_sources(table: pd.DataFrame, spec: dict) -> list[dict]:
    """One Frictionless source per URL the rows cite, titled with the rows that cite it.

    `spec` is a source.toml's row_sources: the URL `columns` and the `label` of a row.
    """
    cited: dict[str, list[str]] = {}
    for record in table.to_dict("records"):
        for column in spec["columns"]:
            url = record[column]
            if isinstance(url, str) and url:
                labels = cited.setdefault(url, [])
                label = spec["label"].format(**{k: _text(v) for k, v in record.items()})
                if label not in labels:
                    labels.append(label)
    return [{"title": f"Cited for {', '.join(labels)}", "path": url}
            for url, labels in cited.items()]


def _text(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return value


def source_line(name: str, data_dir: Path = DATA_DIR) -> str:
    """One line crediting the dataset, for a chart or a checks table.

    Publisher (its short `credit`), dataset title, release and URL; a hand compilation, whose
    URLs are per row, says so instead of giving one URL.
    """
    described = resource(name, data_dir)
    release = described["release"]
    release = f"release of {release}" if described.get("url") else f"transcribed {release}"
    where = described.get("url") or "source URLs in each row"
    title = f"\u201c{described['dataset']}\u201d"
    return f"Source: {described['credit']}, {title}, {release}, {where}"


# -- tables ------------------------------------------------------------------------------------

_TABLES: dict[tuple, pd.DataFrame] = {}
_TABLES_KEPT = 32


def table_path(name: str, data_dir: Path = DATA_DIR) -> Path:
    return catalog_dir(data_dir) / name / f"{name}.csv"


def load(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Dataset `name` as a DataFrame with its schema's dtypes, checked against the schema.

    Strings come as pandas "string", integers as int64 (Int64 when the column may be empty),
    numbers as float64, booleans as bool, dates as datetime64, year-months as "YYYY-MM" strings;
    `attrs["resource"]` holds the descriptor. Raises ReferenceError for a missing or extra
    column, a value of the wrong type, an empty required cell, a value outside the schema's
    constraints, a unit the project's registry does not know, or a repeated primary key.
    The table is cached until its CSV or source.toml changes: treat it as read-only.
    """
    data_dir = Path(data_dir)
    spec = _spec(name, data_dir)
    path = table_path(name, data_dir)
    try:
        key = (_stat(path), _stat(path.parent / SOURCE_FILE))
    except FileNotFoundError:
        raise ReferenceError(path, "missing; run `make data` to write it") from None
    if key not in _TABLES:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as err:
            raise ReferenceError(path, f"not UTF-8 (byte {err.start})") from None
        if len(_TABLES) >= _TABLES_KEPT:
            _TABLES.clear()
        _TABLES[key] = table_from_csv(text, descriptor(name, spec), path)
    return _TABLES[key]


def table_from_csv(text: str, described: dict, file: str | Path) -> pd.DataFrame:
    """Parse and check CSV `text` against `described`'s schema (see `load`); `file` names it."""
    schema = described.get("schema") or {}
    fields = schema.get("fields") or []
    _check_schema(fields, described, file)
    names_ = [f["name"] for f in fields]
    primary_key = _primary_key(schema)
    unit_columns = {f["unitField"] for f in fields if f.get("unitField")}
    missing_values = tuple(schema.get("missingValues", MISSING_VALUES))

    rows = csv_records(text, file)
    header_line, header = next(rows, (1, []))
    _check_header(header, names_, file, header_line)

    columns: dict[str, list] = {n: [] for n in names_}
    keys: dict[tuple, int] = {}
    for line, cells in rows:
        if len(cells) != len(names_):
            column = names_[len(cells)] if len(cells) < len(names_) else None
            raise ReferenceError(file, f"{len(cells)} cells where the header has {len(names_)}",
                                 line=line, column=column)
        record = dict(zip(names_, cells, strict=True))
        key = {k: record[k] for k in primary_key}
        for field in fields:
            cell = _unneutralise(record[field["name"]])
            columns[field["name"]].append(
                _cell(cell, field, field["name"] in unit_columns, missing_values,
                      file=file, line=line, key=key))
        key_values = tuple(columns[k][-1] for k in primary_key)
        if primary_key and key_values in keys:
            raise ReferenceError(
                file, f"primary key ({', '.join(primary_key)}) repeats line {keys[key_values]}",
                line=line, key=key, column=", ".join(primary_key))
        keys[key_values] = line

    frame = pd.DataFrame({f["name"]: _series(columns[f["name"]], f) for f in fields})
    frame.attrs["resource"] = copy.deepcopy(described)
    return frame


def _check_schema(fields: list, described: dict, file: str | Path) -> None:
    label = f"{file} (schema of {described.get('name')!r})"
    if not fields:
        raise ReferenceError(label, "the schema lists no fields")
    _check_fields(copy.deepcopy(fields), label)


def _primary_key(schema: dict) -> list[str]:
    key = schema.get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def csv_records(text: str, file: str | Path) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each CSV record; a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous_end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise ReferenceError(file, f"not valid CSV ({err})", line=reader.line_num) from None
        start, previous_end = previous_end + 1, reader.line_num
        if not cells:
            raise ReferenceError(file, "empty line", line=start)
        yield start, cells


def _check_header(header: list[str], expected: list[str], file: str | Path, line: int) -> None:
    for position, name in enumerate(expected):
        if name not in header:
            raise ReferenceError(file, "missing column (source.toml lists it)",
                                 line=line, column=name)
        if position >= len(header) or header[position] != name:
            raise ReferenceError(
                file, f"column {position + 1} is {header[position]!r} where source.toml "
                f"has {name!r}", line=line, column=name)
    if len(header) > len(expected):
        raise ReferenceError(file, "column not in source.toml",
                             line=line, column=header[len(expected)])


def _unneutralise(cell: str) -> str:
    """Undo csvout's apostrophe before text that starts like a spreadsheet formula."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def _cell(cell: str, field: dict, is_unit: bool, missing_values: tuple[str, ...], *,
          file: str | Path, line: int, key: dict) -> object:
    name = field["name"]
    constraints = field.get("constraints") or {}

    def fail(problem: str) -> ReferenceError:
        return ReferenceError(file, problem, line=line, key=key, column=name)

    if cell in missing_values:
        if constraints.get("required"):
            raise fail("empty, but the column is required")
        return None
    try:
        value = parse_cell(cell, field.get("type", "string"))
    except CellError as err:
        raise fail(str(err)) from None
    if is_unit and not parses(cell):
        raise fail(f"unknown unit {cell!r} (not in the project's registry)")
    allowed = constraints.get("enum")
    if allowed is not None and value not in allowed:
        raise fail(f"{cell!r} is not one of {', '.join(map(str, allowed))}")
    if "minimum" in constraints and value < constraints["minimum"]:
        raise fail(f"{cell!r} is below the minimum {constraints['minimum']}")
    if "maximum" in constraints and value > constraints["maximum"]:
        raise fail(f"{cell!r} is above the maximum {constraints['maximum']}")
    pattern = constraints.get("pattern")
    if pattern is not None and not re.fullmatch(pattern, cell):
        raise fail(f"{cell!r} does not match the pattern {pattern}")
    return value


def _series(values: list, field: dict) -> pd.Series:
    kind = field.get("type", "string")
    empty = any(v is None for v in values)
    if kind in ("integer", "year"):
        return pd.Series(values, dtype="Int64" if empty else "int64")
    if kind == "number":
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    if kind == "boolean":
        return pd.Series(values, dtype="boolean" if empty else "bool")
    if kind == "date":
        return pd.to_datetime(pd.Series([None if v is None else v.isoformat() for v in values],
                                        dtype="object"), format="%Y-%m-%d")
    return pd.Series(values, dtype="string")


def check_series_rows(table: pd.DataFrame, series: dict, file: str | Path) -> None:
    """Raise ReferenceError when a series selects no row of `table`, or its rows disagree with
    it: a unit column that says another unit, a primary estimate the rows never have."""
    rows = table
    for column, wanted in series["where"].items():
        rows = rows[rows[column].astype(str) == str(wanted)]
    if rows.empty:
        raise ReferenceError(file, f"series {series['id']!r}: where {series['where']} selects "
                             "no row")
    field = next(f for f in table.attrs["resource"]["schema"]["fields"]
                 if f["name"] == series["value_column"])
    units = ({field["unit"]} if "unit" in field else
             set(rows[field["unitField"]].dropna()) if "unitField" in field else set())
    if units and units != {series["unit"]}:
        raise ReferenceError(file, f"series {series['id']!r}: unit {series['unit']!r} where "
                             f"its rows say {', '.join(sorted(map(str, units)))}",
                             column=series["value_column"])
    if series["estimate_column"]:
        found = set(rows[series["estimate_column"]].dropna().astype(str))
        unknown = found - set(series["estimates"])
        if unknown:
            raise ReferenceError(file, f"series {series['id']!r}: estimate "
                                 f"{sorted(unknown)[0]!r} is not in its estimates",
                                 column=series["estimate_column"])
    if series["geography_column"] and rows[series["geography_column"]].isna().any():
        raise ReferenceError(file, f"series {series['id']!r}: a row without a place",
                             column=series["geography_column"])
    keys = [c for c in (series["geography_column"], series["date_column"],
                        series["estimate_column"]) if c]
    repeated = rows.duplicated(keys)
    if repeated.any():
        where = rows[repeated].iloc[0]
        raise ReferenceError(file, f"series {series['id']!r}: two rows for "
                             f"{', '.join(f'{k}={where[k]}' for k in keys)}; narrow it with "
                             "where", column=", ".join(keys))
