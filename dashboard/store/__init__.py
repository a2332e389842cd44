"""Uploaded articles, kept in one store that every worker (and every machine) shares, so that any
worker can serve a copied link and no user's article lives in a process's memory.

`save(article)` returns the article's key and `load(key)` gives it back, or None when it is
unknown, evicted or found corrupt (a corrupt entry is removed, and the next upload of the same
article stores it afresh). The store holds at most MAX_ARTICLES articles and MAX_BYTES of stored
entries; a write and the eviction of the oldest entries past either bound are one atomic step.

A key is an HMAC-SHA256 of the text and all its metadata under a per-deployment secret: the same
text with another title, file name or date gets another key, and no one can compute a key from a
text they know. The secret is CLAIMS_DASHBOARD_SECRET, else a random one that the store creates
once for all its workers.

Where the store lives, from the environment:
- CLAIMS_DASHBOARD_STORE_URL: `redis://host:port/db` (or `rediss://`, `unix://`) for Redis,
  `sqlite:///folder` for SQLite in that folder;
- else CLAIMS_DASHBOARD_STORE: the SQLite store's folder;
- else a private folder in the system's temporary directory, named for the user.
CLAIMS_DASHBOARD_STORE_MAX_ARTICLES and CLAIMS_DASHBOARD_STORE_MAX_BYTES set the bounds.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import tempfile
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dashboard.store.base import (
    Backend,
    Bounds,
    EntryTooLarge,
    Stats,
    StoreError,
    StoreRefused,
    StoreUnwritable,
)

__all__ = ["EntryTooLarge", "StoreError", "StoreRefused", "StoreUnwritable", "Stats",
           "StoredArticle", "backend", "bounds", "key_for", "load", "save", "stats"]

MAX_ARTICLES = 500
# 500 uploads of 2 MB of dense text compress to about 300 MB; this bound holds the disk (or
# Redis memory) to a known size whatever the uploads are.
MAX_BYTES = 256 * 1024 * 1024
KEY_LENGTH = 32
_KEY = re.compile(f"[0-9a-f]{{{KEY_LENGTH}}}")
# An entry's layout and version; it opens the bytes a key is computed over.
_FORMAT = b"claims-dashboard article 1\n"
_DIGEST = hashlib.sha256().digest_size
# No entry the store wrote decompresses past this (a 2 MB upload and its metadata).
_MAX_ARTICLE_BYTES = 16 * 1024 * 1024
MIN_SECRET_CHARACTERS = 16

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredArticle:
    text: str
    published: str | None
    name: str
    format: str
    publisher: str | None = None
    title: str | None = None


# -- where the store is ---------------------------------------------------------------------
def default_folder() -> Path:
    """A folder of this user's own in the temporary directory (refused if another made it)."""
    return Path(tempfile.gettempdir()) / f"claims-dashboard-store-{os.getuid()}"


def location() -> tuple[str, str]:
    """("sqlite", folder) or ("redis", url), from the environment."""
    url = os.environ.get("CLAIMS_DASHBOARD_STORE_URL", "").strip()
    if not url:
        return "sqlite", os.environ.get("CLAIMS_DASHBOARD_STORE") or str(default_folder())
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("redis", "rediss", "unix"):
        return "redis", url
    if scheme == "sqlite" and urlsplit(url).path:
        return "sqlite", urlsplit(url).path
    raise StoreError(f"CLAIMS_DASHBOARD_STORE_URL has an unknown form: {urlsplit(url).scheme}:"
                     " (give redis://host:port/db or sqlite:///folder)",
                     "the upload store is misconfigured")


_OPEN: dict[tuple, Backend] = {}
_OPENING = threading.Lock()


def backend() -> Backend:
    """The store the environment names, opened once per process (never across a fork)."""
    wanted = (os.getpid(), *location())
    with _OPENING:
        if wanted not in _OPEN:
            for old in _OPEN.values():  # the environment changed: tests, mostly
                old.close()
            _OPEN.clear()
            kind, where = wanted[1:]
            if kind == "redis":
                from dashboard.store.redis_store import RedisBackend  # only when asked for

                _OPEN[wanted] = RedisBackend(where)
            else:
                from dashboard.store.sqlite_store import SQLiteBackend

                _OPEN[wanted] = SQLiteBackend(Path(where))
        return _OPEN[wanted]


def bounds() -> Bounds:
    """The bounds from the environment, else MAX_ARTICLES and MAX_BYTES."""
    values = []
    for name, default in (("ARTICLES", MAX_ARTICLES), ("BYTES", MAX_BYTES)):
        given = os.environ.get(f"CLAIMS_DASHBOARD_STORE_MAX_{name}", "").strip()
        try:
            value = int(given) if given else default
        except ValueError:
            value = 0
        if value < 1:
            raise StoreError(f"CLAIMS_DASHBOARD_STORE_MAX_{name} is {given!r}: give a whole "
                             "number of at least 1", "the upload store is misconfigured")
        values.append(value)
    return Bounds(*values)


