"""Many article files into one figures table, in worker processes when asked.

    articles = collect_articles(["corpus/", "extra.txt"])
    result = extract_many(articles, jobs=4)
    result.table, result.failures

Order: the arguments in the order given, each folder's articles sorted by path, so the table is
the same whatever the number of jobs. A file that cannot be read, or on which the extractor fails,
becomes a Failure (one line naming the file and the reason) and the rest of the run goes on.

Document ids: a file's id is its name without extension, as for a single file. When several
files of one run share a name (`2024/index.html` and `2025/index.html`), each of them takes its
path instead: relative to the folder it was found in (a file named by itself: as given), without
extension (`2024/index`), else with it, else the whole path as given, until the ids are unique.
So no file is lost to a clash of names and every figure_id stays unique.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TextIO

import pandas as pd

from dashboard.extract import extract_document
from dashboard.ingest import Document, IngestError, read_document
from dashboard.schema import figures_frame

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".markdown", ".text")
SIDECAR_SUFFIX = ".meta.json"
# Files per task sent to a worker: enough that pickling one table per chunk, not per file, keeps
# inter-process traffic small; few enough that the last chunks still spread over the workers.
MAX_CHUNK = 32
CHUNKS_PER_JOB = 8

Progress = Callable[[int, int], None]  # (files done, files failed so far)


@dataclass(frozen=True)
class Article:
    """One file to read: `path` as given or found, `relative` to the folder it was found in."""

    path: str
    relative: str
    document_id: str = ""


@dataclass(frozen=True)
class Failure:
    """A file left out of the table; `message` is one line that starts with the file's path."""

    path: str
    message: str
    kind: str  # "input" (unreadable or bad file) or "extractor" (a bug: please report the file)

    def __str__(self) -> str:
        return self.message


@dataclass
class BatchResult:
    table: pd.DataFrame
    failures: list[Failure]
    files: int
    bytes: int
    seconds: float
    cpu_seconds: float = 0.0  # CPU time of the extraction, summed over the processes

    @property
    def extracted(self) -> int:
        return self.files - len(self.failures)

    def summary(self) -> str:
        """One line: files read and failed, figures, time and throughput."""
        rate = self.files / self.seconds if self.seconds else 0.0
        megabytes = self.bytes / 1e6 / self.seconds if self.seconds else 0.0
        return (f"extracted {self.extracted:,} of {self.files:,} files ({len(self.failures):,} "
                f"failed): {len(self.table):,} figures in {self.seconds:.1f} s, "
                f"{rate:,.1f} files/s, {megabytes:.2f} MB/s")


def _printable(text: str) -> str:
    """`text` with unprintable characters escaped, as IngestError does: file names may hold
    newlines or undecodable bytes, and a failure must stay one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def is_article(name: str) -> bool:
    """An article file by its name: a known suffix, not a sidecar, not hidden."""
    lower = name.lower()
    return (not name.startswith(".") and not lower.endswith(SIDECAR_SUFFIX)
            and os.path.splitext(lower)[1] in ARTICLE_SUFFIXES)


def walk_folder(folder: str) -> list[str]:
    """Paths of the articles under `folder`, relative to it (posix), sorted.

    Hidden files and folders (`.git`, `.DS_Store`) are skipped; symbolic links to folders are not
    followed, so a link cannot make the walk loop.
    """
    found = []
    for root, dirs, files in os.walk(folder, onerror=_raise):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_root = os.path.relpath(root, folder)
        for name in files:
            if is_article(name):
                rel = name if rel_root == "." else os.path.join(rel_root, name)
                found.append(PurePosixPath(Path(rel).as_posix()))
    return [str(p) for p in sorted(found)]


def _raise(err: OSError) -> None:
    raise IngestError(f"{err.filename}: cannot be read ({(err.strerror or str(err)).lower()})")


def articles_of(argument: str) -> list[Article]:
    """The articles of one command-line argument: a folder's, sorted, or the file itself."""
    if os.path.isdir(argument):
        return [Article(os.path.join(argument, rel), rel) for rel in walk_folder(argument)]
    return [Article(argument, Path(argument).as_posix())]


def collect_articles(arguments: Sequence[str]) -> list[Article]:
    """The articles named by `arguments` (files and folders), with unique document ids.

    A file is taken as given, whatever its suffix (a missing one fails when it is read); a
    folder gives its articles, recursively (see is_article). A file reached twice is read once.
    Raises IngestError when there is nothing to read.
    """
    articles: list[Article] = []
    seen: set[str] = set()
    for argument in arguments:
        for article in articles_of(argument):
            key = os.path.realpath(article.path)
            if key not in seen:
                seen.add(key)
                articles.append(article)
    if not articles:
        folders = [a for a in arguments if os.path.isdir(a)]
        names = ", ".join(folders) or "the arguments"
        raise IngestError(f"{names}: no article files found (looked for "
                          f"{', '.join(ARTICLE_SUFFIXES)}, in subfolders too)")
    return with_document_ids(articles)


