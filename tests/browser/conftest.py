"""Real-browser fixtures: Debian's headless Chromium driven by Playwright, against a live server."""

import fcntl
import io
import json
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

# Playwright's sync API keeps an event loop on the test thread; the fixtures' ORM calls on that
# thread are still synchronous and sequential, which is what Django's guard protects.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# As the machine notes say: without these, Chromium tries to reach Google's hosts at start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = (
    "Chromium not found at {path}: install it with `make browser` (Debian's chromium package, "
    "apt-get), or set CHROMIUM=/path/to/chromium."
)
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 800}
# WCAG 2.0, 2.1 and 2.2 at A and AA, and axe's best practices. Running by tag turns on rules axe
# leaves off by default, among them 2.2's target size (2.5.8: 24 by 24 px, or spaced apart).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        # One line, no traceback: the fix is an install, not a bug in the test.
        pytest.fail(MISSING_CHROMIUM.format(path=CHROMIUM), pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the real reference data and the illustrative demo."""
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo_data", stdout=io.StringIO())
    return live_server.url


@pytest.fixture(scope="session")
def axe_results():
    """Violations by page and impact, written to test-artifacts/axe.json at the end."""
    results = {}
    yield results
    ARTIFACTS.mkdir(exist_ok=True)
    # xdist workers each see some pages: each merges its own into the file under a lock.
    path = ARTIFACTS / "axe.json"
    with (ARTIFACTS / "axe.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        merged = json.loads(path.read_text()) if path.exists() else {}
        path.write_text(json.dumps(merged | results, indent=1, sort_keys=True))


def axe_violations(page) -> list[dict]:
    """axe-core's violations in the page as it stands, under every rule of AXE_TAGS."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def is_wcag(violation: dict) -> bool:
    return any(tag.startswith("wcag") for tag in violation["tags"])


def screenshot(page, name: str) -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
