"""The catalog's contract: every dataset with its origin and validated series, bad series refused
naming the file and the series, tables and source records cached until their files change, and
one cell parser for the loader and the tidying steps."""

import datetime
import os
import shutil
from pathlib import Path

import pytest

from dashboard import reference
from dashboard.reference import CellError, ReferenceError, parse_cell
from dashboard.tidy_reference.raw import RawTable

DATA = Path(reference.DATA_DIR)
DATASET_KEYS = {"name", "title", "publisher", "credit", "dataset", "release", "url", "licenses",
                "date_accessed", "series"}
SERIES_KEYS = {"id", "title", "dataset", "measure", "exclude", "unit", "geography",
               "geography_column", "period", "date_column", "value_column", "where",
               "estimate_column", "primary_estimate", "estimates", "precision", "cited_as",
               "undated", "revised"}


def test_every_dataset_gives_its_origin_and_every_series_the_whole_contract():
    datasets = reference.catalog()
    assert [d["name"] for d in datasets] == reference.names()
    ids = []
    for dataset in datasets:
        assert set(dataset) >= DATASET_KEYS, dataset["name"]
        for series in dataset["series"]:
            assert set(series) >= SERIES_KEYS, series["id"]
            assert series["dataset"] == dataset["name"]
            ids.append(series["id"])
    assert len(ids) == len(set(ids))
    assert {"overdose_deaths_12mo", "synthetic_opioid_deaths_12mo", "overdose_deaths_annual",
            "cpi_u_12mo_change", "cpi_u_index", "population", "unemployment_rate_annual",
            "unemployed_annual", "employed_annual", "labor_force_annual",
            "participation_rate_annual", "employment_population_ratio_annual"} == set(ids)


def test_lists_are_not_series():
    by_name = {d["name"]: d for d in reference.catalog()}
    for name in ("vessel_strikes", "strike_running_totals", "claims_25000"):
        assert by_name[name]["series"] == []
        assert by_name[name]["url"] is None


def test_every_series_selects_rows_of_its_own_unit_once_per_place_period_and_estimate():
    for dataset in reference.catalog():
        table = reference.load(dataset["name"])
        for series in dataset["series"]:
            reference.check_series_rows(table, series, dataset["name"])


def test_the_overdose_series_tell_estimates_apart_and_exclude_narrower_measures():
    series = {s["id"]: s for d in reference.catalog() for s in d["series"]}
    deaths = series["overdose_deaths_12mo"]
    assert deaths["primary_estimate"] == "reported" and set(deaths["estimates"]) == {
        "reported", "predicted"}
    assert {"fentanyl", "synthetic opioid", "cocaine"} <= set(deaths["exclude"])
    assert deaths["revised"] and deaths["cited_as"][0] == "CDC"
    assert series["overdose_deaths_annual"]["primary_estimate"] == "final"
    assert series["population"]["undated"] == "latest before publication"
    assert series["population"]["geography_column"] == "country_name"
    assert series["unemployed_annual"]["precision"] == 1000
    assert series["cpi_u_12mo_change"]["precision"] == 0.1


def catalog_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of data/reference whose `name`/source.toml has `old` replaced by `new`."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "reference", data / "reference")
    path = data / "reference" / name / "source.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


BAD_SERIES = {
    "unknown column": ('date_column = "period_end"', 'date_column = "month_end"',
                       r"column 'month_end': series 'overdose_deaths_12mo': date_column names a "
                       r"column that is not a field"),
    "unit pint cannot parse": ('unit = "person"\ngeography', 'unit = "souls"\ngeography',
                               r"series 'overdose_deaths_12mo': unit 'souls' does not parse"),
    "unknown period": ('period = "12 months ending"', 'period = "fiscal year"',
                       r"period 'fiscal year' is not one of"),
    "missing key": ('precision = 1\n', '', r"series 'overdose_deaths_12mo': lacks 'precision'"),
    "upper-case phrase": ('measure = ["drug overdose deaths"', 'measure = ["Drug overdose deaths"',
                          "must be lower case"),
    "primary estimate unknown": ('primary_estimate = "reported"', 'primary_estimate = "final"',
                                 r"primary_estimate 'final' is not one of the estimates"),
    "date column of the wrong type": ('date_column = "period_end"', 'date_column = "footnote"',
                                      "is of type string"),
    "no place": ('geography = "United States"\nperiod', 'period', "give either geography"),
    "unknown key": ('revised = true', 'revised = true\nrevisd = false', "unknown key 'revisd'"),
}


@pytest.mark.parametrize("case", BAD_SERIES, ids=str)
def test_a_bad_series_is_refused_naming_the_file_and_the_series(tmp_path, case):
    old, new, message = BAD_SERIES[case]
    data = catalog_with(tmp_path, "cdc_overdose_12mo", old, new)
    with pytest.raises(ReferenceError, match=message) as caught:
        reference.catalog(data)
    assert caught.value.file.endswith(os.path.join("cdc_overdose_12mo", "source.toml"))


