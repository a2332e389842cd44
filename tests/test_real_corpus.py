"""The corpus of real published articles in tests/corpus_real/ held against the extractor.

tests/corpus is the extractor's specification in invented sentences, one construct at a time;
tests/corpus_real is the same contract measured on what newsrooms actually print, topic by topic.
Each `tests/corpus_real/<topic>.toml` lists `[[article]]` tables (URL, publication date, publisher,
title, topic) and `[[case]]` tables: a verbatim excerpt of one article with the figures a
fact-checker needs, labelled to the figures-table contract. Labels say what is true, not what the
extractor gives today; what it gets wrong today is listed in `tests/corpus_real/xfails.toml`
(`"<case id>|<surface>" = "reason"`), each entry a strict xfail, so the list closes as the
extractor improves.

Figures are found and compared exactly as in tests/test_corpus.py (its helpers are reused): a
figure is found by its surface, then only the labelled fields are compared, units through the
project's pint registry.

Articles with `held_out = true` (tests/corpus_real/heldout.toml) were labelled blind, after the
extractor's rules were written and before it was run on them: their accuracy is printed in a table
of its own, apart from the articles labelled while the rules were written, and is the better guess
of how the extractor reads articles nobody on the team has seen.

    python tests/test_real_corpus.py                  per-field accuracy, overall and per topic
    python tests/test_real_corpus.py --update-xfails  rewrite xfails.toml from what fails now
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # run as a script, tests/ holds test_corpus

from test_corpus import (  # noqa: E402  (the path above comes first)
    ISO_DAY,
    _compare,
    _extract,
    _is_empty,
    _lint_figure,
    _mismatches,
    _show_row,
    expected_surfaces,
)

FOLDER = Path(__file__).parent / "corpus_real"
XFAILS = FOLDER / "xfails.toml"
TOPICS = (
    "economy", "budgets", "health", "weather", "sports",
    "business", "disasters", "crime", "elections", "science",
)
MIN_ARTICLES, MIN_TOPICS = 30, 10
ARTICLE_KEYS = frozenset(
    {"id", "url", "published", "publisher", "title", "topic", "note", "held_out"}
)
CASE_KEYS = frozenset({"id", "article", "text", "absent", "figure", "note"})
# The fields the accuracy table reports; "value" covers value, value_low and value_high.
REPORTED_FIELDS = {
    "value": ("value", "value_low", "value_high"),
    "kind": ("quantity_kind",),
    "unit": ("unit",),
    "qualifier": ("qualifier",),
    "quote": ("in_quote",),
    "speaker": ("speaker",),
    "date": ("date",),
}


def load_folder(folder: Path = FOLDER) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every article and every case of `folder/*.toml` (xfails.toml aside), each with `_file`."""
    articles, cases = [], []
    for path in sorted(folder.glob("*.toml")):
        if path == folder / XFAILS.name:
            continue
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        articles.extend({**article, "_file": path.name} for article in data.get("article", []))
        cases.extend({**case, "_file": path.name} for case in data.get("case", []))
    return articles, cases


def load_xfails(path: Path = XFAILS) -> dict[str, str]:
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return {str(key): str(reason) for key, reason in tomllib.load(handle).items()}


ARTICLES, CASES = load_folder()
ARTICLE_BY_ID = {article.get("id"): article for article in ARTICLES}


def as_corpus_case(case: Mapping[str, Any]) -> dict[str, Any]:
    """The case in tests/test_corpus.py's shape: published and publisher from its article."""
    article = ARTICLE_BY_ID.get(case.get("article"), {})
    return {**case, "published": article.get("published"), "publisher": article.get("publisher")}


def topic_of(case: Mapping[str, Any]) -> str:
    return ARTICLE_BY_ID.get(case.get("article"), {}).get("topic", "?")


def is_held_out(case: Mapping[str, Any]) -> bool:
    """The case's article was labelled blind, after the rules were written (`held_out = true`)."""
    return ARTICLE_BY_ID.get(case.get("article"), {}).get("held_out") is True


