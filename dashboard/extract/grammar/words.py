"""The English words the grammar reads, compiled into the sets and phrase tables it looks them
up in."""

from __future__ import annotations

from dashboard.extract import dates
from dashboard.extract.grammar.base import Phrases
from dashboard.extract.lang import lexicon
from dashboard.units import TIME_ADVERBS


def _phrases(entries) -> Phrases:
    return Phrases({tuple(key.split()): value for key, value in entries.items()})


_WORDS = lexicon("en")["grammar"]

HEDGES_BEFORE = _phrases(_WORDS["hedges"]["before"])
HEDGES_AFTER = _phrases(_WORDS["hedges"]["after"])
VAGUE = Phrases({tuple(p.split()) for p in _WORDS["vague"]["phrases"]})
STOP = frozenset(_WORDS["phrase"]["stop"])
LABELS = frozenset(_WORDS["furniture"]["labels"])
UNITS = {
    w: n for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split())
}
TENS = {w: 10 * n for n, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
SCALE_ABBREVIATIONS = {
    "k": 1e3, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "bln": 1e9, "tn": 1e12, "trn": 1e12,
}
ORDINALS = {
    w: n for n, w in enumerate(
        "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
        "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
        "nineteenth".split())
} | {w: 10 * n for n, w in enumerate(
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split(),
    start=2)} | {"hundredth": 100, "thousandth": 1000, "millionth": 1_000_000}
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
             "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}
DETERMINERS = frozenset("the a an his her its their our my your this that whose each".split())
YEAR_CONTEXT = frozenset(
    """in since by from until till through during before after of early late mid circa year
    fiscal the between and to or than around about summer winter spring autumn fall""".split()
)
MONTH_CONTEXT = frozenset(
    """in since until till by from through during last next this early late mid of ending
    ended to before after between and throughout on""".split()
)
CHANGE_VERBS = frozenset(
    """rose rise rises rising fell fall falls falling increased increase increases decreased
    decrease decreases dropped drop drops declined decline declines climbed climb grew grow
    jumped jump surged surge plunged plunge slid slide went go cut raised raise reduced reduce
    lowered lower up down doubled tripled soared shrank shrunk""".split()
)
COMPARATIVES = frozenset(
    "as more higher larger greater bigger faster lower smaller less fewer the that what".split()
)
IDENTIFIER_PREFIXES = frozenset("mid pre post late early non over under sub top ex".split())
CURRENCY_PREFIXES = frozenset("US MX C CA A AU R NZ HK S".split())
TENS_PLUS = frozenset({"tens+"})
VAGUE_WORDS = VAGUE.first
WEEKDAY_NAMES = frozenset(dates.WEEKDAYS)
MONTHS = dates.MONTHS
MONTH_ABBREVIATIONS = dates.MONTH_ABBREVIATIONS
ADVERB_PHRASES = Phrases({tuple(key.split()) for key in TIME_ADVERBS})
NUMBER_STARTS = frozenset(UNITS) | frozenset(TENS) | {"a", "an", "half", "dozen"}
VERB_BREAKS = frozenset("said says told according".split())
EMERGENCY_NUMBERS = frozenset("911 999 112 311 411 988".split())
CALLING = frozenset(
    "call called calling calls dial dialed dialled dialing phoned text a the".split())
ELLIPSIS_WORDS = frozenset("from to than versus vs vs. against with".split())
AGE_WORDS = frozenset("aged ages age".split())
LENGTH_WORDS = frozenset("tall high long wide deep away above below under deep-water".split())
NOT_A_RATE = frozenset("earlier ago later before after prior on from since".split())
NOT_BRANDS = frozenset(MONTHS) | frozenset(MONTH_ABBREVIATIONS) | WEEKDAY_NAMES | {"i"}
TRIGGERS = (NUMBER_STARTS | VAGUE_WORDS | WEEKDAY_NAMES | frozenset(MONTHS)
            | frozenset(MONTH_ABBREVIATIONS) | frozenset(ORDINALS)
            | {"last", "this", "next", "yesterday", "tomorrow", "one"})
