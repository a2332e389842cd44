"""Tokens with offsets: the grammar reads these, never raw characters."""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple


class Token(NamedTuple):
    text: str
    start: int
    end: int
    kind: str  # "num", "word", "sym" or "punct"
    low: str


_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)|\d+(?:\.\d+)?|\.\d+)"
    r"|(?P<word>[^\W\d_]+(?:[’'][^\W\d_]+)*)"
    r"|(?P<sym>[$€£¥₹%°~+])"
    r"|(?P<punct>[^\s\w])"
)
# Digits inside these are not figures of the article.
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+|[@#]\w+")


def tokenize(text: str) -> list[Token]:
    """All tokens of `text` in order, skipping URLs, e-mail addresses, handles and hashtags."""
    # tuple.__new__ skips NamedTuple's argument handling: tokenising is on the hot path.
    make = tuple.__new__
    tokens = [make(Token, (m.group(), m.start(), m.end(), m.lastgroup, m.group().lower()))
              for m in _TOKEN.finditer(text)]
    masked = [(m.start(), m.end()) for m in _URL.finditer(text)]
    if not masked:
        return tokens
    starts = [start for start, _ in masked]
    kept = []
    for token in tokens:
        index = bisect.bisect_right(starts, token.start) - 1
        if index < 0 or token.start >= masked[index][1]:
            kept.append(token)
    return kept
