"""The dashboard in headless Chromium (dash[testing]): views, charts, selection, downloads, uploads.

One server, started from the app factory, and one browser serve the whole module. Every test ends
by asserting that the browser console logged no error. What the page shows is compared with the
same tables computed here in Python. Chromium and ChromeDriver come from Debian (see conftest.py);
without them these tests fail, naming the packages.
"""

from __future__ import annotations

import base64
import csv
import datetime
import html
import io
import json
import re
import struct
import zlib
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from dash.testing.wait import until
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from served_app import served_app

from dashboard import charts, store
from dashboard.app import analysis, download_stem
from dashboard.app.views import upload as upload_view
from dashboard.checks import checks_table
from dashboard.extract import extract_document
from dashboard.ingest import document_from_text, read_document

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_20713228fd6701a2.txt"
SEED_ID = "000_20713228fd6701a2"
SEED_SERIES = "series:overdose_deaths_12mo"
CHART_VIEWS = {  # view -> (its tab's label, the charts it shows for the seed)
    "series": ("Against the data", [SEED_SERIES]),
    "claim": ("Claim against data", ["claim"]),
    "strikes": ("Strikes and fatalities", ["strikes", "strikes_by_region"]),
    "timeline": ("Timeline", ["timeline"]),
    "speakers": ("Who said what", ["speakers"]),
}
PUBLISHED = "2025-11-20"
# A pasted article whose first sentence a spreadsheet would run as a formula.
FORMULA_ARTICLE = (
    "Flood damage in Riverton\n\n"
    '=HYPERLINK("https://example.com/report","Read the report") The mayor said 40 homes were '
    "destroyed on Monday.\n\n"
    "Officials counted 120 volunteers and 3 rescue boats, the council said.\n"
)
# An uploaded article: other figures than the seed's.
HARBOUR_ARTICLE = (
    "Harbour traffic at a record\n\n"
    "The port authority said 1,250 ships docked in October, up from 1,100 a year earlier.\n\n"
    '"It was a record month," harbour master Ana Ruiz told reporters on Monday.\n'
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# selenium 4.2 (pinned by dash[testing]) calls a urllib3 method that urllib3 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning")


# -- fixtures -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dash_duo(request, tmp_path_factory):
    """One app from the factory and one headless Chromium, for the module."""
    with served_app(request, tmp_path_factory) as duo:
        yield duo


@pytest.fixture(autouse=True)
def fresh_console(dash_duo):
    """Each test reads only what the console logged during it."""
    dash_duo.reset_log_timestamp()


@pytest.fixture(scope="module")
def seed():
    """The seed's figures, checks and charts, computed here as the app would."""
    figures = extract_document(read_document(SEED))
    checks = checks_table(figures)
    return figures, charts.build_all(figures, checks)


# -- helpers --------------------------------------------------------------------------------
def console_errors(duo) -> list[dict]:
    """The severe entries the browser console logged since the test began."""
    return duo.get_logs()


def visit(duo, query: str = "") -> None:
    duo.wait_for_page(f"{duo.server.url}/{query}")


def query_of(duo) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(duo.driver.current_url).query).items()}


def by_id(**parts) -> str:
    """CSS selector of a component with a dict id (Dash writes it as sorted, compact JSON)."""
    return f"[id='{json.dumps(parts, sort_keys=True, separators=(',', ':'))}']"


def title_lines(text: str) -> list[str]:
    """A plotly title as the lines it is drawn in: <br> splits, tags go, entities are decoded."""
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", part)).split())
            for part in re.split(r"<br\s*/?>", text or "")]


def drawn_title(duo, chart: str) -> list[str]:
    """The lines of the title drawn in the SVG of chart `chart` (empty until it is drawn)."""
    return duo.driver.execute_script(
        """const title = document.querySelector(arguments[0] + ' .gtitle');
        if (!title) { return []; }
        const lines = Array.from(title.querySelectorAll('tspan.line'));
        return (lines.length ? lines : [title]).map(t => t.textContent.trim());""",
        by_id(type="chart", chart=chart))


def wait_for_title(duo, chart: str, expected: list[str]) -> None:
    until(lambda: drawn_title(duo, chart) == expected, timeout=20,
          msg=f"chart {chart}: drawn title {drawn_title(duo, chart)} is not {expected}")


