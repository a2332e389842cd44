"""The headline chart: a claim against data, from the checks table.

A curated check that sets a rate claim against a year of data, found in the checks table by its
`share_of_a_year` step (never by its id): for the seed, the lives the "25,000 per boat" claim
implies (one boat, the article's strikes, the strike list's vessels) against a year of US
overdose deaths (CDC reported and predicted, and the article's own figure). An article without
such a check gets its own suggested comparisons (dashboard.checks.suggestions), and an article
without those a plain empty state.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import reference
from dashboard.charts import article
from dashboard.charts.style import (
    REFERENCE,
    STANCE_COLOURS,
    as_float,
    empty,
    frame,
    is_missing,
    lines,
    log_range,
    month,
    number,
    unit_words,
)
from dashboard.units import Quantity

NAME = "claim"
# The curated step this chart draws: a rate claim's total as a share of a year of the data. The
# check that has it is found in the checks table by that step, never by its id.
SHARE_STEP = "share_of_a_year"
SERIES_RESOURCE = "cdc_overdose_12mo"
COLUMNS = ("item", "label", "role", "value", "unit", "times_a_year", "finding", "expression",
           "assumptions", "check_id", "step", "source", "note")
# Roles: "claim" (a total the claim implies), "data" (reference data), "article" (the article's
# own figure of the same thing), "finding" (a number the chart states in words, not as a bar).
BAR_COLOURS = {"claim": STANCE_COLOURS["claim"], "data": REFERENCE}


def _steps(checks: pd.DataFrame) -> dict[str, pd.Series]:
    """The rows of the curated check that sets a rate claim against a year of data (the one
    with SHARE_STEP), by step name; none when the article carries no such claim."""
    if not len(checks):
        return {}
    share = checks[(checks["kind"] == "finding") & (checks["step"] == SHARE_STEP)]
    if share.empty:
        return {}
    rows = checks[checks["check_id"] == share.iloc[0]["check_id"]]
    return {row["step"]: row for _, row in rows.iterrows()}


def _is_curated(data: pd.DataFrame) -> pd.Series:
    """Rows from a curated check, not from the article's suggested comparisons."""
    # The checks table names a suggestion's rows "suggest:<figure>:<figure>".
    return ~data["check_id"].astype("string").fillna("").str.startswith("suggest:")


def _source_row(checks: pd.DataFrame, figure_id: object) -> pd.Series | None:
    """The check of an article's data figure against its reference series, if any."""
    rows = checks[(checks["kind"] == "verification") & (checks["claim_figure_id"] == figure_id)]
    return rows.iloc[0] if len(rows) else None


def claim_data(figures: pd.DataFrame, checks: pd.DataFrame | None,
               *, data_dir=reference.DATA_DIR) -> pd.DataFrame:
    """Every number the claim chart shows, one row each, with its unit and source: the curated
    check when the article has it, else the article's own suggestions, else no rows."""
    checks = checks if checks is not None else pd.DataFrame(columns=["check_id"])
    steps = _steps(checks)
    if SHARE_STEP in steps:
        rows = _curated(figures, checks, steps, data_dir)
    elif len(checks) and (checks["kind"] == "suggestion").any() and checks["result"].notna().any():
        rows = _suggested(figures, checks)
    else:
        rows = []
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _row(step: pd.Series, **values) -> dict:
    """A row from a step of the check, with its working."""
    return {"finding": step["finding"], "expression": step["expression"],
            "assumptions": step["assumptions"], "check_id": step["check_id"],
            "step": step["step"],
            **values}


