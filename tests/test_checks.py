"""The checks table: the seed's curated results read from the computed table with their working,
curated checks chosen by what an article says, and the table's declared schema."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from dashboard.checks import CHECK_COLUMNS, CheckError, checks_table
from dashboard.checks.suggestions import MAX_SUGGESTIONS, PARTNERS
from dashboard.checks.verdicts import transposed
from dashboard.extract import extract_document, extract_figures
from dashboard.ingest import read_document
from dashboard.schema import SchemaError, checks_frame, validate_checks

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_20713228fd6701a2.txt"


@pytest.fixture(scope="module")
def seed_document():
    return read_document(SEED)


@pytest.fixture(scope="module")
def seed_figures(seed_document) -> pd.DataFrame:
    return extract_document(seed_document)


@pytest.fixture(scope="module")
def table(seed_figures, seed_document) -> pd.DataFrame:
    return checks_table(seed_figures, {seed_document.document_id: seed_document.text})


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


def test_the_table_keeps_its_declared_schema(table):
    assert validate_checks(table) is table
    with pytest.raises(SchemaError, match="verdict"):
        validate_checks(checks_frame([{"check_id": "a", "step": "b", "kind": "verification",
                                       "verdict": "true-ish"}]))
    with pytest.raises(SchemaError, match="kind"):
        validate_checks(checks_frame([{"check_id": "a", "step": "b", "kind": "opinion"}]))


def test_every_row_carries_structured_provenance(table):
    figures = table[table["claim_figure_id"].notna()]
    assert figures["document_id"].eq("000_20713228fd6701a2").all()
    assert (figures["char_end"] > figures["char_start"]).all()
    verified = table[table["kind"] == "verification"]
    assert verified["dataset"].eq("cdc_overdose_12mo").all()
    assert verified["series"].eq("overdose_deaths_12mo").all()
    assert verified["reference_release"].eq("2025-09-17").all()
    assert verified["source_url"].str.startswith("https://data.cdc.gov").all()


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
    rows = table[table["kind"] == "verification"]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["verdict"] == "transposition"
    assert row["reference_value"] == 73_690 and row["reference_period"] == "2025-04"
    assert row["data_value"] == 73_690
    assert "73,960" in row["finding"] and "73,690" in row["finding"]
    assert "digits 3 and 4 swapped" in row["verdict_note"]
    assert "Centers for Disease Control and Prevention" in row["verdict_note"]
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
applies_when = "claim"

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
        checks_table(seed_figures, checks_path=checks)
    message = str(refused.value)
    assert "'impossible'" in message and "'share'" in message
    assert "[vessel]" in message and "[time]" in message
    assert "vessel / year" in message


def test_a_check_applies_only_where_its_claim_is_and_skips_steps_it_lacks(tmp_path,
                                                                          seed_figures):
    checks = tmp_path / "checks.toml"
    checks.write_text('''
[[check]]
id = "ghost"
title = "a figure the article does not have"
applies_when = "claim"
[check.inputs.claim]
role = "claim"
figure = { value = 12345, unit = "person" }
[[check.steps]]
name = "same"
expr = "claim"
unit = "person"
finding = "{same}"

[[check]]
id = "partial"
title = "a claim the article has, and a figure it lacks"
applies_when = "claim"
[check.inputs.claim]
role = "claim"
figure = { value = 25000, unit = "person / vessel" }
[check.inputs.missing]
role = "article"
figure = { value = 12345, unit = "vessel" }
[[check.steps]]
name = "claim_alone"
expr = "claim * 2"
unit = "person / vessel"
finding = "{claim_alone}"
[[check.steps]]
name = "needs_missing"
expr = "claim * missing"
unit = "person"
finding = "{needs_missing}"
''', encoding="utf-8")
    table = checks_table(seed_figures, checks_path=checks)
    curated = table[table["kind"] == "finding"]
    assert list(curated["check_id"]) == ["partial"]
    assert list(curated["step"]) == ["claim_alone"]


def test_the_boat_claim_is_checked_in_any_article_that_carries_it():
    text = ("The president repeated on Friday that every boat we knock out saves 25,000 American "
            "lives. He did not say where the number came from.")
    figures = extract_figures(text, published="2025-10-20", document_id="another")
    table = checks_table(figures)
    boats = table[table["check_id"] == BOAT]
    assert float(step(boats, BOAT, "boats_per_year")["result"]) == pytest.approx(2.9476)
    assert "boats_per_year_article" not in set(boats["step"])  # no overdose count of its own
    # the strike list as of the article's date: 8 events by 17 Oct 2025 (strike_date <= 20 Oct)
    campaign = float(step(boats, BOAT, "lives_claimed_for_the_campaign")["result"])
    assert campaign < 550_000


def test_a_new_article_gets_suggestions_and_verdicts():
    text = ("Every shipment carries 400 kilograms of cocaine, officials said. Police seized "
            "12 shipments last month.\nAbout 75,000 people died of drug overdoses in the 12 "
            "months ending in April 2025, according to CDC data. Of the 2,000 residents, "
            "24 percent of residents had been tested.")
    figures = extract_figures(text, published="2025-11-18", document_id="new")
    table = checks_table(figures, {"new": text})
    suggestions = table[table["kind"] == "suggestion"]
    totals = suggestions[suggestions["step"] == "implied total"]
    assert (totals["result"] == 4_800).any()
    assert (totals["unit"] == "kilogram").any()
    shares = suggestions[suggestions["step"] == "share of a total"]
    assert (shares["result"] == 480).any()
    verified = table[table["kind"] == "verification"].iloc[0]
    assert verified["verdict"] == "differs"
    assert verified["reference_value"] == 73_690
    assert "+1,310" in verified["verdict_note"]
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
    assert "transposition" in pd.read_csv(io.StringIO(run.stdout))["verdict"].tolist()


def test_check_of_an_article_on_another_topic_gives_verdicts_and_consistency(tmp_path):
    article = tmp_path / "jobs.txt"
    article.write_text("The unemployment rate averaged 3.6 percent in 2023, down from 5.3 "
                       "percent in 2021, the Bureau of Labor Statistics said. The county "
                       "recorded 1,240 burglaries, down 12 percent from 1,410.\n",
                       encoding="utf-8")
    run = run_cli("check", str(article), "--published", "2024-02-01")
    assert run.returncode == 0, run.stderr
    table = pd.read_csv(io.StringIO(run.stdout), dtype={"reference_period": str})
    verdicts = table[table["kind"] == "verification"].set_index("reference_period")
    assert verdicts.loc["2023", "verdict"] == "matches"
    assert verdicts.loc["2021", "verdict"] == "matches"
    assert set(verdicts["dataset"]) == {"employment_us"}
    change = table[table["step"] == "percent change"].iloc[0]
    assert change["kind"] == "consistency" and change["verdict"] == "consistent"


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
