"""The one look of every chart: palette, template, and the frame that puts title, subtitle,
notes and sources inside the figure, so that an exported PNG (1200 x 675) stands on its own.

Text is wrapped by character count and margins are set in pixels, not in fractions of the plot,
because plotly does not wrap text and a PNG has no page around it to fall back on.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.units import COUNTABLE_UNITS

TEMPLATE_NAME = "claims"
# Fonts Debian ships (fonts-dejavu-core is a dependency of chromium there), then the usual ones.
FONT = "DejaVu Sans, Arial, sans-serif"

# Okabe & Ito's colour-blind-safe set (Wong, Nature Methods 8:441, 2011), with the grey that the
# usual eight-colour version puts in place of black for de-emphasis.
PALETTE: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "grey": "#999999",
}

# Figures of the article keep the colour of their stance in every chart and in the article's
# highlights, so a reader can follow one figure from the text to the charts.
STANCE_COLOURS: dict[str, str] = {
    "claim": PALETTE["vermillion"],
    "data": PALETTE["blue"],
    "reported": PALETTE["bluish green"],
    "furniture": PALETTE["grey"],
}
# What each stance means, in a few words: the article panel's legend and the timeline's.
STANCE_LABELS = {
    "claim": "claim (asserted by a speaker)",
    "data": "data (a statistical source)",
    "reported": "reported (the article's own reporting)",
    "furniture": "page furniture",
}
# Verdicts, most telling first: what a reader should see before what agrees. Their colours are
# Okabe-Ito's, the grey of "unverifiable" saying that nothing was concluded.
VERDICT_ORDER = ("transposition", "differs", "unverifiable", "consistent", "matches")
VERDICT_COLOURS: dict[str, str] = {
    "transposition": PALETTE["vermillion"],
    "differs": PALETTE["reddish purple"],
    "unverifiable": PALETTE["grey"],
    "consistent": PALETTE["sky blue"],
    "matches": PALETTE["bluish green"],
}
# Reference data is drawn in colours no stance uses, so it never reads as the article's own.
REFERENCE = PALETTE["black"]
REFERENCE_2 = PALETTE["orange"]
REFERENCE_3 = PALETTE["reddish purple"]
TEXT_GREY = "#555555"

COLORWAY = [PALETTE[n] for n in ("black", "orange", "sky blue", "reddish purple", "bluish green",
                                  "blue", "vermillion", "yellow")]

# Pixel sizes of the frame. Wrap widths (characters) keep each line under about 950 px in
# DejaVu Sans, so text also fits a chart narrower than the 1200 px export.
HEIGHT = 675
TITLE_SIZE, SUBTITLE_SIZE, SMALL_SIZE = 19, 13, 11
TITLE_WRAP, SUBTITLE_WRAP, SMALL_WRAP = 80, 125, 160
TITLE_LINE, SUBTITLE_LINE, SMALL_LINE = 24, 17, 14
TOP_PAD, LEGEND_ROOM, AXIS_ROOM, BOTTOM_PAD = 14, 34, 58, 10
LEFT, RIGHT = 80, 40

pio.templates[TEMPLATE_NAME] = go.layout.Template(layout={
    "font": {"family": FONT, "size": 12, "color": "#222222"},
    "colorway": COLORWAY,
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "separators": ".,",
    "hovermode": "closest",
    "hoverlabel": {"font": {"family": FONT, "size": 12}, "align": "left"},
    "xaxis": {"showgrid": False, "linecolor": "#444444", "ticks": "outside",
              "tickcolor": "#444444", "zeroline": False, "automargin": True,
              "title": {"standoff": 6, "font": {"size": 12}}},
    "yaxis": {"showgrid": True, "gridcolor": "#E6E6E6", "linecolor": "#444444",
              "zeroline": False, "automargin": True, "title": {"standoff": 8, "font": {"size": 12}},
              "separatethousands": True},
    "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
               "font": {"size": 12}, "bgcolor": "rgba(255,255,255,0)"},
    "bargap": 0.35,
    "title": {"font": {"size": TITLE_SIZE}},
})


# -- words and numbers ------------------------------------------------------------------------
def wrap(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` characters (a longer word stays whole)."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def plain(text: object) -> str:
    """`text` as plotly draws it literally: plotly reads its strings as a subset of HTML (links,
    styles, line breaks), so text from an article or its metadata has `&`, `<` and `>` written
    as entities, which plotly shows as the characters."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def lines(text: str, width: int) -> str:
    """`text` wrapped for plotly, which breaks lines only at <br>, and drawn as text."""
    return "<br>".join(plain(line) for line in wrap(text, width))


