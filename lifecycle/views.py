"""The public "Report a problem with this listing" form and its thank-you page.

Works without JavaScript, with CSRF on. The address holds only the listing's id:
after a report the browser is redirected (POST/redirect/GET) to a thank-you page that
carries nothing the reporter typed.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from directory.ids import parse_id
from directory.models import ServicePage
from directory.ratelimits import count_use, too_many_requests, used_up
from lifecycle.forms import ReportProblemForm, error_links, radios_view
from lifecycle.reports import file_report

RATE_GROUP = "problem-report-ip"


def public_listing(page_id: str) -> ServicePage:
    """A listing the public may see, or a 404 (a draft, private or unknown listing)."""
    pk = parse_id(page_id)
    service = ServicePage.objects.published().filter(pk=pk).first() if pk else None
    if service is None:
        raise Http404("No such listing")
    return service


@require_http_methods(["GET", "POST"])
def report_problem(request: HttpRequest, page_id: str) -> HttpResponse:
    service = public_listing(page_id)
    form = ReportProblemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if used_up(request, RATE_GROUP):
            return too_many_requests(request, RATE_GROUP)
        if form.is_robot():
            # Counted, dropped, and thanked like anyone else, so it learns nothing.
            count_use(request, RATE_GROUP)
            return redirect("report_problem_sent", page_id=service.pk)
        if form.is_valid():
            count_use(request, RATE_GROUP)
            file_report(service, **form.report_fields())
            return redirect("report_problem_sent", page_id=service.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "lifecycle/report_problem.html",
        {
            "page": service,
            "form": form,
            "kind": radios_view(form["kind"]),
            "errors": error_links(form, {"kind": "kind"}) if form.is_bound else [],
        },
        status=status,
    )


def report_problem_sent(request: HttpRequest, page_id: str) -> HttpResponse:
    return render(request, "lifecycle/report_sent.html", {"page": public_listing(page_id)})
