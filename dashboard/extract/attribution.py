"""Who asserts each figure: quotations, their speakers, reported speech, data sources, furniture.

Works on spans of the document text, reading a sentence only when a figure or a pronoun asks
for it, and at most once. Quotations are found per paragraph (an unclosed quotation runs to the
end of its paragraph, as when a quote continues into the next one). A quotation's speaker comes
from the attribution beside it ("...," Trump said / she told reporters / He later added, "...");
a quotation with no attribution of its own that opens a paragraph or a sentence continues the
previous quotation's speaker. A figure outside quotations belongs to the source its sentence
names ("according to the U.S. Geological Survey", "Webb said the agency needed ...", "CDC data
show"), or else to the publisher.

A pronoun ("she said", "It added") stands for the speaker most recently named as a subject (of a
sentence, of a quotation's attribution, of reported speech), of the pronoun's kind: "he" and
"she" a person, "it" a body, "they" anyone. A pronoun reads back only as far as that subject, and
what it passes is kept for the next pronoun of its kind, so no sentence is passed twice.

Every word of the language that these rules read comes from the lexicon
(`lang/<code>/attribution.toml`).
"""

from __future__ import annotations

import bisect
import functools
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

from dashboard.extract.lang import Lexicon
from dashboard.extract.lang import lexicon as load_lexicon
from dashboard.extract.sentences import Span

PERSON, BODY, GROUP = "person", "body", "group"
_ANYONE = (PERSON, BODY, GROUP)
_WORD = re.compile(r"[a-z]+")
_TOKEN = re.compile(r"\S+")
_LOWER_RUN = re.compile(r"[a-z]+")
_LETTERS = re.compile(r"[A-Za-z]+")
_PARENTHESIS = re.compile(r"\s*\([^()]*\)$")
# A capitalised word of a name. A closing dot belongs to it only after an initial or a short
# abbreviation ("U.S.", "J.", "Jr.", "St."): after "Ruiz" it ends the sentence, and "said Tom
# Ruiz. She said ..." must not name "Tom Ruiz. She".
_CAP = r"[A-Z][\w’'\-]*(?:\.[\w’'\-]+)*(?:(?<![a-z]{3})\.)?"


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _phrases(words, *, opening: bool = False) -> str:
    """An alternation of words or phrases ("according to" matches across any white space);
    `opening` adds each one capitalised, as it stands at the start of a sentence."""
    forms = set(words)
    if opening:
        forms |= {w[:1].upper() + w[1:] for w in words}
    return "|".join(r"\s+".join(map(re.escape, w.split()))
                    for w in sorted(forms, key=len, reverse=True))


def _guarded(pattern: re.Pattern) -> re.Pattern:
    """The same pattern behind a lookahead for the characters a match can begin with.

    A pattern that opens with an assertion (\\b, a lookbehind) gives `re` no first character
    to scan for, so a search tries every alternative at every position; the lookahead lets it
    skip the rest. The characters are read from the parsed pattern; when they cannot be told
    (a part that may match nothing, a negated set), the pattern is kept as it is."""
    try:
        from re import _parser
        first = _first_chars(_parser.parse(pattern.pattern, pattern.flags).data)
        if not first:
            return pattern
        return re.compile(f"(?=[{''.join(dict.fromkeys(first))}])(?:{pattern.pattern})",
                          pattern.flags)
    except Exception:  # noqa: BLE001 - an internal module: without it, no guard, same matches
        return pattern


def _first_chars(items) -> list[str] | None:
    """Character-set items (as pattern text) for the first character of every match of a
    parsed sequence, or None."""
    from re import _constants as sre
    categories = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_WORD: r"\w"}
    char = "\\U{:08x}".format
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # takes no character
        if op is sre.LITERAL:
            return [char(av)]
        if op is sre.IN:
            found = []
            for kind, value in av:
                if kind is sre.LITERAL:
                    found.append(char(value))
                elif kind is sre.RANGE:
                    found.append(f"{char(value[0])}-{char(value[1])}")
                elif kind is sre.CATEGORY and value in categories:
                    found.append(categories[value])
                else:
                    return None
            return found
        if op is sre.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            return None if add_flags or del_flags else _first_chars(sub.data)
        if op is sre.BRANCH:
            found = []
            for alternative in av[1]:
                first = _first_chars(alternative.data)
                if not first:
                    return None
                found += first
            return found
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            return _first_chars(av[2].data)
        if op is sre.ATOMIC_GROUP:
            return _first_chars(av.data)
        return None
    return None


def _plain_words(words) -> frozenset[str] | None:
    """The words, when each is one run of lower-case letters (then a match of it is one of the
    words a sentence's `_WORD.findall` gives), else None."""
    return frozenset(words) if all(_LOWER_RUN.fullmatch(w) for w in words) else None


