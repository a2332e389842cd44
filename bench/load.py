"""`python -m bench.load [--quick] [--json PATH]`: the Procfile's gunicorn under load, on loopback.

The server is the Procfile's own `web:` command (read from the file, never copied here), on a free
loopback port, with a temporary upload store of its own held to small bounds (STORE_ARTICLES
articles, STORE_BYTES bytes) so that the load pushes it past them. The load is locust
(bench/locustfile.py), headless, in a subprocess, for a bounded time; every answer is checked by
bench/dash_client.py, the module the tests run against the app. Phases:

- load: 50 readers for 60 s (`--quick`: 10 for 15 s), each loop a page load, the callbacks of
  one view, the grid with a filter, a CSV download, a pasted article and its views, then a pause
  of THINK_S seconds (a person reading the view; `--think 0` for none, a stress run);
  meanwhile two uploaders paste articles of 200,000 characters as fast as the server takes them,
  and SLOW_CLIENTS raw connections each send a POST's headers and then its body one byte every
  SLOW_EVERY_S seconds (slowloris). Reported: requests, errors (non-200, timeout, connection
  error or wrong content), latency percentiles overall, after the warm-up and per kind of
  request, what became of the slow connections, and the store: its articles and entry bytes
  (`store.stats()`) and its folder's bytes on disk, sampled through the run, against its bounds.
- killed worker: the two uploaders alone, with smaller articles and a fixed number each; once some
  are acknowledged, one gunicorn worker (the busier) gets SIGKILL. Afterwards every key answered
  200 must open its article through the app, and the store's folder must hold nothing but the
  SQLite database and its -wal and -shm files.
- PNG export: 10 chart PNGs (different charts, scales and articles) requested at the same moment,
  then each again alone, one after another: every answer must be a 2400 x 1350 PNG named after
  its chart and identical to the one drawn alone (so none was swapped with another request's).

Also reported: each worker's memory (sampled VmRSS, and VmHWM at the end) and that of the Chromium
that kaleido starts under it, CPU seconds of the workers and of locust (they share the machine's
cores), the load average. The exit status is 1 only when the measurement could not be made (the
server did not start, locust did not run, the harness broke), never for slowness or errors
counted.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import datetime
import http.client
import json
import os
import re
import resource
import shlex
import shutil
import signal
import socket
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

from bench.dash_client import (
    PUBLISHED,
    Article,
    DashApp,
    Expect,
    article_loads,
    document_id_of,
    fetch_app,
    response_of,
    seed_article,
    stringify_id,
)
from bench.dashboard import free_port
from bench.extraction import percentile

REPO = Path(__file__).resolve().parent.parent
PROCFILE = REPO / "Procfile"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
HOST = "127.0.0.1"
SETTINGS = {
    "standard": {"users": 50, "seconds": 60, "kill_uploads": 20},
    "quick": {"users": 10, "seconds": 15, "kill_uploads": 10},
}
UPLOADERS = 2  # the locustfile's Uploader.fixed_count
# Small bounds, so that a minute of uploads goes past both many times; the folder's bytes are
# then set against them.
STORE_ARTICLES = 50
STORE_BYTES = 4 * 1024 * 1024
BULK_BYTES = 200_000  # an uploader's article in the load phase (about 120 KB stored)
KILL_BULK_BYTES = 20_000  # and in the killed-worker phase, all of whose uploads stay stored
KILL_AFTER_ACKS = 6  # uploads acknowledged before the worker is killed
STORE_FILES = frozenset({"articles.sqlite3", "articles.sqlite3-wal", "articles.sqlite3-shm"})
SLOW_CLIENTS = 10
SLOW_EVERY_S = 3.0
SLOW_BODY_BYTES = 10_000  # what a slow client's Content-Length promises (never all sent)
PNG_REQUESTS = 10
PNG_SIZE = (2400, 1350)

START_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 30.0  # a request waiting longer than this counts as an error
PNG_TIMEOUT_S = 150.0  # past gunicorn's own --timeout 120, so that its verdict is the one seen
STOP_TIMEOUT_S = 45.0  # gunicorn's graceful stop waits up to 30 s for busy workers
THINK_S = (2.0, 5.0)  # a reader's pause between loops, uniform between the two
STOP_TIMEOUT_S = 30.0
# A request cut off by the run's end after waiting this long is an error (a server that never
# answers); one sent just before the end had no chance to be answered, and is only counted.
CUT_OFF_S = 5.0  # what locust waits at the end for users to finish their loop
LOCUST_GRACE_S = 120.0  # locust's start (the seed's expectations) and stop, past its run time
SAMPLE_EVERY_S = 0.5
WARM_ROUNDS = 6  # pairs of PNG requests sent to start each worker's Chromium before timing
MAX_ERRORS_KEPT = 20


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
        env = {**os.environ, "PORT": str(self.port), "CLAIMS_DASHBOARD_STORE": str(store),
               "CLAIMS_DASHBOARD_STORE_MAX_ARTICLES": str(STORE_ARTICLES),
               "CLAIMS_DASHBOARD_STORE_MAX_BYTES": str(STORE_BYTES)}
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
    """One request on a connection of its own: the harness's few requests, outside locust."""
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




