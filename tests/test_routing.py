"""The URL a page is shared by: what it holds, what it gives back, and bad URLs read safely."""

from __future__ import annotations

from urllib.parse import parse_qs

from hypothesis import given
from hypothesis import strategies as st

from dashboard.app.routing import (
    DEFAULT_VIEW,
    MAX_CHOICES,
    MAX_TEXT,
    SEED_KEY,
    VIEWS,
    Reading,
    figure_in,
    reading_in,
    reading_of,
    route,
    search_for,
)


def test_a_url_names_its_article_view_and_figure():
    search = search_for("abc123", "figures", "fig-7")
    assert route(search) == ("abc123", "figures")
    assert figure_in(search) == "fig-7"


def test_an_empty_or_unknown_url_opens_the_seed_on_its_verdicts():
    assert route(None) == (SEED_KEY, DEFAULT_VIEW)
    assert route("?view=nonsense") == (SEED_KEY, DEFAULT_VIEW)


def test_the_search_filters_and_scale_go_into_the_url_and_come_back():
    reading = Reading("overdose deaths", {"stance": ("claim", "data"), "speaker": ("CDC",)},
                      "log")
    search = search_for("seed", "figures", None, reading)
    assert parse_qs(search[1:])["stance"] == ["claim", "data"]
    assert reading_in(search) == reading


def test_defaults_are_left_out_of_the_url():
    assert search_for("seed", "claim", None, Reading()) == "?article=seed&view=claim"


def test_the_controls_values_read_as_the_url_reads_them():
    shown = reading_of("boat", {"kind": ["count"], "stance": None, "speaker": []}, "log")
    assert shown == Reading("boat", {"kind": ("count",)}, "log")
    assert reading_in(search_for("seed", "figures", None, shown)) == shown


def test_a_malformed_url_reads_as_the_defaults_and_stays_bounded():
    reading = reading_in("?scale=sideways&stance=&kind=" + "&kind=".join(
        str(n) * MAX_TEXT * 2 for n in range(MAX_CHOICES * 3)) + "&q=" + "x" * 10_000)
    assert reading.scale == "linear"
    assert "stance" not in reading.filters
    assert len(reading.filters["kind"]) == MAX_CHOICES
    assert all(len(v) == MAX_TEXT for v in reading.filters["kind"])
    assert len(reading.search) == MAX_TEXT


def test_controls_with_values_of_the_wrong_type_read_as_text_or_nothing():
    shown = reading_of(12, {"kind": 3, "stance": [None, "", "claim", "claim"]}, ["log"])
    assert shown == Reading("", {"kind": ("3",), "stance": ("claim",)}, "linear")


@given(st.text(max_size=300))
def test_any_query_string_reads_without_error_and_round_trips(search):
    reading = reading_in(search)
    again = reading_in(search_for("seed", "figures", None, reading))
    assert again == reading
    assert route(search)[1] in VIEWS
