"""`python -m bench.load [--quick] [--json PATH]`: the Procfile's gunicorn under load, on loopback.

The server is the Procfile's own `web:` command (read from the file, never copied here), on a free
loopback port, with a temporary upload store of its own. Then:

- load: simulated users (50 for 60 s; `--quick`: 10 for 10 s), each in a loop with no think time:
  a page load (the HTML, `/_dash-layout`, `/_dash-dependencies`, the stylesheet, and the callbacks
  the browser fires when the page opens: the URL, the view, the heading and checks, the charts of
  the view, the grid's rows, the article text), then the grid filtered by a stance, a CSV
  download, and a pasted article uploaded and then opened by its key (a new text every time, so
  the disk store is written and any worker may have to read it back). Callback bodies are built
  from what the server's `/_dash-dependencies` and `/_dash-layout` say, as the browser builds
  them, and every answer is checked: status 200 and the content that this process computes for
  the seed (its title, its figures, claims, checks and highlights). An error is a non-200
  status, a timeout, a connection error or wrong content; errors are counted, never fatal.
- PNG export: 10 chart PNGs (different charts, scales and articles) requested at the same moment,
  then each again alone, one after another: every answer must be a 2400 x 1350 PNG named after
  its chart and identical to the one drawn alone (so none was swapped with another request's).

Numbers reported: requests, requests per second, latency percentiles overall and per kind of
request, errors, each worker's memory (sampled VmRSS, and VmHWM at the end) and that of the
Chromium that kaleido starts under it, the client's own CPU time (it shares the machine's cores
with the server), the load average. The exit status is 1 only when the measurement could not be
made (the server did not start, the harness broke), never for slowness or errors counted.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import datetime
import functools
import http.client
import io
import json
import os
import re
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.dashboard import free_port
from bench.extraction import percentile

REPO = Path(__file__).resolve().parent.parent
PROCFILE = REPO / "Procfile"
HOST = "127.0.0.1"
SETTINGS = {"standard": {"users": 50, "seconds": 60.0}, "quick": {"users": 10, "seconds": 10.0}}
PNG_REQUESTS = 10
PNG_SIZE = (2400, 1350)
PUBLISHED = "2025-11-18"  # the seed's date, given to every upload too

START_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 30.0  # a callback waiting longer than this counts as an error
PNG_TIMEOUT_S = 150.0  # past gunicorn's own --timeout 120, so that its verdict is the one seen
STOP_TIMEOUT_S = 45.0  # gunicorn's graceful stop waits up to 30 s for busy workers
SAMPLE_EVERY_S = 0.5
WARM_ROUNDS = 6  # pairs of PNG requests sent to start each worker's Chromium before timing
MAX_ERRORS_KEPT = 20

# A small article for the upload path. The tag (letters only: no new figures) makes each upload a
# new text, so that each one is written to the store and extracted afresh.
UPLOAD_TEXT = (
    "Flooding damaged 48 homes in the river district on Monday, the city council said.\n"
    "About 1,200 residents spent the night in three shelters, and officials estimated the "
    "repairs at $3.5 million.\n"
    "\u201cWe expect at least 20 more families to need help this week,\u201d said Mayor Ana "
    "Ruiz.\n"
    "Filed by desk {tag}.\n"
)

ALL, MATCH, ALLSMALLER = ["ALL"], ["MATCH"], ["ALLSMALLER"]


# -- the server: the Procfile's command ------------------------------------------------------------
def procfile_command(procfile: Path, port: int, host: str = HOST) -> list[str]:
    """The Procfile's `web:` command as an argument list, bound to `host`:`port`.

    `$PORT` (or `${PORT}`) becomes `port`. The program is taken from the running interpreter's
    environment when it is there (the venv's gunicorn), else from PATH.
    """
    command = None
    for line in procfile.read_text(encoding="utf-8").splitlines():
        name, colon, rest = line.partition(":")
        if colon and name.strip() == "web":
            command = rest.strip()
    if not command:
        raise RuntimeError(f"{procfile.name} has no web: process")
    argv = [re.sub(r"\$(PORT\b|\{PORT\})", str(port), token) for token in shlex.split(command)]
    # The Procfile binds every interface, as a platform's router needs; the bench binds loopback
    # only, so that the unauthenticated server it starts on a shared machine is reachable from
    # this machine alone (and the client connects to loopback anyway).
    bound = False
    for index, token in enumerate(argv):
        if token in ("--bind", "-b") and index + 1 < len(argv):
            argv[index + 1] = f"{host}:{argv[index + 1].rsplit(':', 1)[-1]}"
            bound = True
        elif token.startswith("--bind="):
            argv[index] = f"--bind={host}:{token.rsplit(':', 1)[-1]}"
            bound = True
    if not bound:
        raise RuntimeError(f"the web: command of {procfile.name} has no --bind: {command}")
    local = Path(sys.executable).parent / argv[0]
    argv[0] = str(local) if local.is_file() else (shutil.which(argv[0]) or argv[0])
    return argv


def workers_of(command: list[str]) -> int | None:
    for index, token in enumerate(command):
        if token in ("--workers", "-w") and index + 1 < len(command):
            return int(command[index + 1])
        if token.startswith("--workers="):
            return int(token.split("=", 1)[1])
    return None


# -- processes, from /proc -------------------------------------------------------------------------
def process_table() -> dict[int, tuple[int, str, int]]:
    """pid -> (parent pid, name, start time in clock ticks) of every process now running."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        table[int(entry)] = (int(fields[1]), name, int(fields[19]))
    return table


def children(table: dict, pid: int) -> list[int]:
    return sorted(p for p, (parent, _, _) in table.items() if parent == pid)


def descendants(table: dict, pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for child in children(table, todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def status_kb(pid: int, key: str) -> int | None:
    """A `kB` line of /proc/<pid>/status (VmRSS, VmHWM), or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def pss_kb(pid: int) -> int | None:
    """Proportional set size: shared pages divided among their sharers, so a tree's sum is fair
    (Chromium's processes share most of their pages; their RSS summed counts those many times)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (not idle, not waiting on I/O) since boot:
    the load's share of it tells how much of the cores other work took meanwhile."""
    with open("/proc/stat", encoding="utf-8") as handle:
        values = [int(v) for v in handle.readline().split()[1:9]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def alive(pid: int, started: int) -> bool:
    """The process `pid` is still the one that started at `started` (pids are reused)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return False
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[19]) == started and fields[0] != "Z"


class MemorySampler(threading.Thread):
    """Samples the master's workers (VmRSS) and each worker's descendants (Chromium: RSS and PSS
    summed) every SAMPLE_EVERY_S; keeps the peaks per phase and every descendant ever seen."""

    def __init__(self, master: int) -> None:
        super().__init__(name="memory-sampler", daemon=True)
        self.master = master
        self.phase = "start"
        self.peaks: dict[str, dict[int, dict]] = {}
        self.seen: dict[tuple[int, int], str] = {}  # (pid, start time) -> name, under a worker
        self.workers_seen: set[int] = set()
        self._stop_event = threading.Event()
        self._lock = threading.Lock()

    def run(self) -> None:
        while not self._stop_event.wait(SAMPLE_EVERY_S):
            self.sample()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(10)
        self.sample()

    def sample(self) -> None:
        table = process_table()
        with self._lock:
            peaks = self.peaks.setdefault(self.phase, {})
            for worker in children(table, self.master):
                self.workers_seen.add(worker)
                tree = descendants(table, worker)
                for pid in tree:
                    self.seen[(pid, table[pid][2])] = table[pid][1]
                rss = [status_kb(p, "VmRSS") or 0 for p in tree]
                pss = [pss_kb(p) or 0 for p in tree]
                peak = peaks.setdefault(worker, {"rss_kb": 0, "tree_processes": 0,
                                                 "tree_rss_kb": 0, "tree_pss_kb": 0})
                peak["rss_kb"] = max(peak["rss_kb"], status_kb(worker, "VmRSS") or 0)
                peak["tree_processes"] = max(peak["tree_processes"], len(tree))
                peak["tree_rss_kb"] = max(peak["tree_rss_kb"], sum(rss))
                peak["tree_pss_kb"] = max(peak["tree_pss_kb"], sum(pss))


class Server:
    """The Procfile's web: command in a session of its own, its log in a temporary file."""

    def __init__(self, store: Path, log) -> None:
        self.port = free_port()
        self.command = procfile_command(PROCFILE, self.port)
        self.log = log
        env = {**os.environ, "PORT": str(self.port), "CLAIMS_DASHBOARD_STORE": str(store)}
        # A session (so a process group) of its own: the stop can end every process in it.
        self.process = subprocess.Popen(self.command, cwd=REPO, env=env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self) -> float:
        """Seconds until the server answered /_dash-layout with 200."""
        started = time.monotonic()
        while True:
            if self.process.poll() is not None:
                program = Path(self.command[0]).name
                raise RuntimeError(f"{program} exited ({self.process.returncode}): "
                                   + self.log_text()[-2000:])
            reply = fetch(self.port, "GET", "/_dash-layout", timeout=5)
            if reply.status == 200:
                return time.monotonic() - started
            if time.monotonic() - started > START_TIMEOUT_S:
                raise RuntimeError(f"gunicorn gave no answer on port {self.port} in "
                                   f"{START_TIMEOUT_S:.0f} s: " + self.log_text()[-2000:])
            time.sleep(0.2)

    def stop(self, browsers: dict[tuple[int, int], str]) -> dict:
        """SIGTERM to the master (gunicorn's graceful stop: workers finish their request and
        exit, closing their Chromium at exit), then whatever outlived it is killed.

        `browsers` are the workers' descendants seen while running. kaleido starts Chromium in
        a session of its own, so a kill of gunicorn's process group would not reach it: any
        still alive after the stop are killed by pid and reported."""
        started = time.monotonic()
        result: dict = {"signal": "SIGTERM"}
        if self.process.poll() is None:  # (not reaped yet: its pid is still its own)
            table = process_table()  # and whatever runs under the master right now
            browsers = {**browsers, **{(pid, table[pid][2]): table[pid][1]
                                       for pid in descendants(table, self.process.pid)}}
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            result["killed_master"] = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # workers orphaned by a stuck master
        if self.process.poll() is None:
            self.process.wait(10)
        result["returncode"] = self.process.returncode
        result["seconds"] = time.monotonic() - started
        time.sleep(0.5)  # a browser closing at exit may need a moment after its worker is gone
        left = [(pid, started_at, name) for (pid, started_at), name in browsers.items()
                if alive(pid, started_at)]
        for pid, _, _ in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        result["left_behind"] = [f"{name} (pid {pid})" for pid, _, name in left]
        return result

    def log_text(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", errors="replace")


def server_log_summary(text: str) -> dict:
    """Status counts from gunicorn's access log, and the lines that speak of trouble."""
    statuses = Counter(match.group(1) for match in re.finditer(r'HTTP/[\d.]+" (\d{3}) ', text))
    trouble = [line for line in text.splitlines()
               if re.search(r"Traceback|\[(ERROR|CRITICAL)\]|WORKER TIMEOUT|Error:", line)]
    return {"statuses": dict(sorted(statuses.items())), "trouble_lines": len(trouble),
            "first_trouble": trouble[:10]}


# -- HTTP ------------------------------------------------------------------------------------------
@dataclass
class Reply:
    status: int | None
    data: bytes
    seconds: float
    error: str | None = None


def fetch(port: int, method: str, path: str, body: dict | None = None,
          timeout: float = REQUEST_TIMEOUT_S) -> Reply:
    """One request on a new connection (gunicorn's sync workers close each one after its
    response, so a browser too opens one per request)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = {"User-Agent": "bench.load", "Accept": "application/json"}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return Reply(response.status, data, time.perf_counter() - started)
    except TimeoutError:
        return Reply(None, b"", time.perf_counter() - started, f"timeout after {timeout:.0f} s")
    except (OSError, http.client.HTTPException) as error:
        return Reply(None, b"", time.perf_counter() - started,
                     f"connection error: {type(error).__name__}: {error}")
    finally:
        connection.close()


# -- callbacks, as the browser builds them ---------------------------------------------------------
def stringify_id(component_id) -> str:
    """A component id as Dash writes it in prop ids and responses (dash._utils.stringify_id)."""
    if isinstance(component_id, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{json.dumps(component_id[k])}"
                              for k in sorted(component_id)) + "}"
    return component_id


def split_output(output: str) -> list[tuple[object, str]]:
    """The (id, property) pairs of a dependency's `output` ("a.b" or "..a.b...c.d..")."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    pairs = []
    for part in parts:
        name, prop = part.rsplit(".", 1)
        pairs.append((json.loads(name) if name.startswith("{") else name, prop))
    return pairs


def is_pattern(component_id) -> bool:
    return isinstance(component_id, dict) and any(
        v in (ALL, MATCH, ALLSMALLER) for v in component_id.values())


def layout_components(layout) -> dict[str, tuple[object, dict]]:
    """Every component of the layout with an id: stringified id -> (id, props), in page order."""
    found: dict[str, tuple[object, dict]] = {}

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            props = node.get("props") if "namespace" in node else None
            if isinstance(props, dict):
                if "id" in props:
                    found[stringify_id(props["id"])] = (props["id"], props)
                for value in props.values():
                    walk(value)
            else:
                for value in node.values():
                    walk(value)

    walk(layout)
    return found


@dataclass(frozen=True)
class Callback:
    output: str  # as /_dash-dependencies writes it: the key the server finds the callback by
    outputs: tuple[tuple[object, str], ...]
    inputs: tuple[tuple[object, str], ...]
    state: tuple[tuple[object, str], ...]


class DashApp:
    """What the browser knows of the app: its server-side callbacks and its layout's components."""

    def __init__(self, dependencies: list[dict], layout: dict) -> None:
        self.callbacks = [
            Callback(d["output"], tuple(split_output(d["output"])),
                     tuple((i["id"] if not i["id"].startswith("{") else json.loads(i["id"]),
                            i["property"]) for i in d["inputs"]),
                     tuple((s["id"] if not s["id"].startswith("{") else json.loads(s["id"]),
                            s["property"]) for s in d.get("state", [])))
            for d in dependencies if not d.get("clientside_function")]
        self.components = layout_components(layout)

    def callback(self, component: str, prop: str) -> Callback:
        """The callback with output `component`.`prop`; `component` is an id, or the `type` of a
        pattern-matching id."""
        for callback in self.callbacks:
            for output_id, output_prop in callback.outputs:
                name = output_id.get("type") if isinstance(output_id, dict) else output_id
                if name == component and output_prop.split("@")[0] == prop:
                    return callback
        raise LookupError(f"no server callback writes {component}.{prop}")

    def writes(self, component: str, prop: str) -> bool:
        try:
            self.callback(component, prop)
        except LookupError:
            return False
        return True

    def grid_block(self) -> int:
        """Rows per request of a grid with AG Grid's infinite row model (its default: 100)."""
        props = self.components.get("figures-grid", (None, {}))[1]
        return int((props.get("dashGridOptions") or {}).get("cacheBlockSize") or 100)

    def matching(self, pattern: dict, match: dict | None) -> list:
        """The layout's ids that fit `pattern`; a MATCH key takes its value from `match`."""
        found = []
        for component_id, _ in self.components.values():
            if not isinstance(component_id, dict) or set(component_id) != set(pattern):
                continue
            fits = all(component_id[k] == (match or {}).get(k) if v == MATCH
                       else v in (ALL, ALLSMALLER) or component_id[k] == v
                       for k, v in pattern.items())
            if fits:
                found.append(component_id)
        return found

    def body(self, callback: Callback, values: dict | None = None, changed: tuple = (),
             match: dict | None = None) -> dict:
        """The JSON body of a POST to /_dash-update-component.

        `values` maps (stringified id, property) to what the browser holds now; anything else
        is the layout's initial value (the `id` property is the id itself). `changed` lists the
        (id, property) pairs that triggered the call; `match` gives MATCH wildcards their value.
        """
        values = values or {}

        def value(component_id, prop):
            key = (stringify_id(component_id), prop)
            if key in values:
                return values[key]
            if prop == "id":
                return component_id
            return self.components.get(key[0], (None, {}))[1].get(prop)

        def entries(pairs, with_value: bool) -> list:
            out = []
            for component_id, prop in pairs:
                ids = [component_id]
                if is_pattern(component_id) and MATCH in component_id.values():
                    # The id the trigger names: its component may be drawn by a callback (a
                    # view's charts), so it need not stand in the page's first layout.
                    if not set(match or {}) >= {k for k, v in component_id.items()
                                                if v == MATCH}:
                        raise LookupError(f"{component_id}: no value for its MATCH in {match}")
                    ids = [{k: match[k] if v == MATCH else v
                            for k, v in component_id.items()}]
                elif is_pattern(component_id):
                    ids = self.matching(component_id, match)
                items = [{"id": i, "property": prop,
                          **({"value": value(i, prop)} if with_value else {})} for i in ids]
                pattern_all = is_pattern(component_id) and MATCH not in component_id.values()
                out.append(items if pattern_all else items[0])
            return out

        outputs = entries(callback.outputs, with_value=False)
        body = {
            "output": callback.output,
            "outputs": outputs if callback.output.startswith("..") else outputs[0],
            "inputs": entries(callback.inputs, with_value=True),
            "changedPropIds": [f"{stringify_id(i)}.{p}" for i, p in changed],
        }
        if callback.state:
            body["state"] = entries(callback.state, with_value=True)
        return body


def response_of(data: bytes) -> dict:
    """The `response` of a callback's answer: stringified id -> {property: value}."""
    return json.loads(data)["response"]


# -- what the answers must hold --------------------------------------------------------------------
def mark_ids(node) -> list[str]:
    """The figure ids of every highlight (`figure-mark`) in a JSON tree of components."""
    found: list[str] = []

    def walk(item) -> None:
        if isinstance(item, list):
            for child in item:
                walk(child)
        elif isinstance(item, dict):
            component_id = item.get("id")
            if isinstance(component_id, dict) and component_id.get("type") == "figure-mark":
                found.append(component_id.get("index"))
            for child in item.values():
                walk(child)

    walk(node)
    return found


def texts(node) -> str:
    """The strings of a JSON tree of components, joined."""
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return " ".join(texts(item) for item in node)
    if isinstance(node, dict):
        return " ".join(texts(item) for item in node.values())
    return ""


def csv_rows(download: dict) -> list[list[str]]:
    data = base64.b64decode(download["content"]) if download.get("base64") else \
        download["content"].encode("utf-8")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@dataclass
class Article:
    """What the server must answer for one article, computed here with the project's functions."""

    key: str
    document_id: str
    heading: str  # text the heading holds
    figure_ids: frozenset[str]
    checks: int
    claims: int  # figures of stance `claim`: the grid's rows with that filter
    marks: frozenset[str] = frozenset()
    stem: str = ""  # what its downloads are named from (dashboard.export.download_stem)


def seed_article() -> Article:
    from dashboard import charts
    from dashboard.app import SEED, SEED_KEY
    from dashboard.article_view import article_components
    from dashboard.checks import checks_table
    from dashboard.export import download_stem
    from dashboard.extract import extract_document
    from dashboard.ingest import read_document

    document = read_document(SEED)
    figures = extract_document(document)
    components = article_components(document.text, figures, charts.STANCE_COLOURS)
    marks = mark_ids(json.loads(json.dumps(components, default=lambda c: c.to_plotly_json())))
    return Article(SEED_KEY, document.document_id, document.title,
                   frozenset(figures["figure_id"]), len(checks_table(figures)),
                   int((figures["stance"] == "claim").sum()), frozenset(marks),
                   download_stem(document.title, document.document_id))


def upload_text(tag: int) -> str:
    """The upload article with a tag of letters (a digit would be a new figure)."""
    letters = ""
    while True:
        tag, rest = divmod(tag, 26)
        letters = chr(ord("a") + rest) + letters
        if not tag:
            break
    return UPLOAD_TEXT.format(tag=letters)


def upload_figures(text: str) -> int:
    from dashboard.extract import extract_document
    from dashboard.ingest import document_from_text, parse_date

    return len(extract_document(document_from_text(text, published=parse_date(PUBLISHED))))


def document_id_of(text: str) -> str:
    from dashboard.ingest import document_from_text, parse_date

    return document_from_text(text, published=parse_date(PUBLISHED)).document_id


class Expect:
    """Checks of each callback's answer: None when right, else what is wrong."""

    def __init__(self, seed: Article, chart_views: dict[str, list[str]],
                 default_view: str) -> None:
        self.seed = seed
        self.chart_views = chart_views
        self.default_view = default_view  # the view a page opens on before it reads its URL

    @staticmethod
    def route(response: dict, search: str, view: str) -> str | None:
        got = response.get("view", {}).get("value")
        return None if got == view else f"view {got!r} for {search!r}, not {view!r}"

    @staticmethod
    def article_key(response: dict, key: str, article: Article | None = None) -> str | None:
        """The article the URL names, and with it the filters' options (one answer)."""
        got = response.get("article-key", {}).get("data")
        if got != key:
            return f"article-key {got!r}, not {key!r}"
        options = (response.get("filter-stance") or {}).get("options") or []
        if article is not None and article.claims and "claim" not in [o["value"]
                                                                     for o in options]:
            return "no `claim` among the stance options"
        return None

    @staticmethod
    def shown_view(response: dict, view: str) -> str | None:
        shown = [k.removeprefix("view-") for k, v in response.items()
                 if v.get("style", {}).get("display") == "block"]
        return None if shown == [view] else f"views shown {shown}, not [{view!r}]"

    @staticmethod
    def article(response: dict, article: Article) -> str | None:
        heading = texts(response.get("article-heading", {}).get("children"))
        if article.heading not in heading:
            return f"heading {heading[:80]!r} lacks {article.heading[:80]!r}"
        if response.get("article-error", {}).get("children") is not None:
            return "an error shown beside the article"
        return None

    @staticmethod
    def checks_panel(response: dict, article: Article) -> str | None:
        """The checks view's panel (drawn when the view is shown) holds the article's checks."""
        panel = response.get("checks-panel", {}).get("children") or []
        if article.checks and not any("check-" in str(c.get("props", {}).get("id", ""))
                                      for c in panel if isinstance(c, dict)):
            return "no check in the checks panel"
        return None

    def charts(self, response: dict, view: str) -> str | None:
        """The view's chart sections, each a graph of the article's chart with its title."""
        graphs: dict[str, dict] = {}

        def walk(node) -> None:
            if isinstance(node, list):
                for item in node:
                    walk(item)
            elif isinstance(node, dict):
                props = node.get("props") or {}
                component = props.get("id")
                if isinstance(component, dict) and component.get("type") == "chart":
                    graphs[component["chart"]] = props.get("figure") or {}
                walk(props.get("children"))

        walk((response.get(f"charts-{view}") or {}).get("children"))
        if sorted(graphs) != sorted(self.chart_views[view]):
            return f"charts {sorted(graphs)} for view {view!r}, not {self.chart_views[view]}"
        for name, figure in graphs.items():
            title = (figure.get("layout") or {}).get("title") or {}
            if not (title.get("text") or "").strip():
                return f"chart {name} has no title"
        return None

    @staticmethod
    def grid(response: dict, figure_ids: frozenset[str] | None, rows: int,
             block: int | None = None) -> str | None:
        """All `rows` in `rowData`, or with the infinite row model (`getRowsResponse`) the
        first block of them and their number."""
        answer = response.get("figures-grid", {})
        wanted = rows
        if "getRowsResponse" in answer:
            answer = answer["getRowsResponse"] or {}
            if answer.get("rowCount") != rows:
                return f"rowCount {answer.get('rowCount')!r}, not {rows}"
            wanted = min(rows, block or rows)
        data = answer.get("rowData")
        if not isinstance(data, list) or len(data) != wanted:
            return f"{len(data) if isinstance(data, list) else data!r} grid rows, not {wanted}"
        if figure_ids is not None:
            ids = {r.get("figure_id") for r in data}
            if not ids <= figure_ids or (wanted == len(figure_ids) and ids != figure_ids):
                return "grid rows are not the article's figures"
        return None

    def text(self, response: dict) -> str | None:
        marks = mark_ids(response.get("article-text", {}).get("children"))
        if frozenset(marks) != self.seed.marks or len(marks) != len(self.seed.marks):
            return f"{len(marks)} highlights in the text, not {len(self.seed.marks)}"
        return None

    @staticmethod
    def csv_download(response: dict, component: str, filename: str, rows: int) -> str | None:
        download = response.get(component, {}).get("data") or {}
        if download.get("filename") != filename:
            return f"download named {download.get('filename')!r}, not {filename!r}"
        found = len(csv_rows(download)) - 1
        return None if found == rows else f"{found} CSV rows, not {rows}"

    @staticmethod
    def upload(response: dict, document_id: str) -> tuple[str | None, str | None]:
        """(error, the uploaded article's URL search)."""
        message = texts(response.get("upload-message", {}).get("children"))
        search = response.get("url", {}).get("search")
        if document_id not in message:
            return f"upload message {message[:80]!r} lacks {document_id}", None
        if not search or "article=" not in search:
            return f"upload gave no article URL ({search!r})", None
        return None, search


# -- the load --------------------------------------------------------------------------------------
class Recorder:
    """Latencies and errors of every request, from every user thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.seconds: dict[str, list[float]] = {}
        self.offsets: dict[str, list[float]] = {}  # when each request was sent, after the start
        self.errors: Counter = Counter()
        self.error_examples: list[str] = []
        self.started = 0
        self.deadline = float("inf")  # set when every user is ready
        self.start = 0.0

    def begin(self) -> None:
        with self._lock:
            self.started += 1

    def record(self, kind: str, sent: float, reply: Reply, problem: str | None) -> None:
        with self._lock:
            if reply.status is not None:
                self.seconds.setdefault(kind, []).append(reply.seconds)
                self.offsets.setdefault(kind, []).append(sent - self.start)
            if problem:
                self.errors[kind] += 1
                if len(self.error_examples) < MAX_ERRORS_KEPT:
                    self.error_examples.append(f"{kind}: {problem}")


class Deadline(Exception):
    """The load's time is up: the user stops before its next request."""


class User(threading.Thread):
    """One simulated reader, in a loop: page load, callbacks, a download, an upload."""

    def __init__(self, number: int, send, app: DashApp, asset: str | None, expect: Expect,
                 recorder: Recorder, upload_rows: int,
                 start: threading.Barrier | None = None) -> None:
        super().__init__(name=f"user-{number}", daemon=True)
        self.number, self.send, self.app, self.asset = number, send, app, asset
        self.expect, self.recorder, self.upload_rows = expect, recorder, upload_rows
        self.start_barrier = start
        self.views = [*expect.chart_views, "figures"]
        self.iterations = 0
        self.failure: str | None = None

    def run(self) -> None:
        if self.start_barrier is not None:
            self.start_barrier.wait()
        try:
            while True:
                self.iteration()
                self.iterations += 1
        except Deadline:
            pass
        except Exception as error:  # a bug of the harness: reported, and the others go on
            self.failure = f"{type(error).__name__}: {error}"

    def request(self, kind: str, method: str, path: str, body: dict | None = None,
                check=None):
        """Send, record and check one request; the parsed callback response (None on error)."""
        if time.monotonic() >= self.recorder.deadline:
            raise Deadline
        self.recorder.begin()
        sent = time.monotonic()
        reply = self.send(method, path, body)
        problem = reply.error or (None if reply.status == 200 else
                                  f"HTTP {reply.status}: {reply.data[:200]!r}")
        parsed = None
        if problem is None:
            try:
                parsed = response_of(reply.data) if body is not None else reply.data
                problem = check(parsed) if check else None
            except Exception as error:
                problem = f"wrong content: {type(error).__name__}: {error}"
        self.recorder.record(kind, sent, reply, problem)
        return None if problem else parsed

    def call(self, kind: str, component: str, prop: str, values: dict, changed: tuple = (),
             check=None):
        callback = self.app.callback(component, prop)
        body = self.app.body(callback, values, changed)
        return self.request(kind, "POST", "/_dash-update-component", body, check)

    def grid(self, kind: str, values: dict, changed: tuple, figure_ids: frozenset[str] | None,
             rows: int):
        """The grid's rows: all of them from a callback on the article and the dropdowns, or,
        with AG Grid's infinite row model, the first block, which the grid asks for itself."""
        if self.app.writes("figures-grid", "getRowsResponse"):
            block = self.app.grid_block()
            request = {"startRow": 0, "endRow": block, "sortModel": [], "filterModel": {}}
            return self.call(kind, "figures-grid", "getRowsResponse",
                             {**values, ("figures-grid", "getRowsRequest"): request},
                             (("figures-grid", "getRowsRequest"),),
                             check=lambda r: self.expect.grid(r, figure_ids, rows, block))
        return self.call(kind, "figures-grid", "rowData", values, changed,
                         check=lambda r: self.expect.grid(r, figure_ids, rows))

    def iteration(self) -> None:
        n = self.iterations
        view = self.views[(self.number + n) % len(self.views)]
        scale = "log" if (self.number + n) % 2 else "linear"
        seed = self.expect.seed
        search = f"?article={seed.key}&view={view}"
        expect = self.expect
        # The page load: the document, then what the renderer asks for.
        self.request("GET /", "GET", "/" + search,
                     check=lambda d: None if b"_dash-config" in d else "no Dash page")
        self.request("GET /_dash-layout", "GET", "/_dash-layout",
                     check=lambda d: None if json.loads(d).get("props") else "no layout")
        self.request("GET /_dash-dependencies", "GET", "/_dash-dependencies",
                     check=lambda d: None if len(json.loads(d)) > 0 else "no callbacks")
        if self.asset:
            self.request("GET stylesheet", "GET", self.asset,
                         check=lambda d: None if d else "empty stylesheet")
        # The callbacks the page fires when it opens.
        state = {("url", "search"): search, ("view", "value"): expect.default_view,
                 ("claim-scale", "data"): scale, ("article-key", "data"): None}
        self.call("follow_url (view)", "view", "value", state,
                  check=lambda r: expect.route(r, search, view))
        self.call("follow_url (article)", "article-key", "data", state,
                  check=lambda r: expect.article_key(r, seed.key, seed))
        state[("article-key", "data")] = seed.key
        state[("view", "value")] = view
        self.call("show_view", "view-figures", "style", state,
                  check=lambda r: expect.shown_view(r, view))
        self.call("show_article", "article-heading", "children", state,
                  check=lambda r: expect.article(r, seed))
        self.call("show_checks", "checks-panel", "children",
                  {**state, ("view", "value"): "checks"},
                  check=lambda r: expect.checks_panel(r, seed))
        if view in expect.chart_views:
            self.call(f"draw_charts ({view})", f"charts-{view}", "children", state,
                      check=lambda r: expect.charts(r, view))
        self.grid("grid rows", state, (), seed.figure_ids, len(seed.figure_ids))
        self.call("show_text", "article-text", "children", state, check=expect.text)
        # What a reader does next: filter, download, upload another article and open it.
        filtered = {**state, ("filter-stance", "value"): ["claim"]}
        self.grid("grid rows (stance filter)", filtered, (("filter-stance", "value"),),
                  seed.figure_ids, seed.claims)
        if n % 2:
            self.call("download_checks (CSV)", "checks-download", "data",
                      {**state, ("checks-csv", "n_clicks"): 1}, (("checks-csv", "n_clicks"),),
                      check=lambda r: expect.csv_download(
                          r, "checks-download", f"{seed.stem}-checks.csv", seed.checks))
        else:
            self.call("download_figures (CSV)", "figures-download", "data",
                      {**state, ("figures-csv-all", "n_clicks"): 1},
                      (("figures-csv-all", "n_clicks"),),
                      check=lambda r: expect.csv_download(
                          r, "figures-download", f"{seed.stem}-figures.csv",
                          len(seed.figure_ids)))
        text = upload_text(self.number * 1_000_000 + n)
        document_id = document_id_of(text)
        outcome: dict = {}

        def check_upload(response):
            problem, outcome["search"] = Expect.upload(response, document_id)
            return problem

        paste = {**state, ("paste-submit", "n_clicks"): 1, ("paste-text", "value"): text,
                 ("upload-published", "date"): PUBLISHED}
        if self.call("read_another_article (paste)", "upload-message", "children", paste,
                     (("paste-submit", "n_clicks"),), check=check_upload) is None:
            return
        uploaded_search = outcome["search"]
        key = uploaded_search.split("article=", 1)[1].split("&", 1)[0]
        uploaded = {**state, ("url", "search"): uploaded_search, ("article-key", "data"): key}
        self.call("follow_url (upload)", "article-key", "data",
                  {**uploaded, ("article-key", "data"): seed.key}, (("url", "search"),),
                  check=lambda r: expect.article_key(r, key))
        article = Article(key, document_id, document_id, frozenset(), 0, 0)
        self.call("show_article (upload)", "article-heading", "children", uploaded,
                  (("article-key", "data"),), check=lambda r: expect.article(r, article))
        self.grid("grid rows (upload)", uploaded, (("article-key", "data"),), None,
                  self.upload_rows)


def fetch_app(send) -> tuple[DashApp, str | None]:
    """The app as the browser sees it, and the path of the page's own stylesheet."""
    page = send("GET", "/")
    layout = send("GET", "/_dash-layout")
    dependencies = send("GET", "/_dash-dependencies")
    for reply in (page, layout, dependencies):
        if reply.status != 200:
            raise RuntimeError(f"the app's page did not load: {reply.error or reply.status}")
    asset = re.search(r'href="(/assets/[^"]+\.css[^"]*)"', page.data.decode("utf-8", "replace"))
    return (DashApp(json.loads(dependencies.data), json.loads(layout.data)),
            asset.group(1) if asset else None)


def summary(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0}
    return {"n": len(samples), "p50_ms": percentile(samples, 0.5) * 1000,
            "p95_ms": percentile(samples, 0.95) * 1000, "max_ms": max(samples) * 1000}


def load_phase(port: int, app: DashApp, asset: str | None, expect: Expect, users: int,
               seconds: float, sampler: MemorySampler, workers: list[int]) -> dict:
    recorder = Recorder()
    upload_rows = upload_figures(upload_text(0))
    if upload_figures(upload_text(12345)) != upload_rows:  # the tag must add no figure
        raise RuntimeError("the upload article's tag changes its figures")

    def go() -> None:  # run by the last thread to reach the barrier, before any user starts
        recorder.start = time.monotonic()
        recorder.deadline = recorder.start + seconds

    barrier = threading.Barrier(users + 1, action=go)
    crowd = [User(i, functools.partial(fetch, port), app, asset, expect, recorder, upload_rows,
                  barrier)
             for i in range(users)]
    for user in crowd:
        user.start()
    server_cpu = {w: cpu_seconds(w) for w in workers}
    sampler.phase = "load"
    cpu_started, machine_started = time.process_time(), machine_busy_seconds()
    barrier.wait()
    started = time.monotonic()
    for user in crowd:
        user.join()
    wall = time.monotonic() - started
    client_cpu = time.process_time() - cpu_started
    machine_busy = machine_busy_seconds() - machine_started
    server_used = {w: (cpu_seconds(w) or 0.0) - (server_cpu[w] or 0.0) for w in workers}
    everything = [s for samples in recorder.seconds.values() for s in samples]
    completed = len(everything)
    # The first seconds include each worker's first computation of the seed (figures, checks,
    # charts per scale) with every user queued behind it; after them the server is warm.
    warm_after = seconds / 6

    def warm(kind: str | None = None) -> float | None:
        kinds = [kind] if kind else list(recorder.seconds)
        samples = [s for k in kinds for s, o in zip(recorder.seconds[k], recorder.offsets[k],
                                                   strict=True) if o >= warm_after]
        return percentile(samples, 0.95) * 1000 if samples else None
    return {
        "users": users,
        "seconds_asked": seconds,
        "wall_seconds": wall,
        "iterations": sum(u.iterations for u in crowd),
        "requests_started": recorder.started,
        "requests_completed": completed,
        "requests_per_second": completed / wall if wall else None,
        "latency": {**summary(everything), "p95_warm_ms": warm()},
        "warm_after_seconds": warm_after,
        "by_kind": {kind: {**summary(samples), "p95_warm_ms": warm(kind),
                           "errors": recorder.errors[kind]}
                    for kind, samples in recorder.seconds.items()},
        "errors": sum(recorder.errors.values()),
        "errors_by_kind": dict(recorder.errors),
        "error_examples": recorder.error_examples,
        "harness_failures": [f"{u.name}: {u.failure}" for u in crowd if u.failure],
        "client_cpu_seconds": client_cpu,
        "worker_cpu_seconds": server_used,
        "machine_busy_cpu_seconds": machine_busy,
        # What an answer costs the server, whatever share of the cores it got: other work on a
        # shared machine changes requests per second far more than this.
        "worker_cpu_ms_per_request": (sum(server_used.values()) / completed * 1000
                                      if completed else None),
    }


# -- PNG export under concurrency ------------------------------------------------------------------
def png_info(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, decompressed IDAT data) of a PNG; ValueError when it is not one."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError("not a PNG")
    position, size, idat = 8, None, []
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunk = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            size = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat.append(chunk)
        position += 12 + length
    if size is None or not idat:
        raise ValueError("a PNG without IHDR or IDAT")
    return size[0], size[1], zlib.decompress(b"".join(idat))


@dataclass
class PngRequest:
    key: str
    document_id: str  # what the download is named from (the app's download stem)
    chart: str
    scale: str
    seconds: float | None = None
    png: bytes | None = None
    filename: str | None = None
    error: str | None = None

    @property
    def label(self) -> str:
        return f"{self.document_id}/{self.chart}/{self.scale}"


def chart_download_body(app: DashApp, key: str, chart: str, scale: str,
                        button: str = "chart-png") -> dict:
    """The body a chart's Download PNG (or CSV: `chart-csv`) button sends."""
    callback = app.callback("chart-download", "data")
    trigger = {"chart": chart, "type": button}
    return app.body(callback, {
        (stringify_id(trigger), "n_clicks"): 1,
        ("url", "search"): f"?article={key}&view=claim",
        ("claim-scale", "data"): scale,
    }, changed=((trigger, "n_clicks"),), match={"chart": chart})


def png_request(port: int, app: DashApp, want: PngRequest) -> PngRequest:
    """Ask for one chart's PNG as its Download PNG button does; fill in the answer."""
    body = chart_download_body(app, want.key, want.chart, want.scale)
    reply = fetch(port, "POST", "/_dash-update-component", body, timeout=PNG_TIMEOUT_S)
    got = PngRequest(want.key, want.document_id, want.chart, want.scale, reply.seconds)
    if reply.status != 200:
        got.error = reply.error or f"HTTP {reply.status}: {reply.data[:200]!r}"
        return got
    try:
        download = response_of(reply.data)[
            stringify_id({"chart": want.chart, "type": "chart-download"})]["data"]
        got.filename = download["filename"]
        got.png = base64.b64decode(download["content"])
        width, height, _ = png_info(got.png)
    except Exception as error:
        got.error = f"wrong content: {type(error).__name__}: {error}"
        return got
    from dashboard.export import file_name

    expected_name = f"{want.document_id}-{file_name(want.chart)}.png"
    if got.filename != expected_name:
        got.error = f"named {got.filename!r}, not {expected_name!r}"
    elif (width, height) != PNG_SIZE:
        got.error = f"{width} x {height} pixels, not {PNG_SIZE[0]} x {PNG_SIZE[1]}"
    return got


def all_at_once(port: int, app: DashApp, wanted: list[PngRequest]) -> tuple[list, float]:
    answers: list = [None] * len(wanted)
    barrier = threading.Barrier(len(wanted) + 1)

    def ask(index: int) -> None:
        barrier.wait()
        answers[index] = png_request(port, app, wanted[index])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(wanted))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return answers, time.perf_counter() - started


def variant_text() -> str:
    """The seed with other numbers: a second article whose charts differ from the seed's."""
    from dashboard.app import SEED

    text = SEED.read_text(encoding="utf-8")
    for old, new in (("At least 21 deadly", "At least 19 deadly"), ("killing 83", "killing 76"),
                     ("25,000", "20,000")):
        text = text.replace(old, new)
    return text


def png_phase(port: int, app: DashApp, seed: Article, master: int) -> dict:
    from dashboard.app import SEED_KEY, charts_by_view

    # The seed's charts (drawn into their views when shown, so not in the page's layout).
    charts = [name for names in charts_by_view(SEED_KEY).values() for name in names]
    # A second article, uploaded as a reader would: its charts carry its own figures and name.
    text = variant_text()
    callback = app.callback("upload-message", "children")
    reply = fetch(port, "POST", "/_dash-update-component", app.body(callback, {
        ("paste-submit", "n_clicks"): 1, ("paste-text", "value"): text,
        ("upload-published", "date"): PUBLISHED}, (("paste-submit", "n_clicks"),)))
    if reply.status != 200:
        raise RuntimeError(f"the second article's upload failed: {reply.error or reply.status}")
    error, search = Expect.upload(response_of(reply.data), document_id_of(text))
    if error:
        raise RuntimeError(f"the second article's upload: {error}")
    variant_key = search.split("article=", 1)[1].split("&", 1)[0]
    wanted = [PngRequest(seed.key, seed.stem, c, "linear") for c in charts]
    wanted.append(PngRequest(seed.key, seed.stem, charts[0], "log"))
    # Downloads are named from the article's title; a paste has none, and is titled by its
    # `doc-` id (dashboard.app.analysis).
    from dashboard.export import download_stem

    variant_stem = download_stem(document_id_of(text), variant_key)
    wanted += [PngRequest(variant_key, variant_stem, c, "linear") for c in charts]
    wanted = wanted[:PNG_REQUESTS]

    # Each worker starts its Chromium at its first PNG (seconds): pairs of requests, which two
    # idle sync workers take one each, until both have one, so the timed ten draw warm. The
    # pairs mix both articles, so that each worker has most likely computed both already.
    warm_started = time.perf_counter()
    rounds = 0
    while rounds < WARM_ROUNDS:
        rounds += 1
        pair = [wanted[0], wanted[-1]]
        all_at_once(port, app, pair if rounds % 2 else pair[::-1])
        table = process_table()
        if rounds >= 2 and all(descendants(table, w) for w in children(table, master)):
            break
    table = process_table()
    warm = {"rounds": rounds, "seconds": time.perf_counter() - warm_started,
            "workers_with_chromium": sum(bool(descendants(table, w))
                                         for w in children(table, master))}

    together, together_s = all_at_once(port, app, wanted)
    alone_started = time.perf_counter()
    alone = [png_request(port, app, w) for w in wanted]
    alone_s = time.perf_counter() - alone_started

    rows, swapped = [], []
    for index, (now, then) in enumerate(zip(together, alone, strict=True)):
        row = {"request": now.label, "seconds_together": now.seconds,
               "seconds_alone": then.seconds, "error": now.error or then.error}
        if not row["error"]:
            if now.png == then.png:
                row["same_as_alone"] = "same bytes"
            elif png_info(now.png)[2] == png_info(then.png)[2]:
                row["same_as_alone"] = "same pixels (decoded image data), other bytes"
            else:
                row["same_as_alone"] = "differs"
                row["error"] = "differs from the same request sent alone"
                for other, candidate in enumerate(alone):
                    if other != index and candidate.png == now.png:
                        swapped.append(f"{now.label} got the image of {candidate.label}")
        rows.append(row)
    good = [a.png for a in alone if a.png]
    return {
        "requests": len(wanted),
        "renderer_warm_up": warm,
        "together_seconds": together_s,
        "together": summary([a.seconds for a in together if a.seconds is not None]),
        "alone_seconds": alone_s,
        "alone": summary([a.seconds for a in alone if a.seconds is not None]),
        "distinct_images_alone": len(set(good)),
        "rows": rows,
        "errors": sum(1 for r in rows if r["error"]),
        "swapped": swapped,
    }


# -- the whole bench -------------------------------------------------------------------------------
def memory_report(sampler: MemorySampler, hwm: dict[int, int | None]) -> dict:
    def mib(kb):
        return round(kb / 1024, 1) if kb is not None else None

    report: dict = {"workers": {}}
    for phase, peaks in sampler.peaks.items():
        for pid, peak in peaks.items():
            entry = report["workers"].setdefault(str(pid), {})
            entry[phase] = {"peak_rss_mib": mib(peak["rss_kb"]),
                            "chromium_processes": peak["tree_processes"],
                            "chromium_peak_rss_sum_mib": mib(peak["tree_rss_kb"]),
                            "chromium_peak_pss_sum_mib": mib(peak["tree_pss_kb"])}
    for pid, kb in hwm.items():
        report["workers"].setdefault(str(pid), {})["vm_hwm_mib"] = mib(kb)
    report["workers_seen"] = sorted(sampler.workers_seen)
    return report


def measure(quick: bool) -> dict:
    """Start the server, load it, export PNGs at once, stop it; every number in a dict."""
    mode = "quick" if quick else "standard"
    settings = SETTINGS[mode]
    started = time.perf_counter()
    results: dict = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "mode": mode,
        "cores": os.cpu_count(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }
    from dashboard.app import DEFAULT_VIEW, SEED_KEY, charts_by_view

    seed = seed_article()  # before the server starts: its CPU is not the load's
    store = Path(tempfile.mkdtemp(prefix="bench-load-store-"))
    sampler = None
    try:
        with tempfile.TemporaryFile() as log:
            server = Server(store, log)
            results["command"] = " ".join(shlex.quote(t) for t in server.command[1:])
            results["program"] = Path(server.command[0]).name
            results["workers"] = workers_of(server.command)
            try:
                results["start_seconds"] = server.wait()
                sampler = MemorySampler(server.process.pid)
                sampler.start()
                app, asset = fetch_app(functools.partial(fetch, server.port))
                expect = Expect(seed, charts_by_view(SEED_KEY), DEFAULT_VIEW)
                workers = children(process_table(), server.process.pid)
                try:
                    results["load"] = load_phase(server.port, app, asset, expect,
                                                 settings["users"], settings["seconds"],
                                                 sampler, workers)
                except Exception as error:
                    results["load"] = {"error": f"{type(error).__name__}: {error}"}
                sampler.phase = "png"
                try:
                    results["png"] = png_phase(server.port, app, seed, server.process.pid)
                except Exception as error:
                    results["png"] = {"error": f"{type(error).__name__}: {error}"}
                hwm = {w: status_kb(w, "VmHWM")
                       for w in children(process_table(), server.process.pid)}
                sampler.stop()
                results["memory"] = memory_report(sampler, hwm)
                results["master_rss_mib"] = round((status_kb(server.process.pid, "VmRSS")
                                                   or 0) / 1024, 1)
            except Exception as error:
                results["error"] = f"{type(error).__name__}: {error}"
            finally:
                if sampler is not None and sampler.is_alive():
                    sampler.stop()
                results["stop"] = server.stop(sampler.seen if sampler else {})
                results["server_log"] = server_log_summary(server.log_text())
    except Exception as error:  # the server could not even be started
        results["error"] = f"{type(error).__name__}: {error}"
    finally:
        results["store_articles"] = len(list(store.glob("*.json")))
        shutil.rmtree(store, ignore_errors=True)
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    results["wall_seconds"] = time.perf_counter() - started
    return results


def failed(results: dict) -> bool:
    """The measurement could not be made (not: it was slow, or requests failed)."""
    broken = any("error" in part for part in (results, results.get("load", {}),
                                              results.get("png", {})))
    return broken or bool(results.get("load", {}).get("harness_failures"))


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def render(results: dict) -> str:
    out = [f"Load on the Procfile's web: command ({results['mode']}; {results.get('program')} "
           f"{results.get('command', '')})",
           f"  {results['date']}, {results['cores']} cores shared by server and client; load "
           f"average {' / '.join(map(str, results['load_average_start']))} at the start, "
           f"{' / '.join(map(str, results['load_average_end']))} at the end"]
    if "error" in results:
        out.append(f"  could not complete: {results['error']}")
    if "start_seconds" in results:
        out.append(f"  server answered {results['start_seconds']:.1f} s after start")
    load = results.get("load", {})
    if "error" in load:
        out.append(f"  load phase failed: {load['error']}")
    elif load:
        out.append(f"  {load['users']} users, no think time, {load['seconds_asked']:.0f} s asked, "
                   f"{load['wall_seconds']:.1f} s until the last answer; "
                   f"{load['iterations']:,} user loops")
        out.append(f"  requests: {load['requests_completed']:,} answered of "
                   f"{load['requests_started']:,} sent, {load['requests_per_second']:.1f} per "
                   f"second; errors: {load['errors']}")
        out.append(f"    latency in ms; 'p95 warm': requests sent after the first "
                   f"{load['warm_after_seconds']:.0f} s")
        out.append(f"    {'request':<34}{'n':>7}{'p50':>8}{'p95':>8}{'max':>8}{'p95 warm':>10}"
                   f"{'errors':>8}")
        rows = [("all requests", {**load["latency"], "errors": load["errors"]}),
                *load["by_kind"].items()]
        for kind, stats in rows:
            out.append(f"    {kind:<34}{stats['n']:>7,}{ms(stats.get('p50_ms')):>8}"
                       f"{ms(stats.get('p95_ms')):>8}{ms(stats.get('max_ms')):>8}"
                       f"{ms(stats.get('p95_warm_ms')):>10}{stats['errors']:>8}")
        for example in load["error_examples"][:5]:
            out.append(f"    error: {example[:200]}")
        for failure in load["harness_failures"][:5]:
            out.append(f"    harness failure: {failure}")
        wall = load["wall_seconds"]
        client = load["client_cpu_seconds"]
        server = sum(load["worker_cpu_seconds"].values())
        busy = load["machine_busy_cpu_seconds"]
        out.append(f"  CPU seconds during the load ({results['cores']} cores x {wall:.0f} s = "
                   f"{results['cores'] * wall:.0f}): gunicorn workers {server:.1f}, this client "
                   f"{client:.1f}, everything else on the machine {busy - server - client:.1f}, "
                   f"idle {max(0.0, results['cores'] * wall - busy):.1f}")
        if load["worker_cpu_ms_per_request"] is not None:
            out.append(f"  gunicorn worker CPU per answered request: "
                       f"{load['worker_cpu_ms_per_request']:.1f} ms")
    png = results.get("png", {})
    if "error" in png:
        out.append(f"  PNG phase failed: {png['error']}")
    elif png:
        warm = png["renderer_warm_up"]
        out.append(f"  PNG export: renderers warmed in {warm['seconds']:.1f} s ({warm['rounds']} "
                   f"rounds of 2; {warm['workers_with_chromium']} workers with Chromium)")
        together = png["together"]
        out.append(f"    {png['requests']} at once: {png['together_seconds']:.1f} s until the "
                   f"last; each p50 {ms(together.get('p50_ms'))} ms, max "
                   f"{ms(together.get('max_ms'))} ms; errors {png['errors']}, swapped "
                   f"{len(png['swapped'])}")
        out.append(f"    the same {png['requests']} alone, one after another: "
                   f"{png['alone_seconds']:.1f} s; {png['distinct_images_alone']} distinct "
                   f"images")
        sameness = Counter(r.get("same_as_alone", "not compared") for r in png["rows"])
        out.append("    at once vs alone: " + ", ".join(f"{n} {what}"
                                                        for what, n in sameness.items()))
        for row in png["rows"]:
            if row["error"]:
                out.append(f"    {row['request']}: {row['error'][:160]}")
        for line in png["swapped"]:
            out.append(f"    swapped: {line}")
    memory = results.get("memory")
    if memory:
        out.append("  memory per gunicorn worker, MiB (Chromium: kaleido's browser under it; "
                   "RSS summed counts shared pages many times, PSS shares them out):")
        for pid, phases in memory["workers"].items():
            parts = []
            for phase in ("load", "png"):
                if phase in phases:
                    p = phases[phase]
                    chromium = (f", Chromium {p['chromium_processes']} processes RSS "
                                f"{p['chromium_peak_rss_sum_mib']} PSS "
                                f"{p['chromium_peak_pss_sum_mib']}"
                                if p["chromium_processes"] else "")
                    parts.append(f"{phase}: peak RSS {p['peak_rss_mib']}{chromium}")
            if "vm_hwm_mib" in phases:
                parts.append(f"VmHWM at the end {phases['vm_hwm_mib']}")
            out.append(f"    worker {pid}: " + "; ".join(parts))
        out.append(f"    master RSS {results.get('master_rss_mib')}; worker pids seen "
                   f"{len(memory['workers_seen'])} (more than {results.get('workers')} means "
                   f"workers were restarted)")
    log = results.get("server_log")
    if log:
        out.append(f"  server log: statuses {log['statuses']}; lines of trouble "
                   f"{log['trouble_lines']}")
        out += [f"    {line[:200]}" for line in log["first_trouble"][:5]]
    stop = results.get("stop")
    if stop:
        left = ", ".join(stop["left_behind"]) or "none"
        out.append(f"  stop: SIGTERM, exit status {stop['returncode']} after "
                   f"{stop['seconds']:.1f} s; processes left behind (killed): {left}")
    out.append(f"  uploads in the temporary store at the end: {results['store_articles']}")
    out.append(f"\nload bench wall time {results['wall_seconds']:.1f} s")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 users for 10 s")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers")
    args = parser.parse_args(argv)
    results = measure(args.quick)
    print(render(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 1 if failed(results) else 0


if __name__ == "__main__":
    sys.exit(main())
