"""The dashboard under load, for locust: readers, and two clients uploading articles at once.

    locust -f bench/locustfile.py --headless --host http://127.0.0.1:8050 -u 52 -r 52 -t 60s

`python -m bench.load` runs it against the Procfile's gunicorn and reads what it records; run by
hand it needs a server of your own. The users:

- `Reader` (all but two of the users): the loop of `bench.dash_client.Reader` (a page load and
  the callbacks of a view, each loop the next view; the grid with a filter, a CSV download, a
  pasted article and its views), then a pause of BENCH_THINK_S.
- `Uploader` (exactly two, `fixed_count`): pastes a new article of made-up words as fast as the
  server takes them, so that the upload store is pushed past its bounds while readers read.

Every answer is checked by `bench.dash_client`: a 200 whose content is wrong is a failure, as is
any other status, a timeout or a connection error. Settings, from the environment:

- BENCH_EVENTS: a file to which every request (its start, kind, milliseconds, error) and every
  acknowledged upload (key, document id) is appended, one JSON object a line;
- BENCH_BULK_BYTES: the size of an uploader's article (default 200,000 characters);
- BENCH_UPLOADS_PER_USER: each uploader stops after this many uploads (default: no limit);
- BENCH_TAG: a number that keeps this run's texts apart from another run's (default: random);
- BENCH_THINK_S: "MIN,MAX" seconds a reader pauses between loops (default "0,0": none);
- BENCH_STORE: the server's upload store folder: a reader whose own paste the page says is gone
  asks the store whether it was evicted (then the answer is right, and counted as such).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
import time

# locust puts this file's folder first on the path, where bench/dashboard.py would stand in for
# the project's `dashboard` package: the project's root goes there instead.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [os.path.dirname(_HERE)] + [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

from gevent import GreenletExit  # noqa: E402
from locust import FastHttpUser, between, constant, events, task  # noqa: E402
from locust.exception import StopUser  # noqa: E402

from bench import dash_client  # noqa: E402

REQUEST_TIMEOUT_S = 30.0  # a request waiting longer than this is a failure
BULK_BYTES = int(os.environ.get("BENCH_BULK_BYTES") or 200_000)
UPLOADS_PER_USER = int(os.environ.get("BENCH_UPLOADS_PER_USER") or 0)
TAG_BASE = int(os.environ.get("BENCH_TAG") or random.randrange(1, 10**9)) * 10**9
THINK_S = tuple(float(s) for s in (os.environ.get("BENCH_THINK_S") or "0,0").split(","))
if os.environ.get("BENCH_STORE"):  # the server's store, asked by `store.holds` below
    os.environ["CLAIMS_DASHBOARD_STORE"] = os.environ["BENCH_STORE"]
    os.environ.pop("CLAIMS_DASHBOARD_STORE_URL", None)

# What the answers must hold, computed once here (before the run's clock starts) with the
# project's own functions.
SEED = dash_client.seed_article()
UPLOAD_ROWS = dash_client.upload_figures(dash_client.upload_text(0))
if dash_client.upload_figures(dash_client.upload_text(12345)) != UPLOAD_ROWS:
    raise RuntimeError("the upload article's tag changes its figures")

_numbers = itertools.count()
_app: list = []  # the app as the first user fetched it: (DashApp, stylesheet path)
_events = None


@events.init.add_listener
def _open_events(environment, **_kwargs) -> None:
    global _events
    path = os.environ.get("BENCH_EVENTS")
    if path:
        _events = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 (whole run)


def _record(item: dict) -> None:
    if _events is not None:
        _events.write(json.dumps(item) + "\n")


@events.request.add_listener
def _on_request(request_type, name, response_time, response_length, exception=None,
                start_time=None, **_kwargs) -> None:
    _record({"t": start_time, "kind": name, "ms": response_time,
             "error": None if exception is None else str(exception)[:300]})


@events.quitting.add_listener
def _close_events(environment, **_kwargs) -> None:
    if _events is not None:
        _events.close()


def _expect():
    from dashboard.app import DEFAULT_VIEW, SEED_KEY, charts_by_view

    return dash_client.Expect(SEED, charts_by_view(SEED_KEY), DEFAULT_VIEW)


EXPECT = _expect()


class DashUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    network_timeout = REQUEST_TIMEOUT_S
    connection_timeout = REQUEST_TIMEOUT_S

    def send(self, kind: str, method: str, path: str, body: dict | None = None, check=None):
        """`dash_client`'s request: one request, its answer checked; the parsed answer or None.
        Locust counts it under `kind`, a failure with what was wrong."""
        headers = {"Accept": "application/json"}
        started = time.time()
        try:
            return self._send(kind, method, path, body, check, headers)
        except GreenletExit:
            # Locust ends a user still in its loop past the stop timeout by killing it mid-
            # request, and records nothing of that request: one the server never answered (a
            # thread held by a slow client) would vanish. The harness counts it as an error.
            _record({"in_flight": kind, "seconds": time.time() - started})
            raise

    def _send(self, kind, method, path, body, check, headers):
        with self.client.request(method, path, name=kind, json=body, headers=headers,
                                 catch_response=True) as response:
            if response.status_code != 200:
                error = getattr(response, "error", None)
                response.failure(f"HTTP {response.status_code}: {error or response.text[:200]}"
                                 if response.status_code else f"no answer: {error}")
                return None
            try:
                parsed = (dash_client.response_of(response.content) if body is not None
                          else response.content)
                problem = check(parsed) if check else None
            except Exception as error:
                problem = f"wrong content: {type(error).__name__}: {error}"
            if problem:
                response.failure(problem)
                return None
            response.success()
            return parsed

    def app(self):
        if not _app:
            _app.append(dash_client.fetch_app(self.send))
        return _app[0]


def _evicted(kind: str, key: str) -> bool:
    """Whether the server's store no longer holds `key` (recorded when so)."""
    if not os.environ.get("BENCH_STORE"):
        return False
    from dashboard import store

    if store.holds(key):
        return False
    _record({"t": time.time(), "evicted": key, "kind": kind})
    return True


class Reader(DashUser):
    wait_time = between(*THINK_S)  # a person reads a view before the next

    def on_start(self) -> None:
        app, asset = self.app()
        self.flow = dash_client.Reader(next(_numbers), self.send, app, asset, EXPECT,
                                       UPLOAD_ROWS, TAG_BASE, evicted=_evicted)

    @task
    def read(self) -> None:
        self.flow.iteration()


class Uploader(DashUser):
    fixed_count = 2

    def on_start(self) -> None:
        self.number, self.uploads = next(_numbers), 0

    @task
    def upload(self) -> None:
        if UPLOADS_PER_USER and self.uploads >= UPLOADS_PER_USER:
            raise StopUser()
        app, _ = self.app()
        text = dash_client.bulk_text(f"{TAG_BASE} {self.number} {self.uploads}", BULK_BYTES)
        self.uploads += 1
        stored = dash_client.upload(self.send, app, text, "upload (bulk)")
        if stored is not None:
            _record({"t": time.time(), "ack": stored[0], "document_id": stored[1]})
