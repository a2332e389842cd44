"""Paragraphs and sentences as character spans of the document text.

Spans, not strings, so that every figure keeps its place in the original text. The splitter is
rule-based: it knows titles and month abbreviations ("Mr.", "Oct. 15", "Sept. 2"), initials,
dotted abbreviations ("U.S.", "a.m."), and that a quotation can end a sentence.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

# A period after these never ends a sentence: a name or a number follows.
_ALWAYS_CONTINUE = frozenset(
    """mr mrs ms mx dr prof sen rep gov gen lt col maj sgt capt cmdr adm cpl pvt rev fr st mt ft
    pres supt insp det hon messrs jan feb mar apr jun jul aug sep sept oct nov dec no nos vol vs
    v fig approx est dept univ ave blvd rd e.g i.e cf al""".split()
)
# After these a period ends a sentence only when a typical sentence opener follows.
_MAYBE_END = frozenset("inc ltd co corp jr sr bros etc llc plc".split())
_OPENERS = frozenset(
    """the a an he she it they we i you his her its their our this that these those there but
    and so yet in on at for as after before when while if since although though however
    meanwhile still then now some many most several both all no one two three mr mrs ms dr
    president officials police according asked""".split()
)

_END = re.compile(r"[.!?…]+[”\"’')\]]*(?=\s+[“\"‘'(\[]?[A-Z0-9¿¡])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_NEXT_WORD = re.compile(r"\s+[“\"‘'(\[]?([A-Za-z]+)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_TERMINAL = tuple(".!?…:;”\"’')]")


def paragraphs(text: str) -> list[Span]:
    """Paragraph spans, stripped of surrounding white space.

    Blank lines always separate paragraphs. A single line break does too, unless the text uses
    blank lines between paragraphs and the line before it does not end a sentence: then it is a
    hard wrap inside a paragraph.
    """
    wrapped = _BLANK_LINE.search(text) is not None
    spans: list[Span] = []
    start = 0
    for match in re.finditer(r"\n", text):
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


def sentences(text: str, paragraph_spans: list[Span] | None = None) -> list[Span]:
    """Sentence spans in document order; no sentence crosses a paragraph, and none is longer
    than MAX_SENTENCE_CHARS (see _add_bounded)."""
    spans: list[Span] = []
    for p_start, p_end in paragraph_spans if paragraph_spans is not None else paragraphs(text):
        start = p_start
        for match in _END.finditer(text, p_start, p_end):
            if _ends_sentence(text, match.start(), match.end(), p_end):
                _add_bounded(text, start, match.end(), spans)
                start = match.end()
        _add_bounded(text, start, p_end, spans)
    return spans


# Every figure carries its sentence, so text without sentence ends (a table pasted as lines, a
# list of numbers) would copy the whole text into every row. Past this length a "sentence" is
# cut at a line break, else after a comma or semicolon, else at a space, else where it reaches
# the limit; a real sentence is rarely a third as long.
MAX_SENTENCE_CHARS = 1000
_CUTS = (re.compile(r"\n"), re.compile(r"[,;:]\s"), re.compile(r"\s"))


def _add_bounded(text: str, start: int, end: int, spans: list[Span]) -> None:
    while end - start > MAX_SENTENCE_CHARS:
        cut = _cut(text, start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        _add_stripped(text, start, cut, spans)
        start = cut
    _add_stripped(text, start, end, spans)


def _cut(text: str, low: int, high: int) -> int:
    """The last good place to cut text[low:high], at a line break, a clause or a space."""
    for pattern in _CUTS:
        ends = [match.end() for match in pattern.finditer(text, low, high)]
        if ends:
            return ends[-1]
    return high


def _ends_sentence(text: str, mark: int, end: int, limit: int) -> bool:
    if text[mark] != ".":
        return True
    word = _WORD_BEFORE.search(text, max(0, mark - 20), mark + 1)
    if word is None:
        return True
    token = word.group(1).lower()
    if token in _ALWAYS_CONTINUE:
        return False
    dotted = "." in token
    if len(token) == 1 and text[word.start()].isupper():
        return False  # an initial: "J. Smith"
    if dotted or token in _MAYBE_END:
        following = _NEXT_WORD.match(text, end, limit)
        return following is not None and following.group(1).lower() in _OPENERS
    return True
