"""A redis-server of the tests' own: Debian's `redis-server`, started on a free loopback port in a
temporary folder and stopped by the tests themselves. Without it the tests fail, naming the
package (`make test` installs it as root): never a skip.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REDIS_PACKAGE = "redis-server"
# How long a fresh server may take to answer PING before the tests give up on it.
STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A running redis-server bound to 127.0.0.1 with its files in `folder`; yields its URL."""
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(f"no redis-server on PATH: the store tests need Debian's package "
                    f"{REDIS_PACKAGE} (`make test` installs it as root; else: sudo apt-get "
                    f"install {REDIS_PACKAGE})", pytrace=False)
    port = free_port()
    # No persistence, and no eviction by the server: the store's own bounds are under test.
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction",
         "--logfile", str(folder / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = folder / "redis.log"
                    pytest.fail("redis-server did not start: " + (
                        log.read_text(errors="replace")[-2000:] if log.exists() else "no log"))
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
