"""Ids for ORUK entities that have no row of their own.

An address, a phone or a taxonomy link is stored as fields on another row, but ORUK
wants each to carry a UUID. We derive it with ``uuid5`` from the owner's ``oruk_id``
so it is stable between calls and an importer can recompute it to recognise it.
"""

from __future__ import annotations

import uuid

GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/{code}"
LGSL_URI = "http://id.esd.org.uk/service/{code}"


def derived_id(owner: uuid.UUID | str, kind: str) -> str:
    """The id of the ``kind`` sub-entity of the entity whose id is ``owner``."""
    namespace = owner if isinstance(owner, uuid.UUID) else uuid.UUID(str(owner))
    return str(uuid.uuid5(namespace, kind))


def parse_uuid(value: str) -> uuid.UUID | None:
    """The UUID in ``value``, or None when it is not one (so callers can 404/400)."""
    try:
        return uuid.UUID(value.strip())
    except (ValueError, AttributeError):
        return None
