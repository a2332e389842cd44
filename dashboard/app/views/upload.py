"""The upload view ("Another article"): a file or pasted text, with its title, publisher and
publication date, read and stored under its key; the page then follows the article's URL.

Input is held to MAX_UPLOAD_BYTES before anything decodes or parses it.
"""

from __future__ import annotations

import base64
import binascii
import logging
from pathlib import Path

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard import store
from dashboard.app import ids
from dashboard.app.routing import search_for
from dashboard.ingest import (
    Document,
    IngestError,
    document_from_bytes,
    document_from_text,
    parse_date,
)
from dashboard.schema import PUBLISHED_YEARS

MAX_UPLOAD_BYTES = 2 * 1024 * 1024

log = logging.getLogger(__name__)


def section() -> html.Div:
    return html.Div([
        html.H2("Another article"),
        html.P("Upload a .txt, .md or .html article (up to 2 MB), or paste its text, with its "
               "title, publisher and publication date. A saved web page gives its own; what "
               "you type here wins. The seed stays one click away."),
        html.Div([
            html.Label(["Title", dcc.Input(id=ids.UPLOAD_TITLE, type="text", maxLength=300,
                                           className="field", debounce=True)]),
            html.Label(["Publisher", dcc.Input(id=ids.UPLOAD_PUBLISHER, type="text",
                                               maxLength=200, className="field",
                                               debounce=True)]),
            html.Div([html.Span("Publication date", className="field-label"),
                      dcc.DatePickerSingle(id=ids.UPLOAD_PUBLISHED, display_format="YYYY-MM-DD",
                                           placeholder="Publication date",
                                           min_date_allowed=f"{PUBLISHED_YEARS[0]}-01-01",
                                           max_date_allowed=f"{PUBLISHED_YEARS[-1]}-12-31")]),
        ], className="metadata-fields"),
        dcc.Upload(id=ids.UPLOAD_FILE, children=html.Div(["Drop a file here or ",
                                                          html.A("choose one")]),
                   className="upload", multiple=False),
        dcc.Textarea(id=ids.PASTE_TEXT, placeholder="...or paste the article's text here",
                     className="paste"),
        html.Button("Read the pasted text", id=ids.PASTE_SUBMIT, className="button"),
    ], id=ids.view_section("upload"), className="view")


def register(app: Dash) -> None:
    @app.callback(
        Output(ids.UPLOAD_MESSAGE, "children"),
        Output(ids.URL, "search", allow_duplicate=True),
        Output(ids.UPLOAD_TITLE, "value"), Output(ids.UPLOAD_PUBLISHER, "value"),
        Output(ids.UPLOAD_PUBLISHED, "date"),
        Input(ids.UPLOAD_FILE, "contents"), Input(ids.PASTE_SUBMIT, "n_clicks"),
        State(ids.UPLOAD_FILE, "filename"), State(ids.PASTE_TEXT, "value"),
        State(ids.UPLOAD_PUBLISHED, "date"), State(ids.UPLOAD_TITLE, "value"),
        State(ids.UPLOAD_PUBLISHER, "value"),
        prevent_initial_call=True,
    )
    def read_another_article(contents, _submit, filename, pasted, published, title, publisher):
        given = {"title": field_text(title, 300), "publisher": field_text(publisher, 200)}
        try:
            if ctx.triggered_id == ids.UPLOAD_FILE:
                name = filename if isinstance(filename, str) and filename else "upload.txt"
                document = uploaded_document(contents, name, published, **given)
            else:
                document = pasted_document(pasted, published, **given)
        except IngestError as err:
            return html.Div(str(err), className="alert"), no_update, no_update, no_update, \
                no_update
        date = document.published.isoformat() if document.published else None
        try:
            key = store.save(store.StoredArticle(
                text=document.text, published=date, name=document.document_id,
                format=document.format, publisher=document.publisher, title=document.title))
        except store.StoreError as err:
            # The operator reads the whole story in the log; the reader gets a line without paths.
            log.error("upload not stored: %s", err)
            return (html.Div(f"The article was read but could not be stored: {err.reason}.",
                             className="alert"), no_update, no_update, no_update, no_update)
        # The fields show what was read, for the reader to confirm or correct and read again.
        return (upload_notice(document), search_for(key, "figures"), document.title,
                document.publisher, date)


def field_text(value: object, limit: int) -> str | None:
    """A metadata field as typed: its words, at most `limit` characters; None when empty."""
    if not isinstance(value, str):
        return None
    words = " ".join(value.split())[:limit]
    return words or None


def upload_notice(document: Document) -> html.Div:
    """What was read, where its metadata came from, and a warning when it has no date."""
    when = document.published.isoformat() if document.published else "no date"
    said = [f"Read \u201c{document.title or document.document_id}\u201d "
            f"({document.publisher or 'publisher unknown'}, {when})."]
    said += [f"The {note}: check them in the fields of the upload view, and read the article "
             "again to correct them." for note in document.notes if "page's own metadata" in note]
    parts = [html.Div(" ".join(said), className="notice")]
    if document.published is None:
        parts.append(html.Div(
            "No publication date is known: dates such as “Monday” or “last "
            "year” stay unresolved, and figures whose period they give cannot be set "
            "against the data. Give the date in the upload view and read the article again.",
            className="alert"))
    return html.Div(parts, className="upload-read")


def uploaded_document(contents: str | None, filename: str, published: str | None, *,
                      title: str | None = None, publisher: str | None = None) -> Document:
    """A Document from dcc.Upload's data URL; too large or undecodable input is an IngestError
    before any parsing."""
    if not isinstance(contents, str) or "," not in contents:
        raise IngestError(f"{filename}: nothing was uploaded")
    encoded = contents.split(",", 1)[1]
    # Four base64 characters carry three bytes, less one for each "=" that pads the end.
    size = len(encoded) * 3 // 4 - encoded[-2:].count("=")
    if size > MAX_UPLOAD_BYTES:
        raise IngestError(f"{filename}: is {size:,} bytes, over the 2 MB upload limit")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as err:
        raise IngestError(f"{filename}: the upload could not be decoded") from err
    if len(data) > MAX_UPLOAD_BYTES:
        raise IngestError(f"{filename}: is {len(data):,} bytes, over the 2 MB upload limit")
    return document_from_bytes(data, Path(filename).name, published=parse_date(published),
                               metadata={"title": title, "publisher": publisher})


def pasted_document(pasted: str | None, published: str | None, *,
                    title: str | None = None, publisher: str | None = None) -> Document:
    """A Document from the paste box, held to the upload limit before any parsing."""
    text = pasted if isinstance(pasted, str) else ""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_UPLOAD_BYTES:
        raise IngestError(f"pasted text: is {size:,} bytes, over the 2 MB upload limit")
    return document_from_text(text, published=parse_date(published), title=title,
                              publisher=publisher)
