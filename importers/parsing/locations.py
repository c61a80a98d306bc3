"""Where a listing is: a source's postcode and coordinates → a checked UK point.

Every source resolves places the same way: a postcode is looked up in the
gazetteer (and stored in its canonical form when known), and a source's own
coordinates are only trusted inside the UK.
"""

from __future__ import annotations

import math

from geography.distance import KM_PER_MILE, haversine_miles
from geography.gazetteer import (
    Gazetteer,
    GazetteerUnavailable,
    ResolvedLocation,
    get_gazetteer,
)
from importers.records import SkipRecord

#: Generous box around the UK (Scilly, Shetland, Northern Ireland included).
UK_BOUNDS = (49.8, 61.0, -8.7, 2.0)
#: A source's point further than this from its (known) postcode is treated as wrong.
MISMATCH_KM = 10.0

Point = tuple[float, float]


def open_gazetteer(warnings: list[str]) -> Gazetteer | None:
    """The postcode gazetteer, or None with one warning: rows with their own
    coordinates can still be imported without it."""
    try:
        return get_gazetteer()
    except GazetteerUnavailable as error:
        warnings.append(f"Postcodes not checked: {error}")
        return None


def parse_coordinates(lat_text: str, lon_text: str) -> Point | None:
    """(lat, lon), or None when both are blank. Raises SkipRecord when they are malformed."""
    lat_text, lon_text = (lat_text or "").strip(), (lon_text or "").strip()
    if not lat_text and not lon_text:
        return None
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise SkipRecord(f"malformed coordinates (lat {lat_text!r}, lon {lon_text!r})") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise SkipRecord(f"malformed coordinates (lat {lat_text!r}, lon {lon_text!r})")
    return lat, lon


def in_uk(lat: float, lon: float) -> bool:
    south, north, west, east = UK_BOUNDS
    return south <= lat <= north and west <= lon <= east


def uk_point(point: Point | None, warnings: list[str]) -> Point | None:
    """The point if it is in the UK; otherwise None, with a warning."""
    if point is not None and not in_uk(*point):
        warnings.append(f"coordinates {point[0]}, {point[1]} are outside the UK; ignored them")
        return None
    return point


def known_postcode(
    postcode_text: str, gazetteer: Gazetteer | None
) -> tuple[str, ResolvedLocation | None]:
    """(postcode, where it is): canonical when the gazetteer knows it, else as given
    (upper case, single spaces) with None."""
    postcode = " ".join(postcode_text.upper().split())
    if postcode and gazetteer is not None:
        result = gazetteer.resolve_location(postcode)
        if isinstance(result, ResolvedLocation) and result.kind == "postcode":
            return result.postcode or postcode, result
    return postcode, None


def postcode_point(known: ResolvedLocation) -> Point:
    return round(known.lat, 6), round(known.lon, 6)


def locate(
    postcode_text: str, coords: Point | None, gazetteer: Gazetteer | None
) -> tuple[str, Point, list[str]]:
    """(canonical postcode, point, warnings) for a row that must have a place, or SkipRecord.

    The row's coordinates win when they are plausible: inside the UK and, if the
    postcode is known, within MISMATCH_KM of it. Otherwise the postcode's point is used.
    """
    warnings: list[str] = []
    postcode, known = known_postcode(postcode_text, gazetteer)
    no_coords = "no usable coordinates" if coords is not None else "no coordinates"
    coords = uk_point(coords, warnings)
    if coords is not None:
        if postcode and known is None and gazetteer is not None:
            warnings.append(f"unknown postcode {postcode}; used the listing's coordinates")
        elif known is not None:
            apart = haversine_miles(*coords, known.lat, known.lon) * KM_PER_MILE
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
        return postcode, postcode_point(known), warnings
    if not postcode:
        raise SkipRecord(f"no postcode and {no_coords}")
    if gazetteer is None:
        raise SkipRecord(f"{no_coords}, and postcode {postcode} cannot be checked (no gazetteer)")
    raise SkipRecord(f"unknown postcode {postcode} and {no_coords}")
