"""Comparisons any article's own figures allow, proposed as suggestions rather than findings.

So that a new article gets useful working without curated checks: a rate per X times a count of
X (or of strikes, one boat per strike), the Xs a year a rate needs to reach a count of the same
thing over a stated period, and a share of a total of the same noun. The
units decide what pairs up: pint does the arithmetic, so nothing mismatched is ever proposed.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from functools import lru_cache, partial

import numpy as np
import pandas as pd
import pint

from dashboard.checks.context import records
from dashboard.checks.provenance import figure_columns, text_of, where
from dashboard.units import Quantity, singular, ureg

# One strike hits one boat unless the article says otherwise: how the seed's "21 strikes" stand
# for boats. Stated as an assumption on every suggestion that uses it.
LINKS = {("strike", "vessel"): "one vessel per strike (a strike is counted as one boat hit)"}
_PERIOD_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day"}


def _usable(figures: pd.DataFrame) -> pd.Series:
    """Which figures can enter a suggestion: quantities with a unit and a value."""
    keep = (figures["stance"] != "furniture") & figures["unit"].notna()
    keep &= figures["value"].notna() | figures["value_low"].notna()
    return keep & figures["quantity_kind"].isin(["count", "rate", "percent", "money", "measure"])


def _quantity(row) -> pint.Quantity:
    value = row.value if not pd.isna(row.value) else row.value_low
    return Quantity(float(value), row.unit)


def _period(row) -> pint.Quantity | None:
    if pd.isna(row.period) or not row.period.startswith("P") or len(row.period) < 3:
        return None
    amount, code = row.period[1:-1], row.period[-1]
    if not amount.isdigit() or code not in _PERIOD_UNITS:
        return None
    return Quantity(int(amount), _PERIOD_UNITS[code])


# Every rate could pair with every count: quadratic, and thousands of rows nobody reads, on a
# long report. Each rate or share pairs with its nearest partners of each kind in the same
# document, and the table keeps the first suggestions in the article's order.
PARTNERS = 3
MAX_SUGGESTIONS = 100


def suggestions(figures: pd.DataFrame, rows: list | None = None) -> list[dict]:
    """Rows for the checks table, kind "suggestion": for each rate and share, in the article's
    order, its PARTNERS nearest counts of each kind that pair with it; at most MAX_SUGGESTIONS."""
    keep = _usable(figures)
    usable = figures[keep]
    is_rate = usable["unit"].str.contains(" / ", regex=False)
    is_share = (usable["unit"] == "percent") & usable["counted"].notna()
    if not (is_rate | is_share).any():
        return []  # nothing to pair: skip reading every count of a long report
    # `rows`: the records() of every figure, when the caller has them already.
    rows = (records(usable) if rows is None else
            [rows[i] for i in np.flatnonzero(keep.to_numpy(dtype=bool))])
    counts = [r for r in rows if " / " not in r.unit]
    by_unit = _grouped(counts, lambda r: _unit_key(r.unit))
    by_unit_with_period = _grouped([r for r in counts if _period(r) is not None],
                                   lambda r: _unit_key(r.unit))
    by_noun = _grouped([r for r in counts if not pd.isna(r.counted)],
                       lambda r: _noun(r.counted))
    # (where, partner, how to build the row): only the first MAX_SUGGESTIONS rows are built.
    found: list[tuple[int, int, Callable[[], dict]]] = []
    for rate in (r for r in rows if " / " in r.unit):
        numerator, denominator = _rate_parts(rate.unit)
        key = (rate.document_id, _unit_key(denominator))
        for count in _nearest(rate, by_unit.get(key)):
            found.append((rate.char_start, count.char_start,
                          partial(_times, rate, count, None)))
        for (count_unit, per), link in LINKS.items():
            if per == denominator:
                key = (rate.document_id, _unit_key(count_unit))
                for count in _nearest(rate, by_unit.get(key)):
                    found.append((rate.char_start, count.char_start,
                                  partial(_times, rate, count, link)))
        key = (rate.document_id, _unit_key(numerator))
        for count in _nearest(rate, by_unit_with_period.get(key)):
            found.append((rate.char_start, count.char_start, partial(_needed, rate, count)))
    for share in (r for r in rows if r.unit == "percent" and not pd.isna(r.counted)):
        partners = by_noun.get((share.document_id, _noun(share.counted)))
        for count in _nearest(share, partners):
            found.append((share.char_start, count.char_start, partial(_share, share, count)))
    found.sort(key=lambda item: item[:2])
    return [build() for *_, build in found[:MAX_SUGGESTIONS]]


@lru_cache(maxsize=256)
def _units(unit: str) -> pint.Unit:
    return ureg.parse_units(unit)


@lru_cache(maxsize=256)
def _rate_parts(unit: str) -> tuple[str, str]:
    """A rate's numerator and denominator as pint spells them, worked out once per spelling."""
    numerator, denominator = (_units(part) for part in unit.split(" / ", 1))
    return str(numerator), str(denominator)


