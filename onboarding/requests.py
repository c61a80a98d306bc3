"""Filing and deciding the public's requests: claims ("Is this your group?") and
"ask to be listed".

- Filing stores the request and emails the council moderators a fixed-text notice
  with a link to the queue: nothing the requester typed goes into any email.
- The requester gets no acknowledgement email. The address is typed by an anonymous
  visitor, so any email to it, even fixed text, would let anyone make the council mail
  a stranger; the thank-you page says what happens next instead.
- Approving invites the requester (the one email they receive, after a person
  decided); refusing records it. Either way their contact details are erased.
- A listing request is a *draft* organisation with one draft service: approval
  publishes both through their revisions (so Wagtail's signals fire and search
  indexes them); refusal deletes them.

Nothing here logs a requester's name, email or words.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import Page, Site

from directory.admin_forms import suggested_terms
from directory.models import OrganisationPage, ServicePage
from directory.models.service_parts import ServiceLocation
from directory.permissions import ensure_organisation_editors
from directory.site import base_url
from geography.gazetteer import GazetteerUnavailable, resolve_postcode
from lifecycle.emails import send_branded_email
from lifecycle.reports import moderator_emails
from onboarding.invitations import invite
from onboarding.models import Claim, InvitationRole, ListingRequest, RequestStatus

logger = logging.getLogger(__name__)


def _tell_moderators(subject: str, template: str, admin_path: str) -> None:
    send_branded_email(
        moderator_emails(), subject, template, {"admin_url": f"{base_url()}{admin_path}"}
    )


# --- Claims -------------------------------------------------------------------------


def file_claim(organisation: OrganisationPage, **fields: Any) -> Claim:
    claim = Claim.objects.create(organisation=organisation, **fields)
    _tell_moderators(
        f"Request to manage {organisation.title}",
        "onboarding/emails/claim_to_moderators",
        reverse("onboarding_claim", args=[claim.pk]),
    )
    logger.info("Claim %d filed on organisation %d", claim.pk, organisation.pk)
    return claim


@transaction.atomic
def decide_claim(claim: Claim, approve: bool, by: Any, request: HttpRequest | None = None) -> None:
    """Approve (invite the claimant as this organisation's lead editor) or refuse."""
    invitation = None
    if approve and claim.email:
        invitation = invite(
            claim.organisation.specific, claim.email, InvitationRole.LEAD, by, request
        )
    claim.decide(RequestStatus.APPROVED if approve else RequestStatus.REFUSED, by, invitation)
    logger.info("Claim %d %s", claim.pk, claim.status)


# --- Ask to be listed ---------------------------------------------------------------


def _home() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise RuntimeError("No default site to add listings under")
    return site.root_page


def _unique_slug(parent: Page, title: str) -> str:
    base = slugify(title)[:60] or "listing"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _coordinates(postcode: str) -> tuple[float | None, float | None]:
    if not postcode:
        return None, None
    try:
        match = resolve_postcode(postcode)
    except GazetteerUnavailable:
        return None, None
    return (match.lat, match.lon) if match else (None, None)


@transaction.atomic
def _create_drafts(data: dict[str, Any]) -> ListingRequest:
    home = _home()
    organisation = OrganisationPage(
        title=data["organisation_name"],
        slug=_unique_slug(home, data["organisation_name"]),
        description=data["description"],
        email=data["organisation_email"],
        phone=data["organisation_phone"],
        website=data["organisation_website"],
        live=False,
    )
    home.add_child(instance=organisation)
    organisation.save_revision()
    ensure_organisation_editors(organisation)
    lat, lon = _coordinates(data["postcode"])
    service = ServicePage(
        title=data["service_name"],
        slug=_unique_slug(organisation, data["service_name"]),
        summary=data["service_summary"][:300],
        live=False,
    )
    service.locations.add(
        ServiceLocation(city=data["town"], postcode=data["postcode"], latitude=lat, longitude=lon)
    )
    # Categorised as an editor's save with no category would be (the moderator can change it).
    service.taxonomy_terms = list(
        suggested_terms(service.title, service.summary, organisation.description)
    )
    organisation.add_child(instance=service)
    service.save_revision()
    listing_request = ListingRequest.objects.create(
        organisation=organisation,
        organisation_name=organisation.title,
        requester_name=data["requester_name"],
        requester_email=data["requester_email"],
    )
    return listing_request


def file_listing_request(data: dict[str, Any]) -> ListingRequest:
    """Create the draft organisation and service and the queue entry, then tell the
    moderators (once the drafts are saved)."""
    listing_request = _create_drafts(data)
    _tell_moderators(
        "New request to be listed",
        "onboarding/emails/listing_request_to_moderators",
        reverse("onboarding_listing_request", args=[listing_request.pk]),
    )
    logger.info("Listing request %d filed", listing_request.pk)
    return listing_request


def draft_pages(listing_request: ListingRequest) -> list[Page]:
    """The request's organisation and its services, organisation first."""
    if listing_request.organisation_id is None:
        return []
    organisation = listing_request.organisation
    assert organisation is not None
    return [organisation, *ServicePage.objects.child_of(organisation).order_by("path")]


@transaction.atomic
def decide_listing_request(
    listing_request: ListingRequest, approve: bool, by: Any, request: HttpRequest | None = None
) -> None:
    """Approve: publish the organisation then its services (each latest revision), and
    invite the requester as lead editor. Refuse: delete the drafts."""
    pages = draft_pages(listing_request)
    invitation = None
    if approve:
        for page in pages:
            revision = page.get_latest_revision() or page.save_revision()
            revision.publish(user=by)
        if pages and listing_request.requester_email:
            invitation = invite(
                pages[0].specific, listing_request.requester_email, InvitationRole.LEAD, by, request
            )
    else:
        if pages and not pages[0].live:
            # Only a draft is ever deleted here: a page published meanwhile by other
            # means is a person's decision, and stays.
            pages[0].delete()
            listing_request.organisation = None
    listing_request.decide(
        RequestStatus.APPROVED if approve else RequestStatus.REFUSED, by, invitation
    )
    logger.info("Listing request %d %s", listing_request.pk, listing_request.status)
