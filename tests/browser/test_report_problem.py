"""The "report a problem" form in Debian's Chromium: axe-core finds no violations on the
form, its error state and the thank-you page, and a report goes through with
JavaScript switched off."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_report_form_is_accessible_and_works_without_javascript(
    browser: Any, live_server: Any, listing: Any
) -> None:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    checked: dict[str, list[Any]] = {}

    page.goto(listing.get_url())
    page.click("text=Report a problem with this listing")
    page.wait_for_url("**/report-a-problem/**")
    checked["form"] = axe_violations(page)

    page.click("button:has-text('Send report')")
    page.wait_for_selector(".govuk-error-summary")
    checked["form with errors"] = axe_violations(page)
    # The summary's first link moves focus to the first radio, as GOV.UK's does.
    page.click(".govuk-error-summary a >> nth=0")
    assert page.evaluate("document.activeElement.id") == "kind"

    page.check("label:has-text('The days or times are wrong')")
    page.fill("textarea[name=details]", "It now runs on Wednesdays.")
    page.click("button:has-text('Send report')")
    page.wait_for_selector(".govuk-panel--confirmation")
    checked["thank you"] = axe_violations(page)
    context.close()

    assert {name: found for name, found in checked.items() if found} == {}

    # The same journey with JavaScript switched off. (One test per browser module: see
    # tests/browser/conftest.py.)
    from lifecycle.models import ProblemReport

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/report-a-problem/{listing.pk}/")
    page.check("label:has-text('It has closed or stopped running')")
    page.fill("textarea[name=details]", "The hall is boarded up.")
    page.click("button:has-text('Send report')")
    page.wait_for_selector(".govuk-panel--confirmation")
    context.close()
    reports = ProblemReport.objects.order_by("pk")
    assert [(r.service_id, r.kind) for r in reports] == [
        (listing.pk, "wrong_times"),
        (listing.pk, "closed"),
    ]
