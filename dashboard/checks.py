"""Claim checks: figures of an article set against reference data, with units and sources.

The checks are data (`data/checks.toml`). A check names its inputs, each one of:

- a figure of the article, picked by a selector (value, unit, words of its sentence), never by
  row number;
- a reference value: a resource of `data/datapackage.json`, a filter, a column and how to reduce
  the rows (first, sum, max, min, latest);
- an assumption: a value with its unit and the reason for it.

Its steps are expressions over those names, evaluated with the project's pint registry and
converted to a stated unit; arithmetic that the units forbid is refused with the missing
dimension named (dashboard/quantities.py). Each step gives a row of the checks table, with the
working, the assumptions and the sources. `[[series]]` entries say which reference series a
data figure of any article can be looked up in (see source_checks).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pint

from dashboard import reference
from dashboard.quantities import UnitMismatch, convert, evaluate
from dashboard.units import Quantity, ureg

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
CHECKS_FILE = DATA / "checks.toml"

CHECK_COLUMNS = (
    "check_id", "step", "kind", "status", "title", "claim_figure_id", "claim_text",
    "data_value", "data_unit", "data_source", "expression", "result", "unit", "finding",
    "assumptions", "sources",
)


class CheckError(ValueError):
    """A check that cannot be evaluated: a selector that matches no figure, a bad expression,
    units that do not agree. The message names the check and the step."""


@dataclass
class Value:
    """A named quantity with what it is and where it comes from."""

    name: str
    quantity: pint.Quantity
    label: str
    role: str  # "claim", "data" or "assumption"
    sources: list[str] = field(default_factory=list)
    figure_id: str | None = None
    text: str | None = None


# -- inputs ---------------------------------------------------------------------------------
def select_figure(figures: pd.DataFrame, selector: Mapping, check_id: str) -> pd.Series:
    """The one figure that `selector` describes: value, unit, quantity_kind, stance, in_quote,
    surface, and `near` (words that must all stand in its sentence)."""
    rows = figures
    if "value" in selector:
        rows = rows[rows["value"].astype("Float64").sub(float(selector["value"])).abs() < 1e-9]
    if "unit" in selector:
        wanted = ureg.parse_units(selector["unit"])
        rows = rows[rows["unit"].map(lambda u: _same_unit(u, wanted), na_action="ignore")
                    .fillna(False).astype(bool)]
    for column in ("quantity_kind", "stance", "in_quote", "surface", "document_id"):
        if column in selector:
            rows = rows[rows[column] == selector[column]]
    for word in selector.get("near", []):
        rows = rows[rows["sentence"].str.contains(word, case=False, regex=False)]
    if len(rows) != 1:
        raise CheckError(f"check {check_id!r}: figure selector {dict(selector)} matches "
                         f"{len(rows)} figures, not one")
    return rows.iloc[0]


def _same_unit(unit: str, wanted) -> bool:
    try:
        return ureg.parse_units(unit) == wanted
    except (pint.errors.PintError, ValueError, AttributeError):
        return False


def figure_value(name: str, row: pd.Series, role: str) -> Value:
    value = row["value"] if not pd.isna(row["value"]) else row["value_low"]
    where = f"{row['document_id']} characters {row['char_start']}-{row['char_end']}"
    speaker = "" if pd.isna(row["speaker"]) else f", {row['speaker']}"
    return Value(
        name=name,
        quantity=Quantity(float(value), row["unit"]),
        label=f"“{row['surface']}” ({row['qualifier']}{speaker})",
        role=role,
        sources=[f"{where}: {row['sentence']}"],
        figure_id=row["figure_id"],
        text=row["sentence"],
    )


def reference_value(name: str, spec: Mapping, data_dir: Path, role: str) -> Value:
    """A value reduced from the rows of a reference resource that match `where`."""
    table = reference.load(spec["resource"], data_dir)
    rows = table
    for column, wanted in spec.get("where", {}).items():
        rows = rows[rows[column].astype(str) == str(wanted)]
    if rows.empty:
        raise CheckError(f"input {name!r}: no row of {spec['resource']} has {spec.get('where')}")
    column = spec.get("column", "value")
    how = spec.get("aggregate", "first")
    date_column = spec.get("date_column")
    if how == "first" and len(rows) > 1:
        raise CheckError(f"input {name!r}: {len(rows)} rows of {spec['resource']} match "
                         f"{spec.get('where')}; say how to reduce them (aggregate)")
    if how == "span":
        # Days from the earliest to the latest date of the rows (the length of a campaign).
        dates = pd.to_datetime(rows[column])
        days = (dates.max() - dates.min()).days
        return Value(name, Quantity(days, "day"), spec.get("label", f"span of {column}"), role,
                     sources=[reference.source_line(spec["resource"], data_dir)])
    if how in ("max", "min"):
        picked = rows.loc[[rows[column].astype(float).idxmax() if how == "max"
                           else rows[column].astype(float).idxmin()]]
    elif how == "latest":
        picked = rows.loc[[rows[date_column].astype(str).idxmax()]]
    else:
        picked = rows
    magnitude = float(picked[column].astype(float).sum())
    unit = spec.get("unit") or column_unit(table, column, picked)
    label = spec.get("label", f"{spec['resource']} {column}")
    if date_column and len(picked) == 1:
        label += f" ({date_column} {picked.iloc[0][date_column]})"
    return Value(name, Quantity(magnitude, unit), label, role,
                 sources=[reference.source_line(spec["resource"], data_dir), *row_urls(picked)])


def column_unit(table: pd.DataFrame, column: str, rows: pd.DataFrame) -> str:
    """A column's unit: the rows' `unit` column for `value`, else the field's unit."""
    if column == "value" and "unit" in rows.columns:
        units = rows["unit"].dropna().unique()
        if len(units) == 1:
            return str(units[0])
        raise CheckError(f"the rows mix units {sorted(units)}: pick one with `where`")
    for spec in table.attrs.get("resource", {}).get("schema", {}).get("fields", []):
        if spec.get("name") == column and spec.get("unit"):
            return spec["unit"]
    raise CheckError(f"column {column!r} has no unit in the datapackage")


