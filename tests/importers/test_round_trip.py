"""Export (ORUK ndjson) → import into an empty directory → export again: the same content.

Only ``last_modified`` may differ: it is when the page was last published, and the
import publishes afresh. Every id matches, because the importer keeps ORUK UUIDs as
``oruk_id``s and the derived ids are recomputed from them. The order of a service's
``attributes`` is normalised: categories are a set, listed by the receiving
database's own term order.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from directory.models import (
    Area,
    CostOption,
    OrganisationPage,
    ServiceAreaCoverage,
    ServiceContact,
    ServiceLanguage,
    ServiceLocation,
    ServicePage,
    ServiceSchedule,
    Taxonomy,
    TaxonomyTerm,
)
from directory.oruk.exports import ndjson_export
from importers.sources.oruk import import_oruk
from tests.factories import OrganisationPageFactory, ServicePageFactory


def build_directory() -> None:
    org = OrganisationPageFactory(
        title="Poole Good Neighbours",
        charity_number="1234567",
        phone="01202 000000",
        email="hello@example.org",
        website="https://example.org",
    )
    bcp = Area.objects.create(
        gss_code="E06000058",
        name="Bournemouth, Christchurch and Poole",
        area_type="local_authority",
    )
    terms = {
        t.code: t
        for t in TaxonomyTerm.objects.filter(
            code__in=["lunch-clubs", "social-groups", "warm-spaces"]
        )
    }

    lunch = ServicePageFactory(
        parent=org, title="Tuesday Lunch Club", is_free=False, minimum_age=60
    )
    lunch.fees_description = "£3.50 a meal"
    lunch.schedule_description = "Closed in August"
    lunch.eligibility_description = "Older people"
    lunch.locations.add(
        ServiceLocation(location_type="virtual", name="Online", url="https://example.org/join")
    )
    loc = lunch.locations.first()
    loc.hearing_loop = True
    loc.accessibility_description = "Ramp at the side door"
    lunch.cost_options.add(
        CostOption(option="Lunch", amount=Decimal("3.50"), amount_description="two courses")
    )
    lunch.contacts.add(
        ServiceContact(
            name="Sam",
            title="Organiser",
            email="sam@example.org",
            phone="07700 900000",
            phone_extension="12",
            phone_type="text",
        )
    )
    lunch.languages.add(ServiceLanguage(name="Polish", code="pl"))
    lunch.schedules.add(
        ServiceSchedule(
            freq="MONTHLY",
            byday="1FR",
            opens_at=dt.time(18, 30),
            closes_at=dt.time(20),
            valid_from=dt.date(2025, 1, 1),
            description="First Friday supper",
        )
    )
    lunch.service_areas.add(ServiceAreaCoverage(kind="area", area=bcp, description="BCP residents"))
    lunch.service_areas.add(
        ServiceAreaCoverage(kind="radius", latitude=50.72, longitude=-1.88, radius_miles=3)
    )
    lunch.taxonomy_terms.set([terms["lunch-clubs"], terms["warm-spaces"]])
    lunch.save()
    lunch.save_revision().publish()

    cafe = ServicePageFactory(parent=org, title="Community Café", is_free=True, summary="")
    cafe.service_areas.add(ServiceAreaCoverage(kind="national"))
    cafe.taxonomy_terms.set([terms["social-groups"]])
    cafe.status = "temporarily closed"
    cafe.save()
    cafe.save_revision().publish()

    other = OrganisationPageFactory(title="Christchurch Friendship Circle")
    ServicePageFactory(parent=other, title="Coffee Morning", description="Coffee & cake, 3 < 4.")


def empty_directory() -> None:
    """Remove every listing, organisation, category and area: an empty directory."""
    for org in OrganisationPage.objects.all():
        org.delete()
    assert not ServicePage.objects.exists()
    while TaxonomyTerm.objects.exists():
        TaxonomyTerm.objects.filter(children__isnull=True).delete()
    Taxonomy.objects.all().delete()
    Area.objects.all().delete()


def normalised(lines: list[str]) -> list[dict[str, Any]]:
    services = []
    for line in lines:
        data = json.loads(line)
        data.pop("last_modified")  # regenerated: when this directory published it
        data["attributes"] = sorted(data.get("attributes", []), key=lambda a: a["id"])
        services.append(data)
    return services


@pytest.mark.django_db
def test_export_import_export_gives_the_same_content(tmp_path: Path) -> None:
    build_directory()
    first = list(ndjson_export())
    assert len(first) == 3
    feed = tmp_path / "export.ndjson"
    feed.write_text("".join(first), encoding="utf-8")

    empty_directory()
    report = import_oruk(feed)
    assert (report.created, report.skipped) == (3, 0), report.summary()

    second = list(ndjson_export())
    assert normalised(second) == normalised(first)
    # Not only equal content: the very same ORUK ids.
    assert [json.loads(line)["id"] for line in second] == [json.loads(line)["id"] for line in first]

    # Importing the export again is a no-op.
    again = import_oruk(feed)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
