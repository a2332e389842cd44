"""The URL: which article (`article`), which view (`view`) and which figure (`figure`) a page
shows, and how the reader left it: the figures table's search (`q`) and filters (`kind`,
`stance`, `speaker`, each repeated for several choices) and the claim chart's `scale`.

No user state lives in the process: a copied link opens what was seen, on any worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
SCALES = ("linear", "log")  # the first is the default, left out of the URL
# The figures table's dropdown filters: their name in the URL, and in dashboard.grid.DROPDOWNS.
FILTERS = {"kind": "kinds", "stance": "stances", "speaker": "speakers"}
# A URL is typed or pasted by anyone: what it may hold is bounded, like any other input.
MAX_CHOICES = 50
MAX_TEXT = 200


@dataclass(frozen=True)
class Reading:
    """How the reader left the page: the table's search and filters and the chart scale."""
    search: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scale: str = SCALES[0]

    def query(self) -> dict[str, object]:
        """The URL parameters that say it; defaults are left out."""
        query: dict[str, object] = {}
        if self.search:
            query["q"] = self.search
        for name in FILTERS:
            if self.filters.get(name):
                query[name] = list(self.filters[name])
        if self.scale != SCALES[0]:
            query["scale"] = self.scale
        return query


def _query(search: object) -> dict[str, list[str]]:
    """A query string's parameters; anything but a string (a crafted request) has none."""
    return parse_qs(search.lstrip("?")) if isinstance(search, str) else {}


def reading_in(search: str | None) -> Reading:
    """The search, filters and scale a URL holds; anything malformed reads as its default."""
    query = _query(search)
    text = (query.get("q") or [""])[0][:MAX_TEXT]
    filters = {name: tuple(dict.fromkeys(v[:MAX_TEXT] for v in query.get(name, []) if v))
               [:MAX_CHOICES] for name in FILTERS}
    scale = (query.get("scale") or [SCALES[0]])[0]
    return Reading(text, {k: v for k, v in filters.items() if v},
                   scale if scale in SCALES else SCALES[0])


def reading_of(search: object, filters: dict[str, object], scale: object) -> Reading:
    """The reading the page's controls show (a dropdown's value is None, a string or a list)."""
    def choices(value: object) -> tuple[str, ...]:
        values = value if isinstance(value, list) else [value]
        return tuple(dict.fromkeys(str(v)[:MAX_TEXT] for v in values
                                   if v not in (None, "")))[:MAX_CHOICES]
    picked = {name: choices(filters.get(name)) for name in FILTERS}
    return Reading(str(search)[:MAX_TEXT] if isinstance(search, str) else "",
                   {k: v for k, v in picked.items() if v},
                   scale if scale in SCALES else SCALES[0])


def route(search: str | None) -> tuple[str, str]:
    """(article key, view) from a URL's query string, with safe defaults."""
    query = _query(search)
    key = (query.get("article") or [SEED_KEY])[0]
    view = (query.get("view") or [DEFAULT_VIEW])[0]
    return key, view if view in VIEWS else DEFAULT_VIEW


def figure_in(search: str | None) -> str | None:
    """The figure a URL selects (`figure=<figure id>`), if any."""
    return (_query(search).get("figure") or [None])[0]


def search_for(key: str, view: str, figure: str | None = None,
               reading: Reading | None = None) -> str:
    query: dict[str, object] = {"article": key, "view": view}
    if figure:
        query["figure"] = figure
    if reading is not None:
        query.update(reading.query())
    return "?" + urlencode(query, doseq=True)
