"""Hostile input, fuzzed: hypothesis feeds any bytes, file names, pages and text to ingest, to the
extractor, and through the real Flask app to the upload callback and the callbacks that load the
article it stores.

Whatever comes in, ingest gives a Document or a one-line IngestError, the extractor a table that
keeps its contract, and the app an answer the page can show (a notice or an alert), never a 500.
The strategies draw on purpose what once broke or bloated the extractor: runs of thousands of
digits, hard-wrapped text of many short lines, thousands of numbers, digits of other scripts,
zero-width and bidirectional marks, NUL bytes. The limits (2 MB an upload or a paste, 8 MB a
request) are checked to hold before anything is parsed.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import tracemalloc
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import dashboard.app as dashboard_app
from dashboard import store
from dashboard.app import articles as app_articles
from dashboard.app.views import upload as upload_view
from dashboard.article_view import MAX_MARKS
from dashboard.extract import extract_figures
from dashboard.ingest import IngestError, document_from_bytes, document_from_text, html_to_text
from dashboard.schema import FIGURE_COLUMN_NAMES, PUBLISHED_YEARS, validate_figures

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
# Each example of the app goes through four callbacks.
FUZZ_APP = settings(FUZZ, max_examples=30)

# -- strategies -----------------------------------------------------------------------------
# Digits of other scripts, numbers that are not digits, characters that take no room or turn
# the text's direction, controls and line separators, and the formula starts of a spreadsheet.
ODD_PIECES = st.sampled_from([
    "١٢٣", "٤٥٫٦", "۱۲۳", "१२३", "１２３", "𝟏𝟐", "¹²³", "½", "⅓", "¾", "Ⅻ", "〇", "٪", "٠",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u202a",
    "\u202b", "\u202e", "\u2066", "\u2067", "\u2069", "\x00", "\x0b", "\x0c", "\x1c", "\x85",
    "\u2028", "\u2029", "\r", "\r\n", "\t", "\u0301", "\u20e3", "e\u0301", "👍🏽", "🇺🇸",
    "\U0010ffff", "\ufffd", "\ufdd0", "−", "–", "+", "=", "@", "&lt;", "<script>",
])
NUMERALS = st.one_of(
    st.integers(0, 10**12).map(str),
    st.integers(1_000, 10**15).map(lambda n: f"{n:,}"),
    st.floats(0, 1e9, allow_nan=False).map(str),
    st.text(st.characters(categories=["Nd"]), min_size=1, max_size=25),  # any script's digits
    st.text(st.characters(categories=["No", "Nl"]), min_size=1, max_size=3),  # ½ ² Ⅻ
    st.sampled_from(["1.5", ".5", "3,5", "1,00", "12,345,678.9", "2025", "00", "1e9", "0x1F"]),
)
# More digits than int() converts by default (4,300): such a run once raised ValueError.
DIGIT_RUNS = st.builds(
    lambda prefix, digit, count, suffix: prefix + digit * count + suffix,
    st.sampled_from(["", "$", "-", "at least ", "1,"]),
    st.sampled_from(["9", "1", "0", "١", "१", "０"]),
    st.integers(4_301, 9_000),
    st.sampled_from(["", " people", ".5", ",000", "%", " million"]),
)
WORDS = st.sampled_from(
    """one twelve hundred thousand million billion half percent per people lives boats strikes
    deaths months years km dollars the of in on to and or than between from killed said every
    saves at least nearly about Monday January Trump said according to the CDC""".split()
)
PUNCTUATION = st.sampled_from(['"', "“", "”", "'", "«", "»", ".", ",", "$", "%", "-", "(", ")"])
PIECES = st.one_of(NUMERALS, NUMERALS, WORDS, WORDS, ODD_PIECES, PUNCTUATION)
SPACES = st.sampled_from([" ", " ", "\n", "\n\n", "", "\u00a0", "\t", "\u3000", "\u2009"])
HOSTILE_TEXT = st.lists(st.tuples(PIECES, SPACES), max_size=40).map(
    lambda pairs: "".join(piece + space for piece, space in pairs))
LINE = st.lists(st.one_of(NUMERALS, WORDS, ODD_PIECES), min_size=1, max_size=5).map(
    lambda pieces: " ".join(pieces).replace("\n", " ").replace("\r", " ") + "\n")


def hard_wrapped(most: int) -> st.SearchStrategy[str]:
    """An article of up to `most` short lines and no sentence end: once quadratic in time and
    memory."""
    return st.builds(lambda head, line, count: head + line * count,
                     st.sampled_from(["", "Intro.\n\n", "Title\n\n", "A.\n\nB "]), LINE,
                     st.integers(100, most))


def many_numbers(most: int) -> st.SearchStrategy[str]:
    return st.builds(
        lambda count, step, separator: separator.join(str(i * step % 100_003)
                                                      for i in range(count)),
        st.integers(100, most), st.integers(1, 9_973),
        st.sampled_from([" ", "\n", ", ", "; ", " and ", "\n\n", "-", " to ", "\t"]))


def any_text(most: int) -> st.SearchStrategy[str]:
    """Hostile text, long digit runs, and up to `most` lines or numbers in bulk."""
    return st.one_of(
        HOSTILE_TEXT, HOSTILE_TEXT, st.text(), DIGIT_RUNS, hard_wrapped(most), many_numbers(most),
        st.tuples(HOSTILE_TEXT, DIGIT_RUNS, HOSTILE_TEXT).map("".join),
    )


ANY_TEXT = any_text(2_000)
# Through the app every figure is also a grid row and a highlight: less bulk keeps it quick.
APP_TEXT = any_text(300)
# What a browser may paste: JavaScript strings may hold lone surrogates too.
PASTED = st.one_of(APP_TEXT, st.text(st.characters(codec=None, exclude_categories=[])))

# Inert content of a page: each carries MARK, which must never reach the document text.
MARK = "XSSMARK"
INERT_HTML = st.sampled_from([
    f"<script>window.__pwned = 1; alert('{MARK}')</script>",
    f"<script type='text/template'><p>{MARK}</p></script>",
    f"<style>body {{display: none}} /* {MARK} */</style>",
    f"<noscript><p>{MARK}</p></noscript>",
    f"<template><p>{MARK}</p></template>",
    f"<iframe src=\"javascript:alert('{MARK}')\">{MARK}</iframe>",
    f"<iframe srcdoc=\"<p>{MARK}</p>\"></iframe>",
    f"<!-- {MARK} -->",
    f"<?php echo '{MARK}'; ?>",
    f"<img src=x onerror=\"alert('{MARK}')\">",
    f"<svg onload=\"alert('{MARK}')\"><script>{MARK}</script><style>{MARK}</style></svg>",
    f"<a href=\"javascript:alert('{MARK}')\" title=\"{MARK}\">a link</a>",
    f"<body onload=\"alert('{MARK}')\">",
    f"<div style=\"background: url(javascript:{MARK})\">styled</div>",
    f"<meta http-equiv=\"refresh\" content=\"0; url=javascript:{MARK}\">",
    f"<object data=\"javascript:{MARK}\"></object><embed src=\"{MARK}\">",
    f"<math><mtext><script>{MARK}</script></mtext></math>",
    f"<script>/*</script><p>visible</p><script>*/ {MARK}</script>",
    f"<script>{MARK}",  # never closed: the rest of the page is script
])
TEXT_HTML = st.one_of(
    st.sampled_from([
        "<p>The mayor said 40 homes burned on Monday.</p>",
        "&lt;script&gt;alert(5)&lt;/script&gt; said 40 people",
        "<p><b>12", "</div></div>", "&#0;", "&#x110000;", "&#xD800;", "&amp;amp;", "&", "<", ">",
        "</script>", "<![CDATA[ 12 boats ]]>", "<!DOCTYPE html>", "<html>", "<head>", "<body>",
        "<meta charset='utf-16'>", "<meta charset='shift_jis'>", "<base href='javascript:'>",
        "<table><tr><td>21<td>83</table>", "<ul><li>3 ships<li>4 boats</ul>", "<br>", "<hr/>",
        "<p dir=rtl>\u202e١٢٣ people</p>", "<pre>  7\n  8\n</pre>",
    ]),
    HOSTILE_TEXT,
)
NESTED_HTML = st.builds(
    lambda tag, depth, inner: f"<{tag}>" * depth + inner + f"</{tag}>" * depth,
    st.sampled_from(["div", "span", "b", "table", "ul", "li", "p", "a", "svg", "font", "td"]),
    st.integers(50, 3_000), TEXT_HTML)
HOSTILE_HTML = st.lists(st.one_of(INERT_HTML, TEXT_HTML, TEXT_HTML, NESTED_HTML), max_size=25).map(
    "".join)

FILE_NAMES = st.one_of(
    st.tuples(st.text(max_size=30), st.sampled_from(
        ["", ".txt", ".md", ".html", ".htm", ".HTML", ".markdown", ".json", ".exe", ".tar.gz",
         ".", ".txt.html", ".html.txt"])).map("".join),
    st.sampled_from(["", ".", "..", "/", "../../etc/passwd", "C:\\evil\\a.txt", "a\x00b.txt",
                     "\n.html", "con.txt", "ä" * 300 + ".txt", "<script>alert(1)</script>.txt"]),
)
UPLOAD_BYTES = st.one_of(
    st.binary(max_size=3_000),
    APP_TEXT.map(str.encode),
    HOSTILE_HTML.map(str.encode),
    st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x89PNG\r\n\x1a\n",
                               b"%PDF-", b"PK\x03\x04"]), HOSTILE_TEXT.map(str.encode)).map(
        b"".join),
    HOSTILE_TEXT.map(lambda text: text.encode("utf-16")),
)
# A date picker sends an ISO date or nothing; a crafted request sends anything.
PUBLISHED = st.one_of(st.none(), st.dates().map(str), st.text(max_size=12))


# -- checks ---------------------------------------------------------------------------------
def assert_one_line_error(err: IngestError) -> None:
    message = str(err)
    assert message and "\n" not in message and "\r" not in message, message


def assert_figures_keep_the_contract(text: str, table: pd.DataFrame) -> None:
    assert tuple(table.columns) == FIGURE_COLUMN_NAMES
    validate_figures(table)
    assert table["figure_id"].is_unique
    for row in table.itertuples(index=False):
        start, end = int(row.char_start), int(row.char_end)
        assert 0 <= start < end <= len(text), (start, end, len(text))
        assert text[start:end] == row.surface, (row.surface, text[start:end])
        assert row.surface in row.sentence, (row.surface, row.sentence[:200])
    for sentence in set(table["sentence"]):
        assert sentence in text, sentence[:200]


# -- ingest ---------------------------------------------------------------------------------
@FUZZ
@given(data=UPLOAD_BYTES, name=FILE_NAMES)
@example(data=b"12 boats\x00", name="a.txt")
@example(data="١٢٣ people\u200f and ½".encode(), name="")
@example(data=b"<script>alert(1)</script>", name=".html")
def test_any_bytes_with_any_name_give_a_document_or_a_one_line_error(data, name):
    try:
        document = document_from_bytes(data, name)
    except IngestError as err:
        assert_one_line_error(err)
        return
    assert document.format in ("txt", "md", "html")
    assert document.text.strip() and "\r" not in document.text
    assert isinstance(document.document_id, str) and document.document_id
    if document.format == "html":
        assert MARK not in document.text


@FUZZ
@given(text=PASTED, format=st.sampled_from(["txt", "md", "html"]))
def test_any_pasted_text_gives_a_document_or_a_one_line_error(text, format):
    try:
        document = document_from_text(text, format=format)
    except IngestError as err:
        assert_one_line_error(err)
        return
    assert document.text.strip() and "\r" not in document.text
    if format != "html":
        expected = text.replace("\r\n", "\n").replace("\r", "\n")
        assert document.text == re.sub(r"[\ud800-\udfff]", "\ufffd", expected)
    document.text.encode("utf-8")  # whatever came in, the text can be written as UTF-8


@FUZZ
@given(page=HOSTILE_HTML)
@example(page="<div>" * 5_000 + "deep 12" + "</div>" * 5_000)
@example(page=f"<p>12 boats</p><script>{MARK}")
@example(page="<script>x</script>\x0c ")  # lxml refused the form feed once the script was gone
def test_no_inert_content_of_a_hostile_page_reaches_its_text(page):
    text = html_to_text(page)
    assert isinstance(text, str)
    assert MARK not in text
    assert "\r" not in text


# -- extraction -----------------------------------------------------------------------------
@FUZZ
@given(text=ANY_TEXT, published=st.one_of(st.none(), st.dates(
    dt.date(PUBLISHED_YEARS[0], 1, 1), dt.date(PUBLISHED_YEARS[-1], 12, 31)).map(str)))
@example(text="9" * 5_000, published=None)
@example(text="There were " + "١" * 5_000 + " people.", published=None)
@example(text="Intro.\n\n" + "word 12 word\n" * 3_000, published="2025-11-18")
@example(text="12\x00 people, \u200b34\u200b boats and \u202e١٢٣ ½ strikes", published=None)
def test_any_text_gives_a_figures_table_that_keeps_the_contract(text, published):
    table = extract_figures(text, published=published, document_id="fuzz", publisher="Desk")
    assert_figures_keep_the_contract(text, table)
    assert table["figure_id"].str.startswith("fuzz:").all()


# Each shape makes a figure of almost every line or word; a row that copied its whole sentence
# made the table quadratic in the text (4,000 short lines took 400 MB).
BULK_SHAPES = {
    "hard-wrapped lines": "Intro.\n\n" + "word 12 word\n" * 4_000,
    "numbers and spaces": " ".join(str(i) for i in range(4_000)),
    "a digit run": "Intro 12.\n\n" + "9" * 40_000,
}


@pytest.mark.parametrize("shape", BULK_SHAPES)
def test_extraction_memory_grows_linearly_with_the_text(shape):
    text = BULK_SHAPES[shape]
    extract_figures("warm up: 12 boats.")  # imports and compiled patterns are not the text's
    tracemalloc.start()
    try:
        table = extract_figures(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_figures_keep_the_contract(text, table)
    # About 0.6 KB a character where a figure stands at every other one; 1 KB is the budget.
    assert peak <= 1_000 * len(text) + 16 * 2**20, f"{peak / 2**20:.0f} MB for {len(text):,} chars"


# -- the app, through Flask -----------------------------------------------------------------
class Page:
    """The callbacks of one app, posted as the page posts them."""

    def __init__(self, client):
        self.client = client
        self.dependencies = client.get("/_dash-dependencies").get_json()

    def dependency(self, prefix: str) -> dict:
        (found,) = [d for d in self.dependencies if d["output"].startswith(prefix)]
        return found

    def post(self, prefix: str, values: dict, changed: list[str]):
        """POST the callback whose output starts with `prefix`; `values` maps "id.property" to
        the value the page holds (absent: the page holds none)."""
        body = self.body(self.dependency(prefix), values, changed)
        return self.client.post("/_dash-update-component", json=body)

    @staticmethod
    def body(dependency: dict, values: dict, changed: list[str], *, inputs=None, state=None,
             outputs: str | None = None) -> dict:
        """The request body of a callback; `inputs`, `state` and `outputs` replace the
        dependency's own (a pattern-matching id made concrete: the request still names the
        callback by its pattern). A pattern id is written in `values` as its compact, sorted
        JSON."""
        output = dependency["output"]
        written = outputs or output
        parts = written[2:-2].split("...") if written.startswith("..") else [written]
        outputs = []
        for part in parts:
            component, prop = part.rsplit(".", 1)
            if component.startswith("{"):
                component = json.loads(component)
            outputs.append({"id": component, "property": prop})

        def name(item):
            component = item["id"]
            if isinstance(component, dict):
                component = json.dumps(component, sort_keys=True, separators=(",", ":"))
            return f"{component}.{item['property']}"

        def filled(items):
            return [{**item, **({"value": values[name(item)]} if name(item) in values else {})}
                    for item in items]

        return {"output": output, "outputs": outputs if len(parts) > 1 else outputs[0],
                "inputs": filled(inputs if inputs is not None else dependency["inputs"]),
                "state": filled(state if state is not None else dependency["state"]),
                "changedPropIds": changed}

    def upload(self, contents, filename, published):
        return self.post("..upload-message.children", {
            "upload-file.contents": contents, "upload-file.filename": filename,
            "upload-published.date": published}, ["upload-file.contents"])

    def paste(self, text, published):
        return self.post("..upload-message.children", {
            "paste-text.value": text, "paste-submit.n_clicks": 1,
            "upload-published.date": published}, ["paste-submit.n_clicks"])


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The app from its factory, its uploads in a store of the module's own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMS_DASHBOARD_STORE", str(tmp_path_factory.mktemp("store")))
        yield Page(dashboard_app.create_app().server.test_client())


def answered(response) -> dict | None:
    """The JSON of a callback's answer, checked to be an answer and not a server error."""
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 204), (response.status_code, body[:500])
    assert "Traceback (most recent call last)" not in body
    return response.get_json() if response.status_code == 200 else None


