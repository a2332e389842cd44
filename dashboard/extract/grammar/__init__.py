"""The figure grammar: from tokens to figures (span, value, bounds, unit, kind, what is counted).

One left-to-right pass. At each token the parser tries, in order, a date, a score ("won 5-0"), a
multiple ("fourfold"), a quantity (numerals and number words with their hedges, ranges, units and
rates), a vague quantity, a fraction and an ordinal; whatever matches consumes its tokens.
Nothing here knows about quotations or speakers: that is attribution.py's work on the figures
this returns.

The rules live in one module per section, each a mixin of `Parser`: numbers (numerals, number
words, scales, identifiers), quantities (hedges, ranges, units, fractions), counted (what is
counted, rates), kinds (vague, ordinal, decade, time, year, duration, age) and dates.
"""

from __future__ import annotations

from dashboard.extract.grammar.base import Figure, Reader
from dashboard.extract.grammar.counted import Counted
from dashboard.extract.grammar.dates import Dates
from dashboard.extract.grammar.kinds import Kinds
from dashboard.extract.grammar.numbers import Numbers
from dashboard.extract.grammar.quantities import Quantities

__all__ = ["Figure", "Parser"]


class Parser(Dates, Quantities, Numbers, Counted, Kinds, Reader):
    """Reads the figures of one paragraph's tokens (so that no figure crosses a paragraph)."""

    def figures(self) -> list[Figure]:
        found: list[Figure] = []
        i = 0
        lows, toks, triggers = self.lows, self.toks, self.w.triggers
        while i < self.n:
            if toks[i].kind != "num" and lows[i] not in triggers:
                i += 1  # most words cannot start a figure: skip them cheaply
                continue
            # Scores and multiples before quantities: "5-0" would be a range, "10-fold" a count.
            result = ((toks[i].kind == "num" and self.bare_number(i))
                      or self.date(i) or self.score(i) or self.multiple(i) or self.quantity(i)
                      or self.vague(i) or self.fraction(i) or self.ordinal(i))
            if result is None:
                i += 1
                continue
            figure, i = result
            found.append(figure)
        self.fill_ellipses(found)
        return found
