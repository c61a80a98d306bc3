"""Faults survived for real: a lost or undeliverable index task, an import started
while the broker is down, and an import whose process died.

The broker is real: Redis on this machine (an index task queued there with no worker
to run it stands for a lost message or a worker killed mid-task), or a port where
nothing listens.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cms.workflows.roles import Role
from importers.models import ImportRun, ImportStatus
from importers.runs import stop_abandoned_runs
from search import outbox, tasks
from search.backends import SearchQuery, get_search_backend
from tests.brokers import DEAD_BROKER_URL, REDIS_TEST_URL
from tests.factories import ServicePageFactory

pytestmark = pytest.mark.django_db


def found(text: str) -> list[int]:
    return [hit.page_id for hit in get_search_backend().search(SearchQuery(text=text)).hits]


@pytest.mark.parametrize("broker", [REDIS_TEST_URL], indirect=True)
def test_an_index_update_whose_task_never_runs_is_caught_up_by_the_drain(
    broker: str, redis_client: Any, organisation: Any, committed: Any, settings: Any
) -> None:
    settings.SEARCH_OUTBOX_GRACE_SECONDS = 0
    with committed():
        page = ServicePageFactory(parent=organisation, title="Men's shed at the quay")

    assert redis_client.llen("celery") == 1  # queued, and no worker will ever run it
    assert found("shed") == []
    assert outbox.pending() == 1

    assert tasks.drain_listing_outbox() == 1
    assert found("shed") == [page.pk]
    assert outbox.pending() == 0


@pytest.mark.parametrize("broker", [DEAD_BROKER_URL], indirect=True)
def test_publishing_with_the_broker_down_owes_the_index_nothing(
    broker: str, organisation: Any, committed: Any
) -> None:
    with committed():
        page = ServicePageFactory(parent=organisation, title="Men's shed at the quay")
    assert page.live and found("shed") == [page.pk]
    assert outbox.pending() == 0


def test_a_rolled_back_publish_leaves_no_outbox_row(organisation: Any) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        ServicePageFactory(parent=organisation, title="Never published")
        raise RuntimeError
    assert outbox.pending() == 0


@pytest.mark.parametrize("broker", [DEAD_BROKER_URL], indirect=True)
def test_an_import_started_with_the_broker_down_fails_with_a_clear_message(
    broker: str, client: Any, make_user: Any, committed: Any, settings: Any, tmp_path: Any
) -> None:
    settings.VAR_DIR = tmp_path
    client.force_login(make_user(Role.COUNCIL_ADMIN))
    upload = SimpleUploadedFile("feed.json", b"[]", content_type="application/json")
    with committed():
        response = client.post(
            "/admin/imports/", {"kind": "oruk", "mode": "dry_run", "upload": upload}
        )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert "the task queue could not be reached" in run.report
    assert "could not be reached" in client.get(response["Location"]).content.decode()


def test_an_import_whose_process_died_is_stopped_and_can_be_resumed(
    client: Any, make_user: Any, committed: Any, settings: Any, tmp_path: Any
) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text('[{"id": "a1", "name": "Knit and Natter", "organization": {"id": "o1"}}]')
    silent_since = timezone.now() - timedelta(minutes=settings.IMPORT_HEARTBEAT_TIMEOUT_MINUTES + 1)
    run = ImportRun.objects.create(
        kind="oruk", file_path=str(feed), file_name="feed.json", dry_run=False, publish=True,
        status=ImportStatus.RUNNING, started_at=silent_since, heartbeat_at=silent_since,
    )  # fmt: skip
    alive = ImportRun.objects.create(
        kind="oruk", status=ImportStatus.RUNNING, started_at=silent_since,
        heartbeat_at=timezone.now(),
    )  # fmt: skip

    client.force_login(make_user(Role.COUNCIL_ADMIN))
    page = client.get(f"/admin/imports/{run.pk}/").content.decode()
    run.refresh_from_db()
    alive.refresh_from_db()
    assert run.status == ImportStatus.STOPPED and alive.status == ImportStatus.RUNNING
    assert "gave no sign of life" in page and 'value="resume"' in page

    with committed():
        client.post(f"/admin/imports/{run.pk}/action/", {"action": "resume"})
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE and run.created == 1
    assert stop_abandoned_runs() == 0
