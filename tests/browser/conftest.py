"""Playwright driving Debian's Chromium, plus axe-core, for the browser tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop; Django must allow ORM calls beside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def listing(db: None) -> Any:
    """A published service under a published organisation, for the public forms."""
    from tests.factories import OrganisationPageFactory, ServicePageFactory

    organisation = OrganisationPageFactory(title="Bournemouth Friendship Group")
    return ServicePageFactory(parent=organisation, title="Boscombe Lunch Club")


def axe_violations(page: Any) -> list[Any]:
    """axe-core's violations on the current page, summarised for a readable failure."""
    if not AXE.exists():
        pytest.skip("node_modules/axe-core is not installed (npm ci)")
    # Evaluated through the DevTools protocol rather than added as a <script>: the
    # site's Content-Security-Policy stays on, so a page whose own scripts it blocks
    # still fails, while axe itself is not blocked.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => (await axe.run(document)).violations")
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Run only one browser module per pytest process.

    Browser tests are transactional, and the flush at the end of one leaves the next
    without the rows the migrations made (home page, groups, categories): Django's
    serialized rollback is lost around the live server's thread. `make test` runs each
    browser module in its own process; a plain `pytest` run skips the others, saying so.
    """
    modules = sorted(
        {item.nodeid.split("::")[0] for item in items if "tests/browser/" in item.nodeid}
    )
    skip = pytest.mark.skip(reason="one browser module per process: run it alone (make test does)")
    for item in items:
        if item.nodeid.split("::")[0] in modules[1:]:
            item.add_marker(skip)
