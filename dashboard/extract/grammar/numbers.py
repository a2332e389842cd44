"""Numerals and number words: digits with their separators and scale words, number words
("twenty-one", "half a million"), and digits that name rather than count (identifiers)."""

from __future__ import annotations

from dashboard.extract.grammar.base import Number, adjacent
from dashboard.extract.grammar.words import (
    CALLING,
    EMERGENCY_NUMBERS,
    IDENTIFIER_PREFIXES,
    LABELS,
    LENGTH_WORDS,
    NOT_BRANDS,
    ORDINALS,
    SCALE_ABBREVIATIONS,
    SCALES,
    TENS,
    TENS_PLUS,
    UNITS,
    VAGUE_WORDS,
)
from dashboard.units import MEASURE_UNITS, TIME_UNITS, unit_for_noun


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

    def apply_scale_words(self, number: Number, currency: bool) -> None:
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
        if adjacent(prev, tok) and prev.kind == "word":
            return True
        if adjacent(prev, tok) and prev.text == "-" and i > 1:
            before = self.toks[i - 2]
            if adjacent(before, prev) and before.kind == "word" and (
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
        j = i
        low = self.low(j)
        if low == "half" and self.low(j + 1) == "a" and self.low(j + 2) in SCALES | {"dozen": 0}:
            scale = 12 if self.low(j + 2) == "dozen" else SCALES[self.low(j + 2)]
            return Number(0.5 * scale, j + 3, numeral=False, integer=False, scaled=True)
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
                        and adjacent(self.toks[j], self.toks[j + 1])):
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
        number = Number(total + current, j, numeral=False, integer=(total + current).is_integer(),
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
