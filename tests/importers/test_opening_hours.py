"""The OSM opening_hours parser, on real values from the warm spaces CSVs."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from directory.schedules import Weekday
from importers.parsing.opening_hours import parse_opening_hours


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def test_day_range_and_second_rule() -> None:
    assert parse_opening_hours("Mo-Fr 09:00-18:00; Sa 09:00-17:00") == [
        {"freq": "WEEKLY", "interval": 1, "byday": "MO,TU,WE,TH,FR",
         "opens_at": t("09:00"), "closes_at": t("18:00")},
        {"freq": "WEEKLY", "interval": 1, "byday": "SA",
         "opens_at": t("09:00"), "closes_at": t("17:00")},
    ]  # fmt: skip


def test_days_with_the_same_times_are_grouped() -> None:
    schedules = parse_opening_hours("Mo 10:30-14:00; We 10:30-14:00; Fr 10:30-14:00")
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in schedules] == [
        ("MO,WE,FR", t("10:30"), t("14:00"))
    ]


def test_two_sessions_a_day_make_two_schedules() -> None:
    schedules = parse_opening_hours(
        "Mo 09:30-13:00,14:00-17:00; Tu 09:30-13:00,14:00-19:00; Sa 09:30-13:00"
    )
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in schedules] == [
        ("MO,TU,SA", t("09:30"), t("13:00")),
        ("MO", t("14:00"), t("17:00")),
        ("TU", t("14:00"), t("19:00")),
    ]


@pytest.mark.parametrize(
    ("text", "byday"),
    [
        ("Th[1] 09:30-11:30", "1TH"),
        ("Tu[2,4] 10:00-12:00", "2TU,4TU"),
        ("Fr[-1] 14:00-16:00", "-1FR"),
        ("Mo[1-2] 10:00-11:00", "1MO,2MO"),
    ],
)
def test_monthly_ordinals(text: str, byday: str) -> None:
    [schedule] = parse_opening_hours(text)
    assert schedule["freq"] == "MONTHLY"
    assert schedule["byday"] == byday
    Weekday.parse_byday(schedule["byday"])  # valid for the model


def test_off_and_public_holidays_are_ignored() -> None:
    schedules = parse_opening_hours("Mo-Fr 09:00-17:00; We off; PH off")
    assert [s["byday"] for s in schedules] == ["MO,TU,TH,FR"]


def test_wrapping_day_range() -> None:
    [schedule] = parse_opening_hours("Sa-Mo 10:00-11:00")
    assert schedule["byday"] == "MO,SA,SU"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "24/7",
        "Mo-Fr",  # no times
        # Real corrupt values from the CSVs: closing before opening.
        "Th[4] 12:00-12:00,04:00-12:00,20:22-12:00",
        "Mo 10:00-13:00,14:00-12:00,17:00-12:00; Tu 10:00-13:00",
        "Fr 15:30-04:30; Fr 17:00-18:00",
        "Monday: 10:00 - 13:00",
        "Mo 25:00-26:00",
        "Mo[0] 10:00-11:00",
    ],
)
def test_unparseable_returns_empty(text: str) -> None:
    assert parse_opening_hours(text) == []


@given(st.one_of(st.text(), st.none(), st.integers()))
def test_never_raises(text: object) -> None:
    result = parse_opening_hours(text)
    assert isinstance(result, list)
    for schedule in result:
        Weekday.parse_byday(schedule["byday"])
        assert schedule["opens_at"] < schedule["closes_at"]


@given(
    st.from_regex(
        r"((Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))?(\[-?[0-9]\])? "
        r"[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]; ?){1,3}",
        fullmatch=True,
    )
)
def test_osm_like_input_is_safe(text: str) -> None:
    for schedule in parse_opening_hours(text):
        Weekday.parse_byday(schedule["byday"])
        assert schedule["opens_at"] < schedule["closes_at"]
