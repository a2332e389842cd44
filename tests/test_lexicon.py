"""The language's words as data: the lexicon loads once, holds every table the grammar reads, and
is what the grammar reads (a lexicon with other words extracts other figures)."""

from __future__ import annotations

import ast
import copy
import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from dashboard import units
from dashboard.extract import grammar
from dashboard.extract.grammar import Parser
from dashboard.extract.grammar.words import Phrases, Words, words
from dashboard.extract.lang import Lexicon, UnknownLanguage, available, lexicon
from dashboard.extract.sentences import paragraphs, sentences
from dashboard.extract.tokens import tokenize

GRAMMAR_FILES = ("grammar", "numbers", "dates", "units")


def figures(text: str, lex: Lexicon | None = None, published=dt.date(2025, 11, 18)):
    spans = sentences(text, paragraphs(text))
    return Parser(text, tokenize(text, 0, len(text)), published, spans, lexicon=lex).figures()


def english_with(edit) -> Lexicon:
    """A copy of the English lexicon with `edit(tables)` applied: a language of its own."""
    tables = copy.deepcopy(lexicon("en").tables)
    edit(tables)
    return Lexicon("en-test", tables)


def test_a_language_loads_once():
    assert lexicon("en") is lexicon("en") is lexicon()
    assert words(lexicon("en")) is words(lexicon("en"))
    assert units.unit_words(lexicon("en")) is words(lexicon("en")).units


def test_every_file_of_english_parses_and_is_in_the_lexicon():
    folder = resources.files("dashboard.extract.lang").joinpath("en")
    names = {entry.name.removesuffix(".toml") for entry in folder.iterdir()
             if entry.name.endswith(".toml")}
    for name in names:
        assert tomllib.loads(folder.joinpath(f"{name}.toml").read_text("utf-8"))
    assert set(GRAMMAR_FILES) <= names
    assert names == set(lexicon("en").tables)
    assert "en" in available()


def test_every_table_the_grammar_reads_is_present_and_not_empty():
    compiled = Words(lexicon("en"))  # a KeyError here names the missing table
    tables = {name: value for name, value in vars(compiled).items()
              if isinstance(value, dict | frozenset | tuple | Phrases)}
    tables |= {f"units.{name}": value for name, value in vars(compiled.units).items()
               if isinstance(value, dict | frozenset | tuple)}
    assert len(tables) > 60
    empty = [name for name, value in tables.items()
             if not (value.table if isinstance(value, Phrases) else value)]
    assert empty == []


def test_an_unknown_language_says_which_languages_there_are():
    with pytest.raises(UnknownLanguage, match=r"no word lists for language 'xx'; available: .*en"):
        lexicon("xx")


def test_a_missing_file_is_named():
    broken = Lexicon("xx", {"grammar": {}})
    with pytest.raises(KeyError, match="language 'xx' has no units.toml"):
        Words(broken)


def test_the_parser_reads_english_unless_told_otherwise():
    text = "At least 21 people died."
    spans = sentences(text, paragraphs(text))
    parser = Parser(text, tokenize(text, 0, len(text)), None, spans)
    assert parser.w is words(lexicon("en"))


def test_a_hedge_added_to_the_lexicon_is_read():
    text = "Give or take 40 people died in the storm."
    assert [(f.qualifier, f.start) for f in figures(text)] == [("exact", 13)]

    def add_hedge(tables):
        tables["grammar"]["hedges"]["before"]["give or take"] = "about"

    [figure] = figures(text, english_with(add_hedge))
    assert (figure.qualifier, figure.start, figure.value, figure.unit) == ("about", 0, 40,
                                                                         "person")


def test_a_counted_noun_added_to_the_lexicon_gets_its_unit():
    text = "The factory made 40 wombats last week."
    assert figures(text)[0].unit == "dimensionless"

    def add_noun(tables):
        tables["units"]["countable"]["animal"].append("wombat")

    assert figures(text, english_with(add_noun))[0].unit == "animal"


def test_month_names_come_from_the_lexicon():
    text = "The law took effect on 3 Brumaire 2024."

    def add_month(tables):
        tables["dates"]["months"]["brumaire"] = 10

    assert [f.date for f in figures(text) if f.kind == "date"] == []
    assert [f.date for f in figures(text, english_with(add_month))] == ["2024-10-03"]


def test_number_words_come_from_the_lexicon():
    def french_numbers(tables):
        tables["numbers"]["cardinals"] = {"un": 1, "deux": 2, "trois": 3}

    assert [f.value for f in figures("Trois bateaux.", english_with(french_numbers))] == [3]
    assert figures("Trois bateaux.") == []


# The strings a rule may still spell out: the figures table's own vocabulary (kinds, qualifiers,
# units) and token kinds. A word of a language in a rule module fails this test: it belongs in
# lang/<code>/*.toml.
TABLE_VOCABULARY = {
    "count", "number", "ratio", "rate", "percent", "money", "measure", "duration", "date", "year",
    "time", "age", "ordinal", "fraction", "vague", "exact", "range", "at least", "more than",
    "up to", "fewer than", "nearly", "dimensionless", "person", "num", "word", "sym", "tens+",
}


def test_grammar_rules_spell_no_words_of_a_language():
    folder = Path(grammar.__file__).parent
    found = {}
    for path in sorted(folder.glob("*.py")):
        if path.name == "words.py":  # the compiler of the word tables, which names their keys
            continue
        tree = ast.parse(path.read_text("utf-8"))
        # Docstrings, `__all__` and f-string formats ("04d") are no words read from a text.
        skipped = {id(node.body[0].value) for node in ast.walk(tree)
                   if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                   and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
                skipped |= {id(part) for part in ast.walk(node.format_spec)}
            if isinstance(node, ast.Assign) and any(
                    isinstance(target, ast.Name) and target.id == "__all__"
                    for target in node.targets):
                skipped |= {id(part) for part in ast.walk(node.value)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in skipped and any(c.isalpha() for c in node.value)
                    and node.value not in TABLE_VOCABULARY):
                found.setdefault(path.name, []).append(node.value)
    assert found == {}
