"""Validate and map one warm spaces CSV row to page fields (no database writes)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from geography.gazetteer import Gazetteer
from importers.parsing.contact_text import extract_contacts
from importers.parsing.locations import locate, parse_coordinates
from importers.parsing.opening_hours import parse_opening_hours
from importers.parsing.text import (
    clean_text,
    clean_url,
    find_prices,
    make_summary,
    one_line,
    truncate,
)
from importers.parsing.values import parse_date
from importers.records import SkipRecord, content_hash

SOURCE = "warm_spaces"
#: Bump when the mapping below changes, so the next import re-applies every row.
MAPPING_VERSION = "3"  # 3: categorised by directory.categorise (more kinds, phrases)

_POSTCODE_TAIL_RE = re.compile(r"[,\s]*\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\s*$", re.IGNORECASE)


@dataclass
class Listing:
    row_number: int
    external_id: str
    source_id: str
    source_title: str
    source_url: str
    row_hash: str
    page: dict[str, Any]
    location: dict[str, Any]
    contacts: list[dict[str, str]]
    schedules: list[dict[str, Any]]
    cost_options: list[dict[str, Any]]
    term_codes: list[str]
    warnings: list[str] = field(default_factory=list)


def split_address(address: str, postcode: str) -> tuple[str, str]:
    """(venue name, rest of the address) from 'Venue, 1 Road, Town, County BH1 1AA'."""
    text = _POSTCODE_TAIL_RE.sub("", " ".join(address.split())).strip(" ,")
    if postcode and text.upper().endswith(postcode.upper()):
        text = text[: -len(postcode)].strip(" ,")
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        return "", ""
    if len(parts) == 1 or parts[0][:1].isdigit():
        # '21 Commercial Road, Swanage' starts with a street, not a venue name.
        return "", truncate(", ".join(parts), 255)
    return truncate(parts[0], 255), truncate(", ".join(parts[1:]), 255)


def prepare_row(
    row: dict[str, str], row_number: int, gazetteer: Gazetteer | None, categoriser: Any
) -> Listing:
    """Map one CSV row to a Listing, or raise SkipRecord with the reason."""
    external_id = (row.get("id") or "").strip()
    title = one_line(row.get("title"), 255)
    if not title:
        raise SkipRecord("no title")
    if not external_id:
        raise SkipRecord("no id")
    source_title = one_line(row.get("source_title"), 255) or "Unknown directory"
    source_id = (row.get("source_id") or "").strip() or source_title

    coords = parse_coordinates(row.get("lat", ""), row.get("lon", ""))
    postcode, (lat, lon), warnings = locate(row.get("postcode") or "", coords, gazetteer)

    description = clean_text(row.get("description"))
    hours_text = clean_text(row.get("hours_text"))
    hours_osm = (row.get("hours_osm") or "").strip()
    schedules = parse_opening_hours(hours_osm)
    prices = find_prices(title, description, hours_text)
    contact = extract_contacts(clean_text(row.get("contact")), fallback=description)
    url = clean_url(row.get("url"))
    checked = parse_date(row.get("source_checked"))
    if row.get("source_checked") and checked is None:
        warnings.append(f"source_checked {row['source_checked']!r} is not a date")
    venue, address_1 = split_address(clean_text(row.get("address")), postcode)

    page = {
        "title": title,
        "summary": make_summary(description),
        "description": description,
        "status": "active",
        "website": url,
        "email": contact.emails[0] if contact.emails else "",
        # Warm spaces are free by definition unless the listing names a price.
        "is_free": not prices,
        "fees_description": truncate("; ".join(s for _, s in prices), 500),
        "offers_in_person": True,
        "schedule_description": "" if schedules else (hours_text or hours_osm),
        "last_verified_on": checked,
        "verification_note": truncate(f"Checked by {source_title}", 255),
        "source": SOURCE,
        "external_id": external_id,
        "source_url": url,
    }
    return Listing(
        row_number=row_number,
        external_id=external_id,
        source_id=source_id[:255],
        source_title=source_title,
        source_url=clean_url(row.get("source_url")),
        # The whole row (as sorted pairs, which is how the hashes stored so far were
        # made): any edit means re-import.
        row_hash=content_hash(MAPPING_VERSION, sorted(row.items())),
        page=page,
        location={
            "location_type": "physical",
            "name": venue,
            "address_1": address_1,
            "postcode": postcode[:10],
            "latitude": lat,
            "longitude": lon,
        },
        contacts=[
            {"phone": phone or "", "email": email or ""}
            for phone, email in zip_longest(contact.phones, contact.emails)
        ],
        schedules=schedules,
        cost_options=[
            {"amount": amount, "amount_description": truncate(sentence, 255)}
            for amount, sentence in prices[:5]
        ],
        term_codes=categoriser.codes_for(title, description, always=("warm-spaces",)),
        warnings=warnings,
    )
