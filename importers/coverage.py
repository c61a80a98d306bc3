"""Services no postcode search can reach, and the feed's default area that fixes them.

A postcode search finds a service by distance from one of its locations, or because
one of its service areas covers the postcode. Many council feeds send services with
neither (only a description), so those would import cleanly and never be found.

An import can be given a default service area (the publishing council's area, by
GSS code): every record still without a located place and without a service area
after mapping (which already tried the postcodes in its text) gets that area. The
ones left are counted in the report as unreachable.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.models import Area, AreaType
from importers.records import ServiceRecord, content_hash

#: Areas a postcode search can tell it is inside (wards it cannot yet: see
#: ``geography.gazetteer.RESOLVES_WARDS``).
COVERABLE_TYPES = (AreaType.NATIONAL, AreaType.UPPER_TIER, AreaType.LOCAL_AUTHORITY)


class DefaultAreaError(ValueError):
    """The GSS code given as a default area is not usable; the message says why."""


@dataclass(frozen=True)
class DefaultArea:
    pk: int
    gss_code: str
    name: str

    @classmethod
    def lookup(cls, code: str) -> DefaultArea:
        """The loaded council area with GSS code ``code``, or DefaultAreaError."""
        wanted = code.strip().upper()
        area = Area.objects.filter(gss_code=wanted).first()
        if area is None:
            named = Area.objects.filter(name__iexact=code.strip(), area_type__in=COVERABLE_TYPES)
            hint = "; ".join(f"{a.name} is {a.gss_code}" for a in named[:3])
            if hint:
                raise DefaultAreaError(f"Give the area's GSS code, not its name ({hint}).")
            if not Area.objects.exists():
                raise DefaultAreaError(
                    f"No areas are loaded, so {wanted} cannot be checked: "
                    "run `manage.py load_areas` first."
                )
            raise DefaultAreaError(
                f"No council area has the GSS code {wanted}. Check it: a council's "
                "code looks like E06000013 (letter, then 8 digits)."
            )
        if area.area_type not in COVERABLE_TYPES:
            raise DefaultAreaError(
                f"{area.name} ({area.gss_code}) is a ward, and searches can't yet tell which "
                "ward a postcode is in. Give the council's code instead."
            )
        return cls(area.pk, area.gss_code, area.name)


def is_reachable(record: ServiceRecord) -> bool:
    """Whether a postcode search could ever find the record: a located place or an area."""
    return record.point is not None or bool(record.parts.get("service_areas"))


def apply_default_area(record: ServiceRecord, area: DefaultArea) -> None:
    """Give an unreachable record ``area`` as its service area.

    The area is folded into the record's hash, so setting (or clearing) a default
    on a later import of an unchanged feed still updates these services.
    """
    record.parts["service_areas"] = [
        {
            "kind": "area",
            "area_id": area.pk,
            "description": f"{area.name} (the feed's default area)"[:255],
        }
    ]
    record.row_hash = content_hash(record.row_hash, "default-area", area.gss_code)
