"""Ranking metrics and the keyword baselines for the search evaluation.

No Django here, so the metrics and baselines are tested on toy data
(``tests/evaluation/test_search_eval.py``). BM25 within the radius, the baseline to
beat, is shared with the recommender evaluation and lives in ``evaluation.bm25``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from evaluation.bm25 import Candidate


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
