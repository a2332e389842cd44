"""What the page's browser sends to the app, and what every answer must hold.

Shared by the locustfile (bench/locustfile.py), the load harness (bench/load.py) and the tests
(tests/test_load_client.py), so that the bodies the load sends and the checks it runs on the
answers are the ones the tests prove against the app. Nothing here imports locust (it patches the
standard library with gevent when imported) or opens a socket: a flow is given a `request`
callable, `request(kind, method, path, body=None, check=None)`, which sends one request, runs
`check` on the parsed answer (None when right, else what is wrong) and returns the parsed answer,
or None when the request failed or its check did.

Callback bodies are built from what the server's `/_dash-dependencies` and `/_dash-layout` say, as
the browser builds them; answers are checked against what this process computes for the seed
(its title, its figures, claims, checks and highlights) and for each uploaded text.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

PUBLISHED = "2025-11-18"  # the seed's date, given to every upload too

# A small article for the reader's upload. The tag (letters only: no new figures) makes each
# upload a new text, so that each one is written to the store and extracted afresh.
UPLOAD_TEXT = (
    "Flooding damaged 48 homes in the river district on Monday, the city council said.\n"
    "About 1,200 residents spent the night in three shelters, and officials estimated the "
    "repairs at $3.5 million.\n"
    "\u201cWe expect at least 20 more families to need help this week,\u201d said Mayor Ana "
    "Ruiz.\n"
    "Filed by desk {tag}.\n"
)

ALL, MATCH, ALLSMALLER = ["ALL"], ["MATCH"], ["ALLSMALLER"]

Request = Callable[..., object]


# -- callbacks, as the browser builds them ---------------------------------------------------------
def stringify_id(component_id) -> str:
    """A component id as Dash writes it in prop ids and responses (dash._utils.stringify_id)."""
    if isinstance(component_id, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{json.dumps(component_id[k])}"
                              for k in sorted(component_id)) + "}"
    return component_id


def split_output(output: str) -> list[tuple[object, str]]:
    """The (id, property) pairs of a dependency's `output` ("a.b" or "..a.b...c.d..")."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    pairs = []
    for part in parts:
        name, prop = part.rsplit(".", 1)
        pairs.append((json.loads(name) if name.startswith("{") else name, prop))
    return pairs


def is_pattern(component_id) -> bool:
    return isinstance(component_id, dict) and any(
        v in (ALL, MATCH, ALLSMALLER) for v in component_id.values())


def layout_components(layout) -> dict[str, tuple[object, dict]]:
    """Every component of the layout with an id: stringified id -> (id, props), in page order."""
    found: dict[str, tuple[object, dict]] = {}

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            props = node.get("props") if "namespace" in node else None
            if isinstance(props, dict):
                if "id" in props:
                    found[stringify_id(props["id"])] = (props["id"], props)
                for value in props.values():
                    walk(value)
            else:
                for value in node.values():
                    walk(value)

    walk(layout)
    return found


@dataclass(frozen=True)
class Callback:
    output: str  # as /_dash-dependencies writes it: the key the server finds the callback by
    outputs: tuple[tuple[object, str], ...]
    inputs: tuple[tuple[object, str], ...]
    state: tuple[tuple[object, str], ...]


