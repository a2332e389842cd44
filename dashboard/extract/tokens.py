"""Tokens with offsets: the grammar reads these, never raw characters."""

from __future__ import annotations

import bisect
import functools
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
# The same tokens, each with the run after it that no token starts in (white space and "_"):
# findall then hands over every token and the gap to the next without a match object per
# token, and the offsets are the running sum of their lengths. Every other character starts a
# token, so the matches are contiguous from the first token on. Words, the commonest tokens,
# are tried first (no other branch starts with a letter), and the guard only where a group
# can follow ("d,d" ahead): it was tried at every character. The word's runs are possessive:
# the gap after a token always matches, so nothing backtracks into one, and the engine need
# not keep its places to (a tenth less time on the seed).
_TOKEN_GAP = re.compile(
    rf"([^\W\d_]++(?:[’'][^\W\d_]++)*+|(?=\d\d?\d?,\d){_GUARD}{_GROUPED}"
    rf"|\d++(?:\.\d++)?|\.\d++|[^\s\w])([\s_]*+)")
_GAP = re.compile(r"[\s_]*+")
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
    # A number token is digits, group commas and a decimal point.
    return len(number) - number.count(",") - number.count(".")


def _kind(value: str) -> str:
    first = value[0]
    if first.isdecimal() or (first == "." and len(value) > 1):  # isdecimal is \d
        return "num" if len(value) <= MAX_DIGITS or _digits(value) <= MAX_DIGITS else "code"
    if first.isalnum():  # letters, and signs such as "²" that \w counts as word
        return "word"
    return "sym" if first in _SYMBOLS else "punct"


class _Kinds(dict):
    """Token text -> kind, filled as tokens are met: words and marks recur, so most lookups
    are one C-level dict hit. Bounded, since numbers mostly do not recur; a long token (a code,
    a chain of groups) is not held, so its cost stays with the text that has it."""

    def __missing__(self, value: str) -> str:
        kind = _kind(value)
        if len(value) <= MAX_DIGITS and len(self) < _KINDS_HELD:
            self[value] = kind
        return kind


_KINDS_HELD = 50_000
_KINDS = _Kinds()
# tuple.__new__ skips NamedTuple's argument handling, and through map it runs without a Python
# frame per token: tokenising is on the hot path.
_MAKE = functools.partial(tuple.__new__, Token)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of text[start:end] in order (offsets into `text`), skipping URLs, e-mail
    addresses, handles and hashtags."""
    end = len(text) if end is None else end
    head = start + 1 if text.startswith(",", start) else start
    if _AFTER_GROUP.match(text, head, end):
        tokens = _tokenize_after_group(text, start, head, end)
    else:
        # Per-token work in C: values, kinds, lower case and offsets are whole-list passes.
        pairs = _TOKEN_GAP.findall(text, start, end)
        if not pairs:
            return []
        values = [value for value, _ in pairs]
        offsets = list(itertools.accumulate(map(len, itertools.chain.from_iterable(pairs)),
                                            initial=_GAP.match(text, start, end).end()))
        tokens = list(map(_MAKE, zip(values, offsets[0:-1:2], offsets[1::2],
                                     map(_KINDS.__getitem__, values), map(str.lower, values),
                                     strict=True)))
    # What every link, address, handle or hashtag holds: most paragraphs have none to mask.
    # str.find scans for one string fast; a regex of the four tried each at every character
    # (twice the time on the seed).
    find = text.find
    if (find("@", start, end) < 0 and find("#", start, end) < 0
            and find("://", start, end) < 0 and find("www.", start, end) < 0):
        return tokens
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


def _tokenize_after_group(text: str, start: int, head: int, end: int) -> list[Token]:
    """Tokens of a text read from inside a chain of thousands groups: the guard reads before
    the start of the text read, where no token started, so the first run of digits there
    ("234" of "1,|234,567" or "1|,234,567") is read unguarded."""
    first = _TOKEN_UNGUARDED.match(text, head, end)
    matches = itertools.chain(_TOKEN.finditer(text, start, head), [first],
                              _TOKEN.finditer(text, first.end(), end))
    tokens = []
    for match in matches:
        value, at = match.group(), match.start()
        tokens.append(_MAKE((value, at, at + len(value), _KINDS[value], value.lower())))
    return tokens


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
