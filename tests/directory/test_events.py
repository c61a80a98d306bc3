"""Wagtail's page signals become directory's one "listings changed" event, and search
and the recommender act on that event alone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from directory.events import Change, listings_changed, send_listings_changed
from directory.models import OrganisationPage, ServicePage
from search import signals as search_signals
from search.backends import SearchQuery, get_search_backend
from tests.factories import ServicePageFactory


@pytest.fixture
def events() -> Iterator[list[dict[str, Any]]]:
    """Every ``listings_changed`` sent during the test, as its keyword arguments."""
    sent: list[dict[str, Any]] = []

    def record(sender: Any, **kwargs: Any) -> None:
        sent.append({"sender": sender, **kwargs})

    listings_changed.connect(record, dispatch_uid="test-events")
    yield sent
    listings_changed.disconnect(dispatch_uid="test-events")


def found(text: str) -> list[int]:
    return [hit.page_id for hit in get_search_backend().search(SearchQuery(text=text)).hits]


@pytest.mark.django_db
def test_publishing_a_service_sends_the_event_after_which_it_is_searchable(
    organisation: OrganisationPage,
    committed: Callable[[], AbstractContextManager[Any]],
    events: list[dict[str, Any]],
) -> None:
    with committed():
        page = ServicePageFactory(parent=organisation, title="Knitting circle")
    assert [(e["page_ids"], e["change"], e["in_process"]) for e in events] == [
        ([page.pk], Change.CHANGED, False)
    ]
    assert found("knitting") == [page.pk]


@pytest.mark.django_db
def test_search_reaches_the_index_through_the_event_alone(
    organisation: OrganisationPage, committed: Callable[[], AbstractContextManager[Any]]
) -> None:
    listings_changed.disconnect(dispatch_uid="search-listings-changed")
    try:
        with committed():
            page = ServicePageFactory(parent=organisation, title="Knitting circle")
    finally:
        listings_changed.connect(
            search_signals.listings_changed_handler, dispatch_uid="search-listings-changed"
        )
    assert found("knitting") == []  # published, but search never heard of it
    with committed():
        send_listings_changed(ServicePage, [page.pk])
    assert found("knitting") == [page.pk]
    with committed():
        send_listings_changed(ServicePage, [page.pk], Change.REMOVED)
    assert found("knitting") == []


@pytest.mark.django_db
def test_an_organisation_change_fans_out_to_its_services(
    organisation: OrganisationPage,
    committed: Callable[[], AbstractContextManager[Any]],
    events: list[dict[str, Any]],
) -> None:
    with committed():
        first = ServicePageFactory(parent=organisation, title="Knitting circle")
        second = ServicePageFactory(parent=organisation, title="Knitting club")
    assert sorted(found("knitting")) == sorted([first.pk, second.pk])
    events.clear()
    with committed():
        organisation.unpublish()
    assert [(e["page_ids"], e["change"]) for e in events] == [
        (sorted([first.pk, second.pk]), Change.CHANGED)
    ]
    assert found("knitting") == []  # still live, but no longer under a live organisation


@pytest.mark.django_db
def test_unpublishing_and_deleting_a_service_send_removed(
    organisation: OrganisationPage,
    committed: Callable[[], AbstractContextManager[Any]],
    events: list[dict[str, Any]],
) -> None:
    with committed():
        first = ServicePageFactory(parent=organisation, title="Knitting circle")
        second = ServicePageFactory(parent=organisation, title="Knitting club")
    events.clear()
    with committed():
        first.unpublish()
        second_pk = second.pk
        second.delete()
    # Deleting a live page unpublishes it first: both say "removed".
    assert {(tuple(e["page_ids"]), e["change"]) for e in events} == {
        ((first.pk,), Change.REMOVED),
        ((second_pk,), Change.REMOVED),
    }
    assert found("knitting") == []


@pytest.mark.django_db
def test_deleting_an_organisation_removes_its_services(
    organisation: OrganisationPage,
    committed: Callable[[], AbstractContextManager[Any]],
    events: list[dict[str, Any]],
) -> None:
    with committed():
        page = ServicePageFactory(parent=organisation, title="Knitting circle")
    events.clear()
    with committed():
        organisation.delete()
    assert ([page.pk], Change.REMOVED) in [(e["page_ids"], e["change"]) for e in events]
    assert found("knitting") == []


@pytest.mark.django_db
def test_the_recommender_is_told_when_an_organisation_is_unpublished(
    organisation: OrganisationPage,
    committed: Callable[[], AbstractContextManager[Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from recommender import tasks

    with committed():
        ServicePageFactory(parent=organisation, title="Knitting circle")
    requests: list[bool] = []
    monkeypatch.setattr(tasks, "request_rebuild", lambda: requests.append(True))
    with committed():
        organisation.unpublish()
    assert requests == [True]


def test_nothing_is_sent_for_no_listings(events: list[dict[str, Any]]) -> None:
    send_listings_changed(ServicePage, [])
    assert events == []
