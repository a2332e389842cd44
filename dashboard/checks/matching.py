"""Figures of any article matched to the catalog's series, and set against them.

A figure of a quantity matches a series when:
- what it measures agrees: a phrase of the series' measure stands in what the figure counts or
  in its own clause ("73,690 overdose deaths"), or the figure is compared with one that matched
  ("down 26.3 percent from 100,049"), or, for a figure alone of its unit in its sentence, in the
  sentence; and no word of a narrower measure stands in its clause ("fentanyl");
- its unit agrees (pint decides; a bare number whose clause names the measure counts its unit);
- its place is the series' place, or it names none (then the series' own is assumed);
- its period resolves to one the series has (dashboard/checks/periods.py), else it is
  `unverifiable` with the reason.
A named source ("CDC") is evidence written into the note, not a requirement.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard.checks.catalog import Catalog, Series
from dashboard.checks.context import Sentence
from dashboard.checks.periods import (
    MONTH,
    RELATIVE,
    TWELVE_MONTHS,
    YEAR,
    Period,
    month_label,
)
from dashboard.checks.verdicts import DIFFERS, UNVERIFIABLE, Judgement, Stated, judge, number
from dashboard.checks.words import pattern, words
from dashboard.units import unit_of, ureg

# How strongly the words tie a figure to a series' measure.
COUNTED, CLAUSE, COMPARED, SENTENCE = 4, 3, 2, 1
EVIDENCE_WHERE = {COUNTED: "what it counts", CLAUSE: "its clause",
                  COMPARED: "the figure it is compared with", SENTENCE: "its sentence"}
# A figure this far from its series is more likely another place or measure than a wrong number.
PLAUSIBLE = (0.5, 2.0)


@dataclass
class Match:
    """A figure, the series it measures, and what the matching assumed."""

    figure: object
    sentence: Sentence
    series: Series
    strength: int
    phrase: str
    place: str
    period: Period | None = None
    key: str | None = None
    assumptions: list[str] = field(default_factory=list)
    anchor: Match | None = None


def _is_bare(figure) -> bool:
    """A number with no unit of its own: nothing counted, or a noun the vocabulary lacks."""
    return figure.quantity_kind in ("number", "count") and str(figure.unit) == "dimensionless"


def _unit_agrees(figure, series: Series) -> bool:
    units = unit_of(str(figure.unit)) if not pd.isna(figure.unit) else None
    if units is None:
        return False
    if units == series.units or units in series.counted_units:
        return True
    if series.units.dimensionless:  # percent against percent only: a share is not a count
        return False
    return _is_bare(figure) or units.dimensionality == series.units.dimensionality


def _anchor(figure, sentence: Sentence, earlier: Mapping[str, Match]) -> Match | None:
    """The figure this one is compared with ("... 73,690, down 26.3 percent from 100,049"):
    the nearest earlier matched figure of the sentence, when the words just before this one
    compare ("from", "than", "compared with")."""
    if not earlier:
        return None  # most figures: nothing matched before them in the sentence
    start, _ = sentence.span(figure)
    before = sentence.text[:start].rstrip().lower()
    lean = pattern("comparisons", "lean_on")
    before = re.sub(r"\s+the$", "", before)  # "down from the 110,037 deaths"
    if not any(before.endswith(" " + w) or before == w for w in
               words()["comparisons"]["lean_on"]):
        return None
    candidates = [m for m in earlier.values() if m.figure.char_start < figure.char_start]
    if not candidates:
        return None
    nearest = max(candidates, key=lambda m: m.figure.char_start)
    between = sentence.text[sentence.span(nearest.figure)[1]:start]
    return None if ";" in between or not lean.search(between) else nearest


def _evidence(figure, sentence: Sentence, catalog: Catalog, anchor: Match | None,
              alone: bool) -> dict[str, tuple[int, str]]:
    """Series id -> (strength, phrase) of the words that tie the figure to each series' measure.

    One search of the catalog's phrases per text, whatever the number of series: what the figure
    counts, its clause, then (for a figure alone of its unit) the sentence outside the other
    figures' clauses."""
    counted = "" if pd.isna(figure.counted) else str(figure.counted)
    in_sentence = sentence.measures(catalog)
    found: dict[str, tuple[int, str]] = {}
    for series, phrase in catalog.measured_in(counted):
        found.setdefault(series.id, (COUNTED, phrase))
    # A clause is cut at breaks that open and close on non-word characters, so it holds a
    # phrase only where its sentence does: most sentences hold none, and need no clause.
    clause = sentence.clause(figure) if in_sentence else None
    for series, phrase in catalog.measured_in(clause) if clause is not None else ():
        found.setdefault(series.id, (CLAUSE, phrase))
    if anchor is not None:
        found.setdefault(anchor.series.id, (COMPARED, anchor.phrase))
    if alone and not _is_bare(figure) and in_sentence:
        others = [sentence.clause(f) for f in sentence.values() if f is not figure]
        for series, phrase in in_sentence:
            if not any(phrase in other.lower() for other in others):
                found.setdefault(series.id, (SENTENCE, phrase))
    for series_id, (strength, _) in list(found.items()):
        series = catalog.by_id[series_id]
        if strength == COUNTED or series.exclude is None:
            continue
        clause = sentence.clause(figure) if clause is None else clause
        if series.exclude.search(clause):
            del found[series_id]  # a narrower measure named in the clause ("fentanyl")
    return found


