"""The Dash app: a thin layer that wires the pure functions to components and callbacks.

`create_app()` builds an app; `app` and `server` (for gunicorn, see the Procfile) are one built
at import. No user state lives in the process: the URL names the article (`seed`, or the key of
an uploaded article in dashboard.store) and the view, so a copied link opens what was seen, on
any worker. What is computed from an article is cached per process by that key.

The package: `ids` (every component id), `routing` (the URL), `articles` (what an article gives,
cached, and where articles are read from), `page` (the page around the views) and `views/`, one
module per view with its section of the layout and its callbacks. The views' client-side
callbacks are functions in `dashboard/assets/`, called by name.
"""

from __future__ import annotations

from pathlib import Path

from dash import Dash

from dashboard.app import errors, page, slow_clients
from dashboard.app.articles import (
    SEED,
    Analysis,
    analysis,
    built_charts,
    charts_by_view,
    download_stem,
    start_warm_up,
    views_of,
)
from dashboard.app.routing import (
    CHART_VIEWS,
    DEFAULT_VIEW,
    SEED_KEY,
    VIEWS,
    figure_in,
    route,
    search_for,
)
from dashboard.app.views import charts, checks, figures, upload
from dashboard.app.views.figures import figure_columns
from dashboard.app.views.upload import MAX_UPLOAD_BYTES, pasted_document, uploaded_document

__all__ = [
    "CHART_VIEWS", "DEFAULT_VIEW", "MAX_UPLOAD_BYTES", "SEED", "SEED_KEY", "VIEWS", "Analysis",
    "analysis", "app", "built_charts", "charts_by_view", "create_app", "download_stem",
    "figure_columns", "figure_in", "pasted_document", "route", "search_for", "serve", "server",
    "uploaded_document", "views_of",
]


def create_app() -> Dash:
    app = Dash(__name__, title="Quantitative claims dashboard",
               assets_folder=str(Path(__file__).resolve().parent.parent / "assets"),
               suppress_callback_exceptions=True, on_error=errors.on_callback_error)
    app.server.register_error_handler(Exception, errors.bad_request)
    # The page's language, for screen readers and hyphenation; Dash's template leaves it out.
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    # Refuse oversized requests before they are read: an upload is 2 MB, base64 adds a third.
    app.server.config["MAX_CONTENT_LENGTH"] = 4 * MAX_UPLOAD_BYTES
    # Under gunicorn, a body must arrive in time: slow clients cannot hold its threads.
    app.server.wsgi_app = slow_clients.BodyDeadline(app.server.wsgi_app,
                                                    app.server.config["MAX_CONTENT_LENGTH"],
                                                    grace=slow_clients.grace_seconds())
    app.layout = page.layout()
    page.register(app)
    for view in (charts, figures, checks, upload):
        view.register(app)
    return app


app = create_app()
server = app.server


def serve(host: str = "127.0.0.1", port: int = 8050) -> None:
    print(f"Serving the dashboard on the seed article at http://{host}:{port}/", flush=True)
    start_warm_up()  # the first reader's article then costs only its own work
    app.run(host=host, port=port, debug=False)
