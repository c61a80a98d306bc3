"""Split one console box ("BH8 8DT lunch club", "carers poole") into place and keywords.

Order of preference, because each is less certain than the one before:

1. a full postcode anywhere, as one token ("bh88dt") or two ("BH8 8DT");
2. a postcode district (outward code) anywhere ("BH8");
3. a town or area name as the longest span (up to three words) at the *end* of the
   text, then at the *start* ("Canford Heath day centre", "carers poole").

Place names are only taken when the gazetteer puts them in the council's own area
(``home_area_codes()``, the branding's area unless configured): the gazetteer matches
"club", "church" and "walking" to far-away places, and a caller in Poole asking for a
walking group does not mean Walking in Yorkshire. An ambiguous name with exactly one
local choice takes it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.conf import settings

from geography.gazetteer import (
    AmbiguousLocation,
    GazetteerUnavailable,
    ResolvedLocation,
    normalise_postcode,
    resolve_location,
)
from signposting.needs import STOP

logger = logging.getLogger(__name__)

MAX_PLACE_WORDS = 3
MAX_TOKENS = 20

_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_INWARD = re.compile(r"^[0-9][A-Z]{2}$")
# Words that are never a place on their own, so we do not ask the gazetteer.
_NOT_PLACES = STOP | {"help", "support", "group", "club"}


@dataclass(frozen=True)
class ConsoleQuery:
    text: str
    keywords: str = ""
    location: ResolvedLocation | None = None
    place_text: str = ""
    choices: tuple[ResolvedLocation, ...] = field(default_factory=tuple)
    message: str = ""

    @property
    def district(self) -> str:
        if self.location is None:
            return ""
        return (self.location.postcode or self.location.label).split(",")[0].split()[0]


def home_area_codes() -> frozenset[str]:
    """SIGNPOSTING_HOME_AREA_CODES if set, else the council's area; empty: postcodes only."""
    from directory.site import current_council

    configured = getattr(settings, "SIGNPOSTING_HOME_AREA_CODES", ())
    area = current_council().area_code
    return frozenset(configured or ([area] if area else ()))


def _is_local(location: ResolvedLocation) -> bool:
    return bool(location.area_codes & home_area_codes())


def _resolve_postcode_like(text: str) -> ResolvedLocation | None:
    found = resolve_location(text)
    if isinstance(found, ResolvedLocation) and found.kind in ("postcode", "sector", "outward"):
        return found
    return None


def _resolve_place(text: str) -> tuple[ResolvedLocation | None, tuple[ResolvedLocation, ...]]:
    """A local place for ``text``; or, if several are local, the choices."""
    found = resolve_location(text)
    if isinstance(found, ResolvedLocation):
        return (found, ()) if found.kind == "place" and _is_local(found) else (None, ())
    if isinstance(found, AmbiguousLocation):
        local = tuple(choice for choice in found.choices if _is_local(choice))
        if len(local) == 1:
            return local[0], ()
        if len(local) > 1:
            return None, local
    return None, ()


def _joined(tokens: list[str]) -> str:
    return " ".join(tokens)


def _find_postcode(tokens: list[str]) -> tuple[int, int, ResolvedLocation] | None:
    upper = [t.upper() for t in tokens]
    # Two tokens: outward + inward, e.g. "BH8" "8DT".
    for i in range(len(upper) - 1):
        if _OUTWARD.match(upper[i]) and _INWARD.match(upper[i + 1]):
            location = _resolve_postcode_like(f"{upper[i]} {upper[i + 1]}")
            if location is not None:
                return i, i + 2, location
    for i, token in enumerate(upper):
        if normalise_postcode(token):
            location = _resolve_postcode_like(token)
            if location is not None:
                return i, i + 1, location
    for i, token in enumerate(upper):
        if _OUTWARD.match(token):
            location = _resolve_postcode_like(token)
            if location is not None:
                return i, i + 1, location
    return None


def _find_place(
    tokens: list[str],
) -> tuple[int, int, ResolvedLocation | None, tuple[ResolvedLocation, ...]] | None:
    n = len(tokens)
    # Longest span first, suffix before prefix: people say the need, then the place.
    for size in range(min(MAX_PLACE_WORDS, n), 0, -1):
        for start in (n - size, 0):
            span = tokens[start : start + size]
            if all(word.lower() in _NOT_PLACES for word in span):
                continue
            if size == 1 and len(span[0]) < 3:
                continue
            location, choices = _resolve_place(_joined(span))
            if location is not None or choices:
                return start, start + size, location, choices
    return None


def parse_console_query(text: str) -> ConsoleQuery:
    """Split ``text`` into a location (postcode, district or local town) and keywords."""
    text = (text or "")[:200]
    tokens = [t.strip(",.;:") for t in text.split()][:MAX_TOKENS]
    tokens = [t for t in tokens if t]
    if not tokens:
        return ConsoleQuery(text=text)
    try:
        hit = _find_postcode(tokens)
        if hit is not None:
            start, end, found = hit
            rest = tokens[:start] + tokens[end:]
            return ConsoleQuery(text, _joined(rest), found, place_text=_joined(tokens[start:end]))
        place = _find_place(tokens)
    except GazetteerUnavailable:
        logger.exception("Gazetteer unavailable for the console")
        return ConsoleQuery(
            text, _joined(tokens), message="Postcode lookup is not available; searching words only."
        )
    if place is None:
        return ConsoleQuery(text, _joined(tokens))
    start, end, location, choices = place
    rest = tokens[:start] + tokens[end:]
    place_text = _joined(tokens[start:end])
    if location is None:
        names = ", ".join(choice.label for choice in choices)
        return ConsoleQuery(
            text,
            _joined(rest),
            None,
            place_text,
            choices,
            message=f"There is more than one {place_text}: {names}. Add a postcode district.",
        )
    return ConsoleQuery(text, _joined(rest), location, place_text)
