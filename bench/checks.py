"""`python -m bench.checks [--quick] [--json PATH]`: how fast an article is checked.

- The seed: `checks_table` on its figures, warm (the catalog compiled once), median of many runs.
- A 2 MB article: the bench corpus's documents (real-style news sentences dense with figures)
  joined until 2 MB; its figures extracted once, untimed, then `checks_table` timed.
- The cost against the size of the catalog: the same 2 MB article checked against the catalog,
  and against copies of it with every dataset repeated 2, 4 and 8 times (series renamed), in a
  temporary folder. The catalog is compiled once per version (not timed: the first check after a
  change pays it, and it is printed apart).

Nothing is asserted: the numbers are printed, with the aims of the issue beside them.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.corpus import SEED_ARTICLE, build_corpus
from dashboard.checks import checks_table
from dashboard.checks.catalog import load_catalog
from dashboard.extract import extract_document, extract_figures
from dashboard.ingest import read_document
from dashboard.reference import DATA_DIR

SEED_AIM_MS = 50.0
LARGE_AIM_S = 2.0
LARGE_BYTES = 2_000_000
QUICK_BYTES = 200_000
COPIES = (1, 2, 4, 8)


def _timed(call, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def large_article(size: int) -> str:
    """About `size` bytes of the bench corpus's documents, in order, as one article."""
    parts, total = [], 0
    documents = build_corpus().documents
    while total < size:
        for document in documents:
            parts.append(document.text)
            total += len(document.text.encode())
            if total >= size:
                break
    return "\n\n".join(parts)


def repeated_catalog(target: Path, copies: int) -> Path:
    """A data folder whose catalog holds every dataset `copies` times (series renamed)."""
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("extracted", "*.csv.gz"))
    catalog = target / "reference"
    for folder in [p for p in catalog.iterdir() if p.is_dir()]:
        for copy in range(2, copies + 1):
            name = f"{folder.name}_x{copy}"
            clone = catalog / name
            clone.mkdir()
            shutil.copy(folder / f"{folder.name}.csv", clone / f"{name}.csv")
            source = (folder / "source.toml").read_text(encoding="utf-8")
            source = re.sub(r'(?m)^id = "([^"]+)"', rf'id = "\1_x{copy}"', source)
            (clone / "source.toml").write_text(source, encoding="utf-8")
    return target


def measure(quick: bool = False) -> dict:
    document = read_document(SEED_ARTICLE)
    seed = extract_document(document)
    texts = {document.document_id: document.text}
    checks_table(seed, texts)  # compiles the catalog
    seed_times = _timed(lambda: checks_table(seed, texts), 10 if quick else 50)
    text = large_article(QUICK_BYTES if quick else LARGE_BYTES)
    started = time.perf_counter()
    figures = extract_figures(text, published="2025-11-18", document_id="large")
    extract_s = time.perf_counter() - started
    large_texts = {"large": text}
    table = checks_table(figures, large_texts)
    large_times = _timed(lambda: checks_table(figures, large_texts), 1 if quick else 3)
    scaling = []
    with tempfile.TemporaryDirectory() as folder:
        for copies in COPIES:
            data_dir = repeated_catalog(Path(folder) / f"x{copies}", copies)
            started = time.perf_counter()
            catalog = load_catalog(data_dir)
            compile_s = time.perf_counter() - started
            seconds = min(_timed(lambda d=data_dir: checks_table(figures, large_texts,
                                                                 data_dir=d), 1 if quick else 2))
            scaling.append({"copies": copies, "series": len(catalog.series),
                            "compile_s": compile_s, "check_s": seconds})
    return {
        "seed": {"median_ms": statistics.median(seed_times) * 1000, "runs": len(seed_times),
                 "rows": len(checks_table(seed, texts)), "aim_ms": SEED_AIM_MS},
        "large": {"bytes": len(text.encode()), "figures": len(figures), "extract_s": extract_s,
                  "median_s": statistics.median(large_times), "rows": len(table),
                  "verifications": int((table["kind"] == "verification").sum()),
                  "aim_s": LARGE_AIM_S},
        "scaling": scaling,
    }


def render(results: dict) -> str:
    seed, large = results["seed"], results["large"]
    seed_met = "met" if seed["median_ms"] < seed["aim_ms"] else "missed"
    large_met = "met" if large["median_s"] < large["aim_s"] else "missed"
    lines = [
        "checks",
        f"  seed, warm, median of {seed['runs']}: {seed['median_ms']:.1f} ms "
        f"(aim < {seed['aim_ms']:.0f} ms: {seed_met}"
        f"; {seed['rows']} rows)",
        f"  {large['bytes'] / 1e6:.1f} MB article, {large['figures']:,} figures "
        f"(extracted in {large['extract_s']:.1f} s): checks {large['median_s']:.2f} s "
        f"(aim < {large['aim_s']:.0f} s: {large_met}"
        f"; {large['rows']:,} rows, {large['verifications']:,} verifications)",
        "  catalog size | series | compile | checks of the large article | vs x1",
    ]
    base = results["scaling"][0]["check_s"]
    for row in results["scaling"]:
        lines.append(f"  x{row['copies']} | {row['series']} | {row['compile_s']:.2f} s | "
                     f"{row['check_s']:.2f} s | {row['check_s'] / base:.2f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.checks",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 0.2 MB article, fewer runs")
    parser.add_argument("--json", type=Path, metavar="PATH")
    args = parser.parse_args(argv)
    results = measure(args.quick)
    print(render(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

