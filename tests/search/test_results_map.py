"""The results map's data: numbered like the list, the radius, and what is not pinned."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest

from directory.maps import SearchPoint
from directory.models import ServiceAreaCoverage
from geography.distance import METRES_PER_MILE
from search.maps import results_map
from search.query import SearchHit
from tests.factories import ServicePageFactory

BH1 = SearchPoint(50.727909, -1.863623, "BH1 1AA")


def hit(page_id: int, **fields: Any) -> SearchHit:
    values: dict[str, Any] = {
        "page_id": page_id,
        "score": 1.0,
        "distance_miles": 0.5,
        "covers_area": False,
        "matched_terms": (),
        "title": f"Listing {page_id}",
        "url": f"/listing-{page_id}/",
        "venue_point": (50.73, -1.86),
        **fields,
    }
    return SearchHit(**values)


def test_markers_are_numbered_from_the_pages_first_result_in_list_order() -> None:
    hits = [hit(1, distance_miles=0.2), hit(2, distance_miles=1.4), hit(3, distance_miles=2.9)]
    made = results_map(hits, 21, BH1, 3.0)
    assert made is not None
    data = json.loads(made.data)
    assert [m["number"] for m in data["markers"]] == [21, 22, 23]
    assert [m["url"] for m in data["markers"]] == ["/listing-1/", "/listing-2/", "/listing-3/"]
    assert data["markers"][0]["label"] == "21. Listing 1, 0.2 miles away"
    assert data["origin"] == {"lat": 50.727909, "lon": -1.863623, "label": "BH1 1AA"}
    assert data["radius_metres"] == pytest.approx(3 * METRES_PER_MILE, abs=0.1)
    assert made.description == "Map showing 3 results within 3 miles of BH1 1AA"
    assert [entry.number for entry in made.key] == [21, 22, 23]


def test_covering_and_venueless_services_are_listed_beside_the_map_not_pinned() -> None:
    hits = [
        hit(1),
        hit(2, covers_area=True, distance_miles=None),
        hit(3, venue_point=None, distance_miles=None),
    ]
    made = results_map(hits, 1, BH1, 5.0)
    assert made is not None
    assert [m["number"] for m in json.loads(made.data)["markers"]] == [1]
    assert [(e.number, e.pinned, e.note) for e in made.key] == [
        (1, True, "0.5 miles away"),
        (2, False, "Covers your area (not on the map)"),
        (3, False, "No venue to show (not on the map)"),
    ]
    assert made.description == (
        "Map showing 1 result within 5 miles of BH1 1AA. 2 more are listed beside the map"
    )


def test_without_a_place_venues_are_pinned_with_no_radius_and_no_venue_means_no_map() -> None:
    made = results_map([hit(1, distance_miles=None)], 1, None, 3.0)
    assert made is not None
    data = json.loads(made.data)
    assert data["origin"] is None and data["radius_metres"] is None
    assert len(data["markers"]) == 1
    assert made.description == "Map showing 1 result"
    assert results_map([hit(1, venue_point=None, distance_miles=None)], 1, None, 3.0) is None


def test_tiles_come_from_settings(settings: Any) -> None:
    settings.MAP_TILE_URL = ""
    settings.MAP_TILE_ATTRIBUTION = "Tiles by the council"
    made = results_map([hit(1)], 1, BH1, 3.0)
    assert made is not None
    assert json.loads(made.data)["tiles"] == {"url": "", "attribution": "Tiles by the council"}


# --- The page -------------------------------------------------------------------------


def page_map(page: str) -> dict[str, Any]:
    found = re.search(r'id="results-map"[^>]*data-map="([^"]*)"', page)
    assert found, "the results page should carry the map's data"
    return json.loads(html.unescape(found.group(1)))


@pytest.fixture
def near_and_covering(db: None, index_listings: Any, gazetteer_store: Any) -> list[Any]:
    nearer = ServicePageFactory(
        title="Lunch club by the pier",
        locations=[{"latitude": 50.7205, "longitude": -1.8755, "postcode": "BH1 2AA"}],
    )
    farther = ServicePageFactory(
        title="Lunch club at the library",
        locations=[{"latitude": 50.7400, "longitude": -1.8300, "postcode": "BH8 8AA"}],
    )
    # Based in Leeds, but it covers the whole country (a helpline with a lunch club).
    covering = ServicePageFactory(
        title="Lunch club helpline",
        locations=[{"latitude": 53.8008, "longitude": -1.5491, "postcode": "LS1 1UR"}],
    )
    ServiceAreaCoverage.objects.create(page=covering, kind="national")
    covering.save_revision().publish()
    index_listings(nearer, farther, covering)
    return [nearer, farther, covering]


def test_results_page_emits_the_map_beside_the_list_in_the_same_order(
    client: Any, near_and_covering: list[Any]
) -> None:
    page = client.get(
        "/search/", {"q": "lunch club", "postcode": "BH1 1AA", "sort": "distance"}
    ).content.decode()
    list_titles = re.findall(r'council-result__title">\s*<a[^>]*>([^<]+)</a>', page)
    list_numbers = re.findall(r'council-result__number" aria-hidden="true">(\d+)<', page)
    assert set(list_titles) == {p.title for p in near_and_covering}
    assert list_numbers == ["1", "2", "3"]
    data = page_map(page)
    pinned = {m["label"].split(", ")[0]: m["number"] for m in data["markers"]}
    # Each marker carries the number its listing has in the list.
    for number, title in enumerate(list_titles, start=1):
        if title != "Lunch club helpline":
            assert pinned[f"{number}. {title}"] == number
    assert "Lunch club helpline" not in " ".join(pinned)
    assert data["origin"]["label"] == "BH1 1AA"
    assert data["radius_metres"] == pytest.approx(3 * METRES_PER_MILE, abs=0.1)
    assert "Map showing 2 results within 3 miles of BH1 1AA. 1 more is listed" in page
    assert "Covers your area (not on the map)" in page
    # The toggle and the map start hidden: without JavaScript the list is the page.
    assert re.search(r"<div [^>]*data-view-toggle hidden>", page)
    assert re.search(r'<div id="results-map-view"[^>]*hidden>', page)
    assert 'src="/static/leaflet/leaflet.js"' in page


def test_a_page_with_no_results_has_no_map(client: Any, near_and_covering: list[Any]) -> None:
    page = client.get("/search/", {"q": "zzqxv", "postcode": "BH1 1AA"}).content.decode()
    assert "data-map=" not in page and "leaflet" not in page
