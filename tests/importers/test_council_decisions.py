"""A re-import never republishes what a person unpublished, unless asked to restore it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from cms.workflows.roles import Role
from directory.models import OrganisationPage, ServicePage
from importers.models import ImportRun
from importers.sources.oruk import import_oruk

pytestmark = pytest.mark.django_db


def feed(tmp_path: Path, description: str) -> Path:
    # One file name, so every import of it has the same source (the upsert key).
    path = tmp_path / f"v{abs(hash(description))}" / "feed.json"
    path.parent.mkdir(exist_ok=True)
    record = {
        "id": "a1",
        "name": "Knit and Natter",
        "description": description,
        "organization": {"id": "o1", "name": "Crafty Folk", "description": description},
    }
    path.write_text(json.dumps([record]))
    return path


def imported(tmp_path: Path, committed: Any) -> tuple[OrganisationPage, ServicePage]:
    with committed():
        import_oruk(feed(tmp_path, "Wool and chat."))
    service = ServicePage.objects.get(external_id="a1")
    assert service.live
    return OrganisationPage.objects.get(pk=service.get_parent().pk), service


def test_a_service_a_moderator_unpublished_stays_unpublished(
    tmp_path: Path, committed: Any, moderator: Any
) -> None:
    _org, service = imported(tmp_path, committed)
    with committed():
        service.unpublish(user=moderator)

    with committed():
        report = import_oruk(feed(tmp_path, "Wool, chat and cake."))

    service.refresh_from_db()
    assert not service.live
    assert report.updated == 1
    assert "left unpublished: a moderator unpublished it on" in report.summary()
    # The feed's change is kept as a draft for the moderator to see.
    assert "cake" in service.get_latest_revision_as_object().description

    with committed():
        call_command("import_oruk", str(feed(tmp_path, "Wool, chat and cake.")),
                     "--restore-unpublished")  # fmt: skip
    service.refresh_from_db()
    assert service.live and "cake" in service.description
    assert "published again, as asked" in ImportRun.objects.latest("pk").report


def test_an_organisation_a_moderator_unpublished_stays_unpublished(
    tmp_path: Path, committed: Any, moderator: Any
) -> None:
    org, _service = imported(tmp_path, committed)
    with committed():
        org.unpublish(user=moderator)

    with committed():
        report = import_oruk(feed(tmp_path, "Wool, chat and cake."))

    org.refresh_from_db()
    assert not org.live
    assert f"'{org.title}': left unpublished: a moderator unpublished it on" in report.summary()

    with committed():
        report = import_oruk(feed(tmp_path, "Wool, chat and cake."), restore_unpublished=True)
    org.refresh_from_db()
    assert org.live
    assert "published again, as asked" in report.summary()


def test_a_page_the_import_left_as_a_draft_is_still_published_later(
    tmp_path: Path, committed: Any
) -> None:
    with committed():
        import_oruk(feed(tmp_path, "Wool and chat."), publish=False)
    with committed():
        report = import_oruk(feed(tmp_path, "Wool, chat and cake."))
    assert ServicePage.objects.get(external_id="a1").live
    assert "left unpublished" not in report.summary()


def test_the_admin_import_page_offers_to_restore(
    client: Any, make_user: Any, committed: Any, settings: Any, tmp_path: Path, moderator: Any
) -> None:
    settings.VAR_DIR = tmp_path
    _org, service = imported(tmp_path, committed)
    with committed():
        service.unpublish(user=moderator)
    client.force_login(make_user(Role.COUNCIL_ADMIN))
    upload = SimpleUploadedFile("feed.json", feed(tmp_path, "Wool.").read_bytes())
    form = {"kind": "oruk", "mode": "publish", "upload": upload, "restore_unpublished": "on"}
    with committed():
        client.post("/admin/imports/", form)
    run = ImportRun.objects.latest("pk")
    assert run.restore_unpublished
    service.refresh_from_db()
    assert service.live
