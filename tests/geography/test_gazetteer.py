"""Gazetteer tests against the real postcode data and shared reference files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.conf import settings

from geography import gazetteer as gz
from geography.gazetteer import (
    AmbiguousLocation,
    Gazetteer,
    GazetteerUnavailable,
    ResolvedLocation,
    UnresolvedLocation,
    build_gazetteer,
    normalise_postcode,
)
from geography.gazetteer.build import fingerprint
from geography.gazetteer.store import read_meta

BCP = "E06000058"  # Bournemouth, Christchurch and Poole


def _shared() -> Path:
    return Path(settings.DIRECTORY_SHARED_DATA)


def current_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """settings.GAZETTEER_DIR if it is current, else a store built once per session."""
    shared = _shared() if _shared().is_dir() else None
    configured = Path(settings.GAZETTEER_DIR)
    meta = read_meta(configured)
    if meta is not None and meta.get("fingerprint") == fingerprint(shared):
        return configured
    target = tmp_path_factory.getbasetemp() / "gazetteer-store"
    build_gazetteer(target, shared)  # idempotent: a second module reuses it
    return target


@pytest.fixture(scope="session")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return Gazetteer(current_store_dir(tmp_path_factory))


@pytest.fixture
def places(gaz: Gazetteer) -> Gazetteer:
    if not gaz.meta["counts"]["places"]:
        pytest.skip("places file not in shared data")
    return gaz


@pytest.fixture
def named_areas(gaz: Gazetteer) -> Gazetteer:
    """The gazetteer, when it was built with the council names and tiers (lad_names.csv)."""
    if not (_shared() / "areas" / "lad_names.csv").is_file():
        pytest.skip("council names (areas/lad_names.csv) not in shared data")
    return gaz


def _example_rows() -> list[dict[str, str]]:
    path = _shared() / "postcodes" / "postcode_test_examples.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


EXAMPLES = _example_rows()


@pytest.mark.skipif(not EXAMPLES, reason="postcode_test_examples.csv not in shared data")
@pytest.mark.parametrize(
    "row", EXAMPLES, ids=[f"{r['category']}:{r['input']!r}" for r in EXAMPLES] or None
)
def test_shared_postcode_examples(gaz: Gazetteer, row: dict[str, str]) -> None:
    result = gaz.resolve_location(row["input"])
    if row["has_coords"] == "True":
        assert isinstance(result, ResolvedLocation), result
        assert result.kind == "postcode"
        assert result.postcode == normalise_postcode(row["input"])
        assert result.lat == pytest.approx(float(row["lat"]), abs=0.0005)
        assert result.lon == pytest.approx(float(row["lon"]), abs=0.0005)
        assert result.lad_code
        return
    if row["category"] == "invalid_format":
        assert normalise_postcode(row["input"]) is None
        assert gaz.resolve_postcode(row["input"]) is None
        assert not (isinstance(result, ResolvedLocation) and result.kind == "postcode")
        return
    assert isinstance(result, UnresolvedLocation), result
    assert result.message
    if gaz.resolve_postcode(row["input"]) is not None:
        assert "map location" in result.message
    else:
        assert "can't find" in result.message


def test_normalise_postcode() -> None:
    assert normalise_postcode("bh11aa") == "BH1 1AA"
    assert normalise_postcode("  b h 1 1 a a ") == "BH1 1AA"
    assert normalise_postcode("SW1A2AA") == "SW1A 2AA"
    assert normalise_postcode("b11aa") == "B1 1AA"
    full_width = "\uff22\uff28\uff11\u3000\uff11\uff21\uff21"  # "BH1 1AA" in full-width
    assert normalise_postcode(full_width) == "BH1 1AA"
    for bad in ("", "BH1", "BH1 1A", "QH1 1AA", "BH1 1CI", "BH1-1AA", "12345", "BH1 1AAA"):
        assert normalise_postcode(bad) is None, bad


def test_full_postcode_has_lad_and_upper_tier(named_areas: Gazetteer) -> None:
    result = named_areas.resolve_location("bh11aa")
    assert isinstance(result, ResolvedLocation)
    assert (result.kind, result.label, result.postcode) == ("postcode", "BH1 1AA", "BH1 1AA")
    assert result.lat == pytest.approx(50.727909, abs=0.0005)
    assert result.lon == pytest.approx(-1.863623, abs=0.0005)
    assert result.lad_code == BCP
    assert result.lad_name == "Bournemouth, Christchurch and Poole"
    assert result.upper_tier_code == BCP
    assert result.upper_tier_name == "Bournemouth, Christchurch and Poole"
    assert (result.ward_code, result.terminated, result.corrected_from) == (None, False, None)
    assert result.area_codes == frozenset({BCP, "E92000001", gz.UK_CODE})


def test_two_tier_area_has_county_upper_tier(named_areas: Gazetteer) -> None:
    match = named_areas.resolve_postcode("TW15 1AA")  # Ashford, Spelthorne, Surrey
    assert match is not None
    assert (match.lad_code, match.upper_tier_code) == ("E07000213", "E10000030")


def test_northern_ireland_uses_irish_grid(gaz: Gazetteer) -> None:
    result = gaz.resolve_location("BT1 1AA")  # Belfast city centre
    assert isinstance(result, ResolvedLocation)
    assert result.lat == pytest.approx(54.6024, abs=0.002)
    assert result.lon == pytest.approx(-5.9223, abs=0.002)
    assert "N92000002" in result.area_codes


def test_outward_code_centroid(gaz: Gazetteer) -> None:
    result = gaz.resolve_location("bh1")
    assert isinstance(result, ResolvedLocation)
    assert (result.kind, result.label, result.lad_code) == ("outward", "BH1", BCP)
    assert 50.70 < result.lat < 50.75 and -1.90 < result.lon < -1.83


def test_district_centroid_for_maps(gaz: Gazetteer) -> None:
    bh1 = gaz.resolve_location("BH1")
    assert isinstance(bh1, ResolvedLocation)
    assert gaz.district_centroid(" bh1 ") == (bh1.lat, bh1.lon)
    assert gaz.district_centroid("BH99") is None  # outward-shaped but not a district
    assert gaz.district_centroid("Unknown") is None
    assert gaz.district_centroid("") is None


def test_district_centroid_of_a_town_named_exactly(places: Gazetteer) -> None:
    poole = places.resolve_location("Poole")
    assert isinstance(poole, ResolvedLocation)
    assert places.district_centroid("Poole") == (poole.lat, poole.lon)
    assert places.district_centroid("Pool") is None  # no fuzzy guesses on a map


def test_sector_centroid(gaz: Gazetteer) -> None:
    result = gaz.resolve_location("BH1 1")
    assert isinstance(result, ResolvedLocation)
    assert (result.kind, result.label, result.lad_code) == ("sector", "BH1 1", BCP)
    assert result.lat == pytest.approx(50.724, abs=0.01)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("BH1 IAA", "BH1 1AA"),  # letter I typed for digit 1 in the inward code
        ("BH11 OAA", "BH11 0AA"),  # letter O typed for digit 0
        ("BHI 1AA", "BH1 1AA"),  # ... and in the outward code
        ("S01 0AA", "SO1 0AA"),  # digit 0 typed for letter O
    ],
)
def test_lookalike_typos_are_corrected(gaz: Gazetteer, typed: str, expected: str) -> None:
    result = gaz.resolve_location(typed)
    assert isinstance(result, ResolvedLocation), result
    assert result.postcode == expected
    assert result.corrected_from == typed


def test_missing_postcode_suggests_existing_outward_only(gaz: Gazetteer) -> None:
    result = gaz.resolve_location("BH25 9ZZ")
    assert isinstance(result, UnresolvedLocation)
    assert result.suggestion == "BH25"
    assert result.message == "We can't find BH25 9ZZ. Check it, or try the first part (BH25)."
    result = gaz.resolve_location("BH99 1AA")
    assert isinstance(result, UnresolvedLocation)
    assert result.suggestion is None
    assert "try a town name" in result.message


def test_postcode_without_coordinates_suggests_area(gaz: Gazetteer) -> None:
    match = gaz.resolve_postcode("BH1 9ZE")
    assert match is not None and not match.has_coords and match.to_location() is None
    result = gaz.resolve_location("BH1 9ZE")
    assert isinstance(result, UnresolvedLocation)
    assert "real postcode" in result.message
    assert result.suggestion == "BH1 9"
    assert isinstance(gaz.resolve_location(result.suggestion), ResolvedLocation)
    jersey = gaz.resolve_location("JE2 3QA")
    assert isinstance(jersey, UnresolvedLocation) and jersey.suggestion is None


def test_place_prefers_the_town(places: Gazetteer) -> None:
    result = places.resolve_location("  poole ")
    assert isinstance(result, ResolvedLocation)
    assert (result.kind, result.label, result.lad_code) == ("place", "Poole", BCP)
    assert result.lat == pytest.approx(50.7189, abs=0.001)


def test_ambiguous_place_lists_labelled_choices(places: Gazetteer) -> None:
    result = places.resolve_location("Ashford")
    assert isinstance(result, AmbiguousLocation)
    labels = [c.label for c in result.choices]
    assert labels[:2] == ["Ashford, Kent", "Ashford, Spelthorne"]
    assert len(set(labels)) == len(labels)
    spelthorne = result.choices[1]
    assert (spelthorne.lad_code, spelthorne.upper_tier_code) == ("E07000213", "E10000030")
    # A chosen label can be fed straight back in.
    again = places.resolve_location("Ashford, Spelthorne")
    assert isinstance(again, ResolvedLocation) and again.lad_code == "E07000213"
    # So can "name, county" as people write it.
    surrey = places.resolve_location("ashford, surrey")
    assert isinstance(surrey, ResolvedLocation) and surrey.lad_code == "E07000213"


def test_latlon(gaz: Gazetteer) -> None:
    result = gaz.resolve_location("50.72, -1.88")
    assert isinstance(result, ResolvedLocation)
    assert (result.kind, result.lat, result.lon, result.lad_code) == ("latlon", 50.72, -1.88, BCP)
    assert isinstance(gaz.resolve_location("40.7, -74.0"), UnresolvedLocation)  # New York
    assert isinstance(gaz.resolve_location("95.0, 1.0"), UnresolvedLocation)
    assert gaz.nearest_postcode(50.727909, -1.863623) is not None


@pytest.mark.parametrize(
    "junk", ["", "   ", '"', "*", "NEAR(", "'; --", "x" * 10_000, "\x00\u202e", "🏠 BH1", None]
)
def test_junk_never_raises(gaz: Gazetteer, junk: str) -> None:
    result = gaz.resolve_location(junk)
    assert isinstance(result, UnresolvedLocation)
    assert len(result.query) <= 200
    assert gaz.resolve_postcode(junk) is None


def test_build_is_skipped_when_current(
    gaz: Gazetteer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    shared = _shared() if _shared().is_dir() else None
    report = build_gazetteer(current_store_dir(tmp_path_factory), shared)
    assert report.skipped
    assert report.postcodes > 2_600_000
    assert report.seconds < 1


def test_get_gazetteer_reads_settings(
    gaz: Gazetteer, settings: pytest.FixtureRequest, tmp_path: Path
) -> None:
    gz.reset_gazetteer()
    settings.GAZETTEER_DIR = tmp_path / "missing"
    with pytest.raises(GazetteerUnavailable, match="build_gazetteer"):
        gz.get_gazetteer()
    settings.GAZETTEER_DIR = gaz.store_dir
    gz.reset_gazetteer()
    try:
        assert gz.get_gazetteer() is gz.get_gazetteer()
        found = gz.resolve_postcode("BH1 1AA")
        assert found is not None and found.lad_code == BCP
        assert isinstance(gz.resolve_location("BH1 1AA"), ResolvedLocation)
    finally:
        gz.reset_gazetteer()
