"""A figure against its series: for any series of the reference catalog that the checks matched
an article's figures to, the series over time at the places the article's figures are about,
with each figure marked at its period in the colour of its verdict and the first verdict (what
differs first) in the title.

The chart is named `series:<series id>`; `matched(checks)` lists the series an article's checks
set figures against, in the order a reader should see them.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import reference
from dashboard.charts import article
from dashboard.charts.style import (
    COLORWAY,
    VERDICT_COLOURS,
    VERDICT_ORDER,
    as_float,
    empty,
    frame,
    is_missing,
    month,
    number,
    plain,
    unit_words,
)
from dashboard.checks.catalog import load_catalog
from dashboard.checks.periods import MONTH, TWELVE_MONTHS, YEAR

PREFIX = "series:"
ARTICLE = "the article"
MAX_PLACES = 6  # lines of one chart; a figure about a further place is listed in a note
COLUMNS = ("series", "place", "estimate", "period", "x", "value", "unit", "verdict", "label",
           "note", "source")
SAYS = {"matches": "matches", "consistent": "is consistent with",
        "differs": "differs from", "transposition": "has two digits swapped from",
        "unverifiable": "cannot be set against"}


def name_of(series_id: str) -> str:
    return PREFIX + series_id


def _verifications(checks: pd.DataFrame | None) -> pd.DataFrame:
    """Verification rows of a figure against one period of a series (not a change between two)."""
    if checks is None or checks.empty or "series" not in checks:
        return pd.DataFrame(columns=[] if checks is None else checks.columns)
    period = checks["reference_period"].astype("string")
    keep = ((checks["kind"] == "verification") & checks["series"].notna() & period.notna()
            & ~period.str.contains("/", regex=False).fillna(True))
    return checks[keep.fillna(False).astype(bool)]


def matched(checks: pd.DataFrame | None) -> list[str]:
    """The series the checks set a figure against, the one with the most telling verdict first
    (differs and transpositions before matches), then in the article's order."""
    rows = _verifications(checks)
    if rows.empty:
        return []
    rank = {verdict: at for at, verdict in enumerate(VERDICT_ORDER)}
    first: dict[str, tuple[int, int]] = {}
    for at, (series, verdict) in enumerate(zip(rows["series"], rows["verdict"], strict=True)):
        score = (rank.get(str(verdict), len(rank)), at)
        if series not in first or score < first[series]:
            first[series] = score
    return sorted(first, key=lambda s: first[s])


def _x(key: str, structure: str) -> str:
    """A period key as a date on the chart's axis: the month a period ends, a year's middle."""
    return f"{key}-07-01" if structure == YEAR else f"{key}-01"


def _label(key: str, structure: str) -> str:
    if structure == TWELVE_MONTHS:
        return f"the 12 months to {month(key)}"
    if structure == MONTH:
        return month(key)
    return key


def series_data(figures: pd.DataFrame, checks: pd.DataFrame | None, *, series_id: str,
                data_dir=reference.DATA_DIR) -> pd.DataFrame:
    """The series' values at the places the article's matched figures are about (each estimate
    a line), and the figures themselves at their periods with their verdicts."""
    series = load_catalog(data_dir).by_id.get(series_id)
    if series is None:
        raise KeyError(f"no series {series_id!r} in the reference catalog")
    rows = _verifications(checks)
    rows = rows[rows["series"] == series_id]
    places = list(dict.fromkeys(p for p in rows["reference_place"] if not is_missing(p)))
    if not places and series.geography:
        places = [series.geography]
    credit = article.provenance(figures)
    marks = []
    for check in rows.itertuples(index=False):
        figure = article.by_id(figures, check.claim_figure_id)
        if figure is None or is_missing(check.reference_place):
            continue
        key = str(check.reference_period)
        marks.append({
            "series": ARTICLE, "place": check.reference_place, "estimate": None, "period": key,
            "x": _x(key, series.period), "value": article.stated(figure),
            "unit": series.unit, "verdict": check.verdict,
            "label": f"{figure['surface']}", "note": check.finding,
            "source": article.where(figures, figure, credit),
        })
    lines = []
    for place in places[:MAX_PLACES]:
        for key in series.keys.get(place, ()):
            for estimate, value in (series.lookup(key, place) or {}).items():
                lines.append({
                    "series": series.title, "place": place, "estimate": estimate,
                    "period": key, "x": _x(key, series.period), "value": value,
                    "unit": series.unit, "verdict": None, "label": None, "note": None,
                    "source": series.source_line,
                })
    data = pd.DataFrame(lines + marks, columns=list(COLUMNS))
    data.attrs = {"series_id": series.id, "title": series.title, "structure": series.period,
                  "unit": series.unit, "release": series.release,
                  "places_left_out": places[MAX_PLACES:]}
    return data


