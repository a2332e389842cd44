"""The labelled corpus in tests/corpus/ is the extractor's specification.

Every `tests/corpus/*.toml` file holds `[[case]]` tables: a text, an optional `published` date and
`publisher`, the figures `extract_figures` must report (`[[case.figure]]`) and the surfaces it must
not report (`absent`). A figure is found by its `surface` (a list means any of those spans is
acceptable); then only the fields the label gives are compared, so a label says exactly what it
means and nothing more. `""` means the cell must be empty. tests/corpus/README.md lists the
conventions the labels follow; README.md ("The figures table") is the contract they come from.

A case may carry `xfail = "why"` to record a known gap; the mark is strict, so the test says so
when the gap closes.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dashboard import schema

CORPUS = Path(__file__).parent / "corpus"
CONSTRUCT_FILES = (
    "numbers", "percents", "money", "ranges", "hedges", "ordinals", "dates", "durations",
    "counted", "measures", "rates", "quotes", "stance", "vague", "negatives",
)
MIN_CASES = 150
DEFAULT_PUBLISHER = "Test Desk"

QUALIFIERS, KINDS, STANCES = schema.QUALIFIERS, schema.KINDS, schema.STANCES
ISO_DATE, ISO_PERIOD = schema.ISO_DATE, schema.ISO_DURATION
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

FLOAT_FIELDS = frozenset({"value", "value_low", "value_high", "rate_base"})
BOOL_FIELDS = frozenset({"in_quote"})
TEXT_FIELDS = frozenset(
    {"qualifier", "unit", "quantity_kind", "counted", "date", "period", "speaker", "stance"}
)
FIGURE_KEYS = FLOAT_FIELDS | BOOL_FIELDS | TEXT_FIELDS | {"surface", "note"}
CASE_KEYS = frozenset({"id", "text", "published", "publisher", "absent", "figure", "xfail", "note"})
# Columns shown when a row is printed in a failure message, in this order.
SHOWN_COLUMNS = (
    "surface", "char_start", "char_end", "value", "value_low", "value_high", "qualifier", "unit",
    "quantity_kind", "counted", "date", "period", "rate_base", "speaker", "in_quote", "stance",
)


def load_corpus(folder: Path = CORPUS) -> list[dict[str, Any]]:
    """Every case of every TOML file in `folder`, each with the file it came from in `_file`."""
    cases = []
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        cases.extend({**case, "_file": path.name} for case in data.get("case", []))
    return cases


CASES = load_corpus()


def _case_params() -> Iterator[Any]:
    for case in CASES:
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
        yield pytest.param(case, id=case["id"], marks=marks)


def expected_surfaces(figure: Mapping[str, Any]) -> list[str]:
    """The acceptable surfaces of a labelled figure (one string, or a list of alternatives)."""
    surface = figure["surface"]
    return [surface] if isinstance(surface, str) else list(surface)


# --- the corpus is well formed ------------------------------------------------------------------


def test_every_construct_file_is_present():
    missing = [name for name in CONSTRUCT_FILES if not (CORPUS / f"{name}.toml").is_file()]
    assert not missing, f"missing corpus files in tests/corpus/: {[m + '.toml' for m in missing]}"


def test_corpus_has_enough_labelled_cases():
    unlabelled = [case["id"] for case in CASES if not case.get("figure") and not case.get("absent")]
    assert not unlabelled, f"cases with neither a figure nor an absent surface: {unlabelled}"
    assert len(CASES) >= MIN_CASES, f"only {len(CASES)} cases; the corpus needs {MIN_CASES}"


def test_case_ids_are_unique():
    counts = Counter(case.get("id") for case in CASES)
    duplicated = sorted(str(case_id) for case_id, n in counts.items() if n > 1)
    assert not duplicated, f"case ids used more than once: {duplicated}"


def test_labels_are_well_formed():
    """Typos in a label would silently weaken the spec: every label is checked against itself."""
    problems = [f"{case.get('id')} ({case['_file']}): {p}" for case in CASES for p in _lint(case)]
    assert not problems, "malformed corpus labels:\n" + "\n".join(problems)


def _lint(case: Mapping[str, Any]) -> Iterator[str]:
    unknown = set(case) - CASE_KEYS - {"_file"}
    if unknown:
        yield f"unknown case keys {sorted(unknown)}"
    text = case.get("text")
    if not isinstance(case.get("id"), str) or not isinstance(text, str) or not text:
        yield "a case needs a string `id` and a non-empty string `text`"
        return
    published = case.get("published")
    if published is not None and not ISO_DAY.fullmatch(str(published)):
        yield f"published {published!r} is not a quoted ISO date (YYYY-MM-DD)"
    publisher = case.get("publisher", DEFAULT_PUBLISHER)
    wanted = set()
    for figure in case.get("figure", []):
        yield from _lint_figure(figure, text, publisher)
        wanted.update(expected_surfaces(figure) if "surface" in figure else [])
    for surface in case.get("absent", []):
        if surface not in text:
            yield f"absent surface {surface!r} does not occur in the text"
        if surface in wanted:
            yield f"{surface!r} is both expected and absent"


def _lint_figure(figure: Mapping[str, Any], text: str, publisher: str) -> Iterator[str]:
    if "surface" not in figure:
        yield f"a figure without a surface: {dict(figure)}"
        return
    name = figure["surface"]
    unknown = set(figure) - FIGURE_KEYS
    if unknown:
        yield f"figure {name!r}: unknown keys {sorted(unknown)}"
    for surface in expected_surfaces(figure):
        if not surface or surface not in text:
            yield f"figure {name!r}: surface {surface!r} does not occur in the text"
    for field in FLOAT_FIELDS & set(figure):
        if figure[field] != "" and type(figure[field]) is not float:
            yield f"figure {name!r}: {field} must be a float (12.0) or \"\", not {figure[field]!r}"
    for field in BOOL_FIELDS & set(figure):
        if not isinstance(figure[field], bool):
            yield f"figure {name!r}: {field} must be true or false"
    vocabularies = {"qualifier": QUALIFIERS, "quantity_kind": KINDS, "stance": STANCES}
    for field, allowed in vocabularies.items():
        if figure.get(field, "") not in ("", *allowed):
            yield f"figure {name!r}: {field} {figure[field]!r} is not one of {allowed}"
    for field, pattern in (("date", ISO_DATE), ("period", ISO_PERIOD)):
        if figure.get(field) and not pattern.fullmatch(figure[field]):
            yield f"figure {name!r}: {field} {figure[field]!r} is not ISO"
    low, high = figure.get("value_low"), figure.get("value_high")
    if isinstance(low, float) and isinstance(high, float) and low > high:
        yield f"figure {name!r}: value_low {low} > value_high {high}"
    if figure.get("counted") and figure["counted"] not in text:
        yield f"figure {name!r}: counted {figure['counted']!r} does not occur in the text"
    speaker = figure.get("speaker")
    if speaker and speaker != publisher and speaker not in text:
        yield f"figure {name!r}: speaker {speaker!r} is neither in the text nor the publisher"


# --- the extractor meets the corpus -------------------------------------------------------------


@pytest.mark.parametrize("case", list(_case_params()))
def test_extractor_matches_corpus_case(case):
    rows = _extract(case)
    failures = [f for figure in case.get("figure", []) if (f := _check_figure(case, figure, rows))]
    absent = set(case.get("absent", []))
    extra = [row for row in rows if row.get("surface") in absent]
    if extra:
        failures.append(
            "rows that must not be extracted:\n"
            + "\n".join(f"    {_show_row(row)}" for row in extra)
        )
    if failures:
        pytest.fail(_case_header(case) + "\n" + "\n".join(failures), pytrace=False)


def _extract(case: Mapping[str, Any]) -> list[dict[str, Any]]:
    try:
        from dashboard.extract import extract_figures
    except ImportError as error:
        pytest.fail(f"dashboard.extract.extract_figures cannot be imported: {error}", pytrace=False)
    table = extract_figures(
        case["text"],
        published=case.get("published"),
        document_id=case["id"],
        publisher=case.get("publisher", DEFAULT_PUBLISHER),
    )
    if isinstance(table, pd.DataFrame):
        return table.to_dict("records")
    return [dict(row) for row in table]


def _check_figure(
    case: Mapping[str, Any], figure: Mapping[str, Any], rows: list[dict[str, Any]]
) -> str | None:
    """None when some row with the figure's surface agrees with every given field."""
    wanted = expected_surfaces(figure)
    label = wanted[0] if len(wanted) == 1 else " | ".join(wanted)
    candidates = [row for row in rows if row.get("surface") in wanted]
    if not candidates:
        found = ", ".join(
            f"{row.get('surface')!r} ({row.get('quantity_kind')})" for row in rows
        ) or "no rows at all"
        return f"  figure {label!r}: no row has this surface; found: {found}"
    judged = [(row, _mismatches(case["text"], figure, row)) for row in candidates]
    row, problems = min(judged, key=lambda pair: len(pair[1]))
    if not problems:
        return None
    expected = {k: v for k, v in figure.items() if k not in ("surface", "note")}
    lines = [f"  figure {label!r}: expected {expected}"]
    lines += [f"    {problem}" for problem in problems]
    lines.append(f"    actual row: {_show_row(row)}")
    if figure.get("note"):
        lines.append(f"    note: {figure['note']}")
    return "\n".join(lines)


