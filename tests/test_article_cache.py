"""Each worker's cache of analyses and charts (dashboard/app/articles.py): weighed by figures, so
that many news stories stay beside the article every page asks for, and a huge upload does not
crowd out more than its weight."""

from __future__ import annotations

import pytest

from dashboard import store
from dashboard.app import articles


@pytest.fixture
def stored(tmp_path, monkeypatch):
    """Saves short articles in a store of the test's own; their keys."""
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE", str(tmp_path / "store"))
    monkeypatch.delenv("CLAIMS_DASHBOARD_STORE_URL", raising=False)

    def save(count: int) -> list[str]:
        return [store.save(store.StoredArticle(
            text=f"The council said {n} homes and 12 schools were flooded on Monday.",
            published="2025-11-18", name=f"story-{n}.txt", format="txt", publisher="Desk",
            title=f"Story {n}")) for n in range(count)]

    return save


def test_many_short_articles_stay_cached_beside_each_other(stored, monkeypatch):
    keys = stored(40)
    computed = []
    extract = articles.extract_document

    def counting(document, **kwargs):
        computed.append(document.document_id)
        return extract(document, **kwargs)

    monkeypatch.setattr(articles, "extract_document", counting)
    for key in keys:
        articles.analysis(key)
        articles.built_charts(key, False)
    for key in keys:  # the first of forty is still there (eight were, counted by articles)
        assert articles.analysis(key).key == key
    assert len(computed) == len(set(computed)) == 40
    cache, cache_key = articles._analysis.cache, articles._analysis.cache_key
    assert all(cache_key(key) in cache for key in keys)


def test_an_article_weighs_its_figures():
    found = articles.analysis(articles.SEED_KEY)
    assert articles._analysis_weight(found) == articles.ARTICLE_WEIGHT + len(found.figures)
    charts = articles.built_charts(articles.SEED_KEY, False)
    assert articles._charts_weight(charts) > articles.ARTICLE_WEIGHT


def test_the_cache_holds_what_its_figures_allow():
    cache = articles._analysis.cache
    assert cache.maxsize == articles.CACHED_FIGURES
    assert cache.currsize <= cache.maxsize
