"""The tidying steps of the fetched datasets, on small raw files written here: what they derive,
what they check, and a raw file whose SHA-256 is not the origin record's."""

import csv
import hashlib
import io
import os
import shutil
from pathlib import Path

import pytest

from dashboard import reference
from dashboard.reference import ReferenceError
from dashboard.tidy_reference import RAW_ENV, build_reference, tidy
from dashboard.tidy_reference.fetched import twelve_month_change
from dashboard.tidy_reference.raw import read_raw

DATA = Path(reference.DATA_DIR)
FETCHED = [n for n in reference.names() if "repository" in reference.resource(n)["raw"]]


def spec_of(name: str) -> dict:
    return reference.read_source(DATA / "reference" / name / "source.toml")


def tidy_text(tmp_path: Path, name: str, raw_text: str, spec: dict | None = None) -> list[str]:
    """Tidy `raw_text` as dataset `name` (no SHA check, no stated figures); the CSV's rows as
    lines, each cell quoted only where CSV needs it (the writer quotes every text cell)."""
    spec = spec or spec_of(name)
    spec["stated"] = []
    path = tmp_path / spec["raw"]["file"]
    path.write_text(raw_text, encoding="utf-8", newline="")
    raw = read_raw(path, spec["raw"]["columns"],
                   missing_trailing=spec["raw"].get("missing_trailing"))
    rows = csv.reader(io.StringIO(tidy(spec, raw, name, tmp_path / "source.toml")))
    lines = io.StringIO()
    csv.writer(lines, lineterminator="\n").writerows(rows)
    return lines.getvalue().splitlines()


# -- CPI ---------------------------------------------------------------------------------------

CPI = """Date,Index,Inflation
2021-05-01,269.195,0.8
2021-06-01,271.696,0.93
2022-05-01,292.296,1.1
2022-06-01,296.311,1.37
"""


def test_cpi_keeps_each_index_and_derives_the_12_month_change_as_bls_publishes_it(tmp_path):
    lines = tidy_text(tmp_path, "cpi_us", CPI)
    assert lines[0] == "month,measure,value,unit"
    assert "2022-06,12-month change,9.1,percent" in lines  # BLS: 9.1 percent, June 2022
    assert "2022-05,12-month change,8.6,percent" in lines  # BLS: 8.6 percent, May 2022
    assert "2021-06,index,271.696,dimensionless" in lines
    assert not any(line.startswith("2021-06,12-month") for line in lines)  # no June 2020
    assert len(lines) == 1 + 4 + 2


def test_the_change_rounds_half_up_from_the_published_index():
    assert twelve_month_change("100.05", "100") == 0.1
    assert twelve_month_change("96.311", "100") == -3.7


@pytest.mark.parametrize(("raw_text", "line", "column", "problem"), [
    (CPI.replace("2022-05-01", "2022-05-15"), 4, "Date", "not the first day of a month"),
    (CPI.replace("292.296", "292,296"), 4, None, "cells where the header has"),
    (CPI.replace("292.296", "n/a"), 4, "Index", "'n/a' is not a number"),
    (CPI.replace("2022-05-01", "2021-06-01"), 4, "Date", "given twice"),
])
def test_malformed_cpi_rows_stop_the_tidying_naming_line_and_column(tmp_path, raw_text, line,
                                                                    column, problem):
    with pytest.raises(ReferenceError, match=problem) as caught:
        tidy_text(tmp_path, "cpi_us", raw_text)
    assert (caught.value.line, caught.value.column) == (line, column)


# -- population --------------------------------------------------------------------------------

def population_spec(codes: list[str]) -> dict:
    spec = spec_of("population")
    spec["raw"]["aggregates"]["codes"] = codes
    return spec


POPULATION = """Country Name,Country Code,Year,Value
"Bahamas, The",BHS,2023,401283
"Bahamas, The",BHS,2024,403033
World,WLD,2024,8142056446
"""


def test_population_flags_the_listed_aggregates_and_keeps_country_names(tmp_path):
    lines = tidy_text(tmp_path, "population", POPULATION, population_spec(["WLD"]))
    assert lines == [
        "country_name,country_code,year,value,unit,is_aggregate",
        '"Bahamas, The",BHS,2023,401283,person,false',
        '"Bahamas, The",BHS,2024,403033,person,false',
        "World,WLD,2024,8142056446,person,true",
    ]


@pytest.mark.parametrize(("raw_text", "line", "column", "problem"), [
    (POPULATION.replace("403033", "403,033"), 3, None, "cells where the header has"),
    (POPULATION.replace("403033", "4.03e5"), 3, "Value", "is not an integer"),
    (POPULATION.replace(",BHS,2024", ",BS,2024"), 3, "Country Code", "three-letter code"),
    (POPULATION.replace(",2024,403033", ",2023,403033"), 3, "Year", "given twice"),
    (POPULATION.replace('"Bahamas, The",BHS,2024', "Bahamas,BHS,2024"), 3, "Country Name",
     "is named"),
])
def test_malformed_population_rows_stop_the_tidying(tmp_path, raw_text, line, column, problem):
    with pytest.raises(ReferenceError, match=problem) as caught:
        tidy_text(tmp_path, "population", raw_text, population_spec(["WLD"]))
    assert (caught.value.line, caught.value.column) == (line, column)


def test_an_aggregate_code_missing_from_the_file_stops_the_tidying(tmp_path):
    with pytest.raises(ReferenceError, match="EUU that source.toml lists are not in the file"):
        tidy_text(tmp_path, "population", POPULATION, population_spec(["WLD", "EUU"]))


