"""The page around the views: the article's heading, the tabs, a section per view, and the
callbacks that follow the URL to an article, a view and a selected figure, and fill the page
for a new article."""

from __future__ import annotations

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update, set_props

from dashboard import export, grid
from dashboard.app import ids
from dashboard.app.articles import analysis, built_charts, download_stem, views_of
from dashboard.app.errors import gone_message, required
from dashboard.app.routing import (
    CHART_VIEWS,
    DEFAULT_VIEW,
    FILTERS,
    SEED_KEY,
    VIEWS,
    figure_in,
    reading_in,
    reading_of,
    route,
    search_for,
)
from dashboard.app.views import charts, checks, draw_when_shown, figures, upload, verdicts
from dashboard.ingest import Document


def heading(document: Document) -> list:
    published = document.published.isoformat() if document.published else "date unknown"
    title = document.title or document.document_id
    return [html.Strong(title), html.Span(f" · {document.publisher or 'publisher unknown'} · "
                                          f"{published}")]


def reference_problems(checks) -> html.Div | None:
    """A banner naming the reference files that could not be read, so that the reader knows
    which checks are missing; None when every file was read."""
    problems = checks.attrs.get("reference_problems") or ()
    if not problems:
        return None
    return html.Div([
        "Some reference data could not be read; the checks and charts that need it are left "
        "out, the rest is shown:", html.Ul([html.Li(problem) for problem in problems]),
    ], className="alert")


def tabs(views: list[str]) -> list:
    return [dcc.Tab(label=VIEWS[view], value=view) for view in views]


def layout() -> html.Div:
    views = [verdicts.section(), *[charts.section(view) for view in CHART_VIEWS],
             figures.section(), checks.section(), upload.section()]
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.ARTICLE_KEY),
        dcc.Store(id=ids.SELECTED_FIGURE), dcc.Store(id=ids.GRID_ARTICLE),
        dcc.Store(id=ids.SELECTION_SHOWN),
        dcc.Store(id=ids.GRID_REFRESHED),
        html.Header([
            html.H1("Quantitative claims dashboard"),
            html.Div(id=ids.ARTICLE_HEADING, className="article-heading"),
            html.Nav([
                html.A("Seed article", href=search_for(SEED_KEY, DEFAULT_VIEW),
                       id=ids.SEED_LINK, className="button"),
                html.Button("Download everything (ZIP)", id=ids.ZIP_BUTTON, className="button"),
                dcc.Download(id=ids.ZIP_DOWNLOAD),
            ], className="header-actions"),
        ]),
        # One row of tabs that scrolls sideways on a phone, rather than Dash's stack of eight
        # full-width tabs below 800 px (which filled a 390 px screen's first 640 px).
        dcc.Tabs(id=ids.VIEW_TABS, value=DEFAULT_VIEW, children=tabs(list(VIEWS)),
                 mobile_breakpoint=0, className="view-tabs"),
        html.Div(id=ids.ARTICLE_ERROR, role="alert"),
        html.Div(id=ids.UPLOAD_MESSAGE, role="status"),
        html.Main(views),
    ], className="page")


def register(app: Dash) -> None:
    dropdowns = [ids.FILTER_DROPDOWNS[name] for name in FILTERS]

    # The URL and what the page shows follow each other in one callback: a link, the back
    # button or a pasted URL sets the article, the view, the table's search and filters and the
    # scale; choosing any of them writes the URL. The table's search and filters, and the key
    # its rows are read for, are set with set_props rather than as outputs: Dash holds back
    # every callback whose inputs or states a pending callback may write, and as outputs they
    # held the table's refresh and rows after each filter click until the URL had been written
    # (a third of the click's time).
    @app.callback(
        Output(ids.URL, "search"), Output(ids.VIEW_TABS, "value"),
        Output(ids.ARTICLE_KEY, "data"),
        Output(ids.CLAIM_SCALE, "data"),
        Input(ids.URL, "search"), Input(ids.VIEW_TABS, "value"),
        Input(ids.QUICK_SEARCH, "value"), *[Input(d, "value") for d in dropdowns],
        Input(ids.CLAIM_SCALE, "data"),
        State(ids.ARTICLE_KEY, "data"),
    )
    def follow_url(search, view, text, *rest):
        *chosen, scale, current = rest
        key, url_view = route(search)
        shown = reading_of(text, dict(zip(FILTERS, chosen, strict=True)), scale)
        if ctx.triggered_id not in (None, ids.URL):
            # The reader chose a view, a search, a filter or a scale: the URL says so.
            wanted = search_for(key, view if ctx.triggered_id == ids.VIEW_TABS else url_view,
                                figure_in(search), shown)
            return wanted if wanted != search else no_update, no_update, no_update, no_update
        found = analysis(key)
        if found is not None and url_view not in views_of(key):
            url_view = DEFAULT_VIEW  # a view this article has no chart for
        reading = reading_in(search)
        if key != current:
            set_props(ids.GRID_ARTICLE, {"data": key})
        if reading.search != shown.search:
            set_props(ids.QUICK_SEARCH, {"value": reading.search})
        for name, dropdown in zip(FILTERS, dropdowns, strict=True):
            props = {}
            if key != current and found is not None:  # a dropdown offers what its article has
                props["options"] = figures.options(found.figures[grid.DROPDOWNS[FILTERS[name]]])
            if reading.filters.get(name) != shown.filters.get(name):
                props["value"] = list(reading.filters.get(name, ()))
            if props:  # options and value together: a value before its options is dropped
                set_props(dropdown, props)
        return (no_update, url_view if url_view != view else no_update,
                key if key != current else no_update,
                reading.scale if reading.scale != shown.scale else no_update)

    @app.callback(
        Output(ids.VIEW_TABS, "children"),
        Input(ids.ARTICLE_KEY, "data"),
    )
    def show_tabs(key):
        return tabs(views_of(key)) if analysis(key) is not None else no_update

    @app.callback(
        [Output(ids.view_section(view), "style") for view in VIEWS],
        Input(ids.VIEW_TABS, "value"),
    )
    def show_view(view):
        return [{"display": "block" if name == view else "none"} for name in VIEWS]

    # What a new article fills at once, in one callback: its heading and its verdicts (the
    # first view, a few components).
    @app.callback(
        Output(ids.ARTICLE_HEADING, "children"), Output(ids.ARTICLE_ERROR, "children"),
        Output(ids.VERDICTS_PANEL, "children"),
        Input(ids.ARTICLE_KEY, "data"),
    )
    def show_article(key):
        found = analysis(key)
        if found is None:
            return no_update, gone_message(), no_update
        return (heading(found.document), reference_problems(found.checks),
                verdicts.panel(key, found.checks))

    # The checks panel is the page's largest (about 500 components for the seed): drawn only
    # when its view is shown.
    draw_when_shown(app, ids.CHECKS_PANEL, "checks", lambda found: checks.panel(found.checks))

    @app.callback(
        Output(ids.ZIP_DOWNLOAD, "data"),
        Input(ids.ZIP_BUTTON, "n_clicks"), State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def download_everything(_clicks, search):
        key = route(search)[0]
        found = required(key)
        data = export.bundle_zip(found.figures, found.checks, built_charts(key, False))
        return dcc.send_bytes(data, f"{download_stem(found)}-claims-dashboard.zip")
