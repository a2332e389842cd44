"""What the app computes from the article a URL names, cached per process by the article's key.

The key is `seed` or the key of an uploaded article in dashboard.store; this module is the one
place that reads either. Nothing here is user state: any worker computes the same from the key.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from cachetools import LRUCache, cached

from dashboard import charts, export, store
from dashboard.app.routing import CHART_VIEWS, SEED_KEY, VIEWS
from dashboard.checks import checks_table
from dashboard.extract import OverBudget, extract_document
from dashboard.ingest import Document, document_from_text, read_document
from dashboard.reading_table import reading_rows

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "000_20713228fd6701a2.txt"


@dataclass(frozen=True)
class Analysis:
    key: str
    document: Document
    figures: pd.DataFrame
    checks: pd.DataFrame
    rows: pd.DataFrame  # the figures as the grid shows them (dashboard.reading_table)


class _NotStored(LookupError):
    """No article under this key (raised, not returned, so that the cache does not keep it)."""


def analysis(key: object) -> Analysis | None:
    """The figures and checks of the article a URL names; None for an unknown key or anything
    that is not a key. An unknown key is looked up again next time: the article may be uploaded
    again under it."""
    if not isinstance(key, str):
        return None
    if key != SEED_KEY and not store.holds(key):
        # Evicted since this worker computed it: every worker now answers alike.
        return None
    with _WARMING:  # an article asked for during the warm-up waits for it, not doing it twice
        pass
    # The page's callbacks ask for the same new article at once, each on a thread of the
    # server: one computes it while the others wait for the cache, instead of all computing it.
    with _COMPUTING[hash(key) % len(_COMPUTING)]:
        if key in _OVER_BUDGET:
            raise _OVER_BUDGET[key]
        try:
            return _analysis(key)
        except _NotStored:
            return None
        except OverBudget as err:
            # Remembered, so that the page's other callbacks do not each spend the budget again.
            if len(_OVER_BUDGET) >= 64:
                _OVER_BUDGET.clear()
            _OVER_BUDGET[key] = err
            raise


_COMPUTING = [threading.Lock() for _ in range(8)]  # striped: bounded whatever keys arrive
# The seconds one article's figures and checks may take: past them the reader gets a message and
# the worker goes on (the extractor is linear and uploads are 2 MB at most, so only a machine
# far busier than it should be, or a rule gone wrong, gets here).
def _seconds(name: str, default: float) -> float:
    value = os.environ.get(name) or str(default)
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {value!r}") from None


BUDGET_S = _seconds("CLAIMS_DASHBOARD_ANALYSIS_BUDGET_S", 60)
_OVER_BUDGET: dict[str, OverBudget] = {}
_WARMING = threading.Lock()  # held by warm_up()


# What a worker keeps, weighed by figures rather than counted by articles: a 2 MB upload can
# hold 100,000 figures (tens of MB of tables), a news story a few dozen. Counted, 8 articles
# were a few MB for news stories, and readers' uploads pushed out the article every page asks
# for: 20-40% of a loaded worker's time went to computing again what it had just dropped.
CACHED_FIGURES = 250_000  # about 2.5 of the largest uploads, or thousands of news stories
ARTICLE_WEIGHT = 200  # an article's own cost (its text, tables' overhead) in figures


def _analysis_weight(found: Analysis) -> int:
    return ARTICLE_WEIGHT + len(found.figures)


def _charts_weight(built: dict) -> int:
    return ARTICLE_WEIGHT + sum(len(data) for data, _figure in built.values())


@cached(LRUCache(CACHED_FIGURES, getsizeof=_analysis_weight), lock=threading.Lock())
def _analysis(key: str) -> Analysis:
    if key == SEED_KEY:
        document = read_document(SEED)
    else:
        stored = store.load(key)
        if stored is None:
            raise _NotStored(key)
        document = document_from_text(stored.text, document_id=f"upload-{key}",
                                      published=stored.published, publisher=stored.publisher,
                                      title=stored.title or stored.name)
    deadline = time.monotonic() + BUDGET_S
    figures = extract_document(document, deadline=deadline)
    if time.monotonic() > deadline:
        raise OverBudget("reading the article took longer than its time budget")
    checks = checks_table(figures, {document.document_id: document.text})
    return Analysis(key, document, figures, checks, reading_rows(figures, checks))


@cached(LRUCache(CACHED_FIGURES, getsizeof=_charts_weight), lock=threading.Lock())
def built_charts(key: str, log: bool) -> dict:
    found = analysis(key)
    return charts.build_all(found.figures, found.checks, log=log)


def charts_by_view(key: str, log: bool = False) -> dict[str, list[str]]:
    """The article's charts, by the view that shows them, in display order."""
    by_view: dict[str, list[str]] = {}
    for name in built_charts(key, log):
        by_view.setdefault(charts.view_of(name), []).append(name)
    return by_view


def views_of(key: object) -> list[str]:
    """The views an article has: its chart views, and the views every article has."""
    found = analysis(key)
    with_charts = charts_by_view(key) if found is not None else {}
    return [v for v in VIEWS if v not in CHART_VIEWS or v in with_charts]


# A sentence that every step reads: a figure, a period, a statistical body and a catalog series.
WARM_UP_TEXT = ("Consumer prices rose 3.2% in the 12 months to March 2024, the Bureau of Labor "
                "Statistics said.")


def warm_up() -> None:
    """Do once what the first article of a process pays for whatever article it is: the
    catalog compiled, the reference tables read, plotly's figure classes loaded (about a second
    on this machine, most of a cold server's first view besides the article's own work)."""
    with _WARMING:
        document = document_from_text(WARM_UP_TEXT, published="2024-04-10")
        figures = extract_document(document)
        charts.build_all(figures, checks_table(figures, {document.document_id: document.text}))


def start_warm_up() -> threading.Thread:
    """warm_up() in a thread of its own, so that a server answers meanwhile."""
    thread = threading.Thread(target=warm_up, name="warm-up", daemon=True)
    thread.start()
    return thread


def download_stem(found: Analysis) -> str:
    """Downloads are named from the article's title, else its document id."""
    return export.download_stem(found.document.title, found.document.document_id)
