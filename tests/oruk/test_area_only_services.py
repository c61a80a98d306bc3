"""Services with no location, given a default service area at import (the North
Lincolnshire case, issue 12 part 6), through the ORUK API and the console.

``/services?postcode=`` finds them, after the venues within the radius and marked
``covers_area``, in the order web search gives; ``/service_at_locations`` lists venues
only (HSDS: a service_at_location is a service at a specific location). Every response
is validated against the ORUK 3.0 JSON Schemas.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from directory.models import Area, AreaType, ServicePage
from geography.gazetteer import ResolvedLocation, reset_gazetteer, resolve_location
from importers.coverage import DefaultArea
from importers.sources.oruk import import_oruk
from search.backends import SearchQuery, get_search_backend
from tests.oruk import schemas

pytestmark = pytest.mark.django_db

API = "/api/oruk"
COUNCIL = "E06000013"  # North Lincolnshire
IN_COUNCIL = "DN16 1AB"  # Scunthorpe; the cafe's venue, DN15 6NE, is 0.72 miles away
ELSEWHERE = "BH1 1AA"
WORDS = "wellbeing carers"


def _service(n: int, name: str, description: str) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-8000-00000000010{n}",
        "name": name,
        "description": description,
        "status": "active",
        "organization": {"id": "00000000-0000-4000-8000-0000000001aa", "name": "Carers Org"},
    }


#: As the real feed sends them: no location, no service area.
WALKS = _service(1, "Wellbeing walks for carers", "<p>Gentle walks every week for carers.</p>")
CAFE = _service(2, "Wellbeing cafe for carers", "Meet us at the Civic Centre, DN15 6NE.")


@pytest.fixture
def imported(gazetteer_store: Any, tmp_path: Path, committed: Any) -> None:
    """The feed imported with the council's area as the default, then indexed."""
    reset_gazetteer()
    Area.objects.create(
        gss_code=COUNCIL, name="North Lincolnshire", area_type=AreaType.LOCAL_AUTHORITY
    )
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([WALKS, CAFE]), encoding="utf-8")
    with committed():
        report = import_oruk(feed, source="oruk:nl-like", default_area=DefaultArea.lookup(COUNCIL))
    assert (report.created, report.defaulted, report.unreachable) == (2, 1, 0)
    walks = ServicePage.objects.get(external_id=WALKS["id"])
    assert not walks.locations.exists()
    assert walks.service_areas.get().area.gss_code == COUNCIL


def get_valid(client: Any, path: str, **params: Any) -> dict[str, Any]:
    """The response body, checked against the ORUK schemas (page and every item)."""
    response = client.get(API + path, params)
    assert response.status_code == 200, response.content[:300]
    body: dict[str, Any] = response.json()
    problems = schemas.errors(schemas.openapi_response_validator(path), body)
    item = {
        "/services": "service_list.json#/properties/contents/items",
        "/service_at_locations": "service_at_location_list.json#/properties/contents/items",
    }[path]
    for entry in body["contents"]:
        problems += schemas.errors(schemas.validator(item), entry)
        if params.get("full"):
            full = "service.json" if path == "/services" else "service_at_location.json"
            problems += schemas.errors(schemas.validator(full), entry)
    assert not problems, "\n".join(problems[:10])
    return body


@pytest.mark.parametrize("full", ["", "true"])
def test_services_by_postcode_list_the_area_only_service_after_the_venue(
    imported: None, client: Any, full: str
) -> None:
    body = get_valid(client, "/services", postcode=IN_COUNCIL, full=full)
    ids = [item["id"] for item in body["contents"]]
    assert ids == [CAFE["id"], WALKS["id"]]
    cafe, walks = body["contents"]
    assert walks["covers_area"] is True
    assert "covers_area" not in cafe  # it has a venue 0.72 miles away
    if full:
        assert walks["service_areas"][0]["extent"] == COUNCIL
        assert "service_at_locations" not in walks


def test_proximity_keeps_the_area_only_service_as_web_search_does(
    imported: None, client: Any
) -> None:
    # 500 m: the cafe's venue is 1.16 km away; the walks cover the whole council.
    body = get_valid(client, "/services", postcode=IN_COUNCIL, proximity=500)
    assert [(i["id"], i.get("covers_area")) for i in body["contents"]] == [(WALKS["id"], True)]
    body = get_valid(client, "/services", postcode=IN_COUNCIL, proximity=2000)
    assert [i["id"] for i in body["contents"]] == [CAFE["id"], WALKS["id"]]


