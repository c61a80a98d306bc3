"""Facet counts over the database backend's matching rows."""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Sequence
from typing import Any

from search import models

from ..base import empty_facets

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


class FacetCounter:
    """Counts identical flag sets, day sets and category strings once each, then
    expands them: far fewer dictionary updates than counting every value per row."""

    def __init__(self) -> None:
        self.flags: Counter[int] = Counter()
        self.days: Counter[int] = Counter()
        self.categories: Counter[str] = Counter()

    def add(self, row: Any) -> None:
        self.flags[row.flags] += 1
        self.days[row.open_days] += 1
        self.categories[row.categories] += 1

    def add_all(self, rows: Sequence[Any]) -> None:
        """``add`` for each row, counted in C (``Counter.update`` of an iterable)."""
        self.flags.update(map(operator.attrgetter("flags"), rows))
        self.days.update(map(operator.attrgetter("open_days"), rows))
        self.categories.update(map(operator.attrgetter("categories"), rows))

    def facets(self) -> dict[str, dict[str, int]]:
        facets = empty_facets()
        for flags, n in self.flags.items():
            for group, name, bit in FLAG_FACETS:
                if flags & bit:
                    facets[group][name] += n
        for mask, n in self.days.items():
            for day in range(7):
                if mask & (1 << day):
                    facets["open_day"][str(day)] += n
        category = facets["category"]
        for codes, n in self.categories.items():
            for code in codes.split():
                category[code] = category.get(code, 0) + n
        return facets