def row_urls(rows: pd.DataFrame, limit: int = 12) -> list[str]:
    """Row-level source URLs of the rows used (each strike's reports)."""
    urls: list[str] = []
    for column in [c for c in rows.columns if c.startswith("source_url")]:
        for url in rows[column].dropna():
            if url and url not in urls:
                urls.append(str(url))
    return urls[:limit]


def assumption_value(name: str, spec: Mapping) -> Value:
    return Value(name, Quantity(float(spec["value"]), spec["unit"]),
                 f"{spec['value']:g} {spec['unit']}: {spec['why']}", "assumption",
                 sources=[spec["source"]] if spec.get("source") else [])


# -- curated checks -------------------------------------------------------------------------
def load_checks(path: Path = CHECKS_FILE) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise CheckError(f"{path.name}: cannot read the checks ({err})") from err


def run_check(check: Mapping, figures: pd.DataFrame, data_dir: Path = DATA) -> list[dict]:
    """The rows of one curated check."""
    check_id = check["id"]
    names: dict[str, Value] = {}
    for name, spec in check.get("inputs", {}).items():
        role = spec.get("role", "data")
        if "figure" in spec:
            names[name] = figure_value(name, select_figure(figures, spec["figure"], check_id),
                                       role)
        elif "resource" in spec:
            names[name] = reference_value(name, spec, data_dir, role)
        elif "assume" in spec:
            names[name] = assumption_value(name, spec["assume"])
        else:
            raise CheckError(f"check {check_id!r}: input {name!r} is neither a figure, a "
                             "reference value nor an assumption")
    quantities = {name: value.quantity for name, value in names.items()}
    inputs_of = {name: [value] for name, value in names.items()}  # a step: the inputs it rests on
    rows = []
    for step in check["steps"]:
        try:
            result = convert(evaluate(step["expr"], quantities), step["unit"],
                             f"check {check_id!r}, step {step['name']!r}: {step['expr']}")
        except UnitMismatch as err:
            raise CheckError(str(err)) from err
        except ValueError as err:
            raise CheckError(f"check {check_id!r}, step {step['name']!r}: {err}") from err
        quantities[step["name"]] = result
        used = list({id(v): v for n in _names_in(step["expr"], inputs_of)
                     for v in inputs_of[n]}.values())
        inputs_of[step["name"]] = used
        rows.append(_row(check, step, result, used, quantities))
    return rows


def _names_in(expression: str, known: Mapping) -> list[str]:
    """The names of `known` that an expression uses."""
    return [n for n in re.findall(r"[A-Za-z_]\w*", expression) if n in known]


def _row(check: Mapping, step: Mapping, result: pint.Quantity, used: list[Value],
         quantities: Mapping[str, pint.Quantity]) -> dict:
    claim = next((v for v in used if v.role == "claim"), None)
    data = next((v for v in used if v.role == "data"), None) or next(
        (v for v in used if v.role == "article"), None)
    assumptions = [v.label for v in used if v.role == "assumption"]
    sources = [s for v in used for s in v.sources]
    return {
        "check_id": check["id"],
        "step": step["name"],
        "kind": "finding",
        "status": step.get("status", "computed"),
        "title": check["title"],
        "claim_figure_id": claim.figure_id if claim else None,
        "claim_text": claim.text if claim else None,
        "data_value": float(data.quantity.magnitude) if data else None,
        "data_unit": str(data.quantity.units) if data else None,
        "data_source": data.sources[0] if data and data.sources else None,
        "expression": f"{step['expr']} = {_describe(step['expr'], quantities)}",
        "result": float(result.magnitude),
        "unit": step["unit"],
        "finding": fill(step["finding"], quantities),
        "assumptions": " | ".join(dict.fromkeys(assumptions)),
        "sources": " | ".join(dict.fromkeys(sources)),
    }


def _describe(expression: str, quantities: Mapping[str, pint.Quantity]) -> str:
    """The expression with each name replaced by its quantity, for the reader to redo."""
    return re.sub(r"[A-Za-z_]\w*",
                  lambda m: f"({_quantity_text(quantities[m.group()])})"
                  if m.group() in quantities else m.group(), expression)


def _quantity_text(quantity: pint.Quantity) -> str:
    magnitude = float(quantity.magnitude)
    number = f"{magnitude:,.0f}" if magnitude.is_integer() else f"{magnitude:,.6g}"
    units = str(quantity.units)
    return number if units == "dimensionless" else f"{number} {units}"


_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)(?::([^{}]*))?\}")


def fill(template: str, quantities: Mapping[str, pint.Quantity]) -> str:
    """A finding with {name} or {name:,.1f} placeholders filled with magnitudes. Only names
    and number formats: the template is data, so no attribute access or indexing."""

    def one(match: re.Match) -> str:
        name, spec = match.group(1), match.group(2) or ",.6g"
        if name not in quantities:
            raise CheckError(f"finding names {name!r}, which is not defined")
        return format(float(quantities[name].magnitude), spec)

    return _PLACEHOLDER.sub(one, template)


# -- any article's data figures against the reference series ---------------------------------
def transposed(stated: float, source: float) -> tuple[int, int] | None:
    """The positions of two swapped digits that turn `source` into `stated`, if that is all."""
    a, b = f"{stated:.0f}", f"{source:.0f}"
    if len(a) != len(b) or a == b or not (stated.is_integer() and source.is_integer()):
        return None
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(differ) == 2 and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]]:
        return differ[0], differ[1]
    return None


def source_checks(figures: pd.DataFrame, series: list[Mapping], data_dir: Path = DATA
                  ) -> list[dict]:
    """Every data figure that names a source and a period, looked up in the reference series
    that holds it; agreement or mismatch, and a likely digit transposition, reported."""
    rows = []
    for figure in figures.itertuples(index=False):
        if figure.stance != "data" or pd.isna(figure.date) or pd.isna(figure.value):
            continue
        for entry in series:
            if _series_holds(entry, figure):
                rows.append(_compare(entry, figure, data_dir))
    return rows


