"""What a figure counts (the noun phrase after it, and the unit of its head noun) and rates
("per boat", "a day", "annually", a leading "every boat")."""

from __future__ import annotations

from dashboard.extract.grammar.base import Figure, adjacent
from dashboard.extract.grammar.words import (
    ADVERB_PHRASES,
    MONTHS,
    NOT_A_RATE,
    STOP,
    VERB_BREAKS,
    WEEKDAY_NAMES,
)
from dashboard.units import MEASURE_UNITS, TIME_ADVERBS, TIME_UNITS, unit_for_noun


class Counted:
    """The counted rules of the Parser (dashboard.extract.grammar)."""

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
                          and adjacent(self.toks[k - 1], tok)
                          and self.toks[k + 1].kind == "word" and adjacent(tok, self.toks[k + 1]))
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
