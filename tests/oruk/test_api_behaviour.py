"""What the ORUK API promises beyond schema shape: published data only, stable paging,
no nulls, CORS everywhere, clear errors, filters that filter."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import resolve, reverse

from cms.workflows.roles import Role
from tests.admin_forms import service_edit_form
from tests.oruk.conftest import API, Dataset

pytestmark = pytest.mark.urls("tests.oruk.urls")

LIST_PATHS = ("/services", "/service_at_locations", "/organizations", "/taxonomies")


def get(client: Any, path: str, **params: Any) -> Any:
    return client.get(API + path, params)


def all_ids(client: Any, path: str, per_page: int, **params: Any) -> list[str]:
    ids: list[str] = []
    page = 1
    while True:
        body = get(client, path, page=page, per_page=per_page, **params).json()
        ids += [item["id"] for item in body["contents"]]
        if body["last_page"]:
            return ids
        page += 1


def walk(value: Any) -> Any:
    """Every value in a JSON document, depth first."""
    yield value
    if isinstance(value, dict):
        for child in value.values():
            yield from walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from walk(child)


# --- published data only -------------------------------------------------------------


def test_only_published_public_services_of_published_organisations_appear(
    client: Any, dataset: Dataset
) -> None:
    listed = set(all_ids(client, "/services", per_page=50))
    assert listed == dataset.service_ids
    for hidden in dataset.hidden:
        assert get(client, f"/services/{hidden.oruk_id}").status_code == 404
    org_ids = set(all_ids(client, "/organizations", per_page=50))
    assert str(dataset.hidden_organisation.oruk_id) not in org_ids
    assert org_ids == {str(o.oruk_id) for o in dataset.organisations}


def test_a_draft_edit_never_reaches_the_api(client: Any, dataset: Dataset, make_user: Any) -> None:
    service = dataset.services[0]
    organisation = dataset.organisations[0]
    old_title = service.title
    editor = make_user(Role.ORGANISATION_EDITOR, organisation)
    client.force_login(editor)
    form = service_edit_form(service, title="Renamed in a draft", summary="Draft summary")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[service.pk]), form)
    assert response.status_code == 302
    client.logout()
    service.refresh_from_db()
    assert service.has_unpublished_changes
    assert service.get_latest_revision_as_object().title == "Renamed in a draft"

    detail = get(client, f"/services/{service.oruk_id}").json()
    assert detail["name"] == old_title
    everything = json.dumps(
        [
            get(client, "/services", per_page=50, full="true").json(),
            get(client, "/service_at_locations", per_page=100, full="true").json(),
            get(client, f"/organizations/{organisation.oruk_id}", full_service="true").json(),
        ]
    )
    everything += b"".join(client.get(f"{API}/export.ndjson").streaming_content).decode()
    everything += b"".join(client.get(f"{API}/export.csv").streaming_content).decode()
    assert "Renamed in a draft" not in everything
    assert "Draft summary" not in everything
    assert old_title in everything


# --- paging ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/services", "/service_at_locations", "/taxonomy_terms"])
@pytest.mark.parametrize("per_page", [1, 4, 7])
def test_paging_covers_everything_once(
    client: Any, dataset: Dataset, path: str, per_page: int
) -> None:
    everything = get(client, path, per_page=500).json()
    expected = [item["id"] for item in everything["contents"]]
    assert everything["total_items"] == len(expected) > per_page
    paged = all_ids(client, path, per_page)
    assert paged == expected, "same order, no duplicates, nothing skipped"
    assert len(set(paged)) == len(paged)


def test_per_page_above_the_maximum_is_clamped(client: Any, dataset: Dataset) -> None:
    body = get(client, "/services", per_page=10_000).json()
    assert body["size"] == len(dataset.services)
    assert body["total_pages"] == 1


def test_minimal_returns_everything_in_one_page(client: Any, dataset: Dataset) -> None:
    body = get(client, "/services", minimal="true").json()
    assert body["total_pages"] == 1
    assert {item["id"] for item in body["contents"]} == dataset.service_ids
    assert set(body["contents"][0]) == {"id", "name", "status", "last_modified"}


# --- output hygiene ---------------------------------------------------------------------


def test_no_nulls_or_empty_lists_anywhere(client: Any, dataset: Dataset) -> None:
    documents = [
        get(client, "/services", per_page=50, full="true").json(),
        get(client, "/service_at_locations", per_page=100, full="true").json(),
        get(client, "/organizations", full_service="true").json(),
        get(client, "/taxonomy_terms", per_page=100).json(),
    ]
    documents += [get(client, f"/services/{s.oruk_id}").json() for s in dataset.services]
    for document in documents:
        for value in walk(document):
            assert value is not None
            assert value != [] or document.get("contents") is value


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/services",
        "/services/not-a-uuid",
        "/services?page=abc",
        "/nowhere",
        "/openapi.json",
        "/export.csv",
    ],
)
def test_every_response_allows_any_origin(client: Any, dataset: Dataset, path: str) -> None:
    response = client.get(API + path)
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(API + path)
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"


def test_writes_are_refused_in_json(client: Any, dataset: Dataset) -> None:
    response = client.post(f"{API}/services", {})
    assert response.status_code == 405
    assert response.json()["status"] == 405
    assert response["Access-Control-Allow-Origin"] == "*"


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "words"),
    [
        ("/services", {"page": "abc"}, "'page' must be a whole number"),
        ("/services", {"page": "0"}, "'page' must be at least 1"),
        ("/services", {"per_page": "-5"}, "'per_page' must be at least 1"),
        ("/services", {"full": "perhaps"}, "'full' must be true or false"),
        ("/services", {"taxonomy_term_id": "lunch"}, "must be an id"),
        ("/services", {"modified_after": "yesterday"}, "ISO 8601"),
        ("/services", {"modified_after": "2025-13-45"}, "ISO 8601"),
        ("/services", {"search": "tea\x00"}, "control characters"),
        ("/services", {"format": "xml"}, "json or ndjson"),
        ("/service_at_locations", {"proximity": "500"}, "needs a 'postcode'"),
        ("/taxonomy_terms", {"parent_id": "x"}, "must be an id"),
    ],
)
def test_bad_parameters_get_a_clear_400(
    client: Any, dataset: Dataset, path: str, params: dict[str, str], words: str
) -> None:
    response = get(client, path, **params)
    assert response.status_code == 400
    assert words in response.json()["message"]


def test_a_page_past_the_end_is_empty_not_an_error(client: Any, dataset: Dataset) -> None:
    body = get(client, "/services", page=10**30).json()
    assert body["empty"] is True
    assert body["contents"] == []


@pytest.mark.parametrize(
    "path", ["/services", "/service_at_locations", "/organizations", "/taxonomies"]
)
def test_unknown_ids_are_json_404s(client: Any, dataset: Dataset, path: str) -> None:
    for unknown in ("00000000-0000-0000-0000-000000000000", "nonsense"):
        response = get(client, f"{path}/{unknown}")
        assert response.status_code == 404
        assert "No published" in response.json()["message"]


# --- filters --------------------------------------------------------------------------------


def test_filters_narrow_the_services(client: Any, dataset: Dataset) -> None:
    organisation = dataset.organisations[1]
    found = set(all_ids(client, "/services", 50, organization_id=str(organisation.oruk_id)))
    expected = {str(s.oruk_id) for s in dataset.services if s.get_parent().pk == organisation.pk}
    assert found == expected

    term = dataset.terms[-1]  # "Carers", from the second vocabulary
    found = set(all_ids(client, "/services", 50, taxonomy_term_id=str(term.oruk_id)))
    tagged = {str(s.oruk_id) for s in dataset.services if term in s.taxonomy_terms.all()}
    assert found == tagged and found
    by_taxonomy = all_ids(client, "/services", 50, taxonomy_id=str(term.taxonomy.oruk_id))
    assert set(by_taxonomy) == tagged

    found = set(all_ids(client, "/services", 50, search="walking GROUP"))
    assert found == {str(s.oruk_id) for s in dataset.services if "Walking group" in s.title}

    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    assert get(client, "/services", modified_after=future).json()["total_items"] == 0
    assert get(client, "/services", modified_after="2000-01-01").json()["total_items"] == len(
        dataset.services
    )


def test_a_parent_term_finds_services_tagged_with_its_children(
    client: Any, dataset: Dataset
) -> None:
    child = next(t for t in dataset.terms if t.parent_id)
    found = set(all_ids(client, "/services", 50, taxonomy_term_id=str(child.parent.oruk_id)))
    tagged = {str(s.oruk_id) for s in dataset.services if child in s.taxonomy_terms.all()}
    assert tagged <= found


@pytest.mark.usefixtures("gazetteer_store")
def test_postcode_respects_service_areas(client: Any, dataset: Dataset) -> None:
    birmingham_only = dataset.services[-1]
    in_bournemouth = set(all_ids(client, "/services", 50, postcode="BH1 1AA"))
    assert str(birmingham_only.oruk_id) not in in_bournemouth
    assert in_bournemouth == dataset.service_ids - {str(birmingham_only.oruk_id)}

    in_birmingham = set(all_ids(client, "/services", 50, postcode="B1 1BB"))
    assert str(birmingham_only.oruk_id) in in_birmingham
    for service in dataset.services:
        kinds = {area.kind for area in service.service_areas.all()}
        codes = {area.gss_code for area in service.service_areas.all()}
        covers = not kinds or "national" in kinds or "E08000025" in codes
        assert (str(service.oruk_id) in in_birmingham) == covers, service.title


@pytest.mark.usefixtures("gazetteer_store")
def test_proximity_is_metres_from_the_postcode(client: Any, dataset: Dataset) -> None:
    near = get(client, "/service_at_locations", postcode="BH1 1AA", proximity=500, per_page=500)
    names = {item["location"].get("name") for item in near.json()["contents"]}
    assert names == {"Community Centre"}, "the church hall is 1.3 km away"
    wider = get(client, "/service_at_locations", postcode="BH1 1AA", proximity=2000, per_page=500)
    names = {item["location"].get("name") for item in wider.json()["contents"]}
    assert names == {"Community Centre", "St Peter's Church Hall"}
    # No venue within 1 km of B1 1BB: /services gives only the services whose service
    # area covers it, flagged, as web search does ("Covers your area").
    far = get(client, "/services", postcode="B1 1BB", proximity=1000, per_page=500).json()
    covering = {
        str(s.oruk_id)
        for s in dataset.services
        if any(a.kind == "national" or a.gss_code == "E08000025" for a in s.service_areas.all())
    }
    assert covering and {item["id"] for item in far["contents"]} == covering
    assert all(item["covers_area"] is True for item in far["contents"])


@pytest.mark.usefixtures("gazetteer_store")
def test_unknown_or_ambiguous_places_are_400s(client: Any, dataset: Dataset) -> None:
    for place in ("ZZ99 9ZZ", "Springfield"):
        response = get(client, "/service_at_locations", postcode=place)
        assert response.status_code == 400
        assert response.json()["message"]


# --- mounting --------------------------------------------------------------------------------


@pytest.mark.urls("cms.urls")
def test_the_site_mounts_the_api_under_api_oruk() -> None:
    assert resolve("/api/oruk/services").url_name == "services"
    assert resolve("/api/oruk/anything/else").url_name == "not_found"


@pytest.mark.usefixtures("gazetteer_store")
def test_venues_by_postcode_come_nearest_first(client: Any, dataset: Dataset) -> None:
    from directory.oruk.geo import resolve_postcode
    from geography.distance import haversine_miles

    lat, lon, _ = resolve_postcode("BH1 1AA")
    contents = get(
        client, "/service_at_locations", postcode="BH1 1AA", per_page=500, full="true"
    ).json()["contents"]
    assert len(contents) >= 2
    # Venues without coordinates come last.
    miles = [
        haversine_miles(lat, lon, place["latitude"], place["longitude"])
        if "latitude" in (place := item["location"])
        else float("inf")
        for item in contents
    ]
    assert len([m for m in miles if m != float("inf")]) >= 2
    assert miles == sorted(miles)
    near = get(
        client, "/service_at_locations", postcode="BH1 1AA", proximity=2000, per_page=500
    ).json()
    names = [item["location"].get("name") for item in near["contents"]]
    # Several services meet at each venue: every one at the nearer venue comes first.
    assert list(dict.fromkeys(names)) == ["Community Centre", "St Peter's Church Hall"]
