"""The Dash app: a thin layer that wires the pure functions to components and callbacks.

`create_app()` builds an app; `app` and `server` (for gunicorn, see the Procfile) are one built
at import. No user state lives in the process: the URL names the article (`seed`, or the key of
an uploaded article in dashboard.store) and the view, so a copied link opens what was seen, on
any worker. What is computed from an article is cached per process by that key.
"""

from __future__ import annotations

import base64
import binascii
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import dash_ag_grid as dag
import pandas as pd
from dash import (
    ALL,
    MATCH,
    Dash,
    Input,
    Output,
    State,
    ctx,
    dcc,
    html,
    no_update,
)

from dashboard import charts, export, grid, store
from dashboard.article_view import MARK_TYPE, article_components, legend
from dashboard.checks import checks_table
from dashboard.extract import extract_document
from dashboard.ingest import (
    Document,
    IngestError,
    document_from_bytes,
    document_from_text,
    parse_date,
    read_document,
)
from dashboard.reading_table import READING_ORDER, header, reading_rows, verdicts_of
from dashboard.schema import FIGURE_COLUMNS

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_20713228fd6701a2.txt"
SEED_KEY = "seed"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# Every view the dashboard has, in the order of its tabs. An article gets the views its tables
# fill (views_of): the chart views only when it has a chart of theirs (charts.toml decides).
VIEWS = {
    "verdicts": "Verdicts",
    "series": "Against the data",
    "claim": "Claim against data",
    "strikes": "Strikes and fatalities",
    "timeline": "Timeline",
    "speakers": "Who said what",
    "figures": "Figures and article",
    "checks": "Checks",
    "upload": "Another article",
}
CHART_VIEWS = ("series", "claim", "strikes", "timeline", "speakers")
SCALES = {"linear": "Linear scale", "log": "Log scale"}
DEFAULT_VIEW = "verdicts"
PNG_SIZE = {"width": 1200, "height": 675, "scale": 2}


# -- what an article gives ------------------------------------------------------------------
@dataclass(frozen=True)
class Analysis:
    key: str
    document: Document
    figures: pd.DataFrame
    checks: pd.DataFrame
    rows: pd.DataFrame  # the figures as the grid shows them (dashboard.reading_table)


class _NotStored(LookupError):
    """No article under this key (raised, not returned, so that the cache does not keep it)."""


def analysis(key: object) -> Analysis | None:
    """The figures and checks of the article a URL names; None for an unknown key or anything
    that is not a key. An unknown key is looked up again next time: the article may be uploaded
    again under it."""
    if not isinstance(key, str):
        return None
    # The page's callbacks ask for the same new article at once, each on a thread of the
    # server: one computes it while the others wait for the cache, instead of all computing it.
    with _COMPUTING[hash(key) % len(_COMPUTING)]:
        try:
            return _analysis(key)
        except _NotStored:
            return None


_COMPUTING = [threading.Lock() for _ in range(8)]  # striped: bounded whatever keys arrive


# A 2 MB upload can hold 100,000 figures (tens of MB of tables): a few articles per worker.
@lru_cache(maxsize=8)
def _analysis(key: str) -> Analysis:
    if key == SEED_KEY:
        document = read_document(SEED)
    else:
        stored = store.load(key)
        if stored is None:
            raise _NotStored(key)
        document = document_from_text(stored.text, document_id=f"upload-{key}",
                                      published=stored.published, publisher=stored.publisher,
                                      title=stored.title or stored.name)
    figures = extract_document(document)
    checks = checks_table(figures, {document.document_id: document.text})
    return Analysis(key, document, figures, checks, reading_rows(figures, checks))


@lru_cache(maxsize=16)
def built_charts(key: str, log: bool) -> dict:
    found = analysis(key)
    return charts.build_all(found.figures, found.checks, log=log)


def charts_by_view(key: str, log: bool = False) -> dict[str, list[str]]:
    """The article's charts, by the view that shows them, in display order."""
    by_view: dict[str, list[str]] = {}
    for name in built_charts(key, log):
        by_view.setdefault(charts.view_of(name), []).append(name)
    return by_view


def views_of(key: object) -> list[str]:
    """The views an article has: its chart views, and the views every article has."""
    found = analysis(key)
    with_charts = charts_by_view(key) if found is not None else {}
    return [v for v in VIEWS if v not in CHART_VIEWS or v in with_charts]


