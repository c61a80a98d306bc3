"""Turn a list's items into what the page, print view, PDF and email show.

Everything is read fresh from the live listing, so a list printed or opened later
shows current details, and flags listings that changed or closed since they were added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from directory.models import ServicePage
from directory.presentation import status_message
from directory.site import absolute_url
from geography.distance import haversine_miles
from signposting.resource_lists.qr import qr_png_data_uri
from signposting.resource_lists.stores import ListData, ListItemData

NO_LONGER_AVAILABLE = "This listing is no longer available."


@dataclass
class Entry:
    key: str
    position: int
    title: str
    note: str
    added_at: dt.datetime
    page: ServicePage | None = None
    organisation: str = ""
    unavailable_message: str = ""
    changed: bool = False
    distance_miles: float | None = None
    url: str = ""
    qr_data_uri: str = ""
    schedule_lines: list[str] = field(default_factory=list)
    cost_lines: list[str] = field(default_factory=list)
    locations: list[Any] = field(default_factory=list)
    contacts: list[Any] = field(default_factory=list)
    last_checked: dt.date | None = None
    lines: list[tuple[str, str]] = field(default_factory=list)  # set for the print view/PDF

    @property
    def available(self) -> bool:
        return self.page is not None and not self.unavailable_message


def fetch_pages(page_ids: list[int]) -> dict[int, ServicePage]:
    """Published listings by id with their parts and organisation titles, in a fixed
    number of queries; a listing withdrawn since it was added is absent."""
    pages = (
        ServicePage.objects.published()
        .with_organisation_title()
        .filter(pk__in=page_ids)
        .prefetch_related("locations", "schedules", "cost_options", "contacts")
    )
    return {page.pk: page for page in pages}


def cost_lines(page: ServicePage) -> list[str]:
    lines = ["Free"] if page.is_free else []
    if page.fees_description:
        lines.append(page.fees_description)
    lines.extend(str(option) for option in page.cost_options.all() if str(option))
    return lines


def nearest_miles(page: ServicePage, origin: tuple[float, float] | None) -> float | None:
    if origin is None:
        return None
    points = [
        (loc.latitude, loc.longitude)
        for loc in page.locations.all()
        if loc.has_point and loc.location_type == "physical"
    ]
    return min((haversine_miles(*origin, *point) for point in points), default=None)


def unavailable_message(page: ServicePage | None) -> str:
    if page is None or not page.live:
        return NO_LONGER_AVAILABLE
    message = status_message(page)
    return f"{message}." if message else ""


def build_entry(
    item: ListItemData,
    position: int,
    page: ServicePage | None,
    origin: tuple[float, float] | None,
    request: HttpRequest | None,
    with_qr: bool,
) -> Entry:
    entry = Entry(
        key=item.key,
        position=position,
        title=page.title if page is not None else item.page_title,
        note=item.note,
        added_at=item.added_at,
        page=page,
        unavailable_message=unavailable_message(page),
    )
    if page is None:
        return entry
    entry.changed = bool(page.last_published_at and page.last_published_at > item.added_at)
    if not page.live:
        return entry
    entry.organisation = getattr(page, "organisation_title", None) or ""
    entry.url = absolute_url(page, request)
    entry.qr_data_uri = qr_png_data_uri(entry.url) if with_qr and entry.url else ""
    entry.distance_miles = nearest_miles(page, origin)
    entry.schedule_lines = [line for line in page.describe_schedule() if line]
    if page.schedule_description:
        entry.schedule_lines.append(page.schedule_description)
    entry.cost_lines = cost_lines(page)
    entry.locations = list(page.locations.all())
    entry.contacts = list(page.contacts.all())
    entry.last_checked = page.last_verified_on
    return entry


def build_entries(
    data: ListData, request: HttpRequest | None = None, with_qr: bool = False
) -> list[Entry]:
    pages = fetch_pages(data.page_ids)
    return [
        build_entry(
            item,
            position,
            pages.get(item.page_id) if item.page_id is not None else None,
            data.origin,
            request,
            with_qr,
        )
        for position, item in enumerate(data.items, start=1)
    ]


def contact_text(entry: Entry) -> str:
    """Every way to get in touch, on one line."""
    from directory.presentation import display_url

    parts = []
    for contact in entry.contacts:
        reach = " ".join(
            bit
            for bit in (
                contact.phone,
                f"ext. {contact.phone_extension}" if contact.phone_extension else "",
                contact.email,
            )
            if bit
        )
        parts.append(
            f"{contact.name}: {reach}" if contact.name and reach else contact.name or reach
        )
    text = "; ".join(part for part in parts if part)
    page = entry.page
    extras = [page.email, display_url(page.website)] if page is not None else []
    return " ".join(bit for bit in (text, *extras) if bit)


def document_lines(entry: Entry, plain: bool = False) -> list[tuple[str, str]]:
    """(label, text) lines for one available listing in the print view and PDF.

    The document shows them in one block with ``white-space: pre-line``: a handful of
    boxes per listing rather than a dozen keeps a 200-item PDF within seconds.
    """
    from directory.presentation import miles

    ask = "Contact them to ask"
    lines: list[tuple[str, str]] = []
    if entry.organisation:
        lines.append(("", f"Run by {entry.organisation}"))
    if entry.page is not None and entry.page.summary:
        lines.append(("What", entry.page.summary))
    lines.append(("When", "; ".join(entry.schedule_lines) or ask))
    where = "; ".join(
        "Online" if loc.location_type == "virtual" else loc.one_line_address
        for loc in entry.locations
    )
    if entry.distance_miles is not None:
        where = f"{where or ask} – {miles(entry.distance_miles)} away"
    lines.append(("Where", where or ask))
    lines.append(("Cost", "; ".join(entry.cost_lines) or ask))
    lines.append(("Contact", contact_text(entry) or ask))
    checked = entry.last_checked
    lines.append(("", f"Last checked {checked:%-d %B %Y}" if checked else "Not yet checked"))
    if plain and entry.url:
        lines.append(("", entry.url))
    return lines


def plain_text(data: ListData, entries: list[Entry]) -> str:
    """The list as plain text, for email bodies and case notes."""
    from directory.presentation import miles

    lines = [data.title, ""]
    if data.note:
        lines += [data.note, ""]
    for entry in entries:
        lines.append(f"{entry.position}. {entry.title}")
        if not entry.available:
            lines += [f"   {entry.unavailable_message or NO_LONGER_AVAILABLE}", ""]
            continue
        if entry.organisation:
            lines.append(f"   Run by {entry.organisation}")
        lines += [f"   When: {line}" for line in entry.schedule_lines]
        lines += [f"   Where: {loc.one_line_address}" for loc in entry.locations[:2]]
        if entry.distance_miles is not None:
            lines.append(f"   Distance: {miles(entry.distance_miles)}")
        if entry.cost_lines:
            lines.append(f"   Cost: {'; '.join(entry.cost_lines)}")
        for contact in entry.contacts[:2]:
            bits = [contact.name, contact.phone, contact.email]
            lines.append("   Contact: " + ", ".join(bit for bit in bits if bit))
        if entry.note:
            lines.append(f"   Note: {entry.note}")
        if entry.url:
            lines.append(f"   {entry.url}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
