"""Council approval, made quick to do well.

- **A rejection carries a message.** "Request changes" needs a comment saying what to
  change (``RequestChangesForm``); every way of rejecting a listing in the admin asks
  for it (``lifecycle.moderation_views``).
- **The organisation's editors are told**, all of them rather than only the person
  who submitted, when a change is approved or sent back, with the moderator's
  message. Wagtail's ``workflow_approved`` and ``workflow_rejected`` signals fire as
  usual; our receivers take the place of Wagtail's own approval and rejection
  notifiers (which tell only the submitter, unbranded), so nobody gets two emails.
  An editor who turned those notifications off in their account is not emailed.
- **The queue** is every listing awaiting approval, the longest waiting first.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.forms import TaskStateCommentForm
from wagtail.models import Page, Task, TaskState, WorkflowState, get_default_page_content_type
from wagtail.signals import workflow_approved, workflow_rejected

from directory.models import OrganisationPage
from directory.site import absolute_url, base_url
from lifecycle.emails import send_branded_email

logger = logging.getLogger(__name__)

REJECT = "reject"

#: Wagtail connects its approval and rejection notifiers under these ids
#: (wagtail.admin.signal_handlers). A receiver connected first under the same id and
#: sender takes their place: lifecycle's ``ready`` runs before wagtail.admin's, as
#: lifecycle comes first in INSTALLED_APPS. Were Wagtail to rename them, editors would
#: get Wagtail's email as well as ours, never neither (tests/lifecycle/test_moderation.py
#: counts the emails).
WAGTAIL_APPROVED_NOTIFIER_UID = "workflow_state_approved_email_notification"
WAGTAIL_REJECTED_NOTIFIER_UID = "workflow_state_rejected_email_notification"


class RequestChangesForm(TaskStateCommentForm):
    """Wagtail's comment form, with the comment required: the editors need to know
    what to change."""

    comment = forms.CharField(
        label="What needs changing",
        help_text="This is emailed to the organisation's editors.",
        widget=forms.Textarea({"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say what the editors need to change"},
    )

    def clean_comment(self) -> str:
        comment = str(self.cleaned_data.get("comment", "")).strip()
        if not comment:
            raise forms.ValidationError("Say what the editors need to change")
        return comment


def form_for_action(task: Task, action: str) -> type[forms.Form] | None:
    """The form an action on ``task`` takes: a required message for a rejection."""
    if action == REJECT:
        return RequestChangesForm
    form: type[forms.Form] | None = task.get_form_for_action(action)
    return form


def rejection_problem(task: Task, action: str, data: dict[str, Any]) -> str:
    """Why ``data`` cannot go with ``action`` ('' when it can)."""
    form_class = form_for_action(task, action)
    if action != REJECT or form_class is None:
        return ""
    form = form_class(data)
    if form.is_valid():
        return ""
    return "; ".join(str(error) for errors in form.errors.values() for error in errors)


# --- where a moderator goes ------------------------------------------------------------


def review_url(page_id: int) -> str:
    """The review screen: the change beside the live listing, approve or send back."""
    return reverse("moderation_review", args=[page_id])


def compare_with_live_url(page: Page, revision_id: int) -> str:
    """Wagtail's own field-by-field comparison of the live page and a revision."""
    return reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "live", revision_id])


def page_in_moderation(page: Page) -> TaskState | None:
    """The task state awaiting a decision on ``page``, if any."""
    return (
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type=get_default_page_content_type(),
            workflow_state__object_id=str(page.pk),
        )
        .select_related("workflow_state", "revision")
        .order_by("-started_at")
        .first()
    )


@dataclass
class Waiting:
    task_state: TaskState
    page: Page
    organisation: Page | None
    title: str
    submitted_at: dt.datetime
    submitted_by: str
    waiting: dt.timedelta

    @property
    def review_url(self) -> str:
        return review_url(self.page.pk)

    @property
    def compare_url(self) -> str:
        return compare_with_live_url(self.page, self.task_state.revision_id)


def organisation_of(page: Page) -> OrganisationPage | None:
    """The organisation a listing belongs to: itself, or the organisation above it."""
    found = (
        OrganisationPage.objects.filter(path__in=_ancestor_paths(page.path))
        .order_by("depth")
        .last()
    )
    return found


