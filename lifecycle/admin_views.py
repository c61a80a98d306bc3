"""The moderators' queue of problem reports, in the Wagtail admin.

Council admins and moderators see every report, reply and resolve. An organisation's
editors see the reports on their own organisation's listings, read only; a report on
anyone else's listing is a 404 to them. Anyone else is refused. (Wagtail's
``register_admin_urls`` already sends a signed-out visitor to the login page.)
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cms.workflows.roles import is_council_manager
from directory.ids import parse_id
from lifecycle.forms import ReportReplyForm
from lifecycle.linkcheck import broken_links_visible_to
from lifecycle.models import ReportStatus
from lifecycle.reports import edited_organisation_paths, reports_visible_to, resolve_report

STATUS_FILTERS = {"open": "Open", "resolved": "Resolved", "all": "All"}


def may_see_reports(user: object) -> bool:
    return is_council_manager(user) or bool(edited_organisation_paths(user))


def queue(request: HttpRequest) -> HttpResponse:
    if not may_see_reports(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    reports = reports_visible_to(request.user)
    if status != "all":
        reports = reports.filter(status=status)
    return render(
        request,
        "lifecycle/admin/queue.html",
        {
            "page_title": "Problem reports",
            "header_title": "Problem reports",
            "reports": reports,
            "status": status,
            "status_filters": STATUS_FILTERS,
            "now": timezone.now(),
            "can_moderate": is_council_manager(request.user),
        },
    )


def detail(request: HttpRequest, pk: str) -> HttpResponse:
    if not may_see_reports(request.user):
        raise PermissionDenied
    report_id = parse_id(pk)
    report = reports_visible_to(request.user).filter(pk=report_id).first() if report_id else None
    if report is None:
        raise Http404("No such report")
    can_moderate = is_council_manager(request.user)
    form = ReportReplyForm(initial={"reply": report.reply})
    if request.method == "POST":
        if not can_moderate:
            raise PermissionDenied
        form = ReportReplyForm(request.POST)
        if form.is_valid() and report.is_open and form.cleaned_data["resolve"]:
            replied = resolve_report(report, request.user, form.cleaned_data["reply"])
            done = "Report resolved. The reporter's contact details are deleted."
            messages.success(
                request, f"{done} Your reply was emailed to them." if replied else done
            )
            return redirect("problem_reports")
        if form.is_valid():
            report.reply = form.cleaned_data["reply"]
            report.save(update_fields=["reply"])
            messages.success(request, "Reply saved.")
            return redirect("problem_report", pk=report.pk)
    return render(
        request,
        "lifecycle/admin/detail.html",
        {
            "page_title": f"Problem report #{report.pk}",
            "header_title": f"Problem report #{report.pk}",
            "report": report,
            "form": form,
            "can_moderate": can_moderate,
            "is_open": report.status == ReportStatus.OPEN,
        },
    )


def broken_links(request: HttpRequest) -> HttpResponse:
    """The last link check's broken links: all of them for council managers, their own
    organisation's for editors (the same people who see problem reports)."""
    if not may_see_reports(request.user):
        raise PermissionDenied
    return render(
        request,
        "lifecycle/admin/broken_links.html",
        {
            "page_title": "Broken links",
            "header_title": "Broken links",
            "checks": broken_links_visible_to(request.user),
            "can_moderate": is_council_manager(request.user),
        },
    )
