"""The project's one pint registry, and the words of an article that name its units.

Everything that does arithmetic or states a unit goes through `ureg`: counts of people, vessels
and strikes are separate dimensions, currencies are separate dimensions (no exchange rate is ever
assumed), and time, measures and percent are pint's own units. The units are defined in
`units.toml` beside this file; the words that name them are language data
(`dashboard/extract/lang/<code>/units.toml`), compiled per lexicon by `unit_words`.

The word tables of English stay importable from here (`NOUN_UNITS`, `TIME_UNITS`, ...): they are
built on first use, not at import, so that importing the registry does not load the extractor.
"""

from __future__ import annotations

import functools
import re
import tomllib
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import pint

if TYPE_CHECKING:
    from dashboard.extract.lang import Lexicon

_DEFINITIONS = tomllib.loads(
    resources.files(__package__).joinpath("units.toml").read_text("utf-8"))


def _build_registry(definitions: dict) -> pint.UnitRegistry:
    registry = pint.UnitRegistry(on_redefinition="raise")
    for name, entry in definitions["countable"].items():
        plural = entry.get("plural")
        alias = f" = {plural}" if plural else ""
        registry.define(f"{name} = [{name}]{alias}")
    for code in definitions["currency"]:
        registry.define(f"{code} = [currency_{code}]")
    registry.define("percentage_point = 0.01")
    return registry


ureg = _build_registry(_DEFINITIONS)
Quantity = ureg.Quantity
pint.set_application_registry(ureg)

COUNTABLE_UNITS: tuple[str, ...] = tuple(_DEFINITIONS["countable"])
CURRENCIES: tuple[str, ...] = tuple(_DEFINITIONS["currency"])
CURRENCY_SYMBOLS: dict[str, str] = {
    symbol: code for code, entry in _DEFINITIONS["currency"].items() for symbol in entry["symbols"]
}
CURRENCY_SIGN_PREFIXES: frozenset[str] = frozenset(_DEFINITIONS["sign_prefixes"]["letters"])


# How the tokenizer (dashboard/extract/tokens.py) splits a unit word: runs of letters, runs of
# digits, and each sign apart ("km/h" is "km", "/", "h"; "°F" is "°", "F").
_TOKEN_PARTS = re.compile(r"[^\W\d_]+|\d+|[^\s\w]")


def _as_tokens(word: str) -> str:
    """A unit word as the grammar sees it: its lower-case tokens joined by single spaces."""
    return " ".join(_TOKEN_PARTS.findall(word.lower()))


def _invert(table: dict[str, list[str]]) -> dict[str, str]:
    return {_as_tokens(word): unit for unit, words in table.items() for word in words}


def _scale_pattern(scales: dict[str, list[str]], letters: dict[str, str]) -> re.Pattern[str]:
    """Where a text states a temperature scale: a scale's word or sign, or a scale letter right
    after digits ("41.7C")."""
    words = sorted((word for names in scales.values() for word in names), key=len, reverse=True)
    named = "|".join(rf"\b{re.escape(w)}\b" if w[0].isalpha() else re.escape(w) for w in words)
    glued = "|".join(re.escape(letter) for letter in letters)
    return re.compile(rf"(?i:{named})|(?<=\d)\s?(?:{glued})(?![\w-])")


