"""Periods: what a sentence says a figure is measured over, in a series' terms."""

from __future__ import annotations

import pytest

from dashboard.checks.context import sentences
from dashboard.checks.periods import add_months, months_between
from dashboard.extract import extract_figures


def periods_of(text: str, published: str = "2025-10-14") -> dict[str, tuple[str, str] | None]:
    """surface -> (structure, key) of the period each figure of a quantity is measured over."""
    figures = extract_figures(text, published=published, document_id="doc")
    result = {}
    for sentence in sentences(figures, {"doc": text}):
        for figure in sentence.values():
            period = sentence.period(figure)
            result[figure.surface] = (period.structure, period.key) if period else None
    return result


@pytest.mark.parametrize(("text", "surface", "expected"), [
    ("In the 12 months ending in April 2025, the United States recorded 73,690 overdose deaths.",
     "73,690", ("12 months ending", "2025-04")),
    ("Overdose deaths totalled 73,690 from May 2024 to April 2025.",
     "73,690", ("12 months ending", "2025-04")),
    ("There were about 87,000 drug overdose deaths from October 2023 to September 2024.",
     "about 87,000", ("12 months ending", "2024-09")),
    ("Consumer prices rose 9.1% in the year through June 2022.", "9.1%",
     ("12 months ending", "2022-06")),
    ("The unemployment rate averaged 3.6 percent in 2023.", "3.6 percent",
     ("calendar year", "2023")),
    ("The city recorded 412 homicides last year.", "412", ("calendar year", "2024")),
    ("Inflation was 3.2% in October.", "3.2%", ("month", "2025-10")),
    ("Deaths were 73,690, down 26.3 percent from 100,049 in the 12 months ending April 2024.",
     "100,049", ("12 months ending", "2024-04")),
])
def test_a_figure_takes_the_period_its_sentence_names(text, surface, expected):
    assert periods_of(text)[surface] == expected


def test_the_prior_year_is_the_period_before_the_one_just_named():
    found = periods_of("In the 12 months ending in April 2025, the United States recorded "
                       "73,690 overdose deaths, down 26.3 percent from 100,049 in the prior year.")
    assert found["73,690"] == ("12 months ending", "2025-04")
    assert found["100,049"] == ("12 months ending", "2024-04")


def test_a_year_earlier_after_a_calendar_year():
    found = periods_of("The jobless rate was 3.6 percent in 2023, up from 3.5 percent a year "
                       "earlier.")
    assert found["3.6 percent"] == ("calendar year", "2023")
    assert found["3.5 percent"] == ("calendar year", "2022")


def test_a_period_right_after_another_figure_is_that_figures_own():
    found = periods_of("Deaths fell from 111,466 in the 12 months ending June 2023 to 73,690.")
    assert found["111,466"] == ("12 months ending", "2023-06")
    assert found["73,690"] is None


def test_a_leading_clause_shares_its_period():
    found = periods_of("Of the 73,690 deaths reported through April 2025, 48,442 were "
                       "attributed to synthetic opioids.")
    assert found["48,442"] == ("month", "2025-04")


def test_a_fiscal_year_is_not_a_calendar_year():
    assert periods_of("The city spent $4.2 million in fiscal 2024.")["$4.2 million"] is None


def test_month_arithmetic():
    assert add_months("2025-04", -12) == "2024-04"
    assert add_months("2025-01", -1) == "2024-12"
    assert months_between("2024-05", "2025-04") == 12
