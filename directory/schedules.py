"""Reading iCal-style schedules (ORUK ``schedule``) as words and as open/closed.

ORUK follows RFC 5545: ``freq`` WEEKLY or MONTHLY, ``byday`` such as ``TU`` or
``MO,WE``; for monthly schedules a day may carry an ordinal, ``1TU`` for the first
Tuesday and ``-1FR`` for the last Friday.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Protocol

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_BYDAY_ITEM = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")


@dataclass(frozen=True)
class Weekday:
    index: int  # Monday is 0, as in datetime.weekday()
    ordinal: int | None = None

    @classmethod
    def parse_byday(cls, byday: str) -> list[Weekday]:
        """Parse 'MO,WE' or '1TU,-1FR'; raise ValueError naming the bad part."""
        days: list[Weekday] = []
        for raw in filter(None, (part.strip().upper() for part in (byday or "").split(","))):
            match = _BYDAY_ITEM.match(raw)
            if not match:
                raise ValueError(
                    f"'{raw}' is not a day. Use two letters such as MO, TU or SA, "
                    "optionally with a week number for monthly times, e.g. 1TU."
                )
            ordinal = int(match.group(1)) if match.group(1) else None
            days.append(cls(DAY_CODES.index(match.group(2)), ordinal))
        return days

    def describe(self) -> str:
        name = DAY_NAMES[self.index]
        return f"{ORDINAL_WORDS[self.ordinal]} {name}" if self.ordinal else name

    def matches(self, day: dt.date) -> bool:
        if day.weekday() != self.index:
            return False
        if self.ordinal is None:
            return True
        if self.ordinal > 0:
            return (day.day - 1) // 7 + 1 == self.ordinal
        last = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return (last.day - day.day) // 7 + 1 == -self.ordinal


class ScheduleLike(Protocol):
    freq: str
    interval: int
    byday: str
    opens_at: dt.time | None
    closes_at: dt.time | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    description: str


def format_time(value: dt.time) -> str:
    """'10am', '12:30pm', 'midday' — the GOV.UK style for times."""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def _join_words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def describe_schedule(schedule: ScheduleLike) -> str:
    try:
        days = Weekday.parse_byday(schedule.byday)
    except ValueError:
        days = []
    if days and all(d.ordinal for d in days):
        when = f"The {_join_words([d.describe() for d in days])} of the month"
    elif days:
        names = [d.describe() for d in days]
        if [d.index for d in days] == [0, 1, 2, 3, 4]:
            names = ["weekday"]
        if schedule.interval and schedule.interval > 1:
            when = f"Every {schedule.interval} weeks on {_join_words(names)}"
        else:
            when = f"Every {_join_words(names)}"
    else:
        when = "Every day" if schedule.freq == "DAILY" else ""
    hours = ""
    if schedule.opens_at and schedule.closes_at:
        hours = f"{format_time(schedule.opens_at)} to {format_time(schedule.closes_at)}"
    elif schedule.opens_at:
        hours = f"from {format_time(schedule.opens_at)}"
    text = ", ".join(part for part in (when, hours) if part)
    if schedule.description:
        text = f"{text} ({schedule.description})" if text else schedule.description
    return text or "Times not given"


@dataclass(frozen=True)
class Opening:
    """One regular opening: ``day`` 0 = Monday, times in minutes after midnight.

    ``ordinal`` restricts a monthly time to e.g. the first (1) or last (-1) such
    weekday of the month; ``valid_from``/``valid_to`` bound the dates it runs.
    """

    day: int
    opens: int
    closes: int
    ordinal: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def open_at_minute(self, minute: int) -> bool:
        return self.opens <= minute < self.closes

    def open_at(self, moment: dt.datetime) -> bool:
        """Open at this local moment (day, week of month, validity and time)."""
        day = moment.date()
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_to and day > self.valid_to:
            return False
        if not Weekday(self.day, self.ordinal).matches(day):
            return False
        return self.open_at_minute(moment.hour * 60 + moment.minute)


def openings(schedule: ScheduleLike) -> list[Opening]:
    """The openings a schedule gives; unreadable days or open-ended times give none
    (they are still shown in words, but no one can be told "open now" from them)."""
    opens, closes = schedule.opens_at, schedule.closes_at
    if not (opens and closes) or closes <= opens:
        return []
    try:
        days = Weekday.parse_byday(schedule.byday)
    except ValueError:
        return []
    if not days and schedule.freq == "DAILY":
        days = [Weekday(i) for i in range(7)]
    return [
        Opening(
            day.index,
            opens.hour * 60 + opens.minute,
            closes.hour * 60 + closes.minute,
            day.ordinal,
            schedule.valid_from,
            schedule.valid_to,
        )
        for day in days
    ]


def schedule_is_open_at(schedule: ScheduleLike, moment: dt.datetime) -> bool:
    return any(opening.open_at(moment) for opening in openings(schedule))
