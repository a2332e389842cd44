"""Downloads: tables as CSV, charts as publication-size PNG, and everything in one ZIP.

CSV goes through `dashboard.csvout` (formula cells neutralised, numbers numeric) and is encoded
as UTF-8 with a byte-order mark: Excel, where most readers of a download open it, reads a CSV
without one in the machine's legacy code page and garbles the curly quotes, dashes and accents
of the article's sentences; pandas and `csv` with encoding "utf-8-sig" read it as plain UTF-8.

PNG is drawn on the server by kaleido 1.x in Debian's Chromium (`/usr/bin/chromium`, or the
`BROWSER_PATH` environment variable). Starting Chromium takes seconds, so each process keeps one
renderer: one browser with one kaleido tab, driven from an event loop on its own thread, started
at the first PNG and closed when the process exits (or after a fork, started afresh in the
child). kaleido is not thread-safe, so every render holds a lock: concurrent callers wait their
turn. The page that draws the charts loads plotly.js from the installed plotly package and no
MathJax, so rendering fetches nothing from a CDN.

`bundle_zip` and `export_all` write the same files, in the same order:

    README.md                       every file, its sources, and how to cite them
    figures.csv, checks.csv         the article's figures and the claim checks
    charts/<name>.csv, <name>.png   each chart's data and the chart itself
    data/datapackage.json           the reference catalog's descriptor (sources, licences)
    data/reference/<name>/<name>.csv  the reference tables it describes
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import html
import io
import json
import os
import re
import signal
import threading
import unicodedata
import zipfile
from collections.abc import Mapping
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

import pandas as pd

from dashboard import csvout, reference

BROWSER_ENV = "BROWSER_PATH"
DEFAULT_BROWSER = "/usr/bin/chromium"
INSTALL_HINT = "install Debian's chromium: apt-get install chromium"

PNG_WIDTH, PNG_HEIGHT, PNG_SCALE = 1200, 675, 2
RENDER_TIMEOUT = 60.0  # seconds for one image; kaleido's own limit, ours a little longer
START_TIMEOUT = 60.0  # seconds for Chromium to start and load the page

# Chromium flags beyond choreographer's: no background requests to Google's services (a server
# has no business making them, and a closed network refuses them), no QUIC.
EXTRA_BROWSER_FLAGS = ("--disable-background-networking", "--disable-quic")

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # every member gets this time, so a bundle's bytes repeat

Charts = Mapping[str, tuple[pd.DataFrame, object]]


class BrowserNotFoundError(RuntimeError):
    """No Chromium at the configured path: says where it looked and how to install it."""


# --- CSV -------------------------------------------------------------------------------------

def csv_bytes(table: pd.DataFrame) -> bytes:
    """`table` as CSV through `csvout.to_csv`, encoded UTF-8 with a byte-order mark (for Excel)."""
    return csvout.to_csv(table).encode("utf-8-sig")


# --- PNG -------------------------------------------------------------------------------------

def browser_path() -> Path:
    """The Chromium to draw with: `$BROWSER_PATH`, else Debian's `/usr/bin/chromium`."""
    return Path(os.environ.get(BROWSER_ENV) or DEFAULT_BROWSER)


def check_browser(path: Path) -> Path:
    """`path` if it is an executable file; BrowserNotFoundError naming the package otherwise."""
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise BrowserNotFoundError(
            f"no Chromium at {path} (set {BROWSER_ENV} to use another); {INSTALL_HINT}")
    return path


def plotly_page():
    """kaleido's page generator: plotly.js from the installed plotly package, MathJax off.

    The page then loads nothing from the network; kaleido's default would fetch MathJax, and
    plotly.js too when it cannot find plotly's copy, from a CDN.
    """
    import plotly
    from kaleido import PageGenerator

    plotly_js = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not plotly_js.is_file():
        raise FileNotFoundError(f"{plotly_js}: the plotly package ships no plotly.js here")
    return PageGenerator(plotly=plotly_js, mathjax=False)


def _quiet_chromium():
    """choreographer's Chromium launcher with EXTRA_BROWSER_FLAGS added to its command line."""
    from choreographer.browsers import Chromium

    class QuietChromium(Chromium):
        def get_cli(self):
            return [*super().get_cli(), *EXTRA_BROWSER_FLAGS]

    return QuietChromium


