"""`python -m bench.large [--quick] [--json PATH]`: the largest inputs the project accepts.

- Extraction of a 5 MB file dense with numbers (ingest's limit is 5 MiB): the command line
  `python -m dashboard extract FILE --out FILE.csv` in a child process, timed from start to exit,
  with the child's peak resident memory (getrusage), the figures found and MB/s.
- The grid on the largest upload (2 MB, the dashboard's limit, of the same kind of text) in
  headless Chromium: from navigation to the first page of rows shown, on a cold server (the
  article extracted, checked and drawn first) and warm; then going to the last page, and a search
  that narrows the table, each until the grid holds the rows the server sends.

The text is generated, deterministically: a statistical bulletin whose every sentence carries
six or seven figures (years, counts, percentages, durations, money), about one figure per 15
bytes, in paragraphs of eight sentences. Nothing is asserted: the numbers are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.dashboard import LOADED_ROWS, app_server, chromium, wait_for

REPO = Path(__file__).resolve().parent.parent
EXTRACT_BYTES = 5_000_000
UPLOAD_BYTES = 2_000_000
QUICK_BYTES = {"extract": 500_000, "upload": 200_000}
PUBLISHED = "2025-11-20"
SEARCH = "district 7 weeks"


def dense_text(size: int, seed: int = 5) -> str:
    """About `size` bytes of bulletin text, every sentence dense with figures."""
    rng = random.Random(seed)
    parts, length = [], 0
    while length < size:
        year = rng.randint(1990, 2025)
        sentence = (
            f"In {year}, {rng.randint(1, 99_999):,} people in district {rng.randint(1, 99)} "
            f"({rng.randint(1, 99)}.{rng.randint(0, 9)}%) were admitted in {rng.randint(2, 52)} "
            f"weeks, up from {rng.randint(1, 9_999)} in {year - 1}; costs rose "
            f"${rng.randint(1, 99)}.{rng.randint(1, 9)} million. ")
        parts.append(sentence)
        length += len(sentence)
        if len(parts) % 8 == 0:
            parts.append("\n\n")
            length += 2
    return "".join(parts)[:size]


def extraction_phase(size: int) -> dict:
    """The command line on a `size`-byte dense file, in a child process."""
    with tempfile.TemporaryDirectory(prefix="bench-large-") as folder:
        article = Path(folder) / "dense.txt"
        article.write_text(dense_text(size), encoding="utf-8")
        out = Path(folder) / "dense.csv"
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "dashboard", "extract", str(article), "--published",
             PUBLISHED, "--out", str(out)], cwd=REPO, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if done.returncode != 0:
            raise RuntimeError(f"extract exited {done.returncode}: {done.stderr[-500:]}")
        with out.open(encoding="utf-8") as table:
            figures = sum(1 for _ in table) - 1  # sentences are cut short: no line breaks
        return {"bytes": article.stat().st_size, "seconds": seconds, "figures": figures,
                "mb_per_s": article.stat().st_size / 1e6 / seconds, "csv_bytes": out.stat().st_size,
                # the most of any child so far; this is the first child that extracts 5 MB
                "peak_rss_mb": max(peak_kb, before) / 1024}


def page_ms(driver, action, rows: int, first_id: str | None = None) -> float:
    """Ms from starting `action` (a URL to open, or a script to run in the page) to the grid
    holding the page of `rows` rows it asks for."""
    started = time.perf_counter()
    if action.startswith("http"):
        driver.get(action)
    else:
        driver.execute_script(action)
    wait_for(lambda: driver.execute_script(LOADED_ROWS) == rows and (
        first_id is None or driver.execute_script(
            "const api = dash_ag_grid.getApi('figures-grid');"
            "const row = api.getDisplayedRowAtIndex(api.paginationGetPageSize()"
            " * api.paginationGetCurrentPage());"
            "return row && row.data ? row.data.figure_id : null;") == first_id),
        "the grid's page")
    return (time.perf_counter() - started) * 1000


def panel_ms(driver, so_far: float) -> float:
    """Ms from the navigation `so_far` ms ago to the article panel drawn with its highlights."""
    started = time.perf_counter() - so_far / 1000
    wait_for(lambda: driver.execute_script(
        "return document.querySelectorAll('#article-text mark').length > 0;"), "the article")
    return (time.perf_counter() - started) * 1000


def grid_phase(size: int) -> dict:
    """The figures view of a stored `size`-byte dense article: first page cold and warm, the last
    page, a search."""
    from dashboard import grid, store
    from dashboard.extract import extract_document
    from dashboard.ingest import document_from_text

    text = dense_text(size, seed=7)
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        os.environ["CLAIMS_DASHBOARD_STORE"] = folder  # the server child inherits it
        key = store.save(store.StoredArticle(text=text, published=PUBLISHED, name="dense",
                                             format="txt"))
        figures = extract_document(document_from_text(text, document_id=f"upload-{key}",
                                                      published=PUBLISHED))
        pages = -(-len(figures) // grid.BLOCK_ROWS)
        last_rows = len(figures) - (pages - 1) * grid.BLOCK_ROWS
        searched = grid.view(figures, search=SEARCH)
        with app_server() as server, chromium() as driver:
            base = server.wait()
            url = f"{base}/?article={key}&view=figures"
            driver.set_script_timeout(120)
            cold = page_ms(driver, url, grid.BLOCK_ROWS)
            panel_cold = panel_ms(driver, cold)
            warm, panel_warm = [], []
            for _ in range(3):
                warm.append(page_ms(driver, url, grid.BLOCK_ROWS))
                panel_warm.append(panel_ms(driver, warm[-1]))
            last = page_ms(driver, "dash_ag_grid.getApi('figures-grid')"
                                   f".paginationGoToPage({pages - 1});",
                           grid.BLOCK_ROWS + last_rows,
                           figures["figure_id"].iloc[(pages - 1) * grid.BLOCK_ROWS])
            page_ms(driver, url, grid.BLOCK_ROWS)
            panel_ms(driver, 0)
            box = driver.find_element("id", "quick-search")
            started = time.perf_counter()
            box.send_keys(SEARCH)
            wait_for(lambda: driver.execute_script(LOADED_ROWS) == min(len(searched),
                                                                       grid.BLOCK_ROWS)
                     and driver.execute_script("return dash_ag_grid.getApi('figures-grid')"
                                               ".paginationGetRowCount();") == len(searched),
                     "the searched rows")
            search_ms = (time.perf_counter() - started) * 1000
            heap = driver.execute_script(
                "return performance.memory ? performance.memory.usedJSHeapSize : null;")
    return {"bytes": len(text.encode()), "figures": len(figures), "pages": pages,
            "first_page_cold_ms": cold, "first_page_warm_ms": warm, "last_page_ms": last,
            "article_panel_cold_ms": panel_cold, "article_panel_warm_ms": panel_warm,
            "search": SEARCH, "search_rows": len(searched), "search_ms": search_ms,
            "search_includes_typing_ms": "yes (and the search box's 0.3 s debounce)",
            "browser_heap_mb": heap / 1e6 if heap else None}


def measure(quick: bool = False) -> dict:
    sizes = QUICK_BYTES if quick else {"extract": EXTRACT_BYTES, "upload": UPLOAD_BYTES}
    results: dict = {"quick": quick, "load_average_1min": round(os.getloadavg()[0], 2)}
    for name, phase in (("extraction", lambda: extraction_phase(sizes["extract"])),
                        ("grid", lambda: grid_phase(sizes["upload"]))):
        try:
            results[name] = phase()
        except Exception as error:  # reported in its place; the other phase still runs
            results[name] = {"error": f"{type(error).__name__}: {error}"}
    return results


def render(results: dict) -> str:
    out = [f"Large inputs ({'quick' if results['quick'] else 'standard'}; load average "
           f"{results['load_average_1min']} at the start)"]
    ext = results["extraction"]
    if "error" in ext:
        out.append(f"  extraction failed: {ext['error']}")
    else:
        out.append(f"  extract a {ext['bytes'] / 1e6:.1f} MB number-dense file (command line): "
                   f"{ext['seconds']:.1f} s, {ext['mb_per_s']:.2f} MB/s, {ext['figures']:,} "
                   f"figures, peak memory {ext['peak_rss_mb']:,.0f} MB, CSV "
                   f"{ext['csv_bytes'] / 1e6:.0f} MB")
    table = results["grid"]
    if "error" in table:
        out.append(f"  grid failed: {table['error']}")
    else:
        warm = sorted(table["first_page_warm_ms"])
        out.append(f"  grid on a {table['bytes'] / 1e6:.1f} MB upload ({table['figures']:,} "
                   f"figures, {table['pages']:,} pages of rows from the server):")
        out.append(f"    first page, cold server (extract, check, draw): "
                   f"{table['first_page_cold_ms']:,.0f} ms")
        out.append(f"    first page, warm: median {warm[len(warm) // 2]:,.0f} ms, max "
                   f"{warm[-1]:,.0f} ms ({len(warm)} loads)")
        panel = sorted(table["article_panel_warm_ms"])
        out.append(f"    article panel drawn with its highlights: cold "
                   f"{table['article_panel_cold_ms']:,.0f} ms, warm median "
                   f"{panel[len(panel) // 2]:,.0f} ms (from navigation)")
        out.append(f"    go to the last page: {table['last_page_ms']:,.0f} ms")
        out.append(f"    search {table['search']!r} ({table['search_rows']:,} rows): "
                   f"{table['search_ms']:,.0f} ms from the first key, typing and the 0.3 s "
                   "debounce included")
        if table["browser_heap_mb"]:
            out.append(f"    browser JS heap after: {table['browser_heap_mb']:,.0f} MB")
    return "\n".join(out)


def failed(results: dict) -> bool:
    return any("error" in results[name] for name in ("extraction", "grid"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.large",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers")
    args = parser.parse_args(argv)
    results = measure(args.quick)
    print(render(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if failed(results) else 0


if __name__ == "__main__":
    sys.exit(main())
