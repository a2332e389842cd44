"""The project's one pint registry, and the words of an article that name its units.

Everything that does arithmetic or states a unit goes through `ureg`: counts of people, vessels
and strikes are separate dimensions, currencies are separate dimensions (no exchange rate is ever
assumed), and time, measures and percent are pint's own units. The vocabulary lives in
`units.toml` beside this file.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import pint

_VOCABULARY = tomllib.loads(resources.files(__package__).joinpath("units.toml").read_text("utf-8"))


def _build_registry(vocabulary: dict) -> pint.UnitRegistry:
    registry = pint.UnitRegistry(on_redefinition="raise")
    for name, entry in vocabulary["countable"].items():
        plural = entry.get("plural")
        alias = f" = {plural}" if plural else ""
        registry.define(f"{name} = [{name}]{alias}")
    for code in vocabulary["currency"]:
        registry.define(f"{code} = [currency_{code}]")
    registry.define("percentage_point = 0.01")
    return registry


ureg = _build_registry(_VOCABULARY)
Quantity = ureg.Quantity
pint.set_application_registry(ureg)

COUNTABLE_UNITS: tuple[str, ...] = tuple(_VOCABULARY["countable"])
CURRENCIES: tuple[str, ...] = tuple(_VOCABULARY["currency"])


def _invert(table: dict[str, list[str]]) -> dict[str, str]:
    return {word.lower(): unit for unit, words in table.items() for word in words}


NOUN_UNITS: dict[str, str] = _invert(
    {unit: entry["nouns"] for unit, entry in _VOCABULARY["countable"].items()}
)
TIME_UNITS: dict[str, str] = _invert(_VOCABULARY["time"])
TIME_ADVERBS: dict[str, str] = _invert(_VOCABULARY["time_adverbs"])
MEASURE_UNITS: dict[str, str] = _invert(_VOCABULARY["measure"])
PERCENT_UNITS: dict[str, str] = _invert(_VOCABULARY["percent"])
CURRENCY_SYMBOLS: dict[str, str] = {
    symbol: code for code, entry in _VOCABULARY["currency"].items() for symbol in entry["symbols"]
}
CURRENCY_WORDS: dict[str, str] = _invert(
    {code: entry["words"] for code, entry in _VOCABULARY["currency"].items()}
)


def singular(word: str) -> str:
    """A regular English singular for a lower-case plural; the word itself when unsure."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ves"):
        return word[:-3] + "f"
    if len(word) > 3 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def unit_for_noun(noun: str) -> str | None:
    """The countable unit a noun counts ("lives" -> "person"), or None when it is not known."""
    key = noun.lower()
    unit = NOUN_UNITS.get(key)
    if unit is None:
        unit = NOUN_UNITS.get(singular(key))
    return unit


@cache
def unit_of(unit: str) -> pint.Unit | None:
    """The registry's unit for a unit expression, or None when it is not one."""
    if not isinstance(unit, str) or not unit.strip():
        return None
    try:
        return ureg.parse_units(unit)
    except Exception:  # pint's parser raises many kinds (ZeroDivisionError for "1/0"): all "no"
        return None


def parses(unit: str) -> bool:
    """True when `unit` is a non-empty unit expression of the project's registry."""
    return unit_of(unit) is not None