@lru_cache(maxsize=256)
def _unit_key(unit: str) -> str:
    """One spelling per unit ("people" and "person" alike), worked out once per spelling."""
    return str(_units(unit))


def _noun(counted: object) -> str:
    return _singular_head(str(counted))


@lru_cache(maxsize=4096)
def _singular_head(counted: str) -> str:
    """The last word of what a figure counts, singular: a long report repeats a few nouns."""
    words = counted.split()
    return singular(words[-1].lower()) if words else ""


def _grouped(rows: list, key) -> dict[tuple[str, str], tuple[list[int], list]]:
    """Rows by (document, key), each group as (sorted starts, rows in that order)."""
    groups: dict[tuple[str, str], list] = {}
    for row in rows:
        groups.setdefault((row.document_id, key(row)), []).append(row)
    result = {}
    for name, members in groups.items():
        members.sort(key=lambda r: r.char_start)
        result[name] = ([r.char_start for r in members], members)
    return result


def _nearest(figure, group: tuple[list[int], list] | None) -> list:
    """The PARTNERS rows of `group` nearest to `figure` in the text (never itself), in the
    text's order."""
    if group is None:
        return []
    starts, members = group
    at = bisect.bisect_left(starts, figure.char_start)
    window = [r for r in members[max(0, at - PARTNERS): at + PARTNERS + 1]
              if r.figure_id != figure.figure_id]
    window.sort(key=lambda r: abs(r.char_start - figure.char_start))
    return sorted(window[:PARTNERS], key=lambda r: r.char_start)


def _base(first, second, title: str) -> dict:
    return {
        "check_id": f"suggest:{first.figure_id}:{second.figure_id}",
        "kind": "suggestion",
        "status": "suggested",
        "title": title,
        "claim_figure_id": first.figure_id,
        "claim_text": first.sentence,
        "data_value": float(_quantity(second).magnitude),
        "data_unit": second.unit,
        "data_source": where(second),
        "sources": f"{where(first)} | {where(second)}",
        **figure_columns(first),
    }


def _times(rate, count, link: str | None) -> dict:
    numerator, denominator = rate.unit.split(" / ", 1)
    per = _quantity(rate)
    how_many = _quantity(count)
    if link is not None:
        how_many = how_many * Quantity(1, f"{denominator} / {count.unit}")
    total = (per * how_many).to(numerator)
    return _base(rate, count, f"{rate.surface} per {denominator} "
                              f"times {count.surface} {_counted(count)}") | {
        "step": "implied total",
        "expression": f"{per:~,g} * {how_many:,g} = {total:,.6g}",
        "result": float(total.magnitude),
        "unit": str(total.units),
        "finding": (f"If {rate.surface} {rate.unit} holds for each of the {count.surface} "
                    f"{_counted(count)}, the total is {total.magnitude:,.0f} "
                    f"{total.units}."),
        "assumptions": link or "",
    }


def _needed(rate, count) -> dict:
    per = _quantity(rate)
    total = _quantity(count)
    needed = total / per
    period = _period(count)
    if period is not None:
        needed = (needed / period).to(f"{needed.units} / year")
    return _base(rate, count, f"{count.surface} {text_of(count.counted)} in units of "
                              f"{rate.surface} {rate.unit}") | {
        "step": "units needed",
        "expression": (f"{total:,g} / {per:,g}" + (f" / {period:~g}" if period is not None
                                                     else "") + f" = {needed:,.6g}"),
        "result": float(needed.magnitude),
        "unit": str(needed.units),
        "finding": (f"At {rate.surface} {rate.unit}, {needed.magnitude:,.2f} {needed.units} "
                    f"would add up to the {count.surface} {_counted(count)}"
                    + (f" of the stated period ({count.period})." if period is not None else ".")),
        "assumptions": "",
    }


def _share(share, count) -> dict:
    part = (_quantity(share) * _quantity(count)).to(count.unit)
    return _base(share, count, f"{share.surface} of {count.surface} {count.counted}") | {
        "step": "share of a total",
        "expression": f"{_quantity(share):~g} * {_quantity(count):,g} = {part:,.6g}",
        "result": float(part.magnitude),
        "unit": str(part.units),
        "finding": (f"{share.surface} of {count.surface} {count.counted} is "
                    f"{part.magnitude:,.0f} {part.units}, if both count the same group."),
        "assumptions": "the share and the total describe the same group",
    }


def _counted(row) -> str:
    return text_of(row.counted) or row.unit
