"""Chart builders: pure functions from an article's tables to the data behind a chart, and from
that data to a plotly Figure.

    data = strikes_data(figures, checks)      # tidy DataFrame with unit and source columns
    fig = strikes_figure(data)                 # title, subtitle, notes and sources inside
    data, fig = build("claim", figures, checks, log=True)
    data, fig = build("series:population", figures, checks)
    everything = build_all(figures, checks)    # {name: (data, fig)}: the article's charts

`figures` is an article's figures table (dashboard.extract), `checks` its checks table
(dashboard.checks.checks_table). Which charts an article gets is declared in `charts.toml` and
chosen by what its tables hold: a series of the catalog that its figures were set against, a
claim whose implications the checks worked out, a reference table its checks read; never by
which article it is. Each chart draws for any article it is built for.
"""

from __future__ import annotations

import inspect
import tomllib
from collections.abc import Callable
from functools import cache, partial
from importlib import resources
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from dashboard import reference
from dashboard.charts.claim import claim_data, claim_figure
from dashboard.charts.series import matched, series_data, series_figure
from dashboard.charts.speakers import speakers_data, speakers_figure
from dashboard.charts.strikes import (
    strikes_by_region_data,
    strikes_by_region_figure,
    strikes_data,
    strikes_figure,
)
from dashboard.charts.style import (
    FONT,
    PALETTE,
    STANCE_COLOURS,
    TEMPLATE_NAME,
    VERDICT_COLOURS,
)
from dashboard.charts.timeline import timeline_data, timeline_figure

__all__ = [
    "CHARTS", "Chart", "FONT", "PALETTE", "STANCE_COLOURS", "TEMPLATE_NAME", "VERDICT_COLOURS",
    "build", "build_all", "chart", "claim_data", "claim_figure", "declared", "series_data",
    "series_figure", "speakers_data", "speakers_figure",
    "strikes_by_region_data", "strikes_by_region_figure", "strikes_data", "strikes_figure",
    "timeline_data", "timeline_figure", "used_datasets", "view_of",
]


class Chart(NamedTuple):
    name: str
    title: str  # what the chart is about, for a menu or a heading; the figure states the finding
    data_fn: Callable[..., pd.DataFrame]
    figure_fn: Callable[..., go.Figure]


CHARTS: dict[str, Chart] = {chart.name: chart for chart in (
    Chart("claim", "Claim against data", claim_data, claim_figure),
    Chart("strikes", "Strikes against fatalities", strikes_data, strikes_figure),
    Chart("strikes_by_region", "Deaths per strike by region", strikes_by_region_data,
          strikes_by_region_figure),
    Chart("timeline", "The article's dates", timeline_data, timeline_figure),
    Chart("speakers", "Who said what", speakers_data, speakers_figure),
)}
SERIES = "series"
SERIES_PREFIX = SERIES + ":"


@cache
def declared() -> tuple[dict, ...]:
    """The entries of charts.toml, in display order."""
    text = resources.files(__package__).joinpath("charts.toml").read_text("utf-8")
    entries = tuple(tomllib.loads(text)["chart"])
    for entry in entries:
        if entry["name"] != SERIES and entry["name"] not in CHARTS:
            raise ValueError(f"charts.toml: no chart {entry['name']!r}")
    return entries


def chart(name: str) -> Chart:
    """Chart `name`: one of CHARTS, or series:<series id> for any series of the catalog."""
    if name.startswith(SERIES_PREFIX) and len(name) > len(SERIES_PREFIX):
        series_id = name[len(SERIES_PREFIX):]
        return Chart(name, f"Against the series {series_id}",
                     partial(series_data, series_id=series_id), series_figure)
    if name not in CHARTS:
        raise KeyError(f"no chart {name!r} (charts: {', '.join(CHARTS)}, series:<series id>)")
    return CHARTS[name]


def view_of(name: str) -> str:
    """The view of the dashboard that shows chart `name`."""
    base = SERIES if name.startswith(SERIES_PREFIX) else name
    return next((e["view"] for e in declared() if e["name"] == base), base)


def _options_for(function: Callable, options: dict) -> dict:
    target = function.func if isinstance(function, partial) else function
    accepted = inspect.signature(target).parameters
    return {k: v for k, v in options.items() if k in accepted}


def build(name: str, figures: pd.DataFrame, checks: pd.DataFrame | None,
          **options) -> tuple[pd.DataFrame, go.Figure]:
    """The data and figure of chart `name`. Each option goes to whichever of the chart's two
    functions takes it (`data_dir` to the data, `log` to the claim figure); an option neither
    takes is an error."""
    found = chart(name)
    for_data = _options_for(found.data_fn, options)
    for_figure = _options_for(found.figure_fn, options)
    unknown = set(options) - set(for_data) - set(for_figure)
    if unknown:
        raise TypeError(f"chart {name!r} takes no option {', '.join(sorted(unknown))}")
    data = found.data_fn(figures, checks, **for_data)
    return data, found.figure_fn(data, **for_figure)


def _used_datasets(checks: pd.DataFrame | None) -> set[str]:
    if checks is None or checks.empty or "dataset" not in checks:
        return set()
    return {str(d) for d in checks["dataset"].dropna()}


def build_all(figures: pd.DataFrame, checks: pd.DataFrame | None,
              **options) -> dict[str, tuple[pd.DataFrame, go.Figure]]:
    """The article's charts in display order, as charts.toml chooses them from its tables. An
    option reaches the charts that take it (`log` only the claim chart); one that no chart
    takes is an error."""
    taken = {k for c in (*CHARTS.values(), chart(SERIES_PREFIX + "x"))
             for fn in (c.data_fn, c.figure_fn) for k in _options_for(fn, options)}
    unknown = set(options) - taken
    if unknown:
        raise TypeError(f"no chart takes option {', '.join(sorted(unknown))}")
    used = _used_datasets(checks)
    built = {}
    for entry in declared():
        rule = entry["shown_when"]
        if rule == SERIES:
            names = [SERIES_PREFIX + s for s in matched(checks)]
        elif rule == "datasets":
            names = [entry["name"]] if used & set(entry["datasets"]) else []
        else:
            names = [entry["name"]]
        for name in names:
            found = chart(name)
            try:
                data = found.data_fn(figures, checks, **_options_for(found.data_fn, options))
            except reference.ReferenceError:
                # Its reference table cannot be read: the checks table names the file, and
                # every other chart is drawn.
                continue
            if rule == "data" and data.empty:
                continue
            built[name] = data, found.figure_fn(data, **_options_for(found.figure_fn, options))
    return built


def used_datasets(checks: pd.DataFrame | None, names,
                  data_dir=reference.DATA_DIR) -> list[str]:
    """The reference tables behind an article's checks and the charts `names`: what a download
    of that article carries (every catalog dataset name that a check row names)."""
    base = {n if not n.startswith(SERIES_PREFIX) else SERIES for n in names}
    wanted = _used_datasets(checks)
    for entry in declared():
        if entry["name"] in base:
            wanted |= set(entry.get("datasets", ()))
    known = {d["name"] for d in reference.catalog(data_dir, strict=False)}
    return sorted(wanted & known)
