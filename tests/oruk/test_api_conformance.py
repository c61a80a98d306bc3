"""Every ORUK endpoint's responses validate against the ORUK 3.0 JSON Schemas.

Three layers, so a gap in one is covered by another:

1. the 200 response schema that ``open_api.json`` declares for the path (what the
   official validator checks), resolved through a ``referencing`` Registry;
2. each item against its entity schema (the list schemas' ``allOf: [{"Page": ...}]``
   is not a JSON Schema keyword, so layer 1 never checks the envelope or, for
   ``organization_list.json``, which upstream wrongly uses for the whole page);
3. the page envelope itself: required keys, and the counts adding up.

Formats (uuid, email, uri, date-time) are checked too. Data: ``oruk_dataset``.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.oruk import schemas
from tests.oruk.conftest import API, Dataset

pytestmark = [pytest.mark.usefixtures("require_schemas"), pytest.mark.urls("tests.oruk.urls")]

#: list path → (item schema ref, detail path, detail schema file)
LISTS = {
    "/services": ("service_list.json#/properties/contents/items", "service.json"),
    "/service_at_locations": (
        "service_at_location_list.json#/properties/contents/items",
        "service_at_location.json",
    ),
    "/organizations": ("organization_list.json", "organization.json"),
    "/taxonomies": ("taxonomy_list.json#/properties/contents/items", "taxonomy.json"),
    "/taxonomy_terms": ("taxonomy_term_list.json#/properties/contents/items", "taxonomy_term.json"),
}
PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@pytest.fixture(scope="module")
def require_schemas() -> None:
    if not (schemas.schema_dir() / "open_api.json").exists():
        pytest.skip(f"ORUK schemas not found at {schemas.schema_dir()}")


def get_json(client: Any, path: str, **params: Any) -> Any:
    response = client.get(API + path, params)
    assert response.status_code == 200, (path, params, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def assert_valid(ref_or_validator: Any, instance: Any, where: str) -> None:
    validator = (
        schemas.validator(ref_or_validator)
        if isinstance(ref_or_validator, str)
        else ref_or_validator
    )
    problems = schemas.errors(validator, instance)
    assert not problems, f"{where}:\n" + "\n".join(problems[:20])


def assert_page(client: Any, path: str, page: int, per_page: int, **params: Any) -> Any:
    body = get_json(client, path, page=page, per_page=per_page, **params)
    where = f"{path}?page={page}&per_page={per_page}&{params}"
    if path != "/organizations":  # upstream points /organizations at an item schema
        assert_valid(schemas.openapi_response_validator(path), body, where)
    assert set(body) == PAGE_KEYS, where
    item_ref = LISTS[path][0]
    for item in body["contents"]:
        assert_valid(item_ref, item, where)
    total_pages = math.ceil(body["total_items"] / per_page)
    assert body["total_pages"] == total_pages
    assert body["page_number"] == page
    assert body["size"] == len(body["contents"])
    assert body["first_page"] is (page == 1)
    assert body["last_page"] is (page >= total_pages)
    assert body["empty"] is (not body["contents"])
    if page < total_pages:
        assert body["size"] == per_page, "every page but the last is full"
    return body


def test_api_details_match_schema(client: Any, dataset: Dataset) -> None:
    body = get_json(client, "/")
    assert_valid(schemas.openapi_response_validator("/"), body, "/")
    assert_valid("api_details.json", body, "/")
    assert body["version"] == "HSDS-UK-3.0"
    assert body["openapi_url"] == "http://testserver/api/oruk/openapi.json"


@pytest.mark.parametrize(
    ("path", "per_page", "params"),
    [
        ("/services", 5, {}),
        ("/services", 5, {"full": "true"}),
        ("/services", 7, {"minimal": "true"}),
        ("/service_at_locations", 6, {}),
        ("/service_at_locations", 6, {"full": "true"}),
        ("/organizations", 1, {}),
        ("/organizations", 1, {"full": "true"}),
        ("/organizations", 2, {"full_service": "true"}),
        ("/taxonomies", 1, {}),
        ("/taxonomy_terms", 4, {}),
    ],
)
def test_first_middle_last_and_past_the_end_pages_match_schema(
    client: Any, dataset: Dataset, path: str, per_page: int, params: dict[str, str]
) -> None:
    first = assert_page(client, path, 1, per_page, **params)
    total_pages = first["total_pages"]
    assert total_pages >= 2, f"{path} needs several pages to test paging"
    for page in sorted({max(1, total_pages // 2), total_pages, total_pages + 1}):
        assert_page(client, path, page, per_page, **params)


def test_list_items_carry_their_nested_parts_when_full(client: Any, dataset: Dataset) -> None:
    body = get_json(client, "/services", full="true", per_page=50)
    assert body["total_items"] == len(dataset.services)
    nested = {key for item in body["contents"] for key in item}
    for part in ("service_at_locations", "schedules", "cost_options", "contacts", "phones"):
        assert part in nested
    for part in ("languages", "service_areas", "attributes", "organization"):
        assert part in nested


def test_detail_endpoints_match_schema_for_a_sample(client: Any, dataset: Dataset) -> None:
    sample = dataset.services[:: max(1, len(dataset.services) // 8)]
    for service in sample:
        body = get_json(client, f"/services/{service.oruk_id}")
        assert_valid(schemas.openapi_response_validator("/services/{id}"), body, "service")
        assert_valid("service.json", body, f"/services/{service.oruk_id}")
        assert body["id"] == str(service.oruk_id)
        for sal in body.get("service_at_locations", []):
            detail = get_json(client, f"/service_at_locations/{sal['id']}")
            assert_valid("service_at_location.json", detail, f"/service_at_locations/{sal['id']}")
            assert detail["service"]["id"] == body["id"]
    for organisation in dataset.organisations:
        for params in ({}, {"full_service": "true"}):
            body = get_json(client, f"/organizations/{organisation.oruk_id}", **params)
            assert_valid("organization.json", body, f"/organizations/{organisation.oruk_id}")
            assert body["services"], "each organisation has published services"
    taxonomies = get_json(client, "/taxonomies", per_page=50)["contents"]
    for taxonomy in taxonomies:
        body = get_json(client, f"/taxonomies/{taxonomy['id']}")
        assert_valid("taxonomy.json", body, f"/taxonomies/{taxonomy['id']}")
    for term in dataset.terms[:6]:
        body = get_json(client, f"/taxonomy_terms/{term.oruk_id}")
        assert_valid("taxonomy_term.json", body, f"/taxonomy_terms/{term.oruk_id}")


def test_every_service_validates_in_the_ndjson_export(client: Any, dataset: Dataset) -> None:
    import json

    response = client.get(f"{API}/export.ndjson")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == len(dataset.services)
    validator = schemas.validator("service.json")
    for line in lines:
        assert_valid(validator, json.loads(line), "export.ndjson")


def test_the_served_openapi_document_inlines_the_schemas(client: Any, dataset: Dataset) -> None:
    document = get_json(client, "/openapi.json")
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://testserver/api/oruk"}]
    assert set(document["paths"]) == {"/", *LISTS, *(f"{p}/{{id}}" for p in LISTS)}
    assert "service" in document["components"]["schemas"]
    assert "$ref" not in document["components"]["schemas"]["service"]
