"""An organisation editor's home in the Wagtail admin: "Your listings", each with where
it stands and the one thing to do next, and an admin without the menus and panels an
editor cannot use.

Where a listing stands comes from what already records it: Wagtail's workflow states
(awaiting approval, changes requested, with the moderator's message), the open problem
reports, the last link check (``broken_links_for``) and the review rule
(``directory.reviews``). A handful of queries per organisation, whatever its size.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState, get_default_page_content_type

from cms.workflows.roles import is_council_staff
from directory import reviews
from directory.models import OrganisationPage, ServicePage
from lifecycle.linkcheck import broken_links_for
from lifecycle.models import ProblemReport, ReportStatus

#: Wagtail's own main-menu items an organisation editor has no use for.
MENU_ITEMS_HIDDEN_FROM_EDITORS = frozenset(
    {"reports", "help", "images", "documents", "snippets", "settings"}
)
#: Wagtail's dashboard panels an editor has no use for: they lock nothing and moderate
#: nothing, and "Your listings" already shows what is awaiting approval.
PANELS_HIDDEN_FROM_EDITORS = frozenset(
    {"locked_pages", "workflow_objects_to_moderate", "user_objects_in_workflow_moderation"}
)
#: Statuses that ask nothing of the editor.
NOTHING_TO_DO = frozenset({"live", "awaiting_approval"})
#: The Wagtail admin URL name of "Confirm it is still correct" (``start_confirmation``).
CONFIRM_URL_NAME = "editor_confirm_listing"


def editors_organisations(user: Any) -> list[OrganisationPage]:
    """The organisations whose editors group the user is in."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(OrganisationPage.objects.filter(editors_group__user=user).order_by("title"))


def is_organisation_editor_only(user: Any) -> bool:
    """An organisation's editor who is not council staff: the admin is cut down to what
    they can use. (A moderator who also edits for a charity keeps the full admin.)"""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return False
    if is_council_staff(user):
        return False
    cached = getattr(user, "_edits_an_organisation", None)
    if cached is None:
        cached = OrganisationPage.objects.filter(editors_group__user=user).exists()
        user._edits_an_organisation = cached
    return bool(cached)


@dataclass
class Status:
    key: str
    label: str
    #: The GOV.UK-style tag colour the admin shows it in (Wagtail's status tag classes).
    tone: str = "primary"
    detail: str = ""


@dataclass
class Listing:
    page: Page
    organisation: OrganisationPage
    statuses: list[Status] = field(default_factory=list)
    action_label: str = "Edit"
    action_url: str = ""
    #: "post" for an action that changes something (confirming), else a plain link.
    action_method: str = "get"
    review_due_on: dt.date | None = None

    @property
    def is_organisation(self) -> bool:
        return isinstance(self.page, OrganisationPage)


def review_status_for(page: Page, today: dt.date) -> Status | None:
    """The review status of a listing, when it needs the editor (the one place the
    review rule plugs into the panel)."""
    if not isinstance(page, ServicePage) or not page.live:
        return None
    status = reviews.review_status(page, today)
    if status is reviews.ReviewStatus.CURRENT:
        return None
    tone = "warning" if status is reviews.ReviewStatus.DUE_SOON else "critical"
    due = reviews.review_due_on(page)
    detail = f"Due {due:%-d %B %Y}" if due else ""
    return Status(f"review_{status.name.lower()}", status.label, tone, detail)


def confirm_url(page: Page) -> str:
    """Where "Confirm it is still correct" posts to (see ``start_confirmation``)."""
    return reverse(CONFIRM_URL_NAME, args=[page.pk])


def _active_workflows(page_ids: list[int]) -> dict[int, WorkflowState]:
    """Each page's workflow in progress or sent back for changes (at most one each)."""
    states = (
        WorkflowState.objects.active()
        .filter(
            base_content_type=get_default_page_content_type(),
            object_id__in=[str(pk) for pk in page_ids],
        )
        .select_related("current_task_state")
    )
    return {int(state.object_id): state for state in states}


def _open_reports(service_ids: list[int]) -> dict[int, tuple[int, int]]:
    """service id -> (open reports, the oldest open report's id)."""
    rows = (
        ProblemReport.objects.filter(service_id__in=service_ids, status=ReportStatus.OPEN)
        .values("service_id")
        .annotate(count=Count("pk"))
    )
    counts = {row["service_id"]: row["count"] for row in rows}
    firsts: dict[int, int] = {}
    for service_id, pk in (
        ProblemReport.objects.filter(service_id__in=counts, status=ReportStatus.OPEN)
        .order_by("created_at", "pk")
        .values_list("service_id", "pk")
    ):
        firsts.setdefault(service_id, pk)
    return {sid: (count, firsts[sid]) for sid, count in counts.items()}


