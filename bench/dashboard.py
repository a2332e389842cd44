"""`python -m bench.dashboard [--quick] [--json PATH]`: the dashboard's speed in headless Chromium.

What it measures (never asserts), each beside its aim:

- views: from navigation start to the view drawn, timed in the page (`performance.now()`, a
  MutationObserver injected before the page's own scripts), for every view of two articles: the
  seed, and a real article of another kind put into the upload store as the app's upload does
  (OTHER_ARTICLE, from tests/verification; its key is the store's, in a temporary store folder
  that the served app shares and that is removed at the end). "Drawn" is, per view (VIEW_PROBE):
  every chart with its title (chart views), the verdicts listed, the checks listed, the grid
  holding rows and the article's text shown (figures). First a cold view of each (the seed's
  claim view on a fresh server, nothing computed yet; then the other article's series view, its
  analysis and charts not computed, the catalog already read; the browser already holds the
  app's scripts), then every view of both on the warm server, in turn.
- callbacks: choosing a stance in the dropdown until the grid holds the filtered rows (it pages
  them from the server), and clicking a row of the grid until its highlight is shown in the
  article; from the click's pointerdown to the grid counting and holding the expected rows or
  the selected highlight appearing, timed in the page.
- PNG export: seconds per `dashboard.export.png_bytes` call with a warm renderer, in this
  process (the renderer's start is reported apart).

The app runs in a child process (`python -m bench.dashboard serve --port N`, the app factory on
Flask's threaded server) on a free loopback port, and is stopped at the end. Chromium and
ChromeDriver are Debian's (`CHROMIUM_PATH`, `CHROMEDRIVER_PATH` override them); severe console
entries are counted and reported.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.extraction import percentile

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER_PATH") or "/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1000",
)
# A real article that is not the seed, with checks against a catalog series (so a series view)
# and a claim chart: an inflation fact-check. Opened from the upload store, like an upload.
OTHER_ARTICLE = ("tests/verification/articles.toml",
                 "breitbart-2024-05-14-factcheck-biden-inflation")
COLD_VIEWS = {"seed": "claim", "other": "series"}  # the first view of each on a cold server
STANCE = "claim"  # the dropdown option toggled on and off
SELECT_ROWS = (0, 7)  # grid rows clicked in turn (both on the first screen of the grid)

VIEW_AIM_MS = 1500.0  # every view, warm
COLD_AIM_MS = 2500.0  # the first view on a cold server
CALLBACK_P95_AIM_MS = 150.0
PNG_AIM_S = 1.0

SETTINGS = {
    "standard": {"loads": 5, "callbacks": 30, "pngs": 10},
    "quick": {"loads": 1, "callbacks": 6, "pngs": 3},
}
START_TIMEOUT_S = 60.0
WAIT_TIMEOUT_S = 30.0

# Runs in every new page before its scripts: records when the view in the URL is drawn, in ms
# since navigation start. Drawn: a chart view's every chart with its title; the verdicts or the
# checks listed (or the sentence saying there are none); the grid holding rows and the article's
# text shown beside it.
VIEW_PROBE = """
(() => {
  window.__viewDrawnAt = null;
  const view = new URLSearchParams(location.search).get('view') || 'verdicts';
  const listed = {
    verdicts: '#verdicts-panel li.verdict, #verdicts-panel > p:not(.lede)',
    checks: '#checks-panel .check, #checks-panel > p',
  };
  const drawn = () => {
    const box = document.getElementById('view-' + view);
    if (!box || box.style.display !== 'block') { return false; }
    if (listed[view]) { return box.querySelector(listed[view]) !== null; }
    if (view === 'figures') {
      return box.querySelector('#figures-grid .ag-row[row-id] .ag-cell') !== null
        && box.querySelector('#article-text .article-paragraph') !== null;
    }
    const charts = Array.from(box.querySelectorAll('.chart'));
    return charts.length > 0 && charts.every(chart => {
      const title = chart.querySelector('.main-svg .gtitle');
      return title !== null && title.textContent.trim() !== '';
    });
  };
  const observer = new MutationObserver(() => {
    if (window.__viewDrawnAt === null && drawn()) {
      window.__viewDrawnAt = performance.now();
      observer.disconnect();
    }
  });
  const watch = () => observer.observe(document.documentElement, {
    childList: true, subtree: true, characterData: true, attributes: true,
    attributeFilter: ['style', 'row-id']});
  if (document.documentElement) { watch(); }
  else { document.addEventListener('readystatechange', watch, {once: true}); }
})();
"""

# Arms one callback measurement: t0 at the next pointerdown, t1 when `done` first holds after it.
ARM = """
const kind = arguments[0], target = arguments[1];
const probe = window.__probe = {t0: null, t1: null};
document.addEventListener('pointerdown', () => { probe.t0 = performance.now(); },
                          {capture: true, once: true});
