"""Bring your own data: add a user's table and its source.toml to the reference catalog.

`add_dataset` checks the table against the schema and series of the source.toml (the same
format as the catalog's own, see data/README.md) exactly as `dashboard.reference.load` and
`catalog` will read them, and only then writes the dataset folder: into a hidden temporary
folder beside the target, renamed into place, so that a failed or interrupted add leaves the
catalog as it was. Any problem is a ReferenceError naming the file, line or row and column.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from dashboard import reference
from dashboard.reference import SOURCE_FILE, ReferenceError


@dataclass(frozen=True)
class Added:
    """A dataset added to the catalog: its name, folder, row count and series ids."""

    name: str
    folder: Path
    rows: int
    series: tuple[str, ...]


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ReferenceError(path, f"{what} not found") from None
    except IsADirectoryError:
        raise ReferenceError(path, f"{what} is a folder, not a file") from None


def add_dataset(table: str | Path, source: str | Path, *, name: str | None = None,
                catalog: str | Path | None = None, replace: bool = False) -> Added:
    """Check `table` (CSV) against `source` (source.toml) and add them to `catalog` as `name`.

    `name` defaults to the CSV's file name without extension; `catalog` to the repository's
    data/reference. A dataset of that name that exists already is refused unless `replace`.
    Writes nothing on any error.
    """
    table, source = Path(table), Path(source)
    folder = Path(catalog) if catalog is not None else reference.catalog_dir()
    name = name or table.stem
    try:
        spec = tomllib.loads(_read(source, "source file").decode("utf-8"))
    except UnicodeDecodeError as err:
        raise ReferenceError(source, f"not UTF-8 (byte {err.start})") from None
    except tomllib.TOMLDecodeError as err:
        raise ReferenceError(source, f"not valid TOML ({err})") from None
    reference.check_source(spec, source, name)
    try:
        text = _read(table, "table").decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReferenceError(table, f"not UTF-8 (byte {err.start})") from None
    frame = reference.table_from_csv(text, reference.descriptor(name, spec), table)
    if frame.empty:
        raise ReferenceError(table, "the table has no rows", line=2)
    for series in spec["series"]:
        reference.check_series_rows(frame, series, source)

    target = folder / name
    if target.exists() and not replace:
        raise ReferenceError(target, f"dataset {name!r} exists already in the catalog "
                             "(give another --name, or --replace to replace it)")
    if folder.is_dir():
        taken = {s["id"]: other for other, spec_ in reference.sources_in(folder).items()
                 for s in spec_["series"] if other != name}
        for series in spec["series"]:
            if series["id"] in taken:
                raise ReferenceError(source, f"series {series['id']!r}: the id is taken by "
                                     f"dataset {taken[series['id']]!r} (ids are unique across "
                                     "the catalog)")
    folder.mkdir(parents=True, exist_ok=True)
    _install(folder, name, {f"{name}.csv": text.encode("utf-8"),
                            SOURCE_FILE: source.read_bytes()})
    _refresh_package(folder)
    return Added(name, target, len(frame), tuple(s["id"] for s in spec["series"]))


def _install(folder: Path, name: str, files: dict[str, bytes]) -> None:
    """Write `files` into folder/name all at once: a hidden temporary folder renamed into place
    (the old folder, when replaced, moved aside first and removed after)."""
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.adding-", dir=folder))
    old: Path | None = None
    try:
        for file_name, content in files.items():
            (staging / file_name).write_bytes(content)
        target = folder / name
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{name}.replaced-", dir=folder))
            os.replace(target, old / name)
        os.replace(staging, target)
    except BaseException:
        if old is not None and (old / name).exists() and not (folder / name).exists():
            os.replace(old / name, folder / name)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _refresh_package(folder: Path) -> None:
    """Rewrite the datapackage.json beside a catalog folder named `reference`, if it has one."""
    package = folder.parent / reference.PACKAGE_FILE
    if folder.name == reference.CATALOG and package.is_file():
        package.write_text(reference.package_json(folder.parent), encoding="utf-8",
                           newline="\n")


def listing(data_dir: Path = reference.DATA_DIR) -> list[str]:
    """One line per dataset and one per series (indented), for `reference list`."""
    lines = []
    for dataset in reference.catalog(data_dir):
        rows = len(reference.load(dataset["name"], data_dir))
        lines.append(f"{dataset['name']}: {dataset['title']} ({dataset['credit']}, release "
                     f"{dataset['release']}, {rows} rows)")
        for series in dataset["series"]:
            place = series["geography"] or f"by {series['geography_column']}"
            lines.append(f"  {series['id']}: {series['title']} [{series['unit']}, "
                         f"{series['period']}, {place}]")
    return lines
