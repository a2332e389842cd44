"""Properties of the extractor that hold for any text: hypothesis writes the articles."""

import datetime as dt
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dashboard.extract import extract_figures
from dashboard.extract.sentences import paragraphs, sentences
from dashboard.schema import FIGURE_COLUMN_NAMES, ISO_DATE, validate_figures
from dashboard.units import ureg

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The pieces a news article is made of, mixed so that figures meet every kind of neighbour.
NUMERALS = st.one_of(
    st.integers(0, 10**9).map(str),
    st.integers(1_000, 10**12).map(lambda n: f"{n:,}"),
    st.decimals(0, 10_000, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["1.5", "0.5", ".5", "3,5", "1,00", "12,345,678.9", "2025", "1999", "00"]),
)
WORDS = st.sampled_from(
    """one two three twelve twenty-one twenty hundred thousand million billion trillion half
    a dozen first second third tenth percent per cent people lives boats vessels strikes attacks
    deaths months years weeks days km miles dollars euros times the of in on at to and or than
    between from a an killed died saves every were carried out rose fell by year last next this
    will later ago since until during week day bn m k mn""".split()
)
MONTHS = st.sampled_from(
    """January February March April May June July August September October November December
    Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. Jan Sept""".split()
)
WEEKDAYS = st.sampled_from("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
HEDGES = st.sampled_from(
    """at least|At least|nearly|Nearly|more than|up to|about|around|fewer than|almost|some
    |or more|or so|between|from|to|and""".replace("\n    ", "").split("|")
)
SYMBOLS = st.sampled_from(list("$€£¥₹%+~-–—/.,:;!?()[]") + ["US$", "per", "a.m.", "p.m."])
QUOTES = st.sampled_from(['"', "“", "”", "‘", "’", "'", "«", "»"])
SPACES = st.sampled_from([" "] * 3 + ["  ", "\n", "\n\n", "\n \n", "\t", "\u00a0", ""])
NAMES = st.sampled_from(
    """Trump said|Sheinbaum said|said Mr. Smith|Dr. Jones said|the U.S. said|Officials said
    |according to the CDC|she told reporters|J. Smith said""".replace("\n    ", "").split("|")
)
URLS = st.sampled_from(
    """https://example.org/2025/11/18/story-25000 www.example.com/a1b2 @user123 #tag2025
    name@example.org""".split()
)
# Each kind of piece, numerals and words twice as often as the rest.
NEWS_PIECE = st.one_of(
    *(NUMERALS, NUMERALS, WORDS, WORDS, MONTHS, WEEKDAYS, HEDGES, SYMBOLS, QUOTES, NAMES, URLS),
    st.tuples(NUMERALS, st.sampled_from(["-", "–", " - ", " to "]), NUMERALS).map("".join),
    st.tuples(MONTHS, st.just(" "), st.integers(1, 31).map(str)).map("".join),
    st.tuples(
        st.sampled_from(["$", "€", "£"]),
        NUMERALS,
        st.sampled_from(["", "bn", "m", "k"]),
    ).map("".join),
    st.tuples(NUMERALS, st.sampled_from(["%", " percent", "-year-old", "th", "st"])).map("".join),
)
NEWS_TEXT = st.lists(st.tuples(NEWS_PIECE, SPACES), max_size=40).map(
    lambda pairs: "".join(piece + space for piece, space in pairs)
)
PUBLISHED = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))


def crosses_a_paragraph(text: str, start: int, end: int) -> bool:
    """Does the span reach over a paragraph break (as "over\\n21" once did)?"""
    return not any(p_start <= start and end <= p_end for p_start, p_end in paragraphs(text))


extract = extract_figures


def assert_figures_keep_the_contract(text: str, table: pd.DataFrame) -> None:
    """Every property a figures table of `text` has, whatever the text."""
    assert tuple(table.columns) == FIGURE_COLUMN_NAMES
    validate_figures(table)
    assert table["figure_id"].is_unique
    previous_end = 0
    for row in table.sort_values("char_start").itertuples(index=False):
        start, end = int(row.char_start), int(row.char_end)
        assert 0 <= start < end <= len(text), (start, end)
        assert start >= previous_end, f"{start}:{end} overlaps a span ending at {previous_end}"
        previous_end = end
        assert text[start:end] == row.surface
        assert not crosses_a_paragraph(text, start, end), row.surface
        assert row.surface in row.sentence, (row.surface, row.sentence)
        if not pd.isna(row.unit) and row.unit != "":
            ureg.parse_units(row.unit)
        if not (pd.isna(row.value_low) or pd.isna(row.value_high)):
            assert row.value_low <= row.value_high
        if not pd.isna(row.date):
            assert ISO_DATE.fullmatch(row.date), row.date


