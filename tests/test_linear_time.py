"""Extraction takes work in proportion to the text, on any shape of text.

Nothing here is timed: work is counted, deterministically.
- Python calls (sys.setprofile "call" and "c_call" events) of the splitter, the tokenizer and the
  whole extract_figures, on periodic hostile text (runs of dots, "1-1-1-", a quotation never
  closed, ...) at n and at 8n characters: linear work grows about 8 times, never above 10.
- Every compiled pattern of the extractor's modules, watched through a counting stand-in: it is
  applied a bounded number of times per character.
- A pattern's own backtracking is invisible to both, so the pattern calls of an extraction are
  recorded and replayed through `Steps`, a backtracking interpreter of the same parsed pattern
  that counts its steps (and must find what `re` found), at two sizes.

Once super-linear, each fixed: a run of dots or "?!" in the splitter (the end-of-sentence
pattern backtracked from every mark), a chain of thousands groups "1,111,...,1111" and
addresses looked for from every word boundary of "1-1-1-" or "a.a.a." in the tokenizer.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable
from re import _constants as sre
from re import _parser as sre_parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dashboard.extract as extract
from dashboard.extract import extract_figures
from dashboard.extract.sentences import paragraphs, sentences
from dashboard.extract.tokens import tokenize

LINEAR = settings(max_examples=25, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
GROWTH = 8  # the larger text is 8 times the smaller
MOST = 10  # linear work grows about 8 times
# Smaller texts than this meet no cut of an over-long sentence (MAX_SENTENCE_CHARS): work that
# starts at a threshold is not growth.
SIZES = st.integers(1100, 2000)

# Units repeated to make hostile text: each once made, or could make, a pass super-linear.
UNITS = [
    ".", "?!", ". ", "....", ".... ", "…", "… ", "1.", "1-", "111,", "1,", "a.", "a-", "“", '"',
    "“‘\"(", "“‘\"( he said 5 ", ")", "(", "one hundred twenty three thousand ", "and ",
    "1 and 2 and ", "$", "$€£", "$1 €2 £3 ", "Mr. ", "Inc. ", "U.S. ", "a.m. ", "No. 5 ",
    "the rate rose 5 percent ", "1 ", "12\n", "5% ", "Oct. 5, 2024 to Nov. 6, 2025, ",
    "1-2 to 3-4 ", "between 5 and 6 ", "x@y.", "a@b.c-", "www.", "#1", "@a ", "1,234 ",
    "1,234.5,", "-", "1/2 ", "1.5.", "5 million ", "a'", "’s ", "\n\n", "\n", " \n", ":",
    "3 percent of the 1.2 billion ", "He said: “", "'’", "¿¡",
]
PREFIXES = ["", "“", '"', "He said ", "1,", "The U.S. ", "$", "(", ".5,", "a@", "Table 1\n"]
ALPHABET = "..?!…“”‘’\"'()[]1239,,-/$€%@#+ aAzZ\n\t"
shapes = st.tuples(
    st.sampled_from(PREFIXES),
    st.one_of(st.sampled_from(UNITS), st.text(alphabet=ALPHABET, min_size=1, max_size=6)))


def hostile(shape: tuple[str, str], size: int, suffix: str = "") -> str:
    prefix, unit = shape
    return prefix + (unit * (size // len(unit) + 1))[:size] + suffix


def calls(run: Callable[[], object]) -> int:
    """The Python and C function calls `run` makes: a count of work that is the same on every
    run and every machine."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event == "call" or event == "c_call":
            count += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return count


def assert_linear(work: Callable[[str], int], shape, size: int) -> None:
    small, large = hostile(shape, size), hostile(shape, GROWTH * size)
    work(small)  # caches (word lists, derived sets) fill here, not in the measured calls
    counted = work(small), work(large)
    assert counted[1] <= MOST * counted[0], (
        f"{shape!r}: {counted[0]:,} calls at {len(small):,} characters, {counted[1]:,} at "
        f"{len(large):,}: {counted[1] / counted[0]:.1f} times")


@LINEAR
@given(shapes, SIZES)
def test_the_splitter_works_in_linear_time(shape, size):
    assert_linear(lambda text: calls(lambda: sentences(text, paragraphs(text))), shape, size)


@LINEAR
@given(shapes, SIZES)
def test_the_tokenizer_works_in_linear_time(shape, size):
    assert_linear(lambda text: calls(lambda: tokenize(text)), shape, size)


