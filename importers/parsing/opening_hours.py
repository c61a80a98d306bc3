"""Turn the common subset of OpenStreetMap ``opening_hours`` into iCal-style schedules.

The warm spaces data uses a small part of the OSM grammar: rules separated by
``;``, each a day selector (``Mo``, ``Mo-Fr``, ``Mo,We``, ``Tu[1]``, ``Th[2,4]``,
``Fr[-1]``) followed by one or more time ranges (``09:30-13:00,14:00-17:00``) or
``off``/``closed``. Public-holiday rules (``PH off``) are ignored because a
schedule cannot express them.

Anything outside that subset (``24/7``, week numbers, months, times past
midnight, a closing time before the opening time) makes :func:`parse_opening_hours`
return ``[]``: a wrong structured time is worse than the original words, which the
importer then keeps in ``schedule_description``. It never raises.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_OSM_DAYS = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}

_DAY = r"(?:mo|tu|we|th|fr|sa|su)"
_NTH = r"\[\s*-?\d(?:\s*-\s*\d)?(?:\s*,\s*-?\d(?:\s*-\s*\d)?)*\s*\]"
_DAY_ITEM = rf"{_DAY}(?:\s*-\s*{_DAY})?(?:{_NTH})?"
_SELECTOR_RE = re.compile(rf"^({_DAY_ITEM}(?:\s*,\s*{_DAY_ITEM})*)\s*(.*)$", re.IGNORECASE)
_ITEM_RE = re.compile(rf"^({_DAY})(?:\s*-\s*({_DAY}))?({_NTH})?$", re.IGNORECASE)
_RANGE_RE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
_OFF_WORDS = {"off", "closed"}

TimeRange = tuple[dt.time, dt.time]


class _Unparseable(ValueError):
    """Raised internally; the public function turns it into ``[]``."""


def parse_opening_hours(text: object) -> list[dict[str, Any]]:
    """Schedules for ``text`` as dicts of ServiceSchedule fields, or ``[]``.

    Each dict has ``freq`` ("WEEKLY" or "MONTHLY"), ``interval`` (1), ``byday``
    ("MO,WE" or "1TU"), ``opens_at`` and ``closes_at`` (``datetime.time``). Days that
    share the same times are grouped into one schedule.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    try:
        return _parse(text)
    except Exception:
        # Hypothesis-safe by design: unusual input must fall back to the words.
        return []


def _parse(text: str) -> list[dict[str, Any]]:
    # Strict OSM says a later rule naming a day replaces its earlier times, but this
    # data is converted from free text and repeats a day to add a session
    # ("Mo-Fr 09:00-16:00; Mo-Fr 16:30-20:00"), so times add up and only "off" clears.
    weekly: dict[int, list[TimeRange]] = {}
    monthly: dict[tuple[int, int], list[TimeRange]] = {}
    for raw_rule in text.replace("||", ";").split(";"):
        rule = raw_rule.strip()
        if not rule:
            continue
        if rule.upper().startswith("PH"):
            continue  # public holidays: not expressible as a weekly schedule
        match = _SELECTOR_RE.match(rule)
        if not match:
            raise _Unparseable(rule)
        days = _parse_selector(match.group(1))
        times = _parse_times(match.group(2).strip())
        for weekday, ordinals in days:
            keys: list[Any] = [weekday] if ordinals is None else [(n, weekday) for n in ordinals]
            target: dict[Any, list[TimeRange]] = weekly if ordinals is None else monthly
            for key in keys:
                if not times:
                    target.pop(key, None)
                    continue
                ranges = target.setdefault(key, [])
                ranges.extend(r for r in times if r not in ranges)
    return _group(weekly, monthly)


