"""Turn the bench's numbers into verdicts against the project's aims, and into a readable table.

The aims come from the issues: our extractor under 5 ms on the seed article, warm (10 ms when the
extractor was first built; 5 ms since the extraction issue that added measures, money subunits,
scores, holidays and speakers), and at least 100 times quantulum3's throughput on the same text.
A verdict is printed, never enforced.
"""

from __future__ import annotations

SEED_MEDIAN_AIM_MS = 5.0
RATIO_AIM = 100.0
QUICK_RUN_AIM_S = 60.0


def verdict(measured: float | None, aim: float, below: bool) -> str:
    if measured is None:
        return "not measured"
    met = measured < aim if below else measured >= aim
    return "meets aim" if met else "misses aim"


def judge(results: dict) -> list[dict]:
    """One row per aim: what was measured, on which text, the aim and the verdict."""
    seed_median = results["seed"].get("ours", {}).get("median_ms")
    rows = [
        ("ours, seed article warm, median", seed_median, "ms", SEED_MEDIAN_AIM_MS, True),
        (
            "ours / quantulum3 throughput, seed article",
            results["seed"]["ratio"],
            "x",
            RATIO_AIM,
            False,
        ),
        (
            "ours / quantulum3 throughput, corpus sample",
            results["sample"]["ratio"],
            "x",
            RATIO_AIM,
            False,
        ),
    ]
    if results["mode"] == "quick":
        rows.append(
            ("bench --quick wall time", results["wall_seconds"], "s", QUICK_RUN_AIM_S, True)
        )
    return [
        {
            "what": what,
            "measured": measured,
            "unit": unit,
            "aim": f"{'<' if below else '>='} {aim:g} {unit}".replace(" x", "x"),
            "verdict": verdict(measured, aim, below),
        }
        for what, measured, unit, aim, below in rows
    ]


def number(value, unit: str = "") -> str:
    """Integers in full; other numbers to three significant figures (all digits from 100 up)."""
    if value is None:
        return "-"
    if isinstance(value, int) or abs(value) >= 100:
        return f"{value:,.0f}{unit}"
    return f"{value:.3g}{unit}"


def columns(rows: list[tuple], widths: tuple[int, ...]) -> list[str]:
    lines = []
    for row in rows:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append(("  " + "".join(cells)).rstrip())
    return lines


SEED_FIELDS = [
    ("first call in process", "first_call_ms", " ms"),
    ("timed runs", "runs", ""),
    ("median", "median_ms", " ms"),
    ("p95", "p95_ms", " ms"),
    ("figures found", "figures", ""),
]
PASS_FIELDS = [
    ("seconds", "seconds", " s"),
    ("throughput", "mb_per_s", " MB/s"),
    ("documents per second", "documents_per_s", ""),
    ("figures found", "figures", ""),
]


def side_by_side(part: dict, fields: list[tuple[str, str, str]], tools: tuple[str, ...]) -> list:
    """Rows of `label | one column per tool` for the given (label, key, unit) fields."""
    measured = {tool: part.get(tool, {}) for tool in tools}
    rows: list[tuple] = [("", *tools)]
    for label, key, unit in fields:
        rows.append((label, *(number(measured[tool].get(key), unit) for tool in tools)))
    lines = columns(rows, (26, 18, 18))
    for tool, numbers in measured.items():
        if "error" in numbers or not numbers:
            lines.append(f"  {tool} not measured: {numbers.get('error', 'no result')}")
        if numbers.get("failures"):
            lines.append(
                f"  {tool} raised on {numbers['failures']} of {numbers['documents']} documents; "
                f"first: {numbers['first_failure']}"
            )
    return lines


def render(results: dict) -> str:
    corpus, seed, sample = results["corpus"], results["seed"], results["sample"]
    low, high = corpus["document_bytes"]
    out = [
        f"Extraction bench ({results['mode']} run), {results['date']}",
        f"Python {results['python']}, {results['platform']}, {results['cores']} cores, "
        f"load average {results['load_average_1min']} at start. "
        "MB = 10^6 bytes of UTF-8; times from time.perf_counter; garbage collected between phases.",
        "",
        f"Corpus: {corpus['documents']} documents, {corpus['bytes']:,} bytes ({low:,}-{high:,} "
        f"bytes each), shuffle seed {corpus['shuffle_seed']}, digest {corpus['digest']}",
    ]
    rows: list[tuple] = [("source", "distinct passages", "their bytes", "uses", "corpus bytes")]
    for name, use in corpus["sources"].items():
        counts = (use["passages"], use["passage_bytes"], use["uses"], use["corpus_bytes"])
        rows.append((name, *map(number, counts)))
    out += columns(rows, (20, 19, 13, 8, 14))
    out += [f"  note: {note}" for note in corpus["notes"]]

    both = ("ours", "quantulum3")
    out += ["", f"Seed article {seed['path']} ({seed['bytes']:,} bytes), both tools, warm:"]
    out += side_by_side(seed, SEED_FIELDS, both)
    out.append(f"  ratio (quantulum3 median / ours): {number(seed['ratio'], 'x')}")

    step = sample["step"]
    which = "all corpus documents" if step == 1 else f"every {step}th corpus document from the 1st"
    out += [
        "",
        f"Corpus sample: {which}, {sample['documents']} documents, {sample['bytes']:,} bytes; "
        "both tools on exactly this text:",
    ]
    out += side_by_side(sample, PASS_FIELDS, both)
    out.append(f"  ratio (ours MB/s / quantulum3 MB/s): {number(sample['ratio'], 'x')}")

    out += [
        "",
        f"Whole corpus: {corpus['documents']} documents, {corpus['bytes']:,} bytes; ours only "
        "(quantulum3 reads all of it with --full, as the sample):",
    ]
    out += side_by_side(results["whole_corpus"], PASS_FIELDS, ("ours",))

    out += ["", "Aims (reported, never enforced):"]
    rows = [("measure", "measured", "aim", "verdict")]
    for aim in results["aims"]:
        unit = aim["unit"] if aim["unit"] == "x" else " " + aim["unit"]
        rows.append((aim["what"], number(aim["measured"], unit), aim["aim"], aim["verdict"]))
    out += columns(rows, (46, 14, 12, 12))
    out.append(f"\nbench wall time {results['wall_seconds']:.1f} s")
    return "\n".join(out)