def _mismatches(text: str, figure: Mapping[str, Any], row: Mapping[str, Any]) -> list[str]:
    problems = []
    start, end = row.get("char_start"), row.get("char_end")
    if not _is_empty(start) and not _is_empty(end):
        span = text[int(start) : int(end)]
        if span != row["surface"]:
            problems.append(f"span: text[{start}:{end}] is {span!r}, not {row['surface']!r}")
    for field, expected in figure.items():
        if field in ("surface", "note"):
            continue
        problem = _compare(field, expected, row.get(field))
        if problem:
            problems.append(problem)
    return problems


def _compare(field: str, expected: Any, actual: Any) -> str | None:
    """A one-line explanation when the cell disagrees with the label, else None."""
    if expected == "":
        return None if _is_empty(actual) else f"{field}: expected empty, got {actual!r}"
    if _is_empty(actual):
        return f"{field}: expected {expected!r}, got empty"
    if field in FLOAT_FIELDS:
        try:
            agrees = math.isclose(float(actual), expected, rel_tol=1e-6, abs_tol=1e-9)
        except (TypeError, ValueError):
            agrees = False
    elif field in BOOL_FIELDS:
        agrees = _as_bool(actual) is expected
    elif field == "unit":
        agrees = _same_unit(str(expected), str(actual))
    else:
        agrees = str(actual).strip() == str(expected).strip()
    return None if agrees else f"{field}: expected {expected!r}, got {actual!r}"


