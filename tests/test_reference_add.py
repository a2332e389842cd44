"""`python -m dashboard reference add`: a user's table and source.toml checked and added to the
catalog, every problem one line naming file, line and column, and nothing written on an error."""

import re
import shutil
from pathlib import Path

import pytest

from dashboard import cli, reference
from dashboard.reference_add import add_dataset

DATA = Path(reference.DATA_DIR)

TABLE = """year,city,measure,value,unit,status
2022,Springfield,homicides,41,person,final
2023,Springfield,homicides,35,person,final
2024,Springfield,homicides,29,person,preliminary
"""
SOURCE = '''title = "Homicides in Springfield, 2022-2024"
description = "Homicides recorded by the Springfield Police Department in each calendar year."
publisher = "Springfield Police Department"
credit = "Springfield PD"
dataset = "Annual crime statistics"
release = "2025-02-01"
url = "https://example.org/springfield/crime-statistics"
date_accessed = "2025-03-01"
licenses = [{ name = "other-pd", title = "Public records", path = "https://example.org/terms" }]
primaryKey = ["year", "city", "measure"]

[[fields]]
name = "year"
type = "year"

[[fields]]
name = "city"
type = "string"

[[fields]]
name = "measure"
type = "string"

[[fields]]
name = "value"
type = "integer"
unitField = "unit"

[[fields]]
name = "unit"
type = "string"

[[fields]]
name = "status"
type = "string"

[[series]]
id = "springfield_homicides"
title = "Homicides in Springfield per calendar year"
measure = ["homicides", "murders"]
unit = "person"
geography_column = "city"
period = "calendar year"
date_column = "year"
where = { measure = "homicides" }
estimate_column = "status"
primary_estimate = "final"
estimates = { final = "final count", preliminary = "preliminary count" }
precision = 1
cited_as = ["police"]
'''


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """A copy of the repository's catalog in tmp_path/data/reference."""
    folder = tmp_path / "data" / "reference"
    shutil.copytree(DATA / "reference", folder)
    return folder


def files(tmp_path: Path, table: str = TABLE, source: str = SOURCE) -> tuple[Path, Path]:
    (tmp_path / "in").mkdir(exist_ok=True)
    table_path = tmp_path / "in" / "springfield_homicides.csv"
    source_path = tmp_path / "in" / "source.toml"
    table_path.write_text(table, encoding="utf-8")
    source_path.write_text(source, encoding="utf-8")
    return table_path, source_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_added_dataset_joins_the_catalog_and_loads_with_no_code_change(tmp_path, catalog,
                                                                         capsys):
    table, source = files(tmp_path)
    status = cli.main(["reference", "add", str(table), "--source", str(source),
                       "--catalog", str(catalog)])
    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith("added springfield_homicides: 3 rows, series springfield_homicides")
    data = catalog.parent
    assert "springfield_homicides" in reference.names(data)
    series = next(s for d in reference.catalog(data) for s in d["series"]
                  if s["id"] == "springfield_homicides")
    assert series["dataset"] == "springfield_homicides" and series["undated"] == "none"
    loaded = reference.load("springfield_homicides", data)
    assert loaded["value"].tolist() == [41, 35, 29]
    assert reference.source_line("springfield_homicides", data).startswith(
        "Source: Springfield PD, \u201cAnnual crime statistics\u201d, release of 2025-02-01")
    assert sorted(p.name for p in catalog.iterdir() if p.name.startswith(".")) == []
    cli.main(["reference", "list", "--catalog", str(catalog)])
    listing = capsys.readouterr().out.splitlines()
    assert any(line.startswith("springfield_homicides: Homicides in Springfield")
               for line in listing)
    assert "  springfield_homicides: Homicides in Springfield per calendar year " \
           "[person, calendar year, by city]" in listing


def test_the_name_can_be_given_and_a_datapackage_beside_the_catalog_is_refreshed(tmp_path,
                                                                                 catalog):
    (catalog.parent / "datapackage.json").write_text("{}", encoding="utf-8")
    table, source = files(tmp_path)
    added = add_dataset(table, source, name="homicides", catalog=catalog)
    assert added.name == "homicides" and added.rows == 3
    assert (catalog / "homicides" / "homicides.csv").read_text(encoding="utf-8") == TABLE
    assert '"reference/homicides/homicides.csv"' in (
        catalog.parent / "datapackage.json").read_text(encoding="utf-8")


