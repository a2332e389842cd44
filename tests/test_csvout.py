"""dashboard.csvout: text cells that a spreadsheet would run as formulas are neutralised, numbers
stay numbers, and the CSV reads back into the same table."""

import csv
import io

import pandas as pd
import pytest

from dashboard import csvout
from dashboard.extract import extract_figures
from dashboard.schema import FIGURE_COLUMN_NAMES

FORMULA_CELLS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\r=1+1",
    '=HYPERLINK("http://x","y") is where the figure came from.',
]


def read_back(text: str) -> pd.DataFrame:
    # keep_default_na=False: an empty cell and the text "" must stay apart from a literal "NA".
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])


@pytest.mark.parametrize("cell", FORMULA_CELLS, ids=repr)
def test_every_formula_start_in_a_text_cell_gets_a_leading_apostrophe(cell):
    frame = pd.DataFrame({"text": pd.array([cell, "plain"], dtype="string")})
    assert csvout.safe_frame(frame)["text"].tolist() == ["'" + cell, "plain"]
    header, first_cell = csvout.to_csv(frame).split("\r\n", 1)
    assert header == "text"
    # Every text cell is quoted; the apostrophe comes first in it.
    assert first_cell.startswith('"\'' + cell[0])


@pytest.mark.parametrize("separator", [",", ";", "\t"], ids=repr)
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_formula_start_after_a_separator_is_neutralised_too(separator, start):
    cell = f"Payment{separator}{start}1+1{separator}{start}cmd|' /C calc'!A0"
    assert csvout.neutralise(cell) == (f"Payment{separator}'{start}1+1{separator}'{start}"
                                       "cmd|' /C calc'!A0")
    # A spreadsheet reading with that separator, quotes respected or not, starts no cell with a
    # formula.
    text = csvout.to_csv(pd.DataFrame({"memo": [cell], "n": [1]}))
    for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
        rows = list(csv.reader(io.StringIO(text), delimiter=separator, quoting=quoting,
                               escapechar="\\" if quoting == csv.QUOTE_NONE else None))
        assert not [c for row in rows for c in row
                    if c.lstrip('"').startswith(csvout.FORMULA_STARTS)]


def test_a_tab_then_a_formula_is_neutralised_at_both_starts():
    assert csvout.neutralise("\t=1+1") == "'\t'=1+1"


def test_every_text_cell_is_quoted_and_numbers_and_missing_cells_are_not():
    frame = pd.DataFrame({"memo": pd.array(["Payment;=1+1", "plain", None], dtype="string"),
                          "n": [1.5, None, 3.0]})
    assert csvout.to_csv(frame).splitlines() == [
        "memo,n", '"Payment;\'=1+1",1.5', '"plain",', ",3.0"]


@pytest.mark.parametrize("cell", ["\r=1+1", "first line\rsecond line"], ids=repr)
def test_a_text_cell_holding_a_carriage_return_reads_back_as_one_cell(cell):
    frame = pd.DataFrame({"text": pd.array([cell], dtype="string"), "n": [1]})
    back = pd.read_csv(io.StringIO(csvout.to_csv(frame)), dtype=str, keep_default_na=False)
    assert back.shape == (1, 2)
    assert back.at[0, "text"] == csvout.neutralise(cell)


@pytest.mark.parametrize("cell", FORMULA_CELLS, ids=repr)
def test_neutralise_prefixes_formula_text_only(cell):
    assert csvout.neutralise(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell", ["25,000 American lives", "At least 21", "a=b", "'=1+1", "", " =1"], ids=repr
)
def test_text_that_does_not_start_like_a_formula_is_left_alone(cell):
    assert csvout.neutralise(cell) == cell


def test_object_columns_of_text_are_neutralised_too():
    frame = pd.DataFrame({"text": pd.Series(["=1+1", "plain", None], dtype=object)})
    safe = csvout.safe_frame(frame)
    assert safe["text"].tolist()[:2] == ["'=1+1", "plain"]
    assert safe["text"].isna().tolist() == [False, False, True]
    assert frame.at[0, "text"] == "=1+1", "safe_frame must not change its argument"


def numeric_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": pd.array(["-5 degrees", "@home", None], dtype="string"),
            "value": pd.array([-73960.5, 25000.0, None], dtype="Float64"),
            "count": pd.array([-21, 83, None], dtype="Int64"),
            "ratio": pd.Series([-0.25, 1e-3, float("nan")], dtype="float64"),
        }
    )


def test_numeric_columns_keep_their_numbers_including_negative_ones():
    frame = numeric_frame()
    safe = csvout.safe_frame(frame)
    for column in ("value", "count", "ratio"):
        assert safe[column].dtype == frame[column].dtype
        pd.testing.assert_series_equal(safe[column], frame[column])
    lines = csvout.to_csv(frame).splitlines()
    assert lines[0] == "label,value,count,ratio"
    assert lines[1] == "\"'-5 degrees\",-73960.5,-21,-0.25"
    assert lines[2] == "\"'@home\",25000.0,83,0.001"


def test_missing_values_stay_empty_cells():
    lines = csvout.to_csv(numeric_frame()).splitlines()
    assert lines[3] == ",,,"


def test_the_csv_reads_back_with_the_same_shape_and_numeric_dtypes():
    frame = numeric_frame()
    back = read_back(csvout.to_csv(frame))
    assert back.shape == frame.shape
    assert list(back.columns) == list(frame.columns)
    assert pd.api.types.is_float_dtype(back["value"])
    assert pd.api.types.is_integer_dtype(back["count"]) or pd.api.types.is_float_dtype(
        back["count"]
    )
    assert pd.api.types.is_float_dtype(back["ratio"])
    assert back["value"].tolist()[:2] == [-73960.5, 25000.0]
    assert back["count"].tolist()[:2] == [-21, 83]
    assert back["ratio"].tolist()[:2] == [-0.25, 1e-3]
    assert back.iloc[2].isna().all()


def test_to_csv_writes_the_same_text_to_a_file(tmp_path):
    frame = numeric_frame()
    path = tmp_path / "table.csv"
    assert csvout.to_csv(frame, path) is None
    assert path.read_bytes() == csvout.to_csv(frame).encode("utf-8")


def test_an_extracted_quotation_that_starts_like_a_formula_is_neutralised_in_the_csv():
    text = (
        '=HYPERLINK("http://x","y") said 25,000 people died.\n\n'
        "Officials said at least 21 strikes were carried out."
    )
    figures = extract_figures(text, published="2025-11-18", document_id="doc")
    assert len(figures) >= 1
    assert figures["sentence"].str.startswith("=HYPERLINK(").any()

    csv = csvout.to_csv(figures)
    back = pd.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)
    assert list(back.columns) == list(FIGURE_COLUMN_NAMES)
    assert not back["sentence"].str.startswith("=").any()
    assert back["sentence"].str.startswith("'=HYPERLINK(").any()
    # Numbers stay numbers: the row of 25,000 keeps its value unquoted.
    numbers = read_back(csv)
    assert 25000.0 in numbers["value"].tolist()
    assert pd.api.types.is_float_dtype(numbers["value"])
    assert pd.api.types.is_integer_dtype(numbers["char_start"])
