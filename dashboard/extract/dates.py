"""Calendar words and the resolution of partial or relative dates against a publication date."""

from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}

# A sentence that speaks of the future moves an unqualified date forward, not back.
FUTURE = re.compile(
    r"\b(?:will|shall|next|upcoming|scheduled|plans? to|planned|due to|set to|expected to)\b"
    r"|[’']ll\b",
    re.IGNORECASE,
)


def iso_day(year: int, month: int, day: int) -> str | None:
    """`YYYY-MM-DD`, or None when there is no such day."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def month_day(month: int, day: int, published: dt.date | None, future: bool) -> str | None:
    """A day of a month with no year: the nearest one before (or after, in future) publication."""
    if published is None:
        return None
    year = published.year
    try:
        candidate = dt.date(year, month, day)
    except ValueError:
        return None
    if future and candidate < published:
        year += 1
    elif not future and candidate > published:
        year -= 1
    return iso_day(year, month, day)


def month_only(month: int, published: dt.date | None, future: bool) -> str | None:
    """A month with no year ("in August"), as `YYYY-MM`."""
    if published is None:
        return None
    year = published.year
    if future and month < published.month:
        year += 1
    elif not future and month > published.month:
        year -= 1
    return f"{year:04d}-{month:02d}"


def weekday(day: int, published: dt.date | None, future: bool, modifier: str | None) -> str | None:
    """A weekday ("on Monday"): the latest one on or before publication, or the next one."""
    if published is None:
        return None
    if future or modifier == "next":
        ahead = (day - published.weekday()) % 7 or 7
        return (published + dt.timedelta(days=ahead)).isoformat()
    back = (published.weekday() - day) % 7
    if modifier == "last" and back == 0:
        back = 7
    return (published - dt.timedelta(days=back)).isoformat()


def shifted(published: dt.date | None, amount: float, unit: str) -> str | None:
    """The date `amount` units before publication ("two years ago"), at the unit's precision."""
    if published is None or amount != int(amount):
        return None
    n = int(amount)
    if unit == "year":
        return f"{published.year - n:04d}"
    if unit == "decade":
        return f"{published.year - 10 * n:04d}"
    if unit == "month":
        index = published.year * 12 + published.month - 1 - n
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    days = {"day": 1, "week": 7}.get(unit)
    if days is None:
        return None
    return (published - dt.timedelta(days=days * n)).isoformat()


def relative(word: str, modifier: str, published: dt.date | None) -> str | None:
    """"last year", "this month", "next year" as `YYYY` or `YYYY-MM`."""
    if published is None:
        return None
    step = {"last": -1, "this": 0, "next": 1}[modifier]
    if word == "year":
        return f"{published.year + step:04d}"
    index = published.year * 12 + published.month - 1 + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def yesterday_or_tomorrow(word: str, published: dt.date | None) -> str | None:
    if published is None:
        return None
    step = -1 if word == "yesterday" else 1
    return (published + dt.timedelta(days=step)).isoformat()
