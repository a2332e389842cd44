"""The article against itself: stated comparisons redone from the figures they relate.

Read in each sentence, with no reference data:
- a percent change between two figures: "73,690 ..., down 26.3 percent from 100,049";
- a difference: "fell from 111,466 to 73,690, a drop of more than 27,000";
- a share of a total: "Of the 73,690 deaths, 48,442 (66 percent) ...";
- parts against a stated total: "83 people, including 61 in the Caribbean and 22 ...";
- a rate times a count against a stated total: "3 deaths per strike in 21 strikes, 63 dead".
Each gives a row with its working and a verdict in the checks' vocabulary, the written
precision and hedge of the stated figure allowed for (dashboard/checks/verdicts.py). Where the
catalog holds both ends of a stated change, the change is also set against the series.
"""

from __future__ import annotations

import re

import pint

from dashboard.checks.context import Sentence
from dashboard.checks.matching import Match, stated
from dashboard.checks.provenance import figure_columns, where
from dashboard.checks.verdicts import Stated, judge, number
from dashboard.checks.words import pattern
from dashboard.units import Quantity, unit_of, ureg

PERCENT = "percent"


def _quantity(figure, unit: str | None = None) -> pint.Quantity:
    return Quantity(stated(figure).value, unit or str(figure.unit))


def _comparable(a, b) -> str | None:
    """The unit two figures share (a bare number takes the other's); None if they differ."""
    ua, ub = str(a.unit), str(b.unit)
    if ua == PERCENT or ub == PERCENT:
        return None
    if unit_of(ua) == unit_of(ub):
        return ua
    if a.quantity_kind == "number" and ua == "dimensionless":
        return ub
    if b.quantity_kind == "number" and ub == "dimensionless":
        return ua
    return None


def _sign(text: str) -> int:
    """-1 when the words say a fall, +1 a rise, 0 when they say neither."""
    falls = pattern("comparisons", "falls").search(text)
    rises = pattern("comparisons", "rises").search(text)
    if falls and not rises:
        return -1
    if rises and not falls:
        return 1
    if falls and rises:
        return -1 if falls.start() > rises.start() else 1
    return 0


def _base_after(sentence: Sentence, figure, values: list) -> object | None:
    """The figure right after `figure` introduced by "from"/"than"/"compared with"."""
    _, end = sentence.span(figure)
    for other in values:
        start, _ = sentence.span(other)
        if start < end:
            continue
        between = sentence.text[end:start].lower()
        if re.search(r"\b(?:from|than|compared (?:with|to)|since|versus|vs\.?)\s+(?:the\s+)?"
                     r"(?:[a-z-]+\s+){0,2}$", between) and ";" not in between:
            return other
        return None
    return None


def _row(kind: str, figure, sentence: Sentence, expression: str, result: float, unit: str,
         finding: str, judgement, others: list) -> dict:
    return {
        "check_id": f"consistency:{figure.figure_id}:{kind.replace(' ', '-')}",
        "step": kind,
        "kind": "consistency",
        "status": "compared",
        "title": f"{kind.capitalize()}: {figure.surface} against the article's own figures",
        "claim_figure_id": figure.figure_id,
        "claim_text": sentence.text,
        "data_value": result,
        "data_unit": unit,
        "data_source": "; ".join(f"the article's {o.surface}" for o in others),
        "expression": expression,
        "result": result,
        "unit": unit,
        "finding": finding,
        "assumptions": "the figures of the sentence describe the same thing",
        "sources": " | ".join(where(f) for f in [figure, *others]),
        "verdict": judgement.verdict,
        "verdict_note": judgement.note,
        "reference_value": judgement.reference,
        "tolerance": judgement.tolerance,
        **figure_columns(figure),
    }


def percent_changes(sentence: Sentence, matches: dict[str, Match]) -> list[dict]:
    """"A, down P percent from B": (A - B) / B against the stated P, and against the series
    when both ends matched the same one."""
    rows: list[dict] = []
    values = sentence.values()
    for figure in values:
        if str(figure.unit) != PERCENT:
            continue
        start, end = sentence.span(figure)
        words_before = sentence.text[max(0, start - 40):start]
        words_after = sentence.text[end:end + 25]
        sign = _sign(words_before.split(",")[-1] + " " + words_after.split(",")[0])
        base = _base_after(sentence, figure, values)
        if sign == 0 or base is None:
            continue
        earlier = [v for v in values if sentence.span(v)[1] <= start and v is not figure
                   and str(v.unit) != PERCENT]
        new = next((v for v in reversed(earlier) if _comparable(v, base)), None)
        if new is None:
            continue
        unit = _comparable(new, base)
        change = ((_quantity(new, unit) - _quantity(base, unit)) / _quantity(base, unit)
                  ).to(PERCENT)
        claim = stated(figure)
        signed = Stated(sign * claim.value, claim.qualifier, claim.surface)
        judgement = judge(signed, {"computed": round(float(change.magnitude), 10)}, "computed")
        expression = (f"({number(stated(new).value)} - {number(stated(base).value)}) / "
                      f"{number(stated(base).value)} = {float(change.magnitude):+.4g} percent")
        finding = (f"From {base.surface} to {new.surface} is {float(change.magnitude):+.2f}%; "
                   f"the article says {'down' if sign < 0 else 'up'} {figure.surface}.")
        rows.append(_row("percent change", figure, sentence, expression,
                         float(change.magnitude), PERCENT, finding, judgement, [new, base]))
        rows += _change_against_series(figure, signed, new, base, matches)
    return rows


