"""Property tests: no text input makes the gazetteer raise."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geography.gazetteer import (
    AmbiguousLocation,
    Gazetteer,
    ResolvedLocation,
    UnresolvedLocation,
    normalise_postcode,
)

from .test_gazetteer import current_store_dir

RESULT_TYPES = (ResolvedLocation, AmbiguousLocation, UnresolvedLocation)

# Postcode-ish text: mostly letters, digits, spaces and the look-alike characters.
postcodeish = st.text(alphabet="ABHSWOI01234567890 abhoi-,.", min_size=0, max_size=12)
anything = st.text(max_size=300)


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return Gazetteer(current_store_dir(tmp_path_factory))


@settings(max_examples=500, deadline=None)
@given(st.one_of(anything, postcodeish))
def test_normalise_postcode_never_raises(text: str) -> None:
    out = normalise_postcode(text)
    assert out is None or (out == out.strip().upper() and out.count(" ") == 1)
    if out is not None:
        assert normalise_postcode(out) == out  # idempotent


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(anything, postcodeish, st.from_regex(r"-?\d{1,3}\.\d{1,6}, ?-?\d{1,3}\.\d{1,6}")))
def test_resolve_location_never_raises(gaz: Gazetteer, text: str) -> None:
    result = gaz.resolve_location(text)
    assert isinstance(result, RESULT_TYPES)
    if isinstance(result, ResolvedLocation):
        assert -90 <= result.lat <= 90 and -180 <= result.lon <= 180
        assert "K02000001" in result.area_codes
    if isinstance(result, AmbiguousLocation):
        assert len(result.choices) >= 2
    gaz.resolve_postcode(text)
