"""Figures of other kinds than counts: vague quantities, fractions, multiples ("fourfold",
"doubled", "twice as many") and ordinals written in words or ranks ("No. 1"), decades, clock
times, years, durations and ages."""

from __future__ import annotations

from dashboard.extract import dates
from dashboard.extract.grammar.base import Figure, Number, adjacent


class Kinds:
    """The kinds rules of the Parser (dashboard.extract.grammar)."""

    def vague(self, i: int) -> tuple[Figure, int] | None:
        w = self.w
        if self.low(i) not in w.vague_words:
            return None
        found = self.match_phrase(i, w.vague)
        if found is None:
            return None
        words, j = found
        if words in w.vague_needs_of and self.low(j) not in w.of:
            return None
        figure = Figure(self.toks[i].start, self.toks[j - 1].end, "vague", qualifier="vague")
        counted, unit, end = self.counted(j)
        if counted is None and self.low(j) in w.of:
            currency = self.unit_words(j + 1, None)
            if currency[1] == "money":
                unit, counted, end = currency[0], self.toks[j + 1].text, currency[2]
        figure.counted = counted
        figure.unit = unit or ("dimensionless" if counted else None)
        if counted and self.low(end - 1) in w.units.currency:
            figure.unit = w.units.currency[self.low(end - 1)]
        return figure, max(j, end)

    def fraction(self, i: int) -> tuple[Figure, int] | None:
        """"Half of the 212 stations", "a quarter of all cars", "nearly a third of them"."""
        w = self.w
        low = self.low(i)
        if low in w.half and self.low(i - 1) not in w.half_not_after:
            parts, end = w.fractions[low], i + 1
            if self.low(end) not in w.half_before:
                return None
        elif (low in w.fraction_one and self.low(i + 1) in w.fractions
                and self.low(i + 2) in w.of):
            parts, end = w.fractions[self.low(i + 1)], i + 2
        else:
            return None
        start, qualifier, _ = self.hedge_before(i)
        figure = Figure(self.toks[start].start, self.toks[end - 1].end, "fraction",
                        value=1 / parts, unit="dimensionless", qualifier=qualifier)
        figure.counted, _, j = self.counted(end)
        self.set_bounds(figure)
        return figure, max(end, j)

    def multiple(self, i: int) -> tuple[Figure, int] | None:
        """"fourfold", "a 10-fold rise", "more than doubled", "expected to triple", "twice as
        many": a multiple, of kind ratio with the multiple as its value."""
        w = self.w
        low = self.lows[i]
        value, end = w.multiple_words.get(low), i + 1
        if value is not None:
            pass
        elif low in w.multiple_verbs:
            value = w.multiple_verbs[low]
        elif low in w.multiple_base and self.low(i - 1) in w.multiple_base_after:
            value = w.multiple_base[low]
        elif low in w.multiple_adverbs and self.low(i + 1) in w.comparatives:
            value = w.multiple_adverbs[low]
        elif self.low(i + 1) == w.fold or self.low(i + 2) == w.fold:
            number = self.number(i)  # "10-fold", "four-fold", "10 fold"
            if number is None or number.scaled:
                return None
            k = number.next + (self.low(number.next) == "-")
            if self.low(k) != w.fold:
                return None
            value, end = number.value, k + 1
        else:
            return None
        nxt = self.toks[end] if end < self.n else None
        if nxt is not None and (nxt.low in w.multiple_not_before
                                or (nxt.text == "-" and adjacent(self.toks[end - 1], nxt))):
            return None  # "doubled down", "double-digit"
        start, qualifier, between = self.hedge_before(i)
        if between or self.low(start) in w.multiple_not_hedges:
            start, qualifier = i, "exact"
        figure = Figure(self.toks[start].start, self.toks[end - 1].end, "ratio",
                        value=float(value), unit="dimensionless", qualifier=qualifier)
        self.set_bounds(figure)
        return figure, end

    def rank(self, i: int) -> tuple[Figure, int] | None:
        """"No. 1 pick", "the No. 2 seed": a rank, an ordinal with the mark in its span."""
        if not self.rank_mark(i) or i + 2 >= self.n or self.labelled(i - 1):
            return None
        number = self.toks[i + 2]
        if number.kind != "num" or not number.text.isdecimal() or number.start - self.toks[
                i + 1].end > 1:
            return None
        figure = Figure(self.toks[i].start, number.end, "ordinal", value=float(number.text))
        nxt = self.toks[i + 3] if i + 3 < self.n else None
        if nxt is not None and nxt.kind == "word" and nxt.text[0].isupper():
            return figure, i + 3  # "No. 3 Hale": the ranked team's name, nothing counted
        return self.finish_ordinal(figure, Number(float(number.text), i + 3), i + 3)

    def ordinal(self, i: int) -> tuple[Figure, int] | None:
        w = self.w
        tok = self.toks[i]
        low = tok.low
        if low in w.rank_marks:
            return self.rank(i)
        value = w.ordinals.get(low)
        end = i + 1
        if (value is None and low in w.tens and self.low(i + 1) == "-"
                and self.low(i + 2) in w.ordinals):
            value, end = w.tens[low] + w.ordinals[self.low(i + 2)], i + 3
        if value is None:
            return None
        prev = self.toks[i - 1] if i > 0 else None
        hyphenated = (self.low(end) == "-" and end + 1 < self.n
                      and adjacent(self.toks[end - 1], self.toks[end])
                      and self.toks[end + 1].kind == "word")
        if prev is not None and prev.low in w.ordinal_intensifiers and i > 1:
            prev = self.toks[i - 2]
        determined = prev is not None and (prev.low in w.determiners
                                           or prev.low.endswith(w.possessive_endings))
        if not (determined or hyphenated):
            return None
        if hyphenated and not determined:
            figure = Figure(tok.start, self.toks[end - 1].end, "ordinal", value=float(value))
            figure.counted, _, j = self.counted(end + 1)
            return figure, max(end, j)
        nxt = self.toks[end] if end < self.n else None
        if (nxt is None or nxt.kind != "word" or nxt.low in w.stop
                or nxt.low.endswith(w.adverb_endings)):
            return None
        figure = Figure(tok.start, self.toks[end - 1].end, "ordinal", value=float(value))
        figure.counted, _, j = self.counted(end)
        return figure, max(end, j)

    def finish_ordinal(self, figure: Figure, number: Number, j: int) -> tuple[Figure, int]:
        figure.kind, figure.qualifier = "ordinal", "exact"
        figure.value = number.value
        figure.counted, _, end = self.counted(j)
        return figure, max(j, end)

    def finish_decade(self, figure: Figure, number: Number, j: int) -> tuple[Figure, int]:
        value = int(number.value)
        if value >= 1000 and value % 10 == 0:
            low = value
        elif value < 100 and value % 10 == 0:
            low = 1900 + value if value > 20 else 2000 + value
        else:
            return figure, j  # "5s"? leave it as found, a bare number
        figure.kind, figure.qualifier, figure.value = "year", "range", None
        figure.low, figure.high = float(low), float(low + 9)
        figure.date = f"{low:04d}/{low + 9:04d}"
        return figure, j

    def clock_time(self, number: Number) -> bool:
        j = number.next
        if not (number.integer and number.value <= 24 and self.low(j) == ":" and j + 1 < self.n):
            return False
        minutes = self.toks[j + 1]
        if minutes.kind == "num" and len(minutes.text) == 2 and adjacent(self.toks[j], minutes):
            number.next = j + 2
            return True
        return False

    def meridiem(self, j: int) -> int:
        """How many tokens of "a.m.", "p.m.", "am" or "pm" stand at j (0 if none)."""
        low = self.low(j)
        if low in self.w.meridiem_spelled.first:
            spelled = self.match_phrase(j, self.w.meridiem_spelled)
            if spelled is not None:
                return spelled[1] - j
        return 1 if low in self.w.meridiem_suffixes else 0

    def finish_time(self, figure: Figure, number: Number, j: int) -> tuple[Figure, int]:
        j += self.meridiem(j)
        figure.kind, figure.value, figure.unit = "time", None, None
        figure.end = self.toks[j - 1].end
        return figure, j

    def finish_year(self, figure: Figure, number: Number, j: int) -> tuple[Figure, int]:
        figure.kind = "year"
        if figure.qualifier == "range":
            figure.date = f"{int(figure.low):04d}/{int(figure.high):04d}"
            figure.value = None
        else:
            figure.date = f"{int(number.value):04d}"
            figure.value = figure.low = figure.high = None
        return figure, j

    def finish_duration(self, figure: Figure, unit: str, j: int) -> tuple[Figure, int]:
        w = self.w
        figure.unit = unit
        if self.low(j) in w.ago and figure.value is not None:
            figure.kind = "date"
            figure.end = self.toks[j].end
            figure.date = dates.shifted(self.published, figure.value, unit)
            figure.unit = None
            return figure, j + 1
        prev = self.low(self.index_at(figure.start) - 1)
        if self.low(j) == "-" and self.low(j + 1) in w.old:
            j += 2
            figure.end = self.toks[j - 1].end
            figure.kind = "age"
        elif self.low(j) in w.old or prev in w.aged:
            figure.kind = "age"
        else:
            figure.kind = "duration"
        self.set_bounds(figure)
        counted, _, end = self.counted(j)
        if self.low(j - 2) == "-" or (figure.kind == "age"):
            figure.counted = counted
            j = max(j, end) if counted else j
        return figure, j

    def is_age(self, start: int, number: Number, j: int) -> bool:
        """"aged 18-44", "ages 5 to 11", or an appositive "The victim, 27, had ..."."""
        if not number.integer or number.value > 120:
            return False
        if self.low(start - 1) in self.w.age_words:
            return True
        if self.low(start - 1) == "," and self.low(j) in (",", ")") and start >= 2:
            before = self.toks[start - 2]
            return before.kind == "word" and (self.w.units.unit_for_noun(before.low) == "person"
                                              or before.text[0].isupper())
        return False

    def is_year(self, i: int, number: Number, j: int, start: int) -> bool:
        """A four-digit number in year context: "in 2023", "the 2024 election", "2017 to 2021"."""
        if not (number.numeral and number.integer and not number.separators
                and not number.scaled and 1000 <= number.value <= 2100):
            return False
        if len(self.toks[i].text) != 4:
            return False
        w = self.w
        if start != i and self.low(start) not in w.between:  # "about 1500 troops" is a count
            return False
        prev = self.low(i - 1)
        if (prev in w.year_context or prev in w.months or prev in w.month_abbreviations
                or prev == ","):
            return True
        nxt = self.low(j)
        return not (w.units.unit_for_noun(nxt) is not None
                    or (nxt.endswith(w.plural_endings) and nxt not in w.stop
                        and self.toks[j].kind == "word"))
