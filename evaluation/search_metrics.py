"""Ranking metrics and the keyword baselines for the search evaluation.

No Django here, so the metrics and baselines are tested on toy data
(``tests/evaluation/test_search_eval.py``). Words are the project's own
(``directory.text``): folded tokens, the English stop list dropped, stemmed. Filler
words are *not* dropped for the baselines: plain BM25 leaves them to their IDF.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from directory.text import STOPWORDS, stem, tokens

#: Okapi BM25's usual constants (Robertson & Zaragoza; Lucene's defaults).
BM25_K1 = 1.2
BM25_B = 0.75


def analyse(text: str) -> list[str]:
    """The baseline's words: folded tokens without stop words, stemmed."""
    return [stem(word) for word in tokens(text) if word not in STOPWORDS]


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain with the exponential gain of Järvelin & Kekäläinen
    as used by TREC: (2^rel - 1) / log2(rank + 1)."""
    return sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains))


def ndcg_at_k(ranked: Sequence[str], judgments: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k of ``ranked`` listing keys; unjudged keys count as 0. The ideal ranking
    is every judged listing of the query by grade. 0.0 when nothing is relevant."""
    ideal = dcg(sorted((g for g in judgments.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judgments.get(key, 0) for key in ranked[:k]]) / ideal


def precision_at_k(ranked: Sequence[str], judgments: Mapping[str, int], k: int = 5) -> float:
    """Share of the first k places (k, not the number returned) holding a listing
    judged relevant (grade 1 or 2)."""
    return sum(1 for key in ranked[:k] if judgments.get(key, 0) > 0) / k


@dataclass(frozen=True)
class Candidate:
    """One listing within the radius of a query's postcode."""

    key: str
    distance: float
    words: tuple[str, ...]


class BM25:
    """Exact Okapi BM25 over a fixed collection of analysed documents.

    IDF is Lucene's non-negative form, log(1 + (N - n + 0.5) / (n + 0.5)). The
    collection is every listing in the evaluation index (not only those in the
    radius), as a search engine's statistics would be.
    """

    def __init__(self, documents: Mapping[str, Sequence[str]]) -> None:
        self.counts = {key: Counter(words) for key, words in documents.items()}
        self.lengths = {key: len(words) for key, words in documents.items()}
        self.size = len(documents)
        self.average_length = (sum(self.lengths.values()) / self.size) if self.size else 0.0
        frequency: Counter[str] = Counter()
        for counts in self.counts.values():
            frequency.update(counts.keys())
        self.frequency = frequency

    def idf(self, word: str) -> float:
        n = self.frequency.get(word, 0)
        return math.log(1 + (self.size - n + 0.5) / (n + 0.5))

    def score(self, query: Sequence[str], key: str) -> float:
        counts = self.counts.get(key)
        if not counts:
            return 0.0
        norm = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths[key] / (self.average_length or 1))
        total = 0.0
        for word in set(query):
            tf = counts.get(word, 0)
            if tf:
                total += self.idf(word) * tf * (BM25_K1 + 1) / (tf + norm)
        return total


def bm25_within_radius(
    bm25: BM25, query: Sequence[str], candidates: Iterable[Candidate]
) -> list[str]:
    """Listings in the radius with a positive BM25 score, best first (nearer first
    on a tie)."""
    scored = [(bm25.score(query, c.key), c.distance, c.key) for c in candidates]
    return [key for score, _, key in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0]


def nearest_first(query: Sequence[str], candidates: Iterable[Candidate]) -> list[str]:
    """Listings in the radius sharing at least one query word, nearest first."""
    wanted = set(query)
    matching = [c for c in candidates if wanted & set(c.words)]
    return [c.key for c in sorted(matching, key=lambda c: (c.distance, c.key))]


def keyword_only(query: Sequence[str], candidates: Iterable[Candidate]) -> list[str]:
    """Listings in the radius containing every query word, nearest first: a directory
    that answers only when the words typed are the listing's words."""
    wanted = set(query)
    if not wanted:
        return []
    matching = [c for c in candidates if wanted <= set(c.words)]
    return [c.key for c in sorted(matching, key=lambda c: (c.distance, c.key))]