def number(value: float, decimals: int | None = None) -> str:
    """73690 -> "73,690"; 3.952 -> "3.95"; a whole number never gets decimals."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() or abs(value) >= 100 else 2
    return f"{value:,.{decimals}f}"


def day(when: dt.date | pd.Timestamp) -> str:
    """18 Nov 2025."""
    return f"{when.day} {when:%b %Y}"


def month(period: str) -> str:
    """"2025-04" -> "Apr 2025"."""
    return f"{dt.date.fromisoformat(period + '-01'):%b %Y}"


def plural(unit: str) -> str:
    """The reader's word for many of a unit: person -> people, vessel -> vessels."""
    if unit == "person":
        return "people"
    if unit in COUNTABLE_UNITS or unit in ("month", "year", "week", "day"):
        return unit[:-1] + "ies" if unit.endswith("y") and unit != "day" else unit + "s"
    return unit


def unit_words(unit: str) -> str:
    """A unit as an axis title says it: "person / strike" -> "people per strike"."""
    if " / " in unit:
        top, bottom = unit.split(" / ", 1)
        return f"{plural(top)} per {bottom}"
    return plural(unit)


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' NA (which has no truth value of its own)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def as_float(value: object) -> float | None:
    return None if is_missing(value) else float(value)


# -- the frame --------------------------------------------------------------------------------
def frame(fig: go.Figure, *, chart: str, title: str, subtitle: str, sources: Iterable[str],
          notes: Iterable[str] = (), units: Mapping[str, str] | None = None,
          legend: bool = True, left: int = LEFT) -> go.Figure:
    """Put title, subtitle, notes and source lines inside `fig`, apply the template, and record
    them in `layout.meta` (chart, title, subtitle, notes, sources, units by axis) for the app,
    the exporter and the tests."""
    sources = [s for s in dict.fromkeys(sources) if s]
    notes = [n for n in dict.fromkeys(notes) if n]
    # Every line is text: titles, notes and sources carry article words and metadata.
    title_lines = [plain(line) for line in wrap(title, TITLE_WRAP)]
    subtitle_lines = [plain(line) for line in wrap(subtitle, SUBTITLE_WRAP)]
    note_lines = [plain(line) for note in notes
                  for line in wrap(f"Note: {note[:1].upper()}{note[1:]}", SMALL_WRAP)]
    source_lines = [plain(line) for source in sources for line in wrap(source, SMALL_WRAP)]
    top = (TOP_PAD + TITLE_LINE * len(title_lines) + SUBTITLE_LINE * len(subtitle_lines) + 18
           + (LEGEND_ROOM if legend else 0))
    bottom = AXIS_ROOM + SMALL_LINE * (len(note_lines) + len(source_lines)) + 2 * BOTTOM_PAD
    fig.update_layout(
        template=TEMPLATE_NAME,
        height=HEIGHT,
        margin={"t": top, "b": bottom, "l": left, "r": RIGHT, "autoexpand": True},
        showlegend=legend,
        title={
            "text": "<b>" + "<br>".join(title_lines) + "</b>",
            "subtitle": {"text": "<br>".join(subtitle_lines),
                         "font": {"size": SUBTITLE_SIZE, "color": TEXT_GREY}},
            # plotly anchors a title of several lines by its last line, so each line above it
            # needs its height of padding or the first line is cut off at the top.
            "x": 0, "xref": "container", "xanchor": "left",
            "y": 1, "yref": "container", "yanchor": "top",
            "pad": {"l": 14, "t": TOP_PAD + TITLE_LINE * (len(title_lines) - 1)},
        },
        meta={"chart": chart, "title": title, "subtitle": subtitle, "notes": notes,
              "sources": sources, "units": dict(units or {})},
    )
    small = {"size": SMALL_SIZE, "color": TEXT_GREY}
    common = {"xref": "paper", "yref": "paper", "x": 0, "xanchor": "left", "xshift": 14 - left,
              "y": 0, "showarrow": False, "align": "left", "font": small}
    if note_lines:
        fig.add_annotation(name="notes", text="<br>".join(note_lines), yanchor="top",
                           yshift=-AXIS_ROOM, **common)
    fig.add_annotation(name="sources", text="<br>".join(source_lines), yanchor="bottom",
                       yshift=BOTTOM_PAD - bottom, **common)
    return fig


def empty(chart: str, *, title: str, subtitle: str, message: str,
          sources: Iterable[str]) -> go.Figure:
    """A figure that says plainly there is nothing to draw, framed like every other chart."""
    fig = go.Figure()
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(name="message", text=lines(message, 70), xref="paper", yref="paper",
                       x=0.5, y=0.5, showarrow=False, font={"size": 15, "color": TEXT_GREY})
    return frame(fig, chart=chart, title=title, subtitle=subtitle, sources=sources,
                 legend=False)


def log_range(values: Iterable[float], headroom: float = 0.35) -> list[float]:
    """A log axis range (in powers of ten) with room above the tallest bar for its label."""
    positive = [v for v in values if v > 0]
    low, high = math.log10(min(positive)), math.log10(max(positive))
    return [math.floor(low), high + headroom + 0.25 * (high - low)]
