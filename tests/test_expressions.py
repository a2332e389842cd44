"""Arithmetic over named quantities: units decide what may be added, compared or converted."""

from __future__ import annotations

import pytest

from dashboard.checks.expressions import UnitMismatch, convert, dimension_words, evaluate
from dashboard.units import Quantity

NAMES = {
    "claim": Quantity(25_000, "person / vessel"),
    "deaths": Quantity(73_690, "person"),
    "year_of_deaths": Quantity(73_690, "person / year"),
    "twelve_months": Quantity(12, "month"),
    "boats": Quantity(22, "vessel"),
}


def test_boats_a_year_to_equal_a_year_of_deaths():
    boats = convert(evaluate("deaths / twelve_months / claim", NAMES), "vessel / year", "boats")
    assert boats.magnitude == pytest.approx(73_690 / 25_000)


def test_lives_per_boat_times_boats_is_lives():
    assert convert(evaluate("claim * boats", NAMES), "person", "x").magnitude == 550_000


def test_numbers_and_parentheses():
    share = convert(evaluate("(deaths - deaths / 4) / deaths * 100", NAMES), "dimensionless", "x")
    assert share.magnitude == pytest.approx(75)


def test_a_bare_number_is_no_count_of_people():
    with pytest.raises(UnitMismatch, match="person"):
        evaluate("deaths - 3690", NAMES)


def test_lives_per_boat_against_deaths_per_year_needs_boats_per_year():
    with pytest.raises(UnitMismatch) as refused:
        convert(evaluate("claim / year_of_deaths", NAMES), "dimensionless", "claim / deaths")
    message = str(refused.value)
    assert "vessel / year" in message
    assert "[vessel]" in message and "[time]" in message


def test_adding_different_things_is_refused_with_what_differs():
    with pytest.raises(UnitMismatch, match=r"differ by .*vessel"):
        evaluate("claim + year_of_deaths", NAMES)


@pytest.mark.parametrize("expression", [
    "__import__('os').system('true')", "claim.magnitude", "claim ** 2", "[claim]",
    "claim if 1 else 0",
])
def test_only_arithmetic_is_evaluated(expression):
    with pytest.raises(ValueError, match="only"):
        evaluate(expression, NAMES)


def test_an_unknown_name_is_named():
    with pytest.raises(ValueError, match="'lives'"):
        evaluate("lives / boats", NAMES)


def test_dimension_words_read_as_units():
    assert dimension_words(Quantity(1, "vessel / year").dimensionality) == "vessel / year"
    assert dimension_words(Quantity(1, "USD").dimensionality) == "USD"
