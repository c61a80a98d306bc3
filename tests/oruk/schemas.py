"""Validate API responses against the ORUK 3.0 JSON Schemas in ``v3_schema``.

How the files reference each other: ``open_api.json`` points at each schema by its
published GitHub URL (``UPSTREAM``), and at its own ``#/components/...``; the
entity schemas are self-contained (only ``service_with_definitions.json`` uses
internal ``#/definitions`` refs). So the ``referencing`` Registry holds every file
under its upstream URL, which resolves open_api.json's refs offline.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

UPSTREAM = (
    "https://raw.githubusercontent.com/tpximpact/OpenReferralApi/refs/heads/main/"
    "OpenReferralApi/Schemas/V3.0-UK/"
)
OPEN_API = UPSTREAM + "open_api.json"


def schema_dir() -> Path:
    return Path(settings.DIRECTORY_SHARED_DATA) / "oruk" / "v3_schema"


@cache
def registry() -> Registry:
    resources = []
    for path in sorted(schema_dir().glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        resources.append((UPSTREAM + path.name, resource))
    return Registry().with_resources(resources)


def format_checker() -> FormatChecker:
    """The 2020-12 format checks, plus date-time and uri without extra packages."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_datetime(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return "T" in value and parsed.tzinfo is not None

    @checker.checks("uri")
    def is_uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and (parts.netloc or parts.path)) and " " not in value

    return checker


def validator(ref: str) -> Draft202012Validator:
    """A validator for the schema at ``ref`` (a file name, optionally with #pointer)."""
    return Draft202012Validator(
        {"$ref": ref if ref.startswith("http") else UPSTREAM + ref},
        registry=registry(),
        format_checker=format_checker(),
    )


def pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def openapi_response_validator(path: str) -> Draft202012Validator:
    """Exactly the 200 response schema open_api.json declares for ``path``."""
    ref = pointer("", "paths", path, "get", "responses", "200", "content", "application/json")
    return validator(f"{OPEN_API}#{ref}/schema")


def errors(validator_: Draft202012Validator, instance: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in validator_.iter_errors(instance)
    ]
