"""Building the search snapshot reads the index without taking SQLite's write lock.

The project's SQLite transactions are ``BEGIN IMMEDIATE`` (the write lock), so a
snapshot built inside one waited on, and timed out against, any writer: gunicorn's
workers building their copies at once, or an import, made searches fail with
"database is locked".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from search.backends.database import snapshot


@pytest.fixture
def writer_holding_the_lock() -> Iterator[sqlite3.Connection]:
    """A second connection to the same database with a write transaction open."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's database-wide write lock")
    connection.ensure_connection()
    name = connection.settings_dict["NAME"]
    other = sqlite3.connect(str(name), uri=str(name).startswith("file:"), timeout=0.1)
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.django_db(transaction=True)
def test_snapshot_builds_while_another_connection_holds_the_write_lock(
    writer_holding_the_lock: sqlite3.Connection,
) -> None:
    built = snapshot.build_snapshot()
    assert built.generation == snapshot.current_generation()
    assert not connection.in_atomic_block
    assert not connection.connection.in_transaction  # the read transaction ended


@pytest.mark.django_db(transaction=True)
def test_a_write_transaction_is_refused_meanwhile(
    writer_holding_the_lock: sqlite3.Connection,
) -> None:
    """The fixture really holds the lock: Django's own transaction cannot start."""
    from django.db import OperationalError

    with pytest.raises(OperationalError), transaction.atomic():
        pass
