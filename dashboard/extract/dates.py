"""The resolution of partial or relative dates against a publication date.

Numbers in, ISO dates out: the words that name months, weekdays, relative days, holidays and
fiscal years are language data (`lang/<code>/dates.toml`, `holidays.toml`), read by the grammar,
which passes their numbers here.

A date without a year is resolved by its direction: back (the latest one on or before
publication) or forward (the first one on or after it); the grammar decides the direction from
the tense of the date's clause.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# A fiscal year's length, as the figures table's `period`. Its `date` is the period's end, as for
# "the 12 months ending in September": the year in which the fiscal year ends, the year it is
# named by in "fiscal 2014", "FY 2024-25" (ends 2025) or "the 2016-17 fiscal year" (ends 2017);
# its month is unknown unless the text gives it ("the fiscal year ending June 30"), since
# organisations start their fiscal years in different months.
FISCAL_YEAR = "P1Y"


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
        # "will rise Saturday" in Saturday's paper is that day; "next Saturday" is a week on.
        ahead = (day - published.weekday()) % 7
        if step > 0 and ahead == 0:
            ahead = 7
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
    `YYYY-MM`; "last week" (unit "week") as the interval of that Monday-to-Sunday week,
    `YYYY-MM-DD/YYYY-MM-DD`; "last night" (unit "day") as the day."""
    if published is None:
        return None
    if unit == "year":
        return f"{published.year + step:04d}"
    if unit == "day":
        return days_from(published, step)
    if unit == "week":
        monday = published - dt.timedelta(days=published.weekday() - 7 * step)
        return f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}"
    index = published.year * 12 + published.month - 1 + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def days_from(published: dt.date | None, days: int) -> str | None:
    """The day `days` after publication ("yesterday": -1), as `YYYY-MM-DD`."""
    if published is None:
        return None
    return (published + dt.timedelta(days=days)).isoformat()


def easter(year: int) -> dt.date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian computus)."""
    # The letters of the anonymous Gregorian algorithm in its New Scientist (1961) form; its "l"
    # is "el" here, a lone "l" reading as "1".
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * el) // 433
    month = (h + el - 7 * m + 90) // 25
    day = (h + el - 7 * m + 33 * month + 19) % 32
    return dt.date(year, month, day)


@dataclass(frozen=True)
class Holiday:
    """When a named holiday falls, as one of: a fixed day (`month`, `day`); the `nth` `weekday`
    of `month` (`nth` -1 for the last one); the first `weekday` on or after day `on_or_after` of
    `month`; or `easter` days after Easter Sunday (negative before it). Weekdays count from
    Monday = 0, as Python's `date.weekday()`."""

    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    on_or_after: int | None = None
    easter: int | None = None

    def on(self, year: int) -> dt.date:
        """The holiday's date in `year`."""
        if self.easter is not None:
            return easter(year) + dt.timedelta(days=self.easter)
        if self.weekday is None:
            return dt.date(year, self.month, self.day)
        if self.nth is not None and self.nth < 0:
            following = dt.date(year + self.month // 12, self.month % 12 + 1, 1)
            last = following - dt.timedelta(days=1)
            back = (last.weekday() - self.weekday) % 7 + 7 * (-self.nth - 1)
            return last - dt.timedelta(days=back)
        first = self.on_or_after if self.nth is None else 1 + 7 * (self.nth - 1)
        start = dt.date(year, self.month, first)
        return start + dt.timedelta(days=(self.weekday - start.weekday()) % 7)


def holiday(rule: Holiday, published: dt.date | None, future: bool, step: int = 0,
            year: int | None = None) -> str | None:
    """A holiday as `YYYY-MM-DD`: in `year` when the text gives one; else the latest one on or
    before publication (the first on or after it in `future`); "last" (step -1) and "next"
    (step 1) skip the one on the publication day itself."""
    if year is not None:
        return rule.on(year).isoformat()
    if published is None:
        return None
    if future or step > 0:
        found = rule.on(published.year)
        if found < published or (step > 0 and found == published):
            found = rule.on(published.year + 1)
    else:
        found = rule.on(published.year)
        if found > published or (step < 0 and found == published):
            found = rule.on(published.year - 1)
    return found.isoformat()


def fiscal_year(first: int, second: int | None = None) -> int | None:
    """The year a fiscal year named `first` (or `first`-`second`, "2024-25", "2017–2018") ends
    in, or None when `second` is not the year after `first` (then it is no fiscal year)."""
    if second is None:
        return first
    if second < 100:  # "2024-25": the last two digits of the year after
        second += first - first % 100
        if second < first:
            second += 100
    return second if second == first + 1 else None


def two_digit_year(digits: int, published: dt.date | None) -> int:
    """The year "FY25" names: the one ending in those digits nearest publication (2000s when
    there is no publication date)."""
    if published is None:
        return 2000 + digits
    century = published.year - published.year % 100
    return min((century - 100 + digits, century + digits, century + 100 + digits),
               key=lambda year: abs(year - published.year))
