"""Shared fixtures: real databases (SQLite or PostgreSQL), real pages, real groups.

Getting listings into the search index: publish them inside ``committed()``, which
runs the after-commit work a real publish triggers, or, for pages that already
exist, call ``index_listings(*pages)``, which announces them the way a publish does.
Either way the index is written by the production path, never by a test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client

from cms.workflows.roles import Role
from directory.events import send_listings_changed
from directory.models import OrganisationPage, ServicePage
from directory.permissions import add_user_to_organisation
from tests.factories import (
    CostOptionFactory,
    OrganisationPageFactory,
    ServiceContactFactory,
    ServiceLocationFactory,
    ServicePageFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: rate-limit counters must not carry over."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _search_snapshot_files(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The search snapshot's shared files in a temporary folder, never in var/."""
    settings.SEARCH_SNAPSHOT_DIR = str(tmp_path_factory.mktemp("search-snapshot"))


@pytest.fixture(autouse=True)
def _fresh_review_policy() -> None:
    """The review policy is cached per process; a rolled-back setting must not carry over."""
    from directory.reviews import forget_policy

    forget_policy()


#: The council the tests' pages, places and postcodes belong to, as `make run` sets it up.
TEST_COUNCIL = {
    "council_name": "Bournemouth, Christchurch and Poole Council",
    "contact_phone": "01202 123 000",
    "area_code": "E06000058",
    "home_place": "Bournemouth",
    "example_postcode": "BH1 1AA",
    "example_place": "Christchurch",
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database's site serves the BH council, as `setup_council` would leave it."""
    from wagtail.models import Site

    from cms.home.models import SiteBranding

    with django_db_blocker.unblock():
        site = Site.objects.get(is_default_site=True)
        SiteBranding.objects.update_or_create(site=site, defaults=TEST_COUNCIL)


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
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """``with committed(): ...`` runs the on_commit callbacks (index tasks) at exit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def index_listings(
    committed: Callable[[], AbstractContextManager[Any]],
) -> Callable[..., None]:
    """index_listings(*pages or ids): index existing listings as if just published."""

    def index(*pages: ServicePage | int) -> None:
        with committed():
            send_listings_changed(ServicePage, [getattr(p, "pk", p) for p in pages])

    return index


@pytest.fixture
def indexed_service(
    organisation: OrganisationPage, committed: Callable[[], AbstractContextManager[Any]]
) -> ServicePage:
    """A published service whose after-commit index update has run, as in production."""
    with committed():
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
    return [Group.objects.get(name=role.value)]


# --- staff of the signposting feature (resource lists and the console) -------------


@pytest.fixture
def lac(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.LOCAL_AREA_COORDINATOR)


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.CONTACT_OFFICER)


@pytest.fixture
def second_officer(db: None) -> Any:
    user = UserFactory(username="second-officer")
    user.groups.add(*_groups(Role.CONTACT_OFFICER))
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


@pytest.fixture
def listings(db: None, index_listings: Callable[..., None]) -> list[ServicePage]:
    """Three indexed listings in BCP with distinct words, venues and costs."""
    org = OrganisationPageFactory(title="Poole Carers Network")
    carers = ServicePageFactory(
        parent=org,
        title="Carers Support Café",
        summary="Support and a cuppa for unpaid carers.",
        description="Peer support for carers in Poole.",
        last_verified_on=dt.date(2025, 11, 3),
        is_free=False,
        # In Poole, so distances differ from the other listings.
        locations=[
            ServiceLocationFactory.build(
                name="Poole Methodist Church",
                address_1="Old Orchard",
                city="Poole",
                postcode="BH15 1SZ",
                latitude=50.7128,
                longitude=-1.9847,
                wheelchair_accessible=False,
            )
        ],
        cost_options=[CostOptionFactory.build(option="Tea and cake", amount=2)],
        contacts=[ServiceContactFactory.build(name="Jean", phone="01202 555 010")],
    )
    lunch = ServicePageFactory(
        parent=org, title="Boscombe Lunch Club", summary="Two-course lunch on Tuesdays."
    )
    walk = ServicePageFactory(
        parent=org, title="Canford Walking Group", summary="Gentle walks for all abilities."
    )
    pages = [ServicePage.objects.get(pk=p.pk) for p in (carers, lunch, walk)]
    index_listings(*pages)
    return pages


# --- a real Celery broker (tests/brokers.py) ----------------------------------------


@pytest.fixture
def broker(request: Any) -> Any:
    """Point Celery at a real broker URL (not eager) for one test, then restore it."""
    from cms.celery import app as celery_app
    from tests.brokers import reset_connection_pools

    url = request.param
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    reset_connection_pools()
    try:
        yield url
    finally:
        celery_app.conf.update(saved)
        reset_connection_pools()


@pytest.fixture
def redis_client() -> Any:
    """A client of the test Redis database, emptied before and after; skips without Redis."""
    from tests.brokers import REDIS_TEST_URL

    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (make services starts it)")
    client.flushdb()
    yield client
    client.flushdb()
