"""The onboarding forms in Debian's Chromium: axe-core finds no violations on the
"Ask to manage this listing" form (empty, with errors, and its thank-you page) or on the
"Ask to be listed" form, and a claim goes through with JavaScript switched off."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_onboarding_forms_are_accessible_and_work_without_javascript(
    browser: Any, live_server: Any, listing: Any
) -> None:
    from onboarding.models import Claim

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    checked: dict[str, list[Any]] = {}

    page.goto(listing.get_url())
    page.click("text=Ask to manage this listing")
    page.wait_for_url("**/manage-this-listing/**")
    checked["claim form"] = axe_violations(page)

    page.click("button:has-text('Send request')")
    page.wait_for_selector(".govuk-error-summary")
    checked["claim form with errors"] = axe_violations(page)
    page.click(".govuk-error-summary a >> nth=0")
    assert page.evaluate("document.activeElement.id") == "id_name"

    page.fill("input[name=name]", "Rita Organiser")
    page.fill("input[name=email]", "rita@example.net")
    page.fill("input[name=role]", "Chair")
    page.fill("textarea[name=reason]", "I run the Tuesday lunches.")
    page.click("button:has-text('Send request')")
    page.wait_for_selector(".govuk-panel--confirmation")
    checked["claim sent"] = axe_violations(page)

    page.goto("/ask-to-be-listed/")
    checked["ask to be listed"] = axe_violations(page)
    page.click("button:has-text('Send request')")
    page.wait_for_selector(".govuk-error-summary")
    checked["ask to be listed with errors"] = axe_violations(page)
    context.close()

    assert {name: found for name, found in checked.items() if found} == {}

    # The same claim with JavaScript switched off. (One test per browser module: see
    # tests/browser/conftest.py.)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/manage-this-listing/{listing.pk}/")
    page.fill("input[name=name]", "Sam Volunteer")
    page.fill("input[name=email]", "sam@example.net")
    page.fill("input[name=role]", "Volunteer")
    page.fill("textarea[name=reason]", "I help at the club.")
    page.click("button:has-text('Send request')")
    page.wait_for_selector(".govuk-panel--confirmation")
    context.close()
    claims = Claim.objects.order_by("pk")
    assert [(c.organisation_id, c.name) for c in claims] == [
        (listing.get_parent().pk, "Rita Organiser"),
        (listing.get_parent().pk, "Sam Volunteer"),
    ]
