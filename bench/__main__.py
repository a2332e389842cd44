"""`python -m bench [--quick | --full] [--json PATH]`: extraction throughput, ours vs quantulum3,
then the dashboard in headless Chromium (bench/dashboard.py: chart views, callbacks, PNG export).

Phases, in this order, with a garbage collection before each: our extractor on the seed article
(warm), on the whole corpus and on the corpus sample; then quantulum3 on the seed and on the same
sample. quantulum3 takes about a second per article, so it reads a fixed sample of the corpus (every
8th document, about 20 s here) unless `--full` asks for all of it. The seed is extracted with its
sidecar's date and publisher; corpus documents with the seed's date and no publisher.

Exit status: 0 when every measurement completed, whatever the timings; 1 when our extractor could
not be imported or raised on a document (a broken extractor, not a slow one), or when a dashboard
phase could not complete (no browser, an app that does not start).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import sys
import time
from pathlib import Path

from bench import checks, dashboard, hostile, large, load, throughput
from bench.corpus import REPO, SEED_ARTICLE, build_corpus
from bench.extraction import document_pass, load_ours, load_quantulum, repeated_runs
from bench.report import judge, render

# warm: untimed seed calls before timing ours (quantulum3 gets one: its first call loads its data);
# *_runs: timed seed runs; sample_step: quantulum3 reads every sample_step-th corpus document.
SETTINGS = {
    "standard": {"warm": 5, "ours_runs": 50, "quantulum_runs": 5, "sample_step": 8},
    "quick": {"warm": 2, "ours_runs": 10, "quantulum_runs": 1, "sample_step": 40},
    "full": {"warm": 5, "ours_runs": 50, "quantulum_runs": 5, "sample_step": 1},
}
SEED_BUDGET_S = 10.0  # timed seed runs stop after this long (after at least three runs)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small samples: a smoke run (< 1 min)")
    size.add_argument("--full", action="store_true", help="quantulum3 on all the corpus (minutes)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers as JSON")
    return parser.parse_args(argv)


def seed_metadata() -> dict:
    sidecar = SEED_ARTICLE.with_name(SEED_ARTICLE.stem + ".meta.json")
    return json.loads(sidecar.read_text(encoding="utf-8"))


def measure(mode: str) -> dict:
    """Run every phase and return the numbers, as printed and as written to JSON."""
    settings = SETTINGS[mode]
    started = time.perf_counter()
    corpus = build_corpus()
    sample = corpus.sample(settings["sample_step"])
    seed_text = SEED_ARTICLE.read_text(encoding="utf-8")
    meta = seed_metadata()
    results: dict = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}",
        "cores": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),  # other work on the machine skews times
        "mode": mode,
        "corpus": corpus.describe(),
        "seed": {
            "path": SEED_ARTICLE.relative_to(REPO).as_posix(),
            "bytes": len(seed_text.encode()),
        },
        "sample": {
            "step": settings["sample_step"],
            "documents": len(sample),
            "bytes": sum(d.size for d in sample),
            "document_ids": [d.document_id for d in sample],
        },
        "whole_corpus": {},
    }

    def seed_runs(extract, warm: int, runs: int) -> dict:
        gc.collect()
        return repeated_runs(extract, seed_text, "seed", warm, runs, SEED_BUDGET_S).to_dict()

    def corpus_pass(extract, documents) -> dict:
        gc.collect()
        return document_pass(extract, documents).to_dict()

    try:
        ours = load_ours(meta.get("published"), meta.get("publisher"))
        corpus_ours = load_ours(meta.get("published"), None)
    except Exception as error:  # a broken extractor is reported, after quantulum3 is measured
        for part in ("seed", "sample", "whole_corpus"):
            results[part]["ours"] = {"error": f"{type(error).__name__}: {error}"}
    else:
        results["seed"]["ours"] = seed_runs(ours, settings["warm"], settings["ours_runs"])
        results["whole_corpus"]["ours"] = corpus_pass(corpus_ours, corpus.documents)
        results["sample"]["ours"] = corpus_pass(corpus_ours, sample)

    try:
        quantulum = load_quantulum()
    except ImportError as error:
        for part in ("seed", "sample"):
            results[part]["quantulum3"] = {"error": f"{type(error).__name__}: {error}"}
    else:
        results["seed"]["quantulum3"] = seed_runs(quantulum, 1, settings["quantulum_runs"])
        results["sample"]["quantulum3"] = corpus_pass(quantulum, sample)

    results["seed"]["ratio"] = ratio(results["seed"], "median_ms", higher_is_faster=False)
    results["sample"]["ratio"] = ratio(results["sample"], "mb_per_s", higher_is_faster=True)
    results["wall_seconds"] = time.perf_counter() - started
    results["aims"] = judge(results)
    return results


def ratio(part: dict, key: str, higher_is_faster: bool) -> float | None:
    """Our throughput over quantulum3's on the same text; None when either is missing."""
    ours, theirs = part.get("ours", {}).get(key), part.get("quantulum3", {}).get(key)
    if not ours or not theirs:
        return None
    return ours / theirs if higher_is_faster else theirs / ours


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    mode = "quick" if args.quick else "full" if args.full else "standard"
    started = time.perf_counter()
    results = measure(mode)
    results["dashboard"] = dashboard.measure("quick" if args.quick else "standard")
    results["wall_seconds"] = time.perf_counter() - started  # both benches, for the quick aim
    results["aims"] = judge(results)
    print(render(results), dashboard.render(results["dashboard"]), sep="\n\n", flush=True)
    # Reliability and performance at scale: each part reports its own numbers and errors.
    for name, part in (("checks", checks), ("large", large), ("hostile", hostile),
                       ("throughput", throughput), ("load", load)):
        try:
            results[name] = part.measure(args.quick)
            print("", part.render(results[name]), sep="\n", flush=True)
        except Exception as error:  # a part that could not run is reported; the rest still run
            results[name] = {"error": f"{type(error).__name__}: {error}"}
            print(f"\n{name} bench failed: {results[name]['error']}", flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    ours = [results[part].get("ours", {}) for part in ("seed", "sample", "whole_corpus")]
    broken = any("error" in o or o.get("failures") for o in ours)
    broken = broken or dashboard.failed(results["dashboard"])
    broken = broken or any("error" in results[name]
                           for name in ("checks", "large", "hostile", "throughput", "load"))
    broken = broken or large.failed(results["large"]) or load.failed(results["load"])
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
