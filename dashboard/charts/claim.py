"""The headline chart: a claim against data, from the checks table.

A curated check that says how it is drawn (the `chart_*` columns its `chart` tables in
data/checks.toml fill): bars of what the claim implies, of the reference data and of the
article's own figure, each with the label, number, unit, ratio and note the check gives, and
the title, subtitle and axis words of the check. The chart reads all of it from the checks
table, so it draws any article's curated check and knows none. An article without such a check
gets its own suggested comparisons (dashboard.checks.suggestions), and an article without those
a plain empty state.
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
    number,
    plain,
    unit_words,
)

NAME = "claim"
COLUMNS = ("item", "label", "role", "value", "unit", "times", "finding", "expression",
           "assumptions", "check_id", "step", "source", "note")
# Roles: "claim" (a total the claim implies), "data" (reference data), "article" (the article's
# own figure of the same thing), "finding" (a number the chart states in words, not as a bar).
BAR_COLOURS = {"claim": STANCE_COLOURS["claim"], "data": REFERENCE}
BAR_ROLES = ("claim", "data", "article")  # left to right
# The words of a curated check's chart (one value per check, repeated on each of its rows),
# by the key they take in the chart data's attrs.
CHECK_WORDS = {"title": "chart_title", "subtitle": "chart_subtitle", "axis": "chart_axis",
               "times_of": "chart_times_of", "check": "title"}


def _drawn(checks: pd.DataFrame) -> pd.DataFrame:
    """The rows of the first curated check that says how the chart draws it (a step with a
    bar); none when the article carries no such check."""
    if not len(checks) or "chart_role" not in checks:
        return checks[:0]
    bars = checks[(checks["kind"] == "finding") & checks["chart_role"].notna()]
    if bars.empty:
        return checks[:0]
    return checks[checks["check_id"] == bars.iloc[0]["check_id"]]


def _is_curated(data: pd.DataFrame) -> pd.Series:
    """Rows from a curated check, not from the article's suggested comparisons."""
    # The checks table names a suggestion's rows "suggest:<figure>:<figure>"; the article's
    # own figures beside them come from no check.
    ids = data["check_id"].astype("string")
    return ids.notna() & ~ids.fillna("").str.startswith("suggest:")


def _source_row(checks: pd.DataFrame, figure_id: object) -> pd.Series | None:
    """The check of an article's data figure against its reference series, if any."""
    rows = checks[(checks["kind"] == "verification") & (checks["claim_figure_id"] == figure_id)]
    return rows.iloc[0] if len(rows) else None


def claim_data(figures: pd.DataFrame, checks: pd.DataFrame | None,
               *, data_dir=reference.DATA_DIR) -> pd.DataFrame:
    """Every number the claim chart shows, one row each, with its unit and source: the curated
    check when the article has one that says how it is drawn, else the article's own
    suggestions, else no rows. The check's words for the chart ride in `attrs` (title,
    subtitle, axis, times_of, and check: the check's own title). `data_dir` is kept for
    callers: every number and word comes from the checks table."""
    checks = checks if checks is not None else pd.DataFrame(columns=["check_id"])
    drawn = _drawn(checks)
    words: dict[str, str] = {}
    if len(drawn):
        rows = _curated(figures, checks, drawn)
        first = drawn.iloc[0]
        words = {key: str(first[column]) for key, column in CHECK_WORDS.items()
                 if not is_missing(first[column])}
    elif len(checks) and (checks["kind"] == "suggestion").any() and checks["result"].notna().any():
        rows = _suggested(figures, checks)
    else:
        rows = []
    data = pd.DataFrame(rows, columns=list(COLUMNS))
    data.attrs = words
    return data


def _row(step: pd.Series, **values) -> dict:
    """A row from a step of the check, with its working."""
    return {"finding": step["finding"], "expression": step["expression"],
            "assumptions": step["assumptions"], "check_id": step["check_id"],
            "step": step["step"],
            **values}


