"""How dates are resolved: holiday rules, fiscal years, weekdays and weeks relative to publication
(dashboard/extract/dates.py), and the tense of a date's own clause (grammar/dates.py)."""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.extract import dates, extract_figures
from dashboard.extract.dates import Holiday
from dashboard.extract.grammar.words import english
from dashboard.extract.lang import lexicon
from dashboard.extract.tokens import tokenize

HOLIDAYS = lexicon("en")["holidays"]["holiday"]


def rule_of(name: str) -> Holiday:
    """The compiled rule of a holiday's name, as the grammar looks it up."""
    return english().holidays.table[tuple(tok.low for tok in tokenize(name))][0]


RULES = {entry["names"][0]: rule_of(entry["names"][0]) for entry in HOLIDAYS}
years = st.integers(min_value=1900, max_value=2100)
days = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31))


def row(text: str, surface: str, published: str | dt.date = "2025-11-18"):
    table = extract_figures(text, published=published)
    found = table[table.surface == surface]
    assert len(found) == 1, table[["surface", "quantity_kind", "date"]].to_string()
    return found.iloc[0]


# Holiday rules ----------------------------------------------------------------------------------

@pytest.mark.parametrize("entry", HOLIDAYS, ids=[entry["names"][0] for entry in HOLIDAYS])
@settings(max_examples=30, deadline=None)
@given(year=years)
def test_every_holiday_rule_is_a_real_day_in_its_month(entry, year):
    rule = rule_of(entry["names"][0])
    day = rule.on(year)
    assert day.year == year
    if rule.easter is not None:
        assert day == dates.easter(year) + dt.timedelta(days=rule.easter)
        return
    assert day.month == entry["month"]
    if "day" in entry:
        assert day.day == entry["day"]
        return
    assert day.weekday() == english().weekdays[entry["weekday"]]
    if entry.get("nth", 0) > 0:
        assert 7 * (entry["nth"] - 1) < day.day <= 7 * entry["nth"]
    elif entry.get("nth") == -1:
        assert day.day > calendar.monthrange(year, entry["month"])[1] - 7
    else:
        assert 0 <= day.day - entry["on_or_after"] < 7


@settings(max_examples=300, deadline=None)
@given(year=years)
def test_easter_is_a_sunday_between_march_22_and_april_25(year):
    easter = dates.easter(year)
    assert easter.weekday() == 6
    assert dt.date(year, 3, 22) <= easter <= dt.date(year, 4, 25)


@pytest.mark.parametrize(("year", "easter"), [
    (1900, "1900-04-15"), (1943, "1943-04-25"), (2000, "2000-04-23"), (2019, "2019-04-21"),
    (2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2100, "2100-03-28"),
])
def test_easter_matches_the_published_tables(year, easter):
    assert dates.easter(year).isoformat() == easter


@pytest.mark.parametrize(("name", "year", "expected"), [
    ("Thanksgiving", 2025, "2025-11-27"), ("Memorial Day", 2025, "2025-05-26"),
    ("Labor Day", 2025, "2025-09-01"), ("Election Day", 2024, "2024-11-05"),
    ("Election Day", 2022, "2022-11-08"), ("Good Friday", 2024, "2024-03-29"),
    ("Easter Monday", 2026, "2026-04-06"), ("spring bank holiday", 2025, "2025-05-26"),
    ("summer bank holiday", 2025, "2025-08-25"), ("early May bank holiday", 2025, "2025-05-05"),
    ("Juneteenth", 2025, "2025-06-19"), ("Remembrance Sunday", 2025, "2025-11-09"),
])
def test_holiday_rules_give_the_known_days(name, year, expected):
    assert rule_of(name).on(year).isoformat() == expected


@settings(max_examples=300, deadline=None)
@given(published=days, name=st.sampled_from(sorted(RULES)), future=st.booleans())
def test_a_holiday_without_a_year_is_the_nearest_one_on_the_side_its_tense_says(
        published, name, future):
    rule = RULES[name]
    found = dt.date.fromisoformat(dates.holiday(rule, published, future))
    around = [rule.on(year) for year in range(published.year - 1, published.year + 2)]
    if future:
        assert found == min(day for day in around if day >= published)
    else:
        assert found == max(day for day in around if day <= published)


@settings(max_examples=200, deadline=None)
@given(published=days, name=st.sampled_from(sorted(RULES)))
def test_last_and_next_skip_the_holiday_on_the_publication_day(published, name):
    rule = RULES[name]
    last = dt.date.fromisoformat(dates.holiday(rule, published, False, step=-1))
    following = dt.date.fromisoformat(dates.holiday(rule, published, False, step=1))
    assert last < published < following