def series_figure(data: pd.DataFrame) -> go.Figure:
    """Each place and estimate a line, the article's figures as diamonds in their verdict's
    colour, and the verdict of the first (most telling) one in the title."""
    meta = data.attrs
    chart = name_of(meta.get("series_id", ""))
    unit = unit_words(meta.get("unit", ""))
    values = data[data["series"] != ARTICLE]
    marks = data[data["series"] == ARTICLE]
    sources = list(dict.fromkeys(str(s).split(", characters")[0]
                                 for s in data["source"].dropna()))
    subtitle = _subtitle(meta, values)
    if values.empty:
        return empty(chart, title=f"{meta.get('title', 'The series')}: no values to draw",
                     subtitle=subtitle, message="The series has no value at the places the "
                     "article's figures are about.", sources=sources)
    fig = go.Figure()
    lines = values.groupby(["place", "estimate"], sort=False)
    several_places = values["place"].nunique() > 1
    for at, ((place, estimate), part) in enumerate(lines):
        name = ", ".join(str(p) for p in (place if several_places else None,
                                          estimate) if p)
        fig.add_scatter(
            x=part["x"], y=part["value"], mode="lines", name=plain(name or meta.get("title")),
            line={"color": COLORWAY[at % len(COLORWAY)],
                  "dash": "solid" if at % 2 == 0 or several_places else "dot"},
            customdata=[_label(p, meta.get("structure", "")) for p in part["period"]],
            hovertemplate=f"%{{customdata}}: %{{y:,}} {plain(unit)} ({plain(name)})"
                          "<extra></extra>")
    ordered = _most_telling_first(marks)
    for verdict, part in ordered.groupby("verdict", sort=False):
        colour = VERDICT_COLOURS.get(str(verdict), VERDICT_COLOURS["unverifiable"])
        fig.add_scatter(
            x=part["x"], y=part["value"], mode="markers", name=f"the article: {verdict}",
            marker={"symbol": "diamond", "size": 13, "color": colour,
                    "line": {"color": "white", "width": 1}},
            customdata=list(zip([plain(label) for label in part["label"]],
                                [_label(p, meta.get("structure", "")) for p in part["period"]],
                                strict=True)),
            hovertemplate=(f"The article's %{{customdata[0]}}: %{{y:,}} {plain(unit)} "
                           f"({verdict}), "
                           "%{customdata[1]}<extra></extra>"))
    if len(ordered):
        first = ordered.iloc[0]
        fig.add_annotation(x=first["x"], y=first["value"], showarrow=True, ax=-40, ay=-50,
                           arrowcolor=VERDICT_COLOURS.get(str(first["verdict"]), "#555555"),
                           text=f"the article: {plain(first['label'])} ({first['verdict']})")
    fig.update_xaxes(type="date", title_text=_axis_title(meta.get("structure", "")))
    fig.update_yaxes(title_text=unit, rangemode="tozero" if unit != "percent" else "normal",
                     tickformat=",")
    notes = [str(n) for n in ordered["note"].dropna()][:4]
    if meta.get("places_left_out"):
        notes.append("not drawn: " + ", ".join(meta["places_left_out"]))
    return frame(fig, chart=chart, title=_title(meta, ordered, values), subtitle=subtitle,
                 notes=notes, sources=sources,
                 units={"y": unit, "x": "year" if meta.get("structure") == YEAR else "month"})


def _most_telling_first(marks: pd.DataFrame) -> pd.DataFrame:
    rank = {verdict: at for at, verdict in enumerate(VERDICT_ORDER)}
    order = sorted(range(len(marks)),
                   key=lambda i: (rank.get(str(marks["verdict"].iloc[i]), len(rank)), i))
    return marks.iloc[order]


def _axis_title(structure: str) -> str:
    return {TWELVE_MONTHS: "12 months ending (month)", MONTH: "month",
            YEAR: "year"}.get(structure, "period")


def _subtitle(meta: dict, values: pd.DataFrame) -> str:
    places = ", ".join(dict.fromkeys(str(p) for p in values["place"])) or "no place"
    estimates = ", ".join(dict.fromkeys(str(e) for e in values["estimate"].dropna()))
    release = f"; release {meta['release']}" if meta.get("release") else ""
    return (f"{meta.get('title', '')} ({unit_words(meta.get('unit', ''))}), {places}, by "
            f"{_axis_title(meta.get('structure', ''))}; {estimates}{release}. Diamonds: the "
            "article's figures at the periods the checks read for them.")


def _title(meta: dict, ordered: pd.DataFrame, values: pd.DataFrame) -> str:
    title = meta.get("title", "The series")
    if ordered.empty:
        return f"{title}: the article has no figure in this series to mark"
    first = ordered.iloc[0]
    at = values[(values["period"] == first["period"]) & (values["place"] == first["place"])]
    reference_value = as_float(at["value"].iloc[0]) if len(at) else None
    said = SAYS.get(str(first["verdict"]), "is set against")
    what = (f"{number(reference_value)}" if reference_value is not None
            else "the series")
    # The place only when the chart draws several: the subtitle names the series and place.
    place = f", {first['place']}" if values["place"].nunique() > 1 else ""
    return (f"The article's {first['label']} {said} the series' {what} for "
            f"{_label(str(first['period']), meta.get('structure', ''))}{place}")
