"""Search backends behind one interface; see ``base.SearchBackend``."""

from .base import (
    FACET_NAMES,
    SearchBackend,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResults,
    get_search_backend,
)

__all__ = [
    "FACET_NAMES",
    "SearchBackend",
    "SearchFilters",
    "SearchHit",
    "SearchQuery",
    "SearchResults",
    "get_search_backend",
]
