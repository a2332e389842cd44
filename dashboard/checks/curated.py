"""Curated checks: a claim's arithmetic written as data (`data/checks.toml`), for every
article that carries the claim.

A check applies to a document when its claim input picks a figure there: chosen by what the
article says (value, unit, words of the sentence), never by which article it is. Its inputs are
each one of:

- a figure of the article, picked by a selector (value, unit, kind, stated period, words that
  must all, or any, stand in its sentence, the same sentence as another input);
- a reference value: a resource of the catalog, a filter, a column and how to reduce the rows
  (first, sum, max, min, latest, span), optionally only the rows dated on or before the
  article's publication (`as_of`);
- an assumption: a value with its unit and the reason for it.

Its steps are expressions over those names (dashboard/checks/expressions.py), evaluated with the
project's pint registry and converted to a stated unit; arithmetic the units forbid is refused
with the missing dimension named. A step whose inputs the article does not have is left out.

A check may say how the claim chart draws it (dashboard/charts/claim.py): a `chart` table on a
step makes it a bar (its role, a label, the name of the number it shows, the step whose result
says how many times the reference that bar is) or the finding written on the chart, and a
`chart` table on the check gives the chart's title, subtitle and axis. Their templates are filled
here, with the check's numbers and a few words of its inputs, into the `chart_*` columns of the
checks table, so that a chart reads words and numbers from the table and knows no check.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pint

from dashboard import reference
from dashboard.checks.catalog import catalog_signature
from dashboard.checks.context import records
from dashboard.checks.expressions import UnitMismatch, convert, evaluate
from dashboard.checks.provenance import figure_columns
from dashboard.schema import CHART_ROLES
from dashboard.units import Quantity, unit_of, ureg

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
CHECKS_FILE = DATA / "checks.toml"

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
    row: pd.Series | None = None
    dataset: str | None = None
    url: str | None = None
    footnote: str | None = None  # the publisher's footnote on the reference rows read


# -- inputs ---------------------------------------------------------------------------------
def select_figure(figures: pd.DataFrame, selector: Mapping, chosen: Mapping[str, pd.Series],
                  rows: list | None = None) -> pd.Series | None:
    """The first figure, in the article's order, that `selector` describes; None if none does.

    Keys: value, unit (pint decides), quantity_kind, stance, in_quote, period, `near` (words
    that must all stand in its sentence), `near_any` (one of them must), `same_sentence_as`
    (another input's figure shares its sentence).
    """
    wanted = ureg.parse_units(selector["unit"]) if "unit" in selector else None
    near = [w.lower() for w in selector.get("near", [])]
    near_any = [w.lower() for w in selector.get("near_any", [])]
    other = selector.get("same_sentence_as")
    if other is not None and other not in chosen:
        return None
    best = None
    units: dict[object, bool] = {}  # a document has few units: each is compared once
    for index, row in rows if rows is not None else figure_rows(figures):
        if wanted is not None:
            if row.unit not in units:
                units[row.unit] = isinstance(row.unit, str) and _same_unit(row.unit, wanted)
            if not units[row.unit]:
                continue
        if "value" in selector and (pd.isna(row.value)
                                    or abs(float(row.value) - float(selector["value"])) > 1e-9):
            continue
        if any(column in selector and (pd.isna(getattr(row, column))
                                       or getattr(row, column) != selector[column])
               for column in ("quantity_kind", "stance", "in_quote", "period")):
            continue
        sentence = row.sentence.lower()
        if any(w not in sentence for w in near) or (near_any and
                                                   not any(w in sentence for w in near_any)):
            continue
        if other is not None and row.sentence != chosen[other]["sentence"]:
            continue
        if best is None or row.char_start < best[1]:
            best = (index, row.char_start)
    return figures.loc[best[0]] if best is not None else None


def figure_rows(figures: pd.DataFrame) -> list:
    """(index, row) of each figure: made once per document, as checks select from it often."""
    return list(zip(figures.index, records(figures), strict=True))


def _same_unit(unit: str, wanted) -> bool:
    return unit_of(unit) == wanted


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
        row=row,
    )


def reference_value(name: str, spec: Mapping, data_dir: Path, role: str,
                    published: str | None = None) -> Value:
    """A value reduced from the rows of a reference resource that match `where` (and, with
    `as_of`, are dated on or before the article's publication)."""
    descriptor = reference.resource(spec["resource"], data_dir)
    # Without the descriptor in attrs: pandas deep-copies attrs on every operation.
    rows = reference.load(spec["resource"], data_dir).copy(deep=False)
    rows.attrs = {}
    for column, wanted in spec.get("where", {}).items():
        rows = rows[rows[column].astype(str) == str(wanted)]
    if spec.get("as_of") and published:
        rows = rows[pd.to_datetime(rows[spec["as_of"]]) <= pd.Timestamp(published)]
    if rows.empty:
        raise CheckError(f"input {name!r}: no row of {spec['resource']} has {spec.get('where')}"
                         + (f" on or before {published}" if spec.get("as_of") else ""))
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
                     sources=[reference.source_line(spec["resource"], data_dir)],
                     dataset=spec["resource"], url=descriptor.get("url"))
    if how in ("max", "min"):
        picked = rows.loc[[rows[column].astype(float).idxmax() if how == "max"
                           else rows[column].astype(float).idxmin()]]
    elif how == "latest":
        picked = rows.loc[[rows[date_column].astype(str).idxmax()]]
    else:
        picked = rows
    magnitude = float(picked[column].astype(float).sum())
    unit = spec.get("unit") or column_unit(descriptor, column, picked)
    label = spec.get("label", f"{spec['resource']} {column}")
    if date_column and len(picked) == 1:
        label += f" ({date_column} {picked.iloc[0][date_column]})"
    return Value(name, Quantity(magnitude, unit), label, role,
                 sources=[reference.source_line(spec["resource"], data_dir), *row_urls(picked)],
                 dataset=spec["resource"], url=descriptor.get("url"),
                 footnote=row_footnote(picked))


def row_footnote(rows: pd.DataFrame) -> str | None:
    """The publisher's footnote on the rows used, for a resource that carries a `footnote`
    column (CDC flags its latest counts as underreported there); None for one that does not."""
    if "footnote" not in rows.columns:
        return None
    notes = [str(n) for n in dict.fromkeys(rows["footnote"].dropna()) if str(n).strip()]
    return " ".join(notes) or None


@lru_cache(maxsize=1024)
def _reference_value(name: str, spec: str, data_dir: str, role: str, published: str | None,
                     signature: tuple) -> Value:
    """reference_value, worked out once per version of the catalog's files (`signature`) and,
    for rows kept as of the article's date, per publication date."""
    return reference_value(name, json.loads(spec), Path(data_dir), role, published)


def column_unit(descriptor: Mapping, column: str, rows: pd.DataFrame) -> str:
    """A column's unit: the rows' `unit` column for `value`, else the field's unit."""
    if column == "value" and "unit" in rows.columns:
        units = rows["unit"].dropna().unique()
        if len(units) == 1:
            return str(units[0])
        raise CheckError(f"the rows mix units {sorted(units)}: pick one with `where`")
    for spec in descriptor.get("schema", {}).get("fields", []):
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
    """The curated checks of `path`, read again only when the file changes (parsing the TOML
    cost a third of checking the seed). The result is shared: read it, do not change it."""
    try:
        stat = path.stat()
        return _parsed_checks(str(path), stat.st_mtime_ns, stat.st_size)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise CheckError(f"{path.name}: cannot read the checks ({err})") from err


@lru_cache(maxsize=8)
def _parsed_checks(path: str, _mtime_ns: int, _size: int) -> dict:
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))