def click_tab(duo, label: str) -> None:
    duo.driver.find_element(
        By.XPATH, f"//*[@id='view']//*[normalize-space(text())='{label}']").click()


def grid_ids(duo) -> list[str] | None:
    """The figure ids of the grid's loaded rows, in their order (None until the grid is ready
    and no block of rows is still on its way from the server)."""
    return duo.driver.execute_script(
        """try {
            const api = dash_ag_grid.getApi('figures-grid');
            const ids = [];
            let loading = false;
            api.forEachNode(node => {
                if (node.data) { ids.push(node.data.figure_id); } else { loading = true; }
            });
            return loading ? null : ids;
        } catch (error) { return null; }""")


def selected_ids(duo) -> list[str]:
    return duo.driver.execute_script(
        "return dash_ag_grid.getApi('figures-grid').getSelectedRows().map(r => r.figure_id);")


def wait_for_grid(duo, ids: list[str]) -> None:
    until(lambda: grid_ids(duo) == ids, timeout=20,
          msg=f"grid rows {grid_ids(duo)} are not {ids}")


def click_row(duo, figure_id: str) -> None:
    duo.driver.execute_script(
        """const api = dash_ag_grid.getApi('figures-grid');
        api.ensureNodeVisible(api.getRowNode(arguments[0]), 'middle');""", figure_id)
    duo.wait_for_element(f'#figures-grid .ag-row[row-id="{figure_id}"] [col-id="surface"]'
                         ).click()


def click_uncovered(duo, selector: str) -> None:
    """Scroll to the element and click it once nothing lies over its centre, as a user would:
    while a chart is being drawn, its SVG may stand over the buttons under it for a moment."""
    element = duo.find_element(selector)
    uncovered = """const element = arguments[0];
        element.scrollIntoView({block: 'center'});
        const box = element.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return element.contains(hit);"""
    until(lambda: duo.driver.execute_script(uncovered, element), timeout=10,
          msg=f"{selector} stays covered by another element")
    element.click()


def download(duo, name: str, button: str) -> bytes:
    """Click `button` and return the bytes of the file `name` it downloads."""
    path = Path(duo.download_path) / name
    path.unlink(missing_ok=True)  # else Chromium would save "name (1)"
    click_uncovered(duo, button)
    until(path.exists, timeout=30, msg=f"{name} was not downloaded")
    return path.read_bytes()


def set_published(duo, date: str) -> None:
    field = duo.wait_for_element("#upload-published")
    field.send_keys(date, Keys.TAB)
    until(lambda: field.get_attribute("value") == date, timeout=5)


def uploaded_key(duo) -> str:
    """Wait until an upload has moved the page to the figures view of a stored article."""
    until(lambda: query_of(duo).get("view") == "figures"
          and query_of(duo).get("article", "seed") != "seed", timeout=20,
          msg=f"the URL {duo.driver.current_url} names no uploaded article")
    return query_of(duo)["article"]


def paste_article(duo, text: str) -> str:
    """Paste `text` with its date in the upload view, as a reader would; its key."""
    visit(duo, "?article=seed&view=upload")
    set_published(duo, PUBLISHED)
    duo.find_element("#paste-text").send_keys(text)
    duo.find_element("#paste-submit").click()
    return uploaded_key(duo)


def upload_harbour(duo, tmp_path) -> str:
    """Upload HARBOUR_ARTICLE as a file with its date, as a reader would; its key."""
    article = tmp_path / "harbour.txt"
    article.write_text(HARBOUR_ARTICLE, encoding="utf-8")
    visit(duo, "?article=seed&view=upload")
    # The seed's article has been read (the grid, hidden behind the upload view, is not waited
    # for: in a full run it sometimes never receives its first block while hidden).
    duo.wait_for_contains_text("#article-heading", "Al Jazeera")
    set_published(duo, PUBLISHED)
    duo.find_element("#upload-file input[type=file]").send_keys(str(article))
    return uploaded_key(duo)


def stem_of(key: str) -> str:
    """What the app names an article's downloads: from its title (the seed's:
    "not-going-to-happen-sheinbaum-..."), else its document id."""
    return download_stem(analysis(key))


