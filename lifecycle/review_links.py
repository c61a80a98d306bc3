"""The "Still correct" link in a review reminder, and what following it does.

Each reminder carries a link of its own per editor: a random token, of which only the
SHA-256 is stored (``ReviewToken``), bound to one listing, its organisation and that
editor, valid for ``TOKEN_VALID_DAYS`` and good for one confirmation. It stops working
when the listing moves to another organisation, the editor leaves the organisation's
editors group, or the listing is confirmed (by this link or any other).

Confirming changes nothing a resident reads but the "last checked" date, so it needs
no approval: it writes the date, who confirmed and a note naming the organisation to
the live page *and* to its live and latest revisions (so publishing a draft later
keeps the date), records "lifecycle.confirmed" in the page's history, and announces
the change (``listings_changed``) so search reindexes it after commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Revision

from directory.events import send_listings_changed
from directory.models import OrganisationPage, ServicePage
from directory.reviews import local_today
from lifecycle.models import ReviewToken

TOKEN_VALID_DAYS = 30
CONFIRMED_ACTION = "lifecycle.confirmed"
#: The fields a confirmation writes, on the page and in its revisions.
CONFIRMED_FIELDS = ("last_verified_on", "last_verified_by", "verification_note")


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(service: ServicePage, organisation: OrganisationPage, user: Any) -> str:
    """A new link token for ``user`` to confirm ``service``; only its hash is kept."""
    raw = secrets.token_urlsafe(32)
    ReviewToken.objects.create(
        token_hash=_digest(raw),
        service=service,
        organisation=organisation,
        user=user,
        expires_at=timezone.now() + dt.timedelta(days=TOKEN_VALID_DAYS),
    )
    return raw


def _still_editor(token: ReviewToken, organisation: OrganisationPage) -> bool:
    if token.user_id is None:
        return True
    return (
        get_user_model()
        .objects.filter(pk=token.user_id, is_active=True, groups=organisation.editors_group_id)
        .exists()
    )


def valid_token(raw: str, listing_id: int) -> ReviewToken | None:
    """The unused, unexpired token for this listing, while its organisation and editor
    still hold; else None (a token for another listing is None here too)."""
    if not raw or len(raw) > 100:
        return None
    token = (
        ReviewToken.objects.select_related("service", "organisation")
        .filter(
            token_hash=_digest(raw),
            service_id=listing_id,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if token is None:
        return None
    service, organisation = token.service, token.organisation
    if not service.live or not service.path.startswith(organisation.path):
        return None
    if service.depth != organisation.depth + 1 or not _still_editor(token, organisation):
        return None
    return token


def _write_to_revisions(service: ServicePage, values: dict[str, Any]) -> None:
    ids = {service.live_revision_id, service.latest_revision_id} - {None}
    for revision in Revision.objects.filter(pk__in=ids):
        content = dict(revision.content)
        content.update(values)
        revision.content = content
        revision.save(update_fields=["content"])


@transaction.atomic
def confirm_still_correct(token: ReviewToken) -> bool:
    """Mark the token's listing checked today; False when the token was already used
    or expired meanwhile (two clicks at once confirm once)."""
    now = timezone.now()
    claimed = ReviewToken.objects.filter(
        pk=token.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not claimed:
        return False
    service = ServicePage.objects.get(pk=token.service_id)
    organisation = token.organisation
    today = local_today()
    note = f"confirmed by {organisation.title}"[:255]
    ServicePage.objects.filter(pk=service.pk).update(
        last_verified_on=today, last_verified_by_id=token.user_id, verification_note=note
    )
    _write_to_revisions(
        service,
        {
            "last_verified_on": today.isoformat(),
            "last_verified_by": token.user_id,
            "verification_note": note,
        },
    )
    # The clock restarts: the listing's other links (to other editors) have done their job.
    ReviewToken.objects.filter(service_id=service.pk, used_at__isnull=True).update(used_at=now)
    service.last_verified_on = today
    log(
        instance=service,
        action=CONFIRMED_ACTION,
        user=token.user,
        data={"organisation": organisation.title, "last_verified_on": today.isoformat()},
    )
    send_listings_changed(ServicePage, [service.pk])
    return True