def test_the_area_only_service_is_not_found_outside_its_area(imported: None, client: Any) -> None:
    body = get_valid(client, "/services", postcode=ELSEWHERE)
    # The cafe has a venue and no service area, so ORUK reads it as serving anyone.
    assert [(i["id"], i.get("covers_area")) for i in body["contents"]] == [(CAFE["id"], None)]
    assert get_valid(client, "/services", postcode=ELSEWHERE, proximity=5000)["empty"]


def test_services_by_postcode_order_and_flag_as_web_search_does(
    imported: None, client: Any
) -> None:
    where = resolve_location(IN_COUNCIL)
    assert isinstance(where, ResolvedLocation)
    web = get_search_backend().search(SearchQuery(text=WORDS, location=where, radius_miles=3))
    keys = dict(ServicePage.objects.values_list("pk", "external_id"))
    web_order = [(keys[h.page_id], h.distance_miles is None and h.covers_area) for h in web.hits]
    body = get_valid(client, "/services", postcode=IN_COUNCIL, search=WORDS)
    api_order = [(i["id"], i.get("covers_area", False)) for i in body["contents"]]
    assert api_order == web_order == [(CAFE["id"], False), (WALKS["id"], True)]


@pytest.mark.parametrize("full", ["", "true"])
def test_service_at_locations_lists_venues_only(imported: None, client: Any, full: str) -> None:
    body = get_valid(client, "/service_at_locations", postcode=IN_COUNCIL, full=full)
    assert [item["service_id"] for item in body["contents"]] == [CAFE["id"]]
    for item in body["contents"]:
        # HSDS's tabular form requires both ids: a service_at_location has a location.
        assert item["location_id"] == item["location"]["id"]
        assert item["location"]["latitude"] and item["location"]["longitude"]
    everything = get_valid(client, "/service_at_locations")
    assert WALKS["id"] not in {item["service_id"] for item in everything["contents"]}


def test_the_openapi_document_says_where_area_only_services_are_found(
    imported: None, client: Any
) -> None:
    document = client.get(f"{API}/openapi.json").json()
    parameters = document["components"]["parameters"]
    assert "see /services?postcode=" in parameters["postcode"]["description"]
    assert '"covers_area": true' in parameters["services_postcode"]["description"]
    assert parameters["services_postcode"]["name"] == "postcode"
    services = document["paths"]["/services"]["get"]["parameters"]
    assert {"$ref": "#/components/parameters/services_postcode"} in services


def test_the_console_shows_the_area_only_service_as_covering_the_area(
    imported: None, officer_client: Any
) -> None:
    html = officer_client.post("/console/results/", {"q": f"{WORDS} {IN_COUNCIL}"}).text
    items = html.split('class="console-result"')[1:]
    titles = [CAFE["name"] if CAFE["name"] in item else WALKS["name"] for item in items]
    assert titles == [CAFE["name"], WALKS["name"]]
    cafe, walks = items
    # The console is for staff on a call, so it says "this area" where the public
    # page says "your area"; no distance is shown for a service with no venue.
    assert "Covers this area" in walks and " miles" not in walks.split("</span>")[0]
    assert "0.7 miles" in cafe and "Covers this area" not in cafe
    elsewhere = officer_client.post("/console/results/", {"q": f"{WORDS} {ELSEWHERE}"}).text
    assert WALKS["name"] not in elsewhere


def test_web_search_shows_covers_your_area(imported: None, client: Any) -> None:
    page = client.get("/search/", {"q": WORDS, "postcode": IN_COUNCIL}).text
    walks = page.split(WALKS["name"], 1)[1].split("</li>", 1)[0]
    assert "Covers your area" in walks
    assert page.index(CAFE["name"]) < page.index(WALKS["name"])


def test_ndjson_streams_them_in_the_same_order(imported: None, client: Any) -> None:
    response = client.get(f"{API}/services", {"postcode": IN_COUNCIL, "format": "ndjson"})
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [(i["id"], i.get("covers_area")) for i in lines] == [
        (CAFE["id"], None),
        (WALKS["id"], True),
    ]