def strings(component) -> list[str]:
    """The text of a serialised component tree, in order."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, list):
        return [s for child in component for s in strings(child)]
    if isinstance(component, dict):
        return strings(component.get("props", {}).get("children"))
    return []


def components(component) -> list[dict]:
    if isinstance(component, list):
        return [c for child in component for c in components(child)]
    if isinstance(component, dict):
        return [component, *components(component.get("props", {}).get("children"))]
    return []


def assert_read_or_refused(page: Page, response) -> str | None:
    """The upload callback answered with a notice and a new URL, or with an alert and none; a
    read article then loads: heading, grid and text. Returns the article's key, if read."""
    answer = answered(response)["response"]
    message = answer["upload-message"]["children"]["props"]
    assert message["className"] in ("upload-read", "alert"), message
    if message["className"] == "upload-read":  # a notice, and an alert when it has no date
        parts = [part["props"] for part in message["children"]]
        assert [p["className"] for p in parts] in (["notice"], ["notice", "alert"]), parts
        assert all(isinstance(p["children"], str) for p in parts)  # text, never markup
    else:
        assert isinstance(message["children"], str)  # text, never markup
    if message["className"] == "alert":
        assert "\n" not in message["children"]  # an IngestError: one line
        assert "url" not in answer
        return None
    key, view = dashboard_app.route(answer["url"]["search"])
    assert view == "figures"
    stored = store.load(key)
    assert stored is not None, key
    text = stored.text
    if stored.format == "html":
        assert MARK not in text
    loaded = {"article-key.data": key, "grid-article.data": key}

    shown = answered(page.post("..article-heading.children", loaded, ["article-key.data"]))
    assert shown["response"]["article-error"]["children"] is None
    assert strings(shown["response"]["article-heading"]["children"])

    first_block = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
    served = answered(page.post("figures-grid.getRowsResponse", {
        **loaded, "figures-grid.getRowsRequest": first_block}, ["figures-grid.getRowsRequest"]))
    served = served["response"]["figures-grid"]["getRowsResponse"]
    rows = served["rowData"]
    assert len(rows) == min(100, served["rowCount"])
    for row in rows:
        assert text[row["char_start"]:row["char_end"]] == row["surface"], row["figure_id"]

    # The text is drawn when the figures view is shown.
    drawn = answered(page.post("..article-text.children", {**loaded, "view.value": "figures"},
                               ["article-key.data"]))
    panel = drawn["response"]["article-text"]["children"]
    figures = dashboard_app.analysis(key).figures
    if len(figures) > MAX_MARKS:  # the panel says it highlights only the first MAX_MARKS
        note, *panel = panel
        assert note["props"]["className"] == "article-note"
        assert f"{len(figures):,} figures" in note["props"]["children"]
    # Text goes in as strings, never as markup: only these components, and every character of
    # the document shown in its order (white space between paragraphs aside).
    assert {(c["namespace"], c["type"]) for c in components(panel)} <= {
        ("dash_html_components", kind) for kind in ("P", "Span", "Mark")}
    assert "dangerouslySetInnerHTML" not in json.dumps(panel)
    assert re.sub(r"\s", "", "".join(strings(panel))) == re.sub(r"\s", "", text)
    # Every figure (up to MAX_MARKS) is highlighted, once, in the order of the text.
    assert [r["figure_id"] for r in rows] == figures["figure_id"].tolist()[:100]
    assert served["rowCount"] == len(figures)
    marks = [(c["props"]["data-figure"], c["props"]["children"]) for c in components(panel)
             if c["type"] == "Mark"]
    in_order = figures.sort_values("char_start").head(MAX_MARKS)
    assert marks == list(zip(in_order["figure_id"], in_order["surface"], strict=True))
    return key


