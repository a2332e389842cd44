"""The app on a threaded server with one headless Chromium driving it, for a browser test
module; shared so that every such module starts and ends them the same way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from dash.testing.application_runners import ThreadedRunner
from dash.testing.composite import DashComposite
from redis_server import free_port

from dashboard import export
from dashboard.app import create_app


@contextmanager
def served_app(request, tmp_path_factory) -> Iterator[DashComposite]:
    """Uploads go to a store of the module's own, downloads to a folder of its own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMS_DASHBOARD_STORE", str(tmp_path_factory.mktemp("store")))
        with ThreadedRunner() as server, DashComposite(
            server=server, browser="Chrome", headless=True,
            options=request.config.hook.pytest_setup_options(), percy_run=False,
            download_path=str(tmp_path_factory.mktemp("downloads")),
        ) as duo:
            duo.start_server(create_app(), port=free_port())
            try:
                yield duo
            finally:
                # A PNG or SVG drawn meanwhile started this process's renderer on a thread of
                # its own; the runner stops by raising into every thread started since it
                # began, which leaves the renderer's loop dead while it looks alive to the next
                # module (its next drawing then waits for its whole timeout). Close it first.
                export.shutdown()
