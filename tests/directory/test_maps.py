"""A listing's map: its venues, the searcher's point and distance, tiles and the CSP."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.test import RequestFactory

from cms.settings.base import tile_image_sources
from directory.maps import (
    SEARCH_POINT_SESSION_KEY,
    SearchPoint,
    recall_search_point,
    remember_search_point,
    venue_map,
)
from directory.models import ServiceLocation
from directory.presentation import miles
from geography.distance import haversine_miles
from tests.factories import ServicePageFactory

BH1 = SearchPoint(50.727909, -1.863623, "BH1 1AA")


def venue(**fields: Any) -> ServiceLocation:
    values = {"name": "Church hall", "latitude": 50.7205, "longitude": -1.8755, **fields}
    return ServiceLocation(**values)


def page_map(page: str, map_id: str = "venue-map") -> dict[str, Any]:
    found = re.search(rf'id="{map_id}"[^>]*data-map="([^"]*)"', page)
    assert found, f"no #{map_id} with map data"
    return json.loads(html.unescape(found.group(1)))


def test_tile_hosts_for_the_content_security_policy() -> None:
    assert tile_image_sources("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://tile.openstreetmap.org"
    ]
    assert tile_image_sources("https://{s}.tiles.example.org:8443/{z}/{x}/{y}.png") == [
        "https://*.tiles.example.org:8443"
    ]
    assert tile_image_sources("") == []
    assert tile_image_sources("javascript:alert(1)") == []


def test_one_venue_with_the_searchers_point_and_the_distance() -> None:
    made = venue_map("Lunch club", [venue()], BH1)
    assert made is not None
    data = json.loads(made.data)
    assert data["markers"] == [
        {"lat": 50.7205, "lon": -1.8755, "label": "Church hall", "number": None, "url": ""}
    ]
    assert data["origin"] == {"lat": 50.727909, "lon": -1.863623, "label": "BH1 1AA"}
    assert data["radius_metres"] is None  # a listing's map has no search radius
    expected = miles(haversine_miles(BH1.lat, BH1.lon, 50.7205, -1.8755))
    assert made.distance == expected
    assert made.description == f"Map showing Lunch club: where it is, {expected} from BH1 1AA"


def test_several_venues_are_numbered_and_online_or_unplaced_ones_are_left_out() -> None:
    venues = [
        venue(name="Hall"),
        venue(name="Online", location_type="virtual"),
        venue(name="Not placed", latitude=None, longitude=None),
        venue(name="Postal", location_type="postal"),
        venue(name="Library", latitude=50.74, longitude=-1.83),
    ]
    made = venue_map("Lunch club", venues)
    assert made is not None
    markers = json.loads(made.data)["markers"]
    assert [(m["label"], m["number"]) for m in markers] == [("Hall", 1), ("Library", 2)]
    assert made.description == "Map showing Lunch club: its 2 venues"
    assert made.distance == ""
    assert venue_map("Online club", [venue(location_type="virtual")]) is None


def test_the_search_point_lives_in_the_session_and_junk_is_ignored() -> None:
    request = RequestFactory().get("/")
    request.session = {}  # type: ignore[assignment]
    assert recall_search_point(request) is None
    remember_search_point(request, BH1)
    assert recall_search_point(request) == BH1
    for junk in ({"lat": "x", "lon": 1, "label": "a"}, {"lat": 95, "lon": 0, "label": "a"}, "BH1"):
        request.session[SEARCH_POINT_SESSION_KEY] = junk
        assert recall_search_point(request) is None


@pytest.mark.django_db
def test_service_page_shows_its_map_and_after_a_search_the_distance(
    client: Any, gazetteer_store: Any, index_listings: Any
) -> None:
    service = ServicePageFactory(
        title="Pier lunch club",
        locations=[{"name": "Pier hall", "latitude": 50.7205, "longitude": -1.8755}],
    )
    index_listings(service)
    page = client.get(service.get_url()).content.decode()
    data = page_map(page)
    assert [m["label"] for m in data["markers"]] == ["Pier hall"]
    assert data["origin"] is None
    assert "Map showing Pier lunch club: where it is." in page
    assert 'aria-labelledby="venue-map-caption"' in page
    assert 'id="venue-distance"' not in page
    # Hidden until the script draws it; the address above says where it is regardless.
    assert re.search(r'<div class="council-map-figure" data-map-figure hidden>', page)

    results = client.get("/search/", {"q": "lunch", "postcode": "BH1 1AA"}).content.decode()
    assert f'href="{service.get_url()}"' in results  # the link carries no postcode
    page = client.get(service.get_url()).content.decode()
    data = page_map(page)
    assert data["origin"]["label"] == "BH1 1AA"
    distance = miles(
        haversine_miles(data["origin"]["lat"], data["origin"]["lon"], 50.7205, -1.8755)
    )
    assert f"{distance} from BH1 1AA, where you searched from" in page


@pytest.mark.django_db
def test_a_listing_with_no_venue_has_no_map_and_the_policy_names_the_tile_host(
    client: Any, settings: Any
) -> None:
    service = ServicePageFactory(title="Phone friends", locations=[{"location_type": "virtual"}])
    response = client.get(service.get_url())
    page = response.content.decode()
    assert "data-map=" not in page and "leaflet" not in page
    img_src = next(
        part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.split()[0] == "img-src"
    )
    assert img_src == ["'self'", "data:", *tile_image_sources(settings.MAP_TILE_URL)]
