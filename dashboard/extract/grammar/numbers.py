"""Numerals and number words: digits with their separators and scale words, number words
("twenty-one", "half a million"), and digits that name rather than count (identifiers)."""

from __future__ import annotations

from dashboard.extract.grammar.base import Number, adjacent

# What `number_words` calls the last word read once tens and a joined unit are summed
# ("twenty-one"): after it, no cardinal or tens may follow.
TENS_PLUS = frozenset({"tens+"})


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
        if self.words_at(i + 1, 3) in w.identifier_brackets:
            return True  # "401(k)", "501(c)"
        if tok.text in w.emergency_numbers and prev.low in w.calling:
            return True
        if (prev.kind == "word" and prev.text[0].isupper() and tok.text.isdecimal()
                and not (len(tok.text) == 4 and 1000 <= int(tok.text) <= 2100)
                and not self.opens_sentence(prev)
                and not prev.text.isupper()
                and not prev.low.endswith(w.plural_endings) and prev.low not in w.not_brands):
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
        """A lone "one" is a figure only before a counted noun or "in" ("one in five")."""
        w = self.w
        low = self.low(j)
        if low in w.part_in and (self.low(j + 1) in w.cardinals or self.low(j + 1) in w.tens):
            return True
        if low in w.one_not_before:
            return False
        return (low in w.units.time or w.units.unit_for_noun(low) is not None
                or low in w.units.measure)
