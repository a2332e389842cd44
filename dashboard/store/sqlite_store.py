"""The default backend: one SQLite database in WAL mode, in a private folder of the app's own.

SQLite does the hard parts: a write and its eviction commit together or not at all (a worker
killed mid-write leaves the last committed state and no stray file), concurrent writers wait on
the database lock (busy timeout) instead of failing, and every process reads the same rows.
The backend touches only its database file and the journal files SQLite keeps beside it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.store.base import Bounds, Stats, StoreError, StoreRefused, StoreUnwritable

DATABASE = "articles.sqlite3"
# What SQLite may create beside the database: the only files this backend ever writes.
OWN_FILES = frozenset({DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", f"{DATABASE}-journal"})
# Writers queue on the database lock; a 2 MB upload commits in milliseconds, so a wait this long
# means the store is stuck, and the upload then gets a message rather than a hung worker.
BUSY_SECONDS = 30
CHECKPOINT_WAIT_MS = 1000
# The -shm index SQLite keeps beside a database in WAL mode: 32 KiB while the log stays short,
# as it does here (emptied after every write). It counts against the folder's bound.
INDEX_FILE_BYTES = 32768
LOG_SHARE = 8  # the share of the bound left to the write-ahead log: one eighth

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- the order of writes: eviction takes the smallest
    key TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    entry BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value BLOB NOT NULL);
"""
# Everything past the newest `articles` entries or past `bytes` counted from the newest: run
# before the new entry goes in, with the room it needs taken off both bounds, so that the
# database never holds more than the bound, not even inside the write's transaction (the pages
# freed there are reused by the insert).
_EVICT = """
DELETE FROM entries WHERE seq IN (
    SELECT seq FROM (
        SELECT seq, SUM(size) OVER newest AS held, ROW_NUMBER() OVER newest AS place
        FROM entries WINDOW newest AS (ORDER BY seq DESC))
    WHERE held > :bytes OR place > :articles)
"""


