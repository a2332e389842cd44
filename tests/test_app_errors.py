"""No request gets a 500: every server callback of the page, and the callback route itself,
answers any input with its outputs, a clear message or a 400 naming what is wrong, and logs no
error doing so (through the Flask test client, as the browser would post)."""

from __future__ import annotations

import json
import logging
import traceback

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fuzz import FUZZ, JSON_VALUES, Page

from dashboard import export
from dashboard.app import VIEWS, create_app

UNKNOWN_KEY = "f" * 32
SEARCHES = ["?article=seed&view=claim", "?article=seed&view=figures&q=boats&stance=claim",
            f"?article={UNKNOWN_KEY}&view=figures", "?view=nonsense&scale=sideways", "", None]
KEYS = ["seed", UNKNOWN_KEY, "", None]
CHART_NAMES = ["claim", "timeline", "series:overdose_deaths_12mo", "no-such-chart"]


class Errors(logging.Handler):
    """The error records any logger writes while a test runs."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMS_DASHBOARD_STORE", str(tmp_path_factory.mktemp("store")))
        yield Page(create_app().server.test_client())


@pytest.fixture()
def errors():
    handler = Errors()
    logging.getLogger().addHandler(handler)
    yield handler.records
    logging.getLogger().removeHandler(handler)


def prop_name(item: dict) -> str:
    component = item["id"]
    if isinstance(component, dict):
        component = json.dumps(component, sort_keys=True, separators=(",", ":"))
    return f"{component}.{item['property']}"


def value_for(name: str):
    """What the page could hold at `name`, or anything a crafted request puts there."""
    if name == "url.search":
        return st.sampled_from(SEARCHES) | JSON_VALUES
    if name == "article-key.data":
        return st.sampled_from(KEYS) | JSON_VALUES
    if name == "view.value":
        return st.sampled_from(list(VIEWS)) | JSON_VALUES
    if name.endswith(".n_clicks"):
        return st.integers(0, 3) | JSON_VALUES
    return JSON_VALUES


def server_callbacks(page: Page) -> list[dict]:
    return [d for d in page.dependencies if not d.get("clientside_function")]


def concrete(item: dict, chart: str) -> dict:
    """A pattern-matching id (MATCH, written as JSON in the dependencies) made the id of one
    chart's part."""
    if item["id"].startswith("{"):
        pattern = json.loads(item["id"])
        return {**item, "id": {k: chart if v == ["MATCH"] else v for k, v in pattern.items()}}
    return item


@settings(FUZZ, max_examples=20)
@given(data=st.data())
def test_every_server_callback_answers_any_input_without_a_500_or_an_error(page, data):
    handler = Errors()
    logging.getLogger().addHandler(handler)
    try:
        for dependency in server_callbacks(page):
            chart = data.draw(st.sampled_from(CHART_NAMES) | st.text(max_size=8))
            inputs = [concrete(i, chart) for i in dependency["inputs"]]
            state = [concrete(s, chart) for s in dependency["state"]]
            values = {prop_name(item): data.draw(value_for(prop_name(item)))
                      for item in inputs + state}
            changed = data.draw(st.sampled_from([prop_name(i) for i in inputs]))
            outputs = dependency["output"].replace('["MATCH"]', json.dumps(chart))
            body = page.body(dependency, values, [changed], inputs=inputs, state=state,
                             outputs=outputs)
            response = page.client.post("/_dash-update-component", json=body)
            assert response.status_code in (200, 204), (dependency["output"], values,
                                                         response.get_data()[:300])
            assert handler.records == [], (dependency["output"], values, [
                traceback.format_exception(r.exc_info[1])[-3:] if r.exc_info else r.getMessage()
                for r in handler.records])
    finally:
        logging.getLogger().removeHandler(handler)


def test_a_download_for_an_article_no_longer_stored_says_so(page, errors):
    for output, clicked in (("checks-download.data", "checks-csv.n_clicks"),
                            ("figures-download.data", "figures-csv-all.n_clicks"),
                            ("zip-download.data", "zip-button.n_clicks")):
        answer = page.post(output, {"url.search": f"?article={UNKNOWN_KEY}", clicked: 1},
                           [clicked]).get_json()
        message = answer["sideUpdate"]["article-error"]["children"]["props"]
        assert message["className"] == "alert"
        assert message["children"][0] == "This article is no longer stored here. "
        assert not answer["response"], output
    assert errors == []


