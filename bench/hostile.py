"""`python -m bench.hostile [--quick] [--json PATH]`: extraction time on hostile text.

Each shape (a run of dots, "1-1-1-...", a quotation never closed, ...) is built at 4 KB and at
32 KB and run through `extract_figures`; the ratio of the two times is about 8 where the work
grows linearly with the text, and far more where it does not (26 KB of dots once took minutes).
Then a dense text, a statistics release pasted as text (tables of regions, counts, percentages
and money), in MB per second; the aim is at least 0.5 MB/s.

Times are the best of a few runs (time.perf_counter), so that a busy machine inflates them less.
Nothing is asserted: tests/test_linear_time.py holds the properties, counting work, not time.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

SIZES = (4_000, 32_000)
LINEAR_RATIO = 8.0
RATIO_AIM = 12.0  # 8 with some slack for the noise of short timings
DENSE_AIM_MB_S = 0.5
DENSE_BYTES = {"quick": 200_000, "standard": 1_000_000}
PUBLISHED = "2025-11-20"


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def _quote_never_closed(size: int) -> str:
    body = "the rate rose 4.5 percent to $12 million in 2024, officials said, and "
    return ("“" + _repeat(body)(size))[:size]


# name, what it is, how to build it at a size (in characters; all but "…" are one byte).
SHAPES: list[tuple[str, str, Callable[[int], str]]] = [
    ("dots", "a run of '.'", _repeat(".")),
    ("?!", "a run of '?!'", _repeat("?!")),
    ("ellipses", "'.... ' repeated", _repeat(".... ")),
    ("…", "a run of '…'", _repeat("…")),
    ("1.1.1.", "digits joined by dots", _repeat("1.")),
    ("1-1-1-", "digits joined by hyphens", _repeat("1-")),
    ("1,111,...,1111", "one chain of thousands groups, the last too long",
     lambda size: "1," + _repeat("111,")(size - 6) + "1111"),
    ("a.a.a.", "letters joined by dots", _repeat("a.")),
    ("open quote", "a quotation opened and never closed", _quote_never_closed),
    ("nested quotes", "'“‘\"(' opened over and over", _repeat("“‘\"( he said 5 ")),
    ("number words", "'one hundred twenty three thousand ...'",
     _repeat("one hundred twenty three thousand four hundred fifty six million ")),
    ("and", "'1 and 2 and 3 and ...'", _repeat("1 and 2 and ")),
    ("and words", "'and and and ...'", _repeat("and ")),
    ("currency", "a run of '$€£'", _repeat("$€£")),
    ("currency figures", "'$1 €2 £3 ...'", _repeat("$1 €2 £3 ¥4 ")),
    ("abbreviations", "'Mr. Inc. U.S. a.m. No. ...'", _repeat("Mr. Inc. U.S. a.m. No. Oct. ")),
    ("no punctuation", "one sentence of words and numbers", _repeat("the rate rose 5 percent ")),
    ("numbers", "'1 2 3 ...' without words", _repeat("1 ")),
    ("parentheses", "a run of '('", _repeat("(")),
    ("percent", "'5% 6% ...'", _repeat("5% 6% ")),
    ("dates", "'Oct. 5, 2024 to Nov. 6, 2025 ...'", _repeat("Oct. 5, 2024 to Nov. 6, 2025, ")),
    ("ranges", "'1-2 to 3-4 ...'", _repeat("1-2 to 3-4 between 5 and 6 ")),
    ("lines", "one number a line", _repeat("12\n")),
]

REGIONS = ["Northeast", "Midwest", "South", "West", "Pacific", "Mountain", "New England",
           "Mid-Atlantic", "East North Central", "West South Central", "Puerto Rico"]
MEASURES = ["Households", "Median income", "Unemployment rate", "Population", "Housing starts",
            "Average weekly earnings", "Poverty rate", "Health insurance coverage"]


def dense_text(size: int, seed: int = 11) -> str:
    """About `size` characters of a statistics release pasted as text: a sentence of context,
    then a table with a header row and a line per region."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        measure = rng.choice(MEASURES)
        year = rng.randint(2005, 2024)
        lines = [
            f"Table {rng.randint(1, 40)}. {measure} by region, {year - 1} and {year}",
            f"{measure} rose {rng.randint(1, 9)}.{rng.randint(0, 9)} percent in {year}, the "
            f"bureau said on Oct. {rng.randint(1, 28)}, {year + 1}.",
            f"Region\t{year - 1}\t{year}\tChange\tShare",
        ]
        for region in rng.sample(REGIONS, 8):
            before = rng.randint(10_000, 9_999_999)
            after = round(before * rng.uniform(0.9, 1.1))
            change = (after - before) / before * 100
            lines.append(f"{region}\t{before:,}\t{after:,}\t{change:+.1f}%\t"
                         f"${rng.randint(1, 999)}.{rng.randint(0, 9)} million")
        lines.append(f"Source: Census Bureau, {rng.randint(1, 12)}/{rng.randint(1, 28)}/{year + 1}")
        block = "\n".join(lines) + "\n\n"
        parts.append(block)
        length += len(block)
    return "".join(parts)[:size]