def _place(figure, sentence: Sentence, catalog: Catalog) -> str | None:
    """The place named nearest the figure with no other figure between, before it first ("the
    US with 338 million", "India's population of 1.4 billion"), then after it ("1.4 billion
    people in India"); in its clause, else in its sentence; None when it names none."""
    start, end = sentence.span(figure)
    named = catalog.places_in(sentence.text)
    if not named:
        return None
    clause = sentence.clause(figure)
    left = sentence.text.find(clause)
    others = [sentence.span(f)[0] for f in sentence.values() if f is not figure]
    for scope in ([n for n in named if left <= n[0] and n[1] <= left + len(clause)], named):
        before = [n for n in scope if n[1] <= start
                  and not any(n[1] <= o < start for o in others)]
        after = [n for n in scope if n[0] >= end and not any(end <= o < n[0] for o in others)]
        if before:
            return max(before, key=lambda n: n[1])[2]
        if after:
            return min(after, key=lambda n: n[0])[2]
    earlier = [n for n in named if n[1] <= start]  # "China ... 1,409.7 million (or 1.41 billion)"
    return max(earlier, key=lambda n: n[1])[2] if earlier else min(named, key=lambda n: n[0])[2]


def _repeated(figure, before: Mapping[float, Match]) -> Match | None:
    """An earlier match of the document with the same number (`before`: the latest match of
    each number, tied by its own words): the figure names it again ("73,690 overdose deaths ...
    Of the 73,690 deaths, ...")."""
    if not before:
        return None  # no figure of the document has matched yet
    match = before.get(stated(figure).value)
    return match if match is not None and match.figure.char_start < figure.char_start else None


def candidates(figure, sentence: Sentence, catalog: Catalog, earlier: Mapping[str, Match],
               document: Mapping[float, Match] | None = None) -> list[Match]:
    """The series `figure` may measure, best evidence first (empty when none fits).

    `earlier` holds the matches of the sentence so far, `document` the document's latest match
    of each number whose own words tie it to its series."""
    anchor = _anchor(figure, sentence, earlier)
    repeated = _repeated(figure, document or {})
    if anchor is None and repeated is not None and _unit_agrees(figure, repeated.series):
        match = Match(figure, sentence, repeated.series, COMPARED, repeated.phrase,
                      repeated.place, anchor=repeated)
        match.assumptions.append(f"repeats the {repeated.figure.surface} of an earlier "
                                 "sentence, which counts the same thing")
        return [match]
    same_unit = [f for f in sentence.values() if str(f.unit) == str(figure.unit)]
    evidence = _evidence(figure, sentence, catalog, anchor, alone=len(same_unit) == 1)
    if not evidence and earlier and (_is_bare(figure) or str(figure.unit) in {
            str(m.figure.unit) for m in earlier.values()}):
        # A bare number (or one of the same unit) in a list after a figure that matched ("8
        # billion in 2022, up from 7 billion in 2011 and 6 billion in 1999", "2.7% from a year
        # earlier, after hitting 3% in September"), whose own clause names no measure, counts
        # the same thing.
        anchor = max(earlier.values(), key=lambda m: m.figure.char_start)
        if anchor.figure.char_start < figure.char_start and (
                _is_bare(figure) or str(anchor.figure.unit) == str(figure.unit)):
            evidence = {anchor.series.id: (COMPARED, anchor.phrase)}
        else:
            anchor = None
    if not evidence:
        return []
    named = _place(figure, sentence, catalog)
    found: list[Match] = []
    for series_id, (strength, phrase) in evidence.items():
        series = catalog.by_id[series_id]
        if not _unit_agrees(figure, series) or (_is_bare(figure) and strength < COMPARED):
            continue
        place_named = named if named is not None or anchor is None else anchor.place
        place = series.place_of(place_named)
        if place is None:
            continue
        candidate = Match(figure, sentence, series, strength, phrase, place, anchor=anchor)
        if place_named is None:
            candidate.assumptions.append(f"no place named: taken as {place}, the series' place")
        if _is_bare(figure):
            candidate.assumptions.append(
                f"{figure.surface} counts what {anchor.figure.surface} counts"
                if strength == COMPARED and anchor is not None
                else f"a bare number whose clause names {phrase!r}: counted in {series.unit}")
        found.append(candidate)
    return sorted(found, key=lambda m: (-m.strength, -len(m.phrase)))


