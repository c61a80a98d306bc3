"""The OpenAPI 3.1 document this API serves at ``/api/oruk/openapi.json``.

Adapted from the ORUK 3.0 ``open_api.json``: the same paths and parameters (plus the
ones we add: ``postcode``/``proximity`` on ``/services``), but valid OpenAPI —
the upstream file says ``openapi: "3.0"``, puts ``name`` on operations and refers to
schemas by GitHub URL. We inline the ORUK JSON Schemas from
``DIRECTORY_SHARED_DATA/oruk/v3_schema`` as components (so validators and
Schemathesis need no network) and fall back to the upstream URLs when the shared
data is absent. Upstream ``organization_list.json`` describes one item, not a page,
so ``/organizations`` wraps it in the page envelope like the other lists.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from django.conf import settings

UPSTREAM = (
    "https://raw.githubusercontent.com/tpximpact/OpenReferralApi/refs/heads/main/"
    "OpenReferralApi/Schemas/V3.0-UK/{name}.json"
)
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SCHEMA_FILES = (
    "api_details",
    "service",
    "service_list",
    "service_at_location",
    "service_at_location_list",
    "organization",
    "organization_list",
    "taxonomy",
    "taxonomy_list",
    "taxonomy_term",
    "taxonomy_term_list",
)
PAGE = {
    "type": "object",
    "required": [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ],
    "properties": {
        "total_items": {"type": "integer", "description": "Count of total results."},
        "total_pages": {"type": "integer", "description": "Count of total pages."},
        "page_number": {"type": "integer", "description": "Current page number."},
        "size": {"type": "integer", "description": "Number of items on this page."},
        "first_page": {"type": "boolean", "description": "Is this page the first page."},
        "last_page": {"type": "boolean", "description": "Is this page the last page."},
        "empty": {"type": "boolean", "description": "Is this page empty."},
        "contents": {"type": "array"},
    },
}
ERROR = {
    "type": "object",
    "required": ["status", "message"],
    "properties": {
        "status": {"type": "integer"},
        "error": {"type": "string"},
        "message": {"type": "string"},
    },
}


def _param(name: str, kind: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": kind, **schema},
    }


PARAMETERS = {
    "search": _param("search", "string", "Full text search: every word must match."),
    "page": _param("page", "integer", "Page number, from 1.", minimum=1),
    "per_page": _param(
        "per_page", "integer", "Results per page (default 50; more than 500 gives 500).", minimum=1
    ),
    "format": _param(
        "format",
        "string",
        "json (default) or ndjson: stream every result, unpaged.",
        enum=["json", "ndjson"],
    ),
    "minimal": _param("minimal", "boolean", "Services with just id, name, status, last_modified."),
    "full": _param("full", "boolean", "Return fully nested items."),
    "full_service": _param("full_service", "boolean", "Nest fully detailed services."),
    "modified_after": _param(
        "modified_after",
        "string",
        "Only results published on or after this ISO 8601 datetime.",
        format="date-time",
    ),
    "taxonomy_term_id": _param(
        "taxonomy_term_id",
        "string",
        "Services with this taxonomy term or one beneath it.",
        format="uuid",
    ),
    "taxonomy_id": _param(
        "taxonomy_id", "string", "Services with any term from this taxonomy.", format="uuid"
    ),
    "organization_id": _param(
        "organization_id", "string", "Services this organization provides.", format="uuid"
    ),
    "postcode": _param(
        "postcode",
        "string",
        "A UK postcode. Services with service areas are returned only when an area "
        "covers it; with proximity, only venues within that distance of its centroid. "
        "Venues come nearest first. A service_at_location is a service at a venue, so a "
        "service with no location (one offered across an area) is not listed here: see "
        "/services?postcode=.",
    ),
    "proximity": _param(
        "proximity",
        "number",
        "Distance in metres from the postcode's centroid.",
        exclusiveMinimum=0,
    ),
    # /services takes the same parameters with the web search's meaning.
    "services_postcode": _param(
        "postcode",
        "string",
        "A UK postcode. Every service available there, in the order of the directory's "
        "own search: services with a venue within the radius (proximity, else 3 miles) "
        "nearest first; then services whose service area covers the postcode and have "
        'no venue within the radius, marked "covers_area": true ("Covers your '
        'area"; services with no location at all are found this way); then services '
        "with no service area, which serve anyone. Services with service areas not "
        "covering the postcode are left out.",
    ),
    "services_proximity": _param(
        "proximity",
        "number",
        "Distance in metres from the postcode's centroid: only services with a venue "
        "within it, or whose service area covers the postcode (marked covers_area).",
        exclusiveMinimum=0,
    ),
    "top_only": _param("top_only", "boolean", "Only top-level terms (those with no parent)."),
    "parent_id": _param("parent_id", "string", "Terms whose parent has this id.", format="uuid"),
}
LIST_PARAMS = {
    "/services": [
        "search", "page", "per_page", "format", "taxonomy_term_id", "taxonomy_id",
        "organization_id", "modified_after", "minimal", "full", "services_postcode",
        "services_proximity",
    ],
    "/service_at_locations": [
        "search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after",
        "full", "page", "per_page", "format", "postcode", "proximity",
    ],
    "/organizations": ["search", "full_service", "full", "page", "per_page", "format"],
    "/taxonomies": ["search", "page", "per_page", "format"],
    "/taxonomy_terms": [
        "search", "page", "per_page", "format", "taxonomy_id", "top_only", "parent_id",
    ],
}  # fmt: skip
#: path → (operationId, summary, schema component, whether the component is a whole page)
LISTS = {
    "/services": ("getPaginatedListOfServices", "Services", "service_list", True),
    "/service_at_locations": (
        "getPaginatedListOfServiceAtLocation", "Services at locations",
        "service_at_location_list", True,
    ),
    "/organizations": (
        "getPaginatedListOfOrganizations", "Organizations", "organization_list", False,
    ),
    "/taxonomies": ("getPaginatedListOfTaxonomies", "Taxonomies", "taxonomy_list", True),
    "/taxonomy_terms": (
        "getPaginatedListOfTaxonomyTerms", "Taxonomy terms", "taxonomy_term_list", True,
    ),
}  # fmt: skip
ITEMS = {
    "/services/{id}": ("getFullyNestedServiceById", "A fully nested service", "service"),
    "/service_at_locations/{id}": (
        "getServiceAtLocationWithNestedDataById", "A nested service at location",
        "service_at_location",
    ),
    "/organizations/{id}": (
        "getOrganizationById", "An organization with its services", "organization",
    ),
    "/taxonomies/{id}": ("getTaxonomyById", "A taxonomy with its terms", "taxonomy"),
    "/taxonomy_terms/{id}": ("getTaxonomyTermById", "A taxonomy term", "taxonomy_term"),
}  # fmt: skip


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _json(_ref("Error"), "A query parameter is not valid; the message says which."),
    "404": _json(_ref("Error"), "No published record has that id."),
}


def schema_components(schema_dir: Path) -> dict[str, Any]:
    """The ORUK JSON Schemas as components, inlined when the files are present."""
    components: dict[str, Any] = {"Page": PAGE, "Error": ERROR}
    for name in SCHEMA_FILES:
        path = schema_dir / f"{name}.json"
        if path.exists():
            components[name] = json.loads(path.read_text(encoding="utf-8"))
        else:
            components[name] = {"$ref": UPSTREAM.format(name=name)}
    return components


def _paths() -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/": {
            "get": {
                "operationId": "getAPIMetaInformation",
                "summary": "Information about this API and its relationship with HSDS",
                "responses": {"200": _json(_ref("api_details"), "API details")},
            }
        }
    }
    for path, (operation, summary, component, whole_page) in LISTS.items():
        page: dict[str, Any] = (
            {"allOf": [_ref("Page"), _ref(component)]}
            if whole_page
            else {
                "allOf": [_ref("Page")],
                "properties": {"contents": {"type": "array", "items": _ref(component)}},
            }
        )
        responses = {
            "200": {
                "description": f"A page of {summary.lower()}",
                "content": {
                    "application/json": {"schema": page},
                    "application/x-ndjson": {"schema": {"type": "string"}},
                },
            },
            "400": ERRORS["400"],
        }
        parameters = [{"$ref": f"#/components/parameters/{name}"} for name in LIST_PARAMS[path]]
        paths[path] = {
            "get": {
                "operationId": operation,
                "summary": summary,
                "parameters": parameters,
                "responses": responses,
            }
        }
    for path, (operation, summary, component) in ITEMS.items():
        id_param = {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
        get: dict[str, Any] = {
            "operationId": operation,
            "summary": summary,
            "responses": {"200": _json(_ref(component), summary), "404": ERRORS["404"]},
        }
        if path == "/organizations/{id}":
            get["parameters"] = [{"$ref": "#/components/parameters/full_service"}]
            get["responses"]["400"] = ERRORS["400"]
        item: dict[str, Any] = {"parameters": [id_param], "get": get}
        paths[path] = item
    return paths


@functools.lru_cache(maxsize=8)
def _document(base_url: str, schema_dir: str) -> str:
    document = {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": f"{settings.WAGTAIL_SITE_NAME}: Open Referral UK API",
            "version": "HSDS-UK-3.0",
            "summary": "Published community services for adult social care, as HSDS-UK 3.0.",
            "description": (
                "Read-only Open Referral UK 3.0 feed of the directory's published listings. "
                "Exports: /export.ndjson (every service, fully nested, one per line) and "
                "/export.csv (one row per service)."
            ),
            # The data's licence is the publishing council's choice, hence the settings.
            "license": {
                "name": getattr(settings, "ORUK_LICENSE_NAME", "Open Government Licence v3.0"),
                "url": getattr(settings, "ORUK_LICENSE_URL", OGL_URL),
            },
        },
        "servers": [{"url": base_url}],
        "paths": _paths(),
        "components": {
            "schemas": schema_components(Path(schema_dir)),
            "parameters": PARAMETERS,
        },
    }
    return json.dumps(document)


def openapi_text(base_url: str) -> str:
    """The document as JSON text, ``servers`` set to ``base_url`` (https://host/api/oruk).

    Cached as text, so serving it costs no serialisation and no caller can mutate it.
    """
    schema_dir = Path(settings.DIRECTORY_SHARED_DATA) / "oruk" / "v3_schema"
    return _document(base_url, str(schema_dir))
