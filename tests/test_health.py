"""/healthz (liveness, touches nothing) and /readyz (every service a request needs)."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest
from django.test import Client

from geography.gazetteer import reset_gazetteer


def test_liveness_answers_without_the_database(client: Client) -> None:
    # No django_db mark: any query would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_when_every_service_answers(client: Client, gazetteer_store: Any) -> None:
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "gazetteer", "search"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["broker"]["detail"].startswith("in-process")


@pytest.fixture
def no_gazetteer(settings: Any, tmp_path: Any) -> Any:
    settings.GAZETTEER_DIR = tmp_path / "missing"
    reset_gazetteer()
    yield
    reset_gazetteer()


@pytest.mark.django_db
def test_not_ready_without_the_gazetteer(client: Client, no_gazetteer: None) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["gazetteer"] == {"ok": False, "detail": "GazetteerUnavailable"}
    assert body["checks"]["database"]["ok"]
    # The public answer names the failure, not the server's paths.
    assert "missing" not in response.content.decode()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.django_db
def test_not_ready_quickly_when_the_broker_is_down(
    client: Client, settings: Any, gazetteer_store: Any
) -> None:
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert not checks["broker"]["ok"]
    assert checks["database"]["ok"] and checks["gazetteer"]["ok"]


@pytest.mark.django_db
def test_ready_with_a_running_redis_broker(
    client: Client, settings: Any, gazetteer_store: Any
) -> None:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["broker"]["ok"]
