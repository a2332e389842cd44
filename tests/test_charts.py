"""The chart builders on the seed and on two small unrelated articles, without a browser: every
number in a chart's data comes from the figures table, the checks table or a reference table,
and every figure carries its title, units, notes and sources inside it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard import reference
from dashboard.charts import (
    CHARTS,
    PALETTE,
    STANCE_COLOURS,
    TEMPLATE_NAME,
    VERDICT_COLOURS,
    build,
    build_all,
    claim_data,
    declared,
    timeline_data,
    view_of,
)
from dashboard.checks import checks_table
from dashboard.extract import extract_document, extract_figures
from dashboard.ingest import read_document
from dashboard.schema import STANCES

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_20713228fd6701a2.txt"
# A rate per school and a count of schools (a suggestion), a dated data figure, a year.
SCHOOLS = ("Every school saves 300 children, the mayor said on Monday. The county has 14 schools. "
           "In 2023, 2,100 children were enrolled, according to data from the state statistics "
           "office.")
# No figure at all.
PARK = "Residents gathered to discuss the new park."
ARTICLES = ("seed", "schools", "park")
BOAT = "boat-claim-vs-overdose-deaths"


@pytest.fixture(scope="module")
def articles() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    tables = {
        "seed": extract_document(read_document(SEED)),
        "schools": extract_figures(SCHOOLS, published="2024-03-05", document_id="schools",
                                   publisher="Town Crier"),
        "park": extract_figures(PARK, published="2024-03-05", document_id="park",
                                publisher="Town Crier"),
    }
    return {name: (figures, checks_table(figures)) for name, figures in tables.items()}


SEED_SERIES = "series:overdose_deaths_12mo"
# Every chart, asked for by name, draws for any article; build_all chooses which an article gets.
EVERY_CHART = [*CHARTS, SEED_SERIES]


@pytest.fixture(scope="module")
def built(articles) -> dict[str, dict[str, tuple[pd.DataFrame, go.Figure]]]:
    return {name: {chart: build(chart, figures, checks) for chart in EVERY_CHART}
            for name, (figures, checks) in articles.items()}


def step(checks: pd.DataFrame, check_id: str, name: str) -> pd.Series:
    rows = checks[(checks["check_id"] == check_id) & (checks["step"] == name)]
    assert len(rows) == 1
    return rows.iloc[0]


def annotation(fig: go.Figure, name: str):
    found = [a for a in fig.layout.annotations if a.name == name]
    assert len(found) == 1, f"{len(found)} annotations named {name!r}"
    return found[0]


def plain(text: str) -> str:
    return text.replace("<br>", " ").replace("<b>", "").replace("</b>", "")


def axis(fig: go.Figure, key: str):
    """layout.yaxis for "y", layout.xaxis2 for "x2"."""
    return fig.layout[f"{key[0]}axis{key[1:]}"]


def colours(fig: go.Figure) -> set[str]:
    found: set[str] = set()
    for trace in fig.data:
        for part in ("marker", "line"):
            colour = getattr(getattr(trace, part, None), "color", None)
            if isinstance(colour, str):
                found.add(colour)
            elif colour is not None:
                found.update(colour)
    return found


# -- every chart, every article --------------------------------------------------------------
def test_charts_come_in_display_order():
    assert list(CHARTS) == ["claim", "strikes", "strikes_by_region", "timeline", "speakers"]
    assert all(chart.name == name and chart.title for name, chart in CHARTS.items())


def test_an_article_gets_the_charts_its_tables_fill(articles):
    chosen = {name: list(build_all(*tables)) for name, tables in articles.items()}
    # The seed: its 73,960 against CDC's series, the boat claim, the strike list its checks read.
    assert chosen["seed"] == [SEED_SERIES, "claim", "strikes", "strikes_by_region", "timeline",
                              "speakers"]
    # A rate per school and a count of schools: a suggested implication, its dates, its speakers.
    assert chosen["schools"] == ["claim", "timeline", "speakers"]
    assert chosen["park"] == []


def test_a_series_chart_for_every_series_an_article_was_checked_against():
    text = ("In the 12 months ending in April 2025, the United States recorded 73,690 overdose "
            "deaths. India's population of 1.43 billion in 2023 passed China's 1.41 billion. "
            "Inflation was 9.1% in June 2022.")
    figures = extract_figures(text, published="2025-06-01", document_id="mixed")
    chosen = [n for n in build_all(figures, checks_table(figures)) if n.startswith("series:")]
    assert sorted(chosen) == ["series:cpi_u_12mo_change", "series:overdose_deaths_12mo",
                              "series:population"]
    assert all(view_of(name) == "series" for name in chosen)
    assert view_of("strikes_by_region") == "strikes"


def test_charts_toml_names_only_charts_that_exist():
    assert [e["name"] for e in declared()] == ["series", "claim", "strikes",
                                                "strikes_by_region", "timeline", "speakers"]
    with pytest.raises(KeyError, match="no chart 'overdoses'"):
        build("overdoses", pd.DataFrame(), None)


@pytest.mark.parametrize("article", ARTICLES)
@pytest.mark.parametrize("name", EVERY_CHART)
def test_every_chart_is_framed_for_any_article(built, article, name):
    data, fig = built[article][name]
    assert isinstance(data, pd.DataFrame) and {"unit", "source"} <= set(data.columns)
    assert isinstance(fig, go.Figure)
    assert fig.layout.template == pio.templates[TEMPLATE_NAME]
    meta = fig.layout.meta
    assert meta["chart"] == name and meta["title"] and meta["subtitle"]
    assert plain(fig.layout.title.text) == meta["title"]
    sources = annotation(fig, "sources")
    assert sources.text and sources.yref == "paper"
    # The source line sits inside the bottom margin, so a PNG of the figure includes it.
    assert 0 < -sources.yshift < fig.layout.margin.b
    for key, unit in meta["units"].items():
        assert unit in axis(fig, key).title.text, (key, unit)
    if not meta["units"]:  # an empty state says so in words, with no axes to misread
        assert axis(fig, "x").visible is False and axis(fig, "y").visible is False
    json.loads(fig.to_json())


@pytest.mark.parametrize("name", [n for n in EVERY_CHART if n != "timeline"])
def test_hover_text_states_units(built, name):
    _, fig = built["seed"][name]
    units = [u for k, u in fig.layout.meta["units"].items() if k.startswith("y")]
    for trace in fig.data:
        assert any(unit in trace.hovertemplate for unit in units), trace.hovertemplate


@pytest.mark.parametrize("article", ARTICLES)
def test_every_chart_draws_in_the_colour_blind_safe_palette(built, article):
    allowed = set(PALETTE.values()) | {"white"}
    for name, (_, fig) in built[article].items():
        assert colours(fig) <= allowed, name


def test_stance_colours_cover_every_stance_and_the_template_uses_debian_fonts():
    assert set(STANCE_COLOURS) == set(STANCES)
    assert set(STANCE_COLOURS.values()) <= set(PALETTE.values())
    assert "DejaVu Sans" in pio.templates[TEMPLATE_NAME].layout.font.family


def test_data_functions_are_pure(articles):
    figures, checks = articles["seed"]
    before = figures.copy(), checks.copy()
    for chart in CHARTS.values():
        first = chart.data_fn(figures, checks)
        pd.testing.assert_frame_equal(first, chart.data_fn(figures, checks))
    pd.testing.assert_frame_equal(figures, before[0])
    pd.testing.assert_frame_equal(checks, before[1])


def test_options_reach_the_charts_that_take_them(articles):
    figures, checks = articles["seed"]
    assert axis(build("claim", figures, checks)[1], "y").type in (None, "linear", "-")
    assert axis(build("claim", figures, checks, log=True)[1], "y").type == "log"
    everything = build_all(figures, checks, log=True)
    assert axis(everything["claim"][1], "y").type == "log"
    with pytest.raises(TypeError):
        build("strikes", figures, checks, log=True)
    with pytest.raises(TypeError):
        build_all(figures, checks, colour="red")
    with pytest.raises(KeyError):
        build("pie", figures, checks)


# -- the claim chart -------------------------------------------------------------------------
def test_claim_chart_of_the_seed_holds_the_checks_numbers(articles, built):
    figures, checks = articles["seed"]
    data, fig = built["seed"]["claim"]
    value = dict(zip(data["item"], data["value"], strict=True))
    assert value["lives_claimed_for_the_campaign"] == 550_000
    assert value["lives_claimed_for_the_campaign"] == step(
        checks, BOAT, "lives_claimed_for_the_campaign")["result"]
    assert value["lives_claimed_for_the_strikes"] == step(
        checks, BOAT, "lives_claimed_for_the_strikes")["result"] == 525_000
    assert value["deaths_reported"] == 73_690 == step(
        checks, BOAT, "boats_per_year")["data_value"]
    assert value["deaths_predicted"] == 76_516
    assert value["deaths_article"] == 73_960
    assert value["boats_per_year"] == step(checks, BOAT, "boats_per_year")["result"]
    claim = figures[figures["figure_id"] == step(checks, BOAT, "share_of_a_year")
                    ["claim_figure_id"]].iloc[0]
    assert value["lives_claimed_for_one_boat"] == claim["value"] == 25_000
    times = dict(zip(data["item"], data["times"], strict=True))
    assert times["lives_claimed_for_the_campaign"] == pytest.approx(
        step(checks, BOAT, "campaign_in_years_of_deaths")["result"])
    # People on the axis, ratios in the labels, the boats-a-year finding written in.
    assert "people" in fig.layout.yaxis.title.text
    texts = " ".join(t for trace in fig.data for t in trace.text)
    assert "7.46\u00d7" in texts and "7.12\u00d7" in texts
    assert plain(annotation(fig, "finding").text) == step(checks, BOAT, "boats_per_year")["finding"]
    assert fig.layout.meta["title"].startswith("About 3 boats a year")
    assert any("transposition" in note for note in fig.layout.meta["notes"])
    assert "Article: Al Jazeera, 18 Nov 2025" in fig.layout.meta["sources"]
    assert reference.source_line("cdc_overdose_12mo") in fig.layout.meta["sources"]


def test_claim_chart_without_a_curated_check_shows_the_articles_suggestions(articles, built):
    _, checks = articles["schools"]
    data, fig = built["schools"]["claim"]
    suggested = checks[checks["kind"] == "suggestion"]
    assert list(data.loc[data["role"] == "claim", "value"]) == list(suggested["result"])
    assert 4_200 in set(data["value"]) and 2_100 in set(data["value"])
    assert "suggested" in fig.layout.meta["title"]
    assert fig.layout.yaxis.title.text == "people"  # no curated check's words on its axis


def test_claim_chart_of_an_article_without_comparisons_is_a_plain_empty_state(articles, built):
    data, fig = built["park"]["claim"]
    assert data.empty
    assert fig.layout.meta["title"] == "No claim in this article can be set against data"
    figures, _ = articles["seed"]
    assert claim_data(figures, None).empty  # no checks table: nothing to set against


# -- strikes ---------------------------------------------------------------------------------
def test_cumulative_strikes_and_deaths_end_at_the_strike_lists_totals(built):
    strikes = reference.load("vessel_strikes")
    data, fig = built["seed"]["strikes"]
    listed = data[data["series"] == "strike list"]
    last = listed.groupby("measure")["cumulative"].last()
    assert last["strikes"] == strikes["n_strikes"].sum()
    assert last["deaths"] == (strikes["killed"] + strikes["presumed_dead"]).sum()
    marked = data[data["series"] == "the article"].set_index("measure")
    assert marked.loc["strikes", "value"] == 21 and marked.loc["deaths", "value"] == 83
    assert set(marked["date"]) == {"2025-11-18"}
    assert any("presumed dead" in note for note in fig.layout.meta["notes"])


def test_strikes_of_an_unrelated_article_show_the_list_and_say_nothing_is_marked(built):
    data, fig = built["schools"]["strikes"]
    assert (data["series"] == "strike list").all() and len(data)
    assert "no count of strikes and deaths" in fig.layout.meta["subtitle"]


def test_deaths_per_strike_by_region_agree_with_the_checks(articles, built):
    _, checks = articles["seed"]
    data, _ = built["seed"]["strikes_by_region"]
    confirmed = data[data["measure"] == "confirmed killed per strike"].set_index("region")
    check = "strikes-vs-fatalities"
    assert confirmed.loc["Caribbean", "value"] == pytest.approx(
        step(checks, check, "caribbean_deaths_per_strike")["result"])
    assert confirmed.loc["Eastern Pacific", "value"] == pytest.approx(
        step(checks, check, "pacific_deaths_per_strike")["result"])
    every = data[data["region"] == "All regions"]["value"].sum()
    assert every == pytest.approx(step(checks, check, "deaths_per_strike")["result"])
    said = data[data["region"] == "the article"].iloc[0]
    assert said["value"] == pytest.approx(83 / 21) and said["unit"] == "person / strike"


def test_the_claim_chart_finds_its_check_by_its_chart_columns_not_its_id(articles):
    figures, checks = articles["seed"]
    renamed = checks.assign(check_id=checks["check_id"].replace(BOAT, "any-name"))
    before, after = claim_data(figures, checks), claim_data(figures, renamed)
    assert after.drop(columns="check_id").equals(before.drop(columns="check_id"))
    assert set(after["check_id"]) - {None} <= {"any-name"} | set(before["check_id"]) - {BOAT}


# -- who said what ------------------------------------------------------------------------------
def test_who_said_what_counts_each_speakers_figures_by_stance(articles, built):
    figures, _ = articles["seed"]
    data, fig = built["seed"]["speakers"]
    stated = figures[figures["stance"] != "furniture"]
    assert data["figures"].sum() == len(stated)
    counts = data.set_index(["speaker", "stance"])["figures"]
    assert counts[("Donald Trump", "claim")] == ((stated["speaker"] == "Donald Trump")
                                                  & (stated["stance"] == "claim")).sum()
    assert list(data["speaker"])[0] == "Al Jazeera"  # the most figures first
    assert fig.layout.meta["title"].startswith(f"Al Jazeera states {counts['Al Jazeera'].sum()} "
                                               f"of the article's {len(stated)} figures")


def test_who_said_what_sums_the_speakers_past_the_fifteenth():
    text = " ".join(f"Resident Name{i} Smith said {i + 1} homes flooded." for i in range(20))
    figures = extract_figures(text, published="2024-03-05", document_id="many")
    data, fig = build("speakers", figures, None)
    assert data["speaker"].nunique() == 16 and "everyone else" in set(data["speaker"])
    assert data["figures"].sum() == len(figures[figures["stance"] != "furniture"])


# -- a figure against its series ---------------------------------------------------------------
def test_series_chart_draws_the_series_and_marks_the_articles_figure(built):
    cdc = reference.load("cdc_overdose_12mo")
    reported = cdc[(cdc["indicator"] == "all drugs") & (cdc["estimate"] == "reported")]
    data, fig = built["seed"][SEED_SERIES]
    line = data[(data["series"] != "the article") & (data["estimate"] == "reported")]
    assert dict(zip(line["period"], line["value"], strict=True)) == dict(
        zip(reported["period_end"].astype(str).str[:7], reported["value"].astype(float),
            strict=True))
    said = data[data["series"] == "the article"]
    assert said[["period", "value", "verdict", "place"]].values.tolist() == [
        ["2025-04", 73_960, "transposition", "United States"]]
    assert fig.layout.meta["title"].startswith("The article's 73,960 has two digits swapped "
                                               "from the series' 73,690")
    diamonds = [t for t in fig.data if t.marker.symbol == "diamond"]
    assert [t.marker.color for t in diamonds] == [VERDICT_COLOURS["transposition"]]


def test_series_chart_of_an_unrelated_article_marks_nothing(built):
    data, fig = built["schools"][SEED_SERIES]
    assert not (data["series"] == "the article").any()
    assert "no figure in this series" in fig.layout.meta["title"]


def test_series_chart_draws_one_line_per_place_the_article_names():
    text = "India's population of 1.43 billion in 2023 passed China's 1.41 billion."
    figures = extract_figures(text, published="2025-06-01", document_id="places")
    data, fig = build("series:population", figures, checks_table(figures))
    assert set(data.loc[data["series"] != "the article", "place"]) == {"India", "China"}
    marks = data[data["series"] == "the article"].set_index("label")
    assert marks.loc["1.43 billion", "place"] == "India"
    assert {t.name for t in fig.data if t.mode == "lines"} == {"India, published",
                                                             "China, published"}


def test_series_chart_refuses_a_series_the_catalog_lacks():
    with pytest.raises(KeyError, match="no series 'nonsense'"):
        build("series:nonsense", pd.DataFrame(), None)


# -- timeline --------------------------------------------------------------------------------
def test_timeline_places_every_dated_figure_with_its_span(articles, built):
    figures, _ = articles["seed"]
    data, fig = built["seed"]["timeline"]
    assert set(data["figure_id"]) == set(figures.loc[figures["date"].notna(), "figure_id"])
    spans = data.set_index("surface")
    assert tuple(spans.loc["2017 to 2021", ["start", "end", "precision"]]) == (
        "2017-01-01", "2022-01-01", "interval")
    assert tuple(spans.loc["2023", ["start", "end"]]) == ("2023-01-01", "2024-01-01")
    assert tuple(spans.loc["73,960", ["start", "end", "precision"]]) == (
        "2024-05-01", "2025-05-01", "period")
    assert list(data["start"]) == sorted(data["start"])
    drawn = {trace.legendgroup: trace.marker.color for trace in fig.data}
    assert drawn == {stance: STANCE_COLOURS[stance] for stance in set(data["stance"])}
    assert any("people" in text for trace in fig.data for text in trace.hovertext)


def test_timeline_of_an_article_without_dates_is_a_plain_empty_state(articles, built):
    data, fig = built["park"]["timeline"]
    assert data.empty and "no dates" in fig.layout.meta["title"]
    assert timeline_data(articles["park"][0]).empty


def test_timeline_of_a_long_report_draws_the_rows_nearest_publication_and_says_so():
    from dashboard.charts.timeline import MAX_ROWS, timeline_figure

    years = range(1850, 1850 + MAX_ROWS + 30)
    text = " ".join(f"In {year}, the town counted {year - 1800} ships." for year in years)
    figures = extract_figures(text, published="2025-11-20", document_id="long")
    data = timeline_data(figures)
    assert len(data) == len(years)  # the CSV keeps every dated figure
    fig = timeline_figure(data)
    drawn = [y for trace in fig.data for y in trace.y]
    assert len(drawn) == MAX_ROWS
    latest = data.sort_values("end").tail(MAX_ROWS)["figure_id"]
    assert set(drawn) == set(latest)
    assert any(f"the {MAX_ROWS} dated figures nearest publication of the {len(years)}" in note
               for note in fig.layout.meta["notes"])
    assert str(len(years)) in fig.layout.meta["title"]
