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


# One pattern without named groups (cheaper to match); the first character says the kind.
_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)(?!,\d)|\d+(?:\.\d+)?|\.\d+"
    r"|[^\W\d_]+(?:[’'][^\W\d_]+)*"
    r"|[^\s\w]"
)
_SYMBOLS = frozenset("$€£¥₹%°~+")
# A run of more digits than a double holds exactly is an identifier (an ISBN, a phone number, a
# hash), not a figure; its kind "code" is one no grammar rule reads.
MAX_DIGITS = 18
# Digits inside these are not figures of the article.
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+|[@#]\w+")


def _digits(number: str) -> int:
    return sum(c.isdecimal() for c in number)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of text[start:end] in order (offsets into `text`), skipping URLs, e-mail
    addresses, handles and hashtags."""
    end = len(text) if end is None else end
    # tuple.__new__ skips NamedTuple's argument handling: tokenising is on the hot path.
    make = tuple.__new__
    tokens = []
    for match in _TOKEN.finditer(text, start, end):
        value, at = match.group(), match.start()
        first = value[0]
        if first.isdecimal() or (first == "." and len(value) > 1):  # isdecimal is \d
            kind = "num" if len(value) <= MAX_DIGITS or _digits(value) <= MAX_DIGITS else "code"
        elif first.isalnum():  # letters, and signs such as "²" that \w counts as word
            kind = "word"
        else:
            kind = "sym" if first in _SYMBOLS else "punct"
        tokens.append(make(Token, (value, at, at + len(value), kind, value.lower())))
    masked = [(m.start(), m.end()) for m in _URL.finditer(text, start, end)]
    if not masked:
        return tokens
    starts = [masked_start for masked_start, _ in masked]
    kept = []
    for token in tokens:
        index = bisect.bisect_right(starts, token.start) - 1
        if index < 0 or token.start >= masked[index][1]:
            kept.append(token)
    return kept
