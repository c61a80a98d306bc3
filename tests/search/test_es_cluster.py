"""Against a real cluster only (``make test-es``; skipped without ELASTICSEARCH_URL).

The golden bodies prove what we send; these prove a cluster accepts it: the mapping
and analysers, every golden query shape, bulk writes, and a rebuild that moves the
alias without losing a publish made while it was filling the new index.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from search.backends.elasticsearch import ElasticsearchBackend, bulk
from search.backends.elasticsearch.mapping import to_source
from search.backends.elasticsearch.query import search_body
from search.documents import ListingDocument, Slot, Venue
from search.query import parse_text

from .conftest import BH1, ids
from .test_es_request_bodies import NOW, SHAPES, SYNONYMS

URL = os.environ.get("ELASTICSEARCH_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="ELASTICSEARCH_URL not set (make test-es)")


@pytest.fixture
def cluster() -> Iterator[ElasticsearchBackend]:
    backend = ElasticsearchBackend(URL, prefix=f"test-{uuid.uuid4().hex[:8]}")
    backend.ensure_index()
    try:
        yield backend
    finally:
        backend.delete_all()


def document(page_id: int, title: str) -> ListingDocument:
    return ListingDocument(
        page_id=page_id,
        title=title,
        summary="Hot meals and a chat for older people.",
        description="A friendly lunch club every Tuesday.",
        organisation="Bournemouth Community Trust",
        url=f"/listing/{page_id}/",
        category_codes=("social-groups", "lunch-clubs"),
        category_names=("social groups", "lunch clubs"),
        venues=(Venue("Hall", "BH1 1AA", BH1.lat, BH1.lon),),
        is_free=True,
        attendance=("in_person",),
        accessibility=("wheelchair",),
        slots=(Slot(1, 600, 720),),
        last_verified_on=dt.date(2025, 10, 1),
    )


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_cluster_accepts_every_golden_shape(cluster: ElasticsearchBackend, shape: str) -> None:
    actions = [
        {"_index": cluster.alias, "_id": str(n), "_source": to_source(document(n, title))}
        for n, title in enumerate(["Tuesday Lunch Club", "Knit and Natter"], start=1)
    ]
    assert bulk.write(cluster.client, actions, refresh="wait_for") == 2
    query = SHAPES[shape]
    response = cluster.client.search(
        index=cluster.alias,
        **search_body(
            query, NOW, parse_text(query.text, SYNONYMS), stale_before=dt.date(2025, 3, 5)
        ),
    )
    assert response["hits"]["total"]["value"] >= 0
    assert set(response["aggregations"]) >= {"category", "free", "open_day"}


def test_a_publish_during_a_rebuild_is_not_lost(
    search_backend: Any,
    make_listing: Callable[..., Any],
    committed: Callable[[], AbstractContextManager[Any]],
) -> None:
    if search_backend.name != "elasticsearch":
        pytest.skip("the alias swap is Elasticsearch's")
    lunch = make_listing("Tuesday Lunch Club")
    gone = make_listing("Knit and Natter")
    edited: list[int] = []

    def meanwhile(done: int, total: int) -> None:
        if edited:
            return
        # Goes to the old index, behind the alias, while the new one is filling.
        with committed():
            lunch.title = "Tuesday Lunch and Quiz Club"
            lunch.save_revision().publish()
            gone.unpublish()
        edited.append(done)

    search_backend.rebuild(progress=meanwhile)
    assert edited
    assert ids(search_backend.search(_query("quiz"))) == [lunch.pk]
    assert ids(search_backend.search(_query("natter"))) == []


def _query(text: str) -> Any:
    from search.query import SearchQuery

    return SearchQuery(text=text)
