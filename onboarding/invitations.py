"""Inviting a person to edit one organisation's listings.

The emailed link carries a random token (256 bits); the database keeps only its
SHA-256, so a copy of the database holds no usable link. A token is bound to one
invitation, hence to one organisation and one role; it works once, and not after
``ONBOARDING_INVITATION_DAYS`` (14 by default). The join view swaps the token from the
link into the session and redirects to a token-less address, as Django's password
reset does, so the token is not in the Referer of anything the next page loads.
Nothing here logs an address or a token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from directory.models import OrganisationPage
from directory.site import base_url
from lifecycle.emails import send_branded_email
from onboarding.membership import add_editor
from onboarding.models import Invitation, InvitationRole

logger = logging.getLogger(__name__)

#: A token from the link is at most this long; anything longer is no token of ours.
MAX_TOKEN_LENGTH = 64


def invitation_days() -> int:
    return int(getattr(settings, "ONBOARDING_INVITATION_DAYS", 14))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str, request: HttpRequest | None = None) -> str:
    return f"{base_url(request)}{reverse('onboarding:join', args=[token])}"


def invite(
    organisation: OrganisationPage,
    email: str,
    role: str = InvitationRole.EDITOR,
    invited_by: Any = None,
    request: HttpRequest | None = None,
) -> Invitation:
    """Store an invitation and email its link; the token exists only in that email."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.strip(),
        role=role,
        invited_by=invited_by if getattr(invited_by, "is_authenticated", False) else None,
        created_at=now,
        expires_at=now + dt.timedelta(days=invitation_days()),
        token_hash=hash_token(token),
    )
    send_branded_email(
        [invitation.email],
        f"You are invited to edit {organisation.title}'s listings",
        "onboarding/emails/invitation",
        {
            "invitation": invitation,
            "organisation": organisation,
            "link": invitation_link(token, request),
            "days": invitation_days(),
        },
    )
    logger.info("Invitation %d sent for organisation %d", invitation.pk, organisation.pk)
    return invitation


def find_invitation(token: object) -> Invitation | None:
    """The invitation a token belongs to (used or not), or None for anything else."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    if not token.isascii():
        return None
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


def existing_user(email: str) -> Any:
    """The account the invitation's address already has (by email or username), if any."""
    return (
        get_user_model()
        .objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")
        .first()
    )


@transaction.atomic
def accept(invitation: Invitation, user: Any) -> bool:
    """Make ``user`` an editor of the invitation's organisation, once. False when the
    invitation was used or expired meanwhile (two tabs, a slow click)."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable():
        return False
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    add_editor(user, locked.organisation.specific, lead=locked.is_lead)
    logger.info("Invitation %d accepted", locked.pk)
    return True


@transaction.atomic
def create_user_and_accept(invitation: Invitation, password: str) -> Any:
    """A new account named by the invited address, made an editor; None if the
    invitation could no longer be used."""
    user = get_user_model().objects.create_user(
        username=invitation.email, email=invitation.email, password=password
    )
    if not accept(invitation, user):
        transaction.set_rollback(True)
        return None
    return user
