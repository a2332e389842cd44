"""A raw reference file as the tidying steps read it: rows of text with their CSV line numbers,
cells parsed by the loader's own `parse_cell`, and a checked fingerprint for fetched files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from dashboard.reference import CellError, ReferenceError, csv_records, parse_cell


@dataclass(frozen=True)
class RawTable:
    """A raw reference file: its path and its rows as text, each with its CSV line number."""

    path: Path
    rows: tuple[tuple[int, dict[str, str]], ...]

    def fail(self, line: int, column: str, problem: str) -> ReferenceError:
        return ReferenceError(self.path, problem, line=line, column=column)

    def value(self, line: int, row: dict[str, str], column: str, kind: str = "string") -> object:
        """The cell as `kind` (None when empty); raises naming the raw file, line and column."""
        cell = row[column]
        if cell == "":
            return None
        try:
            return parse_cell(cell, kind)
        except CellError as err:
            raise self.fail(line, column, str(err)) from None


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_raw(path: Path, columns: list[str], *, sha: str | None = None,
             missing_trailing: list[str] | None = None) -> RawTable:
    """The raw file at `path`, whose header must hold exactly `columns`.

    `sha`: the SHA-256 the origin record gives; a file with another is refused (it is not the
    file the record names). `missing_trailing`: last columns a row may leave out altogether
    (read as empty).
    """
    path = Path(path)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise ReferenceError(path, "raw reference file is missing") from None
    if sha is not None:
        found = hashlib.sha256(content).hexdigest()
        if found != sha:
            raise ReferenceError(path, f"sha256 is {found}, the origin record says {sha}: "
                                 "not the raw file source.toml names (fetch that commit, or "
                                 "review the new file and update [raw] commit and sha256)")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReferenceError(path, f"raw file is not UTF-8 (byte {err.start})") from None
    records = csv_records(text, path)
    header_line, header = next(records, (1, []))
    for column in columns:
        if column not in header:
            raise ReferenceError(path, "column missing from the raw file", line=header_line,
                                 column=column)
    for column in header:
        if column not in columns:
            raise ReferenceError(path, "raw column that the build does not read; add it to "
                                 "[raw] columns in source.toml", line=header_line, column=column)
    if len(set(header)) != len(header):
        repeated = next(c for c in header if header.count(c) > 1)
        raise ReferenceError(path, "column named twice", line=header_line, column=repeated)
    optional = list(missing_trailing or [])
    rows = []
    for line, cells in records:
        short = len(header) - len(cells)
        if short > 0 and header[len(cells):] == optional[len(optional) - short:]:
            cells = [*cells, *[""] * short]
        if len(cells) != len(header):
            raise ReferenceError(path, f"{len(cells)} cells where the header has {len(header)}",
                                 line=line)
        rows.append((line, dict(zip(header, cells, strict=True))))
    return RawTable(path, tuple(rows))