def figure_key(case: Mapping[str, Any], figure: Mapping[str, Any]) -> str:
    """`<case id>|<surface>`: the pytest id and the key of xfails.toml (first surface of a list)."""
    return f"{case['id']}|{expected_surfaces(figure)[0]}"


def absent_key(case: Mapping[str, Any], surface: str) -> str:
    return f"{case['id']}|absent:{surface}"


@cache
def rows_of(case_id: str) -> list[dict[str, Any]]:
    """The extractor's rows for one case, extracted once per run."""
    case = next(c for c in CASES if c["id"] == case_id)
    return _extract(as_corpus_case(case))


def best_row(
    case: Mapping[str, Any], figure: Mapping[str, Any]
) -> tuple[dict[str, Any] | None, list[str]]:
    """The row with the figure's surface that disagrees least with the label, and how it does."""
    wanted = expected_surfaces(figure)
    candidates = [row for row in rows_of(case["id"]) if row.get("surface") in wanted]
    if not candidates:
        return None, []
    judged = [(row, _mismatches(case["text"], figure, row)) for row in candidates]
    return min(judged, key=lambda pair: len(pair[1]))


# --- the folder is well formed --------------------------------------------------------------------


def test_ids_are_unique_and_cases_name_their_article():
    problems = []
    for kind, items in (("article", ARTICLES), ("case", CASES)):
        counts = Counter(item.get("id") for item in items)
        problems += [f"{kind} id used {n} times: {i}" for i, n in counts.items() if n > 1]
    problems += [
        f"case {case.get('id')} ({case['_file']}): no article {case.get('article')!r}"
        for case in CASES
        if case.get("article") not in ARTICLE_BY_ID
    ]
    keys = Counter(figure_key(c, f) for c in CASES for f in c.get("figure", []) if "surface" in f)
    problems += [f"two figures of one case share a surface: {k}" for k, n in keys.items() if n > 1]
    assert not problems, "\n".join(problems)


def test_articles_are_well_formed():
    problems = [
        f"article {a.get('id')} ({a['_file']}): {p}" for a in ARTICLES for p in _lint_article(a)
    ]
    assert not problems, "malformed articles:\n" + "\n".join(problems)


def _lint_article(article: Mapping[str, Any]) -> Iterator[str]:
    unknown = set(article) - ARTICLE_KEYS - {"_file"}
    if unknown:
        yield f"unknown keys {sorted(unknown)}"
    if not re.match(r"https?://\S+$", str(article.get("url", ""))):
        yield f"url {article.get('url')!r} is not an http(s) address"
    if not ISO_DAY.fullmatch(str(article.get("published", ""))):
        yield f"published {article.get('published')!r} is not a quoted ISO date (YYYY-MM-DD)"
    for field in ("publisher", "title"):
        if not isinstance(article.get(field), str) or not article[field].strip():
            yield f"needs a non-empty {field}"
    if article.get("topic") not in TOPICS:
        yield f"topic {article.get('topic')!r} is not one of {TOPICS}"
    if "held_out" in article and not isinstance(article["held_out"], bool):
        yield f"held_out {article['held_out']!r} is not a boolean (true or false)"


def test_cases_are_well_formed():
    problems = [f"case {c.get('id')} ({c['_file']}): {p}" for c in CASES for p in _lint_case(c)]
    assert not problems, "malformed cases:\n" + "\n".join(problems)


def _lint_case(case: Mapping[str, Any]) -> Iterator[str]:
    unknown = set(case) - CASE_KEYS - {"_file"}
    if unknown:
        yield f"unknown keys {sorted(unknown)}"
    text = case.get("text")
    if not isinstance(case.get("id"), str) or not isinstance(text, str) or not text.strip():
        yield "a case needs a string `id` and a non-empty string `text`"
        return
    if not case.get("figure") and not case.get("absent"):
        yield "neither a figure nor an absent surface"
    publisher = ARTICLE_BY_ID.get(case.get("article"), {}).get("publisher", "")
    wanted = set()
    for figure in case.get("figure", []):
        yield from _lint_figure(figure, text, publisher)
        wanted.update(expected_surfaces(figure) if "surface" in figure else [])
    for surface in case.get("absent", []):
        if surface not in text:
            yield f"absent surface {surface!r} does not occur in the text"
        if surface in wanted:
            yield f"{surface!r} is both expected and absent"


