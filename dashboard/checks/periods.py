"""The periods a sentence names, and the one each figure of it is measured over.

A period has a structure that a series may share ("12 months ending", "calendar year",
"month") and a key in the series' terms ("2025-04" for the 12 months ending April 2025,
"2023"). They come from the dates the extractor resolved against the publication date (so "last
year" and "in April" are already dates) and from the words around them:

- "the 12 months ending in April 2025", "the year through June 2022" -> 12 months ending 2025-04;
- "from May 2024 to April 2025", "October 2023 to September 2024" -> 12 months ending the
  second month (a range of another length keeps its months);
- "in 2019", "last year" -> the calendar year; "in June 2022" -> the month;
- "in the prior year", "a year earlier" -> the period before the one named just before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from dashboard.checks.words import clause_of, lowered_pattern, pattern, words

TWELVE_MONTHS = "12 months ending"
YEAR = "calendar year"
MONTH = "month"
MONTHS = "months"  # a stated range of months of another length than 12
STRUCTURES = (TWELVE_MONTHS, YEAR, MONTH)
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Period:
    """A period as a series keys it, with where the sentence names it (offsets in the
    sentence) and how it was found."""

    structure: str
    key: str
    start: int = 0
    end: int = 0
    how: str = ""

    @property
    def label(self) -> str:
        """"the 12 months ending April 2025", "2023", "April 2025"."""
        if self.structure == TWELVE_MONTHS:
            return f"the 12 months ending {month_label(self.key)}"
        if self.structure == MONTH:
            return month_label(self.key)
        if self.structure == MONTHS:
            first, last = self.key.split("/")
            return f"{month_label(first)} to {month_label(last)}"
        return self.key

    def before(self) -> Period | None:
        """The period of the same length just before this one."""
        if self.structure == YEAR:
            return replace(self, key=str(int(self.key) - 1))
        if self.structure in (TWELVE_MONTHS, MONTH):
            return replace(self, key=add_months(self.key, -12))
        return None


def month_label(key: str) -> str:
    year, month = (int(part) for part in key.split("-")[:2])
    return f"{_MONTH_NAMES[month - 1]} {year}"


def add_months(key: str, months: int) -> str:
    year, month = (int(part) for part in key.split("-")[:2])
    index = year * 12 + month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> int:
    """Months from `first` to `last`, both counted: 2024-05 to 2025-04 is 12."""
    (y1, m1), (y2, m2) = ((int(p) for p in k.split("-")[:2]) for k in (first, last))
    return (y2 * 12 + m2) - (y1 * 12 + m1) + 1


@dataclass(frozen=True)
class Dated:
    """A date, year or duration figure of the sentence: its span in the sentence, its kind and
    the extractor's resolved date and period."""

    start: int
    end: int
    kind: str
    date: str | None
    period: str | None


def sentence_periods(sentence: str, dated: Sequence[Dated], lang: str = "en") -> list[Period]:
    """Every period the sentence names, in the order they stand."""
    found: list[Period] = []
    used: set[int] = set()  # indexes of `dated` already part of a period
    ordered = _months_of_years(sentence, sorted(dated, key=lambda d: d.start), used)
    lower = sentence.lower()
    for index, item in enumerate(ordered):
        if index in used:
            continue
        if item.kind == "duration" and item.period == "P12M" and _is_month(item.date):
            # The extractor linked "the 12 months ending in April 2025": the date follows.
            end_index = next((j for j in range(index + 1, len(ordered))
                              if ordered[j].kind == "date" and ordered[j].date == item.date),
                             None)
            end = ordered[end_index].end if end_index is not None else item.end
            if end_index is not None:
                used.add(end_index)
            found.append(Period(TWELVE_MONTHS, item.date[:7], item.start, end,
                                "a stated 12-month period"))
            continue
        if item.kind == "date" and _is_month(item.date):
            partner = next((ordered[j] for j in range(index + 1, len(ordered))
                            if j not in used), None)
            if (partner is not None and partner.kind == "date" and _is_month(partner.date)
                    and _joined(sentence[item.end:partner.start], lang)):
                first, last = item.date[:7], partner.date[:7]
                used.add(ordered.index(partner))
                start = _from_before(sentence, item.start)
                months = months_between(first, last)
                if months in (12, 13):
                    # "between March 2020 and March 2021" is how CDC's 12 months ending March
                    # 2021 are often written: 13 months counting both ends.
                    found.append(Period(TWELVE_MONTHS, last, start, partner.end,
                                        "a stated range of 12 months" if months == 12 else
                                        "a range from a month to the same month a year later,"
                                        " read as the 12 months ending the second"))
                elif months > 1:
                    found.append(Period(MONTHS, f"{first}/{last}", start, partner.end,
                                        "a stated range of months"))
                continue
            before = lower[max(0, item.start - 40):item.start].rstrip()
            link = re.search(r"(?:\bin|\bof)?\s*$", before)
            head = (before[:link.start()] if link else before).rstrip()
            if _ends_with_any(head, words(lang)["periods"]["twelve_months_to"]):
                found.append(Period(TWELVE_MONTHS, item.date[:7], item.start, item.end,
                                    "a stated 12-month period"))
                continue
            found.append(Period(MONTH, item.date[:7], item.start, item.end, "a stated month"))
            continue
        if item.kind == "year" and item.date and re.fullmatch(r"\d{4}", item.date):
            before = lower[max(0, item.start - 20):item.start].split()
            if before and before[-1].strip(".") in words(lang)["periods"]["not_calendar"]:
                continue
            found.append(Period(YEAR, item.date, item.start, item.end, "a stated year"))
    found += _relatives(sentence, found, lang, lower)
    return sorted(found, key=lambda p: p.start)