def _curated(figures: pd.DataFrame, checks: pd.DataFrame, steps: dict[str, pd.Series],
             data_dir) -> list[dict]:
    share = steps[SHARE_STEP]
    claim = article.by_id(figures, share["claim_figure_id"])
    per_boat = Quantity(article.stated(claim), claim["unit"])
    boat_unit = claim["unit"].split(" / ", 1)[1]
    one_boat = (per_boat * Quantity(1, boat_unit)).to("person")
    speaker = "" if is_missing(claim["speaker"]) else f" ({claim['speaker']})"
    rows = [_row(share, item="one_boat", label=f"One boat, as claimed{speaker}", role="claim",
                 value=float(one_boat.magnitude), unit=str(one_boat.units),
                 expression=f"{number(per_boat.magnitude)} {per_boat.units} \u00d7 1 {boat_unit}",
                 source=article.where(figures, claim))]
    for total, ratio, label in (
            ("lives_claimed_for_the_strikes", "strikes_in_years_of_deaths",
             "{n} strikes in the article, one boat each"),
            ("lives_claimed_for_the_campaign", "campaign_in_years_of_deaths",
             "{n} vessels hit in the strike list")):
        if total not in steps:
            continue
        row, times = steps[total], steps.get(ratio)
        rows.append(_row(row, item=total, label=label.format(n=number(row["data_value"])),
                         role="claim", value=float(row["result"]), unit=row["unit"],
                         times_a_year=as_float(times["result"]) if times is not None else None,
                         source=_data_source(figures, row)))

    article_figure = _figure_of(figures, steps.get("boats_per_year_article"))
    period = _period(article_figure)
    provisional = _provisional(article_figure, data_dir)
    source_check = (_source_row(checks, article_figure["figure_id"])
                    if article_figure is not None else None)
    for item, step, label, role in (
            ("deaths_cdc_reported", "boats_per_year", "CDC reported", "data"),
            ("deaths_cdc_predicted", "boats_per_year_predicted", "CDC predicted", "data"),
            ("deaths_in_the_article", "boats_per_year_article", "The article's figure",
             "article")):
        if step not in steps:
            continue
        row = steps[step]
        note = provisional if role == "data" else (
            source_check["finding"] if source_check is not None else None)
        rows.append(_row(row, item=item, label=f"{label}{period}", role=role,
                         value=float(row["data_value"]), unit=row["data_unit"],
                         source=_data_source(figures, row), note=note))
    if "boats_per_year" in steps:
        boats = steps["boats_per_year"]
        rows.append(_row(boats, item="boats_per_year", role="finding",
                         label="Boats a year that would equal a year of deaths",
                         value=float(boats["result"]), unit=boats["unit"],
                         source=_data_source(figures, boats)))
    return rows


def _data_source(figures: pd.DataFrame, row: pd.Series) -> str:
    """A step's data source: the reference's source line, or the article's figure it names."""
    if str(row["data_source"]).startswith("Source:"):
        return row["data_source"]
    figure = _figure_of(figures, row)
    return article.where(figures, figure) if figure is not None else row["data_source"]


def _figure_source(figures: pd.DataFrame, figure_id: object, fallback: str) -> str:
    figure = article.by_id(figures, figure_id)
    return article.where(figures, figure) if figure is not None else fallback


def _figure_of(figures: pd.DataFrame, row: pd.Series | None) -> pd.Series | None:
    """The article's figure that a step sets its claim against (same number, same unit)."""
    if row is None:
        return None
    for _, figure in figures[figures["unit"] == row["data_unit"]].iterrows():
        if article.stated(figure) == float(row["data_value"]):
            return figure
    return None


def _period(figure: pd.Series | None) -> str:
    """", 12 months to Apr 2025" from the article's figure of the same deaths, when it has one."""
    if figure is None:
        return ""
    when = article.span(figure["date"], figure["period"])
    return f", {when.label}" if when is not None else ""


def _provisional(figure: pd.Series | None, data_dir) -> str | None:
    """CDC's own footnote on the count for the article's period (provisional, underreported)."""
    if figure is None or is_missing(figure["date"]):
        return None
    series = reference.load(SERIES_RESOURCE, data_dir)
    rows = series[(series["period_end"] == str(figure["date"]))
                  & (series["footnote_symbol"] == "*")]
    if rows.empty:
        return None
    return (f"CDC's counts for the 12 months to {month(str(figure['date']))} are provisional; "
            f"CDC footnote: \u201c{rows.iloc[0]['footnote']}\u201d")


def _suggested(figures: pd.DataFrame, checks: pd.DataFrame) -> list[dict]:
    """The article's own comparisons: totals its figures imply, and its counts of the same
    thing, in the unit most of them share."""
    suggestions = checks[(checks["kind"] == "suggestion") & checks["result"].notna()]
    unit = suggestions["unit"].value_counts().index[0]
    rows = []
    for _, row in suggestions[suggestions["unit"] == unit].iterrows():
        rows.append({
            "item": row["check_id"], "label": row["title"], "role": "claim",
            "value": float(row["result"]), "unit": unit, "finding": row["finding"],
            "expression": row["expression"], "assumptions": row["assumptions"],
            "check_id": row["check_id"], "step": row["step"],
            "source": _figure_source(figures, row["claim_figure_id"], row["sources"]),
            "note": "a comparison the article's own figures allow, not a checked finding",
        })
    used = set(suggestions["claim_figure_id"])
    same_unit = figures[(figures["unit"] == unit) & figures["stance"].isin(["data", "reported"])
                        & ~figures["figure_id"].isin(used)]
    credit = article.provenance(figures)
    for _, figure in same_unit.iterrows():
        value = article.stated(figure)
        if value is None:
            continue
        counted = "" if is_missing(figure["counted"]) else f" {figure['counted']}"
        rows.append({
            "item": figure["figure_id"], "label": f"The article's {figure['surface']}{counted}",
            "role": "article", "value": value, "unit": unit,
            "source": article.where(figures, figure, credit),
        })
    return rows