def run_check(check: Mapping, figures: pd.DataFrame, data_dir: Path = DATA,
              rows: list | None = None, signature: tuple | None = None) -> list[dict]:
    """The rows of one curated check on one document's figures: none when its claim is not
    in the document, and only the steps whose inputs the document has. `signature` is the
    catalog's (catalog_signature), when the caller has it already."""
    check_id = check["id"]
    names: dict[str, Value] = {}
    chosen: dict[str, pd.Series] = {}
    published = _published(figures)
    if signature is None:
        signature = catalog_signature(Path(data_dir))
    for name, spec in check.get("inputs", {}).items():
        role = spec.get("role", "data")
        if "figure" in spec:
            row = select_figure(figures, spec["figure"], chosen, rows)
            if row is None:
                if role == "claim" and name == check.get("applies_when", name):
                    return []  # the article does not carry the claim
                continue
            chosen[name] = row
            names[name] = figure_value(name, row, role)
        elif "resource" in spec:
            names[name] = _reference_value(name, json.dumps(spec, sort_keys=True), str(data_dir),
                                           role, published if spec.get("as_of") else None,
                                           signature)
        elif "assume" in spec:
            names[name] = assumption_value(name, spec["assume"])
        else:
            raise CheckError(f"check {check_id!r}: input {name!r} is neither a figure, a "
                             "reference value nor an assumption")
    if check.get("applies_when") not in chosen:
        return []
    quantities = {name: value.quantity for name, value in names.items()}
    inputs_of = {name: [value] for name, value in names.items()}  # a step: the inputs it rests on
    rows = []
    for step in check["steps"]:
        if any(n not in quantities for n in _identifiers(step["expr"])):
            continue  # an input the article does not have
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
    # After every step: a bar's ratio may be a step written after it.
    return _with_chart(check, rows, quantities, names)


