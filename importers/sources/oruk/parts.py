"""ORUK child entities (v1 and 3.0) → field dicts for a service's inline parts.

The inverse of ``directory.oruk.serialise`` (see the mapping in ``directory.oruk``).
Each function appends human-readable notes to ``warnings`` for anything it had to
drop or change, and never raises for bad data.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from directory.models.area import UNITED_KINGDOM_GSS
from directory.oruk.ids import derived_id
from directory.schedules import Weekday
from geography.gazetteer import RESOLVES_WARDS, Gazetteer
from importers.parsing.locations import Point, known_postcode, postcode_point, uk_point
from importers.parsing.text import clean_text, one_line, truncate
from importers.parsing.values import parse_amount, parse_date, valid_email, valid_url
from importers.sources.oruk.reference import ReferenceData, as_uuid, gss_code

ACCESSIBILITY_FEATURES = {
    "wheelchair accessible": "wheelchair_accessible",
    "hearing loop": "hearing_loop",
    "accessible toilet": "accessible_toilet",
    "parking nearby": "parking",
}
PHONE_TYPES = {"voice", "text", "textphone", "fax"}
V1_WEEKDAYS = {"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH",
               "friday": "FR", "saturday": "SA", "sunday": "SU"}  # fmt: skip


def dicts(value: Any) -> list[dict[str, Any]]:
    """The dict items of a list (a feed may send null, or junk inside lists)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def parse_time(value: Any) -> dt.time | None:
    text = str(value or "").strip().rstrip("Zz")
    if not text:
        return None
    try:
        return dt.time.fromisoformat(text[:8])
    except ValueError:
        return None


def _uuid(value: Any) -> dict[str, Any]:
    found = as_uuid(value)
    return {"oruk_id": found} if found else {}


# --- locations -------------------------------------------------------------------------


def location(
    sal: dict[str, Any], gazetteer: Gazetteer | None, warnings: list[str]
) -> dict[str, Any] | None:
    """A service_at_location (or a bare v1 location) → ServiceLocation fields."""
    nested = sal.get("location")
    loc: dict[str, Any] = nested if isinstance(nested, dict) else sal
    addresses = dicts(loc.get("addresses") or loc.get("physical_addresses"))
    postal = dicts(loc.get("postal_addresses"))
    address = (addresses or postal or [{}])[0]
    kind = str(loc.get("location_type") or "").lower()
    if kind not in ("physical", "virtual", "postal"):
        kind = "postal" if (postal and not addresses) else "physical"
    if address.get("address_type") == "postal":
        kind = "postal"
    street = ", ".join(
        part for part in (one_line(address.get(k), 255) for k in ("address_1", "address_2")) if part
    )
    fields: dict[str, Any] = {
        **_uuid(sal.get("id")),
        "location_type": kind,
        "name": one_line(loc.get("name"), 255),
        "address_1": truncate(street, 255),
        "city": one_line(address.get("city"), 100),
        "url": valid_url(loc.get("url"), warnings, "location"),
    }
    fields.update(_accessibility(loc))
    postcode, point = _place(address.get("postal_code"), loc, gazetteer, warnings)
    fields["postcode"] = postcode
    fields["latitude"], fields["longitude"] = point if point else (None, None)
    if kind == "physical" and not (fields["address_1"] or postcode or point or fields["name"]):
        warnings.append("a location with no address, postcode or coordinates; left out")
        return None
    return fields


