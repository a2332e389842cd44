"""Checks: an article's figures set against reference data and against each other.

    checks_table(figures, texts=None) -> DataFrame   (the contract: dashboard/schema.py)

One row per step of a check, of four kinds:
- `finding`: a curated check of `data/checks.toml`, for every article that carries its claim
  (curated.py; the arithmetic in expressions.py);
- `verification`: a figure matched to a series of the reference catalog and given a verdict
  (catalog.py, periods.py, matching.py, verdicts.py, verification.py);
- `consistency`: the article's stated changes, differences, shares and totals redone from its
  own figures (consistency.py);
- `suggestion`: comparisons the article's figures allow, proposed, not concluded (suggestions.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from dashboard import reference
from dashboard.checks.catalog import catalog_signature, load_catalog
from dashboard.checks.consistency import consistency_rows
from dashboard.checks.context import records, sentences
from dashboard.checks.curated import (
    CHECKS_FILE,
    CheckError,
    load_checks,
    run_check,
)
from dashboard.checks.suggestions import suggestions
from dashboard.checks.verification import matches, verification_rows
from dashboard.schema import CHECK_COLUMN_NAMES, checks_frame, validate_checks

__all__ = ["CHECK_COLUMNS", "CheckError", "checks_table"]

CHECK_COLUMNS = CHECK_COLUMN_NAMES


def _published(figures: pd.DataFrame) -> dict[str, dt.date | None]:
    dates: dict[str, dt.date | None] = {}
    for document, published in zip(figures["document_id"], figures["published"], strict=True):
        if document not in dates:
            try:
                dates[document] = (None if published is None or pd.isna(published)
                                   else dt.date.fromisoformat(str(published)[:10]))
            except ValueError:
                dates[document] = None
    return dates


def checks_table(figures: pd.DataFrame, texts: Mapping[str, str] | None = None, *,
                 checks_path: Path = CHECKS_FILE, data_dir: Path = reference.DATA_DIR
                 ) -> pd.DataFrame:
    """Every check of the articles in `figures`: curated checks whose claim they carry, their
    figures against the reference catalog, their consistency with themselves, and suggestions.

    `texts` (document id -> text) lets a sentence be placed in its document exactly; without it
    the figures' own offsets are used. Raises CheckError for a curated check that cannot be
    evaluated. Reference data that cannot be read (a missing or malformed file) leaves out the
    checks and series that need it, and `attrs["reference_problems"]` of the table says which
    files, one message each.
    """
    spec = load_checks(checks_path)
    # Plain Python values: the checks read rows one by one, which is slow on Arrow-backed text.
    figures = figures.astype(object)
    # The catalog's files are looked at once per call: a changed file shows in the next one.
    signature = catalog_signature(Path(data_dir))
    # Each figure as a plain record, made once: the checks below read them all.
    every = records(figures)
    positions: dict[str, list[int]] = {}
    for at, document in enumerate(figures["document_id"].tolist()):
        positions.setdefault(document, []).append(at)
    rows: list[dict] = []
    catalog = load_catalog(data_dir, signature)
    problems = dict.fromkeys(catalog.problems)
    for at in positions.values():
        own = figures.iloc[at]
        own_rows = list(zip(own.index, (every[i] for i in at), strict=True))
        for check in spec.get("check", []):
            try:
                rows += run_check(check, own, data_dir, own_rows, signature)
            except reference.ReferenceError as err:
                problems[err.shown(Path(data_dir))] = None
    published = _published(figures)
    grouped = sentences(figures, texts, every)
    found = matches(grouped, catalog, published)
    rows += verification_rows(found, published)
    rows += consistency_rows(grouped, found)
    rows += suggestions(figures, every)
    table = validate_checks(checks_frame(rows))
    table.attrs["reference_problems"] = tuple(problems)
    return table