def _ancestor_paths(path: str) -> list[str]:
    step = Page.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def moderation_queue(now: dt.datetime | None = None) -> list[Waiting]:
    """Every page awaiting approval, the longest waiting first. Three queries,
    however long the queue."""
    now = now or timezone.now()
    states = list(
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type=get_default_page_content_type(),
        )
        .select_related("workflow_state", "revision", "revision__user")
        .order_by("started_at", "pk")
    )
    page_ids = {int(state.workflow_state.object_id) for state in states}
    pages = {page.pk: page for page in Page.objects.filter(pk__in=page_ids)}
    wanted_paths = {path for page in pages.values() for path in _ancestor_paths(page.path)}
    organisations = {
        organisation.path: organisation
        for organisation in OrganisationPage.objects.filter(path__in=wanted_paths)
    }
    queue = []
    for state in states:
        page = pages.get(int(state.workflow_state.object_id))
        if page is None:
            continue
        organisation = next(
            (organisations[p] for p in _ancestor_paths(page.path) if p in organisations), None
        )
        user = state.revision.user if state.revision_id else None
        queue.append(
            Waiting(
                task_state=state,
                page=page,
                organisation=organisation,
                title=state.revision.object_str if state.revision_id else page.title,
                submitted_at=state.started_at,
                submitted_by=(user.get_full_name() or user.get_username()) if user else "",
                waiting=now - state.started_at,
            )
        )
    return queue


# --- telling the editors ----------------------------------------------------------------


def editor_addresses(organisation: OrganisationPage, notification: str) -> list[str]:
    """The organisation's editors' addresses, less those who turned ``notification``
    ("approved" or "rejected") off in their Wagtail account."""
    if organisation.editors_group_id is None:
        return []
    users = (
        get_user_model()
        .objects.filter(groups=organisation.editors_group_id, is_active=True)
        .exclude(email="")
        .exclude(**{f"wagtail_userprofile__{notification}_notifications": False})
    )
    return list(users.values_list("email", flat=True))


def _context(workflow_state: WorkflowState) -> tuple[Page, OrganisationPage, dict[str, Any]] | None:
    content = workflow_state.content_object
    if not isinstance(content, Page):
        return None
    page = content.specific
    organisation = organisation_of(page)
    if organisation is None:
        return None
    context = {
        "page": page,
        "organisation": organisation,
        "edit_url": f"{base_url()}{reverse('wagtailadmin_pages:edit', args=[page.pk])}",
        "listing_url": absolute_url(page) if page.live else "",
    }
    return page, organisation, context


def tell_editors_approved(sender: Any, instance: WorkflowState, user: Any = None, **_: Any) -> int:
    found = _context(instance)
    if found is None:
        return 0
    page, organisation, context = found
    sent = send_branded_email(
        editor_addresses(organisation, "approved"),
        f"Approved: {page.title}",
        "lifecycle/emails/change_approved",
        context,
    )
    logger.info("Approval of page %d sent to %d editor(s)", page.pk, sent)
    return sent


def tell_editors_rejected(sender: Any, instance: WorkflowState, user: Any = None, **_: Any) -> int:
    found = _context(instance)
    if found is None:
        return 0
    page, organisation, context = found
    task_state = instance.current_task_state
    context["comment"] = task_state.get_comment() if task_state else ""
    sent = send_branded_email(
        editor_addresses(organisation, "rejected"),
        f"Changes requested: {page.title}",
        "lifecycle/emails/changes_requested",
        context,
    )
    # The count only: the message may name people.
    logger.info("Request for changes to page %d sent to %d editor(s)", page.pk, sent)
    return sent


def connect() -> None:
    """Called from ``LifecycleConfig.ready`` (see WAGTAIL_*_NOTIFIER_UID)."""
    workflow_approved.connect(
        tell_editors_approved, sender=WorkflowState, dispatch_uid=WAGTAIL_APPROVED_NOTIFIER_UID
    )
    workflow_rejected.connect(
        tell_editors_rejected, sender=WorkflowState, dispatch_uid=WAGTAIL_REJECTED_NOTIFIER_UID
    )