class DashApp:
    """What the browser knows of the app: its server-side callbacks and its layout's components."""

    def __init__(self, dependencies: list[dict], layout: dict) -> None:
        self.callbacks = [
            Callback(d["output"], tuple(split_output(d["output"])),
                     tuple((i["id"] if not i["id"].startswith("{") else json.loads(i["id"]),
                            i["property"]) for i in d["inputs"]),
                     tuple((s["id"] if not s["id"].startswith("{") else json.loads(s["id"]),
                            s["property"]) for s in d.get("state", [])))
            for d in dependencies if not d.get("clientside_function")]
        self.components = layout_components(layout)

    def callback(self, component: str, prop: str) -> Callback:
        """The callback with output `component`.`prop`; `component` is an id, or the `type` of a
        pattern-matching id."""
        for callback in self.callbacks:
            for output_id, output_prop in callback.outputs:
                name = output_id.get("type") if isinstance(output_id, dict) else output_id
                if name == component and output_prop.split("@")[0] == prop:
                    return callback
        raise LookupError(f"no server callback writes {component}.{prop}")

    def writes(self, component: str, prop: str) -> bool:
        try:
            self.callback(component, prop)
        except LookupError:
            return False
        return True

    def has(self, component: str) -> bool:
        """Whether the page's first layout holds `component`."""
        return component in self.components

    def grid_block(self) -> int:
        """Rows per request of a grid with AG Grid's infinite row model (its default: 100)."""
        props = self.components.get("figures-grid", (None, {}))[1]
        return int((props.get("dashGridOptions") or {}).get("cacheBlockSize") or 100)

    def matching(self, pattern: dict, match: dict | None) -> list:
        """The layout's ids that fit `pattern`; a MATCH key takes its value from `match`."""
        found = []
        for component_id, _ in self.components.values():
            if not isinstance(component_id, dict) or set(component_id) != set(pattern):
                continue
            fits = all(component_id[k] == (match or {}).get(k) if v == MATCH
                       else v in (ALL, ALLSMALLER) or component_id[k] == v
                       for k, v in pattern.items())
            if fits:
                found.append(component_id)
        return found

    def body(self, callback: Callback, values: dict | None = None, changed: tuple = (),
             match: dict | None = None) -> dict:
        """The JSON body of a POST to /_dash-update-component.

        `values` maps (stringified id, property) to what the browser holds now; anything else
        is the layout's initial value (the `id` property is the id itself). `changed` lists the
        (id, property) pairs that triggered the call; `match` gives MATCH wildcards their value.
        """
        values = values or {}

        def value(component_id, prop):
            key = (stringify_id(component_id), prop)
            if key in values:
                return values[key]
            if prop == "id":
                return component_id
            return self.components.get(key[0], (None, {}))[1].get(prop)

        def entries(pairs, with_value: bool) -> list:
            out = []
            for component_id, prop in pairs:
                ids = [component_id]
                if is_pattern(component_id) and MATCH in component_id.values():
                    # The id the trigger names: its component may be drawn by a callback (a
                    # view's charts), so it need not stand in the page's first layout.
                    if not set(match or {}) >= {k for k, v in component_id.items()
                                                if v == MATCH}:
                        raise LookupError(f"{component_id}: no value for its MATCH in {match}")
                    ids = [{k: match[k] if v == MATCH else v
                            for k, v in component_id.items()}]
                elif is_pattern(component_id):
                    ids = self.matching(component_id, match)
                items = [{"id": i, "property": prop,
                          **({"value": value(i, prop)} if with_value else {})} for i in ids]
                pattern_all = is_pattern(component_id) and MATCH not in component_id.values()
                out.append(items if pattern_all else items[0])
            return out

        outputs = entries(callback.outputs, with_value=False)
        body = {
            "output": callback.output,
            "outputs": outputs if callback.output.startswith("..") else outputs[0],
            "inputs": entries(callback.inputs, with_value=True),
            "changedPropIds": [f"{stringify_id(i)}.{p}" for i, p in changed],
        }
        if callback.state:
            body["state"] = entries(callback.state, with_value=True)
        return body


def response_of(data: bytes) -> dict:
    """The `response` of a callback's answer: stringified id -> {property: value}, with what
    the callback set with `set_props` (its `sideUpdate`) merged in, as the page applies both."""
    answer = json.loads(data)
    response = dict(answer["response"])
    for component, props in (answer.get("sideUpdate") or {}).items():
        response[component] = {**response.get(component, {}), **props}
    return response


# -- what the answers must hold --------------------------------------------------------------------
def mark_ids(node) -> list[str]:
    """The figure ids of every highlight (`figure-mark`) in a JSON tree of components."""
    found: list[str] = []

    def walk(item) -> None:
        if isinstance(item, list):
            for child in item:
                walk(child)
        elif isinstance(item, dict):
            component_id = item.get("id")
            if isinstance(component_id, dict) and component_id.get("type") == "figure-mark":
                found.append(component_id.get("index"))
            for child in item.values():
                walk(child)

    walk(node)
    return found


def texts(node) -> str:
    """The strings of a JSON tree of components, joined."""
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return " ".join(texts(item) for item in node)
    if isinstance(node, dict):
        return " ".join(texts(item) for item in node.values())
    return ""


def csv_rows(download: dict) -> list[list[str]]:
    data = base64.b64decode(download["content"]) if download.get("base64") else \
        download["content"].encode("utf-8")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@dataclass
class Article:
    """What the server must answer for one article, computed here with the project's functions."""

    key: str
    document_id: str
    heading: str  # text the heading holds
    figure_ids: frozenset[str]
    checks: int
    claims: int  # figures of stance `claim`: the grid's rows with that filter
    marks: frozenset[str] = frozenset()
    stem: str = ""  # what its downloads are named from (dashboard.export.download_stem)