def _id_candidates(article: Article) -> tuple[str, ...]:
    relative = PurePosixPath(article.relative)
    given = article.path if "://" in article.path else Path(article.path).as_posix()
    names = (relative.stem, str(relative.with_suffix("")), str(relative), given)
    return tuple(_decoded(name) for name in names)


def _decoded(name: str) -> str:
    """A file name as text: bytes that were not UTF-8 (kept by Python as lone surrogates, which
    no UTF-8 table can hold) become U+FFFD."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return name.encode("utf-8", "replace").decode("utf-8")


def with_document_ids(articles: Sequence[Article]) -> list[Article]:
    """`articles` with document ids: file names without extension, made unique (module doc)."""
    candidates = [_id_candidates(a) for a in articles]
    level = [0] * len(articles)
    while True:
        ids = [c[n] for c, n in zip(candidates, level, strict=True)]
        counts = Counter(ids)
        bumped = False
        for index, name in enumerate(ids):
            if counts[name] > 1 and level[index] < len(candidates[index]) - 1:
                level[index] += 1
                bumped = True
        if not bumped:
            return [dataclasses.replace(a, document_id=i)
                    for a, i in zip(articles, ids, strict=True)]


Reader = Callable[..., Document]  # (path, published=...) -> Document, as ingest.read_document


def extract_one(path: str, document_id: str | None, published: datetime.date | None,
                read: Reader = read_document) -> tuple[pd.DataFrame | Failure, int]:
    """The figures table of one file, or the Failure that says why there is none; and its size
    in bytes (0 when it is not a local file).

    Never raises for a bad file or an extractor bug: both are outcomes of a batch, not its end.
    """
    try:
        document = read(path, published=published)
    except IngestError as err:
        message = str(err)  # one printable line already, naming the file it is about
        if not message.startswith(_printable(path)):  # a sidecar's error names the sidecar
            message = f"{_printable(path)}: {message}"
        return Failure(path, message, "input"), 0
    if document_id:
        document = dataclasses.replace(document, document_id=document_id)
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0
    try:
        return extract_document(document), size
    except Exception as err:  # an extractor bug ends in one line naming the file, not the run
        reason = _printable(" ".join(f"{type(err).__name__}: {err}".split()))
        message = f"{_printable(path)}: the extractor failed ({reason}); please report this file"
        return Failure(path, message, "extractor"), size


@dataclass
class Chunk:
    """What a worker sends back for a run of files: their figures and their failures."""

    table: pd.DataFrame | None
    failures: list[Failure]
    files: int
    bytes: int
    cpu_seconds: float = 0.0


def extract_chunk(items: Iterable[tuple[str, str]], published: datetime.date | None,
                  read: Reader = read_document) -> Chunk:
    """One worker task over (path, document id) pairs: the chunk's tables joined in order, so
    one table, not one per file, crosses the process boundary."""
    tables, failures, size, files = [], [], 0, 0
    cpu = time.process_time()
    for path, document_id in items:
        files += 1
        outcome, nbytes = extract_one(path, document_id, published, read)
        size += nbytes
        if isinstance(outcome, Failure):
            failures.append(outcome)
        elif len(outcome):
            tables.append(outcome)
    table = pd.concat(tables, ignore_index=True) if tables else None
    return Chunk(table, failures, files, size, time.process_time() - cpu)


def assemble(tables: Iterable[pd.DataFrame | None]) -> pd.DataFrame:
    """One figures table from per-file or per-chunk tables, in order, with the schema's dtypes."""
    present = [t for t in tables if t is not None and len(t)]
    if not present:
        return figures_frame([])
    return pd.concat(present, ignore_index=True)


def chunk_size(files: int, jobs: int) -> int:
    return max(1, min(MAX_CHUNK, files // (jobs * CHUNKS_PER_JOB)))


def _pool(jobs: int) -> ProcessPoolExecutor:
    # forkserver: workers fork from a clean server process rather than from this one (forking a
    # process that has threads can deadlock); the server imports the extractor once (pandas,
    # pint: about a second), so each worker need not, as spawned interpreters would.
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["dashboard.batch"])
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context)


def extract_many(articles: Sequence[Article | str], jobs: int = 1,
                 published: datetime.date | None = None,
                 progress: Progress | None = None) -> BatchResult:
    """Extract every article into one table; `jobs` worker processes when more than one.

    Plain strings are taken as file paths, and ids are given as collect_articles gives them when
    any article has none. The table and the failures are in the order of `articles`, whatever
    `jobs` is. As with any use of multiprocessing, a script that calls this with jobs > 1 needs
    the `if __name__ == "__main__":` guard: the worker processes import the script's module.
    """
    articles = [a if isinstance(a, Article) else Article(a, Path(a).as_posix()) for a in articles]
    if not all(a.document_id for a in articles):
        articles = with_document_ids(articles)
    items = [(a.path, a.document_id) for a in articles]
    started = time.perf_counter()
    report = progress or (lambda files, failed: None)
    if jobs <= 1:
        # One file per chunk: in one process nothing crosses a boundary, and progress moves
        # file by file.
        chunks = [[item] for item in items]
        done = _run_here(chunks, published, report)
    else:
        size = chunk_size(len(items), jobs)
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        done = _run_pool(chunks, min(jobs, len(chunks)), published, report)
    return combine(done, time.perf_counter() - started)


