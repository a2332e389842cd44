"""Measures and money, one rule per test: temperatures and their scales, differences of
temperature, measures glued to or joined with their number, magnitudes, subunits of a currency,
prices per thing, and units carried across an aside or a comparison."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.extract import extract_figures
from dashboard.units import parses, ureg


def rows(text: str) -> list[dict]:
    return extract_figures(text, published="2025-07-15").to_dict("records")


def row(text: str, surface: str) -> dict:
    found = [r for r in rows(text) if r["surface"] == surface]
    assert len(found) == 1, (surface, [r["surface"] for r in rows(text)])
    return found[0]


def unit_kind(text: str, surface: str) -> tuple[str, str]:
    found = row(text, surface)
    return found["unit"], found["quantity_kind"]


# -- temperatures ------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "surface", "unit"), [
    ("It hit 41.7C.", "41.7C", "degC"),
    ("It hit 40 C at noon.", "40 C", "degC"),
    ("It hit 104F.", "104F", "degF"),
    ("It hit 35°C.", "35°C", "degC"),
    ("It hit 95 °F.", "95 °F", "degF"),
    ("It hit 38.5 Celsius.", "38.5 Celsius", "degC"),
    ("It hit 128 degrees Fahrenheit.", "128 degrees Fahrenheit", "degF"),
    ("It hit 40 degrees Celsius.", "40 degrees Celsius", "degC"),
])
def test_a_stated_scale_is_the_unit(text, surface, unit):
    assert unit_kind(text, surface) == (unit, "measure")


def test_bare_degrees_are_fahrenheit_when_the_article_states_no_scale():
    assert unit_kind("Highs near 117 degrees are forecast.", "117 degrees") == ("degF", "measure")


@pytest.mark.parametrize("scale", ["Celsius", "°C", "C"])
def test_bare_degrees_take_the_scale_the_article_states_elsewhere(scale):
    glue = "" if scale == "C" else " "
    text = f"Later it fell to 39 degrees.\n\nThe day began at 30{glue}{scale}."
    assert unit_kind(text, "39 degrees") == ("degC", "measure")


def test_an_angle_noun_makes_degrees_an_angle():
    assert unit_kind("It was a 180-degree turn.", "180-degree") == ("degree", "measure")


@pytest.mark.parametrize(("text", "surface"), [
    ("The reading was 0.2C above the record.", "0.2C"),
    ("The world has warmed by 1.2C.", "1.2C"),
    ("It was 3F colder than normal.", "3F"),
])
def test_a_difference_of_temperatures_is_a_delta(text, surface):
    unit, kind = unit_kind(text, surface)
    assert unit.startswith("delta_") and kind == "measure"


def test_a_word_of_comparison_before_another_number_makes_no_difference():
    assert unit_kind("It was 41.7C, above 40C in May.", "41.7C") == ("degC", "measure")


@pytest.mark.parametrize(("text", "surface"), [
    ("Highs of 38 to 42C.", "38 to 42C"),
    ("Highs of 38-42C.", "38-42C"),
])
def test_both_ends_of_a_temperature_range_carry_the_scale(text, surface):
    found = row(text, surface)
    assert (found["value_low"], found["value_high"], found["unit"]) == (38, 42, "degC")


@pytest.mark.parametrize(("text", "letter"), [
    ("They flew 5 F-35s.", "F"), ("Grades were 3 Cs and 2 Bs.", "Cs"),
    ("He sent 3 C-students home.", "C"),
])
def test_a_letter_with_more_glued_after_it_is_no_scale(text, letter):
    assert all(r["quantity_kind"] != "measure" for r in rows(text))


def test_a_lower_case_letter_is_no_scale():
    assert all(r["quantity_kind"] != "measure" for r in rows("He wrote 5 c in the margin."))


# -- other measures ----------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "surface", "unit"), [
    ("He ran 200 yards.", "200 yards", "yard"),
    ("It fell 10 kilometers deep.", "10 kilometers", "kilometer"),
    ("It was a 200-yard run.", "200-yard", "yard"),
    ("It was a 5-mile stretch.", "5-mile", "mile"),
    ("A 10-kilometer-deep quake.", "10-kilometer-deep", "kilometer"),
    ("Winds of 95 km/h.", "95 km/h", "kilometer / hour"),
    ("It uses 5 kWh.", "5 kWh", "kilowatt_hour"),
    ("It produced 3 terawatt-hours.", "3 terawatt-hours", "terawatt_hour"),
    ("A 2,000 square feet home.", "2,000 square feet", "foot ** 2"),
    ("They pumped 318 cubic metres.", "318 cubic metres", "meter ** 3"),
    ("It is 12 cm long.", "12 cm", "centimeter"),
])
def test_measure_words_after_or_joined_to_the_number(text, surface, unit):
    assert unit_kind(text, surface) == (unit, "measure")


@pytest.mark.parametrize(("text", "surface"), [
    ("A 6.1-magnitude earthquake hit.", "6.1-magnitude"),
    ("A magnitude 6.1 earthquake hit.", "magnitude 6.1"),
    ("A magnitude-6.1 quake hit.", "magnitude-6.1"),
    ("A 6.4 magnitude quake hit.", "6.4 magnitude"),
    ("Aftershocks may be as strong as magnitude five.", "magnitude five"),
])
def test_an_earthquake_magnitude_is_a_dimensionless_measure(text, surface):
    found = row(text, surface)
    assert (found["value"] in (6.1, 6.4, 5.0), found["unit"], found["quantity_kind"]) == (
        True, "dimensionless", "measure")


def test_a_measure_per_span_of_time_stays_a_measure():
    assert unit_kind("It travels 5 miles per second.", "5 miles") == ("mile / second", "measure")


def test_a_unit_that_is_a_rate_takes_no_leading_per():
    text = "They carried 900 kilograms per boat at 140 miles per hour."
    assert unit_kind(text, "140 miles per hour") == ("mile / hour", "measure")


# -- money ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "surface", "value", "unit"), [
    ("It rose 82 cents.", "82 cents", 0.82, "USD"),
    ("It rose 82p.", "82p", 0.82, "GBP"),
    ("It rose 10 pence.", "10 pence", 0.10, "GBP"),
    ("It rose 5 euro cents.", "5 euro cents", 0.05, "EUR"),
    ("It costs 99¢.", "99¢", 0.99, "USD"),
])
def test_a_subunit_is_money_in_the_main_unit(text, surface, value, unit):
    found = row(text, surface)
    assert (found["value"], found["unit"], found["quantity_kind"]) == (
        pytest.approx(value), unit, "money")


def test_a_lone_p_apart_from_the_number_is_no_money():
    assert all(r["quantity_kind"] != "money" for r in rows("Add 5 p to the list."))


def test_a_range_in_a_subunit_scales_both_ends():
    found = row("A dividend of 40 to 45 cents.", "40 to 45 cents")
    assert (found["value_low"], found["value_high"]) == (pytest.approx(0.40), pytest.approx(0.45))


@pytest.mark.parametrize(("text", "surface", "unit"), [
    ("Earnings were 32 cents per share.", "32 cents", "USD / share"),
    ("It earned $1.20 a share.", "$1.20", "USD / share"),
    ("A pint costs £3 a pint.", "£3", "GBP / pint"),
    ("Gas cost $3.12 a gallon.", "$3.12", "USD / gallon"),
])
def test_a_price_per_thing_stays_money_with_its_base(text, surface, unit):
    found = row(text, surface)
    assert (found["unit"], found["quantity_kind"], found["rate_base"]) == (unit, "money", 1.0)


def test_money_per_span_of_time_is_a_rate():
    assert unit_kind("Workers earn $15 an hour.", "$15") == ("USD / hour", "rate")


def test_a_money_range_with_one_magnitude_is_kept():
    found = row("It will cost $3-5 million.", "$3-5 million")
    assert (found["value_low"], found["value_high"], found["unit"]) == (3e6, 5e6, "USD")


# -- counted nouns across an aside or a comparison ---------------------------------------------
def test_a_leading_each_reaches_across_an_aside_closed_by_a_comma():
    assert unit_kind("Each boat kills on average, 25,000 people.", "25,000") == (
        "person / vessel", "rate")


def test_a_comma_without_an_aside_still_ends_the_clause():
    assert unit_kind("Each boat sank, 25,000 people said.", "25,000") == ("person", "count")


def test_a_compared_number_takes_the_unit_across_dates_and_periods():
    text = ("There were 73,690 overdose deaths in the 12 months ending in September, "
            "down from 101,363 in the prior 12-month span.")
    found = row(text, "101,363")
    assert (found["unit"], found["quantity_kind"], found["counted"]) == (
        "person", "count", "overdose deaths")


def test_a_compared_number_takes_no_money_unit():
    assert row("It rose to 82 cents, up from 75.", "75")["quantity_kind"] == "number"


def test_a_compared_number_takes_a_measure():
    assert unit_kind("It reached 41.7C, up from 38.", "38") == ("degC", "measure")


# -- every unit the extractor emits parses -----------------------------------------------------
UNIT_WORDS = st.sampled_from([
    "C", "F", "°C", "°F", "degrees", "degrees Fahrenheit", "Celsius", "yards", "km", "km/h",
    "mph", "miles per hour", "acres", "square miles", "cubic metres", "barrels", "kg", "lbs",
    "tonnes", "kWh", "MW", "megawatts", "cents", "pence", "p", "magnitude", "-yard", "-mile",
    "-degree", "-magnitude", "people", "boats", "strikes", "percent", "%", "dollars", "euros",
    "a share", "per share", "a pint", "an hour", "per capita", "a day", "above", "by",
])
NUMBERS = st.sampled_from(["1", "6.1", "41.7", "25,000", "38 to 42", "38-42", "0.2", "two"])
PREFIXES = st.sampled_from(["", "$", "£", "magnitude ", "about ", "each boat ", "above ", "by "])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(PREFIXES, NUMBERS, st.booleans(), UNIT_WORDS, UNIT_WORDS),
                min_size=1, max_size=4))
def test_every_unit_the_extractor_emits_parses_in_the_registry(parts):
    text = " ".join(f"{pre}{number}{'' if glued else ' '}{unit} {after}."
                    for pre, number, glued, unit, after in parts)
    for found in rows(text):
        unit = found["unit"]
        if isinstance(unit, str) and unit:
            assert parses(unit), (text, found["surface"], unit)
            ureg.parse_units(unit)
