"""Headless Chromium for the browser tests: where it is, how it starts, and axe-core.

Missing tools fail the run in CI (`CI` set: `.ci/run` installs them) and skip it elsewhere.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to work
# beside it. The loop only drives the browser, the ORM calls stay synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# axe-core from the repo's own dev dependencies (package-lock.json; `make node`), no network.
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def missing(message):
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def launched(require_axe=False):
    """A module fixture's body: `yield from launched()` gives a launched Chromium."""
    if not shutil.which(CHROMIUM):
        missing(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    if require_axe and not AXE.is_file():
        missing(f"{AXE} is missing: run `make node` (npm ci)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