def route(search: str | None) -> tuple[str, str]:
    """(article key, view) from a URL's query string, with safe defaults."""
    query = parse_qs((search or "").lstrip("?"))
    key = (query.get("article") or [SEED_KEY])[0]
    view = (query.get("view") or [DEFAULT_VIEW])[0]
    return key, view if view in VIEWS else DEFAULT_VIEW


def figure_in(search: str | None) -> str | None:
    """The figure a URL selects (`figure=<figure id>`), if any."""
    return (parse_qs((search or "").lstrip("?")).get("figure") or [None])[0]


def search_for(key: str, view: str, figure: str | None = None) -> str:
    query = {"article": key, "view": view}
    if figure:
        query["figure"] = figure
    return "?" + urlencode(query)


# -- layout ---------------------------------------------------------------------------------
# Columns the grid adds to the figures contract, for reading (the CSV keeps the contract).
READING_COLUMNS = {
    "verdict": ("string", "the most telling verdict the checks gave the figure"),
    "units": ("string", "the unit in words (people, people per strike); none for a bare number"),
}


COLUMN_WIDTHS = {"surface": 130, "verdict": 130, "speaker": 170, "in_quote": 110,
                 "stance": 110, "value": 130, "units": 140, "sentence": 360}


def figure_columns() -> list[dict]:
    """The grid's columns: what a fact-checker reads first (the figure, its verdict, who says
    it), human headers, numbers with thousands separators."""
    numeric = {"Float64", "Int64"}
    described = {c.name: (c.dtype, c.description) for c in FIGURE_COLUMNS}
    described.update(READING_COLUMNS)
    names = [*READING_ORDER, *(n for n in described if n not in READING_ORDER)]
    columns = []
    for name in names:
        dtype, description = described[name]
        column = {"field": name, "headerName": header(name), "headerTooltip": description,
                  "filter": "agNumberColumnFilter" if dtype in numeric else "agTextColumnFilter"}
        if name == "surface":
            column["pinned"] = "left"
        # Narrow columns for short values: the first five fit a laptop's half of the screen.
        column["width"] = COLUMN_WIDTHS.get(name, 160)
        if dtype in numeric and name not in ("char_start", "char_end"):
            column["valueFormatter"] = {"function": "readableNumber(params.value)"}
        if dtype == "boolean":
            column["valueFormatter"] = {"function": "yesNo(params.value)"}
        if name == "verdict":
            column["cellClass"] = {"function": "params.value ? 'verdict-cell ' + params.value "
                                               ": ''"}
        columns.append(column)
    return columns


def chart_text(figure) -> tuple[str, str]:
    """A chart's text alternative: its finding (the title), then what it shows and its
    sources."""
    meta = (figure.layout.meta if hasattr(figure, "layout") else None) or {}
    rest = [meta.get("subtitle"), *meta.get("notes", []), *meta.get("sources", [])]
    return (str(meta.get("title") or ""),
            " ".join(str(p).rstrip(".") + "." for p in rest if p))


def chart_section(name: str, figure=None) -> html.Div:
    finding, rest = chart_text(figure)
    return html.Figure([
        # Read by screen readers; on a phone the finding is also shown as text, since the
        # chart's own title is laid out for the export's 1200 px and scrolls with it.
        html.Figcaption([html.Strong(finding, className="caption-finding"), " ",
                         html.Span(rest, className="visually-hidden")],
                        className="chart-caption", id=f"caption-{name}"),
        html.Div(dcc.Graph(id={"type": "chart", "chart": name}, className="chart",
                  figure=figure if figure is not None else {},
                  config={"displaylogo": False,
                          "toImageButtonOptions": {"format": "png", "filename": name,
                                                   **PNG_SIZE}}),
                 className="chart-scroll"),
        html.Div([
            html.Button("Download PNG", id={"type": "chart-png", "chart": name},
                        className="button"),
            html.Button("Download SVG", id={"type": "chart-svg", "chart": name},
                        className="button"),
            html.Button("Download CSV", id={"type": "chart-csv", "chart": name},
                        className="button"),
            # A PNG is drawn on the server in a second or two: the buttons say so meanwhile.
            dcc.Loading(dcc.Download(id={"type": "chart-download", "chart": name}),
                        type="dot", className="download-loading"),
        ], className="chart-actions"),
    ], className="chart-section", role="group", **{"aria-label": finding or name})


