"""ORUK 3.0 read API views (plain Django views returning JSON).

Lists share one shape: filter a published queryset, then either page it into the
ORUK envelope or, with ``format=ndjson``, stream every match one item per line.
``/services`` with a ``postcode`` is ordered as web search orders (``geo``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse

from . import exports, queries, serialise
from .geo import filter_locations_by_postcode, locations_nearest_first, searcher, services_near
from .http import ApiError, api_view, json_response
from .ids import parse_uuid
from .openapi import openapi_text
from .pagination import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    MAX_PER_PAGE_MINIMAL,
    Batch,
    OrderedRows,
    Paging,
    Rows,
    ndjson_response,
    page_envelope,
)
from .params import Params

ORUK_VERSION = "HSDS-UK-3.0"
ORUK_PROFILE = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"


def _list(
    queryset: Rows,
    params: Params,
    batch: Batch,
    default: int = DEFAULT_PER_PAGE,
    maximum: int = MAX_PER_PAGE,
) -> HttpResponseBase:
    if params.output_format() == "ndjson":
        return ndjson_response(queryset, batch)
    paging = Paging.from_params(params, default=default, maximum=maximum)
    return json_response(page_envelope(queryset, paging, batch))


def _one(queryset: QuerySet[Any], raw_id: str, what: str) -> Any:
    """The row whose oruk_id is ``raw_id``, or a 404 that says what was not found."""
    oruk_id = parse_uuid(raw_id)
    found = queryset.filter(oruk_id=oruk_id).first() if oruk_id else None
    if found is None:
        raise ApiError(404, f"No published {what} has the id '{raw_id}'.")
    return found


@api_view
def api_details(request: HttpRequest) -> HttpResponseBase:
    return json_response(
        {
            "version": ORUK_VERSION,
            "profile": ORUK_PROFILE,
            "openapi_url": request.build_absolute_uri(reverse("oruk:openapi")),
        }
    )


@api_view
def openapi(request: HttpRequest) -> HttpResponseBase:
    base = request.build_absolute_uri(reverse("oruk:api_details")).rstrip("/")
    return HttpResponse(openapi_text(base), content_type="application/json")


@api_view
def services(request: HttpRequest) -> HttpResponseBase:
    params = Params(request.GET)
    found = queries.filter_services(queries.published_services(), params)
    minimal = params.boolean("minimal")
    batch: Batch = queries.services_summary
    # Minimal asks for everything in one call, so its pages are bigger.
    default, maximum = (1000, MAX_PER_PAGE_MINIMAL) if minimal else (DEFAULT_PER_PAGE, MAX_PER_PAGE)
    if minimal:
        batch = queries.services_minimal
    elif params.boolean("full"):
        found = found.prefetch_related(*queries.SERVICE_PREFETCH)
        batch = queries.services_full
    where = searcher(params)
    if where is None:
        return _list(found, params, batch, default, maximum)
    near = services_near(found, where)
    if not minimal:  # minimal is ids and dates only
        batch = near.flagging(batch)
    return _list(OrderedRows(found, near.ids), params, batch, default, maximum)


@api_view
def service(request: HttpRequest, oruk_id: str) -> HttpResponseBase:
    published = queries.published_services().prefetch_related(*queries.SERVICE_PREFETCH)
    return json_response(serialise.serialise_service(_one(published, oruk_id, "service")))


@api_view
def service_at_locations(request: HttpRequest) -> HttpResponseBase:
    params = Params(request.GET)
    full = params.boolean("full")
    matching = queries.filter_services(queries.published_services(), params)
    found = queries.location_queryset(full).filter(page__in=matching.values("pk"))
    found = filter_locations_by_postcode(found, params)
    batch = queries.locations_batch(full)
    where = searcher(params)
    if where is None:
        return _list(found, params, batch)
    return _list(OrderedRows(found, locations_nearest_first(found, where)), params, batch)


@api_view
def service_at_location(request: HttpRequest, oruk_id: str) -> HttpResponseBase:
    location = _one(queries.location_queryset(full=True), oruk_id, "service_at_location")
    return json_response(queries.locations_batch(full=True)([location])[0])


@api_view
def organizations(request: HttpRequest) -> HttpResponseBase:
    params = Params(request.GET)
    found = queries.published_organisations()
    if words := params.text("search"):
        found = found.filter(queries.search_filter(words, "title", "description"))
    nested = "full" if params.boolean("full_service") else "none"
    if nested == "none" and params.boolean("full"):
        nested = "summary"
    return _list(found, params, queries.organisations_batch(nested))


@api_view
def organization(request: HttpRequest, oruk_id: str) -> HttpResponseBase:
    params = Params(request.GET)
    found = _one(queries.published_organisations(), oruk_id, "organization")
    nested = "full" if params.boolean("full_service") else "summary"
    return json_response(queries.organisations_batch(nested)([found])[0])


@api_view
def taxonomies(request: HttpRequest) -> HttpResponseBase:
    params = Params(request.GET)
    found = queries.taxonomies()
    if words := params.text("search"):
        found = found.filter(queries.search_filter(words, "name", "description"))
    return _list(found, params, lambda rows: [serialise.serialise_taxonomy(t) for t in rows])


@api_view
def taxonomy(request: HttpRequest, oruk_id: str) -> HttpResponseBase:
    found = _one(queries.taxonomies(), oruk_id, "taxonomy")
    terms = list(queries.taxonomy_terms().filter(taxonomy=found))
    return json_response(serialise.serialise_taxonomy(found, terms))


@api_view
def taxonomy_terms(request: HttpRequest) -> HttpResponseBase:
    params = Params(request.GET)
    found = queries.taxonomy_terms()
    if words := params.text("search"):
        found = found.filter(queries.search_filter(words, "name", "description", "synonyms"))
    if taxonomy_id := params.uuid("taxonomy_id"):
        found = found.filter(taxonomy__oruk_id=taxonomy_id)
    if parent_id := params.uuid("parent_id"):
        found = found.filter(parent__oruk_id=parent_id)
    if params.boolean("top_only"):
        found = found.filter(parent__isnull=True)
    return _list(found, params, lambda rows: [serialise.serialise_taxonomy_term(t) for t in rows])


@api_view
def taxonomy_term(request: HttpRequest, oruk_id: str) -> HttpResponseBase:
    found = _one(queries.taxonomy_terms(), oruk_id, "taxonomy_term")
    return json_response(serialise.serialise_taxonomy_term(found))


@api_view
def export_ndjson(request: HttpRequest) -> HttpResponseBase:
    """Every published service, fully nested, one JSON object per line."""
    return ndjson_response(
        exports.full_services_queryset(), queries.services_full, filename="oruk-services.ndjson"
    )


@api_view
def export_csv(request: HttpRequest) -> HttpResponseBase:
    """Every published service as one CSV row (columns in ``exports.CSV_COLUMNS``)."""
    response = StreamingHttpResponse(exports.csv_lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="directory-listings.csv"'
    return response


@api_view
def not_found(request: HttpRequest, path: str = "") -> HttpResponseBase:
    raise ApiError(404, f"There is no ORUK endpoint at '/{path}'. See the OpenAPI document.")