def seed_article() -> Article:
    from dashboard import charts
    from dashboard.app import SEED, SEED_KEY
    from dashboard.article_view import article_components
    from dashboard.checks import checks_table
    from dashboard.export import download_stem
    from dashboard.extract import extract_document
    from dashboard.ingest import read_document

    document = read_document(SEED)
    figures = extract_document(document)
    components = article_components(document.text, figures, charts.STANCE_COLOURS)
    marks = mark_ids(json.loads(json.dumps(components, default=lambda c: c.to_plotly_json())))
    return Article(SEED_KEY, document.document_id, document.title,
                   frozenset(figures["figure_id"]), len(checks_table(figures)),
                   int((figures["stance"] == "claim").sum()), frozenset(marks),
                   download_stem(document.title, document.document_id))


def upload_text(tag: int) -> str:
    """The upload article with a tag of letters (a digit would be a new figure)."""
    letters = ""
    while True:
        tag, rest = divmod(tag, 26)
        letters = chr(ord("a") + rest) + letters
        if not tag:
            break
    return UPLOAD_TEXT.format(tag=letters)


def upload_figures(text: str) -> int:
    from dashboard.extract import extract_document
    from dashboard.ingest import document_from_text, parse_date

    return len(extract_document(document_from_text(text, published=parse_date(PUBLISHED))))


def document_id_of(text: str) -> str:
    from dashboard.ingest import document_from_text, parse_date

    return document_from_text(text, published=parse_date(PUBLISHED)).document_id


class Expect:
    """Checks of each callback's answer: None when right, else what is wrong."""

    def __init__(self, seed: Article, chart_views: dict[str, list[str]],
                 default_view: str) -> None:
        self.seed = seed
        self.chart_views = chart_views
        self.default_view = default_view  # the view a page opens on before it reads its URL

    @staticmethod
    def route(response: dict, search: str, view: str) -> str | None:
        got = response.get("view", {}).get("value")
        return None if got == view else f"view {got!r} for {search!r}, not {view!r}"

    @staticmethod
    def article_key(response: dict, key: str, article: Article | None = None) -> str | None:
        """The article the URL names, and with it the filters' options (one answer)."""
        got = response.get("article-key", {}).get("data")
        if got != key:
            return f"article-key {got!r}, not {key!r}"
        options = (response.get("filter-stance") or {}).get("options") or []
        if article is not None and article.claims and "claim" not in [o["value"]
                                                                     for o in options]:
            return "no `claim` among the stance options"
        return None

    @staticmethod
    def shown_view(response: dict, view: str) -> str | None:
        shown = [k.removeprefix("view-") for k, v in response.items()
                 if v.get("style", {}).get("display") == "block"]
        return None if shown == [view] else f"views shown {shown}, not [{view!r}]"

    @staticmethod
    def gone(response: dict) -> bool:
        """The answer the app gives for an article its store no longer holds: the page says
        so, or the grid has no rows."""
        error = texts(response.get("article-error", {}).get("children"))
        rows = response.get("figures-grid", {})
        rows = rows.get("getRowsResponse") or rows
        return "no longer stored" in error or (rows.get("rowCount", 0) == 0
                                               and rows.get("rowData") == [])

    @staticmethod
    def article(response: dict, article: Article) -> str | None:
        heading = texts(response.get("article-heading", {}).get("children"))
        if article.heading not in heading:
            return f"heading {heading[:80]!r} lacks {article.heading[:80]!r}"
        if response.get("article-error", {}).get("children") is not None:
            return "an error shown beside the article"
        return None

    @staticmethod
    def checks_panel(response: dict, article: Article) -> str | None:
        """The checks view's panel (drawn when the view is shown) holds the article's checks."""
        panel = response.get("checks-panel", {}).get("children") or []
        if article.checks and not any("check-" in str(c.get("props", {}).get("id", ""))
                                      for c in panel if isinstance(c, dict)):
            return "no check in the checks panel"
        return None

    def charts(self, response: dict, view: str) -> str | None:
        """The view's chart sections, each a graph of the article's chart with its title."""
        graphs: dict[str, dict] = {}

        def walk(node) -> None:
            if isinstance(node, list):
                for item in node:
                    walk(item)
            elif isinstance(node, dict):
                props = node.get("props") or {}
                component = props.get("id")
                if isinstance(component, dict) and component.get("type") == "chart":
                    graphs[component["chart"]] = props.get("figure") or {}
                walk(props.get("children"))

        walk((response.get(f"charts-{view}") or {}).get("children"))
        if sorted(graphs) != sorted(self.chart_views[view]):
            return f"charts {sorted(graphs)} for view {view!r}, not {self.chart_views[view]}"
        for name, figure in graphs.items():
            title = (figure.get("layout") or {}).get("title") or {}
            if not (title.get("text") or "").strip():
                return f"chart {name} has no title"
        return None

    @staticmethod
    def grid(response: dict, figure_ids: frozenset[str] | None, rows: int,
             block: int | None = None) -> str | None:
        """All `rows` in `rowData`, or with the infinite row model (`getRowsResponse`) the
        first block of them and their number."""
        answer = response.get("figures-grid", {})
        wanted = rows
        if "getRowsResponse" in answer:
            answer = answer["getRowsResponse"] or {}
            if answer.get("rowCount") != rows:
                return f"rowCount {answer.get('rowCount')!r}, not {rows}"
            wanted = min(rows, block or rows)
        data = answer.get("rowData")
        if not isinstance(data, list) or len(data) != wanted:
            return f"{len(data) if isinstance(data, list) else data!r} grid rows, not {wanted}"
        if figure_ids is not None:
            ids = {r.get("figure_id") for r in data}
            if not ids <= figure_ids or (wanted == len(figure_ids) and ids != figure_ids):
                return "grid rows are not the article's figures"
        return None

    def text(self, response: dict) -> str | None:
        marks = mark_ids(response.get("article-text", {}).get("children"))
        if frozenset(marks) != self.seed.marks or len(marks) != len(self.seed.marks):
            return f"{len(marks)} highlights in the text, not {len(self.seed.marks)}"
        return None

    @staticmethod
    def csv_download(response: dict, component: str, filename: str, rows: int) -> str | None:
        download = response.get(component, {}).get("data") or {}
        if download.get("filename") != filename:
            return f"download named {download.get('filename')!r}, not {filename!r}"
        found = len(csv_rows(download)) - 1
        return None if found == rows else f"{found} CSV rows, not {rows}"

    @staticmethod
    def upload(response: dict, document_id: str) -> tuple[str | None, str | None]:
        """(error, the uploaded article's URL search)."""
        message = texts(response.get("upload-message", {}).get("children"))
        search = response.get("url", {}).get("search")
        if document_id not in message:
            return f"upload message {message[:80]!r} lacks {document_id}", None
        if not search or "article=" not in search:
            return f"upload gave no article URL ({search!r})", None
        return None, search




