"""Rebuild the catalog's tidy tables from their raw files: `data/reference/<dataset>/<dataset>.csv`.

Each dataset folder's source.toml says in `[raw]` how its table is made: the raw `file`, the
`tidier` (a step in TIDIERS), the raw `columns` it reads, and for a fetched file the
`repository`, `commit`, `path` and `sha256` that find it again. The seed's raw files are read
from `../shared/reference/` beside the clone (RAW_DIR); fetched ones from a folder laid out as
`<raw>/<repository>/<path>` (`--raw DIR`, or the CLAIMS_DASHBOARD_RAW environment variable).
A raw file that is not there leaves the committed table as it is (the caller is told).

A table is checked as `dashboard.reference.load` will read it and against every figure its
`stated` entries give, and only when every table passes is anything written; then
`data/datapackage.json` is written again from the folders. The same inputs give the same bytes.
A folder with no `[raw]` (a dataset added with `reference add`) is kept as it is.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard import csvout, reference
from dashboard.reference import DATA_DIR, PACKAGE_FILE, REPO, SOURCE_FILE, ReferenceError
from dashboard.tidy_reference import fetched, seed
from dashboard.tidy_reference.raw import RawTable, read_raw

RAW_DIR = REPO.parent / "shared" / "reference"
RAW_ENV = "CLAIMS_DASHBOARD_RAW"

Record = dict[str, object]
TIDIERS: dict[str, Callable[[RawTable, dict], list[Record]]] = {
    "cdc_vsrr": seed.cdc_vsrr,
    "copy_rows": seed.copy_rows,
    "running_totals": seed.running_totals,
    "overdose_annual": seed.overdose_annual,
    "claims": seed.claims,
    "cpi_us": fetched.cpi_us,
    "world_bank_population": fetched.world_bank_population,
    "cps_annual": fetched.cps_annual,
}
FETCHED_KEYS = ("repository", "commit", "path", "sha256")


@dataclass(frozen=True)
class Built:
    """What a build did: the files it wrote, and the datasets it kept (with why)."""

    written: list[Path]
    kept: list[tuple[str, str]]


def raw_root(raw: str | Path | None = None) -> Path | None:
    """The folder of fetched raw files: `raw`, else $CLAIMS_DASHBOARD_RAW, else None."""
    chosen = raw if raw is not None else os.environ.get(RAW_ENV)
    return Path(chosen) if chosen else None


def raw_path(spec: dict, seed_dir: Path, fetched_dir: Path | None) -> Path | None:
    """Where the dataset's raw file should be (None: no folder of fetched files was given)."""
    origin = spec["raw"]
    if "repository" in origin:
        if fetched_dir is None:
            return None
        return fetched_dir.joinpath(*origin["repository"].split("/"),
                                    *origin["path"].split("/"))
    return seed_dir / origin["file"]


def _check_raw_spec(spec: dict, file: Path) -> None:
    origin = spec["raw"]
    for key in ("file", "tidier", "columns"):
        if key not in origin:
            raise ReferenceError(file, f"[raw] lacks {key!r}")
    if origin["tidier"] not in TIDIERS:
        raise ReferenceError(file, f"[raw] tidier {origin['tidier']!r} is not a step of "
                             f"dashboard/tidy_reference ({', '.join(TIDIERS)})")
    given = [k for k in FETCHED_KEYS if k in origin]
    if given and len(given) != len(FETCHED_KEYS):
        missing = next(k for k in FETCHED_KEYS if k not in origin)
        raise ReferenceError(file, f"[raw] of a fetched file lacks {missing!r}")


def tidy(spec: dict, raw: RawTable, name: str, file: Path) -> str:
    """The tidy table of one dataset as CSV text, checked; raises ReferenceError."""
    fields = spec["fields"]
    records = [{f["name"]: r.get(f["name"], f.get("default")) for f in fields}
               for r in TIDIERS[spec["raw"]["tidier"]](raw, spec)]
    _apply_decisions(records, spec, name, file)
    text = csvout.to_csv(_frame(records, fields))
    built = f"{name}/{name}.csv as built from {raw.path.name}"
    table = reference.table_from_csv(text, reference.descriptor(name, spec), built)
    for stated in spec.get("stated", []):
        problems = stated_problems(table, stated)
        if problems:
            raise ReferenceError(built, f"disagrees with {stated['quote']!r}: "
                                 f"{'; '.join(problems)}")
    for series in spec["series"]:
        reference.check_series_rows(table, series, built)
    return text


