"""The page around the views: the article's heading, the tabs, a section per view, and the
callbacks that follow the URL to an article, a view and a selected figure, and fill the page
for a new article."""

from __future__ import annotations

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard import export
from dashboard.app import ids
from dashboard.app.articles import analysis, built_charts, download_stem, views_of
from dashboard.app.routing import (
    CHART_VIEWS,
    DEFAULT_VIEW,
    SEED_KEY,
    VIEWS,
    figure_in,
    route,
    search_for,
)
from dashboard.app.views import charts, checks, figures, upload, verdicts
from dashboard.ingest import Document


def heading(document: Document) -> list:
    published = document.published.isoformat() if document.published else "date unknown"
    title = document.title or document.document_id
    return [html.Strong(title), html.Span(f" · {document.publisher or 'publisher unknown'} · "
                                          f"{published}")]


def tabs(views: list[str]) -> list:
    return [dcc.Tab(label=VIEWS[view], value=view) for view in views]


def layout() -> html.Div:
    views = [verdicts.section(), *[charts.section(view) for view in CHART_VIEWS],
             figures.section(), checks.section(), upload.section()]
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.ARTICLE_KEY),
        dcc.Store(id=ids.SELECTED_FIGURE),
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
    @app.callback(
        Output(ids.URL, "search"), Output(ids.VIEW_TABS, "value"),
        Input(ids.URL, "search"), Input(ids.VIEW_TABS, "value"),
    )
    def sync_url_and_view(search, view):
        key, url_view = route(search)
        if ctx.triggered_id == ids.VIEW_TABS and view != url_view:
            return search_for(key, view), no_update
        if analysis(key) is not None and url_view not in views_of(key):
            url_view = DEFAULT_VIEW  # a view this article has no chart for
        return no_update, url_view

    @app.callback(
        Output(ids.VIEW_TABS, "children"),
        Input(ids.ARTICLE_KEY, "data"),
    )
    def show_tabs(key):
        return tabs(views_of(key)) if analysis(key) is not None else no_update

    @app.callback(
        Output(ids.SELECTED_FIGURE, "data", allow_duplicate=True),
        Input(ids.URL, "search"),
        prevent_initial_call="initial_duplicate",
    )
    def select_from_url(search):
        return figure_in(search) or no_update

    @app.callback(
        Output(ids.ARTICLE_KEY, "data"),
        Input(ids.URL, "search"), State(ids.ARTICLE_KEY, "data"),
    )
    def follow_article(search, current):
        # Only a new article redraws the table, the checks and the text; a new view does not.
        key = route(search)[0]
        return no_update if key == current else key

    @app.callback(
        [Output(ids.view_section(view), "style") for view in VIEWS],
        Input(ids.VIEW_TABS, "value"),
    )
    def show_view(view):
        return [{"display": "block" if name == view else "none"} for name in VIEWS]

    # The panels a new article fills, across views, in one callback: one request an article.
    @app.callback(
        Output(ids.ARTICLE_HEADING, "children"), Output(ids.ARTICLE_ERROR, "children"),
        Output(ids.CHECKS_PANEL, "children"), Output(ids.VERDICTS_PANEL, "children"),
        Output(ids.FILTER_KIND, "options"), Output(ids.FILTER_STANCE, "options"),
        Output(ids.FILTER_SPEAKER, "options"),
        Input(ids.ARTICLE_KEY, "data"),
    )
    def show_article(key):
        found = analysis(key)
        if found is None:
            message = html.Div(
                ["This article is no longer stored here. ",
                 html.A("Open the seed article", href=search_for(SEED_KEY, DEFAULT_VIEW)),
                 " or upload it again."], className="alert")
            return no_update, message, no_update, no_update, no_update, no_update, no_update
        table = found.figures
        return (heading(found.document), None, checks.panel(found.checks),
                verdicts.panel(key, found.checks),
                figures.options(table["quantity_kind"]), figures.options(table["stance"]),
                figures.options(table["speaker"]))

    @app.callback(
        Output(ids.ZIP_DOWNLOAD, "data"),
        Input(ids.ZIP_BUTTON, "n_clicks"), State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def download_everything(_clicks, search):
        key = route(search)[0]
        found = analysis(key)
        data = export.bundle_zip(found.figures, found.checks, built_charts(key, False))
        return dcc.send_bytes(data, f"{download_stem(found)}-claims-dashboard.zip")
