"""A place name that is a council's name resolves to that council first (issue 12).

Checked on every council in the shared area names, not on chosen ones: whatever
small place elsewhere shares a council's name, the council wins.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.conf import settings

from geography.gazetteer import (
    AmbiguousLocation,
    Gazetteer,
    ResolvedLocation,
)
from geography.gazetteer.councils import council_names, name_variants
from geography.gazetteer.places import LAD, TOWN_RANK, TYPE, TYPE_RANK
from tests.geography.test_gazetteer import current_store_dir

LAD_NAMES = Path(settings.DIRECTORY_SHARED_DATA) / "areas" / "lad_names.csv"


def _councils() -> list[dict[str, str]]:
    if not LAD_NAMES.is_file():
        return []
    with LAD_NAMES.open(encoding="utf-8-sig", newline="") as handle:
        # UK councils only: the pseudo-areas (Channel Islands, Isle of Man) have no map.
        return [row for row in csv.DictReader(handle) if row["lad_code"][0] in "EWSN"]


COUNCILS = _councils()


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    gazetteer = Gazetteer(current_store_dir(tmp_path_factory))
    if not gazetteer.meta["counts"]["places"] or not COUNCILS:
        pytest.skip("places or council names not in shared data")
    return gazetteer


def _inside(found: ResolvedLocation, code: str) -> bool:
    return code in (found.lad_code, found.upper_tier_code)


def test_name_variants() -> None:
    assert name_variants("Bristol, City of") == ["Bristol, City of", "City of Bristol", "Bristol"]
    assert name_variants("Bournemouth, Christchurch and Poole") == [
        "Bournemouth, Christchurch and Poole"
    ]


def test_a_name_two_councils_share_is_not_trusted() -> None:
    rows = [["E1", "Twin", "E1", "Twin"], ["E2", "Twin", "E3", "County"]]
    names = council_names(rows)
    assert "twin" not in names
    assert names["county"].code == "E3" and names["county"].is_upper_tier


def test_every_council_name_resolves_inside_that_council(gaz: Gazetteer) -> None:
    """Except a council with no place of its name while towns elsewhere have it (the
    city of Newport is missing from OS Open Names): the person is asked, as before."""
    wrong, unresolved, ambiguous = [], [], []
    for row in COUNCILS:
        code, name = row["lad_code"], row["lad_name"]
        found = gaz.resolve_location(name)
        if isinstance(found, ResolvedLocation):
            if not _inside(found, code):
                wrong.append(f"{name} -> {found.label}")
        elif isinstance(found, AmbiguousLocation):
            # Only when a town of that name lies elsewhere too; the council's comes first.
            ambiguous.append(name)
            if not _inside(found.choices[0], code) and _has_own_place(gaz, row):
                wrong.append(f"{name} -> first choice {found.choices[0].label}")
        else:
            unresolved.append(name)
    assert not wrong
    assert not unresolved
    assert len(ambiguous) <= len(COUNCILS) // 50, ambiguous


def _has_own_place(gaz: Gazetteer, row: dict[str, str]) -> bool:
    lads = {code for code, *_rest in gaz._lads}
    assert row["lad_code"] in lads
    index = next(i for i, (code, *_rest) in enumerate(gaz._lads) if code == row["lad_code"])
    return any(gaz._places.rows[i][LAD] == index for i in gaz._places.exact(row["lad_name"]))


def test_a_council_beats_a_smaller_place_of_its_name_elsewhere(gaz: Gazetteer) -> None:
    """Found in the data, not picked by hand: councils whose name is held only by
    smaller places (estates, hamlets, suburbs, villages) in other councils."""
    places = gaz._places
    shadowed = []
    for row in COUNCILS:
        ids = places.exact(row["lad_name"])
        smaller = all(TYPE_RANK.get(places.rows[i][TYPE], 0) < TOWN_RANK for i in ids)
        if ids and smaller and not _has_own_place(gaz, row):
            shadowed.append(row)
    assert shadowed, "the shared data has no council named like a place elsewhere"
    for row in shadowed:
        found = gaz.resolve_location(row["lad_name"].lower())
        assert isinstance(found, ResolvedLocation), row["lad_name"]
        assert found.lad_code == row["lad_code"], (row["lad_name"], found.label)
        assert found.label == row["lad_name"]