def best_of(run: Callable[[], object], times: int) -> float:
    gc.collect()
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def measure(quick: bool = False) -> dict:
    from dashboard.extract import extract_figures

    extract_figures("Warm-up: 5 people.", published=PUBLISHED)
    small_runs, large_runs = (2, 1) if quick else (5, 3)
    shapes = []
    for name, what, build in SHAPES:
        row = {"shape": name, "what": what}
        for size, runs in zip(SIZES, (small_runs, large_runs), strict=True):
            text = build(size)
            row[f"seconds_{size}"] = best_of(
                lambda text=text: extract_figures(text, published=PUBLISHED), runs)
            row[f"figures_{size}"] = len(extract_figures(text, published=PUBLISHED))
        small, large = (row[f"seconds_{size}"] for size in SIZES)
        row["ratio"] = large / small if small else None
        shapes.append(row)
    size = DENSE_BYTES["quick" if quick else "standard"]
    text = dense_text(size)
    seconds = best_of(lambda: extract_figures(text, published=PUBLISHED), 1 if quick else 3)
    dense = {
        "bytes": len(text.encode()),
        "seconds": seconds,
        "mb_per_s": len(text.encode()) / 1e6 / seconds,
        "figures": len(extract_figures(text, published=PUBLISHED)),
    }
    return {"sizes": list(SIZES), "shapes": shapes, "dense": dense,
            "worst_ratio": max((row["ratio"] or 0) for row in shapes)}


def render(results: dict) -> str:
    small, large = results["sizes"]
    out = [f"Hostile text through extract_figures, {small:,} and {large:,} characters "
           f"(best of a few runs; linear growth gives a ratio near {LINEAR_RATIO:g}):"]
    header = ("shape", f"{small // 1000} KB ms", f"{large // 1000} KB ms", "ratio", "figures")
    rows = [header]
    for row in results["shapes"]:
        ratio = row["ratio"]
        flag = "" if ratio is None or ratio <= RATIO_AIM else "  super-linear?"
        rows.append((row["shape"], f"{row[f'seconds_{small}'] * 1e3:.1f}",
                     f"{row[f'seconds_{large}'] * 1e3:.1f}",
                     "-" if ratio is None else f"{ratio:.1f}{flag}",
                     f"{row[f'figures_{large}']:,}"))
    widths = (18, 12, 12, 20, 10)
    for row in rows:
        out.append("  " + "".join(str(cell).ljust(width)
                                  for cell, width in zip(row, widths, strict=True)).rstrip())
    dense = results["dense"]
    verdict = "meets aim" if dense["mb_per_s"] >= DENSE_AIM_MB_S else "misses aim"
    out.append(f"  dense statistics release, {dense['bytes']:,} bytes: {dense['seconds']:.2f} s, "
               f"{dense['mb_per_s']:.2f} MB/s, {dense['figures']:,} figures "
               f"(aim >= {DENSE_AIM_MB_S} MB/s: {verdict})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, a smaller dense text")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers as JSON")
    args = parser.parse_args(argv)
    results = measure(args.quick)
    print(render(results), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