def _change_against_series(figure, signed: Stated, new, base, matches: dict[str, Match]
                           ) -> list[dict]:
    a, b = matches.get(new.figure_id), matches.get(base.figure_id)
    if a is None or b is None or a.series is not b.series or not (a.key and b.key):
        return []
    series = a.series
    ends = [series.lookup(m.key, m.place) for m in (a, b)]
    if ends[0] is None or ends[1] is None:
        return []
    estimate = series.primary if series.primary in ends[0] and series.primary in ends[1] \
        else next(iter(ends[0]))
    r_new, r_base = ends[0].get(estimate), ends[1].get(estimate)
    if r_new is None or not r_base:
        return []
    change = (r_new - r_base) / r_base * 100
    judgement = judge(signed, {estimate: round(change, 10)}, estimate)
    return [{
        "check_id": f"verify-change:{figure.figure_id}",
        "step": series.id,
        "kind": "verification",
        "status": "compared",
        "title": f"{figure.surface} change against {series.title}",
        "claim_figure_id": figure.figure_id,
        "claim_text": figure.sentence,
        "data_value": change,
        "data_unit": PERCENT,
        "data_source": series.source_line,
        "expression": (f"({number(r_new)} - {number(r_base)}) / {number(r_base)} = "
                       f"{change:+.4g} percent ({a.key} against {b.key}, {estimate})"),
        "result": change,
        "unit": PERCENT,
        "finding": (f"The series gives {change:+.2f}% from {b.key} to {a.key}; the article "
                    f"says {figure.surface}."),
        "assumptions": " | ".join([f"{new.surface} is {a.key}", f"{base.surface} is {b.key}",
                                   *a.assumptions, *b.assumptions]),
        "sources": f"{where(figure)} | {series.source_line}",
        "verdict": judgement.verdict,
        "verdict_note": judgement.note,
        "reference_value": change,
        "reference_period": f"{b.key}/{a.key}",
        "reference_release": series.release,
        "reference_place": a.place,
        "tolerance": judgement.tolerance,
        "dataset": series.dataset,
        "series": series.id,
        "source_url": series.url,
        **figure_columns(figure),
    }]


def differences(sentence: Sentence) -> list[dict]:
    """"from B to A, a drop of (more than) D": |A - B| against the stated D."""
    rows = []
    values = [v for v in sentence.values() if str(v.unit) != PERCENT]
    for figure in values:
        start, _ = sentence.span(figure)
        before = sentence.text[max(0, start - 30):start].lower()
        cue = re.search(r"\b(\w+)\s+(?:of|by)\s+(?:(?:more|less|fewer)\s+than\s+|about\s+|"
                        r"nearly\s+|almost\s+|over\s+|some\s+)?$", before)
        if cue is None or _sign(cue.group(1)) == 0:
            continue
        ends = [v for v in values if v is not figure and _comparable(v, figure)]
        pair = _from_to(sentence, ends)
        if pair is None:
            continue
        base, new = pair
        unit = _comparable(new, base)
        difference = abs(_quantity(new, unit) - _quantity(base, unit))
        judgement = judge(stated(figure), {"computed": float(difference.magnitude)}, "computed")
        rows.append(_row(
            "difference", figure, sentence,
            f"|{number(stated(new).value)} - {number(stated(base).value)}| = "
            f"{number(float(difference.magnitude))} {unit}",
            float(difference.magnitude), unit,
            f"From {base.surface} to {new.surface} is a change of "
            f"{number(float(difference.magnitude))}; the article says {figure.surface}.",
            judgement, [base, new]))
    return rows


def _from_to(sentence: Sentence, ends: list) -> tuple | None:
    """The (from, to) pair of "from B to A" (or "A, up from B") among `ends`."""
    for first, second in zip(ends, ends[1:], strict=False):
        a_end = sentence.span(first)[1]
        b_start = sentence.span(second)[0]
        before_first = sentence.text[max(0, sentence.span(first)[0] - 8):sentence.span(first)[0]]
        between = sentence.text[a_end:b_start].lower()
        if re.search(r"\bfrom\s+$", before_first.lower()) and re.search(r"\bto\b", between):
            return first, second
        if re.search(r"\b(?:up|down)?\s*from\s+$", between):
            return second, first
    return None


