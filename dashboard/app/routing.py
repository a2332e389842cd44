"""The URL: which article (`article`), which view (`view`) and which figure (`figure`) a page shows.

No user state lives in the process: a copied link opens what was seen, on any worker.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

# The key the URL gives the seed article; any other key names an uploaded article in
# dashboard.store.
SEED_KEY = "seed"
# Every view the dashboard has, in the order of its tabs. An article gets the views its tables
# fill (dashboard.app.articles.views_of): the chart views only when it has a chart of theirs
# (charts.toml decides).
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
DEFAULT_VIEW = "verdicts"


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
