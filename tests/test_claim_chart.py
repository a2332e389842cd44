"""The claim chart draws any curated check from the words and numbers its `chart` tables put in
the checks table: a check about road kills, written here as data, gets a chart in its own words,
and the chart's code names no step or item of the seed's check."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard import reference
from dashboard.charts import build, claim_data
from dashboard.checks import CheckError, checks_table
from dashboard.checks.curated import chart_text, load_checks, period_words, reference_value
from dashboard.extract import extract_figures
from dashboard.units import Quantity

REPO = Path(__file__).resolve().parent.parent
ROADS = ("Every vehicle kills 3 animals, the senator said on Monday. The state has 2 million "
         "vehicles. Drivers killed 1.5 million animals on the state's roads in the 12 months "
         "ending in June 2023, according to the state wildlife agency.")
ROADS_CHECK = """
[[check]]
id = "road-kill-claim"
title = "3 animals per vehicle against a year of road kills"
applies_when = "claim"

[check.inputs.claim]
role = "claim"
figure = { unit = "animal / vehicle", near = ["kills"] }

[check.inputs.vehicles]
role = "article"
figure = { unit = "vehicle" }

[check.inputs.killed]
role = "data"
figure = { unit = "animal", period = "P12M", near = ["roads"] }

[check.inputs.one_vehicle]
assume = { value = 1, unit = "vehicle", why = "the claim is stated per vehicle" }

[check.chart]
title = "{vehicles_for_a_year:,.0f} vehicles would kill a year's road toll, on the claim's terms"
subtitle = "Animals claimed at {claim:,.0f} per vehicle against a year of road kills"
axis = "claimed or counted"
times_of = "a year of road kills"

[[check.steps]]
name = "one_vehicle_claimed"
expr = "claim * one_vehicle"
unit = "animal"
finding = "One vehicle at the claimed rate kills {one_vehicle_claimed:,.0f} animals."
[check.steps.chart]
role = "claim"
label = "One vehicle, as claimed[ ({claim.speaker})]"

[[check.steps]]
name = "fleet_claimed"
expr = "claim * vehicles"
unit = "animal"
finding = "The claim times {vehicles:,.0f} vehicles is {fleet_claimed:,.0f} animals."
[check.steps.chart]
role = "claim"
label = "{vehicles:,.0f} vehicles on the state's roads"
times = "fleet_in_years"

[[check.steps]]
name = "fleet_in_years"
expr = "claim * vehicles / killed"
unit = "dimensionless"
finding = "That is {fleet_in_years:.2f} times a year of road kills."

