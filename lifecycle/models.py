"""A resident's report that a listing is wrong, and what the council did about it.

The reporter's contact details are optional and kept only while the report is open:
``ProblemReport.resolve`` erases them in the same save that closes it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class ProblemKind(models.TextChoices):
    CLOSED = "closed", "It has closed or stopped running"
    WRONG_DETAILS = "wrong_details", "The contact details or address are wrong"
    WRONG_TIMES = "wrong_times", "The days or times are wrong"
    OTHER = "other", "Something else"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class ProblemReport(models.Model):
    service = models.ForeignKey(
        "directory.ServicePage", on_delete=models.CASCADE, related_name="problem_reports"
    )
    kind = models.CharField(max_length=20, choices=ProblemKind.choices)
    details = models.TextField(max_length=2000)
    reporter_name = models.CharField(max_length=100, blank=True)
    reporter_email = models.EmailField(blank=True)
    reporter_phone = models.CharField(max_length=30, blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN, db_index=True
    )
    reply = models.TextField(
        blank=True, help_text="What the council did. Emailed to the reporter if they gave an email."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        # The oldest open report first: the queue is worked in waiting order.
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Report #{self.pk}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == ReportStatus.OPEN

    @property
    def has_contact_details(self) -> bool:
        return bool(self.reporter_name or self.reporter_email or self.reporter_phone)

    def erase_contact_details(self) -> None:
        self.reporter_name = self.reporter_email = self.reporter_phone = ""

    def resolve(self, by: Any, reply: str) -> None:
        """Close the report and forget who made it, in one save."""
        self.status = ReportStatus.RESOLVED
        self.reply = reply
        self.resolved_at = timezone.now()
        self.resolved_by = by if getattr(by, "is_authenticated", False) else None
        self.erase_contact_details()
        self.save()


class LinkKind(models.TextChoices):
    WEBSITE = "website", "Website"
    EMAIL_DOMAIN = "email_domain", "Email domain"


class LinkStatus(models.TextChoices):
    OK = "ok", "Working"
    BROKEN = "broken", "Broken"


class LinkCheck(models.Model):
    """The last check of one link on one listing (a service or an organisation page):
    written only by the link-checking task (``lifecycle.linkcheck``), never on a save."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    #: What was checked: the website address, or the domain of the email address.
    target = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=LinkStatus.choices, db_index=True)
    reason = models.CharField(max_length=200, blank=True)
    checked_at = models.DateTimeField()
    #: When this link was first found broken in an unbroken run of failures.
    broken_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["page__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["page", "kind"], name="one_link_check_per_page_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target}: {self.get_status_display()}"

    @property
    def is_broken(self) -> bool:
        return self.status == LinkStatus.BROKEN


class NoticeKind(models.TextChoices):
    DUE_SOON = "due_soon", "Reminder: review due in 30 days"
    DUE = "due", "Reminder: review due today"
    OVERDUE = "overdue", "Reminder: review overdue by 14 days"
    STALE = "stale", "Moderators told: may be out of date"


class ReviewNotice(models.Model):
    """One reminder (or stale alert) for one listing's review cycle, recorded so that
    no re-run, catch-up or second worker ever sends it twice. A cycle is named by its
    review date: confirming the listing starts a new one with a new date."""

    service = models.ForeignKey(
        "directory.ServicePage", on_delete=models.CASCADE, related_name="review_notices"
    )
    due_on = models.DateField()
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    #: How many people it went to (0: skipped on a catch-up, or no one to tell).
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "due_on", "kind"], name="one_review_notice_per_cycle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (due {self.due_on})"


class ReviewToken(models.Model):
    """A "Still correct" link from a reminder: bound to one listing, its organisation
    and the editor it was sent to; only its SHA-256 is stored; used once; expires."""

    token_hash = models.CharField(max_length=64, unique=True)
    service = models.ForeignKey("directory.ServicePage", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "directory.OrganisationPage", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["service", "used_at"])]

    def __str__(self) -> str:
        return f"Review link for listing {self.service_id}"
