"""Who asserts each figure: quotations, their speakers, reported speech, data sources, furniture.

Works on spans of the document text. Quotations are found per paragraph (an unclosed quotation
runs to the end of its paragraph, as when a quote continues into the next one). A quotation's
speaker comes from the attribution beside it ("...," Trump said / she told reporters / He later
added, "..."); a pronoun is resolved to the last named speaker; a quotation with no attribution
of its own that opens a paragraph or a sentence continues the previous quotation's speaker.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from dashboard.extract.lang import lexicon
from dashboard.extract.sentences import Span

_WORDS = lexicon("en")["attribution"]
_TITLES = frozenset(t.rstrip(".").lower() for t in _WORDS["names"]["titles"])
_PRONOUNS = frozenset(_WORDS["names"]["pronouns"])
_DATA_NOUNS = frozenset(_WORDS["data"]["nouns"])
_BODIES = frozenset(b.lower() for b in _WORDS["data"]["bodies"])
_FURNITURE = re.compile("|".join(f"(?:{p})" for p in _WORDS["furniture"]["patterns"]),
                        re.IGNORECASE)
_INLINE_FURNITURE = re.compile("|".join(_WORDS["furniture"]["inline"]), re.IGNORECASE)
_TEASERS_AFTER = re.compile(_WORDS["furniture"]["teasers_after"], re.IGNORECASE)
_ORG_WORDS = frozenset(w.lower() for w in _WORDS["names"]["organisation_words"])


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_VERB = rf"(?:{_alternation(_WORDS['speech']['verbs'])})"
_ROLE = rf"(?:{_alternation(_WORDS['names']['roles'])})"
_CAP = r"[A-Z][\w’'.\-]*"
# A run of capitalised words, allowing "of/for/and/de" inside organisation and Spanish names.
_NAME = (rf"{_CAP}(?:\s+(?:(?:of|for|and|on|de|del|la|van|von|al|bin)\s+)*{_CAP}){{0,6}}"
         r"(?:\s*\([A-Z][A-Za-z.]+\))?")
_SUBJECT = (rf"(?:[a-z][\w-]*\s+){{0,3}}?(?P<name>{_NAME})"
            r"|(?P<pron>\b(?:he|she|they|He|She|They|We|we|I)\b)"
            rf"|(?P<role>\b(?:[Tt]he\s+|[Aa]n?\s+)?(?:[a-z]+\s+){{0,2}}{_ROLE}\b)")

# After a quotation: ', Trump said', ' she explained', ' said Sheinbaum', ' he told reporters'.
_AFTER_SUBJECT_VERB = re.compile(rf"^[\s,—–-]*(?:{_SUBJECT})\s+(?:\w+ly\s+)?{_VERB}\b")
_AFTER_VERB_SUBJECT = re.compile(rf"^[\s,—–-]*{_VERB}\s+(?:{_SUBJECT})")
# Before a quotation: 'He later added, ', 'She went on to explain that she made her position clear'.
_BEFORE = re.compile(
    rf"(?:{_SUBJECT})\s+(?:[\w’']+\s+){{0,4}}?{_VERB}\b[^“”\"]*$")
# Lower case: a capitalised "Statistics" or "Census" is part of a name ("Census Bureau").
_DATA_NOUN = rf"(?:{_alternation(_DATA_NOUNS)})\b(?!\s+[A-Z])"
_DATA_NOUN_OPENING = rf"(?:{_alternation(n.capitalize() for n in _DATA_NOUNS)}|{_DATA_NOUN})"
_ACCORDING = re.compile(
    rf"\b[Aa]ccording to\s+(?:(?:the\s+)?(?:[\w-]+\s+){{0,3}}?(?P<noun>{_DATA_NOUN})"
    rf"\s+(?:\w+\s+)?(?:from|by|of|at)\s+)?(?:the\s+)?(?P<source>{_NAME}|{_ROLE}|[a-z]+\s+{_ROLE})")
# "according to a new Gallup poll"
_ACCORDING_NAMED = re.compile(
    rf"\b[Aa]ccording to\s+(?:an?\s+|the\s+)?(?:[a-z][\w-]*\s+){{0,2}}(?P<source>{_NAME})"
    rf"\s+(?P<noun>{_DATA_NOUN})\b")
_DATA_FROM = re.compile(
    rf"\b(?P<noun>{_DATA_NOUN_OPENING})\s+(?:\w+\s+)?(?:from|by|of)\s+(?:the\s+)?"
    rf"(?P<source>{_NAME})")
_SOURCE_SHOWS = re.compile(
    rf"(?:^|\s)(?:the\s+|The\s+|an?\s+|An?\s+)?(?P<source>{_NAME})(?:’s|'s)?\s+(?P<noun>{_DATA_NOUN})"
    r"\s+(?:show|shows|showed|found|finds|suggest|suggests|suggested|indicate|indicates|"
    r"estimate|estimates|estimated|put|puts)\b")
# "A study published in The Lancet estimated that ...": a study is data, named or not.
_STUDY_FOUND = re.compile(
    rf"\b(?:[Aa]n?|[Tt]he)\s+(?:new\s+|recent\s+|latest\s+)?(?P<noun>{_DATA_NOUN})\b"
    rf"(?:[^.;]*?\b(?:by|in|from|of)\s+(?:the\s+)?(?P<source>{_NAME}))?"
    r"[^.;]*?\b(?:found|finds|estimated|estimates|shows?|showed|suggests?|suggested|"
    r"concluded|reported)\b")
# The subject right before a verb of saying: searched only in a short window before each verb.
_SUBJECT_BEFORE_VERB = re.compile(
    rf"(?:{_SUBJECT})\s+(?:\w+ly\s+)?(?:has\s+|had\s+|have\s+)?$")
# ", rescuers said.", ", the coroner's office said.", ", said Ana Ruiz, the trust's director."
_TRAILING = (
    re.compile(rf",\s*(?P<subject>[^,“”\"]{{1,80}}?)\s+{_VERB}(?:\s+(?:on|in)\s+[^,]*)?"
               r"\s*[.!?]?\s*$"),
    re.compile(rf",\s*{_VERB}\s+(?P<subject>[^,“”\"]{{1,80}}?)\s*(?:,[^,]*)?[.!?]?\s*$"),
)
_FULL_NAME = re.compile(
    r"(?:[A-Z][a-z]{1,3}\.\s+)?[A-ZÀ-Ý][\w’'\-]+(?:\s+(?:de\s+|del\s+|la\s+)?[A-ZÀ-Ý][\w’'\-]+){1,4}")
# Capitalised words (and Spanish particles) standing right before a surname.
_NAME_BEFORE = re.compile(
    r"(?:(?:[A-Z][a-z]{0,3}\.|[A-ZÀ-Ý][\w’'\-]*)\s+(?:(?:de|del|la)\s+)?){1,3}$")
_OPENING = "“\""
_WORD = re.compile(r"[a-z]+")
_LETTERS = re.compile(r"[A-Za-z]+")
_SPEECH_WORDS = frozenset(w for verb in _WORDS["speech"]["verbs"] for w in verb.split())
_QUOTE_MARKS = "“”\""


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


def furniture_paragraphs(text: str, paragraphs: list[Span]) -> set[int]:
    """Paragraphs of page furniture: "Recommended stories", "Read more" and the teaser
    headlines under it."""
    whole = set()
    teasers = False
    for index, (start, end) in enumerate(paragraphs):
        line = text[start:end]
        short = len(line) <= 80
        if short and _FURNITURE.search(line):
            whole.add(index)
            teasers = bool(_TEASERS_AFTER.search(line))
        elif teasers and short and not line.rstrip().endswith((".", "!", "?", "”", '"')):
            whole.add(index)  # a teaser headline of another story
        else:
            teasers = False
    return whole


def in_inline_furniture(text: str, start: int, end: int) -> bool:
    """Is text[start:end] inside furniture of a flattened line ("list of 3 items")?

    Searched around the figure only: scanning the whole text cost more than the rest of the
    attribution on a typical article."""
    window = max(0, start - 40)
    return any(m.start() <= start and end <= m.end()
               for m in _INLINE_FURNITURE.finditer(text, window, min(len(text), end + 40)))


_DOUBLE = re.compile(r"[“”\"]")
_SINGLE = re.compile(r"(?:^|(?<=[\s(\[—–-]))‘|’(?=[\s,.;:!?)\]—–-]|$)")


def quotes(text: str, paragraphs: list[Span]) -> list[Quote]:
    """Quotations in document order: curly or straight double quotes, closed or running on to
    the paragraph's end; curly single quotes (British style) in paragraphs with no double ones."""
    found: list[Quote] = []
    for index, (p_start, p_end) in enumerate(paragraphs):
        marks = list(_DOUBLE.finditer(text, p_start, p_end))
        single = not marks
        if single:
            marks = list(_SINGLE.finditer(text, p_start, p_end))
        open_at: int | None = None
        straight = False
        for match in marks:
            char, position = text[match.start():match.end()], match.start()
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
    """Assigns speaker, in_quote and stance to figure spans of one document."""

    def __init__(self, text: str, paragraphs: list[Span], sentences: list[Span],
                 publisher: str | None):
        self.text = text
        self.paragraphs = paragraphs
        self.sentences = sentences
        self.sentence_starts = [s for s, _ in sentences]
        self.publisher = publisher
        self.furniture = furniture_paragraphs(text, paragraphs)
        self.paragraph_starts = [s for s, _ in paragraphs]
        self._full_names: dict[str, str | None] = {}
        self.quotes = quotes(text, paragraphs)
        self.quote_starts = [q.start for q in self.quotes]
        self._sentence_speaker: dict[int, tuple[str, str, int] | None] = {}
        self._attribute_quotes()

    # -- names ---------------------------------------------------------------------------
    @functools.cached_property
    def people(self) -> list[tuple[int, str]]:
        """Every person named in full in the text, in order, without titles."""
        people = []
        for match in _FULL_NAME.finditer(self.text):
            words = match.group().split()
            while words and words[0].lower() in _NOT_NAMES:
                words = words[1:]  # "The CDC", "In Mexico City": capitalised by the sentence
            words = _without_titles(words)
            if 2 <= len(words) <= 4 and not any(w.lower() in _ORG_WORDS for w in words):
                people.append((match.start(), " ".join(words)))
        return people

    @functools.cached_property
    def people_starts(self) -> list[int]:
        return [offset for offset, _ in self.people]

    def full_name(self, surname: str) -> str | None:
        """The fullest name the text gives a surname ("Trump" -> "Donald Trump"), or None.

        Looks only just before each occurrence of the surname: far cheaper than finding every
        name in the text, which only a pronoun with no speaker before it needs."""
        if surname in self._full_names:
            return self._full_names[surname]
        best: str | None = None
        at = self.text.find(surname)
        while at >= 0:
            before = _NAME_BEFORE.search(self.text, max(0, at - 60), at)
            if before is not None and _ends_word(self.text, at + len(surname)):
                words = before.group().split()
                while words and words[0].lower() in _NOT_NAMES:
                    words = words[1:]
                words = _without_titles([*words, surname])
                name = " ".join(words)
                if (2 <= len(words) <= 4 and not any(w.lower() in _ORG_WORDS for w in words)
                        and len(name) > len(best or "")):
                    best = name
            at = self.text.find(surname, at + 1)
        self._full_names[surname] = best
        return best

    def person_before(self, offset: int) -> str | None:
        index = bisect.bisect_left(self.people_starts, offset) - 1
        return self.people[index][1] if index >= 0 else None

    def canonical(self, mention: str) -> str:
        """A speaker as the text names them most fully, without titles or a leading article
        ("President Trump" -> "Donald Trump", "the CDC" -> "CDC")."""
        words = mention.strip().rstrip(".,;:").split()
        if len(words) > 1 and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        if not words:
            return mention.strip()
        words[-1] = _strip_possessive(words[-1])
        bare = _without_titles(words)
        if any(w.lower() in _ORG_WORDS for w in bare):
            return " ".join(words)  # a body: "U.S. Customs and Border Protection" as written
        if len(bare) == 1:
            return self.full_name(bare[0]) or " ".join(words if len(words) > 2 else bare)
        return " ".join(bare)

    def _subject(self, subject: str, offset: int) -> tuple[str | None, str]:
        """A speaker from free text before or after a verb of saying: (speaker, how)."""
        subject = subject.strip(" ,")
        words = subject.split()
        if not words:
            return None, "none"
        if len(words) == 1 and words[0].lower() in _PRONOUNS:
            return None, "pron"
        names = list(re.finditer(_NAME, subject))
        if names:
            return self.canonical(names[-1].group()), "name"
        if len(words) > 6:
            return None, "none"
        return re.sub(r"^(?:the|a|an)\s+", "", subject, flags=re.IGNORECASE), "role"

    def _speaker_of(self, match: re.Match) -> tuple[str | None, str]:
        """(speaker or None for a pronoun, which group matched)."""
        if match.group("name"):
            name = match.group("name").rstrip(".,;:")
            first = name.split()[0].lower()
            if first in _PRONOUNS and len(name.split()) == 1:
                return None, "pron"
            if first in _NOT_NAMES and len(name.split()) == 1:
                return None, "none"
            return self.canonical(name), "name"
        if match.group("pron"):
            return None, "pron"
        role = match.group("role")
        return re.sub(r"^(?:[Tt]he|[Aa]n?)\s+", "", role), "role"

    def _pronoun(self, offset: int, last_named: str | None) -> str | None:
        """A pronoun is the last named speaker, or else the last person the text named."""
        return last_named or self.person_before(offset)

    # -- quotations ----------------------------------------------------------------------
    def _attribute_quotes(self) -> None:
        last_named: str | None = None
        previous: Quote | None = None
        for quote in self.quotes:
            p_start, p_end = self.paragraphs[quote.paragraph]
            speaker, how = self._after(quote, p_end)
            if how == "none":
                speaker, how = self._before(quote, p_start)
            if how == "pron":
                speaker = self._pronoun(quote.start, last_named)
            elif how == "name":
                last_named = speaker
            if how == "none" and previous is not None and self._continues(previous, quote):
                speaker = previous.speaker
            quote.speaker = speaker
            previous = quote

    def _next_quote_start(self, quote: Quote) -> int:
        index = bisect.bisect_right(self.quote_starts, quote.start)
        return self.quote_starts[index] if index < len(self.quotes) else len(self.text)

    def _after(self, quote: Quote, p_end: int) -> tuple[str | None, str]:
        window_end = min(p_end, quote.end + 160, self._next_quote_start(quote))
        window = self.text[quote.end:window_end]
        for pattern in (_AFTER_SUBJECT_VERB, _AFTER_VERB_SUBJECT):
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
        if words.isdisjoint(_SPEECH_WORDS) and "according" not in words:
            return None, "none"
        according = _ACCORDING.search(window)
        if according:
            return self.canonical(according.group("source")), "name"
        match = _BEFORE.search(window)
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
        paragraph = bisect.bisect_right(self.paragraph_starts, start) - 1
        if paragraph in self.furniture or in_inline_furniture(self.text, start, end):
            return Attribution(None, False, "furniture")
        quote = self.quote_at(start, end)
        if quote is not None:
            return Attribution(quote.speaker, True, "claim")
        sentence = bisect.bisect_right(self.sentence_starts, start) - 1
        source = self._sentence_source(sentence)
        if source is not None:
            speaker, stance, verb_end = source
            if stance == "data" or (kind not in ("date", "year", "time") and start >= verb_end):
                return Attribution(speaker, False, stance)
        return Attribution(self.publisher, False, "reported")

    def _sentence_source(self, index: int) -> tuple[str, str, int] | None:
        """(speaker, stance, where the attribution ends) for a sentence's own figures."""
        if index in self._sentence_speaker:
            return self._sentence_speaker[index]
        result = None
        if index >= 0:
            start, end = self.sentences[index]
            result = self._find_source(start, end)
        self._sentence_speaker[index] = result
        return result

    def _find_source(self, start: int, end: int) -> tuple[str, str, int] | None:
        sentence = _blank_quotes(self.text[start:end])
        # Cheap gates first: the patterns below are costly and most sentences have no source.
        words = set(_WORD.findall(sentence.lower()))
        sources = []
        if "according" in words:
            sources += [_ACCORDING_NAMED, _ACCORDING]
        if not words.isdisjoint(_DATA_NOUNS):
            sources += [_DATA_FROM, _SOURCE_SHOWS, _STUDY_FOUND]
        for pattern in sources:
            match = pattern.search(sentence)
            if match:
                named = match.group("source")
                source = self.canonical(named) if named else match.group("noun").lower()
                has_noun = bool(match.groupdict().get("noun"))
                stance = "data" if has_noun or self._is_body(source) else "claim"
                return source, stance, start
        if words.isdisjoint(_SPEECH_WORDS):
            return None
        last_comma = sentence.rfind(",")
        for comma in (last_comma, sentence.rfind(",", 0, max(last_comma, 0))):
            for pattern in _TRAILING if comma >= 0 else ():
                match = pattern.match(sentence, comma)
                if match:
                    speaker, how = self._subject(match.group("subject"), start)
                    if how == "pron":
                        speaker = self._resolve(start)
                    if speaker:
                        return speaker, "data" if self._is_body(speaker) else "claim", start
        for verb in _LETTERS.finditer(sentence):  # offsets of the sentence itself, not of .lower()
            if verb.group().lower() not in _SPEECH_WORDS:
                continue
            match = _SUBJECT_BEFORE_VERB.search(sentence, max(0, verb.start() - 100), verb.start())
            if match is None:
                continue
            speaker, how = self._speaker_of(match)
            if how == "pron":
                speaker = self._resolve(start)
            if speaker:
                stance = "data" if self._is_body(speaker) else "claim"
                return speaker, stance, start + verb.end()
        return None

    def _resolve(self, offset: int) -> str | None:
        """A pronoun outside quotations: the last quotation's speaker, or the last person."""
        index = bisect.bisect_right(self.quote_starts, offset) - 1
        while index >= 0:
            if self.quotes[index].speaker:
                return self.quotes[index].speaker
            index -= 1
        return self.person_before(offset)

    def _is_body(self, name: str) -> bool:
        bare = re.sub(r"\s*\(.*\)$", "", name).lower()
        return bare in _BODIES or bare.removeprefix("the ") in _BODIES


_NOT_NAMES = frozenset(
    """the a an this that it there but and when if as so then in on at for by from with after
    before since while during under over about according last next every each some many most
    all no our their his her its my your we they he she i you""".split())


def _without_titles(words: list[str]) -> list[str]:
    """Words of a name without leading titles and roles ("Health Secretary Wes Carter")."""
    words = [_strip_possessive(w) for w in words]
    while len(words) > 1 and words[0].rstrip(".").lower() in _TITLES:
        words = words[1:]
    return words


def _ends_word(text: str, offset: int) -> bool:
    return offset >= len(text) or not text[offset].isalnum()


def _strip_possessive(word: str) -> str:
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")


def _blank_quotes(sentence: str) -> str:
    """The sentence with quoted words blanked out (same length), so that attribution patterns
    read only the reporter's words."""
    return _QUOTED.sub(lambda m: m.group()[0] + " " * (len(m.group()) - 1), sentence)
