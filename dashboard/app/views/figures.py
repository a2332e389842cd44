"""The figures view: the figures table (an AG Grid served a block of rows at a time) with its
search and filters, beside the article's text with every figure highlighted, a figure selected
in either shown in both, and the table's CSV downloads."""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd
from dash import (
    ALL,
    ClientsideFunction,
    Dash,
    Input,
    Output,
    State,
    ctx,
    dcc,
    html,
    no_update,
)

from dashboard import charts, export, grid
from dashboard.app import ids
from dashboard.app.articles import analysis, download_stem
from dashboard.app.errors import required
from dashboard.app.routing import route
from dashboard.app.views import draw_when_shown
from dashboard.article_view import MARK_TYPE, article_components, legend
from dashboard.reading_table import READING_ORDER, header, verdicts_of
from dashboard.schema import FIGURE_COLUMNS

# Columns the grid adds to the figures contract, for reading (the CSV keeps the contract).
READING_COLUMNS = {
    "verdict": ("string", "the most telling verdict the checks gave the figure"),
    "units": ("string", "the unit in words (people, people per strike); none for a bare number"),
}


VIEW = "figures"
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


def options(series: pd.Series) -> list[dict]:
    values = sorted(str(v) for v in series.dropna().unique())
    return [{"label": v, "value": v} for v in values]


def section() -> html.Div:
    return html.Div([
        html.Div([
            dcc.Input(id=ids.QUICK_SEARCH, type="search", placeholder="Search the table...",
                      debounce=0.3, className="search",
                      maxLength=grid.MAX_SEARCH_WORDS * (grid.MAX_TEXT + 1)),
            dcc.Dropdown(id=ids.FILTER_KIND, multi=True, placeholder="Kind"),
            dcc.Dropdown(id=ids.FILTER_STANCE, multi=True, placeholder="Stance"),
            dcc.Dropdown(id=ids.FILTER_SPEAKER, multi=True, placeholder="Speaker"),
            html.Button("CSV: all figures", id=ids.FIGURES_CSV_ALL, className="button"),
            html.Button("CSV: this view", id=ids.FIGURES_CSV_VIEW, className="button"),
            dcc.Download(id=ids.FIGURES_DOWNLOAD),
        ], className="controls"),
        html.Div([
            dag.AgGrid(
                id=ids.FIGURES_GRID,
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
            html.Div([legend(charts.STANCE_COLOURS),
                      html.Div(id=ids.ARTICLE_TEXT, className="article-text")],
                     id=ids.ARTICLE_PANEL, className="article-panel"),
        ], className="figures-layout"),
    ], id=ids.view_section(VIEW), className="view")


def register(app: Dash) -> None:
    @app.callback(
        Output(ids.FIGURES_GRID, "getRowsResponse"),
        Input(ids.FIGURES_GRID, "getRowsRequest"),
        State(ids.GRID_ARTICLE, "data"), State(ids.QUICK_SEARCH, "value"),
        State(ids.FILTER_KIND, "value"), State(ids.FILTER_STANCE, "value"),
        State(ids.FILTER_SPEAKER, "value"),
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
    # Two callbacks: the search and the dropdowns, which the URL's callback sets with set_props,
    # refresh at once, without waiting for that callback to write the URL.
    app.clientside_callback(
        ClientsideFunction(namespace="figures", function_name="refreshRows"),
        Output(ids.GRID_REFRESHED, "data"),
        Input(ids.ARTICLE_KEY, "data"), Input(ids.VIEW_TABS, "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="figures", function_name="refreshRows"),
        Output(ids.GRID_REFRESHED, "data", allow_duplicate=True),
        Input(ids.QUICK_SEARCH, "value"), Input(ids.FILTER_KIND, "value"),
        Input(ids.FILTER_STANCE, "value"), Input(ids.FILTER_SPEAKER, "value"),
        prevent_initial_call=True,
    )

    # The figure a URL selects, read in the browser: a round trip to the server for it held
    # the page's other work after every change of the URL (a filter writes the URL).
    app.clientside_callback(
        ClientsideFunction(namespace="figures", function_name="figureInUrl"),
        Output(ids.SELECTED_FIGURE, "data", allow_duplicate=True),
        Input(ids.URL, "search"),
        prevent_initial_call="initial_duplicate",
    )

    # Selection happens in the browser: the article is drawn once per article, and selecting a
    # row or a highlight only moves the `selected` marks (a server round trip and a redraw of
    # the whole text took half a second).
    app.clientside_callback(
        ClientsideFunction(namespace="figures", function_name="selectFigure"),
        Output(ids.SELECTED_FIGURE, "data"), Output(ids.FIGURES_GRID, "selectedRows"),
        Input(ids.FIGURES_GRID, "selectedRows"),
        Input({"type": MARK_TYPE, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )

    # The article's text, a component per highlight, is drawn only when this view is shown.
    draw_when_shown(app, ids.ARTICLE_TEXT, VIEW, lambda found: article_components(
        found.document.text, found.figures, charts.STANCE_COLOURS,
        verdicts=verdicts_of(found.checks)))

    app.clientside_callback(
        ClientsideFunction(namespace="figures", function_name="showSelection"),
        Output(ids.SELECTION_SHOWN, "data"),
        Input(ids.SELECTED_FIGURE, "data"), Input(ids.ARTICLE_TEXT, "children"),
    )

    @app.callback(
        Output(ids.FIGURES_DOWNLOAD, "data"),
        Input(ids.FIGURES_CSV_ALL, "n_clicks"), Input(ids.FIGURES_CSV_VIEW, "n_clicks"),
        State(ids.URL, "search"), State(ids.FIGURES_GRID, "getRowsRequest"),
        State(ids.QUICK_SEARCH, "value"), State(ids.FILTER_KIND, "value"),
        State(ids.FILTER_STANCE, "value"), State(ids.FILTER_SPEAKER, "value"),
        prevent_initial_call=True,
    )
    def download_figures(_all, _view, search, request, text, kinds, stances, speakers):
        found = required(route(search)[0])
        table = found.figures
        name = "figures"
        if ctx.triggered_id == ids.FIGURES_CSV_VIEW:
            # The view the grid shows, worked out again here: all its rows, not only the pages
            # the browser has loaded, and never cells written by the browser.
            request = request if isinstance(request, dict) else {}
            shown = grid.view(found.rows, search=text, kinds=kinds, stances=stances,
                              speakers=speakers, filter_model=request.get("filterModel"),
                              sort_model=request.get("sortModel"))
            table = table.loc[shown.index]  # the contract's columns, in the view's order
            name = "figures-view"
        return dcc.send_bytes(export.csv_bytes(table), f"{download_stem(found)}-{name}.csv")
