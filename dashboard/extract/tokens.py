"""Tokens with offsets: the grammar reads these, never raw characters."""

from __future__ import annotations

import bisect
import itertools
import re
from typing import NamedTuple


class Token(NamedTuple):
    text: str
    start: int
    end: int
    kind: str  # "num", "word", "sym" or "punct"
    low: str


# One pattern without named groups (cheaper to match); the first character says the kind.
#
# A thousands-grouped number ("1,234,567") is read to the end of its chain of ",ddd" groups
# before it is known to fail ("1,111,...,111,1111" ends in a four-digit group), and each run of
# the chain starts a token that would read to the same end: n**2 steps. The guard before the
# first branch skips starts where that branch must fail: a run of three digits after "d," whose
# own run of 1-3 digits (not the tail of a decimal) was a token that did not take it. Runs of
# 1-2 digits and runs after four or more digits still try: a chain may begin there.
_GUARD = r"(?:(?<!\d,)|(?=\d\d?(?!\d))|(?<=\d{4},)|(?<=\.\d,)|(?<=\.\d\d,)|(?<=\.\d\d\d,))"
_GROUPED = r"\d{1,3}(?:,\d{3})++(?:\.\d++)?(?!\d)(?!,\d)"
_REST = r"|\d++(?:\.\d++)?|\.\d++|[^\W\d_]+(?:[’'][^\W\d_]+)*|[^\s\w]"
_TOKEN = re.compile(_GUARD + _GROUPED + _REST)
# The guard reads before the start of the text read, where no token started: the first run
# of digits there ("234" of "1,|234,567" or "1|,234,567") is read unguarded.
_TOKEN_UNGUARDED = re.compile(_GROUPED + _REST)
_AFTER_GROUP = re.compile(r"(?<=\d,)\d")
_SYMBOLS = frozenset("$€£¥₹%°~+")
# A run of more digits than a double holds exactly is an identifier (an ISBN, a phone number, a
# hash), not a figure; its kind "code" is one no grammar rule reads.
MAX_DIGITS = 18
# Digits inside these are not figures of the article: links, e-mail addresses, handles and
# hashtags. An address ("\b[\w.+-]+@...") was looked for from every word boundary, and
# "1-1-1-..." or "a.a.a..." has one at every other character, each read to the end of the run
# looking for an "@": n**2 steps. It is looked for from the start of its run of [\w.+-] only
# (group 1 skips leading ".+-", where no boundary is; a link is tried first where the address
# would begin), and after a match that ended inside a run, by _address_in_run.
_URL = re.compile(
    r"(?:https?://|www\.)\S+|(?<![\w.+-])[.+-]*+(?!https?://|www\.)(\w[\w.+-]*+@[\w-]+\.[\w.]+)|[@#]\w+")
_IN_RUN = re.compile(r"[\w.+-]{2}")
_RUN = re.compile(r"[\w.+-]*+")
_BOUNDARY = re.compile(r"\b")
_ADDRESS_TAIL = re.compile(r"@[\w-]+\.[\w.]+")


def _digits(number: str) -> int:
    return sum(c.isdecimal() for c in number)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of text[start:end] in order (offsets into `text`), skipping URLs, e-mail
    addresses, handles and hashtags."""
    end = len(text) if end is None else end
    # tuple.__new__ skips NamedTuple's argument handling: tokenising is on the hot path.
    make = tuple.__new__
    tokens = []
    matches = _TOKEN.finditer(text, start, end)
    head = start + 1 if text.startswith(",", start) else start
    if _AFTER_GROUP.match(text, head, end):
        first = _TOKEN_UNGUARDED.match(text, head, end)
        matches = itertools.chain(_TOKEN.finditer(text, start, head), [first],
                                  _TOKEN.finditer(text, first.end(), end))
    for match in matches:
        value, at = match.group(), match.start()
        first = value[0]
        if first.isdecimal() or (first == "." and len(value) > 1):  # isdecimal is \d
            kind = "num" if len(value) <= MAX_DIGITS or _digits(value) <= MAX_DIGITS else "code"
        elif first.isalnum():  # letters, and signs such as "²" that \w counts as word
            kind = "word"
        else:
            kind = "sym" if first in _SYMBOLS else "punct"
        tokens.append(make(Token, (value, at, at + len(value), kind, value.lower())))
    masked = _masked(text, start, end)
    if not masked:
        return tokens
    starts = [masked_start for masked_start, _ in masked]
    kept = []
    for token in tokens:
        index = bisect.bisect_right(starts, token.start) - 1
        if index < 0 or token.start >= masked[index][1]:
            kept.append(token)
    return kept


def _masked(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of links, addresses, handles and hashtags in text[start:end], in order: those
    one left-to-right alternation "link|\\b address|handle" finds."""
    spans: list[tuple[int, int]] = []
    pos = start
    ahead = _URL.search(text, pos, end)  # the leftmost match from pos, kept while it is ahead
    while True:
        if ahead is not None and ahead.start() < pos:  # an address was taken over it
            ahead = _URL.search(text, pos, end)
        address = _address_in_run(text, pos, end)
        if address is not None and (ahead is None or address[0] < _start(ahead)):
            spans.append(address)
        elif ahead is not None:
            spans.append((_start(ahead), ahead.end()))
            ahead = _URL.search(text, ahead.end(), end)
        else:
            return spans
        pos = spans[-1][1]


def _start(match: re.Match) -> int:
    return match.start(1) if match.start(1) >= 0 else match.start()


def _address_in_run(text: str, pos: int, end: int) -> tuple[int, int] | None:
    """An address from the first word boundary at or after pos, when pos is inside a run of
    [\\w.+-] (after a match, or at the start): there _URL's lookbehind lets none begin."""
    if pos == 0 or pos >= end or not _IN_RUN.match(text, pos - 1, pos + 1):
        return None
    run_end = _RUN.match(text, pos, end).end()
    tail = _ADDRESS_TAIL.match(text, run_end, end)
    boundary = _BOUNDARY.search(text, pos, run_end) if tail else None
    if boundary is None or boundary.start() >= run_end:
        return None
    return boundary.start(), tail.end()
