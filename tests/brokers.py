"""Real Celery brokers for tests: the Redis on this machine, or a port where nothing listens.

The ``broker`` and ``redis_client`` fixtures (tests/conftest.py) use these.
"""

from __future__ import annotations

from cms.celery import app as celery_app

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
DEAD_BROKER_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing answers


def reset_connection_pools() -> None:
    # Celery caches its connection and producer pools for the first broker URL it saw,
    # and kombu keeps them in global registries keyed by URL: clear both, or a later
    # test (even an eager one) acquires from a pool closed here.
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
