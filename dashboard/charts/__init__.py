"""Chart builders: pure functions from an article's tables to the data behind a chart, and from
that data to a plotly Figure.

    data = strikes_data(figures, checks)      # tidy DataFrame with unit and source columns
    fig = strikes_figure(data)                 # title, subtitle, notes and sources inside
    data, fig = build("claim", figures, checks, log=True)
    everything = build_all(figures, checks)    # {name: (data, fig)} in display order

`figures` is an article's figures table (dashboard.extract), `checks` its checks table
(dashboard.checks.checks_table). Every chart draws for any article: where the article has no
figure to mark it shows the reference data and says so.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.claim import claim_data, claim_figure
from dashboard.charts.overdoses import overdoses_data, overdoses_figure
from dashboard.charts.strikes import (
    strikes_by_region_data,
    strikes_by_region_figure,
    strikes_data,
    strikes_figure,
)
from dashboard.charts.style import FONT, PALETTE, STANCE_COLOURS, TEMPLATE_NAME
from dashboard.charts.timeline import timeline_data, timeline_figure

__all__ = [
    "CHARTS", "Chart", "FONT", "PALETTE", "STANCE_COLOURS", "TEMPLATE_NAME", "build",
    "build_all", "claim_data", "claim_figure", "overdoses_data", "overdoses_figure",
    "strikes_by_region_data", "strikes_by_region_figure", "strikes_data", "strikes_figure",
    "timeline_data", "timeline_figure",
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
    Chart("overdoses", "Overdose deaths over time", overdoses_data, overdoses_figure),
    Chart("timeline", "The article's dates", timeline_data, timeline_figure),
)}


def _options_for(function: Callable, options: dict) -> dict:
    accepted = inspect.signature(function).parameters
    return {k: v for k, v in options.items() if k in accepted}


def build(name: str, figures: pd.DataFrame, checks: pd.DataFrame | None,
          **options) -> tuple[pd.DataFrame, go.Figure]:
    """The data and figure of chart `name`. Each option goes to whichever of the chart's two
    functions takes it (`data_dir` to the data, `log` to the claim figure); an option neither
    takes is an error."""
    if name not in CHARTS:
        raise KeyError(f"no chart {name!r} (charts: {', '.join(CHARTS)})")
    chart = CHARTS[name]
    for_data = _options_for(chart.data_fn, options)
    for_figure = _options_for(chart.figure_fn, options)
    unknown = set(options) - set(for_data) - set(for_figure)
    if unknown:
        raise TypeError(f"chart {name!r} takes no option {', '.join(sorted(unknown))}")
    data = chart.data_fn(figures, checks, **for_data)
    return data, chart.figure_fn(data, **for_figure)


def build_all(figures: pd.DataFrame, checks: pd.DataFrame | None,
              **options) -> dict[str, tuple[pd.DataFrame, go.Figure]]:
    """Every chart in display order. An option reaches the charts that take it (`log` only the
    claim chart); one that no chart takes is an error."""
    taken = {k for chart in CHARTS.values() for fn in (chart.data_fn, chart.figure_fn)
             for k in _options_for(fn, options)}
    unknown = set(options) - taken
    if unknown:
        raise TypeError(f"no chart takes option {', '.join(sorted(unknown))}")
    built = {}
    for name, chart in CHARTS.items():
        wanted = {**_options_for(chart.data_fn, options), **_options_for(chart.figure_fn, options)}
        built[name] = build(name, figures, checks, **wanted)
    return built
