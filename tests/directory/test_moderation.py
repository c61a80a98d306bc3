"""Nothing goes live until a council moderator approves it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from cms.workflows.roles import APPROVAL_WORKFLOW_NAME, Role
from directory.models import ServicePage
from tests.admin_forms import service_edit_form


def public_surfaces(client: Any, service: ServicePage) -> dict[str, str]:
    """Every public place a listing's text appears, as rendered HTML."""
    organisation = service.get_parent()
    return {
        "service page": client.get(service.url).content.decode(),
        "organisation page": client.get(organisation.url).content.decode(),
        "search": client.get("/search/", {"q": "Lunch"}).content.decode(),
    }


@pytest.mark.django_db
def test_every_page_uses_the_council_approval_workflow(service: ServicePage) -> None:
    workflow = service.get_workflow()
    assert workflow is not None and workflow.name == APPROVAL_WORKFLOW_NAME
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [Role.COUNCIL_MODERATOR.value]


@pytest.mark.django_db
def test_unapproved_edit_leaves_old_content_public_until_a_moderator_approves(
    client: Any,
    make_user: Any,
    organisation: Any,
    indexed_service: ServicePage,
    committed: Any,
) -> None:
    service = indexed_service
    editor = make_user(Role.ORGANISATION_EDITOR, organisation)
    moderator = make_user(Role.COUNCIL_MODERATOR)
    old_title, new_title = service.title, "Tuesday Lunch and Laughter Club"

    client.force_login(editor)
    with committed():
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[service.pk]),
            service_edit_form(service, action="submit", title=new_title, summary="Now with bingo."),
        )
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(service.pk), status="in_progress")

    client.logout()
    for surface, html in public_surfaces(client, service).items():
        assert old_title in html, surface
        assert new_title not in html, surface
        assert "Now with bingo." not in html, surface

    client.force_login(moderator)
    task_state = state.current_task_state
    with committed():
        response = client.post(
            reverse(
                "wagtailadmin_pages:workflow_action", args=[service.pk, "approve", task_state.pk]
            ),
            {"comment": "Looks good"},
        )
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == "approved"

    client.logout()
    service.refresh_from_db()
    for surface, html in public_surfaces(client, service).items():
        assert new_title in html, surface


@pytest.mark.django_db
def test_rejected_edit_never_goes_live(
    client: Any, make_user: Any, organisation: Any, service: ServicePage
) -> None:
    editor = make_user(Role.ORGANISATION_EDITOR, organisation)
    moderator = make_user(Role.COUNCIL_MODERATOR)
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[service.pk]),
        service_edit_form(service, action="submit", title="Rejected title"),
    )
    state = WorkflowState.objects.get(object_id=str(service.pk), status="in_progress")
    client.force_login(moderator)
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[service.pk, "reject", state.current_task_state.pk],
        ),
        {"comment": "Please add opening times"},
    )
    state.refresh_from_db()
    assert state.status == "needs_changes"
    client.logout()
    assert "Rejected title" not in client.get(service.url).content.decode()


@pytest.mark.django_db
def test_new_listing_by_editor_is_not_public_until_approved(
    client: Any, make_user: Any, organisation: Any
) -> None:
    editor = make_user(Role.ORGANISATION_EDITOR, organisation)
    draft = ServicePage(title="Brand new walking group", slug="walking-group", summary="Walks")
    organisation.add_child(instance=draft)
    draft.owner = editor
    draft.live = False
    draft.save()
    draft.save_revision(user=editor)
    assert (
        "Brand new walking group" not in client.get("/search/", {"q": "walking"}).content.decode()
    )
    assert client.get(f"{organisation.url}walking-group/").status_code == 404
