"""The article panel's components and the upload store, without a browser."""

from __future__ import annotations

import json

import pytest
from dash import html

from dashboard import store
from dashboard.article_view import MARK_TYPE, article_components, legend, mark_title
from dashboard.extract import extract_figures

COLOURS = {"claim": "#E69F00", "data": "#56B4E9", "reported": "#009E73", "furniture": "#999999"}
TEXT = ("“We lost 40 homes,” Mayor Jane Doe said. It rained for 3 days.\n"
        "Officials counted <script>alert(1)</script> 12 boats on Monday.")


def marks(components) -> list:
    found = []

    def walk(node):
        if isinstance(node, html.Mark):
            found.append(node)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                walk(child)

    for component in components:
        walk(component)
    return found


def text_of(components) -> str:
    parts = []

    def walk(node):
        if isinstance(node, str):
            parts.append(node)
            return
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None:
                walk(child)

    for component in components:
        walk(component)
        parts.append("\n")
    return "".join(parts)


@pytest.fixture(scope="module")
def figures():
    return extract_figures(TEXT, published="2025-11-18", document_id="t", publisher="Desk")


def test_every_figure_is_highlighted_once_with_its_stance_colour(figures):
    found = marks(article_components(TEXT, figures, COLOURS))
    assert [m.children for m in found] == list(figures.sort_values("char_start")["surface"])
    for mark, row in zip(found, figures.sort_values("char_start").itertuples(), strict=True):
        assert mark.id == {"type": MARK_TYPE, "index": row.figure_id}
        assert mark.style["backgroundColor"] == COLOURS[row.stance]
        assert row.stance in mark.className


def test_the_text_is_kept_whole_and_as_text(figures):
    components = article_components(TEXT, figures, COLOURS)
    assert text_of(components).split("\n")[:2] == TEXT.split("\n")
    # The markup in the article is a string child, which Dash renders as text, never as HTML.
    assert "<script>alert(1)</script>" in text_of(components)
    json.dumps(components, default=lambda c: c.to_plotly_json())


def test_a_report_of_many_figures_highlights_the_first_ones_and_says_so(monkeypatch):
    import dashboard.article_view as view

    monkeypatch.setattr(view, "MAX_MARKS", 50)
    text = "\n".join(f"In district {i}, {i + 10} boats docked." for i in range(60))
    many = extract_figures(text, published="2025-11-18", document_id="long")
    assert len(many) > 50
    components = article_components(text, many, COLOURS)
    found = marks(components)
    assert [m.children for m in found] == list(many.sort_values("char_start")["surface"][:50])
    assert components[0].className == "article-note"
    assert f"first 50 of the article's {len(many)} figures" in components[0].children
    assert text_of(components[1:]).split("\n")[:60] == text.split("\n")  # the text stays whole


def test_the_selected_figure_and_its_sentence_are_marked(figures):
    chosen = figures[figures["surface"] == "12"].iloc[0]["figure_id"]
    components = article_components(TEXT, figures, COLOURS, selected=chosen)
    selected = [m for m in marks(components) if "selected" in m.className.split()]
    assert len(selected) == 1 and selected[0].children == "12"
    assert getattr(selected[0], "data-selected") == "true"
    sentences = [s for p in components for s in p.children
                 if isinstance(s, html.Span) and "selected-sentence" in s.className]
    assert len(sentences) == 1
    assert "12" in [m.children for m in marks([sentences[0]])]


def test_a_tooltip_says_what_the_figure_is(figures):
    row = next(figures[figures["surface"] == "40"].itertuples())
    assert mark_title(row) == "count: 40 home (exact; Jane Doe, claim)"


def test_the_legend_names_every_stance_and_verdict():
    labels = [m.children for m in legend(COLOURS).children if isinstance(m, html.Mark)]
    assert [label.split()[0] for label in labels] == [
        "claim", "data", "reported", "page",
        "transposition", "differs", "unverifiable", "consistent", "matches"]


def test_a_checked_figure_is_underlined_by_its_verdict_and_says_it(figures):
    (homes,) = figures.loc[figures["surface"] == "40", "figure_id"]
    found = {m.id["index"]: m for m in marks(article_components(
        TEXT, figures, COLOURS, verdicts={homes: "differs"}))}
    assert "verdict-differs" in found[homes].className
    assert found[homes].title.endswith("; verdict: differs")
    others = [m for i, m in found.items() if i != homes]
    assert others and not any("verdict-" in m.className for m in others)


def test_the_store_keeps_articles_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE", str(tmp_path))
    article = store.StoredArticle(text="It rained for 3 days.", published="2025-11-18",
                                  name="rain", format="txt")
    key = store.save(article)
    assert store.save(article) == key
    assert store.load(key) == article
    other = store.save(store.StoredArticle("Other text.", None, "other", "txt"))
    assert other != key
    assert store.load("../../etc/passwd") is None
    assert store.load("0" * 16) is None


def test_the_store_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE", str(tmp_path))
    monkeypatch.setattr(store, "MAX_ARTICLES", 3)
    keys = [store.save(store.StoredArticle(f"Article {i}.", None, f"a{i}", "txt"))
            for i in range(5)]
    assert store.stats().articles == 3
    assert store.load(keys[-1]) is not None