def assert_spans_are_clean(text: str, spans: list[tuple[int, int]]) -> None:
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text), (previous_end, start, end)
        assert not text[start].isspace() and not text[end - 1].isspace(), text[start:end]
        previous_end = end


@PROPERTY
@given(text=st.text())
def test_any_unicode_text_gives_a_table_that_keeps_the_contract(text):
    assert_figures_keep_the_contract(text, extract(text, published="2025-11-18"))


@PROPERTY
@given(text=NEWS_TEXT, published=PUBLISHED)
@example(text="Look, every boat we knock out saves 25,000 American lives.\n", published=None)
@example(text="At least 21 deadly missile attacks, killing 83 people.", published=None)
def test_news_like_text_gives_a_table_that_keeps_the_contract(text, published):
    table = extract(text, published=published, document_id="doc", publisher="Desk")
    assert_figures_keep_the_contract(text, table)
    assert (table["document_id"] == "doc").all()
    assert (table["figure_id"] == "doc:" + table["char_start"].astype(str)).all()


@PROPERTY
@given(text=NEWS_TEXT, published=st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))
def test_dates_resolve_to_iso_against_any_publication_date(text, published):
    table = extract(text, published=published.isoformat(), document_id="doc")
    assert (table["published"] == published.isoformat()).all()
    for date in table["date"].dropna():
        assert ISO_DATE.fullmatch(date), date
        # A date resolved against publication keeps a four-digit year that is a real calendar date.
        for part in date.split("/"):
            pieces = [int(p) for p in part.split("-")]
            if len(pieces) == 3:
                dt.date(*pieces)
            elif len(pieces) == 2:
                assert 1 <= pieces[1] <= 12, date


@PROPERTY
@given(text=st.one_of(st.text(), NEWS_TEXT))
def test_paragraphs_and_sentences_are_ordered_clean_spans_inside_the_text(text):
    paragraph_spans = paragraphs(text)
    assert_spans_are_clean(text, paragraph_spans)
    sentence_spans = sentences(text, paragraph_spans)
    assert_spans_are_clean(text, sentence_spans)
    assert sentences(text) == sentence_spans
    # No sentence crosses a paragraph, and every non-space character is in some sentence.
    for start, end in sentence_spans:
        assert any(p_start <= start and end <= p_end for p_start, p_end in paragraph_spans)
    covered = set()
    for start, end in sentence_spans:
        covered.update(range(start, end))
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


def test_a_known_figure_survives_the_property_harness():
    # The harness itself must see figures: the seed's claim goes through the same checks.
    text = "“Look, every boat we knock out saves 25,000 American lives,” Trump said."
    table = extract_figures(text, published="2025-11-18", document_id="seed")
    assert_figures_keep_the_contract(text, table)
    row = table.set_index("surface").loc["25,000"]
    assert row["value"] == 25000
    assert row["unit"] == "person / vessel"
    assert re.fullmatch(r"seed:\d+", row["figure_id"])


# Regressions: minimal examples the properties above once found.


@pytest.mark.parametrize(
    "text, number",
    [
        ("at least\n0 ", "0"),
        ("~\n607.17", "607.17"),
        ("1999\n\n+", "1999"),
        ("5\nJul.", "5"),
        ("It is over\n21 people were killed.", "21"),
    ],
)
def test_a_figure_never_reaches_across_a_paragraph_break(text, number):
    table = extract_figures(text, published="2025-11-18")
    assert table["surface"].tolist()[0] == number
    for row in table.itertuples(index=False):
        assert not crosses_a_paragraph(text, row.char_start, row.char_end), row.surface
        assert row.surface in row.sentence


def test_over_at_the_end_of_a_line_is_no_hedge_of_the_next_paragraph():
    row = extract_figures("It is over\n21 people were killed.").iloc[0]
    assert (row["surface"], row["qualifier"], row["value_low"], row["value_high"]) == (
        "21",
        "exact",
        21,
        21,
    )


@pytest.mark.parametrize("text", ["2025-10000 ", "Revenue 2025–26,000 up", "1999 to 339,063"])
def test_a_year_followed_by_a_large_number_never_breaks_the_table(text):
    table = extract_figures(text, published="2025-11-18")
    assert_figures_keep_the_contract(text, table)
    assert table["date"].dropna().str.fullmatch(r"\d{4}(?:/\d{4})?").all()
