"""Hostile articles and two readers at once, in headless Chromium (dash[testing]).

An uploaded or pasted page full of scripts, event handlers, frames and javascript: links runs
nothing: no alert opens, no flag is set, the title stays, the article panel shows the text (markup
written as text shows as text) and holds no element but the highlights. Two browsers on one server
each see their own article, before and after the other uploads, and after a reload.

The helpers come from test_browser.py; the server is this module's own, on a free port, so that it
runs beside another test run on the same machine.
"""

from __future__ import annotations

import time
from xml.etree import ElementTree

import pytest
from dash.testing.composite import DashComposite
from dash.testing.wait import until
from selenium.common.exceptions import NoAlertPresentException
from served_app import served_app
from test_browser import (
    HARBOUR_ARTICLE,
    PUBLISHED,
    SEED,
    as_stored,
    by_id,
    click_tab,
    console_errors,
    download,
    paste_article,
    query_of,
    set_published,
    stem_of,
    uploaded_key,
    visit,
    wait_for_grid,
)

from dashboard import store
from dashboard.app import views_of
from dashboard.extract import extract_document
from dashboard.ingest import document_from_bytes, read_document

TITLE = "Quantitative claims dashboard"
# Every payload would set the flag and the title, and open an alert, if it ran.
RUN = "window.__pwned = 1; document.title = 'pwned'"
HOSTILE_PAGE = f"""<!doctype html>
<html><head><title>pwned</title>
<script>{RUN}; alert(1)</script>
<style>body {{display: none}}</style>
<meta http-equiv="refresh" content="0; url=javascript:{RUN}">
</head>
<body onload="{RUN}; alert(6)">
<img src=x onerror="{RUN}; alert(2)">
<svg onload="{RUN}; alert(7)"><script>{RUN}</script></svg>
<iframe src="javascript:window.top.__pwned = 1; alert(3)"></iframe>
<p>The harbour master said 40 people were rescued on Monday.
<a href="javascript:{RUN}; alert(4)">Read more</a></p>
<p>&lt;script&gt;alert(5)&lt;/script&gt; said 40 people, and 12 boats sank near
&lt;img src=x onerror=alert(8)&gt; the pier.</p>
</body></html>
"""
SHOWN_AS_TEXT = "<script>alert(5)</script> said 40 people"
RIVER_ARTICLE = (
    "River levels fall\n\n"
    "The water board said 7 reservoirs were below 30 percent in August.\n\n"
    "Farmers lost 2,400 hectares of crops, officials said.\n"
)

# selenium 4.2 (pinned by dash[testing]) calls a urllib3 method that urllib3 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning")


@pytest.fixture(scope="module")
def dash_duo(request, tmp_path_factory):
    """One app from the factory and one headless Chromium, for the module."""
    with served_app(request, tmp_path_factory) as duo:
        yield duo


@pytest.fixture
def second_browser(request, dash_duo):
    """Another headless Chromium, with a profile of its own, on the same server; closed after
    the test."""
    with DashComposite(server=dash_duo.server, browser="Chrome", headless=True, percy_run=False,
                       options=request.config.hook.pytest_setup_options()) as browser:
        browser.server_url = dash_duo.server.url
        yield browser


@pytest.fixture(autouse=True)
def fresh_console(dash_duo):
    dash_duo.reset_log_timestamp()


def assert_nothing_ran(duo) -> None:
    """No payload ran: no alert, no flag, the title unchanged, no element a payload could use
    in the article panel, no inline handler anywhere, no console error (a broken <img> would
    log one)."""
    time.sleep(0.5)  # an injected <img> fires its onerror a moment after it is inserted
    with pytest.raises(NoAlertPresentException):
        duo.driver.switch_to.alert  # noqa: B018 (the property raises when no alert is open)
    assert duo.driver.execute_script("return typeof window.__pwned") == "undefined"
    assert duo.driver.title == TITLE
    assert duo.driver.execute_script(
        """return Array.from(document.querySelectorAll(
            '#article-panel *:not(p):not(span):not(mark):not(div)')).map(e => e.tagName);""",
    ) == []
    assert duo.driver.execute_script(
        "return document.querySelectorAll('[onerror], [onload], [onclick], iframe, object, "
        "embed, #article-panel script').length") == 0
    assert console_errors(duo) == []


def panel_text(duo) -> str:
    return duo.find_element("#article-text").get_attribute("textContent")


def test_a_hostile_html_upload_runs_nothing_and_shows_its_text(dash_duo, tmp_path):
    page = tmp_path / "hostile.html"
    page.write_text(HOSTILE_PAGE, encoding="utf-8")
    document = document_from_bytes(page.read_bytes(), page.name, published=PUBLISHED)
    pasted, figures = as_stored(document.text, PUBLISHED)
    key = store.key_for(store.StoredArticle(  # an HTML file's key covers its name and format
        text=document.text, published=PUBLISHED, name=document.document_id,
        format=document.format, publisher=document.publisher, title=document.title))
    figures["figure_id"] = figures["figure_id"].str.replace(f"upload-{pasted}", f"upload-{key}")
    assert SHOWN_AS_TEXT in document.text and len(figures) >= 3
    visit(dash_duo, "?article=seed&view=upload")
    set_published(dash_duo, PUBLISHED)
    dash_duo.find_element("#upload-file input[type=file]").send_keys(str(page))

    assert uploaded_key(dash_duo) == key
    wait_for_grid(dash_duo, figures["figure_id"].tolist())
    until(lambda: SHOWN_AS_TEXT in panel_text(dash_duo), timeout=10,
          msg=f"the panel does not show {SHOWN_AS_TEXT!r} as text")
    marks = dash_duo.find_elements("#article-text mark")
    assert [m.get_attribute("textContent") for m in marks] == \
        figures.sort_values("char_start")["surface"].tolist()
    assert_nothing_ran(dash_duo)