def layout() -> html.Div:
    colours = charts.STANCE_COLOURS
    views = [html.Div([
        html.P("Every figure of the article set against reference data or against the "
               "article's own figures, what differs first. Open one for its working.",
               className="lede"),
        dcc.Loading(html.Div(id="verdicts-panel", children=html.P(
            "Reading the article and checking its figures...", className="lede")),
            type="default"),
    ], id="view-verdicts", className="view")]
    views += [
        html.Div([
            # Two toggle buttons: Dash's RadioItems nests its radio inputs in option roles, which
            # screen readers cannot operate (axe: nested-interactive).
            html.Div([
                html.Span("Scale:", className="controls-label"),
                *[html.Button(label, id=f"scale-{value}", className="button toggle",
                              **{"aria-pressed": "true" if value == "linear" else "false"})
                  for value, label in SCALES.items()],
                dcc.Store(id="claim-scale", data="linear"),
            ], className="controls", role="group",
                **{"aria-label": "Scale of the claim chart"}) if view == "claim" else None,
            # The article's charts of this view, drawn when the view is shown.
            dcc.Loading(html.Div(id=f"charts-{view}"), type="default",
                        overlay_style={"visibility": "visible", "opacity": 0.5}),
        ], id=f"view-{view}", className="view")
        for view in CHART_VIEWS
    ]
    views.append(html.Div([
        html.Div([
            dcc.Input(id="quick-search", type="search", placeholder="Search the table...",
                      debounce=0.3, className="search"),
            dcc.Dropdown(id="filter-kind", multi=True, placeholder="Kind"),
            dcc.Dropdown(id="filter-stance", multi=True, placeholder="Stance"),
            dcc.Dropdown(id="filter-speaker", multi=True, placeholder="Speaker"),
            html.Button("CSV: all figures", id="figures-csv-all", className="button"),
            html.Button("CSV: this view", id="figures-csv-view", className="button"),
            dcc.Download(id="figures-download"),
        ], className="controls"),
        html.Div([
            dag.AgGrid(
                id="figures-grid",
                columnDefs=figure_columns(),
                defaultColDef={"sortable": True, "resizable": True, "filter": True,
                               "floatingFilter": True},
                getRowId="params.data.figure_id",
                # Rows come from the server a page at a time (dashboard/grid.py), so a report
                # of 100,000 figures opens as fast as a short article.
                rowModelType="infinite",
                dashGridOptions={"rowSelection": {"mode": "singleRow",
                                                  "enableClickSelection": True,
                                                  "checkboxes": False},
                                 "pagination": True, "paginationPageSize": grid.BLOCK_ROWS,
                                 "cacheBlockSize": grid.BLOCK_ROWS,
                                 "paginationPageSizeSelector": False,
                                 "animateRows": False},
                className="ag-theme-alpine grid",
                style={"height": "640px"},
            ),
            html.Div([legend(colours), html.Div(id="article-text", className="article-text")],
                     id="article-panel", className="article-panel"),
        ], className="figures-layout"),
    ], id="view-figures", className="view"))
    views.append(html.Div([
        html.Button("CSV: checks table", id="checks-csv", className="button"),
        dcc.Download(id="checks-download"),
        html.Div(id="checks-panel"),
    ], id="view-checks", className="view"))
    views.append(html.Div([
        html.H2("Another article"),
        html.P("Upload a .txt, .md or .html article (up to 2 MB), or paste its text, with its "
               "title, publisher and publication date. A saved web page gives its own; what "
               "you type here wins. The seed stays one click away."),
        html.Div([
            html.Label(["Title", dcc.Input(id="upload-title", type="text", maxLength=300,
                                           className="field", debounce=True)]),
            html.Label(["Publisher", dcc.Input(id="upload-publisher", type="text", maxLength=200,
                                               className="field", debounce=True)]),
            html.Div([html.Span("Publication date", className="field-label"),
                      dcc.DatePickerSingle(id="upload-published", display_format="YYYY-MM-DD",
                                           placeholder="Publication date")]),
        ], className="metadata-fields"),
        dcc.Upload(id="upload-file", children=html.Div(["Drop a file here or ",
                                                        html.A("choose one")]),
                   className="upload", multiple=False),
        dcc.Textarea(id="paste-text", placeholder="...or paste the article's text here",
                     className="paste"),
        html.Button("Read the pasted text", id="paste-submit", className="button"),
    ], id="view-upload", className="view"))
    return html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="article-key"),
        dcc.Store(id="selected-figure"),
        dcc.Store(id="selection-shown"),
        dcc.Store(id="grid-refreshed"),
        html.Header([
            html.H1("Quantitative claims dashboard"),
            html.Div(id="article-heading", className="article-heading"),
            html.Nav([
                html.A("Seed article", href=search_for(SEED_KEY, DEFAULT_VIEW), id="seed-link",
                       className="button"),
                html.Button("Download everything (ZIP)", id="zip-button", className="button"),
                dcc.Download(id="zip-download"),
            ], className="header-actions"),
        ]),
        # One row of tabs that scrolls sideways on a phone, rather than Dash's stack of eight
        # full-width tabs below 800 px (which filled a 390 px screen's first 640 px).
        dcc.Tabs(id="view", value=DEFAULT_VIEW, children=tabs(list(VIEWS)),
                 mobile_breakpoint=0, className="view-tabs"),
        html.Div(id="article-error", role="alert"),
        html.Div(id="upload-message", role="status"),
        html.Main(views),
    ], className="page")


