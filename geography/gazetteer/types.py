"""Result types returned by the gazetteer.

Every lookup returns one of three frozen dataclasses (``LocationResult``) so
callers can ``match`` on the outcome instead of catching exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: ONS code for the whole United Kingdom. Services that are national cover it.
UK_CODE = "K02000001"

#: ONS country codes keyed by the first letter of a GSS area code.
COUNTRY_CODES = {
    "E": "E92000001",  # England
    "W": "W92000004",  # Wales
    "S": "S92000003",  # Scotland
    "N": "N92000002",  # Northern Ireland
}

LocationKind = Literal["postcode", "sector", "outward", "place", "latlon"]


@dataclass(frozen=True, slots=True)
class ResolvedLocation:
    """A point on the map plus the administrative areas it falls in.

    ``lat``/``lon`` are WGS84. For outward codes, sectors and places the point
    is a centroid and the areas come from the most common (or nearest)
    postcode, so they are a best guess near area boundaries.
    """

    kind: LocationKind
    label: str
    lat: float
    lon: float
    postcode: str | None = None
    lad_code: str | None = None
    lad_name: str | None = None
    upper_tier_code: str | None = None
    upper_tier_name: str | None = None
    ward_code: str | None = None
    ward_name: str | None = None
    terminated: bool = False
    corrected_from: str | None = None

    @property
    def country_code(self) -> str | None:
        """ONS country code (E92000001 etc.) derived from the LAD code."""
        if not self.lad_code:
            return None
        return COUNTRY_CODES.get(self.lad_code[0])

    @property
    def area_codes(self) -> frozenset[str]:
        """Every area code this location is inside, for coverage matching.

        Local authority, upper tier, ward (when known), country and the
        UK-wide code, so a service covering any of these areas matches.
        """
        codes = {UK_CODE}
        for code in (self.lad_code, self.upper_tier_code, self.ward_code, self.country_code):
            if code:
                codes.add(code)
        return frozenset(codes)


@dataclass(frozen=True, slots=True)
class AmbiguousLocation:
    """The query matched several distinct places; ask the person to choose.

    Each choice's ``label`` includes its county or district
    (e.g. "Ashford, Spelthorne") and can be fed back to ``resolve_location``.
    """

    query: str
    choices: tuple[ResolvedLocation, ...]


@dataclass(frozen=True, slots=True)
class UnresolvedLocation:
    """Nothing usable matched. ``message`` is safe to show to the public."""

    query: str
    message: str
    suggestion: str | None = None


LocationResult = ResolvedLocation | AmbiguousLocation | UnresolvedLocation


@dataclass(frozen=True, slots=True)
class PostcodeMatch:
    """A postcode record exactly as held in the store.

    Unlike ``ResolvedLocation`` the coordinates may be missing (PO boxes,
    Channel Islands, some terminated postcodes).
    """

    postcode: str
    lat: float | None
    lon: float | None
    lad_code: str | None
    lad_name: str | None
    upper_tier_code: str | None
    upper_tier_name: str | None
    ward_code: str | None = None
    ward_name: str | None = None
    terminated: bool = False

    @property
    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None

    def to_location(self, corrected_from: str | None = None) -> ResolvedLocation | None:
        """Convert to a ``ResolvedLocation`` (None if there is no map point)."""
        if self.lat is None or self.lon is None:
            return None
        return ResolvedLocation(
            kind="postcode",
            label=self.postcode,
            lat=self.lat,
            lon=self.lon,
            postcode=self.postcode,
            lad_code=self.lad_code,
            lad_name=self.lad_name,
            upper_tier_code=self.upper_tier_code,
            upper_tier_name=self.upper_tier_name,
            ward_code=self.ward_code,
            ward_name=self.ward_name,
            terminated=self.terminated,
            corrected_from=corrected_from,
        )