def secret(store: Backend) -> bytes:
    given = os.environ.get("CLAIMS_DASHBOARD_SECRET")
    if given is None:
        return store.secret()
    if len(given) < MIN_SECRET_CHARACTERS:
        raise StoreError(f"CLAIMS_DASHBOARD_SECRET is shorter than {MIN_SECRET_CHARACTERS} "
                         "characters: give a long random string (or leave it unset)",
                         "the upload store is misconfigured")
    return given.encode("utf-8", "surrogatepass")


# -- entries --------------------------------------------------------------------------------
def encoded(article: StoredArticle) -> bytes:
    """The article as bytes: its metadata as JSON, then its text as UTF-8 unescaped (a text of
    quotes or control characters stays its own size). Lone surrogates survive the round trip."""
    metadata = json.dumps({"published": article.published, "name": article.name,
                           "format": article.format, "publisher": article.publisher,
                           "title": article.title}, sort_keys=True).encode("ascii")
    return (_FORMAT + len(metadata).to_bytes(4, "big") + metadata
            + article.text.encode("utf-8", "surrogatepass"))


def decoded(data: bytes) -> StoredArticle:
    if not data.startswith(_FORMAT):
        raise ValueError("not an article entry")
    start = len(_FORMAT) + 4
    end = start + int.from_bytes(data[len(_FORMAT):start], "big")
    fields = json.loads(data[start:end])
    return StoredArticle(text=data[end:].decode("utf-8", "surrogatepass"), **fields)


def key_for(article: StoredArticle, store: Backend | None = None) -> str:
    """The article's key: 32 hex characters of an HMAC over its text and metadata."""
    code = hmac.new(secret(store or backend()), encoded(article), hashlib.sha256)
    return code.hexdigest()[:KEY_LENGTH]


def packed(key: str, data: bytes) -> bytes:
    """What the store holds: a checksum of the key and the compressed article, then those."""
    compressed = zlib.compress(data, 6)
    return hashlib.sha256(key.encode("ascii") + compressed).digest() + compressed


def unpacked(key: str, entry: bytes) -> StoredArticle | None:
    """The article in an entry, or None when its checksum, compression or layout is wrong."""
    digest, compressed = entry[:_DIGEST], entry[_DIGEST:]
    if not hmac.compare_digest(digest, hashlib.sha256(key.encode("ascii") + compressed).digest()):
        return None
    try:
        inflate = zlib.decompressobj()
        data = inflate.decompress(compressed, _MAX_ARTICLE_BYTES)
        if inflate.unconsumed_tail or not inflate.eof:
            return None
        return decoded(data)
    except (zlib.error, ValueError, TypeError, RecursionError):
        return None


# -- the interface --------------------------------------------------------------------------
def save(article: StoredArticle) -> str:
    """Store the article as the newest entry and return its key; the oldest entries past the
    bounds go in the same step. Raises StoreError (StoreUnwritable when the store cannot be
    written) with a `reason` fit to show the user."""
    store = backend()
    data = encoded(article)
    key = key_for(article, store)
    entry = packed(key, data)
    limits = bounds()
    if len(entry) > limits.bytes:
        raise EntryTooLarge(f"an article of {len(entry):,} stored bytes is over the store's "
                            f"bound of {limits.bytes:,} bytes",
                            "the article is larger than the upload store holds")
    store.put(key, entry, limits)
    return key


def load(key: object) -> StoredArticle | None:
    """The article stored under `key`, or None: not a key, unknown, evicted, corrupt (then
    removed) or the store unreadable (then logged). Never raises."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        return None
    try:
        store = backend()
        entry = store.get(key)
        if entry is None:
            return None
        article = unpacked(key, entry)
        if article is None:
            log.warning("upload store: the entry under %s is corrupt; removed", key)
            store.discard(key, entry)
        return article
    except StoreError as err:
        log.error("upload store: %s", err)
        return None


def holds(key: object) -> bool:
    """Whether an article is stored under `key` now: what a worker asks before it serves an
    article it computed earlier, so that every worker gives the same answer after an
    eviction. False when the store cannot be read (then logged). Never raises."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        return False
    try:
        return backend().holds(key)
    except StoreError as err:
        log.error("upload store: %s", err)
        return False


def stats() -> Stats:
    """How many articles and stored bytes the store holds."""
    return backend().stats()
