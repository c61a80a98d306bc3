"""gunicorn's master loads the per-process caches once, then forks (cms/warmup.py)."""

from __future__ import annotations

import pytest
from django.db import connection

import geography.gazetteer
from cms.warmup import warm_process
from search.backends import get_search_backend
from search.backends.database import snapshot


@pytest.mark.django_db(transaction=True)
def test_warm_up_loads_the_search_copies_and_leaves_no_connection_open(
    settings: pytest.FixtureRequest,
) -> None:
    settings.DIRECTORY_SEARCH_BACKEND = "database"  # type: ignore[attr-defined]
    snapshot._cache.clear()

    warm_process()

    # Closed, so no forked worker shares the master's database connection (Django
    # never closes SQLite's in-memory test database, so PostgreSQL runs check this).
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():  # type: ignore[attr-defined]
        assert connection.connection is None
    generation = snapshot.current_generation()
    assert [copy.generation for copy in snapshot._cache.values()] == [generation]
    assert get_search_backend().count() >= 0  # the backend the workers will use is built


@pytest.mark.django_db(transaction=True)
def test_a_part_that_cannot_load_leaves_the_rest_loaded(
    settings: pytest.FixtureRequest, tmp_path: object, caplog: pytest.LogCaptureFixture
) -> None:
    settings.GAZETTEER_DIR = tmp_path  # type: ignore[attr-defined]  # no store here
    settings.DIRECTORY_SEARCH_BACKEND = "database"  # type: ignore[attr-defined]
    geography.gazetteer.reset_gazetteer()
    snapshot._cache.clear()
    try:
        warm_process()
    finally:
        geography.gazetteer.reset_gazetteer()

    assert "the postcode gazetteer not loaded" in caplog.text
    assert len(snapshot._cache) == 1
