"""A language's words, compiled into the sets, tables and phrase lists the grammar looks them up in.

`Words(lexicon)` reads `numbers.toml`, `grammar.toml`, `dates.toml`, `holidays.toml`,
`scores.toml` and `units.toml` of one language; `words(lexicon)` builds it once per lexicon, so
that parsers of every paragraph share it. The rules read only these attributes, never a word of
their own.
"""

from __future__ import annotations

import functools
import re

from dashboard.extract.dates import Holiday
from dashboard.extract.lang import Lexicon
from dashboard.extract.lang import lexicon as load_lexicon
from dashboard.extract.tokens import tokenize
from dashboard.units import UnitWords, unit_words


class Phrases:
    """Word sequences to look up at a token, with their first and last words for a cheap
    refusal: most tokens start or end no phrase."""

    def __init__(self, phrases):
        keys = list(phrases)
        self.table = phrases if isinstance(phrases, dict) else dict.fromkeys(phrases)
        self.first = frozenset(k[0] for k in keys)
        self.last = frozenset(k[-1] for k in keys)
        self.sizes = sorted({len(k) for k in keys}, reverse=True)

    def __getitem__(self, words: tuple[str, ...]) -> str | None:
        return self.table[words]

    def __contains__(self, words: tuple[str, ...]) -> bool:
        return words in self.table


def _phrases(entries) -> Phrases:
    return Phrases({tuple(key.split()): value for key, value in entries.items()})


def _set(words) -> frozenset[str]:
    return frozenset(words)


def _spelled(markers) -> Phrases:
    """"a.m." as the tokens it is read as, with and without its last dot."""
    spelled = {tuple(re.findall(r"[^.]+|\.", marker)) for marker in markers}
    return Phrases(spelled | {tokens[:-1] for tokens in spelled if tokens[-1] == "."})


def _future(words, clitics) -> re.Pattern:
    phrases = "|".join(re.escape(word) for word in words)
    endings = "|".join(re.escape(clitic) for clitic in clitics)
    return re.compile(rf"\b(?:{phrases})\b|(?:{endings})\b", re.IGNORECASE)