@settings(max_examples=50, deadline=None)
@given(entry=st.sampled_from(HOLIDAYS), year=st.integers(min_value=1901, max_value=2099))
def test_a_holiday_with_its_year_is_read_from_text_as_that_day(entry, year):
    name = entry["names"][0]
    text = f"Trading was thin on {name} {year}, the exchange said."
    figure = row(text, f"{name} {year}")
    assert figure.quantity_kind == "date"
    assert figure.date == rule_of(name).on(year).isoformat()


def test_a_name_that_is_no_holiday_is_no_date():
    table = extract_figures("The Good Friday Agreement ended decades of violence.",
                            published="2025-11-18")
    assert table.empty


def test_holiday_names_need_a_capital_unless_the_rule_says_any_case():
    assert extract_figures("a prayer of thanksgiving", published="2025-11-18").empty
    assert row("Shops shut for the spring bank holiday.", "spring bank holiday",
               published="2025-06-10").date == "2025-05-26"


def test_this_puts_a_holiday_in_the_publication_year():
    assert row("This Christmas Eve the shelter opened.", "This Christmas Eve").date == "2025-12-24"


# Fiscal years -----------------------------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(year=st.integers(min_value=1001, max_value=2098),
       shape=st.sampled_from(["fiscal year {a}-{b2}", "FY {a}-{b2}", "FY{a}/{b2}",
                              "fiscal {a}–{b}", "the {a}-{b2} fiscal year"]))
def test_a_fiscal_year_span_ends_in_its_second_year(year, shape):
    surface = shape.format(a=year, b=year + 1, b2=f"{(year + 1) % 100:02d}").removeprefix("the ")
    figure = row(f"The council approved the budget for {surface}.", surface)
    assert (figure.quantity_kind, figure.date, figure.period) == ("date", f"{year + 1}", "P1Y")


@pytest.mark.parametrize(("first", "second", "end"), [
    (2024, 25, 2025), (2017, 2018, 2018), (1999, 0, 2000), (2024, None, 2024),
    (2017, 19, None), (2020, 2022, None), (2024, 24, None),
])
def test_fiscal_year_ends_only_for_consecutive_years(first, second, end):
    assert dates.fiscal_year(first, second) == end


@settings(max_examples=200, deadline=None)
@given(digits=st.integers(min_value=0, max_value=99), published=days)
def test_two_digit_years_are_the_nearest_to_publication(digits, published):
    year = dates.two_digit_year(digits, published)
    assert year % 100 == digits
    assert abs(year - published.year) <= 50


def test_fiscal_abbreviations_are_read_in_capitals_only():
    assert row("Revenue rose in FY25.", "FY25", published="2025-09-01").date == "2025"
    assert extract_figures("Revenue rose in fy2025.", published="2025-09-01").query(
        "quantity_kind == 'date'").empty


def test_a_fiscal_year_end_carries_the_fiscal_period_and_lies_ahead_while_under_way():
    ending = row("The forecast covers the fiscal year ending June 30.", "June 30",
                 published="2025-03-01")
    assert (ending.date, ending.period) == ("2025-06-30", "P1Y")
    ended = row("Sales rose 4 percent in the fiscal year ended June 30.", "June 30",
                published="2025-03-01")
    assert (ended.date, ended.period) == ("2024-06-30", "P1Y")
    stated = row("Results for the fiscal year ended September 30, 2024 are due.",
                 "September 30, 2024", published="2025-03-01")
    assert (stated.date, stated.period) == ("2024-09-30", "P1Y")


# Weekdays, weeks and days -----------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(published=days, day=st.integers(min_value=0, max_value=6))
def test_weekdays_fall_within_a_week_on_their_side(published, day):
    back = dt.date.fromisoformat(dates.weekday(day, published, False))
    ahead = dt.date.fromisoformat(dates.weekday(day, published, True))
    last = dt.date.fromisoformat(dates.weekday(day, published, False, step=-1))
    following = dt.date.fromisoformat(dates.weekday(day, published, False, step=1))
    assert back.weekday() == ahead.weekday() == last.weekday() == following.weekday() == day
    assert 0 <= (published - back).days < 7
    assert 0 <= (ahead - published).days < 7
    assert 1 <= (published - last).days <= 7
    assert 1 <= (following - published).days <= 7


@settings(max_examples=200, deadline=None)
@given(published=days, step=st.integers(min_value=-1, max_value=1))
def test_a_relative_week_is_the_monday_to_sunday_week(published, step):
    start, end = (dt.date.fromisoformat(part)
                  for part in dates.relative("week", step, published).split("/"))
    assert start.weekday() == 0 and (end - start).days == 6
    assert (start - (published - dt.timedelta(days=published.weekday()))).days == 7 * step


