"""The ``Gazetteer``: turns what a person typed into a location.

Postcode lookups are a binary search (``numpy.searchsorted``) over the sorted
S7 array, a few microseconds each. A Python dict of 2.7M postcodes would be
similar speed but cost ~400 MB per process; the memory-mapped arrays cost
~60 MB shared between processes.
"""

from __future__ import annotations

import logging
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from geography.gazetteer import text as t
from geography.gazetteer.councils import Council, council_centroid, council_names
from geography.gazetteer.grid import Grid
from geography.gazetteer.places import (
    DISTRICT,
    LAD,
    LAT,
    LON,
    NAME,
    PLACES_FILE,
    TOWN_RANK,
    TYPE,
    TYPE_RANK,
    PlaceIndex,
    compile_places,
    pick_place,
)
from geography.gazetteer.store import NO_LAD, load_store
from geography.gazetteer.types import (
    AmbiguousLocation,
    LocationResult,
    PostcodeMatch,
    ResolvedLocation,
    UnresolvedLocation,
)

logger = logging.getLogger(__name__)

# Rough bounding box of the UK incl. Shetland, Scilly and Northern Ireland.
UK_LAT = (49.8, 60.9)
UK_LON = (-8.7, 1.8)
MAX_CHOICES = 10
_NAME_LIKE = re.compile(r"[^\W\d_][\w .,'-]*")