def http_request(port: int, problems: list[str] | None = None):
    """`dash_client`'s request over `fetch`: the parsed answer, or None (what was wrong is
    appended to `problems`)."""

    def request(kind: str, method: str, path: str, body: dict | None = None, check=None):
        reply = fetch(port, method, path, body)
        problem = reply.error or (None if reply.status == 200 else
                                  f"HTTP {reply.status}: {reply.data[:200]!r}")
        parsed = None
        if problem is None:
            try:
                parsed = response_of(reply.data) if body is not None else reply.data
                problem = check(parsed) if check else None
            except Exception as error:
                problem = f"wrong content: {type(error).__name__}: {error}"
        if problem and problems is not None:
            problems.append(f"{kind}: {problem}")
        return None if problem else parsed

    return request


# -- the store, watched from outside -------------------------------------------------------------
def folder_bytes(folder: Path) -> dict[str, int]:
    """Each file of the folder and its size on disk (allocated blocks, not its apparent length)."""
    sizes = {}
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            sizes[path.name] = path.stat().st_blocks * 512
    return sizes


def store_stats(folder: Path):
    """`store.stats()` of the server's store, read from this process by pointing the store's
    variable at its folder for the call."""
    from dashboard import store

    saved = os.environ.get("CLAIMS_DASHBOARD_STORE")
    os.environ["CLAIMS_DASHBOARD_STORE"] = str(folder)
    try:
        return store.stats()
    finally:
        if saved is None:
            del os.environ["CLAIMS_DASHBOARD_STORE"]
        else:
            os.environ["CLAIMS_DASHBOARD_STORE"] = saved
        store.backend().close()  # its connection, not the server's


class StoreWatcher(threading.Thread):
    """The store's articles, entry bytes and folder bytes, every second: their peaks."""

    def __init__(self, folder: Path) -> None:
        super().__init__(name="store-watcher", daemon=True)
        self.folder = folder
        self.peak = {"articles": 0, "entry_bytes": 0, "folder_bytes": 0}
        self.peak_files: dict[str, int] = {}
        self.samples = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(1.0):
            self.sample()

    def sample(self) -> None:
        stats = store_stats(self.folder)
        files = folder_bytes(self.folder)
        self.samples += 1
        self.peak["articles"] = max(self.peak["articles"], stats.articles)
        self.peak["entry_bytes"] = max(self.peak["entry_bytes"], stats.bytes)
        if sum(files.values()) > self.peak["folder_bytes"]:
            self.peak["folder_bytes"] = sum(files.values())
            self.peak_files = files

    def stop(self) -> None:
        self._stop_event.set()
        self.join(10)