class Words:
    """Every word the grammar reads, by the role it plays."""

    def __init__(self, lexicon: Lexicon):
        self.code = lexicon.code
        self.units: UnitWords = unit_words(lexicon)
        self._numbers(lexicon["numbers"])
        self._dates(lexicon["dates"])
        self._grammar(lexicon["grammar"])
        self._scores(lexicon["scores"])
        self._holidays(lexicon["holidays"])
        # Words that can start a figure; any other word is passed over without trying the rules.
        self.triggers = (self.number_starts | self.vague_words | self.weekday_names
                         | frozenset(self.months) | frozenset(self.month_abbreviations)
                         | frozenset(self.ordinals) | frozenset(self.relative_steps)
                         | frozenset(self.relative_days) | self.rank_marks
                         | frozenset(self.multiple_words) | frozenset(self.multiple_verbs)
                         | frozenset(self.multiple_base) | frozenset(self.multiple_adverbs))
        self.triggers |= self._date_triggers()
        # What a date read from a word starts with (bare of any possessive, or as written):
        # most triggers are number words and hedges, which the date rules need not try.
        self.date_starts = (self.holidays.first | self.fiscal_before.first | self.weekday_names
                            | frozenset(self.relative_steps) | frozenset(self.relative_days)
                            | frozenset(self.months) | frozenset(self.month_abbreviations))
        self.around_number = self._around_number()

    def _around_number(self) -> frozenset[str]:
        """Every word and mark of every list here and in the unit words (each word of a phrase):
        a number whose neighbours are none of these is read by no rule but as a bare number
        (`Quantities.bare_number`). A dash links a range only when glued to the number, so
        range_links adds its other dashes alone; the plural rules rewrite words, and hold no
        word to compare with."""
        found: set[str] = set()
        for owner in (self, self.units):
            for name, value in vars(owner).items():
                if name == "plurals":
                    continue
                if name == "range_links":
                    value = value - {"-"}
                if isinstance(value, Phrases):
                    value = value.table
                if isinstance(value, str):
                    found.add(value)
                elif isinstance(value, (set, frozenset, dict, tuple)):
                    for item in value:
                        if isinstance(item, str):
                            found.add(item)
                        elif isinstance(item, tuple):
                            found.update(word for word in item if isinstance(word, str))
        return frozenset(found)

    def _numbers(self, table) -> None:
        self.cardinals: dict[str, int] = table["cardinals"]
        self.tens: dict[str, int] = table["tens"]
        self.scales: dict[str, float] = table["scales"]
        self.hundreds = _set(word for word, value in self.scales.items() if value == 100)
        self.multipliers: dict[str, float] = table["multipliers"]
        abbreviations = table["scale_abbreviations"]
        self.scale_abbreviations: dict[str, float] = abbreviations["words"]
        self.scale_apart = _set(abbreviations["apart"])
        self.million_or_unit: str = abbreviations["million_or_unit"]["word"]
        self.million_or_unit_value: float = abbreviations["million_or_unit"]["value"]
        self.articles = _set(table["article"]["articles"])
        self.article_before = _set(table["article"]["before"])
        self.number_joins = _set(table["joins"]["and"])
        self.number_starts = (frozenset(self.cardinals) | frozenset(self.tens)
                              | _set(table["starts"]["words"]))
        self.one_not_before = _set(table["one"]["not_before"])
        self.part_in = _set(table["part_of"]["in"])
        self.part_out_of = frozenset(tuple(p.split()) for p in table["part_of"]["out_of"])
        self.part_out_of_first = frozenset(words[0] for words in self.part_out_of)
        self.part_every = _set(table["part_of"]["every"])
        self.ordinals: dict[str, int] = table["ordinals"]
        self.fractions: dict[str, int] = table["fractions"]
        suffixes = table["suffixes"]
        self.ordinal_suffixes = _set(suffixes["ordinal"])
        self.decade_suffixes = _set(suffixes["decade"])
        self.meridiem_suffixes = _set(suffixes["meridiem"])
        self.ratio_suffixes = _set(suffixes["ratio"])
        self.attached_suffixes = (self.ordinal_suffixes | self.decade_suffixes
                                  | self.meridiem_suffixes | self.ratio_suffixes)
        self.meridiem_spelled = _spelled(suffixes["meridiem_spelled"])
        self.identifier_prefixes = _set(table["identifiers"]["prefixes"])
        self.identifier_brackets = frozenset(("(", letter, ")")
                                             for letter in table["identifiers"]["bracketed"])
        self.rank_marks = _set(table["rank"]["marks"])
        multiples = table["multiples"]
        self.fold: str = multiples["fold"]
        # "fourfold", "twentyfold", "hundredfold": every number word with the ending, once.
        self.multiple_words: dict[str, float] = {
            word + self.fold: float(value)
            for word, value in (self.cardinals | self.tens | self.scales).items()}
        self.multiple_verbs: dict[str, float] = multiples["verbs"]
        self.multiple_base: dict[str, float] = multiples["base"]
        self.multiple_base_after = _set(multiples["base_after"])
        self.multiple_not_before = _set(multiples["not_before"])
        self.multiple_adverbs: dict[str, float] = multiples["adverbs"]
        self.multiple_not_hedges = _set(multiples["not_hedges"])

    def _scores(self, table) -> None:
        scores = table["scores"]
        self.score_before = Phrases({tuple(p.split()) for p in scores["before"]})
        self.score_after = _set(scores["after"])
        self.record_before = _set(scores["record_before"])
        self.team_before = _set(scores["team_before"])

    def _dates(self, table) -> None:
        self.months: dict[str, int] = table["months"]
        self.month_abbreviations: dict[str, int] = table["month_abbreviations"]
        self.weekdays: dict[str, int] = table["weekdays"]
        self.weekday_names = frozenset(self.weekdays)
        self.ambiguous_months = _set(table["ambiguous_months"]["words"])
        self.month_context = _set(table["ambiguous_months"]["context"])
        self.month_prefixes = _set(table["ambiguous_months"]["prefixes"])
        self.relative_steps: dict[str, int] = table["relative"]["steps"]
        self.relative_units: dict[str, str] = table["relative"]["units"]
        self.relative_days: dict[str, int] = table["relative"]["days"]
        self.future = _future(table["future"]["words"], table["future"]["clitics"])
        self.future_clitics = tuple(table["future"]["clitics"])
        self.relative_not_after = _set(table["relative"]["not_after"]["words"])
        tense = table["tense"]
        self.tense_future = _set(w for w in tense["future"] if " " not in w)
        self.tense_future_phrases = Phrases({tuple(w.split()) for w in tense["future"] if " " in w})
        self.tense_past = _set(tense["past"])
        self.tense_past_endings = tuple(tense["past_endings"])
        self.tense_past_min: int = tense["past_ending_min_length"]
        self.tense_not_past = _set(tense["not_past"])
        self.participle_after = _set(tense["participle_after"])
        self.clause_openers = _set(tense["clause_openers"])
        prepositions = tense["prepositions"]
        self.date_back = _set(prepositions["back"])
        self.date_ahead = _set(prepositions["ahead"])
        self.date_preposition_skip = _set(prepositions["skip"])
        fiscal = table["fiscal"]
        self.fiscal_before = Phrases({tuple(p.split()) for p in fiscal["before"]})
        self.fiscal_after = Phrases({tuple(p.split()) for p in fiscal["after"]})
        self.fiscal_abbreviations = _set(fiscal["abbreviations"])
        self.fiscal_ends = _phrases(fiscal["ends"])

    def _holidays(self, table) -> None:
        """Each holiday's names as the tokens they are read as (either apostrophe), mapped to
        (rule, read in any case, words after the name that make it something else)."""
        names = {}
        for entry in table["holiday"]:
            weekday = entry.get("weekday")
            rule = Holiday(month=entry.get("month"), day=entry.get("day"),
                           weekday=None if weekday is None else self.weekdays[weekday],
                           nth=entry.get("nth"), on_or_after=entry.get("on_or_after"),
                           easter=entry.get("easter"))
            value = (rule, entry.get("any_case", False), _set(entry.get("not_before", ())))
            for name in entry["names"]:
                for spelling in {name.replace("’", "'"), name.replace("'", "’")}:
                    names[tuple(tok.low for tok in tokenize(spelling))] = value
        self.holidays = Phrases(names)

    def _date_triggers(self) -> frozenset[str]:
        """Words that start a date besides month and weekday names: holidays, fiscal years, and
        the possessives of names ("Friday’s", "February’s", "today’s")."""
        names = (self.weekday_names | frozenset(self.months) | frozenset(self.relative_days)
                 | frozenset(first for first, *_ in self.holidays.table))
        possessives = {name + ending for name in names for ending in self.possessive_endings}
        return (self.holidays.first | self.fiscal_before.first | self.fiscal_abbreviations
                | frozenset(possessives))

    def _grammar(self, table) -> None:
        hedges = table["hedges"]
        self.hedges_before = _phrases(hedges["before"])
        self.hedges_after = _phrases(hedges["after"])
        self.hedges_hyphenated: dict[str, str] = hedges["hyphenated"]
        signs = dict(table["signs"])
        self.sign_opening = _set(signs.pop("opening"))
        self.signs: dict[str, int] = signs
        self.vague = Phrases({tuple(p.split()) for p in table["vague"]["phrases"]})
        self.vague_words = self.vague.first
        self.stop = _set(table["phrase"]["stop"])
        furniture = table["furniture"]
        self.labels = _set(furniture["labels"])
        self.labels_any_case = _set(furniture["any_case"])
        self.emergency_numbers = _set(furniture["emergency_numbers"])
        self.calling = _set(furniture["calling"])
        self.not_brands = (frozenset(self.months) | frozenset(self.month_abbreviations)
                           | self.weekday_names | _set(furniture["not_brands"]))
        context = table["context"]
        self.year_context = _set(context["year"])
        self.change_verbs = _set(context["change_verbs"])
        self.comparatives = _set(context["comparatives"])
        self.age_words = _set(context["age"])
        self.aged = _set(context["aged"])
        self.during = _set(context["during"])
        self.old = _set(context["old"])
        self.length_words = _set(context["length"])
        self.ellipsis_words = _set(context["ellipsis"])
        self.verb_breaks = _set(context["verb_breaks"])
        ranges = table["ranges"]
        self.range_to = _set(ranges["to"])
        self.range_and = _set(ranges["and"])
        self.range_or = _set(ranges["or"])
        self.between = _set(ranges["between"])
        self.from_ = _set(ranges["from"])
        self.range_links = self.range_to | self.range_and | self.range_or | DASHES
        counted = table["counted"]
        self.of = _set(counted["of"])
        self.determiners_after_of = _set(counted["determiners_after_of"])
        self.more = _set(counted["more"])
        self.than = _set(counted["than"])
        rates = table["rates"]
        self.rate_after = _set(rates["after"])
        self.rate_per = _set(rates["per"])
        self.rate_articles = _set(rates["articles"])
        self.not_a_rate = _set(rates["not_after_article"])
        self.every = _set(rates["every"])
        self.fronted_every = _set(rates["fronted"])
        self.per_person = _set(rates["per_person"])
        self.not_a_base = _set(rates["not_a_base"])
        self.rate_asides = Phrases({tuple(aside.split()) for aside in rates["asides"]})
        self.adverb_phrases = Phrases({tuple(key.split()) for key in self.units.time_adverbs})
        kinds = table["kinds"]
        self.times = _set(kinds["times"])
        self.vague_needs_of = frozenset((word,) for word in kinds["vague_needs_of"])
        self.ordinal_intensifiers = _set(kinds["ordinal_intensifiers"])
        self.determiners = _set(kinds["determiners"])
        self.possessive_endings = tuple(kinds["possessive_endings"])
        self.ago = _set(kinds["ago"])
        self.half = _set(kinds["half"]["words"])
        self.half_not_after = _set(kinds["half"]["not_after"])
        self.half_before = _set(kinds["half"]["before"])
        self.fraction_one = _set(kinds["half"]["one"])
        endings = table["endings"]
        self.plural_endings = tuple(endings["plural"])
        self.not_plural_endings = tuple(endings["not_plural"])
        self.past_endings = tuple(endings["past"])
        self.trailing_endings = tuple(endings["trailing"])
        self.adverb_endings = tuple(endings["adverb"])
        self.demonym_endings = tuple(endings["demonym"])


# Dashes link the ends of a range in every language the grammar reads ("18-44", "2017–21").
DASHES = frozenset({"-", "–", "—"})


def words(lexicon: Lexicon) -> Words:
    """The grammar's words of `lexicon`, compiled once per lexicon."""
    return lexicon.derived(Words)


@functools.cache
def english() -> Words:
    """`words(lexicon("en"))` in one cached call: a parser is made per paragraph."""
    return words(load_lexicon("en"))
