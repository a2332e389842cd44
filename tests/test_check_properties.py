"""Properties of the checks that hold for any text: hypothesis writes the articles, with the
words the checks read (measures, periods, comparisons, places) among the pieces."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import NEWS_PIECE, SPACES

from dashboard.checks import CHECK_COLUMNS, checks_table
from dashboard.extract import extract_figures
from dashboard.schema import VERDICTS, validate_checks

CHECK_WORDS = st.sampled_from(
    """overdose deaths|drug overdose deaths|unemployment rate|inflation|population|consumer
    prices|in the 12 months ending in|from|to|in the prior year|a year earlier|the previous
    year|down|up|percent from|a drop of|including|of whom|(|)|per strike|India|Ohio|U.S.|
    the United States|the world|in 2023|last year|fiscal|through June 2022|CDC said
    """.replace("\n    ", "").split("|")
)
ARTICLE = st.lists(st.tuples(st.one_of(NEWS_PIECE, CHECK_WORDS, CHECK_WORDS), SPACES),
                   max_size=50).map(lambda pairs: "".join(p + s for p, s in pairs))
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(ARTICLE, st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))))
def test_any_article_gets_a_valid_checks_table(text, published):
    figures = extract_figures(text, published=published, document_id="doc")
    table = checks_table(figures, {"doc": text})
    assert tuple(table.columns) == CHECK_COLUMNS
    validate_checks(table)
    judged = table[table["verdict"].notna()]
    assert judged["verdict"].isin(VERDICTS).all()
    assert judged["kind"].isin(["verification", "consistency"]).all()
    for row in table[table["claim_figure_id"].notna()].itertuples():
        assert text[row.char_start:row.char_end] in text
        assert row.document_id == "doc"