# -- slow clients ----------------------------------------------------------------------------------
class SlowClient(threading.Thread):
    """A connection that sends a callback POST's headers at once, then its body one byte every
    SLOW_EVERY_S seconds until told to stop: it holds whatever server thread reads the body.
    When the server hangs up it connects again at once, as an attacker would."""

    def __init__(self, port: int, number: int, stop: threading.Event) -> None:
        super().__init__(name=f"slow-{number}", daemon=True)
        self.port, self.stop_event = port, stop
        self.bytes_sent = 0
        self.opened = None
        self.closed_by_server: list[float] = []  # how long each connection was held
        self.answers: dict[str, int] = {}  # the first line of each answer the server gave
        self.error: str | None = None

    def run(self) -> None:
        while not self.stop_event.is_set():
            if not self.hold_one():
                return

    def hold_one(self) -> bool:
        """One slow connection until the server hangs up (True) or the run stops (False)."""
        head = (f"POST /_dash-update-component HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {SLOW_BODY_BYTES}\r\n\r\n")
        opened = None
        try:
            with socket.create_connection((HOST, self.port), timeout=10) as connection:
                connection.sendall(head.encode("ascii"))
                opened = time.monotonic()
                self.opened = self.opened or opened
                connection.settimeout(0.05)
                sent = 0
                while not self.stop_event.wait(SLOW_EVERY_S):
                    with contextlib.suppress(TimeoutError):
                        answer = connection.recv(1024)
                        if answer:
                            line = answer.split(b"\r\n", 1)[0].decode("latin-1")
                            self.answers[line] = self.answers.get(line, 0) + 1
                        # the server answered, or hung up
                        self.closed_by_server.append(time.monotonic() - opened)
                        return True
                    connection.sendall(b"{" if not sent else b" ")
                    sent += 1
                    self.bytes_sent = max(self.bytes_sent, sent)
                return False
        except OSError as error:
            if opened is not None:
                self.closed_by_server.append(time.monotonic() - opened)
                return True
            self.error = f"{type(error).__name__}: {error}"
            return False


# -- locust ----------------------------------------------------------------------------------------
def locust_command(port: int, users: int, seconds: int, prefix: Path,
                   classes: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
            "--host", f"http://{HOST}:{port}", "--users", str(users),
            "--spawn-rate", str(users), "--run-time", f"{seconds}s", "--csv", str(prefix),
            "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
            # Users finish the loop they are in when the time is up (locust would cut their
            # requests off unrecorded); a request still unanswered after this is an error.
            "--stop-timeout", str(int(STOP_TIMEOUT_S)), *classes]


def start_locust(command: list[str], events: Path, log, **settings) -> subprocess.Popen:
    env = {**os.environ, "BENCH_EVENTS": str(events), "PYTHONPATH": str(REPO),
           **{f"BENCH_{name.upper()}": str(value) for name, value in settings.items()}}
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def finish_locust(process: subprocess.Popen, timeout: float) -> int:
    """Wait for locust, bounded: past `timeout` it is stopped (SIGTERM, then SIGKILL)."""
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            return process.wait(10)


def recorded(path: Path) -> list[dict]:
    """What the locustfile recorded, one JSON object a line."""
    items = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):
                items.append(json.loads(line))
    return items


def evicted_reads(path: Path) -> dict[str, int]:
    """Answers that a reader's own paste was gone, found right by the store (by kind)."""
    counts: dict[str, int] = {}
    for item in recorded(path):
        if "evicted" in item:
            counts[item["kind"]] = counts.get(item["kind"], 0) + 1
    return counts


def cut_off(path: Path) -> int:
    """Requests sent less than CUT_OFF_S before locust ended the run, and not answered yet."""
    return sum(1 for item in recorded(path)
               if "in_flight" in item and item["seconds"] < CUT_OFF_S)


def read_events(path: Path) -> tuple[list[dict], list[dict]]:
    """(requests, acknowledged uploads) that the locustfile recorded."""
    requests, acks = [], []
    for item in recorded(path):
        if "evicted" in item:  # not a request: see evicted_reads
            continue
        if "in_flight" in item:  # cut off by the run's end, past locust's stop timeout
            if item["seconds"] < CUT_OFF_S:
                continue  # sent as the run was ending: counted by cut_off(), not an error
            item = {"t": time.time(), "kind": item["in_flight"], "ms": item["seconds"] * 1000,
                    "error": f"no answer after {item['seconds']:.0f} s at the run's end"}
        (acks if "ack" in item else requests).append(item)
    return requests, acks


