"""Scores, points, ranks, multiples and parts of a whole in words, one rule at a time (the labelled
cases are tests/corpus/scores.toml and multiples.toml)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.extract import extract_figures
from dashboard.extract.grammar.words import english


def table(text: str) -> pd.DataFrame:
    return extract_figures(text, published="2025-03-14", document_id="t", publisher="Desk")


def rows(text: str) -> dict[str, dict]:
    figures = table(text)
    return {r["surface"]: {k: (None if pd.isna(v) else v) for k, v in r.items()}
            for r in figures.to_dict("records")}


def kinds(text: str) -> list[tuple[str, str]]:
    return [(r["surface"], r["quantity_kind"]) for r in table(text).to_dict("records")]


# -- scores --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "first", "second"), [
    ("The Gulls beat the Owls 139-130 on Saturday.", "139", "130"),       # a word before
    ("It was a 111-110 win for the hosts.", "111", "110"),                # a result noun after
    ("Northfield won 5-0 at home.", "5", "0"),
    ("Dallas leads 3-1 in the series.", "3", "1"),                        # a few words after
    ("The Raiders were routed by the visiting Bills 45-20.", "45", "20"),  # five words before
    ("A late field goal made it 31-20.", "31", "20"),                     # a phrase before
    ("The 41-18 Celtics host Miami.", "41", "18"),                        # a team's record
    ("“We’re 5-2,” the coach said.", "5", "2"),                           # a record, high first
    ("Buffalo (7-6) travels to Denver.", "7", "6"),
    ("United beat City 2–1 in the final.", "2", "1"),                     # an en dash
    ("The court ruled 6-3 on Friday.", "6", "3"),
    ("A 2-1 decision upheld on appeal stands.", "2", "1"),                # a result, then more
])
def test_a_score_is_two_counts(text, first, second):
    found = rows(text)
    assert f"{first}-{second}" not in found and f"{first}–{second}" not in found
    for surface in (first, second):
        assert found[surface]["quantity_kind"] == "count"
        assert found[surface]["value"] == float(surface)
        assert found[surface]["qualifier"] == "exact"


def test_a_score_written_low_first_is_no_range_near_a_word_of_voting():
    found = rows("The amendment failed on a 48-52 vote.")
    assert found["48"]["value"] == 48 and found["52"]["value"] == 52
    assert "48-52" not in found


def test_a_vote_tally_counts_votes_and_a_win_counts_no_unit():
    votes = rows("The board approved it in a 5-4 vote.")
    assert (votes["5"]["unit"], votes["4"]["unit"]) == ("vote", "vote")
    win = rows("It was a 111-110 win.")
    assert win["111"]["unit"] == win["110"]["unit"] == "dimensionless"
    assert win["110"]["counted"] is None


@pytest.mark.parametrize(("text", "surface", "kind"), [
    ("Adults aged 18-44 won the lottery more often.", "18-44", "age"),    # an age word wins
    ("The party is expected to win 30-40 seats.", "30-40", "count"),      # a range of seats
    ("The club won $3-5 million.", "$3-5 million", "money"),              # a currency
    ("They won the 2019-20 season title.", "2019-20", "year"),            # a year range
    ("The team won 3-5 percent more games.", "3-5 percent", "percent"),   # a unit
    ("He spoke about 9-11 for an hour.", "about 9-11", "number"),         # no score word
])
def test_a_range_stays_a_range_near_a_word_of_winning(text, surface, kind):
    found = rows(text)
    assert found[surface]["quantity_kind"] == kind
    assert found[surface]["qualifier"] == "range"


def test_names_with_a_dash_are_no_score():
    assert kinds("The Pac-12 won 5 titles.") == [("5", "count")]
    assert "4" not in rows("They won playing a 4-3-3 formation.")
    assert list(rows("Boeing 737-800 jets won approval.")) != ["737", "800"]


# -- points and counts joined by a hyphen ----------------------------------------------------------
@pytest.mark.parametrize(("text", "surface", "value", "counted"), [
    ("Vega scored 50 points.", "50", 50, "points"),
    ("She had 12 rebounds.", "12", 12, "rebounds"),
    ("He had a 50-point game.", "50", 50, "point"),
    ("They blew a 26-point lead.", "26", 26, "point"),
    ("It ended a nine-game losing streak.", "nine", 9, "game"),
    ("The six-time champion lost.", "six", 6, "time"),
])
def test_points_and_hyphenated_nouns_are_counts(text, surface, value, counted):
    figure = rows(text)[surface]
    assert (figure["quantity_kind"], figure["value"], figure["counted"]) == (
        "count", value, counted)


def test_a_hyphenated_seat_counts_seats():
    assert rows("The 600-seat parliament met.")["600"]["unit"] == "seat"


def test_a_hyphenated_span_of_time_or_age_is_not_a_count():
    assert rows("A 12-month review began.")["12-month"]["quantity_kind"] == "duration"
    assert rows("A 34-year-old man died.")["34-year-old"]["quantity_kind"] == "age"


# -- ranks ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "surface", "value", "counted"), [
    ("He was the No. 1 pick.", "No. 1", 1, "pick"),
    ("They are ranked No. 10 in the country.", "No. 10", 10, None),
    ("No. 3 Hale won again.", "No. 3", 3, None),
])
def test_a_rank_is_an_ordinal(text, surface, value, counted):
    figure = rows(text)[surface]
    assert (figure["quantity_kind"], figure["value"], figure["counted"]) == (
        "ordinal", value, counted)
    assert figure["unit"] is None


@pytest.mark.parametrize("text", [
    "Voters rejected Proposition No. 5.", "Resolution No. 12 failed.",
    "There was no 5 on the list.",
])
def test_a_numbered_name_is_no_rank(text):
    assert [k for _, k in kinds(text)] in ([], ["count"], ["number"])
    assert not any(k == "ordinal" for _, k in kinds(text))


# -- multiples -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "surface", "value", "qualifier"), [
    ("Prices rose fourfold.", "fourfold", 4, "exact"),
    ("It was a tenfold jump.", "tenfold", 10, "exact"),
    ("Costs grew a hundredfold.", "hundredfold", 100, "exact"),
    ("Rents rose more than fourfold.", "more than fourfold", 4, "more than"),
    ("Rents rose 10-fold.", "10-fold", 10, "exact"),
    ("Rents rose almost four-fold.", "almost four-fold", 4, "nearly"),
    ("Deaths doubled in a year.", "doubled", 2, "exact"),
    ("Deaths more than tripled.", "more than tripled", 3, "more than"),
    ("Sales quadrupled.", "quadrupled", 4, "exact"),
    ("The budget was halved.", "halved", 0.5, "exact"),
    ("Sales are expected to double.", "double", 2, "exact"),
    ("Costs could triple.", "triple", 3, "exact"),
    ("There were twice as many cases.", "twice", 2, "exact"),
    ("The rate is three times higher.", "three times", 3, "exact"),
])
def test_a_multiple_is_a_ratio(text, surface, value, qualifier):
    figure = rows(text)[surface]
    assert figure["quantity_kind"] == "ratio"
    assert figure["value"] == pytest.approx(value)
    assert figure["qualifier"] == qualifier
    assert figure["unit"] == "dimensionless"


@pytest.mark.parametrize("text", [
    "He doubled down on the claim.", "Inflation hit double digits.", "It was a double murder.",
    "A double-digit lead vanished.", "He visited twice.", "The triple overtime thriller ended.",
    "The manifold leaked.",
])
def test_words_that_only_look_like_multiples_are_no_figure(text):
    assert kinds(text) == []


def test_some_before_a_multiple_is_no_hedge():
    assert kinds("Some doubled their output.") == [("doubled", "ratio")]


# -- parts of a whole ----------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "surface", "value"), [
    ("One out of every four adults smokes.", "One out of every four", 0.25),
    ("One in every three children is poor.", "One in every three", 1 / 3),
    ("One out of four voters agreed.", "One out of four", 0.25),
    ("Two out of three voters agreed.", "Two out of three", 2 / 3),
    ("Nine in 10 nurses agreed.", "Nine in 10", 0.9),
    ("One in five adults agreed.", "One in five", 0.2),
    ("A third of voters agreed.", "A third", 1 / 3),
    ("Half of the residents agreed.", "Half", 0.5),
])
def test_a_part_of_a_whole_is_a_fraction(text, surface, value):
    figure = rows(text)[surface]
    assert figure["quantity_kind"] == "fraction"
    assert figure["value"] == pytest.approx(value)


def test_the_words_come_from_the_lexicon():
    w = english()
    assert w.multiple_words["fourfold"] == 4 and w.multiple_verbs["doubled"] == 2
    assert ("make", "it") in w.score_before and "vote" in w.score_after
    assert "every" in w.part_every and "no" in w.rank_marks