def data_url(data: bytes, kind: str = "application/octet-stream") -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


@FUZZ_APP
@given(data=UPLOAD_BYTES, name=FILE_NAMES, published=PUBLISHED)
@example(data=b"The mayor said 40 homes burned on Monday.", name="a.txt", published="2025-11-18")
@example(data=("Intro.\n\n" + "word 12 word\n" * 2_000).encode(), name="wrapped.txt",
         published=None)
@example(data=("They counted " + "9" * 5_000 + " boats.").encode(), name="digits.md",
         published=None)
@example(data=b"<p>12 boats</p><script>alert(1)</script>\x0c", name="page.html", published=None)
def test_any_upload_is_read_or_refused_and_a_read_article_loads(page, data, name, published):
    assert_read_or_refused(page, page.upload(data_url(data), name, published))


@FUZZ_APP
@given(text=PASTED, published=PUBLISHED)
@example(text="&lt;script&gt;alert(5)&lt;/script&gt; said 40 people", published=None)
@example(text="The mayor said 40 \ud800 homes burned.", published="2025-11-18")
@example(text="a," * 499 + "123456 boats", published=None)  # a figure across a sentence cut
def test_any_paste_is_read_or_refused_and_a_read_article_loads(page, text, published):
    assert_read_or_refused(page, page.paste(text, published))


