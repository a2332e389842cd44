"""Calendar dates: "2 October 2025", "Sept. 2", "in August", "last year", "on Monday", resolved
against the publication date by dashboard.extract.dates."""

from __future__ import annotations

from dashboard.extract import dates
from dashboard.extract.grammar.base import Figure, adjacent


class Dates:
    """The dates rules of the Parser (dashboard.extract.grammar)."""

    def date(self, i: int) -> tuple[Figure, int] | None:
        tok = self.toks[i]
        if tok.kind == "num":
            return self.day_first(i)
        if tok.kind != "word":
            return None
        w = self.w
        if tok.low in w.weekday_names and tok.text[0].isupper():
            return self.weekday(i)
        step = w.relative_steps.get(tok.low)
        if step is not None and self.low(i + 1) in w.relative_units:
            unit = w.relative_units[self.low(i + 1)]
            date = dates.relative(unit, step, self.published)
            kind = "year" if unit == "year" else "date"
            return Figure(tok.start, self.toks[i + 1].end, kind, date=date), i + 2
        if step and self.low(i + 1) in w.weekday_names:
            found = self.weekday(i + 1, step=step)
            if found is not None:
                found[0].start = tok.start
            return found
        if tok.low in w.relative_days:
            return Figure(tok.start, tok.end, "date",
                          date=dates.days_from(self.published, w.relative_days[tok.low])), i + 1
        month = self.month_at(i)
        if month is None:
            return None
        month_number, j = month
        future = self.future_at(tok.start)
        day = self.day_number(j)
        if day is not None:
            day_value, j = day
            year, j = self.year_after(j)
            if year is None:
                date = dates.month_day(month_number, day_value, self.published, future)
            else:
                date = dates.iso_day(year, month_number, day_value)
            return Figure(tok.start, self.toks[j - 1].end, "date", date=date), j
        year, k = self.year_after(j)
        if year is not None:
            return Figure(tok.start, self.toks[k - 1].end, "date",
                          date=f"{year:04d}-{month_number:02d}"), k
        if tok.low in w.ambiguous_months or tok.low in w.month_abbreviations:
            prev = self.low(i - 1)
            if prev not in w.month_context and not (
                    prev == "-" and self.low(i - 2) in w.month_prefixes):
                return None
        date = dates.month_only(month_number, self.published, future)
        return Figure(tok.start, self.toks[j - 1].end, "date", date=date), j

    def month_at(self, i: int) -> tuple[int, int] | None:
        tok = self.toks[i]
        if not tok.text[0].isupper():
            return None
        months, abbreviations = self.w.months, self.w.month_abbreviations
        if tok.low in months and (tok.text.istitle() or tok.text.isupper()):
            return months[tok.low], i + 1
        if tok.low in abbreviations:
            if self.low(i + 1) == "." and adjacent(tok, self.toks[i + 1]):
                return abbreviations[tok.low], i + 2
            if i + 1 < self.n and self.toks[i + 1].kind == "num":
                return abbreviations[tok.low], i + 1
        return None

    def day_number(self, j: int) -> tuple[int, int] | None:
        if j >= self.n or self.toks[j].kind != "num":
            return None
        tok = self.toks[j]
        if not tok.text.isdecimal() or not 1 <= int(tok.text) <= 31 or len(tok.text) > 2:
            return None
        k = j + 1
        if (k < self.n and self.toks[k].low in self.w.ordinal_suffixes
                and adjacent(tok, self.toks[k])):
            k += 1
        if k < self.n and self.toks[k].text == ":":  # "June 5:30"? a clock, not a day
            return None
        return int(tok.text), k

    def year_after(self, j: int) -> tuple[int | None, int]:
        k = j + 1 if self.low(j) == "," else j
        if k < self.n and self.toks[k].kind == "num" and len(self.toks[k].text) == 4 and (
                self.toks[k].text.isdecimal() and 1000 <= int(self.toks[k].text) <= 2100):
            return int(self.toks[k].text), k + 1
        return None, j

    def day_first(self, i: int) -> tuple[Figure, int] | None:
        """"2 October 2025", "the 2nd of October"."""
        day = self.day_number(i)
        if day is None:
            return None
        day_value, j = day
        if self.low(j) in self.w.of:
            j += 1
        month = self.month_at(j) if j < self.n else None
        if month is None:
            return None
        month_number, k = month
        year, k = self.year_after(k)
        if year is None:
            date = dates.month_day(month_number, day_value, self.published,
                                   self.future_at(self.toks[i].start))
        else:
            date = dates.iso_day(year, month_number, day_value)
        return Figure(self.toks[i].start, self.toks[k - 1].end, "date", date=date), k

    def weekday(self, i: int, step: int = 0) -> tuple[Figure, int] | None:
        tok = self.toks[i]
        date = dates.weekday(self.w.weekdays[tok.low], self.published,
                             self.future_at(tok.start), step)
        return Figure(tok.start, tok.end, "date", date=date), i + 1
