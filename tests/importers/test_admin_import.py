"""The "Import listings" admin page: who may use it, uploads, the run page and its report."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.workflows.roles import Role
from directory.models import ServicePage
from importers import views
from importers.models import ImportRun, ImportStatus

FEED = json.dumps(
    [{"id": "a1", "name": "Knit and Natter", "description": "<script>x</script>Wool.",
      "organization": {"id": "o1", "name": "Crafty Folk"}}]
).encode()  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.COUNCIL_ADMIN, True),
        (Role.COUNCIL_MODERATOR, True),
        (Role.ORGANISATION_EDITOR, False),
        (Role.CONTACT_OFFICER, False),
    ],
)
def test_only_council_admins_and_moderators(client, make_user, role, allowed) -> None:
    client.force_login(make_user(role))
    response = client.get("/admin/imports/")
    # Wagtail answers a denied admin page with a redirect to the dashboard (or a 403).
    assert (response.status_code == 200) is allowed
    menu = client.get("/admin/").content.decode()
    assert ("Import listings" in menu) is allowed


@pytest.mark.django_db
def test_dry_run_upload_then_import_for_real(
    client, make_user, committed, settings, tmp_path
) -> None:
    settings.VAR_DIR = tmp_path  # uploads are kept under VAR_DIR/imports
    client.force_login(make_user(Role.COUNCIL_ADMIN))
    upload = SimpleUploadedFile("feed.json", FEED, content_type="application/json")
    with committed():
        response = client.post(
            "/admin/imports/", {"kind": "oruk", "mode": "dry_run", "upload": upload}
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/imports/{run.pk}/"
    # Celery is eager here, so the run is over by the time the page loads.
    page = client.get(f"/admin/imports/{run.pk}/").content.decode()
    assert run.__class__.objects.get().status == ImportStatus.DONE
    assert "Would import feed: 1 created" in page and 'http-equiv="refresh"' not in page
    assert not ServicePage.objects.exists()

    with committed():
        response = client.post(f"/admin/imports/{run.pk}/action/", {"action": "draft"})
    real = ImportRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == f"/admin/imports/{real.pk}/"
    real.refresh_from_db()
    assert real.status == ImportStatus.DONE and real.created == 1 and not real.dry_run
    page = ServicePage.objects.get()
    assert not page.live and page.description == "Wool."


@pytest.mark.django_db
def test_running_page_refreshes_itself(client, make_user) -> None:
    client.force_login(make_user(Role.COUNCIL_MODERATOR))
    run = ImportRun.objects.create(
        kind="oruk", url="https://example.org/services", status="running", processed=5, total=20
    )
    page = client.get(f"/admin/imports/{run.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and "5 of 20 (25%)" in page


@pytest.mark.django_db
def test_oversized_upload_is_refused_with_a_clear_message(client, make_user, monkeypatch) -> None:
    monkeypatch.setattr(views, "MAX_UPLOAD_BYTES", 1000)
    monkeypatch.setattr(views.SizeLimitHandler.__init__, "__defaults__", (None, 1000))
    client.force_login(make_user(Role.COUNCIL_ADMIN))
    upload = SimpleUploadedFile("big.json", b"[" + b" " * 5000 + b"]")
    response = client.post("/admin/imports/", {"kind": "oruk", "mode": "dry_run", "upload": upload})
    assert response.status_code == 200
    assert "The file is larger than" in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_form_needs_exactly_one_input_and_urls_only_for_feeds(client, make_user) -> None:
    client.force_login(make_user(Role.COUNCIL_ADMIN))
    response = client.post("/admin/imports/", {"kind": "oruk", "mode": "dry_run"})
    assert "Upload a file or give a feed address" in response.content.decode()
    response = client.post(
        "/admin/imports/", {"kind": "csv", "mode": "dry_run", "url": "https://example.org/x.csv"}
    )
    assert "Only ORUK feeds can be fetched" in response.content.decode()
    assert not ImportRun.objects.exists()
