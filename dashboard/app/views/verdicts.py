"""The verdicts view (the first): every figure the checks gave a verdict, what differs first.

It has no callback of its own: its panel is filled with the rest of an article's page when the
article changes (dashboard.app.page).
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from dashboard import charts
from dashboard.app import ids
from dashboard.app.routing import search_for


def section() -> html.Div:
    return html.Div([
        html.P("Every figure of the article set against reference data or against the "
               "article's own figures, what differs first. Open one for its working.",
               className="lede"),
        dcc.Loading(html.Div(id=ids.VERDICTS_PANEL, children=html.P(
            "Reading the article and checking its figures...", className="lede")),
            type="default"),
    ], id=ids.view_section("verdicts"), className="view")


def panel(key: str, checks: pd.DataFrame) -> list:
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
