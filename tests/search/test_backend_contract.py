"""One behavioural contract, run against every available search backend.

The database backend always runs (on SQLite, or PostgreSQL when DATABASE_URL points
there); Elasticsearch runs when ELASTICSEARCH_URL is set. Listings are real Wagtail
pages, indexed through the publish signals, never written to the index directly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from wagtail.models import PageViewRestriction

from directory.models import ServiceStatus
from geography.gazetteer import ResolvedLocation
from search.backends import SearchFilters, SearchQuery
from tests.factories import OrganisationPageFactory

from .conftest import BCP, BH1, ids, miles_north

LONDON = ZoneInfo("Europe/London")
TUE_10_12 = [("TU", dt.time(10), dt.time(12))]


def run(backend: Any, text: str = "", **kwargs: Any) -> Any:
    return backend.search(SearchQuery(text=text, **kwargs))


# --------------------------------------------------------------------------- words


def test_text_match(search_backend: Any, make_listing: Any) -> None:
    lunch = make_listing("Tuesday Lunch Club", summary="Hot meals for older people.")
    make_listing("Knit and Natter", summary="Bring your needles.")
    results = run(search_backend, "lunch")
    assert ids(results) == [lunch.pk]
    assert results.total == 1
    assert "lunch" in results.hits[0].matched_terms
    assert results.hits[0].title == "Tuesday Lunch Club"


def test_stemming_and_accents(search_backend: Any, make_listing: Any) -> None:
    cafe = make_listing("Riverside Café", summary="Our friendly cafés welcome walkers.")
    assert ids(run(search_backend, "cafe")) == [cafe.pk]
    assert ids(run(search_backend, "CAFÉS")) == [cafe.pk]


def test_synonyms_lonely_finds_befriending(search_backend: Any, make_listing: Any) -> None:
    befriending = make_listing("Befriending service", summary="A volunteer visits each week.")
    make_listing("Bike repair workshop")
    results = run(search_backend, "lonely")
    assert ids(results) == [befriending.pk]
    assert "befriending" in results.expanded_terms
    assert "befriending" in results.hits[0].matched_terms


def test_multi_word_synonym(search_backend: Any, make_listing: Any) -> None:
    day = make_listing("Harbour day service", summary="Activities and lunch for adults.")
    assert ids(run(search_backend, "day centre")) == [day.pk]


def test_taxonomy_synonyms_are_searchable(search_backend: Any, make_listing: Any) -> None:
    # "forgetful" is only a synonym of the Dementia term, not in any text.
    memory = make_listing("Thursday get-together", terms=["memory-cafes"])
    make_listing("Bowls club")
    assert ids(run(search_backend, "forgetful")) == [memory.pk]


def test_typo_is_corrected(search_backend: Any, make_listing: Any) -> None:
    lunch = make_listing("Tuesday Lunch Club", summary="Hot meals.")
    make_listing("Walking group")
    results = run(search_backend, "lunch clb")
    assert ids(results) == [lunch.pk]
    if search_backend.name == "database":
        assert results.corrected_text == "lunch club"


# ------------------------------------------------------------- how people ask


def test_one_unknown_word_never_empties_a_sentence(search_backend: Any, make_listing: Any) -> None:
    knit = make_listing("Knit and natter group", summary="Bring your needles.")
    make_listing("Bike repair workshop")
    # "nan" is in no listing; every word was needed before, so this found nothing.
    results = run(search_backend, "somewhere to go knitting with my nan", location=BH1)
    assert ids(results) == [knit.pk]
    assert "knitting" in results.hits[0].matched_terms


def test_filler_words_are_not_concepts(search_backend: Any, make_listing: Any) -> None:
    energy = make_listing("Energy advice drop-in", summary="Help to pay gas and electricity bills.")
    # "somewhere" and "need" are in this listing's text, but say nothing about a need.
    make_listing("Somewhere to sit", summary="Everyone needs a rest.")
    results = run(search_backend, "I need somewhere, struggling to pay the gas", location=BH1)
    assert ids(results) == [energy.pk]


def test_known_phrase_falls_back_to_its_words(search_backend: Any, make_listing: Any) -> None:
    lunch = make_listing("Tuesday Lunch Club")
    cafe = make_listing("Riverside cafe")
    make_listing("Book club")
    # A phrase the lexicon knows is one concept: a listing with the phrase is found,
    # and a listing with one of its words is not...
    assert ids(run(search_backend, "lunch club", location=BH1)) == [lunch.pk]
    # ...unless no listing has it: then its words count on their own.
    assert ids(run(search_backend, "dementia cafe", location=BH1)) == [cafe.pk]


def test_every_concept_outranks_some(search_backend: Any, make_listing: Any) -> None:
    both = make_listing("Wednesday community choir", venue=miles_north(2.5))
    choir = make_listing("Community choir", venue=miles_north(0.1))
    wednesday = make_listing("Wednesday lunch", venue=miles_north(0.1))
    make_listing("Bike repair workshop", venue=miles_north(0.1))
    results = run(search_backend, "choir on a wednesday", location=BH1)
    # Any concept retrieves; covering all of them comes first, even from further away.
    assert ids(results)[0] == both.pk
    assert set(ids(results)) == {both.pk, choir.pk, wednesday.pk}
    assert results.hits[0].score > max(hit.score for hit in results.hits[1:])


def test_typed_word_outranks_its_synonym(search_backend: Any, make_listing: Any) -> None:
    # The seed lexicon (vocabulary): "badminton ... => sport, sports club" (one way).
    badminton = make_listing("Badminton club", venue=miles_north(2.8))
    sports = make_listing("Sports club", venue=miles_north(0.1))
    make_listing("Bike repair workshop", venue=miles_north(0.1))
    results = run(search_backend, "badminton", location=BH1)
    assert ids(results) == [badminton.pk, sports.pk]
    assert "sports club" in results.expanded_terms


def test_exact_phrase_is_boosted(search_backend: Any, make_listing: Any) -> None:
    phrase = make_listing("Coffee and cake afternoon", venue=miles_north(0.5))
    apart = make_listing("Cake sale with coffee", venue=miles_north(0.2))
    results = run(search_backend, "coffee and cake", location=BH1)
    assert ids(results) == [phrase.pk, apart.pk]


# ----------------------------------------------------------------------- geography


def test_distance_ordering_and_radius(search_backend: Any, make_listing: Any) -> None:
    far = make_listing("Far lunch club", venue=miles_north(2.5))
    near = make_listing("Near lunch club", venue=miles_north(0.5))
    middle = make_listing("Middle lunch club", venue=miles_north(1.5))
    outside = make_listing("Outside lunch club", venue=miles_north(10))
    results = run(search_backend, "lunch", location=BH1, radius_miles=3, sort="distance")
    assert ids(results) == [near.pk, middle.pk, far.pk]
    distances = [hit.distance_miles for hit in results.hits]
    assert distances == sorted(distances)
    assert distances[0] == pytest.approx(0.5, abs=0.05)
    assert not any(hit.covers_area for hit in results.hits)
    # Relevance sort with equal text: nearer ranks higher.
    assert ids(run(search_backend, "lunch", location=BH1)) == [near.pk, middle.pk, far.pk]
    wide = run(search_backend, "lunch", location=BH1, radius_miles=15, sort="distance")
    assert ids(wide)[-1] == outside.pk


def test_no_location_means_no_geo_constraint(search_backend: Any, make_listing: Any) -> None:
    far = make_listing("Edinburgh lunch club", venue=(55.95, -3.19))
    results = run(search_backend, "lunch")
    assert ids(results) == [far.pk]
    assert results.hits[0].distance_miles is None


def test_covers_your_area(search_backend: Any, make_listing: Any, bcp_area: Any) -> None:
    national = make_listing("National carers helpline", venue=None, coverage=[{"kind": "national"}])
    council = make_listing(
        "BCP carers outreach", venue=None, coverage=[{"kind": "area", "area": bcp_area}]
    )
    base = make_listing(
        "Carers visiting scheme",
        venue=miles_north(8),  # its base is outside the 3 miles...
        coverage=[
            {
                "kind": "radius",
                "latitude": miles_north(8)[0],
                "longitude": BH1.lon,
                "radius_miles": 10,
            }
        ],  # ...but it visits anyone within 10 miles of it
    )
    elsewhere = make_listing(
        "Leeds carers group",
        venue=(53.80, -1.55),
        coverage=[{"kind": "radius", "latitude": 53.8, "longitude": -1.55, "radius_miles": 5}],
    )
    results = run(search_backend, "carers", location=BH1, radius_miles=3)
    assert set(ids(results)) == {national.pk, council.pk, base.pk}
    assert elsewhere.pk not in ids(results)
    for hit in results.hits:
        assert hit.covers_area is True
        assert hit.distance_miles is None  # never a misleading distance


def test_venue_beats_coverage_and_shows_distance(
    search_backend: Any, make_listing: Any, bcp_area: Any
) -> None:
    venue = make_listing("Carers cafe", venue=miles_north(2.9))
    covers = make_listing("Carers line", venue=None, coverage=[{"kind": "national"}])
    results = run(search_backend, "carers", location=BH1)
    assert ids(results) == [venue.pk, covers.pk]
    assert results.hits[0].distance_miles is not None
    distance_sorted = run(search_backend, "carers", location=BH1, sort="distance")
    assert ids(distance_sorted) == [venue.pk, covers.pk]


def test_covers_area_from_gazetteer_postcode(
    search_backend: Any, make_listing: Any, bcp_area: Any, gazetteer_store: Any
) -> None:
    from geography.gazetteer import reset_gazetteer, resolve_location

    reset_gazetteer()
    location = resolve_location("BH8 8DL")
    assert isinstance(location, ResolvedLocation)
    assert BCP in location.area_codes
    national = make_listing("Silver friendship line", venue=None, coverage=[{"kind": "national"}])
    council = make_listing(
        "BCP friendship visits", venue=None, coverage=[{"kind": "area", "area": bcp_area}]
    )
    results = run(search_backend, "friendship", location=location)
    assert set(ids(results)) == {national.pk, council.pk}
    assert all(h.covers_area and h.distance_miles is None for h in results.hits)


# ------------------------------------------------------------------------- filters


def test_free_age_attendance_accessibility(search_backend: Any, make_listing: Any) -> None:
    free = make_listing(
        "Free club", is_free=True, minimum_age=50, venue_features={"wheelchair_accessible": True}
    )
    paid = make_listing(
        "Paid club", is_free=False, offers_online=True, offers_in_person=False, maximum_age=30
    )
    phone = make_listing(
        "Phone club",
        is_free=True,
        offers_by_phone=True,
        venue_features={"wheelchair_accessible": True, "hearing_loop": True},
    )

    def found(**filters: Any) -> set[int]:
        return set(ids(run(search_backend, "club", filters=SearchFilters(**filters))))

    assert found() == {free.pk, paid.pk, phone.pk}
    assert found(free_only=True) == {free.pk, phone.pk}
    assert found(age=65) == {free.pk, phone.pk}
    assert found(age=25) == {paid.pk, phone.pk}
    assert found(attendance=("online",)) == {paid.pk}
    assert found(attendance=("online", "phone")) == {paid.pk, phone.pk}
    assert found(accessibility=("wheelchair",)) == {free.pk, phone.pk}
    assert found(accessibility=("wheelchair", "hearing_loop")) == {phone.pk}
    assert found(free_only=True, accessibility=("hearing_loop",), age=70) == {phone.pk}


def test_parent_category_includes_children(search_backend: Any, make_listing: Any) -> None:
    lunch = make_listing("Wednesday meet-up", terms=["lunch-clubs"])
    shed = make_listing("Woodwork meet-up", terms=["mens-sheds"])
    walk = make_listing("Walking meet-up", terms=["walking-groups"])

    def found(*codes: str) -> set[int]:
        return set(ids(run(search_backend, filters=SearchFilters(categories=codes))))

    assert found("social-groups") == {lunch.pk, shed.pk}
    assert found("lunch-clubs") == {lunch.pk}
    assert found("lunch-clubs", "walking-groups") == {lunch.pk, walk.pk}
    assert found("no-such-category") == set()


def test_open_day_and_time(search_backend: Any, make_listing: Any) -> None:
    tuesday = make_listing("Tuesday group", schedules=TUE_10_12)
    friday = make_listing("Friday group", schedules=[("FR", dt.time(14), dt.time(16))])
    make_listing("Group with no times")

    def found(**filters: Any) -> set[int]:
        return set(ids(run(search_backend, "group", filters=SearchFilters(**filters))))

    assert found(open_day=1) == {tuesday.pk}
    assert found(open_day=4) == {friday.pk}
    assert found(open_day=2) == set()
    assert found(open_day=1, open_time=dt.time(11)) == {tuesday.pk}
    assert found(open_day=1, open_time=dt.time(12)) == set()  # closes at 12
    assert found(open_time=dt.time(15)) == {friday.pk}


def test_open_now(search_backend: Any, make_listing: Any, frozen_now: Any) -> None:
    tuesday = make_listing("Tuesday group", schedules=TUE_10_12)
    closed = make_listing(
        "Closed group", schedules=TUE_10_12, status=ServiceStatus.TEMPORARILY_CLOSED
    )
    monthly = make_listing("First Tuesday group", schedules=[("1TU", dt.time(10), dt.time(12))])
    now_filter = SearchFilters(open_now=True)
    frozen_now(dt.datetime(2025, 11, 4, 10, 30, tzinfo=LONDON))  # first Tuesday of November
    assert set(ids(run(search_backend, "group", filters=now_filter))) == {tuesday.pk, monthly.pk}
    frozen_now(dt.datetime(2025, 11, 11, 10, 30, tzinfo=LONDON))  # second Tuesday
    assert ids(run(search_backend, "group", filters=now_filter)) == [tuesday.pk]
    frozen_now(dt.datetime(2025, 11, 11, 13, 0, tzinfo=LONDON))
    assert ids(run(search_backend, "group", filters=now_filter)) == []
    # Temporarily closed listings stay searchable, flagged.
    hit = next(h for h in run(search_backend, "closed").hits if h.page_id == closed.pk)
    assert hit.temporarily_closed


def test_facet_counts(search_backend: Any, make_listing: Any) -> None:
    make_listing("Lunch one", is_free=True, terms=["lunch-clubs"], schedules=TUE_10_12)
    make_listing("Lunch two", is_free=True, terms=["lunch-clubs"], offers_online=True)
    make_listing("Lunch three", is_free=False, terms=["mens-sheds"])
    make_listing("Unrelated walk", is_free=True, terms=["walking-groups"])
    facets = run(search_backend, "lunch").facets
    assert facets["free"] == {"free": 2}
    assert facets["category"]["lunch-clubs"] == 2
    assert facets["category"]["social-groups"] == 3  # the parent counts its children
    assert "walking-groups" not in facets["category"]
    assert facets["attendance"]["in_person"] == 3
    assert facets["attendance"]["online"] == 1
    assert facets["open_day"]["1"] == 1
    # Counts are over the filtered set, before pagination.
    filtered = run(search_backend, "lunch", filters=SearchFilters(free_only=True), per_page=1)
    assert filtered.total == 2 and len(filtered.hits) == 1
    assert filtered.facets["category"]["social-groups"] == 2


def test_pagination_is_stable(search_backend: Any, make_listing: Any) -> None:
    pages = [make_listing(f"Coffee morning {n}") for n in range(7)]  # identical scores
    everything = ids(run(search_backend, "coffee", per_page=100))
    assert sorted(everything) == sorted(p.pk for p in pages)
    paged: list[int] = []
    for number in (1, 2, 3):
        result = run(search_backend, "coffee", page=number, per_page=3)
        assert result.total == 7 and result.page == number
        paged += ids(result)
    assert paged == everything
    assert ids(run(search_backend, "coffee", page=4, per_page=3)) == []
    assert everything == ids(run(search_backend, "coffee", per_page=100))


# --------------------------------------------------------------------- index sync


def test_drafts_are_never_indexed(search_backend: Any, make_listing: Any, committed: Any) -> None:
    page = make_listing("Tuesday Lunch Club")
    page.summary = "Now with a zebra crossing outside."
    with committed():
        page.save_revision()  # a draft: the live page is unchanged
    assert ids(run(search_backend, "zebra")) == []
    assert ids(run(search_backend, "lunch")) == [page.pk]
    with committed():
        page.get_latest_revision().publish()
    assert ids(run(search_backend, "zebra")) == [page.pk]


def test_never_published_page_is_not_indexed(search_backend: Any, make_listing: Any) -> None:
    make_listing("Secret lunch club", publish=False)
    assert ids(run(search_backend, "secret")) == []
    assert search_backend.count() == 0


def test_unpublish_and_delete_remove(
    search_backend: Any, make_listing: Any, committed: Any
) -> None:
    first = make_listing("Lunch club one")
    second = make_listing("Lunch club two")
    assert search_backend.count() == 2
    with committed():
        first.unpublish()
    assert ids(run(search_backend, "lunch")) == [second.pk]
    with committed():
        second.delete()
    assert ids(run(search_backend, "lunch")) == []
    assert search_backend.count() == 0


def test_organisation_unpublish_removes_services(
    search_backend: Any, make_listing: Any, org: Any, committed: Any
) -> None:
    page = make_listing("Lunch club")
    with committed():
        org.unpublish()  # the service stays live, but orphaned
    assert ids(run(search_backend, "lunch")) == []
    with committed():
        org.save_revision().publish()
    assert ids(run(search_backend, "lunch")) == [page.pk]
    with committed():
        org.delete()
    assert search_backend.count() == 0


#: Every way a listing leaves the public directory.
REMOVALS = ("unpublish", "status_inactive", "unpublish_organisation", "delete", "make_private")
#: (words, place): searches with and without words, with and without a place; a
#: search without words reads only the index's copy, never the full-text table.
REMOVAL_SEARCHES = [("", None), ("", BH1), ("lunch", None), ("lunch", BH1)]


def _remove(kind: str, page: Any) -> None:
    if kind == "unpublish":
        page.unpublish()
    elif kind == "status_inactive":
        page.status = ServiceStatus.INACTIVE
        page.save_revision().publish()
    elif kind == "unpublish_organisation":
        page.get_parent().specific.unpublish()
    elif kind == "delete":
        page.delete()
    elif kind == "make_private":
        # No publish: adding the restriction alone must take the listing out.
        PageViewRestriction.objects.create(page=page, restriction_type="login")


@pytest.mark.parametrize("kind", REMOVALS)
def test_removal_updates_total_and_facets(
    search_backend: Any, make_listing: Any, committed: Any, kind: str
) -> None:
    kept = make_listing("Lunch club kept", is_free=True, terms=["lunch-clubs"])
    with committed():
        other = OrganisationPageFactory(title="Westbourne Lunch Friends")
    gone = make_listing(
        "Lunch club gone",
        is_free=True,
        offers_online=True,
        terms=["mens-sheds"],
        schedules=TUE_10_12,
        organisation=other,
    )
    for text, place in REMOVAL_SEARCHES:  # searched once before, so anything cached is warm
        assert run(search_backend, text, location=place).total == 2
    with committed():
        _remove(kind, gone)
    for text, place in REMOVAL_SEARCHES:
        results = run(search_backend, text, location=place)
        where = f"{text!r} near {place.label if place else 'anywhere'}"
        assert ids(results) == [kept.pk], where
        assert results.total == 1, where
        facets = results.facets
        assert facets["free"] == {"free": 1}, where
        assert facets["category"].get("mens-sheds", 0) == 0, where
        assert facets["category"]["lunch-clubs"] == 1, where
        assert facets["attendance"]["online"] == 0, where
        assert facets["open_day"]["1"] == 0, where


def test_defunct_is_not_indexed(search_backend: Any, make_listing: Any) -> None:
    make_listing("Old lunch club", status=ServiceStatus.DEFUNCT)
    make_listing("Paused lunch club", status=ServiceStatus.INACTIVE)
    assert search_backend.count() == 0


def test_rebuild(search_backend: Any, make_listing: Any) -> None:
    make_listing("Lunch club one")
    make_listing("Lunch club two")
    seen: list[tuple[int, int]] = []
    assert search_backend.rebuild(progress=lambda done, total: seen.append((done, total))) == 2
    assert seen[-1] == (2, 2)
    assert search_backend.count() == 2
    assert run(search_backend, "lunch").total == 2


def test_broker_down_falls_back_inline(
    search_backend: Any, make_listing: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    from kombu.exceptions import OperationalError

    from search import tasks

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.update_listing_index, "delay", refuse)
    page = make_listing("Lunch club")  # publishing must still work...
    assert ids(run(search_backend, "lunch")) == [page.pk]  # ...and the index still updates
    assert "running it in-process" in caplog.text
    assert "Lunch" not in caplog.text  # no listing content in logs


# ---------------------------------------------------------------------- hostility

HOSTILE = [
    '"',
    '""',
    "*",
    "lunch*",
    "NEAR(",
    "NEAR(lunch club, 2)",
    "'; --",
    "'; DROP TABLE search_indexedlisting; --",
    "lunch AND OR NOT",
    "title:lunch",
    "^lunch",
    "{}[]()<>!&|\\",
    "%_%",
    "x" * 5000,
    "lunch " * 1000,
    "café ☕ 午餐 клуб ٱلْغَدَاء",
    "\x00\x01\u200b",
    "   ",
    "",
]


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(t[:20]) for t in HOSTILE])
def test_hostile_queries_never_raise(search_backend: Any, make_listing: Any, text: str) -> None:
    make_listing("Tuesday Lunch Club")
    for location in (None, BH1):
        results = run(search_backend, text, location=location, per_page=5)
        assert results.total >= 0
        assert len(results.hits) <= 5