# Any JSON a crafted request can put where the page sends a string, a date or a list.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.text(max_size=5), children, max_size=3),
    max_leaves=6)


@FUZZ_APP
@given(values=st.fixed_dictionaries({
    "upload-file.contents": JSON_VALUES | st.just("data:text/plain;base64,MTIgYm9hdHM="),
    "upload-file.filename": JSON_VALUES, "paste-text.value": JSON_VALUES,
    "paste-submit.n_clicks": JSON_VALUES, "upload-published.date": JSON_VALUES}),
    trigger=st.sampled_from(["upload-file.contents", "paste-submit.n_clicks"]))
def test_a_crafted_upload_request_gets_a_notice_or_an_alert(page, values, trigger):
    assert_read_or_refused(page, page.post("..upload-message.children", values, [trigger]))


# What AG Grid's infinite row model asks for, and anything else a crafted request puts there.
COLUMNS = st.sampled_from(FIGURE_COLUMN_NAMES) | st.text(max_size=8)
NUMBERS = st.integers(-10, 10**12) | st.floats()
CONDITION = st.fixed_dictionaries({
    "filterType": st.sampled_from(["text", "number", "date", "set"]) | JSON_VALUES,
    "type": st.sampled_from(["contains", "notContains", "equals", "notEqual", "startsWith",
                             "endsWith", "lessThan", "greaterThanOrEqual", "inRange", "blank",
                             "notBlank"]) | JSON_VALUES,
    "filter": JSON_VALUES | NUMBERS, "filterTo": JSON_VALUES | NUMBERS})