@LINEAR
@given(shapes, SIZES)
def test_extraction_works_in_linear_time(shape, size):
    assert_linear(lambda text: calls(lambda: extract_figures(text, published="2025-11-20")),
                  shape, size)


# -- patterns: applications per character, and their own steps ----------------------------------
class Watched:
    """A compiled pattern's stand-in that records each call: method, text, pos and endpos."""

    def __init__(self, pattern: re.Pattern, name: str, log: list):
        self._pattern, self._name, self._log = pattern, name, log

    def __getattr__(self, attribute):
        return getattr(self._pattern, attribute)

    def _call(self, method: str, string, pos=0, endpos=sys.maxsize):
        if isinstance(string, str):
            self._log.append((self._name, self._pattern, method, string, pos,
                              min(endpos, len(string))))
        return getattr(self._pattern, method)(string, pos, endpos)

    def match(self, string, pos=0, endpos=sys.maxsize):
        return self._call("match", string, pos, endpos)

    def fullmatch(self, string, pos=0, endpos=sys.maxsize):
        return self._call("fullmatch", string, pos, endpos)

    def search(self, string, pos=0, endpos=sys.maxsize):
        return self._call("search", string, pos, endpos)

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        return self._call("finditer", string, pos, endpos)

    def findall(self, string, pos=0, endpos=sys.maxsize):
        return self._call("findall", string, pos, endpos)

    def sub(self, repl, string, count=0):
        self._log.append((self._name, self._pattern, "sub", string, 0, len(string)))
        return self._pattern.sub(repl, string, count)

    def split(self, string, maxsplit=0):
        self._log.append((self._name, self._pattern, "split", string, 0, len(string)))
        return self._pattern.split(string, maxsplit)


def watched_modules() -> list:
    return [module for name, module in sorted(sys.modules.items())
            if name.startswith(extract.__name__) and module is not None]


@pytest.fixture
def pattern_log(monkeypatch) -> list:
    """Every module-level compiled pattern of dashboard.extract.* replaced by a Watched one;
    the list of their calls."""
    log: list = []
    for module in watched_modules():
        for attribute, value in list(vars(module).items()):
            if isinstance(value, re.Pattern):
                name = f"{module.__name__}.{attribute}"
                monkeypatch.setattr(module, attribute, Watched(value, name, log))
    return log


# unit, prefix, suffix: "1,111,...,111,1111" is one chain whose last group is too long.
WORST = [(".", "", ""), ("?!", "", ""), ("….", "", ""), ("1-", "", ""), ("1.", "", ""),
         ("111,", "1,", "1111"), ("a.", "", ""), ("a-", "a@", ""), ("“‘\"( he said 5 ", "", ""),
         ("Inc. ", "", ""), ("1 and 2 and ", "", ""), ("$1 €2 £3 ", "", ""), ("x@y.", "", ""),
         ("the rate rose 5 percent ", "“", ""), ("(", "", "")]


@pytest.mark.parametrize(("unit", "prefix", "suffix"), WORST)
def test_each_pattern_is_applied_a_bounded_number_of_times_per_character(pattern_log, unit,
                                                                          prefix, suffix):
    text = hostile((prefix, unit), 4000, suffix)
    extract_figures(text, published="2025-11-20")
    per_pattern = Counter(name for name, *_ in pattern_log)
    too_often = {name: count for name, count in per_pattern.items() if count > 4 * len(text)}
    assert not too_often, f"{unit!r}: applied more than 4 times per character: {too_often}"


