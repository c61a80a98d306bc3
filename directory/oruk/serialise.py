"""Model → ORUK 3.0 dicts. The field mapping is documented in ``directory.oruk``.

Public entry points: ``serialise_service`` (fully nested ``service``),
``serialise_service_summary`` (one-to-one fields plus ``organization``, as list pages
carry), ``serialise_service_at_location``, ``serialise_organisation``,
``serialise_taxonomy`` and ``serialise_taxonomy_term``. Each takes live model rows;
callers prefetch (see ``queries.py``) so a page of results costs a fixed number of
queries. The child entities are in ``parts.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from directory.models import (
    OrganisationPage,
    ServiceLocation,
    ServicePage,
    Taxonomy,
    TaxonomyTerm,
)
from directory.models.listings import organisation_path

from . import parts
from .ids import LGSL_URI, derived_id
from .parts import clean, ordered

JsonDict = dict[str, Any]


def _absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


# --- organisations -----------------------------------------------------------


def serialise_organisation(
    organisation: OrganisationPage, services: list[JsonDict] | None = None
) -> JsonDict:
    """An ORUK ``organization``; ``services`` (already serialised) are nested when given."""
    org_id = str(organisation.oruk_id)
    identifiers = []
    if organisation.charity_number:
        identifiers.append(
            {
                "id": derived_id(organisation.oruk_id, "charity_number"),
                "organization_id": org_id,
                "identifier_scheme": "GB-CHC",
                "identifier_type": "Charity number",
                "identifier": organisation.charity_number,
            }
        )
    phones = []
    if organisation.phone:
        phones.append(
            {
                "id": derived_id(organisation.oruk_id, "phone"),
                "organization_id": org_id,
                "number": organisation.phone,
            }
        )
    logo = organisation.logo.file.url if organisation.logo_id and organisation.logo else None
    data = {
        "id": org_id,
        "name": organisation.title,
        "alternate_name": organisation.alternate_name,
        "description": organisation.description,
        "email": organisation.email,
        "website": organisation.website,
        "logo": _absolute(logo) if logo else None,
        "legal_status": organisation.legal_status,
        "phones": phones,
        "organization_identifiers": identifiers,
    }
    if services is not None:
        data["services"] = services
    return clean(data, keep=("description",))


# --- taxonomies ----------------------------------------------------------------


def serialise_taxonomy(taxonomy: Taxonomy, terms: list[TaxonomyTerm] | None = None) -> JsonDict:
    data: JsonDict = {
        "id": str(taxonomy.oruk_id),
        "name": taxonomy.name,
        "description": taxonomy.description,
        "uri": taxonomy.uri,
        "version": taxonomy.version,
    }
    if terms is not None:
        data["taxonomy_terms"] = [serialise_taxonomy_term(term, detail=False) for term in terms]
    return clean(data, keep=("description",))


def serialise_taxonomy_term(term: TaxonomyTerm, detail: bool = True) -> JsonDict:
    """A ``taxonomy_term``; expects ``taxonomy`` and ``parent`` select_related."""
    taxonomy = term.taxonomy
    data = {
        "id": str(term.oruk_id),
        "name": term.name,
        "description": term.description,
        "code": term.code,
        "parent_id": str(term.parent.oruk_id) if term.parent_id and term.parent else None,
        "taxonomy": taxonomy.name,
        "taxonomy_id": str(taxonomy.oruk_id),
        "taxonomy_detail": serialise_taxonomy(taxonomy) if detail else None,
        "term_uri": LGSL_URI.format(code=term.lga_service_id) if term.lga_service_id else None,
    }
    return clean(data, keep=("description",))


def _attributes(service: ServicePage, terms: list[TaxonomyTerm]) -> list[JsonDict]:
    service_id = str(service.oruk_id)
    return [
        {
            "id": derived_id(service.oruk_id, f"attribute:{term.oruk_id}"),
            "link_id": service_id,
            "link_entity": "service",
            "link_type": "service_category",
            "taxonomy_term_id": str(term.oruk_id),
            "taxonomy_term": serialise_taxonomy_term(term),
        }
        for term in terms
    ]


# --- services -----------------------------------------------------------------------


def organisation_of(service: ServicePage) -> OrganisationPage | None:
    """The service's organisation (its parent page), without the generic .specific hop."""
    return OrganisationPage.objects.filter(path=organisation_path(service)).first()


