"""Need and interest phrases, matched as phrases: never word by word.

A need's keywords are phrases separated by commas ("hot meal, two course meal,
food bank"). A listing matches a phrase only when it has all of the phrase's words
next to each other (stop words between them allowed: "cost of living" matches
"cost-of-living"), so "two course meal" never makes a dance course a food
suggestion. Words are the recommender's analysed words (``features.analyse``,
built on ``directory/text.py``): a one-word phrase is its stemmed word, a longer
phrase is the chain of its adjacent word pairs, all of which must be present.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from recommender.artefacts import Artefacts
from recommender.features import content_words


def phrase_columns(phrase: str) -> tuple[str, ...]:
    """The index terms a listing must all have to match: one word, or its adjacent pairs."""
    words = content_words(phrase)
    if len(words) <= 1:
        return tuple(words)
    return tuple(f"{a} {b}" for a, b in pairwise(words))


def phrase_hits(art: Artefacts, phrases: Iterable[str]) -> npt.NDArray[np.float64]:
    """Per listing: the BM25 weights of the phrases it matches, summed (0 = no phrase).

    Uses the word-by-listing BM25 matrix of each listing's own words, touching only the
    posting lists of the phrases' terms, so it stays fast at 100k listings.
    """
    vocabulary = art.vectorizer.vocabulary_
    own = art.own_t
    total = np.zeros(len(art), dtype=np.float64)
    for columns in {phrase_columns(p) for p in phrases}:
        if not columns or any(c not in vocabulary for c in columns):
            continue
        found, weights = _posting(own, vocabulary[columns[0]])
        for column in columns[1:]:
            listings, values = _posting(own, vocabulary[column])
            found, left, right = np.intersect1d(
                found, listings, assume_unique=True, return_indices=True
            )
            weights = weights[left] + values[right]
        if found.size:
            # The mean over the phrase's pairs, so a long phrase counts as one phrase.
            total[found] += weights / len(columns)  # a posting list has no repeats
    return total


def _posting(matrix: Any, row: int) -> tuple[Any, Any]:
    """(listings, BM25 weights) of one word's row of the word-by-listing matrix."""
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    return matrix.indices[start:end], matrix.data[start:end].astype(np.float64)


def hits_matrix(art: Artefacts, phrase_lists: Sequence[Iterable[str]]) -> npt.NDArray[np.float64]:
    """``phrase_hits`` for each list of phrases (rows) against every listing (columns)."""
    result = np.zeros((len(phrase_lists), len(art)), dtype=np.float64)
    for row, phrases in enumerate(phrase_lists):
        result[row] = phrase_hits(art, phrases)
    return result
