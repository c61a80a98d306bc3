"""Filing a problem report and telling the people who can fix it.

- The organisation's editors (its ``Editors: …`` group) are emailed every report.
- The council moderators are emailed at once when a live listing is reported closed:
  residents may be turning up at a door that no longer opens.
- Every report waits in the moderators' queue (``lifecycle.admin_views``).
- Resolving a report erases the reporter's contact details; if they gave an email
  and the moderator wrote a reply, the reply goes to them first.

Nothing here logs a reporter's name, email, phone or words.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import reverse

from cms.workflows.roles import Role, is_council_manager
from directory.models import OrganisationPage, ServicePage
from directory.site import absolute_url, base_url
from lifecycle.emails import send_branded_email
from lifecycle.models import ProblemKind, ProblemReport

logger = logging.getLogger(__name__)


def _emails(users: QuerySet[Any]) -> list[str]:
    return list(users.filter(is_active=True).exclude(email="").values_list("email", flat=True))


def editor_emails(organisation: OrganisationPage) -> list[str]:
    """The addresses of the organisation's editors (none if it has no editors group)."""
    if organisation.editors_group_id is None:
        return []
    return _emails(get_user_model().objects.filter(groups=organisation.editors_group_id))


def moderator_emails() -> list[str]:
    return _emails(get_user_model().objects.filter(groups__name=Role.COUNCIL_MODERATOR.value))


def report_admin_url(report: ProblemReport) -> str:
    return f"{base_url()}{reverse('problem_report', args=[report.pk])}"


def file_report(service: ServicePage, **fields: Any) -> ProblemReport:
    """Store the report, email the organisation's editors and, for a live listing
    reported closed, the moderators."""
    report = ProblemReport.objects.create(service=service, **fields)
    organisation = service.get_parent().specific
    context = {
        "report": report,
        "service": service,
        "organisation": organisation,
        "listing_url": absolute_url(service),
        "admin_url": report_admin_url(report),
    }
    if isinstance(organisation, OrganisationPage):
        send_branded_email(
            editor_emails(organisation),
            f"Problem reported with {service.title}",
            "lifecycle/emails/report_to_editors",
            context,
        )
    # Live: published and not already marked inactive or closed for good, so people
    # may still be sent there.
    is_live = ServicePage.objects.listed().filter(pk=service.pk).exists()
    if report.kind == ProblemKind.CLOSED and is_live:
        send_branded_email(
            moderator_emails(),
            f"Reported closed: {service.title}",
            "lifecycle/emails/closed_alert",
            context,
        )
    logger.info("Problem report %d filed on listing %d (%s)", report.pk, service.pk, report.kind)
    return report


def resolve_report(report: ProblemReport, by: Any, reply: str) -> bool:
    """Resolve the report; the reporter's contact details are gone afterwards.
    True when the reply was emailed to the reporter."""
    replied = False
    if reply.strip() and report.reporter_email:
        replied = bool(
            send_branded_email(
                [report.reporter_email],
                f"Your report about {report.service.title}",
                "lifecycle/emails/reply_to_reporter",
                {"report": report, "reply": reply, "listing_url": absolute_url(report.service)},
            )
        )
    report.resolve(by=by, reply=reply)
    logger.info("Problem report %d resolved", report.pk)
    return replied


def edited_organisation_paths(user: Any) -> list[str]:
    """The tree paths of the organisations whose editors group the user is in."""
    return list(
        OrganisationPage.objects.filter(editors_group__user=user).values_list("path", flat=True)
    )


def reports_visible_to(user: Any) -> QuerySet[ProblemReport]:
    """Council managers see every report; an organisation's editors see the reports on
    that organisation's listings; anyone else sees none."""
    reports = ProblemReport.objects.select_related("service")
    if is_council_manager(user):
        return reports
    paths = edited_organisation_paths(user)
    if not paths:
        return reports.none()
    under = Q()
    for path in paths:
        under |= Q(service__path__startswith=path)
    return reports.filter(under)
