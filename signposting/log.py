"""Recording signposting events: the only way rows reach the anonymous log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cms.workflows.roles import staff_role
from geography.gazetteer import ResolvedLocation, normalise_postcode
from signposting.models import (
    Channel,
    EventKind,
    SignpostedListing,
    SignpostingEvent,
    SignpostingNeed,
)
from signposting.needs import category_needs, extract_needs

UNRECORDED_NEED = "(need not recorded)"


def district_of(location: ResolvedLocation | None = None, postcode: str = "") -> str:
    """The postcode district ('BH8') of a location or postcode, or a town's name.

    Anything that cannot be reduced to a district gives '' rather than the raw text.
    """
    if location is not None:
        if location.kind in ("postcode", "sector", "outward"):
            return (location.postcode or location.label).split()[0].upper()[:8]
        if location.kind == "place":
            return location.label.split(",")[0][:40]
        return ""
    text = (postcode or "").strip().upper()
    if not text:
        return ""
    full = normalise_postcode(text)
    if full:
        return full.split()[0]
    first = text.split()[0]
    # An outward code on its own: letters then a digit, at most four characters.
    if 2 <= len(first) <= 4 and first[0].isalpha() and any(c.isdigit() for c in first):
        return first
    return ""


def record_signposting(
    *,
    channel: Channel | str,
    user: Any,
    page_ids: Iterable[int],
    search_text: str = "",
    location: ResolvedLocation | None = None,
    postcode: str = "",
) -> SignpostingEvent:
    """Log that listings were given out. ``search_text`` is reduced to vocabulary words."""
    ids = list(dict.fromkeys(int(pk) for pk in page_ids))
    needs = extract_needs(search_text) if search_text else []
    if not needs:
        needs = category_needs(ids)
    # Still count the event by area when no need is known (e.g. uncategorised listings).
    needs = needs or [UNRECORDED_NEED]
    with transaction.atomic():
        event = SignpostingEvent.objects.create(
            kind=EventKind.SIGNPOST,
            occurred_on=timezone.localdate(),
            district=district_of(location, postcode),
            channel=str(channel),
            role=staff_role(user),
            listing_count=len(ids),
        )
        SignpostingNeed.objects.bulk_create(SignpostingNeed(event=event, need=n) for n in needs)
        SignpostedListing.objects.bulk_create(
            SignpostedListing(event=event, page_id=pk) for pk in ids
        )
    return event


def record_unmet_search(
    *, user: Any, search_text: str, location: ResolvedLocation | None, radius_miles: float
) -> SignpostingEvent | None:
    """Log a search that found nothing within ``radius_miles``; None if no known need."""
    needs = extract_needs(search_text)
    if not needs:
        return None
    with transaction.atomic():
        event = SignpostingEvent.objects.create(
            kind=EventKind.GAP,
            occurred_on=timezone.localdate(),
            district=district_of(location),
            channel=Channel.SEARCH,
            role=staff_role(user),
            radius_miles=radius_miles,
        )
        SignpostingNeed.objects.bulk_create(SignpostingNeed(event=event, need=n) for n in needs)
    return event
