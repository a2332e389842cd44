"""Reference data: the catalog's data package validates, the committed tables are what the build
writes from the raw files, the tables load with their units and agree with the raw files, and broken
copies fail naming the file, the line and the column."""

import csv
import io
import json
import re
import shutil
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from dashboard import reference
from dashboard.reference import ReferenceError
from dashboard.tidy_reference import RAW_DIR, RAW_ENV, build_reference, stated_problems
from dashboard.units import parses

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
README = DATA / "README.md"
needs_raw = pytest.mark.skipif(
    not RAW_DIR.is_dir(), reason="no raw reference data (../shared/reference) beside the clone")
SEED_DATASETS = [n for n in reference.names() if "repository" not in reference.resource(n)["raw"]]

DTYPE_KINDS = {
    "string": "string", "integer": "int64", "year": "int64", "number": "float64",
    "boolean": "bool", "yearmonth": "string",
}


@pytest.fixture(scope="module")
def package() -> dict:
    return reference.read_package()


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: reference.load(name) for name in reference.names()}


def raw_rows(descriptor: dict) -> list[dict[str, str]]:
    with open(RAW_DIR / descriptor["raw"]["file"], newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def squash(text: str) -> str:
    return " ".join(text.split())


# -- the data package ------------------------------------------------------------------------

def test_the_catalogs_data_package_validates_with_frictionless(tmp_path):
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    (tmp_path / "datapackage.json").write_text(reference.package_json(), encoding="utf-8")
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert {task.name for task in report.tasks} == set(reference.names())


def test_the_committed_datapackage_json_is_the_catalogs():
    committed = (DATA / "datapackage.json").read_text(encoding="utf-8")
    assert committed == reference.package_json(), "data/datapackage.json is stale: make data"
    assert json.loads(committed)["resources"][0]["path"].startswith("reference/")


def test_every_resource_states_publisher_release_access_licence_processing_and_sources(package):
    assert package["resources"]
    for descriptor in package["resources"]:
        name = descriptor["name"]
        for key in ("title", "description", "publisher", "credit", "dataset", "processing",
                    "rights"):
            assert descriptor.get(key, "").strip(), (name, key)
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", descriptor["release"]), name
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", descriptor["date_accessed"]), name
        assert descriptor["licenses"], name
        for licence in descriptor["licenses"]:
            assert licence["name"] and licence["title"], name
            assert licence["path"].startswith("https://"), name
        assert descriptor["sources"], name
        for source in descriptor["sources"]:
            assert source["title"].strip(), name
            assert source["path"].startswith(("https://", "http://")), (name, source)


def test_a_compilation_lists_every_url_its_rows_cite_as_a_source(package, tables):
    for descriptor in package["resources"]:
        url_columns = [f["name"] for f in descriptor["schema"]["fields"]
                       if f.get("format") == "uri"]
        table = tables[descriptor["name"]]
        cited = {u for c in url_columns for u in table[c].dropna()}
        assert cited <= {s["path"] for s in descriptor["sources"]}, descriptor["name"]


def test_every_column_has_a_type_a_description_a_source_and_a_line_in_the_readme(package):
    readme = README.read_text(encoding="utf-8")
    for descriptor in package["resources"]:
        assert f"`{descriptor['name']}`" in readme, descriptor["name"]
        for field in descriptor["schema"]["fields"]:
            where = (descriptor["name"], field["name"])
            assert field["type"] in DTYPE_KINDS or field["type"] == "date", where
            assert field["description"].strip() and field["source"].strip(), where
            assert f"`{field['name']}`" in readme, where


def test_every_manual_decision_says_why_and_its_columns_say_they_hold_decisions(package):
    decisions = 0
    for descriptor in package["resources"]:
        sources = {f["name"]: f["source"] for f in descriptor["schema"]["fields"]}
        for decision in descriptor["decisions"]:
            assert decision["why"].strip(), decision
            for column in decision["set"]:
                assert "manual decision" in sources[column], (descriptor["name"], column)
            decisions += 1
    assert decisions >= 7


# -- the committed tables are the build's output -----------------------------------------------

def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ without the generated figures and checks."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("extracted", "checks*"))
    return data


def tables_of(data: Path) -> dict[str, bytes]:
    return {p.relative_to(data).as_posix(): p.read_bytes()
            for p in [data / "datapackage.json", *(data / "reference").glob("*/*.csv")]}


@needs_raw
def test_committed_seed_tables_are_what_the_build_writes_from_the_raw_files_now(tmp_path,
                                                                                  monkeypatch):
    monkeypatch.delenv(RAW_ENV, raising=False)
    data = data_copy(tmp_path)
    for name in SEED_DATASETS:  # the build must write them again, not keep them
        reference.table_path(name, data).write_bytes(b"stale")
    built = build_reference(RAW_DIR, data)
    assert {p.parent.name for p in built.written if p.suffix == ".csv"} == set(SEED_DATASETS)
    assert {name for name, _ in built.kept} == set(reference.names()) - set(SEED_DATASETS)
    committed = tables_of(DATA)
    for name, content in tables_of(data).items():
        assert committed[name] == content, f"data/{name} is stale: run `make data`"


@needs_raw
def test_the_build_writes_the_same_bytes_every_run_with_crlf_rows(tmp_path):
    first = tables_of(data_copy(tmp_path / "a")) | {}
    build_reference(RAW_DIR, tmp_path / "a" / "data")
    build_reference(RAW_DIR, tmp_path / "a" / "data")
    second = tables_of(tmp_path / "a" / "data")
    assert first == second
    for name, content in second.items():
        if name.endswith(".csv"):
            assert content.count(b"\r\n") == content.count(b"\n") > 1, name


def test_without_raw_files_the_build_keeps_every_table_and_says_why(tmp_path, monkeypatch):
    monkeypatch.delenv(RAW_ENV, raising=False)
    data = data_copy(tmp_path)
    built = build_reference(tmp_path / "no-raw", data)
    assert [p.name for p in built.written] == ["datapackage.json"]
    assert {name for name, _ in built.kept} == set(reference.names())
    assert any(RAW_ENV in why for _, why in built.kept)
    assert tables_of(data) == tables_of(DATA)


# -- loading -----------------------------------------------------------------------------------

def test_each_table_loads_with_its_schema_dtypes_and_its_descriptor(package, tables):
    for descriptor in package["resources"]:
        table = tables[descriptor["name"]]
        assert table.attrs["resource"] == reference.resource(descriptor["name"])
        assert table.attrs["resource"]["schema"] == descriptor["schema"]
        assert list(table.columns) == [f["name"] for f in descriptor["schema"]["fields"]]
        for field in descriptor["schema"]["fields"]:
            dtype = str(table[field["name"]].dtype)
            if field["type"] == "date":
                assert pd.api.types.is_datetime64_dtype(table[field["name"]]), field["name"]
            elif field["type"] in ("integer", "year", "boolean"):
                # A column that may be empty comes as pandas' nullable type (Int64, boolean).
                assert dtype.lower().startswith(DTYPE_KINDS[field["type"]]), field["name"]
            else:
                assert dtype == DTYPE_KINDS[field["type"]], field["name"]


def test_every_unit_parses_in_the_projects_registry(package, tables):
    units_seen = set()
    for descriptor in package["resources"]:
        table = tables[descriptor["name"]]
        for field in descriptor["schema"]["fields"]:
            if "unit" in field:
                units_seen.add(field["unit"])
            if "unitField" in field:
                units_seen.update(table[field["unitField"]])
    assert {"person", "vessel", "strike", "percent"} <= units_seen
    assert all(parses(unit) for unit in units_seen)


def test_the_source_line_gives_publisher_title_release_and_url():
    line = reference.source_line("cdc_overdose_12mo")
    descriptor = reference.resource("cdc_overdose_12mo")
    for part in (descriptor["credit"], descriptor["dataset"], descriptor["release"],
                 descriptor["url"]):
        assert part in line
    assert "source URLs in each row" in reference.source_line("vessel_strikes")


def test_an_unknown_dataset_is_refused_naming_the_catalog():
    with pytest.raises(ReferenceError, match=r"reference: no dataset 'nope' \(the catalog has "):
        reference.load("nope")


# -- CDC ---------------------------------------------------------------------------------------

def test_the_cdc_series_has_every_month_of_its_range_for_both_indicators_and_estimates(tables):
    cdc = tables["cdc_overdose_12mo"]
    first, last = re.search(r"(\d{4}-\d{2})_to_(\d{4}-\d{2})",
                            cdc.attrs["resource"]["raw"]["file"]).groups()
    months = pd.period_range(first, last, freq="M").strftime("%Y-%m").tolist()
    assert len(months) == 124
    assert len(cdc) == len(months) * 2 * 2 == 496
    for (_, _), group in cdc.groupby(["indicator", "estimate"]):
        assert sorted(group["period_end"]) == months
    assert set(cdc["unit"]) == {"person"} and set(cdc["period"]) == {"P12M"}


@needs_raw
def test_every_cdc_value_equals_the_raw_extract(tables):
    cdc = tables["cdc_overdose_12mo"].set_index(["period_end", "cdc_indicator", "estimate"])
    raw = raw_rows(cdc.attrs["resource"])
    assert len(raw) * 2 == len(cdc)
    for row in raw:
        for estimate in ("reported", "predicted"):
            got = cdc.loc[(row["period_end"], row["indicator"], estimate), "value"]
            assert got == int(row[f"{estimate}_value"]), (row["period_end"], estimate)
    # The seed article's month: the figure the claim checks will quote.
    april_2025 = next(r for r in raw if r["period_end"] == "2025-04"
                      and r["indicator"] == "Number of Drug Overdose Deaths")
    reported = tables["cdc_overdose_12mo"].query(
        "period_end == '2025-04' and indicator == 'all drugs' and estimate == 'reported'")
    assert reported["value"].tolist() == [int(april_2025["reported_value"])]


def test_every_figure_the_raw_readme_states_holds_in_the_loaded_tables(package, tables):
    checked = 0
    for descriptor in package["resources"]:
        for stated in descriptor["stated"]:
            assert stated_problems(tables[descriptor["name"]], stated) == [], stated["quote"]
            checked += 1
    assert checked >= 7


@needs_raw
def test_each_stated_figure_of_the_seeds_data_is_quoted_from_the_raw_readme(package):
    readme = squash((RAW_DIR / "README.md").read_text(encoding="utf-8"))
    for descriptor in package["resources"]:
        if descriptor["name"] not in SEED_DATASETS:
            assert all(s["source"].strip() for s in descriptor["stated"]), descriptor["name"]
            continue
        for stated in descriptor["stated"]:
            assert squash(stated["quote"]) in readme, stated["quote"]


# -- strikes and tallies -----------------------------------------------------------------------

def test_strike_totals_are_the_raw_readmes_and_reconcile_the_82_and_the_83(tables):
    strikes = tables["vessel_strikes"]
    stated = {}
    for entry in strikes.attrs["resource"]["stated"]:
        stated.update(entry.get("sums", {}))
        if "rows" in entry:
            assert len(strikes) == entry["rows"] == 18
    totals = {column: int(strikes[column].sum()) for column in stated}
    assert totals == stated == {"n_strikes": 21, "n_vessels": 22, "killed": 82, "survivors": 3,
                                "presumed_dead": 1}
    assert strikes["event_id"].is_unique and strikes["strike_date"].is_monotonic_increasing
    # The outlets' tallies after the last strike was announced are the 82 and the 83.
    tallies = tables["strike_running_totals"]
    last = strikes["announced_date"].max()
    final = tallies[(tallies["as_of"] >= last) & (tallies["measure"] == "killed")]
    assert set(final["value"]) == {totals["killed"], totals["killed"] + totals["presumed_dead"]}


def test_the_presumed_dead_survivor_and_the_uncertain_dates_are_the_documented_rows(tables):
    strikes = tables["vessel_strikes"].set_index("event_id")
    decided = strikes.attrs["resource"]["decisions"]
    for column in ("presumed_dead", "date_uncertain", "region_uncertain"):
        marked = {d["where"]["event_id"] for d in decided if column in d["set"]}
        assert set(strikes.index[strikes[column].astype(bool)]) == marked, column
    survivor = strikes.loc[strikes["presumed_dead"] == 1]
    assert survivor["strike_date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-10-27"]
    assert (survivor["survivors"] >= survivor["presumed_dead"]).all()
    assert (strikes["strike_date"] <= strikes["announced_date"]).all()
    assert strikes.loc[strikes["date_uncertain"], "date_note"].notna().all()


def test_the_unconfirmed_4_october_strike_is_left_out_and_says_why(tables):
    strikes = tables["vessel_strikes"]
    assert "2025-10-04" not in set(strikes["strike_date"].dt.strftime("%Y-%m-%d"))
    excluded = strikes.attrs["resource"]["excluded"]
    assert [e["what"] for e in excluded if "2025-10-04" in e["what"]]
    assert all(e["why"].strip() and e["source"].startswith("https://") for e in excluded)


@needs_raw
def test_running_totals_hold_one_row_per_stated_count_of_the_raw_file(tables):
    tallies = tables["strike_running_totals"]
    raw = raw_rows(tallies.attrs["resource"])
    expected = {(row["reporter"], measure, int(row[measure])) for row in raw
                for measure in ("strikes", "vessels", "killed", "survivors") if row[measure]}
    assert len(tallies) == len(expected) == 29
    assert set(zip(tallies["reporter"], tallies["measure"], tallies["value"],
                   strict=True)) == expected
    units = dict(zip(tallies["measure"], tallies["unit"], strict=True))
    assert units == {"strikes": "strike", "vessels": "vessel", "killed": "person",
                     "survivors": "person"}


def test_the_undated_tally_is_dated_the_day_the_last_strike_it_counts_was_announced(tables):
    tallies = tables["strike_running_totals"]
    undated = tallies[tallies["as_of_basis"] == "earliest possible"]
    assert len(undated) and undated["reporter"].nunique() == 1
    last_announced = tables["vessel_strikes"]["announced_date"].max()
    assert set(undated["as_of"]) == {last_announced}


# -- annual figures and claims -----------------------------------------------------------------

def test_annual_rows_say_final_or_provisional_and_the_2024_note_agrees_with_the_cdc_series(
        tables):
    annual = tables["overdose_annual"]
    assert len(annual) == 5 and set(annual["unit"]) == {"person"}
    assert set(annual["status"]) == {"final", "provisional"}
    note = annual.loc[annual["year"] == 2024, "note"].item()
    reported, predicted = map(int, re.search(r"(\d+) reported / (\d+) predicted", note).groups())
    cdc = tables["cdc_overdose_12mo"].query("period_end == '2024-12' and indicator == 'all drugs'")
    assert dict(zip(cdc["estimate"], cdc["value"], strict=True)) == {
        "reported": reported, "predicted": predicted}


def test_claims_flag_the_weak_reprint_site_the_raw_readme_mentions(tables):
    claims = tables["claims_25000"]
    assert claims["claim_id"].tolist() == [f"claim-{n:02d}" for n in range(1, len(claims) + 1)]
    reprint = claims["date_note"].str.contains("reprint site", na=False)
    assert reprint.sum() == 1
    assert (claims.loc[reprint, "source_quality"] == "weak reprint").all()
    assert (claims.loc[~reprint, "source_quality"] != "weak reprint").all()
    assert claims["quote"].str.contains("25").all()


# -- broken copies -----------------------------------------------------------------------------

def copy_with(tmp_path: Path, name: str, edit) -> tuple[Path, Path]:
    """A copy of data/ whose table `name` went through `edit(rows)`; returns (data dir, file)."""
    data = data_copy(tmp_path)
    path = reference.table_path(name, data)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return data, path


def set_cell(rows: list[list[str]], line: int, column: str, value: str) -> None:
    rows[line - 1][rows[0].index(column)] = value


def drop_column(rows: list[list[str]], column: str) -> None:
    at = rows[0].index(column)
    for row in rows:
        del row[at]


BROKEN = {
    "missing column": ("vessel_strikes", lambda rows: drop_column(rows, "killed"), 1, "killed"),
    "text in a number column": (
        "cdc_overdose_12mo", lambda rows: set_cell(rows, 40, "value", "about 50,000"), 40,
        "value"),
    "text in a count of people": (
        "vessel_strikes", lambda rows: set_cell(rows, 12, "killed", "14 (Hegseth)"), 12, "killed"),
    "unknown unit": (
        "strike_running_totals", lambda rows: set_cell(rows, 5, "unit", "souls"), 5, "unit"),
    "unit outside the column's units": (
        "cdc_overdose_12mo", lambda rows: set_cell(rows, 7, "unit", "vessel"), 7, "unit"),
    "duplicate key": (
        "vessel_strikes", lambda rows: set_cell(rows, 4, "event_id", "2"), 4,
        "event_id"),
    "duplicate composite key": (
        "cdc_overdose_12mo", lambda rows: set_cell(rows, 3, "estimate", "reported"), 3,
        "period_end, indicator, estimate"),
    "malformed date": (
        "vessel_strikes", lambda rows: set_cell(rows, 9, "strike_date", "21 Oct 2025"), 9,
        "strike_date"),
    "impossible date": (
        "strike_running_totals", lambda rows: set_cell(rows, 6, "as_of", "2025-11-31"), 6,
        "as_of"),
    "malformed year-month": (
        "cdc_overdose_12mo", lambda rows: set_cell(rows, 10, "period_end", "2015-5"), 10,
        "period_end"),
    "empty required cell": (
        "claims_25000", lambda rows: set_cell(rows, 4, "source_quality", ""), 4,
        "source_quality"),
    "value outside the column's values": (
        "claims_25000", lambda rows: set_cell(rows, 2, "source_quality", "solid"), 2,
        "source_quality"),
    "not a boolean": (
        "vessel_strikes", lambda rows: set_cell(rows, 11, "date_uncertain", "maybe"), 11,
        "date_uncertain"),
    "extra column": (
        "overdose_annual", lambda rows: [row.append("x") for row in rows], 1, "x"),
}


@pytest.mark.parametrize("case", BROKEN, ids=str)
def test_a_broken_copy_fails_naming_the_file_the_line_and_the_column(tmp_path, case):
    name, edit, line, column = BROKEN[case]
    data, path = copy_with(tmp_path, name, edit)
    with pytest.raises(ReferenceError) as caught:
        reference.load(name, data)
    err = caught.value
    assert (err.file, err.line, err.column) == (str(path), line, column)
    message = str(err)
    assert str(path) in message and f"line {line}" in message and f"'{column}'" in message


def test_a_row_error_names_the_rows_key_too(tmp_path):
    data, _ = copy_with(tmp_path, "vessel_strikes",
                        lambda rows: set_cell(rows, 12, "survivors", "one"))
    with pytest.raises(ReferenceError, match=r"line 12, event_id=11, column 'survivors'"):
        reference.load("vessel_strikes", data)


def test_an_intact_copy_loads(tmp_path):
    data, _ = copy_with(tmp_path, "vessel_strikes", lambda rows: None)
    assert reference.load("vessel_strikes", data).equals(reference.load("vessel_strikes"))


def test_a_missing_table_says_to_run_make_data(tmp_path):
    data, path = copy_with(tmp_path, "overdose_annual", lambda rows: None)
    path.unlink()
    with pytest.raises(ReferenceError, match=r"overdose_annual\.csv.*run `make data`"):
        reference.load("overdose_annual", data)


# -- broken raw files stop the build -----------------------------------------------------------

def raw_copy(tmp_path: Path) -> Path:
    """A writable copy of the raw folder (the shared one is read-only)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in RAW_DIR.iterdir():
        (raw / path.name).write_bytes(path.read_bytes())
    return raw


def raw_copy_with(tmp_path: Path, raw_file: str, old: str, new: str) -> Path:
    raw = raw_copy(tmp_path)
    path = raw / raw_file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")
    return raw


@needs_raw
def test_a_raw_file_with_text_in_a_count_stops_the_build_naming_file_line_and_column(tmp_path):
    raw_file = reference.resource("vessel_strikes")["raw"]["file"]
    raw = raw_copy_with(tmp_path, raw_file, ",1,1,11,0,", ",1,1,eleven,0,")
    data = data_copy(tmp_path)
    with pytest.raises(ReferenceError) as caught:
        build_reference(raw, data)
    assert caught.value.file.endswith(raw_file)
    assert (caught.value.line, caught.value.column) == (2, "killed")
    assert tables_of(data) == tables_of(DATA)  # nothing written


@needs_raw
def test_a_missing_raw_file_keeps_the_committed_table_and_says_so(tmp_path):
    raw = raw_copy(tmp_path)
    raw_file = reference.resource("claims_25000")["raw"]["file"]
    (raw / raw_file).unlink()
    built = build_reference(raw, data_copy(tmp_path))
    assert ("claims_25000", f"{raw / raw_file} not found") in built.kept


@needs_raw
def test_a_raw_figure_that_disagrees_with_the_raw_readme_stops_the_build(tmp_path):
    raw_file = reference.resource("cdc_overdose_12mo")["raw"]["file"]
    raw = raw_copy_with(tmp_path, raw_file, ",73690,", ",73960,")
    with pytest.raises(ReferenceError, match="73,690 reported"):
        build_reference(raw, data_copy(tmp_path))


@needs_raw
def test_a_decision_that_matches_no_row_stops_the_build_naming_source_toml(tmp_path):
    data = data_copy(tmp_path)
    source = data / "reference" / "vessel_strikes" / "source.toml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("where = { event_id = 11 }", "where = { event_id = 99 }"),
                      encoding="utf-8")
    with pytest.raises(ReferenceError, match=r"vessel_strikes/source\.toml.*matches no row"):
        build_reference(RAW_DIR, data)
