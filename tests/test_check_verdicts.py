"""Verdicts: what the written precision and the hedge of a figure allow, one rule at a time."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.checks.verdicts import (
    Stated,
    allowed,
    judge,
    rounded,
    transposed,
    written_precision,
)


@pytest.mark.parametrize(("surface", "value", "precision"), [
    ("87,000", 87_000, 1_000), ("about 87,000", 87_000, 1_000), ("73,690", 73_690, 10),
    ("100,049", 100_049, 1), ("9.1%", 9.1, 0.1), ("3.6 percent", 3.6, 0.1),
    ("1.4 billion", 1.4e9, 1e8), ("8 billion", 8e9, 1e9), ("4%", 4, 1), ("1.40", 1.4, 0.1),
    ("two million", 2e6, 1e6),
])
def test_written_precision_is_the_last_significant_digit(surface, value, precision):
    assert written_precision(surface, value) == pytest.approx(precision)


def test_a_value_equal_to_the_source_matches():
    verdict = judge(Stated(73_690, "exact", "73,690"), {"reported": 73_690, "predicted": 76_516},
                    "reported")
    assert verdict.verdict == "matches" and verdict.estimate == "reported"


def test_a_bound_equal_to_another_estimate_matches_it_and_says_which():
    verdict = judge(Stated(76_516, "up to", "up to 76,516", high=76_516),
                    {"reported": 73_690, "predicted": 76_516}, "reported")
    assert verdict.verdict == "matches" and verdict.estimate == "predicted"
    assert "predicted estimate, not the reported one" in verdict.note


@pytest.mark.parametrize(("stated", "reference", "verdict"), [
    (Stated(87_000, "about", "about 87,000"), 87_652, "consistent"),
    (Stated(87_000, "about", "about 87,000"), 88_100, "differs"),
    (Stated(73_700, "exact", "73,700"), 73_690, "consistent"),
    (Stated(73_000, "exact", "73,000"), 73_690, "differs"),
    (Stated(27_000, "more than", "more than 27,000", low=27_000), 37_776, "consistent"),
    (Stated(27_000, "more than", "more than 27,000", low=27_000), 27_000, "matches"),
    (Stated(27_000, "more than", "more than 27,000", low=27_000), 26_000, "differs"),
    (Stated(80_000, "fewer than", "fewer than 80,000", high=80_000), 79_999, "consistent"),
    (Stated(1.4e9, "exact", "1.4 billion"), 1_438_069_596, "consistent"),
    (Stated(-26.3, "exact", "26.3 percent"), -26.346, "consistent"),
    (Stated(26.3, "exact", "26.3 percent"), -26.346, "differs"),
    (Stated(73_960, "exact", "73,960"), 73_690, "transposition"),
    (Stated(73_960, "about", "about 73,960"), 73_690, "differs"),
])
def test_verdicts(stated, reference, verdict):
    assert judge(stated, {"reported": reference}, "reported").verdict == verdict


def test_a_difference_is_signed_in_the_note():
    verdict = judge(Stated(75_000, "about", "About 75,000"), {"reported": 73_690}, "reported")
    assert verdict.verdict == "differs"
    assert "+1,310" in verdict.note and "+1.8%" in verdict.note


def test_the_tolerance_says_what_the_wording_allows():
    low, high, words = allowed(Stated(87_000, "about", "about 87,000"))
    assert (low, high) == (86_000, 88_000)
    assert "about" in words and "1,000" in words


@pytest.mark.parametrize(("value", "precision", "expected"), [
    (9.0632, 0.1, 9.1), (6_761_000.4, 1000, 6_761_000), (73_690, 1, 73_690), (3.25, None, 3.25),
])
def test_reference_values_are_rounded_as_published(value, precision, expected):
    assert rounded(value, precision) == pytest.approx(expected)


@pytest.mark.parametrize(("stated", "source", "swap"), [
    (73_960, 73_690, (2, 3)), (12_345, 52_341, (0, 4)), (100, 100, None), (73_961, 73_690, None),
    (1_234, 12_340, None), (9.1, 1.9, None),
])
def test_digit_transpositions(stated, source, swap):
    assert transposed(float(stated), float(source)) == swap


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
       st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
       st.sampled_from(["exact", "about", "nearly", "at least", "more than", "up to",
                        "fewer than"]))
def test_any_pair_gets_one_verdict_of_the_vocabulary(value, reference, qualifier):
    verdict = judge(Stated(value, qualifier, f"{value:,.2f}", low=value, high=value),
                    {"reported": reference}, "reported")
    assert verdict.verdict in ("matches", "consistent", "differs", "transposition")
    if value == reference:
        assert verdict.verdict == "matches"
