"""Strikes against fatalities, from the strike list (`vessel_strikes`): cumulative strikes and
deaths by date, and deaths per strike by region, with the article's own count marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import reference
from dashboard.charts import article
from dashboard.charts.style import (
    REFERENCE,
    REFERENCE_2,
    STANCE_COLOURS,
    day,
    frame,
    plain,
    unit_words,
)
from dashboard.units import Quantity

RESOURCE = "vessel_strikes"
COLUMNS = ("series", "date", "event_id", "measure", "value", "cumulative", "unit", "region",
           "killed", "presumed_dead", "date_uncertain", "label", "stance", "note", "source",
           "source_urls")
REGION_COLUMNS = ("region", "measure", "value", "unit", "strikes", "deaths", "killed",
                  "presumed_dead", "events", "stance", "note", "source")
ARTICLE = "the article"
ALL_REGIONS = "All regions"


def _strike_list(data_dir) -> pd.DataFrame:
    strikes = reference.load(RESOURCE, data_dir).sort_values(["strike_date", "event_id"])
    return strikes.assign(deaths=strikes["killed"] + strikes["presumed_dead"])


def _urls(row: pd.Series) -> str:
    return " | ".join(str(row[c]) for c in ("source_url_1", "source_url_2", "source_url_3")
                      if not pd.isna(row[c]))


def _dates(rows: pd.DataFrame) -> str:
    return ", ".join(day(d) for d in rows["strike_date"])


def strikes_data(figures: pd.DataFrame, checks: pd.DataFrame | None = None,
                 *, data_dir=reference.DATA_DIR) -> pd.DataFrame:
    """Each strike event's strikes and deaths (killed plus presumed dead) with running totals,
    and the article's own count at its publication date. `checks` is not used: the chart reads
    the strike list itself."""
    strikes = _strike_list(data_dir)
    line = reference.source_line(RESOURCE, data_dir)
    rows = []
    for measure, column, unit in (("strikes", "n_strikes", "strike"),
                                  ("deaths", "deaths", "person")):
        for (_, event), total in zip(strikes.iterrows(), strikes[column].cumsum(), strict=True):
            presumed = int(event["presumed_dead"])
            rows.append({
                "series": "strike list", "date": event["strike_date"].date().isoformat(),
                "event_id": int(event["event_id"]), "measure": measure,
                "value": int(event[column]), "cumulative": int(total), "unit": unit,
                "region": event["region"], "killed": int(event["killed"]),
                "presumed_dead": presumed, "date_uncertain": bool(event["date_uncertain"]),
                "note": (f"{presumed} survivor presumed dead, not in the official toll"
                         if presumed and measure == "deaths" else None),
                "source": line, "source_urls": _urls(event),
            })
    toll = article.strike_toll(figures)
    when = article.published(figures)
    if toll is not None and when is not None:
        for measure, figure in (("strikes", toll.strikes), ("deaths", toll.deaths)):
            value = article.stated(figure)
            rows.append({
                "series": ARTICLE, "date": when.date().isoformat(), "measure": measure,
                "value": value, "cumulative": value, "unit": figure["unit"],
                "label": figure["surface"], "note": figure["qualifier"],
                "stance": figure["stance"], "source": article.where(figures, figure),
            })
    return pd.DataFrame(rows, columns=list(COLUMNS))


def strikes_figure(data: pd.DataFrame) -> go.Figure:
    """Two panels sharing the date axis: running deaths above, running strikes below."""
    listed = data[data["series"] == "strike list"]
    marked = data[data["series"] == ARTICLE]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.07,
                        row_heights=[0.58, 0.42])
    for row, measure in ((1, "deaths"), (2, "strikes")):
        part = listed[listed["measure"] == measure]
        unit = unit_words(part["unit"].iloc[0])
        fig.add_scatter(
            row=row, col=1, x=part["date"], y=part["cumulative"], mode="lines+markers",
            line={"shape": "hv", "color": REFERENCE, "width": 2}, marker={"size": 6},
            name="Strike list" if row == 1 else None, showlegend=row == 1,
            legendgroup="list",
            customdata=list(zip(part["value"], part["region"], part["killed"],
                                part["presumed_dead"], [_hover_urls(u) for u in
                                                        part["source_urls"]], strict=True)),
            hovertemplate=_hover(measure, unit))
        top = max([part["cumulative"].max(), *marked[marked["measure"] == measure]["value"]])
        fig.update_yaxes(row=row, col=1, range=[0, top * 1.3],
                         title_text=f"{measure}, running total ({unit})")
        mark = marked[marked["measure"] == measure]
        if len(mark):
            _mark(fig, row, mark.iloc[0], unit)
    first, last = pd.Timestamp(data["date"].min()), pd.Timestamp(data["date"].max())
    fig.update_xaxes(range=[first - pd.Timedelta(days=3), last + pd.Timedelta(days=4)])
    fig.update_xaxes(row=2, col=1, title_text="date of strike (day)", tickformat="%-d %b %Y")
    title, subtitle = _strikes_words(listed, marked)
    return frame(fig, chart="strikes", title=title, subtitle=subtitle,
                 notes=_strike_notes(listed), sources=_sources(data),
                 units={"y": unit_words("person"), "y2": unit_words("strike"), "x2": "day"})


def _hover(measure: str, unit: str) -> str:
    each = ("%{customdata[0]} deaths (%{customdata[2]} confirmed killed, %{customdata[3]} "
            "presumed dead)" if measure == "deaths" else "%{customdata[0]} strikes")
    return (f"<b>%{{x|%-d %b %Y}}</b>, %{{customdata[1]}}<br>{each}"
            f"<br>running total: %{{y:,}} {unit}<br>%{{customdata[4]}}<extra></extra>")


def _hover_urls(urls: str) -> str:
    return "<br>".join(u[:90] for u in str(urls).split(" | ") if u)


def _mark(fig: go.Figure, row: int, mark: pd.Series, unit: str) -> None:
    colour = STANCE_COLOURS[mark["stance"]]
    said = plain(f"{mark['label'][:1].lower()}{mark['label'][1:]} {unit}")
    fig.add_scatter(row=row, col=1, x=[mark["date"]], y=[mark["value"]], mode="markers",
                    marker={"symbol": "diamond", "size": 13, "color": colour,
                            "line": {"color": "white", "width": 1}},
                    name="The article's count" if row == 1 else None, showlegend=row == 1,
                    legendgroup="article",
                    hovertemplate=f"The article, %{{x|%-d %b %Y}}: {said}<extra></extra>")
    fig.add_annotation(row=row, col=1, x=mark["date"], y=mark["value"],
                       text=f"The article, {day(pd.Timestamp(mark['date']))}: {said}",
                       showarrow=True, arrowcolor=colour, ax=-60, ay=-26,
                       font={"color": colour, "size": 12}, xanchor="right",
                       bgcolor="rgba(255,255,255,0.85)")


def _strikes_words(listed: pd.DataFrame, marked: pd.DataFrame) -> tuple[str, str]:
    deaths = listed[listed["measure"] == "deaths"]
    strikes = listed[listed["measure"] == "strikes"]
    first, last = pd.Timestamp(deaths["date"].min()), pd.Timestamp(deaths["date"].max())
    subtitle = ("Running totals of US strikes on alleged drug boats and of the people they "
                "killed, by date of strike; deaths include survivors presumed dead.")
    if marked.empty:
        title = (f"{strikes['cumulative'].iloc[-1]} US strikes on alleged drug boats killed "
                 f"{deaths['cumulative'].iloc[-1]} people from {day(first)} to {day(last)}")
        return title, subtitle + " The article gives no count of strikes and deaths to mark."
    when = pd.Timestamp(marked["date"].iloc[0])
    by_then = {m: int(listed[(listed["measure"] == m)
                             & (pd.to_datetime(listed["date"]) <= when)]["cumulative"].max())
               for m in ("strikes", "deaths")}
    said = {row["measure"]: row for _, row in marked.iterrows()}
    agree = all(_agrees(said[m], by_then[m]) for m in said)
    listed_words = f"{by_then['strikes']} strikes and {by_then['deaths']} dead"
    if agree:
        title = (f"The strike list bears out the article: {listed_words} by "
                 f"{day(when)}, the day it was published")
    else:
        title = (f"The strike list has {listed_words} by {day(when)}; the article says "
                 f"{said['strikes']['label']} strikes and {said['deaths']['label']} dead")
    return title, subtitle + " The article's count is marked at its publication date."


def _agrees(said: pd.Series, listed: int) -> bool:
    """The list's count is what the article says, or within the bound its hedge sets."""
    if said["note"] in ("at least", "more than"):
        return listed >= said["value"]
    if said["note"] in ("up to", "fewer than", "nearly"):
        return listed <= said["value"]
    return listed == said["value"]


