"""Fixtures for the what-matters recommender: isolated artefacts, listings, answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from directory.models import (
    ServiceLocation,
    ServicePage,
    ServiceSchedule,
    TaxonomyTerm,
)
from geography.gazetteer import ResolvedLocation
from recommender import artefacts as artefact_module
from recommender import reranker as reranker_module
from recommender.features import IN_PERSON, ListingRecord, make_record
from recommender.flow import SESSION_KEY
from tests.factories import OrganisationPageFactory

BH1 = (50.727909, -1.863623)  # BH1 1AA


@pytest.fixture(autouse=True)
def isolated_var_dir(settings: Any, tmp_path: Any) -> Any:
    """Each test builds its own artefacts: never read or write the developer's var/."""
    settings.VAR_DIR = tmp_path
    artefact_module._cache.clear()
    reranker_module._cache.clear()
    return tmp_path


@pytest.fixture
def fake_location(monkeypatch: Any) -> Callable[..., None]:
    """Make the gazetteer resolve any text to BH1 1AA (or to what the test says)."""

    def install(result: Any = None) -> None:
        found = result or ResolvedLocation(
            kind="postcode",
            label="BH1 1AA",
            lat=BH1[0],
            lon=BH1[1],
            postcode="BH1 1AA",
            lad_code="E06000058",
            upper_tier_code="E06000058",
        )
        monkeypatch.setattr("geography.gazetteer.resolve_location", lambda text: found)

    install()
    return install


def miles_north(miles: float) -> tuple[float, float]:
    return (BH1[0] + miles / 69.0, BH1[1])


@pytest.fixture
def make_listing(db: None) -> Callable[..., ServicePage]:
    """make_listing(title, ...) -> a published ServicePage with one venue and times."""
    organisation = OrganisationPageFactory(title="Test organisation")

    def make(
        title: str,
        description: str = "",
        *,
        miles: float = 0.5,
        is_free: bool = True,
        byday: str | None = "TU",
        opens: dt.time = dt.time(10),
        closes: dt.time = dt.time(12),
        wheelchair: bool = False,
        terms: tuple[str, ...] = (),
        in_person: bool = True,
        phone: bool = False,
        minimum_age: int | None = None,
    ) -> ServicePage:
        lat, lon = miles_north(miles)
        page = ServicePage(
            title=title,
            summary=description[:200],
            description=description,
            is_free=is_free,
            offers_in_person=in_person,
            offers_by_phone=phone,
            minimum_age=minimum_age,
        )
        organisation.add_child(instance=page)
        page.locations.add(
            ServiceLocation(
                name="Hall", postcode="BH1 1AA", latitude=lat, longitude=lon,
                wheelchair_accessible=wheelchair,
            )
        )  # fmt: skip
        if byday is not None:
            page.schedules.add(
                ServiceSchedule(freq="WEEKLY", byday=byday, opens_at=opens, closes_at=closes)
            )
        page.taxonomy_terms.set(TaxonomyTerm.objects.filter(code__in=terms))
        page.save()
        page.save_revision().publish()
        return page

    return make


def record(
    listing_id: int,
    title: str,
    text: str = "",
    *,
    miles: float = 0.5,
    is_free: bool = True,
    days: str | None = "TU",
    terms: tuple[str, ...] = (),
    modes: int = IN_PERSON,
    access: dict[str, bool] | None = None,
    min_age: int | None = None,
) -> ListingRecord:
    """An in-memory listing record, for fast scorer tests with no database."""
    from recommender.features import _Schedule

    schedules = [_Schedule(byday=days, opens_at=dt.time(10), closes_at=dt.time(12))] if days else []
    return make_record(
        listing_id=listing_id,
        title=title,
        texts=[text],
        term_codes=terms,
        point=miles_north(miles),
        postcode=f"BH1 {listing_id}AA",
        is_free=is_free,
        ages=(min_age, None),
        modes=modes,
        access_flags=access or {},
        schedules=schedules,
    )


def complete_answers(**overrides: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "who": "me",
        "location": {
            "text": "BH1 1AA",
            "label": "BH1 1AA",
            "lat": BH1[0],
            "lon": BH1[1],
            "area_codes": ["E06000058", "K02000001"],
        },
        "age": "65-79",
        "needs": ["meet-people"],
        "interests": [],
        "interest_text": "",
        "modes": ["in_person"],
        "distance": "3",
        "days": [],
        "times": [],
        "cost": "any",
        "access": ["none"],
    }
    answers.update(overrides)
    return answers


@pytest.fixture
def answer(client: Any) -> Callable[..., dict[str, Any]]:
    """Put complete answers in the test client's session."""

    def put(**overrides: Any) -> dict[str, Any]:
        answers = complete_answers(**overrides)
        session = client.session
        session[SESSION_KEY] = answers
        session.save()
        return answers

    return put
