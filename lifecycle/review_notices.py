"""The daily review run (beat task ``lifecycle.send_review_notices``).

For every listed listing (``directory.reviews`` says when it is due):

- its organisation's editors are reminded 30 days before the review date, on the day
  and 14 days after (``REMINDER_OFFSETS``), each email with a "Still correct" link of
  their own (``lifecycle.review_links``);
- once it is stale (past the grace period) the council moderators are told, in one
  email a day listing every listing that went stale since the last run, and its page
  history says so ("lifecycle.stale").

Each notice is recorded (``ReviewNotice``, unique per listing, review date and kind)
*before* it is sent, so a re-run or a second worker never sends it twice; a send that
fails removes its record, so the next run tries again. A run after some days of
downtime sends the latest reminder that fell due and records the earlier ones as
skipped: no one gets three reminders at once. Nothing here hides a listing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.log_actions import log

from directory.reviews import REMINDER_OFFSETS, ReviewStatus, local_today, review_policy
from directory.site import absolute_url, base_url
from lifecycle.emails import send_branded_email
from lifecycle.models import NoticeKind, ReviewNotice
from lifecycle.reports import moderator_emails
from lifecycle.review_links import TOKEN_VALID_DAYS, issue_token
from lifecycle.review_state import ListingReview, listing_reviews

logger = logging.getLogger(__name__)

STALE_ACTION = "lifecycle.stale"
#: The reminder sent at each offset of ``REMINDER_OFFSETS``, in the same order.
REMINDER_KINDS = (NoticeKind.DUE_SOON, NoticeKind.DUE, NoticeKind.OVERDUE)
assert len(REMINDER_KINDS) == len(REMINDER_OFFSETS)

SUBJECTS = {
    NoticeKind.DUE_SOON: "Please check your listing {title} by {due}",
    NoticeKind.DUE: "Your listing {title} is due for checking today",
    NoticeKind.OVERDUE: "Your listing {title} is overdue for checking",
}


@dataclass
class RunSummary:
    reminders: int = 0
    emails: int = 0
    stale_alerts: int = 0


def _editors(review: ListingReview) -> list[Any]:
    group = review.organisation.editors_group_id
    if group is None:
        return []
    return list(
        get_user_model()
        .objects.filter(groups=group, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _claim(review: ListingReview, kind: NoticeKind) -> ReviewNotice | None:
    """Record the notice; None when it was already recorded (sent, or skipped)."""
    assert review.due_on is not None
    notice, created = ReviewNotice.objects.get_or_create(
        service=review.service, due_on=review.due_on, kind=kind
    )
    return notice if created else None


def _send_reminder(review: ListingReview, kind: NoticeKind) -> int:
    """Email each editor their own reminder; return how many went."""
    service, due = review.service, review.due_on
    assert due is not None
    subject = SUBJECTS[kind].format(title=service.title, due=f"{due:%-d %B %Y}")
    context = {
        "service": service,
        "organisation": review.organisation,
        "kind": kind.value,
        "due_on": due,
        "last_checked": service.last_verified_on,
        "listing_url": absolute_url(service),
        "edit_url": f"{base_url()}{reverse('wagtailadmin_pages:edit', args=[service.pk])}",
        "valid_days": TOKEN_VALID_DAYS,
    }
    sent = 0
    for editor in _editors(review):
        token = issue_token(service, review.organisation, editor)
        link = reverse("review_link", args=[service.pk, token])
        sent += send_branded_email(
            [editor.email],
            subject,
            "lifecycle/emails/review_reminder",
            {**context, "confirm_url": f"{base_url()}{link}"},
        )
    return sent


def _remind(review: ListingReview, today: dt.date, summary: RunSummary) -> None:
    due = review.due_on
    if due is None:
        return
    fallen_due = [
        kind
        for offset, kind in zip(REMINDER_OFFSETS, REMINDER_KINDS, strict=True)
        if today >= due + dt.timedelta(days=offset)
    ]
    if not fallen_due:
        return
    latest, earlier = fallen_due[-1], fallen_due[:-1]
    notice = _claim(review, latest)
    for kind in earlier:  # missed while the run was down: never sent late
        _claim(review, kind)
    if notice is None:
        return
    wanted = len(_editors(review))
    sent = _send_reminder(review, latest)
    if wanted and not sent:
        notice.delete()  # the mail service failed: the next run tries again
        return
    notice.recipients = sent
    notice.save(update_fields=["recipients"])
    summary.reminders += 1
    summary.emails += sent


def _alert_stale(reviews: list[ListingReview], summary: RunSummary) -> None:
    claimed = [(review, _claim(review, NoticeKind.STALE)) for review in reviews]
    fresh = [(review, notice) for review, notice in claimed if notice is not None]
    if not fresh:
        return
    recipients = moderator_emails()
    rows = [
        {
            "service": review.service,
            "organisation": review.organisation,
            "due_on": review.due_on,
            "last_checked": review.service.last_verified_on,
            "listing_url": absolute_url(review.service),
        }
        for review, _ in fresh
    ]
    sent = send_branded_email(
        recipients,
        f"{len(rows)} listing(s) may be out of date",
        "lifecycle/emails/stale_alert",
        {"rows": rows, "dashboard_url": f"{base_url()}{reverse('freshness_dashboard')}"},
    )
    if recipients and not sent:
        for _, notice in fresh:
            notice.delete()
        return
    for review, notice in fresh:
        assert notice is not None
        notice.recipients = sent
        notice.save(update_fields=["recipients"])
        log(instance=review.service, action=STALE_ACTION, data={"due_on": str(review.due_on)})
    summary.stale_alerts += len(fresh)


def send_review_notices() -> RunSummary:
    """Today's reminders and stale alerts (each once; see the module doc)."""
    today = local_today()
    summary = RunSummary()
    reviews = listing_reviews(today, review_policy())
    for review in reviews:
        _remind(review, today, summary)
    _alert_stale([r for r in reviews if r.status is ReviewStatus.STALE], summary)
    logger.info(
        "Review run: %d reminder(s) in %d email(s), %d listing(s) newly stale",
        summary.reminders,
        summary.emails,
        summary.stale_alerts,
    )
    return summary
