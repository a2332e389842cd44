"""Calendar dates: "2 October 2025", "Sept. 2", "in August", "last year", "on Monday", "Friday’s",
"the Fourth of July", "fiscal 2014", resolved against the publication date by
dashboard.extract.dates.

A date with no year lies behind publication or ahead of it as its own clause says: the verb or
auxiliary nearest to it within the clause ("staged a protest on Wednesday" is past even when the
sentence goes on "and will return next summer"), then the preposition that governs it ("until
July 1" is ahead), and only then the sentence as a whole (`Reader.future_at`). The words of each
step are dates.toml's [tense]; holidays are holidays.toml.
"""

from __future__ import annotations

from dashboard.extract import dates
from dashboard.extract.grammar.base import Figure, adjacent
from dashboard.extract.grammar.words import DASHES

# Punctuation that ends a clause: the scan for a date's verb stops there.
_CLAUSE_MARKS = frozenset(",;:()“”\"—–")
# Punctuation inside a sentence's run of clauses: a date's clause that starts after one of these
# is no fronted adverbial ("On Friday, the minister ...", whose verb is in the clause after the
# comma), and the scan for its verb does not read on past the next comma.
_MID_SENTENCE = frozenset(",;:")
_FRONTED_ENDS = frozenset(",")
# How many tokens on each side of a date its verb is looked for: a constant, so that a sentence
# of many dates is still read in linear time.
_REACH = 24
# Between the two years of a fiscal year ("2024-25", "2024/25").
_YEAR_SPAN = DASHES | frozenset("/")