COLUMN_FILTER = CONDITION | st.fixed_dictionaries({
    "filterType": st.sampled_from(["text", "number"]) | JSON_VALUES,
    "operator": st.sampled_from(["AND", "OR"]) | JSON_VALUES,
    "conditions": st.lists(CONDITION | JSON_VALUES, max_size=3) | JSON_VALUES})
GRID_REQUEST = JSON_VALUES | st.fixed_dictionaries({
    "startRow": JSON_VALUES | NUMBERS, "endRow": JSON_VALUES | NUMBERS,
    "filterModel": st.dictionaries(COLUMNS, COLUMN_FILTER | JSON_VALUES, max_size=3) | JSON_VALUES,
    "sortModel": st.lists(st.fixed_dictionaries({
        "colId": COLUMNS, "sort": st.sampled_from(["asc", "desc"]) | JSON_VALUES}) | JSON_VALUES,
        max_size=3) | JSON_VALUES})


@FUZZ_APP
@given(key=st.sampled_from(["seed", "0" * 16, "../../etc/passwd"]) | JSON_VALUES,
       request=GRID_REQUEST,
       states=st.fixed_dictionaries({
           "quick-search.value": JSON_VALUES | st.sampled_from(["25,000", "trump lives"]),
           "filter-kind.value": JSON_VALUES | st.just(["count", "date"]),
           "filter-stance.value": JSON_VALUES, "filter-speaker.value": JSON_VALUES}))
