"""Uploaded articles, kept on disk by the hash of their content, so that any worker can serve a
copied link and no user's state lives in a process's memory.

The store is bounded: past MAX_ARTICLES the oldest files go. A key is the SHA-256 of the text
and its publication date, so the same article uploaded twice is stored once and one user's key
says nothing about another's article.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

MAX_ARTICLES = 500
_KEY = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True)
class StoredArticle:
    text: str
    published: str | None
    name: str
    format: str
    publisher: str | None = None
    title: str | None = None


def store_dir() -> Path:
    """CLAIMS_DASHBOARD_STORE, or a folder in the system's temporary directory."""
    folder = Path(os.environ.get("CLAIMS_DASHBOARD_STORE")
                  or Path(tempfile.gettempdir()) / "claims-dashboard-articles")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def key_for(article: StoredArticle) -> str:
    digest = hashlib.sha256(f"{article.published}\n{article.text}".encode("utf-8", "replace"))
    return digest.hexdigest()[:16]


def save(article: StoredArticle) -> str:
    """Store the article and return its key (writes through a temporary file: never half a file)."""
    key = key_for(article)
    folder = store_dir()
    path = folder / f"{key}.json"
    if not path.exists():
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False,
                                         suffix=".tmp") as handle:
            json.dump(asdict(article), handle)
        os.replace(handle.name, path)
        _prune(folder)
    return key


def load(key: str) -> StoredArticle | None:
    """The article stored under `key`, or None (unknown, pruned or not a key at all)."""
    if not _KEY.fullmatch(key or ""):
        return None
    path = store_dir() / f"{key}.json"
    try:
        return StoredArticle(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for old in files[:-MAX_ARTICLES]:
        old.unlink(missing_ok=True)
