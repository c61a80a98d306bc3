"""The search backend interface and what every backend shares.

Two implementations: ``search.backends.database`` (SQLite FTS5 or PostgreSQL
full-text search, the default) and ``search.backends.elasticsearch``. Both rank with
``search.ranking`` and return the same ``SearchResults``, which the contract tests
in ``tests/search`` check. ``search.backends.get_search_backend`` loads one.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable, Iterable

from django.utils import timezone

from search.query import (
    ACCESSIBILITY_FEATURES,
    ATTENDANCE_MODES,
    ParsedText,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResults,
)

__all__ = [
    "ACCESSIBILITY_FEATURES",
    "ATTENDANCE_MODES",
    "FACET_NAMES",
    "ParsedText",
    "Progress",
    "SearchBackend",
    "SearchFilters",
    "SearchHit",
    "SearchQuery",
    "SearchResults",
    "empty_facets",
    "local_now",
    "search_radius",
]

#: (done, total) callback for long rebuilds.
Progress = Callable[[int, int], None]

#: Facet groups every backend returns, each mapping a value to a listing count.
#: "category": taxonomy code (ancestors count their descendants' listings),
#: "free": {"free"}, "attendance": ATTENDANCE_MODES, "accessibility":
#: ACCESSIBILITY_FEATURES, "open_day": "0".."6" (Monday = "0").
FACET_NAMES = ("category", "free", "attendance", "accessibility", "open_day")


class SearchBackend(abc.ABC):
    """A listing index. Writes take page ids; the backend reads the live pages."""

    name: str = ""

    @classmethod
    def from_settings(cls) -> SearchBackend:
        """The backend as the project's settings configure it."""
        return cls()

    @abc.abstractmethod
    def index_pages(self, page_ids: Iterable[int]) -> int:
        """(Re)index these pages; ids that must not be public are removed.

        Returns how many listings were written.
        """

    @abc.abstractmethod
    def remove_pages(self, page_ids: Iterable[int]) -> None:
        """Drop these pages from the index (unknown ids are ignored)."""

    @abc.abstractmethod
    def rebuild(self, progress: Progress | None = None) -> int:
        """Replace the whole index with every indexable page; returns the count.

        Searches keep working on the old index until the new one is complete.
        """

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResults:
        """Run a query. Never raises for any query text."""

    @abc.abstractmethod
    def count(self) -> int:
        """How many listings are in the index."""

    def warm(self) -> None:
        """Load what a search needs into this process now rather than on the first
        search (gunicorn's master calls it before forking its workers). Nothing to
        load by default."""
        return None


def empty_facets() -> dict[str, dict[str, int]]:
    return {
        "category": {},
        "free": {"free": 0},
        "attendance": dict.fromkeys(ATTENDANCE_MODES, 0),
        "accessibility": dict.fromkeys(ACCESSIBILITY_FEATURES, 0),
        "open_day": {str(day): 0 for day in range(7)},
    }


def local_now() -> dt.datetime:
    """Now in Europe/London (settings.TIME_ZONE), for "open now"."""
    return timezone.localtime()


def search_radius(query: SearchQuery) -> float:
    """The query's radius in miles, kept within 0.1 to 200."""
    return max(0.1, min(float(query.radius_miles), 200.0))