def test_a_crafted_article_key_or_grid_request_gets_an_answer(page, key, request, states):
    loaded = {"article-key.data": key, "grid-article.data": key}
    shown = answered(page.post("..article-heading.children", loaded, ["article-key.data"]))
    found = dashboard_app.analysis(key) if isinstance(key, str) else None
    if found is None:
        assert "no longer stored" in "".join(
            strings(shown["response"]["article-error"]["children"]))
    asked = {**loaded, **states, "figures-grid.getRowsRequest": request}
    served = answered(page.post("figures-grid.getRowsResponse", asked,
                                ["figures-grid.getRowsRequest"]))
    if key is None:  # a page that has not read its URL yet: the grid waits for the article
        assert served is None or served["response"] == {}
        return
    served = served["response"]["figures-grid"]["getRowsResponse"]
    assert isinstance(served["rowData"], list)
    assert len(served["rowData"]) <= min(100, served["rowCount"])
    assert served["rowCount"] <= (len(found.figures) if found else 0)
    answered(page.post("..article-text.children", {**loaded, "view.value": "figures"},
                       ["article-key.data"]))
    if found is not None:
        search = dashboard_app.search_for(key, "figures")
        answered(page.post("figures-download.data", {**asked, "url.search": search},
                           ["figures-csv-view.n_clicks"]))