def _parse_selector(selector: str) -> list[tuple[int, list[int] | None]]:
    """[(weekday, ordinals or None)] for e.g. 'Mo-Fr', 'Mo,We', 'Tu[1]', 'Th[2,4]'."""
    found: list[tuple[int, list[int] | None]] = []
    # An nth list like [2,4] contains commas too, so split only outside brackets.
    for item in _split_items(selector):
        match = _ITEM_RE.match(item.strip())
        if not match:
            raise _Unparseable(item)
        start = _OSM_DAYS[match.group(1).lower()]
        end = _OSM_DAYS[match.group(2).lower()] if match.group(2) else start
        ordinals = _parse_nth(match.group(3)) if match.group(3) else None
        if ordinals is not None and end != start:
            raise _Unparseable(item)  # 'Mo-Fr[1]' is not meaningful
        span = (end - start) % 7
        found.extend(((start + step) % 7, ordinals) for step in range(span + 1))
    return found


def _split_items(selector: str) -> list[str]:
    items: list[str] = []
    depth = 0
    current = ""
    for char in selector:
        depth += char == "["
        depth -= char == "]"
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return items


def _parse_nth(bracket: str) -> list[int]:
    ordinals: list[int] = []
    for part in bracket.strip("[] ").split(","):
        part = part.strip()
        range_match = re.fullmatch(r"(\d)\s*-\s*(\d)", part)
        if range_match:
            low, high = int(range_match.group(1)), int(range_match.group(2))
            ordinals.extend(range(low, high + 1))
        else:
            ordinals.append(int(part))
    if not ordinals or any(n == 0 or not -5 <= n <= 5 for n in ordinals):
        raise _Unparseable(bracket)
    return ordinals


def _parse_times(times: str) -> list[TimeRange]:
    """[] for 'off'; the ranges for '09:30-13:00,14:00-17:00'; else unparseable."""
    if times.lower() in _OFF_WORDS:
        return []
    if not times:
        raise _Unparseable("a day with no times")  # means 'open all day': too vague
    ranges: list[TimeRange] = []
    for part in times.split(","):
        match = _RANGE_RE.match(part.strip())
        if not match:
            raise _Unparseable(part)
        opens = _time(int(match.group(1)), int(match.group(2)))
        closes = _time(int(match.group(3)), int(match.group(4)))
        if closes <= opens:
            # Seen in the data as '14:00-12:00': corrupt, or past midnight. Either way
            # the schedule model cannot hold it, so keep the words instead.
            raise _Unparseable(part)
        ranges.append((opens, closes))
    return ranges


def _time(hour: int, minute: int) -> dt.time:
    if hour == 24 and minute == 0:
        return dt.time(23, 59)  # OSM's 24:00 is end of day; time() stops at 23:59
    return dt.time(hour, minute)


def _group(
    weekly: dict[int, list[TimeRange]], monthly: dict[tuple[int, int], list[TimeRange]]
) -> list[dict[str, Any]]:
    schedules: list[dict[str, Any]] = []
    by_range: dict[TimeRange, list[int]] = {}
    for weekday in sorted(weekly):
        for time_range in weekly[weekday]:
            by_range.setdefault(time_range, []).append(weekday)
    for (opens, closes), days in sorted(by_range.items(), key=lambda kv: (kv[1][0], kv[0])):
        schedules.append(
            _schedule("WEEKLY", ",".join(DAY_CODES[d] for d in sorted(set(days))), opens, closes)
        )
    monthly_by_range: dict[TimeRange, list[tuple[int, int]]] = {}
    for key in sorted(monthly, key=lambda k: (k[1], k[0] if k[0] > 0 else 10 - k[0])):
        for time_range in monthly[key]:
            monthly_by_range.setdefault(time_range, []).append(key)
    for (opens, closes), keys in sorted(monthly_by_range.items(), key=lambda kv: kv[0]):
        byday = ",".join(f"{ordinal}{DAY_CODES[day]}" for ordinal, day in keys)
        schedules.append(_schedule("MONTHLY", byday, opens, closes))
    return schedules


def _schedule(freq: str, byday: str, opens: dt.time, closes: dt.time) -> dict[str, Any]:
    return {"freq": freq, "interval": 1, "byday": byday, "opens_at": opens, "closes_at": closes}
