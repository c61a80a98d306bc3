"""Council approval made quick to do well: the review screen compares the change with the
live listing (inline parts included), a change is never sent back without a message,
every editor of the organisation hears the decision, and the queue is worked oldest
first."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import WorkflowState

from cms.workflows.roles import Role
from directory.models import ServicePage
from directory.permissions import add_user_to_organisation
from tests.admin_forms import service_edit_form
from tests.factories import ServicePageFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(make_user: Any, organisation: Any) -> Any:
    return make_user(Role.ORGANISATION_EDITOR, organisation)


@pytest.fixture
def colleague(organisation: Any) -> Any:
    """A second editor of the same organisation, who did not submit anything."""
    user = UserFactory(username="colleague")
    add_user_to_organisation(user, organisation)
    return user


@pytest.fixture
def outsider(make_user: Any, other_organisation: Any) -> Any:
    return make_user(Role.ORGANISATION_EDITOR, other_organisation)


def submit(editor: Any, service: ServicePage, **changes: Any) -> WorkflowState:
    """The editor changes the listing through the admin and sends it for approval."""
    body = service_edit_form(service, action="submit")
    for key, value in changes.items():
        body[key] = value
    response = signed_in(editor).post(reverse("wagtailadmin_pages:edit", args=[service.pk]), body)
    assert response.status_code == 302, response.content[:2000]
    return WorkflowState.objects.get(object_id=str(service.pk), status="in_progress")


def in_progress(service: ServicePage) -> bool:
    return WorkflowState.objects.filter(object_id=str(service.pk), status="in_progress").exists()


def review_page(moderator: Any, page: ServicePage) -> str:
    return str(
        signed_in(moderator).get(reverse("moderation_review", args=[page.pk])).content.decode()
    )


def mail_to(address: str) -> list[Any]:
    return [message for message in mail.outbox if message.to == [address]]


# --- the comparison -------------------------------------------------------------------


def test_review_shows_a_changed_field_and_a_changed_location(
    editor: Any, moderator: Any, service: ServicePage
) -> None:
    assert service.locations.get().postcode == "BH1 1AA"
    submit(
        editor,
        service,
        title="Tuesday Lunch and Laughter Club",
        **{"locations-0-postcode": "BH15 1SZ"},
    )

    html = review_page(moderator, service)
    assert "Laughter" in html  # the changed title
    assert "Postcode" in html and "BH15" in html  # the changed inline part
    assert 'class="deletion"' in html and 'class="addition"' in html
    # Wagtail's own comparison with live, one click from the queue, shows it too.
    queue = signed_in(moderator).get(reverse("moderation_queue")).content.decode()
    state = WorkflowState.objects.get(object_id=str(service.pk))
    compare = reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[service.pk, "live", state.current_task_state.revision_id],
    )
    assert compare in queue
    assert "BH15" in signed_in(moderator).get(compare).content.decode()


def test_review_of_an_unchanged_location_does_not_list_locations(
    editor: Any, moderator: Any, service: ServicePage
) -> None:
    submit(editor, service, summary="Now with bingo.")
    html = review_page(moderator, service)
    assert "bingo" in html
    assert "Postcode" not in html


def test_a_schedule_and_a_contact_change_show_in_the_review(
    editor: Any, moderator: Any, service: ServicePage
) -> None:
    submit(editor, service, **{"schedules-0-byday": "WE", "contacts-0-phone": "01202 999888"})
    html = review_page(moderator, service)
    assert '<span class="addition">999888</span>' in html
    assert '<span class="deletion">TU</span><span class="addition">WE</span>' in html


def test_the_email_to_moderators_links_to_the_review(
    editor: Any, moderator: Any, service: ServicePage
) -> None:
    submit(editor, service, title="Changed title")
    [message] = mail_to(moderator.email)
    review = reverse("moderation_review", args=[service.pk])
    assert f"{settings.WAGTAILADMIN_BASE_URL}{review}" in message.body


def test_a_new_listing_says_it_is_new(editor: Any, moderator: Any, organisation: Any) -> None:
    draft = ServicePage(title="Brand new walking group", slug="walking-group", summary="Walks")
    organisation.add_child(instance=draft)
    draft.live = False
    draft.save()
    form = service_edit_form(draft, action="submit")
    signed_in(editor).post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), form)
    html = signed_in(moderator).get(reverse("moderation_review", args=[draft.pk])).content.decode()
    assert "never been live" in html


# --- deciding ---------------------------------------------------------------------------


def test_request_changes_without_a_message_is_refused_everywhere(
    editor: Any, moderator: Any, service: ServicePage
) -> None:
    state = submit(editor, service, title="Needs work")
    task_state = state.current_task_state
    client = signed_in(moderator)
    mail.outbox.clear()

    # The review screen.
    response = client.post(
        reverse("moderation_review", args=[service.pk]), {"action": "reject", "comment": "  "}
    )
    assert response.status_code == 200
    assert "Say what the editors need to change" in response.content.decode()
    # Wagtail's workflow action (the dashboard's "Request changes").
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[service.pk, "reject", task_state.pk]),
        {"comment": ""},
    )
    # Wagtail's modal in the editor, which checks the data before the editor posts it.
    modal = client.post(
        reverse(
            "wagtailadmin_pages:collect_workflow_action_data",
            args=[service.pk, "reject", task_state.pk],
        ),
        {"comment": ""},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert json.loads(modal.content)["step"] == "action"  # the form again, with its error
    # The editor's form posted with empty data, as a hand-made request would.
    body = service_edit_form(service)
    body.update(
        {
            "action-workflow-action": "true",
            "workflow-action-name": "reject",
            "workflow-action-extra-data": json.dumps({"comment": ""}),
        }
    )
    client.post(reverse("wagtailadmin_pages:edit", args=[service.pk]), body)

    assert in_progress(service)
    assert not mail.outbox


def test_request_changes_from_the_editor_modal_with_a_message_works(
    editor: Any, colleague: Any, moderator: Any, service: ServicePage
) -> None:
    submit(editor, service, title="Needs work")
    body = service_edit_form(service)
    body.update(
        {
            "action-workflow-action": "true",
            "workflow-action-name": "reject",
            "workflow-action-extra-data": json.dumps({"comment": "Add the Tuesday times."}),
        }
    )
    signed_in(moderator).post(reverse("wagtailadmin_pages:edit", args=[service.pk]), body)
    assert WorkflowState.objects.get(object_id=str(service.pk)).status == "needs_changes"
    assert "Add the Tuesday times." in mail_to(colleague.email)[0].body


def test_request_changes_emails_every_editor_with_the_message(
    editor: Any,
    colleague: Any,
    outsider: Any,
    moderator: Any,
    service: ServicePage,
) -> None:
    submit(editor, service, title="Needs work")
    mail.outbox.clear()
    response = signed_in(moderator).post(
        reverse("moderation_review", args=[service.pk]),
        {"action": "reject", "comment": "Please add the opening times for Tuesdays."},
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(service.pk))
    assert state.status == "needs_changes"

    for person in (editor, colleague):
        [message] = mail_to(person.email)  # one each: Wagtail's own notice is replaced
        assert "Changes requested" in message.subject
        assert "Bournemouth, Christchurch and Poole Council" in message.subject
        assert "Please add the opening times for Tuesdays." in message.body
        html = message.alternatives[0][0]
        assert "Please add the opening times for Tuesdays." in html
        assert reverse("wagtailadmin_pages:edit", args=[service.pk]) in message.body
    assert not mail_to(outsider.email) and not mail_to(moderator.email)
    # Wagtail's signal fired as usual: its log records the rejection with the comment.
    assert state.current_task_state.get_comment() == "Please add the opening times for Tuesdays."


def test_approval_publishes_and_emails_every_editor(
    editor: Any, colleague: Any, moderator: Any, service: ServicePage
) -> None:
    submit(editor, service, title="Tuesday Lunch and Laughter Club")
    mail.outbox.clear()
    signed_in(moderator).post(
        reverse("moderation_review", args=[service.pk]), {"action": "approve"}
    )
    service.refresh_from_db()
    assert service.title == "Tuesday Lunch and Laughter Club" and service.live
    for person in (editor, colleague):
        [message] = mail_to(person.email)
        assert message.subject.startswith("Approved: Tuesday Lunch and Laughter Club")
        assert service.url in message.body


def test_a_change_decided_meanwhile_goes_back_to_the_queue_with_a_message(
    editor: Any, moderator: Any, service: ServicePage
) -> None:
    submit(editor, service, title="Decided already")
    client = signed_in(moderator)
    review = reverse("moderation_review", args=[service.pk])
    client.post(review, {"action": "approve"})
    mail.outbox.clear()
    response = client.post(review, {"action": "reject", "comment": "Too late"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("moderation_queue")
    assert "not awaiting approval any more" in response.content.decode()
    assert WorkflowState.objects.get(object_id=str(service.pk)).status == "approved"
    assert not mail.outbox


def test_approval_through_wagtails_own_button_emails_editors_too(
    editor: Any, colleague: Any, moderator: Any, service: ServicePage
) -> None:
    state = submit(editor, service, title="Approved elsewhere")
    mail.outbox.clear()
    signed_in(moderator).post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[service.pk, "approve", state.current_task_state.pk],
        ),
        {},
    )
    assert len(mail_to(editor.email)) == 1 and len(mail_to(colleague.email)) == 1


def test_an_editor_who_turned_off_rejection_notices_is_not_emailed(
    editor: Any, colleague: Any, moderator: Any, service: ServicePage
) -> None:
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(colleague)
    profile.rejected_notifications = False
    profile.save()
    submit(editor, service, title="Needs work")
    mail.outbox.clear()
    signed_in(moderator).post(
        reverse("moderation_review", args=[service.pk]), {"action": "reject", "comment": "No."}
    )
    assert mail_to(editor.email) and not mail_to(colleague.email)


def test_an_editor_cannot_review_or_decide(editor: Any, service: ServicePage) -> None:
    submit(editor, service, title="My own change")
    client = signed_in(editor)
    # Wagtail's admin turns a refusal into a redirect to the dashboard, with a message.
    refused = client.get(reverse("moderation_review", args=[service.pk]))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    client.post(reverse("moderation_review", args=[service.pk]), {"action": "approve"})
    assert in_progress(service)
    assert client.get(reverse("moderation_queue")).status_code == 302


# --- the queue ---------------------------------------------------------------------------


def test_queue_lists_the_longest_waiting_first(
    editor: Any, moderator: Any, organisation: Any, service: ServicePage
) -> None:
    second = ServicePageFactory(parent=organisation, title="Wednesday Walk")
    third = ServicePageFactory(parent=organisation, title="Thursday Knit")
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        submit(editor, second, title="Wednesday Walk (changed)")
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        submit(editor, third, title="Thursday Knit (changed)")
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        submit(editor, service, title="Tuesday Lunch (changed)")

    with time_machine.travel(dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC), tick=False):
        html = signed_in(moderator).get(reverse("moderation_queue")).content.decode()
    rows = [html.index(f'data-queue-page="{page.pk}"') for page in (service, second, third)]
    assert rows == sorted(rows)
    assert "Tuesday Lunch (changed)" in html and organisation.title in html
    assert "3\xa0days" in html  # waiting since 1 March
    assert reverse("moderation_review", args=[service.pk]) in html


def test_queue_menu_item_is_for_moderators_and_admins_only(
    make_user: Any, organisation: Any
) -> None:
    from django.test import RequestFactory
    from wagtail.admin.menu import admin_menu

    def names(user: Any) -> set[str]:
        request = RequestFactory().get("/admin/")
        request.user = user
        return {item.name for item in admin_menu.menu_items_for_request(request)}

    assert "awaiting-approval" in names(make_user(Role.COUNCIL_MODERATOR))
    assert "awaiting-approval" in names(make_user(Role.COUNCIL_ADMIN))
    assert "awaiting-approval" not in names(make_user(Role.ORGANISATION_EDITOR, organisation))
    assert "awaiting-approval" not in names(make_user(Role.CONTACT_OFFICER))