def checked_folder(folder: Path) -> Path:
    """The folder, created private (0700) when missing; refused when another user owns it or
    others may write to it, since whoever can write there can read or replace the articles."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError as err:
        raise StoreUnwritable(f"cannot create the upload store's folder {folder}: {err}",
                              "the upload store cannot be created") from err
    if not stat.S_ISDIR(info.st_mode):
        raise StoreRefused(f"the upload store {folder} is not a folder",
                           "the upload store is misconfigured")
    if info.st_uid != os.getuid():
        raise StoreRefused(
            f"the upload store's folder {folder} belongs to user id {info.st_uid}, not to this "
            f"process's user ({os.getuid()}): set CLAIMS_DASHBOARD_STORE to a folder of its own",
            "the upload store is not trusted")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise StoreRefused(
            f"the upload store's folder {folder} is writable by others "
            f"(mode {stat.S_IMODE(info.st_mode):o}): make it 0700 or choose another",
            "the upload store is not trusted")
    return folder


def _unwritable(folder: Path, err: Exception) -> StoreUnwritable:
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        reason = "the upload store is busy; try again in a moment"
    elif "full" in text:
        reason = "the upload store's disk is full"
    else:
        reason = "the upload store is read-only or cannot be written"
    return StoreUnwritable(f"the upload store in {folder} cannot be written: {err}", reason)


def _evict_pages(db: sqlite3.Connection, bound: int, size: int, log: int) -> None:
    """Evict the oldest until the database's pages in use, with those `size` more bytes will
    take, fit in `bound` beside the write-ahead log. The bound is the folder's bytes on disk:
    SQLite's pages (a part page at the end of every entry, the tables' own) come on top of the
    entries' bytes, and the log holds each write again until it is emptied, which a reader on
    an older snapshot or the other process's write can put off for a few writes. The log is
    given an eighth of the bound, or what it holds now (`log`) and this write when that is
    more. Freed pages are reused, so the database's file grows only as far as the pages in use
    have reached."""
    page = db.execute("PRAGMA page_size").fetchone()[0]
    needed = -(-size // (page - 4)) + 2  # overflow pages hold page - 4 bytes; a leaf and slack
    room = bound - max(bound // LOG_SHARE, log + needed * page)
    while True:
        used = (db.execute("PRAGMA page_count").fetchone()[0]
                - db.execute("PRAGMA freelist_count").fetchone()[0])
        if (used + needed) * page <= room:
            return
        if db.execute("DELETE FROM entries WHERE seq = (SELECT MIN(seq) FROM entries)"
                      ).rowcount == 0:
            return


class SQLiteBackend:
    def __init__(self, folder: Path) -> None:
        self.folder = checked_folder(folder)
        self.path = self.folder / DATABASE
        self._connection: sqlite3.Connection | None = None
        # One connection per process, shared by its threads one statement group at a time.
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if self._connection is not None:
            return self._connection
        try:
            # Created private before SQLite opens it (SQLite gives its journals the same mode).
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600))
            connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None,
                                         check_same_thread=False)
            try:
                connection.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
                connection.execute("PRAGMA journal_mode = WAL")
                # FULL: a commit is on disk before the upload is acknowledged.
                connection.execute("PRAGMA synchronous = FULL")
                connection.execute("PRAGMA journal_size_limit = 67108864")
                connection.executescript(_SCHEMA)
            except BaseException:
                connection.close()
                raise
        except (OSError, sqlite3.Error) as err:
            raise _unwritable(self.folder, err) from err
        self._connection = connection
        return connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the database lock at its start (BEGIN IMMEDIATE), so
        that two writers queue instead of deadlocking on a read lock upgraded to a write."""
        with self._lock:
            connection = self._connect()
            try:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    yield connection
                except BaseException:
                    if connection.in_transaction:  # SQLite may have rolled back by itself
                        connection.execute("ROLLBACK")
                    raise
                connection.execute("COMMIT")
            except sqlite3.Error as err:
                raise _unwritable(self.folder, err) from err

    def _read(self, sql: str, parameters: tuple = ()) -> tuple | None:
        with self._lock:
            try:
                return self._connect().execute(sql, parameters).fetchone()
            except sqlite3.Error as err:
                raise StoreError(f"the upload store in {self.folder} cannot be read: {err}",
                                 "the upload store cannot be read") from err

    def put(self, key: str, entry: bytes, bounds: Bounds) -> None:
        with self._transaction() as db:
            # Deleted and inserted again, so that it takes the newest place in the order.
            db.execute("DELETE FROM entries WHERE key = ?", (key,))
            db.execute(_EVICT, {"bytes": bounds.bytes - len(entry),
                                "articles": bounds.articles - 1})
            _evict_pages(db, bounds.bytes - INDEX_FILE_BYTES, len(entry), self._log_bytes())
            db.execute("INSERT INTO entries (key, size, entry) VALUES (?, ?, ?)",
                       (key, len(entry), entry))
        self._truncate_log()

    def _log_bytes(self) -> int:
        """The write-ahead log's size now: writes whose log could not be emptied yet (a reader
        held an older snapshot) count against the bound until it is."""
        try:
            return (self.folder / f"{DATABASE}-wal").stat().st_size
        except OSError:
            return 0

    def _truncate_log(self) -> None:
        """Copy the write-ahead log into the database and empty it, so that the folder holds
        the entries' bytes once, not twice (the log otherwise keeps the size of its largest
        checkpoint). Housekeeping: it waits at most a second for readers still on an older
        snapshot, and a log it could not empty then is emptied after the next write."""
        with self._lock:
            connection = self._connect()
            try:
                connection.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
            finally:
                connection.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")

    def get(self, key: str) -> bytes | None:
        row = self._read("SELECT entry FROM entries WHERE key = ?", (key,))
        return None if row is None else bytes(row[0])

    def holds(self, key: str) -> bool:
        return self._read("SELECT 1 FROM entries WHERE key = ?", (key,)) is not None

    def discard(self, key: str, entry: bytes) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM entries WHERE key = ? AND entry = ?", (key, entry))

    def secret(self) -> bytes:
        row = self._read("SELECT value FROM settings WHERE name = 'secret'")
        if row is None:
            # The first process to get here writes it; every other keeps the one written.
            with self._transaction() as db:
                db.execute("INSERT OR IGNORE INTO settings VALUES ('secret', ?)",
                           (os.urandom(32),))
            row = self._read("SELECT value FROM settings WHERE name = 'secret'")
        return bytes(row[0])

    def stats(self) -> Stats:
        row = self._read("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM entries")
        return Stats(articles=row[0], bytes=row[1])

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