class Gazetteer:
    """Offline UK location lookup over a store built by ``build_gazetteer``.

    ``shared_data`` is only used when the store was built without places.
    """

    def __init__(self, store_dir: Path, shared_data: Path | None = None, mmap: bool = True):
        store = load_store(Path(store_dir), mmap=mmap)
        self.store_dir = Path(store_dir)
        self.meta = store.meta
        a = store.arrays
        self._pc, self._lat, self._lon, self._lad = a["pc"], a["lat"], a["lon"], a["lad"]
        self._out = (a["out_key"], a["out_lat"], a["out_lon"], a["out_lad"])
        self._sec = (a["sec_key"], a["sec_lat"], a["sec_lon"], a["sec_lad"])
        self._grid = Grid(a["grid_keys"], a["grid_starts"], a["grid_members"], self._lat, self._lon)
        # (code, name, upper code, upper name) with "" turned into None.
        self._lads: list[tuple[str | None, ...]] = [
            tuple(v or None for v in row) for row in store.lads
        ]
        rows = store.places
        if not rows and shared_data is not None and (shared_data / PLACES_FILE).is_file():
            rows = compile_places(shared_data / PLACES_FILE, self._nearest_lad, store.lads)
        self._places = PlaceIndex.from_rows(rows)
        self._councils = council_names(self._lads)
        self._council_points: dict[str, tuple[float, float] | None] = {}

    # ----------------------------------------------------------------- postcodes

    def resolve_postcode(self, text: str) -> PostcodeMatch | None:
        """The stored record for an exact postcode (any case/spacing), else None."""
        parts = t.split_full(t.compact(t.clean_query(text)))
        return None if parts is None else self._match(*parts)

    def _match(self, outward: str, inward: str) -> PostcodeMatch | None:
        i = self._find(self._pc, (outward + inward).encode("ascii"))
        if i is None:
            return None
        lat, lon = float(self._lat[i]), float(self._lon[i])
        has = math.isfinite(lat) and math.isfinite(lon)
        code, name, upper_code, upper_name = self._lad_info(int(self._lad[i]))
        return PostcodeMatch(
            postcode=f"{outward} {inward}",
            lat=lat if has else None,
            lon=lon if has else None,
            lad_code=code,
            lad_name=name,
            upper_tier_code=upper_code,
            upper_tier_name=upper_name,
        )

    @staticmethod
    def _find(keys: npt.NDArray, key: bytes) -> int | None:
        i = int(np.searchsorted(keys, key))
        return i if i < len(keys) and keys[i] == key else None

    def _lad_info(self, idx: int) -> tuple[str | None, ...]:
        if idx == NO_LAD or idx >= len(self._lads):
            return (None, None, None, None)
        return self._lads[idx]

    # ------------------------------------------------------------------ general

    def resolve_location(self, text: str) -> LocationResult:
        """Resolve a postcode, outward code, sector, place name or 'lat, lon'.

        Never raises for string input; unknown input gives ``UnresolvedLocation``.
        """
        query = t.clean_query(text)
        if not query:
            return UnresolvedLocation("", "Enter a postcode, town or place name.")
        try:
            return self._resolve(query)
        except Exception:  # a bad query must never break a page, but log the bug
            logger.exception("Gazetteer failed to resolve %r", query)
            return UnresolvedLocation(query, _cant_find(query, "Check it and try again."))

    def _resolve(self, query: str) -> LocationResult:
        latlon = t.parse_latlon(query)
        if latlon is not None:
            return self._resolve_latlon(query, *latlon)
        # Stray punctuation around a postcode ("BH1 1AA," or "(BH1)") is noise.
        compacted = t.compact(query).strip(".,;:!?'\"()[]")
        parts = t.split_full(compacted)
        if parts is not None:
            return self._resolve_full(query, parts)
        for variant in t.lookalike_variants(compacted):
            found = self._located(*variant, corrected_from=query)
            if found is not None:
                return found
        sector = t.parse_sector(query)
        if sector is not None:
            return self._resolve_area(query, sector, self._sec, "sector")
        if t.is_outward(compacted):
            return self._resolve_area(query, compacted, self._out, "outward")
        place = self._resolve_place(query, compacted)
        if not isinstance(place, UnresolvedLocation):
            return place
        # Only now try "BHI" -> "BH1", so a real place name always wins.
        for outward in t.outward_variants(compacted):
            result = self._resolve_area(query, outward, self._out, "outward")
            if isinstance(result, ResolvedLocation):
                return result
        return place

    def _located(
        self, outward: str, inward: str, corrected_from: str | None = None
    ) -> ResolvedLocation | None:
        match = self._match(outward, inward)
        return None if match is None else match.to_location(corrected_from=corrected_from)

    def _resolve_full(self, query: str, parts: tuple[str, str]) -> LocationResult:
        outward, inward = parts
        postcode = f"{outward} {inward}"
        match = self._match(outward, inward)
        if match is not None:
            location = match.to_location()
            if location is not None:
                return location
            fallback = self._area_with_coords(f"{outward} {inward[0]}", outward)
            hint = f" Try {fallback} instead." if fallback else " Try a town name instead."
            return UnresolvedLocation(
                query,
                f"{postcode} is a real postcode but we don't have a map location for it "
                f"(it may be a PO box, or outside Great Britain and Northern Ireland).{hint}",
                fallback,
            )
        for variant in t.lookalike_variants(outward + inward):
            found = self._located(*variant, corrected_from=query)
            if found is not None:
                return found
        if self._area_with_coords(outward) is not None:
            return UnresolvedLocation(
                query,
                f"We can't find {postcode}. Check it, or try the first part ({outward}).",
                outward,
            )
        return UnresolvedLocation(
            query, f"We can't find {postcode}. Check the postcode, or try a town name."
        )

    def _area_with_coords(self, *keys: str) -> str | None:
        """The first sector/outward code in ``keys`` that exists and has a centroid."""
        for key in keys:
            table = self._sec if " " in key else self._out
            i = self._find(table[0], key.encode("ascii"))
            if i is not None and math.isfinite(float(table[1][i])):
                return key
        return None

    def _resolve_area(
        self, query: str, key: str, table: tuple[npt.NDArray, ...], kind: str
    ) -> LocationResult:
        keys, lats, lons, lads = table
        i = self._find(keys, key.encode("ascii"))
        if i is None:
            return UnresolvedLocation(
                query, f"We can't find {key}. Check the postcode, or try a town name."
            )
        lat, lon = float(lats[i]), float(lons[i])
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return UnresolvedLocation(
                query,
                f"{key} is a real postcode area but we don't have a map location for it. "
                "Try a town name instead.",
            )
        code, name, upper_code, upper_name = self._lad_info(int(lads[i]))
        return ResolvedLocation(
            kind="sector" if kind == "sector" else "outward",
            label=key,
            lat=lat,
            lon=lon,
            lad_code=code,
            lad_name=name,
            upper_tier_code=upper_code,
            upper_tier_name=upper_name,
            corrected_from=query if t.compact(query) != t.compact(key) else None,
        )

    # -------------------------------------------------------------- coordinates

    def _resolve_latlon(self, query: str, lat: float, lon: float) -> LocationResult:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return UnresolvedLocation(
                query, "That isn't a valid latitude and longitude. Try '50.72, -1.88'."
            )
        if not (UK_LAT[0] <= lat <= UK_LAT[1] and UK_LON[0] <= lon <= UK_LON[1]):
            return UnresolvedLocation(
                query, "That location is outside the UK. Try a UK postcode or town."
            )
        code, name, upper_code, upper_name = self._lad_info(self._nearest_lad(lat, lon) or NO_LAD)
        return ResolvedLocation(
            kind="latlon",
            label=f"{lat:.5f}, {lon:.5f}",
            lat=lat,
            lon=lon,
            lad_code=code,
            lad_name=name,
            upper_tier_code=upper_code,
            upper_tier_name=upper_name,
        )

    def _nearest_lad(self, lat: float, lon: float) -> int | None:
        """LAD index of the nearest postcode within 10 km (None out at sea)."""
        hit = self._grid.nearest(lat, lon, max_km=10.0)
        if hit is None:
            return None
        idx = int(self._lad[hit[0]])
        return None if idx == NO_LAD else idx

    def nearest_postcode(self, lat: float, lon: float, max_km: float = 10.0) -> str | None:
        """The nearest postcode with coordinates, e.g. for reverse geocoding."""
        hit = self._grid.nearest(lat, lon, max_km=max_km)
        if hit is None:
            return None
        raw = self._pc[hit[0]].decode("ascii")
        return f"{raw[:-3]} {raw[-3:]}"

    def district_centroid(self, name: str) -> tuple[float, float] | None:
        """(lat, lon) of a postcode district ('BH8') or of a town named exactly, else None.

        For maps of counts by district: only an exact district or an unambiguous town
        gets a point, never a fuzzy guess, so a dot is never drawn in the wrong place.
        """
        key = t.compact(t.clean_query(name))
        if t.is_outward(key):
            keys, lats, lons, _ = self._out
            i = self._find(keys, key.encode("ascii"))
            if i is None:
                return None
            lat, lon = float(lats[i]), float(lons[i])
            return (lat, lon) if math.isfinite(lat) and math.isfinite(lon) else None
        result = self.resolve_location(name)
        if isinstance(result, ResolvedLocation) and result.kind == "place":
            town = result.label.split(",")[0].strip()
            if t.compact(town) == key:
                return (result.lat, result.lon)
        return None

    # ------------------------------------------------------------------- places

    def _resolve_place(self, query: str, compacted: str) -> LocationResult:
        council = self._councils.get(t.name_key(query))
        if council is not None:
            found = self._council_location(query, council)
            if found is not None:
                return found
        places = self._places
        ids = places.exact(query)
        if not ids:
            labelled = places.labelled(query)
            if labelled is not None:
                return self._place_location(labelled, full_label=True)
            if "," in query:
                ids = self._in_area(*query.rsplit(",", 1))
        # Partial names ("Ashfo") only for name-like text, not "NEAR(" junk.
        if not ids and _NAME_LIKE.fullmatch(query):
            ids = places.prefixed(query)
        if ids:
            chosen = pick_place(ids, places.rows)
            if chosen is not None:
                return self._place_location(chosen, full_label=False)
            choices = tuple(self._place_location(i, full_label=True) for i in ids[:MAX_CHOICES])
            return AmbiguousLocation(query, choices)
        if t.looks_like_postcode_attempt(compacted):
            return UnresolvedLocation(
                query, _cant_find(query, "It doesn't look like a UK postcode. Check it.")
            )
        return UnresolvedLocation(
            query, _cant_find(query, "Check the spelling, or try a postcode.")
        )

    def _council_location(self, query: str, council: Council) -> LocationResult | None:
        """A council's name resolves to the council (see ``councils``): to its own
        place of that name when it has one (the town a borough is named after), else
        to its postcodes' mean point, with the council's codes.

        When a town or city of that name lies outside the council too, the person is
        asked which they meant, the council's own place first; None (the name is then
        looked up as places are) if the council has no place of its name to offer.
        """
        rows = self._places.rows
        same_named = self._places.exact(council.plain_name)
        inside = [
            i for i in same_named if rows[i][LAD] is not None and rows[i][LAD] in council.lads
        ]
        if any(
            i not in inside and TYPE_RANK.get(rows[i][TYPE], 0) >= TOWN_RANK for i in same_named
        ):
            if not inside:
                return None
            ordered = [inside[0], *(i for i in same_named if i != inside[0])]
            choices = tuple(self._place_location(i, full_label=True) for i in ordered)
            return AmbiguousLocation(query, choices[:MAX_CHOICES])
        if inside:
            return self._place_location(inside[0], full_label=False)
        point = council_centroid(council, self._lad, self._lat, self._lon, self._council_points)
        if point is None:
            return None
        codes: tuple[str | None, ...] = (None, None, council.code, council.name)
        if not council.is_upper_tier:
            codes = self._lad_info(min(council.lads))
        code, lad_name, upper_code, upper_name = codes
        return ResolvedLocation(
            kind="place",
            label=council.plain_name,
            lat=point[0],
            lon=point[1],
            lad_code=code,
            lad_name=lad_name,
            upper_tier_code=upper_code,
            upper_tier_name=upper_name,
        )

    def _in_area(self, name: str, area: str) -> list[int]:
        """'Poole, Dorset': places called ``name`` whose district/LAD/county match ``area``.

        Falls back to every place called ``name`` when the area matches none.
        """
        ids = self._places.exact(name)
        area_key = t.name_key(area)
        if not area_key:
            return ids
        matching = []
        for i in ids:
            row = self._places.rows[i]
            lad = self._lad_info(NO_LAD if row[LAD] is None else int(row[LAD]))
            names = [row[DISTRICT], lad[1] or "", lad[3] or ""]
            if any(area_key in t.name_key(n) for n in names):
                matching.append(i)
        return matching or ids

    def _place_location(self, i: int, full_label: bool) -> ResolvedLocation:
        row: list[Any] = self._places.rows[i]
        name, district = row[NAME], row[DISTRICT]
        # "Poole" reads better than "Poole, Bournemouth, Christchurch and Poole",
        # but ambiguous choices always need the district to tell them apart.
        show_district = district and (full_label or t.name_key(name) not in t.name_key(district))
        code, lad_name, upper_code, upper_name = self._lad_info(
            NO_LAD if row[LAD] is None else int(row[LAD])
        )
        return ResolvedLocation(
            kind="place",
            label=f"{name}, {district}" if show_district else name,
            lat=float(row[LAT]),
            lon=float(row[LON]),
            lad_code=code,
            lad_name=lad_name,
            upper_tier_code=upper_code,
            upper_tier_name=upper_name,
        )


def _cant_find(query: str, advice: str) -> str:
    shown = query if len(query) <= 40 else query[:40] + "…"
    return f"We can't find “{shown}”. {advice}"
