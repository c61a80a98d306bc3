"""Okapi BM25: the one home of its constants and formula.

Search ranks by it (the words part of ``search.ranking``), the recommender weighs a
listing's own words by it, and the evaluations use it as the baseline to beat, so
the three agree on what "plain BM25" means: words are folded tokens without stop
words, stemmed (``directory.text``); k1 = 1.2 and b = 0.75 (Robertson & Zaragoza,
Lucene's defaults); the IDF is Lucene's non-negative form.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from directory.text import STOPWORDS, stem, tokens

K1 = 1.2
B = 0.75


def analyse(text: str) -> list[str]:
    """BM25's words of ``text``: folded tokens without stop words, stemmed."""
    return [stem(word) for word in tokens(text) if word not in STOPWORDS]


def idf(document_frequency: int, documents: int) -> float:
    """Lucene's IDF, log(1 + (N - n + 0.5) / (n + 0.5)): never negative."""
    return math.log(1 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))


def length_norm(length: float, average_length: float) -> float:
    """The denominator's length part, k1 · (1 - b + b · |d| / avgdl)."""
    return K1 * (1 - B + B * length / (average_length or 1.0))


def score(
    query: Iterable[str],
    counts: Mapping[str, int],
    length: float,
    average_length: float,
    idfs: Mapping[str, float],
) -> float:
    """BM25 of one document (its word ``counts`` and ``length``) for the query words,
    each counted once; ``idfs`` holds each query word's IDF (missing: 0)."""
    norm = length_norm(length, average_length)
    total = 0.0
    for word in set(query):
        tf = counts.get(word, 0)
        if tf:
            total += idfs.get(word, 0.0) * tf * (K1 + 1) / (tf + norm)
    return total
