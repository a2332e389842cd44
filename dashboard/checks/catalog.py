"""The reference catalog as the checks use it: every series of every dataset, with what it
measures compiled into patterns and its values indexed by place and period.

`data/reference/<dataset>/source.toml` describes each series (dashboard.reference.catalog); this
module builds, once per version of the catalog's files, what matching needs: the measure's
phrases as one pattern, the unit parsed by the project's pint registry, and a dictionary from
(place, period) to the value of each estimate.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

import pandas as pd
import pint

from dashboard import reference
from dashboard.checks.periods import YEAR
from dashboard.checks.verdicts import rounded
from dashboard.checks.words import phrase_pattern, places
from dashboard.units import ureg

SHORT_TEXT = 60  # characters: what a figure counts, remembered by measured_in
SHORT_TEXTS_KEPT = 10_000


@dataclass(frozen=True)
class Series:
    """One series of the catalog: what it measures, in which unit, where, over which periods."""

    id: str
    dataset: str
    title: str
    phrases: tuple[str, ...]
    exclude: re.Pattern[str] | None
    unit: str
    units: pint.Unit
    counted_units: tuple[pint.Unit, ...]
    geography: str | None
    geography_column: str | None
    period: str
    primary: str | None
    estimates: Mapping[str, str]
    precision: float | None
    cited_as: re.Pattern[str]
    undated: str
    revised: bool
    release: str
    url: str | None
    source_line: str
    values: Mapping[tuple[str, str], Mapping[str, float]] = field(repr=False)
    keys: Mapping[str, tuple[str, ...]] = field(repr=False)

    def lookup(self, key: str, place: str) -> Mapping[str, float] | None:
        """The value of each estimate for the period `key` at `place`, as published."""
        return self.values.get((place, key))

    def span(self, place: str) -> str:
        """"2015-01 to 2025-04": the periods the series has for `place`."""
        keys = self.keys.get(place, ())
        return f"{keys[0]} to {keys[-1]}" if keys else "no periods"

    def latest_before(self, published: dt.date, place: str) -> str | None:
        """The latest period that ended before `published` (a stock stated without a date)."""
        for key in reversed(self.keys.get(place, ())):
            if _ends(key, self.period) < published:
                return key
        return None

    def place_of(self, named: str | None) -> str | None:
        """The series' place for a place the article names (None: it names none)."""
        if self.geography is not None:
            return self.geography if named in (None, self.geography) else None
        return named if named is not None and named in self.keys else None


