"""Comparisons any article's own figures allow, proposed as suggestions rather than findings.

So that a new article gets useful working without curated checks: a rate per X times a count of
X (or of strikes, one boat per strike), the Xs a year a rate needs to reach a count of the same
thing over a stated period, and a share of a total of the same noun. The
units decide what pairs up: pint does the arithmetic, so nothing mismatched is ever proposed.
"""

from __future__ import annotations

import pandas as pd
import pint

from dashboard.checks import text_of
from dashboard.units import Quantity, singular, ureg

# One strike hits one boat unless the article says otherwise: how the seed's "21 strikes" stand
# for boats. Stated as an assumption on every suggestion that uses it.
LINKS = {("strike", "vessel"): "one vessel per strike (a strike is counted as one boat hit)"}
_PERIOD_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day"}


def _usable(figures: pd.DataFrame) -> pd.DataFrame:
    keep = (figures["stance"] != "furniture") & figures["unit"].notna()
    keep &= figures["value"].notna() | figures["value_low"].notna()
    keep &= figures["quantity_kind"].isin(["count", "rate", "percent", "money", "measure"])
    return figures[keep]


def _quantity(row) -> pint.Quantity:
    value = row.value if not pd.isna(row.value) else row.value_low
    return Quantity(float(value), row.unit)


def _where(row) -> str:
    return f"{row.document_id} characters {row.char_start}-{row.char_end}: {row.sentence}"


def _period(row) -> pint.Quantity | None:
    if pd.isna(row.period) or not row.period.startswith("P") or len(row.period) < 3:
        return None
    amount, code = row.period[1:-1], row.period[-1]
    if not amount.isdigit() or code not in _PERIOD_UNITS:
        return None
    return Quantity(int(amount), _PERIOD_UNITS[code])


def suggestions(figures: pd.DataFrame) -> list[dict]:
    """Rows for the checks table, kind "suggestion"."""
    usable = _usable(figures)
    rates = [r for r in usable.itertuples(index=False) if " / " in r.unit]
    counts = [r for r in usable.itertuples(index=False) if " / " not in r.unit]
    rows: list[dict] = []
    for rate in rates:
        numerator, denominator = (ureg.parse_units(part) for part in rate.unit.split(" / ", 1))
        for count in counts:
            unit = ureg.parse_units(count.unit)
            if unit == denominator:
                rows.append(_times(rate, count, None))
            elif (count.unit, str(denominator)) in LINKS:
                rows.append(_times(rate, count, LINKS[(count.unit, str(denominator))]))
            elif unit == numerator and _period(count) is not None:
                rows.append(_needed(rate, count))  # a count per period against a rate
    for share in (r for r in usable.itertuples(index=False) if r.unit == "percent"):
        for count in counts:
            if _same_noun(share.counted, count.counted) and count.figure_id != share.figure_id:
                rows.append(_share(share, count))
    return rows


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
        "data_source": _where(second),
        "sources": f"{_where(first)} | {_where(second)}",
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


def _same_noun(a, b) -> bool:
    if pd.isna(a) or pd.isna(b):
        return False
    return singular(str(a).split()[-1].lower()) == singular(str(b).split()[-1].lower())
