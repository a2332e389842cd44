"""Paragraphs and sentences as character spans of the document text.

Spans, not strings, so that every figure keeps its place in the original text. The splitter is
rule-based: it knows titles and month abbreviations ("Mr.", "Oct. 15", "Sept. 2"), initials,
dotted abbreviations ("U.S.", "a.m."), and that a quotation can end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.extract.lang import Lexicon
from dashboard.extract.lang import lexicon as load_lexicon

Span = tuple[int, int]


@dataclass(frozen=True)
class _Words:
    always_continue: frozenset[str]  # a period after these never ends a sentence
    maybe_end: frozenset[str]  # ... ends one only when an opener follows
    openers: frozenset[str]


def _words(lexicon: Lexicon) -> _Words:
    table = lexicon["sentences"]
    return _Words(*(frozenset(table[key].split())
                    for key in ("always_continue", "maybe_end", "openers")))


# Possessive runs, and no start inside a run of marks: a run of n dots or "?!" that no capital
# follows was otherwise tried from each of its n marks and given back one mark at a time, n**2
# steps (26 KB of dots took minutes). A match can only begin at the run's first mark anyway:
# every later start ends at the same place and fails or succeeds with it.
_END = re.compile(
    r"(?<![.!?…])[.!?…]++[”\"’')\]]*+(?=\s++[“\"‘'(\[]?[A-Z0-9¿¡])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_NEXT_WORD = re.compile(r"\s+[“\"‘'(\[]?([A-Za-z]+)")
_NEWLINE = re.compile(r"\n")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_TERMINAL = tuple(".!?…:;”\"’')]")


def paragraphs(text: str, *, lexicon: Lexicon | None = None) -> list[Span]:
    """Paragraph spans, stripped of surrounding white space.

    Blank lines always separate paragraphs. A single line break does too, unless the text uses
    blank lines between paragraphs and the line before it does not end a sentence: then it is a
    hard wrap inside a paragraph. `lexicon` is accepted as by `sentences`; breaks read no words.
    """
    wrapped = _BLANK_LINE.search(text) is not None
    spans: list[Span] = []
    start = 0
    for match in _NEWLINE.finditer(text):
        cut = match.start()
        if wrapped and not _is_break(text, cut):
            continue
        _add_stripped(text, start, cut, spans)
        start = match.end()
    _add_stripped(text, start, len(text), spans)
    return spans


def _is_break(text: str, newline: int) -> bool:
    # Index arithmetic, not slices: slicing the text at every line break is quadratic in a
    # hard-wrapped file of many short lines.
    before = newline
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    after = newline + 1
    while after < len(text) and text[after] in " \t":
        after += 1
    return (before == 0 or text[before - 1] == "\n" or text[before - 1] in _TERMINAL
            or after == len(text) or text[after] == "\n")


def _add_stripped(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentences(text: str, paragraph_spans: list[Span] | None = None, *,
              lexicon: Lexicon | None = None) -> list[Span]:
    """Sentence spans in document order; no sentence crosses a paragraph, and none is longer
    than MAX_SENTENCE_CHARS (see _add_bounded). `lexicon` (English by default) gives the
    abbreviations and sentence openers."""
    words = (lexicon or load_lexicon()).derived(_words)
    spans: list[Span] = []
    if paragraph_spans is None:
        paragraph_spans = paragraphs(text, lexicon=lexicon)
    for p_start, p_end in paragraph_spans:
        start = p_start
        for match in _END.finditer(text, p_start, p_end):
            if _ends_sentence(text, match.start(), match.end(), p_end, words):
                _add_bounded(text, start, match.end(), spans)
                start = match.end()
        _add_bounded(text, start, p_end, spans)
    return spans


# Every figure carries its sentence, so text without sentence ends (a table pasted as lines, a
# list of numbers) would copy the whole text into every row. Past this length a "sentence" is
# cut at a line break, else after a comma or semicolon, else at a space, else where it reaches
# the limit; a real sentence is rarely a third as long.
MAX_SENTENCE_CHARS = 1000
# Each reads to the window's end and backs up to the last place (no list of every place).
_CUTS = tuple(re.compile(r"[\s\S]*" + place) for place in (r"\n", r"[,;:]\s", r"\s"))


def _add_bounded(text: str, start: int, end: int, spans: list[Span]) -> None:
    while end - start > MAX_SENTENCE_CHARS:
        cut = _cut(text, start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        _add_stripped(text, start, cut, spans)
        start = cut
    _add_stripped(text, start, end, spans)


def _cut(text: str, low: int, high: int) -> int:
    """The last good place to cut text[low:high], at a line break, a clause or a space."""
    for pattern in _CUTS:
        last = pattern.match(text, low, high)
        if last:
            return last.end()
    return high


def _ends_sentence(text: str, mark: int, end: int, limit: int, words: _Words) -> bool:
    if text[mark] != ".":
        return True
    word = _WORD_BEFORE.search(text, max(0, mark - 20), mark + 1)
    if word is None:
        return True
    token = word.group(1).lower()
    if token in words.always_continue:
        return False
    dotted = "." in token
    if len(token) == 1 and text[word.start()].isupper():
        return False  # an initial: "J. Smith"
    if dotted or token in words.maybe_end:
        following = _NEXT_WORD.match(text, end, limit)
        return following is not None and following.group(1).lower() in words.openers
    return True