def _strike_notes(listed: pd.DataFrame) -> list[str]:
    deaths = listed[listed["measure"] == "deaths"]
    presumed = deaths[deaths["presumed_dead"] > 0]
    notes = []
    if len(presumed):
        notes.append(f"deaths include {int(presumed['presumed_dead'].sum())} survivor(s) "
                     f"presumed dead ({_dates_of(presumed)}), never found; the official toll "
                     f"counts only the {int(deaths['killed'].sum())} confirmed killed.")
    uncertain = deaths[deaths["date_uncertain"]]
    if len(uncertain):
        notes.append(f"the dates of {len(uncertain)} strikes ({_dates_of(uncertain)}) are "
                     "uncertain by a day; the list keeps the date the sources give.")
    return notes


def _dates_of(rows: pd.DataFrame) -> str:
    return ", ".join(day(pd.Timestamp(d)) for d in rows["date"])


def _sources(data: pd.DataFrame) -> list[str]:
    return [str(s).split(", characters")[0] for s in data["source"].dropna()]


# -- deaths per strike by region -----------------------------------------------------------------
def strikes_by_region_data(figures: pd.DataFrame, checks: pd.DataFrame | None = None,
                           *, data_dir=reference.DATA_DIR) -> pd.DataFrame:
    """Deaths per strike in each region and in all, split into confirmed killed and presumed
    dead, and the article's deaths per strike when it counts both. `checks` is not used."""
    strikes = _strike_list(data_dir)
    line = reference.source_line(RESOURCE, data_dir)
    groups = [(region, rows) for region, rows in strikes.groupby("region", sort=True)]
    rows = []
    for region, part in [*groups, (ALL_REGIONS, strikes)]:
        n_strikes = int(part["n_strikes"].sum())
        uncertain = part[part["region_uncertain"]]
        note = (f"region of {len(uncertain)} strike events ({_dates(uncertain)}) from news "
                "reports; the official wording names only the US Southern Command area"
                if len(uncertain) and region != ALL_REGIONS else None)
        for measure, column in (("confirmed killed per strike", "killed"),
                                ("presumed dead per strike", "presumed_dead")):
            rate = Quantity(int(part[column].sum()), "person") / Quantity(n_strikes, "strike")
            rows.append({
                "region": region, "measure": measure, "value": float(rate.magnitude),
                "unit": str(rate.units), "strikes": n_strikes,
                "deaths": int(part["deaths"].sum()), "killed": int(part["killed"].sum()),
                "presumed_dead": int(part["presumed_dead"].sum()), "events": len(part),
                "note": note, "source": line,
            })
    toll = article.strike_toll(figures)
    if toll is not None:
        deaths, strikes_said = article.stated(toll.deaths), article.stated(toll.strikes)
        rate = Quantity(deaths, toll.deaths["unit"]) / Quantity(strikes_said, toll.strikes["unit"])
        rows.append({
            "region": ARTICLE, "measure": "deaths per strike", "value": float(rate.magnitude),
            "unit": str(rate.units), "strikes": strikes_said, "deaths": deaths,
            "stance": toll.deaths["stance"],
            "note": (f"{toll.deaths['surface']} killed in {toll.strikes['surface'].lower()} "
                     "strikes"),
            "source": article.where(figures, toll.deaths),
        })
    return pd.DataFrame(rows, columns=list(REGION_COLUMNS))


