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


def test_every_unit_of_the_temperature_and_subunit_tables_parses():
    words = units._english()
    names = ({*words.measure_before.values(), *words.scale_letters.values(), words.angle,
              words.unstated_scale, *words.scale_of.values(), *words.differences.values(),
              *words.differences, *(code for code, _ in words.subunits.values())})
    assert [name for name in names if not parses(name)] == []


def test_a_temperature_difference_is_not_a_temperature():
    assert ureg.parse_units("delta_degC") != ureg.parse_units("degC")
    assert ureg.Quantity(0.2, "delta_degC").to("delta_degF").magnitude == pytest.approx(0.36)


def test_a_price_per_share_is_a_unit_of_its_own():
    assert parses("USD / share")
    assert ureg.parse_units("share").dimensionality != ureg.parse_units("person").dimensionality


@pytest.mark.parametrize(("word", "tokens"), [
    ("km/h", "km / h"), ("°F", "° f"), ("kilowatt-hour", "kilowatt - hour"),
    ("u.s. dollars", "u . s . dollars"), ("km²", "km²"),
])
def test_unit_words_are_read_as_the_tokenizer_splits_them(word, tokens):
    assert units._as_tokens(word) == tokens


def test_the_stated_scale_is_the_first_in_the_text_and_fahrenheit_otherwise():
    words = units._english()
    assert words.stated_scale("Highs of 40C, or 104F.") == "degC"
    assert words.stated_scale("A 90 F day; 30 Celsius in Madrid.") == "degF"
    assert words.stated_scale("Five F-35s at 100 degrees.") == "degF"
    assert words.stated_scale("A cold 5 degrees.") == words.unstated_scale