def test_every_xfail_names_a_labelled_figure():
    known = {key for key, _, _, _ in _params()}
    stale = sorted(set(load_xfails()) - known)
    assert not stale, (
        f"xfails.toml names figures that no case labels (run `python {Path(__file__).name} "
        f"--update-xfails`): {stale}"
    )


def test_folder_covers_ten_topics_with_enough_articles():
    """The folder is filled by several hands, one file per topic; until every topic file is in,
    this says which are missing (xfail) rather than failing the quick loop."""
    missing = [topic for topic in TOPICS if not (FOLDER / f"{topic}.toml").is_file()]
    if missing:
        pytest.xfail(f"topic files not written yet: {[m + '.toml' for m in missing]}")
    topics = {article.get("topic") for article in ARTICLES}
    assert len(ARTICLES) >= MIN_ARTICLES, f"{len(ARTICLES)} articles; needs {MIN_ARTICLES}"
    assert len(topics) >= MIN_TOPICS, f"topics {sorted(topics)}; the folder needs {MIN_TOPICS}"


# --- the extractor meets real articles ------------------------------------------------------------


def _params() -> Iterator[tuple[str, dict[str, Any], dict[str, Any] | None, str | None]]:
    """(key, case, figure, absent surface) for every labelled figure and every absent surface."""
    for case in CASES:
        for figure in case.get("figure", []):
            if "surface" in figure:
                yield figure_key(case, figure), case, figure, None
        for surface in case.get("absent", []):
            yield absent_key(case, surface), case, None, surface


def _pytest_params() -> Iterator[Any]:
    xfails = load_xfails()
    for key, case, figure, surface in _params():
        marks = [pytest.mark.xfail(reason=xfails[key], strict=True)] if key in xfails else []
        yield pytest.param(case, figure, surface, id=key, marks=marks)


@pytest.mark.parametrize(("case", "figure", "absent"), list(_pytest_params()))
def test_extractor_reads_real_article(case, figure, absent):
    failure = judge(case, figure, absent)
    if failure:
        article = ARTICLE_BY_ID.get(case.get("article"), {})
        header = (
            f"real-corpus case {case['id']} ({case['_file']}), {article.get('publisher')}, "
            f"{article.get('published')}: {article.get('url')}\n  text: {case['text']!r}"
        )
        pytest.fail(header + "\n" + failure, pytrace=False)


def judge(case: Mapping[str, Any], figure: Mapping[str, Any] | None, absent: str | None) -> str:
    """'' when the extractor agrees with the label, else what differs, one field a line."""
    if absent is not None:
        extra = [row for row in rows_of(case["id"]) if row.get("surface") == absent]
        return "".join(f"  must not be extracted: {_show_row(row)}\n" for row in extra)
    row, problems = best_row(case, figure)
    if row is None:
        found = ", ".join(repr(r.get("surface")) for r in rows_of(case["id"])) or "no rows"
        return f"  figure {expected_surfaces(figure)}: no row has this surface; found: {found}"
    if not problems:
        return ""
    expected = {k: v for k, v in figure.items() if k not in ("surface", "note")}
    lines = [f"  figure {expected_surfaces(figure)}: expected {expected}"]
    lines += [f"    {problem}" for problem in problems]
    lines.append(f"    actual row: {_show_row(row)}")
    if figure.get("note"):
        lines.append(f"    note: {figure['note']}")
    return "\n".join(lines)


