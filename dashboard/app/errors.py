"""What the app answers when a request cannot be served: a clear message, never a 500.

A callback that meets an article no longer stored raises `ArticleGone`, one asked for what does
not exist `Refused` with what to tell the reader; the app's one error
handler (`on_callback_error`, given to Dash) shows it, or any other failure, as an alert above
the views and leaves every output as it was. Requests that never reach a callback (a body that
is not the page's, nested past reading, an output no server callback writes) get a 400 with a
one-line message from `bad_request`.
"""

from __future__ import annotations

import logging

from dash import html, set_props
from werkzeug.exceptions import HTTPException

from dashboard.app import ids
from dashboard.app.articles import Analysis, analysis
from dashboard.app.routing import DEFAULT_VIEW, SEED_KEY, search_for
from dashboard.extract import OverBudget

LOG = logging.getLogger(__name__)
CALLBACK_PATH = "/_dash-update-component"


class Refused(Exception):
    """A request this app cannot serve; its message is what the reader is told."""


class ArticleGone(Refused, LookupError):
    """The URL names an article this server does not hold (never uploaded, or evicted)."""


def required(key: object) -> Analysis:
    """The article a URL names; ArticleGone when there is none."""
    found = analysis(key)
    if found is None:
        raise ArticleGone(key)
    return found


def gone_message() -> html.Div:
    return html.Div(["This article is no longer stored here. ",
                     html.A("Open the seed article", href=search_for(SEED_KEY, DEFAULT_VIEW)),
                     " or upload it again."], className="alert")


def on_callback_error(error: Exception) -> None:
    """Dash's handler for an exception in any server callback: the reader sees what happened,
    the outputs keep what they showed, and an unexpected failure is logged for the operator."""
    if isinstance(error, ArticleGone):
        message = gone_message()
    elif isinstance(error, Refused):
        message = html.Div(str(error), className="alert")
    elif isinstance(error, OverBudget):
        message = html.Div(f"This article could not be read here: {error}. Try a shorter "
                           "excerpt, or the command line, which has no time budget.",
                           className="alert")
    else:
        LOG.error("callback failed", exc_info=error)
        message = html.Div("Something went wrong while answering that request; it is logged. "
                           "Reload the page to go on.", className="alert")
    set_props(ids.ARTICLE_ERROR, {"children": message})


def bad_request(error: Exception):
    """Flask's handler for what escapes before or around a callback: a 400 with a reason for a
    request the page would not send, HTTP errors as they are."""
    from flask import request

    if isinstance(error, HTTPException):
        return error
    if request.path == CALLBACK_PATH:
        reason = ("the request is nested too deeply to read" if isinstance(error, RecursionError)
                  else "the request does not match a callback of this page")
        return {"message": f"Bad request: {reason}."}, 400
    LOG.error("request failed: %s", request.path, exc_info=error)
    return {"message": "The server could not answer this request; it is logged."}, 503
