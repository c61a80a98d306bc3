"""Facet counts over the database backend's matching listings, as array operations
over the snapshot's columns (one pass per flag bit and day, one ``bincount`` of
the interned category sets)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from search import models

from ..base import empty_facets

if TYPE_CHECKING:
    from .snapshot import ListingSnapshot

#: (facet group, value, the ``IndexedListing.flags`` bit that stands for it).
FLAG_FACETS = (
    ("free", "free", models.FLAG_FREE),
    ("attendance", "in_person", models.FLAG_IN_PERSON),
    ("attendance", "online", models.FLAG_ONLINE),
    ("attendance", "phone", models.FLAG_PHONE),
    ("accessibility", "wheelchair", models.FLAG_WHEELCHAIR),
    ("accessibility", "hearing_loop", models.FLAG_HEARING_LOOP),
    ("accessibility", "accessible_toilet", models.FLAG_ACCESSIBLE_TOILET),
    ("accessibility", "parking", models.FLAG_PARKING),
)


def count_facets(snap: ListingSnapshot, positions: np.ndarray) -> dict[str, dict[str, int]]:
    """The facets of the listings at ``positions``."""
    facets = empty_facets()
    if not len(positions):
        return facets
    flags = snap.take("flags", positions)
    for group, name, bit in FLAG_FACETS:
        facets[group][name] += int(np.count_nonzero(flags & bit))
    days = snap.take("open_days", positions)
    for day in range(7):
        facets["open_day"][str(day)] += int(np.count_nonzero(days & (1 << day)))
    counts = np.bincount(snap.take("category", positions), minlength=len(snap.categories))
    category = facets["category"]
    for index in np.flatnonzero(counts).tolist():
        n = int(counts[index])
        for code in snap.categories[index].split():
            category[code] = category.get(code, 0) + n
    return facets
