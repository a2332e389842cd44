"""`python -m bench.throughput [--quick] [--json PATH]`: the batch path over thousands of files.

The corpus: `bench.corpus.build_corpus` asked for enough bytes to give 2,000 documents (300 with
`--quick`), each written to its own `.txt` file in a temporary folder. That corpus is built from a
pool of about 1 MB of distinct passages (the seed's paragraphs, tests/corpus sentences,
quantulum3's test sentences), so past the first ~150 documents the passages repeat: every file is
a different random combination of 5 to 8 KB of passages, not new text. The extractor's work per
byte is like that of the ~150-document corpus; the files are article-sized, the number of files is
what a folder of a few months of news would hold, and all of them are distinct documents.

What is timed is `dashboard.batch.extract_many` over the collected files, the function behind
`python -m dashboard extract DIR --jobs N`: reading each file (and looking for its sidecar),
extraction, and joining one table, including the worker processes' start-up for N > 1. Interpreter
start-up and writing the output are not in it. Every file is given the seed's publication date,
as in the main bench. The main process extracts one document, untimed, before the first run, so
that the 1-job run does not carry first-call costs the workers also pay in theirs.

Jobs: 1, 2 and os.cpu_count(), each value once. The tables of all runs must be identical; the
result says whether they were. Each run also reports the extraction's CPU time summed over its
processes and the load average before it: on a machine shared with other work, the CPU time
shows whether the work itself grew with the job count, and the load why wall time may not shrink.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import build_corpus
from dashboard import batch

FILES = {"full": 2_000, "quick": 300}
PUBLISHED = datetime.date(2025, 11, 18)  # the seed's, as in bench/__main__.py
AVERAGE_DOCUMENT_BYTES = 6_500  # the middle of bench.corpus.DOCUMENT_BYTES


def write_corpus(folder: Path, files: int) -> dict:
    """Write `files` corpus documents as `.txt` files into `folder`; what was written."""
    target = files * AVERAGE_DOCUMENT_BYTES
    corpus = build_corpus(target)
    while len(corpus.documents) < files:
        target = int(target * 1.25)
        corpus = build_corpus(target)
    documents = corpus.documents[:files]
    for document in documents:
        (folder / f"{document.document_id}.txt").write_text(document.text, encoding="utf-8")
    sizes = [document.size for document in documents]
    return {
        "files": len(documents),
        "bytes": sum(sizes),
        "file_bytes": [min(sizes), max(sizes)],
        "distinct_passages": sum(use.passages for use in corpus.sources.values()),
        "passage_uses": sum(use.uses for use in corpus.sources.values()),
        "notes": corpus.notes,
    }


def job_counts() -> list[int]:
    return sorted({1, 2, os.cpu_count() or 1})


def measure(quick: bool) -> dict:
    """Write the corpus, run the batch once per job count, and return the numbers."""
    mode = "quick" if quick else "full"
    started = time.perf_counter()
    results: dict = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}",
        "cores": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "mode": mode,
        "runs": [],
    }
    with tempfile.TemporaryDirectory(prefix="claims-throughput-") as tmp:
        folder = Path(tmp)
        results["corpus"] = write_corpus(folder, FILES[mode])
        articles = batch.collect_articles([str(folder)])
        batch.extract_many(articles[:1], jobs=1, published=PUBLISHED)  # untimed warm-up
        reference = None
        identical = True
        for jobs in job_counts():
            gc.collect()
            load = os.getloadavg()[0]  # other work on the machine takes cores from the workers
            result = batch.extract_many(articles, jobs=jobs, published=PUBLISHED)
            if reference is None:
                reference = result.table
            else:
                identical = identical and result.table.equals(reference)
            results["runs"].append({
                "jobs": jobs,
                "seconds": result.seconds,
                "cpu_seconds": result.cpu_seconds,
                "files": result.files,
                "failures": len(result.failures),
                "first_failure": str(result.failures[0]) if result.failures else "",
                "figures": len(result.table),
                "files_per_s": result.files / result.seconds,
                "mb_per_s": result.bytes / 1e6 / result.seconds,
                "load_average_1min": round(load, 2),
            })
    base = results["runs"][0]["seconds"]
    for run in results["runs"]:
        run["speedup"] = base / run["seconds"]
    results["identical_tables"] = identical
    results["wall_seconds"] = time.perf_counter() - started
    return results


def render(results: dict) -> str:
    """The numbers as a small text report."""
    corpus = results["corpus"]
    low, high = corpus["file_bytes"]
    lines = [
        f"Batch throughput ({results['mode']}): {corpus['files']:,} files, "
        f"{corpus['bytes'] / 1e6:.1f} MB ({low:,}-{high:,} bytes each), "
        f"{results['cores']} cores, load {results['load_average_1min']}",
        "",
        f"{'jobs':>4}  {'seconds':>8}  {'files/s':>8}  {'MB/s':>6}  {'speed-up':>8}  "
        f"{'CPU s':>6}  {'figures':>8}  {'failed':>6}  load before",
    ]
    for run in results["runs"]:
        lines.append(
            f"{run['jobs']:>4}  {run['seconds']:>8.2f}  {run['files_per_s']:>8.1f}  "
            f"{run['mb_per_s']:>6.2f}  {run['speedup']:>7.2f}x  {run['cpu_seconds']:>6.1f}  "
            f"{run['figures']:>8,}  "
            f"{run['failures']:>6}  {run['load_average_1min']}")
    lines.append("")
    lines.append("CPU s is the extraction's CPU time summed over the processes: while it stays "
                 "level,\na speed-up short of the job count is worker start-up or other load on "
                 "the cores.")
    lines.append("tables identical across job counts: "
                 + ("yes" if results["identical_tables"] else "NO"))
    failed = [run["first_failure"] for run in results["runs"] if run["first_failure"]]
    if failed:
        lines.append(f"first failure: {failed[0]}")
    for note in corpus["notes"]:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.throughput",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{FILES['quick']} files, not "
                        f"{FILES['full']:,}")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers as JSON")
    args = parser.parse_args(argv)
    results = measure(args.quick)
    print(render(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    broken = not results["identical_tables"] or any(r["failures"] for r in results["runs"])
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