def resolve_period(match: Match, named_twelve: set[str], published: dt.date | None
                   ) -> str | None:
    """Set the match's period key in the series' terms; None (with the reason as the last
    assumption) when the figure's period is not one the series has."""
    figure, series = match.figure, match.series
    period = match.sentence.period(figure)
    if period is None or period.structure == RELATIVE:
        period = _stated_by_extractor(figure)
    match.period = period
    if period is None:
        if series.undated == "latest before publication" and published is not None:
            key = series.latest_before(published, match.place)
            if key is not None:
                match.assumptions.append(f"no period stated: the latest before publication "
                                         f"({key})")
                match.key = key
                return key
        match.assumptions.append("no period stated")
        return None
    key, note = _in_series_terms(period, series, match.sentence, named_twelve, figure)
    if note:
        match.assumptions.append(note)
    match.key = key
    return key


def _stated_by_extractor(figure) -> Period | None:
    date = "" if pd.isna(figure.date) else str(figure.date)
    if not pd.isna(figure.period) and figure.period == "P12M" and len(date) >= 7:
        return Period(TWELVE_MONTHS, date[:7], how="a stated 12-month period")
    if len(date) == 4 and date.isdigit():
        return Period(YEAR, date, how="a stated year")
    return None


def _year_over_year(sentence: Sentence, figure) -> bool:
    """Do the words say the rate is over a year ("inflation", "from a year earlier") rather than
    over the month ("monthly")? The figure's clause decides, else its sentence."""
    yearly, monthly = pattern("periods", "year_over_year"), pattern("periods", "month_over_month")
    for text in (sentence.clause(figure), sentence.text):
        if monthly.search(text):
            return False
        if yearly.search(text):
            return True
    return False


def _in_series_terms(period: Period, series: Series, sentence: Sentence,
                     named_twelve: set[str], figure) -> tuple[str | None, str]:
    want, have = series.period, period.structure
    if want == have:
        return period.key, ""
    if have == YEAR and want == TWELVE_MONTHS:
        return (f"{period.key}-12", f"the calendar year {period.key} is the 12 months ending "
                                    f"December {period.key}")
    if have == TWELVE_MONTHS and want == YEAR and period.key.endswith("-12"):
        return period.key[:4], f"the 12 months ending December {period.key[:4]} are that year"
    if have == MONTH and want == TWELVE_MONTHS:
        if period.key in named_twelve:
            return period.key, (f"{month_label(period.key)} ends the 12-month period the "
                                "article named before")
        if series.units == ureg.parse_units("percent") and _year_over_year(sentence, figure):
            return period.key, (f"a rate for {month_label(period.key)} is over the 12 months "
                                "ending it, as the sentence's words say")
    return None, f"{period.label} is not a period of this series ({series.period})"


def stated(figure) -> Stated:
    for column in ("value", "value_low", "value_high"):
        value = getattr(figure, column)
        if not pd.isna(value):
            break
    low = None if pd.isna(figure.value_low) else float(figure.value_low)
    high = None if pd.isna(figure.value_high) else float(figure.value_high)
    return Stated(float(value), str(figure.qualifier), str(figure.surface), low, high)


def verify(match: Match, published: dt.date | None) -> Judgement:
    """The verdict on a match whose period is resolved."""
    series = match.series
    values = series.lookup(match.key, match.place) if match.key else None
    if values is None:
        reason = (match.assumptions[-1] if match.key is None else
                  f"the series has no value for {match.key} in {match.place} (it has "
                  f"{series.span(match.place)})")
        return Judgement(UNVERIFIABLE, None, None, "", reason)
    judgement = judge(stated(match.figure), values, series.primary)
    reference = judgement.reference or 0.0
    ratio = stated(match.figure).value / reference if reference else None
    if judgement.verdict == DIFFERS and (ratio is None
                                         or not PLAUSIBLE[0] <= ratio <= PLAUSIBLE[1]):
        return Judgement(UNVERIFIABLE, judgement.estimate, judgement.reference,
                         judgement.tolerance,
                         f"{number(stated(match.figure).value)} is far from the series' "
                         f"{number(reference)}: probably another place or measure")
    return judgement
