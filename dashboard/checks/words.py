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
    """One pattern for any of `phrases` on word boundaries, longest first."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(re.escape(p) for p in ordered) or r"(?!)"
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w])", 0 if case_sensitive else re.IGNORECASE)


@cache
def pattern(section: str, key: str, lang: str = "en") -> re.Pattern[str]:
    """The pattern of one word list of `en.toml`, e.g. pattern("periods", "year_before")."""
    return phrase_pattern(words(lang)[section][key])


def clause_of(sentence: str, start: int, end: int, lang: str = "en") -> tuple[int, int]:
    """The span of the clause of `sentence` that holds [start, end): between the nearest clause
    breaks (", ", "; ", " — " ...) on either side."""
    breaks = words(lang)["clauses"]["breaks"]
    left = max((sentence.rfind(b, 0, start) + len(b) for b in breaks
                if sentence.rfind(b, 0, start) >= 0), default=0)
    right = min((i for b in breaks if (i := sentence.find(b, end)) >= 0), default=len(sentence))
    return left, right