# -- employment --------------------------------------------------------------------------------

HEADER = ("year,population,labor_force,population_percent,employed_total,employed_percent,"
          "agrictulture_ratio,nonagriculture_ratio,unemployed,unemployed_percent,not_in_labor,"
          "footnotes\n")
EMPLOYMENT = HEADER + """1946,103070,57520,55.8,55250,53.6,8320,46930,2270,3.9,45550,
1947,106018,60168,56.8,57812,54.5,8256,49557,2356,3.9,45850,
1947,101827,59350,58.3,57038,56.0,7890,49148,2311,3.9,42477,
1948,103068,60621,58.8,58343,56.6,7629,50714,2276,3.8,42447,1
1949,103994,61286,58.9,57651,55.4,7658,49993,3637,5.9,42708
"""


def test_employment_is_long_in_persons_with_the_1947_change_of_age_basis(tmp_path):
    lines = tidy_text(tmp_path, "employment_us", EMPLOYMENT)
    assert lines[0] == "year,ages,measure,value,unit,not_strictly_comparable"
    assert len(lines) == 1 + 5 * 8
    assert "1947,14 years and over,labor_force,60168000,person,false" in lines
    assert "1947,16 years and over,labor_force,59350000,person,false" in lines
    assert "1946,14 years and over,unemployment_rate,3.9,percent,false" in lines
    assert "1948,16 years and over,unemployed,2276000,person,true" in lines  # footnote 1
    assert "1949,16 years and over,not_in_labor_force,42708000,person,false" in lines  # short row


@pytest.mark.parametrize(("raw_text", "line", "column", "problem"), [
    (EMPLOYMENT.replace(",2276,3.8,", ",2276,3.8%,"), 5, "unemployed_percent", "not a number"),
    (EMPLOYMENT.replace(",2276,3.8,", ",2,276,3.8,"), 5, None, "cells where the header has"),
    (EMPLOYMENT.replace("1948,", "1950,"), 5, "year", "1950 follows 1947"),
    (EMPLOYMENT.replace(",58343,", ",48343,"), 5, "labor_force", r"is not employed \+ unemployed"),
    (EMPLOYMENT.replace("42447,1", "42447,2"), 5, "footnotes", "the only footnote is 1"),
    (EMPLOYMENT.replace(",5.9,", ",,"), 6, "unemployed_percent", "empty"),
])
def test_malformed_employment_rows_stop_the_tidying(tmp_path, raw_text, line, column, problem):
    with pytest.raises(ReferenceError, match=problem) as caught:
        tidy_text(tmp_path, "employment_us", raw_text)
    assert (caught.value.line, caught.value.column) == (line, column)


def test_employment_without_the_repeated_1947_is_refused(tmp_path):
    raw_text = EMPLOYMENT.replace("1947,106018,60168,56.8,57812,54.5,8256,49557,2356,3.9,45850,\n",
                                  "")
    with pytest.raises(ReferenceError, match="1947 is not given twice"):
        tidy_text(tmp_path, "employment_us", raw_text)


# -- fetched files: where they are found, and their fingerprint --------------------------------

def fetched_layout(tmp_path: Path, name: str, content: bytes) -> Path:
    origin = reference.resource(name)["raw"]
    path = tmp_path / "raw" / origin["repository"] / origin["path"]
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    return tmp_path / "raw"


def test_a_fetched_file_with_another_sha256_stops_the_build_and_writes_nothing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "reference", data / "reference")
    (data / "datapackage.json").write_text("{}", encoding="utf-8")
    raw = fetched_layout(tmp_path, "cpi_us", CPI.encode("utf-8"))
    sha = hashlib.sha256(CPI.encode("utf-8")).hexdigest()
    with pytest.raises(ReferenceError, match=f"sha256 is {sha}, the origin record says ") as caught:
        build_reference(tmp_path / "no-seed-raw", data, fetched_dir=raw)
    assert caught.value.file.endswith(os.path.join("datasets", "cpi-us", "data", "cpiai.csv"))
    assert (data / "datapackage.json").read_text(encoding="utf-8") == "{}"
    assert (reference.table_path("cpi_us", data).read_bytes()
            == reference.table_path("cpi_us").read_bytes())


def test_the_fetched_raw_folder_comes_from_the_environment_too(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA / "reference", data / "reference")
    raw = fetched_layout(tmp_path, "population", b"not the file")
    monkeypatch.setenv(RAW_ENV, str(raw))
    with pytest.raises(ReferenceError, match="sha256 is "):
        build_reference(tmp_path / "no-seed-raw", data)


def test_every_fetched_origin_names_repository_commit_path_and_sha256():
    assert set(FETCHED) == {"cpi_us", "population", "employment_us"}
    for name in FETCHED:
        origin = reference.resource(name)["raw"]
        assert origin["repository"].startswith("datasets/")
        assert len(origin["commit"]) == 40 and len(origin["sha256"]) == 64
        assert origin["path"].endswith(origin["file"])


@pytest.mark.skipif(not os.environ.get(RAW_ENV),
                    reason=f"set {RAW_ENV} to a folder of the fetched raw files")
def test_committed_fetched_tables_are_what_the_build_writes_from_the_raw_files(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "reference", data / "reference")
    for name in FETCHED:
        reference.table_path(name, data).write_bytes(b"stale")
    built = build_reference(tmp_path / "no-seed-raw", data)
    assert {p.parent.name for p in built.written if p.suffix == ".csv"} == set(FETCHED)
    for name in FETCHED:
        assert (reference.table_path(name, data).read_bytes()
                == reference.table_path(name).read_bytes()), f"{name} is stale: run make data"
