"""Fixtures for the search contract tests: backends, locations and real published pages.

Pages are created and published through Wagtail inside ``committed()`` (from
tests/conftest.py: ``django_capture_on_commit_callbacks(execute=True)``), so the real signal →
on_commit → Celery (eager) → backend path indexes them, exactly as in production.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from directory.models import (
    Area,
    AreaType,
    OrganisationPage,
    ServiceAreaCoverage,
    ServiceLocation,
    ServicePage,
    ServiceSchedule,
    TaxonomyTerm,
)
from geography.gazetteer import ResolvedLocation
from search.backends import base as backends_base
from search.backends import get_search_backend
from tests.factories import OrganisationPageFactory

BCP = "E06000058"  # Bournemouth, Christchurch and Poole
#: BH1 1AA, as the gazetteer resolves it (built directly so most tests need no store).
BH1 = ResolvedLocation(
    kind="postcode",
    label="BH1 1AA",
    lat=50.727909,
    lon=-1.863623,
    postcode="BH1 1AA",
    lad_code=BCP,
    lad_name="Bournemouth, Christchurch and Poole",
    upper_tier_code=BCP,
    upper_tier_name="Bournemouth, Christchurch and Poole",
)

BACKENDS = ["database", "elasticsearch"]
_RUN_ID = uuid.uuid4().hex[:8]


def miles_north(miles: float) -> tuple[float, float]:
    """A point ``miles`` due north of BH1 1AA (1 degree of latitude ≈ 69.05 miles)."""
    return BH1.lat + miles / 69.05, BH1.lon


@pytest.fixture(params=BACKENDS)
def search_backend(request: pytest.FixtureRequest, settings: Any, db: None) -> Iterator[Any]:
    """Each backend in turn, selected through settings so signals and tasks use it.

    Elasticsearch runs only when ELASTICSEARCH_URL is set, in indices prefixed
    uniquely for this test run, deleted afterwards.
    """
    name = request.param
    if name == "elasticsearch":
        url = os.environ.get("ELASTICSEARCH_URL", "")
        if not url:
            pytest.skip("ELASTICSEARCH_URL not set")
        settings.ELASTICSEARCH_URL = url
        settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{_RUN_ID}"
    settings.DIRECTORY_SEARCH_BACKEND = name
    backend = get_search_backend()
    backend.rebuild()  # start empty (the database rolls back; Elasticsearch does not)
    yield backend
    if name == "elasticsearch":
        backend.delete_all()  # type: ignore[attr-defined]


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    """Set the backends' idea of "now" (Europe/London) for open-now tests."""

    def freeze(moment: dt.datetime) -> None:
        monkeypatch.setattr(backends_base, "local_now", lambda: moment)

    return freeze


@pytest.fixture
def org(db: None, committed: Callable[[], AbstractContextManager[Any]]) -> OrganisationPage:
    with committed():
        return OrganisationPageFactory(title="Bournemouth Community Trust")


@pytest.fixture
def bcp_area(db: None) -> Area:
    area, _ = Area.objects.get_or_create(
        gss_code=BCP,
        defaults={"name": "Bournemouth, Christchurch and Poole", "area_type": AreaType.UPPER_TIER},
    )
    return area


@pytest.fixture
def make_listing(
    org: OrganisationPage, committed: Callable[[], AbstractContextManager[Any]]
) -> Callable[..., ServicePage]:
    """make_listing(title, venue=(lat, lon) | None, schedules=[...], coverage=[...],
    terms=[codes], venue_features={...}, publish=True, organisation=org,
    **page fields) -> ServicePage.

    ``schedules`` items are (byday, opens, closes) tuples; ``coverage`` items are
    ServiceAreaCoverage keyword dicts.
    """

    def make(
        title: str,
        *,
        venue: tuple[float, float] | None = (BH1.lat, BH1.lon),
        schedules: list[tuple[str, dt.time, dt.time]] | None = None,
        coverage: list[dict[str, Any]] | None = None,
        terms: list[str] | None = None,
        venue_features: dict[str, bool] | None = None,
        publish: bool = True,
        organisation: OrganisationPage | None = None,
        **fields: Any,
    ) -> ServicePage:
        fields.setdefault("summary", "")
        fields.setdefault("description", "")
        fields.setdefault("last_verified_on", dt.date(2025, 10, 1))
        # A never-published page is not live; add_child alone would make it live.
        page = ServicePage(title=title, live=publish, **fields)
        with committed():
            (organisation or org).add_child(instance=page)
            if venue is not None:
                page.locations.add(
                    ServiceLocation(
                        name=f"{title} venue",
                        postcode="BH1 1AA",
                        latitude=venue[0],
                        longitude=venue[1],
                        **(venue_features or {}),
                    )
                )
            for byday, opens, closes in schedules or []:
                page.schedules.add(ServiceSchedule(byday=byday, opens_at=opens, closes_at=closes))
            for item in coverage or []:
                page.service_areas.add(ServiceAreaCoverage(**item))
            if terms:
                page.taxonomy_terms.set(list(TaxonomyTerm.objects.filter(code__in=terms)))
            page.save()
            if publish:
                page.save_revision().publish()
        return page

    return make


def ids(results: Any) -> list[int]:
    return [hit.page_id for hit in results.hits]
