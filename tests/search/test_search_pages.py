"""The resident search page, tried as a resident would: real BH listings, real postcodes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from search.backends import get_search_backend
from tests.factories import ServicePageFactory

HOSTILE_QUERIES = [
    '"',
    "*",
    "NEAR(",
    "'; --",
    "x" * 5000,
    "café ☕ 日本",
    "lunch AND OR NOT",
    "%_\\",
]


def result_titles(html: str) -> list[str]:
    return re.findall(r'council-result__title">\s*<a[^>]*>([^<]+)</a>', html)


def result_miles(html: str) -> list[float]:
    found = re.findall(r'council-result__distance">(?:Less than )?([\d.]+) miles?', html)
    return [float(value) for value in found]


@pytest.fixture
def bh_listings(db: None, shared_data: Any, gazetteer_store: Any) -> int:
    from importers.sources.warm_spaces import import_warm_spaces

    import_warm_spaces(shared_data / "listings" / "warm_spaces_bh.csv")
    return get_search_backend().rebuild()


def test_lunch_clubs_near_bh1_nearest_relevant_first_with_distances(
    client: Any, bh_listings: int
) -> None:
    assert bh_listings > 150
    response = client.get("/search/", {"q": "lunch club", "postcode": "BH1 1AA"})
    assert response.status_code == 200
    html = response.content.decode()
    titles = result_titles(html)
    assert titles, "expected real BH lunch clubs"
    assert all("lunch" in title.lower() for title in titles[:2]), titles[:5]
    # Every result says why it matched (the matched words), not just that it is near.
    assert html.count("council-result__why") == len(titles)
    miles = result_miles(html)
    assert miles and all(value <= 3 for value in miles)
    # Sorting by distance gives the same listings nearest first.
    by_distance = client.get(
        "/search/", {"q": "lunch club", "postcode": "BH1 1AA", "sort": "distance"}
    ).content.decode()
    ordered = result_miles(by_distance)
    assert ordered == sorted(ordered)

    for place in ("bh11aa", "BH1", "BH1 1", "Poole"):
        page = client.get("/search/", {"q": "lunch", "postcode": place}).content.decode()
        assert "There is a problem" not in page, place
        assert result_titles(page), place

    unknown = client.get("/search/", {"q": "lunch", "postcode": "ZZ1 1ZZ"})
    assert unknown.status_code == 200
    text = unknown.content.decode()
    assert "ZZ1 1ZZ" in text and "There is a problem" in text
    assert not result_titles(text)


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE_QUERIES)
def test_hostile_queries_get_a_page_not_an_error(client: Any, hostile: str) -> None:
    for params in ({"q": hostile}, {"q": "lunch", "postcode": hostile}, {"age": hostile, "q": "x"}):
        response = client.get("/search/", params)
        assert response.status_code == 200, params


@pytest.mark.django_db
def test_filters_show_as_removable_chips_and_bad_values_are_explained(
    client: Any, indexed_service: Any
) -> None:
    response = client.get(
        "/search/", {"q": "lunch", "free": "1", "attend": "in_person", "age": "abc"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter an age in years" in html
    assert "Free only" in html and "(remove this filter)" in html
    assert 'href="?q=lunch&amp;attend=in_person&amp;age=abc"' in html  # removes only "free"
    assert "Tuesday Lunch Club" in html


@pytest.mark.django_db
def test_empty_result_never_offers_an_empty_wider_radius(client: Any, gazetteer_store: Any) -> None:
    # Offers that do lead to results: tests/search/test_spelling_and_empty_states.py.
    html = client.get(
        "/search/", {"q": "zzzz-nothing", "postcode": "BH1 1AA", "radius": "3"}
    ).content.decode()
    assert "Nothing within 3 miles" in html
    assert "radius=10" not in html


@pytest.mark.django_db
def test_results_are_paginated_with_shareable_links(
    client: Any, organisation: Any, committed: Any
) -> None:
    with committed():
        for number in range(23):
            ServicePageFactory(parent=organisation, title=f"Knitting circle {number}")
    first = client.get("/search/", {"q": "knitting"}).content.decode()
    assert "23 results" in first
    assert len(result_titles(first)) == 20
    assert "page=2" in first
    second = client.get("/search/", {"q": "knitting", "page": "2"}).content.decode()
    assert len(result_titles(second)) == 3
    assert set(result_titles(first)).isdisjoint(result_titles(second))


@pytest.mark.django_db
def test_ambiguous_town_offers_choices_that_resolve(client: Any, gazetteer_store: Any) -> None:
    html = client.get("/search/", {"q": "", "postcode": "Ashford"}).content.decode()
    assert "more than one place called Ashford" in html
    assert "Ashford, Spelthorne" in html
    follow = client.get("/search/", {"q": "lunch", "postcode": "Ashford, Spelthorne"})
    assert "more than one place" not in follow.content.decode()
