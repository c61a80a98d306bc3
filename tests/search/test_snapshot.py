"""The database backend's in-memory snapshot against the SQL it stands in for.

The snapshot filters, measures and scores listings in Python; PostgreSQL still
filters in SQL (``postgres.filtered_queryset``). These tests pin the two to the same
answers on generated listings, and check the snapshot follows every index write.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from geography.distance import haversine_miles
from geography.gazetteer import ResolvedLocation
from search.backends import get_search_backend
from search.backends.database import postgres, snapshot
from search.documents import ListingDocument, RadiusCoverage, Slot, Venue
from search.query import SearchFilters, SearchQuery

from .conftest import BCP, BH1

FEATURES = ("wheelchair", "hearing_loop", "accessible_toilet", "parking")
CODES = ("social-groups", "lunch-clubs", "befriending", "food-banks")


def generated_documents(count: int, seed: int = 4) -> list[ListingDocument]:
    r = random.Random(seed)
    docs = []
    for n in range(1, count + 1):
        lat, lon = BH1.lat + r.uniform(-0.2, 0.2), BH1.lon + r.uniform(-0.3, 0.3)
        kind = r.random()
        day = r.randrange(7)
        docs.append(
            ListingDocument(
                page_id=n,
                title=r.choice(["Lunch club", "Warm space", "Coffee morning", "Men's shed"]),
                summary=r.choice(["Hot lunch and a chat.", "Tea, cake and company.", ""]),
                description="Everyone welcome at our friendly community group.",
                organisation=r.choice(["Age Concern", "St Peter's Church", "BCP Council"]),
                category_codes=tuple(r.sample(CODES, r.randrange(3))),
                venues=tuple(
                    Venue(f"Hall {n}.{v}", "BH1 1AA", lat + v / 100, lon)
                    for v in range(r.choice([0, 1, 1, 2]))
                ),
                area_codes=(BCP,) if kind < 0.1 else ("K02000001",) if kind < 0.15 else (),
                radius_coverages=(RadiusCoverage(lat, lon, 8.0),) if 0.15 <= kind < 0.25 else (),
                is_national=0.1 <= kind < 0.15,
                is_free=r.random() < 0.5,
                min_age=r.choice([None, 18, 50]),
                max_age=r.choice([None, None, 64]),
                attendance=tuple(m for m in ("in_person", "online", "phone") if r.random() < 0.4),
                accessibility=tuple(f for f in FEATURES if r.random() < 0.4),
                slots=(Slot(day, 600, 720),) if r.random() < 0.8 else (),
                last_verified_on=dt.date(2026, 1, 1) - dt.timedelta(days=r.randrange(900)),
                temporarily_closed=r.random() < 0.1,
            )
        )
    return docs


@pytest.fixture
def indexed(db: None, settings: Any) -> Any:
    settings.DIRECTORY_SEARCH_BACKEND = "database"
    backend = get_search_backend("database")
    backend.index_documents(generated_documents(120))  # type: ignore[attr-defined]
    return backend


FILTERS = [
    SearchFilters(),
    SearchFilters(free_only=True),
    SearchFilters(age=70),
    SearchFilters(age=30, free_only=True),
    SearchFilters(attendance=("online", "phone")),
    SearchFilters(accessibility=("wheelchair", "parking")),
    SearchFilters(categories=("lunch-clubs",)),
    SearchFilters(categories=("befriending", "food-banks")),
    SearchFilters(categories=("no-such-term",)),
    SearchFilters(open_day=2),
    SearchFilters(open_day=4, open_time=dt.time(11)),
    SearchFilters(open_time=dt.time(11)),
    SearchFilters(open_now=True),
    SearchFilters(open_now=True, free_only=True, categories=("lunch-clubs",)),
]
#: "Now" for ``open_now``: a Wednesday morning (weekday 2).
NOW = dt.datetime(2025, 11, 5, 10, 30, tzinfo=ZoneInfo("Europe/London"))


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_filters_match_the_sql_filters(
    indexed: Any, filters: SearchFilters, frozen_now: Any
) -> None:
    frozen_now(NOW)
    snap = snapshot.snapshot_for(snapshot.current_generation())
    in_memory = set(snap.page_ids(snap.filter(snap.all_positions(), filters)).tolist())
    in_sql = set(postgres.filtered_queryset(filters).values_list("page_id", flat=True))
    assert in_memory == in_sql
    if filters == SearchFilters():
        assert len(in_memory) == 120
    if filters.open_now:  # some listings open on the day, some not: a real comparison
        assert 0 < len(in_memory) < 120


def test_geography_matches_a_brute_force_check(indexed: Any) -> None:
    snap = snapshot.snapshot_for(snapshot.current_generation())
    docs = {d.page_id: d for d in generated_documents(120)}
    # Venues are read by grid row of latitude: places on a row's edge, inside a row,
    # and with boxes spanning one row or several.
    for lat, lon in ((0.05, 0.0), (0.0, 0.1), (-0.12, -0.2), (0.1731, 0.05)):
        check_geography(snap, docs, BH1.lat + lat, BH1.lon + lon)


def check_geography(snap: Any, docs: dict[int, Any], lat: float, lon: float) -> None:
    where = ResolvedLocation("postcode", "BH1 1AA", lat, lon, lad_code=BCP, upper_tier_code=BCP)
    for radius in (1.0, 3.0, 10.0):
        expected: dict[int, float] = {}
        covering = set()
        for pk, d in docs.items():
            near = [haversine_miles(where.lat, where.lon, v.lat, v.lon) for v in d.venues]
            near = [m for m in near if m <= radius]
            if near:
                expected[pk] = min(near)
            if set(d.area_codes) & {BCP, "K02000001"} or any(
                haversine_miles(where.lat, where.lon, c.lat, c.lon) <= c.miles
                for c in d.radius_coverages
            ):
                covering.add(pk)
        for only in (None, list(docs)[::3]):
            positions = None if only is None else snap.positions_of(np.array(only))
            match = snap.geo(where, radius, positions)
            keep = set(docs) if only is None else set(only)
            assert match.distances.keys() == {pk for pk in expected if pk in keep}
            for pk, miles in match.distances.items():
                assert miles == pytest.approx(expected[pk], abs=1e-9)
            assert match.covering == covering & keep


def test_snapshot_follows_every_index_write(indexed: Any) -> None:
    near = SearchQuery(text="", location=BH1, radius_miles=30)
    before = indexed.search(near).total
    extra = ListingDocument(
        page_id=999, title="Zumba for seniors", venues=(Venue("Hall", "BH1 1AA", BH1.lat, BH1.lon),)
    )
    indexed.index_documents([extra])
    assert indexed.search(near).total == before + 1
    assert [h.page_id for h in indexed.search(SearchQuery(text="zumba")).hits] == [999]
    indexed.remove_pages([999])
    assert indexed.search(near).total == before
    assert indexed.search(SearchQuery(text="zumba")).total == 0


def test_snapshot_is_rebuilt_only_when_the_generation_changes(indexed: Any) -> None:
    generation = snapshot.current_generation()
    first = snapshot.snapshot_for(generation)
    assert snapshot.snapshot_for(generation) is first
    indexed.index_documents(generated_documents(3, seed=9))
    assert snapshot.current_generation() != generation
    assert snapshot.snapshot_for(snapshot.current_generation()) is not first
