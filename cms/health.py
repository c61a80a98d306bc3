"""Probes for load balancers and orchestrators.

``/healthz``: the process answers (liveness); touches nothing else, so a database outage
never gets healthy web processes restarted. ``/readyz``: every service a request may need
answers (readiness), as JSON with one entry per check; 200 when all pass, else 503.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

# Seconds a broker may take to accept a connection before readiness fails.
BROKER_TIMEOUT = 2.0


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    results = {name: _run(check) for name, check in CHECKS.items()}
    ready = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )


def _run(check: Callable[[], str]) -> dict[str, object]:
    try:
        return {"ok": True, "detail": check()}
    except Exception as exc:
        # The probe is public: the full reason (host names, paths) goes to the log only.
        logger.warning("readiness check %s failed", check.__name__, exc_info=True)
        return {"ok": False, "detail": type(exc).__name__}


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache() -> str:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        raise RuntimeError("a value written to the cache could not be read back")
    return type(cache).__name__


def check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return "in-process (tasks run eagerly)"
    from kombu import Connection

    with Connection(url, connect_timeout=BROKER_TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT)
        return str(conn.transport_cls)


def check_gazetteer() -> str:
    from geography.gazetteer import get_gazetteer

    get_gazetteer()
    return "loaded"


def check_search() -> str:
    from search.backends import get_search_backend

    return f"{get_search_backend().count()} listings indexed"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "gazetteer": check_gazetteer,
    "search": check_search,
}
