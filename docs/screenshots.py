"""Screenshots of every view of the seed, and of a real article on another topic, at 1440 and
390 px wide, for the README.

    .venv/bin/python docs/screenshots.py
    # writes docs/screenshots/<view>-<width>.png (the seed)
    # and docs/screenshots/other-<view>-<width>.png (the bench's inflation fact-check)

The app is served on a loopback port and drawn in Debian's headless Chromium, as `make bench`
draws it (bench/dashboard.py, whose upload store holds the other article as an upload is held);
each view is captured once what it shows is drawn.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.dashboard import app_server, chromium, upload_store, wait_for  # noqa: E402
from dashboard.app import SEED_KEY, views_of  # noqa: E402

OUT = REPO / "docs" / "screenshots"
SIZES = {1440: 900, 390: 844}
DRAWN = {"verdicts": "#verdicts-panel li.verdict", "figures": "#figures-grid .ag-row",
         "checks": "#checks-panel .check", "upload": "#upload-file"}


def capture(driver, base: str, key: str, views: list[str], prefix: str) -> None:
    for width, height in SIZES.items():
        driver.set_window_size(width, height)
        for view in views:
            driver.get(f"{base}/?article={key}&view={view}")
            selector = DRAWN.get(view, f"#view-{view} .main-svg .gtitle")
            wait_for(lambda s=selector: driver.find_elements("css selector", s),
                     f"the {view} view")
            time.sleep(0.5)  # the last frame of a chart's drawing
            path = OUT / f"{prefix}{view}-{width}.png"
            driver.save_screenshot(str(path))
            print(path.relative_to(REPO))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with upload_store() as (store, other, other_views), app_server(store) as server, \
            chromium() as driver:
        base = server.wait()
        capture(driver, base, SEED_KEY, views_of(SEED_KEY), "")
        capture(driver, base, other, [v for v in other_views if v != "upload"], "other-")
    return 0


if __name__ == "__main__":
    sys.exit(main())
