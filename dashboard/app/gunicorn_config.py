"""gunicorn's hooks for the Procfile's server (`--config python:dashboard.app.gunicorn_config`);
its settings stay on the Procfile's command line, where an operator reads them."""

from __future__ import annotations


def post_worker_init(worker) -> None:
    """Each worker warms up as it starts, on a thread of its own while it already answers (as
    `python -m dashboard serve` does): the first reader's article then costs only its own work,
    not the catalog, the reference tables and plotly's classes (about a second)."""
    from dashboard.app.articles import start_warm_up

    start_warm_up()