[[check.steps]]
name = "vehicles_for_a_year"
expr = "killed / claim"
unit = "vehicle"
finding = "At {claim:,.0f} a vehicle, {vehicles_for_a_year:,.0f} vehicles kill a year's toll."
[check.steps.chart]
role = "data"
value = "killed"
label = "Killed on the roads[, {killed.period}]"
note = "[Agency footnote: {killed.footnote}]"
finding = "Vehicles that would kill a year's road toll"
"""
# Step and item names of the seed's check, and its words, that chart code must not know.
SEED_WORDS = ("share_of_a_year", "lives_claimed", "strikes_in_years", "campaign_in_years",
              "boats_per_year", "one_boat", "deaths_cdc", "deaths_reported", "cdc_overdose",
              "CDC", "boat", "vessel", "lives claimed", "a year of deaths", "overdose")


@pytest.fixture(scope="module")
def roads(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = tmp_path_factory.mktemp("checks") / "checks.toml"
    path.write_text(ROADS_CHECK, encoding="utf-8")
    figures = extract_figures(ROADS, published="2024-03-05", document_id="roads",
                              publisher="Town Crier")
    return figures, checks_table(figures, checks_path=path)


def test_a_check_on_another_topic_draws_a_chart_in_its_own_words(roads):
    figures, checks = roads
    data = claim_data(figures, checks)
    bars = data.set_index("item")
    assert bars.loc["one_vehicle_claimed", "value"] == 3
    assert bars.loc["one_vehicle_claimed", "label"] == "One vehicle, as claimed (senator)"
    assert bars.loc["fleet_claimed", "value"] == 6_000_000
    assert bars.loc["fleet_claimed", "label"] == "2,000,000 vehicles on the state's roads"
    assert bars.loc["fleet_claimed", "times"] == pytest.approx(4)
    assert bars.loc["killed", "value"] == 1_500_000
    assert bars.loc["killed", "label"] == "Killed on the roads, 12 months to Jun 2023"
    assert bars.loc["killed", "role"] == "data"
    # The article's figure has no footnote: the note's bracketed part is left out, and with it
    # the whole note.
    assert data["note"].isna().all()
    finding = data[data["role"] == "finding"].iloc[0]
    assert finding["value"] == 500_000 and finding["label"].startswith("Vehicles that")

    _, fig = build("claim", figures, checks)
    meta = fig.layout.meta
    assert meta["title"] == "500,000 vehicles would kill a year's road toll, on the claim's terms"
    assert meta["subtitle"] == ("Animals claimed at 3 per vehicle against a year of road kills "
                                "(animals)")
    assert fig.layout.yaxis.title.text == "animals (claimed or counted)"
    texts = " ".join(t for trace in fig.data for t in trace.text)
    assert "4.00\u00d7 a year of road kills" in texts
    assert "assumed 1 vehicle: the claim is stated per vehicle" in meta["notes"]
    words = " ".join([meta["title"], meta["subtitle"], fig.layout.yaxis.title.text, texts,
                      *meta["notes"], *meta["sources"],
                      *(str(x) for trace in fig.data for x in trace.x)])
    assert not [w for w in ("boat", "vessel", "CDC", "overdose", "lives", "deaths")
                if w.lower() in words.lower()]


def test_steps_without_a_chart_table_are_not_drawn(roads):
    figures, checks = roads
    data = claim_data(figures, checks)
    assert "fleet_in_years" not in set(data["item"])
    assert set(data["role"]) == {"claim", "data", "finding"}


def test_the_checks_table_carries_the_chart_columns(roads):
    _, checks = roads
    rows = checks[checks["check_id"] == "road-kill-claim"].set_index("step")
    assert rows.loc["fleet_claimed", "chart_role"] == "claim"
    assert rows.loc["fleet_claimed", "chart_times"] == pytest.approx(4)
    assert pd.isna(rows.loc["fleet_in_years", "chart_role"])
    assert rows.loc["vehicles_for_a_year", "chart_item"] == "killed"
    assert rows.loc["vehicles_for_a_year", "chart_unit"] == "animal"
    assert set(rows["chart_times_of"]) == {"a year of road kills"}


def test_the_seed_chart_keeps_its_bars_words_and_cdc_footnote():
    from dashboard.extract import extract_document
    from dashboard.ingest import read_document

    seed = next((REPO / "seeds").glob("000_*.txt"))
    figures = extract_document(read_document(seed))
    data, fig = build("claim", figures, checks_table(figures))
    assert list(data.loc[data["role"] != "finding", "label"]) == [
        "One boat, as claimed (Donald Trump)", "21 strikes in the article, one boat each",
        "22 vessels hit in the strike list", "CDC reported, 12 months to Apr 2025",
        "CDC predicted, 12 months to Apr 2025", "The article's figure, 12 months to Apr 2025"]
    assert list(data.loc[data["role"] != "finding", "value"]) == [
        25_000, 525_000, 550_000, 73_690, 76_516, 73_960]
    meta = fig.layout.meta
    assert meta["title"] == ("About 3 boats a year would \u2018save\u2019 every US overdose "
                             "death, on the claim's own terms")
    assert meta["subtitle"] == ("Lives claimed at 25,000 per boat, times the boats hit, against "
                                "a year of US overdose deaths (people)")
    assert fig.layout.yaxis.title.text == "people (lives claimed or deaths)"
    assert ("CDC's counts for the 12 months to Apr 2025 are provisional; CDC footnote: "
            "\u201cUnderreported due to incomplete data.\u201d") in meta["notes"]
    assert reference.source_line("cdc_overdose_12mo") in meta["sources"]


def test_the_chart_code_names_no_step_item_or_word_of_the_seed():
    code = (REPO / "dashboard" / "charts" / "claim.py").read_text(encoding="utf-8")
    found = [w for w in SEED_WORDS if re.search(re.escape(w), code, re.IGNORECASE)]
    assert not found, f"dashboard/charts/claim.py names {found}"
    # Its words come from the checks table, never from reading the checks file itself.
    assert not [w for w in ("tomllib", "load_checks", "CHECKS_FILE") if w in code]


def test_a_footnote_comes_only_from_a_resource_with_footnotes():
    cdc = reference_value("d", {"resource": "cdc_overdose_12mo", "where": {
        "indicator": "all drugs", "estimate": "reported", "period_end": "2025-04"}},
        reference.DATA_DIR, "data")
    assert cdc.footnote == "Underreported due to incomplete data."
    people = reference_value("p", {"resource": "population", "where": {
        "country_code": "USA", "year": 2023}}, reference.DATA_DIR, "data")
    assert people.footnote is None
    names = {"d": cdc, "p": people}
    quantities = {"d": cdc.quantity, "p": people.quantity}
    known = set(names)
    assert chart_text("Note[: {p.footnote}]", quantities, names, known, "t") == "Note"
    assert chart_text("Note[: {d.footnote}]", quantities, names, known, "t") == (
        "Note: Underreported due to incomplete data.")
    assert chart_text("{p.footnote}", quantities, names, known, "t") is None


def test_a_chart_template_naming_an_unknown_name_is_refused():
    with pytest.raises(CheckError, match="'typo'"):
        chart_text("{typo:,.0f} a year", {"x": Quantity(1, "person")}, {}, {"x"}, "t")
    with pytest.raises(CheckError, match=".speaker, .period"):
        chart_text("{x.colour}", {"x": Quantity(1, "person")}, {}, {"x"}, "t")


def test_a_chart_role_outside_the_vocabulary_is_refused(tmp_path, roads):
    figures, _ = roads
    path = tmp_path / "checks.toml"
    path.write_text(ROADS_CHECK.replace('role = "data"\nvalue', 'role = "bar"\nvalue'),
                    encoding="utf-8")
    with pytest.raises(CheckError, match="role 'bar'"):
        checks_table(figures, checks_path=path)


def test_period_words_say_a_figures_date_as_a_reader_would():
    assert period_words("2025-04", "P12M") == "12 months to Apr 2025"
    assert period_words("2025-04") == "Apr 2025"
    assert period_words("2025-11-18") == "18 Nov 2025"
    assert period_words("2023") == "2023"
    assert period_words(None) is None


def test_every_chart_table_of_the_checks_file_names_its_own_check():
    for check in load_checks()["check"]:
        names = set(check.get("inputs", {})) | {s["name"] for s in check["steps"]}
        for step in check["steps"]:
            chart = step.get("chart", {})
            for key in ("value", "times"):
                assert chart.get(key, step["name"]) in names, (check["id"], step["name"], key)
