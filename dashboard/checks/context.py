"""An article's figures by sentence, with the periods each sentence names: what matching and
the consistency checks read around a figure."""

from __future__ import annotations

import bisect
from collections import namedtuple
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from dashboard.checks.periods import Dated, Period, period_of, sentence_periods
from dashboard.checks.words import clause_of
from dashboard.extract.sentences import paragraphs

# Figures that state a quantity (the rest are dates, years, durations, ordinals, ages ...).
VALUE_KINDS = ("count", "rate", "percent", "money", "measure", "number")
DATED_KINDS = ("date", "year", "duration")


@dataclass
class Sentence:
    """One sentence of a document and its figures, offsets relative to the sentence."""

    document_id: str
    text: str
    start: int
    figures: list = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    # The document and the bounds of the paragraph that holds the sentence, when the text is
    # known: sliced only when asked for, since a long paragraph copied for each of its
    # sentences would grow with the square of its length.
    document: str = field(default="", repr=False)
    paragraph_bounds: tuple[int, int] = (0, 0)
    _measures: list | None = field(default=None, repr=False)
    _values: list | None = field(default=None, repr=False)

    @property
    def paragraph(self) -> str:
        return self.document[self.paragraph_bounds[0]:self.paragraph_bounds[1]]

    def measures(self, catalog) -> list:
        """The catalog's measure phrases in the sentence (Catalog.measured_in), found once."""
        if self._measures is None:
            self._measures = catalog.measured_in(self.text)
        return self._measures

    def span(self, figure) -> tuple[int, int]:
        return figure.char_start - self.start, figure.char_end - self.start

    def values(self) -> list:
        """The figures that state a quantity (asked for once per figure and per check, so
        kept once the sentence has all its figures)."""
        if self._values is None:
            self._values = [f for f in self.figures if f.quantity_kind in VALUE_KINDS
                            and f.stance != "furniture"]
        return self._values

    def clause(self, figure) -> str:
        """The figure's clause; a figure set off alone ("the most people — over 1.42 billion —
        last year") takes the clause before it too."""
        start, end = self.span(figure)
        left, right = clause_of(self.text, start, end)
        if left > 0 and len(self.text[left:right].strip()) - (end - start) < 8:
            left = clause_of(self.text, max(0, left - 3), max(0, left - 2))[0]
        return self.text[left:right]

    def period(self, figure) -> Period | None:
        """The period the sentence says `figure` is measured over (periods.period_of)."""
        start, end = self.span(figure)
        others = [self.span(f) for f in self.values() if f.figure_id != figure.figure_id]
        return period_of(start, end, self.periods, others, self.text)


def sentences(figures: pd.DataFrame, texts: Mapping[str, str] | None = None,
              rows: list | None = None) -> list[Sentence]:
    """The sentences that hold figures, in document order, each with its figures and periods.

    The sentence's place in the document comes from the document text when `texts` gives it,
    else from the first figure's place in its sentence. `rows` are the figures' records(),
    when the caller has them already.
    """
    texts = texts or {}
    found: list[Sentence] = []
    rows = records(figures) if rows is None else rows
    # By document, then place: a stable sort, as pandas' sort_values(kind="stable") gives.
    ordered = sorted(rows, key=lambda r: (r.document_id, r.char_start))
    for figure in ordered:
        current = found[-1] if found else None
        if (current is None or current.document_id != figure.document_id
                or current.text != figure.sentence
                or figure.char_start >= current.start + len(current.text)):
            found.append(Sentence(figure.document_id, figure.sentence,
                                  _sentence_start(figure, texts.get(figure.document_id))))
        found[-1].figures.append(figure)
    spans: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}
    for sentence in found:
        text = texts.get(sentence.document_id)
        if text is not None:
            if sentence.document_id not in spans:
                bounds = paragraphs(text)
                spans[sentence.document_id] = ([b[0] for b in bounds], bounds)
            starts, bounds = spans[sentence.document_id]
            at = bisect.bisect_right(starts, sentence.start) - 1
            if at >= 0:
                sentence.document, sentence.paragraph_bounds = text, bounds[at]
        dated = [Dated(*sentence.span(f), f.quantity_kind, _text(f.date), _text(f.period))
                 for f in sentence.figures if f.quantity_kind in DATED_KINDS]
        sentence.periods = sentence_periods(sentence.text, dated)
    return found


def records(figures: pd.DataFrame) -> list:
    """The rows as named tuples, as `itertuples(index=False)` gives them, built column by column:
    itertuples indexes every column for every call, which cost more than the seed's checks."""
    make = _record_type(tuple(figures.columns))._make
    return list(map(make, zip(*(figures[c].tolist() for c in figures.columns), strict=True)))


@lru_cache(maxsize=16)
def _record_type(columns: tuple[str, ...]) -> type:
    return namedtuple("Pandas", columns, rename=True)


def _sentence_start(figure, text: str | None) -> int:
    if text is not None:
        low = max(0, figure.char_start - len(figure.sentence))
        at = text.find(figure.sentence, low, figure.char_end + len(figure.sentence))
        if 0 <= at <= figure.char_start:
            return at
    at = figure.sentence.find(figure.surface)
    return figure.char_start - max(at, 0)


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)