def _published(figures: pd.DataFrame) -> str | None:
    dates = figures["published"].dropna() if "published" in figures else []
    return str(dates.iloc[0]) if len(dates) else None


def _identifiers(expression: str) -> list[str]:
    return re.findall(r"[A-Za-z_]\w*", expression)


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
        **(figure_columns(claim.row) if claim is not None and claim.row is not None else {}),
        "dataset": data.dataset if data is not None else None,
        "source_url": data.url if data is not None else None,
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


# -- how the claim chart draws a check --------------------------------------------------------
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_FIELD = re.compile(r"\{([A-Za-z_]\w*)(?:\.([a-z]+))?(?::([^{}]*))?\}")
_PERIOD = re.compile(r"P(\d+)([YMWD])")
_PERIOD_WORDS = {"Y": "years", "M": "months", "W": "weeks", "D": "days"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _with_chart(check: Mapping, rows: list[dict], quantities: Mapping[str, pint.Quantity],
                names: Mapping[str, Value]) -> list[dict]:
    """The rows with the `chart_*` columns that the check's `chart` tables ask for."""
    spec = check.get("chart") or {}
    known = set(check.get("inputs", {})) | {step["name"] for step in check["steps"]}
    where = f"check {check['id']!r}, chart"
    shared = {
        "chart_title": chart_text(spec.get("title"), quantities, names, known, where),
        "chart_subtitle": chart_text(spec.get("subtitle"), quantities, names, known, where),
        "chart_axis": spec.get("axis"),
        "chart_times_of": spec.get("times_of"),
    } if spec else {}
    steps = {step["name"]: step for step in check["steps"]}
    for row in rows:
        row.update(shared)
        chart = steps[row["step"]].get("chart")
        if chart:
            row.update(_bar(chart, row, quantities, names, known,
                            f"check {check['id']!r}, step {row['step']!r}, chart"))
    return rows


def _bar(chart: Mapping, row: Mapping, quantities: Mapping[str, pint.Quantity],
         names: Mapping[str, Value], known: set[str], where: str) -> dict:
    """One step's chart columns: the bar it draws (if any) and the finding it writes (if any)."""
    role = chart.get("role")
    if role is not None and role not in CHART_ROLES:
        raise CheckError(f"{where}: role {role!r} is not one of {', '.join(CHART_ROLES)}")
    out = {"chart_finding": chart.get("finding")}
    if role is None:
        return out
    name = chart.get("value", row["step"])
    times = chart.get("times")
    for named in (name, times):
        if named is not None and named not in known:
            raise CheckError(f"{where}: {named!r} is neither an input nor a step of the check")
    if name not in quantities:
        return out  # the article lacks the number this bar would show
    value = quantities[name]
    if chart.get("unit"):
        try:
            value = convert(value, chart["unit"], f"{where}: {name}")
        except UnitMismatch as err:
            raise CheckError(str(err)) from err
    return {**out, "chart_role": role, "chart_item": name,
            "chart_label": chart_text(chart.get("label"), quantities, names, known, where),
            "chart_value": float(value.magnitude), "chart_unit": str(value.units),
            "chart_times": _ratio(quantities, times, where),
            "chart_note": chart_text(chart.get("note"), quantities, names, known, where)}


def _ratio(quantities: Mapping[str, pint.Quantity], name: str | None, where: str
           ) -> float | None:
    if name not in quantities:
        return None
    try:
        return float(convert(quantities[name], "dimensionless", f"{where}: {name}").magnitude)
    except UnitMismatch as err:
        raise CheckError(str(err)) from err


def chart_text(template: str | None, quantities: Mapping[str, pint.Quantity],
               names: Mapping[str, Value], known: set[str], where: str) -> str | None:
    """A chart template filled: {name} or {name:,.0f} a number of the check, {name.speaker}
    and {name.period} words of a figure input, {name.footnote} the footnote of a reference
    input's rows. A part in [brackets] is left out when a placeholder in it has nothing to
    say; the whole text is None when one outside brackets has nothing (a number or figure the
    article lacks) or nothing is left. A name the check does not define is an error."""
    if template is None:
        return None

    def filled(text: str) -> str | None:
        parts: list[str] = []
        end = 0
        for match in _FIELD.finditer(text):
            name, part, spec = match.groups()
            if name not in known:
                raise CheckError(f"{where}: {match.group()} names {name!r}, which is not "
                                 "defined")
            words = _field(name, part, spec, quantities, names, where)
            if not words:
                return None
            parts += [text[end:match.start()], words]
            end = match.end()
        return "".join([*parts, text[end:]])

    def optional(match: re.Match) -> str:
        return filled(match.group(1)) or ""

    return filled(_SEGMENT.sub(optional, template)) or None  # nothing left: no text at all


def _field(name: str, part: str | None, spec: str | None,
           quantities: Mapping[str, pint.Quantity], names: Mapping[str, Value],
           where: str) -> str | None:
    if part is None:
        return (format(float(quantities[name].magnitude), spec or ",.6g")
                if name in quantities else None)
    value = names.get(name)
    row = value.row if value is not None else None
    if part == "footnote":
        return value.footnote if value is not None else None
    if part == "speaker":
        return None if row is None or pd.isna(row["speaker"]) else str(row["speaker"])
    if part == "period":
        return None if row is None else period_words(row["date"], row.get("period"))
    raise CheckError(f"{where}: {{{name}.{part}}}: a template knows .speaker, .period and "
                     ".footnote")


def period_words(date: object, period: object = None) -> str | None:
    """A figure's date as a reader says it: "Apr 2025", "2023", "18 Nov 2025", and for a month
    that ends a stated period (P12M) "12 months to Apr 2025"."""
    if date is None or pd.isna(date) or not str(date).strip() or "/" in str(date):
        return None
    text = str(date)
    year, *rest = text.split("-")
    words = (year if not rest else f"{_MONTHS[int(rest[0]) - 1]} {year}" if len(rest) == 1
             else f"{int(rest[1])} {_MONTHS[int(rest[0]) - 1]} {year}")
    match = (_PERIOD.fullmatch(str(period))
             if period is not None and not pd.isna(period) else None)
    if match and len(rest) == 1:
        return f"{match.group(1)} {_PERIOD_WORDS[match.group(2)]} to {words}"
    return words
