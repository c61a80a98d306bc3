"""A realistic published directory for the ORUK API tests, built once per module.

27 services across 3 organisations with every kind of part (locations of each type,
weekly and monthly times, costs, contacts, languages, national / area / radius
coverage, taxonomy terms), plus records that must *not* appear: an unpublished
service, a service under an unpublished organisation, a private (view-restricted)
service.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import PageViewRestriction

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
from tests.factories import OrganisationPageFactory, ServicePageFactory

API = "/api/oruk"
STATUSES = ("active", "active", "active", "temporarily closed", "inactive", "defunct")


@dataclass
class Dataset:
    organisations: list[OrganisationPage] = field(default_factory=list)
    services: list[ServicePage] = field(default_factory=list)
    hidden: list[ServicePage] = field(default_factory=list)
    hidden_organisation: OrganisationPage | None = None
    terms: list[TaxonomyTerm] = field(default_factory=list)

    @property
    def service_ids(self) -> set[str]:
        return {str(s.oruk_id) for s in self.services}


def _areas() -> dict[str, Area]:
    rows = {
        "E06000058": ("Bournemouth, Christchurch and Poole", "upper_tier"),
        "E06000059": ("Dorset", "upper_tier"),
        "E08000025": ("Birmingham", "upper_tier"),
    }
    return {
        code: Area.objects.get_or_create(gss_code=code, defaults={"name": name, "area_type": kind})[
            0
        ]
        for code, (name, kind) in rows.items()
    }


def _extra_taxonomies() -> list[TaxonomyTerm]:
    """The LGA Services List (as UK feeds use for taxonomy_id) and a second vocabulary."""
    lgsl, _ = Taxonomy.objects.get_or_create(
        slug="lga-services-list",
        defaults={
            "name": "LGA Local Government Services List",
            "uri": "http://id.esd.org.uk/list/services",
            "version": "4.0",
        },
    )
    eligibility, _ = Taxonomy.objects.get_or_create(
        slug="open-eligibility", defaults={"name": "Open Eligibility", "description": "Who for"}
    )
    terms = [
        TaxonomyTerm.objects.get_or_create(
            taxonomy=lgsl, code=code, defaults={"name": name, "lga_service_id": code}
        )[0]
        for code, name in (("296", "Day centres"), ("315", "Mobile meals"))
    ]
    carers, _ = TaxonomyTerm.objects.get_or_create(
        taxonomy=eligibility, code="carers", defaults={"name": "Carers"}
    )
    terms.append(carers)
    return terms


def _add_parts(service: ServicePage, n: int, areas: dict[str, Area], terms: list[Any]) -> None:
    """Vary the parts by ``n`` so the data covers every branch of the mapping."""
    if n % 3 == 0:
        service.locations.add(
            ServiceLocation(location_type="virtual", name="Online", url="https://example.org/join")
        )
    if n % 4 == 1:
        service.locations.add(
            ServiceLocation(
                location_type="physical",
                name="St Peter's Church Hall",
                address_1="Hinton Road",
                city="Bournemouth",
                postcode="BH1 2EF",
                latitude=50.7196,
                longitude=-1.8764,
                hearing_loop=True,
                accessibility_description="Step-free entrance from the car park.",
            )
        )
    if n % 5 == 2:
        service.locations.add(
            ServiceLocation(location_type="postal", address_1="PO Box 12", postcode="BH2 5AA")
        )
    service.schedules.add(
        ServiceSchedule(
            freq="MONTHLY",
            byday="1TH",
            opens_at=dt.time(14),
            closes_at=dt.time(16, 30),
            valid_from=dt.date(2025, 1, 1),
            valid_to=dt.date(2026, 12, 31),
            description="First Thursday afternoon",
        )
    )
    if n % 2:
        service.is_free = False
        service.cost_options.add(
            CostOption(option="Two-course lunch", amount=decimal.Decimal("4.50"))
        )
        service.cost_options.add(CostOption(option="Tea", amount_description="Donation"))
    service.contacts.add(
        ServiceContact(
            name="Priya Shah",
            title="Coordinator",
            email=f"priya{n}@example.org",
            phone="07700 900123",
            phone_extension="12" if n % 2 else "",
            phone_type="text",
        )
    )
    service.languages.add(ServiceLanguage(name="English", code="en"))
    if n % 3 == 1:
        service.languages.add(ServiceLanguage(name="Polish", code="pl"))
    coverage = n % 4
    if coverage == 0:
        service.service_areas.add(ServiceAreaCoverage(kind="national"))
    elif coverage == 1:
        service.service_areas.add(ServiceAreaCoverage(kind="area", area=areas["E06000058"]))
    elif coverage == 2:
        service.service_areas.add(
            ServiceAreaCoverage(
                kind="radius",
                latitude=50.7279,
                longitude=-1.8636,
                radius_miles=3,
                description="Within three miles of the Lansdowne",
            )
        )
    # coverage == 3: no service areas, so the service serves anyone
    service.taxonomy_terms.set([terms[n % len(terms)], terms[(n + 3) % len(terms)]])


def _new_service(title: str, **fields: Any) -> ServicePage:
    """An unsaved service with the same parts ``ServicePageFactory`` gives, so more can
    be added before its single publish (publishing twice per page doubles build time)."""
    service = ServicePage(
        title=title,
        slug=slugify(title),
        summary="A friendly lunch club for older people.",
        description="Hot two-course lunch, tea and a chat.",
        is_free=True,
        last_verified_on=dt.date(2025, 10, 28),
        **fields,
    )
    service.locations.add(
        ServiceLocation(
            name="Community Centre",
            address_1="1 High Street",
            city="Bournemouth",
            postcode="BH1 1AA",
            latitude=50.727909,
            longitude=-1.863623,
            wheelchair_accessible=True,
        )
    )
    service.schedules.add(
        ServiceSchedule(freq="WEEKLY", byday="TU", opens_at=dt.time(10), closes_at=dt.time(12))
    )
    service.contacts.add(ServiceContact(name="Jean", phone="01202 123456"))
    return service


def _publish(organisation: OrganisationPage, service: ServicePage) -> ServicePage:
    organisation.add_child(instance=service)  # saves the page and its inline parts
    service.save_revision().publish()
    return ServicePage.objects.get(pk=service.pk)


def build_dataset(n_services: int = 27) -> Dataset:
    data = Dataset()
    areas = _areas()
    seeded = TaxonomyTerm.objects.select_related("taxonomy").order_by("pk")[:12]
    data.terms = [*seeded, *_extra_taxonomies()]
    for i, title in enumerate(
        ("Poole Good Neighbours", "Christchurch Friendship Circle", "Age Concern Bournemouth")
    ):
        org = OrganisationPageFactory(
            title=title,
            email=f"hello{i}@example.org",
            website=f"https://org{i}.example.org",
            phone="01202 555000" if i != 1 else "",
            charity_number=f"11{i}2345" if i != 2 else "",
        )
        data.organisations.append(org)
    for n in range(n_services):
        service = _new_service(
            f"{('Lunch club', 'Coffee morning', 'Walking group')[n % 3]} {n}",
            status=STATUSES[n % len(STATUSES)],
            website=f"https://example.org/services/{n}" if n % 2 else "",
            minimum_age=60 if n % 3 == 0 else None,
            eligibility_description="Older people and carers" if n % 2 else "",
            schedule_description="Not in August" if n % 4 == 0 else "",
        )
        _add_parts(service, n, areas, data.terms)
        data.services.append(_publish(data.organisations[n % 3], service))
    # Birmingham-only service: a BH postcode must not find it.
    service = _new_service("Birmingham carers café")
    service.service_areas.add(ServiceAreaCoverage(kind="area", area=areas["E08000025"]))
    data.services.append(_publish(data.organisations[0], service))

    draft = ServicePageFactory(parent=data.organisations[0], title="Never published club")
    draft.unpublish()
    private = ServicePageFactory(parent=data.organisations[1], title="Members-only club")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    data.hidden_organisation = OrganisationPageFactory(title="Unpublished organisation")
    orphan = ServicePageFactory(parent=data.hidden_organisation, title="Service of a draft org")
    data.hidden_organisation.unpublish()
    data.hidden = [draft, private, orphan]
    return data


@pytest.fixture(scope="module")
def oruk_dataset(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Dataset]:
    """The dataset, created once per module inside a transaction rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_dataset()
        transaction.set_rollback(True)


@pytest.fixture
def dataset(oruk_dataset: Dataset, db: None) -> Dataset:
    """The module's dataset, for a test that also has (savepoint-isolated) DB access."""
    return oruk_dataset
