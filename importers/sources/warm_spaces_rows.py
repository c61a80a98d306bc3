"""Validate and map one warm spaces CSV row to page fields (no database writes)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from geography.gazetteer import Gazetteer, ResolvedLocation
from importers.parsing.contact_text import extract_contacts
from importers.parsing.opening_hours import parse_opening_hours
from importers.parsing.text import (
    clean_text,
    clean_url,
    find_prices,
    make_summary,
    one_line,
    truncate,
)
from importers.records import SkipRecord

SOURCE = "warm_spaces"
#: Bump when the mapping below changes, so the next import re-applies every row.
MAPPING_VERSION = "2"
#: Generous box around the UK (Scilly, Shetland, Northern Ireland included).
UK_BOUNDS = (49.8, 61.0, -8.7, 2.0)
#: A CSV point further than this from its (known) postcode is treated as wrong.
MISMATCH_KM = 10.0

_POSTCODE_TAIL_RE = re.compile(r"[,\s]*\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\s*$", re.IGNORECASE)


class SkipRow(SkipRecord):
    """The row cannot be imported; the message is the reason shown in the report."""


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


def row_hash(row: dict[str, str]) -> str:
    """sha256 over the whole row (and the mapping version): any edit means re-import."""
    payload = json.dumps([MAPPING_VERSION, sorted(row.items())], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def parse_coordinates(lat_text: str, lon_text: str) -> tuple[float, float] | None:
    """(lat, lon), or None when both are blank. Raises SkipRow when they are malformed."""
    lat_text, lon_text = (lat_text or "").strip(), (lon_text or "").strip()
    if not lat_text and not lon_text:
        return None
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise SkipRow(f"malformed coordinates (lat {lat_text!r}, lon {lon_text!r})") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise SkipRow(f"malformed coordinates (lat {lat_text!r}, lon {lon_text!r})")
    return lat, lon


def in_uk(lat: float, lon: float) -> bool:
    south, north, west, east = UK_BOUNDS
    return south <= lat <= north and west <= lon <= east


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def locate(
    postcode_text: str, coords: tuple[float, float] | None, gazetteer: Gazetteer | None
) -> tuple[str, tuple[float, float], list[str]]:
    """(canonical postcode, point, warnings) for a row, or SkipRow.

    CSV coordinates win when they are plausible: inside the UK and, if the postcode
    is known, within MISMATCH_KM of it. Otherwise the postcode's point is used.
    The postcode is stored in its canonical form when known.
    """
    warnings: list[str] = []
    postcode = " ".join(postcode_text.upper().split())
    known: ResolvedLocation | None = None
    if postcode and gazetteer is not None:
        result = gazetteer.resolve_location(postcode)
        if isinstance(result, ResolvedLocation) and result.kind == "postcode":
            known = result
            postcode = result.postcode or postcode
    no_coords = "no usable coordinates" if coords is not None else "no coordinates"
    if coords is not None and not in_uk(*coords):
        warnings.append(f"coordinates {coords[0]}, {coords[1]} are outside the UK; ignored them")
        coords = None
    if coords is not None:
        if postcode and known is None and gazetteer is not None:
            warnings.append(f"unknown postcode {postcode}; used the listing's coordinates")
        elif known is not None:
            apart = distance_km(coords, (known.lat, known.lon))
            if apart > MISMATCH_KM:
                # Checked by hand in the BH file: the far-off points were wrong, the
                # postcodes right (a Canford Magna care home placed near Dorchester).
                warnings.append(
                    f"coordinates are {apart:.0f} km from postcode {postcode}; "
                    "used the postcode's location"
                )
                coords = None
        if coords is not None:
            return postcode, coords, warnings
    if known is not None:
        return postcode, (round(known.lat, 6), round(known.lon, 6)), warnings
    if not postcode:
        raise SkipRow(f"no postcode and {no_coords}")
    if gazetteer is None:
        raise SkipRow(f"{no_coords}, and postcode {postcode} cannot be checked (no gazetteer)")
    raise SkipRow(f"unknown postcode {postcode} and {no_coords}")


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


def parse_checked(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def prepare_row(
    row: dict[str, str], row_number: int, gazetteer: Gazetteer | None, categoriser: Any
) -> Listing:
    """Map one CSV row to a Listing, or raise SkipRow with the reason."""
    external_id = (row.get("id") or "").strip()
    title = one_line(row.get("title"), 255)
    if not title:
        raise SkipRow("no title")
    if not external_id:
        raise SkipRow("no id")
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
    checked = parse_checked(row.get("source_checked", ""))
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
        row_hash=row_hash(row),
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
