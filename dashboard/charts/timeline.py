"""Every dated figure of the article on one time axis: days as points; months, years, stated
periods and intervals ("2017 to 2021") as spans; coloured by stance, the publication date marked.
The context it shows (a first term, an earlier year) is the article's own year figures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import article
from dashboard.charts.style import (
    STANCE_COLOURS,
    STANCE_LABELS,
    TEXT_GREY,
    as_float,
    day,
    empty,
    frame,
    is_missing,
    lines,
    number,
    plain,
    unit_words,
)

NAME = "timeline"
COLUMNS = ("figure_id", "surface", "excerpt", "date", "period", "start", "end", "precision",
           "date_label", "stance", "speaker", "value", "unit", "sentence", "published",
           "source")
RECENT = pd.Timedelta(days=91)  # "the three months before publication"
LABEL_WIDTH = 58  # characters of a row label, which sits in the left margin
# A row per figure stops being readable (and a long report's chart runs to megabytes): past this
# many rows the chart shows those nearest publication, says so, and the CSV keeps them all.
MAX_ROWS = 120


def timeline_data(figures: pd.DataFrame, checks: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per dated figure, in date order, with the span its date covers (`end` is
    exclusive; a day has start == end). `checks` is not used: only the article has dates."""
    published = article.published(figures)
    credit = article.provenance(figures)
    rows = []
    for _, figure in figures[figures["date"].notna()].iterrows():
        when = article.span(figure["date"], figure["period"])
        if when is None:
            continue
        rows.append({
            "figure_id": figure["figure_id"], "surface": figure["surface"],
            "excerpt": article.excerpt(figure["sentence"], figure["surface"]),
            "date": figure["date"], "period": figure["period"],
            "start": when.start.date().isoformat(), "end": when.end.date().isoformat(),
            "precision": when.precision, "date_label": when.label, "stance": figure["stance"],
            "speaker": figure["speaker"], "value": article.stated(figure), "unit": figure["unit"],
            "sentence": figure["sentence"],
            "published": published.date().isoformat() if published is not None else None,
            "source": article.where(figures, figure, credit),
        })
    data = pd.DataFrame(rows, columns=list(COLUMNS))
    return data.sort_values(["start", "end"], kind="stable").reset_index(drop=True)


def _amount(row: pd.Series) -> str:
    """", 73,960 people" for a dated figure that also states an amount."""
    value = as_float(row["value"])
    if value is None or is_missing(row["unit"]):
        return ""
    return f", {number(value)} {unit_words(str(row['unit']))}"


def _label(row: pd.Series) -> str:
    text = f"{row['date_label']}: {row['excerpt']}"
    return text if len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1] + "\u2026"