def test_an_article_stored_after_its_key_was_asked_for_loads(page):
    # A stale link (its article pruned from the store) looked up first must not stay "no longer
    # stored" once the same article is uploaded again under the same key.
    text = "The council said 14 bridges were closed on Friday."
    # The key covers the text and all its metadata: those the paste gives it.
    pasted = document_from_text(text)
    key = store.key_for(store.StoredArticle(text=pasted.text, published=None,
                                            name=pasted.document_id, format=pasted.format,
                                            publisher=pasted.publisher, title=pasted.title))
    loaded = {"article-key.data": key, "grid-article.data": key}
    before = answered(page.post("..article-heading.children", loaded, ["article-key.data"]))
    assert "no longer stored" in "".join(strings(before["response"]["article-error"]["children"]))
    assert assert_read_or_refused(page, page.paste(text, None)) == key


# -- limits ---------------------------------------------------------------------------------
def refuse_parsing(monkeypatch) -> None:
    """Make decoding or parsing an upload or a paste fail the test."""
    def parsed(*args, **kwargs):
        raise AssertionError("the input was parsed, though its size is over the limit")

    # Where the upload view and the article cache look them up.
    monkeypatch.setattr(upload_view, "base64", SimpleNamespace(b64decode=parsed))
    monkeypatch.setattr(upload_view, "document_from_bytes", parsed)
    monkeypatch.setattr(upload_view, "document_from_text", parsed)
    monkeypatch.setattr(app_articles, "document_from_text", parsed)


