"""The seed article: the figures the issue names, read from the extracted table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.extract import extract_document
from dashboard.ingest import read_document
from dashboard.units import ureg

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_20713228fd6701a2.txt"


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return extract_document(read_document(SEED))


def one(figures: pd.DataFrame, surface: str, **where) -> pd.Series:
    rows = figures[figures["surface"] == surface]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"{surface!r} {where}: {len(rows)} rows in {list(figures['surface'])}"
    return rows.iloc[0]


def test_the_claim_of_25000_lives_per_boat(figures):
    row = one(figures, "25,000", in_quote=True)
    assert row["value"] == 25000
    assert ureg.parse_units(row["unit"]) == ureg.parse_units("person / vessel")
    assert row["quantity_kind"] == "rate"
    assert row["counted"] == "American lives"
    assert "Trump" in row["speaker"]
    assert row["stance"] == "claim"


def test_the_25000_number_in_the_reporting_is_not_the_quote(figures):
    row = one(figures, "25,000", in_quote=False)
    assert row["stance"] == "reported"
    assert row["speaker"] == "Al Jazeera"


def test_cdc_overdose_deaths_over_twelve_months_ending_april(figures):
    row = one(figures, "73,960")
    assert row["value"] == 73960
    assert row["unit"] == "person"
    assert row["counted"] == "deaths"
    assert row["date"] == "2025-04"
    assert row["period"] == "P12M"
    assert row["speaker"] == "Centers for Disease Control and Prevention"
    assert row["stance"] == "data"
    assert not row["in_quote"]


def test_the_twelve_months_keep_their_end(figures):
    row = one(figures, "12 months")
    assert (row["value"], row["unit"], row["quantity_kind"]) == (12, "month", "duration")
    assert row["date"] == "2025-04"


def test_at_least_21_strikes_killing_83_people(figures):
    strikes = one(figures, "At least 21")
    assert strikes["unit"] == "strike"
    assert strikes["counted"] == "deadly missile attacks"
    assert strikes["qualifier"] == "at least"
    assert strikes["value_low"] == 21
    assert pd.isna(strikes["value_high"])
    killed = one(figures, "83")
    assert (killed["value"], killed["unit"], killed["stance"]) == (83, "person", "reported")


def test_two_survivors(figures):
    row = one(figures, "two")
    assert (row["value"], row["unit"], row["counted"]) == (2, "person", "survivors")


@pytest.mark.parametrize(("surface", "date"), [
    ("September 2nd", "2025-09-02"),
    ("October 2", "2025-10-02"),
    ("August", "2025-08"),
    ("October", "2025-10"),
    ("April", "2025-04"),
])
def test_dates_resolve_against_publication(figures, surface, date):
    assert one(figures, surface)["date"] == date


def test_weekdays_resolve_to_the_week_of_publication(figures):
    days = figures[figures["surface"].isin(["Monday", "Tuesday"])]
    assert set(days.loc[days["surface"] == "Monday", "date"]) == {"2025-11-17"}
    assert set(days.loc[days["surface"] == "Tuesday", "date"]) == {"2025-11-18"}


def test_first_term_is_a_year_range(figures):
    row = one(figures, "2017 to 2021")
    assert (row["value_low"], row["value_high"], row["qualifier"]) == (2017, 2021, "range")
    assert row["quantity_kind"] == "year"
    assert row["date"] == "2017/2021"


def test_page_furniture_is_never_a_claim(figures):
    row = one(figures, "3")
    assert row["stance"] == "furniture"
    assert "list of 3 items" in row["sentence"]


def test_ordinals_are_their_own_kind(figures):
    terms = figures[figures["quantity_kind"] == "ordinal"]
    assert set(terms["counted"]) == {"term"}
    assert sorted(terms["value"]) == [1, 2, 2]


def test_vague_quantities_have_no_invented_value(figures):
    vague = figures[figures["quantity_kind"] == "vague"]
    assert {"multiple", "several", "very few"} <= set(vague["surface"])
    assert vague["value"].isna().all()
    assert set(vague.loc[vague["surface"] != "very few", "speaker"]) == {"Claudia Sheinbaum"}


def test_every_quoted_figure_has_a_speaker(figures):
    quoted = figures[figures["in_quote"]]
    assert len(quoted) >= 4
    assert quoted["speaker"].notna().all()
    assert (quoted["stance"] == "claim").all()


def test_spans_slice_to_surfaces_and_carry_provenance(figures):
    text = SEED.read_text(encoding="utf-8")
    for row in figures.itertuples():
        assert text[row.char_start:row.char_end] == row.surface
        assert row.surface in row.sentence
    assert set(figures["document_id"]) == {"000_20713228fd6701a2"}
    assert set(figures["publisher"]) == {"Al Jazeera"}
    assert set(figures["published"]) == {"2025-11-18"}
