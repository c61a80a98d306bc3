"""BM25 limited to a radius: the strongest simple baseline, for both evaluations.

The search evaluation (``evaluation.search``) and the recommender evaluation
(``evaluation.recommender``) compare the project against the same baseline, so it
lives here once: plain Okapi BM25 over every listing's words, keeping only the
listings within the searcher's radius, best score first.

No Django here, so it is tested on toy data. Words and formula are the project's
own (``directory.bm25``, which search's words part uses too): folded tokens, the
English stop list dropped, stemmed. Filler words are *not* dropped: plain BM25
leaves them to their IDF.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from directory import bm25
from directory.bm25 import analyse as analyse


@dataclass(frozen=True)
class Candidate:
    """One listing within the radius of the searcher's point."""

    key: str
    distance: float
    words: tuple[str, ...]


class BM25:
    """Exact Okapi BM25 over a fixed collection of analysed documents.

    IDF is Lucene's non-negative form, log(1 + (N - n + 0.5) / (n + 0.5)). The
    collection is every listing being evaluated (not only those in the radius), as a
    search engine's statistics would be.
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
        return bm25.idf(self.frequency.get(word, 0), self.size)

    def score(self, query: Sequence[str], key: str) -> float:
        counts = self.counts.get(key)
        if not counts:
            return 0.0
        idfs = {word: self.idf(word) for word in set(query)}
        return bm25.score(query, counts, self.lengths[key], self.average_length, idfs)


def bm25_within_radius(
    bm25: BM25, query: Sequence[str], candidates: Iterable[Candidate]
) -> list[str]:
    """Listings in the radius with a positive BM25 score, best first (nearer first
    on a tie)."""
    scored = [(bm25.score(query, c.key), c.distance, c.key) for c in candidates]
    return [key for score, _, key in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0]
