"""factory_boy factories for the directory's pages and their parts.

A service's inline parts (locations, schedules, costs, contacts) have their own
factories, usable two ways:

* inline, before the service's single publish:
  ``ServicePageFactory(locations=[ServiceLocationFactory.build(postcode="BH15 1SZ")])``
  (or keyword dicts: ``locations=[{"postcode": "BH15 1SZ"}]``); a part not given
  keeps the default (one venue, one weekly time, one phone; no cost);
* on their own, for an existing page: ``ServiceLocationFactory(page=service)`` saves
  the row (publish the page again for its live revision to carry it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cms.home.models import HomePage
from directory.models import (
    CostOption,
    OrganisationPage,
    ServiceContact,
    ServiceLocation,
    ServicePage,
    ServiceSchedule,
)
from directory.permissions import ensure_organisation_editors


def home_page() -> HomePage:
    page = HomePage.objects.first()
    assert page is not None, "the home page is created by migration"
    return page


class OrganisationPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = OrganisationPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Community Organisation {n}")
    description = "A local charity."
    parent = factory.LazyFunction(home_page)

    @factory.post_generation
    def editors(obj: OrganisationPage, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            ensure_organisation_editors(obj)
            obj.save_revision().publish()


class ServiceLocationFactory(factory.django.DjangoModelFactory):
    """A venue at BH1 1AA (Bournemouth town centre)."""

    class Meta:
        model = ServiceLocation

    name = "Community Centre"
    address_1 = "1 High Street"
    city = "Bournemouth"
    postcode = "BH1 1AA"
    latitude = 50.727909
    longitude = -1.863623
    wheelchair_accessible = True


class ServiceScheduleFactory(factory.django.DjangoModelFactory):
    """Tuesdays, 10:00 to 12:00."""

    class Meta:
        model = ServiceSchedule

    freq = "WEEKLY"
    byday = "TU"
    opens_at = dt.time(10)
    closes_at = dt.time(12)


class CostOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostOption

    option = "Two-course lunch"
    amount = Decimal("4.50")


class ServiceContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceContact

    name = "Jean"
    phone = "01202 123456"


def _parts(
    factory_class: type[factory.django.DjangoModelFactory[Any]], given: Any, default: int
) -> list[Any]:
    """Unsaved parts for a page: ``given`` instances or keyword dicts, else ``default``
    built with the factory's defaults."""
    if given is None:
        return [factory_class.build() for _ in range(default)]
    return [item if not isinstance(item, dict) else factory_class.build(**item) for item in given]


class ServicePageFactory(wagtail_factories.PageFactory):
    """A published service with its parts (see the module docstring to choose them)."""

    class Meta:
        model = ServicePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Lunch club {n}")
    summary = "A friendly lunch club for older people."
    description = "Hot two-course lunch, tea and a chat."
    is_free = True
    last_verified_on = dt.date(2025, 10, 28)
    parent = factory.SubFactory(OrganisationPageFactory)

    # Post-generation steps run in this order: the parts, then one publish.
    @factory.post_generation
    def locations(obj: ServicePage, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.locations.add(*_parts(ServiceLocationFactory, extracted, 1))

    @factory.post_generation
    def schedules(obj: ServicePage, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.schedules.add(*_parts(ServiceScheduleFactory, extracted, 1))

    @factory.post_generation
    def cost_options(obj: ServicePage, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.cost_options.add(*_parts(CostOptionFactory, extracted, 0))

    @factory.post_generation
    def contacts(obj: ServicePage, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.contacts.add(*_parts(ServiceContactFactory, extracted, 1))

    @factory.post_generation
    def publish(obj: ServicePage, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()  # give the inline parts primary keys before the revision captures them
            obj.save_revision().publish()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def groups(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        obj.set_password("correct horse battery")
        obj.save()
        for name in extracted or []:
            obj.groups.add(Group.objects.get(name=name))
