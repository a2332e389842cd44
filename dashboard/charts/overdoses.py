"""US overdose deaths over time, from CDC's 12-month series (`cdc_overdose_12mo`): reported and
predicted counts, the synthetic-opioid share, the peak, and the article's data figures that the
checks table set against this series."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import reference
from dashboard.charts import article
from dashboard.charts.style import (
    REFERENCE,
    REFERENCE_2,
    REFERENCE_3,
    STANCE_COLOURS,
    frame,
    month,
    number,
    unit_words,
)
from dashboard.units import Quantity

NAME = "overdoses"
RESOURCE = "cdc_overdose_12mo"
SERIES = "overdose_deaths_12mo"
ALL, SYNTHETIC = "all drugs", "synthetic opioids excl. methadone"
REPORTED, PREDICTED = "all drugs, reported", "all drugs, predicted"
SHARE = "synthetic-opioid share of all drugs, reported"
ARTICLE = "the article"
PEAK, AT_ARTICLE = "peak", "the article's month"
UNDERREPORTED = "*"  # CDC's footnote symbol for counts it flags as underreported
COLUMNS = ("series", "period_end", "value", "unit", "mark", "underreported", "status", "label",
           "note", "source")


def _series(cdc: pd.DataFrame, indicator: str, estimate: str) -> pd.DataFrame:
    rows = cdc[(cdc["indicator"] == indicator) & (cdc["estimate"] == estimate)]
    return rows.sort_values("period_end").set_index("period_end")


def _article_rows(figures: pd.DataFrame, checks: pd.DataFrame | None) -> list[dict]:
    """The article's figures that the checks table set against this dataset's all-drug series
    (a figure and its period, not a change between two)."""
    if checks is None or checks.empty or "dataset" not in checks:
        return []
    found = checks[(checks["kind"] == "verification") & (checks["dataset"] == RESOURCE)
                   & checks["check_id"].astype(str).str.startswith("verify:")
                   & (checks["step"] == SERIES) & checks["reference_period"].notna()]
    rows = []
    for _, check in found.iterrows():
        figure = article.by_id(figures, check["claim_figure_id"])
        if figure is None:
            continue
        rows.append({
            "series": ARTICLE, "period_end": str(check["reference_period"])[:7],
            "value": article.stated(figure), "unit": figure["unit"], "mark": ARTICLE,
            "status": check["verdict"], "label": figure["surface"], "note": check["finding"],
            "source": article.where(figures, figure),
        })
    return rows


def overdoses_data(figures: pd.DataFrame, checks: pd.DataFrame | None,
                   *, data_dir=reference.DATA_DIR) -> pd.DataFrame:
    """CDC's reported and predicted 12-month counts of all overdose deaths, the synthetic-opioid
    share of the reported count, the peak of the reported series and the article's figures."""
    cdc = reference.load(RESOURCE, data_dir)
    line = reference.source_line(RESOURCE, data_dir)
    marked = _article_rows(figures, checks)
    article_months = {r["period_end"] for r in marked}
    reported, predicted = _series(cdc, ALL, "reported"), _series(cdc, ALL, "predicted")
    synthetic = _series(cdc, SYNTHETIC, "reported")
    peak = reported["value"].idxmax()
    frames = []
    for name, series in ((REPORTED, reported), (PREDICTED, predicted)):
        months = series.index.to_series()
        frames.append(pd.DataFrame({
            "series": name, "period_end": series.index, "value": series["value"].to_numpy(),
            "unit": series["unit"].to_numpy(),
            "mark": months.map(lambda m, name=name: PEAK if name == REPORTED and m == peak
                               else AT_ARTICLE if m in article_months else None).to_numpy(),
            "underreported": (series["footnote_symbol"] == UNDERREPORTED).to_numpy(),
            "note": series["footnote"].to_numpy(), "source": line,
        }))
    whole = reported["value"].reindex(synthetic.index)
    # One pint division for the whole column: the units decide that the share is a percent.
    share = (Quantity(synthetic["value"].to_numpy(), "person")
             / Quantity(whole.to_numpy(), "person")).to("percent")
    frames.append(pd.DataFrame({
        "series": SHARE, "period_end": synthetic.index, "value": share.magnitude,
        "unit": str(share.units),
        "underreported": (synthetic["footnote_symbol"] == UNDERREPORTED).to_numpy(),
        "note": [f"{part:,} synthetic-opioid deaths of {all_:,}"
                 for part, all_ in zip(synthetic["value"], whole, strict=True)],
        "source": line,
    }))
    if marked:
        frames.append(pd.DataFrame(marked, columns=list(COLUMNS)))
    return pd.concat([f.reindex(columns=list(COLUMNS)) for f in frames], ignore_index=True)