def test_an_existing_name_is_refused_unless_replaced(tmp_path, catalog, capsys):
    table, source = files(tmp_path)
    add_dataset(table, source, catalog=catalog)
    before = snapshot(catalog)
    status = cli.main(["reference", "add", str(table), "--source", str(source),
                       "--catalog", str(catalog)])
    err = capsys.readouterr().err
    assert status == 2 and "exists already" in err and "--replace" in err
    assert snapshot(catalog) == before
    files(tmp_path, TABLE.replace(",29,", ",30,"))
    assert cli.main(["reference", "add", str(table), "--source", str(source), "--catalog",
                     str(catalog), "--replace"]) == 0
    assert reference.load("springfield_homicides", catalog.parent)["value"].tolist()[-1] == 30
    assert not [p for p in catalog.iterdir() if p.name.startswith(".")]


BROKEN = {
    "bad TOML": ({"source": SOURCE.replace('credit = "Springfield PD"', 'credit = Springfield')},
                 r"source\.toml: not valid TOML \(.*line 4"),
    "missing publisher": ({"source": SOURCE.replace('publisher = "Springfield Police Department"\n',
                                                    "")},
                          r"source\.toml: the origin record lacks 'publisher'"),
    "missing url": ({"source": SOURCE.replace('url = "https://example.org/springfield/crime-'
                                              'statistics"\n', "")},
                    r"source\.toml: the origin record lacks 'url'"),
    "missing licence": ({"source": SOURCE.replace("licenses = [", "licences = [")},
                        r"source\.toml: the origin record lacks 'licenses'"),
    "missing release": ({"source": SOURCE.replace('release = "2025-02-01"\n', "")},
                        r"source\.toml: the origin record lacks 'release'"),
    "unknown field type": ({"source": SOURCE.replace('type = "integer"', 'type = "int"')},
                           r"source\.toml, column 'value': type 'int' is not one of"),
    "unit pint cannot parse": ({"source": SOURCE.replace('unit = "person"', 'unit = "bodies"')},
                               r"series 'springfield_homicides': unit 'bodies' does not parse"),
    "cell not of its type": ({"table": TABLE.replace(",35,", ",thirty-five,")},
                             r"springfield_homicides\.csv, line 3, year=2023, city=Springfield, "
                             r"measure=homicides, column 'value': 'thirty-five' is not an integer"),
    "repeated primary key": ({"table": TABLE.replace("2024,", "2023,")},
                             r"\.csv, line 4, .*column 'year, city, measure': primary key"),
    "series naming a missing column": (
        {"source": SOURCE.replace('date_column = "year"', 'date_column = "yr"')},
        r"source\.toml, column 'yr': series 'springfield_homicides': date_column names a column"),
    "unknown unit in a row": ({"table": TABLE.replace("35,person", "35,corpse")},
                              r"line 3, .*column 'unit': unknown unit 'corpse'"),
    "series unit against the rows": (
        {"source": SOURCE.replace('unit = "person"\ngeography', 'unit = "percent"\ngeography')},
        r"series 'springfield_homicides': unit 'percent' where its rows say person"),
    "missing column": ({"table": TABLE.replace(",status", "").replace(",final", "")
                        .replace(",preliminary", "")},
                       r"\.csv, line 1, column 'status': missing column"),
    "series id taken": ({"source": SOURCE.replace('id = "springfield_homicides"',
                                                  'id = "population"')},
                        r"series 'population': the id is taken by dataset 'population'"),
}


@pytest.mark.parametrize("case", BROKEN, ids=str)
def test_a_broken_table_or_source_is_one_line_exit_2_and_writes_nothing(tmp_path, catalog,
                                                                        capsys, case):
    change, message = BROKEN[case]
    table, source = files(tmp_path, change.get("table", TABLE), change.get("source", SOURCE))
    before = snapshot(catalog)
    status = cli.main(["reference", "add", str(table), "--source", str(source),
                       "--catalog", str(catalog)])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("error: ")
    assert re.search(message, captured.err), captured.err
    assert snapshot(catalog) == before


def test_a_missing_table_file_is_named(tmp_path, catalog, capsys):
    _, source = files(tmp_path)
    status = cli.main(["reference", "add", str(tmp_path / "absent.csv"), "--source",
                       str(source), "--catalog", str(catalog)])
    assert status == 2 and "absent.csv: table not found" in capsys.readouterr().err


def test_a_bad_name_is_refused(tmp_path, catalog):
    table, source = files(tmp_path)
    with pytest.raises(reference.ReferenceError, match="must be lower-case letters"):
        add_dataset(table, source, name="Springfield Homicides", catalog=catalog)


def test_a_failed_rename_leaves_the_catalog_as_it_was(tmp_path, catalog, monkeypatch):
    table, source = files(tmp_path)
    before = snapshot(catalog)

    def refuse(*args):
        raise OSError("disk full")

    monkeypatch.setattr("dashboard.reference_add.os.replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        add_dataset(table, source, catalog=catalog)
    assert snapshot(catalog) == before
    assert not [p for p in catalog.iterdir() if p.name.startswith(".")]