def shares(sentence: Sentence) -> list[dict]:
    """"X (P percent)" of a total T of the sentence: X / T against P."""
    rows = []
    values = sentence.values()
    for figure in values:
        if str(figure.unit) != PERCENT:
            continue
        start, _ = sentence.span(figure)
        if not sentence.text[:start].endswith("("):
            continue
        part = next((v for v in reversed(values) if sentence.span(v)[1] <= start - 1
                     and str(v.unit) != PERCENT), None)
        if part is None or sentence.text[sentence.span(part)[1]:start - 1].strip():
            continue
        totals = [v for v in values if v is not part and v is not figure
                  and _comparable(v, part) and stated(v).value > stated(part).value]
        if not totals:
            continue
        total = min(totals, key=lambda v: abs(sentence.span(v)[0] - start))
        unit = _comparable(part, total)
        share = (_quantity(part, unit) / _quantity(total, unit)).to(PERCENT)
        judgement = judge(stated(figure), {"computed": round(float(share.magnitude), 10)},
                          "computed")
        rows.append(_row(
            "share", figure, sentence,
            f"{number(stated(part).value)} / {number(stated(total).value)} = "
            f"{float(share.magnitude):.4g} percent", float(share.magnitude), PERCENT,
            f"{part.surface} of {total.surface} is {float(share.magnitude):.1f}%; the article "
            f"says {figure.surface}.", judgement, [part, total]))
    return rows


def parts(sentence: Sentence) -> list[dict]:
    """A total followed by its parts ("83 people, including 61 ... and 22 ..."): their sum
    against the total."""
    rows = []
    values = [v for v in sentence.values() if str(v.unit) != PERCENT]
    cue = pattern("comparisons", "parts")
    for index, total in enumerate(values):
        _, end = sentence.span(total)
        following = [v for v in values[index + 1:] if _comparable(v, total)]
        if len(following) < 2:
            continue
        gap = sentence.text[end:sentence.span(following[0])[0]]
        if not cue.search(gap) or ";" in gap:
            continue
        members = following[:2] + [v for v in following[2:]
                                   if re.fullmatch(r"[\s\w,]*(?:and|,)\s*[\w\s]*",
                                                   sentence.text[sentence.span(following[1])[1]:
                                                                 sentence.span(v)[0]])]
        unit = _comparable(members[0], total)
        total_sum = sum((_quantity(m, unit) for m in members), Quantity(0, unit))
        judgement = judge(stated(total), {"sum of the parts": float(total_sum.magnitude)},
                          "sum of the parts")
        rows.append(_row(
            "parts of a total", total, sentence,
            " + ".join(number(stated(m).value) for m in members)
            + f" = {number(float(total_sum.magnitude))} {unit}",
            float(total_sum.magnitude), unit,
            f"The parts {', '.join(m.surface for m in members)} add up to "
            f"{number(float(total_sum.magnitude))}; the article's total is {total.surface}.",
            judgement, members))
    return rows


def rate_times_count(sentence: Sentence) -> list[dict]:
    """A rate per X, a count of X and a total of what the rate counts, all in one sentence:
    rate times count against the total."""
    rows = []
    values = sentence.values()
    for rate in (v for v in values if " / " in str(v.unit)):
        top, bottom = (u.strip() for u in str(rate.unit).split(" / ", 1))
        counts = [v for v in values if unit_of(str(v.unit)) == unit_of(bottom)]
        totals = [v for v in values if v is not rate and unit_of(str(v.unit)) == unit_of(top)]
        if not counts or not totals:
            continue
        count, total = counts[0], totals[0]
        product = (_quantity(rate) * _quantity(count)).to(ureg.parse_units(top))
        judgement = judge(stated(total), {"computed": float(product.magnitude)}, "computed")
        rows.append(_row(
            "rate times count", total, sentence,
            f"{number(stated(rate).value)} {rate.unit} * {number(stated(count).value)} "
            f"{count.unit} = {number(float(product.magnitude))} {top}",
            float(product.magnitude), top,
            f"{rate.surface} {rate.unit} times {count.surface} is "
            f"{number(float(product.magnitude))}; the article's total is {total.surface}.",
            judgement, [rate, count]))
    return rows


def consistency_rows(sentences: list[Sentence], found: list[Match]) -> list[dict]:
    """Every consistency row of the article, in its order."""
    by_id = {m.figure.figure_id: m for m in found}
    rows: list[dict] = []
    for sentence in sentences:
        if len(sentence.values()) < 2:
            continue  # every check below relates two figures of a sentence at least
        rows += percent_changes(sentence, by_id)
        rows += differences(sentence)
        rows += shares(sentence)
        rows += parts(sentence)
        rows += rate_times_count(sentence)
    return rows
