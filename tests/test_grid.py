"""The figures grid's server side (dashboard/grid.py): AG Grid's filter and sort models, the search
box and the dropdowns applied in pandas, and blocks of rows; malformed requests filter nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import grid
from dashboard.extract import extract_document, extract_figures
from dashboard.ingest import read_document

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_20713228fd6701a2.txt"


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return extract_document(read_document(SEED))


def surfaces(rows: pd.DataFrame) -> list[str]:
    return rows["surface"].tolist()


def test_no_filter_keeps_every_row_in_document_order(seed):
    rows = grid.view(seed)
    assert rows["figure_id"].tolist() == seed["figure_id"].tolist()


def test_dropdowns_keep_the_chosen_kinds_stances_and_speakers(seed):
    claims = grid.view(seed, stances=["claim"])
    assert len(claims) and set(claims["stance"]) == {"claim"}
    assert len(claims) == (seed["stance"] == "claim").sum()
    both = grid.view(seed, kinds=["count"], stances=["claim"])
    assert len(both) == ((seed["stance"] == "claim") & (seed["quantity_kind"] == "count")).sum()
    speaker = seed["speaker"].dropna().iloc[0]
    assert set(grid.view(seed, speakers=[speaker])["speaker"]) == {speaker}


def test_search_needs_every_word_somewhere_in_the_row_ignoring_case(seed):
    rows = grid.view(seed, search="OVERDOSE 73,960")
    assert "73,960" in surfaces(rows)
    text = (seed["sentence"] + " " + seed["surface"]).str.lower()
    expected = seed[text.str.contains("overdose") & text.str.contains("73,960")]
    assert rows["figure_id"].tolist() == expected["figure_id"].tolist()
    assert grid.view(seed, search="no-such-word").empty
    assert len(grid.view(seed, search="   ")) == len(seed)


@pytest.mark.parametrize(("model", "expected"), [
    ({"filterType": "text", "type": "equals", "filter": "83"}, ["83"]),
    ({"filterType": "text", "type": "startsWith", "filter": "73,9"}, ["73,960"]),
    ({"filterType": "text", "type": "contains", "filter": "5,00"}, ["25,000", "25,000"]),
])
def test_text_filters_of_one_column(seed, model, expected):
    assert surfaces(grid.view(seed, filter_model={"surface": model})) == expected


def test_number_filters_compare_values_and_skip_missing_ones(seed):
    big = grid.view(seed, filter_model={"value": {"filterType": "number", "type": "greaterThan",
                                                  "filter": 50_000}})
    assert len(big) and (big["value"] > 50_000).all()
    assert len(big) == (seed["value"] > 50_000).sum()
    between = grid.view(seed, filter_model={"value": {"filterType": "number", "type": "inRange",
                                                      "filter": 80, "filterTo": 90}})
    assert set(between["value"]) <= set(range(80, 91)) and "83" in surfaces(between)
    blank = grid.view(seed, filter_model={"value": {"filterType": "number", "type": "blank"}})
    assert len(blank) == seed["value"].isna().sum()


def test_two_conditions_join_with_and_or_or(seed):
    either = {"filterType": "text", "operator": "OR", "conditions": [
        {"filterType": "text", "type": "equals", "filter": "83"},
        {"filterType": "text", "type": "equals", "filter": "73,960"}]}
    assert sorted(surfaces(grid.view(seed, filter_model={"surface": either}))) == ["73,960", "83"]
    both = dict(either, operator="AND")
    assert grid.view(seed, filter_model={"surface": both}).empty


def test_sort_model_orders_rows_and_keeps_ties_in_document_order(seed):
    rows = grid.view(seed, sort_model=[{"colId": "value", "sort": "desc"}])
    values = rows["value"].dropna().tolist()
    assert values == sorted(values, reverse=True)
    assert rows["value"].iloc[len(values):].isna().all()  # missing values last
    by_stance = grid.view(seed, sort_model=[{"colId": "stance", "sort": "asc"},
                                            {"colId": "char_start", "sort": "desc"}])
    for _, part in by_stance.groupby("stance", sort=False):
        assert part["char_start"].tolist() == sorted(part["char_start"], reverse=True)


def test_a_block_is_at_most_a_page_of_json_rows_and_counts_them_all():
    text = " ".join(f"In district {i}, {i + 10} boats docked." for i in range(250))
    figures = extract_figures(text, published="2025-11-20", document_id="d")
    answer = grid.block(figures, {"startRow": 100, "endRow": 200})
    assert answer["rowCount"] == len(figures)
    expected = figures["figure_id"].iloc[100:200].tolist()
    assert [r["figure_id"] for r in answer["rowData"]] == expected
    json.dumps(answer)  # plain JSON: no NA, no numpy types
    huge = grid.block(figures, {"startRow": 0, "endRow": 10**9})
    assert len(huge["rowData"]) == grid.BLOCK_ROWS
    assert grid.block(figures, {"startRow": 10**6, "endRow": 10**6 + 100})["rowData"] == []


# Anything a browser could send: the server answers with rows, never an exception.
_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=10), inner, max_size=3), max_leaves=10)
_column = st.sampled_from(["surface", "value", "char_start", "speaker", "in_quote", "nope"])
_condition = st.fixed_dictionaries({"filterType": st.sampled_from(["text", "number", "date", 1]),
                                    "type": st.sampled_from([*grid._TEXT_TESTS,
                                                             *grid._NUMBER_TESTS, "inRange",
                                                             "blank", "notBlank", "odd"])
                                    | _json,
                                    "filter": _json, "filterTo": _json})


@settings(max_examples=150, deadline=None)
@given(filter_model=st.dictionaries(_column, _condition | _json, max_size=3) | _json,
       sort_model=st.lists(st.fixed_dictionaries({"colId": _column | _json, "sort": _json}),
                           max_size=3) | _json,
       request=st.fixed_dictionaries({"startRow": _json, "endRow": _json}) | _json,
       search=_json, kinds=_json)
def test_any_request_gives_a_block_of_rows(seed, filter_model, sort_model, request, search,
                                           kinds):
    rows = grid.view(seed, search=search, kinds=kinds, filter_model=filter_model,
                     sort_model=sort_model)
    assert set(rows["figure_id"]) <= set(seed["figure_id"])
    answer = grid.block(rows, request)
    assert answer["rowCount"] == len(rows) and len(answer["rowData"]) <= grid.BLOCK_ROWS


# -- bounded work: a crafted request does what its first few parts would ----------------------
def test_the_search_reads_at_most_its_first_distinct_words(seed):
    words = ["strikes"] * 5 + [f"word{n}" for n in range(100_000)]
    assert grid.search_words(" ".join(words)) == ["strikes", *[f"word{n}" for n in range(11)]]
    assert grid.search_words("x" * 1_000_000) == ["x" * grid.MAX_TEXT]
    assert grid.search_words(["strikes"]) == []


def test_a_search_of_many_words_filters_as_its_first_ones(seed):
    many = "overdose " + " ".join(f"z{n}" for n in range(50_000))
    first = " ".join(grid.search_words(many))
    assert surfaces(grid.view(seed, search=many)) == surfaces(grid.view(seed, search=first))


def test_a_column_filter_reads_at_most_two_conditions(seed):
    keep_all = {"filterType": "text", "type": "notContains", "filter": "qqq"}
    drop_all = {"filterType": "text", "type": "contains", "filter": "qqq"}
    model = {"surface": {"filterType": "text", "operator": "AND",
                         "conditions": [keep_all, keep_all] + [drop_all] * 10_000}}
    assert len(grid.view(seed, filter_model=model)) == len(seed)


def test_a_dropdown_reads_at_most_fifty_choices_of_200_characters(seed):
    chosen = ["x" * 10_000] * 10_000 + ["claim"]
    assert grid.view(seed, stances=chosen).empty  # "claim" is past the fiftieth choice
    assert len(grid.view(seed, stances=["claim"] + chosen)) > 0
