"""Everyone can use it: every view of the seed and of articles on other topics checked with
axe-core in headless Chromium (no serious or critical violation), laid out at a phone's 390 px
with no sideways scrolling of the page, and the tabs and the article's highlights operated with
the keyboard alone.

axe-core comes from the npm registry: `make test` installs it under .cache/ (see the Makefile);
AXE_CORE_JS may name another copy of axe.min.js.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard import store
from dashboard.app import views_of
from dashboard.ingest import document_from_text
from tests.test_browser import (  # the module's server and browser, and its helpers
    console_errors,
    query_of,
    visit,
)
from tests.test_browser import dash_duo as dash_duo  # noqa: F401  (a fixture)
from tests.test_browser import fresh_console as fresh_console  # noqa: F401  (a fixture)

# selenium 4.2 (pinned by dash[testing]) calls a urllib3 method that urllib3 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning")
REPO = Path(__file__).resolve().parent.parent
AXE = Path(os.environ.get("AXE_CORE_JS")
           or REPO / ".cache" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js")
BLOCKING = ("serious", "critical")
PHONE = (390, 844)
# Real reporting on two other topics (tests/verification/articles.toml): CDC's overdose
# counts, and a population comparison.
OTHER_ARTICLES = {
    "overdoses": ("New provisional data from CDC's National Vital Statistics System estimates a "
                  "nearly 24 percent decline in drug overdose deaths in the United States for "
                  "the 12 months ending in September 2024, compared to the previous year. "
                  "Provisional data shows about 87,000 drug overdose deaths from October 2023 "
                  "to September 2024, down from around 114,000 the previous year.",
                  "2025-02-26"),
    "population": ("India overtook China as the world's most populous country in 2023. India's "
                   "population of 1.43 billion in 2023 passed China's 1.41 billion, the United "
                   "Nations said.", "2024-07-11"),
}


def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"no axe-core at {AXE.relative_to(REPO) if AXE.is_relative_to(REPO) else AXE}"
                    ": `make test` installs it from the npm registry (npm install --prefix "
                    ".cache/axe-core axe-core@4)")
    return AXE.read_text(encoding="utf-8")


def stored(name: str) -> str:
    text, published = OTHER_ARTICLES[name]
    document = document_from_text(text, published=published)
    return store.save(store.StoredArticle(text=document.text, published=published,
                                          name=name, format="txt"))


def ready(duo, view: str) -> None:
    """Wait until the view on screen has drawn what it shows."""
    selector = {"verdicts": "#verdicts-panel li.verdict, #verdicts-panel p",
                "figures": "#figures-grid .ag-row",
                "checks": "#checks-panel .check, #checks-panel p",
                "upload": "#upload-file"}.get(view, f"#view-{view} .main-svg .gtitle")
    until(lambda: duo.find_element(f"#view-{view}").is_displayed()
          and duo.driver.find_elements(By.CSS_SELECTOR, f"#view-{view} {selector}"
                                       if not selector.startswith("#view") else selector),
          timeout=20, msg=f"the {view} view was not drawn")


def violations(duo) -> list[dict]:
    """axe-core's serious and critical violations on the page as it stands."""
    duo.driver.execute_script(axe_source())
    found = duo.driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']})
          .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))
          .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e)}]));""")
    return [v for v in found if v["impact"] in BLOCKING]


def articles() -> dict[str, str]:
    return {"seed": "seed", **{name: stored(name) for name in OTHER_ARTICLES}}


def test_every_view_of_three_articles_has_no_serious_accessibility_violation(dash_duo):
    dash_duo.driver.set_script_timeout(60)
    found = {}
    for name, key in articles().items():
        assert views_of(key)[0] == "verdicts"
        for view in views_of(key):
            visit(dash_duo, f"?article={key}&view={view}")
            ready(dash_duo, view)
            problems = violations(dash_duo)
            if problems:
                found[f"{name}/{view}"] = problems
    assert found == {}, json.dumps(found, indent=1)
    lang = dash_duo.driver.execute_script("return document.documentElement.lang;")
    assert lang == "en"
    assert console_errors(dash_duo) == []


def test_every_view_fits_a_phone_without_sideways_scrolling(dash_duo):
    driver = dash_duo.driver
    wide = driver.get_window_size()
    driver.set_window_size(*PHONE)
    try:
        overflowing = {}
        for name, key in articles().items():
            for view in views_of(key):
                visit(dash_duo, f"?article={key}&view={view}")
                ready(dash_duo, view)
                width = driver.execute_script(
                    "return [document.documentElement.scrollWidth, window.innerWidth];")
                if width[0] > width[1]:
                    overflowing[f"{name}/{view}"] = width
        assert overflowing == {}
        # The tabs are one row: the first view's content starts within the first screen.
        top = driver.execute_script(
            "return document.querySelector('main').getBoundingClientRect().top;")
        assert top < PHONE[1] / 3
    finally:
        driver.set_window_size(wide["width"], wide["height"])
    assert console_errors(dash_duo) == []


def test_the_views_and_the_highlights_work_by_keyboard_alone(dash_duo):
    driver = dash_duo.driver
    visit(dash_duo, "?article=seed&view=verdicts")
    ready(dash_duo, "verdicts")
    body = driver.find_element(By.TAG_NAME, "body")
    body.click()
    for _ in range(40):  # Tab from the top of the page to the selected view's tab
        driver.switch_to.active_element.send_keys(Keys.TAB)
        focused = driver.switch_to.active_element
        if focused.get_attribute("role") == "tab":
            break
    else:
        pytest.fail("Tab never reaches the view tabs")
    assert focused.get_attribute("aria-selected") == "true"
    focused.send_keys(Keys.END)  # the last view: another article
    until(lambda: query_of(dash_duo).get("view") == "upload", timeout=10)
    driver.switch_to.active_element.send_keys(Keys.HOME)
    until(lambda: query_of(dash_duo).get("view") == "verdicts", timeout=10)
    tabs = driver.find_elements(By.CSS_SELECTOR, "#view [role=tab]")
    figures_tab = next(t for t in tabs if t.text == "Figures and article")
    figures_tab.send_keys(Keys.ENTER)  # a tab that is not focused by arrows yet: Enter works
    until(lambda: query_of(dash_duo).get("view") == "figures", timeout=10)
    ready(dash_duo, "figures")
    mark = driver.find_element(By.CSS_SELECTOR, "#article-text mark.figure")
    assert mark.get_attribute("tabindex") == "0" and mark.get_attribute("role") == "button"
    mark.send_keys(Keys.ENTER)
    until(lambda: driver.find_elements(By.CSS_SELECTOR, "#article-text mark.selected"),
          timeout=10, msg="Enter on a highlight does not select its figure")
    assert console_errors(dash_duo) == []
