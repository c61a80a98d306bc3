"""The results map and the listing map in Chromium: the toggle, markers numbered and
ordered as the list, the radius drawn with no tiles, keyboard access and axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SEARCH = "/search/?q=lunch+club&postcode=BH1+1AA&sort=distance"


@pytest.fixture
def listings(db: None, index_listings: Any, settings: Any) -> list[Any]:
    from directory.models import ServiceAreaCoverage
    from tests.factories import ServicePageFactory

    settings.MAP_TILE_URL = ""  # no tile server is reachable here: a plain background
    places = [
        ("Lunch club by the pier", 50.7205, -1.8755),
        ("Lunch club at the library", 50.7400, -1.8300),
        ("Lunch club in Boscombe", 50.7260, -1.8420),
    ]
    pages = [
        ServicePageFactory(title=title, locations=[{"latitude": lat, "longitude": lon}])
        for title, lat, lon in places
    ]
    covering = ServicePageFactory(
        title="Lunch club helpline",
        locations=[{"latitude": 53.8008, "longitude": -1.5491, "postcode": "LS1 1UR"}],
    )
    ServiceAreaCoverage.objects.create(page=covering, kind="national")
    covering.save_revision().publish()
    index_listings(*pages, covering)
    return [*pages, covering]


def listed(page: Any) -> list[tuple[str, str, str]]:
    """(number, title, link) of each result in the list, in order."""
    return [
        tuple(row)
        for row in page.eval_on_selector_all(
            "#results-list-view .council-result",
            """items => items.map(li => [
            (li.querySelector('.council-result__number') || {}).textContent || '',
            li.querySelector('.council-result__title a').textContent.trim(),
            li.querySelector('.council-result__title a').getAttribute('href'),
        ])""",
        )
    ]


def pinned(page: Any) -> list[tuple[str, str]]:
    """(number, link) of each marker on the map, in the order Tab reaches them."""
    return [
        tuple(row)
        for row in page.eval_on_selector_all(
            "#results-map .council-map__pin",
            "pins => pins.map(a => [a.textContent, a.getAttribute('href')])",
        )
    ]


# One test function: a transactional test flushes the migration-made home page, so the
# whole journey runs against one live server session (as the console's browser test).
def test_results_map_and_listing_map(
    browser: Any, live_server: Any, listings: list[Any], gazetteer_store: Any
) -> None:
    # Without JavaScript: the list, and no toggle or map.
    plain = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = plain.new_page()
    page.goto(SEARCH)
    assert len(listed(page)) == 4
    assert not page.is_visible("[data-view-toggle]")
    assert not page.is_visible("#results-map")
    plain.close()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.goto(SEARCH)
    page.wait_for_selector("[data-view-toggle]:not([hidden])")
    in_list = listed(page)
    assert [number for number, _, _ in in_list] == ["1", "2", "3", "4"]
    assert page.is_visible("#results-list-view") and not page.is_visible("#results-map")

    page.click("button[data-view=map]")
    page.wait_for_selector("#results-map .council-map__pin")
    assert page.get_attribute("button[data-view=map]", "aria-pressed") == "true"
    assert not page.is_visible("#results-list-view")
    # The same listings, numbered and ordered as the list; the covering one is not pinned.
    expected = [(number, href) for number, title, href in in_list if "helpline" not in title]
    assert len(expected) == 3
    assert pinned(page) == expected
    assert "Lunch club helpline" in page.inner_text(".council-results-map__key")
    assert "Covers your area (not on the map)" in page.inner_text(".council-results-map__key")
    # The radius and the searcher's point are drawn, on a plain background.
    assert page.locator("#results-map path.council-map__radius").count() == 1
    assert page.locator("#results-map path.council-map__origin").count() == 1
    assert page.locator("#results-map img.leaflet-tile").count() == 0
    caption = page.inner_text("#results-map-caption")
    assert caption.startswith("Map showing 3 results within 3 miles of BH1 1AA")
    assert page.get_attribute("#results-map", "aria-labelledby") == "results-map-caption"
    # The markers sit where they should: each inside the drawn radius.
    circle = page.locator("#results-map path.council-map__radius").bounding_box()
    for pin in page.locator("#results-map .council-map__pin").all():
        box = pin.bounding_box()
        centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        assert circle["x"] < centre_x < circle["x"] + circle["width"]
        assert circle["y"] < centre_y < circle["y"] + circle["height"]

    # Keyboard: from the map, Tab reaches the markers in their numbered order.
    page.focus("#results-map")
    reached = []
    for _ in range(3):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent"))
    assert reached == ["1", "2", "3"]
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("3. ")
    assert axe_violations(page) == []

    # The map view lasts for the tab: back to the page, the map is still open.
    page.reload()
    page.wait_for_selector("#results-map .council-map__pin")
    page.click("button[data-view=list]")
    assert page.is_visible("#results-list-view") and not page.is_visible("#results-map")
    page.click("button[data-view=map]")

    # A marker leads to its listing, whose map shows the venue and the searcher's point.
    first_href = expected[0][1]
    page.click(f"#results-map .council-map__pin[href='{first_href}']")
    page.wait_for_url(f"**{first_href}")
    page.wait_for_selector("#venue-map .council-map__pin")
    assert page.locator("#venue-map path.council-map__origin").count() == 1
    assert "from BH1 1AA, where you searched from" in page.inner_text("#venue-distance")
    assert "from BH1 1AA" in page.inner_text("#venue-map-caption")
    assert axe_violations(page) == []

    assert errors == []
    context.close()