# -- callbacks ------------------------------------------------------------------------------
def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output("url", "search"), Output("view", "value"),
        Input("url", "search"), Input("view", "value"),
    )
    def sync_url_and_view(search, view):
        key, url_view = route(search)
        if ctx.triggered_id == "view" and view != url_view:
            return search_for(key, view), no_update
        if analysis(key) is not None and url_view not in views_of(key):
            url_view = DEFAULT_VIEW  # a view this article has no chart for
        return no_update, url_view

    @app.callback(
        Output("view", "children"),
        Input("article-key", "data"),
    )
    def show_tabs(key):
        return tabs(views_of(key)) if analysis(key) is not None else no_update

    @app.callback(
        Output("claim-scale", "data"),
        *[Output(f"scale-{value}", "aria-pressed") for value in SCALES],
        *[Input(f"scale-{value}", "n_clicks") for value in SCALES],
        prevent_initial_call=True,
    )
    def choose_scale(*_clicks):
        chosen = str(ctx.triggered_id).removeprefix("scale-")
        return chosen, *["true" if value == chosen else "false" for value in SCALES]

    @app.callback(
        Output("selected-figure", "data", allow_duplicate=True),
        Input("url", "search"),
        prevent_initial_call="initial_duplicate",
    )
    def select_from_url(search):
        return figure_in(search) or no_update

    @app.callback(
        Output("article-key", "data"),
        Input("url", "search"), State("article-key", "data"),
    )
    def follow_article(search, current):
        # Only a new article redraws the table, the checks and the text; a new view does not.
        key = route(search)[0]
        return no_update if key == current else key

    @app.callback(
        [Output(f"view-{view}", "style") for view in VIEWS],
        Input("view", "value"),
    )
    def show_view(view):
        return [{"display": "block" if name == view else "none"} for name in VIEWS]

    @app.callback(
        Output("article-heading", "children"), Output("article-error", "children"),
        Output("checks-panel", "children"), Output("verdicts-panel", "children"),
        Output("filter-kind", "options"), Output("filter-stance", "options"),
        Output("filter-speaker", "options"),
        Input("article-key", "data"),
    )
    def show_article(key):
        found = analysis(key)
        if found is None:
            message = html.Div(
                ["This article is no longer stored here. ",
                 html.A("Open the seed article", href=search_for(SEED_KEY, DEFAULT_VIEW)),
                 " or upload it again."], className="alert")
            return no_update, message, no_update, no_update, no_update, no_update, no_update
        figures = found.figures
        return (heading(found.document), None, checks_panel(found.checks),
                verdicts_panel(key, found.checks),
                options(figures["quantity_kind"]), options(figures["stance"]),
                options(figures["speaker"]))

    @app.callback(
        [Output(f"charts-{view}", "children") for view in CHART_VIEWS],
        Input("article-key", "data"), Input("view", "value"), Input("claim-scale", "data"),
    )
    def draw_charts(key, view, scale):
        # Only the charts of the view on screen: the browser draws what it is sent.
        if analysis(key) is None or view not in CHART_VIEWS:
            return [no_update] * len(CHART_VIEWS)
        log = scale == "log"
        built = built_charts(key, log)
        names = charts_by_view(key, log).get(view, [])
        return [[chart_section(name, built[name][1]) for name in names] if shown == view
                else no_update for shown in CHART_VIEWS]

    @app.callback(
        Output("figures-grid", "getRowsResponse"),
        Input("figures-grid", "getRowsRequest"),
        State("article-key", "data"), State("quick-search", "value"),
        State("filter-kind", "value"), State("filter-stance", "value"),
        State("filter-speaker", "value"),
    )
    def serve_rows(request, key, search, kinds, stances, speakers):
        if key is None:
            # The page is still reading its URL. An answer of no rows now would make the grid's
            # next answer (the article's rows) go through dash-ag-grid's "after an empty
            # answer" path, whose deferred update a re-render can cancel, leaving the grid
            # loading for ever; the purge that follows the article's key asks again.
            return no_update
        found = analysis(key)
        if found is None:
            return {"rowData": [], "rowCount": 0}
        request = request if isinstance(request, dict) else {}
        rows = grid.view(found.rows, search=search, kinds=kinds, stances=stances,
                         speakers=speakers, filter_model=request.get("filterModel"),
                         sort_model=request.get("sortModel"))
        return grid.block(rows, request)

    # A new article, search or dropdown choice asks the grid for its rows again (its own column
    # filters and sorting do so by themselves), and so does showing the figures view: a grid
    # hidden behind another view when its article changed may hold blocks that never loaded.
    app.clientside_callback(
        """function () {
            try { dash_ag_grid.getApi("figures-grid").purgeInfiniteCache(); }
            catch (error) { /* no grid yet: it asks for its rows when it starts */ }
            return Date.now();
        }""",
        Output("grid-refreshed", "data"),
        Input("article-key", "data"), Input("quick-search", "value"),
        Input("filter-kind", "value"), Input("filter-stance", "value"),
        Input("filter-speaker", "value"), Input("view", "value"),
        prevent_initial_call=True,
    )

    # Selection happens in the browser: the article is drawn once per article, and selecting a
    # row or a highlight only moves the `selected` marks (a server round trip and a redraw of
    # the whole text took half a second).
    app.clientside_callback(
        """function (rows, clicks) {
            var ctx = window.dash_clientside.callback_context;
            var none = window.dash_clientside.no_update;
            if (!ctx.triggered.length) { return [none, none]; }
            var trigger = ctx.triggered[0];
            if (trigger.prop_id === "figures-grid.selectedRows") {
                return [rows && rows.length ? rows[0].figure_id : null, none];
            }
            if (!trigger.value) { return [none, none]; }  // a redraw, not a click
            var id = JSON.parse(trigger.prop_id.slice(0, trigger.prop_id.lastIndexOf(".")));
            return [id.index, {ids: [id.index]}];
        }""",
        Output("selected-figure", "data"), Output("figures-grid", "selectedRows"),
        Input("figures-grid", "selectedRows"),
        Input({"type": MARK_TYPE, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("article-text", "children"),
        Input("article-key", "data"),
    )
    def show_text(key):
        found = analysis(key)
        if found is None:
            return []
        return article_components(found.document.text, found.figures, charts.STANCE_COLOURS,
                                  verdicts=verdicts_of(found.checks))

    app.clientside_callback(
        """function (selected, children) {
            var panel = document.getElementById("article-text");
            if (!panel) { return window.dash_clientside.no_update; }
            panel.querySelectorAll("mark.selected").forEach(function (mark) {
                mark.classList.remove("selected");
                mark.removeAttribute("data-selected");
            });
            panel.querySelectorAll(".selected-sentence").forEach(function (sentence) {
                sentence.classList.remove("selected-sentence");
            });
            var mark = selected && Array.prototype.find.call(
                panel.querySelectorAll("mark[data-figure]"),
                function (m) { return m.getAttribute("data-figure") === selected; });
            if (mark) {
                mark.classList.add("selected");
                mark.setAttribute("data-selected", "true");
                var sentence = mark.closest(".sentence");
                if (sentence) { sentence.classList.add("selected-sentence"); }
                mark.scrollIntoView({block: "center"});
            }
            return selected || null;
        }""",
        Output("selection-shown", "data"),
        Input("selected-figure", "data"), Input("article-text", "children"),
    )

    @app.callback(
        Output("figures-download", "data"),
        Input("figures-csv-all", "n_clicks"), Input("figures-csv-view", "n_clicks"),
        State("url", "search"), State("figures-grid", "getRowsRequest"),
        State("quick-search", "value"), State("filter-kind", "value"),
        State("filter-stance", "value"), State("filter-speaker", "value"),
        prevent_initial_call=True,
    )
    def download_figures(_all, _view, search, request, text, kinds, stances, speakers):
        found = analysis(route(search)[0])
        table = found.figures
        name = "figures"
        if ctx.triggered_id == "figures-csv-view":
            # The view the grid shows, worked out again here: all its rows, not only the pages
            # the browser has loaded, and never cells written by the browser.
            request = request if isinstance(request, dict) else {}
            shown = grid.view(found.rows, search=text, kinds=kinds, stances=stances,
                              speakers=speakers, filter_model=request.get("filterModel"),
                              sort_model=request.get("sortModel"))
            table = table.loc[shown.index]  # the contract's columns, in the view's order
            name = "figures-view"
        return dcc.send_bytes(export.csv_bytes(table), f"{download_stem(found)}-{name}.csv")

    @app.callback(
        Output("checks-download", "data"),
        Input("checks-csv", "n_clicks"), State("url", "search"),
        prevent_initial_call=True,
    )
    def download_checks(_clicks, search):
        found = analysis(route(search)[0])
        return dcc.send_bytes(export.csv_bytes(found.checks), f"{download_stem(found)}-checks.csv")

    @app.callback(
        Output({"type": "chart-download", "chart": MATCH}, "data"),
        Input({"type": "chart-csv", "chart": MATCH}, "n_clicks"),
        Input({"type": "chart-png", "chart": MATCH}, "n_clicks"),
        Input({"type": "chart-svg", "chart": MATCH}, "n_clicks"),
        State("url", "search"), State("claim-scale", "data"),
        prevent_initial_call=True,
    )
    def download_chart(_csv, _png, _svg, search, scale):
        key = route(search)[0]
        name = ctx.triggered_id["chart"]
        data, figure = built_charts(key, scale == "log")[name]
        stem = f"{download_stem(analysis(key))}-{export.file_name(name)}"
        kind = ctx.triggered_id["type"]
        if kind == "chart-csv":
            return dcc.send_bytes(export.csv_bytes(data), f"{stem}.csv")
        if kind == "chart-svg":
            return dcc.send_bytes(export.svg_bytes(figure, PNG_SIZE["width"],
                                                   PNG_SIZE["height"]), f"{stem}.svg")
        return dcc.send_bytes(export.png_bytes(figure, **PNG_SIZE), f"{stem}.png")

    @app.callback(
        Output("zip-download", "data"),
        Input("zip-button", "n_clicks"), State("url", "search"),
        prevent_initial_call=True,
    )
    def download_everything(_clicks, search):
        key = route(search)[0]
        found = analysis(key)
        data = export.bundle_zip(found.figures, found.checks, built_charts(key, False))
        return dcc.send_bytes(data, f"{download_stem(found)}-claims-dashboard.zip")

    @app.callback(
        Output("upload-message", "children"), Output("url", "search", allow_duplicate=True),
        Output("upload-title", "value"), Output("upload-publisher", "value"),
        Output("upload-published", "date"),
        Input("upload-file", "contents"), Input("paste-submit", "n_clicks"),
        State("upload-file", "filename"), State("paste-text", "value"),
        State("upload-published", "date"), State("upload-title", "value"),
        State("upload-publisher", "value"),
        prevent_initial_call=True,
    )
    def read_another_article(contents, _submit, filename, pasted, published, title, publisher):
        given = {"title": field_text(title, 300), "publisher": field_text(publisher, 200)}
        try:
            if ctx.triggered_id == "upload-file":
                name = filename if isinstance(filename, str) and filename else "upload.txt"
                document = uploaded_document(contents, name, published, **given)
            else:
                document = pasted_document(pasted, published, **given)
        except IngestError as err:
            return html.Div(str(err), className="alert"), no_update, no_update, no_update, \
                no_update
        date = document.published.isoformat() if document.published else None
        key = store.save(store.StoredArticle(
            text=document.text, published=date, name=document.document_id,
            format=document.format, publisher=document.publisher, title=document.title))
        # The fields show what was read, for the reader to confirm or correct and read again.
        return (upload_notice(document), search_for(key, "figures"), document.title,
                document.publisher, date)


# -- small pure helpers the callbacks use -----------------------------------------------------
def download_stem(found: Analysis) -> str:
    """Downloads are named from the article's title, else its document id."""
    return export.download_stem(found.document.title, found.document.document_id)


def field_text(value: object, limit: int) -> str | None:
    """A metadata field as typed: its words, at most `limit` characters; None when empty."""
    if not isinstance(value, str):
        return None
    words = " ".join(value.split())[:limit]
    return words or None


def upload_notice(document: Document) -> html.Div:
    """What was read, where its metadata came from, and a warning when it has no date."""
    when = document.published.isoformat() if document.published else "no date"
    said = [f"Read \u201c{document.title or document.document_id}\u201d "
            f"({document.publisher or 'publisher unknown'}, {when})."]
    said += [f"The {note}: check them in the fields of the upload view, and read the article "
             "again to correct them." for note in document.notes if "page's own metadata" in note]
    parts = [html.Div(" ".join(said), className="notice")]
    if document.published is None:
        parts.append(html.Div(
            "No publication date is known: dates such as “Monday” or “last "
            "year” stay unresolved, and figures whose period they give cannot be set "
            "against the data. Give the date in the upload view and read the article again.",
            className="alert"))
    return html.Div(parts, className="upload-read")


def uploaded_document(contents: str | None, filename: str, published: str | None, *,
                      title: str | None = None, publisher: str | None = None) -> Document:
    """A Document from dcc.Upload's data URL; too large or undecodable input is an IngestError
    before any parsing."""
    if not isinstance(contents, str) or "," not in contents:
        raise IngestError(f"{filename}: nothing was uploaded")
    encoded = contents.split(",", 1)[1]
    # Four base64 characters carry three bytes, less one for each "=" that pads the end.
    size = len(encoded) * 3 // 4 - encoded[-2:].count("=")
    if size > MAX_UPLOAD_BYTES:
        raise IngestError(f"{filename}: is {size:,} bytes, over the 2 MB upload limit")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as err:
        raise IngestError(f"{filename}: the upload could not be decoded") from err
    if len(data) > MAX_UPLOAD_BYTES:
        raise IngestError(f"{filename}: is {len(data):,} bytes, over the 2 MB upload limit")
    return document_from_bytes(data, Path(filename).name, published=parse_date(published),
                               metadata={"title": title, "publisher": publisher})


def pasted_document(pasted: str | None, published: str | None, *,
                    title: str | None = None, publisher: str | None = None) -> Document:
    """A Document from the paste box, held to the upload limit before any parsing."""
    text = pasted if isinstance(pasted, str) else ""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_UPLOAD_BYTES:
        raise IngestError(f"pasted text: is {size:,} bytes, over the 2 MB upload limit")
    return document_from_text(text, published=parse_date(published), title=title,
                              publisher=publisher)


def heading(document: Document) -> list:
    published = document.published.isoformat() if document.published else "date unknown"
    title = document.title or document.document_id
    return [html.Strong(title), html.Span(f" · {document.publisher or 'publisher unknown'} · "
                                          f"{published}")]


def tabs(views: list[str]) -> list:
    return [dcc.Tab(label=VIEWS[view], value=view) for view in views]


def verdicts_panel(key: str, checks: pd.DataFrame) -> list:
    """Every figure the checks gave a verdict, what differs first: its badge, the reference
    value, period and release, the finding, its working on opening, and a link that shows the
    figure in the article."""
    rows = checks[checks["verdict"].notna()] if "verdict" in checks else checks[:0]
    if rows.empty:
        return [html.P("No figure of this article could be set against the reference data or "
                       "against its own figures. The figures table lists every figure; the "
                       "Checks view shows the suggestions.")]
    rank = {verdict: at for at, verdict in enumerate(charts.style.VERDICT_ORDER)}
    order = sorted(range(len(rows)), key=lambda i: (rank.get(rows["verdict"].iloc[i], 99), i))
    items = []
    for row in (rows.iloc[i] for i in order):
        reference_value = ("" if pd.isna(row["reference_value"]) else
                           f"{row['reference_value']:,.6g} {row['unit']}")
        period = "" if pd.isna(row["reference_period"]) else f" for {row['reference_period']}"
        release = ("" if pd.isna(row["reference_release"])
                   else f", release {row['reference_release']}")
        against = (f"Reference: {reference_value}{period}{release}" if reference_value
                   else "Against the article's own figures")
        figure = row["claim_figure_id"] if pd.notna(row["claim_figure_id"]) else None
        items.append(html.Li(html.Details([
            html.Summary([html.Span(row["verdict"], className=f"badge {row['verdict']}"),
                          " ", html.Span(row["title"], className="verdict-title")]),
            html.P(row["finding"], className="finding"),
            html.P(against),
            html.Dl([html.Dt("Working"), html.Dd(html.Code(row["expression"] or "none")),
                     html.Dt("Note"), html.Dd(row["verdict_note"] or "none"),
                     html.Dt("Assumptions"), html.Dd(row["assumptions"] or "none"),
                     html.Dt("Sources"), html.Dd([html.Div(s) for s in
                                                  str(row["sources"]).split(" | ")])]),
            dcc.Link("Show it in the article", href=search_for(key, "figures", figure),
                     className="button") if figure else None,
        ], className="check"), className="verdict"))
    return [html.Ul(items, className="verdicts")]


def options(series: pd.Series) -> list[dict]:
    values = sorted(str(v) for v in series.dropna().unique())
    return [{"label": v, "value": v} for v in values]


def checks_panel(checks: pd.DataFrame) -> list:
    """Each check with its working: finding, expression, units, assumptions, sources."""
    if checks.empty:
        return [html.P("No checks apply to this article.")]
    blocks = []
    for check_id, rows in checks.groupby("check_id", sort=False):
        first = rows.iloc[0]
        badge = first["verdict"] if pd.notna(first["verdict"]) else first["kind"]
        blocks.append(html.Details([
            html.Summary([html.Span(badge, className=f"badge {first['kind']} {badge}"),
                          f" {first['title']}"]),
            *[html.Div([
                html.P(row["finding"], className="finding"),
                html.Dl([
                    html.Dt("Working"), html.Dd(html.Code(row["expression"])),
                    html.Dt("Result"), html.Dd(f"{row['result']:,.6g} {row['unit']}"
                                               if pd.notna(row["result"]) else "none"),
                    *([html.Dt("Verdict"), html.Dd(f"{row['verdict']}: {row['verdict_note']}"),
                       html.Dt("Allowed by the wording"), html.Dd(row["tolerance"] or "none")]
                      if pd.notna(row["verdict"]) else
                      [html.Dt("Status"), html.Dd(row["status"])]),
                    html.Dt("Assumptions"), html.Dd(row["assumptions"] or "none"),
                    html.Dt("Sources"), html.Dd([html.Div(s) for s in
                                                 str(row["sources"]).split(" | ")]),
                ]),
            ], className="check-step") for _, row in rows.iterrows()],
        ], open=first["kind"] == "finding", id=f"check-{check_id}", className="check"))
    return blocks


def create_app() -> Dash:
    app = Dash(__name__, title="Quantitative claims dashboard",
               assets_folder=str(Path(__file__).parent / "assets"),
               suppress_callback_exceptions=True)
    # The page's language, for screen readers and hyphenation; Dash's template leaves it out.
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    # Refuse oversized requests before they are read: an upload is 2 MB, base64 adds a third.
    app.server.config["MAX_CONTENT_LENGTH"] = 4 * MAX_UPLOAD_BYTES
    app.layout = layout()
    register_callbacks(app)
    return app


app = create_app()
server = app.server


def serve(host: str = "127.0.0.1", port: int = 8050) -> None:
    print(f"Serving the dashboard on the seed article at http://{host}:{port}/", flush=True)
    app.run(host=host, port=port, debug=False)

