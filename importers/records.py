"""The source-neutral shape every importer maps its rows to before writing pages.

A ``ServiceRecord`` holds plain field values (no model instances), so mapping code
never touches the database and the writer (``upsert.py``) is shared by the warm
spaces, ORUK and CSV importers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

#: The inline (ParentalKey) relations of a ServicePage, in the order they are written.
PART_RELATIONS = (
    "locations",
    "schedules",
    "contacts",
    "cost_options",
    "languages",
    "service_areas",
)


class SourceError(RuntimeError):
    """The source stopped being readable (bad page, lost connection, malformed file).

    The pipeline stops there, keeps what it wrote before, and reports the message.
    """


class SkipRecord(Exception):
    """The record cannot be imported; the message is the reason shown in the report."""


@dataclass
class OrganisationRecord:
    """The organisation a service sits under: one subtree per source organisation."""

    external_id: str
    title: str
    #: Extra OrganisationPage fields (description, website, email, phone, oruk_id ...).
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class ServiceRecord:
    row_number: int
    external_id: str
    organisation: OrganisationRecord
    #: ServicePage field values, ``title`` included; ``source``/``external_id`` are added.
    page: dict[str, Any]
    #: relation name (see PART_RELATIONS) → list of field dicts for the inline objects.
    parts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    term_ids: list[int] = field(default_factory=list)
    row_hash: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.page.get("title", ""))

    @property
    def point(self) -> tuple[float, float] | None:
        """The first location with coordinates, for duplicate detection."""
        for location in self.parts.get("locations", []):
            lat, lon = location.get("latitude"), location.get("longitude")
            if lat is not None and lon is not None:
                return float(lat), float(lon)
        return None


def content_hash(*parts: Any) -> str:
    """sha256 of JSON-serialisable parts: equal input → equal hash → row left alone."""
    payload = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
