"""Every component id the page's layout and callbacks share, named once.

A callback finds its components by these strings, and the load bench, the browser tests and the
client-side functions (dashboard/assets/figures.js, accessibility.js) write some of them out:
changing one here changes the page's contract with them. The highlights in the article text take
their ids from dashboard.article_view (MARK_TYPE).
"""

from __future__ import annotations

# -- the page around the views --------------------------------------------------------------
URL = "url"
ARTICLE_KEY = "article-key"  # the key of the article the URL names, once it changes
# The same key, for the grid's rows alone: set with set_props, so that a filter's rows are not
# held back while the URL's callback (whose output ARTICLE_KEY is) writes the URL.
GRID_ARTICLE = "grid-article"
ARTICLE_HEADING = "article-heading"
ARTICLE_ERROR = "article-error"
SEED_LINK = "seed-link"
ZIP_BUTTON = "zip-button"
ZIP_DOWNLOAD = "zip-download"
VIEW_TABS = "view"  # the tabs; its value is the view on screen
UPLOAD_MESSAGE = "upload-message"


def view_section(view: str) -> str:
    """The section of the page that holds a view."""
    return f"view-{view}"


# -- verdicts -------------------------------------------------------------------------------
VERDICTS_PANEL = "verdicts-panel"

# -- the chart views ------------------------------------------------------------------------
CLAIM_SCALE = "claim-scale"
SCALE_PREFIX = "scale-"
# A chart section's parts have pattern-matching ids: {"type": <part>, "chart": <chart name>}.
CHART_GRAPH = "chart"
CHART_PNG = "chart-png"
CHART_SVG = "chart-svg"
CHART_CSV = "chart-csv"
CHART_DOWNLOAD = "chart-download"


def scale_button(scale: str) -> str:
    return SCALE_PREFIX + scale


def view_charts(view: str) -> str:
    """The list of a chart view's chart sections."""
    return f"charts-{view}"


def chart_caption(chart: str) -> str:
    return f"caption-{chart}"


def chart_part(part: str, chart: object) -> dict:
    """A part of a chart's section; `chart` is the chart's name, or MATCH in a callback."""
    return {"type": part, "chart": chart}


# -- figures and article --------------------------------------------------------------------
SELECTED_FIGURE = "selected-figure"
SELECTION_SHOWN = "selection-shown"
GRID_REFRESHED = "grid-refreshed"
QUICK_SEARCH = "quick-search"
FILTER_KIND = "filter-kind"
FILTER_STANCE = "filter-stance"
FILTER_SPEAKER = "filter-speaker"
# The dropdowns by the name their filter has in the URL (dashboard.app.routing.FILTERS).
FILTER_DROPDOWNS = {"kind": FILTER_KIND, "stance": FILTER_STANCE, "speaker": FILTER_SPEAKER}
FIGURES_CSV_ALL = "figures-csv-all"
FIGURES_CSV_VIEW = "figures-csv-view"
FIGURES_DOWNLOAD = "figures-download"
FIGURES_GRID = "figures-grid"
ARTICLE_PANEL = "article-panel"
ARTICLE_TEXT = "article-text"

# -- checks ---------------------------------------------------------------------------------
CHECKS_CSV = "checks-csv"
CHECKS_DOWNLOAD = "checks-download"
CHECKS_PANEL = "checks-panel"


def check_details(check_id: str) -> str:
    """The details element of one check, by the check's id."""
    return f"check-{check_id}"


# -- another article ------------------------------------------------------------------------
UPLOAD_TITLE = "upload-title"
UPLOAD_PUBLISHER = "upload-publisher"
UPLOAD_PUBLISHED = "upload-published"
UPLOAD_FILE = "upload-file"
PASTE_TEXT = "paste-text"
PASTE_SUBMIT = "paste-submit"
