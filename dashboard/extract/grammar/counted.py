"""What a figure counts (the noun phrase after it, and the unit of its head noun) and rates
("per boat", "a day", "annually", a leading "every boat")."""

from __future__ import annotations

from dashboard.extract.grammar.base import Figure, adjacent


class Counted:
    """The counted rules of the Parser (dashboard.extract.grammar)."""

    def counted(self, j: int) -> tuple[str | None, str | None, int]:
        """The noun phrase after a number: its text as written, its unit, and where it ends."""
        w = self.w
        unit_for_noun = w.units.unit_for_noun
        k = j
        if 0 < k < self.n - 1 and self.toks[k].text == "-":
            return self.joined_noun(k, j)
        if k < self.n and self.toks[k].text in "”\"’" and k + 1 < self.n:
            k += 1  # “over 2 million” migrants: a scare quote between number and noun
        if self.low(k) in w.of:
            k += 1
            if self.low(k) in w.determiners_after_of:
                k += 1
            if k < self.n and self.toks[k].kind == "num":
                # "nine of the 11 victims": the nine are victims too, and the 11 is a figure
                # of its own, so reading goes on from it.
                text, unit, _ = self.counted(k + 1)
                return text, unit, k
        if self.low(k) in w.more:
            if self.low(k + 1) in w.than:
                return None, None, j
            k += 1
        words: list[int] = []
        while k < self.n and len(words) < 5:
            tok = self.toks[k]
            if tok.kind != "word" or tok.low in w.stop:
                joined = (tok.text == "-" and words and k + 1 < self.n
                          and adjacent(self.toks[k - 1], tok)
                          and self.toks[k + 1].kind == "word" and adjacent(tok, self.toks[k + 1]))
                if joined:
                    k += 1
                    continue
                break
            if tok.low in w.weekday_names and tok.text[0].isupper():
                break  # "97 degrees Sunday": the day says when, it is not what is measured
            if words and tok.low in w.months and tok.text[0].isupper():
                break
            if (words and tok.low.endswith(w.past_endings) and unit_for_noun(tok.low) is None
                    and not self.low(words[-1]).endswith(w.adverb_endings)):
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

    def joined_noun(self, k: int, j: int) -> tuple[str | None, str | None, int]:
        """"a 50-point game", "a nine-game streak", "the 600-seat parliament": the noun joined to
        the number by the hyphen at k is what it counts (measures and spans of time are read as
        units before this)."""
        before, dash, noun = self.toks[k - 1], self.toks[k], self.toks[k + 1]
        if not (adjacent(before, dash) and adjacent(dash, noun) and noun.kind == "word"
                and noun.text[0].islower() and noun.low not in self.w.stop
                and noun.low not in self.w.units.measure):
            return None, None, j
        return noun.text, self.w.units.unit_for_noun(noun.low), k + 2

    def plain_head(self, words: list[int]) -> int | None:
        """For a phrase with no known noun: up to its first plural, else without trailing
        participles and adverbs ("drugs come" -> "drugs", "widgets sold" -> "widgets")."""
        w = self.w
        for index, k in enumerate(words):
            low = self.low(k)
            if (low.endswith(w.plural_endings) and not low.endswith(w.not_plural_endings)
                    and len(low) > 2):
                return index
        while words and self.low(words[-1]).endswith(w.trailing_endings):
            words.pop()
        return len(words) - 1 if words else None

    def head_noun(self, words: list[int]) -> tuple[int | None, str | None]:
        """The rightmost word of the phrase that names a countable unit."""
        unit_for_noun = self.w.units.unit_for_noun
        demonym_endings = self.w.demonym_endings
        for index in range(len(words) - 1, -1, -1):
            tok = self.toks[words[index]]
            if index > 0:
                pair = f"{self.toks[words[index - 1]].low} {tok.low}"
                unit = unit_for_noun(pair)
                if unit is not None:
                    return index, unit
            unit = unit_for_noun(tok.low)
            if unit is None and tok.text[0].isupper() and tok.low.endswith(demonym_endings):
                unit = "person"  # demonyms and parties: "Venezuelans", "Britons", "Republicans"
            if unit is not None:
                return index, unit
        return None, None

    def rate(self, figure: Figure, i: int, start: int, j: int) -> int:
        """Make the figure a rate from "per X", "a day", "each X", "annually" or a leading
        "every X" in its clause; returns the index after what was read."""
        low, w = self.low(j), self.w
        if low in w.rate_after or low in w.adverb_phrases.first:
            denominator, base, end = self.rate_after(j)
        else:  # what rate_after reads opens with neither: the commonest case, without a call
            denominator, base, end = None, None, j
        if denominator is None and "/" not in (figure.unit or ""):
            # A unit that is a rate already ("140 miles per hour") takes no leading "per boat".
            denominator = self.every_before(start)
        if denominator is None:
            return j
        figure.unit = f"{figure.unit or 'dimensionless'} / {denominator}"
        figure.kind = self.rate_kind(figure.kind, denominator)
        figure.rate_base = base
        return max(j, end)

    def rate_kind(self, kind: str, denominator: str) -> str:
        """A count per something is a rate. Money per thing is a price ("32 cents per share",
        "$3.12 a gallon") and stays money; money per span of time or per person is a flow
        ("$15 an hour", "$50 per capita"): a rate. A measure per span of time is a speed or a
        flow ("5 miles per second") and stays a measure; per thing it is a rate ("900
        kilograms per boat"). Percent stays percent."""
        over_time = denominator in self.w.units.time_units
        if kind == "percent":
            return kind
        if kind == "money" and not over_time and denominator != "person":
            return kind
        if kind == "measure" and over_time:
            return kind
        return "rate"

    def rate_after(self, j: int) -> tuple[str | None, float | None, int]:
        w = self.w
        low = self.low(j)
        adverb = self.match_phrase(j, w.adverb_phrases) if low in w.adverb_phrases.first else None
        if adverb is not None:
            return w.units.time_adverbs[" ".join(adverb[0])], 1.0, adverb[1]
        if low in w.rate_after:
            k = j + 1
            base = 1.0
            number = self.number(k) if low in w.rate_per and k < self.n else None
            if number is not None:
                base, k = number.value, number.next
            noun = self.low(k)
            if low in w.rate_articles and self.low(k + 1) in w.not_a_rate:
                return None, None, j
            if noun in w.per_person:
                return "person", base, k + 1
            unit = (w.units.time.get(noun) or w.units.measure.get(noun)
                    or w.units.unit_for_noun(noun))
            if unit is not None:
                return unit, base, k + 1
            if low in w.rate_per and number is not None:
                # "5.6 per 1,000 live births": the phrase after the base says per what.
                _, phrase_unit, end = self.counted(k)
                return phrase_unit or "dimensionless", base, max(end, k)
        return None, None, j

    def every_before(self, start: int) -> str | None:
        """"every boat we knock out saves 25,000 lives": a count per boat."""
        w = self.w
        k = start - 1
        toks = self.toks
        if k < 0 or toks[k].kind == "num":
            return None  # table cells, "1,234 5,678": nothing to read back over
        if self._every is None:  # one look per paragraph: most have no "every" at all
            self._every = not (w.every.isdisjoint(self.lows)
                               and w.fronted_every.isdisjoint(self.lows))
        if not self._every:
            return None
        floor = self.sentence_start(toks[start].start)
        steps = 0
        while k >= 0 and steps < 12 and toks[k].start >= floor:
            tok = toks[k]
            if tok.low in w.every:
                noun = self.low(k + 1)
                unit = self.unit_of_base(noun)
                if unit is not None and noun not in w.not_a_base:
                    return unit
            if tok.text in ".;:!?“”\"()":
                return None
            if tok.text == ",":
                # Only a fronted "Every year, ..." may stand before a comma, or an aside that the
                # comma closes ("Each boat kills on average, 25,000 people").
                if self.low(k - 2) in w.fronted_every:
                    return self.unit_of_base(self.low(k - 1))
                aside = self.phrase_before(k, w.rate_asides)
                if aside is None:
                    return None
                k, steps = aside[1] - 1, steps + 1
                continue
            if tok.kind == "num" or tok.low in w.verb_breaks:
                return None
            k -= 1
            steps += 1
        return None

    def unit_of_base(self, noun: str) -> str | None:
        return self.w.units.time.get(noun) or self.w.units.unit_for_noun(noun)

    def fill_ellipses(self, found: list[Figure]) -> None:
        """"48,215 residents, up from 45,902", "73,690 overdose deaths in the 12 months ending
        in September, down from 101,363": a bare number compared with a figure of the same
        sentence counts (or costs, or measures) what that figure does. Dates and spans of time
        between the two only say when, and are passed over."""
        for index, figure in enumerate(found):
            if figure.kind != "number" or index == 0:
                continue
            if self.low(self.index_at(figure.start) - 1) not in self.w.ellipsis_words:
                continue
            sentence = self.sentence_index(figure.start)
            # A few figures back at most: the walk stays linear however many dates a sentence has.
            for back in range(index - 1, max(-1, index - 1 - COMPARED_REACH), -1):
                earlier = found[back]
                if self.sentence_index(earlier.start) != sentence:
                    break
                if earlier.kind in WHEN_KINDS:
                    continue
                if earlier.kind in COMPARED_KINDS:
                    figure.kind, figure.unit = earlier.kind, earlier.unit
                    figure.counted, figure.rate_base = earlier.counted, earlier.rate_base
                break


# Kinds of figure that say when another figure holds, not what it counts.
WHEN_KINDS = frozenset({"date", "year", "time", "duration"})
# Kinds whose unit a bare number compared with them takes. Money is not among them: "82 cents,
# up from 75" would make 75 dollars of 75 cents.
COMPARED_KINDS = frozenset({"count", "rate", "measure"})
COMPARED_REACH = 4
