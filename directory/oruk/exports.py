"""Whole-directory exports: ORUK ndjson (one full service a line) and a flat CSV.

Both stream: services are read in pk order, a chunk at a time with their parts
prefetched (``pagination.iterate_in_chunks``), so memory stays flat however many
listings there are. ``manage.py export_oruk`` writes the same bytes to a file.

CSV columns (one row per published service)
-------------------------------------------
id                    service oruk_id (the ORUK service id)
name                  service title
organization_id       organisation oruk_id
organization_name     organisation title
status                active / inactive / defunct / temporarily closed
summary, description  as entered
url, email            the service's website and email
phones                every contact phone, "; "-separated
is_free               "yes" or "no"
costs                 each cost option as "option: £amount (description)", "; "-separated
fees_description      free-text charges
minimum_age, maximum_age, eligibility_description
schedule              each regular time in words ("Every Tuesday, 10am to midday"), "; "
schedule_description  irregular times in words
location_name, address_1, city, postcode, latitude, longitude
                      the first physical location (blank when there is none)
other_locations       every further location on one line each, " | "-separated
accessibility         the first physical location's accessibility features, "; "
taxonomy_terms        category names, "; "-separated
lga_service_ids       the LGA Services List ids of those categories, "; "-separated
languages             "; "-separated
service_areas         "; "-separated, as shown on the public page
assured_date          last checked on (YYYY-MM-DD)
last_modified         last published (ISO 8601, UTC)
web_url               the public page, on DIRECTORY_BASE_URL's host

Cells that a spreadsheet would run as a formula (starting ``=``, ``@``, or ``+``/``-``
followed by something other than a number) are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from directory.models import ServicePage
from directory.models.listings import organisation_path
from directory.site import absolute_url

from . import queries
from .pagination import iterate_in_chunks, ndjson_lines
from .parts import ordered, timestamp

CSV_COLUMNS = (
    "id",
    "name",
    "organization_id",
    "organization_name",
    "status",
    "summary",
    "description",
    "url",
    "email",
    "phones",
    "is_free",
    "costs",
    "fees_description",
    "minimum_age",
    "maximum_age",
    "eligibility_description",
    "schedule",
    "schedule_description",
    "location_name",
    "address_1",
    "city",
    "postcode",
    "latitude",
    "longitude",
    "other_locations",
    "accessibility",
    "taxonomy_terms",
    "lga_service_ids",
    "languages",
    "service_areas",
    "assured_date",
    "last_modified",
    "web_url",
)
_NUMBER = re.compile(r"^[+-][\d\s().]*$")


def full_services_queryset() -> QuerySet[ServicePage]:
    return queries.published_services().prefetch_related(*queries.SERVICE_PREFETCH)


def ndjson_export() -> Iterator[str]:
    """Every published service in the ``/services/{id}`` shape, one per line."""
    return ndjson_lines(full_services_queryset(), queries.services_full)


def safe_cell(value: Any) -> str:
    """Text for a cell, defused against spreadsheet formula injection."""
    text = "" if value is None else str(value)
    first = text[:1]
    if first in ("=", "@", "\t", "\r") or (first in ("+", "-") and not _NUMBER.match(text)):
        return "'" + text
    return text


def _row(service: ServicePage, organisation: Any) -> list[str]:
    locations = list(ordered(service.locations))
    physical = [loc for loc in locations if loc.location_type == "physical"]
    first = physical[0] if physical else None
    others = [loc for loc in locations if loc is not first]
    terms = list(ordered(service.taxonomy_terms))
    costs = [str(cost) for cost in ordered(service.cost_options)]
    values: dict[str, Any] = {
        "id": service.oruk_id,
        "name": service.title,
        "organization_id": organisation.oruk_id if organisation else "",
        "organization_name": organisation.title if organisation else "",
        "status": service.status,
        "summary": service.summary,
        "description": service.description,
        "url": service.website,
        "email": service.email,
        "phones": "; ".join(c.phone for c in ordered(service.contacts) if c.phone),
        "is_free": "yes" if service.is_free else "no",
        "costs": "; ".join(costs),
        "fees_description": service.fees_description,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "eligibility_description": service.eligibility_description,
        "schedule": "; ".join(s.describe() for s in ordered(service.schedules)),
        "schedule_description": service.schedule_description,
        "location_name": first.name if first else "",
        "address_1": first.address_1 if first else "",
        "city": first.city if first else "",
        "postcode": first.postcode if first else "",
        "latitude": first.latitude if first else "",
        "longitude": first.longitude if first else "",
        "other_locations": " | ".join(str(loc) for loc in others),
        "accessibility": "; ".join(first.accessibility_features) if first else "",
        "taxonomy_terms": "; ".join(term.name for term in terms),
        "lga_service_ids": "; ".join(t.lga_service_id for t in terms if t.lga_service_id),
        "languages": "; ".join(lang.name for lang in ordered(service.languages)),
        "service_areas": "; ".join(str(area) for area in ordered(service.service_areas)),
        "assured_date": service.last_verified_on.isoformat() if service.last_verified_on else "",
        "last_modified": timestamp(service.last_published_at),
        "web_url": absolute_url(service),
    }
    return [safe_cell(values[column]) for column in CSV_COLUMNS]


def csv_lines() -> Iterator[str]:
    """The CSV export, a header line then one line per published service."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for services in iterate_in_chunks(full_services_queryset()):
        by_path = queries.organisations_by_path(services)
        for service in services:
            writer.writerow(_row(service, by_path.get(organisation_path(service))))
        yield flush()