def serialise_service_summary(
    service: ServicePage, organisation: OrganisationPage | None = None
) -> JsonDict:
    """The one-to-one fields of a ``service`` plus its ``organization``.

    ``organisation`` saves a query when the caller already has it; otherwise it is
    looked up from the page tree.
    """
    organisation = organisation or organisation_of(service)
    data = {
        "id": str(service.oruk_id),
        "organization_id": str(organisation.oruk_id) if organisation else None,
        "name": service.title,
        "summary": service.summary,
        "description": service.description,
        "url": service.website,
        "email": service.email,
        "status": service.status,
        "fees": service.fees_description,
        "fees_description": service.fees_description,
        "eligibility_description": service.eligibility_description,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "assured_date": parts.iso_date(service.last_verified_on),
        "last_modified": parts.timestamp(service.last_published_at),
        "organization": serialise_organisation(organisation) if organisation else None,
    }
    return clean(data)


def serialise_service(
    service: ServicePage,
    organisation: OrganisationPage | None = None,
    with_locations: bool = True,
) -> JsonDict:
    """A fully nested ORUK ``service`` (the ``/services/{id}`` shape).

    Prefetch ``SERVICE_PREFETCH`` from ``queries.py`` when serialising many.
    ``with_locations=False`` leaves out ``service_at_locations`` (used when the
    service is itself nested inside a service_at_location).
    """
    data = serialise_service_summary(service, organisation)
    service_id = data["id"]
    schedules = [parts.schedule(s, service_id) for s in ordered(service.schedules)]
    if service.schedule_description:
        schedules.append(
            {
                "id": derived_id(service.oruk_id, "schedule_description"),
                "service_id": service_id,
                "description": service.schedule_description,
            }
        )
    costs = [parts.cost_option(c, service_id) for c in ordered(service.cost_options)]
    if service.is_free and not costs:
        costs.append(
            {
                "id": derived_id(service.oruk_id, "free"),
                "service_id": service_id,
                "option": "Free",
                "amount": 0,
                "currency": "GBP",
            }
        )
    contacts = ordered(service.contacts)
    nested = {
        "schedules": schedules,
        "cost_options": costs,
        "contacts": [parts.contact(c, service_id) for c in contacts],
        "phones": [phone for c in contacts for phone in parts.contact_phones(c, service_id)],
        "languages": [parts.language(lang, service_id) for lang in ordered(service.languages)],
        "service_areas": [
            parts.service_area(a, service_id) for a in ordered(service.service_areas)
        ],
        "attributes": _attributes(service, ordered(service.taxonomy_terms)),
    }
    if with_locations:
        nested["service_at_locations"] = [
            serialise_service_at_location(loc, service_id=service_id)
            for loc in ordered(service.locations)
        ]
    data.update(clean(nested))
    return data


def serialise_service_at_location(
    location: ServiceLocation,
    service: JsonDict | None = None,
    service_id: str | None = None,
) -> JsonDict:
    """A ``service_at_location`` with its ``location``; ``service`` is nested when given.

    ``service_id`` (or ``service["id"]``) saves loading ``location.page``.
    """
    if service_id is None:
        service_id = service["id"] if service else str(location.page.oruk_id)
    data = {
        "id": str(location.oruk_id),
        "service_id": service_id,
        "location_id": derived_id(location.oruk_id, "location"),
        "location": parts.location(location),
        "service": service,
    }
    return clean(data)