def _series_holds(entry: Mapping, figure) -> bool:
    speaker = text_of(figure.speaker).lower()
    words = f"{text_of(figure.counted)} {figure.sentence}".lower()
    return (any(name.lower() in speaker for name in entry["sources"])
            and _same_unit(figure.unit, ureg.parse_units(entry["unit"]))
            and (pd.isna(figure.period) or figure.period == entry["period"])
            and any(word in words for word in entry["words"]))


def _compare(entry: Mapping, figure, data_dir: Path) -> dict:
    table = reference.load(entry["resource"], data_dir)
    rows = table
    for column, wanted in entry.get("where", {}).items():
        rows = rows[rows[column].astype(str) == str(wanted)]
    rows = rows[rows[entry["date_column"]].astype(str) == str(figure.date)]
    stated = float(figure.value)
    base = {
        "check_id": f"source:{figure.figure_id}",
        "step": entry["id"],
        "kind": "finding",
        "title": f"{figure.surface} ({figure.speaker}) against {entry['title']}",
        "claim_figure_id": figure.figure_id,
        "claim_text": figure.sentence,
        "unit": entry["unit"],
        "assumptions": entry.get("assumption", ""),
    }
    where = f"{figure.document_id} characters {figure.char_start}-{figure.char_end}"
    if rows.empty:
        return base | {
            "status": "not in reference", "expression": "", "result": None,
            "finding": f"The reference series holds no value for {figure.date}.",
            "sources": f"{where} | {reference.source_line(entry['resource'], data_dir)}",
        }
    by_estimate = {r[entry["estimate_column"]]: float(r["value"]) for _, r in rows.iterrows()}
    primary = entry["primary_estimate"]
    source = by_estimate[primary]
    others = ", ".join(f"{value:,.0f} {name}" for name, value in by_estimate.items()
                       if name != primary)
    swap = transposed(stated, source)
    if stated == source:
        status, finding = "match", (f"The article's {stated:,.0f} matches {entry['title']} "
                                    f"for {figure.date} ({source:,.0f} {primary}).")
    elif swap is not None:
        i, j = swap
        status = "likely digit transposition"
        finding = (f"The article's {stated:,.0f} is not in {entry['title']}: the source gives "
                   f"{source:,.0f} {primary} ({others}) for {figure.date}, the same digits with "
                   f"positions {i + 1} and {j + 1} swapped, a likely transposition.")
    else:
        status = "mismatch"
        finding = (f"The article's {stated:,.0f} differs from {entry['title']} for "
                   f"{figure.date}: {source:,.0f} {primary} ({others}), "
                   f"{(stated - source) / source:+.1%}.")
    return base | {
        "status": status,
        "data_value": source,
        "data_unit": entry["unit"],
        "data_source": reference.source_line(entry["resource"], data_dir),
        "expression": f"stated - source = {stated:,.0f} - {source:,.0f}",
        "result": stated - source,
        "finding": finding,
        "sources": f"{where} | {reference.source_line(entry['resource'], data_dir)}",
    }


def text_of(value: object) -> str:
    """A table cell as text, empty for NA (pandas' NA has no truth value)."""
    return "" if value is None or pd.isna(value) else str(value)


# -- the checks table -----------------------------------------------------------------------
def checks_table(figures: pd.DataFrame, checks_path: Path = CHECKS_FILE,
                 data_dir: Path = DATA) -> pd.DataFrame:
    """Every curated check whose document is in `figures`, the source checks of its data
    figures, and the suggested comparisons among its own figures."""
    from dashboard.implications import suggestions  # the suggestions use this module's rows

    spec = load_checks(checks_path)
    documents = set(figures["document_id"])
    rows: list[dict] = []
    for check in spec.get("check", []):
        if documents & set(check.get("documents", [])):
            rows += run_check(check, figures[figures["document_id"].isin(check["documents"])],
                              data_dir)
    rows += source_checks(figures, spec.get("series", []), data_dir)
    rows += suggestions(figures)
    table = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    table["result"] = table["result"].astype("Float64")
    table["data_value"] = table["data_value"].astype("Float64")
    return table

