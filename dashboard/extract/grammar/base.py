"""What every rule of the grammar stands on: the figure it returns, the number it reads, and a
reader of one paragraph's tokens with its sentence bookkeeping and phrase lookups."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from dashboard.extract.grammar.words import Phrases, Words, english, words
from dashboard.extract.lang import Lexicon
from dashboard.extract.tokens import Token


@dataclass(slots=True)
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


@dataclass(slots=True)
class Number:
    value: float
    next: int  # index of the first token after the number
    numeral: bool = True
    integer: bool = True
    separators: bool = False
    scaled: bool = False
    suffix: str | None = None  # an attached "st", "s", "am" ...


# Tokens of "" on each side of a paragraph for `Reader.low`.
_PAD = 16


def adjacent(a: Token, b: Token) -> bool:
    return a.end == b.start


class Reader:
    """One paragraph's tokens, read by the rules of the grammar (no figure crosses a paragraph).

    `sentence_spans` and `sentence_starts` are the whole document's; `future` caches, per
    sentence index, whether it speaks of the future, and may be shared between paragraphs.
    `lexicon` is the language of the text (English when None); its words are compiled once per
    lexicon and shared by every parser.
    """

    def __init__(self, text: str, tokens: list[Token], published: dt.date | None,
                 sentence_spans: list[tuple[int, int]], sentence_starts: list[int] | None = None,
                 future: dict[int, bool] | None = None, *, lexicon: Lexicon | None = None):
        self.w: Words = words(lexicon) if lexicon is not None else english()
        self.text = text
        self.toks = tokens
        self.n = len(tokens)
        self.lows = [tok.low for tok in tokens]
        # low(i) is the rules' commonest call (a score of times per figure): the bound
        # __getitem__ of a list padded with "" at its end runs without a Python frame. The pad
        # answers "" past the end and, through negative indexing, before the start (-1 is the
        # last pad); the rules read at most a few tokens beyond either end, far within it.
        self.low = (self.lows + [""] * _PAD).__getitem__
        self.published = published
        self.sentence_spans = sentence_spans
        self.sentence_starts = (sentence_starts if sentence_starts is not None
                                else [start for start, _ in sentence_spans])
        self._future = future if future is not None else {}
        self._groups: list[int] | None = None
        self._every: bool | None = None  # does any word of `w.every` stand in the paragraph?

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
            self._future[index] = self.w.future.search(self.text, start, end) is not None
        return self._future[index]

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

    def index_at(self, offset: int) -> int:
        lo, hi = 0, self.n
        while lo < hi:
            mid = (lo + hi) // 2
            if self.toks[mid].start < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo
