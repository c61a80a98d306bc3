"""The scale path's broker, for real: tasks queue on Redis, and a dead broker loses nothing.

No mocks: the first test puts a message on the Redis that runs on this machine; the
second points Celery at a port where nothing listens and publishes a listing. The
``broker`` and ``redis_client`` fixtures are in conftest.py (tests/test_faults.py
uses them too).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.brokers import DEAD_BROKER_URL, REDIS_TEST_URL


@pytest.mark.parametrize("broker", [REDIS_TEST_URL], indirect=True)
def test_index_updates_are_queued_on_redis(broker: str, redis_client: Any) -> None:
    from search import tasks

    tasks.enqueue(tasks.update_listing_index, [42, 7])

    queued = redis_client.lrange("celery", 0, -1)
    assert len(queued) == 1
    message = json.loads(queued[0])
    assert message["headers"]["task"] == "search.update_listing_index"
    args, kwargs, _ = json.loads(base64.b64decode(message["body"]))
    assert args == [[7, 42]] and kwargs == {}


@pytest.mark.django_db
@pytest.mark.parametrize("broker", [DEAD_BROKER_URL], indirect=True)
def test_dropped_broker_still_publishes_and_indexes(
    broker: str, organisation: Any, committed: Any, caplog: Any
) -> None:
    from search.backends import SearchQuery, get_search_backend
    from tests.factories import ServicePageFactory

    with committed():
        page = ServicePageFactory(parent=organisation, title="Men's shed at the quay")

    assert page.live
    hits = get_search_backend().search(SearchQuery(text="shed")).hits
    assert [hit.page_id for hit in hits] == [page.pk]
    assert "running it in-process" in caplog.text
    assert "quay" not in caplog.text.lower()  # no listing content in the logs
