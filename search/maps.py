"""The results map: one page of results as numbered markers, with the search radius.

Numbers match the list (the first result on page 2 of 20 a page is 21). A listing that
matched because it *covers* the searcher's area, or has no venue, is not pinned: the
page lists it beside the map instead, so the map never hides a result.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.maps import Marker, SearchPoint, map_payload
from directory.presentation import miles
from search.query import SearchHit


@dataclass(frozen=True)
class KeyEntry:
    """One result as the map's key lists it: its number, and why it is not pinned."""

    number: int
    hit: SearchHit
    pinned: bool
    note: str


@dataclass(frozen=True)
class ResultsMap:
    data: str
    description: str
    key: list[KeyEntry]

    @property
    def pinned_count(self) -> int:
        return sum(entry.pinned for entry in self.key)


def is_pinned(hit: SearchHit, origin: SearchPoint | None) -> bool:
    """Pinned when it has a venue and, near a point, the list shows a distance to it."""
    if hit.venue_point is None or hit.covers_area:
        return False
    return origin is None or hit.distance_miles is not None


def key_note(hit: SearchHit, pinned: bool) -> str:
    if pinned:
        return f"{miles(hit.distance_miles)} away" if hit.distance_miles is not None else ""
    if hit.covers_area:
        return "Covers your area (not on the map)"
    return "No venue to show (not on the map)"


def results_map(
    hits: list[SearchHit],
    first_number: int,
    origin: SearchPoint | None,
    radius_miles: float,
) -> ResultsMap | None:
    """The map for one page of results; None when there is nothing to draw."""
    if not hits:
        return None
    key = []
    markers = []
    for number, hit in enumerate(hits, start=first_number):
        pinned = is_pinned(hit, origin)
        key.append(KeyEntry(number, hit, pinned, key_note(hit, pinned)))
        if pinned and hit.venue_point is not None:
            lat, lon = hit.venue_point
            label = f"{number}. {hit.title}"
            if hit.distance_miles is not None:
                label += f", {miles(hit.distance_miles)} away"
            markers.append(Marker(lat=lat, lon=lon, label=label, number=number, url=hit.url))
    if not markers and origin is None:
        return None
    count = len(markers)
    description = f"Map showing {count} result{'' if count == 1 else 's'}"
    if origin is not None:
        description += f" within {radius_miles:g} miles of {origin.label}"
    unpinned = len(key) - count
    if unpinned:
        description += f". {unpinned} more {'is' if unpinned == 1 else 'are'} listed beside the map"
    return ResultsMap(
        data=map_payload(markers, origin, radius_miles if origin else None),
        description=description,
        key=key,
    )
