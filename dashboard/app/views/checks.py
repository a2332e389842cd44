"""The checks view: each check with its working, and the checks table as CSV."""

from __future__ import annotations

import pandas as pd
from dash import Dash, Input, Output, State, dcc, html

from dashboard import export
from dashboard.app import ids
from dashboard.app.articles import download_stem
from dashboard.app.errors import required
from dashboard.app.routing import route


def section() -> html.Div:
    """The view's panel is filled with the rest of an article's page (dashboard.app.page)."""
    return html.Div([
        html.Button("CSV: checks table", id=ids.CHECKS_CSV, className="button"),
        dcc.Download(id=ids.CHECKS_DOWNLOAD),
        html.Div(id=ids.CHECKS_PANEL),
    ], id=ids.view_section("checks"), className="view")


def panel(checks: pd.DataFrame) -> list:
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
        ], open=first["kind"] == "finding", id=ids.check_details(check_id), className="check"))
    return blocks


def register(app: Dash) -> None:
    @app.callback(
        Output(ids.CHECKS_DOWNLOAD, "data"),
        Input(ids.CHECKS_CSV, "n_clicks"), State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def download_checks(_clicks, search):
        found = required(route(search)[0])
        return dcc.send_bytes(export.csv_bytes(found.checks), f"{download_stem(found)}-checks.csv")
