"""A request's body must arrive in time, so that slow clients cannot hold the server's threads.

gunicorn's threaded worker hands a connection to a thread once its first bytes arrive, and the
thread then waits for the body for as long as the client takes to send it: ten connections that
send one byte every few seconds held a worker's threads and made other readers wait 30 s.
`BodyDeadline` reads the body before the app does, within a grace period plus the time the
body takes at a minimum rate (a 2.7 MB upload on a slow phone link is not an attack); past it
the connection's reading side is shut, the read ends, and the client gets 408. One watchdog
thread per process keeps the deadlines: a thread per request would cost more than the wait.

Only gunicorn gives the app its socket (`gunicorn.socket`); under another server, or for a body
of unknown length (chunked) or one past the app's size limit (refused unread), the request
passes through untouched. A production proxy in front should still buffer whole requests.
"""

from __future__ import annotations

import contextlib
import heapq
import io
import itertools
import os
import socket
import threading
import time

GRACE_SECONDS = 10.0  # CLAIMS_DASHBOARD_BODY_GRACE_S
MIN_BYTES_PER_SECOND = 64 * 1024
REFUSAL = b"The request's body did not arrive in time.\n"


def grace_seconds() -> float:
    """The grace period: CLAIMS_DASHBOARD_BODY_GRACE_S when it is a positive number."""
    try:
        value = float(os.environ.get("CLAIMS_DASHBOARD_BODY_GRACE_S", GRACE_SECONDS))
    except ValueError:
        return GRACE_SECONDS
    return value if 0 < value < float("inf") else GRACE_SECONDS


def body_seconds(length: int, grace: float = GRACE_SECONDS,
                 rate: float = MIN_BYTES_PER_SECOND) -> float:
    """How long a body of `length` bytes may take to arrive."""
    return grace + length / rate


class Watchdog:
    """Shuts the reading side of a socket whose deadline passes before it is disarmed."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, socket.socket]] = []
        self._armed: set[int] = set()
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def arm(self, sock: socket.socket, seconds: float) -> int:
        with self._wake:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                # A forked worker has no copy of its parent's thread: one of its own.
                self._heap, self._armed, self._pid = [], set(), os.getpid()
                self._thread = threading.Thread(target=self._watch, name="body-deadlines",
                                                daemon=True)
                self._thread.start()
            token = next(self._order)
            heapq.heappush(self._heap, (time.monotonic() + seconds, token, sock))
            self._armed.add(token)
            self._wake.notify()
            return token

    def disarm(self, token: int) -> bool:
        """Whether the deadline was still ahead (False: the socket was shut)."""
        with self._wake:
            if token in self._armed:
                self._armed.discard(token)
                return True
            return False

    def _watch(self) -> None:
        with self._wake:
            while True:
                while self._heap and self._heap[0][1] not in self._armed:
                    heapq.heappop(self._heap)  # disarmed: its request finished in time
                if not self._heap:
                    self._wake.wait()
                    continue
                due, token, sock = self._heap[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                heapq.heappop(self._heap)
                self._armed.discard(token)
                # The blocked read returns what it has (the client may be gone already).
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RD)


class BodyDeadline:
    """WSGI middleware: the body is read within `body_seconds(length)` or the answer is 408."""

    def __init__(self, app, max_length: int | None, grace: float = GRACE_SECONDS,
                 watchdog: Watchdog | None = None) -> None:
        self.app = app
        self.max_length = max_length
        self.grace = grace
        self.watchdog = watchdog or Watchdog()

    def __call__(self, environ, start_response):
        sock = environ.get("gunicorn.socket")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # the app answers a malformed length
        too_long = self.max_length is not None and length > self.max_length
        if sock is None or length <= 0 or too_long:
            return self.app(environ, start_response)
        token = self.watchdog.arm(sock, body_seconds(length, self.grace))
        try:
            body = environ["wsgi.input"].read(length)
        except Exception:  # gunicorn raises when the connection ends mid-body
            body = b""
        in_time = self.watchdog.disarm(token)
        if not in_time or len(body) < length:
            start_response("408 Request Timeout", [("Content-Type", "text/plain; charset=utf-8"),
                                                   ("Content-Length", str(len(REFUSAL))),
                                                   ("Connection", "close")])
            return [REFUSAL]
        environ["wsgi.input"] = io.BytesIO(body)
        return self.app(environ, start_response)
