"""The scale path's broker, for real: tasks queue on Redis, and a dead broker loses nothing.

No mocks: the first test puts a message on the Redis that runs on this machine; the
second points Celery at a port where nothing listens and publishes a listing.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from cms.celery import app as celery_app

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
DEAD_BROKER_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing answers


@pytest.fixture
def broker(request: Any) -> Iterator[str]:
    """Point Celery at a real broker URL (not eager) for one test, then restore it."""
    url = request.param
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    reset_connection_pools()
    try:
        yield url
    finally:
        celery_app.conf.update(saved)
        reset_connection_pools()


def reset_connection_pools() -> None:
    # Celery caches its connection and producer pools for the first broker URL it saw.
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_client() -> Any:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (make services starts it)")
    client.flushdb()
    yield client
    client.flushdb()


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
    broker: str, organisation: Any, django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    from search.backends import SearchQuery, get_search_backend
    from tests.factories import ServicePageFactory

    with django_capture_on_commit_callbacks(execute=True):
        page = ServicePageFactory(parent=organisation, title="Men's shed at the quay")

    assert page.live
    hits = get_search_backend().search(SearchQuery(text="shed")).hits
    assert [hit.page_id for hit in hits] == [page.pk]
    assert "running it in-process" in caplog.text
    assert "quay" not in caplog.text.lower()  # no listing content in the logs
