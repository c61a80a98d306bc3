"""Postcodes written in a record's free text, as places to put a service that has none.

Many feeds send a service with no location but with its venue in the description
("... at the Civic Centre, Ashby Road, DN16 1AB"). Only postcodes the gazetteer
knows count (a typo or a PO box gives no point), and only a few: a description
that lists many postcodes is a list of other places, not where the service is.
"""

from __future__ import annotations

import html
import re

from geography.gazetteer import Gazetteer
from importers.parsing.locations import Point, known_postcode, postcode_point

# A full UK postcode: outward code (A9, A99, AA9, AA99, A9A, AA9A), then 9AA.
_POSTCODE_RE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
#: More distinct postcodes than this in one text: a list of elsewhere, not a venue.
MAX_PLACES = 3


def postcodes_in(text: str | None) -> list[str]:
    """Distinct postcode-shaped strings in ``text``, in order ('DN16 1AB')."""
    found: list[str] = []
    for outward, inward in _POSTCODE_RE.findall(html.unescape(text or "")):
        postcode = f"{outward.upper()} {inward.upper()}"
        if postcode not in found:
            found.append(postcode)
    return found


def places_in(text: str | None, gazetteer: Gazetteer | None) -> list[tuple[str, Point]]:
    """(canonical postcode, point) for each known postcode in ``text``; [] when none,
    when there is no gazetteer, or when the text names more than MAX_PLACES."""
    if gazetteer is None:
        return []
    candidates = postcodes_in(text)
    if len(candidates) > MAX_PLACES:
        return []
    places: list[tuple[str, Point]] = []
    for candidate in candidates:
        postcode, known = known_postcode(candidate, gazetteer)
        if known is not None and postcode not in (p for p, _ in places):
            places.append((postcode, postcode_point(known)))
    return places