def _joined(patterns: list[str]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def _opens_line(pattern: str) -> bool:
    """Does every match of the pattern begin with "^"? Matched at a line's start only, it is
    not tried (and failed) at every character. False when it cannot be told."""
    try:
        from re import _constants as sre
        from re import _parser
        data = _parser.parse(pattern, re.IGNORECASE).data
        return bool(data) and data[0] == (sre.AT, sre.AT_BEGINNING)
    except Exception:  # noqa: BLE001 - an internal module: without it, searched as before
        return False


def _loose(pattern: str, flags: int) -> re.Pattern | None:
    """The pattern without its word boundaries (\\b), or None when it asserts anything else.

    Every match of the pattern, in any window of a text, is a match of this one in the same
    place: one search over a paragraph tells whether any of its figures can be inside inline
    furniture, so that the window around each figure is searched only in such paragraphs."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            if pattern[i + 1:i + 2] != "b":
                out.append(pattern[i:i + 2])
            i += 2
        else:
            out.append(pattern[i])
            i += 1
    try:
        from re import _constants as sre
        from re import _parser
        before = _assertions(_parser.parse(pattern, flags).data, sre)
        after = _assertions(_parser.parse("".join(out), flags).data, sre)
    except Exception:  # noqa: BLE001 - an internal module: without it, no shortcut
        return None
    # What was removed were word boundaries (no backspace in a set), and nothing else asserts.
    if after or any(item != (sre.AT, sre.AT_BOUNDARY) for item in before):
        return None
    return _guarded(re.compile("".join(out), flags))


def _assertions(items, sre) -> list:
    """Every assertion in a parsed pattern (and anything whose match depends on context)."""
    found = []
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT, sre.GROUPREF, sre.GROUPREF_EXISTS):
            found.append((op, av))
        elif op is sre.SUBPATTERN:
            found += _assertions(av[3].data, sre)
        elif op is sre.BRANCH:
            for alternative in av[1]:
                found += _assertions(alternative.data, sre)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            found += _assertions(av[2].data, sre)
        elif op is sre.ATOMIC_GROUP:
            found += _assertions(av.data, sre)
        elif op is sre.IN:
            found += [item for item in av if item[0] is sre.LITERAL and item[1] == 8]
    return found


@dataclass(frozen=True)
class _Rules:
    """A language's attribution words, as the sets and patterns the attributor looks up."""

    titles: frozenset[str]
    pronouns: frozenset[str]
    pronoun_kinds: dict[str, tuple[str, ...]]
    articles: frozenset[str]
    possessives: tuple[str, ...]
    possessive_ends: tuple[str, ...]
    particles: frozenset[str]
    head_links: frozenset[str]
    not_names: frozenset[str]
    org_words: frozenset[str]
    person_roles: frozenset[str]
    body_roles: frozenset[str]
    data_nouns: frozenset[str]
    data_verbs: frozenset[str] | None  # None: not all plain lower-case words, no gate
    study_verbs: frozenset[str] | None
    bodies: frozenset[str]
    body_words: frozenset[str]
    speech_words: frozenset[str]
    speech_word: re.Pattern | None  # None: each speech word is a run of a-z, found as one
    participles: frozenset[str]
    according_words: frozenset[str]
    passive: frozenset[str]
    furniture_opening: re.Pattern | None  # the furniture patterns anchored at a line's start
    furniture_anywhere: re.Pattern | None  # the others
    inline_furniture: re.Pattern
    inline_furniture_loose: re.Pattern | None  # matches wherever inline furniture may match
    teasers_after: re.Pattern
    name: re.Pattern
    after_subject_verb: re.Pattern
    after_verb_subject: re.Pattern
    before: re.Pattern
    according: re.Pattern
    according_named: re.Pattern
    data_from: re.Pattern
    source_shows: re.Pattern
    study_found: re.Pattern
    subject_before_verb: re.Pattern
    subject_inner: re.Pattern
    subject_free: re.Pattern
    subject_counted: int
    subject_apposition: re.Pattern
    adverb_word: re.Pattern
    auxiliaries: frozenset[str]
    subject_ends: tuple[str, ...]  # how a lower-case subject can end: a pronoun, a role
    after_comma: re.Pattern
    coordinated: re.Pattern
    trailing: re.Pattern
    trailing_inverted: re.Pattern
    full_name: re.Pattern
    name_barrier: re.Pattern  # a character no full name holds
    last_name_barrier: re.Pattern  # a run ending in the last such character
    name_before: re.Pattern
    opening: re.Pattern
    leading_article: re.Pattern


def _rules(lexicon: Lexicon) -> _Rules:
    words = lexicon["attribution"]
    speech, data, names = words["speech"], words["data"], words["names"]
    furniture, subjects = words["furniture"], words["subjects"]
    lower = lambda items: frozenset(w.lower() for w in items)  # noqa: E731

    articles = names["articles"]
    article = rf"(?:{_phrases(articles)})"
    any_article = rf"(?:{_phrases(articles, opening=True)})"
    adverb_word = (rf"(?:\w+{re.escape(speech['adverb_suffix'])}"
                   rf"|{_alternation(speech['adverbs'])})")
    adverb = rf"(?:{adverb_word}\s+)"
    auxiliary = rf"(?:(?:{_alternation(speech['auxiliaries'])})\s+)"
    verb = rf"(?:{_phrases(speech['verbs'])})"
    role = rf"(?:{_phrases(names['roles'])})"
    according = rf"(?:{_phrases(speech['according'], opening=True)})"
    links = rf"(?:{_alternation(data['links'])})"
    possessive = rf"(?:{_alternation(names['possessives'])})"
    name_particle = rf"(?:{_alternation(names['name_particles'])})"
    name_chars = rf"\w’'\-\s.À-Ý{_name_marks(names['name_particles'])}"
    # A run of capitalised words, allowing "of/for/and/de" inside organisation and Spanish names.
    name = (rf"{_CAP}(?:\s+(?:(?:{_alternation(names['particles'])})\s+)*{_CAP}){{0,6}}"
            r"(?:\s*\([A-Z][A-Za-z.]+\))?")
    pronoun = rf"(?P<pron>\b(?:{_phrases(names['pronouns'], opening=True)})\b)"
    subject = (rf"(?:[a-z][\w-]*\s+){{0,3}}?(?P<name>{name})|{pronoun}"
               rf"|(?P<role>\b(?:{any_article}\s+)?(?:[a-z]+\s+){{0,2}}{role}\b)")
    # Lower case: a capitalised "Statistics" or "Census" is part of a name ("Census Bureau").
    data_noun = rf"(?:{_alternation(data['nouns'])})\b(?!\s+[A-Z])"
    data_noun_opening = rf"(?:{_alternation(n.capitalize() for n in data['nouns'])}|{data_noun})"
    data_verb = rf"(?:{_alternation(data['verbs'])})"
    study_verb = rf"(?:{_alternation(data['study_verbs'])})"
    tail_link = rf"(?:{_phrases(speech['tail_links'])})\s"
    tail_object = rf"(?:{_phrases(speech['tail_objects'])})\b"
    tail = rf"(?:\s+(?:{tail_link}|{tail_object}|[A-Z])[^,]{{0,80}}?)?"
    conjunction = rf"(?:{_phrases(subjects['conjunctions'], opening=True)})"
    opener = rf"(?:{_phrases(subjects['openers'], opening=True)})"
    speech_words = frozenset(w for v in [*speech["verbs"], *speech["participles"]]
                             for w in v.split())
    pronoun_kinds = {p: (PERSON,) for p in names["person_pronouns"]}
    span = lambda items: max((len(w.split()) for w in items), default=0)  # noqa: E731
    listed = [*names["pronouns"], *names["roles"], *articles, *speech["adverbs"],
              *speech["auxiliaries"], *names["particles"]]
    inner_marks = "".join(sorted({c for w in listed for c in w if not c.isspace()}
                                 - set(string.ascii_letters + string.digits)))
    pronoun_kinds |= {p: (BODY,) for p in names["body_pronouns"]}

    return _Rules(
        titles=frozenset(t.rstrip(".").lower() for t in names["titles"]),
        pronouns=lower(names["pronouns"]),
        pronoun_kinds=pronoun_kinds,
        articles=lower(articles),
        possessives=tuple(sorted(names["possessives"], key=len, reverse=True)),
        possessive_ends=tuple({p[-1] for p in names["possessives"]}),
        particles=frozenset(names["particles"]),
        head_links=frozenset(names["head_links"]),
        not_names=lower(names["not_names"]),
        org_words=lower(names["organisation_words"]),
        person_roles=lower(names["person_roles"]),
        body_roles=lower(names["body_roles"]),
        data_nouns=frozenset(data["nouns"]),
        data_verbs=_plain_words(data["verbs"]),
        study_verbs=_plain_words(data["study_verbs"]),
        bodies=lower(data["bodies"]),
        body_words=lower(data["body_words"]),
        speech_words=speech_words,
        participles=frozenset(speech["participles"]),
        # Lower case only: a capitalised "States" is part of a name ("the United States").
        speech_word=None if all(_LOWER_RUN.fullmatch(w) for w in speech_words) else re.compile(
            rf"(?<![A-Za-z])(?:{_alternation(speech_words)})(?![A-Za-z])"),
        according_words=frozenset(p.split()[0].lower() for p in speech["according"]),
        passive=lower(speech["passive"]),
        furniture_opening=_joined([p for p in furniture["patterns"] if _opens_line(p)]),
        furniture_anywhere=_joined([p for p in furniture["patterns"] if not _opens_line(p)]),
        inline_furniture=_guarded(re.compile("|".join(furniture["inline"]), re.IGNORECASE)),
        inline_furniture_loose=_loose("|".join(furniture["inline"]), re.IGNORECASE),
        teasers_after=re.compile(furniture["teasers_after"], re.IGNORECASE),
        name=re.compile(name),
        # After a quotation: ', Trump said', ' she explained', ' said Sheinbaum'.
        after_subject_verb=re.compile(rf"^[\s,—–-]*(?:{subject})\s+{adverb}?{verb}\b"),
        after_verb_subject=re.compile(rf"^[\s,—–-]*{verb}\s+(?:{subject})"),
        # Before a quotation: 'He later added, ', 'She went on to explain that ...'.
        before=re.compile(rf"(?:{subject})\s+(?:[\w’']+\s+){{0,4}}?{verb}\b[^“”\"]*$"),
        according=_guarded(re.compile(
            rf"\b{according}\s+(?:(?:{article}\s+)?(?:[\w-]+\s+){{0,3}}?(?P<noun>{data_noun})"
            rf"\s+(?:\w+\s+)?{links}\s+)?(?:{article}\s+)?"
            rf"(?P<source>{name}|{role}|[a-z]+\s+{role})")),
        # "according to a new Gallup poll"
        according_named=_guarded(re.compile(
            rf"\b{according}\s+(?:{article}\s+)?(?:[a-z][\w-]*\s+){{0,2}}(?P<source>{name})"
            rf"\s+(?P<noun>{data_noun})\b")),
        data_from=_guarded(re.compile(
            rf"\b(?P<noun>{data_noun_opening})\s+(?:\w+\s+)?{links}\s+(?:{article}\s+)?"
            rf"(?P<source>{name})")),
        source_shows=re.compile(
            rf"(?:^|\s)(?:{any_article}\s+)?(?P<source>{name}){possessive}?\s+"
            rf"(?P<noun>{data_noun})\s+{data_verb}\b"),
        # "A study published in The Lancet estimated that ...": a study is data, named or not.
        study_found=_guarded(re.compile(
            rf"\b{any_article}\s+(?:(?:{_alternation(data['fresh'])})\s+)?(?P<noun>{data_noun})\b"
            rf"(?:[^.;]*?\b(?:{_alternation(data['study_links'])})\s+(?:{article}\s+)?"
            rf"(?P<source>{name}))?[^.;]*?\b{study_verb}\b")),
        # The subject right before a verb of saying, searched in a short window before the verb.
        subject_before_verb=re.compile(rf"(?:{subject})\s+{adverb}?{auxiliary}?$"),
        # Its words after the first: of name and word characters only, and at most
        # `subject_counted` of them outside a name (capitals, particles, an abbreviation).
        subject_inner=re.compile(rf"[\w’'\-.(){re.escape(inner_marks)}]+$"),
        subject_free=re.compile(
            rf"[A-Z(]|(?:{_alternation(names['particles'])})$"),
        subject_counted=max(3, span(names["pronouns"]),
                            span(articles) + 2 + span(names["roles"]))
        + span(speech["adverbs"]) + span(speech["auxiliaries"]),
        adverb_word=re.compile(adverb_word),
        auxiliaries=frozenset(speech["auxiliaries"]),
        subject_ends=tuple({w.split()[-1] for w in [*names["pronouns"], *names["roles"]]}),
        # "Webb, the agency's director, said": a name, then clauses set off by commas.
        subject_apposition=re.compile(
            rf"(?<![\w’'.\-])(?P<name>{name})(?:,\s+(?:[^,“”\"]|,(?=\S)){{2,80}}){{1,3}},\s+"
            rf"{adverb}?{auxiliary}?$"),
        # Verbs whose speaker is the sentence's subject: "..., saying" and "... and found".
        after_comma=re.compile(rf",\s+{adverb}?$"),
        coordinated=re.compile(
            rf"[\s,](?:{_alternation(subjects['coordinators'])})\s+{adverb}?$"),
        # ", rescuers said.", ", the coroner's office said on Monday."
        trailing=re.compile(
            rf",\s+(?P<subject>[^,“”\"\d]{{1,80}}?)\s+{verb}{tail}\s*[.!?]?\s*$"),
        # ", said Ana Ruiz, the trust's director."
        trailing_inverted=re.compile(
            rf",\s+{verb}\s+(?P<subject>[^,“”\"\d]{{1,80}}?)\s*(?:,[^,]*)?[.!?]?\s*$"),
        # An optional title ("Dr. ") and the name's first word, which both open in a capital:
        # the pattern opens in that capital (the title's read behind it), so that a search
        # skips to the capitals in C rather than trying both at every character.
        full_name=re.compile(
            rf"[A-ZÀ-Ý](?:(?<=[A-Z])[a-z]{{1,3}}\.\s+[A-ZÀ-Ý])?[\w’'\-]+"
            rf"(?:\s+(?:{name_particle}\s+)?[A-ZÀ-Ý][\w’'\-]+){{1,4}}"),
        # Word characters, "’'-", white space, a title's dot and a capital (À-Ý holds "×")
        # are all a full name holds (and the name particles' marks): between two other
        # characters, the names found from the first are those a search of the text finds there.
        name_barrier=re.compile(rf"[^{name_chars}]"),
        last_name_barrier=re.compile(rf"(?s:.*)[^{name_chars}]"),
        # Capitalised words (and particles) standing right before a surname.
        name_before=_guarded(re.compile(
            rf"(?:(?:[A-Z][a-z]{{0,3}}\.|[A-ZÀ-Ý][\w’'\-]*)\s+(?:{name_particle}\s+)?){{1,3}}$")),
        # What a sentence says before its subject: "But", "At a news conference Tuesday,".
        opening=re.compile(
            rf"(?:{conjunction},?\s+)?(?:{opener}\b[^,“”\"]{{0,80}},\s+){{0,2}}"
            rf"(?:{conjunction},?\s+)?"),
        leading_article=re.compile(rf"^(?:{_phrases(articles)})\s+", re.IGNORECASE),
    )


def _name_marks(particles) -> str:
    """The characters of name particles other than letters and digits, escaped for a set."""
    return "".join(re.escape(c) for c in sorted({c for p in particles for c in p
                                                 if not (c.isalnum() or c == "_")}))


def _rules_of(lexicon: Lexicon | None) -> _Rules:
    return (lexicon or load_lexicon()).derived(_rules)


@dataclass
class Quote:
    start: int  # the opening mark
    end: int  # after the closing mark, or the paragraph's end when unclosed
    paragraph: int
    speaker: str | None = None


@dataclass(frozen=True)
class Attribution:
    speaker: str | None
    in_quote: bool
    stance: str


@dataclass(frozen=True)
class _Source:
    """The source a sentence names for its own figures."""

    speaker: str
    stance: str
    verb_end: int  # figures before it (other than data) are the reporter's
    kind: str | None  # what a later pronoun may take it for; None: not a subject


# Subjects a sentence names, in the order it names them: (speaker, kind).
_Notes = list[tuple[str, str]]
# Where a pronoun is read: the index of its sentence, and the quotation it is read for (None:
# the sentence's own source, after all its quotations).
_Point = tuple[int, int | None]
_UNREAD = object()
# How far from a word `Attributor.is_surname` looks for the characters that bound its names.
_NAME_REACH = 400
# How many words it looks up so before it reads the whole text's names once.
_SURNAMES_LOOKED_UP = 8
# Sentences read within one another's reading (a pronoun looking back through sentences no
# figure asked for, whose own sources are pronouns): past this depth, every earlier sentence is
# read in order first, so the recursion stays shallow whatever the text.
_MAX_DEPTH = 50


def furniture_paragraphs(text: str, paragraphs: list[Span], *,
                         lexicon: Lexicon | None = None) -> set[int]:
    """Paragraphs of page furniture: "Recommended stories", "Read more" and the teaser
    headlines under it."""
    rules = _rules_of(lexicon)
    whole = set()
    teasers = False
    for index, (start, end) in enumerate(paragraphs):
        line = text[start:end]
        short = len(line) <= 80
        if short and ((rules.furniture_opening and rules.furniture_opening.match(line))
                      or (rules.furniture_anywhere and rules.furniture_anywhere.search(line))):
            whole.add(index)
            teasers = bool(rules.teasers_after.search(line))
        elif teasers and short and not line.rstrip().endswith((".", "!", "?", "”", '"')):
            whole.add(index)  # a teaser headline of another story
        else:
            teasers = False
    return whole


def in_inline_furniture(text: str, start: int, end: int, *,
                        lexicon: Lexicon | None = None) -> bool:
    """Is text[start:end] inside furniture of a flattened line ("list of 3 items")?

    Searched around the figure only: scanning the whole text cost more than the rest of the
    attribution on a typical article."""
    window = max(0, start - 40)
    return any(m.start() <= start and end <= m.end()
               for m in _rules_of(lexicon).inline_furniture.finditer(
                   text, window, min(len(text), end + 40)))


# A curly single quote opens after white space or one of these (or at the text's start), and
# closes before white space or one of those (or at the paragraph's end): an apostrophe does
# neither ("Trump’s", "’90s" aside).
_SINGLE_OPENS_AFTER = "([—–-"
_SINGLE_CLOSES_BEFORE = ",.;:!?)]—–-"


def _marks(text: str, chars: str, start: int, end: int) -> list[int]:
    """The offsets of `chars` in text[start:end], in order. str.find skips to each: a regex
    of the marks tried every character of every paragraph, most of the cost of `quotes`."""
    found = []
    find = text.find
    for char in chars:
        at = find(char, start, end)
        while at >= 0:
            found.append(at)
            at = find(char, at + 1, end)
    found.sort()
    return found


def quotes(text: str, paragraphs: list[Span]) -> list[Quote]:
    """Quotations in document order: curly or straight double quotes, closed or running on to
    the paragraph's end; curly single quotes (British style) in paragraphs with no double ones."""
    found: list[Quote] = []
    # The marks of the whole text found once and dealt to the paragraphs: most paragraphs
    # hold none, and three searches of each cost more than the rest of this function.
    doubles = _marks(text, "“”\"", 0, len(text))
    any_single = "‘" in text
    bisect_left = bisect.bisect_left
    for index, (p_start, p_end) in enumerate(paragraphs):
        marks = doubles[bisect_left(doubles, p_start):bisect_left(doubles, p_end)]
        single = not marks
        if single:
            if not any_single or text.find("‘", p_start, p_end) < 0:
                continue  # no single quotation opens, and the closing marks are apostrophes
            marks = [at for at in _marks(text, "‘’", p_start, p_end)
                     if (text[at] == "‘" and (at == 0 or text[at - 1].isspace()
                                              or text[at - 1] in _SINGLE_OPENS_AFTER))
                     or (text[at] == "’" and (at + 1 >= p_end or text[at + 1].isspace()
                                              or text[at + 1] in _SINGLE_CLOSES_BEFORE))]
        open_at: int | None = None
        straight = False
        for position in marks:
            char = text[position]
            if open_at is None:
                if char in "“\"‘":
                    open_at, straight = position, char == '"'
            elif (char == '"' and straight) or (char in "”’" and not straight):
                found.append(Quote(open_at, position + 1, index))
                open_at = None
        if open_at is not None and not single:
            found.append(Quote(open_at, p_end, index))
    return found


class Attributor:
    """Assigns speaker, in_quote and stance to figure spans of one document.

    A sentence is read only when something asks for it, and at most once: a figure asks for its
    own sentence (the source it names, the speaker of the quotation it stands in), and a pronoun
    for the sentences back to the latest subject of its kind. Most sentences of an article hold
    no figure and lie behind the subject a pronoun finds, and are never read. Reading a sentence
    gives the subjects it names in order (its opening subject, the attributions of the
    quotations that open in it, then the source it names); a pronoun stands for the last of
    these, of its kind, before it, so the speakers are those of reading every sentence in order.
    `lexicon` (English by default) gives the words."""

    def __init__(self, text: str, paragraphs: list[Span], sentences: list[Span],
                 publisher: str | None, *, lexicon: Lexicon | None = None):
        self.rules = _rules_of(lexicon)
        self.text = text
        self.paragraphs = paragraphs
        self.sentences = sentences
        self.sentence_starts = [s for s, _ in sentences]
        self.publisher = publisher
        self.furniture = furniture_paragraphs(text, paragraphs, lexicon=lexicon)
        self._lexicon = lexicon
        self.paragraph_starts = [s for s, _ in paragraphs]
        self._full_names: dict[str, str | None] = {}
        self._surname_known: dict[str, bool] = {}
        self._stretch_surnames: dict[int, set[str]] = {}
        self.quotes = quotes(text, paragraphs)
        self.quote_starts = [q.start for q in self.quotes]
        count = len(sentences)
        self._openings: list = [_UNREAD] * count  # each sentence's opening subject
        self._sources: list = [_UNREAD] * count  # ... the source it names for its figures
        self._befores: list = [_UNREAD] * count  # ... the subjects it names before that
        self._said: list = [_UNREAD] * len(self.quotes)  # each quotation's own attribution
        self._speakers: list = [_UNREAD] * len(self.quotes)  # ... and its speaker
        # The latest subject of some kinds named up to the end of a sentence, by the kinds.
        self._latest: dict[tuple[str, ...], dict[int, tuple[str, str] | None]] = {}
        self._depth = 0
        self._read_before = 0  # every sentence before this one has been read
        self._inline_possible: dict[int, bool] = {}
        # Lower-casing a sentence makes a-z of no other letters but these two (Kelvin sign,
        # dotted I): without them, its lower-case words are its letter runs lower-cased.
        self._plain_case = "\u212a" not in text and "\u0130" not in text

    # -- names ---------------------------------------------------------------------------
    @functools.cached_property
    def people(self) -> list[tuple[int, str]]:
        """Every person named in full in the text, in order, without titles."""
        people = []
        for match in self.rules.full_name.finditer(self.text):
            words = self._person_words(match)
            if words is not None:
                people.append((match.start(), " ".join(words)))
        return people

    def _person_words(self, match: re.Match) -> list[str] | None:
        """The words of the person a full_name match names, or None when it names none."""
        words = match.group().split()
        while words and words[0].lower() in self.rules.not_names:
            words = words[1:]  # "The CDC", "In Mexico City": capitalised by the sentence
        words = self._without_titles(words)
        if 2 <= len(words) <= 4 and not self._has_org_word(words):
            return words
        return None

    @functools.cached_property
    def people_starts(self) -> list[int]:
        return [offset for offset, _ in self.people]

    @functools.cached_property
    def surnames(self) -> frozenset[str]:
        """The last words of the people named in full: a lone capitalised word that opens a
        sentence is a person only when it is one of these."""
        return frozenset(name.split()[-1] for _, name in self.people)

    def is_surname(self, word: str) -> bool:
        """Is `word` in `surnames`? Found from its own occurrences: the names of the text
        around each, where the whole text's names are read only if a pronoun needs them
        (the opening-subject rule asks of a few words; finding every name cost more).

        A name's last word starts where `word` does, after white space. The names between
        two characters no name holds are those of the whole text there; such a stretch is
        read once, and only within _NAME_REACH of the occurrence (else the whole text is), so
        a word's look-up reads each character at most once."""
        known = self._surname_known.get(word)
        if known is not None:
            return known
        if "people" in self.__dict__ or len(self._surname_known) >= _SURNAMES_LOOKED_UP:
            return word in self.surnames  # each word looked up scans the text for it
        text, rules = self.text, self.rules
        found = False
        at = text.find(word)
        while at >= 0 and not found:
            resume = at + 1
            if at > 0 and text[at - 1].isspace():
                low = max(0, at - _NAME_REACH)
                before = rules.last_name_barrier.match(text, low, at)
                after = rules.name_barrier.search(text, at, at + _NAME_REACH)
                if ((before is None and low > 0)
                        or (after is None and at + _NAME_REACH < len(text))):
                    found = word in self.surnames
                    break
                stretch = before.end() if before is not None else 0
                resume = after.start() if after is not None else len(text)
                surnames = self._stretch_surnames.get(stretch)
                if surnames is None:
                    surnames = self._stretch_surnames[stretch] = {
                        " ".join(words).split()[-1] for words in map(
                            self._person_words, rules.full_name.finditer(text, stretch, resume))
                        if words is not None}
                found = word in surnames
            at = text.find(word, resume)  # the rest of its stretch holds no other name
        self._surname_known[word] = found
        return found

    def full_name(self, surname: str) -> str | None:
        """The fullest name the text gives a surname ("Trump" -> "Donald Trump"), or None.

        Looks only just before each occurrence of the surname: far cheaper than finding every
        name in the text, which only a pronoun with no speaker before it needs."""
        if surname in self._full_names:
            return self._full_names[surname]
        best: str | None = None
        text = self.text
        at = text.find(surname)
        while at >= 0:
            # The words before a surname end in white space: elsewhere no search is needed.
            before = (self.rules.name_before.search(text, max(0, at - 60), at)
                      if at > 0 and text[at - 1].isspace() and _ends_word(text, at + len(surname))
                      else None)
            if before is not None:
                words = before.group().split()
                while words and words[0].lower() in self.rules.not_names:
                    words = words[1:]
                words = self._without_titles([*words, surname])
                name = " ".join(words)
                if (2 <= len(words) <= 4 and not self._has_org_word(words)
                        and len(name) > len(best or "")):
                    best = name
            at = text.find(surname, at + 1)
        self._full_names[surname] = best
        return best

    def person_before(self, offset: int) -> str | None:
        index = bisect.bisect_left(self.people_starts, offset) - 1
        return self.people[index][1] if index >= 0 else None

    def canonical(self, mention: str) -> str:
        """A speaker as the text names them most fully, without titles, a leading article or
        conjunction, or an abbreviation in brackets ("President Trump" -> "Donald Trump",
        "the CDC" -> "CDC", "the U.S. Geological Survey (USGS)" -> "U.S. Geological Survey")."""
        words = _PARENTHESIS.sub("", mention.strip()).rstrip(".,;:").split()
        while len(words) > 1 and words[0].lower() in self.rules.not_names:
            words = words[1:]  # "the CDC", "But Webb": capitalised by the sentence
        if not words:
            return mention.strip()
        words[-1] = self._strip_possessive(words[-1])
        bare = self._without_titles(words)
        if self._has_org_word(bare):
            return " ".join(words)  # a body: "U.S. Customs and Border Protection" as written
        if len(bare) == 1:
            return self.full_name(bare[0]) or " ".join(words if len(words) > 2 else bare)
        return " ".join(bare)

    def _without_titles(self, words: list[str]) -> list[str]:
        """Words of a name without leading titles and roles ("Health Secretary Wes Carter")."""
        words = [self._strip_possessive(w) for w in words]
        while len(words) > 1 and words[0].rstrip(".").lower() in self.rules.titles:
            words = words[1:]
        return words

    def _strip_possessive(self, word: str) -> str:
        if not word.endswith(self.rules.possessive_ends):
            return word
        for suffix in self.rules.possessives:
            if word.endswith(suffix):
                return word[: -len(suffix)]
        return word

    def _has_org_word(self, words: list[str]) -> bool:
        return any(w.lower() in self.rules.org_words for w in words)

    def _is_body(self, name: str) -> bool:
        """Is this speaker a statistical or measuring body, whose figures are data?"""
        bare = _PARENTHESIS.sub("", name).lower()
        if bare in self.rules.bodies or self.rules.leading_article.sub("", bare) in (
                self.rules.bodies):
            return True
        return not self.rules.body_words.isdisjoint(bare.split())

    def _kind(self, speaker: str) -> str:
        """Person, body or group: which later pronouns may stand for this speaker."""
        words = speaker.split()
        if speaker[:1].islower():  # a role as written: "the mayor", "officials"
            last = words[-1].lower()
            if last in self.rules.person_roles or speaker.lower() in self.rules.person_roles:
                return PERSON
            if last in self.rules.body_roles or speaker.lower() in self.rules.body_roles:
                return BODY
            return GROUP
        if self._is_body(speaker) or self._has_org_word(words) or speaker.isupper():
            return BODY
        return PERSON

    # -- subjects and pronouns -------------------------------------------------------------
    def _speaker_of(self, match: re.Match) -> tuple[str | None, str]:
        """(speaker, how) from a subject pattern's match: how is "name", "role", "pron" (the
        speaker is then the pronoun) or "none"."""
        groups = match.groupdict()
        if groups.get("name"):
            name = groups["name"].rstrip(".,;:")
            parts = name.split()
            first = parts[0].lower()
            if len(parts) == 1 and first in self.rules.pronouns:
                return first, "pron"
            if len(parts) == 1 and first in self.rules.not_names:
                return None, "none"
            return self.canonical(name), "name"
        if groups.get("pron"):
            return groups["pron"].lower(), "pron"
        if groups.get("role"):
            return self.rules.leading_article.sub("", groups["role"]), "role"
        return None, "none"

    def _subject(self, subject: str, inverted: bool) -> tuple[str | None, str]:
        """A speaker from the free text of a closing attribution (", rescuers said." or, when
        `inverted`, ", said Ana Ruiz."): (speaker, how), how "data" for "agency data said"."""
        subject = subject.strip(" ,")
        words = subject.split()
        if not words:
            return None, "none"
        if len(words) == 1 and words[0].lower() in self.rules.pronouns:
            return words[0].lower(), "pron"
        names = list(self.rules.name.finditer(subject))
        if names:
            first, last = names[0], names[-1]
            after = subject[first.end():].split(maxsplit=1)
            if not self.rules.leading_article.sub("", subject[:first.start()]).strip() and (
                    not after or after[0] in self.rules.head_links):
                return self.canonical(first.group()), "name"
            if not subject[last.end():].strip():
                return self.canonical(last.group()), "name"
        lowered = [w.lower() for w in words]
        # A clause, not a speaker: "going so far as to claim", "cases were confirmed", or the
        # reported words after an inverted "said the agency needed ...".
        if (len(words) > (3 if inverted else 6)
                or not self.rules.not_names.isdisjoint(lowered[1:])
                or not self.rules.passive.isdisjoint(lowered)):
            return None, "none"
        subject = self.rules.leading_article.sub("", subject)
        head, _, last = subject.rpartition(" ")
        if head and last in self.rules.data_nouns:
            return head, "data"  # "weather service data said": the service, as data
        return subject, "role"

    def _resolve(self, pronoun: str, offset: int, point: _Point) -> str | None:
        """The speaker a pronoun read at `point` stands for: the latest subject of its kind;
        for "he" or "she" with none yet, the last person the text named."""
        kinds = self.rules.pronoun_kinds.get(pronoun, _ANYONE)
        index, quote = point
        found = None
        for note in reversed(self._before_source(index, quote)):
            if note[1] in kinds:
                found = note
                break
        else:
            found = self._latest_through(index - 1, kinds)
        if found is None:
            return self.person_before(offset) if kinds == (PERSON,) else None
        return found[0]

    def _latest_through(self, index: int, kinds: tuple[str, ...]) -> tuple[str, str] | None:
        """The last subject of one of `kinds` named in the sentences up to `index`, reading
        back only as far as it. What a search passes is kept, so no sentence is passed twice
        for the same kinds and the searches of a text take linear time together."""
        known = self._latest.setdefault(kinds, {})
        passed = []
        found = None
        while index >= 0:
            found = known.get(index, _UNREAD)
            if found is not _UNREAD:
                break
            # The sentence's subjects from its last: its source, then what it named before.
            source = self._read(index)
            if source is not None and source.kind in kinds:
                found = (source.speaker, source.kind)
            else:
                found = None
                for note in reversed(self._before_source(index)):
                    if note[1] in kinds:
                        found = note
                        break
            if found is not None:
                known[index] = found
                break
            passed.append(index)
            index -= 1
        for index in passed:
            known[index] = found
        return found

    def _opening_subject(self, start: int, end: int,
                         sentence: str | None = None) -> tuple[str, str] | None:
        """(speaker, kind) of the name a sentence opens with, after its conjunction and an
        opening phrase ("On Tuesday, Sheinbaum echoed ..."), or (pronoun, "pron"), or None."""
        if self.quote_at(start, start + 1) is not None:
            return None  # the sentence goes on inside a quotation
        # The blanked sentence's start is the start's blanking: a quotation cut short runs on.
        head = (_blank_quotes(self.text[start:min(end, start + 240)]) if sentence is None
                else sentence[:240])
        lead = self.rules.opening.match(head)
        words = head[lead.end():].split(maxsplit=8)[:8]
        if words and words[0].lower() in self.rules.pronouns:
            return words[0].lower(), "pron"
        run: list[str] = []
        ended = False
        for word in words:
            if word[0] == "(" and word[-1] == ")":
                continue  # an abbreviation in brackets: "the Centers for ... (CDC) says"
            bare = word.rstrip(",;:")
            if bare and (bare[0].isupper() or bare.lower() in self.rules.titles
                         or (run and bare in self.rules.particles)):
                run.append(bare)
                if bare != word:
                    ended = True  # a comma: an apposition follows ("Webb, the director,")
                    break
                continue
            ended = bool(bare) and bare[0].islower()
            break
        if not ended or not run or any(w.endswith(self.rules.possessives) for w in run):
            return None  # a headline in capitals, or "Sheinbaum's predecessor"
        while run and (run[-1] in self.rules.particles):
            run.pop()
        while run and run[0].lower() in self.rules.not_names:
            run.pop(0)
        if not run:
            return None
        bare = self._without_titles(run)
        mention = " ".join(run)
        acronym = len(bare) == 1 and len(bare[0]) > 1 and bare[0].isupper()
        if self._is_body(mention) or acronym or (len(bare) > 1 and self._has_org_word(bare)):
            while run[0][0].islower():
                run.pop(0)  # "state Department of Human Services": the name as capitalised
            return self.canonical(" ".join(run)), BODY
        if len(bare) == 1 and self._has_org_word(bare):
            return None  # "Police arrested ...", "Health officials ...": no body's name
        if len(bare) == 1 and not self.is_surname(bare[0]):
            return None  # a capitalised common word: "Several inches of snow fell"
        if len(bare) > 4:
            return None
        return self.canonical(mention), PERSON

    # -- reading sentences as they are asked for --------------------------------------------
    def _read(self, index: int) -> _Source | None:
        """The source sentence `index` names for its figures (the last subject it names, when
        it is one). What the sentence names before it is read only if a pronoun asks."""
        source = self._sources[index]
        if source is not _UNREAD:
            return source
        if self._depth >= _MAX_DEPTH:
            while self._read_before < index:  # in order: each looks back at sentences read
                self._read(self._read_before)
                self._read_before += 1
        start, end = self.sentences[index]
        self._depth += 1
        try:
            source = self._find_source(start, end, None, index)
        finally:
            self._depth -= 1
        self._sources[index] = source
        return source

    def _opening(self, index: int) -> tuple[str, str] | None:
        opening = self._openings[index]
        if opening is _UNREAD:
            start, end = self.sentences[index]
            opening = self._openings[index] = self._opening_subject(start, end)
        return opening

    def _before_source(self, index: int, quote: int | None = None) -> _Notes:
        """The subjects sentence `index` names before its source: its opening subject and the
        attributions of the quotations that open in it (before quotation `quote`, if given)."""
        if quote is None and self._befores[index] is not _UNREAD:
            return self._befores[index]
        opening = self._opening(index)
        notes = [opening] if opening is not None and opening[1] != "pron" else []
        first, last = self._quotes_of(index)
        for at in range(first, last if quote is None else quote):
            speaker, how = self._said_of(at)
            if speaker and how in ("name", "role"):
                notes.append((speaker, self._kind(speaker)))
        if quote is None:
            self._befores[index] = notes
        return notes

    def _quotes_of(self, index: int) -> tuple[int, int]:
        """The quotations that open in sentence `index`: those of the first sentence include
        any that open before it."""
        following = index + 1
        last = (bisect.bisect_left(self.quote_starts, self.sentence_starts[following])
                if following < len(self.sentences) else len(self.quotes))
        first = bisect.bisect_left(self.quote_starts, self.sentence_starts[index]) if index else 0
        return first, last

    def _sentence_of_quote(self, at: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, self.quotes[at].start) - 1)

    # -- quotations ----------------------------------------------------------------------
    def _said_of(self, at: int) -> tuple[str | None, str]:
        """(speaker, how) of quotation `at` from its own attribution, before or after it."""
        said = self._said[at]
        if said is _UNREAD:
            quote = self.quotes[at]
            p_start, p_end = self.paragraphs[quote.paragraph]
            said = self._after(quote, p_end)
            if said[1] == "none":
                said = self._before(quote, p_start)
            self._said[at] = said
        return said

    def _speaker_of_quote(self, at: int) -> str | None:
        """Who speaks quotation `at`: its attribution, a pronoun's subject, or the speaker of
        the quotation it continues (followed back without recursion)."""
        continued = []
        while True:
            speaker = self._speakers[at]
            if speaker is not _UNREAD:
                break
            speaker, how = self._said_of(at)
            if how == "pron":
                point = (self._sentence_of_quote(at), at)
                speaker = self._resolve(speaker, self.quotes[at].start, point)
            elif how == "none" and at > 0 and self._continues(self.quotes[at - 1],
                                                              self.quotes[at]):
                continued.append(at)
                at -= 1
                continue
            self._speakers[at] = speaker
            break
        for later in [at, *continued]:
            self._speakers[later] = speaker
            self.quotes[later].speaker = speaker
        return speaker

    def _next_quote_start(self, quote: Quote) -> int:
        index = bisect.bisect_right(self.quote_starts, quote.start)
        return self.quote_starts[index] if index < len(self.quotes) else len(self.text)

    def _after(self, quote: Quote, p_end: int) -> tuple[str | None, str]:
        window_end = min(p_end, quote.end + 160, self._next_quote_start(quote))
        window = self.text[quote.end:window_end]
        for pattern in (self.rules.after_subject_verb, self.rules.after_verb_subject):
            match = pattern.match(window)
            if match:
                return self._speaker_of(match)
        return None, "none"

    def _before(self, quote: Quote, p_start: int) -> tuple[str | None, str]:
        index = bisect.bisect_left(self.quote_starts, quote.start)
        floor = p_start
        if index > 0 and self.quotes[index - 1].end > p_start:
            floor = self.quotes[index - 1].end
        floor = max(floor, self._sentence_start(quote.start))
        window = self.text[floor:quote.start]
        words = set(_WORD.findall(window.lower()))
        if words.isdisjoint(self.rules.speech_words) and words.isdisjoint(
                self.rules.according_words):
            return None, "none"
        according = self.rules.according.search(window)
        if according:
            return self.canonical(according.group("source")), "name"
        match = self.rules.before.search(window)
        if match:
            return self._speaker_of(match)
        return None, "none"

    def _continues(self, previous: Quote, quote: Quote) -> bool:
        """An unattributed quotation that opens its paragraph or sentence right after a quoted
        paragraph (or in the same one) goes on with the same speaker."""
        if quote.paragraph - previous.paragraph > 1:
            return False
        return quote.start == self.paragraphs[quote.paragraph][0] or (
            quote.start == self._sentence_start(quote.start) and
            quote.paragraph == previous.paragraph)

    def _sentence_start(self, offset: int) -> int:
        index = bisect.bisect_right(self.sentence_starts, offset) - 1
        return self.sentence_starts[index] if index >= 0 else 0

    def quote_at(self, start: int, end: int) -> Quote | None:
        index = bisect.bisect_right(self.quote_starts, start) - 1
        if index >= 0:
            quote = self.quotes[index]
            if quote.start < start and end <= quote.end:
                return quote
        return None

    # -- figures -------------------------------------------------------------------------
    def attribute(self, start: int, end: int, kind: str) -> Attribution:
        speakers, quoted, stances = self.attribute_all([(start, end, kind)])
        return Attribution(speakers[0], quoted[0], stances[0])

    def attribute_all(self, figures: Iterable[tuple[int, int, str]]
                      ) -> tuple[list[str | None], list[bool], list[str]]:
        """(speaker, in_quote, stance) of each figure (start, end, kind), as three columns.

        One loop over all of them: a dense table has tens of thousands of figures, and a method
        call and an Attribution per figure cost more than the look-ups that attribute one."""
        speakers: list[str | None] = []
        quoted: list[bool] = []
        stances: list[str] = []
        bisect_right = bisect.bisect_right
        paragraph_starts, paragraphs = self.paragraph_starts, self.paragraphs
        quote_starts, quotes = self.quote_starts, self.quotes
        sentence_starts, sources = self.sentence_starts, self._sources
        furniture, inline_possible = self.furniture, self._inline_possible
        loose = self.rules.inline_furniture_loose
        publisher, text = self.publisher, self.text
        for start, end, kind in figures:
            paragraph = bisect_right(paragraph_starts, start) - 1
            if paragraph in furniture:
                inline = True
            elif loose is None or paragraph < 0:
                inline = in_inline_furniture(text, start, end, lexicon=self._lexicon)
            else:
                p_start, p_end = paragraphs[paragraph]
                possible = inline_possible.get(paragraph)
                if possible is None:
                    # Its figures' windows reach no further than 40 characters either side.
                    possible = inline_possible[paragraph] = loose.search(
                        text, max(0, p_start - 40), min(len(text), p_end + 40)) is not None
                inline = ((possible or not p_start <= start <= end <= p_end)
                          and in_inline_furniture(text, start, end, lexicon=self._lexicon))
            if inline:
                speakers.append(None)
                quoted.append(False)
                stances.append("furniture")
                continue
            index = bisect_right(quote_starts, start) - 1
            if index >= 0:
                quote = quotes[index]
                if quote.start < start and end <= quote.end:
                    speakers.append(self._speaker_of_quote(index))
                    quoted.append(True)
                    stances.append("claim")
                    continue
            sentence = bisect_right(sentence_starts, start) - 1
            source = None
            if sentence >= 0:
                source = sources[sentence]
                if source is _UNREAD:
                    source = self._read(sentence)
            if source is not None and (source.stance == "data" or (
                    kind not in ("date", "year", "time") and start >= source.verb_end)):
                speakers.append(source.speaker)
                stances.append(source.stance)
            else:
                speakers.append(publisher)
                stances.append("reported")
            quoted.append(False)
        return speakers, quoted, stances

    def _find_source(self, start: int, end: int, sentence: str | None,
                     index: int) -> _Source | None:
        """The source sentence `index` names for its own figures, outside its quotations
        (`sentence` is its text with the quotations blanked, when at hand). Its opening subject
        is the speaker of a ", saying ..." clause."""
        rules = self.rules
        point = (index, None)
        if sentence is None:
            sentence = _blank_quotes(self.text[start:end])
        # Cheap gates first: the patterns below are costly and most sentences have no source.
        letters = _LETTERS.findall(sentence)
        if self._plain_case:
            words = {w.lower() for w in letters}
        else:
            words = set(_WORD.findall(sentence.lower()))
        patterns = []
        if not words.isdisjoint(rules.according_words):
            patterns += [rules.according_named, rules.according]
        if not words.isdisjoint(rules.data_nouns):
            patterns.append(rules.data_from)
            # Each ends in a verb of its own, a whole word: without one, it cannot match.
            if rules.data_verbs is None or not words.isdisjoint(rules.data_verbs):
                patterns.append(rules.source_shows)
            if rules.study_verbs is None or not words.isdisjoint(rules.study_verbs):
                patterns.append(rules.study_found)
        for pattern in patterns:
            match = pattern.search(sentence)
            if match:
                named = match.group("source")
                source = self.canonical(named) if named else match.group("noun").lower()
                has_noun = bool(match.groupdict().get("noun"))
                stance = "data" if has_noun or self._is_body(source) else "claim"
                return _Source(source, stance, start, self._kind(source) if named else None)
        if rules.speech_word is not None:
            verbs = list(rules.speech_word.finditer(sentence))
        elif rules.speech_words.isdisjoint(letters):
            return None  # most sentences: no verb of saying, found in one pass
        else:
            # A speech word stands between non-letters: it is a whole run of letters.
            verbs = [m for m in _LETTERS.finditer(sentence) if m.group() in rules.speech_words]
        if not verbs:
            return None
        last_comma = sentence.rfind(",")
        for comma in (last_comma, sentence.rfind(",", 0, max(last_comma, 0))):
            # A closing attribution's verb stands within a subject's length of its comma.
            if comma < 0 or not any(comma < v.start() <= comma + 84 for v in verbs):
                continue
            for pattern in (rules.trailing, rules.trailing_inverted):
                match = pattern.match(sentence, comma)
                if match:
                    found = self._source(*self._subject(match.group("subject"),
                                                        pattern is rules.trailing_inverted),
                                         start, start, point)
                    if found:
                        return found
        for verb in verbs:
            word = verb.group()
            left = verb.start()
            near = sentence[max(0, left - 40):left]
            # Each search tries every start in its window: skip the one that cannot match (no
            # subject ends in a comma; no apposition without one).
            match = None
            ends = self._subject_ends(sentence, left)
            if not near.rstrip().endswith(",") and any(
                    end.lower() != end or end.endswith(rules.subject_ends) for end in ends):
                match = _search_words(rules.subject_before_verb, sentence, left - 100, left,
                                      self._subject_floor(sentence, left))
            if match is None and "," in near and any(end.endswith(",") for end in ends):
                match = _search_words(rules.subject_apposition, sentence, left - 160, left)
            if match is None:
                joined = rules.after_comma if word in rules.participles else rules.coordinated
                opening = None
                if joined.search(sentence, max(0, verb.start() - 40), verb.start()):
                    opening = self._opening(index)  # read only when a clause needs it
                if opening is not None:
                    speaker, kind = opening
                    return self._source(speaker, "pron" if kind == "pron" else "name", start,
                                        start + verb.end(), point)
                continue
            found = self._source(*self._speaker_of(match), start, start + verb.end(), point)
            if found:
                return found
        return None

    def _subject_floor(self, sentence: str, verb: int) -> int:
        """Where the subject of the verb at `verb` starts at the earliest: in the last word
        before it that no subject can hold after its first word, or that is one word too many.

        The subject search tries every word of its window, most of which cannot begin a
        subject this close to the verb."""
        rules = self.rules
        counted = 0
        floor = verb
        for token in reversed(list(_TOKEN.finditer(sentence, max(0, verb - 100), verb))):
            start = token.start()
            # The first word may be cut short: after its last mark that no subject holds.
            tail = rules.subject_inner.search(sentence, start, token.end())
            if tail is None or tail.start() > start:
                return tail.start() if tail is not None else floor
            floor = start  # no subject begins in white space
            if rules.subject_free.match(token.group()) is None:
                counted += 1
                if counted > rules.subject_counted:
                    return floor
        return floor

    def _subject_ends(self, sentence: str, verb: int) -> list[str]:
        """The words that may end the subject of the verb at `verb`: the word before it, or
        before an adverb or auxiliary standing before it ("Webb has said", "she quickly said").

        A gate for the subject searches, which try every word of their window: a subject ends
        in a capital's word (a name), a pronoun or a role, an apposition in a comma; the last
        words of the window tell which can match."""
        words = sentence[max(0, verb - 160):verb].rsplit(None, 3)[-3:]
        ends = words[-1:]
        if len(words) >= 2:
            last, second = words[-1], words[-2]
            is_adverb = self.rules.adverb_word.fullmatch
            if last in self.rules.auxiliaries or is_adverb(last):
                ends.append(second)
                if len(words) == 3 and last in self.rules.auxiliaries and is_adverb(second):
                    ends.append(words[0])
        return ends

    def _source(self, speaker: str | None, how: str, offset: int, verb_end: int,
                point: _Point | None) -> _Source | None:
        if how == "pron":
            speaker = self._resolve(speaker, offset, point)
        if not speaker or how == "none":
            return None
        stance = "data" if how == "data" or self._is_body(speaker) else "claim"
        return _Source(speaker, stance, verb_end, self._kind(speaker))


