"""A stated figure against reference values: the verdict, what the wording allows, and a note.

The vocabulary is fixed: `matches` (equal to a reference value), `consistent` (equal once the
written precision or the hedge is allowed for: "about 87,000" against 87,652), `transposition`
(the same digits with two swapped: 73,960 against 73,690), `differs` (anything else, with the
signed difference), and `unverifiable` (no series holds it; decided by the caller).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

MATCHES, CONSISTENT, DIFFERS, TRANSPOSITION, UNVERIFIABLE = (
    "matches", "consistent", "differs", "transposition", "unverifiable")
# Hedges that allow one unit of the written precision either way.
APPROXIMATE = ("about", "nearly")
LOWER_BOUNDS = ("at least", "more than")
UPPER_BOUNDS = ("up to", "fewer than")
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Stated:
    """A figure as the article states it: the number, its hedge and its written form."""

    value: float
    qualifier: str = "exact"
    surface: str = ""
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Judgement:
    verdict: str
    estimate: str | None
    reference: float | None
    tolerance: str
    note: str


def written_precision(surface: str, value: float) -> float:
    """The place value of the last non-zero digit as written: "87,000" 1,000, "1.4 billion"
    100 million, "9.1%" 0.1, "73,690" 10. Trailing zeros of a whole number are not taken as
    significant (a reporter's "73,000" is a figure in thousands)."""
    match = _DIGITS.search(surface)
    if match is None or value == 0:
        return _integer_precision(abs(value)) if value else 1.0
    written = match.group().replace(",", "")
    number = float(written)
    scale = abs(value) / number if number else 1.0
    if "." in written:
        decimals = written.split(".", 1)[1].rstrip("0")
        unit = 10.0 ** -len(decimals) if decimals else _integer_precision(number)
    else:
        unit = _integer_precision(number)
    return unit * scale


def _integer_precision(number: float) -> float:
    whole = f"{abs(number):.0f}"
    zeros = len(whole) - len(whole.rstrip("0"))
    return 10.0 ** zeros if whole.strip("0") else 1.0


def rounded(value: float, precision: float | None) -> float:
    """`value` as a publisher that publishes to `precision` gives it (0.1: one decimal)."""
    if not precision:
        return value
    return round(round(value / precision) * precision, 10)


def transposed(stated: float, source: float) -> tuple[int, int] | None:
    """The positions of two swapped digits that turn `source` into `stated`, if that is all."""
    if not (float(stated).is_integer() and float(source).is_integer()):
        return None
    a, b = f"{stated:.0f}", f"{source:.0f}"
    if len(a) != len(b) or a == b:
        return None
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(differ) == 2 and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]]:
        return differ[0], differ[1]
    return None


def number(value: float) -> str:
    """A value as a reader writes it: separators, no needless decimals."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.1f}"


def allowed(stated: Stated) -> tuple[float, float, str]:
    """The interval of reference values the wording allows, and the words for it."""
    unit = written_precision(stated.surface, stated.value)
    v, q = stated.value, stated.qualifier
    if q == "range" and stated.low is not None and stated.high is not None:
        return stated.low, stated.high, f"{number(stated.low)} to {number(stated.high)} (a range)"
    if q in LOWER_BOUNDS:
        low = stated.low if stated.low is not None else v
        return low, math.inf, f"{number(low)} or more ({q})"
    if q in UPPER_BOUNDS:
        high = stated.high if stated.high is not None else v
        return -math.inf, high, f"{number(high)} or less ({q})"
    if q in APPROXIMATE:
        return v - unit, v + unit, (f"{number(v - unit)} to {number(v + unit)} ({q}, written "
                                    f"to the nearest {number(unit)})")
    half = unit / 2
    return v - half, v + half, (f"{number(v - half)} to {number(v + half)} (written to the "
                                f"nearest {number(unit)})")


def judge(stated: Stated, references: Mapping[str, float], primary: str | None = None
          ) -> Judgement:
    """The verdict on `stated` against the reference value of each estimate (reported,
    predicted ...), as published. The primary estimate is tried first; the note says which
    estimate agreed and, when none did, the signed difference from the primary one."""
    order = sorted(references, key=lambda e: e != primary)
    low, high, words = allowed(stated)
    first = order[0]
    for estimate in order:
        if math.isclose(stated.value, references[estimate], rel_tol=1e-12, abs_tol=1e-12):
            return Judgement(MATCHES, estimate, references[estimate], words,
                             _which(estimate, primary, "equals"))
    for estimate in order:
        reference = references[estimate]
        strict_ok = not ((stated.qualifier == "more than" and reference <= low)
                         or (stated.qualifier == "fewer than" and reference >= high))
        if low <= reference <= high and strict_ok:
            return Judgement(CONSISTENT, estimate, reference, words,
                             _which(estimate, primary, "is within what the wording allows of")
                             + f" ({number(reference)})")
    if stated.qualifier == "exact":
        for estimate in order:
            swap = transposed(stated.value, references[estimate])
            if swap is not None:
                i, j = swap
                value = references[estimate]
                return Judgement(TRANSPOSITION, estimate, value, words,
                                 f"the {_estimate_words(estimate)} value {number(value)} "
                                 f"with digits {i + 1} and {j + 1} swapped")
    reference = references[first]
    difference = stated.value - reference
    share = f", {difference / reference:+.1%}" if reference else ""
    others = "; ".join(f"{_estimate_words(e)} {number(references[e])}" for e in order[1:])
    return Judgement(DIFFERS, first, reference, words,
                     f"{number(stated.value)} - {number(reference)} = {difference:+,.6g}{share} "
                     f"against the {_estimate_words(first)} value"
                     + (f" ({others})" if others else ""))


def _estimate_words(estimate: str | None) -> str:
    return estimate if estimate else "published"


def _which(estimate: str | None, primary: str | None, verb: str) -> str:
    if estimate is None or estimate == primary:
        return f"{verb} the {_estimate_words(estimate)} value"
    return f"{verb} the {estimate} estimate, not the {_estimate_words(primary)} one"