def test_a_failing_callback_shows_an_alert_keeps_its_outputs_and_is_logged(page, errors,
                                                                          monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(export, "csv_bytes", broken)
    answer = page.post("checks-download.data", {"url.search": "?article=seed",
                                                "checks-csv.n_clicks": 1},
                       ["checks-csv.n_clicks"])
    assert answer.status_code == 200
    message = answer.get_json()["sideUpdate"]["article-error"]["children"]["props"]
    assert message["children"].startswith("Something went wrong")
    assert "disk on fire" not in json.dumps(answer.get_json())  # nothing internal leaks
    assert [r.exc_info[1].args for r in errors] == [("disk on fire",)]


@pytest.mark.parametrize(("body", "reason"), [
    ("[" * 100_000 + "]" * 100_000, "the request is nested too deeply to read"),
    (json.dumps({"output": "no-such.children", "inputs": [], "changedPropIds": []}),
     "the request does not match a callback of this page"),
    (json.dumps({"output": "grid-refreshed.data", "inputs": [], "state": [],
                 "changedPropIds": []}), "the request does not match a callback of this page"),
    (json.dumps([1, 2, 3]), "the request does not match a callback of this page"),
])
def test_a_request_the_page_would_never_send_gets_a_400_with_its_reason(page, errors, body,
                                                                        reason):
    response = page.client.post("/_dash-update-component", data=body,
                                content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"message": f"Bad request: {reason}."}
    assert errors == []


def test_a_reference_table_that_cannot_be_read_leaves_out_its_charts_and_is_named(monkeypatch):
    from dashboard import charts, reference
    from dashboard.app.articles import analysis
    from dashboard.app.page import reference_problems

    seed = analysis("seed")
    whole = charts.build_all(seed.figures, seed.checks)
    read = reference.load

    def missing_strike_list(name, *args, **kwargs):
        if name == "vessel_strikes":
            raise reference.ReferenceError("data/reference/vessel_strikes/vessel_strikes.csv",
                                           "missing; run `make data` to write it")
        return read(name, *args, **kwargs)

    monkeypatch.setattr(reference, "load", missing_strike_list)
    built = charts.build_all(seed.figures, seed.checks)
    assert "strikes" in whole and "strikes" not in built
    assert set(built) == set(whole) - {"strikes", "strikes_by_region"}

    checks = seed.checks.copy()
    checks.attrs["reference_problems"] = (
        "data/reference/vessel_strikes/vessel_strikes.csv: missing; run `make data` to write it",)
    banner = reference_problems(checks)
    assert banner.className == "alert"
    assert [item.children for item in banner.children[1].children] == list(
        checks.attrs["reference_problems"])
    assert reference_problems(seed.checks) is None


def test_an_evicted_article_is_gone_on_a_worker_that_computed_it(page, monkeypatch):
    from dashboard import store
    from dashboard.app.articles import analysis
    from dashboard.app.views.upload import pasted_document

    document = pasted_document("The council said 40 homes burned on Monday.", "2025-11-20")
    key = store.save(store.StoredArticle(text=document.text, published="2025-11-20",
                                         name=document.document_id, format=document.format))
    assert analysis(key) is not None  # computed and cached by this worker
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_MAX_ARTICLES", "1")
    store.save(store.StoredArticle(text="Another article of 12 boats.", published=None,
                                   name="other", format="text"))
    assert analysis(key) is None  # as any other worker would answer


def test_an_article_over_its_time_budget_gets_a_message_once(page, monkeypatch, errors):
    from dashboard import store
    from dashboard.app import articles
    from dashboard.app.views.upload import pasted_document

    calls = []
    real = articles.extract_document

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(articles, "BUDGET_S", -1.0)  # any work is past it
    monkeypatch.setattr(articles, "extract_document", counted)
    document = pasted_document("The budget grew by $12 million in 2024.", "2025-11-20")
    key = store.save(store.StoredArticle(text=document.text, published="2025-11-20",
                                         name=document.document_id, format=document.format))
    for _ in range(3):  # the page's callbacks, one after another
        answer = page.post("..article-heading.children", {"article-key.data": key},
                           ["article-key.data"]).get_json()
        message = answer["sideUpdate"]["article-error"]["children"]["props"]["children"]
        assert message.startswith("This article could not be read here: reading the article "
                                  "took longer than its time budget")
    assert calls == [1]
    assert errors == []
