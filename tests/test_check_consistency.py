"""The article against itself: each stated relation redone from its own figures."""

from __future__ import annotations

import pytest

from dashboard.checks import checks_table
from dashboard.extract import extract_figures


def consistency(text: str, published: str = "2025-06-01"):
    figures = extract_figures(text, published=published, document_id="doc")
    table = checks_table(figures, {"doc": text})
    return table[table["kind"] == "consistency"]


def one(rows, step: str):
    found = rows[rows["step"] == step]
    assert len(found) == 1, rows[["step", "finding"]].to_string()
    return found.iloc[0]


def test_a_stated_percent_change_against_its_two_figures():
    row = one(consistency("The county recorded 1,240 burglaries, down 12 percent from 1,410."),
              "percent change")
    assert row["result"] == pytest.approx((1240 - 1410) / 1410 * 100)
    assert row["verdict"] == "consistent"
    assert "1,410" in row["expression"] and "1,240" in row["expression"]


def test_a_wrong_sign_differs():
    row = one(consistency("The county recorded 1,240 burglaries, up 12 percent from 1,410."),
              "percent change")
    assert row["verdict"] == "differs"


def test_a_stated_difference_against_the_two_figures():
    row = one(consistency("Enrolment fell from 52,300 to 48,100, a drop of more than 4,000 "
                          "students."), "difference")
    assert row["result"] == 4_200
    assert row["verdict"] == "consistent"


def test_a_share_in_brackets_against_the_total():
    row = one(consistency("Of the 73,690 deaths, 48,442 (66 percent) involved opioids."),
              "share")
    assert row["result"] == pytest.approx(48_442 / 73_690 * 100)
    assert row["verdict"] == "consistent"
    wrong = one(consistency("Of the 73,690 deaths, 48,442 (76 percent) involved opioids."),
                "share")
    assert wrong["verdict"] == "differs"


def test_parts_against_a_stated_total():
    row = one(consistency("The storms killed 83 people, including 61 in the Caribbean and 22 in "
                          "the eastern Pacific."), "parts of a total")
    assert row["result"] == 83
    assert row["verdict"] == "matches"
    wrong = one(consistency("The storms killed 83 people, including 61 in the Caribbean and 12 "
                            "in the eastern Pacific."), "parts of a total")
    assert wrong["verdict"] == "differs"


def test_a_rate_times_a_count_against_a_stated_total():
    row = one(consistency("At 4 deaths per strike, the 21 strikes killed 84 people."),
              "rate times count")
    assert row["result"] == 84
    assert row["verdict"] == "matches"


def test_every_row_carries_its_working_and_provenance():
    rows = consistency("The county recorded 1,240 burglaries, down 12 percent from 1,410.")
    for row in rows.itertuples():
        assert row.expression and row.finding and row.tolerance
        assert row.document_id == "doc" and row.char_end > row.char_start
        assert "doc characters" in row.sources


def test_figures_without_a_relation_give_no_row():
    assert consistency("The county recorded 1,240 burglaries and 1,410 thefts.").empty
