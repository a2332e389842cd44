"""The one pint registry and the words that name its units."""

from __future__ import annotations

import pint
import pytest

from dashboard import units
from dashboard.units import parses, unit_for_noun, ureg


def test_every_unit_named_in_the_vocabulary_parses():
    names = (set(units.NOUN_UNITS.values()) | set(units.TIME_UNITS.values())
             | set(units.MEASURE_UNITS.values()) | set(units.PERCENT_UNITS.values())
             | set(units.CURRENCY_SYMBOLS.values()) | set(units.CURRENCY_WORDS.values())
             | set(units.TIME_ADVERBS.values()))
    assert names
    assert [name for name in names if not parses(name)] == []


@pytest.mark.parametrize(("noun", "unit"), [
    ("lives", "person"), ("people", "person"), ("deaths", "person"), ("survivors", "person"),
    ("victims", "person"), ("boats", "vessel"), ("vessels", "vessel"), ("ships", "vessel"),
    ("strikes", "strike"), ("attacks", "strike"), ("states", "state"), ("countries", "country"),
    ("cities", "city"), ("families", "household"), ("asylum seekers", "person"),
])
def test_counted_nouns_map_to_countable_units(noun, unit):
    assert unit_for_noun(noun) == unit


def test_an_unknown_noun_has_no_unit():
    assert unit_for_noun("widgets") is None


def test_counts_of_different_things_do_not_mix():
    lives_per_boat = ureg.Quantity(25_000, "person / vessel")
    with pytest.raises(pint.DimensionalityError) as refused:
        lives_per_boat.to("person / year")
    assert "[vessel]" in str(refused.value)
    assert "[time]" in str(refused.value)
    boats_per_year = ureg.Quantity(3, "vessel / year")
    assert (lives_per_boat * boats_per_year).to("person / year").magnitude == 75_000


def test_currencies_are_never_converted():
    with pytest.raises(pint.DimensionalityError):
        ureg.Quantity(1, "USD").to("EUR")


def test_percent_and_percentage_points():
    assert ureg.Quantity(24, "percent").to("dimensionless").magnitude == pytest.approx(0.24)
    assert ureg.Quantity(3, "percentage_point").to("percent").magnitude == pytest.approx(3)


def test_the_registry_is_the_application_registry():
    assert pint.get_application_registry().get() is ureg


@pytest.mark.parametrize(
    "text", ["", "  ", "bananas / fortnightly", "1/0", "__import__", "person * * vessel"])
def test_parses_rejects_what_is_not_a_unit(text):
    assert not parses(text)
