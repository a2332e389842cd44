"""dashboard.export: CSV for spreadsheets, publication-size PNG from one long-lived Chromium, and
the "download everything" ZIP with a README that names every file's sources.

The PNG and bundle tests need Debian's Chromium; without it they fail (`make test` installs it),
naming the packages to install.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import struct
import threading
import time
import zipfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import export, reference
from dashboard.checks import checks_table
from dashboard.extract import extract_document, extract_figures
from dashboard.ingest import read_document

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_20713228fd6701a2.txt"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, which must come first."""
    assert data[:8] == PNG_SIGNATURE, data[:16]
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    return struct.unpack(">II", data[16:24])


def small_figure(title: str = "Strikes by week") -> go.Figure:
    return go.Figure(go.Bar(x=["A", "B", "C"], y=[3, 1, 2]), layout={"title": {"text": title}})


@pytest.fixture(scope="module")
def warm_renderer() -> export.PngRenderer:
    """The process's renderer, started once for the module's tests."""
    missing = None
    try:
        export.check_browser(export.browser_path())
    except export.BrowserNotFoundError as err:
        missing = str(err)
    if missing:
        pytest.fail(f"{missing}\n(`make test` installs Debian's chromium and chromium-driver; "
                    "as a user: sudo apt-get install chromium chromium-driver)", pytrace=False)
    return export.renderer()


@pytest.fixture(scope="module")
def seed_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    figures = extract_document(read_document(SEED))
    return figures, checks_table(figures)


# --- CSV -------------------------------------------------------------------------------------

def test_csv_bytes_neutralise_formulas_keep_numbers_and_read_back_equal():
    table = pd.DataFrame({
        "text": pd.array(["=1+1", "25,000 American lives", "“quoted” — dash"], dtype="string"),
        "value": [25000.0, 73690.0, 1.5],
        "count": [21, 83, 2],
    })
    data = export.csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    text = data.decode("utf-8-sig")
    assert text.splitlines()[1].startswith("\"'=1+1\",25000.0,21")
    assert text.endswith("\r\n")
    back = pd.read_csv(io.BytesIO(data))
    assert list(back.columns) == ["text", "value", "count"]
    assert back["text"].tolist() == ["'=1+1", "25,000 American lives", "“quoted” — dash"]
    pd.testing.assert_series_equal(back["value"], table["value"])
    pd.testing.assert_series_equal(back["count"], table["count"])


# --- PNG -------------------------------------------------------------------------------------

