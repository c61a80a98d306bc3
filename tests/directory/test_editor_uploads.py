"""An organisation editor's upload can never be public before approval: editors upload
no documents or images at all (Wagtail serves a document as soon as it exists)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document

from cms.workflows.roles import Role

pytestmark = pytest.mark.django_db


def upload(client: Any, user: Any) -> Any:
    client.force_login(user)
    leaflet = SimpleUploadedFile("leaflet.txt", b"Bring a friend.", content_type="text/plain")
    return client.post("/admin/documents/add/", {"title": "Leaflet", "file": leaflet})


def test_an_editor_cannot_upload_a_document_for_anyone_to_download(
    client: Any, make_user: Any, organisation: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload(client, make_user(Role.ORGANISATION_EDITOR, organisation))
    assert not Document.objects.exists()
    editor_menu = client.get("/admin/").content.decode()
    assert "/admin/documents/" not in editor_menu and "/admin/images/" not in editor_menu


def test_a_moderator_still_can(client: Any, moderator: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload(client, moderator)
    document = Document.objects.get()
    client.logout()
    assert client.get(document.url).status_code == 200