def build_reference(raw_dir: Path = RAW_DIR, data_dir: Path = DATA_DIR, *,
                    fetched_dir: str | Path | None = None) -> Built:
    """Rebuild every table whose raw file is at hand, then data/datapackage.json.

    Nothing is written unless every rebuilt table passes its schema, its stated figures and its
    series. Raises ReferenceError naming the raw file, line and column of bad raw data, or the
    source.toml of a bad or stale decision.
    """
    raw_dir, data_dir = Path(raw_dir), Path(data_dir)
    fetched_root = raw_root(fetched_dir)
    outputs: list[tuple[Path, bytes]] = []
    kept: list[tuple[str, str]] = []
    for name in reference.names(data_dir):
        folder = reference.catalog_dir(data_dir) / name
        spec = reference.read_source(folder / SOURCE_FILE)
        if "raw" not in spec:
            continue
        _check_raw_spec(spec, folder / SOURCE_FILE)
        path = raw_path(spec, raw_dir, fetched_root)
        if path is None or not path.is_file():
            where = ("no folder of fetched raw files given (--raw DIR or $" + RAW_ENV + ")"
                     if path is None else f"{path} not found")
            kept.append((name, where))
            continue
        origin = spec["raw"]
        raw = read_raw(path, origin["columns"], sha=origin.get("sha256"),
                       missing_trailing=origin.get("missing_trailing"))
        text = tidy(spec, raw, name, folder / SOURCE_FILE)
        outputs.append((reference.table_path(name, data_dir), text.encode("utf-8")))
    for path, content in outputs:
        if not path.is_file() or path.read_bytes() != content:
            path.write_bytes(content)
    package = data_dir / PACKAGE_FILE
    package.write_text(reference.package_json(data_dir), encoding="utf-8", newline="\n")
    return Built([*(p for p, _ in outputs), package], kept)


def _apply_decisions(records: list[Record], spec: dict, name: str, file: Path) -> None:
    known = {f["name"] for f in spec["fields"]}
    for decision in spec.get("decisions", []):
        where, values = decision["where"], decision["set"]
        unknown = (set(where) | set(values)) - known
        if unknown:
            raise ReferenceError(file, f"a decision on {name!r} names unknown column(s) "
                                 f"{', '.join(sorted(unknown))}")
        matched = [r for r in records if all(r[k] == v for k, v in where.items())]
        if not matched:
            raise ReferenceError(file, f"a decision on {name!r} matches no row: {where}")
        for record in matched:
            record.update(values)


def _frame(records: list[Record], fields: list[dict]) -> pd.DataFrame:
    """The records as the table to write: text, whole numbers, true/false for booleans.

    A number column of floats is written as floats; one that mixes whole counts and rates
    (a long table) keeps each value as it is, so a count is not written with ".0".
    """
    columns = {}
    for field in fields:
        values = [record[field["name"]] for record in records]
        kind = field.get("type", "string")
        if kind in ("integer", "year"):
            columns[field["name"]] = pd.array(values, dtype="Int64")
        elif kind == "number" and all(v is None or isinstance(v, float) for v in values):
            columns[field["name"]] = pd.array(values, dtype="Float64")
        elif kind == "number":  # whole counts beside rates: each written as it is
            columns[field["name"]] = pd.Series([None if v is None else repr(v) for v in values],
                                               dtype="object")
        elif kind == "boolean":
            columns[field["name"]] = [None if v is None else ("true" if v else "false")
                                      for v in values]
        else:
            columns[field["name"]] = pd.Series(values, dtype="object")
    return pd.DataFrame(columns)


def _rows(frame: pd.DataFrame, where: dict) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    return frame[mask]


def stated_problems(frame: pd.DataFrame, stated: dict) -> list[str]:
    """How the table disagrees with one `stated` entry of source.toml (empty when it agrees)."""
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
