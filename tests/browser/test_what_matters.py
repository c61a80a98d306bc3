"""A resident with three needs, two free days and an access need, in Debian's Chromium.

The multi-choice questions are GOV.UK checkboxes, so every ticked box reaches the
server; the suggestions are grouped under each of the three needs, fall on the two
days and have step-free access. axe-core checks every page on the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NEEDS = ["Food and eating well", "Memory or dementia", "Digital skills"]


@pytest.fixture
def own_artefacts(settings: Any, tmp_path: Any) -> Iterator[None]:
    """The live server builds its recommender from these listings, never from var/."""
    from recommender import artefacts

    settings.VAR_DIR = tmp_path
    artefacts._cache.clear()
    yield
    artefacts._cache.clear()


@pytest.fixture
def listings(db: None, own_artefacts: None) -> list[Any]:
    from tests.factories import OrganisationPageFactory, ServicePageFactory

    organisation = OrganisationPageFactory(title="Bournemouth Community Trust")

    def make(title: str, description: str, byday: str, step_free: bool = True) -> Any:
        return ServicePageFactory(
            parent=organisation,
            title=title,
            summary=description,
            description=description,
            locations=[{"wheelchair_accessible": step_free}],
            schedules=[{"byday": byday}],
        )

    return [
        make("Tuesday Lunch Club", "A hot two course meal and a chat.", "TU"),
        make("Thursday Memory Cafe", "A memory cafe for people living with dementia.", "TH"),
        make("Computer Help Drop-in", "Help with tablets, smartphones and getting online.", "TU"),
        make("Upstairs Lunch", "A hot meal on the first floor, no lift.", "TU", step_free=False),
        make("Friday Lunch", "A hot meal every Friday.", "FR"),
    ]


def test_three_needs_two_days_and_an_access_need_all_reach_the_suggestions(
    browser: Any, live_server: Any, listings: list[Any], gazetteer_store: Any
) -> None:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    checked: dict[str, list[Any]] = {}

    def answer(slug: str, *labels: str) -> None:
        page.wait_for_url(f"**/what-matters/{slug}/")
        checked[slug] = axe_violations(page)
        for label in labels:
            page.get_by_label(label, exact=True).check()
        page.click("main button.govuk-button")

    page.goto("/what-matters/")
    page.click("main a.govuk-button--start, main a.govuk-button")
    answer("who", "Me")
    page.wait_for_url("**/what-matters/where/")
    page.fill("input[name=location]", "BH1 1AA")
    answer("where")
    answer("age", "65 to 79")

    page.wait_for_url("**/what-matters/needs/")
    assert page.locator("input[name=needs]").first.get_attribute("type") == "checkbox"
    answer("needs", *NEEDS)
    answer("interests")
    answer("taking-part", "In person")
    answer("travel", "Up to 3 miles")
    answer("when", "Tuesday", "Thursday")
    answer("cost", "No, I can pay a little")
    answer("access", "Step-free or wheelchair access")

    page.wait_for_url("**/what-matters/check/")
    summary = page.inner_text(".govuk-summary-list")
    assert ", ".join(NEEDS) in summary
    assert "Tuesday, Thursday" in summary
    assert "Step-free or wheelchair access" in summary
    checked["check"] = axe_violations(page)

    page.click("main .govuk-button:has-text('See suggestions')")
    page.wait_for_url("**/what-matters/results/")
    checked["results"] = axe_violations(page)
    headings = page.locator("section.council-suggestion-group > h2").all_inner_texts()
    assert [" ".join(h.split()) for h in headings] == [f"For {need}" for need in NEEDS]
    expected = {
        "Food and eating well": ("Tuesday Lunch Club", "Tuesdays"),
        "Memory or dementia": ("Thursday Memory Cafe", "Thursdays"),
        "Digital skills": ("Computer Help Drop-in", "Tuesdays"),
    }
    for need, (title, day) in expected.items():
        section = page.locator("section.council-suggestion-group", has_text=need)
        assert section.locator(".govuk-inset-text").count() == 0  # nothing was relaxed
        card = section.locator("li.council-suggestion", has_text=title)
        reasons = card.locator(".council-suggestion__reasons").inner_text()
        assert day in reasons
        assert "Step-free or wheelchair access" in reasons
    main = page.inner_text("main")
    assert "Upstairs Lunch" not in main  # no step-free access
    assert "Friday Lunch" not in main  # not on a day they are free
    context.close()

    assert {name: found for name, found in checked.items() if found} == {}
