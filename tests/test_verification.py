"""The verification corpus: real articles, each figure labelled with the verdict a fact-checker
gives it against the catalog (tests/verification/articles.toml; the labelling rules are in
tests/verification/README.md). A case the engine gets wrong is a strict xfail with its reason.

`python tests/test_verification.py` prints the verdict accuracy per series and in all, as the
README reports it.
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "verification" / "articles.toml"
sys.path.insert(0, str(HERE.parent))

from dashboard.checks import checks_table  # noqa: E402
from dashboard.checks.catalog import load_catalog  # noqa: E402
from dashboard.extract import extract_figures  # noqa: E402


def articles() -> list[dict]:
    return tomllib.loads(CORPUS.read_text(encoding="utf-8"))["article"]


def cases() -> list[tuple[dict, dict]]:
    return [(article, case) for article in articles() for case in article["case"]]


@cache
def checked(article_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    article = next(a for a in articles() if a["id"] == article_id)
    figures = extract_figures(article["text"], published=article["published"],
                              document_id=article["id"], publisher=article["publisher"])
    return figures, checks_table(figures, {article["id"]: article["text"]})


def outcome(article: dict, case: dict) -> dict:
    """What the engine says of the case's figure: verdict, series, period, reference value."""
    figures, table = checked(article["id"])
    text = article["text"]
    at = -1
    for _ in range(case.get("occurrence", 1)):
        at = text.find(case["surface"], at + 1)
    assert at >= 0, f"{case['surface']!r} is not in the text of {article['id']}"
    end = at + len(case["surface"])
    hit = figures[(figures["char_start"] < end) & (figures["char_end"] > at)]
    if hit.empty:
        return {"verdict": "not extracted"}
    ids = set(hit["figure_id"])
    rows = table[(table["kind"] == "verification") & table["claim_figure_id"].isin(ids)
                 & table["check_id"].str.startswith("verify:")]
    if rows.empty:
        return {"verdict": "unverifiable", "row": False}
    row = rows.iloc[0]
    return {"verdict": row["verdict"], "series": row["series"], "row": True,
            "period": None if pd.isna(row["reference_period"]) else row["reference_period"],
            "reference_value": None if pd.isna(row["reference_value"])
            else float(row["reference_value"])}


def agrees(case: dict, got: dict) -> bool:
    if got["verdict"] != case["expected_verdict"]:
        return False
    if case["expected_verdict"] == "unverifiable":
        return True
    if got.get("series") != case["series"] or got.get("period") != str(case["period"]):
        return False
    expected = case.get("reference_value")
    if expected is None or case.get("agreeing_estimate"):
        return True  # the label gives the primary estimate; the verdict names the one agreeing
    return got["reference_value"] == pytest.approx(float(expected), rel=1e-9, abs=1e-9)


def _param(article: dict, case: dict):
    marks = []
    if case.get("xfail"):
        marks.append(pytest.mark.xfail(reason=case["xfail"], strict=True))
    return pytest.param(article, case, id=f"{article['id']}:{case['surface']}", marks=marks)


@pytest.mark.parametrize(("article", "case"), [_param(a, c) for a, c in cases()])
def test_verdict(article, case):
    got = outcome(article, case)
    assert agrees(case, got), (f"expected {case['expected_verdict']} ({case.get('series')}, "
                               f"{case.get('period')}, {case.get('reference_value')}), got {got}"
                               f"; labeller: {case.get('why', '')}")


def test_the_corpus_is_real_and_broad():
    found = articles()
    assert len(found) >= 15
    assert all(a["url"].startswith("http") and a["published"] for a in found)
    assert len({a["publisher"] for a in found}) >= 8
    series = load_catalog().by_id
    datasets = Counter(series[c["series"]].dataset for _, c in cases())
    assert sum(datasets.values()) >= 40
    assert len(datasets) >= 3


def report() -> None:
    by_series: dict[str, Counter] = {}
    verdicts: Counter = Counter()
    for article, case in cases():
        right = agrees(case, outcome(article, case))
        by_series.setdefault(case["series"], Counter())[right] += 1
        verdicts[(case["expected_verdict"], right)] += 1
    total = Counter()
    print("| series | cases | verdict right | accuracy |\n| --- | --- | --- | --- |")
    for series, counts in sorted(by_series.items()):
        total.update(counts)
        n = counts[True] + counts[False]
        print(f"| {series} | {n} | {counts[True]} | {counts[True] / n:.0%} |")
    n = total[True] + total[False]
    print(f"| all | {n} | {total[True]} | {total[True] / n:.0%} |")
    print("\n| expected verdict | cases | right |\n| --- | --- | --- |")
    for verdict in ("matches", "consistent", "differs", "transposition", "unverifiable"):
        right, wrong = verdicts[(verdict, True)], verdicts[(verdict, False)]
        if right + wrong:
            print(f"| {verdict} | {right + wrong} | {right} |")


if __name__ == "__main__":
    report()
