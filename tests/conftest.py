"""Browser options for the dash[testing] fixtures: Debian's headless Chromium and ChromeDriver.

CHROMIUM_PATH and CHROMEDRIVER_PATH (a file named chromedriver) override the Debian locations.
Chromium gets the flags this closed network needs (no background requests to Google, no QUIC)
and a fresh profile. Without the browser the tests fail, naming the packages: never a skip.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER_PATH") or "/usr/bin/chromedriver")
BROWSER_PACKAGES = "chromium chromium-driver"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1400,1000",
)


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when Chromium and ChromeDriver are there."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER)
               if not (p.is_file() and os.access(p, os.X_OK))]
    if not missing:
        return None
    return (f"no {' and no '.join(missing)}: the browser tests need Debian's packages chromium "
            f"and chromium-driver (`make test` installs them as root; else: sudo apt-get install "
            f"{BROWSER_PACKAGES}; CHROMIUM_PATH and CHROMEDRIVER_PATH point elsewhere)")


def pytest_setup_options():
    """dash[testing]'s hook: the Chrome options its Browser starts Chromium with. Fails the test
    at once, naming the Debian packages, when Chromium or ChromeDriver is missing."""
    from selenium.webdriver.chrome.options import Options

    reason = missing_browser()
    if reason:
        pytest.fail(reason, pytrace=False)
    # dash's Browser lets selenium find chromedriver on PATH: CHROMEDRIVER_PATH's folder first.
    os.environ["PATH"] = f"{CHROMEDRIVER.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    profile = tempfile.mkdtemp(prefix="claims-dashboard-chromium-")
    atexit.register(shutil.rmtree, profile, ignore_errors=True)
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    return options


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives headless Chromium (deselect with "
                                       "-m 'not browser' for a quick inner loop)")


def pytest_collection_modifyitems(items):
    """Every test that takes dash_duo drives the browser: marked `browser`."""
    for item in items:
        if "dash_duo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