# -- the texts uploaded ----------------------------------------------------------------------------
def bulk_text(tag: str, size: int) -> str:
    """About `size` characters of made-up words, no digit among them (so no figure to extract
    or check): an upload that costs the store its bytes, not the server its CPU. Words drawn at
    random compress about as badly as prose does. Distinct tags give distinct texts."""
    rng = random.Random(tag)
    desk = tag.lower().translate(str.maketrans("0123456789", "abcdefghij"))
    sentences, length = [f"Filed by desk {re.sub(r'[^a-z ]', '', desk)}."], 0
    while length < size:
        words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz")
                         for _ in range(rng.randint(2, 9))) for _ in range(rng.randint(8, 16))]
        sentence = " ".join(words).capitalize() + "."
        sentences.append(sentence)
        length += len(sentence) + 1
    return " ".join(sentences) + "\n"


# -- what a reader does ----------------------------------------------------------------------------
def fetch_app(request: Request) -> tuple[DashApp, str | None]:
    """The app as the browser sees it, and the path of the page's own stylesheet."""
    page = request("GET /", "GET", "/",
                   check=lambda d: None if b"_dash-config" in d else "no Dash page")
    layout = request("GET /_dash-layout", "GET", "/_dash-layout",
                     check=lambda d: None if json.loads(d).get("props") else "no layout")
    dependencies = request("GET /_dash-dependencies", "GET", "/_dash-dependencies",
                           check=lambda d: None if json.loads(d) else "no callbacks")
    if page is None or layout is None or dependencies is None:
        raise RuntimeError("the app's page did not load")
    asset = re.search(r'href="(/assets/[^"]+\.css[^"]*)"', page.decode("utf-8", "replace"))
    return (DashApp(json.loads(dependencies), json.loads(layout)),
            asset.group(1) if asset else None)