_WORD_START = r"(?<![^\W\d_])(?=[^\W\d_])"  # a letter after a non-letter
_AT_WORD_STARTS: dict[re.Pattern, re.Pattern] = {}


def _search_words(pattern: re.Pattern, text: str, start: int, end: int,
                  floor: int = 0) -> re.Match | None:
    """`pattern.search(text, start, end)` for a pattern that can only begin a match where a
    letter follows a non-letter: tried at `start`, then only at such places (one search
    behind a lookahead for them, not a match call per word), not at every character.

    No match begins before `floor`, which follows white space or a mark (so a letter there
    starts a word)."""
    start = max(0, start)
    match = None if floor > start else pattern.match(text, start, end)
    if match:
        return match
    if floor > start:
        start = floor - 1
    at_word_starts = _AT_WORD_STARTS.get(pattern)
    if at_word_starts is None:
        at_word_starts = _AT_WORD_STARTS[pattern] = re.compile(
            f"{_WORD_START}(?:{pattern.pattern})", pattern.flags)
    return at_word_starts.search(text, start + 1, end)


def _ends_word(text: str, offset: int) -> bool:
    return offset >= len(text) or not text[offset].isalnum()


_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")


def _blank_quotes(sentence: str) -> str:
    """The sentence with quoted words blanked out (same length), so that attribution patterns
    read only the reporter's words."""
    return _QUOTED.sub(lambda m: m.group()[0] + " " * (len(m.group()) - 1), sentence)
