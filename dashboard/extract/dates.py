"""The resolution of partial or relative dates against a publication date.

Numbers in, ISO dates out: the words that name months, weekdays and relative days are language
data (`lang/<code>/dates.toml`), read by the grammar, which passes their numbers here.
"""

from __future__ import annotations

import datetime as dt


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


def weekday(day: int, published: dt.date | None, future: bool, step: int = 0) -> str | None:
    """A weekday ("on Monday"): the latest one on or before publication, or the next one.

    `step` is -1 for "last Monday" (a week back when publication is a Monday), 1 for "next".
    """
    if published is None:
        return None
    if future or step > 0:
        ahead = (day - published.weekday()) % 7 or 7
        return (published + dt.timedelta(days=ahead)).isoformat()
    back = (published.weekday() - day) % 7
    if step < 0 and back == 0:
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


def relative(unit: str, step: int, published: dt.date | None) -> str | None:
    """"last year" (unit "year", step -1), "this month" (unit "month", step 0) as `YYYY` or
    `YYYY-MM`."""
    if published is None:
        return None
    if unit == "year":
        return f"{published.year + step:04d}"
    index = published.year * 12 + published.month - 1 + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def days_from(published: dt.date | None, days: int) -> str | None:
    """The day `days` after publication ("yesterday": -1), as `YYYY-MM-DD`."""
    if published is None:
        return None
    return (published + dt.timedelta(days=days)).isoformat()
