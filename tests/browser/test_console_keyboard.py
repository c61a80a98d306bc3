"""Browser tests: the console's keyboard flow and axe-core accessibility checks.

Run with ``pytest -m browser``; skipped when Chromium or Playwright is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group

from cms.workflows.roles import Role
from tests.browser.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def officer_page(browser: Any, live_server: Any, listings: Any, settings: Any) -> Iterator[Any]:
    from django.contrib.auth import get_user_model

    settings.SMS_BACKEND = "signposting.sms.LocmemSMSBackend"
    user = get_user_model().objects.create_user("browser-officer", password="a long pass phrase")
    user.groups.add(Group.objects.get(name=Role.CONTACT_OFFICER.value))
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("input[name=username]", "browser-officer")
    page.fill("input[name=password]", "a long pass phrase")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/**")
    yield page
    context.close()


@pytest.fixture
def listings(db: None, index_listings: Any) -> Any:
    from tests.factories import OrganisationPageFactory, ServicePageFactory

    org = OrganisationPageFactory(title="Poole Carers Network")
    pages = [
        ServicePageFactory(
            parent=org, title="Carers Support Café", summary="Support for carers in Poole."
        ),
        ServicePageFactory(parent=org, title="Boscombe Lunch Club"),
    ]
    index_listings(*pages)
    return pages


# One test function: a transactional test flushes the migration-made home page and
# groups afterwards, so the whole journey runs against one live server session.
def test_console_keyboard_journey_and_accessibility(officer_page: Any, gazetteer_store: Any):
    from signposting import sms

    sms.outbox.clear()
    page = officer_page
    page.goto("/console/")
    assert page.evaluate("document.activeElement.id") == "console-q"  # focus starts in the box
    # At the start of the call the officer takes the caller's number: Shift+Tab from the
    # search box reaches "Caller's phone or email" (the field just before it), Tab goes back.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "send-to"
    page.keyboard.type("07700 900982")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "console-q"
    assert "07700" not in page.url  # the number is not part of the search

    page.keyboard.type("carers support poole")
    page.wait_for_selector(".console-result__link")
    # After the query, count every key until "Details sent": ↓ (first result), a (add),
    # s (to the caller's number), Enter (send). The acceptance budget is 5.
    keys_after_query = 0

    def press(key: str) -> None:
        nonlocal keys_after_query
        keys_after_query += 1
        page.keyboard.press(key)

    press("ArrowDown")
    press("a")
    page.wait_for_selector("#picked-list li")
    press("s")
    assert page.evaluate("document.activeElement.id") == "send-to"
    assert page.input_value("#send-to") == "07700 900982"
    press("Enter")
    # A locator wait, not wait_for_function: the site's CSP (no 'unsafe-eval') stays on.
    page.locator("#send-status", has_text="Details sent").wait_for()
    assert keys_after_query <= 5, keys_after_query
    assert len(sms.outbox) == 1 and "Carers Support Café" in sms.outbox[0].body
    assert page.input_value("#send-to") == ""  # the address is not left on the page

    # Enter on a result opens its details beside the results.
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.wait_for_selector("#details-heading")
    assert "Carers Support Café" in page.inner_text("#console-details")
    # With a small map of the result (its venue and the caller's place), axe-checked too.
    page.wait_for_selector("#details-map .council-map__pin")
    assert page.locator("#details-map path.council-map__origin").count() == 1
    assert axe_violations(page) == []

    # Resource list pages.
    page.goto("/lists/")
    assert axe_violations(page) == []
    page.fill("#id_title", "For Mrs B – 3 December")
    page.click("text=Start list")
    page.wait_for_selector("h1:has-text('For Mrs B')")
    assert axe_violations(page) == []
