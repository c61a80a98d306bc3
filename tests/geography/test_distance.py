"""Great-circle distance and bounding boxes (``geography.distance``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geography.distance import (
    EARTH_RADIUS_MILES,
    bounding_box,
    haversine_miles,
    haversine_miles_array,
)

LONDON = (51.5074, -0.1278)
EDINBURGH = (55.9533, -3.1883)
POOLE = (50.7192, -1.9822)
BOURNEMOUTH = (50.7192, -1.8808)

latitudes = st.floats(min_value=49.0, max_value=61.0)
longitudes = st.floats(min_value=-9.0, max_value=2.5)
radii = st.floats(min_value=0.01, max_value=60.0)


def test_london_to_edinburgh() -> None:
    assert haversine_miles(*LONDON, *EDINBURGH) == pytest.approx(331.6, abs=0.2)


def test_poole_to_bournemouth() -> None:
    # 0.1014° of longitude at 50.72° N: 0.1014 · 69.09 · cos(50.72°) ≈ 4.43 miles.
    assert haversine_miles(*POOLE, *BOURNEMOUTH) == pytest.approx(4.43, abs=0.01)


def test_symmetric_and_zero_at_the_same_point() -> None:
    assert haversine_miles(*LONDON, *LONDON) == 0.0
    assert haversine_miles(*LONDON, *EDINBURGH) == haversine_miles(*EDINBURGH, *LONDON)


def test_antipodes_are_half_the_circumference() -> None:
    assert haversine_miles(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * EARTH_RADIUS_MILES)


@given(
    st.tuples(latitudes, longitudes),
    st.lists(st.tuples(latitudes, longitudes), min_size=1, max_size=20),
)
def test_vectorised_equals_scalar(origin: tuple[float, float], points: list) -> None:
    lats = np.array([p[0] for p in points])
    lons = np.array([p[1] for p in points])
    many = haversine_miles_array(*origin, lats, lons)
    one_by_one = [haversine_miles(*origin, lat, lon) for lat, lon in points]
    np.testing.assert_allclose(many, one_by_one, rtol=1e-12, atol=1e-9)


def test_vectorised_keeps_missing_points_missing() -> None:
    lats, lons = np.array([EDINBURGH[0], np.nan]), np.array([EDINBURGH[1], np.nan])
    miles = haversine_miles_array(*LONDON, lats, lons)
    assert miles[0] == pytest.approx(haversine_miles(*LONDON, *EDINBURGH))
    assert np.isnan(miles[1])


@given(latitudes, longitudes, radii, st.floats(min_value=0.0, max_value=360.0))
def test_bounding_box_contains_every_point_within_the_radius(
    lat: float, lon: float, miles: float, bearing_degrees: float
) -> None:
    # The point ``miles`` away on ``bearing``, a hair inside so rounding cannot push it out.
    angular = miles * (1 - 1e-9) / EARTH_RADIUS_MILES
    p1, l1, bearing = math.radians(lat), math.radians(lon), math.radians(bearing_degrees)
    p2 = math.asin(
        math.sin(p1) * math.cos(angular) + math.cos(p1) * math.sin(angular) * math.cos(bearing)
    )
    l2 = l1 + math.atan2(
        math.sin(bearing) * math.sin(angular) * math.cos(p1),
        math.cos(angular) - math.sin(p1) * math.sin(p2),
    )
    point = (math.degrees(p2), math.degrees(l2))
    assert haversine_miles(lat, lon, *point) <= miles
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, miles)
    assert min_lat <= point[0] <= max_lat
    assert min_lon <= point[1] <= max_lon


def test_bounding_box_is_tight() -> None:
    min_lat, max_lat, min_lon, max_lon = bounding_box(*POOLE, 10.0)
    assert haversine_miles(*POOLE, max_lat, POOLE[1]) == pytest.approx(10.0)
    assert haversine_miles(*POOLE, min_lat, POOLE[1]) == pytest.approx(10.0)
    # East-west, the box is at most a few per cent wider than the circle.
    assert 10.0 < haversine_miles(*POOLE, POOLE[0], max_lon) < 10.3
    assert 10.0 < haversine_miles(*POOLE, POOLE[0], min_lon) < 10.3
