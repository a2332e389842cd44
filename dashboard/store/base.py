"""What every store backend promises, and the errors a caller can act on.

A backend keeps opaque entries (bytes) under keys. Writing one and evicting the oldest past the
bounds is one atomic step, so every process that shares the backend sees the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class StoreError(Exception):
    """The store cannot be used. `reason` is a short sentence fit to show a user (no paths or
    addresses); str() is the whole story for the operator's log."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class StoreUnwritable(StoreError):
    """The store is read-only, full, or cannot be created or reached for writing."""


class StoreRefused(StoreError):
    """The store's folder belongs to another user or others may write to it: not trusted."""


class EntryTooLarge(StoreError):
    """One entry is larger than the store's whole byte bound."""


@dataclass(frozen=True)
class Bounds:
    """At most `articles` entries and `bytes` of stored entries; the oldest go first."""

    articles: int
    bytes: int


@dataclass(frozen=True)
class Stats:
    articles: int
    bytes: int


class Backend(Protocol):
    def put(self, key: str, entry: bytes, bounds: Bounds) -> None:
        """Store `entry` under `key` as the newest entry (replacing any entry there) and evict
        the oldest until both bounds hold, in one atomic step."""

    def get(self, key: str) -> bytes | None:
        """The entry under `key`, or None."""

    def holds(self, key: str) -> bool:
        """Whether an entry is stored under `key` (without reading it)."""

    def discard(self, key: str, entry: bytes) -> None:
        """Remove the entry under `key` only if it still is `entry` (a newer write stays)."""

    def secret(self) -> bytes:
        """The deployment's key secret: created once, the same for every process."""

    def stats(self) -> Stats:
        """How many entries and how many bytes the store holds."""

    def close(self) -> None:
        ...
