"""Timings of one extractor: repeated runs on one text, and one pass over a list of documents.

An extractor here is a function `(text, document_id) -> number of figures found`. Times come from
`time.perf_counter` and cover the call and counting its result, nothing else.
"""

from __future__ import annotations

import math
import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from bench.corpus import Document

Extractor = Callable[[str, str], int]


@dataclass
class RepeatedRuns:
    """Warm runs of one extractor on one text."""

    first_call_ms: float
    runs: int
    median_ms: float
    p95_ms: float
    figures: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class DocumentPass:
    """One pass of one extractor over a list of documents, one call per document."""

    documents: int
    bytes: int
    seconds: float
    figures: int
    failures: int = 0
    first_failure: str = ""

    @property
    def mb_per_s(self) -> float:
        """Throughput in MB (10**6 bytes of UTF-8) per second."""
        return self.bytes / 1e6 / self.seconds if self.seconds else math.inf

    @property
    def documents_per_s(self) -> float:
        return self.documents / self.seconds if self.seconds else math.inf

    def to_dict(self) -> dict:
        return asdict(self) | {"mb_per_s": self.mb_per_s, "documents_per_s": self.documents_per_s}


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with `fraction` of all values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def repeated_runs(
    extract: Extractor, text: str, document_id: str, warm: int, runs: int, budget_s: float
) -> RepeatedRuns:
    """Time the first call, `warm` untimed calls, then up to `runs` timed calls.

    Timed calls stop early once `budget_s` seconds have been spent on them (after at least three),
    so that a slow extractor cannot stall the bench; the number of runs actually made is reported.
    """
    start = time.perf_counter()
    figures = extract(text, document_id)
    first_call = time.perf_counter() - start
    for _ in range(warm):
        extract(text, document_id)
    timings: list[float] = []
    while len(timings) < runs and (len(timings) < 3 or sum(timings) < budget_s):
        start = time.perf_counter()
        figures = extract(text, document_id)
        timings.append(time.perf_counter() - start)
    return RepeatedRuns(
        first_call_ms=first_call * 1e3,
        runs=len(timings),
        median_ms=statistics.median(timings) * 1e3,
        p95_ms=percentile(timings, 0.95) * 1e3,
        figures=figures,
    )


def document_pass(extract: Extractor, documents: Sequence[Document]) -> DocumentPass:
    """Run the extractor once on each document; an exception is counted, timed, and reported."""
    result = DocumentPass(len(documents), sum(d.size for d in documents), 0.0, 0)
    for document in documents:
        start = time.perf_counter()
        try:
            result.figures += extract(document.text, document.document_id)
        except Exception as error:  # a failure is a finding: counted and reported by the bench
            result.failures += 1
            if not result.first_failure:
                result.first_failure = f"{document.document_id}: {type(error).__name__}: {error}"
        result.seconds += time.perf_counter() - start
    return result


def load_ours(published: str | None, publisher: str | None) -> Extractor:
    """The project's extractor; raises what importing `dashboard.extract` raises, if it fails."""
    from dashboard.extract import extract_figures

    def extract(text: str, document_id: str) -> int:
        table = extract_figures(
            text, published=published, document_id=document_id, publisher=publisher
        )
        return len(table)

    return extract


def load_quantulum() -> Extractor:
    """quantulum3's parser (a bench-only dependency); raises ImportError when it is missing."""
    with warnings.catch_warnings():
        # Without its optional classifier extra quantulum3 warns at import; it parses all the same.
        warnings.simplefilter("ignore")
        from quantulum3 import parser

    def extract(text: str, document_id: str) -> int:
        return len(parser.parse(text))

    return extract
