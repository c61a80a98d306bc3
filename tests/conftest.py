"""Shared fixtures: real databases (SQLite or PostgreSQL), real pages, real groups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings

from cms.workflows.roles import Role
from directory.models import OrganisationPage, ServicePage
from directory.permissions import add_user_to_organisation
from tests.factories import OrganisationPageFactory, ServicePageFactory, UserFactory


@pytest.fixture(scope="session")
def shared_data() -> Any:
    """The real public data beside the repository; tests needing it skip without it."""
    path = settings.DIRECTORY_SHARED_DATA
    if not (path / "listings" / "warm_spaces_bh.csv").exists():
        pytest.skip(f"shared data not found at {path}")
    return path


@pytest.fixture(scope="session")
def gazetteer_store(shared_data: Any) -> Any:
    """Build the postcode store once (a no-op when `make` already built it)."""
    from geography.gazetteer import reset_gazetteer
    from geography.gazetteer.build import build_gazetteer

    build_gazetteer(settings.GAZETTEER_DIR, shared_data)
    reset_gazetteer()
    return settings.GAZETTEER_DIR


@pytest.fixture
def organisation(db: None) -> OrganisationPage:
    return OrganisationPageFactory(title="Poole Good Neighbours")


@pytest.fixture
def other_organisation(db: None) -> OrganisationPage:
    return OrganisationPageFactory(title="Christchurch Friendship Circle")


@pytest.fixture
def service(organisation: OrganisationPage) -> ServicePage:
    return ServicePageFactory(parent=organisation, title="Tuesday Lunch Club")


@pytest.fixture
def indexed_service(
    organisation: OrganisationPage, django_capture_on_commit_callbacks: Any
) -> ServicePage:
    """A published service whose after-commit index update has run, as in production."""
    with django_capture_on_commit_callbacks(execute=True):
        return ServicePageFactory(parent=organisation, title="Tuesday Lunch Club")


@pytest.fixture
def other_service(other_organisation: OrganisationPage) -> ServicePage:
    return ServicePageFactory(parent=other_organisation, title="Friendship Coffee Morning")


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """make_user(Role.X, organisation=None) -> a user in that role's group."""

    def make(role: Role, organisation: OrganisationPage | None = None) -> Any:
        user = UserFactory(username=f"{role.name.lower()}-{organisation.pk if organisation else 0}")
        user.groups.add(*_groups(role))
        if organisation is not None:
            add_user_to_organisation(user, organisation)
        return user

    return make


def _groups(role: Role) -> list[Any]:
    from django.contrib.auth.models import Group

    return [Group.objects.get(name=role.value)]