class UnitWords:
    """The words of one language that name units, as lookup tables (word -> unit string)."""

    def __init__(self, lexicon: Lexicon):
        words = lexicon["units"]
        self.nouns: dict[str, str] = _invert(words["countable"])
        self.time: dict[str, str] = _invert(words["time"])
        self.time_adverbs: dict[str, str] = _invert(words["time_adverbs"])
        self.time_units: frozenset[str] = frozenset(self.time.values())
        self.measure: dict[str, str] = _invert(words["measure"])
        self.percent: dict[str, str] = _invert(words["percent"])
        self.currency: dict[str, str] = _invert(words["currency"])
        self.currency_not_alone: frozenset[str] = frozenset(words["currency_alone"]["not"])
        self.measure_before: dict[str, str] = _invert(words["measure_before"])
        self._temperature(words["temperature"])
        # "82 cents" -> ("USD", 100): money in the main unit once divided.
        self.subunits: dict[str, tuple[str, int]] = {
            _as_tokens(word): (code, entry["per"])
            for code, entry in words["subunits"].items() for word in entry["words"]}
        self.glued_subunits: frozenset[str] = frozenset(
            _as_tokens(word) for entry in words["subunits"].values()
            for word in entry.get("glued", ()))
        # The unit phrases read after a number, by their first token and their lengths in tokens:
        # most numbers are followed by no unit, and the first token refuses them cheaply.
        phrases = [*self.percent, *self.currency, *self.measure, *self.subunits]
        self.phrase_firsts: frozenset[str] = frozenset(p.split(" ")[0] for p in phrases)
        self.phrase_sizes: tuple[int, ...] = tuple(
            sorted({p.count(" ") + 1 for p in phrases}, reverse=True))
        # Counted nouns are looked up at most tokens after a number; a bounded cache keeps the
        # plural rules off that path without growing with every word of a long-running server.
        self.unit_for_noun = functools.lru_cache(maxsize=8192)(self._unit_for_noun)
        self.plurals: tuple[tuple[tuple[str, ...], tuple[str, ...], int, str, int], ...] = tuple(
            (tuple(rule["endings"]), tuple(rule.get("unless", ())), rule["drop"],
             rule.get("add", ""), rule["longer_than"])
            for rule in words["plurals"])

    def _temperature(self, table) -> None:
        self.scale_letters: dict[str, str] = table["letters"]  # case matters: "C", not "c"
        self.bare_degrees: frozenset[str] = frozenset(_as_tokens(w) for w in table["bare"])
        self.angle: str = table["angle"]
        self.angle_nouns: frozenset[str] = frozenset(table["angle_nouns"])
        self.unstated_scale: str = table["unstated"]
        self.scale_of: dict[str, str] = {
            _as_tokens(word).replace(" ", ""): unit
            for unit, names in table["scales"].items() for word in names}
        self.scale_of.update({letter.lower(): unit for letter, unit in self.scale_letters.items()})
        self._scale_pattern = _scale_pattern(table["scales"], self.scale_letters)
        self.differences: dict[str, str] = table["differences"]
        self.difference_after: frozenset[str] = frozenset(table["difference_after"])
        self.difference_before: frozenset[str] = frozenset(table["difference_before"])
        # One search per document, however many of its paragraphs say "degrees"; a few
        # documents are kept (a server extracts many), each string hashed once by Python.
        self.stated_scale = functools.lru_cache(maxsize=16)(self._stated_scale)

    def _stated_scale(self, text: str) -> str:
        """The temperature scale a text states first, or the one assumed when it states none."""
        found = self._scale_pattern.search(text)
        if found is None:
            return self.unstated_scale
        return self.scale_of.get(re.sub(r"\s", "", found.group().lower()), self.unstated_scale)

    def singular(self, word: str) -> str:
        """The regular singular of a lower-case plural; the word itself when unsure."""
        for endings, unless, drop, add, longer_than in self.plurals:
            if len(word) > longer_than and word.endswith(endings) and not (
                    unless and word.endswith(unless)):
                return word[:-drop] + add
        return word

    def _unit_for_noun(self, noun: str) -> str | None:
        """The countable unit a noun counts ("lives" -> "person"), or None when it is not known."""
        key = noun.lower()
        unit = self.nouns.get(key)
        if unit is None:
            unit = self.nouns.get(self.singular(key))
        return unit


def unit_words(lexicon: Lexicon) -> UnitWords:
    """The unit words of `lexicon`, compiled once per lexicon."""
    return lexicon.derived(UnitWords)


@cache
def _english() -> UnitWords:
    from dashboard.extract.lang import lexicon  # here, not at import: the registry loads alone

    return unit_words(lexicon("en"))


_ENGLISH_TABLES = {
    "NOUN_UNITS": "nouns", "TIME_UNITS": "time", "TIME_ADVERBS": "time_adverbs",
    "MEASURE_UNITS": "measure", "PERCENT_UNITS": "percent", "CURRENCY_WORDS": "currency",
}


def __getattr__(name: str):
    if name in _ENGLISH_TABLES:
        return getattr(_english(), _ENGLISH_TABLES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def singular(word: str) -> str:
    """A regular English singular for a lower-case plural; the word itself when unsure."""
    return _english().singular(word)


def unit_for_noun(noun: str) -> str | None:
    """The countable unit an English noun counts ("lives" -> "person"), or None when unknown."""
    return _english().unit_for_noun(noun)


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