class Dates:
    """The dates rules of the Parser (dashboard.extract.grammar)."""

    def date(self, i: int) -> tuple[Figure, int] | None:
        tok = self.toks[i]
        if tok.kind == "num":
            # Both read plain digits only: a fiscal year four ("2024-25"), a day one or two.
            text = tok.text
            if len(text) > 4 or len(text) == 3 or not text.isdecimal():
                return None
            return self.fiscal_year_after(i) or self.day_first(i)
        if tok.kind != "word":
            return None
        w = self.w
        low = self.bare(i)
        if low not in w.date_starts and tok.low not in w.date_starts:
            return None
        found = self.holiday(i) or self.fiscal_year(i)
        if found is not None:
            return found
        if low in w.weekday_names and tok.text[0].isupper():
            return None if self.in_other_name(i) else self.weekday(i)
        step = w.relative_steps.get(low)
        if step is not None and self.low(i - 1) not in w.relative_not_after:
            unit = w.relative_units.get(self.bare(i + 1))
            if unit is not None:
                date = dates.relative(unit, step, self.published)
                kind = "year" if unit == "year" else "date"
                return Figure(tok.start, self.bare_end(i + 1), kind, date=date), i + 2
        if step and self.bare(i + 1) in w.weekday_names:
            found = self.weekday(i + 1, step=step)
            if found is not None:
                found[0].start = tok.start
            return found
        if step is not None:
            found = self.holiday(i + 1, step=step)
            if found is not None:
                found[0].start = tok.start
                return found
        if low in w.relative_days:
            return Figure(tok.start, self.bare_end(i), "date",
                          date=dates.days_from(self.published, w.relative_days[low])), i + 1
        month = self.month_at(i)
        if month is None or self.in_other_name(i):
            return None
        month_number, j = month
        day = self.day_number(j)
        if day is not None:
            day_value, j = day
            year, j = self.year_after(j)
            figure = Figure(tok.start, self.toks[j - 1].end, "date")
            if year is None:
                future = self.future_for(i, j, figure)
                figure.date = dates.month_day(month_number, day_value, self.published, future)
            else:
                figure.date = dates.iso_day(year, month_number, day_value)
                self.fiscal_end(i, figure)
            return figure, j
        year, k = self.year_after(j)
        if year is not None:
            figure = Figure(tok.start, self.toks[k - 1].end, "date",
                            date=f"{year:04d}-{month_number:02d}")
            self.fiscal_end(i, figure)
            return figure, k
        if low in w.ambiguous_months or low in w.month_abbreviations:
            prev = self.low(i - 1)
            if prev not in w.month_context and not (
                    prev == "-" and self.low(i - 2) in w.month_prefixes):
                return None
        figure = Figure(tok.start, self.bare_end(i) if j == i + 1 else self.toks[j - 1].end,
                        "date")
        figure.date = dates.month_only(month_number, self.published,
                                       self.future_for(i, j, figure))
        return figure, j

    def bare(self, i: int) -> str:
        """Token i in lower case without a possessive ending ("friday’s": "friday")."""
        low = self.low(i)
        endings = self.w.possessive_endings
        if not low.endswith(endings):  # one C call for the commonest case, no possessive
            return low
        for ending in endings:
            if low.endswith(ending) and len(low) > len(ending):
                return low[:-len(ending)]
        return low

    def bare_end(self, i: int) -> int:
        """Where token i ends without its possessive ending: a date's span leaves it out."""
        return self.toks[i].start + len(self.bare(i))

    def month_at(self, i: int) -> tuple[int, int] | None:
        tok = self.toks[i]
        if not tok.text[0].isupper():
            return None
        months, abbreviations = self.w.months, self.w.month_abbreviations
        low = self.bare(i)
        name = tok.text[:len(low)]
        if low in months and (name.istitle() or name.isupper()):
            return months[low], i + 1
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
        figure = Figure(self.toks[i].start, self.toks[k - 1].end, "date")
        if year is None:
            figure.date = dates.month_day(month_number, day_value, self.published,
                                          self.future_for(i, k, figure))
        else:
            figure.date = dates.iso_day(year, month_number, day_value)
            self.fiscal_end(i, figure)
        return figure, k

    def weekday(self, i: int, step: int = 0) -> tuple[Figure, int] | None:
        figure = Figure(self.toks[i].start, self.bare_end(i), "date")
        future = self.future_for(i, i + 1, figure) if step == 0 else step > 0
        figure.date = dates.weekday(self.w.weekdays[self.bare(i)], self.published, future, step)
        return figure, i + 1

    def holiday(self, i: int, step: int | None = None) -> tuple[Figure, int] | None:
        """"the Fourth of July", "Thanksgiving", "Easter Monday 2024", "the spring bank holiday";
        after "last", "this" or "next" (`step` -1, 0, 1)."""
        found = self.holiday_name(i)
        if found is None:
            return None
        rule, last, not_before = found
        if self.low(last + 1) in not_before:
            return None
        end = self.bare_end(last)
        year, k = self.year_after(last + 1)
        if year is not None:
            end = self.toks[k - 1].end
        figure = Figure(self.toks[i].start, end, "date")
        if year is None and step == 0 and self.published is not None:
            year = self.published.year  # "this Christmas"
        future = step > 0 if step is not None else self.future_for(i, k, figure)
        figure.date = dates.holiday(rule, self.published, future, step or 0, year)
        return figure, k

    def holiday_name(self, i: int) -> tuple[dates.Holiday, int, frozenset[str]] | None:
        """The holiday whose name starts at token i, the index of its last token, and the words
        after it that make the name something else."""
        holidays = self.w.holidays
        if self.low(i) not in holidays.first and self.bare(i) not in holidays.first:
            return None
        for size in holidays.sizes:
            last = i + size - 1
            if last >= self.n:
                continue
            words = tuple(self.lows[i:last])
            entry = (holidays.table.get(words + (self.bare(last),))
                     or holidays.table.get(words + (self.low(last),)))
            if entry is not None:
                rule, any_case, not_before = entry
                if any_case or self.toks[i].text[0].isupper():
                    return rule, last, not_before
        return None

    def in_other_name(self, i: int) -> bool:
        """Is token i, a weekday or month, a word of a name that is no date ("the Good Friday
        Agreement")? Such a name was refused as a holiday; its words are no dates either."""
        for j in range(i - 1, max(i - self.w.holidays.sizes[0], -1), -1):
            found = self.holiday_name(j)
            if found is not None and found[1] >= i:
                return self.low(found[1] + 1) in found[2]
        return False

    def fiscal_year(self, i: int) -> tuple[Figure, int] | None:
        """"fiscal 2014", "fiscal year 2016-17", "FY 2024-25", "FY2025", "financial year
        2024/25"."""
        w = self.w
        if self.lows[i] not in w.fiscal_before.first:
            return None
        match = self.match_phrase(i, w.fiscal_before)
        if match is None:
            return None
        words, j = match
        abbreviation = words[0] in w.fiscal_abbreviations
        if abbreviation and not self.toks[i].text.isupper():
            return None
        glued = abbreviation and j < self.n and adjacent(self.toks[i], self.toks[j])
        found = self.fiscal_years(j, glued=glued)
        if found is None:
            return None
        year, k = found
        return Figure(self.toks[i].start, self.toks[k - 1].end, "date", date=f"{year:04d}",
                      period=dates.FISCAL_YEAR), k

    def fiscal_year_after(self, i: int) -> tuple[Figure, int] | None:
        """"the 2024-25 fiscal year"."""
        if len(self.toks[i].text) != 4:
            return None
        found = self.fiscal_years(i)
        if found is None:
            return None
        year, k = found
        match = self.match_phrase(k, self.w.fiscal_after)
        if match is None:
            return None
        return Figure(self.toks[i].start, self.toks[match[1] - 1].end, "date",
                      date=f"{year:04d}", period=dates.FISCAL_YEAR), match[1]

    def fiscal_years(self, j: int, glued: bool = False) -> tuple[int, int] | None:
        """The year a fiscal year written at token j ends in ("2014", "2016-17", "2017–2018",
        and, `glued` to an abbreviation, "25" of "FY25"), and the index after it."""
        if j >= self.n or self.toks[j].kind != "num" or not self.toks[j].text.isdecimal():
            return None
        text = self.toks[j].text
        if len(text) == 4 and 1000 <= int(text) <= 2100:
            first = int(text)
        elif len(text) == 2 and glued:
            first = dates.two_digit_year(int(text), self.published)
        else:
            return None
        k = j + 1
        if (k + 1 < self.n and self.toks[k].text in _YEAR_SPAN and self.toks[k + 1].kind == "num"
                and adjacent(self.toks[j], self.toks[k])
                and adjacent(self.toks[k], self.toks[k + 1])
                and len(self.toks[k + 1].text) in (2, 4) and self.toks[k + 1].text.isdecimal()):
            year = dates.fiscal_year(first, int(self.toks[k + 1].text))
            return None if year is None else (year, k + 2)
        return first, k

    def fiscal_end(self, first: int, figure: Figure) -> int:
        """"the fiscal year ending June 30": the date is a fiscal year's end, and gets its period.
        The direction the phrase gives a date with no year (1 ahead, -1 behind, 0 none)."""
        k = first
        while self.low(k - 1) in self.w.date_preposition_skip and k > first - 3:
            k -= 1
        match = self.phrase_before(k, self.w.fiscal_ends)
        if match is None:
            return 0
        figure.period = dates.FISCAL_YEAR
        return self.w.fiscal_ends[match[0]]

    def future_for(self, first: int, after: int, figure: Figure) -> bool:
        """Does the date at tokens [first, after) lie ahead of publication? A fiscal year's end
        ("ending in September": the one under way) and "since" decide; then the verb of the
        date's clause; then a preposition ("until July 1"); then the whole sentence."""
        direction = self.fiscal_end(first, figure)
        if direction:
            return direction > 0
        governing = self.governing(first)
        if governing in self.w.date_back:
            return False
        tense = self.clause_tense(first, after)
        if tense is not None:
            return tense
        if governing in self.w.date_ahead:
            return True
        return self.future_at(self.toks[first].start)

    def governing(self, first: int) -> str:
        """The word before a date, past articles and "early"/"on" ("until the", "since early")."""
        k = first - 1
        while self.low(k) in self.w.date_preposition_skip and k > first - 3:
            k -= 1
        return self.low(k)

    def clause_tense(self, first: int, after: int) -> bool | None:
        """The tense of the clause of the date at tokens [first, after): True for the future,
        False for the past, None when no word of it says. The nearest word before the date
        decides; failing that, the nearest after it, reading on into the next clause when the
        date's own opens the sentence ("On Friday, the minister said")."""
        start, end = self.sentence_spans[self.sentence_index(self.toks[first].start)] \
            if self.sentence_spans else (self.toks[0].start, self.toks[-1].end)
        k = first - 1
        stop = max(first - _REACH, 0)
        opened = False
        while True:
            if k < stop or self.toks[k].start < start:
                opened = k < 0 or self.toks[k].start < start
                break
            if self.ends_clause(k):
                opened = self.toks[k].text not in _MID_SENTENCE
                break
            tense = self.tense_of(k)
            if tense is not None:
                return tense
            k -= 1
        crossed = False
        for k in range(after, min(after + _REACH, self.n)):
            if self.toks[k].start >= end:
                break
            if self.ends_clause(k):
                if opened and not crossed and self.toks[k].text in _FRONTED_ENDS:
                    crossed = True
                    continue
                break
            tense = self.tense_of(k)
            if tense is not None:
                return tense
        return None

    def ends_clause(self, k: int) -> bool:
        tok = self.toks[k]
        return tok.text in _CLAUSE_MARKS or tok.low in self.w.clause_openers

    def tense_of(self, k: int) -> bool | None:
        """What token k says of its clause's time: True (future), False (past) or None."""
        tok = self.toks[k]
        if tok.kind != "word":
            return None
        w, low = self.w, tok.low
        if low in w.tense_future or low.endswith(w.future_clitics):
            return True
        if low in w.tense_future_phrases.first and self.match_phrase(k, w.tense_future_phrases):
            return True
        past = low in w.tense_past or (
            low.endswith(w.tense_past_endings) and len(low) >= w.tense_past_min
            and tok.text == low and low not in w.tense_not_past)
        if past and self.low(k - 1) not in w.participle_after:
            return False
        return None