class PngRenderer:
    """One headless Chromium with one kaleido tab, kept open to draw many PNGs.

    kaleido is asyncio code; the renderer runs it on an event loop of its own thread, so callers
    from any thread (Dash callbacks, the command line) make plain blocking calls, one at a time.
    """

    def __init__(self, browser: Path | None = None, timeout: float = RENDER_TIMEOUT) -> None:
        self.browser = browser or browser_path()
        self.timeout = timeout
        self.pid = os.getpid()  # the process that started it; a forked child needs its own
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None

    @property
    def running(self) -> bool:
        """The browser was started, its process is alive, and so is the thread that drives it
        (a server that stops its threads can end that one and leave the browser behind)."""
        process = getattr(self._kaleido, "subprocess", None)
        thread_alive = self._thread is not None and self._thread.is_alive()
        loop_alive = self._loop is not None and self._loop.is_running()
        return process is not None and process.poll() is None and thread_alive and loop_alive

    @property
    def browser_pid(self) -> int | None:
        """The process id of the browser, while it runs."""
        return self._kaleido.subprocess.pid if self.running else None

    def start(self) -> PngRenderer:
        """Start Chromium and load the drawing page (a no-op when it already runs)."""
        with self._lock:
            self._start()
        return self

    def _start(self) -> None:
        if self.running:
            return
        self._stop()  # a browser that died: clear what is left of it first
        check_browser(self.browser)
        from kaleido import Kaleido

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="png-renderer", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread

        async def open_kaleido():
            kaleido = Kaleido(path=str(self.browser), page_generator=plotly_page(),
                              timeout=self.timeout, browser_cls=_quiet_chromium(),
                              enable_extensions=False)
            await kaleido.open()
            return kaleido

        try:
            self._kaleido = self._call(open_kaleido(), START_TIMEOUT)
        except BaseException:
            self._stop()
            raise

    def render(self, fig, width: int = PNG_WIDTH, height: int = PNG_HEIGHT,
               scale: float = PNG_SCALE, format: str = "png") -> bytes:
        """PNG (or SVG) bytes of plotly figure `fig` at `width` x `height` layout pixels times
        `scale`."""
        opts = {"format": format, "width": width, "height": height, "scale": scale}
        with self._lock:
            self._start()
            try:
                return self._call(self._kaleido.calc_fig(fig, opts=opts), self.timeout + 10)
            except TimeoutError:
                self._stop()  # a browser that hangs is replaced at the next call
                raise

    def close(self) -> None:
        """Close the browser and stop the loop's thread; the renderer can start again later."""
        with self._lock:
            self._stop()

    def _call(self, coroutine, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise TimeoutError(f"Chromium gave no answer in {timeout:.0f} s") from None

    def _stop(self) -> None:
        kaleido, loop, thread = self._kaleido, self._loop, self._thread
        self._kaleido = self._loop = self._thread = None
        if kaleido is not None and loop is not None and loop.is_running():
            try:
                self._close_on(loop, kaleido)
            except Exception:  # closing failed (at interpreter exit, say): end the browser
                _kill(getattr(kaleido, "subprocess", None))
        if loop is not None:
            if loop.is_running():  # end what the browser left running (its watchdog, say)
                with contextlib.suppress(Exception):  # the loop stops below either way
                    asyncio.run_coroutine_threadsafe(_cancel_other_tasks(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
            if thread is not None:
                thread.join(10)
            if not loop.is_running():
                loop.close()

    @staticmethod
    def _close_on(loop: asyncio.AbstractEventLoop, kaleido) -> None:
        asyncio.run_coroutine_threadsafe(kaleido.close(), loop).result(20)


def _kill(process) -> None:
    """Kill a browser and its children: it runs in a session, so a process group, of its own."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (AttributeError, OSError):  # no process groups (Windows), or it is already gone
        process.kill()
    process.wait(10)


async def _cancel_other_tasks() -> None:
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


_renderer: PngRenderer | None = None
_renderer_lock = threading.Lock()


def _process_renderer() -> PngRenderer:
    """This process's renderer object (not started); call with `_renderer_lock` held."""
    global _renderer
    if _renderer is None or _renderer.pid != os.getpid():
        _renderer = PngRenderer()  # a forked child must not share its parent's browser
    return _renderer


def renderer() -> PngRenderer:
    """This process's renderer, started at the first call and reused after."""
    with _renderer_lock:
        return _process_renderer().start()


def png_bytes(fig, width: int = PNG_WIDTH, height: int = PNG_HEIGHT,
              scale: float = PNG_SCALE) -> bytes:
    """PNG of plotly figure `fig`, by default 1200 x 675 at scale 2 (2400 x 1350 pixels).

    Renders one at a time in the process, with its one browser (started at the first call).
    Raises BrowserNotFoundError when Chromium is missing.
    """
    with _renderer_lock:
        return _process_renderer().render(fig, width=width, height=height, scale=scale)


def svg_bytes(fig, width: int = PNG_WIDTH, height: int = PNG_HEIGHT) -> bytes:
    """SVG of plotly figure `fig` at 1200 x 675, for print and for editing; rendered by the same
    browser as the PNGs, one at a time."""
    with _renderer_lock:
        return _process_renderer().render(fig, width=width, height=height, scale=1,
                                          format="svg")


def download_stem(title: str | None, fallback: str, limit: int = 60) -> str:
    """A download's file name stem from the article's title, as a reader would name it
    ("sheinbaum-dismisses-trump-threat-of-mexico-strikes"): ASCII letters and digits joined by
    hyphens, cut at a word within `limit` characters; `fallback` (the document id) without one."""
    ascii_title = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    stem = ""
    for word in words:
        longer = f"{stem}-{word}" if stem else word
        if len(longer) > limit:
            break
        stem = longer
    return stem or file_name(fallback)


def shutdown() -> None:
    """Close this process's renderer, if it started one (also run at exit)."""
    global _renderer
    with _renderer_lock:
        if _renderer is not None and _renderer.pid == os.getpid():
            _renderer.close()
        _renderer = None


atexit.register(shutdown)


# --- the bundle ------------------------------------------------------------------------------

@dataclass(frozen=True)
class BundleFile:
    """One file of a download: its path in the bundle, its bytes, what it is, its sources."""

    path: str
    data: bytes
    about: str
    sources: tuple[str, ...] = ()


def bundle_files(figures: pd.DataFrame, checks: pd.DataFrame,
                 charts: Charts | None = None,
                 data_dir: Path = reference.DATA_DIR) -> list[BundleFile]:
    """Every file of the download, README.md first, in a fixed order.

    `charts` maps a chart's name to (its data, its plotly figure), as
    `dashboard.charts.build_all(figures, checks)` returns them (the default). A chart's sources
    come from its data's `source` column, or else from its figure's "Source: ..." annotations,
    and from its data's `attrs["sources"]`.
    """
    from dashboard.charts import build_all, used_datasets

    if charts is None:
        charts = build_all(figures, checks)
    articles = _article_lines(figures)
    # Only the reference tables this article's checks and charts read: an earnings story's
    # download carries no strike list.
    used = set(used_datasets(checks, list(charts), data_dir))
    package = reference.read_package(data_dir)
    package = {**package, "resources": [r for r in package["resources"] if r["name"] in used]}
    resources = [r["name"] for r in package["resources"]]

    files = [
        BundleFile("figures.csv", csv_bytes(figures),
                   f"Every figure the article states, one row per mention ({len(figures)} rows): "
                   "value, unit, what is counted, who asserts it, where in the text.",
                   tuple(articles)),
        BundleFile("checks.csv", csv_bytes(checks),
                   f"The claim checks, one row per step ({len(checks)} rows): the claim, the data, "
                   "the working with units, the result and the finding.",
                   _credits((*articles, *_column_values(checks, "data_source")), figures)),
    ]
    for name, (table, fig) in charts.items():
        stem = f"charts/{file_name(name)}"
        title, subtitle = _chart_title(fig)
        title = f"\u201c{title}\u201d" if title else f"{name} (untitled)"
        measures = f" {subtitle}" if subtitle else ""
        sources = _chart_sources(table, fig, figures)
        files.append(BundleFile(f"{stem}.csv", csv_bytes(table),
                                f"The data of the chart {title} ({len(table)} rows).", sources))
        files.append(BundleFile(
            f"{stem}.png", png_bytes(fig),
            f"The chart {title}, {PNG_WIDTH * PNG_SCALE} x {PNG_HEIGHT * PNG_SCALE} pixels."
            f"{measures}", sources))
        files.append(BundleFile(
            f"{stem}.svg", svg_bytes(fig),
            f"The chart {title} as SVG ({PNG_WIDTH} x {PNG_HEIGHT}), for print and editing.",
            sources))
    if package["resources"]:  # a data package holds one resource at least (Frictionless)
        files.append(BundleFile(
            "data/datapackage.json",
            (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
            "The Frictionless data package of the reference data this article's checks and "
            "charts read: each table's fields, units, publisher, source URLs, release, licence "
            "and processing notes.",
            tuple(reference.source_line(n, data_dir) for n in resources)))
    for resource in package["resources"]:
        relative = PurePosixPath(resource["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise ValueError(f"resource {resource['name']!r}: path {relative} leaves data/")
        files.append(BundleFile(
            f"data/{relative}", Path(data_dir).joinpath(*relative.parts).read_bytes(),
            f"Reference table `{resource['name']}`: {resource.get('title', '')}.",
            (reference.source_line(resource["name"], data_dir),)))
    paths = [f.path for f in files]
    if len(set(paths)) != len(paths):
        raise ValueError(f"two files of the bundle share a name: {sorted(paths)}")
    readme = _readme(figures, files, package, data_dir)
    return [BundleFile("README.md", readme.encode("utf-8"), "This file."), *files]


def bundle_zip(figures: pd.DataFrame, checks: pd.DataFrame,
               charts: Charts | None = None) -> bytes:
    """The "download everything" ZIP: the files of `bundle_files`, in its order, each dated
    1980-01-01 so that the same tables and charts give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in bundle_files(figures, checks, charts):
            info = zipfile.ZipInfo(file.path, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, file.data)
    return buffer.getvalue()


def export_all(out_dir: Path, figures: pd.DataFrame, checks: pd.DataFrame,
               charts: Charts | None = None) -> list[Path]:
    """Write the files of `bundle_files` under `out_dir`; returns the paths written, in order."""
    out_dir = Path(out_dir)
    written = []
    for file in bundle_files(figures, checks, charts):
        path = out_dir.joinpath(*PurePosixPath(file.path).parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file.data)
        written.append(path)
    return written


def file_name(name: str) -> str:
    """A chart's name as a file name: letters, digits, dot, dash and underscore."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    if not cleaned:
        raise ValueError(f"chart name {name!r} gives no file name")
    return cleaned


def _plain(text: object) -> str:
    """Plotly's HTML-ish text (`<br>`, `<b>`, entities) as one line of plain text."""
    text = re.sub(r"<[^>]*>", " ", str(text or ""))
    return " ".join(html.unescape(text).split())


# An annotation line that starts a new entry; any other line continues the one before it,
# which plotly's text wrapping broke with <br>.
_ENTRY = re.compile(r"(?:Sources?|Notes?|Article|Data)\s*:", re.I)


def _entries(text: object) -> list[str]:
    """The entries ("Source: ...", "Note: ...") of a chart's annotation, wrapped lines rejoined."""
    entries: list[str] = []
    for part in re.split(r"<br\s*/?>", str(text or ""), flags=re.I):
        line = _plain(part)
        if entries and line and not _ENTRY.match(line):
            entries[-1] = f"{entries[-1]} {line}"
        elif line:
            entries.append(line)
    return entries


def _chart_title(fig) -> tuple[str, str]:
    """The chart's title (its finding) and subtitle (what it measures), as plain text."""
    title = fig.layout.title
    subtitle = getattr(title, "subtitle", None)  # plotly 5 has no subtitle
    return _plain(title.text), _plain(subtitle.text if subtitle is not None else "")


def _chart_sources(table: pd.DataFrame, fig, figures: pd.DataFrame) -> tuple[str, ...]:
    """A chart's sources: its data's `source` column (else its figure's annotations) and
    `attrs["sources"]`."""
    if "source" in table.columns:
        values = _column_values(table, "source")
    else:
        values = tuple(entry for note in fig.layout.annotations or ()
                       for entry in _entries(note.text))
    return _credits(values + tuple(str(s) for s in table.attrs.get("sources", ())), figures)


def _credits(values: tuple[str, ...], figures: pd.DataFrame) -> tuple[str, ...]:
    """Reference sources as written ("Source: ..."), and the article when a value cites it
    ("Article: ...", or a figure's document id and characters)."""
    documents = tuple(document_id for document_id, _, _ in _articles(figures))
    sources = [v for v in values if v.lower().startswith("source")]
    if any(v.startswith("Article") or (documents and v.startswith(documents)) for v in values):
        sources = [*_article_lines(figures), *sources]
    return tuple(dict.fromkeys(sources))


def _column_values(table: pd.DataFrame, column: str) -> tuple[str, ...]:
    if column not in table.columns:
        return ()
    values = [str(v) for v in table[column].dropna() if str(v).strip()]
    return tuple(dict.fromkeys(values))


def _articles(figures: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(document id, publisher, publication date) of each document, in the table's order."""
    columns = ["document_id", "publisher", "published"]
    if figures.empty or not set(columns) <= set(figures.columns):
        return []
    rows = figures[columns].astype("string").fillna("").drop_duplicates()
    return [tuple(row) for row in rows.itertuples(index=False)]


def _article_lines(figures: pd.DataFrame) -> list[str]:
    lines = []
    for document_id, publisher, published in _articles(figures):
        by = publisher or "publisher not recorded"
        when = f"published {published}" if published else "publication date not recorded"
        lines.append(f"Article: {by}, document {document_id}, {when}")
    return lines


def _version() -> str:
    try:
        return metadata.version("claims-dashboard")
    except metadata.PackageNotFoundError:
        return "unreleased"


def _citation(figures: pd.DataFrame) -> str:
    articles = _articles(figures)
    described = "; ".join(
        f"{publisher or 'unknown publisher'}, document {document_id}"
        + (f", published {published}" if published else "")
        for document_id, publisher, published in articles)
    subject = f"figures of {described}" if articles else "no article's figures"
    return (f"Quantitative claims dashboard (claims-dashboard {_version()}), {subject}, with "
            "claim checks against reference data. Cite the original data with it:")


# Markdown's characters, escaped in every text the README takes from an article, its metadata or
# the reference catalog, so that a title cannot make a link, an image, HTML or emphasis.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def _md(text: object) -> str:
    """`text` as Markdown shows it literally, on one line."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


def _readme(figures: pd.DataFrame, files: list[BundleFile], package: dict,
            data_dir: Path) -> str:
    articles = [_md(line) for line in _article_lines(figures)]
    heading = articles[0].removeprefix("Article: ") if len(articles) == 1 else "several articles"
    out = [f"# Claims dashboard download: {heading}", ""]
    out += ["Every table and chart the dashboard shows for this article, with the reference "
            "data it is set against. Each file below names its sources.", ""]
    out += ["## Article", ""]
    out += [f"- {line.removeprefix('Article: ')}" for line in articles] or ["- (no figures)"]
    out += ["", "## Files", "", "- `README.md`: this file."]
    for file in files:
        out.append(f"- `{file.path}`: {file.about}")
        out += [f"  - {_md(source)}" for source in file.sources]
    out += ["", "## Reference data", ""]
    if not package["resources"]:
        out.append("- None: no check of this article read a reference table.")
    for resource in package["resources"]:
        licences = ", ".join(licence.get("title") or licence.get("name", "")
                             for licence in resource.get("licenses", []))
        line = reference.source_line(resource["name"], data_dir)
        out.append(f"- `{resource['name']}`: {_md(line)}"
                   + (f". Licence: {_md(licences)}" if licences else ""))
        for source in resource.get("sources", []):
            parts = [source.get("publisher"), source.get("title"), source.get("path")]
            out.append("  - " + _md(", ".join(str(part) for part in parts if part)))
    out += ["", "## The CSV files", "",
            "UTF-8 with a byte-order mark (so that Excel reads them as UTF-8), a header row, "
            "comma-separated, rows ending in CRLF (RFC 4180). Numbers are plain numbers; every "
            "text cell is quoted. Text that a spreadsheet would run as a formula (starting with "
            "=, +, -, @, a tab or a carriage return, or with =, +, - or @ right after a comma, "
            "semicolon or tab) has an apostrophe before it.", ""]
    out += ["## How to cite", "", _md(_citation(figures)), ""]
    out += [f"- {_md(reference.source_line(r['name'], data_dir).removeprefix('Source: '))}"
            for r in package["resources"]]
    out.append("")
    return "\n".join(out)