def overdoses_figure(data: pd.DataFrame) -> go.Figure:
    """Deaths above (people), the synthetic-opioid share below (percent), on one month axis."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.07,
                        row_heights=[0.68, 0.32])
    people = unit_words("person")
    for name, colour, dash in ((REPORTED, REFERENCE, "solid"), (PREDICTED, REFERENCE_2, "dot")):
        part = data[data["series"] == name]
        fig.add_scatter(row=1, col=1, x=part["period_end"], y=part["value"], mode="lines",
                        name=f"CDC, {name.split(', ')[1]}", line={"color": colour, "dash": dash},
                        hovertemplate=f"12 months to %{{x|%b %Y}}: %{{y:,}} {people} "
                                      f"({name.split(', ')[1]})<extra></extra>")
    share = data[data["series"] == SHARE]
    fig.add_scatter(row=2, col=1, x=share["period_end"], y=share["value"], mode="lines",
                    name="Synthetic-opioid share", line={"color": REFERENCE_3},
                    customdata=share["note"],
                    hovertemplate="12 months to %{x|%b %Y}: %{y:.1f} percent"
                                  "<br>%{customdata}<extra></extra>")
    _shade_underreported(fig, data[data["series"] == REPORTED])
    _mark_peak(fig, data[(data["series"] == REPORTED) & (data["mark"] == PEAK)].iloc[0])
    marked = data[data["series"] == ARTICLE]
    for _, mark in marked.iterrows():
        _mark_article(fig, mark, data)
    fig.update_yaxes(row=1, col=1, title_text=f"deaths in 12 months ({people})",
                     rangemode="tozero", tickformat=",")
    fig.update_yaxes(row=2, col=1, title_text="synthetic opioids (percent)", rangemode="tozero",
                     ticksuffix="%")
    months = data[data["series"] == REPORTED]["period_end"]
    fig.update_xaxes(range=[pd.Timestamp(months.min() + "-01") - pd.DateOffset(months=5),
                            pd.Timestamp(months.max() + "-01") + pd.DateOffset(months=5)])
    fig.update_xaxes(row=2, col=1, title_text="12 months ending (month)", dtick="M12",
                     tickformat="%Y")
    title, subtitle = _words(data, marked)
    return frame(fig, chart=NAME, title=title, subtitle=subtitle, notes=_notes(data, marked),
                  sources=[str(s).split(", characters")[0] for s in data["source"].dropna()],
                  units={"y": people, "y2": "percent", "x2": "month"})


def _shade_underreported(fig: go.Figure, reported: pd.DataFrame) -> None:
    flagged = reported[reported["underreported"].astype(bool)]
    if flagged.empty:
        return
    start = pd.Timestamp(flagged["period_end"].min() + "-01") - pd.Timedelta(days=15)
    end = pd.Timestamp(flagged["period_end"].max() + "-01") + pd.Timedelta(days=15)
    for row in (1, 2):
        fig.add_vrect(x0=start, x1=end, row=row, col=1, fillcolor="#EEEEEE", line_width=0,
                      layer="below")
    fig.add_annotation(row=1, col=1, x=start, xanchor="left", yref="y domain", y=0.02,
                       yanchor="bottom", showarrow=False, text="flagged<br>underreported",
                       font={"size": 10, "color": "#555555"}, align="left")


def _mark_peak(fig: go.Figure, peak: pd.Series) -> None:
    fig.add_annotation(row=1, col=1, x=peak["period_end"], y=peak["value"], showarrow=True,
                       ax=-60, ay=-22, arrowcolor=REFERENCE, xanchor="right",
                       text=f"Peak: {number(peak['value'])} in the 12 months to "
                            f"{month(peak['period_end'])}")


def _mark_article(fig: go.Figure, mark: pd.Series, data: pd.DataFrame) -> None:
    colour = STANCE_COLOURS["data"]
    same = data[(data["period_end"] == mark["period_end"])
                & data["series"].isin([REPORTED, PREDICTED])]
    cdc = ", ".join(f"{number(v)} {s.split(', ')[1]}" for s, v in zip(same["series"],
                                                                     same["value"], strict=True))
    # CDC's points first, so the article's diamond is drawn on top of them.
    fig.add_scatter(row=1, col=1, x=same["period_end"], y=same["value"], mode="markers",
                    marker={"size": 7, "color": REFERENCE}, showlegend=False,
                    customdata=same["series"],
                    hovertemplate="CDC, %{customdata}: %{y:,} " + unit_words("person")
                                  + "<extra></extra>")
    fig.add_scatter(row=1, col=1, x=[mark["period_end"]], y=[mark["value"]], mode="markers",
                    marker={"symbol": "diamond", "size": 13, "color": colour,
                            "line": {"color": "white", "width": 1}},
                    name="The article's figure",
                    hovertemplate=f"The article, {mark['label']}: %{{y:,}} "
                                  f"{unit_words('person')}<extra></extra>")
    fig.add_annotation(row=1, col=1, x=mark["period_end"], y=mark["value"], showarrow=True,
                       ax=-40, ay=60, xanchor="right", arrowcolor=colour, align="right",
                       font={"color": colour},
                       text=f"{month(mark['period_end'])}: the article {mark['label']},<br>"
                            f"CDC {cdc}")


def _words(data: pd.DataFrame, marked: pd.DataFrame) -> tuple[str, str]:
    reported = data[data["series"] == REPORTED]
    peak = reported[reported["mark"] == PEAK].iloc[0]
    latest = reported.iloc[-1]
    change = (latest["value"] - peak["value"]) / peak["value"]
    if change < 0:
        title = f"US overdose deaths fell {-change:.0%} from their {peak['period_end'][:4]} peak"
    else:
        title = f"US overdose deaths are at their peak, {number(peak['value'])} a year"
    subtitle = ("US drug overdose deaths in the 12 months ending each month, CDC's provisional "
                "counts as reported and as predicted for delayed reports (people); below, the "
                "share involving synthetic opioids other than methadone (percent).")
    if marked.empty:
        return title, subtitle + " The article has no figure in this series to mark."
    mark = marked.iloc[0]
    cdc = reported[reported["period_end"] == mark["period_end"]]
    cdc_value = number(cdc.iloc[0]["value"]) if len(cdc) else "no value"
    said = {"transposition": f"is CDC's {cdc_value} with two digits swapped",
            "matches": f"matches CDC's {cdc_value}",
            "consistent": f"is consistent with CDC's {cdc_value}",
            "differs": f"differs from CDC's {cdc_value}",
            "unverifiable": "is not in the series"}.get(mark["status"], "is marked")
    return f"{title}; the article's {mark['label']} {said}", subtitle


def _notes(data: pd.DataFrame, marked: pd.DataFrame) -> list[str]:
    reported = data[data["series"] == REPORTED]
    flagged = reported[reported["underreported"].astype(bool)]
    notes = []
    if len(flagged):
        first, last = month(flagged["period_end"].min()), month(flagged["period_end"].max())
        notes.append(f"CDC flags the counts for the 12 months to {first} to {last} "
                     f"\u201c{flagged['note'].iloc[0]}\u201d (shaded); all counts are "
                     "provisional and revised in each release.")
    notes.append("drug categories overlap: synthetic-opioid deaths are part of all overdose "
                 "deaths, and one death can involve several drugs.")
    notes += list(marked["note"].dropna())
    return notes