def _curated(figures: pd.DataFrame, checks: pd.DataFrame, drawn: pd.DataFrame) -> list[dict]:
    """A bar for each step the check draws, by role (as the chart groups them) and in the
    check's order within a role, then the finding it writes."""
    rows = []
    bars = drawn[drawn["chart_role"].notna()]
    order = bars["chart_role"].map({role: at for at, role in enumerate(BAR_ROLES)})
    for _, step in bars.iloc[order.to_numpy().argsort(kind="stable")].iterrows():
        role = step["chart_role"]
        label = step["chart_label"]
        rows.append(_row(
            step, item=step["chart_item"], role=role,
            label=label if not is_missing(label) else str(step["chart_item"]).replace("_", " "),
            value=float(step["chart_value"]), unit=step["chart_unit"],
            times=as_float(step["chart_times"]), source=_source(figures, step),
            note=_note(figures, checks, step)))
    for _, step in drawn[drawn["chart_finding"].notna()].head(1).iterrows():
        rows.append(_row(step, item=step["step"], role="finding", label=step["chart_finding"],
                         value=float(step["result"]), unit=step["unit"],
                         source=_source(figures, step)))
    return rows


def _note(figures: pd.DataFrame, checks: pd.DataFrame, step: pd.Series) -> str | None:
    """The check's caveat for the bar; for the article's own figure without one, how that
    figure stood against its reference series."""
    if not is_missing(step["chart_note"]):
        return step["chart_note"]
    if step["chart_role"] != "article":
        return None
    figure = _figure_of(figures, step["chart_value"], step["chart_unit"])
    checked = _source_row(checks, figure["figure_id"]) if figure is not None else None
    return checked["finding"] if checked is not None else None


def _source(figures: pd.DataFrame, step: pd.Series) -> str | None:
    """A step's data source: the reference's source line, or the article's figure it names;
    a step with neither (the claim times an assumption) is sourced to the claim's figure."""
    if str(step["data_source"]).startswith("Source:"):
        return step["data_source"]
    figure = (_figure_of(figures, step["data_value"], step["data_unit"])
              if not is_missing(step["data_value"]) else None)
    if figure is None:
        figure = article.by_id(figures, step["claim_figure_id"])
    if figure is not None:
        return article.where(figures, figure)
    return None if is_missing(step["data_source"]) else step["data_source"]


def _figure_source(figures: pd.DataFrame, figure_id: object, fallback: str) -> str:
    figure = article.by_id(figures, figure_id)
    return article.where(figures, figure) if figure is not None else fallback


def _figure_of(figures: pd.DataFrame, value: object, unit: object) -> pd.Series | None:
    """The article's figure that states `value` in `unit`."""
    if is_missing(value) or is_missing(unit):
        return None
    for _, figure in figures[figures["unit"] == unit].iterrows():
        if article.stated(figure) == float(value):
            return figure
    return None


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
                              "combine (such as a rate per thing and a count of those things).",
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
            text=[_bar_text(v, t, data.attrs.get("times_of"))
                  for v, t in zip(part["value"], part["times"], strict=True)],
            textposition="outside", cliponaxis=False,
            customdata=list(zip([plain(label) for label in part["label"]],
                                [plain(e) for e in part["expression"].fillna("")], strict=True)),
            hovertemplate=f"%{{customdata[0]}}<br><b>%{{y:,.0f}} {unit_words(unit)}</b>"
                          "<br>%{customdata[1]}<extra></extra>")
    values = bars["value"].astype(float)
    if log:
        fig.update_yaxes(type="log", range=log_range(values), dtick=1, tickformat=",")
    else:
        fig.update_yaxes(range=[0, values.max() * 1.3])
    axis = data.attrs.get("axis") if curated else None
    fig.update_yaxes(title_text=f"{unit_words(unit)} ({axis})" if axis else unit_words(unit))
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


def _bar_text(value: float, times: object, times_of: str | None) -> str:
    """The bar's number, and how many times the check's reference it is when not about once."""
    text = number(value)
    ratio = as_float(times)
    if ratio is not None and abs(ratio - 1) > 0.005:
        text += f"<br>{ratio:.2f}\u00d7" + (f" {plain(times_of)}" if times_of else "")
    return text


def _words(data: pd.DataFrame) -> tuple[str, str]:
    """Title (the finding) and subtitle (what is measured), from the rows."""
    unit = data[data["role"] != "finding"]["unit"].iloc[0]
    if _is_curated(data).any():
        # The check's own words; without them, its title and what the bars count.
        title = data.attrs.get("title") or data.attrs.get("check") or "A claim against data"
        subtitle = data.attrs.get("subtitle") or "What the claim implies against the data"
        return title, f"{subtitle} ({unit_words(unit)})"
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