RELATIVE = "relative"


def _relatives(sentence: str, found: list[Period], lang: str, lower: str | None = None
               ) -> list[Period]:
    """"in the prior year", "the previous month": the period before the one named just before
    (a period of its own structure, a year or a month earlier). After "from" or "than" such words
    are the base of a comparison ("rose 3% from a year ago"), not a period, and are left out."""
    out: list[Period] = []
    lower = sentence.lower() if lower is None else lower
    for key, months in (("year_before", 12), ("month_before", 1)):
        # The lower-cased text has the sentence's offsets when it has its length.
        found_in = (lowered_pattern("periods", key, lang).finditer(lower)
                    if len(lower) == len(sentence) else
                    pattern("periods", key, lang).finditer(sentence))
        for match in found_in:
            before = sentence[max(0, match.start() - 16):match.start()].rstrip()
            if any(before.lower().endswith(" " + b) or before.lower() == b
                   for b in words(lang)["periods"]["comparison_base"]):
                continue
            anchor = next((p for p in sorted(found, key=lambda p: -p.end)
                           if p.end <= match.start() and p.structure in STRUCTURES), None)
            if anchor is None:
                out.append(Period(RELATIVE, "", match.start(), match.end(), RELATIVE))
                continue
            shifted = anchor.before() if months == 12 else (
                replace(anchor, key=add_months(anchor.key, -1))
                if anchor.structure in (MONTH, TWELVE_MONTHS) else None)
            if shifted is not None:
                out.append(replace(shifted, start=match.start(), end=match.end(),
                                   how=f"the period before {anchor.label}"))
    return out


def _months_of_years(sentence: str, ordered: list[Dated], used: set[int]) -> list[Dated]:
    """"June of last year", "April of this year": the month takes the year that follows it."""
    out = list(ordered)
    for index, item in enumerate(ordered[:-1]):
        following = ordered[index + 1]
        if (item.kind == "date" and _is_month(item.date) and following.kind == "year"
                and following.date and re.fullmatch(r"\d{4}", following.date)
                and re.fullmatch(r"\s+of\s+", sentence[item.end:following.start])):
            out[index] = replace(item, end=following.end,
                                 date=f"{following.date}-{item.date[5:7]}")
            used.add(index + 1)
    return out


def _is_month(date: str | None) -> bool:
    """A month ("2025-04"), not a day: a date such as "on Wednesday" is no period."""
    return bool(date) and _YEAR_MONTH.fullmatch(str(date)) is not None


def _joined(between: str, lang: str) -> bool:
    """True when the text between two months joins them into a range ("to", "through")."""
    text = between.strip().lower()
    return text in words(lang)["periods"]["month_range_joins"]


def _from_before(sentence: str, start: int) -> int:
    match = re.search(r"\b(?:from|between)\s+$", sentence[max(0, start - 10):start],
                      re.IGNORECASE)
    return start - (len(sentence[max(0, start - 10):start]) - match.start()) if match else start


def _ends_with_any(text: str, phrases: Sequence[str]) -> bool:
    return _ending(tuple(phrases)).search(text) is not None


@lru_cache(maxsize=64)
def _ending(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for "ends with one of `phrases` as whole words"."""
    return re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(p) for p in phrases) or '(?!)'})$")


def period_of(start: int, end: int, periods: Sequence[Period],
              values: Sequence[tuple[int, int]], sentence: str) -> Period | None:
    """The period a figure at [start, end) of the sentence is measured over.

    A period right after the figure with no other figure between ("73,690 from May 2024 to April
    2025", "100,049 in the prior year") is its own; otherwise the nearest period before it
    ("In the 12 months ending in April 2025, ... 73,690") that no figure standing between has
    taken as its own. `values` are the spans of the sentence's other figures of a quantity.
    """
    own = _after(end, periods, values, sentence)
    if own is not None:
        return own
    # A period another figure took is still this one's when that figure stands in a leading
    # clause of its own ("Of the 73,690 deaths reported through April 2025, 48,442 ..."), not
    # in this figure's clause ("from 111,466 in the 12 months ending June 2023 to 73,690").
    left = clause_of(sentence, start, end)[0]
    taken = {id(p) for v_start, v_end in values if left <= v_start < start
             for p in [_after(v_end, periods, values, sentence)] if p is not None}
    for period in sorted((p for p in periods if p.end <= start), key=lambda p: -p.end):
        if id(period) not in taken:
            return period
    return None


def _after(end: int, periods: Sequence[Period], values: Sequence[tuple[int, int]],
           sentence: str) -> Period | None:
    for period in sorted((p for p in periods if p.start >= end), key=lambda p: p.start):
        between = [v for v, _ in values if end <= v < period.start]
        if between or ";" in sentence[end:period.start]:
            return None
        return period
    return None