def strikes_by_region_figure(data: pd.DataFrame) -> go.Figure:
    """Stacked bars of deaths per strike by region, the article's rate as a line."""
    regions = data[data["region"] != ARTICLE]
    unit = unit_words(regions["unit"].iloc[0])
    order = list(dict.fromkeys(regions["region"]))
    fig = go.Figure()
    for measure, colour in (("confirmed killed per strike", REFERENCE),
                            ("presumed dead per strike", REFERENCE_2)):
        part = regions[regions["measure"] == measure].set_index("region").loc[order]
        fig.add_bar(x=order, y=part["value"], name=measure.capitalize(),
                    marker={"color": colour},
                    customdata=list(zip(part["killed"], part["presumed_dead"], part["strikes"],
                                        strict=True)),
                    hovertemplate=f"%{{x}}: %{{y:.2f}} {unit}<br>%{{customdata[0]}} confirmed "
                                  "killed, %{customdata[1]} presumed dead, in %{customdata[2]} "
                                  "strikes<extra></extra>")
    totals = regions.groupby("region", sort=False).agg(
        value=("value", "sum"), deaths=("deaths", "first"), strikes=("strikes", "first"))
    totals = totals.loc[order]
    for region, total in totals.iterrows():
        fig.add_annotation(x=region, y=total["value"], yanchor="bottom", showarrow=False,
                           text=f"<b>{total['value']:.2f}</b><br>{int(total['deaths'])} dead in "
                                f"{int(total['strikes'])} strikes", font={"size": 12})
    top = float(totals["value"].max())
    said = data[data["region"] == ARTICLE]
    if len(said):
        mark = said.iloc[0]
        label = "The article"
        note = plain(mark["note"])  # the article's own words
        fig.add_bar(x=[label], y=[mark["value"]], name=f"The article's count ({note})",
                    marker={"color": STANCE_COLOURS[mark["stance"]]},
                    hovertemplate=f"The article: {note}, %{{y:.2f}} {unit}<extra></extra>")
        fig.add_annotation(x=label, y=mark["value"], yanchor="bottom", showarrow=False,
                           text=f"<b>{mark['value']:.2f}</b><br>{note}",
                           font={"size": 12})
        top = max(top, float(mark["value"]))
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_yaxes(title_text=f"deaths per strike ({unit})", range=[0, top * 1.3])
    fig.update_xaxes(title_text="region of the strikes")
    title, subtitle = _region_words(totals, said)
    notes = list(regions["note"].dropna())
    presumed = regions[(regions["measure"] == "presumed dead per strike") & (regions["value"] > 0)
                       & (regions["region"] != ALL_REGIONS)]
    notes += [f"the {r} count includes {int(p)} survivor(s) presumed dead, not in the official "
              "toll." for r, p in zip(presumed["region"], presumed["presumed_dead"], strict=True)]
    return frame(fig, chart="strikes_by_region", title=title, subtitle=subtitle, notes=notes,
                 sources=_sources(data), units={"y": unit})


def _region_words(totals: pd.DataFrame, said: pd.DataFrame) -> tuple[str, str]:
    overall = totals.loc[ALL_REGIONS, "value"] if ALL_REGIONS in totals.index else None
    each = totals.drop(index=ALL_REGIONS, errors="ignore").sort_values("value", ascending=False)
    parts = ", ".join(f"{region} {value:.2f}" for region, value in each["value"].items())
    title = (f"Each strike killed {overall:.2f} people on average: {parts}"
             if overall is not None else f"Deaths per strike: {parts}")
    subtitle = ("People killed per strike (confirmed killed and survivors presumed dead) in the "
                "US strikes on alleged drug boats, by region.")
    subtitle += (" The last bar is the article's own count." if len(said)
                 else " The article gives no count of strikes and deaths to mark.")
    return title, subtitle
