"""The batch extraction on Dask: the same function per file as `dashboard.batch`, over a bag.

    from dashboard.dask_extract import extract_with_dask
    result = extract_with_dask(["corpus/"], scheduler="processes")
    result.table, result.failures

Needs the `dask` extra (`pip install -e '.[dask]'`). The rows, their order, the document ids and
the failures are those of `python -m dashboard extract corpus/` (dashboard/batch.py): each bag
partition is a run of consecutive articles that `batch.extract_chunk` turns into one table, and
the partitions come back in order.

Paths are local files and folders, as on the command line, or fsspec URLs of files or folders
(`s3://bucket/news/`, `gs://...`, `file:///...`; the protocol's package, such as s3fs, must be
installed). The list of articles is made where this function is called; the files are read by
the workers. On a cluster, local paths must therefore name the same files on every worker (a
shared filesystem mounted at the same place), or be URLs every worker can reach.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import time
from collections.abc import Sequence
from pathlib import PurePosixPath

import dask.bag as db
import fsspec

from dashboard import batch
from dashboard.ingest import (
    MAX_BYTES,
    Document,
    IngestError,
    decode_bytes,
    document_from_bytes,
    parse_date,
    read_document,
)

__all__ = ["collect", "extract_bag", "extract_with_dask", "read_any"]


def is_url(path: str) -> bool:
    return "://" in path


def collect(paths: Sequence[str]) -> list[batch.Article]:
    """The articles named by `paths` (local or URLs, files or folders), with unique ids.

    Local paths are collected as on the command line (dashboard.batch); a URL folder gives its
    articles by the same rule (known suffixes, no sidecars, nothing hidden), sorted.
    """
    found: list[batch.Article] = []
    seen: set[str] = set()
    for path in paths:
        for article in _collect_url(path) if is_url(path) else batch.articles_of(path):
            key = article.path if is_url(article.path) else os.path.realpath(article.path)
            if key not in seen:
                seen.add(key)
                found.append(article)
    if not found:
        raise IngestError(f"{', '.join(paths)}: no article files found")
    return batch.with_document_ids(found)


def _collect_url(url: str) -> list[batch.Article]:
    fs, root = fsspec.core.url_to_fs(url)
    if not fs.isdir(root):
        return [batch.Article(url, PurePosixPath(root).name)]
    found = {PurePosixPath(f).relative_to(PurePosixPath(root)): f for f in fs.find(root)}
    # Sorted by path parts, as batch.walk_folder sorts a local folder.
    return [batch.Article(fs.unstrip_protocol(found[relative]), str(relative))
            for relative in sorted(found)
            if batch.is_article(relative.name)
            and not any(part.startswith(".") for part in relative.parts[:-1])]


def read_any(path: str, *, published: datetime.date | None = None) -> Document:
    """ingest.read_document for a local path; for a URL, the same checks through fsspec."""
    if not is_url(path):
        return read_document(path, published=published)
    fs, where = fsspec.core.url_to_fs(path)
    try:
        if fs.isdir(where):
            raise IngestError(f"{path}: is a directory, not a file")
        size = fs.size(where)
        if size is not None and size > MAX_BYTES:
            raise IngestError(f"{path}: is {size:,} bytes, over the limit of {MAX_BYTES:,} bytes")
        data = fs.cat_file(where, start=0, end=MAX_BYTES + 1)
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file") from None
    except OSError as err:
        raise IngestError(f"{path}: cannot be read ({err})") from None
    return document_from_bytes(data, path, published=published,
                               metadata=_url_metadata(fs, where, path))


def _url_metadata(fs, where: str, url: str) -> dict:
    """The sidecar of a URL article (`NAME.meta.json` beside `NAME.ext`), as ingest reads it."""
    sidecar = str(PurePosixPath(where).with_suffix(".meta.json"))
    name = url[: len(url) - len(PurePosixPath(where).name)] + PurePosixPath(sidecar).name
    try:
        if not fs.exists(sidecar):
            return {}
        text = decode_bytes(fs.cat_file(sidecar, start=0, end=MAX_BYTES + 1), name)
    except OSError as err:
        raise IngestError(f"{name}: cannot be read ({err})") from None
    try:
        metadata = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise IngestError(f"{name}: is not valid JSON metadata") from None
    if not isinstance(metadata, dict):
        raise IngestError(f"{name}: must hold a JSON object")
    return metadata


def _extract_partition(items, published: datetime.date | None) -> list[batch.Chunk]:
    return [batch.extract_chunk(items, published, read_any)]


def extract_bag(articles: Sequence[batch.Article], published: datetime.date | None = None,
                partition_size: int = batch.MAX_CHUNK) -> db.Bag:
    """A bag of one batch.Chunk per partition of `articles` (from collect), in order."""
    items = [(a.path, a.document_id) for a in articles]
    partitions = max(1, math.ceil(len(items) / max(1, partition_size)))
    bag = db.from_sequence(items, npartitions=partitions)
    return bag.map_partitions(_extract_partition, published)


def extract_with_dask(paths: Sequence[str], published: datetime.date | str | None = None,
                      scheduler: str | None = None,
                      partition_size: int = batch.MAX_CHUNK) -> batch.BatchResult:
    """Extract every article under `paths` with Dask; the result of dashboard.batch.

    `scheduler`: "synchronous", "threads", "processes", or None for Dask's default, which is
    the cluster when a dask.distributed Client has been created.
    """
    started = time.perf_counter()
    articles = collect(list(paths))
    bag = extract_bag(articles, parse_date(published), partition_size)
    chunks = bag.compute(scheduler=scheduler)
    return batch.combine(chunks, time.perf_counter() - started)