def _ends(key: str, structure: str) -> dt.date:
    """The day after the period `key` ends."""
    if structure == YEAR:
        return dt.date(int(key) + 1, 1, 1)
    year, month = int(key[:4]), int(key[5:7])
    return dt.date(year + month // 12, month % 12 + 1, 1)


def _key(value: object, structure: str) -> str:
    if structure == YEAR:
        return str(value)[:4]
    if isinstance(value, pd.Timestamp | dt.date):
        return value.strftime("%Y-%m")
    return str(value)[:7]


def compile_series(spec: Mapping, dataset: Mapping, table: pd.DataFrame, line: str) -> Series:
    """A catalog series (a dict of source.toml's [[series]]) with its values indexed."""
    rows = table
    for column, wanted in (spec.get("where") or {}).items():
        rows = rows[rows[column].astype(str) == str(wanted)]
    structure = spec["period"]
    value_column = spec.get("value_column", "value")
    estimate_column = spec.get("estimate_column")
    precision = spec.get("precision")
    places_ = (rows[spec["geography_column"]].astype(str) if spec.get("geography_column")
               else pd.Series(spec.get("geography") or "", index=rows.index))
    keys = rows[spec["date_column"]].map(lambda v: _key(v, structure))
    estimates = (rows[estimate_column].astype(str) if estimate_column
                 else pd.Series(spec.get("primary_estimate") or "published", index=rows.index))
    values: dict[tuple[str, str], dict[str, float]] = {}
    for place, key, estimate, value in zip(places_, keys, estimates, rows[value_column],
                                           strict=True):
        if pd.isna(value):
            continue
        values.setdefault((place, key), {})[estimate] = rounded(float(value), precision)
    by_place: dict[str, list[str]] = {}
    for place, key in values:
        by_place.setdefault(place, []).append(key)
    exclude = spec.get("exclude") or []
    return Series(
        id=spec["id"], dataset=dataset["name"], title=spec["title"],
        phrases=tuple(p.lower() for p in spec["measure"]),
        exclude=phrase_pattern(exclude) if exclude else None,
        unit=spec["unit"], units=ureg.parse_units(spec["unit"]),
        counted_units=tuple(ureg.parse_units(u) for u in spec.get("counted_units") or []),
        geography=spec.get("geography"), geography_column=spec.get("geography_column"),
        period=structure,
        primary=spec.get("primary_estimate") or (None if estimate_column else "published"),
        estimates=dict(spec.get("estimates") or {}),
        precision=precision, cited_as=phrase_pattern(spec.get("cited_as") or [],
                                                     case_sensitive=True),
        undated=spec.get("undated", "none"), revised=bool(spec.get("revised")),
        release=str(dataset.get("release") or ""), url=dataset.get("url"), source_line=line,
        values=values, keys={p: tuple(sorted(k)) for p, k in by_place.items()},
    )


@dataclass(frozen=True)
class Catalog:
    """Every series, the phrases of their measures as one pattern, and the places the catalog
    and `places.toml` know."""

    series: tuple[Series, ...]
    place_names: re.Pattern[str]
    canonical: Mapping[str, str]
    measures: re.Pattern[str]
    by_phrase: Mapping[str, tuple[Series, ...]]
    by_id: Mapping[str, Series]
    # What could not be read, one message a file: those datasets are left out, the rest works.
    problems: tuple[str, ...] = ()

    # What a figure counts ("people", "overdose deaths") is searched for every figure, from a
    # small vocabulary: short texts are remembered, up to a bound.
    _short: dict[str, list[tuple[Series, str]]] = field(default_factory=dict, compare=False,
                                                        repr=False)

    def measured_in(self, text: str) -> list[tuple[Series, str]]:
        """(series, phrase) for every measure phrase that `text` holds, longest first."""
        if len(text) <= SHORT_TEXT:
            known = self._short.get(text)
            if known is None:
                if len(self._short) >= SHORT_TEXTS_KEPT:
                    self._short.clear()
                known = self._short[text] = self._measured_in(text)
            return list(known)
        return self._measured_in(text)

    def _measured_in(self, text: str) -> list[tuple[Series, str]]:
        found = []
        # The phrases are lower case and the pattern case-sensitive, searched in the text
        # lower-cased: several times faster than a pattern that ignores case.
        for match in self.measures.finditer(text.lower()):
            phrase = match.group()
            found += [(series, phrase) for series in self.by_phrase.get(phrase, ())]
        return sorted(found, key=lambda item: -len(item[1]))

    def places_in(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, place) of every place `text` names, canonical names."""
        return [(m.start(), m.end(), self.canonical[m.group()])
                for m in self.place_names.finditer(text)]


def load_catalog(data_dir: Path = reference.DATA_DIR, signature: tuple | None = None
                 ) -> Catalog:
    """The compiled catalog of `data_dir`; compiled again only when its files change.
    `signature` is the folder's catalog_signature, when the caller has it already."""
    if signature is None:
        signature = catalog_signature(Path(data_dir))
    return _compiled(str(data_dir), signature)


def catalog_signature(data_dir: Path) -> tuple:
    """Every file of the catalog with its size and time: a changed or added dataset shows."""
    folder = data_dir / "reference"
    if not folder.is_dir():
        return ()
    found = []
    for path in folder.rglob("*"):
        stat = path.stat()
        if S_ISREG(stat.st_mode):
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))


@lru_cache(maxsize=8)
def _compiled(data_dir: str, signature: tuple) -> Catalog:
    series: list[Series] = []
    problems = [err.shown(Path(data_dir)) for err in reference.usable_sources(Path(data_dir))[1]]
    for dataset in reference.catalog(Path(data_dir), strict=False):
        specs = dataset.get("series") or []
        if not specs:
            continue
        try:
            table = reference.load(dataset["name"], Path(data_dir))
            line = reference.source_line(dataset["name"], Path(data_dir))
            series += [compile_series(spec, dataset, table, line) for spec in specs]
        except reference.ReferenceError as err:
            problems.append(err.shown(Path(data_dir)))
    canonical: dict[str, str] = {}
    for item in series:
        names = [item.geography] if item.geography else list(item.keys)
        canonical.update({name: name for name in names if name})
    vocabulary = places()
    for name, aliases in vocabulary["aliases"].items():
        canonical.update({alias: name for alias in [name, *aliases]})
    for names in vocabulary["other"].values():
        canonical.update({name: name for name in names if name not in canonical})
    by_phrase: dict[str, list[Series]] = {}
    for item in series:
        for phrase in item.phrases:
            by_phrase.setdefault(phrase, []).append(item)
    return Catalog(tuple(series), phrase_pattern(canonical, case_sensitive=True), canonical,
                   phrase_pattern(by_phrase, case_sensitive=True),
                   {p: tuple(s) for p, s in by_phrase.items()},
                   {item.id: item for item in series}, tuple(problems))