def as_stored(text: str, published: str, filename: str | None = None) -> tuple[str, pd.DataFrame]:
    """The key an article is stored under and its figures table, as the app computes them. The
    key covers the text and all its metadata, so a file (`filename`) and a paste differ."""
    if filename:
        encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
        document = upload_view.uploaded_document(f"data:text/plain;base64,{encoded}", filename,
                                                 published)
    else:
        document = upload_view.pasted_document(text, published)
    key = store.key_for(store.StoredArticle(
        text=document.text, published=published, name=document.document_id,
        format=document.format, publisher=document.publisher, title=document.title))
    figures = extract_document(document_from_text(document.text, document_id=f"upload-{key}",
                                                  published=published))
    return key, figures


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a PNG, each CRC checked."""
    assert data[:8] == PNG_SIGNATURE, data[:16]
    chunks, position = [], 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in chunk {kind!r}"
        chunks.append((kind, body))
        position += 12 + length
    return chunks


# -- tests ----------------------------------------------------------------------------------
def test_the_seed_opens_on_its_verdicts_what_differs_first(dash_duo, seed):
    visit(dash_duo)
    dash_duo.wait_for_contains_text("#article-heading", "Al Jazeera · 2025-11-18")
    dash_duo.wait_for_element("#verdicts-panel li.verdict")
    shown = [v.get_attribute("id") for v in dash_duo.find_elements("main .view")
             if v.is_displayed()]
    assert shown == ["view-verdicts"]
    first = dash_duo.find_elements("#verdicts-panel li.verdict")[0]
    assert first.find_element(By.CSS_SELECTOR, ".badge").text == "transposition"
    assert "73,960" in first.text
    tabs = [t.text for t in dash_duo.find_elements("#view .tab")]
    assert tabs == ["Verdicts", "Against the data", "Claim against data",
                    "Strikes and fatalities", "Timeline", "Who said what",
                    "Figures and article", "Checks",
                    "Another article"]
    assert console_errors(dash_duo) == []


def test_a_verdict_shows_its_figure_in_the_article(dash_duo, seed):
    figures = seed[0]
    visit(dash_duo)
    first = dash_duo.wait_for_element("#verdicts-panel li.verdict")
    first.find_element(By.CSS_SELECTOR, "summary").click()
    first.find_element(By.LINK_TEXT, "Show it in the article").click()
    (deaths,) = figures.loc[figures["surface"] == "73,960", "figure_id"]
    until(lambda: query_of(dash_duo) == {"article": "seed", "view": "figures",
                                         "figure": deaths}, timeout=10)
    until(lambda: [m.text for m in dash_duo.find_elements("#article-text mark.selected")]
          == ["73,960"], timeout=10, msg="the verdict's figure is not highlighted")
    assert console_errors(dash_duo) == []


def test_an_article_on_another_topic_gets_only_its_own_views(dash_duo, tmp_path):
    key, _ = as_stored(HARBOUR_ARTICLE, PUBLISHED, "harbour.txt")
    assert upload_harbour(dash_duo, tmp_path) == key
    until(lambda: "Strikes and fatalities" not in dash_duo.find_element("#view").text,
          timeout=10, msg="the seed's strike view is offered for an article about a harbour")
    tabs = [t.text for t in dash_duo.find_elements("#view .tab")]
    assert "Against the data" not in tabs and "Verdicts" in tabs
    # A link to a view this article has no chart for opens its verdicts instead.
    visit(dash_duo, f"?article={key}&view=strikes")
    until(lambda: dash_duo.find_element("#view-verdicts").is_displayed(), timeout=10)
    assert not dash_duo.find_element("#view-strikes").is_displayed()
    assert console_errors(dash_duo) == []


def test_every_chart_is_drawn_with_the_title_of_its_figure(dash_duo, seed):
    built = seed[1]
    visit(dash_duo, "?article=seed&view=figures")
    drawn = []
    for view, (label, names) in CHART_VIEWS.items():
        click_tab(dash_duo, label)
        until(lambda view=view: query_of(dash_duo).get("view") == view, timeout=10)
        for name in names:
            wait_for_title(dash_duo, name, title_lines(built[name][1].layout.title.text))
            traces = dash_duo.find_elements(f"{by_id(type='chart', chart=name)} g.trace")
            assert traces, f"chart {name} has a title but no trace drawn"
            drawn.append(name)
    assert sorted(drawn) == sorted(built)
    assert console_errors(dash_duo) == []


def test_the_grid_shows_each_figures_verdict_and_a_readable_value(dash_duo, seed):
    figures = seed[0]
    visit(dash_duo, "?article=seed&view=figures")
    wait_for_grid(dash_duo, figures["figure_id"].tolist())
    (deaths,) = figures.loc[figures["surface"] == "73,960", "figure_id"]
    # Columns off screen are not drawn: each is scrolled into view before it is read.
    cell = ('dash_ag_grid.getApi("figures-grid").ensureColumnVisible(arguments[1]);'
            'return Array.from(document.querySelectorAll('
            '`#figures-grid .ag-row[row-id="${arguments[0]}"] [col-id="${arguments[1]}"]`))'
            '.map(c => c.textContent.trim()).join("");')
    headers = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#figures-grid .ag-header-cell-text'))"
        ".map(h => h.textContent.trim());")
    assert headers[:5] == ["Figure", "Verdict", "Who says it", "In a quote", "Stance"]
    until(lambda: dash_duo.driver.execute_script(cell, deaths, "verdict") == "transposition",
          timeout=10)
    for column, shown in (("value", "73,960"), ("units", "people")):
        until(lambda c=column, v=shown: dash_duo.driver.execute_script(cell, deaths, c) == v,
              timeout=10, msg=f"the {column} cell of 73,960 does not read {shown!r}")
    assert console_errors(dash_duo) == []


def test_the_scale_buttons_redraw_the_claim_chart_on_a_log_axis(dash_duo, seed):
    visit(dash_duo, "?article=seed&view=claim")
    wait_for_title(dash_duo, "claim", title_lines(seed[1]["claim"][1].layout.title.text))
    axis_types = ("const plot = document.querySelector(arguments[0] + ' .js-plotly-plot');"
                  "return plot && plot._fullLayout ? [plot._fullLayout.xaxis.type,"
                  " plot._fullLayout.yaxis.type] : [];")
    chart = by_id(type="chart", chart="claim")
    assert "log" not in dash_duo.driver.execute_script(axis_types, chart)
    dash_duo.find_element("#scale-log").click()
    until(lambda: "log" in dash_duo.driver.execute_script(axis_types, chart), timeout=10,
          msg="the claim chart was not redrawn on a log axis")
    assert dash_duo.find_element("#scale-log").get_attribute("aria-pressed") == "true"
    assert dash_duo.find_element("#scale-linear").get_attribute("aria-pressed") == "false"
    assert console_errors(dash_duo) == []


def test_a_link_opens_the_claim_chart_on_the_scale_it_names(dash_duo, seed):
    visit(dash_duo, "?article=seed&view=claim&scale=log")
    chart = by_id(type="chart", chart="claim")
    axis = ("const plot = document.querySelector(arguments[0] + ' .js-plotly-plot');"
            "return plot && plot._fullLayout ? plot._fullLayout.yaxis.type : null;")
    until(lambda: dash_duo.driver.execute_script(axis, chart) == "log", timeout=20,
          msg="a link with scale=log did not draw the claim chart on a log axis")
    assert dash_duo.find_element("#scale-log").get_attribute("aria-pressed") == "true"
    dash_duo.find_element("#scale-linear").click()
    until(lambda: dash_duo.driver.execute_script(axis, chart) == "linear", timeout=10)
    until(lambda: "scale" not in query_of(dash_duo), timeout=10,
          msg=f"the URL {query_of(dash_duo)} still names the log scale")
    assert console_errors(dash_duo) == []


def test_a_link_opens_the_table_with_the_search_and_filters_it_names(dash_duo, seed):
    from dashboard import grid

    figures = seed[0]
    wanted = grid.view(figures, search="overdose", stances=["data"])["figure_id"].tolist()
    assert 0 < len(wanted) < len(figures)
    visit(dash_duo, "?article=seed&view=figures&q=overdose&stance=data")
    wait_for_grid(dash_duo, wanted)
    assert dash_duo.find_element("#quick-search").get_attribute("value") == "overdose"
    assert "data" in dash_duo.find_element("#filter-stance").text
    # Changing the search writes the URL, so that the link shared is the table seen.
    box = dash_duo.find_element("#quick-search")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    wait_for_grid(dash_duo, grid.view(figures, stances=["data"])["figure_id"].tolist())
    until(lambda: "q" not in query_of(dash_duo) and query_of(dash_duo).get("stance") == "data",
          timeout=10, msg=f"the URL {query_of(dash_duo)} does not follow the table")
    # A link without them opens the whole table.
    visit(dash_duo, "?article=seed&view=figures")
    wait_for_grid(dash_duo, grid.view(figures)["figure_id"].iloc[:grid.BLOCK_ROWS].tolist())
    assert console_errors(dash_duo) == []


def test_a_chart_view_opens_from_its_url(dash_duo, seed):
    visit(dash_duo, "?article=seed&view=series")
    wait_for_title(dash_duo, SEED_SERIES,
                   title_lines(seed[1][SEED_SERIES][1].layout.title.text))
    assert dash_duo.find_element("#view-series").is_displayed()
    assert not dash_duo.find_element("#view-claim").is_displayed()
    assert console_errors(dash_duo) == []


def test_selecting_a_row_highlights_its_figure_and_a_highlight_selects_its_row(dash_duo, seed):
    figures = seed[0]
    visit(dash_duo, "?article=seed&view=figures")
    wait_for_grid(dash_duo, figures["figure_id"].tolist())
    (killed,) = figures.loc[figures["surface"] == "83", "figure_id"]
    click_row(dash_duo, killed)

    until(lambda: dash_duo.find_elements("#article-text mark.selected"), timeout=10)
    marks = dash_duo.find_elements("#article-text mark.selected")
    assert [m.text for m in marks] == ["83"]
    assert dash_duo.driver.execute_script(
        "return arguments[0].closest('.selected-sentence') !== null;", marks[0])
    in_view = """const mark = document.querySelector('#article-text mark.selected');
        const panel = document.getElementById('article-panel');
        const m = mark.getBoundingClientRect(), p = panel.getBoundingClientRect();
        return panel.scrollTop > 0 && m.top >= Math.max(p.top, 0)
            && m.bottom <= Math.min(p.bottom, window.innerHeight);"""
    until(lambda: dash_duo.driver.execute_script(in_view), timeout=5,
          msg="the selected figure was not scrolled into view in the article panel")

    (deaths,) = figures.loc[figures["surface"] == "73,960", "figure_id"]
    dash_duo.find_element(f"#article-text {by_id(type='figure-mark', index=deaths)}").click()
    until(lambda: selected_ids(dash_duo) == [deaths], timeout=10,
          msg=f"grid selection {selected_ids(dash_duo)} is not [{deaths}]")
    dash_duo.wait_for_contains_class(f'#figures-grid .ag-row[row-id="{deaths}"]',
                                     "ag-row-selected")
    until(lambda: [m.text for m in dash_duo.find_elements("#article-text mark.selected")]
          == ["73,960"], timeout=10)
    assert console_errors(dash_duo) == []


def test_the_grid_comes_back_after_a_search_that_finds_nothing_and_after_a_reload(dash_duo, seed):
    from dashboard import grid

    ids = grid.view(seed[0])["figure_id"].iloc[:grid.BLOCK_ROWS].tolist()
    visit(dash_duo, "?article=seed&view=figures")
    wait_for_grid(dash_duo, ids)
    box = dash_duo.find_element("#quick-search")
    box.send_keys("qqqzzz")
    wait_for_grid(dash_duo, [])
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    wait_for_grid(dash_duo, ids)
    # A reload starts the grid before the page has read its URL: it must still fill.
    dash_duo.driver.refresh()
    wait_for_grid(dash_duo, ids)
    assert console_errors(dash_duo) == []


def test_the_csv_download_is_the_figures_table_with_formula_cells_neutralised(dash_duo):
    key, figures = as_stored(FORMULA_ARTICLE, PUBLISHED)
    assert paste_article(dash_duo, FORMULA_ARTICLE) == key
    wait_for_grid(dash_duo, figures["figure_id"].tolist())

    data = download(dash_duo, f"{stem_of(key)}-figures.csv", "#figures-csv-all")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert header == list(figures.columns)
    assert len(rows) == len(figures)
    for row, (_, expected) in zip(rows, figures.iterrows(), strict=True):
        for column, cell, value in zip(header, row, expected, strict=True):
            where = f"{expected['figure_id']} {column}"
            kind = figures[column].dtype
            if pd.isna(value):
                assert cell == "", where
            elif pd.api.types.is_bool_dtype(kind):
                assert cell == str(bool(value)), where
            elif pd.api.types.is_numeric_dtype(kind):
                assert float(cell) == float(value), where  # a plain number, no apostrophe
            else:
                assert cell == ("'" + value if value.startswith(FORMULA_STARTS) else value), where
    formula_rows = [r for r in rows if r[header.index("sentence")].startswith("'=HYPERLINK(")]
    assert {r[header.index("surface")] for r in formula_rows} >= {"40"}
    read = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert read["value"].dtype.kind == "f" and read["char_start"].dtype.kind == "i"
    assert console_errors(dash_duo) == []


def test_the_png_download_is_a_valid_png_of_2400_by_1350(dash_duo, seed):
    visit(dash_duo, "?article=seed&view=strikes")
    wait_for_title(dash_duo, "strikes", title_lines(seed[1]["strikes"][1].layout.title.text))
    data = download(dash_duo, f"{stem_of('seed')}-strikes.png",
                    by_id(type="chart-png", chart="strikes"))
    chunks = png_chunks(data)
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (width, height) == (2400, 1350)
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert len(pixels) == height * (1 + width * channels * depth // 8)
    svg = download(dash_duo, f"{stem_of('seed')}-strikes.svg",
                   by_id(type="chart-svg", chart="strikes")).decode("utf-8")
    assert svg.lstrip().startswith("<svg") and 'width="1200"' in svg
    assert console_errors(dash_duo) == []


def test_uploading_an_article_fills_the_table_with_its_figures(dash_duo, seed, tmp_path):
    key, figures = as_stored(HARBOUR_ARTICLE, PUBLISHED, "harbour.txt")
    assert not figures.empty
    assert upload_harbour(dash_duo, tmp_path) == key
    wait_for_grid(dash_duo, figures["figure_id"].tolist())
    assert dash_duo.find_element("#view-figures").is_displayed()
    dash_duo.wait_for_contains_text("#article-heading", PUBLISHED)
    # The notice stays in the upload view, which the figures view has replaced.
    assert dash_duo.find_element("#upload-message .notice").get_attribute("textContent") == \
        f"Read \u201charbour\u201d (publisher unknown, {PUBLISHED})."
    assert not dash_duo.find_elements("#upload-message .alert")  # it has a date
    monday = figures.loc[figures["surface"] == "Monday", "date"].tolist()
    assert monday == [str(datetime.date(2025, 11, 17))]  # dated from the upload's date
    assert console_errors(dash_duo) == []


def test_a_saved_page_gives_its_own_title_publisher_and_date_to_confirm(dash_duo, tmp_path):
    from tests.test_ingest import PAGE

    page = tmp_path / "budget.html"
    page.write_text(PAGE, encoding="utf-8")
    visit(dash_duo, "?article=seed&view=upload")
    dash_duo.wait_for_contains_text("#article-heading", "Al Jazeera")
    dash_duo.find_element("#upload-file input[type=file]").send_keys(str(page))
    uploaded_key(dash_duo)
    dash_duo.wait_for_contains_text(
        "#article-heading", "City Council approves $258 million budget · The Boston Globe · "
        "2013-06-29")
    notice = dash_duo.find_element("#upload-message .notice").text
    assert "read from the page's own metadata" in notice
    assert not dash_duo.find_elements("#upload-message .alert")
    assert dash_duo.find_element("#upload-title").get_attribute("value") == \
        "City Council approves $258 million budget"
    assert dash_duo.find_element("#upload-publisher").get_attribute("value") == \
        "The Boston Globe"
    assert console_errors(dash_duo) == []


def test_a_paste_without_a_date_is_read_with_a_warning(dash_duo):
    visit(dash_duo, "?article=seed&view=upload")
    dash_duo.wait_for_contains_text("#article-heading", "Al Jazeera")
    dash_duo.find_element("#upload-title").send_keys("Storm damage", Keys.TAB)
    dash_duo.find_element("#paste-text").send_keys("Officials counted 12 boats on Monday.")
    dash_duo.find_element("#paste-submit").click()
    uploaded_key(dash_duo)
    dash_duo.wait_for_contains_text("#upload-message .alert", "No publication date is known")
    dash_duo.wait_for_contains_text("#article-heading", "Storm damage · publisher unknown · "
                                                        "date unknown")
    assert console_errors(dash_duo) == []


def test_a_binary_upload_is_refused_and_the_app_keeps_working(dash_duo, seed, tmp_path):
    image = tmp_path / "scan.png"
    image.write_bytes(PNG_SIGNATURE + bytes(range(256)) * 4)
    visit(dash_duo, "?article=seed&view=upload")
    dash_duo.find_element("#upload-file input[type=file]").send_keys(str(image))

    dash_duo.wait_for_contains_text("#upload-message[role=status] .alert", "scan.png")
    assert "binary" in dash_duo.find_element("#upload-message").text
    assert query_of(dash_duo) == {"article": "seed", "view": "upload"}

    click_tab(dash_duo, "Strikes and fatalities")
    wait_for_title(dash_duo, "strikes_by_region",
                   title_lines(seed[1]["strikes_by_region"][1].layout.title.text))
    dash_duo.find_element("#seed-link").click()
    until(lambda: query_of(dash_duo) == {"article": "seed", "view": "verdicts"}, timeout=10)
    dash_duo.wait_for_element("#verdicts-panel li.verdict")
    assert dash_duo.find_element("#view-verdicts").is_displayed()
    assert console_errors(dash_duo) == []


# A long article: more figures than a page of the grid holds.
LONG_ARTICLE = "Harbour districts\n\n" + "\n\n".join(
    f"In district {i}, {i + 10} boats docked, the harbour master said." for i in range(260))


def test_a_long_article_pages_its_rows_from_the_server_and_the_view_csv_has_them_all(dash_duo):
    from dashboard import grid

    key, figures = as_stored(LONG_ARTICLE, PUBLISHED)
    assert len(figures) > 2 * grid.BLOCK_ROWS
    visit(dash_duo, "?article=seed&view=upload")
    set_published(dash_duo, PUBLISHED)
    dash_duo.driver.execute_script(  # typing 16 KB key by key would take a minute
        "const box = document.getElementById('paste-text');"
        "const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;"
        "set.call(box, arguments[0]); box.dispatchEvent(new Event('input', {bubbles: true}));",
        LONG_ARTICLE)
    dash_duo.find_element("#paste-submit").click()
    assert uploaded_key(dash_duo) == key
    api = "const api = dash_ag_grid.getApi('figures-grid');"
    # Only the first page has come to the browser; the grid knows how many rows there are.
    wait_for_grid(dash_duo, figures["figure_id"].iloc[:grid.BLOCK_ROWS].tolist())
    assert dash_duo.driver.execute_script(api + "return api.paginationGetRowCount();") == \
        len(figures)
    dash_duo.driver.execute_script(api + "api.paginationGoToPage(2);")
    third = figures["figure_id"].iloc[2 * grid.BLOCK_ROWS:3 * grid.BLOCK_ROWS].tolist()
    until(lambda: (grid_ids(dash_duo) or [])[-len(third):] == third, timeout=20,
          msg="the third page did not come from the server")
    assert len(grid_ids(dash_duo)) == 2 * grid.BLOCK_ROWS  # the pages seen, not the second

    dash_duo.find_element("#quick-search").send_keys("district 12")
    expected = grid.view(figures, search="district 12")
    assert 0 < len(expected) < len(figures)
    wait_for_grid(dash_duo, expected["figure_id"].tolist())
    data = download(dash_duo, f"{stem_of(key)}-figures-view.csv", "#figures-csv-view")
    shown = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert shown["figure_id"].tolist() == expected["figure_id"].tolist()
    assert console_errors(dash_duo) == []
