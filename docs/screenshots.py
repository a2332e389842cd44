"""Screenshots of every view of the seed at 1440 and 390 px wide, for the README.

    .venv/bin/python docs/screenshots.py        # writes docs/screenshots/<view>-<width>.png

The app is served on a loopback port and drawn in Debian's headless Chromium, as `make bench`
draws it (bench/dashboard.py); each view is captured once what it shows is drawn.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.dashboard import app_server, chromium, wait_for  # noqa: E402
from dashboard.app import SEED_KEY, views_of  # noqa: E402

OUT = REPO / "docs" / "screenshots"
SIZES = {1440: 900, 390: 844}
DRAWN = {"verdicts": "#verdicts-panel li.verdict", "figures": "#figures-grid .ag-row",
         "checks": "#checks-panel .check", "upload": "#upload-file"}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    views = views_of(SEED_KEY)
    with app_server() as server, chromium() as driver:
        base = server.wait()
        for width, height in SIZES.items():
            driver.set_window_size(width, height)
            for view in views:
                driver.get(f"{base}/?article={SEED_KEY}&view={view}")
                selector = DRAWN.get(view, f"#view-{view} .main-svg .gtitle")
                wait_for(lambda s=selector: driver.find_elements("css selector", s),
                         f"the {view} view")
                time.sleep(0.5)  # the last frame of a chart's drawing
                path = OUT / f"{view}-{width}.png"
                driver.save_screenshot(str(path))
                print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
