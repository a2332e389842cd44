"""The words the checks read in sentences (`en.toml`) and the places articles name
(`places.toml`), loaded once, with the patterns built from them."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources


def _toml(name: str) -> dict:
    return tomllib.loads(resources.files(__package__).joinpath(name).read_text("utf-8"))


@cache
def words(lang: str = "en") -> dict:
    """The word lists of `en.toml` (one file per language)."""
    return _toml(f"{lang}.toml")


@cache
def places() -> dict:
    return _toml("places.toml")


def phrase_pattern(phrases, *, case_sensitive: bool = False) -> re.Pattern[str]:
    """One pattern for any of `phrases` on word boundaries, longest first.

    The phrases are grouped by their first character and the word boundary before them is
    checked after it ("(?<![\\w.].)"): a pattern that opens with literals lets the engine skip to
    the places where one of them stands, instead of trying the boundary at every character
    (seven times faster for the places, case-sensitive). An empty phrase would match anywhere
    and is left out."""
    groups: dict[str, list[str]] = {}
    for phrase in sorted({p for p in phrases if p}, key=len, reverse=True):
        first = phrase[0] if case_sensitive else phrase[0].lower()
        groups.setdefault(first, []).append(phrase)
    body = "|".join(
        re.escape(group[0][0]) + r"(?<![\w.].)(?:"
        + "|".join(re.escape(phrase[1:]) for phrase in group) + ")"
        for group in groups.values()) or r"(?!)"
    return re.compile(rf"(?:{body})(?![\w])", 0 if case_sensitive else re.IGNORECASE)


@cache
def pattern(section: str, key: str, lang: str = "en") -> re.Pattern[str]:
    """The pattern of one word list of `en.toml`, e.g. pattern("periods", "year_before")."""
    return phrase_pattern(words(lang)[section][key])


@cache
def lowered_pattern(section: str, key: str, lang: str = "en") -> re.Pattern[str]:
    """pattern() for a text already lower-cased: case-sensitive, and several times faster
    than a pattern that ignores case (the engine skips to the phrases' first letters)."""
    return phrase_pattern([p.lower() for p in words(lang)[section][key]], case_sensitive=True)


def clause_of(sentence: str, start: int, end: int, lang: str = "en") -> tuple[int, int]:
    """The span of the clause of `sentence` that holds [start, end): between the nearest clause
    breaks (", ", "; ", " — " ...) on either side."""
    breaks = words(lang)["clauses"]["breaks"]
    left = max((sentence.rfind(b, 0, start) + len(b) for b in breaks
                if sentence.rfind(b, 0, start) >= 0), default=0)
    right = min((i for b in breaks if (i := sentence.find(b, end)) >= 0), default=len(sentence))
    return left, right
