"""Matching figures to the catalog's series, one rule at a time, on the shipped catalog (and on
a user's dataset added with `reference add`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.checks import checks_table
from dashboard.extract import extract_figures
from dashboard.reference import DATA_DIR

REPO = Path(__file__).resolve().parent.parent


def verified(text: str, published: str = "2025-06-01", data_dir: Path = DATA_DIR):
    figures = extract_figures(text, published=published, document_id="doc")
    table = checks_table(figures, {"doc": text}, data_dir=data_dir)
    rows = table[table["check_id"].str.startswith("verify:")]
    return {row.claim_figure_id.split(":")[1]: row for row in rows.itertuples()} | {
        text[row.char_start:row.char_end]: row for row in rows.itertuples()}


def test_a_count_matches_the_series_of_what_it_counts_in_its_period():
    row = verified("About 87,000 people died of drug overdoses from October 2023 to September "
                   "2024, according to the CDC.")["About 87,000"]
    assert (row.series, row.reference_period, row.verdict) == (
        "overdose_deaths_12mo", "2024-09", "consistent")
    assert row.reference_value == 87_652 and "CDC" in row.verdict_note


def test_a_narrower_measure_in_the_clause_rules_the_broader_series_out():
    rows = verified("In the 12 months ending April 2025, 42,233 people died of overdoses "
                    "involving fentanyl and other synthetic opioids.")
    assert rows["42,233"].series == "synthetic_opioid_deaths_12mo"
    assert rows["42,233"].verdict == "matches"


def test_a_state_figure_is_never_set_against_a_national_series():
    assert not verified("Ohio recorded 5,000 overdose deaths in the 12 months ending April "
                        "2025.")


def test_a_calendar_year_prefers_the_annual_series():
    row = verified("There were an estimated 80,391 drug overdose deaths in the United States "
                   "during 2024.")["an estimated 80,391"]
    assert (row.series, row.reference_period, row.verdict) == (
        "overdose_deaths_annual", "2024", "matches")


def test_a_rate_for_a_month_is_the_twelve_months_to_it_when_the_words_say_so():
    rows = verified("Consumer prices rose 9.1% in June from a year earlier.", "2022-07-13")
    assert (rows["9.1%"].series, rows["9.1%"].reference_period, rows["9.1%"].verdict) == (
        "cpi_u_12mo_change", "2022-06", "matches")
    monthly = verified("The consumer price index rose 1.3% in June, seasonally adjusted.",
                       "2022-07-13")
    assert monthly and all(row.verdict == "unverifiable" for row in monthly.values())


def test_a_monthly_rate_against_an_annual_series_is_unverifiable():
    row = verified("The unemployment rate rose to 4.1% in June.", "2024-07-05")["4.1%"]
    assert row.series == "unemployment_rate_annual" and row.verdict == "unverifiable"
    assert "not a period of this series" in row.verdict_note


def test_an_annual_rate_matches_as_published():
    row = verified("The unemployment rate averaged 3.6 percent in 2023.")["3.6 percent"]
    assert (row.reference_period, row.reference_value, row.verdict) == ("2023", 3.6, "matches")


def test_a_population_takes_its_country_and_the_latest_year_before_publication():
    rows = verified("India, with a population of 1.4 billion, is the most populous country.",
                    "2024-05-01")
    row = rows["1.4 billion"]
    assert (row.series, row.reference_period, row.verdict) == ("population", "2023", "consistent")
    assert row.reference_value == pytest.approx(1_438_069_596)


def test_figures_in_a_list_lean_on_the_one_that_matched():
    rows = verified("The world's population reached 8 billion in 2022, up from 7 billion in "
                    "2011 and 6 billion in 1999.", "2023-07-06")
    assert [rows[s].reference_period for s in ("8 billion", "7 billion", "6 billion")] == [
        "2022", "2011", "1999"]
    assert all(rows[s].series == "population" for s in ("8 billion", "7 billion", "6 billion"))


def test_the_prior_year_leans_on_the_period_just_named():
    rows = verified("In the 12 months ending in April 2025, the United States recorded 73,690 "
                    "overdose deaths, down 26.3 percent from 100,049 in the prior year.")
    assert rows["73,690"].verdict == rows["100,049"].verdict == "matches"
    assert rows["100,049"].reference_period == "2024-04"


def test_a_figure_far_from_its_series_is_probably_another_place():
    row = verified("Overdose deaths reached 3,100 in the 12 months ending April 2025, the city "
                   "said.")["3,100"]
    assert row.verdict == "unverifiable" and "another place or measure" in row.verdict_note


def test_an_article_before_a_revised_release_is_told_so():
    row = verified("About 114,000 people died of drug overdoses in the 12 months ending "
                   "September 2023.", "2025-02-26")["About 114,000"]
    assert row.verdict == "differs"
    assert "predates the release used (2025-09-17)" in row.verdict_note


USER_TABLE = """year,city,measure,value,unit,status
2022,Springfield,homicides,41,person,final
2023,Springfield,homicides,35,person,final
2024,Springfield,homicides,29,person,preliminary
"""
USER_SOURCE = (REPO / "README.md").read_text(encoding="utf-8").split(
    "and its `source.toml`:\n\n```toml\n", 1)[1].split("```", 1)[0]


def test_a_users_dataset_added_with_reference_add_is_checked_against(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir, ignore=shutil.ignore_patterns("extracted"))
    (tmp_path / "springfield_homicides.csv").write_text(USER_TABLE, encoding="utf-8")
    (tmp_path / "source.toml").write_text(USER_SOURCE, encoding="utf-8")
    added = subprocess.run(
        [sys.executable, "-m", "dashboard", "reference", "add",
         str(tmp_path / "springfield_homicides.csv"), "--source", str(tmp_path / "source.toml"),
         "--catalog", str(data_dir / "reference")],
        capture_output=True, text=True, cwd=REPO, timeout=120,
        env=os.environ | {"PYTHONPATH": str(REPO)})
    assert added.returncode == 0, added.stderr
    rows = verified("Springfield recorded 35 homicides in 2023 and 31 in 2024, police said.",
                    "2025-03-05", data_dir)
    assert (rows["35"].series, rows["35"].verdict) == ("springfield_homicides", "matches")
    assert rows["31"].verdict == "differs" and rows["31"].reference_value == 29
    assert "police" in rows["35"].verdict_note


def test_a_source_named_in_the_paragraph_is_evidence_in_the_note():
    row = verified("In the 12 months ending in April 2025, the United States recorded 73,690 "
                   "overdose deaths. The figures, drawn from the CDC's National Vital Statistics "
                   "System, show a decline.\n\nOther news.")["73,690"]
    assert row.verdict == "matches"
    assert "the paragraph names the source (CDC)" in row.verdict_note


def test_core_inflation_is_not_set_against_headline_inflation():
    text = ("Core inflation, which excludes food and energy, rose 3.8% in May from a year "
            "earlier, while overall inflation was 3.3% in May.")
    figures = extract_figures(text, published="2024-06-12", document_id="doc")
    table = checks_table(figures, {"doc": text})
    rows = table[table["kind"] == "verification"]
    assert [text[r.char_start:r.char_end] for r in rows.itertuples()] == ["3.3%"]
    assert rows.iloc[0]["verdict"] == "matches"
