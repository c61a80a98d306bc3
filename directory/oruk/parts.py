"""ORUK child entities of a service (schedule, cost_option, contact, phone, language,
service_area, location) and the small formatting helpers every serialiser shares.

The mapping is documented in ``directory.oruk``; ``serialise.py`` assembles these.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from directory.models import (
    CostOption,
    ServiceAreaCoverage,
    ServiceContact,
    ServiceLanguage,
    ServiceLocation,
    ServiceSchedule,
)
from directory.models.area import UNITED_KINGDOM_GSS

from .ids import GSS_URI, derived_id

JsonDict = dict[str, Any]


def clean(data: JsonDict, keep: tuple[str, ...] = ()) -> JsonDict:
    """Drop empty optional values (None, "", []) so the output never carries nulls.

    ``keep`` names schema-required fields that must be present even when empty.
    """
    return {
        key: value
        for key, value in data.items()
        if key in keep or not (value is None or value == "" or value == [])
    }


def ordered(manager: Any) -> list[Any]:
    """A relation's rows in a database-independent order: inline parts by sort_order
    (imports may leave it unset, and NULLs sort differently in SQLite and PostgreSQL),
    then pk. Sorting in Python keeps prefetched rows prefetched."""
    return sorted(
        manager.all(),
        key=lambda row: (
            getattr(row, "sort_order", None) is None,
            getattr(row, "sort_order", 0) or 0,
            row.pk,
        ),
    )


def iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def iso_time(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value else None


def timestamp(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    utc = value.astimezone(dt.UTC)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def schedule(schedule: ServiceSchedule, service_id: str) -> JsonDict:
    return clean(
        {
            "id": str(schedule.oruk_id),
            "service_id": service_id,
            "freq": schedule.freq,
            "interval": schedule.interval,
            "byday": schedule.byday,
            "opens_at": iso_time(schedule.opens_at),
            "closes_at": iso_time(schedule.closes_at),
            "valid_from": iso_date(schedule.valid_from),
            "valid_to": iso_date(schedule.valid_to),
            "description": schedule.description,
        }
    )


def cost_option(cost: CostOption, service_id: str) -> JsonDict:
    return clean(
        {
            "id": str(cost.oruk_id),
            "service_id": service_id,
            "option": cost.option,
            "amount": float(cost.amount) if cost.amount is not None else None,
            "currency": cost.currency,
            "amount_description": cost.amount_description,
        }
    )


def contact_phones(contact: ServiceContact, service_id: str) -> list[JsonDict]:
    if not contact.phone:
        return []
    phone = {
        "id": derived_id(contact.oruk_id, "phone"),
        "contact_id": str(contact.oruk_id),
        "service_id": service_id,
        "number": contact.phone,
        "extension": contact.phone_extension,
        "type": contact.phone_type,
    }
    return [clean(phone)]


def contact(contact: ServiceContact, service_id: str) -> JsonDict:
    return clean(
        {
            "id": str(contact.oruk_id),
            "service_id": service_id,
            "name": contact.name,
            "title": contact.title,
            "email": contact.email,
            "phones": contact_phones(contact, service_id),
        }
    )


def language(language: ServiceLanguage, service_id: str) -> JsonDict:
    return clean(
        {
            "id": str(language.oruk_id),
            "service_id": service_id,
            "name": language.name,
            "code": language.code,
        }
    )


def service_area(coverage: ServiceAreaCoverage, service_id: str) -> JsonDict:
    data: JsonDict = {
        "id": str(coverage.oruk_id),
        "service_id": service_id,
        "service_area": coverage.description,
    }
    gss = coverage.gss_code
    if coverage.kind == "radius":
        if coverage.latitude is not None and coverage.longitude is not None:
            feature = {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [coverage.longitude, coverage.latitude],
                },
                "properties": {"radius_miles": coverage.radius_miles},
            }
            data["extent"] = json.dumps(feature, separators=(",", ":"))
            data["extent_type"] = "geojson"
        data["name"] = str(coverage)
    elif gss:
        data["name"] = "United Kingdom" if gss == UNITED_KINGDOM_GSS else coverage.area.name
        data["extent"] = gss
        data["extent_type"] = "gss_code"
        data["uri"] = GSS_URI.format(code=gss)
    return clean(data)


def location(location: ServiceLocation) -> JsonDict:
    location_id = derived_id(location.oruk_id, "location")
    addresses = []
    if location.location_type != "virtual" and (location.address_1 or location.postcode):
        address = {
            "id": derived_id(location.oruk_id, "address"),
            "location_id": location_id,
            "address_1": location.address_1,
            "city": location.city,
            "state_province": "",
            "postal_code": location.postcode,
            "country": "GB",
            "address_type": "postal" if location.location_type == "postal" else "physical",
        }
        addresses.append(clean(address, keep=("address_1", "city", "state_province")))
    accessibility = []
    features = location.accessibility_features
    if features or location.accessibility_description:
        entry = {
            "id": derived_id(location.oruk_id, "accessibility"),
            "location_id": location_id,
            "description": location.accessibility_description,
            "details": "; ".join(features),
        }
        accessibility.append(clean(entry))
    return clean(
        {
            "id": location_id,
            "location_type": location.location_type,
            "name": location.name,
            "url": location.url,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "addresses": addresses,
            "accessibility": accessibility,
        }
    )
