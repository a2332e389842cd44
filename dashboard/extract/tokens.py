"""Tokens with offsets: the grammar reads these, never raw characters."""

from __future__ import annotations

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
    masked = [(m.start(), m.end()) for m in _URL.finditer(text)]
    tokens: list[Token] = []
    mask_index = 0
    for match in _TOKEN.finditer(text):
        start = match.start()
        while mask_index < len(masked) and masked[mask_index][1] <= start:
            mask_index += 1
        if mask_index < len(masked) and masked[mask_index][0] <= start:
            continue
        value = match.group()
        tokens.append(Token(value, start, match.end(), match.lastgroup, value.lower()))
    return tokens
