"""axe-core reports no violations on the pages residents use, in Debian's Chromium.

Covers the home page, search results (with filters and an error state), a service
page, and every step of the "what matters to you" questions through to suggestions.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def listings(db: None, index_listings: Any) -> list[Any]:
    from tests.factories import OrganisationPageFactory, ServicePageFactory

    organisation = OrganisationPageFactory(title="Bournemouth Friendship Group")
    pages = [
        ServicePageFactory(parent=organisation, title="Boscombe Lunch Club"),
        ServicePageFactory(
            parent=organisation,
            title="Garden Friends",
            summary="Gardening and a cuppa for people who feel lonely.",
        ),
    ]
    index_listings(*pages)
    return pages


def answer_current_question(page: Any) -> None:
    """Give a valid answer to whatever question is on screen, as a resident would."""
    if page.locator("input[name=location]").count():
        page.fill("input[name=location]", "BH1 1AA")
    for name in page.eval_on_selector_all(
        "input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
    ):
        page.check(f"input[type=radio][name={name}] >> nth=0")
    for name in page.eval_on_selector_all(
        "input[type=checkbox]", "els => [...new Set(els.map(e => e.name))]"
    ):
        page.check(f"input[type=checkbox][name={name}] >> nth=0")


def test_resident_pages_have_no_accessibility_violations(
    browser: Any, live_server: Any, listings: list[Any], gazetteer_store: Any
) -> None:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    checked: dict[str, list[Any]] = {}

    page.goto("/")
    checked["home"] = axe_violations(page)

    page.fill("#q", "lunch")
    page.fill("#postcode", "BH1 1AA")
    page.click("button:has-text('Search')")
    page.wait_for_selector("#results-heading")
    assert "Boscombe Lunch Club" in page.inner_text("main")
    checked["results"] = axe_violations(page)

    page.goto("/search/?q=gardnin&postcode=BH1+1AA")  # an empty page, with a suggestion
    assert "Did you mean" in page.inner_text("main")
    checked["results: did you mean"] = axe_violations(page)

    page.goto("/search/?q=lunch&postcode=ZZ1+1ZZ&age=old")
    assert "There is a problem" in page.inner_text("main")
    checked["results with errors"] = axe_violations(page)

    page.goto(listings[0].get_url())
    checked["service page"] = axe_violations(page)

    page.goto("/what-matters/")
    checked["what matters: start"] = axe_violations(page)
    page.click(".govuk-button--start, a.govuk-button, button.govuk-button")
    # An empty answer first, to check the error state, then each question in turn.
    page.click("button.govuk-button")
    if page.locator(".govuk-error-summary").count():
        checked["what matters: error"] = axe_violations(page)
    for _ in range(12):
        if "/check/" in page.url:
            break
        checked[f"what matters: {page.url.rstrip('/').rsplit('/', 1)[-1]}"] = axe_violations(page)
        answer_current_question(page)
        page.click("button.govuk-button")
    assert "/check/" in page.url, page.url
    checked["what matters: check answers"] = axe_violations(page)
    page.click("main .govuk-button:has-text('See suggestions')")
    page.wait_for_url("**/results/**")
    checked["what matters: suggestions"] = axe_violations(page)
    context.close()

    assert len(checked) >= 12
    assert {name: found for name, found in checked.items() if found} == {}
