"""Fixtures for resource lists and the signposting console (shared by tests/signposting)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from cms.workflows.roles import Role
from directory.models import CostOption, ServiceContact, ServiceLocation, ServicePage
from tests.factories import OrganisationPageFactory, ServicePageFactory, UserFactory


@pytest.fixture
def lac(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.LOCAL_AREA_COORDINATOR)


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.CONTACT_OFFICER)


@pytest.fixture
def second_officer(db: None) -> Any:
    user = UserFactory(username="second-officer")
    user.groups.add(Group.objects.get(name=Role.CONTACT_OFFICER.value))
    return user


@pytest.fixture
def moderator(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.COUNCIL_MODERATOR)


@pytest.fixture
def lac_client(lac: Any) -> Client:
    client = Client()
    client.force_login(lac)
    return client


@pytest.fixture
def officer_client(officer: Any) -> Client:
    client = Client()
    client.force_login(officer)
    return client


def make_service(parent: Any, title: str, **fields: Any) -> ServicePage:
    return ServicePageFactory(parent=parent, title=title, **fields)


@pytest.fixture
def listings(db: None) -> list[ServicePage]:
    """Three listings in BCP with distinct words, venues and costs."""
    org = OrganisationPageFactory(title="Poole Carers Network")
    carers = make_service(
        org,
        "Carers Support Café",
        summary="Support and a cuppa for unpaid carers.",
        description="Peer support for carers in Poole.",
        last_verified_on=dt.date(2025, 11, 3),
    )
    # Move the venue to Poole so distances differ from the other listings.
    carers.locations.all().delete()
    carers.locations.add(
        ServiceLocation(
            name="Poole Methodist Church",
            address_1="Old Orchard",
            city="Poole",
            postcode="BH15 1SZ",
            latitude=50.7128,
            longitude=-1.9847,
        )
    )
    carers.cost_options.add(CostOption(option="Tea and cake", amount=2))
    carers.contacts.all().delete()
    carers.contacts.add(ServiceContact(name="Jean", phone="01202 555 010"))
    carers.is_free = False
    carers.save()
    carers.save_revision().publish()
    lunch = make_service(org, "Boscombe Lunch Club", summary="Two-course lunch on Tuesdays.")
    walk = make_service(org, "Canford Walking Group", summary="Gentle walks for all abilities.")
    pages = [ServicePage.objects.get(pk=p.pk) for p in (carers, lunch, walk)]
    index_for_search([p.pk for p in pages])
    return pages


def index_for_search(page_ids: list[int]) -> None:
    """Index pages in the search backend (publishing only does it on commit)."""
    try:
        from search.backends import get_search_backend
    except ImportError:  # the console falls back to a simple query without it
        return
    get_search_backend().index_pages(page_ids)


def zbar_decode(png: Path) -> list[str]:
    """Decode every QR code in a PNG with zbarimg (Debian zbar-tools)."""
    exe = shutil.which("zbarimg")
    if exe is None:
        pytest.skip("zbarimg (Debian package zbar-tools) is not installed")
    result = subprocess.run(
        [exe, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in result.stdout.splitlines() if line]