const finish = () => {
  if (probe.t0 !== null && probe.t1 === null) { probe.t1 = performance.now(); }
};
if (kind === 'filter') {
  // The grid pages rows from the server: done when it counts `target` rows and has them all.
  const api = dash_ag_grid.getApi('figures-grid');
  const check = () => {
    let loading = false;
    api.forEachNode(node => { if (!node.data) { loading = true; } });
    if (probe.t0 !== null && !loading && api.paginationGetRowCount() === target) { finish(); }
    if (probe.t1 === null) { requestAnimationFrame(check); }
  };
  requestAnimationFrame(check);
} else {
  const text = document.getElementById('article-text');
  const shown = () => {
    const mark = text.querySelector('mark.selected');
    return mark !== null && JSON.parse(mark.id).index === target;
  };
  const observer = new MutationObserver(() => {
    if (shown()) { finish(); observer.disconnect(); }
  });
  observer.observe(text, {childList: true, subtree: true, attributes: true});
}
"""


# -- the server -----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def serve(port: int) -> None:
    """The child process: one app from the factory, Flask's threaded server, no request log,
    warmed up as `python -m dashboard serve` warms up."""
    import logging

    from dashboard.app import create_app
    from dashboard.app.articles import start_warm_up

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = create_app()
    start_warm_up()
    app.run(host=HOST, port=port, debug=False)


class AppServer:
    """The app in a child process on a free loopback port (`python -m bench.dashboard serve`)."""

    def __init__(self, log, store: Path) -> None:
        port = free_port()
        self.url = f"http://{HOST}:{port}"
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.dashboard", "serve", "--port", str(port)],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
            env=store_environment(store))

    def wait(self) -> str:
        """The server's URL, once it answers."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"the app server exited ({self.process.returncode}): "
                                   + self.log.read().decode(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(f"{self.url}/_dash-layout", timeout=5):
                    return self.url
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the app server gave no answer at {self.url}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@contextlib.contextmanager
def app_server(store: Path):
    """Start the app server on the upload store `store` (it starts while the caller goes on;
    `wait()` for it); stop it at the end."""
    with tempfile.TemporaryFile() as log:
        server = AppServer(log, store)
        try:
            yield server
        finally:
            server.stop()


def store_environment(folder: Path) -> dict:
    """The environment with the upload store in `folder` (a store URL would take precedence)."""
    environment = {**os.environ, "CLAIMS_DASHBOARD_STORE": str(folder)}
    environment.pop("CLAIMS_DASHBOARD_STORE_URL", None)
    return environment


def other_article() -> dict:
    """OTHER_ARTICLE's record: its text, title, publisher and publication date."""
    import tomllib

    path, wanted = OTHER_ARTICLE
    articles = tomllib.loads((REPO / path).read_text(encoding="utf-8"))["article"]
    (article,) = [a for a in articles if a["id"] == wanted]
    return article


@contextlib.contextmanager
def upload_store():
    """A temporary upload store holding OTHER_ARTICLE, stored as the app's upload stores a
    pasted article; yields (the store's folder, the article's key, its views). Removed at the
    end."""
    from unittest import mock

    from dashboard import store
    from dashboard.app.articles import views_of
    from dashboard.ingest import document_from_text

    article = other_article()
    folder = Path(tempfile.mkdtemp(prefix="bench-dashboard-store-"))
    try:
        with mock.patch.dict(os.environ, store_environment(folder), clear=True):
            document = document_from_text(article["text"], published=article["published"],
                                          title=article["title"], publisher=article["publisher"])
            key = store.save(store.StoredArticle(
                text=document.text, published=document.published.isoformat(),
                name=document.document_id, format=document.format,
                publisher=document.publisher, title=document.title))
            views = [v for v in views_of(key) if v != "upload"]
        yield folder, key, views
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- the browser ----------------------------------------------------------------------------
@contextlib.contextmanager
def chromium():
    """Headless Chromium driven by ChromeDriver, with a fresh profile and the chart probe."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path in (CHROMIUM, CHROMEDRIVER):
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise RuntimeError(f"no {path}: install Debian's chromium and chromium-driver "
                               "(or set CHROMIUM_PATH and CHROMEDRIVER_PATH)")
    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": VIEW_PROBE})
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT_TIMEOUT_S
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {WAIT_TIMEOUT_S:.0f} s")
        time.sleep(0.01)
    return value


def view_ms(driver, base: str, view: str, article: str = "seed") -> float:
    """Ms from navigation start to `view` drawn (see VIEW_PROBE)."""
    driver.get(f"{base}/?article={article}&view={view}")
    return wait_for(lambda: driver.execute_script("return window.__viewDrawnAt;"),
                    f"the {view} view of {article}")


# The grid's rows that have come from the server, or null while a block is on its way.
LOADED_ROWS = """try {
    const api = dash_ag_grid.getApi('figures-grid');
    let count = 0, loading = false;
    api.forEachNode(node => { if (node.data) { count += 1; } else { loading = true; } });
    return loading ? null : count;
} catch (error) { return null; }"""


def grid_ready(driver, rows: int | None = None) -> bool:
    count = driver.execute_script(LOADED_ROWS)
    return bool(count) and (rows is None or count == rows)


def measured_click(driver, kind: str, target: str | int, element) -> float:
    """Ms from pointerdown on `element` to the callback's result shown (see ARM)."""
    driver.execute_script(ARM, kind, target)
    element.click()
    times = wait_for(lambda: driver.execute_script(
        "const p = window.__probe; return p.t1 === null ? null : [p.t0, p.t1];"),
        f"the {kind} callback's result")
    return times[1] - times[0]


def filter_latencies(driver, base: str, repetitions: int) -> list[float]:
    """Toggle the stance STANCE in the dropdown; each toggle replaces the grid's rows."""
    from selenium.webdriver.common.by import By

    from dashboard.extract import extract_document
    from dashboard.ingest import read_document

    figures = extract_document(read_document(REPO / "seeds" / "000_20713228fd6701a2.txt"))
    counts = [int((figures["stance"] == STANCE).sum()), len(figures)]  # toggled on, then off
    driver.get(f"{base}/?article=seed&view=figures")
    wait_for(lambda: grid_ready(driver), "the grid's rows")
    samples = []
    for repetition in range(repetitions):
        options = driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option")
        if not options:  # the menu closed: open it again
            driver.find_element(By.ID, "filter-stance").click()
            options = wait_for(lambda: driver.find_elements(
                By.CSS_SELECTOR, ".dash-dropdown-option"), "the stance options")
        (option,) = [o for o in options if o.text == STANCE]
        samples.append(measured_click(driver, "filter", counts[repetition % 2], option))
    return samples


def select_latencies(driver, base: str, repetitions: int) -> list[float]:
    """Click two rows of the grid in turn; each click highlights its figure in the article."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/?article=seed&view=figures")
    wait_for(lambda: grid_ready(driver), "the grid's rows")
    ids = driver.execute_script(
        "const ids = []; dash_ag_grid.getApi('figures-grid')"
        ".forEachNode(n => ids.push(n.data.figure_id)); return ids;")
    targets = [ids[i] for i in SELECT_ROWS]
    samples = []
    for repetition in range(repetitions):
        target = targets[repetition % len(targets)]
        cell = driver.find_element(
            By.CSS_SELECTOR, f'#figures-grid .ag-row[row-id="{target}"] [col-id="surface"]')
        samples.append(measured_click(driver, "select", target, cell))
    return samples


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser")]


def browser_phase(settings: dict) -> dict:
    from dashboard.app.articles import views_of

    loads, repetitions = settings["loads"], settings["callbacks"]
    with upload_store() as (store, other, other_views), app_server(store) as server, \
            chromium() as driver:  # the server and the browser start at once
        keys = {"seed": "seed", "other": other}
        article_views = {"seed": [v for v in views_of("seed") if v != "upload"],
                         "other": other_views}
        base = server.wait()
        # The app's scripts into the browser's cache, without computing any article.
        driver.get(f"{base}/?article=0000000000000000&view=claim")
        wait_for(lambda: driver.find_elements("css selector", "#article-error .alert"),
                 "the page of an unknown article")
        cold = {name: {"view": COLD_VIEWS[name],
                       "ms": view_ms(driver, base, COLD_VIEWS[name], keys[name])}
                for name in keys}
        views: dict = {name: {view: [] for view in article_views[name]} for name in keys}
        for _ in range(loads):  # in turn, so that the machine's swings fall on every view
            for name, key in keys.items():
                for view in article_views[name]:
                    views[name][view].append(view_ms(driver, base, view, key))
        filtering = filter_latencies(driver, base, repetitions)
        selecting = select_latencies(driver, base, repetitions)
        errors = console_errors(driver)
    return {
        "server": "app factory on Flask's threaded server, one process",
        "articles": {"seed": "seeds/ (the seed article)",
                     "other": f"{OTHER_ARTICLE[1]} ({OTHER_ARTICLE[0]}), from the upload store"},
        "cold_ms": cold,
        "views_ms": views,
        "callbacks_ms": {"filter_stance": filtering, "select_figure": selecting},
        "console_errors": errors,
    }


# -- PNG --------------------------------------------------------------------------------------
def png_phase(calls: int) -> dict:
    from dashboard import charts, export
    from dashboard.checks import checks_table
    from dashboard.extract import extract_document
    from dashboard.ingest import read_document

    figures = extract_document(read_document(REPO / "seeds" / "000_20713228fd6701a2.txt"))
    built = [figure for _, figure in charts.build_all(figures, checks_table(figures)).values()]
    try:
        started = time.perf_counter()
        export.renderer()
        start_s = time.perf_counter() - started
        started = time.perf_counter()
        export.png_bytes(built[0])  # the first image also loads plotly.js in the page
        first_s = time.perf_counter() - started
        seconds = []
        for call in range(calls):
            started = time.perf_counter()
            export.png_bytes(built[call % len(built)])
            seconds.append(time.perf_counter() - started)
    finally:
        export.shutdown()
    return {"renderer_start_s": start_s, "first_png_s": first_s, "seconds": seconds}


# -- the whole bench --------------------------------------------------------------------------
def summary(samples: list[float]) -> dict:
    return {"n": len(samples), "median": percentile(samples, 0.5),
            "p95": percentile(samples, 0.95), "max": max(samples)}


def measure(mode: str = "standard") -> dict:
    """Every phase's numbers; an error in a phase is reported in its place."""
    settings = SETTINGS[mode]
    started = time.perf_counter()
    results: dict = {"mode": mode, "settings": settings,
                     "load_average_1min": round(os.getloadavg()[0], 2)}  # others' work skews it
    for name, phase in (("browser", lambda: browser_phase(settings)),
                        ("png", lambda: png_phase(settings["pngs"]))):
        phase_started = time.perf_counter()
        try:
            results[name] = phase()
        except Exception as error:  # a broken phase is reported; the others still run
            results[name] = {"error": f"{type(error).__name__}: {error}"}
        results[name]["phase_seconds"] = time.perf_counter() - phase_started
    results["wall_seconds"] = time.perf_counter() - started
    results["aims"] = judge(results)
    return results


def judge(results: dict) -> list[dict]:
    """One row per measurement: the number, the aim and the verdict."""
    rows = []

    def row(what: str, measured: float | None, unit: str, aim: float) -> None:
        verdict = "not measured" if measured is None else \
            "meets aim" if measured < aim else "misses aim"
        rows.append({"what": what, "measured": measured, "unit": unit,
                     "aim": f"< {aim:g} {unit}", "verdict": verdict})

    browser = results.get("browser", {})
    if "error" not in browser:
        for name, cold in browser["cold_ms"].items():
            row(f"{name}: {cold['view']} view, cold: drawn", cold["ms"], "ms", COLD_AIM_MS)
        for name, views in browser["views_ms"].items():
            for view, samples in views.items():
                stats = summary(samples)
                row(f"{name}: {view} view, warm: drawn (max of {stats['n']})", stats["max"],
                    "ms", VIEW_AIM_MS)
        for name, samples in browser["callbacks_ms"].items():
            stats = summary(samples)
            what = {"filter_stance": "filter by stance -> grid rows updated",
                    "select_figure": "click a row -> highlight shown"}[name]
            row(f"{what}, p95 of {stats['n']}", stats["p95"], "ms", CALLBACK_P95_AIM_MS)
    png = results.get("png", {})
    if "error" not in png:
        stats = summary(png["seconds"])
        row(f"PNG 2400x1350, warm renderer, p95 of {stats['n']}", stats["p95"], "s", PNG_AIM_S)
    return rows


def number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def render(results: dict) -> str:
    out = [f"Dashboard in headless Chromium ({results['mode']}; the app in its own process on "
           f"127.0.0.1; load average {results['load_average_1min']} at the start)"]
    browser, png = results.get("browser", {}), results.get("png", {})
    if "error" in browser:
        out.append(f"  browser phase failed: {browser['error']}")
    else:
        out.append("  views, ms from navigation start to the view drawn (seed | other: "
                   f"{OTHER_ARTICLE[1]}):")
        out.append(f"    {'':<22}{'seed median':>12}{'max':>7}{'other median':>14}{'max':>7}")
        cold = browser["cold_ms"]
        out.append(f"    {'cold server':<22}{cold['seed']['view']:>12}"
                   f"{number(cold['seed']['ms']):>7}{cold['other']['view']:>14}"
                   f"{number(cold['other']['ms']):>7}")
        views = browser["views_ms"]
        for view in dict.fromkeys([*views["seed"], *views["other"]]):
            cells = []
            for name, width in (("seed", 12), ("other", 14)):
                if view in views[name]:
                    stats = summary(views[name][view])
                    cells.append(f"{number(stats['median']):>{width}}{number(stats['max']):>7}")
                else:
                    cells.append(f"{'(no view)':>{width + 7}}")
            out.append(f"    {view + ', warm':<22}{''.join(cells)}")
        out.append("  callbacks, ms from the click to the result shown:")
        for name, samples in browser["callbacks_ms"].items():
            stats = summary(samples)
            out.append(f"    {name:<22}{'p50':>8} {number(stats['median']):>6}   p95 "
                       f"{number(stats['p95']):>6}   max {number(stats['max']):>6}"
                       f"   ({stats['n']} clicks)")
        errors = browser["console_errors"]
        out.append(f"  severe console entries: {len(errors)}")
        out += [f"    {message[:160]}" for message in errors[:5]]
    if "error" in png:
        out.append(f"  PNG phase failed: {png['error']}")
    else:
        stats = summary(png["seconds"])
        out.append(f"  PNG export: renderer start {number(png['renderer_start_s'])} s, first image "
                   f"{number(png['first_png_s'])} s; warm, "
                   f"median {number(stats['median'])} s, p95 {number(stats['p95'])} s "
                   f"({stats['n']} calls)")
    out += ["", "Dashboard aims (reported, never enforced):",
            f"  {'measure':<60}{'measured':<12}{'aim':<12}verdict"]
    for aim in results["aims"]:
        measured = f"{number(aim['measured'])} {aim['unit']}"
        out.append(f"  {aim['what']:<60}{measured:<12}{aim['aim']:<12}{aim['verdict']}")
    out.append(f"\ndashboard bench wall time {results['wall_seconds']:.1f} s")
    return "\n".join(out)


def failed(results: dict) -> bool:
    """A phase that could not complete (not a slow one)."""
    return any("error" in results.get(part, {}) for part in ("browser", "png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard",
                                     description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    server = commands.add_parser("serve", help="run the app (the bench starts this itself)")
    server.add_argument("--port", type=int, required=True)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (about 30 s)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.port)
        return 0
    results = measure("quick" if args.quick else "standard")
    print(render(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if failed(results) else 0


if __name__ == "__main__":
    sys.exit(main())
