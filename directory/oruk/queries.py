"""Published-only querysets, their filters and batch serialisers for the ORUK API.

"Published" means a live, public page whose live database rows we read: Wagtail
keeps unpublished edits in revisions, so drafts never reach these querysets. A
service also needs its organisation to be published, so every ``organization_id``
the feed sends resolves at ``/organizations/{id}``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from directory.models import (
    OrganisationPage,
    ServiceAreaCoverage,
    ServiceLocation,
    ServicePage,
    Taxonomy,
    TaxonomyTerm,
)
from directory.models.listings import ServicePageQuerySet, organisation_path

from . import parts, serialise
from .params import Params

JsonDict = dict[str, Any]
MAX_SEARCH_WORDS = 8

TERM_QUERYSET = TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by("pk")
SERVICE_PREFETCH: tuple[str | Prefetch, ...] = (
    "locations",
    "schedules",
    "cost_options",
    "contacts",
    "languages",
    Prefetch("service_areas", queryset=ServiceAreaCoverage.objects.select_related("area")),
    Prefetch("taxonomy_terms", queryset=TERM_QUERYSET),
)


def published_organisations() -> QuerySet[OrganisationPage]:
    return OrganisationPage.objects.published().order_by("pk")


def published_services() -> ServicePageQuerySet:
    # Every status: the feed carries it, so consumers learn a service has closed.
    return ServicePage.objects.published().order_by("pk")


def published_locations() -> QuerySet[ServiceLocation]:
    return ServiceLocation.objects.filter(page__in=published_services().values("pk")).order_by("pk")


def search_filter(words: str, *fields: str) -> Q:
    """Every word must appear (case-insensitively) in at least one of ``fields``."""
    query = Q()
    for word in words.split()[:MAX_SEARCH_WORDS]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        query &= any_field
    return query


def filter_services(services: QuerySet[ServicePage], params: Params) -> QuerySet[ServicePage]:
    """Apply ``search``, ``taxonomy_term_id``, ``taxonomy_id``, ``organization_id`` and
    ``modified_after``. Unknown ids give an empty result, as a filter should."""
    if words := params.text("search"):
        services = services.filter(search_filter(words, "title", "summary", "description"))
    if term_id := params.uuid("taxonomy_term_id"):
        term = TaxonomyTerm.objects.filter(oruk_id=term_id).first()
        # A parent term includes its children: "Social groups" finds lunch clubs.
        term_ids = term.descendant_ids() if term else set()
        tagged = ServicePage.objects.filter(taxonomy_terms__in=term_ids).values("pk")
        services = services.filter(pk__in=tagged)
    if taxonomy_id := params.uuid("taxonomy_id"):
        tagged = ServicePage.objects.filter(taxonomy_terms__taxonomy__oruk_id=taxonomy_id).values(
            "pk"
        )
        services = services.filter(pk__in=tagged)
    if organisation_id := params.uuid("organization_id"):
        organisation = published_organisations().filter(oruk_id=organisation_id).first()
        if organisation is None:
            return services.none()
        services = services.filter(pk__in=ServicePage.objects.child_of(organisation).values("pk"))
    if since := params.moment("modified_after"):
        services = services.filter(last_published_at__gte=since)
    return services


def organisations_by_path(services: list[ServicePage]) -> dict[str, OrganisationPage]:
    """Each service's organisation in one query, keyed by the organisation's path."""
    paths = {organisation_path(service) for service in services}
    return {org.path: org for org in OrganisationPage.objects.filter(path__in=paths)}


def _organisation(service: ServicePage, by_path: dict[str, OrganisationPage]) -> Any:
    return by_path.get(organisation_path(service))


# --- batch serialisers (rows of one page or one stream chunk → dicts) ------------------


def services_minimal(services: list[ServicePage]) -> list[JsonDict]:
    """``minimal=true``: id and last_modified, plus the name and status the schema needs."""
    return [
        parts.clean(
            {
                "id": str(service.oruk_id),
                "name": service.title,
                "status": service.status,
                "last_modified": parts.timestamp(service.last_published_at),
            }
        )
        for service in services
    ]


def services_summary(services: list[ServicePage]) -> list[JsonDict]:
    by_path = organisations_by_path(services)
    return [serialise.serialise_service_summary(s, _organisation(s, by_path)) for s in services]


def services_full(services: list[ServicePage]) -> list[JsonDict]:
    """Expects ``SERVICE_PREFETCH`` on the queryset the rows came from."""
    by_path = organisations_by_path(services)
    return [serialise.serialise_service(s, _organisation(s, by_path)) for s in services]


def locations_batch(full: bool) -> Any:
    """A batch serialiser for service_at_locations, nesting a summary or full service."""

    def serialise_batch(locations: list[ServiceLocation]) -> list[JsonDict]:
        services = {loc.page_id: loc.page for loc in locations}
        by_path = organisations_by_path(list(services.values()))
        nested = {
            pk: (
                serialise.serialise_service(page, _organisation(page, by_path), False)
                if full
                else serialise.serialise_service_summary(page, _organisation(page, by_path))
            )
            for pk, page in services.items()
        }
        return [
            serialise.serialise_service_at_location(loc, service=nested[loc.page_id])
            for loc in locations
        ]

    return serialise_batch


def location_queryset(full: bool) -> QuerySet[ServiceLocation]:
    locations = published_locations().select_related("page")
    if full:
        locations = locations.prefetch_related(
            *(
                Prefetch(f"page__{p}") if isinstance(p, str) else _nested_prefetch(p)
                for p in SERVICE_PREFETCH
            )
        )
    return locations


def _nested_prefetch(prefetch: Prefetch) -> Prefetch:
    return Prefetch(f"page__{prefetch.prefetch_to}", queryset=prefetch.queryset)


def organisations_batch(services: str) -> Any:
    """Organisations with their services nested: "none", "summary" or "full"."""

    def serialise_batch(organisations: list[OrganisationPage]) -> list[JsonDict]:
        if services == "none":
            return [serialise.serialise_organisation(org) for org in organisations]
        rows = published_services().of_organisations(organisations)
        if services == "full":
            rows = rows.prefetch_related(*SERVICE_PREFETCH)
        grouped: dict[str, list[JsonDict]] = {org.path: [] for org in organisations}
        by_path = {org.path: org for org in organisations}
        for service in rows:
            org = _organisation(service, by_path)
            item = (
                serialise.serialise_service(service, org)
                if services == "full"
                else serialise.serialise_service_summary(service, org)
            )
            # The organisation is the container here; repeating it in each service is noise.
            item.pop("organization", None)
            grouped[org.path].append(item)
        return [serialise.serialise_organisation(o, grouped[o.path]) for o in organisations]

    return serialise_batch


def taxonomies() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.order_by("pk")


def taxonomy_terms() -> QuerySet[TaxonomyTerm]:
    return TERM_QUERYSET.all()