def xfail_reason(
    case: Mapping[str, Any], figure: Mapping[str, Any] | None, absent: str | None
) -> str:
    """One line: the fields that differ, what the extractor gives and what the label says."""
    if absent is not None:
        return f"absent: gives a row for {absent!r}, label says no row"
    row, _ = best_row(case, figure)
    if row is None:
        found = [r.get("surface") for r in rows_of(case["id"])]
        near = [s for s in found if s and any(s in w or w in s for w in expected_surfaces(figure))]
        return f"surface: no row, gives {near or 'no overlapping span'}"
    parts = []
    for field, label in figure.items():
        if field in ("surface", "note") or _compare(field, label, row.get(field)) is None:
            continue
        given = "" if _is_empty(row.get(field)) else row.get(field)
        parts.append(f"{field}: gives {_plain(given)}, label {_plain(label)}")
    if not parts:  # only the span check failed
        start, end = row.get("char_start"), row.get("char_end")
        parts.append(f"span: text[{start}:{end}] is not the surface")
    return "; ".join(parts)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


# --- the accuracy table and the xfail list (python tests/test_real_corpus.py) -----------------


def accuracy(held_out: bool | None = None) -> dict[str, dict[str, list[int]]]:
    """{topic or 'all': {field: [correct, labelled]}} over every labelled figure; `held_out`
    True or False keeps only the cases of held-out articles or only the others."""
    table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for case in CASES:
        if held_out is not None and is_held_out(case) != held_out:
            continue
        topic = topic_of(case)
        for figure in case.get("figure", []):
            if "surface" not in figure:
                continue
            row, _ = best_row(case, figure)
            fields = {"figure": ("surface",), **REPORTED_FIELDS}
            for name, columns in fields.items():
                labelled = [c for c in columns if c in figure or c == "surface"]
                if not labelled:
                    continue
                right = row is not None and all(
                    c == "surface" or _compare(c, figure[c], row.get(c)) is None for c in labelled
                )
                for bucket in ("all", topic):
                    table[bucket][name][1] += 1
                    table[bucket][name][0] += int(right)
            whole = row is not None and not judge(case, figure, None)
            for bucket in ("all", topic):
                table[bucket]["all fields"][1] += 1
                table[bucket]["all fields"][0] += int(whole)
    return table


def markdown_table(table: Mapping[str, Mapping[str, list[int]]]) -> str:
    columns = ["figure", *REPORTED_FIELDS, "all fields"]
    header = "| topic | " + " | ".join("found" if c == "figure" else c for c in columns) + " |"
    lines = [header, "|" + " --- |" * (len(columns) + 1)]
    order = ["all", *[t for t in TOPICS if t in table], *sorted(set(table) - {"all", *TOPICS})]
    for bucket in order:
        cells = []
        for column in columns:
            right, total = table[bucket].get(column, [0, 0])
            cells.append(f"{right}/{total} ({100 * right / total:.0f}%)" if total else "-")
        lines.append(f"| {bucket} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_xfails(path: Path = XFAILS) -> int:
    """xfails.toml from what fails now, keys sorted; returns how many entries it holds."""
    entries = {
        key: xfail_reason(case, figure, surface)
        for key, case, figure, surface in _params()
        if judge(case, figure, surface)
    }
    lines = [
        "# Figures of tests/corpus_real that the extractor gets wrong today: strict xfails.",
        "# Written by `python tests/test_real_corpus.py --update-xfails`; do not edit by hand.",
        "# Each reason names the field(s), what the extractor gives and what the label says.",
        "",
    ]
    lines += [
        f"{json.dumps(key, ensure_ascii=False)} = {json.dumps(entries[key], ensure_ascii=False)}"
        for key in sorted(entries)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(entries)


def main(argv: list[str]) -> int:
    for held_out, heading in (
        (False, "Labelled while the rules were written"),
        (True, "Held out: labelled blind, after the rules were written"),
    ):
        articles = [a for a in ARTICLES if (a.get("held_out") is True) == held_out]
        cases = [c for c in CASES if is_held_out(c) == held_out]
        figures = sum(1 for _, case, _, _ in _params() if is_held_out(case) == held_out)
        topics = Counter(article.get("topic") for article in articles)
        print(f"## {heading}\n")
        print(f"{len(articles)} articles ({dict(sorted(topics.items()))}), {len(cases)} cases, "
              f"{figures} labelled figures and absent surfaces\n")
        print(markdown_table(accuracy(held_out)) + "\n")
    if "--update-xfails" in argv:
        print(f"\nwrote {write_xfails()} entries to tests/corpus_real/{XFAILS.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
