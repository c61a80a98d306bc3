"""The console box: place and keywords in any order."""

from __future__ import annotations

import pytest

from signposting.parser import parse_console_query


@pytest.fixture(autouse=True)
def _store(gazetteer_store, db):
    """The gazetteer, and the database holding the council's area (the home area)."""
    return gazetteer_store


@pytest.mark.parametrize(
    ("text", "keywords", "label", "kind"),
    [
        ("BH8 8DT lunch club", "lunch club", "BH8 8DT", "postcode"),
        ("lunch club BH8 8DT", "lunch club", "BH8 8DT", "postcode"),
        ("lunch bh88dt club", "lunch club", "BH8 8DT", "postcode"),
        ("carers poole", "carers", "Poole", "place"),
        ("carers support poole", "carers support", "Poole", "place"),
        ("Poole carers", "carers", "Poole", "place"),
        ("BH8 befriending", "befriending", "BH8", "outward"),
        ("memory cafe bh1", "memory cafe", "BH1", "outward"),
        ("Canford Heath day centre", "day centre", "Canford Heath", "place"),
        ("christchurch walking group", "walking group", "Christchurch", "place"),
    ],
)
def test_splits_place_from_keywords(text, keywords, label, kind):
    parsed = parse_console_query(text)
    assert parsed.location is not None, text
    assert parsed.location.label.startswith(label)
    assert parsed.location.kind == kind
    assert parsed.keywords == keywords


@pytest.mark.parametrize("text", ["walking group", "lunch club", "church", "help", "carers"])
def test_words_that_are_far_away_places_stay_keywords(text):
    parsed = parse_console_query(text)
    assert parsed.location is None
    assert parsed.keywords == text


def test_ambiguous_local_name_takes_the_local_one():
    parsed = parse_console_query("lunch boscombe")
    assert parsed.location is not None
    assert "Bournemouth" in (parsed.location.lad_name or "")
    assert parsed.keywords == "lunch"


def test_empty_and_junk():
    assert parse_console_query("").location is None
    assert parse_console_query("   ").keywords == ""
    parsed = parse_console_query("'; DROP TABLE x; -- " * 30)
    assert parsed.location is None


def test_district_of_a_full_postcode():
    assert parse_console_query("BH8 8DT lunch").district == "BH8"
