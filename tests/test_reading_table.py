"""The figures table as the grid shows it: the verdict each figure got, its unit in words, human
headers, and the columns a fact-checker reads first."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.app import figure_columns
from dashboard.checks import checks_table
from dashboard.extract import extract_document, extract_figures
from dashboard.ingest import read_document
from dashboard.reading_table import header, reading_rows, verdicts_of
from dashboard.schema import FIGURE_COLUMNS
from tests.test_charts import SEED


@pytest.fixture(scope="module")
def seed():
    figures = extract_document(read_document(SEED))
    return figures, checks_table(figures)


def test_each_checked_figure_gets_its_most_telling_verdict():
    checks = pd.DataFrame({"claim_figure_id": ["a", "a", "b", "c", None],
                           "verdict": ["matches", "differs", "consistent", None, "matches"]})
    assert verdicts_of(checks) == {"a": "differs", "b": "consistent"}
    assert verdicts_of(None) == {} and verdicts_of(checks[:0]) == {}


def test_the_seeds_transposed_figure_carries_its_verdict(seed):
    figures, checks = seed
    rows = reading_rows(figures, checks).set_index("surface")
    assert rows.loc["73,960", "verdict"] == "transposition"
    assert rows.loc["73,960", "units"] == "people"
    assert list(reading_rows(figures, checks).index) == list(figures.index)


def test_units_read_in_words_and_a_bare_number_has_none():
    figures = extract_figures("Each boat kills on average 25,000 people. The fleet has 14.",
                              published="2025-11-18", document_id="u")
    words = dict(zip(figures["surface"], reading_rows(figures, None)["units"], strict=True))
    assert words["25,000"] == "people per vessel"
    assert words["14"] == ""


def test_the_grid_reads_figure_verdict_and_speaker_first_under_human_headers():
    columns = figure_columns()
    assert [c["field"] for c in columns[:5]] == ["surface", "verdict", "speaker", "in_quote",
                                                 "stance"]
    assert {c["field"] for c in columns} == {c.name for c in FIGURE_COLUMNS} | {"verdict",
                                                                                  "units"}
    by_field = {c["field"]: c for c in columns}
    assert by_field["surface"]["headerName"] == "Figure"
    assert by_field["speaker"]["headerName"] == "Who says it"
    assert by_field["value"]["valueFormatter"] == {"function": "readableNumber(params.value)"}
    assert "valueFormatter" not in by_field["char_start"]
    assert header("rate_base") == "Per" and header("no_such_column") == "No such column"
