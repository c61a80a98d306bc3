"""Set operations on integer arrays for the search's hot paths.

numpy 2's ``np.unique`` hashes: for the arrays a search makes (thousands of
positions or codes) it is 8 to 20 times slower than sorting, and these run on
every candidate of every query. Same results as ``np.unique``: sorted distinct
values, and with ``unique_inverse`` the index of each input's value among them.
"""

from __future__ import annotations

import numpy as np


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)``."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for a 1-d array."""
    values = np.asarray(values).reshape(-1)
    if not len(values):
        return values.copy(), np.zeros(0, dtype=np.intp)
    order = np.argsort(values)
    ordered = values[order]
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(len(values), dtype=np.intp)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse
