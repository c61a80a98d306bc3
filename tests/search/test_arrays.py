"""The search's sort-based set operations give exactly ``np.unique``'s answers."""

from __future__ import annotations

import numpy as np
import pytest

from search.backends.database.arrays import unique_inverse, unique_sorted


@pytest.mark.parametrize("dtype", [np.int64, np.int32])
@pytest.mark.parametrize("size,high", [(0, 5), (1, 5), (2, 1), (50, 4), (5000, 10**6)])
def test_the_same_as_numpy_unique(dtype: type, size: int, high: int) -> None:
    values = np.random.default_rng(size + high).integers(0, high, size).astype(dtype)
    expected, expected_inverse = np.unique(values, return_inverse=True)
    assert np.array_equal(unique_sorted(values), expected)
    found, inverse = unique_inverse(values)
    assert np.array_equal(found, expected) and found.dtype == values.dtype
    assert np.array_equal(inverse, expected_inverse.reshape(-1))
    assert np.array_equal(found[inverse], values)
