"""The chart views (series, claim, strikes, timeline, speakers): one section builder for them
all, the claim chart's scale, and each chart's PNG, SVG and CSV downloads."""

from __future__ import annotations

from dash import MATCH, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard import export
from dashboard.app import ids
from dashboard.app.articles import analysis, built_charts, charts_by_view, download_stem
from dashboard.app.errors import Refused, required
from dashboard.app.routing import CHART_VIEWS, route

SCALES = {"linear": "Linear scale", "log": "Log scale"}  # the keys of routing.SCALES
PNG_SIZE = {"width": 1200, "height": 675, "scale": 2}


def section(view: str) -> html.Div:
    """A chart view: its charts are drawn when it is shown (the claim view adds its scale)."""
    return html.Div([
        # Two toggle buttons: Dash's RadioItems nests its radio inputs in option roles, which
        # screen readers cannot operate (axe: nested-interactive).
        html.Div([
            html.Span("Scale:", className="controls-label"),
            *[html.Button(label, id=ids.scale_button(value), className="button toggle",
                          **{"aria-pressed": "true" if value == "linear" else "false"})
              for value, label in SCALES.items()],
            dcc.Store(id=ids.CLAIM_SCALE, data="linear"),
        ], className="controls", role="group",
            **{"aria-label": "Scale of the claim chart"}) if view == "claim" else None,
        # The article's charts of this view, drawn when the view is shown.
        dcc.Loading(html.Div(id=ids.view_charts(view)), type="default",
                    overlay_style={"visibility": "visible", "opacity": 0.5}),
    ], id=ids.view_section(view), className="view")


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
                        className="chart-caption", id=ids.chart_caption(name)),
        html.Div(dcc.Graph(id=ids.chart_part(ids.CHART_GRAPH, name), className="chart",
                  figure=figure if figure is not None else {},
                  config={"displaylogo": False,
                          "toImageButtonOptions": {"format": "png", "filename": name,
                                                   **PNG_SIZE}}),
                 className="chart-scroll"),
        html.Div([
            html.Button("Download PNG", id=ids.chart_part(ids.CHART_PNG, name),
                        className="button"),
            html.Button("Download SVG", id=ids.chart_part(ids.CHART_SVG, name),
                        className="button"),
            html.Button("Download CSV", id=ids.chart_part(ids.CHART_CSV, name),
                        className="button"),
            # A PNG is drawn on the server in a second or two: the buttons say so meanwhile.
            dcc.Loading(dcc.Download(id=ids.chart_part(ids.CHART_DOWNLOAD, name)),
                        type="dot", className="download-loading"),
        ], className="chart-actions"),
    ], className="chart-section", role="group", **{"aria-label": finding or name})


def register(app: Dash) -> None:
    @app.callback(
        Output(ids.CLAIM_SCALE, "data", allow_duplicate=True),
        *[Input(ids.scale_button(value), "n_clicks") for value in SCALES],
        prevent_initial_call=True,
    )
    def choose_scale(*_clicks):
        return str(ctx.triggered_id).removeprefix(ids.SCALE_PREFIX)

    # The buttons show the scale, whether a click or the URL chose it.
    @app.callback(
        *[Output(ids.scale_button(value), "aria-pressed") for value in SCALES],
        Input(ids.CLAIM_SCALE, "data"),
    )
    def show_scale(scale):
        return ["true" if value == scale else "false" for value in SCALES]

    @app.callback(
        [Output(ids.view_charts(view), "children") for view in CHART_VIEWS],
        Input(ids.ARTICLE_KEY, "data"), Input(ids.VIEW_TABS, "value"),
        Input(ids.CLAIM_SCALE, "data"),
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
        Output(ids.chart_part(ids.CHART_DOWNLOAD, MATCH), "data"),
        Input(ids.chart_part(ids.CHART_CSV, MATCH), "n_clicks"),
        Input(ids.chart_part(ids.CHART_PNG, MATCH), "n_clicks"),
        Input(ids.chart_part(ids.CHART_SVG, MATCH), "n_clicks"),
        State(ids.URL, "search"), State(ids.CLAIM_SCALE, "data"),
        prevent_initial_call=True,
    )
    def download_chart(_csv, _png, _svg, search, scale):
        key = route(search)[0]
        found = required(key)
        name = ctx.triggered_id["chart"]
        built = built_charts(key, scale == "log")
        if name not in built:
            raise Refused("This article has no such chart to download.")
        data, figure = built[name]
        stem = f"{download_stem(found)}-{export.file_name(name)}"
        kind = ctx.triggered_id["type"]
        if kind == ids.CHART_CSV:
            return dcc.send_bytes(export.csv_bytes(data), f"{stem}.csv")
        if kind == ids.CHART_SVG:
            return dcc.send_bytes(export.svg_bytes(figure, PNG_SIZE["width"],
                                                   PNG_SIZE["height"]), f"{stem}.svg")
        return dcc.send_bytes(export.png_bytes(figure, **PNG_SIZE), f"{stem}.png")
