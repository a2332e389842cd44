"""Extract every figure of an article into the figures table (see dashboard/schema.py).

    extract_figures(text, published=None, document_id=None, publisher=None, lang="en") -> DataFrame

A pure function of its arguments: the same text and date always give the same table.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import time

import pandas as pd

from dashboard.extract.attribution import Attributor
from dashboard.extract.grammar import Figure, Parser
from dashboard.extract.lang import DEFAULT, Lexicon, lexicon
from dashboard.extract.sentences import paragraphs, sentences
from dashboard.extract.tokens import tokenize
from dashboard.schema import document_id_for, figures_table, published_problem

__all__ = ["OverBudget", "extract_figures", "extract_document", "document_id_for"]

_PERIOD_LINK = re.compile(r"\s+(?:period\s+)?(?:ending|ended|through|to)\s+(?:in\s+)?$")
_PERIOD_CODES = {"year": "Y", "month": "M", "week": "W", "day": "D"}


def _as_date(published: dt.date | str | None) -> dt.date | None:
    date = (published if published is None or isinstance(published, dt.date)
            else dt.date.fromisoformat(published))
    if problem := published_problem(date):
        raise ValueError(problem)
    return date


class OverBudget(TimeoutError):
    """The extraction passed its deadline (a server's bound on the work of one request)."""


def extract_figures(text: str, published: dt.date | str | None = None,
                    document_id: str | None = None, publisher: str | None = None,
                    lang: str = DEFAULT, deadline: float | None = None) -> pd.DataFrame:
    """Every figure in `text`, one row each, validated against the figures table contract.

    `published` (a date or `YYYY-MM-DD`) resolves relative dates ("Monday", "in August");
    `publisher` is the speaker of the article's own reporting; `lang` names the folder of word
    lists under dashboard/extract/lang/ the article is read with (an unknown one raises
    `dashboard.extract.lang.UnknownLanguage`). `deadline`, a `time.monotonic()` value, stops
    the work with OverBudget once it has passed (checked between paragraphs).
    """
    words = lexicon(lang)
    published_date = _as_date(published)
    document_id = document_id or document_id_for(text)
    paragraph_spans = paragraphs(text, lexicon=words)
    sentence_spans = sentences(text, paragraph_spans, lexicon=words)
    found = _figures_by_paragraph(text, paragraph_spans, sentence_spans, published_date, words,
                                  deadline)
    _past(deadline, len(text), len(text))
    _link_periods(text, found, sentence_spans)
    attributor = Attributor(text, paragraph_spans, sentence_spans, publisher, lexicon=words)
    published_text = published_date.isoformat() if published_date else None
    count = len(found)
    starts = [figure.start for figure in found]
    ends = [figure.end for figure in found]
    speakers, quoted, stances = attributor.attribute_all(
        [(figure.start, figure.end, figure.kind) for figure in found])
    # Rows of one sentence share one string: a table of many figures holds each sentence once.
    sentence_texts: dict[tuple[int, int], str] = {}
    sentence_column = []
    length = len(text)
    sentence_starts = attributor.sentence_starts
    for start, end in zip(starts, ends, strict=True):
        s_start, s_end = _sentence_of(start, sentence_spans, length, sentence_starts)
        if end > s_end:  # a figure across a cut of an over-long sentence
            s_end = max(s_end, _sentence_of(end - 1, sentence_spans, length, sentence_starts)[1])
        sentence = sentence_texts.get((s_start, s_end))
        if sentence is None:
            sentence = sentence_texts[s_start, s_end] = text[s_start:s_end]
        sentence_column.append(sentence)
    # Column by column: the table is built and checked from these lists (schema.figures_table).
    return figures_table({
        "figure_id": [f"{document_id}:{start}" for start in starts],
        "document_id": [document_id] * count,
        "surface": [text[start:end] for start, end in zip(starts, ends, strict=True)],
        "char_start": starts,
        "char_end": ends,
        "sentence": sentence_column,
        "value": [figure.value for figure in found],
        "value_low": [figure.low for figure in found],
        "value_high": [figure.high for figure in found],
        "qualifier": [figure.qualifier for figure in found],
        "unit": [figure.unit for figure in found],
        "quantity_kind": [figure.kind for figure in found],
        "counted": [figure.counted for figure in found],
        "date": [figure.date for figure in found],
        "period": [figure.period for figure in found],
        "rate_base": [figure.rate_base for figure in found],
        "speaker": speakers,
        "in_quote": quoted,
        "stance": stances,
        "publisher": [publisher] * count,
        "published": [published_text] * count,
    })


def _past(deadline: float | None, at: int, length: int) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise OverBudget(f"reading the article took longer than its time budget (stopped at "
                         f"character {at:,} of {length:,})")


def _figures_by_paragraph(text: str, paragraph_spans, sentence_spans,
                          published: dt.date | None, words: Lexicon,
                          deadline: float | None = None) -> list[Figure]:
    """Parse each paragraph's tokens on their own: a figure never reaches across a break."""
    sentence_starts = [start for start, _ in sentence_spans]
    future: dict[int, bool] = {}
    found: list[Figure] = []
    for p_start, p_end in paragraph_spans:
        _past(deadline, p_start, len(text))
        tokens = tokenize(text, p_start, p_end)
        if tokens:
            parser = Parser(text, tokens, published, sentence_spans, sentence_starts, future,
                            lexicon=words)
            found += parser.figures()
    return found


def extract_document(document, lang: str = DEFAULT, deadline: float | None = None
                     ) -> pd.DataFrame:
    """The figures table of an ingested Document (dashboard.ingest.Document)."""
    return extract_figures(document.text, published=document.published,
                           document_id=document.document_id, publisher=document.publisher,
                           lang=lang, deadline=deadline)


def _sentence_of(offset: int, spans: list[tuple[int, int]], length: int,
                 starts: list[int] | None = None) -> tuple[int, int]:
    """The span of the sentence that holds `offset`; `starts` are the spans' starts."""
    if starts is None:
        starts = [start for start, _ in spans]
    index = bisect.bisect_right(starts, offset) - 1
    return spans[index] if index >= 0 else (0, min(length, offset + 1))


def _link_periods(text: str, found: list[Figure], sentence_spans) -> None:
    """"the 12 months ending in April": the duration keeps the period's end, and the other
    figures of that sentence (the count measured over the period) carry the same period."""
    for index, figure in enumerate(found):
        if figure.kind != "duration" or figure.value is None or index + 1 >= len(found):
            continue
        end = found[index + 1]
        if end.kind != "date" or end.date is None:
            continue
        if not _PERIOD_LINK.fullmatch(text, figure.end, end.start):
            continue
        code = _PERIOD_CODES.get(figure.unit)
        if code is None or not figure.value.is_integer():
            continue
        period = f"P{int(figure.value)}{code}"
        figure.date, figure.period = end.date, period
        s_start, s_end = _sentence_of(figure.start, sentence_spans, len(text))
        for other in found:
            if (s_start <= other.start < s_end and other is not figure and other is not end
                    and other.kind in ("count", "rate", "money", "measure", "percent", "number")):
                other.date, other.period = end.date, period