def combine(chunks: Sequence[Chunk], seconds: float) -> BatchResult:
    """The result of a run from its chunks' results, in the chunks' order."""
    return BatchResult(
        table=assemble(c.table for c in chunks),
        failures=[f for c in chunks for f in c.failures],
        files=sum(c.files for c in chunks),
        bytes=sum(c.bytes for c in chunks),
        seconds=seconds,
        cpu_seconds=sum(c.cpu_seconds for c in chunks),
    )


def _run_here(chunks: list[list[tuple[str, str]]], published: datetime.date | None,
              report: Progress) -> list[Chunk]:
    done, files, failed = [], 0, 0
    for chunk in chunks:
        result = extract_chunk(chunk, published)
        done.append(result)
        files += result.files
        failed += len(result.failures)
        report(files, failed)
    return done


def _run_pool(chunks: list[list[tuple[str, str]]], jobs: int,
              published: datetime.date | None, report: Progress) -> list[Chunk]:
    """The chunks' results in the chunks' order, whichever worker finishes first."""
    done: list[Chunk] = [Chunk(None, [], 0, 0)] * len(chunks)
    if not chunks:
        return done
    files = failed = 0
    pool = _pool(jobs)
    try:
        pending = {pool.submit(extract_chunk, chunk, published): index
                   for index, chunk in enumerate(chunks)}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                index = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    # A worker died (killed, out of memory, a crash in a C library): the files
                    # of its unfinished chunks are failures, the finished ones are kept.
                    result = Chunk(None, [
                        Failure(path, f"{_printable(path)}: not read: a worker process stopped "
                                "unexpectedly (killed, out of memory or crashed) before this "
                                "file's chunk was done", "extractor")
                        for path, _ in chunks[index]], len(chunks[index]), 0)
                done[index] = result
                files += result.files
                failed += len(result.failures)
                report(files, failed)
    except BaseException:
        # Ctrl-C or an error here: drop the queued chunks rather than wait for all of them.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return done


class ProgressBar:
    """A progress line on `stream`: redrawn in place on a terminal (at most ten times a second),
    else a plain line every few seconds, so that a log file stays readable."""

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 24) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.tty = _isatty(self.stream)
        self.interval = 0.1 if self.tty else 5.0
        self.started = time.perf_counter()
        self.drawn_at = -1e9
        self.last = (0, 0)

    def __call__(self, files: int, failed: int) -> None:
        self.last = (files, failed)
        now = time.perf_counter()
        if now - self.drawn_at >= self.interval:
            self.drawn_at = now
            self._draw(files, failed, now)

    def close(self) -> None:
        """Draw the final state and end the line."""
        self._draw(*self.last, time.perf_counter())
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()

    def line(self, files: int, failed: int, now: float) -> str:
        share = files / self.total if self.total else 1.0
        filled = round(share * self.width)
        elapsed = now - self.started
        rate = files / elapsed if elapsed > 0 else 0.0
        eta = f"{(self.total - files) / rate:.0f} s left" if rate and files < self.total else ""
        parts = [f"[{'#' * filled}{'.' * (self.width - filled)}]",
                 f"{files:,}/{self.total:,} files", f"{failed:,} failed" if failed else "",
                 f"{rate:,.1f} files/s", eta]
        return " ".join(p for p in parts if p)

    def _draw(self, files: int, failed: int, now: float) -> None:
        text = self.line(files, failed, now)
        if self.tty:
            self.stream.write(f"\r{text}\x1b[K")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


FORMATS = ("csv", "parquet")
PARQUET_SUFFIXES = (".parquet", ".pq")


def output_format(out: str | None, requested: str | None) -> str:
    """`requested` if given, else Parquet for an `--out` ending in .parquet, else CSV."""
    if requested:
        return requested
    if out and os.path.splitext(out)[1].lower() in PARQUET_SUFFIXES:
        return "parquet"
    return "csv"


def to_parquet(table: pd.DataFrame, path: str | Path | None = None) -> bytes | None:
    """Write `table` as Parquet to `path`, or return the bytes when `path` is None.

    Parquet keeps the schema's dtypes (Int64, Float64, boolean, string) and their missing values,
    which pandas restores on reading. Cells are not neutralised as in CSV: Parquet is read by
    programs, not run by spreadsheets, and it keeps the text as extracted.
    """
    if path is None:
        buffer = io.BytesIO()
        table.to_parquet(buffer, index=False)
        return buffer.getvalue()
    table.to_parquet(path, index=False)
    return None