def call(request: Request, app: DashApp, kind: str, component: str, prop: str, values: dict,
         changed: tuple = (), check=None, match: dict | None = None):
    """POST the body of the callback that writes `component`.`prop`, as the browser would."""
    body = app.body(app.callback(component, prop), values, changed, match)
    return request(kind, "POST", "/_dash-update-component", body, check)


def upload(request: Request, app: DashApp, text: str, kind: str,
           values: dict | None = None) -> tuple[str, str, str] | None:
    """Paste `text` and read it: (its key, its document id, the URL search the app sent the
    page to) once the app acknowledged it, else None."""
    document_id = document_id_of(text)
    outcome: dict = {}

    def check(response: dict) -> str | None:
        problem, outcome["search"] = Expect.upload(response, document_id)
        return problem

    paste = {**(values or {}), ("paste-submit", "n_clicks"): 1, ("paste-text", "value"): text,
             ("upload-published", "date"): PUBLISHED}
    if call(request, app, kind, "upload-message", "children", paste,
            (("paste-submit", "n_clicks"),), check=check) is None:
        return None
    search = outcome["search"]
    return search.split("article=", 1)[1].split("&", 1)[0], document_id, search


def article_loads(request: Request, app: DashApp, key: str, document_id: str,
                  kind: str = "show_article (upload)", values: dict | None = None) -> bool:
    """The stored article `key` opens: its heading names it and no error stands beside it."""
    article = Article(key, document_id, document_id, frozenset(), 0, 0)
    return call(request, app, kind, "article-heading", "children",
                {**(values or {}), ("article-key", "data"): key}, (("article-key", "data"),),
                check=lambda r: Expect.article(r, article)) is not None