def test_a_series_id_used_twice_in_the_catalog_is_refused(tmp_path):
    data = catalog_with(tmp_path, "overdose_annual", 'id = "overdose_deaths_annual"',
                        'id = "overdose_deaths_12mo"')
    with pytest.raises(ReferenceError, match="the id is taken by dataset 'cdc_overdose_12mo'"):
        reference.names(data)


def test_loaded_tables_are_cached_until_their_files_change(tmp_path):
    assert reference.load("cdc_overdose_12mo") is reference.load("cdc_overdose_12mo")
    data = catalog_with(tmp_path, "overdose_annual", "2019,", "2019,")
    first = reference.load("overdose_annual", data)
    path = reference.table_path("overdose_annual", data)
    path.write_text(path.read_text(encoding="utf-8").replace(",70630,", ",70631,"),
                    encoding="utf-8", newline="")
    again = reference.load("overdose_annual", data)
    assert again is not first and 70631 in again["value"].tolist()


def test_source_records_are_read_again_when_one_changes(tmp_path):
    data = catalog_with(tmp_path, "cpi_us", 'precision = 0.1', 'precision = 0.1')
    assert reference.catalog(data) == reference.catalog(data)
    path = data / "reference" / "cpi_us" / "source.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'precision = 0.1', 'precision = 0.01'), encoding="utf-8")
    series = {s["id"]: s for d in reference.catalog(data) for s in d["series"]}
    assert series["cpi_u_12mo_change"]["precision"] == 0.01


@pytest.mark.parametrize(("cell", "kind", "value"), [
    ("12", "integer", 12), ("-3", "integer", -3), ("2.5", "number", 2.5), ("1e3", "number", 1000),
    ("true", "boolean", True), ("0", "boolean", False), ("2025-10-27", "date",
                                                        datetime.date(2025, 10, 27)),
    ("2025-04", "yearmonth", "2025-04"), ("1947", "year", 1947), ("text", "string", "text"),
])
def test_one_cell_parser_reads_every_type(cell, kind, value):
    assert parse_cell(cell, kind) == value


@pytest.mark.parametrize(("cell", "kind"), [
    ("1,000", "integer"), ("about 5", "number"), ("maybe", "boolean"), ("2025-02-30", "date"),
    ("27 Oct 2025", "date"), ("2015-5", "yearmonth"), ("'47", "year"), ("x", "decimal"),
])
def test_the_loader_and_the_tidying_refuse_the_same_cells(cell, kind):
    with pytest.raises(CellError) as direct:
        parse_cell(cell, kind)
    raw = RawTable(Path("raw.csv"), ((2, {"c": cell}),))
    with pytest.raises(ReferenceError) as tidying:
        raw.value(2, {"c": cell}, "c", kind)
    assert tidying.value.problem == str(direct.value)
    assert (tidying.value.line, tidying.value.column) == (2, "c")


# -- a file that cannot be read leaves out what needs it, and the rest works -------------------
def broken_catalog(tmp_path):
    """The committed data folder with one table missing and one description malformed."""
    data = tmp_path / "data"
    shutil.copytree(reference.DATA_DIR, data)
    (data / "reference" / "vessel_strikes" / "vessel_strikes.csv").unlink()
    source = data / "reference" / "overdose_annual" / "source.toml"
    source.write_text(source.read_text(encoding="utf-8") + "\n[[[not toml", encoding="utf-8")
    return data


def test_checks_go_on_without_a_missing_table_and_a_malformed_description(tmp_path):
    from dashboard.checks import checks_table
    from dashboard.extract import extract_document
    from dashboard.ingest import read_document

    data = broken_catalog(tmp_path)
    figures = extract_document(read_document(
        Path(__file__).resolve().parent.parent / "seeds" / "000_20713228fd6701a2.txt"))
    whole = checks_table(figures)
    checks = checks_table(figures, data_dir=data)
    problems = checks.attrs["reference_problems"]
    assert any(p.startswith("data/reference/vessel_strikes/vessel_strikes.csv: missing")
               for p in problems), problems
    assert any(p.startswith("data/reference/overdose_annual/source.toml: not valid TOML")
               for p in problems), problems
    assert all(str(tmp_path) not in p for p in problems)  # no path of the machine
    # A check that reads the strike list is left out; what needs neither file is as it was:
    # the seed's 73,960 against CDC's 73,690.
    assert "strikes-vs-fatalities" in set(whole["check_id"]) - set(checks["check_id"])
    assert "overdose-decline" in set(checks["check_id"])
    assert (checks["verdict"] == "transposition").any()
    assert whole.attrs["reference_problems"] == ()