def test_a_hostile_page_pasted_as_text_shows_its_markup_as_text(dash_duo):
    key, figures = as_stored(HOSTILE_PAGE, PUBLISHED)
    assert paste_article(dash_duo, HOSTILE_PAGE) == key
    wait_for_grid(dash_duo, figures["figure_id"].tolist())
    # Pasted text is text: the page's source is the article, every tag of it shown as written.
    until(lambda: "&lt;script&gt;alert(5)" in panel_text(dash_duo), timeout=10)
    shown = panel_text(dash_duo)
    for markup in (f"<script>{RUN}; alert(1)</script>", f'<img src=x onerror="{RUN}; alert(2)">',
                   '<iframe src="javascript:window.top.__pwned = 1; alert(3)"></iframe>'):
        assert markup in shown
    assert_nothing_ran(dash_duo)


# An article whose words are markup plotly would draw: a link and a span that paints the chart.
MARKUP_ARTICLE = (
    "Flood toll rises in Riverton\n\n"
    'Mayor Ana Ruiz said 40 homes were destroyed <a href="//evil.example/login">on Monday</a>, '
    "up from 30 in 2024.\n\n"
    'The council said 120 volunteers came <span style="font-size:200px;color:red">on Tuesday'
    "</span>.\n"
)
LIVE_MARKUP = """return Array.from(document.querySelectorAll(arguments[0])).filter(el =>
    el.tagName.toLowerCase() === 'a' && (el.getAttribute('href') || el.getAttribute('xlink:href')
        || '').includes('evil')
    || (el.getAttribute('style') || '').includes('200px')).length;"""


def test_markup_in_an_articles_words_is_drawn_as_text_in_every_chart_and_its_svg(dash_duo):
    key, _figures = as_stored(MARKUP_ARTICLE, PUBLISHED)
    assert paste_article(dash_duo, MARKUP_ARTICLE) == key
    views = [v for v in ("timeline", "speakers", "claim", "series") if v in views_of(key)]
    assert "timeline" in views
    for view in views:
        visit(dash_duo, f"?article={key}&view={view}")
        until(lambda view=view: dash_duo.driver.execute_script(
            "return document.querySelectorAll(arguments[0]).length", f"#view-{view} .main-svg"),
            timeout=20, msg=f"the {view} view drew no chart")
        assert dash_duo.driver.execute_script(LIVE_MARKUP, f"#view-{view} *") == 0, view
    # The timeline's labels show the article's words, markup and all, as characters.
    visit(dash_duo, f"?article={key}&view=timeline")
    until(lambda: 'destroyed <a href="//evil.example' in dash_duo.driver.execute_script(
        "const svg = document.querySelector('#view-timeline .main-svg');"
        "return svg ? svg.parentNode.textContent : '';"),
        timeout=20, msg="the timeline does not show the article's markup as text")
    # The server-made SVG (the same renderer as the PNG) draws it as text too.
    svg = ElementTree.fromstring(download(
        dash_duo, f"{stem_of(key)}-timeline.svg",
        f"{by_id(type='chart-svg', chart='timeline')}"))
    assert not [e for e in svg.iter() if e.tag.rsplit("}", 1)[-1] == "a"]
    assert not [e for e in svg.iter() if "200px" in (e.get("style") or "")]
    assert "<span style=" in "".join(svg.itertext())
    assert_nothing_ran(dash_duo)


def article_shown(duo, key: str, ids: list[str], name: str) -> None:
    """The page shows article `key`: in its URL, its heading, and the grid of its figures view
    (opened, as a reader would, when another view is on screen)."""
    duo.wait_for_contains_text("#article-heading", name)
    if not duo.find_element("#view-figures").is_displayed():
        click_tab(duo, "Figures and article")
    wait_for_grid(duo, ids)
    assert query_of(duo)["article"] == key
    duo.wait_for_contains_text("#article-heading", name)


def test_two_sessions_each_see_their_own_article(dash_duo, second_browser, tmp_path):
    first, second = dash_duo, second_browser
    harbour, river = tmp_path / "harbour.txt", tmp_path / "river.txt"
    harbour.write_text(HARBOUR_ARTICLE, encoding="utf-8")
    river.write_text(RIVER_ARTICLE, encoding="utf-8")
    key_a, figures_a = as_stored(HARBOUR_ARTICLE, PUBLISHED, "harbour.txt")
    key_b, figures_b = as_stored(RIVER_ARTICLE, PUBLISHED, "river.txt")
    ids_a, ids_b = figures_a["figure_id"].tolist(), figures_b["figure_id"].tolist()
    assert key_a != key_b and not set(ids_a) & set(ids_b)

    for browser, article in ((first, harbour), (second, river)):
        visit(browser, "?article=seed&view=upload")
        set_published(browser, PUBLISHED)
        browser.find_element("#upload-file input[type=file]").send_keys(str(article))
    assert uploaded_key(first) == key_a
    assert uploaded_key(second) == key_b
    article_shown(first, key_a, ids_a, "harbour")
    article_shown(second, key_b, ids_b, "river")
    assert "river" not in first.find_element("#article-heading").text

    first.driver.refresh()
    first.wait_for_element("#figures-grid")
    article_shown(first, key_a, ids_a, "harbour")

    seed = extract_document(read_document(SEED))
    second.find_element("#seed-link").click()
    until(lambda: query_of(second) == {"article": "seed", "view": "verdicts"}, timeout=10)
    article_shown(second, "seed", seed["figure_id"].tolist(), "Al Jazeera · 2025-11-18")
    article_shown(first, key_a, ids_a, "harbour")
    assert console_errors(first) == [] and console_errors(second) == []
