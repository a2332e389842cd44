"""The checks table on the seed: numbers read from the computed table, with their working."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.checks import CHECK_COLUMNS, CheckError, checks_table, transposed
from dashboard.extract import extract_document, extract_figures
from dashboard.implications import MAX_SUGGESTIONS, PARTNERS
from dashboard.ingest import read_document

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_20713228fd6701a2.txt"


@pytest.fixture(scope="module")
def seed_figures() -> pd.DataFrame:
    return extract_document(read_document(SEED))


@pytest.fixture(scope="module")
def table(seed_figures) -> pd.DataFrame:
    return checks_table(seed_figures)


def step(table: pd.DataFrame, check_id: str, name: str) -> pd.Series:
    rows = table[(table["check_id"] == check_id) & (table["step"] == name)]
    assert len(rows) == 1, f"{check_id}/{name}: {len(rows)} rows"
    return rows.iloc[0]


def result(table, check_id, name) -> float:
    return float(step(table, check_id, name)["result"])


BOAT = "boat-claim-vs-overdose-deaths"
STRIKES = "strikes-vs-fatalities"


def test_the_table_has_its_columns():
    assert tuple(checks_table(extract_figures("Nothing here.")).columns) == CHECK_COLUMNS


def test_one_boat_against_a_year_of_deaths(table):
    assert result(table, BOAT, "share_of_a_year") == pytest.approx(25_000 / 73_690 * 100)
    row = step(table, BOAT, "boats_per_year")
    assert float(row["result"]) == pytest.approx(2.9476)
    assert row["unit"] == "vessel / year"
    assert row["data_value"] == 73_690
    assert "about 3" in row["finding"]
    assert result(table, BOAT, "boats_per_year_predicted") == pytest.approx(76_516 / 25_000)
    assert result(table, BOAT, "boats_per_year_article") == pytest.approx(73_960 / 25_000)


def test_the_claim_times_the_campaign(table):
    assert result(table, BOAT, "lives_claimed_for_the_campaign") == pytest.approx(550_000)
    assert result(table, BOAT, "campaign_in_years_of_deaths") == pytest.approx(7.46, abs=0.005)
    assert result(table, BOAT, "lives_claimed_for_the_strikes") == pytest.approx(525_000)
    assert result(table, BOAT, "strikes_in_years_of_deaths") == pytest.approx(7.12, abs=0.005)
    row = step(table, BOAT, "lives_claimed_for_the_strikes")
    assert "one boat per strike" in row["assumptions"]


def test_every_assumption_and_the_claim_are_stated(table):
    row = step(table, BOAT, "boats_per_year")
    assert "12 month" in row["assumptions"]
    assert row["claim_figure_id"].startswith("000_20713228fd6701a2:")
    assert "every boat we knock out" in row["claim_text"]
    assert "(73,690 person)" in row["expression"]


def test_the_article_figure_is_cdc_with_two_digits_swapped(table):
    rows = table[table["check_id"].str.startswith("source:")]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["status"] == "likely digit transposition"
    assert row["data_value"] == 73_690
    assert "73,960" in row["finding"] and "73,690" in row["finding"]
    assert "76,516 predicted" in row["finding"]
    assert row["result"] == 270


def test_strikes_against_fatalities(table):
    assert result(table, STRIKES, "strikes_difference") == 0
    assert result(table, STRIKES, "deaths_in_the_list") == 83
    assert result(table, STRIKES, "deaths_difference") == 0
    assert result(table, STRIKES, "deaths_per_strike") == pytest.approx(83 / 21)
    assert round(result(table, STRIKES, "deaths_per_strike"), 2) == 3.95
    assert result(table, STRIKES, "vessels_per_strike") == pytest.approx(22 / 21)
    assert result(table, STRIKES, "strikes_per_week") == pytest.approx(21 / 74 * 7)
    caribbean = result(table, STRIKES, "caribbean_deaths_per_strike")
    pacific = result(table, STRIKES, "pacific_deaths_per_strike")
    assert caribbean != pacific


def test_the_decline_since_the_peak(table):
    row = step(table, "overdose-decline", "decline_share")
    assert float(row["result"]) == pytest.approx((73_690 - 111_466) / 111_466 * 100)
    assert round(float(row["result"]), 1) == -33.9
    assert "111,466" in step(table, "overdose-decline", "decline")["finding"]


def test_every_row_lists_its_sources(table):
    for row in table.itertuples(index=False):
        assert isinstance(row.sources, str) and row.sources, row.check_id
        from_reference = isinstance(row.data_source, str) and "characters" not in row.data_source
        if from_reference:  # a reference value: its publisher's or its rows' URLs
            assert "http" in row.sources, (row.check_id, row.step)
        if isinstance(row.claim_figure_id, str):  # a figure: its document and span
            assert "000_20713228fd6701a2 characters" in row.sources, (row.check_id, row.step)


@pytest.mark.parametrize(("stated", "source", "swap"), [
    (73_960, 73_690, (2, 3)), (12_345, 52_341, (0, 4)), (100, 100, None), (73_961, 73_690, None),
    (1_234, 12_340, None),
])
def test_digit_transpositions(stated, source, swap):
    assert transposed(float(stated), float(source)) == swap


def test_a_dimensionally_impossible_check_is_refused(tmp_path, seed_figures):
    checks = tmp_path / "checks.toml"
    checks.write_text('''
[[check]]
id = "impossible"
title = "lives per boat as a share of deaths per year"
documents = ["000_20713228fd6701a2"]

[check.inputs.claim]
role = "claim"
figure = { value = 25000, unit = "person / vessel", near = ["boat"] }

[check.inputs.deaths_per_year]
assume = { value = 73690, unit = "person / year", why = "a year of deaths" }

[[check.steps]]
name = "share"
expr = "claim / deaths_per_year"
unit = "percent"
finding = "{share}"
''', encoding="utf-8")
    with pytest.raises(CheckError) as refused:
        checks_table(seed_figures, checks)
    message = str(refused.value)
    assert "'impossible'" in message and "'share'" in message
    assert "[vessel]" in message and "[time]" in message
    assert "vessel / year" in message


def test_a_selector_that_matches_no_figure_is_named(tmp_path, seed_figures):
    checks = tmp_path / "checks.toml"
    checks.write_text('''
[[check]]
id = "ghost"
title = "a figure the article does not have"
documents = ["000_20713228fd6701a2"]
[check.inputs.claim]
figure = { value = 12345, unit = "person" }
[[check.steps]]
name = "same"
expr = "claim"
unit = "person"
finding = "{same}"
''', encoding="utf-8")
    with pytest.raises(CheckError, match=r"'ghost'.*matches 0 figures"):
        checks_table(seed_figures, checks)


def test_a_new_article_gets_suggestions_and_source_checks():
    text = ("Every shipment carries 400 kilograms of cocaine, officials said. Police seized "
            "12 shipments last month.\nAbout 75,000 people died of drug overdoses in the 12 "
            "months ending in April 2025, according to CDC data. Of the 2,000 residents, "
            "24 percent of residents had been tested.")
    figures = extract_figures(text, published="2025-11-18", document_id="new")
    table = checks_table(figures)
    suggestions = table[table["kind"] == "suggestion"]
    totals = suggestions[suggestions["step"] == "implied total"]
    assert (totals["result"] == 4_800).any()
    assert (totals["unit"] == "kilogram").any()
    shares = suggestions[suggestions["step"] == "share of a total"]
    assert (shares["result"] == 480).any()
    source = table[table["check_id"].str.startswith("source:")].iloc[0]
    assert source["status"] == "mismatch"
    assert source["data_value"] == 73_690
    assert "seeds" not in " ".join(table["sources"].astype(str))


def test_seed_suggestions_include_the_claim_times_the_strikes(table):
    suggested = table[(table["kind"] == "suggestion") & (table["step"] == "implied total")]
    row = suggested[suggested["result"] == 525_000]
    assert len(row) == 1
    assert "one vessel per strike" in row.iloc[0]["assumptions"]


def test_suggestions_pair_each_share_with_its_nearest_totals_and_stay_bounded():
    # A long report: 400 shares and 400 totals of residents. Pairing all of them would be
    # 160,000 rows (and once took minutes); each share takes its nearest totals instead.
    paragraphs = [f"Of the {1_000 + i:,} residents of district {i}, {10 + i % 80} percent of "
                  "residents were tested." for i in range(400)]
    figures = extract_figures("\n\n".join(paragraphs), published="2025-11-18", document_id="long")
    suggested = checks_table(figures).query("kind == 'suggestion'")
    assert len(suggested) == MAX_SUGGESTIONS
    first = suggested.iloc[0]
    assert first["claim_figure_id"] == figures[figures["unit"] == "percent"].iloc[0]["figure_id"]
    assert "1,000 residents" in first["title"]  # the total of its own sentence comes first
    distances = [abs(int(row["check_id"].split(":")[2]) - int(row["check_id"].split(":")[4]))
                 for _, row in suggested.iterrows()]
    assert max(distances) < 3 * len(paragraphs[0]) * PARTNERS


def test_suggestions_never_pair_figures_of_two_documents():
    one = extract_figures("Every shipment carries 400 kilograms of cocaine.", document_id="one")
    two = extract_figures("Police seized 12 shipments last month.", document_id="two")
    table = checks_table(pd.concat([one, two], ignore_index=True))
    assert table[table["kind"] == "suggestion"].empty
    both = extract_figures("Every shipment carries 400 kilograms of cocaine. Police seized 12 "
                           "shipments last month.", document_id="both")
    assert (checks_table(both)["kind"] == "suggestion").sum() == 1


def run_cli(*args: str):
    import os
    import subprocess
    import sys

    env = os.environ | {"PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True,
                          text=True, cwd=REPO, env=env, timeout=120)


def test_check_on_the_command_line_prints_the_seed_table():
    run = run_cli("check")
    assert run.returncode == 0, run.stderr
    header = run.stdout.splitlines()[0]
    assert header == ",".join(CHECK_COLUMNS)
    assert "likely digit transposition" in run.stdout


def test_check_of_a_bad_article_is_one_line_and_status_2(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    run = run_cli("check", str(empty))
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("error:")


def test_data_checks_csv_is_current(table):
    from dashboard import csvout

    with open(REPO / "data" / "checks.csv", encoding="utf-8", newline="") as committed_file:
        committed = committed_file.read()  # newline="": the CSV's CRLF row ends as written
    assert committed == csvout.to_csv(table), "data/checks.csv is stale: run `make data`"
