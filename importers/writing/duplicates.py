"""Spot likely duplicates across sources: the same normalised name within 100 metres.

Only reported, never merged: two directories listing the same lunch club is common
(the warm spaces data has many), but deciding which copy wins is a person's job.
A "source" here is a source organisation (one directory or feed publisher), so two
directories inside the warm spaces aggregation count as different sources.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from directory.models import OrganisationPage, ServiceLocation
from directory.text import fold

DUPLICATE_METRES = 100.0
_NOISE_RE = re.compile(r"\b(the|and)\b|[^a-z0-9]+")

SourceKey = tuple[str, str]  # (source, source organisation's external id or title)


def normalise_name(name: str) -> str:
    """'The Allendale Lunch-Club' and 'allendale lunch club' give the same key."""
    return " ".join(_NOISE_RE.sub(" ", fold(name.replace("&", " and "))).split())


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(min(1.0, h)))


@dataclass(frozen=True)
class _Seen:
    point: tuple[float, float]
    source_key: SourceKey
    ident: tuple[str, str]  # (source, external_id) of the listing itself
    label: str


class DuplicateFinder:
    """Holds every listing seen so far (in the database and in this run), by name."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[_Seen]] = defaultdict(list)

    @classmethod
    def from_db(cls) -> DuplicateFinder:
        finder = cls()
        orgs = {
            path: (source or "", external_id or title)
            for path, source, external_id, title in OrganisationPage.objects.values_list(
                "path", "source", "external_id", "title"
            )
        }
        rows = ServiceLocation.objects.filter(
            latitude__isnull=False, longitude__isnull=False
        ).values_list(
            "page__title",
            "page__path",
            "page__source",
            "page__external_id",
            "latitude",
            "longitude",
        )
        for title, path, source, external_id, lat, lon in rows:
            org_key = orgs.get(path[:-4], ("", path[:-4]))
            label = f"'{title}' ({org_key[1] or 'no organisation'})"
            finder._add(title, (lat, lon), org_key, (source or "", external_id or path), label)
        return finder

    def _add(
        self,
        name: str,
        point: tuple[float, float],
        source_key: SourceKey,
        ident: tuple[str, str],
        label: str,
    ) -> None:
        key = normalise_name(name)
        if key:
            self._by_name[key].append(_Seen(point, source_key, ident, label))

    def check(
        self,
        name: str,
        point: tuple[float, float] | None,
        source_key: SourceKey,
        ident: tuple[str, str],
        label: str,
    ) -> list[str]:
        """Descriptions of earlier listings this one likely duplicates; then remember it."""
        if point is None:
            return []
        found = []
        for seen in self._by_name.get(normalise_name(name), []):
            if seen.ident == ident or seen.source_key == source_key:
                continue
            metres = metres_between(point, seen.point)
            if metres <= DUPLICATE_METRES:
                found.append(f"{seen.label}, {metres:.0f} m away")
        self._add(name, point, source_key, ident, label)
        return found
