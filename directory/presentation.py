"""How listings are put into words for people: distances, ages, statuses, links.

Plain functions, so Python (resource lists, the recommender) and templates (through
the thin filters in ``directory.templatetags.directory_tags``) share one wording.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from wagtail.models import Page

STATUS_MESSAGES = {
    "temporarily closed": "This service is temporarily closed",
    "inactive": "This service is not running at the moment",
    "defunct": "This service has closed",
}


def miles(value: float | Decimal | str | None) -> str:
    """A distance in words: 'Less than 0.1 miles', '0.4 miles', '1 mile', '12 miles'.

    Under 10 miles we give one decimal place; from 10 miles whole miles read better.
    ``None`` or junk gives an empty string so templates can test the result.
    """
    if value is None or value == "":
        return ""
    try:
        distance = float(value)
    except (TypeError, ValueError):
        return ""
    if distance != distance or distance < 0:  # NaN or negative
        return ""
    if distance < 0.05:
        return "Less than 0.1 miles"
    rounded = round(distance) if distance >= 10 else round(distance, 1)
    text = f"{rounded:g}" if rounded < 10 else f"{rounded:,.0f}"
    return "1 mile" if rounded == 1 else f"{text} miles"


def age_range(service: Any) -> str:
    """'18 and over', 'Up to 25', '18 to 65', or '' when no ages are given."""
    low = getattr(service, "minimum_age", None)
    high = getattr(service, "maximum_age", None)
    if low is not None and high is not None:
        return f"{low} to {high}" if low != high else f"{low} only"
    if low is not None:
        return f"{low} and over"
    if high is not None:
        return f"Up to {high}"
    return ""


def status_message(service: Any) -> str:
    """Banner text for a service that is not active, or '' when it is running."""
    status = str(getattr(service, "status", "") or "")
    if not status or status == "active":
        return ""
    return STATUS_MESSAGES.get(status, "This service is not running at the moment")


def display_url(url: str | None) -> str:
    """A web address without 'https://', 'www.' or a trailing slash, for link text."""
    if not url:
        return ""
    parts = urlsplit(str(url))
    if not parts.netloc:
        return str(url)
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/")
    shown = f"{host}{path}"
    if parts.query:
        shown = f"{shown}?{parts.query}"
    return shown


def ways_to_take_part(service: Any) -> list[str]:
    """'In person', 'Online', 'By phone' for the ways a service runs."""
    ways = {
        "In person": getattr(service, "offers_in_person", False),
        "Online": getattr(service, "offers_online", False),
        "By phone": getattr(service, "offers_by_phone", False),
    }
    return [label for label, offered in ways.items() if offered]


def breadcrumb_pages(page: Page) -> list[Page]:
    """The live ancestors of ``page`` below the tree root, nearest the root first."""
    return list(page.get_ancestors().filter(depth__gt=1).live().specific())


def hex_colour(value: str | None) -> str:
    """``value`` if it is a six-digit hex colour such as '#00205b', else ''.

    Branding colours go into an inline style attribute; this keeps anything else
    (a bad import, a hand-edited row) out of the CSS.
    """
    text = str(value or "").strip()
    if len(text) == 7 and text.startswith("#"):
        try:
            int(text[1:], 16)
        except ValueError:
            return ""
        return text.lower()
    return ""


def tel_href(phone: str | None) -> str:
    """A 'tel:' link target for a phone number written for people, or ''."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if digits else ""


def address_after_name(location: Any) -> str:
    """The address of a location without its venue name, for showing under the name."""
    name = str(getattr(location, "name", "") or "")
    parts = [getattr(location, field, "") for field in ("address_1", "city", "postcode")]
    seen: list[str] = []
    for part in parts:
        part = str(part or "").strip()
        if not part or (name and part.lower() in name.lower()):
            continue
        if not any(part.lower() in other.lower() for other in seen):
            seen.append(part)
    return ", ".join(seen)