def claim_figure(data: pd.DataFrame, *, log: bool = False) -> go.Figure:
    """Bars of the claim's totals against the data, in people; `log` for a log value axis."""
    sources = [s for s in data["source"].dropna() if not str(s).startswith("Article")]
    if data.empty:
        return empty(NAME, title="No claim in this article can be set against data",
                     subtitle="The article has no curated check and no figures that pint can "
                              "combine (such as a rate per boat and a count of boats).",
                     message="Nothing to chart: no claim of this article has a comparison.",
                     sources=["Source: the article's figures table and the dashboard's curated "
                              "checks (data/checks.toml); none applies to this article"])
    bars = data[data["role"] != "finding"]
    unit = bars["unit"].iloc[0]
    curated = _is_curated(data).any()
    fig = go.Figure()
    for role, name in (("claim", "What the claim implies" if curated
                        else "What the article's figures imply"),
                       ("data", "Reference data"), ("article", "The article's own figure")):
        part = bars[bars["role"] == role]
        if part.empty:
            continue
        colour = BAR_COLOURS.get(role, STANCE_COLOURS["data"])
        fig.add_bar(
            x=[lines(label, 22) for label in part["label"]], y=part["value"], name=name,
            marker={"color": colour, "pattern": {"shape": "/" if role == "article" else "",
                                                 "fillmode": "overlay", "fgcolor": "white"}},
            textfont={"size": 12}, constraintext="none",
            text=[_bar_text(v, t) for v, t in zip(part["value"], part["times_a_year"],
                                                   strict=True)],
            textposition="outside", cliponaxis=False,
            customdata=list(zip(part["label"], part["expression"].fillna(""), strict=True)),
            hovertemplate=f"%{{customdata[0]}}<br><b>%{{y:,.0f}} {unit_words(unit)}</b>"
                          "<br>%{customdata[1]}<extra></extra>")
    values = bars["value"].astype(float)
    if log:
        fig.update_yaxes(type="log", range=log_range(values), dtick=1, tickformat=",")
    else:
        fig.update_yaxes(range=[0, values.max() * 1.3])
    fig.update_yaxes(title_text=f"{unit_words(unit)} (lives claimed or deaths)"
                     if curated else unit_words(unit))
    fig.update_xaxes(tickfont={"size": 11})
    finding = data[data["role"] == "finding"]
    if len(finding):
        fig.add_annotation(name="finding", text=lines(finding.iloc[0]["finding"], 60),
                           xref="paper", yref="paper", x=0.99, y=1.0, xanchor="right",
                           yanchor="top", showarrow=False, align="left",
                           bgcolor="rgba(255,255,255,0.9)", bordercolor="#999999",
                           borderwidth=1, borderpad=6, font={"size": 13})
    title, subtitle = _words(data)
    notes = [*_assumptions(data), *data["note"].dropna()]
    if log:
        notes.append("log scale: each gridline is ten times the one below, so bar heights do not "
                     "compare in proportion; read the labels.")
    return frame(fig, chart=NAME, title=title, subtitle=subtitle, notes=notes,
                 sources=[*sources, *_article_lines(data)], units={"y": unit_words(unit)})


def _bar_text(value: float, times: object) -> str:
    text = number(value)
    ratio = as_float(times)
    if ratio is not None and abs(ratio - 1) > 0.005:
        text += f"<br>{ratio:.2f}\u00d7 a year of deaths"
    return text


def _words(data: pd.DataFrame) -> tuple[str, str]:
    """Title (the finding) and subtitle (what is measured), from the rows."""
    finding = data[data["role"] == "finding"]
    unit = data[data["role"] != "finding"]["unit"].iloc[0]
    if len(finding) and _is_curated(finding).iloc[0]:
        boats = float(finding.iloc[0]["value"])
        claim = data[data["item"] == "one_boat"]
        per_boat = number(float(claim.iloc[0]["value"])) if len(claim) else "the claimed"
        return (f"About {round(boats):,} boats a year would \u2018save\u2019 every US overdose "
                f"death, on the claim's own terms",
                f"Lives claimed at {per_boat} per boat, times the boats hit, against a year of US "
                f"overdose deaths ({unit_words(unit)})")
    top = data[data["role"] == "claim"].sort_values("value").iloc[-1]
    return (f"The article's figures imply {number(float(top['value']))} {unit_words(unit)}: "
            f"a suggested comparison, not a checked finding",
            f"Totals that the article's own figures imply, against its counts of the same thing "
            f"({unit_words(unit)})")


def _assumptions(data: pd.DataFrame) -> list[str]:
    parts = [a for cell in data["assumptions"].dropna() for a in str(cell).split(" | ") if a]
    return [f"assumed {a}" for a in dict.fromkeys(parts)]


def _article_lines(data: pd.DataFrame) -> list[str]:
    """The article's credit line once, without the characters of each figure."""
    return [str(s).split(", characters")[0] for s in data["source"].dropna()
            if str(s).startswith("Article")][:1]
