"""Every text a chart draws from an article or its metadata is drawn as text: plotly reads its
strings as a subset of HTML, so an uploaded `<a href>` would become a live link and a styled
span could paint over the chart, in the page and in the server-made PNG and SVG."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from dashboard import charts, export
from dashboard.checks import checks_table
from dashboard.extract import extract_document
from dashboard.ingest import read_document

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_20713228fd6701a2.txt"
LINK = '<a href="//evil.example/login">log in again</a>'
PAINT = '<span style="font-size:200px;color:red">PAID</span>'
# The markup the charts write themselves: bold, line breaks, and the hover's empty <extra>.
OWN_TAGS = {"b", "br", "extra"}


@pytest.fixture(scope="module")
def hostile_charts():
    """The seed's tables with markup where an article's words and metadata stand."""
    figures = extract_document(read_document(SEED))
    checks = checks_table(figures)
    figures = figures.copy()
    figures["sentence"] = LINK + " " + figures["sentence"]
    figures["speaker"] = figures["speaker"].where(figures["speaker"].isna(), LINK + PAINT)
    figures["publisher"] = PAINT
    figures["surface"] = figures["surface"] + PAINT
    return charts.build_all(figures, checks)


def drawn(figure) -> list[str]:
    """Every string plotly draws: the figure's JSON but its `meta`, the chart's own record of
    its words in plain text (for the page's caption and the export's README)."""
    spec = figure.to_plotly_json()
    spec["layout"].pop("meta", None)
    return strings(spec)


def strings(value) -> list[str]:
    """Every string in `value`, a figure's JSON or part of it."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings(v)]
    return []


def test_every_chart_draws_the_articles_markup_as_text(hostile_charts):
    for name, (_data, figure) in hostile_charts.items():
        texts = drawn(figure)
        tags = {t.lower() for s in texts for t in re.findall(r"<\s*/?\s*([a-zA-Z]+)", s)}
        assert tags <= OWN_TAGS, f"{name} draws markup {tags - OWN_TAGS}"


def test_the_markup_is_kept_as_visible_text_not_dropped(hostile_charts):
    escaped = {"&lt;a href=", "&lt;span style="}
    texts = {name: " ".join(drawn(figure)) for name, (_data, figure) in hostile_charts.items()}
    assert all(any(e in text for e in escaped) for text in texts.values()), [
        name for name, text in texts.items() if not any(e in text for e in escaped)]
    # The chart's own record of its words (the page's caption, the export's README) is raw.
    timeline = hostile_charts["timeline"][1]
    assert PAINT in " ".join(timeline.layout.meta["sources"])


def test_the_server_made_svg_shows_the_markup_as_text_with_no_link(hostile_charts):
    svg = ElementTree.fromstring(export.svg_bytes(hostile_charts["timeline"][1]))
    elements = list(svg.iter())
    assert not [e for e in elements if e.tag.rsplit("}", 1)[-1] == "a"], "a live link"
    assert not [e for e in elements if "200px" in (e.get("style") or "")], "styled text"
    text = " ".join(t for e in elements for t in (e.text, e.tail) if t)
    assert "<span style=\"font-size:200px;color:red\">PAID" in text  # shown as characters