class Steps:
    """A backtracking interpreter of a parsed pattern that counts its steps: the work `re`'s
    own backtracking engine does on the same pattern and text, up to a constant factor."""

    def __init__(self, pattern: re.Pattern):
        self.tree = sre_parse.parse(pattern.pattern, pattern.flags)
        self.ignore_case = bool(pattern.flags & re.IGNORECASE)
        self.dot_all = bool(pattern.flags & re.DOTALL)
        self.multiline = bool(pattern.flags & re.MULTILINE)
        self.steps = 0

    def run(self, method: str, text: str, pos: int, endpos: int) -> list[tuple[int, int]]:
        """The spans `method` finds (one for match and search, all for finditer and findall)."""
        self.text, self.end = text, endpos
        spans: list[tuple[int, int]] = []
        if method in ("match", "fullmatch"):
            want = (lambda at: at if at == endpos else None) if method == "fullmatch" else None
            found = self.seq(self.tree.data, 0, pos, want or (lambda at: at))
            return [] if found is None else [(pos, found)]
        at = pos
        while at <= endpos:
            found = self.seq(self.tree.data, 0, at, lambda e: e)
            if found is not None and not (spans and found == at == spans[-1][1]):
                spans.append((at, found))
                if method == "search":
                    return spans
                at = found if found > at else at + 1
            else:
                at += 1
        return spans

    def char(self, at: int) -> str | None:
        return self.text[at] if 0 <= at < self.end else None

    def word(self, at: int) -> bool:
        c = self.text[at] if 0 <= at < self.end else ""
        return c.isalnum() or c == "_"

    def category(self, code, c: str) -> bool:
        tests = {
            sre.CATEGORY_DIGIT: c.isdecimal, sre.CATEGORY_SPACE: lambda: c in " \t\n\r\f\v"
            or c.isspace(), sre.CATEGORY_WORD: lambda: c.isalnum() or c == "_",
            sre.CATEGORY_LINEBREAK: lambda: c == "\n"}
        for positive, negative in ((sre.CATEGORY_DIGIT, sre.CATEGORY_NOT_DIGIT),
                                   (sre.CATEGORY_SPACE, sre.CATEGORY_NOT_SPACE),
                                   (sre.CATEGORY_WORD, sre.CATEGORY_NOT_WORD),
                                   (sre.CATEGORY_LINEBREAK, sre.CATEGORY_NOT_LINEBREAK)):
            if code == positive:
                return tests[positive]()
            if code == negative:
                return not tests[positive]()
        raise NotImplementedError(code)

    def in_set(self, items, c: str) -> bool:
        negate = bool(items) and items[0][0] is sre.NEGATE
        found = False
        for op, av in items[1:] if negate else items:
            for d in {c, c.lower(), c.upper()} if self.ignore_case else (c,):
                if ((op is sre.LITERAL and ord(d) == av)
                        or (op is sre.RANGE and av[0] <= ord(d) <= av[1])
                        or (op is sre.CATEGORY and self.category(av, d))):
                    found = True
        return found != negate

    def one(self, op, av, c: str) -> bool:
        if op is sre.LITERAL:
            return ord(c) == av or (self.ignore_case and ord(c.lower()) == ord(chr(av).lower()))
        if op is sre.NOT_LITERAL:
            return not self.one(sre.LITERAL, av, c)
        if op is sre.ANY:
            return self.dot_all or c != "\n"
        return self.in_set(av, c)

    def at(self, code, at: int) -> bool:
        if code in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY):
            boundary = self.word(at - 1) != self.word(at)
            return boundary if code is sre.AT_BOUNDARY else not boundary
        if code is sre.AT_BEGINNING_STRING or (code is sre.AT_BEGINNING and not self.multiline):
            return at == 0
        if code is sre.AT_BEGINNING:
            return at == 0 or self.text[at - 1] == "\n"
        if code is sre.AT_END_STRING:
            return at == self.end
        if code is sre.AT_END:
            return (at == self.end or (at == self.end - 1 and self.text[at] == "\n")
                    or (self.multiline and self.text[at] == "\n"))
        raise NotImplementedError(code)

    def seq(self, items, index: int, at: int, then) -> int | None:
        """Match items[index:] at `at`, then `then(end)`: the end of the first way through."""
        self.steps += 1
        if index == len(items):
            return then(at)
        op, av = items[index]

        def rest(end: int) -> int | None:
            return self.seq(items, index + 1, end, then)

        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
            c = self.char(at)
            return rest(at + 1) if c is not None and self.one(op, av, c) else None
        if op is sre.AT:
            return rest(at) if self.at(av, at) else None
        if op is sre.SUBPATTERN:
            return self.seq(av[3].data, 0, at, rest)
        if op is sre.BRANCH:
            for alternative in av[1]:
                found = self.seq(alternative.data, 0, at, rest)
                if found is not None:
                    return found
            return None
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            direction, sub = av
            if direction == 1:
                found = self.seq(sub.data, 0, at, lambda e: e) is not None
            else:
                width = sub.getwidth()[0]
                found = at - width >= 0 and self.seq(
                    sub.data, 0, at - width, lambda e: e if e == at else None) is not None
            return rest(at) if found == (op is sre.ASSERT) else None
        if op is sre.ATOMIC_GROUP:
            found = self.seq(av.data, 0, at, lambda e: e)
            return None if found is None else rest(found)
        if op is sre.POSSESSIVE_REPEAT:
            low, high, sub = av
            count = 0
            while count < high:
                found = self.seq(sub.data, 0, at, lambda e: e)
                if found is None or found == at:
                    break
                at, count = found, count + 1
            return rest(at) if count >= low else None
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, sub = av
            greedy = op is sre.MAX_REPEAT

            def repeat(count: int, at: int) -> int | None:
                self.steps += 1
                more = (lambda: self.seq(sub.data, 0, at, lambda e: (
                    None if e == at else repeat(count + 1, e)))) if count < high else None
                if count < low:
                    return more() if more else None
                if greedy and more:
                    found = more()
                    return found if found is not None else rest(at)
                found = rest(at)
                return found if found is not None or not more else more()

            return repeat(0, at)
        raise NotImplementedError(op)


