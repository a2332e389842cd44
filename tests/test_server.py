"""The Procfile's server: slow clients cannot hold it, and its workers warm up as they start.

A body must arrive in time (dashboard/app/slow_clients.py): the deadline's arithmetic and its
watchdog on loopback sockets, then the Procfile's own gunicorn with more slow-body connections
open than it has threads, while a reader pastes an article. The workers' warm-up hook
(dashboard/app/gunicorn_config.py).
"""

from __future__ import annotations

import io
import socket
import threading
import time

import pytest

from bench import dash_client, load
from dashboard.app import slow_clients

SLOW_HEAD = ("POST /_dash-update-component HTTP/1.1\r\nHost: {host}\r\n"
             "Content-Type: application/json\r\nContent-Length: 10000\r\n\r\n{{")
# Bounded waits for what must happen (never a measure of speed): generous on a busy machine.
ANSWER_SECONDS = 60


def test_a_body_may_take_the_grace_plus_its_length_at_the_minimum_rate():
    assert slow_clients.body_seconds(0) == slow_clients.GRACE_SECONDS
    two_mb = slow_clients.body_seconds(2 * 1024 * 1024)
    assert two_mb == slow_clients.GRACE_SECONDS + 32  # 2 MiB at 64 KiB/s
    assert slow_clients.body_seconds(10_000, grace=1) < 2


@pytest.mark.parametrize("value, expected", [("3", 3.0), ("0", 10.0), ("-1", 10.0),
                                             ("soon", 10.0), ("inf", 10.0), ("nan", 10.0)])
def test_the_grace_comes_from_the_environment_when_it_is_a_positive_number(monkeypatch, value,
                                                                           expected):
    monkeypatch.setenv("CLAIMS_DASHBOARD_BODY_GRACE_S", value)
    assert slow_clients.grace_seconds() == expected


@pytest.fixture
def connection():
    """Both ends of a loopback TCP connection: (client, server)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
        with client, server:
            yield client, server


def test_the_watchdog_shuts_the_reading_side_of_a_socket_past_its_deadline(connection):
    _client, server = connection
    watchdog = slow_clients.Watchdog()
    token = watchdog.arm(server, 0.2)
    server.settimeout(ANSWER_SECONDS)
    assert server.recv(10) == b""  # the blocked read ends with nothing
    assert not watchdog.disarm(token)


def test_a_disarmed_deadline_leaves_the_socket_alone(connection):
    client, server = connection
    watchdog = slow_clients.Watchdog()
    assert watchdog.disarm(watchdog.arm(server, 0.2))
    time.sleep(0.5)
    client.sendall(b"still open")
    assert server.recv(10) == b"still open"


def test_outside_gunicorn_a_request_passes_through_untouched():
    seen = {}

    def app(environ, start_response):
        seen["body"] = environ["wsgi.input"].read()
        start_response("200 OK", [])
        return [b"ok"]

    wrapped = slow_clients.BodyDeadline(app, 100)
    environ = {"CONTENT_LENGTH": "5", "wsgi.input": io.BytesIO(b"hello")}
    assert wrapped(environ, lambda *a: None) == [b"ok"] and seen["body"] == b"hello"


class SlowBody(threading.Thread):
    """Sends a callback's headers and the first byte of its body, then one byte a second until
    the server answers; keeps the answer's first line."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.answer = b""

    def run(self) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
            connection.sendall(SLOW_HEAD.format(host=f"127.0.0.1:{self.port}").encode())
            deadline = time.monotonic() + ANSWER_SECONDS
            while time.monotonic() < deadline:
                try:
                    self.answer = connection.recv(200)
                    return
                except TimeoutError:
                    try:
                        connection.sendall(b" ")
                    except OSError:
                        return


def test_gunicorn_answers_slow_bodies_408_and_serves_others_meanwhile(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMS_DASHBOARD_BODY_GRACE_S", "2")
    with open(tmp_path / "server.log", "w+b") as log:
        server = load.Server(tmp_path / "store", log)
        try:
            server.wait()
            threads = load.workers_of(server.command) * int(
                server.command[server.command.index("--threads") + 1])
            slow = [SlowBody(server.port) for _ in range(threads + 8)]
            for client in slow:
                client.start()
            problems: list[str] = []
            request = load.http_request(server.port, problems)
            app, _ = dash_client.fetch_app(request)
            uploaded = dash_client.upload(request, app, dash_client.upload_text(1), "paste")
            assert uploaded is not None, problems
            for client in slow:
                client.join(ANSWER_SECONDS)
            answers = {client.answer.split(b"\r\n", 1)[0] for client in slow}
            assert answers == {b"HTTP/1.1 408 Request Timeout"}, server.log_text()[-2000:]
        finally:
            server.stop({})


def test_the_procfiles_workers_warm_up_as_they_start(tmp_path):
    """The Procfile names the hooks module, and its hook leaves a warmed-up process."""
    from dashboard.app import gunicorn_config
    from dashboard.app.articles import _WARMING

    argv = load.procfile_command(load.PROCFILE, 4321)
    assert argv[argv.index("--config") + 1] == "python:dashboard.app.gunicorn_config"
    before = set(threading.enumerate())
    gunicorn_config.post_worker_init(worker=None)
    warming = [t for t in set(threading.enumerate()) - before if t.name == "warm-up"]
    assert len(warming) == 1
    warming[0].join(ANSWER_SECONDS)
    assert not warming[0].is_alive() and not _WARMING.locked()
