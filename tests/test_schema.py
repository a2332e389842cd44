"""The figures table contract refuses tables that break it, and says where."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.schema import FIGURE_COLUMN_NAMES, SchemaError, figures_frame, validate_figures

GOOD = {
    "figure_id": "d:0", "document_id": "d", "surface": "83", "char_start": 0, "char_end": 2,
    "sentence": "83 people", "value": 83.0, "value_low": 83.0, "value_high": 83.0,
    "qualifier": "exact", "unit": "person", "quantity_kind": "count", "counted": "people",
    "in_quote": False, "stance": "reported",
}


def test_a_good_table_passes_with_the_contract_columns_in_order():
    table = validate_figures(figures_frame([GOOD]))
    assert tuple(table.columns) == FIGURE_COLUMN_NAMES
    assert str(table["value"].dtype) == "Float64"
    assert str(table["in_quote"].dtype) == "boolean"


def test_an_empty_table_keeps_the_contract():
    table = validate_figures(figures_frame([]))
    assert tuple(table.columns) == FIGURE_COLUMN_NAMES
    assert len(table) == 0


@pytest.mark.parametrize(("change", "message"), [
    ({"unit": "bananas per fortnight"}, "'unit'"),
    ({"stance": "opinion"}, "'stance'"),
    ({"quantity_kind": "guess"}, "'quantity_kind'"),
    ({"qualifier": "maybe"}, "'qualifier'"),
    ({"date": "18/11/2025"}, "'date'"),
    ({"period": "twelve months"}, "'period'"),
    ({"value_low": 90.0}, "value_low > value_high"),
    ({"char_end": 0}, "span"),
    ({"surface": None}, "'surface'"),
])
def test_a_broken_row_is_refused_naming_the_column(change, message):
    with pytest.raises(SchemaError, match=message):
        validate_figures(figures_frame([GOOD | change]))


def test_duplicate_figure_ids_are_refused():
    with pytest.raises(SchemaError, match="not unique"):
        validate_figures(figures_frame([GOOD, GOOD]))


def test_a_missing_column_is_refused():
    with pytest.raises(SchemaError, match="missing column"):
        validate_figures(figures_frame([GOOD]).drop(columns=["stance"]))


def test_a_wrong_dtype_is_refused():
    table = figures_frame([GOOD])
    table["value"] = table["value"].astype(str)
    with pytest.raises(SchemaError, match="dtype"):
        validate_figures(table)


def test_rows_are_named_in_the_message():
    rows = [GOOD, GOOD | {"figure_id": "d:5", "stance": "rumour"}]
    with pytest.raises(SchemaError, match=r"row 1 \('rumour'\)"):
        validate_figures(figures_frame(rows))


def test_values_round_trip_through_pandas():
    table = figures_frame([GOOD])
    assert isinstance(table, pd.DataFrame)
    assert table.loc[0, "value"] == 83.0
