"""Numerals and number words: digits with their separators and scale words, number words
("twenty-one", "half a million"), digits that name rather than count (identifiers), and two
numbers joined by a dash that are a score rather than a range."""

from __future__ import annotations

from dashboard.extract.grammar.base import Figure, Number, adjacent

# What `number_words` calls the last word read once tens and a joined unit are summed
# ("twenty-one"): after it, no cardinal or tens may follow.
TENS_PLUS = frozenset({"tens+"})

# The dashes that join the two sides of a score ("111-110", "111–110").
SCORE_DASHES = frozenset({"-", "–"})
# How far the words of a score may stand from it, in tokens: "routed the Las Vegas Raiders 45-20"
# (five before), "3-1 in the series" (three after). Bounded, so that each score is read in
# constant time.
SCORE_REACH_BEFORE = 6
SCORE_REACH_AFTER = 3
# Scores have at most three digits a side; four make a year ("2019-20").
SCORE_DIGITS = 3
# What glues the digit groups of a chain ("555-123-4567", "1.2.3").
_CHAIN_MARKS = frozenset("-.")
# Tokens a score's words are not looked for across.
SENTENCE_MARKS = frozenset({".", ";", ":", "!", "?", "—"})


class Numbers:
    """The numbers rules of the Parser (dashboard.extract.grammar)."""

    def number(self, i: int, currency: bool = False) -> Number | None:
        tok = self.toks[i] if i < self.n else None
        if tok is None:
            return None
        if tok.kind == "num":
            return self.numeral(i, currency)
        return self.number_words(i)

    def numeral(self, i: int, currency: bool) -> Number | None:
        tok = self.toks[i]
        if self.is_identifier(i):
            return None
        number = Number(float(tok.text.replace(",", "")), i + 1,
                         integer="." not in tok.text, separators="," in tok.text)
        nxt = self.toks[i + 1] if i + 1 < self.n else None
        if nxt is not None and adjacent(tok, nxt) and nxt.kind == "word":
            w = self.w
            suffix = nxt.low
            million_m = suffix == w.million_or_unit
            if suffix in w.scale_abbreviations or (million_m and self.million_m(i + 1, currency)):
                number.value *= w.scale_abbreviations.get(suffix, w.million_or_unit_value)
                number.scaled, number.next = True, i + 2
            elif suffix in w.attached_suffixes:
                number.suffix, number.next = suffix, i + 2
            elif suffix in w.units.measure or suffix in w.units.time or million_m:
                pass  # "5km", "10kg", "3yrs": the unit words read it
            else:
                return None  # "5G", "3D": a name, not a figure
        self.apply_scale_words(number, currency)
        return number

    def million_m(self, i: int, currency: bool) -> bool:
        """An attached "m" is million after a currency sign or before a noun, else metres."""
        if currency:
            return True
        return self.low(i + 1) not in self.w.length_words

    def apply_scale_words(self, number: Number, currency: bool) -> None:
        w = self.w
        j = number.next
        while j < self.n:
            low = self.low(j)
            if low in w.scales and (not number.scaled or number.value < 1000):
                number.value *= w.scales[low]
            elif low in w.scale_apart or (low == w.million_or_unit and currency):
                number.value *= w.scale_abbreviations.get(low, w.million_or_unit_value)
            elif low in w.multipliers:
                number.value *= w.multipliers[low]
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
        w = self.w
        if adjacent(prev, tok) and prev.kind == "word":
            return True
        if adjacent(prev, tok) and prev.text == "-" and i > 1:
            before = self.toks[i - 2]
            if adjacent(before, prev) and before.kind == "word" and (
                before.low not in w.identifier_prefixes and before.low not in w.cardinals
                and before.low not in w.tens and before.low not in w.vague_words
            ):
                return True
        if prev.kind == "word" and prev.low in w.labels and (prev.text[0].isupper()
                                                            or prev.low in w.labels_any_case):
            return True
        if prev.text == "." and self.rank_mark(i - 2) and self.labelled(i - 3):
            return True  # "Proposition No. 5": a name, where "the No. 2 seed" is a rank
        if self.low(i + 1) == "(" and self.words_at(i + 1, 3) in w.identifier_brackets:
            return True  # "401(k)", "501(c)"
        if tok.text in w.emergency_numbers and prev.low in w.calling:
            return True
        if (prev.kind == "word" and prev.text[0].isupper() and tok.text.isdecimal()
                and not (len(tok.text) == 4 and 1000 <= int(tok.text) <= 2100)
                and not self.opens_sentence(prev)
                and not prev.text.isupper()
                and not prev.low.endswith(w.plural_endings) and prev.low not in w.not_brands):
            return True  # "Boeing 737", "Route 66", "Chapter 11": a name with a number
        if prev.text not in _CHAIN_MARKS and self.low(i + 1) not in _CHAIN_MARKS:
            return False  # digit_groups(i) is 1, asked without a call
        return self.digit_groups(i) >= 3

    def rank_mark(self, k: int) -> bool:
        """Is token k the capitalised mark of a rank ("No" of "No. 1") with its dot after it?"""
        return (0 <= k < self.n - 2 and self.lows[k] in self.w.rank_marks
                and self.toks[k].text[0].isupper() and self.toks[k + 1].text == "."
                and adjacent(self.toks[k], self.toks[k + 1]))

    def labelled(self, k: int) -> bool:
        """Is token k a label that makes the number after it a name ("Section", "Proposition")?"""
        if not 0 <= k < self.n:
            return False
        tok = self.toks[k]
        return (tok.kind == "word" and tok.low in self.w.labels
                and (tok.text[0].isupper() or tok.low in self.w.labels_any_case))

    def score(self, i: int) -> tuple[Figure, int] | None:
        """One side of a score, a record or a vote tally ("won 5-0", "a 111-110 win", "The 39-20
        Rockets", "a 5-4 vote"): a count of its own, where a range would make "5-0" one figure."""
        if self.toks[i].kind != "num":
            return None
        # Most numbers have no dash beside them, and a pair needs one: refused without a call.
        low = self.low
        if low(i + 1) not in SCORE_DASHES and low(i - 1) not in SCORE_DASHES:
            return None
        if self.joined_pair(i):
            first = i
        elif i >= 2 and self.joined_pair(i - 2):
            first = i - 2
        else:
            return None
        found = self.score_context(first)
        if found is None:
            return None
        counted, unit, end = found
        tok = self.toks[i]
        figure = Figure(tok.start, tok.end, "count", value=float(tok.text), low=float(tok.text),
                        high=float(tok.text), unit=unit or "dimensionless", counted=counted)
        return figure, (i + 1 if i == first else max(i + 1, end))

    def joined_pair(self, k: int) -> bool:
        """Tokens k, k+1, k+2: two whole numbers of a score's size glued by a dash, no more."""
        if k + 2 >= self.n:
            return False
        a, dash, b = self.toks[k], self.toks[k + 1], self.toks[k + 2]
        return (dash.text in SCORE_DASHES and a.kind == "num" and b.kind == "num"
                and a.text.isdecimal() and b.text.isdecimal()
                and len(a.text) <= SCORE_DIGITS and len(b.text) <= SCORE_DIGITS
                and adjacent(a, dash) and adjacent(dash, b) and self.digit_groups(k) <= 2
                and not self.glued_dash(k - 1, k) and not self.glued_dash(k + 3, k + 2))

    def glued_dash(self, k: int, beside: int) -> bool:
        """Is token k a dash glued to token `beside` ("4-3-3", "1–2–1": more than a pair)?"""
        return (0 <= k < self.n and self.toks[k].text in SCORE_DASHES
                and (adjacent(self.toks[k], self.toks[beside]) if k < beside
                     else adjacent(self.toks[beside], self.toks[k])))

    def score_context(self, k: int) -> tuple[str | None, str | None, int] | None:
        """Is the pair at token k a score? Then what it counts, if it is a tally of a countable
        noun ("a 5-4 vote": votes), its unit, and where that noun ends; else None."""
        w = self.w
        prev = self.toks[k - 1] if k > 0 else None
        first, second = int(self.toks[k].text), int(self.toks[k + 2].text)
        if prev is not None:
            glued = adjacent(prev, self.toks[k]) and (prev.kind == "word" or prev.text == ".")
            if glued or prev.low in w.age_words or self.labelled(k - 1):
                return None  # "Pac-12", "aged 18-44", "Section 5-2"
            if self.currency_before(k)[1] is not None:
                return None  # "$3-5 million"
            if (prev.kind == "word" and prev.text[0].isupper() and first < second
                    and not self.opens_sentence(prev)):
                return None  # "Boeing 737-800": a model; a score's winner comes first
        j = k + 3
        after = self.toks[j] if j < self.n else None
        if after is not None and adjacent(self.toks[j - 1], after) and after.kind in (
                "word", "num"):
            return None  # "16-18th", "5-2s"
        if self.unit_words(j, None)[1] is not None or self.low(j) in w.times:
            return None  # "3-5 percent", "2-3 times"
        counted, unit, end = self.counted(j)
        team = False
        if counted is not None:
            last = self.low(end - 1)
            result = next((m for m in range(j, end) if self.lows[m] in w.score_after), None)
            if result is not None:
                # "a 111-110 win", "a 2-1 decision upheld on appeal": the result names no unit
                # to count in, a tally ("a 5-4 vote") does.
                if w.units.unit_for_noun(self.lows[result]) is None:
                    counted, unit = None, None
            elif (counted[0].isupper() and last.endswith(w.plural_endings)
                  and self.low(k - 1) in w.team_before):
                team, counted, unit = True, None, None  # "The 39-20 Rockets"
            else:
                return None  # "won 30-40 seats": a range of what is counted
        if team or self.score_words_near(k, j):
            return counted, unit, end
        if first >= second and self.low(k - 1) in w.record_before:
            return counted, unit, end  # "We're 5-2", "Buffalo (7-6)"
        return None

    def score_words_near(self, k: int, j: int) -> bool:
        """A word of winning, losing, leading or voting a few tokens before the pair at k or
        after its end at j, within the sentence."""
        w = self.w
        for m in range(k, max(0, k - SCORE_REACH_BEFORE), -1):
            if self.toks[m - 1].text in SENTENCE_MARKS:
                break
            if self.phrase_before(m, w.score_before) is not None:
                return True
        for m in range(j, min(self.n, j + SCORE_REACH_AFTER)):
            if self.toks[m].text in SENTENCE_MARKS:
                break
            if self.lows[m] in w.score_after:
                return True
        return False

    def digit_groups(self, i: int) -> int:
        """How many digit groups are glued to token i by "-" or "." ("555-123-4567": 3)."""
        if self.low(i - 1) not in _CHAIN_MARKS and self.low(i + 1) not in _CHAIN_MARKS:
            return 1  # no mark to glue it: the commonest case, and no table to build for it
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
                   and toks[end + 2].kind == "num" and adjacent(toks[end], toks[end + 1])
                   and adjacent(toks[end + 1], toks[end + 2])):
                end += 2
            if end > k:
                groups = (end - k) // 2 + 1
                for member in range(k, end + 1, 2):
                    sizes[member] = groups
            k = end + 1 if end > k else k + 1
        return sizes

    def number_words(self, i: int) -> Number | None:
        """"twenty-one", "one hundred and fifty", "a dozen", "half a million", "two and a half"."""
        w = self.w
        cardinals, tens, scales = w.cardinals, w.tens, w.scales
        j = i
        low = self.low(j)
        if low in w.half and self.low(j + 1) in w.articles:
            after = self.low(j + 2)
            scale = w.multipliers.get(after) or scales.get(after)
            if scale is not None:
                return Number(0.5 * scale, j + 3, numeral=False, integer=False, scaled=True)
        if low in w.articles:
            if self.low(j + 1) not in w.article_before:
                return None
            j += 1
        total, current, seen, last = 0.0, 0.0, False, ""
        while j < self.n:
            low = self.low(j)
            if low in cardinals and last not in cardinals and last not in TENS_PLUS:
                current += cardinals[low]
            elif low in tens and last not in cardinals and last not in TENS_PLUS:
                if self.low(j + 1) == "-" and self.low(j + 2) in w.ordinals and not seen:
                    return None  # "twenty-first": the ordinal rule reads it
                current += tens[low]
                if (self.low(j + 1) == "-" and self.low(j + 2) in cardinals
                        and adjacent(self.toks[j], self.toks[j + 1])):
                    current += cardinals[self.low(j + 2)]
                    j += 2
                low = "tens+"
            elif low in w.hundreds:
                current = max(current, 1) * scales[low]
            elif low in scales:
                total += max(current, 1) * scales[low]
                current = 0
            elif low in w.multipliers:
                current = max(current, 1) * w.multipliers[low]
            elif low in w.number_joins and seen and last in scales and (
                    self.low(j + 1) in cardinals or self.low(j + 1) in tens):
                j += 1
                continue
            elif (low in w.number_joins and seen and self.low(j + 1) in w.articles
                    and self.low(j + 2) in w.half):
                current += 0.5
                j += 3
                last = self.low(j - 1)
                continue
            else:
                break
            seen, last = True, low
            j += 1
        if not seen:
            return None
        number = Number(total + current, j, numeral=False, integer=(total + current).is_integer(),
                         scaled=any(self.low(k) in scales for k in range(i, j)))
        if number.value == 1 and j == i + 1 and not self.one_counts(j):
            return None
        return number

    def one_counts(self, j: int) -> bool:
        """A lone "one" is a figure only before a counted noun or a whole it is part of ("one in
        five", "one out of every four", "one in 10")."""
        w = self.w
        low = self.low(j)
        k = j + 1 if low in w.part_in else j + 2 if self.words_at(j, 2) in w.part_out_of else None
        if k is not None:
            k += self.low(k) in w.part_every  # "one in every three", "one out of every four"
            if self.low(k) in w.cardinals or self.low(k) in w.tens or (
                    k < self.n and self.toks[k].kind == "num"):
                return True
        if low in w.one_not_before:
            return False
        return (low in w.units.time or w.units.unit_for_noun(low) is not None
                or low in w.units.measure)