def test_browser_path_defaults_to_debian_chromium_and_follows_browser_path(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    assert export.browser_path() == Path("/usr/bin/chromium")
    monkeypatch.setenv("BROWSER_PATH", "/opt/other/chromium")
    assert export.browser_path() == Path("/opt/other/chromium")


def test_a_missing_browser_is_named_with_the_package_to_install(tmp_path):
    renderer = export.PngRenderer(browser=tmp_path / "no-chromium")
    with pytest.raises(export.BrowserNotFoundError, match="apt-get install chromium") as err:
        renderer.render(small_figure())
    assert str(tmp_path / "no-chromium") in str(err.value)
    assert not renderer.running


def test_the_drawing_page_loads_nothing_from_the_network():
    page = export.plotly_page().generate_index()
    assert "http://" not in page and "https://" not in page
    assert "mathjax" not in page.lower()
    assert "plotly.min.js" in page


def test_png_is_publication_size_at_scale_two(warm_renderer):
    data = export.png_bytes(small_figure())
    assert png_size(data) == (2400, 1350)
    assert data.endswith(b"IEND\xaeB`\x82")


def test_later_pngs_reuse_the_one_browser_and_are_fast(warm_renderer):
    pid = warm_renderer.browser_pid
    assert pid is not None
    export.png_bytes(small_figure("first"))
    started = time.perf_counter()
    data = export.png_bytes(small_figure("second"))
    seconds = time.perf_counter() - started
    assert png_size(data) == (2400, 1350)
    assert export.renderer() is warm_renderer
    assert warm_renderer.browser_pid == pid
    assert seconds < 3, f"a warm PNG took {seconds:.2f} s; the browser was not reused"


def test_concurrent_calls_each_get_their_own_image(warm_renderer):
    sizes = [(400, 300), (500, 310), (600, 320), (700, 330)]
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def draw(index: int, width: int, height: int) -> None:
        try:
            results[index] = export.png_bytes(small_figure(f"chart {index}"), width=width,
                                              height=height, scale=1)
        except BaseException as err:  # reported below, in the test's own thread
            errors.append(err)

    threads = [threading.Thread(target=draw, args=(i, w, h)) for i, (w, h) in enumerate(sizes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert {i: png_size(results[i]) for i in results} == dict(enumerate(sizes))
    assert warm_renderer.browser_pid is not None


def test_a_browser_that_died_is_started_again_at_the_next_call(warm_renderer):
    crashed = warm_renderer.browser_pid
    os.killpg(crashed, signal.SIGKILL)  # the browser and its children, as in a crash
    deadline = time.monotonic() + 10
    while warm_renderer.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not warm_renderer.running
    assert png_size(export.png_bytes(small_figure(), scale=1)) == (1200, 675)
    assert export.renderer() is warm_renderer
    assert warm_renderer.browser_pid not in (None, crashed)


# --- the bundle ------------------------------------------------------------------------------

CDC = "Source: CDC National Center for Health Statistics, VSRR release of 2025-09-17"


def two_charts() -> dict[str, tuple[pd.DataFrame, go.Figure]]:
    """One chart whose data has a source column, one whose sources are only in the figure."""
    deaths = pd.DataFrame({"period_end": ["2025-03", "2025-04"], "deaths": [75000, 73690],
                           "source": [CDC, "Article: Al Jazeera, 18 Nov 2025, characters 1-6"]})
    strikes = pd.DataFrame({"region": ["Caribbean", "=Pacific"], "strikes": [12, 9]})
    return {
        "overdose deaths": (deaths, go.Figure(
            go.Scatter(x=deaths["period_end"], y=deaths["deaths"]),
            layout={"title": {"text": "<b>Deaths fell by a third<br>from the peak</b>",
                              "subtitle": {"text": "Deaths in 12 months (people)"}},
                    "annotations": [{"text": CDC, "showarrow": False}]})),
        "strikes/region": (strikes, go.Figure(
            go.Bar(x=strikes["region"], y=strikes["strikes"]),
            layout={"title": {"text": "Strikes by region"},
                    "annotations": [{"text": "Note: a note<br>Source: the strike list,<br>"
                                             "compiled by hand<br>Note: another",
                                     "showarrow": False}]})),
    }


@pytest.fixture(scope="module")
def bundle(warm_renderer, seed_tables) -> zipfile.ZipFile:
    figures, checks = seed_tables
    return zipfile.ZipFile(io.BytesIO(export.bundle_zip(figures, checks, two_charts())))


def used_resources(checks: pd.DataFrame) -> list[dict]:
    """The catalog's resources that the checks read, in the package's order."""
    used = set(checks["dataset"].dropna())
    return [r for r in reference.read_package()["resources"] if r["name"] in used]


def test_bundle_lists_every_file_in_a_fixed_order(bundle, seed_tables):
    resources = [r["path"] for r in used_resources(seed_tables[1])]
    assert resources  # CDC's series and the strike list
    assert bundle.namelist() == [
        "README.md", "figures.csv", "checks.csv",
        "charts/overdose-deaths.csv", "charts/overdose-deaths.png", "charts/overdose-deaths.svg",
        "charts/strikes-region.csv", "charts/strikes-region.png", "charts/strikes-region.svg",
        "data/datapackage.json", *[f"data/{path}" for path in resources],
    ]
    assert {info.date_time for info in bundle.infolist()} == {export.ZIP_DATE}


def test_bundle_readme_names_every_file_and_its_sources(bundle, seed_tables):
    readme = bundle.read("README.md").decode("utf-8")
    for name in bundle.namelist():
        assert f"`{name}`" in readme
    # The text as a Markdown reader shows it (the README escapes Markdown's characters).
    readme = re.sub(r"\\(.)", r"\1", readme)
    assert "Al Jazeera" in readme and "000_20713228fd6701a2" in readme and "2025-11-18" in readme
    png_line = next(line for line in readme.splitlines() if "charts/overdose-deaths.png" in line)
    assert "\u201cDeaths fell by a third from the peak\u201d" in png_line
    assert "Deaths in 12 months (people)" in png_line
    sources = readme.split("`charts/overdose-deaths.csv`")[1].split("\n- ")[0]
    assert CDC in sources
    assert "Article: Al Jazeera, document 000_20713228fd6701a2, published 2025-11-18" in sources
    # Sources read off the figure when the data has none, wrapped lines joined again.
    sources = readme.split("`charts/strikes-region.png`")[1].split("\n- ")[0]
    assert "  - Source: the strike list, compiled by hand" in sources
    assert "Note:" not in sources
    used = {r["name"] for r in used_resources(seed_tables[1])}
    for name in reference.names():
        assert (reference.source_line(name) in readme) == (name in used), name
    assert "https://data.cdc.gov/" in readme
    assert "## How to cite" in readme and "claims-dashboard" in readme


def test_bundle_carries_the_tables_its_checks_read_and_their_datapackage(bundle, seed_tables):
    committed = json.loads((reference.DATA_DIR / reference.PACKAGE_FILE).read_bytes())
    used = used_resources(seed_tables[1])
    assert json.loads(bundle.read("data/datapackage.json")) == {**committed, "resources": used}
    for resource in used:
        path = resource["path"]
        assert bundle.read(f"data/{path}") == (reference.DATA_DIR / path).read_bytes()


def test_an_article_on_another_topic_carries_none_of_the_seeds_charts_or_data(warm_renderer):
    text = ("The district's 14 schools enrolled 2,100 children in 2023, up 5 percent from "
            "2,000 in 2022, the superintendent said.")
    figures = extract_figures(text, published="2024-03-05", document_id="schools",
                              publisher="Town Crier")
    names = [f.path for f in export.bundle_files(figures, checks_table(figures))]
    assert not [n for n in names if "strike" in n or "overdose" in n or "cdc" in n], names
    assert "data/datapackage.json" not in names  # no check read a reference table
    readme = export.bundle_files(figures, checks_table(figures))[0].data.decode("utf-8")
    assert "no check of this article read a reference table" in readme


def test_bundle_csvs_parse_and_match_their_tables(bundle, seed_tables):
    figures, checks = seed_tables
    back = pd.read_csv(io.BytesIO(bundle.read("figures.csv")))
    assert list(back.columns) == list(figures.columns)
    assert len(back) == len(figures)
    assert back["value"].dtype == "float64"
    assert len(pd.read_csv(io.BytesIO(bundle.read("checks.csv")))) == len(checks)
    strikes = pd.read_csv(io.BytesIO(bundle.read("charts/strikes-region.csv")))
    assert strikes["region"].tolist() == ["Caribbean", "'=Pacific"]
    assert strikes["strikes"].tolist() == [12, 9]


def test_bundle_pngs_are_publication_size(bundle):
    for name in ("charts/overdose-deaths.png", "charts/strikes-region.png"):
        assert png_size(bundle.read(name)) == (2400, 1350)


def test_bundle_svgs_are_the_same_charts_as_vectors(bundle):
    svg = bundle.read("charts/strikes-region.svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg") and 'width="1200"' in svg and 'height="675"' in svg
    assert "Strikes by region" in svg and "the strike list" in svg  # title and source inside


def test_download_names_come_from_the_title():
    assert export.download_stem("'Not going to happen': Sheinbaum dismisses Trump threat of "
                                "Mexico strikes", "x") == (
        "not-going-to-happen-sheinbaum-dismisses-trump-threat-of")
    assert export.download_stem("Été à Montréal: 40°C", "x") == "ete-a-montreal-40c"
    assert export.download_stem(None, "upload-0a1b") == "upload-0a1b"
    assert export.download_stem("«»", "doc 1/2") == "doc-1-2"


def test_export_all_writes_the_bundles_files(warm_renderer, seed_tables, tmp_path, bundle):
    figures, checks = seed_tables
    written = export.export_all(tmp_path / "out", figures, checks, two_charts())
    assert [p.relative_to(tmp_path / "out").as_posix() for p in written] == bundle.namelist()
    assert (tmp_path / "out" / "README.md").read_bytes() == bundle.read("README.md")
    assert (tmp_path / "out" / "checks.csv").read_bytes() == bundle.read("checks.csv")


def test_bundle_draws_every_chart_of_the_dashboard_by_default(warm_renderer, seed_tables):
    from dashboard.charts import CHARTS

    figures, checks = seed_tables
    files = {f.path: f for f in export.bundle_files(figures, checks)}
    for name in CHARTS:
        assert png_size(files[f"charts/{name}.png"].data) == (2400, 1350)
        assert files[f"charts/{name}.csv"].sources, f"chart {name} names no source"


def test_the_readme_shows_an_articles_markdown_as_text(seed_tables):
    figures, checks = seed_tables
    figures = figures.assign(publisher="[log in](https://evil.example) <img src=x onerror=1> *Now*")
    files = export.bundle_files(figures, checks, {})
    readme = files[0].data.decode("utf-8")
    article = readme.split("## Article", 1)[1].split("##", 1)[0]
    assert r"\[log in\]\(https://evil.example\) \<img src=x onerror=1\> \*Now\*" in article
    # Nowhere unescaped: not in the heading, the sources of a file or the citation.
    assert not re.search(r"(?<!\\)\[log in|(?<!\\)<img|(?<!\\)\*Now", readme)
