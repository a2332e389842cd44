"""The figure grammar: from tokens to figures (span, value, bounds, unit, kind, what is counted).

One left-to-right pass. At each token the parser tries, in order, a date, a quantity (numerals
and number words with their hedges, ranges, units and rates), a vague quantity and an ordinal;
whatever matches consumes its tokens. Nothing here knows about quotations or speakers: that is
attribution.py's work on the figures this returns.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from dashboard.extract import dates
from dashboard.extract.lang import lexicon
from dashboard.extract.tokens import Token
from dashboard.units import (
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    MEASURE_UNITS,
    PERCENT_UNITS,
    TIME_ADVERBS,
    TIME_UNITS,
    unit_for_noun,
)

_WORDS = lexicon("en")["grammar"]


class Phrases:
    """Word sequences to look up at a token, with their first and last words for a cheap
    refusal: most tokens start or end no phrase."""

    def __init__(self, phrases):
        keys = list(phrases)
        self.table = phrases if isinstance(phrases, dict) else dict.fromkeys(phrases)
        self.first = frozenset(k[0] for k in keys)
        self.last = frozenset(k[-1] for k in keys)
        self.sizes = sorted({len(k) for k in keys}, reverse=True)

    def __getitem__(self, words: tuple[str, ...]) -> str | None:
        return self.table[words]

    def __contains__(self, words: tuple[str, ...]) -> bool:
        return words in self.table


def _phrases(entries) -> Phrases:
    return Phrases({tuple(key.split()): value for key, value in entries.items()})


HEDGES_BEFORE = _phrases(_WORDS["hedges"]["before"])
HEDGES_AFTER = _phrases(_WORDS["hedges"]["after"])
VAGUE = Phrases({tuple(p.split()) for p in _WORDS["vague"]["phrases"]})
STOP = frozenset(_WORDS["phrase"]["stop"])
LABELS = frozenset(_WORDS["furniture"]["labels"])

UNITS = {
    w: n for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split())
}
TENS = {w: 10 * n for n, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
SCALE_ABBREVIATIONS = {
    "k": 1e3, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "bln": 1e9, "tn": 1e12, "trn": 1e12,
}
ORDINALS = {
    w: n for n, w in enumerate(
        "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
        "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
        "nineteenth".split())
} | {w: 10 * n for n, w in enumerate(
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split(),
    start=2)} | {"hundredth": 100, "thousandth": 1000, "millionth": 1_000_000}
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
             "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}
DETERMINERS = frozenset("the a an his her its their our my your this that whose each".split())
YEAR_CONTEXT = frozenset(
    """in since by from until till through during before after of early late mid circa year
    fiscal the between and to or than around about summer winter spring autumn fall""".split()
)
MONTH_CONTEXT = frozenset(
    """in since until till by from through during last next this early late mid of ending
    ended to before after between and throughout on""".split()
)
CHANGE_VERBS = frozenset(
    """rose rise rises rising fell fall falls falling increased increase increases decreased
    decrease decreases dropped drop drops declined decline declines climbed climb grew grow
    jumped jump surged surge plunged plunge slid slide went go cut raised raise reduced reduce
    lowered lower up down doubled tripled soared shrank shrunk""".split()
)
COMPARATIVES = frozenset(
    "as more higher larger greater bigger faster lower smaller less fewer the that what".split()
)
IDENTIFIER_PREFIXES = frozenset("mid pre post late early non over under sub top ex".split())
CURRENCY_PREFIXES = frozenset("US MX C CA A AU R NZ HK S".split())


@dataclass
class Figure:
    """One figure found in the text, before attribution."""

    start: int
    end: int
    kind: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    unit: str | None = None
    counted: str | None = None
    date: str | None = None
    period: str | None = None
    rate_base: float | None = None


@dataclass
class _Number:
    value: float
    next: int  # index of the first token after the number
    numeral: bool = True
    integer: bool = True
    separators: bool = False
    scaled: bool = False
    suffix: str | None = None  # an attached "st", "s", "am" ...


def _adjacent(a: Token, b: Token) -> bool:
    return a.end == b.start


class Parser:
    """Reads the figures of one paragraph's tokens (so that no figure crosses a paragraph).

    `sentence_spans` and `sentence_starts` are the whole document's; `future` caches, per
    sentence index, whether it speaks of the future, and may be shared between paragraphs.
    """

    def __init__(self, text: str, tokens: list[Token], published: dt.date | None,
                 sentence_spans: list[tuple[int, int]], sentence_starts: list[int] | None = None,
                 future: dict[int, bool] | None = None):
        self.text = text
        self.toks = tokens
        self.n = len(tokens)
        self.lows = [tok.low for tok in tokens]
        self.published = published
        self.sentence_spans = sentence_spans
        self.sentence_starts = (sentence_starts if sentence_starts is not None
                                else [start for start, _ in sentence_spans])
        self._future = future if future is not None else {}
        self._groups: list[int] | None = None

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, offset) - 1)

    def sentence_start(self, offset: int) -> int:
        return self.sentence_starts[self.sentence_index(offset)] if self.sentence_starts else 0

    def opens_sentence(self, tok: Token) -> bool:
        """Is `tok` the first word of its sentence (after any opening quotes or brackets)?"""
        before = self.text[self.sentence_start(tok.start):tok.start]
        return not before.strip(" “\"‘'([—–-")

    def future_at(self, offset: int) -> bool:
        """Does the sentence around `offset` speak of the future?"""
        if not self.sentence_spans:
            return False
        index = self.sentence_index(offset)
        if index not in self._future:
            start, end = self.sentence_spans[index]
            self._future[index] = dates.FUTURE.search(self.text, start, end) is not None
        return self._future[index]

    # -- helpers -----------------------------------------------------------------------
    def low(self, i: int) -> str:
        return self.lows[i] if 0 <= i < self.n else ""

    def words_at(self, i: int, count: int) -> tuple[str, ...]:
        return tuple(self.lows[i:i + count]) if i >= 0 else ()

    def match_phrase(self, i: int, phrases: Phrases) -> tuple[tuple[str, ...], int] | None:
        """The longest phrase of `phrases` that starts at token i (words, next index)."""
        if self.low(i) not in phrases.first:
            return None
        for size in phrases.sizes:
            words = self.words_at(i, size)
            if len(words) == size and words in phrases.table:
                return words, i + size
        return None

    def phrase_before(self, i: int, phrases: Phrases) -> tuple[tuple[str, ...], int] | None:
        """The longest phrase of `phrases` that ends just before token i (words, start index)."""
        if self.low(i - 1) not in phrases.last:
            return None
        for size in phrases.sizes:
            start = i - size
            if start >= 0:
                words = self.words_at(start, size)
                if words in phrases.table:
                    return words, start
        return None

    # -- the pass ------------------------------------------------------------------------
    def figures(self) -> list[Figure]:
        found: list[Figure] = []
        i = 0
        lows, toks = self.lows, self.toks
        while i < self.n:
            if toks[i].kind != "num" and lows[i] not in TRIGGERS:
                i += 1  # most words cannot start a figure: skip them cheaply
                continue
            result = (self.date(i) or self.quantity(i) or self.vague(i) or self.fraction(i)
                       or self.ordinal(i))
            if result is None:
                i += 1
                continue
            figure, i = result
            found.append(figure)
        self.fill_ellipses(found)
        return found

    def fill_ellipses(self, found: list[Figure]) -> None:
        """"48,215 residents, up from 45,902": a bare number compared with a figure of the same
        sentence counts the same thing."""
        for index, figure in enumerate(found):
            if figure.kind != "number" or index == 0:
                continue
            if self.low(self.index_at(figure.start) - 1) not in ELLIPSIS_WORDS:
                continue
            earlier = found[index - 1]
            same_sentence = self.sentence_index(earlier.start) == self.sentence_index(figure.start)
            if same_sentence and earlier.kind in ("count", "rate"):
                figure.kind, figure.unit = earlier.kind, earlier.unit
                figure.counted, figure.rate_base = earlier.counted, earlier.rate_base

    # -- numbers -------------------------------------------------------------------------
    def number(self, i: int, currency: bool = False) -> _Number | None:
        tok = self.toks[i] if i < self.n else None
        if tok is None:
            return None
        if tok.kind == "num":
            return self.numeral(i, currency)
        return self.number_words(i)

    def numeral(self, i: int, currency: bool) -> _Number | None:
        tok = self.toks[i]
        if self.is_identifier(i):
            return None
        number = _Number(float(tok.text.replace(",", "")), i + 1,
                         integer="." not in tok.text, separators="," in tok.text)
        nxt = self.toks[i + 1] if i + 1 < self.n else None
        if nxt is not None and _adjacent(tok, nxt) and nxt.kind == "word":
            suffix = nxt.low
            if suffix in SCALE_ABBREVIATIONS or (suffix == "m" and self.million_m(i + 1, currency)):
                number.value *= SCALE_ABBREVIATIONS.get(suffix, 1e6)
                number.scaled, number.next = True, i + 2
            elif suffix in ("st", "nd", "rd", "th", "s", "am", "pm", "x"):
                number.suffix, number.next = suffix, i + 2
            elif suffix in MEASURE_UNITS or suffix in TIME_UNITS or suffix == "m":
                pass  # "5km", "10kg", "3yrs": the unit words read it
            else:
                return None  # "5G", "3D": a name, not a figure
        self.apply_scale_words(number, currency)
        return number

    def million_m(self, i: int, currency: bool) -> bool:
        """An attached "m" is million after a currency sign or before a noun, else metres."""
        if currency:
            return True
        return self.low(i + 1) not in LENGTH_WORDS

    def apply_scale_words(self, number: _Number, currency: bool) -> None:
        j = number.next
        while j < self.n:
            low = self.low(j)
            if low in SCALES and not number.scaled or low in SCALES and number.value < 1000:
                number.value *= SCALES[low]
            elif low in ("bn", "mn", "mln", "bln", "tn", "trn") or (low == "m" and currency):
                number.value *= SCALE_ABBREVIATIONS.get(low, 1e6)
            elif low == "dozen":
                number.value *= 12
            else:
                break
            number.scaled, j = True, j + 1
        number.next = j

    def is_identifier(self, i: int) -> bool:
        """Digits that name something ("COVID-19", "F-35", "A320", "Section 230", "555-1234")."""
        tok = self.toks[i]
        prev = self.toks[i - 1] if i > 0 else None
        if prev is None:
            return False
        if _adjacent(prev, tok) and prev.kind == "word":
            return True
        if _adjacent(prev, tok) and prev.text == "-" and i > 1:
            before = self.toks[i - 2]
            if _adjacent(before, prev) and before.kind == "word" and (
                before.low not in IDENTIFIER_PREFIXES and before.low not in UNITS
                and before.low not in TENS and before.low not in VAGUE_WORDS
            ):
                return True
        if prev.kind == "word" and prev.low in LABELS and (prev.text[0].isupper()
                                                          or prev.low == "no"):
            return True
        if self.words_at(i + 1, 3) in (("(", "k", ")"), ("(", "b", ")"), ("(", "c", ")")):
            return True  # "401(k)", "501(c)"
        if tok.text in EMERGENCY_NUMBERS and prev.low in CALLING:
            return True
        if (prev.kind == "word" and prev.text[0].isupper() and tok.text.isdecimal()
                and not (len(tok.text) == 4 and 1000 <= int(tok.text) <= 2100)
                and not self.opens_sentence(prev)
                and not prev.text.isupper()
                and not prev.low.endswith("s") and prev.low not in NOT_BRANDS):
            return True  # "Boeing 737", "Route 66", "Chapter 11": a name with a number
        return self.digit_groups(i) >= 3

    def digit_groups(self, i: int) -> int:
        """How many digit groups are glued to token i by "-" or "." ("555-123-4567": 3)."""
        if self._groups is None:
            self._groups = self.glued_chains()
        return self._groups[i]

    def glued_chains(self) -> list[int]:
        """Per token, the length of the chain of digit groups it belongs to (1 outside any), in
        one pass: walking the chain from every token of "1-1-1-..." was quadratic."""
        toks, n = self.toks, self.n
        sizes = [1] * n
        k = 0
        while k < n:
            end = k
            while (end + 2 < n and toks[k].kind == "num" and toks[end + 1].text in "-."
                   and toks[end + 2].kind == "num" and _adjacent(toks[end], toks[end + 1])
                   and _adjacent(toks[end + 1], toks[end + 2])):
                end += 2
            if end > k:
                groups = (end - k) // 2 + 1
                for member in range(k, end + 1, 2):
                    sizes[member] = groups
            k = end + 1 if end > k else k + 1
        return sizes

    def number_words(self, i: int) -> _Number | None:
        """"twenty-one", "one hundred and fifty", "a dozen", "half a million", "two and a half"."""
        j = i
        low = self.low(j)
        if low == "half" and self.low(j + 1) == "a" and self.low(j + 2) in SCALES | {"dozen": 0}:
            scale = 12 if self.low(j + 2) == "dozen" else SCALES[self.low(j + 2)]
            return _Number(0.5 * scale, j + 3, numeral=False, integer=False, scaled=True)
        if low in ("a", "an"):
            if self.low(j + 1) not in ("hundred", "thousand", "million", "billion", "dozen"):
                return None
            j += 1
        total, current, seen, last = 0.0, 0.0, False, ""
        while j < self.n:
            low = self.low(j)
            if low in UNITS and last not in UNITS and last not in TENS_PLUS:
                current += UNITS[low]
            elif low in TENS and last not in UNITS and last not in TENS_PLUS:
                if self.low(j + 1) == "-" and self.low(j + 2) in ORDINALS and not seen:
                    return None  # "twenty-first": the ordinal rule reads it
                current += TENS[low]
                if (self.low(j + 1) == "-" and self.low(j + 2) in UNITS
                        and _adjacent(self.toks[j], self.toks[j + 1])):
                    current += UNITS[self.low(j + 2)]
                    j += 2
                low = "tens+"
            elif low == "hundred":
                current = max(current, 1) * 100
            elif low in SCALES:
                total += max(current, 1) * SCALES[low]
                current = 0
            elif low == "dozen":
                current = max(current, 1) * 12
            elif low == "and" and seen and last in SCALES and (
                    self.low(j + 1) in UNITS or self.low(j + 1) in TENS):
                j += 1
                continue
            elif low == "and" and seen and self.words_at(j + 1, 2) == ("a", "half"):
                current += 0.5
                j += 3
                last = "half"
                continue
            else:
                break
            seen, last = True, low
            j += 1
        if not seen:
            return None
        number = _Number(total + current, j, numeral=False, integer=(total + current).is_integer(),
                         scaled=any(self.low(k) in SCALES for k in range(i, j)))
        if number.value == 1 and j == i + 1 and not self.one_counts(j):
            return None
        return number

    def one_counts(self, j: int) -> bool:
        """A lone "one" is a figure only before a counted noun or "in" ("one in five")."""
        low = self.low(j)
        if low == "in" and (self.low(j + 1) in UNITS or self.low(j + 1) in TENS):
            return True
        if low in ("of", "another", "day", "way", "thing", "side", "hand", "point", "time"):
            return False
        return low in TIME_UNITS or unit_for_noun(low) is not None or low in MEASURE_UNITS

    # -- quantities ----------------------------------------------------------------------
    def quantity(self, i: int) -> tuple[Figure, int] | None:
        tok = self.toks[i]
        if tok.kind not in ("num", "word"):
            return None
        if tok.kind == "word" and tok.low not in NUMBER_STARTS:
            return None
        start, currency = self.currency_before(i)
        number = self.number(i, currency is not None)
        if number is None:
            return None
        start, qualifier, between = self.hedge_before(start)
        figure = Figure(self.toks[start].start, self.toks[number.next - 1].end, "count",
                        value=number.value)
        if number.suffix in ("st", "nd", "rd", "th"):
            return self.finish_ordinal(figure, number, number.next)
        if number.suffix == "s":
            return self.finish_decade(figure, number, number.next)
        if number.suffix in ("am", "pm") or self.clock_time(number) or self.meridiem(number.next):
            return self.finish_time(figure, number, number.next)
        j = number.next
        if number.suffix == "x":
            figure.kind, figure.unit = "ratio", "dimensionless"
        unit, kind, j = self.unit_words(j, currency)
        figure.qualifier = qualifier
        fraction = self.fraction_tail(figure, number, j, unit_free=kind is None)
        if fraction is not None:
            return fraction
        high, j = self.range_tail(number, j, between, currency, start,
                                  unit_between=kind is not None)
        if high is not None:
            unit2, kind2, j2 = self.unit_words(j, currency)
            if unit is None and unit2 is not None:
                unit, kind, j = unit2, kind2, j2
            qualifier = "range"
            figure.low, figure.high, figure.value = number.value, high, None
        else:
            after, j = self.hedge_after(j)
            qualifier = after or qualifier
        figure.end = self.toks[j - 1].end
        figure.qualifier = qualifier
        if currency and kind is None:
            unit, kind = currency, "money"
        if (kind is None and number.suffix != "x" and self.is_year(i, number, j, start)
                and (high is None or 1000 <= high <= 2100)):
            return self.finish_year(figure, number, j)
        if kind == "duration":
            if figure.qualifier == "more than" and self.low(start) == "over":
                start = self.index_at(self.toks[i].start) if currency is None else start
                figure.start, figure.qualifier = self.toks[i].start, "exact"
            return self.finish_duration(figure, unit, j)
        if figure.kind != "ratio" and self.low(j) == "times" and kind is None:
            comparative = self.low(j + 1) in COMPARATIVES
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
        if prev.kind == "sym" and prev.text in CURRENCY_SYMBOLS and _adjacent(prev, self.toks[i]):
            symbol, start = prev.text, i - 1
            if i > 1:
                before = self.toks[i - 2]
                if _adjacent(before, prev) and before.text in CURRENCY_PREFIXES:
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
        if self.low(start - 1) == "between":
            return start - 1, "exact", True
        found = self.phrase_before(start, HEDGES_BEFORE)
        if found is None:
            return start, "exact", False
        words, hedge_start = found
        # "over the weekend", "under 18" need the number right after; both hold here.
        return hedge_start, HEDGES_BEFORE[words], False

    def hedge_after(self, j: int) -> tuple[str | None, int]:
        if j < self.n and self.toks[j].text == "+" and _adjacent(self.toks[j - 1], self.toks[j]):
            return "at least", j + 1
        if (self.low(j) == "-" and self.low(j + 1) == "plus"
                and _adjacent(self.toks[j - 1], self.toks[j])):
            return "at least", j + 2
        found = self.match_phrase(j, HEDGES_AFTER)
        if found is not None and found[0] != ("plus",):
            return HEDGES_AFTER[found[0]], found[1]
        return None, j

    def unit_words(self, j: int, currency: str | None) -> tuple[str | None, str | None, int]:
        """Unit words after a number: percent, a currency, a span of time or a measure."""
        if j < self.n and self.toks[j].text == "%":
            return "percent", "percent", j + 1
        for size in (3, 2, 1):
            words = self.words_at(j, size)
            if len(words) < size:
                continue
            phrase = " ".join(words)
            if phrase in PERCENT_UNITS:
                return PERCENT_UNITS[phrase], "percent", j + size
            if phrase in CURRENCY_WORDS and not (size == 1 and words[0] in ("real", "franc")):
                return CURRENCY_WORDS[phrase], "money", j + size
            if currency is None and phrase in MEASURE_UNITS:
                return MEASURE_UNITS[phrase], "measure", j + size
        low = self.low(j)
        if low == "-" and j + 1 < self.n and _adjacent(self.toks[j - 1], self.toks[j]):
            # "a 12-month period", "a 10-year sentence": the unit is joined by a hyphen.
            if self.low(j + 1) in TIME_UNITS:
                return TIME_UNITS[self.low(j + 1)], "duration", j + 2
            return None, None, j
        if low in TIME_UNITS and currency is None:
            return TIME_UNITS[low], "duration", j + 1
        return None, None, j

    def fraction_tail(self, figure: Figure, number: _Number, j: int,
                      unit_free: bool) -> tuple[Figure, int] | None:
        """"one in five", "1 in 4", "two-thirds", "three quarters"."""
        if self.low(j) in ("in", "out") and figure.kind == "count" and unit_free:
            k = j + 1 + (self.low(j) == "out" and self.low(j + 1) == "of")
            if self.low(j) == "out" and k == j + 1:
                return None
            denominator = self.number(k) if k < self.n else None
            if denominator is None or denominator.value == 0 or denominator.next == k:
                return None
            if (denominator.value <= number.value or self.low(denominator.next) in TIME_UNITS
                    or denominator.numeral and 1000 <= denominator.value <= 2100):
                return None
            figure.value = number.value / denominator.value
            figure.kind, figure.unit = "fraction", "dimensionless"
            figure.end = self.toks[denominator.next - 1].end
            figure.counted, _, end = self.counted(denominator.next)
            self.set_bounds(figure)
            return figure, end
        k = j + 1 if self.low(j) == "-" else j
        parts = FRACTIONS.get(self.low(k))
        if parts is not None and not number.numeral and number.value < parts:
            figure.value = number.value / parts
            figure.kind, figure.unit = "fraction", "dimensionless"
            figure.end = self.toks[k].end
            figure.counted, _, end = self.counted(k + 1)
            self.set_bounds(figure)
            return figure, end
        return None

    def range_tail(self, number: _Number, j: int, between: bool, currency: str | None,
                   start: int, unit_between: bool) -> tuple[float | None, int]:
        """The high end of "3 to 5", "18-44", "between 3 and 5", "two or three", "2017-21"."""
        link = self.low(j)
        if link not in ("to", "-", "–", "—", "and", "or", "through"):
            return None, j
        if link == "and" and not between:
            return None, j
        if link == "-" and not (_adjacent(self.toks[j - 1], self.toks[j])):
            return None, j
        k = j + 1
        if k < self.n and self.toks[k].text in CURRENCY_SYMBOLS:
            k += 1
        if k >= self.n or (link in ("-", "–", "—") and self.toks[k].kind != "num"):
            return None, j
        second = self.number(k, currency is not None)
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
        if link == "or" and (high - low > 10 or not number.integer):
            return None, j
        if link in ("to", "through") and self.changes_before(start) and (
                unit_between or self.low(start - 1) == "from"):
            return None, j  # "fell 3 points to 41 percent", "rose from 3 to 5": two figures
        return high, second.next

    def changes_before(self, start: int) -> bool:
        """"rose from 3 to 5" states two figures, not a range."""
        k = start - 1
        if self.low(k) == "from":
            k -= 1
        return any(self.low(m) in CHANGE_VERBS for m in range(max(0, k - 3), k + 1))

    def is_age(self, start: int, number: _Number, j: int) -> bool:
        """"aged 18-44", "ages 5 to 11", or an appositive "The victim, 27, had ..."."""
        if not number.integer or number.value > 120:
            return False
        if self.low(start - 1) in AGE_WORDS:
            return True
        if self.low(start - 1) == "," and self.low(j) in (",", ")") and start >= 2:
            before = self.toks[start - 2]
            return before.kind == "word" and (unit_for_noun(before.low) == "person"
                                              or before.text[0].isupper())
        return False

    def is_year(self, i: int, number: _Number, j: int, start: int) -> bool:
        """A four-digit number in year context: "in 2023", "the 2024 election", "2017 to 2021"."""
        if not (number.numeral and number.integer and not number.separators
                and not number.scaled and 1000 <= number.value <= 2100):
            return False
        if len(self.toks[i].text) != 4:
            return False
        if start != i and self.low(start) != "between":  # "about 1500 troops" is a count
            return False
        prev = self.low(i - 1)
        if prev in YEAR_CONTEXT or prev in MONTHS or prev in MONTH_ABBREVIATIONS or prev == ",":
            return True
        nxt = self.low(j)
        return not (unit_for_noun(nxt) is not None or (nxt.endswith("s") and nxt not in STOP
                                                        and self.toks[j].kind == "word"))

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

    # -- what is counted, and rates -------------------------------------------------------
    def counted(self, j: int) -> tuple[str | None, str | None, int]:
        """The noun phrase after a number: its text as written, its unit, and where it ends."""
        k = j
        if k < self.n and self.toks[k].text in "”\"’" and k + 1 < self.n:
            k += 1  # “over 2 million” migrants: a scare quote between number and noun
        if self.low(k) == "of":
            k += 1
            if self.low(k) in ("the", "these", "those", "their", "its", "his", "her", "our",
                               "all", "them"):
                k += 1
            if k < self.n and self.toks[k].kind == "num":
                # "nine of the 11 victims": the nine are victims too, and the 11 is a figure
                # of its own, so reading goes on from it.
                text, unit, _ = self.counted(k + 1)
                return text, unit, k
        if self.low(k) in ("more", "additional", "extra", "fewer", "less", "new", "other"):
            if self.low(k) in ("more", "fewer", "less") and self.low(k + 1) == "than":
                return None, None, j
            k += 1 if self.low(k) in ("more", "additional", "extra", "fewer", "less") else 0
        words: list[int] = []
        while k < self.n and len(words) < 5:
            tok = self.toks[k]
            if tok.kind != "word" or tok.low in STOP:
                joined = (tok.text == "-" and words and k + 1 < self.n
                          and _adjacent(self.toks[k - 1], tok)
                          and self.toks[k + 1].kind == "word" and _adjacent(tok, self.toks[k + 1]))
                if joined:
                    k += 1
                    continue
                break
            if words and (tok.low in MONTHS or tok.low in WEEKDAY_NAMES) and tok.text[0].isupper():
                break
            if (words and tok.low.endswith("ed") and unit_for_noun(tok.low) is None
                    and not self.low(words[-1]).endswith("ly")):
                break  # "15 states reported cases": the verb ends what is counted
            words.append(k)
            k += 1
        if not words:
            return None, None, j
        head, unit = self.head_noun(words)
        if head is None:
            head = self.plain_head(words)
            if head is None:
                return None, None, j
        last = words[head]
        return self.text[self.toks[words[0]].start:self.toks[last].end], unit, last + 1

    def plain_head(self, words: list[int]) -> int | None:
        """For a phrase with no known noun: up to its first plural, else without trailing
        participles and adverbs ("drugs come" -> "drugs", "widgets sold" -> "widgets")."""
        for index, k in enumerate(words):
            low = self.low(k)
            if low.endswith("s") and not low.endswith(("ss", "us", "is")) and len(low) > 2:
                return index
        while words and self.low(words[-1]).endswith(("ed", "ing", "ly")):
            words.pop()
        return len(words) - 1 if words else None

    def head_noun(self, words: list[int]) -> tuple[int | None, str | None]:
        """The rightmost word of the phrase that names a countable unit."""
        for index in range(len(words) - 1, -1, -1):
            tok = self.toks[words[index]]
            if index > 0:
                pair = f"{self.toks[words[index - 1]].low} {tok.low}"
                unit = unit_for_noun(pair)
                if unit is not None:
                    return index, unit
            unit = unit_for_noun(tok.low)
            if unit is None and tok.text[0].isupper() and tok.low.endswith(("ans", "ons", "is")):
                unit = "person"  # demonyms and parties: "Venezuelans", "Britons", "Republicans"
            if unit is not None:
                return index, unit
        return None, None

    def rate(self, figure: Figure, i: int, start: int, j: int) -> int:
        """Make the figure a rate from "per X", "a day", "each X", "annually" or a leading
        "every X" in its clause; returns the index after what was read."""
        denominator, base, end = self.rate_after(j)
        if denominator is None:
            denominator = self.every_before(start)
        if denominator is None:
            return j
        figure.unit = f"{figure.unit or 'dimensionless'} / {denominator}"
        figure.kind = "rate" if figure.kind not in ("percent",) else figure.kind
        figure.rate_base = base
        return max(j, end)

    def rate_after(self, j: int) -> tuple[str | None, float | None, int]:
        low = self.low(j)
        adverb = self.match_phrase(j, ADVERB_PHRASES)
        if adverb is not None:
            return TIME_ADVERBS[" ".join(adverb[0])], 1.0, adverb[1]
        if low in ("per", "a", "an", "each", "every"):
            k = j + 1
            base = 1.0
            number = self.number(k) if low == "per" and k < self.n else None
            if number is not None:
                base, k = number.value, number.next
            noun = self.low(k)
            if low in ("a", "an") and self.low(k + 1) in NOT_A_RATE:
                return None, None, j
            if noun == "capita":
                return "person", base, k + 1
            unit = TIME_UNITS.get(noun) or MEASURE_UNITS.get(noun) or unit_for_noun(noun)
            if unit is not None:
                return unit, base, k + 1
            if low == "per" and number is not None:
                # "5.6 per 1,000 live births": the phrase after the base says per what.
                _, phrase_unit, end = self.counted(k)
                return phrase_unit or "dimensionless", base, max(end, k)
        return None, None, j

    def every_before(self, start: int) -> str | None:
        """"every boat we knock out saves 25,000 lives": a count per boat."""
        limit = self.toks[start].start
        floor = self.sentence_start(limit)
        k = start - 1
        steps = 0
        while k >= 0 and steps < 12 and self.toks[k].start >= floor:
            tok = self.toks[k]
            if tok.low in ("every", "each", "per"):
                noun = self.low(k + 1)
                unit = TIME_UNITS.get(noun) or unit_for_noun(noun)
                if unit is not None and noun not in ("time", "times"):
                    return unit
            if tok.text in ".;:!?“”\"()":
                return None
            if tok.text == ",":
                # Only a fronted "Every year, ..." may stand before a comma.
                if self.low(k - 2) in ("every", "each") and (
                        TIME_UNITS.get(self.low(k - 1)) or unit_for_noun(self.low(k - 1))):
                    return TIME_UNITS.get(self.low(k - 1)) or unit_for_noun(self.low(k - 1))
                return None
            if tok.kind == "num" or tok.low in VERB_BREAKS:
                return None
            k -= 1
            steps += 1
        return None

    # -- other kinds ---------------------------------------------------------------------
    def finish_ordinal(self, figure: Figure, number: _Number, j: int) -> tuple[Figure, int]:
        figure.kind, figure.qualifier = "ordinal", "exact"
        figure.value = number.value
        figure.counted, _, end = self.counted(j)
        return figure, max(j, end)

    def finish_decade(self, figure: Figure, number: _Number, j: int) -> tuple[Figure, int]:
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

    def clock_time(self, number: _Number) -> bool:
        j = number.next
        if not (number.integer and number.value <= 24 and self.low(j) == ":" and j + 1 < self.n):
            return False
        minutes = self.toks[j + 1]
        if minutes.kind == "num" and len(minutes.text) == 2 and _adjacent(self.toks[j], minutes):
            number.next = j + 2
            return True
        return False

    def meridiem(self, j: int) -> int:
        """How many tokens of "a.m.", "p.m.", "am" or "pm" stand at j (0 if none)."""
        if self.words_at(j, 4) in (("a", ".", "m", "."), ("p", ".", "m", ".")):
            return 4
        if self.words_at(j, 3) in (("a", ".", "m"), ("p", ".", "m")):
            return 3
        return 1 if self.low(j) in ("am", "pm") else 0

    def finish_time(self, figure: Figure, number: _Number, j: int) -> tuple[Figure, int]:
        j += self.meridiem(j)
        figure.kind, figure.value, figure.unit = "time", None, None
        figure.end = self.toks[j - 1].end
        return figure, j

    def finish_year(self, figure: Figure, number: _Number, j: int) -> tuple[Figure, int]:
        figure.kind = "year"
        if figure.qualifier == "range":
            figure.date = f"{int(figure.low):04d}/{int(figure.high):04d}"
            figure.value = None
        else:
            figure.date = f"{int(number.value):04d}"
            figure.value = figure.low = figure.high = None
        return figure, j

    def finish_duration(self, figure: Figure, unit: str, j: int) -> tuple[Figure, int]:
        figure.unit = unit
        if self.low(j) == "ago" and figure.value is not None:
            figure.kind = "date"
            figure.end = self.toks[j].end
            figure.date = dates.shifted(self.published, figure.value, unit)
            figure.unit = None
            return figure, j + 1
        prev = self.low(self.index_at(figure.start) - 1)
        if self.words_at(j, 2) == ("-", "old"):
            j += 2
            figure.end = self.toks[j - 1].end
            figure.kind = "age"
        elif self.low(j) == "old" or prev == "aged":
            figure.kind = "age"
        else:
            figure.kind = "duration"
        self.set_bounds(figure)
        counted, _, end = self.counted(j)
        if self.low(j - 2) == "-" or (figure.kind == "age"):
            figure.counted = counted
            j = max(j, end) if counted else j
        return figure, j

    def index_at(self, offset: int) -> int:
        lo, hi = 0, self.n
        while lo < hi:
            mid = (lo + hi) // 2
            if self.toks[mid].start < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def vague(self, i: int) -> tuple[Figure, int] | None:
        if self.low(i) not in VAGUE_WORDS:
            return None
        found = self.match_phrase(i, VAGUE)
        if found is None:
            return None
        words, j = found
        if words in (("hundreds",), ("thousands",), ("millions",), ("billions",)) and (
                self.low(j) != "of"):
            return None
        figure = Figure(self.toks[i].start, self.toks[j - 1].end, "vague", qualifier="vague")
        counted, unit, end = self.counted(j)
        if counted is None and self.low(j) == "of":
            currency = self.unit_words(j + 1, None)
            if currency[1] == "money":
                unit, counted, end = currency[0], self.toks[j + 1].text, currency[2]
        figure.counted = counted
        figure.unit = unit or ("dimensionless" if counted else None)
        if counted and self.low(end - 1) in CURRENCY_WORDS:
            figure.unit = CURRENCY_WORDS[self.low(end - 1)]
        return figure, max(j, end)

    def fraction(self, i: int) -> tuple[Figure, int] | None:
        """"Half of the 212 stations", "a quarter of all cars", "nearly a third of them"."""
        low = self.low(i)
        if low == "half" and self.low(i - 1) not in ("a", "one", "and", "second", "first"):
            parts, end = 2, i + 1
            if self.low(end) not in ("of", "the", "their", "its", "his", "her", "our", "all"):
                return None
        elif low in ("a", "one") and self.low(i + 1) in FRACTIONS and self.low(i + 2) == "of":
            parts, end = FRACTIONS[self.low(i + 1)], i + 2
        else:
            return None
        start, qualifier, _ = self.hedge_before(i)
        figure = Figure(self.toks[start].start, self.toks[end - 1].end, "fraction",
                        value=1 / parts, unit="dimensionless", qualifier=qualifier)
        figure.counted, _, j = self.counted(end)
        self.set_bounds(figure)
        return figure, max(end, j)

    def ordinal(self, i: int) -> tuple[Figure, int] | None:
        tok = self.toks[i]
        low = tok.low
        value = ORDINALS.get(low)
        end = i + 1
        if value is None and low in TENS and self.low(i + 1) == "-" and self.low(i + 2) in ORDINALS:
            value, end = TENS[low] + ORDINALS[self.low(i + 2)], i + 3
        if value is None:
            return None
        prev = self.toks[i - 1] if i > 0 else None
        hyphenated = (self.low(end) == "-" and end + 1 < self.n
                      and _adjacent(self.toks[end - 1], self.toks[end])
                      and self.toks[end + 1].kind == "word")
        if prev is not None and prev.low in ("entire", "whole", "very", "same") and i > 1:
            prev = self.toks[i - 2]
        determined = prev is not None and (prev.low in DETERMINERS
                                           or prev.low.endswith(("’s", "'s")))
        if not (determined or hyphenated):
            return None
        if hyphenated and not determined:
            figure = Figure(tok.start, self.toks[end - 1].end, "ordinal", value=float(value))
            figure.counted, _, j = self.counted(end + 1)
            return figure, max(end, j)
        nxt = self.toks[end] if end < self.n else None
        if nxt is None or nxt.kind != "word" or nxt.low in STOP or nxt.low.endswith("ly"):
            return None
        figure = Figure(tok.start, self.toks[end - 1].end, "ordinal", value=float(value))
        figure.counted, _, j = self.counted(end)
        return figure, max(end, j)

    # -- dates ---------------------------------------------------------------------------
    def date(self, i: int) -> tuple[Figure, int] | None:
        tok = self.toks[i]
        if tok.kind == "num":
            return self.day_first(i)
        if tok.kind != "word":
            return None
        if tok.low in WEEKDAY_NAMES and tok.text[0].isupper():
            return self.weekday(i)
        if tok.low in ("last", "this", "next") and self.low(i + 1) in ("year", "month"):
            date = dates.relative(self.low(i + 1), tok.low, self.published)
            kind = "year" if self.low(i + 1) == "year" else "date"
            return Figure(tok.start, self.toks[i + 1].end, kind, date=date), i + 2
        if tok.low in ("last", "next") and self.low(i + 1) in WEEKDAY_NAMES:
            found = self.weekday(i + 1, modifier=tok.low)
            if found is not None:
                found[0].start = tok.start
            return found
        if tok.low in ("yesterday", "tomorrow"):
            return Figure(tok.start, tok.end, "date",
                          date=dates.yesterday_or_tomorrow(tok.low, self.published)), i + 1
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
        if tok.low in ("may", "march") or tok.low in MONTH_ABBREVIATIONS:
            prev = self.low(i - 1)
            if prev not in MONTH_CONTEXT and not (prev == "-" and self.low(i - 2) == "mid"):
                return None
        date = dates.month_only(month_number, self.published, future)
        return Figure(tok.start, self.toks[j - 1].end, "date", date=date), j

    def month_at(self, i: int) -> tuple[int, int] | None:
        tok = self.toks[i]
        if not tok.text[0].isupper():
            return None
        if tok.low in MONTHS and (tok.text.istitle() or tok.text.isupper()):
            return MONTHS[tok.low], i + 1
        if tok.low in MONTH_ABBREVIATIONS:
            if self.low(i + 1) == "." and _adjacent(tok, self.toks[i + 1]):
                return MONTH_ABBREVIATIONS[tok.low], i + 2
            if i + 1 < self.n and self.toks[i + 1].kind == "num":
                return MONTH_ABBREVIATIONS[tok.low], i + 1
        return None

    def day_number(self, j: int) -> tuple[int, int] | None:
        if j >= self.n or self.toks[j].kind != "num":
            return None
        tok = self.toks[j]
        if not tok.text.isdecimal() or not 1 <= int(tok.text) <= 31 or len(tok.text) > 2:
            return None
        k = j + 1
        if k < self.n and self.toks[k].low in ("st", "nd", "rd", "th") and _adjacent(tok,
                                                                                    self.toks[k]):
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
        if self.low(j) == "of":
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

    def weekday(self, i: int, modifier: str | None = None) -> tuple[Figure, int] | None:
        tok = self.toks[i]
        date = dates.weekday(dates.WEEKDAYS[tok.low], self.published,
                             self.future_at(tok.start), modifier)
        return Figure(tok.start, tok.end, "date", date=date), i + 1


TENS_PLUS = frozenset({"tens+"})
VAGUE_WORDS = VAGUE.first
WEEKDAY_NAMES = frozenset(dates.WEEKDAYS)
MONTHS = dates.MONTHS
MONTH_ABBREVIATIONS = dates.MONTH_ABBREVIATIONS
ADVERB_PHRASES = Phrases({tuple(key.split()) for key in TIME_ADVERBS})
NUMBER_STARTS = frozenset(UNITS) | frozenset(TENS) | {"a", "an", "half", "dozen"}
VERB_BREAKS = frozenset("said says told according".split())
EMERGENCY_NUMBERS = frozenset("911 999 112 311 411 988".split())
CALLING = frozenset(
    "call called calling calls dial dialed dialled dialing phoned text a the".split())
ELLIPSIS_WORDS = frozenset("from to than versus vs vs. against with".split())
AGE_WORDS = frozenset("aged ages age".split())
LENGTH_WORDS = frozenset("tall high long wide deep away above below under deep-water".split())
NOT_A_RATE = frozenset("earlier ago later before after prior on from since".split())
NOT_BRANDS = frozenset(MONTHS) | frozenset(MONTH_ABBREVIATIONS) | WEEKDAY_NAMES | {"i"}
# Words that can start a figure; any other word is passed over without trying the rules.
TRIGGERS = (NUMBER_STARTS | VAGUE_WORDS | WEEKDAY_NAMES | frozenset(MONTHS)
            | frozenset(MONTH_ABBREVIATIONS) | frozenset(ORDINALS)
            | {"last", "this", "next", "yesterday", "tomorrow", "one"})
