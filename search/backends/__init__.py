"""Search backends behind one interface (``base.SearchBackend``), loaded like Wagtail's.

``settings.DIRECTORY_SEARCH_BACKEND`` names the backend by dotted path: a module
that defines ``SearchBackend`` (``"search.backends.database"``), or a class. The
short names ``"database"`` and ``"elasticsearch"`` stand for the two built in.
"""

from __future__ import annotations

import importlib

from django.conf import settings
from django.utils.module_loading import import_string

from .base import (
    FACET_NAMES,
    SearchBackend,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResults,
)

__all__ = [
    "BACKEND_ALIASES",
    "FACET_NAMES",
    "SearchBackend",
    "SearchFilters",
    "SearchHit",
    "SearchQuery",
    "SearchResults",
    "get_search_backend",
]

BACKEND_ALIASES = {
    "database": "search.backends.database",
    "elasticsearch": "search.backends.elasticsearch",
}

_backends: dict[tuple[str, str, str], SearchBackend] = {}


def get_search_backend(name: str | None = None) -> SearchBackend:
    """The backend named by ``settings.DIRECTORY_SEARCH_BACKEND`` (or ``name``): an
    alias or a dotted path. One instance per configuration, kept for the process."""
    name = name or getattr(settings, "DIRECTORY_SEARCH_BACKEND", "database") or "database"
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    prefix = getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "directory")
    key = (name, url, prefix)
    backend = _backends.get(key)
    if backend is None:
        backend = _backends[key] = backend_class(name).from_settings()
    return backend


def backend_class(name: str) -> type[SearchBackend]:
    path = BACKEND_ALIASES.get(name, name)
    try:
        module = importlib.import_module(path)
    except ImportError:
        found = _import_class(path, name)
    else:
        found = getattr(module, "SearchBackend", None)
        if found is None:
            raise ValueError(f"DIRECTORY_SEARCH_BACKEND {name!r}: {path} has no SearchBackend")
    if not (isinstance(found, type) and issubclass(found, SearchBackend)):
        raise ValueError(f"DIRECTORY_SEARCH_BACKEND {name!r} is not a search backend")
    return found


def _import_class(path: str, name: str) -> object:
    try:
        return import_string(path)
    except ImportError as error:
        raise ValueError(f"Unknown DIRECTORY_SEARCH_BACKEND {name!r}") from error
