"""The words of each language the extractor reads, as data: one folder per language
(`lang/en/`), one TOML file per part of the extractor (`grammar.toml`, `dates.toml`, ...).

A lexicon is loaded once per language and handed to the parser, the sentence splitter and the
attributor. Each of them turns the raw word lists it needs into the shapes it looks them up in
(sets, phrase tables) once, through `Lexicon.derived`, so that no module keeps its own copy of
a language's words.
"""

from __future__ import annotations

import functools
import threading
import tomllib
from collections.abc import Callable
from importlib import resources
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT = "en"


class UnknownLanguage(ValueError):
    """The extractor has no word lists for this language."""


class Lexicon:
    """The word lists of one language: `lexicon["dates"]` is the parsed `lang/<code>/dates.toml`."""

    def __init__(self, code: str, tables: dict[str, dict[str, Any]]):
        self.code = code
        self.tables = tables
        self._derived: dict[Callable, Any] = {}
        # Re-entrant: one derived table may be built from another (the grammar's words from the
        # unit words) while the lock is held.
        self._lock = threading.RLock()

    def __getitem__(self, name: str) -> dict[str, Any]:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"language {self.code!r} has no {name}.toml") from None

    def derived(self, build: Callable[[Lexicon], T]) -> T:
        """`build(self)`, computed once per lexicon: the shapes a module looks its words up in."""
        try:
            return self._derived[build]
        except KeyError:
            pass
        with self._lock:
            if build not in self._derived:
                self._derived[build] = build(self)
            return self._derived[build]

    def __repr__(self) -> str:
        return f"Lexicon({self.code!r}, {sorted(self.tables)})"


def available() -> list[str]:
    """The language codes that have a folder of word lists."""
    root = resources.files(__package__)
    return sorted(entry.name for entry in root.iterdir()
                  if entry.is_dir() and entry.joinpath("grammar.toml").is_file())


def lexicon(code: str = DEFAULT) -> Lexicon:
    """The lexicon of language `code` ("en"), loaded once: `lexicon()` is `lexicon("en")`."""
    return _load(code)


@functools.cache
def _load(code: str) -> Lexicon:
    if not isinstance(code, str) or code not in available():
        raise UnknownLanguage(
            f"no word lists for language {code!r}; available: {', '.join(available())}")
    folder = resources.files(__package__).joinpath(code)
    tables = {entry.name.removesuffix(".toml"): tomllib.loads(entry.read_text("utf-8"))
              for entry in folder.iterdir() if entry.name.endswith(".toml")}
    return Lexicon(code, tables)