class Reader:
    """One reader, one loop per `iteration()` (a pause between loops is the caller's): a page
    load (the HTML, `/_dash-layout`, `/_dash-dependencies`, the stylesheet, and the callbacks the
    browser fires when the page opens: the URL, the view, the heading and checks, the charts of
    the view, the grid's rows, the article text), then the grid filtered by a stance, a CSV
    download, and a pasted article uploaded and opened by its key. Each loop shows the next
    view, alternating the claim chart's scale and the CSV download; each upload is a new text
    (`tag_base` keeps the texts of one run apart from another's)."""

    def __init__(self, number: int, request: Request, app: DashApp, asset: str | None,
                 expect: Expect, upload_rows: int, tag_base: int = 0,
                 evicted: Callable[[str, str], bool] | None = None) -> None:
        self.number, self.request, self.app, self.asset = number, request, app, asset
        self.expect, self.upload_rows, self.tag_base = expect, upload_rows, tag_base
        self.evicted = evicted
        self.views = [*expect.chart_views, "figures"]
        self.iterations = 0

    def call(self, kind: str, component: str, prop: str, values: dict, changed: tuple = (),
             check=None):
        return call(self.request, self.app, kind, component, prop, values, changed, check)

    def or_evicted(self, kind: str, key: str, check):
        """`check`, except that an answer saying the article is gone is right when the store
        no longer holds it: the uploaders push it past its bounds, and the reader's own paste
        may be the oldest. `evicted(kind, key)` asks the store itself (and counts it), so a
        server that loses an article it still holds is still caught."""
        gone: list[bool] = []

        def checked(response: dict) -> str | None:
            problem = check(response)
            if problem and self.evicted is not None and Expect.gone(response) \
                    and self.evicted(kind, key):
                gone.append(True)
                return None
            return problem

        checked.gone = gone
        return checked

    def grid(self, kind: str, values: dict, changed: tuple, figure_ids: frozenset[str] | None,
             rows: int, key: str | None = None):
        """The grid's rows: all of them from a callback on the article and the dropdowns, or,
        with AG Grid's infinite row model, the first block, which the grid asks for itself.
        With `key`, an uploaded article's, no rows are right once the store evicted it."""
        if self.app.has("grid-article"):  # the grid reads its article from its own store
            values = {**values, ("grid-article", "data"): values.get(("article-key", "data"))}
        if self.app.writes("figures-grid", "getRowsResponse"):
            block = self.app.grid_block()
            request = {"startRow": 0, "endRow": block, "sortModel": [], "filterModel": {}}
            check = lambda r: self.expect.grid(r, figure_ids, rows, block)  # noqa: E731
            values = {**values, ("figures-grid", "getRowsRequest"): request}
            prop, changed = "getRowsResponse", (("figures-grid", "getRowsRequest"),)
        else:
            check = lambda r: self.expect.grid(r, figure_ids, rows)  # noqa: E731
            prop = "rowData"
        if key is not None:
            check = self.or_evicted(kind, key, check)
        return self.call(kind, "figures-grid", prop, values, changed, check=check)

    def iteration(self) -> None:
        n = self.iterations
        self.iterations += 1
        view = self.views[(self.number + n) % len(self.views)]
        scale = "log" if (self.number + n) % 2 else "linear"
        expect = self.expect
        seed = expect.seed
        search = f"?article={seed.key}&view={view}"
        # The page load: the document, then what the renderer asks for.
        self.request("GET /", "GET", "/" + search,
                     check=lambda d: None if b"_dash-config" in d else "no Dash page")
        self.request("GET /_dash-layout", "GET", "/_dash-layout",
                     check=lambda d: None if json.loads(d).get("props") else "no layout")
        self.request("GET /_dash-dependencies", "GET", "/_dash-dependencies",
                     check=lambda d: None if len(json.loads(d)) > 0 else "no callbacks")
        if self.asset:
            self.request("GET stylesheet", "GET", self.asset,
                         check=lambda d: None if d else "empty stylesheet")
        # The callbacks the page fires when it opens.
        state = {("url", "search"): search, ("view", "value"): expect.default_view,
                 ("claim-scale", "data"): scale, ("article-key", "data"): None}
        self.call("follow_url (view)", "view", "value", state,
                  check=lambda r: expect.route(r, search, view))
        self.call("follow_url (article)", "article-key", "data", state,
                  check=lambda r: expect.article_key(r, seed.key, seed))
        state[("article-key", "data")] = seed.key
        state[("view", "value")] = view
        self.call("show_view", "view-figures", "style", state,
                  check=lambda r: expect.shown_view(r, view))
        self.call("show_article", "article-heading", "children", state,
                  check=lambda r: expect.article(r, seed))
        self.call("show_checks", "checks-panel", "children",
                  {**state, ("view", "value"): "checks"},
                  check=lambda r: expect.checks_panel(r, seed))
        if view in expect.chart_views:
            self.call(f"draw_charts ({view})", f"charts-{view}", "children", state,
                      check=lambda r: expect.charts(r, view))
        self.grid("grid rows", state, (), seed.figure_ids, len(seed.figure_ids))
        # The article's text is drawn when the figures view is shown (as the checks panel is).
        self.call("show_text", "article-text", "children",
                  {**state, ("view", "value"): "figures"}, check=expect.text)
        # What a reader does next: filter, download, upload another article and open it.
        filtered = {**state, ("filter-stance", "value"): ["claim"]}
        self.grid("grid rows (stance filter)", filtered, (("filter-stance", "value"),),
                  seed.figure_ids, seed.claims)
        if n % 2:
            self.call("download_checks (CSV)", "checks-download", "data",
                      {**state, ("checks-csv", "n_clicks"): 1}, (("checks-csv", "n_clicks"),),
                      check=lambda r: expect.csv_download(
                          r, "checks-download", f"{seed.stem}-checks.csv", seed.checks))
        else:
            self.call("download_figures (CSV)", "figures-download", "data",
                      {**state, ("figures-csv-all", "n_clicks"): 1},
                      (("figures-csv-all", "n_clicks"),),
                      check=lambda r: expect.csv_download(
                          r, "figures-download", f"{seed.stem}-figures.csv",
                          len(seed.figure_ids)))
        text = upload_text(self.tag_base + self.number * 1_000_000 + n)
        stored = upload(self.request, self.app, text, "read_another_article (paste)", state)
        if stored is None:
            return
        key, document_id, uploaded_search = stored
        uploaded = {**state, ("url", "search"): uploaded_search, ("article-key", "data"): key}
        self.call("follow_url (upload)", "article-key", "data",
                  {**uploaded, ("article-key", "data"): seed.key}, (("url", "search"),),
                  check=lambda r: expect.article_key(r, key))
        article = Article(key, document_id, document_id, frozenset(), 0, 0)
        shown = self.or_evicted("show_article (upload)", key,
                                lambda r: Expect.article(r, article))
        if self.call("show_article (upload)", "article-heading", "children", uploaded,
                     (("article-key", "data"),), check=shown) is None or shown.gone:
            return
        self.grid("grid rows (upload)", uploaded, (("article-key", "data"),), None,
                  self.upload_rows, key=key)