def timeline_figure(data: pd.DataFrame) -> go.Figure:
    """A row per figure, spans as bars and days as diamonds, on a date axis."""
    sources = list(dict.fromkeys(str(s).split(", characters")[0] for s in data["source"]))
    if data.empty:
        return empty(NAME, title="The article gives no dates to place on a time line",
                     subtitle="Dated figures (days, months, years, periods) of the article.",
                     message="No figure of this article carries a date.",
                     sources=["Source: the article's figures table, in which no figure carries "
                              "a date"])
    title, subtitle = _words(data, next(iter(data["published"].dropna()), None))
    notes = ["a figure measured over a stated period (\u201cthe 12 months ending in April\u201d) "
             "spans that period; relative dates (\u201cMonday\u201d) are resolved against the "
             "publication date."]
    if len(data) > MAX_ROWS:
        notes.insert(0, f"the chart shows the {MAX_ROWS} dated figures nearest publication of "
                        f"the {len(data):,}; the chart's CSV lists them all.")
        data = _nearest_publication(data)
    fig = go.Figure()
    shown: set[str] = set()
    for stance, part in data.groupby("stance", sort=False):
        colour = STANCE_COLOURS.get(stance, TEXT_GREY)
        spans = part[part["precision"] != "day"]
        days = part[part["precision"] == "day"]
        hover = [f"<b>{plain(r['surface'])}</b> ({plain(r['stance'])}; {plain(r['speaker'])})"
                 f"<br>{plain(r['date_label'])}{plain(_amount(r))}<br>{lines(r['sentence'], 70)}"
                 for _, r in part.iterrows()]
        hover_of = dict(zip(part["figure_id"], hover, strict=True))
        if len(spans):
            width = pd.to_datetime(spans["end"]) - pd.to_datetime(spans["start"])
            fig.add_bar(orientation="h", y=spans["figure_id"], base=spans["start"],
                        x=width.dt.total_seconds() * 1000, name=STANCE_LABELS.get(stance, stance),
                        legendgroup=stance, showlegend=stance not in shown,
                        marker={"color": colour}, width=0.6,
                        hovertext=[hover_of[i] for i in spans["figure_id"]],
                        hovertemplate="%{hovertext}<extra></extra>")
            shown.add(stance)
        if len(days):
            fig.add_scatter(y=days["figure_id"], x=days["start"], mode="markers",
                            name=STANCE_LABELS.get(stance, stance),
                            legendgroup=stance, showlegend=stance not in shown,
                            marker={"symbol": "diamond", "size": 11, "color": colour},
                            hovertext=[hover_of[i] for i in days["figure_id"]],
                            hovertemplate="%{hovertext}<extra></extra>")
            shown.add(stance)
    labels = [_label(r) for _, r in data.iterrows()]
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(data["figure_id"]),
                     tickvals=list(data["figure_id"]), ticktext=[plain(t) for t in labels],
                     autorange="reversed",
                     showgrid=True, title_text="")
    published = next(iter(data["published"].dropna()), None)
    first = pd.Timestamp(data["start"].min())
    last = max(pd.Timestamp(data["end"].max()), pd.Timestamp(published or data["end"].max()))
    pad = max(pd.Timedelta(days=10), (last - first) * 0.03)
    fig.update_xaxes(type="date", range=[first - pad, last + pad],
                     title_text="date (day; bars span a month, year, stated period or interval)")
    if published:
        fig.add_vline(x=pd.Timestamp(published).timestamp() * 1000,
                      line={"color": TEXT_GREY, "dash": "dash", "width": 1})
        fig.add_annotation(xref="x", yref="paper", x=published, y=1, yanchor="bottom",
                           xanchor="right", showarrow=False, font={"size": 11, "color": TEXT_GREY},
                           text=f"published {day(pd.Timestamp(published))}")
    left = min(480, 24 + int(7.0 * max(len(label) for label in labels)))
    return frame(fig, chart=NAME, title=title, subtitle=subtitle, sources=sources, left=left,
                 notes=notes, units={"x": "date"})


def _nearest_publication(data: pd.DataFrame) -> pd.DataFrame:
    """The MAX_ROWS rows whose dates end nearest the publication date, in date order."""
    published = next(iter(data["published"].dropna()), None)
    anchor = pd.Timestamp(published) if published else pd.to_datetime(data["end"]).max()
    distance = (pd.to_datetime(data["end"]) - anchor).abs()
    return data.loc[distance.nsmallest(MAX_ROWS, keep="first").index].sort_index()


def _words(data: pd.DataFrame, published: str | None) -> tuple[str, str]:
    n = len(data)
    first_year = data["start"].min()[:4]
    subtitle = ("Each dated figure of the article, labelled with its date and a few words of its "
                "sentence, coloured by stance (claim, data, the article's reporting).")
    if not published:
        return (f"The article's {n} dated figures run from {first_year} to "
                f"{data['date_label'].iloc[-1]}", subtitle)
    cut = pd.Timestamp(published) - RECENT
    recent = int((pd.to_datetime(data["start"]) >= cut).sum())
    if recent == n:
        return f"All {n} of the article's dated figures fall in the 3 months before it", subtitle
    verb = "falls" if recent == 1 else "fall"
    return (f"{recent} of the article's {n} dated figures {verb} in the 3 months before "
            f"publication; the rest reach back to {first_year}", subtitle)