def test_an_upload_over_2_mb_is_refused_before_it_is_decoded(page, monkeypatch):
    too_big = data_url(b"12 boats\n" * (dashboard_app.MAX_UPLOAD_BYTES // 9 + 1), "text/plain")
    refuse_parsing(monkeypatch)
    with pytest.raises(IngestError, match=r"big\.txt: .*over the 2 MB upload limit"):
        dashboard_app.uploaded_document(too_big, "big.txt", None)

    answer = answered(page.upload(too_big, "big.txt", None))["response"]
    assert answer["upload-message"]["children"]["props"]["className"] == "alert"
    assert "over the 2 MB upload limit" in answer["upload-message"]["children"]["props"][
        "children"]
    assert "url" not in answer


@pytest.mark.parametrize("size", [dashboard_app.MAX_UPLOAD_BYTES - 1,
                                  dashboard_app.MAX_UPLOAD_BYTES])
def test_an_upload_of_up_to_2_mb_is_not_refused_for_its_size(size):
    # Base64 pads to a multiple of 4: a size estimate without the padding refused 2 MB exactly.
    line = b"Nine boats.\n"
    data = (line * (size // len(line) + 1))[:size]
    document = dashboard_app.uploaded_document(data_url(data, "text/plain"), "full.txt", None)
    assert len(document.text.encode()) == size


def test_a_paste_over_2_mb_is_refused_before_it_is_parsed(page, monkeypatch):
    text = "Nine boats.\n" * (dashboard_app.MAX_UPLOAD_BYTES // 12 + 1)
    refuse_parsing(monkeypatch)
    answer = answered(page.paste(text, None))["response"]
    message = answer["upload-message"]["children"]["props"]
    assert message["className"] == "alert"
    assert message["children"] == (
        f"pasted text: is {len(text):,} bytes, over the 2 MB upload limit")
    assert "url" not in answer


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_a_publication_date_outside_1900_to_2100_is_refused_at_upload(page, published):
    # Read, "next year" from 9999-12-31 would be a year of five digits, and every view a 500.
    answer = answered(page.paste("Next year 40 homes will be built.", published))["response"]
    message = answer["upload-message"]["children"]["props"]
    assert message["className"] == "alert"
    assert message["children"] == (f"published date {published} is outside the years "
                                   "1900-2100 this tool reads articles from")
    assert "url" not in answer


def test_a_paste_of_2_mb_of_wide_characters_is_measured_in_bytes(page, monkeypatch):
    # 700,000 characters of three bytes each: under the limit in characters, over it in bytes.
    text = "€" * 700_000
    refuse_parsing(monkeypatch)
    message = answered(page.paste(text, None))["response"]["upload-message"]["children"]
    assert message["props"]["children"] == (
        "pasted text: is 2,100,000 bytes, over the 2 MB upload limit")


def test_a_request_body_over_max_content_length_is_refused_unread(page, monkeypatch):
    limit = page.client.application.config["MAX_CONTENT_LENGTH"]
    assert limit == 4 * dashboard_app.MAX_UPLOAD_BYTES
    refuse_parsing(monkeypatch)
    called = []
    monkeypatch.setattr(upload_view, "uploaded_document", lambda *a: called.append(a))
    upload = page.dependency("..upload-message.children")
    body = json.dumps({"output": upload["output"], "inputs": [
        {"id": "upload-file", "property": "contents",
         "value": "data:text/plain;base64," + "A" * limit}],
        "changedPropIds": ["upload-file.contents"]})
    response = page.client.post("/_dash-update-component", data=body,
                                content_type="application/json")
    assert response.status_code == 413
    assert called == []