def task_exceptions(prefix: Path) -> list[str]:
    """What locust's users raised (a bug of the harness, not an answer found wrong)."""
    path = prefix.with_name(prefix.name + "_exceptions.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [f"{row['Count']} x {row['Message']}" for row in csv.DictReader(handle)]


def read_locust_log(log) -> str:
    log.flush()
    log.seek(0)
    return log.read().decode("utf-8", errors="replace")


def summary(samples: list[float]) -> dict:
    """Percentiles of latencies given in milliseconds."""
    if not samples:
        return {"n": 0}
    return {"n": len(samples), "p50_ms": percentile(samples, 0.5),
            "p95_ms": percentile(samples, 0.95), "max_ms": max(samples)}


def request_report(requests: list[dict], warm_after: float) -> dict:
    """Counts, errors and latencies, overall and per kind; 'warm': requests sent after the
    first `warm_after` seconds of the run (each worker's first seed analysis and charts)."""
    if not requests:
        return {"requests": 0, "first_to_last_seconds": 0.0, "errors": 0, "by_kind": {},
                "latency": {"n": 0, "errors": 0}, "error_examples": []}
    start = min(r["t"] for r in requests)
    errors = [r for r in requests if r["error"]]

    def stats(items: list[dict]) -> dict:
        warm = [r["ms"] for r in items if r["t"] - start >= warm_after]
        return {**summary([r["ms"] for r in items]),
                "p95_warm_ms": percentile(warm, 0.95) if warm else None,
                "errors": sum(1 for r in items if r["error"])}

    kinds: dict[str, list[dict]] = {}
    for item in requests:
        kinds.setdefault(item["kind"], []).append(item)
    examples = Counter(f"{r['kind']}: {r['error']}" for r in errors)
    return {
        "requests": len(requests),
        "first_to_last_seconds": max(r["t"] + r["ms"] / 1000 for r in requests) - start,
        "errors": len(errors),
        "latency": stats(requests),
        "by_kind": {kind: stats(items) for kind, items in sorted(kinds.items())},
        "error_examples": [f"{n} x {text}" for text, n in examples.most_common(MAX_ERRORS_KEPT)],
    }


def load_phase(port: int, users: int, seconds: int, store: Path, workers: list[int],
               work: Path, slow_clients: int = SLOW_CLIENTS,
               think: tuple[float, float] = THINK_S) -> dict:
    """Readers and uploaders (locust) with slow clients open meanwhile; the store watched."""
    events, prefix = work / "load-events.jsonl", work / "load"
    stop_slow = threading.Event()
    slow = [SlowClient(port, i, stop_slow) for i in range(slow_clients)]
    watcher = StoreWatcher(store)
    server_cpu = {w: cpu_seconds(w) for w in workers}
    children_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    machine_started = machine_busy_seconds()
    command = locust_command(port, users + UPLOADERS, seconds, prefix)
    with tempfile.TemporaryFile() as log:
        process = start_locust(command, events, log, bulk_bytes=BULK_BYTES, store=store,
                               think_s=f"{think[0]},{think[1]}")
        for client in slow:
            client.start()
        watcher.start()
        started = time.monotonic()
        returncode = finish_locust(process, seconds + LOCUST_GRACE_S)
        wall = time.monotonic() - started
        stop_slow.set()
        watcher.stop()
        for client in slow:
            client.join(SLOW_EVERY_S + 5)
        locust_log = read_locust_log(log)
    watcher.sample()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    locust_cpu = (used.ru_utime + used.ru_stime
                  - children_cpu.ru_utime - children_cpu.ru_stime)
    server_used = {w: (cpu_seconds(w) or 0.0) - (server_cpu[w] or 0.0) for w in workers}
    requests, acks = read_events(events)
    report = request_report(requests, seconds / 6)
    if returncode != 0 or not requests:
        report["error"] = (f"locust exited {returncode} after {len(requests)} requests: "
                           + locust_log[-1500:])
    report.update({
        "users": users,
        "uploaders": UPLOADERS,
        "seconds_asked": seconds,
        "wall_seconds": wall,
        "warm_after_seconds": seconds / 6,
        "requests_per_second": (report["requests"] / report["first_to_last_seconds"]
                                if report["requests"] else None),
        "think_s": list(think),
        "uploads_acknowledged": len(acks),
        "evicted_reads": evicted_reads(events),
        "cut_off_at_the_end": cut_off(events),
        "harness_failures": task_exceptions(prefix),
        "slow_clients": [{"bytes_sent": c.bytes_sent, "opened": c.opened is not None,
                          "closed_by_server_after_s": c.closed_by_server,
                          "answers": c.answers, "error": c.error}
                         for c in slow],
        "store": {"bound_articles": STORE_ARTICLES, "bound_bytes": STORE_BYTES,
                  "peak": watcher.peak, "peak_files": watcher.peak_files,
                  "samples": watcher.samples,
                  "end_articles": store_stats(store).articles,
                  "end_entry_bytes": store_stats(store).bytes,
                  "end_files": folder_bytes(store)},
        "locust_cpu_seconds": locust_cpu,
        "worker_cpu_seconds": server_used,
        "machine_busy_cpu_seconds": machine_busy_seconds() - machine_started,
        # What an answer costs the server, whatever share of the cores it got: other work on a
        # shared machine changes requests per second far more than this.
        "worker_cpu_ms_per_request": (sum(server_used.values()) / report["requests"] * 1000
                                      if report["requests"] else None),
    })
    return report


def worker_to_kill(master: int) -> int:
    """The worker that used the most CPU in the last 0.2 s: the one most likely mid-upload."""
    workers = children(process_table(), master)
    before = {w: cpu_seconds(w) or 0.0 for w in workers}
    time.sleep(0.2)
    return max(workers, key=lambda w: (cpu_seconds(w) or 0.0) - before[w])


def kill_phase(port: int, master: int, store: Path, uploads: int, work: Path) -> dict:
    """Uploaders alone; SIGKILL to a worker once KILL_AFTER_ACKS uploads are acknowledged; then
    every acknowledged key must open through the app, and the folder hold only SQLite's files."""
    events, prefix = work / "kill-events.jsonl", work / "kill"
    result: dict = {"uploads_per_uploader": uploads}
    command = locust_command(port, UPLOADERS, 120, prefix, ("Uploader",))
    with tempfile.TemporaryFile() as log:
        process = start_locust(command, events, log, bulk_bytes=KILL_BULK_BYTES,
                               uploads_per_user=uploads)
        deadline = time.monotonic() + LOCUST_GRACE_S + 120
        killed = False
        while process.poll() is None and time.monotonic() < deadline:
            requests, acks = read_events(events)
            if not killed and len(acks) >= KILL_AFTER_ACKS:
                victim = worker_to_kill(master)
                os.kill(victim, signal.SIGKILL)
                killed = True
                result.update({"killed_pid": victim, "acknowledged_before_kill": len(acks)})
            if len([r for r in requests if r["kind"] == "upload (bulk)"]) >= UPLOADERS * uploads:
                break  # every upload answered (or failed): no need to wait out the run time
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        finish_locust(process, 30)
        locust_log = read_locust_log(log)
    requests, acks = read_events(events)
    uploads_sent = [r for r in requests if r["kind"] == "upload (bulk)"]
    result.update({
        "killed": killed,
        "uploads_sent": len(uploads_sent),
        "acknowledged": len(acks),
        "not_acknowledged": [r["error"] for r in uploads_sent if r["error"]],
        "workers_after": len(children(process_table(), master)),
    })
    if not killed:
        result["error"] = "no worker was killed: too few uploads acknowledged. " + \
            locust_log[-1500:]
    # Every key answered 200 must open, whichever worker takes the request.
    problems: list[str] = []
    request = http_request(port, problems)
    app, _ = fetch_app(request)
    result["lost"] = [ack["ack"] for ack in acks
                      if not article_loads(request, app, ack["ack"], ack["document_id"])]
    result["load_problems"] = problems[:MAX_ERRORS_KEPT]
    files = folder_bytes(store)
    result["files"] = files
    result["stray_files"] = sorted(set(files) - STORE_FILES)
    result["store_articles"] = store_stats(store).articles
    return result


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
    # idle workers take one each, until both have one, so the timed ten draw warm. The
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


def phase(results: dict, name: str, run) -> None:
    """One phase's numbers, or what stopped it; the next phases run either way."""
    try:
        results[name] = run()
    except Exception as error:
        results[name] = {"error": f"{type(error).__name__}: {error}"}


def measure(quick: bool, slow_clients: int = SLOW_CLIENTS,
            think: tuple[float, float] = THINK_S) -> dict:
    """Start the server; load it, kill a worker, export PNGs at once; stop it. Every number in
    a dict."""
    mode = "quick" if quick else "standard"
    settings = SETTINGS[mode]
    started = time.perf_counter()
    results: dict = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "mode": mode,
        "cores": os.cpu_count(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }
    seed = seed_article()  # before the server starts: its CPU is not the load's
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    store = work / "store"
    sampler = None
    try:
        with tempfile.TemporaryFile() as log:
            server = Server(store, log)
            results["command"] = " ".join(shlex.quote(t) for t in server.command[1:])
            results["program"] = Path(server.command[0]).name
            results["workers"] = workers_of(server.command)
            results["locust"] = " ".join(locust_command(server.port, settings["users"]
                                                        + UPLOADERS, settings["seconds"],
                                                        Path("load"))[1:]).replace(
                str(REPO) + os.sep, "")
            try:
                results["start_seconds"] = server.wait()
                master = server.process.pid
                sampler = MemorySampler(master)
                sampler.start()
                app, _ = fetch_app(http_request(server.port))
                workers = children(process_table(), master)
                sampler.phase = "load"
                phase(results, "load", lambda: load_phase(
                    server.port, settings["users"], settings["seconds"], store, workers, work,
                    slow_clients, think))
                sampler.phase = "kill"
                phase(results, "kill", lambda: kill_phase(
                    server.port, master, store, settings["kill_uploads"], work))
                sampler.phase = "png"
                phase(results, "png", lambda: png_phase(server.port, app, seed, master))
                hwm = {w: status_kb(w, "VmHWM") for w in children(process_table(), master)}
                sampler.stop()
                results["memory"] = memory_report(sampler, hwm)
                results["master_rss_mib"] = round((status_kb(master, "VmRSS") or 0) / 1024, 1)
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
        shutil.rmtree(work, ignore_errors=True)
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    results["wall_seconds"] = time.perf_counter() - started
    return results


def failed(results: dict) -> bool:
    """The measurement could not be made (not: it was slow, or requests failed)."""
    return any("error" in part for part in (results, results.get("load", {}),
                                            results.get("kill", {}), results.get("png", {})))


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def mib(value: float) -> str:
    return f"{value / 1024 / 1024:.1f} MiB"


def render_load(load: dict) -> list[str]:
    think = load.get("think_s") or [0, 0]
    pause = (f"{think[0]:g}-{think[1]:g} s between a reader's loops" if think[1]
             else "no think time")
    out = [f"  load: {load['users']} readers + {load['uploaders']} uploaders (locust), {pause}, "
           f"{load['seconds_asked']} s asked ({load['wall_seconds']:.0f} s with locust's "
           f"start and stop), {len(load['slow_clients'])} slow-body connections open meanwhile",
           f"  requests: {load['requests']:,} answered in {load['first_to_last_seconds']:.1f} s, "
           f"{load['requests_per_second'] or 0:.1f} per second; errors: {load['errors']} (every "
           f"answer checked)",
           f"    latency in ms; 'p95 warm': requests sent after the first "
           f"{load['warm_after_seconds']:.0f} s",
           f"    {'request':<34}{'n':>7}{'p50':>8}{'p95':>8}{'max':>8}{'p95 warm':>10}"
           f"{'errors':>8}"]
    for kind, stats in [("all requests", load["latency"]), *load["by_kind"].items()]:
        out.append(f"    {kind:<34}{stats['n']:>7,}{ms(stats.get('p50_ms')):>8}"
                   f"{ms(stats.get('p95_ms')):>8}{ms(stats.get('max_ms')):>8}"
                   f"{ms(stats.get('p95_warm_ms')):>10}{stats['errors']:>8}")
    for example in load["error_examples"][:8]:
        out.append(f"    error: {example[:200]}")
    for failure in load["harness_failures"][:5]:
        out.append(f"    locust: {failure[:200]}")
    slow = load["slow_clients"]
    closed = [held for c in slow for held in c["closed_by_server_after_s"]]
    answers: dict[str, int] = {}
    for client in slow:
        for line, count in client.get("answers", {}).items():
            answers[line] = answers.get(line, 0) + count
    out.append(f"  slow clients: {sum(c['opened'] for c in slow)} of {len(slow)} opened, "
               f"{max((c['bytes_sent'] for c in slow), default=0)} body bytes sent at most on "
               f"one connection (one every {SLOW_EVERY_S:.0f} s, connecting again when closed); "
               f"connections closed by the server: {len(closed)}"
               + (f" (after {min(closed):.0f}-{max(closed):.0f} s)" if closed else "")
               + ("; answers: " + ", ".join(f"{n} x {line}" for line, n in answers.items())
                  if answers else ""))
    store = load["store"]
    peak = store["peak"]
    files = ", ".join(f"{name} {mib(size)}" for name, size in sorted(store["peak_files"].items()))
    out.append(f"  requests sent less than {CUT_OFF_S:.0f} s before the run's end and cut off "
               f"by it: {load.get('cut_off_at_the_end', 0)} (not errors; one waiting longer is)")
    evicted = load.get("evicted_reads") or {}
    out.append(f"  readers' own pastes found gone, and evicted in the store: "
               f"{sum(evicted.values())}"
               + (" (" + ", ".join(f"{n} {kind}" for kind, n in sorted(evicted.items())) + ")"
                  if evicted else "") + " (right answers, not errors)")
    out.append(f"  store (bounds {store['bound_articles']} articles, "
               f"{mib(store['bound_bytes'])} on disk): {load['uploads_acknowledged']} bulk "
               f"uploads acknowledged; peak {peak['articles']} articles, "
               f"{mib(peak['entry_bytes'])} of entries, folder {mib(peak['folder_bytes'])} on "
               f"disk ({files}); at the end {store['end_articles']} articles, "
               f"{mib(store['end_entry_bytes'])}, folder {mib(sum(store['end_files'].values()))}")
    wall = load["first_to_last_seconds"]
    server = sum(load["worker_cpu_seconds"].values())
    busy = load["machine_busy_cpu_seconds"]
    cores = os.cpu_count() or 1
    out.append(f"  CPU seconds during the load ({cores} cores x {load['wall_seconds']:.0f} s = "
               f"{cores * load['wall_seconds']:.0f}): gunicorn workers {server:.1f}, locust "
               f"{load['locust_cpu_seconds']:.1f}, everything else on the machine "
               f"{busy - server - load['locust_cpu_seconds']:.1f}")
    if load["worker_cpu_ms_per_request"] is not None:
        out.append(f"  gunicorn worker CPU per answered request: "
                   f"{load['worker_cpu_ms_per_request']:.1f} ms ({wall:.0f} s of requests)")
    return out


def render_kill(kill: dict) -> list[str]:
    out = [f"  killed worker: {UPLOADERS} uploaders x {kill['uploads_per_uploader']} articles of "
           f"{KILL_BULK_BYTES:,} characters; SIGKILL to worker {kill.get('killed_pid')} after "
           f"{kill.get('acknowledged_before_kill')} acknowledged"]
    unanswered = Counter(e.split(":", 1)[0] for e in kill["not_acknowledged"])
    out.append(f"    uploads sent {kill['uploads_sent']}, acknowledged {kill['acknowledged']}, "
               f"not acknowledged {len(kill['not_acknowledged'])}"
               + (f" ({dict(unanswered)})" if unanswered else "")
               + f"; workers afterwards {kill['workers_after']}")
    out.append(f"    acknowledged keys that no longer open: {len(kill['lost'])}; files in the "
               f"store's folder: {', '.join(sorted(kill['files']))}; stray: "
               f"{', '.join(kill['stray_files']) or 'none'}; articles stored "
               f"{kill['store_articles']}")
    out += [f"    {line[:200]}" for line in kill["load_problems"][:5]]
    return out


def render_png(png: dict) -> list[str]:
    warm = png["renderer_warm_up"]
    together = png["together"]
    out = [f"  PNG export: renderers warmed in {warm['seconds']:.1f} s ({warm['rounds']} rounds "
           f"of 2; {warm['workers_with_chromium']} workers with Chromium)",
           f"    {png['requests']} at once: {png['together_seconds']:.1f} s until the last; each "
           f"p50 {ms(together.get('p50_ms'))} ms, max {ms(together.get('max_ms'))} ms; errors "
           f"{png['errors']}, swapped {len(png['swapped'])}",
           f"    the same {png['requests']} alone, one after another: {png['alone_seconds']:.1f} "
           f"s; {png['distinct_images_alone']} distinct images"]
    sameness = Counter(r.get("same_as_alone", "not compared") for r in png["rows"])
    out.append("    at once vs alone: " + ", ".join(f"{n} {what}" for what, n in sameness.items()))
    out += [f"    {row['request']}: {row['error'][:160]}" for row in png["rows"] if row["error"]]
    out += [f"    swapped: {line}" for line in png["swapped"]]
    return out


def render(results: dict) -> str:
    out = [f"Load on the Procfile's web: command ({results['mode']}; {results.get('program')} "
           f"{results.get('command', '')})",
           f"  locust {results.get('locust', '')}",
           f"  {results['date']}, {results['cores']} cores shared by server and client; load "
           f"average {' / '.join(map(str, results['load_average_start']))} at the start, "
           f"{' / '.join(map(str, results['load_average_end']))} at the end"]
    if "error" in results:
        out.append(f"  could not complete: {results['error']}")
    if "start_seconds" in results:
        out.append(f"  server answered {results['start_seconds']:.1f} s after start")
    # A phase that failed part-way may still hold its numbers (its key field says so).
    for name, draw, key in (("load", render_load, "slow_clients"),
                            ("kill", render_kill, "lost"), ("png", render_png, "rows")):
        part = results.get(name) or {}
        if "error" in part:
            out.append(f"  {name} phase: {part['error'][:1500]}")
        if key in part:
            out += draw(part)
    memory = results.get("memory")
    if memory:
        out.append("  memory per gunicorn worker, MiB (Chromium: kaleido's browser under it; "
                   "RSS summed counts shared pages many times, PSS shares them out):")
        for pid, phases in memory["workers"].items():
            parts = []
            for name in ("load", "kill", "png"):
                if name in phases:
                    p = phases[name]
                    chromium = (f", Chromium {p['chromium_processes']} processes RSS "
                                f"{p['chromium_peak_rss_sum_mib']} PSS "
                                f"{p['chromium_peak_pss_sum_mib']}"
                                if p["chromium_processes"] else "")
                    parts.append(f"{name}: peak RSS {p['peak_rss_mib']}{chromium}")
            if "vm_hwm_mib" in phases:
                parts.append(f"VmHWM at the end {phases['vm_hwm_mib']}")
            out.append(f"    worker {pid}: " + "; ".join(parts))
        out.append(f"    master RSS {results.get('master_rss_mib')}; worker pids seen "
                   f"{len(memory['workers_seen'])} (one more than {results.get('workers')} for "
                   f"the killed worker's replacement)")
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
    out.append(f"\nload bench wall time {results['wall_seconds']:.1f} s")
    return "\n".join(out)


def think_range(text: str) -> tuple[float, float]:
    """"2,5" -> (2.0, 5.0); "0" -> (0.0, 0.0)."""
    try:
        low, _, high = text.partition(",")
        pause = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not MIN[,MAX] seconds: {text!r}") from None
    if not 0 <= pause[0] <= pause[1] < 3600:
        raise argparse.ArgumentTypeError(f"not 0 <= MIN <= MAX seconds: {text!r}")
    return pause


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 readers for 15 s")
    parser.add_argument("--slow-clients", type=int, default=SLOW_CLIENTS, metavar="N",
                        help=f"slow-body connections open during the load (default "
                             f"{SLOW_CLIENTS}; 0 for the load alone)")
    parser.add_argument("--think", type=think_range, default=THINK_S, metavar="MIN[,MAX]",
                        help=f"seconds a reader pauses between loops (default "
                             f"{THINK_S[0]:g},{THINK_S[1]:g}; 0 for none, a stress run)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers")
    args = parser.parse_args(argv)
    results = measure(args.quick, args.slow_clients, args.think)
    print(render(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 1 if failed(results) else 0


if __name__ == "__main__":
    sys.exit(main())
