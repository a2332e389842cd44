"""A number with what surrounds it: currency signs, hedges ("at least"), ranges ("3 to 5"), unit
words, fractions ("one in five") and the bounds a qualifier implies."""

from __future__ import annotations

from dashboard.extract.grammar.base import Figure, Number, adjacent
from dashboard.units import CURRENCY_SIGN_PREFIXES, CURRENCY_SYMBOLS

# Marks some rule reads beside a number whatever the lists say: a clock's or a day's colon, a
# percent sign, "401(k)", a scare quote before the noun, the dashes of a range; before it, the
# dashes and dots that glue identifiers and ranks, and the comma of an age.
_LOUD_AFTER = frozenset({":", "%", "(", "”", "\"", "’", "–", "—"})
_LOUD_BEFORE = frozenset({"-", "–", "—", ".", ","})


class Quantities:
    """The quantities rules of the Parser (dashboard.extract.grammar)."""

    def bare_number(self, i: int) -> tuple[Figure, int] | None:
        """The numeral at token i as the figure every rule together makes of it when nothing
        around it is read (cells of a table: "Northeast", tab, "1,234,567", tab, "1,300,000"),
        or None to try the rules. A dense table has tens of thousands of such cells, each tried
        by some 20 rules.

        It holds when the tokens on either side are apart from it (white space between) and are
        no word or mark of any list (`Words.around_number`) nor any mark a rule reads
        (_LOUD_AFTER, _LOUD_BEFORE, a currency), the token after is no word (what is counted),
        the second after no "fold", and the number no year (1000-2100 in four digits). Then no
        date, score, multiple, currency, hedge, unit, range, fraction, age or noun reads it;
        an identifier needs a glued or listed neighbour, or a capitalised word before digits
        alone (not taken here); only "every boat ... 25" reaches back further, and is asked."""
        toks = self.toks
        tok = toks[i]
        text = tok.text
        around = self.w.around_number
        if text in around or (len(text) == 4 and text.isdecimal() and 1000 <= int(text) <= 2100):
            return None
        if i + 1 < self.n:
            nxt = toks[i + 1]
            if (nxt.start == tok.end or nxt.kind == "word" or nxt.low in around
                    or nxt.text in around or nxt.text in _LOUD_AFTER
                    or self.low(i + 2) == self.w.fold):
                return None
        elif "" in around:  # past the paragraph's end the rules read ""
            return None
        if i == 0 and "" in around:
            return None
        if i > 0:
            prev = toks[i - 1]
            if (prev.end == tok.start or prev.low in around or prev.text in around
                    or prev.text in _LOUD_BEFORE or prev.text in CURRENCY_SYMBOLS):
                return None
            if prev.kind != "num":
                if prev.kind == "word" and text.isdecimal():
                    return None  # "Boeing 737" may be a name
                if self.every_before(i) is not None:
                    return None
        value = float(text.replace(",", ""))
        return Figure(tok.start, tok.end, "number", value=value, low=value, high=value,
                      unit="dimensionless"), i + 1

    def quantity(self, i: int) -> tuple[Figure, int] | None:
        tok = self.toks[i]
        if tok.kind not in ("num", "word"):
            return None
        w = self.w
        if tok.kind == "word" and tok.low not in w.number_starts:
            return None
        start, currency = self.currency_before(i)
        number = self.amount(i, currency is not None)
        if number is None:
            return None
        if tok.kind == "num" and self.low(start - 1) in w.signs:
            start, sign = self.sign_before(start)
            if sign < 0:
                number.value = -number.value
        start, before_unit = self.measure_before(start, currency)
        start, qualifier, between = self.hedge_before(start)
        figure = Figure(self.toks[start].start, self.toks[number.next - 1].end, "count",
                        value=number.value)
        suffix = number.suffix
        if suffix in w.ordinal_suffixes:
            return self.finish_ordinal(figure, number, number.next)
        if suffix in w.decade_suffixes:
            return self.finish_decade(figure, number, number.next)
        if suffix in w.meridiem_suffixes or self.clock_time(number) or self.meridiem(number.next):
            return self.finish_time(figure, number, number.next)
        j = number.next
        if suffix in w.ratio_suffixes:
            figure.kind, figure.unit = "ratio", "dimensionless"
        unit_at = j
        unit, kind, j = self.unit_words(j, currency)
        if kind is None and before_unit is not None:
            unit, kind = before_unit, "measure"
        figure.qualifier = qualifier
        fraction = self.fraction_tail(figure, number, j, unit_free=kind is None)
        if fraction is not None:
            return fraction
        high, j = self.range_tail(number, j, between, currency, start,
                                  unit_between=kind is not None)
        if high is not None:
            unit2, kind2, j2 = self.unit_words(j, currency)
            if unit is None and unit2 is not None:
                unit_at, (unit, kind, j) = j, (unit2, kind2, j2)
            elif unit2 is not None and unit2 == unit:
                j = j2  # the unit written on both ends: "-5C to 3C", "5% to 8%"
            qualifier = "range"
            figure.low, figure.high, figure.value = number.value, high, None
        else:
            after, j = self.hedge_after(j)
            qualifier = after or qualifier
        figure.end = self.toks[j - 1].end
        figure.qualifier = qualifier
        if kind == "money" and currency is None:
            self.in_main_unit(figure, unit_at, j)
        elif kind == "measure":
            unit = self.temperature_difference(unit, start, j)
        if currency and kind is None:
            unit, kind = currency, "money"
        if (kind is None and suffix not in w.ratio_suffixes and self.is_year(i, number, j, start)
                and (high is None or 1000 <= high <= 2100)):
            return self.finish_year(figure, number, j)
        if kind == "duration":
            if figure.qualifier == "more than" and self.low(start) in w.during:
                start = self.index_at(self.toks[i].start) if currency is None else start
                figure.start, figure.qualifier = self.toks[i].start, "exact"
            return self.finish_duration(figure, unit, j)
        if figure.kind != "ratio" and self.low(j) in w.times and kind is None:
            comparative = self.low(j + 1) in w.comparatives
            figure.kind = "ratio" if comparative else "count"
            figure.unit, figure.counted = "dimensionless", self.toks[j].text
            j += 1
            if comparative:
                figure.end = self.toks[j - 1].end
            self.set_bounds(figure)
            return figure, j
        if kind is None and self.is_age(start, number, j):
            figure.kind, figure.unit = "age", "year"
            self.set_bounds(figure)
            return figure, j
        counted, noun_unit, j = self.counted(j)
        figure.counted = counted
        if kind is None:
            if figure.kind == "ratio":
                kind, unit = "ratio", "dimensionless"
            elif counted is None:
                kind, unit = "number", "dimensionless"
            else:
                kind, unit = "count", noun_unit or "dimensionless"
        figure.kind, figure.unit = kind, unit
        j = self.rate(figure, i, start, j)
        self.set_bounds(figure)
        return figure, j

    def currency_before(self, i: int) -> tuple[int, str | None]:
        """A currency sign or code right before token i ("$", "US$", "€", "USD ")."""
        if i == 0:
            return i, None
        prev = self.toks[i - 1]
        if prev.kind == "sym" and prev.text in CURRENCY_SYMBOLS and adjacent(prev, self.toks[i]):
            symbol, start = prev.text, i - 1
            if i > 1:
                before = self.toks[i - 2]
                if adjacent(before, prev) and before.text in CURRENCY_SIGN_PREFIXES:
                    combined = before.text + prev.text
                    if combined in CURRENCY_SYMBOLS:
                        symbol, start = combined, i - 2
                    else:
                        return i, None  # "XY$" of an unknown currency: say nothing
            return start, CURRENCY_SYMBOLS[symbol]
        if prev.kind == "word" and prev.text.isupper() and prev.text in CURRENCY_SYMBOLS:
            return i - 1, CURRENCY_SYMBOLS[prev.text]
        return i, None

    def hedge_before(self, start: int) -> tuple[int, str, bool]:
        """Extend the figure back over a hedge ("at least") or "between"; say which."""
        w = self.w
        before = self.low(start - 1)
        if before in w.between:
            return start - 1, "exact", True
        if before not in w.hedges_before.last:  # the commonest case: refused without a call
            return start, "exact", False
        found = self.phrase_before(start, w.hedges_before)
        if found is None:
            return start, "exact", False
        words, hedge_start = found
        # "over the weekend", "under 18" need the number right after; both hold here.
        return hedge_start, w.hedges_before[words], False

    def hedge_after(self, j: int) -> tuple[str | None, int]:
        w = self.w
        low = self.low(j)
        hyphenated = w.hedges_hyphenated
        if (low == "-" and self.low(j + 1) in hyphenated
                and adjacent(self.toks[j - 1], self.toks[j])):
            return hyphenated[self.low(j + 1)], j + 2
        if low not in w.hedges_after.first:  # the commonest case: refused without a call
            return None, j
        found = self.match_phrase(j, w.hedges_after)
        if found is None:
            return None, j
        if not self.toks[j].text[0].isalnum() and not adjacent(self.toks[j - 1], self.toks[j]):
            return None, j  # a mark hedges only glued to the number: "5+", not "5\t+6%"
        return w.hedges_after[found[0]], found[1]

    def sign_before(self, start: int) -> tuple[int, int]:
        """A sign glued before the figure's first token ("-5C", "+5.3%", "−$2 million"), where
        the mark itself stands apart or after an opening bracket ("(-2.0%)"): (start, sign)."""
        if start == 0:
            return start, 1
        mark = self.toks[start - 1]
        sign = self.w.signs.get(mark.text)
        if sign is None or not adjacent(mark, self.toks[start]):
            return start, 1
        if start > 1:
            before = self.toks[start - 2]
            if adjacent(before, mark) and before.text not in self.w.sign_opening:
                return start, 1  # "COVID-19", "2019-20", "5--3"
        return start - 1, sign

    def amount(self, i: int, currency: bool) -> Number | None:
        """The number at token i, also where a unit is glued to it that the numeral rule does not
        know ("41.7C", "82p") or a measure word joined before it ("magnitude-6.1")."""
        number = self.number(i, currency)
        if number is not None or currency:
            return number
        tok = self.toks[i]
        if tok.kind != "num" or i + 1 >= self.n:
            return None
        glued = self.toks[i + 1]
        units = self.w.units
        if adjacent(tok, glued) and glued.kind == "word":
            if not (self.scale_letter(i + 1) or glued.low in units.glued_subunits):
                return None
            if self.is_identifier(i):
                return None
        elif not (self.low(i - 1) == "-" and self.low(i - 2) in units.measure_before
                  and i > 1 and adjacent(self.toks[i - 2], self.toks[i - 1])
                  and adjacent(self.toks[i - 1], tok)):
            return None
        text = tok.text
        return Number(float(text.replace(",", "")), i + 1, integer="." not in text,
                      separators="," in text)

    def measure_before(self, start: int, currency: str | None) -> tuple[int, str | None]:
        """A measure named before its number ("magnitude 6.1", "a magnitude-6.1 quake")."""
        if currency is not None:
            return start, None
        k = start - 1
        if self.low(k) == "-" and k > 0 and adjacent(self.toks[k - 1], self.toks[k]):
            k -= 1
        unit = self.w.units.measure_before.get(self.low(k))
        return (k, unit) if unit is not None else (start, None)

    def unit_words(self, j: int, currency: str | None) -> tuple[str | None, str | None, int]:
        """Unit words after a number: percent, a currency or its subunit, a span of time or a
        measure (temperatures included)."""
        if j < self.n and self.toks[j].text == "%":
            return "percent", "percent", j + 1
        words = self.w.units
        if self.low(j) in words.phrase_firsts:
            percent, money, measure = words.percent, words.currency, words.measure
            for size in words.phrase_sizes:
                tokens = self.words_at(j, size)
                if len(tokens) < size:
                    continue
                phrase = " ".join(tokens)
                if phrase in percent:
                    return percent[phrase], "percent", j + size
                if phrase in money and not (size == 1 and phrase in words.currency_not_alone):
                    return money[phrase], "money", j + size
                if currency is not None:
                    continue
                if phrase in words.subunits and (phrase not in words.glued_subunits
                                                 or adjacent(self.toks[j - 1], self.toks[j])):
                    return words.subunits[phrase][0], "money", j + size
                if phrase in measure:
                    return measure[phrase], "measure", j + size
        low = self.low(j)
        if currency is None and (low in words.bare_degrees or (
                j < self.n and self.toks[j].text in words.scale_letters)):
            temperature = self.temperature(j)
            if temperature is not None:
                return temperature
        if low == "-" and j + 1 < self.n and adjacent(self.toks[j - 1], self.toks[j]):
            # "a 12-month period", "a 200-yard run", "a 6.1-magnitude quake", "10-kilometer-deep":
            # the unit is joined by a hyphen.
            after = self.low(j + 1)
            if after in words.time:
                return words.time[after], "duration", j + 2
            if currency is None and after in words.measure:
                end = j + 2
                if self.low(end) == "-" and self.low(end + 1) in self.w.length_words:
                    end += 2
                return words.measure[after], "measure", end
            if currency is None:
                return self.temperature(j + 1) or (None, None, j)
            return None, None, j
        if low in words.time and currency is None:
            return words.time[low], "duration", j + 1
        return None, None, j

    def scale_letter(self, k: int) -> bool:
        """Is token k a temperature scale's letter ("C", "F") where one may stand: right after a
        number, as written (a capital), with no letter, digit or hyphen glued after it."""
        tok = self.toks[k] if 0 <= k < self.n else None
        if tok is None or tok.text not in self.w.units.scale_letters:
            return False
        before = self.toks[k - 1]
        if before.kind != "num" or tok.start - before.end > 1:
            return False
        after = self.toks[k + 1] if k + 1 < self.n else None
        return (after is None or not adjacent(tok, after)
                or after.kind not in ("word", "num") and after.text != "-")

    def temperature(self, j: int) -> tuple[str, str, int] | None:
        """A scale letter ("41.7C") or a bare "degrees", whose scale is the one the article
        states, else the one assumed (lang units.toml, [temperature])."""
        words = self.w.units
        if self.scale_letter(j):
            return words.scale_letters[self.toks[j].text], "measure", j + 1
        if self.low(j) not in words.bare_degrees:
            return None
        if self.low(j + 1) in words.angle_nouns:
            return words.angle, "measure", j + 1
        return words.stated_scale(self.text), "measure", j + 1

    def temperature_difference(self, unit: str | None, start: int, j: int) -> str | None:
        """"0.2C above the previous record", "warmed by 1.5C": a difference of temperatures."""
        words = self.w.units
        if unit not in words.differences:
            return unit
        after = self.low(j) in words.difference_after and not (
            j + 1 < self.n and self.toks[j + 1].kind == "num")
        if after or self.low(start - 1) in words.difference_before:
            return words.differences[unit]
        return unit

    def in_main_unit(self, figure: Figure, at: int, end: int) -> None:
        """An amount in a currency's subunit ("82 cents") as money in its main unit (0.82)."""
        words = self.w.units
        for size in range(end - at, 0, -1):
            found = words.subunits.get(" ".join(self.words_at(at, size)))
            if found is not None:
                per = found[1]
                figure.value = None if figure.value is None else figure.value / per
                figure.low = None if figure.low is None else figure.low / per
                figure.high = None if figure.high is None else figure.high / per
                return

    def fraction_tail(self, figure: Figure, number: Number, j: int,
                      unit_free: bool) -> tuple[Figure, int] | None:
        """"one in five", "1 in 4", "two-thirds", "three quarters"."""
        w = self.w
        low = self.low(j)
        k = (self.whole_after(j) if figure.kind == "count" and unit_free
             and (low in w.part_in or low in w.part_out_of_first) else None)
        if k is not None:
            denominator = self.number(k) if k < self.n else None
            if denominator is None or denominator.value == 0 or denominator.next == k:
                return None
            if (denominator.value <= number.value or self.low(denominator.next) in w.units.time
                    or denominator.numeral and 1000 <= denominator.value <= 2100):
                return None
            figure.value = number.value / denominator.value
            figure.kind, figure.unit = "fraction", "dimensionless"
            figure.end = self.toks[denominator.next - 1].end
            figure.counted, _, end = self.counted(denominator.next)
            self.set_bounds(figure)
            return figure, end
        k = j + 1 if self.low(j) == "-" else j
        parts = w.fractions.get(self.low(k))
        if parts is not None and not number.numeral and number.value < parts:
            figure.value = number.value / parts
            figure.kind, figure.unit = "fraction", "dimensionless"
            figure.end = self.toks[k].end
            figure.counted, _, end = self.counted(k + 1)
            self.set_bounds(figure)
            return figure, end
        return None

    def whole_after(self, j: int) -> int | None:
        """Where the whole starts after the "in" or "out of" at j ("one in five", "3 out of 4",
        "one out of every four")."""
        w = self.w
        low = self.low(j)
        if low in w.part_in:
            k = j + 1
        elif low in w.part_out_of_first and self.words_at(j, 2) in w.part_out_of:
            k = j + 2
        else:
            return None
        return k + 1 if self.low(k) in w.part_every else k

    def range_tail(self, number: Number, j: int, between: bool, currency: str | None,
                   start: int, unit_between: bool) -> tuple[float | None, int]:
        """The high end of "3 to 5", "18-44", "between 3 and 5", "two or three", "2017-21"."""
        w = self.w
        link = self.low(j)
        if link not in w.range_links:
            return None, j
        if link in w.range_and and not between:
            return None, j
        if link == "-" and not (adjacent(self.toks[j - 1], self.toks[j])):
            return None, j
        k = j + 1
        if k < self.n and self.toks[k].text in CURRENCY_SYMBOLS:
            k += 1
        if k >= self.n or (link in ("-", "–", "—") and self.toks[k].kind != "num"):
            return None, j
        second = self.amount(k, currency is not None)
        if second is None or second.suffix not in (None,):
            return None, j
        low, high = number.value, second.value
        if (link in ("-", "–") and number.integer and second.integer and 1000 <= low <= 2100
                and len(self.toks[k].text) == 2):
            high = low // 100 * 100 + high  # "2017-21"
        if second.scaled and not number.scaled and self.toks[k].kind == "num":
            # "25 TO 50 THOUSAND", "$3-5 million": the magnitude is written once, for both.
            written = float(self.toks[k].text.replace(",", ""))
            if low < written:
                low *= second.value / written
                number.value = low
        if not low < high:
            return None, j
        if link in w.range_or and (high - low > 10 or not number.integer):
            return None, j
        if link in w.range_to and self.changes_before(start) and (
                unit_between or self.low(start - 1) in w.from_):
            return None, j  # "fell 3 points to 41 percent", "rose from 3 to 5": two figures
        return high, second.next

    def changes_before(self, start: int) -> bool:
        """"rose from 3 to 5" states two figures, not a range."""
        k = start - 1
        if self.low(k) in self.w.from_:
            k -= 1
        verbs = self.w.change_verbs
        return any(self.low(m) in verbs for m in range(max(0, k - 3), k + 1))

    def set_bounds(self, figure: Figure) -> None:
        value, qualifier = figure.value, figure.qualifier
        if value is None or qualifier == "range":
            return
        if qualifier == "exact":
            figure.low = figure.high = value
        elif qualifier in ("at least", "more than"):
            figure.low = value
        elif qualifier in ("up to", "fewer than", "nearly"):
            figure.high = value
