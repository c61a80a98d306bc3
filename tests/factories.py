"""factory_boy factories for the directory's pages and their parts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cms.home.models import HomePage
from directory.models import (
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


class ServicePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ServicePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Lunch club {n}")
    summary = "A friendly lunch club for older people."
    description = "Hot two-course lunch, tea and a chat."
    is_free = True
    last_verified_on = dt.date(2025, 10, 28)
    parent = factory.SubFactory(OrganisationPageFactory)

    @factory.post_generation
    def parts(obj: ServicePage, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Give each service a venue, a weekly time and a phone, then publish it."""
        if not create:
            return
        obj.locations.add(
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
        obj.schedules.add(
            ServiceSchedule(freq="WEEKLY", byday="TU", opens_at=dt.time(10), closes_at=dt.time(12))
        )
        obj.contacts.add(ServiceContact(name="Jean", phone="01202 123456"))
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
