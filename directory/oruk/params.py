"""Query-string parsing with clear 400 messages instead of server errors."""

from __future__ import annotations

import datetime as dt
import math
import uuid

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .http import ApiError
from .ids import parse_uuid

TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off", ""}
MAX_TEXT = 200


class Params:
    """Typed access to ``request.GET``; every getter raises ``ApiError(400)`` on bad input."""

    def __init__(self, query: QueryDict) -> None:
        self.query = query

    def text(self, name: str) -> str:
        value = self.query.get(name, "").strip()
        # PostgreSQL rejects NUL in text; other control characters are never meaningful.
        if any(ord(ch) < 32 for ch in value):
            raise ApiError(400, f"'{name}' contains control characters.")
        if len(value) > MAX_TEXT:
            raise ApiError(400, f"'{name}' is too long (at most {MAX_TEXT} characters).")
        return value

    def integer(self, name: str, default: int, minimum: int = 1) -> int:
        raw = self.text(name)
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ApiError(400, f"'{name}' must be a whole number, not '{raw}'.") from None
        if value < minimum:
            raise ApiError(400, f"'{name}' must be at least {minimum}.")
        return value

    def boolean(self, name: str) -> bool:
        raw = self.text(name).lower()
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        raise ApiError(400, f"'{name}' must be true or false, not '{raw}'.")

    def uuid(self, name: str) -> uuid.UUID | None:
        raw = self.text(name)
        if not raw:
            return None
        value = parse_uuid(raw)
        if value is None:
            raise ApiError(400, f"'{name}' must be an id (a UUID), not '{raw}'.")
        return value

    def metres(self, name: str) -> float | None:
        raw = self.text(name)
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            raise ApiError(400, f"'{name}' must be a distance in metres, not '{raw}'.") from None
        if not math.isfinite(value) or value <= 0:
            raise ApiError(400, f"'{name}' must be a positive distance in metres.")
        return value

    def moment(self, name: str) -> dt.datetime | None:
        """An ISO 8601 date or date-time; a naive one is taken as UTC."""
        raw = self.text(name)
        if not raw:
            return None
        message = f"'{name}' must be an ISO 8601 date-time such as 2025-01-31T09:00:00Z."
        try:
            # An unencoded "+01:00" offset arrives as " 01:00"; try it both ways.
            moment = parse_datetime(raw) or parse_datetime(raw.replace(" ", "+"))
            if moment is None:
                day = parse_date(raw)
                if day is None:
                    raise ApiError(400, message)
                moment = dt.datetime.combine(day, dt.time.min)
            if timezone.is_naive(moment):
                moment = moment.replace(tzinfo=dt.UTC)
            # Normalising near year 1 or 9999 can overflow; catch it here, not in the ORM.
            return moment.astimezone(dt.UTC)
        except (ValueError, OverflowError):
            raise ApiError(400, message) from None

    def output_format(self) -> str:
        value = self.text("format").lower() or "json"
        if value not in {"json", "ndjson"}:
            raise ApiError(400, "'format' must be json or ndjson.")
        return value
