"""Rows of the checks table for figures set against the catalog (kind `verification`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from dashboard.checks.catalog import Catalog
from dashboard.checks.context import Sentence
from dashboard.checks.matching import (
    CLAUSE,
    EVIDENCE_WHERE,
    Match,
    candidates,
    resolve_period,
    stated,
    verify,
)
from dashboard.checks.periods import TWELVE_MONTHS, Period
from dashboard.checks.provenance import figure_columns, where
from dashboard.checks.verdicts import (
    CONSISTENT,
    DIFFERS,
    MATCHES,
    TRANSPOSITION,
    Judgement,
    number,
)


def matches(sentences: list[Sentence], catalog: Catalog,
            published: Mapping[str, dt.date | None]) -> list[Match]:
    """Every figure that matches a series, in document order, with its period resolved."""
    found: list[Match] = []
    named_twelve: dict[str, set[str]] = {}
    by_document: dict[str, dict[float, Match]] = {}
    for sentence in sentences:
        earlier: dict[str, Match] = {}
        named = named_twelve.setdefault(sentence.document_id, set())
        document = by_document.setdefault(sentence.document_id, {})
        for figure in sentence.values():
            options = candidates(figure, sentence, catalog, earlier, document)
            if not options:
                continue
            for option in options:
                resolve_period(option, named, published.get(sentence.document_id))
            match = best(options)
            earlier[figure.figure_id] = match
            if match.strength >= CLAUSE:
                document[stated(figure).value] = match
            found.append(match)
        named.update(p.key for p in sentence.periods if p.structure == TWELVE_MONTHS)
    return found


def best(options: list[Match]) -> Match:
    """Among the series the words tie a figure to most strongly, the one that holds its period
    as stated (a calendar year in an annual series before the 12 months ending December), then
    one that holds it at all, then the first."""
    top = [m for m in options if m.strength == options[0].strength]
    holding = [m for m in top if m.key is not None
               and m.series.lookup(m.key, m.place) is not None]
    exact = [m for m in holding if m.period is not None
             and m.period.structure == m.series.period]
    return (exact or holding or top)[0]


def verification_rows(found: list[Match], published: Mapping[str, dt.date | None]
                      ) -> list[dict]:
    rows = []
    cited: dict[tuple, str | None] = {}
    for match in found:
        judgement = verify(match, published.get(match.sentence.document_id))
        rows.append(_row(match, judgement, published.get(match.sentence.document_id), cited))
    return rows


def _cited(match: Match, cited: dict[tuple, str | None]) -> str | None:
    """The note on the source the sentence or else its paragraph names; a paragraph is read
    once per series, however many of its figures match (a long one would be read again for
    each)."""
    series, sentence = match.series, match.sentence
    found = series.cited_as.search(sentence.text)
    if found is not None:
        return f"the sentence names the source ({found.group()})"
    key = (series.id, sentence.document_id, sentence.paragraph_bounds)
    if key not in cited:
        found = series.cited_as.search(sentence.paragraph)
        cited[key] = (f"the paragraph names the source ({found.group()})"
                      if found is not None else None)
    return cited[key]


def _label(match: Match) -> str:
    return Period(match.series.period, match.key).label if match.key else "no stated period"


def _finding(match: Match, judgement: Judgement) -> str:
    what = f"The article's {match.figure.surface}"
    label = _label(match)
    reference = number(judgement.reference) if judgement.reference is not None else ""
    estimate = f" ({judgement.estimate})" if judgement.estimate else ""
    source = f"the series' {reference}{estimate} for {label}"
    if judgement.verdict == MATCHES:
        return f"{what} matches {source}."
    if judgement.verdict == CONSISTENT:
        return f"{what} is consistent with {source}, within {judgement.tolerance}."
    if judgement.verdict == TRANSPOSITION:
        return (f"{what} is not in the series: {source} has the same digits with two swapped, "
                "a likely transposition.")
    if judgement.verdict == DIFFERS:
        return f"{what} differs from {source}."
    return f"{what} cannot be set against {match.series.title}: {judgement.note}."


def _note(match: Match, judgement: Judgement, published: dt.date | None,
          cited: dict[tuple, str | None]) -> str:
    series = match.series
    notes = [judgement.note, _cited(match, cited)]
    if series.revised and published is not None and series.release:
        try:
            release = dt.date.fromisoformat(series.release[:10])
        except ValueError:
            release = None
        if release is not None and published < release:
            notes.append(f"the article ({published.isoformat()}) predates the release used "
                         f"({series.release}): provisional counts are revised, so a figure "
                         "that differs may have been right when published")
    return "; ".join(n for n in notes if n)


def _row(match: Match, judgement: Judgement, published: dt.date | None,
         cited: dict[tuple, str | None]) -> dict:
    figure, series = match.figure, match.series
    value = stated(figure).value
    reference = judgement.reference
    difference = value - reference if reference is not None else None
    expression = (f"stated - reference = {number(value)} - {number(reference)} = "
                  f"{difference:+,.6g} {series.unit}" if reference is not None else "")
    evidence = f"matched on {match.phrase!r} in {EVIDENCE_WHERE[match.strength]}"
    return {
        "check_id": f"verify:{figure.figure_id}",
        "step": series.id,
        "kind": "verification",
        "status": "compared",
        "title": f"{figure.surface} {'' if pd.isna(figure.counted) else figure.counted} "
                 f"against {series.title}".replace("  ", " "),
        "claim_figure_id": figure.figure_id,
        "claim_text": figure.sentence,
        "data_value": reference,
        "data_unit": series.unit,
        "data_source": series.source_line,
        "expression": expression,
        "result": difference,
        "unit": series.unit,
        "finding": _finding(match, judgement),
        "assumptions": " | ".join([evidence, *match.assumptions]),
        "sources": f"{where(figure)} | {series.source_line}",
        "verdict": judgement.verdict,
        "verdict_note": _note(match, judgement, published, cited),
        "reference_value": reference,
        "reference_period": match.key,
        "reference_release": series.release,
        "reference_place": match.place,
        "tolerance": judgement.tolerance,
        "dataset": series.dataset,
        "series": series.id,
        "source_url": series.url,
        **figure_columns(figure),
    }