def _accessibility(loc: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    texts = []
    for entry in dicts(loc.get("accessibility") or loc.get("accessibility_for_disabilities")):
        for feature in str(entry.get("details") or "").split(";"):
            name = ACCESSIBILITY_FEATURES.get(feature.strip().lower())
            if name:
                fields[name] = True
            elif feature.strip():
                texts.append(feature.strip())
        text = clean_text(entry.get("description") or entry.get("accessibility"))
        if text:
            texts.insert(0, text)
    fields["accessibility_description"] = "\n".join(texts)
    return fields


def _place(
    postcode_value: Any, loc: dict[str, Any], gazetteer: Gazetteer | None, warnings: list[str]
) -> tuple[str, Point | None]:
    """(postcode, (lat, lon)): the feed's point when it is in the UK, else the postcode's."""
    text = " ".join(str(postcode_value or "").upper().split())[:10]
    postcode, known = known_postcode(text, gazetteer)
    if postcode and gazetteer is not None and known is None:
        warnings.append(f"unknown postcode {postcode}")
    point = None
    try:
        lat, lon = loc.get("latitude"), loc.get("longitude")
        if lat is not None and lon is not None:
            point = (float(lat), float(lon))
    except (TypeError, ValueError):
        point = None
    point = uk_point(point, warnings)
    if point is None and known is not None:
        point = postcode_point(known)
    return postcode, point


# --- schedules ---------------------------------------------------------------------------


def schedules(
    record: dict[str, Any], service_uuid: Any, warnings: list[str]
) -> tuple[list[dict[str, Any]], str]:
    """(ServiceSchedule field dicts, text for schedule_description)."""
    words_id = derived_id(service_uuid, "schedule_description") if service_uuid else None
    found: list[dict[str, Any]] = []
    words: list[str] = []
    entries = dicts(record.get("schedules")) + [
        {**entry, "byday": V1_WEEKDAYS.get(str(entry.get("weekday", "")).lower(), "")}
        for entry in dicts(record.get("regular_schedules"))
    ]
    for entry in entries:
        description = one_line(entry.get("description"), 255)
        if words_id and str(entry.get("id")) == words_id:
            words.append(clean_text(entry.get("description")))
            continue
        freq = str(entry.get("freq") or ("WEEKLY" if entry.get("byday") else "")).upper()
        opens, closes = parse_time(entry.get("opens_at")), parse_time(entry.get("closes_at"))
        byday = str(entry.get("byday") or "").upper().replace(" ", "")
        problem = None
        try:
            Weekday.parse_byday(byday)
        except ValueError as error:
            problem = str(error)
        if freq not in ("WEEKLY", "MONTHLY"):
            problem = problem or (f"repeats {freq.lower()}" if freq else "no regular days")
        if opens and closes and closes <= opens:
            problem = problem or "closes before it opens"
        if problem:
            text = (
                description
                or " ".join(
                    str(entry.get(k) or "") for k in ("byday", "opens_at", "closes_at")
                ).strip()
            )
            if text:
                words.append(text)
            if freq or byday or opens:
                warnings.append(f"a schedule could not be read ({problem}); kept it as words")
            continue
        try:
            interval = max(1, min(int(entry.get("interval") or 1), 52))
        except (TypeError, ValueError):
            interval = 1
        found.append(
            {
                **_uuid(entry.get("id")),
                "freq": freq,
                "interval": interval,
                "byday": byday[:40],
                "opens_at": opens,
                "closes_at": closes,
                "valid_from": parse_date(entry.get("valid_from")),
                "valid_to": parse_date(entry.get("valid_to")),
                "description": description,
            }
        )
    return found, "\n".join(w for w in words if w)


# --- costs, contacts, languages ---------------------------------------------------------


def cost_options(
    record: dict[str, Any], service_uuid: Any, warnings: list[str]
) -> tuple[list[dict[str, Any]], bool]:
    """(CostOption field dicts, is_free)."""
    free_id = derived_id(service_uuid, "free") if service_uuid else None
    found: list[dict[str, Any]] = []
    marked_free = False
    for entry in dicts(record.get("cost_options")):
        if free_id and str(entry.get("id")) == free_id:
            marked_free = True
            continue
        amount = parse_amount(entry.get("amount"))
        if entry.get("amount") not in (None, "") and amount is None:
            warnings.append(f"cost amount {entry.get('amount')!r} is not a price; left out")
        found.append(
            {
                **_uuid(entry.get("id")),
                "option": one_line(entry.get("option"), 255),
                "amount": amount,
                "currency": (str(entry.get("currency") or "GBP").upper()[:3]) or "GBP",
                "amount_description": one_line(entry.get("amount_description"), 255),
            }
        )
    all_zero = bool(found) and all(cost["amount"] == 0 for cost in found)
    return found, marked_free or all_zero


def contacts(record: dict[str, Any], warnings: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    seen_phones: set[str] = set()
    for entry in dicts(record.get("contacts")):
        phones = dicts(entry.get("phones"))
        base = {
            "name": one_line(entry.get("name"), 255),
            "title": one_line(entry.get("title"), 255),
        }
        for index, phone in enumerate(phones or [{}]):
            contact = {**base, **_phone(phone)}
            if index == 0:
                contact.update(_uuid(entry.get("id")))
                contact["email"] = valid_email(entry.get("email"), warnings, "contact")
            seen_phones.add(str(phone.get("id")))
            if contact.get("name") or contact.get("email") or contact.get("phone"):
                found.append(contact)
    # Service-level phones repeat the contacts' (same ids); add only the others.
    for phone in dicts(record.get("phones")):
        if str(phone.get("id")) not in seen_phones and _phone(phone).get("phone"):
            found.append({"name": "", "title": "", "email": "", **_phone(phone)})
    return found


def _phone(phone: dict[str, Any]) -> dict[str, Any]:
    kind = str(phone.get("type") or "").lower()
    if kind and kind not in PHONE_TYPES:
        kind = "text" if kind in ("sms", "mobile_text") else "voice"
    return {
        "phone": one_line(phone.get("number"), 50),
        "phone_extension": one_line(phone.get("extension"), 20),
        "phone_type": kind,
    }


def languages(record: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for entry in dicts(record.get("languages")):
        name = one_line(entry.get("name") or entry.get("language"), 100)
        if name:
            found.append(
                {**_uuid(entry.get("id")), "name": name, "code": one_line(entry.get("code"), 10)}
            )
    return found


# --- service areas ------------------------------------------------------------------------

#: GSS entity codes of electoral wards: England, Wales, Scotland, Northern Ireland.
WARD_CODE_PREFIXES = frozenset({"E05", "W05", "S13", "N08"})


def service_areas(
    record: dict[str, Any], refs: ReferenceData, warnings: list[str]
) -> list[dict[str, Any]]:
    found = []
    for entry in dicts(record.get("service_areas")):
        fields: dict[str, Any] = {
            **_uuid(entry.get("id")),
            "description": one_line(entry.get("service_area"), 255),
        }
        name = one_line(entry.get("name") or entry.get("service_area"), 255)
        code = gss_code(entry.get("extent")) or gss_code(entry.get("uri"))
        radius = _radius(entry) if entry.get("extent_type") == "geojson" else None
        if code == UNITED_KINGDOM_GSS:
            fields["kind"] = "national"
        elif code and code[:3] in WARD_CODE_PREFIXES and not RESOLVES_WARDS:
            warnings.append(
                f"service area {name or code} ({code}) is a ward, and searches can't yet tell "
                "which ward a postcode is in; left out"
            )
            continue
        elif code:
            area = refs.area(code, name)
            if area is None:
                warnings.append(f"service area {code} is not a known area; left out")
                continue
            fields.update(kind="area", area_id=area)
        elif radius:
            fields.update(
                kind="radius", latitude=radius[0], longitude=radius[1], radius_miles=radius[2]
            )
        else:
            warnings.append(f"service area {name or '(unnamed)'!r} has no GSS code; left out")
            continue
        found.append(fields)
    return found


def _radius(entry: dict[str, Any]) -> tuple[float, float, float] | None:
    try:
        feature = json.loads(str(entry.get("extent")))
        lon, lat = feature["geometry"]["coordinates"]
        miles = float(feature.get("properties", {}).get("radius_miles"))
        return float(lat), float(lon), miles
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