@pytest.mark.parametrize(("text", "surface", "expected"), [
    ("Today the mayor signed the order.", "Today", "2025-11-18"),
    ("The fire started last night near the docks.", "last night", "2025-11-17"),
    ("The minister resigned this morning.", "this morning", "2025-11-18"),
    ("Today’s vote is the last of the session.", "Today", "2025-11-18"),
])
def test_days_named_relative_to_publication(text, surface, expected):
    assert row(text, surface).date == expected


# The tense of the date's own clause -------------------------------------------------------------

@pytest.mark.parametrize(("text", "surface", "expected"), [
    # a past verb governs the date, a future elsewhere in the sentence does not
    ("Workers staged a protest on Wednesday and will return next summer.", "Wednesday",
     "2025-11-12"),
    ("The lender, which will report on April 19 for the quarter ended March 31, fell.",
     "March 31", "2025-03-31"),
    ("The lender, which will report on April 19 for the quarter ended March 31, fell.",
     "April 19", "2026-04-19"),
    # a fronted date takes the verb of the clause after its comma
    ("On Friday, the finance minister ruled out new taxes that will fall on fuel.", "Friday",
     "2025-11-14"),
    ("On Friday, the council will vote on the plan.", "Friday", "2025-11-21"),
    # a participle after "be" or an article has no tense: the auxiliary decides
    ("The figures will be published on Thursday.", "Thursday", "2025-11-20"),
    ("The board will hold a closed session on Thursday.", "Thursday", "2025-11-20"),
    ("A run-off is expected to be held on May 28.", "May 28", "2026-05-28"),
    # forecasts and timetables are ahead without "will"
    ("Highs are predicted to stay in the low 90s on Friday.", "Friday", "2025-11-21"),
    ("Temperatures could top out at 96 degrees on Thursday.", "Thursday", "2025-11-20"),
    ("The exhibition opens Saturday at the city museum.", "Saturday", "2025-11-22"),
    # the preposition before the date, when no verb says
    ("Counties have until July 1 to count the ballots.", "July 1", "2026-07-01"),
    ("It is the last report before the November election.", "November", "2025-11"),
    ("Prices have risen since March and will keep rising.", "March", "2025-03"),
    # a clause with neither: the sentence decides, as before
    ("The city council will vote on the proposal on Thursday.", "Thursday", "2025-11-20"),
    ("In August, the governor signed the order.", "August", "2025-08"),
])
def test_the_clause_of_a_date_decides_its_direction(text, surface, expected):
    assert row(text, surface).date == expected


@pytest.mark.parametrize("sentence", [
    "The minister said that on Friday the plant will open.",
    "Officials said the plant will open on Friday.",
])
def test_a_clause_after_that_has_its_own_tense(sentence):
    assert row(sentence, "Friday").date == "2025-11-21"


def test_many_dates_in_one_sentence_are_read_in_linear_time():
    """The verb of each date is looked for within a fixed reach: a run-on sentence of dates
    and verbs costs no more per date than a short one."""
    import time

    def seconds(count: int) -> float:
        text = "The board met on Monday and " + " and ".join(
            ["reported sales on Friday"] * count) + "."
        start = time.perf_counter()
        extract_figures(text, published="2025-11-18")
        return time.perf_counter() - start

    seconds(50)  # warm the caches
    small, large = min(seconds(200) for _ in range(3)), min(seconds(1600) for _ in range(3))
    assert large < 8 * small * 2.5


def test_possessive_names_are_dated_as_their_plain_forms():
    assert row("February’s figures were revised.", "February", "2025-03-14").date == "2025-02"
    assert row("It beat last year's total.", "last year", "2025-03-14").date == "2024"
    assert row("Sunday’s election went to a run-off.", "Sunday", "2023-05-15").date == (
        "2023-05-14")


def test_without_a_publication_date_only_dates_the_text_settles_are_given():
    table = extract_figures("Shops closed on Thanksgiving 2024, on Halloween and in fiscal 2024.")
    by_surface = dict(zip(table.surface, table.date, strict=True))
    assert by_surface["Thanksgiving 2024"] == "2024-11-28"
    assert by_surface["fiscal 2024"] == "2024"
    assert pd.isna(by_surface["Halloween"])


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_a_publication_date_outside_1900_to_2100_is_refused_before_any_date_is_resolved(
        published):
    # From 9999-12-31, "next year" would be the five-digit year 10000: no ISO date.
    with pytest.raises(ValueError, match=f"published date {published} is outside the years"):
        extract_figures("Next year 40 homes will be built.", published=published)
