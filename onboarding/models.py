"""Invitations, lead editors and the public's requests (claims and "ask to be listed").

Who *edits* an organisation stays where it always was: its ``Editors: …`` group
(``directory.permissions``). ``OrganisationMembership`` only records who *leads* it;
a lead editor counts as one only while they are still in that group, so removing
someone from the group in Wagtail's user admin also ends their lead rights.

Invitations store a hash of their token, never the token. Claims and listing requests
keep the requester's contact details only while open: deciding erases them in the
same save (the invitation, if any, holds the one address it needs).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class InvitationRole(models.TextChoices):
    EDITOR = "editor", "Editor"
    LEAD = "lead", "Lead editor"


class Invitation(models.Model):
    organisation = models.ForeignKey(
        "directory.OrganisationPage", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=10, choices=InvitationRole.choices, default=InvitationRole.EDITOR
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: SHA-256 of the emailed token: the database never holds a usable link.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation #{self.pk} ({self.get_role_display()})"

    @property
    def is_lead(self) -> bool:
        return self.role == InvitationRole.LEAD

    def is_usable(self, now: Any = None) -> bool:
        return self.accepted_at is None and (now or timezone.now()) < self.expires_at


class OrganisationMembership(models.Model):
    """A lead editor of one organisation (see the module's docstring)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    organisation = models.ForeignKey(
        "directory.OrganisationPage", on_delete=models.CASCADE, related_name="memberships"
    )
    is_lead = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_user_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"Membership #{self.pk}{' (lead)' if self.is_lead else ''}"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class Decided(models.Model):
    """What a claim and a listing request share: a status and who decided it."""

    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        # The oldest open request first: the queue is worked in waiting order.
        ordering = ["created_at", "pk"]

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    def erase_contact_details(self) -> None:
        raise NotImplementedError

    def decide(self, status: str, by: Any, invitation: Invitation | None = None) -> None:
        """Record the decision and forget the requester, in one save."""
        self.status = status
        self.decided_at = timezone.now()
        self.decided_by = by if getattr(by, "is_authenticated", False) else None
        self.invitation = invitation
        self.erase_contact_details()
        self.save()


class Claim(Decided):
    """ "Is this your group? Ask to manage this listing"."""

    organisation = models.ForeignKey(
        "directory.OrganisationPage", on_delete=models.CASCADE, related_name="claims"
    )
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    role = models.CharField("role in the group", max_length=100, blank=True)
    reason = models.TextField(max_length=2000, blank=True)

    class Meta(Decided.Meta):
        pass

    def __str__(self) -> str:
        return f"Claim #{self.pk}"

    def erase_contact_details(self) -> None:
        self.name = self.email = self.role = self.reason = ""


class ListingRequest(Decided):
    """ "Ask to be listed": a draft organisation (with one draft service) to approve."""

    #: The draft organisation page; gone (null) once a refusal deleted it.
    organisation = models.ForeignKey(
        "directory.OrganisationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="listing_requests",
    )
    organisation_name = models.CharField(max_length=255)
    requester_name = models.CharField(max_length=100, blank=True)
    requester_email = models.EmailField(blank=True)

    class Meta(Decided.Meta):
        pass

    def __str__(self) -> str:
        return f"Listing request #{self.pk}"

    def erase_contact_details(self) -> None:
        self.requester_name = self.requester_email = ""