def _is_empty(cell: Any) -> bool:
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    try:
        return bool(pd.isna(cell))
    except (TypeError, ValueError):
        return False


def _as_bool(cell: Any) -> bool:
    if isinstance(cell, str):
        return cell.strip().lower() in ("true", "1", "yes")
    return bool(cell)


@cache
def _registry() -> Any:
    try:
        from dashboard.units import ureg
    except ImportError:
        return None
    return ureg


def _parse_unit(text: str) -> Any:
    registry = _registry()
    if registry is None:
        return None
    try:
        return registry.parse_units(text)
    except Exception:  # pint raises several unrelated types for text it cannot read
        return None


def _same_unit(expected: str, actual: str) -> bool:
    """Units agree as written, or as the project's pint registry reads them.

    pint cancels `person / person` to dimensionless, so dimensionless units are also compared
    numerator by numerator and denominator by denominator.
    """
    if "".join(expected.split()) == "".join(actual.split()):
        return True
    parsed_expected, parsed_actual = _parse_unit(expected), _parse_unit(actual)
    if parsed_expected is None or parsed_actual is None or parsed_expected != parsed_actual:
        return False
    if parsed_expected.dimensionless:
        return _unit_parts(expected) == _unit_parts(actual)
    return True


def _unit_parts(text: str) -> tuple[Any, Any]:
    numerator, _, denominator = text.partition("/")
    return (
        _parse_unit(numerator.strip() or "dimensionless"),
        _parse_unit(denominator.strip() or "dimensionless"),
    )


def _case_header(case: Mapping[str, Any]) -> str:
    return (
        f"corpus case {case['id']} ({case['_file']})\n"
        f"  text: {case['text']!r}\n"
        f"  published: {case.get('published', '-')}, "
        f"publisher: {case.get('publisher', DEFAULT_PUBLISHER)}"
        + (f"\n  note: {case['note']}" if case.get("note") else "")
    )


def _show_row(row: Mapping[str, Any]) -> str:
    shown = {k: row.get(k) for k in SHOWN_COLUMNS if k in row and not _is_empty(row.get(k))}
    return repr(shown)