def _decide(
    listing: Listing,
    workflow: WorkflowState | None,
    reports: tuple[int, int] | None,
    broken: int,
    today: dt.date,
) -> None:
    """Fill the listing's statuses and its one next action (the most urgent first)."""
    page = listing.page
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    listing.action_url = edit
    in_moderation = workflow is not None and workflow.status == WorkflowState.STATUS_IN_PROGRESS
    if in_moderation:
        assert workflow is not None
        listing.statuses.append(Status("awaiting_approval", "Awaiting approval", "primary"))
        listing.action_label = "View the moderation"
        listing.action_url = reverse(
            "wagtailadmin_pages:workflow_history_detail", args=[page.pk, workflow.pk]
        )
    elif workflow is not None:  # sent back: the moderator's message says what to change
        task_state = workflow.current_task_state
        comment = task_state.get_comment() if task_state else ""
        listing.statuses.append(
            Status("changes_requested", "Changes requested", "critical", comment)
        )
        listing.action_label = "Make the changes"
    elif page.live:
        listing.statuses.append(Status("live", "Live", "success"))
        if page.has_unpublished_changes:
            listing.statuses.append(
                Status("not_submitted", "Changes not sent for approval", "warning")
            )
            listing.action_label = "Send for approval"
    else:
        listing.statuses.append(Status("draft", "Draft, not sent for approval", "warning"))
        listing.action_label = "Send for approval"

    if reports:
        count, first = reports
        noun = "problem" if count == 1 else "problems"
        listing.statuses.append(Status("problem_reported", f"{count} {noun} reported", "critical"))
        if not in_moderation and workflow is None:
            listing.action_label = "See the report" if count == 1 else "See the reports"
            listing.action_url = (
                reverse("problem_report", args=[first])
                if count == 1
                else reverse("problem_reports")
            )
    if broken:
        noun = "link" if broken == 1 else "links"
        listing.statuses.append(Status("broken_link", f"Broken {noun}", "critical"))
        if not in_moderation and workflow is None and not reports:
            listing.action_label = "Fix the link"

    review = review_status_for(page, today)
    if review is not None:
        listing.statuses.append(review)
        listing.review_due_on = reviews.review_due_on(page)
        # Confirming is for a listing whose live version is all there is; a change
        # not yet sent or sent back is finished first.
        if listing.action_label == "Edit" and workflow is None:
            listing.action_label = "Confirm it is still correct"
            listing.action_url = confirm_url(page)
            listing.action_method = "post"


def listings_for(user: Any, today: dt.date | None = None) -> list[Listing]:
    """Every listing of the user's organisations (each organisation page first, then
    its services by title), with its statuses and next action."""
    today = today or reviews.local_today()
    organisations = editors_organisations(user)
    if not organisations:
        return []
    services = list(ServicePage.objects.of_organisations(organisations).order_by("title"))
    by_path = {organisation.path: organisation for organisation in organisations}
    pages: list[Page] = [*organisations, *services]
    page_ids = [page.pk for page in pages]
    workflows = _active_workflows(page_ids)
    reports = _open_reports([service.pk for service in services])
    broken: Counter[int] = Counter()
    for organisation in organisations:
        for check in broken_links_for(organisation):
            broken[check.page_id] += 1

    listings: list[Listing] = []
    for organisation in organisations:
        for page in (organisation, *[s for s in services if s.path.startswith(organisation.path)]):
            listing = Listing(page=page, organisation=by_path[organisation.path])
            _decide(listing, workflows.get(page.pk), reports.get(page.pk), broken[page.pk], today)
            listings.append(listing)
    return listings


class YourListingsPanel(Component):
    """The editor's first panel on the dashboard."""

    name = "your_listings"
    order = 50
    template_name = "lifecycle/admin/your_listings_panel.html"

    def __init__(self, listings: list[Listing]) -> None:
        self.listings = listings

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        needing = [
            listing
            for listing in self.listings
            if any(status.key not in NOTHING_TO_DO for status in listing.statuses)
        ]
        parent_context = parent_context or {}
        return {
            "listings": self.listings,
            "needing_attention": len(needing),
            "request": parent_context.get("request"),
            "csrf_token": parent_context.get("csrf_token"),
        }


def start_confirmation(request: HttpRequest, page_id: int) -> HttpResponse:
    """ "Confirm it is still correct" from the panel: the same confirmation page as the
    review reminder's link (``lifecycle.review_links``), reached with a link issued to
    this editor for this listing now. Confirming is a second click there."""
    if request.method != "POST":
        return redirect("wagtailadmin_home")
    from lifecycle.review_links import issue_token

    user: Any = request.user  # signed in: Wagtail's admin URLs require it
    service = ServicePage.objects.live().filter(pk=page_id).first()
    organisation = (
        OrganisationPage.objects.filter(
            editors_group__user=user, path=service.path[: -Page.steplen]
        ).first()
        if service is not None
        else None
    )
    if service is None or organisation is None:
        raise PermissionDenied
    raw = issue_token(service, organisation, user)
    return redirect("review_link", listing_id=service.pk, token=raw)


# --- the hooks (registered in lifecycle.wagtail_hooks) -------------------------------


def add_listings_panel(request: HttpRequest, panels: list[Any]) -> None:
    if not is_organisation_editor_only(request.user):
        return
    panels[:] = [
        panel for panel in panels if getattr(panel, "name", "") not in PANELS_HIDDEN_FROM_EDITORS
    ]
    panels.append(YourListingsPanel(listings_for(request.user)))


def hide_menu_items(request: HttpRequest, menu_items: list[Any]) -> None:
    if is_organisation_editor_only(request.user):
        menu_items[:] = [
            item for item in menu_items if item.name not in MENU_ITEMS_HIDDEN_FROM_EDITORS
        ]


def keep_pages_summary_only(request: HttpRequest, items: list[Any]) -> None:
    """An editor's summary counts their organisation's pages, nothing else."""
    if is_organisation_editor_only(request.user):
        items[:] = [item for item in items if isinstance(item, PagesSummaryItem)]