def replayed_steps(log: list) -> tuple[int, Counter]:
    """The interpreter's steps on every recorded call, in all and per pattern; each call must
    find what `re` found."""
    total, per_pattern = 0, Counter()
    for name, pattern, method, text, pos, endpos in log:
        if method in ("sub", "split", "findall"):
            method = "finditer"
        steps = Steps(pattern)
        spans = steps.run(method, text, pos, endpos)
        if method == "finditer":
            expected = list(pattern.finditer(text, pos, endpos))
        else:
            expected = [getattr(pattern, method)(text, pos, endpos)]
        assert spans == [m.span() for m in expected if m is not None], (name, text[pos:endpos])
        total += steps.steps
        per_pattern[name] += steps.steps
    return total, per_pattern


# Replaying is slow, so the texts are short; and work that is linear in them may still grow
# more than 8 times from the smaller (a window of 40 characters around each figure is clipped
# by the text's ends). A quadratic grows 64 times.
STEPS_SIZE = 100
MOST_STEPS = 16


@pytest.fixture
def deep_recursion():
    # The interpreter recurses once per character a repeat takes.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    yield
    sys.setrecursionlimit(limit)


@pytest.mark.parametrize(("unit", "prefix", "suffix"), WORST)
def test_the_patterns_of_an_extraction_take_linear_steps(pattern_log, deep_recursion, unit,
                                                          prefix, suffix):
    counted = []
    for size in (STEPS_SIZE, GROWTH * STEPS_SIZE):
        pattern_log.clear()
        extract_figures(hostile((prefix, unit), size, suffix), published="2025-11-20")
        counted.append(replayed_steps(pattern_log))
    (small, small_each), (large, large_each) = counted
    worst = sorted(large_each, key=lambda name: large_each[name] / (small_each[name] or 1))[-3:]
    assert large <= MOST_STEPS * small, (
        f"{unit!r}: {small:,} steps, then {large:,}; most grown: "
        + ", ".join(f"{name} {small_each[name]:,} -> {large_each[name]:,}" for name in worst))


@pytest.mark.parametrize("text", [
    "." * 300, "?!" * 150, "1," + "111," * 70 + "1111", "1-" * 150, "a." * 150, "x.a-" * 70,
])
def test_the_interpreter_sees_the_old_quadratic_patterns(deep_recursion, text):
    # The patterns as they were, before the fixes above: the measure must see them grow.
    old = [re.compile(r"[.!?…]+[”\"’')\]]*(?=\s+[“\"‘'(\[]?[A-Z0-9¿¡])"),
           re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)(?!,\d)|\d+(?:\.\d+)?|\.\d+|\w+|\S"),
           re.compile(r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+|[@#]\w+")]
    grown = []
    for size in (len(text) // GROWTH, len(text)):
        log = [("old", pattern, "finditer", text[:size], 0, size) for pattern in old]
        grown.append(replayed_steps(log)[0])
    assert grown[1] > 2 * MOST * grown[0]


def test_an_extraction_past_its_deadline_stops_with_over_budget():
    import time

    from dashboard.extract import OverBudget

    text = "The council said 40 homes burned.\n\n" * 50
    with pytest.raises(OverBudget, match=r"stopped at character 0 of 1,750"):
        extract_figures(text, deadline=time.monotonic() - 1)
    assert len(extract_figures(text, deadline=time.monotonic() + 600)) == 50
