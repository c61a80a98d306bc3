"""Turn scored candidates into 5-10 varied suggestions, each with reasons in plain words."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from directory.presentation import miles as miles_words
from recommender.artefacts import Artefacts
from recommender.features import (
    ACCESS_BITS,
    ACCESS_LABELS,
    BY_PHONE,
    ONLINE,
    analyse,
    day_words,
    days_in,
)
from recommender.needs import NeedSpec
from recommender.query import Query
from recommender.reranker import rerank_scores
from recommender.scoring import DEFAULT_WEIGHTS, Candidates, Weights, score, top_pool

DEFAULT_COUNT = 8
#: 0.7 at first; 0.85 (tuned on training personas) keeps the round-robin and the
#: per-need quota but lets near-duplicate wording cost less than relevance.
MMR_LAMBDA = 0.85
SATURATION_PENALTY = 0.15


@dataclass
class Suggestion:
    listing_id: int | str
    title: str
    score: float
    miles: float | None
    when: str
    reasons: list[str]
    needs_served: list[str]
    features: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return {
            "listing_id": self.listing_id,
            "title": self.title,
            "miles": self.miles,
            "when": self.when,
            "reasons": self.reasons,
            "needs_served": self.needs_served,
        }


def recommend(
    art: Artefacts,
    query: Query,
    needs: list[NeedSpec],
    interests: list[NeedSpec],
    *,
    count: int = DEFAULT_COUNT,
    reranker: Any = None,
    diverse: bool = True,
    weights: Weights | None = None,
) -> list[Suggestion]:
    """The best ``count`` suggestions for the person, varied across their needs."""
    candidates = score(art, query, needs, interests, weights or DEFAULT_WEIGHTS)
    pool = top_pool(candidates)
    if not pool.size:
        return []
    features = [candidates.features(art, int(p)) for p in pool]
    ranking = candidates.score[pool]
    if reranker is not None:
        ranking = rerank_scores(reranker, features, ranking)
        order = np.argsort(-ranking, kind="stable")
        pool, ranking = pool[order], ranking[order]
        features = [features[i] for i in order]
    picks = (
        diversify(art, candidates, pool, ranking, count)
        if diverse
        else _plain(art, candidates, pool, count)
    )
    by_position = {int(p): f for p, f in zip(pool, features, strict=True)}
    return [explain(art, candidates, p, query, interests, by_position[p]) for p in picks]


def _plain(art: Artefacts, candidates: Candidates, pool: Any, count: int) -> list[int]:
    picks: list[int] = []
    seen: set[int] = set()
    for position in (int(p) for p in pool):
        key = int(art.dedupe[candidates.index[position]])
        if key not in seen:
            seen.add(key)
            picks.append(position)
        if len(picks) == count:
            break
    return picks


def diversify(
    art: Artefacts, candidates: Candidates, pool: Any, ranking: Any, count: int
) -> list[int]:
    """Round-robin one pick per named need, then maximal marginal relevance.

    First each need (in the order the person gave them) gets its best-ranked
    listing that serves it, so three named needs are never answered by five lunch
    clubs. The rest are chosen by MMR: ranking minus similarity (TF-IDF cosine) to
    what is already chosen, minus a penalty once a need has its fair share.
    Listings that duplicate a chosen one (same name and postcode) are skipped.
    """
    positions = [int(p) for p in pool]
    rank = {p: float(r) for p, r in zip(positions, ranking, strict=True)}
    top = max(rank.values()) or 1.0
    picks: list[int] = []
    keys: set[int] = set()
    primary = {p: int(np.argmax(candidates.need_scores[:, p])) for p in positions}
    n_needs = candidates.need_scores.shape[0]

    def take(position: int) -> None:
        picks.append(position)
        keys.add(int(art.dedupe[candidates.index[position]]))

    def free(position: int) -> bool:
        return position not in picks and int(art.dedupe[candidates.index[position]]) not in keys

    for need in range(n_needs):
        for position in positions:  # already best-first
            if candidates.serves[need, position] and free(position):
                take(position)
                break
        if len(picks) == count:
            return picks
    rows = art.matrix[candidates.index[positions]]
    similarity = (rows @ rows.T).toarray()
    slot = {p: i for i, p in enumerate(positions)}
    quota = math.ceil(count / max(n_needs, 1))
    # Vectorised MMR: redundancy and per-need counts are updated as picks are made.
    relevance = np.asarray([rank[p] for p in positions]) / top
    primaries = np.asarray([primary[p] for p in positions])
    dedupe = art.dedupe[candidates.index[positions]]
    redundancy = np.zeros(len(positions))
    per_need = np.zeros(max(n_needs, 1))
    for p in picks:
        redundancy = np.maximum(redundancy, similarity[slot[p]])
        per_need[primaries[slot[p]]] += 1
    while len(picks) < count:
        value = MMR_LAMBDA * relevance - (1 - MMR_LAMBDA) * redundancy
        if n_needs:
            value = value - SATURATION_PENALTY * (per_need[primaries] >= quota)
        value[np.isin(dedupe, list(keys))] = -np.inf
        best = int(np.argmax(value))
        if not np.isfinite(value[best]):
            break
        take(positions[best])
        redundancy = np.maximum(redundancy, similarity[best])
        per_need[primaries[best]] += 1
    return picks


def explain(
    art: Artefacts,
    candidates: Candidates,
    position: int,
    query: Query,
    interests: list[NeedSpec],
    features: dict[str, float],
) -> Suggestion:
    """Reasons a person can check against what they told us."""
    idx = int(candidates.index[position])
    reasons: list[str] = []
    scores = candidates.need_scores[:, position]
    served = [n for n in np.argsort(-scores, kind="stable") if candidates.serves[n, position]]
    for n in served[:2]:
        spec = candidates.needs[n]
        reasons.append(spec.reason or f"You chose \u201c{spec.label}\u201d")
    words = set(art.matrix[idx].indices.tolist())
    vocabulary = art.vectorizer.vocabulary_
    for spec in interests:
        if spec.code in query.interests and _mentions(
            f"{spec.label} {spec.keywords}", words, vocabulary
        ):
            reasons.append(f"Matches your interest in {spec.short_label}")
    for word in query.interest_text.split()[:10]:
        if len(word) > 2 and _mentions(word, words, vocabulary):
            reasons.append(f"Mentions \u201c{word.strip('.,;:!?')}\u201d")
    distance = float(candidates.miles[position])
    shown_miles: float | None = None
    if candidates.remote_only[position]:
        ways = int(art.modes[idx]) & query.modes
        reasons.append(
            " or ".join(w for b, w in ((BY_PHONE, "By phone"), (ONLINE, "Online")) if ways & b)
        )
    elif np.isfinite(distance):
        shown_miles = distance
        reasons.append(f"{miles_words(distance)} away")
    if art.is_free[idx]:
        reasons.append("Free")
    wanted = query.wanted_slots()
    if wanted and art.has_schedule[idx]:
        days = days_in(int(art.slots[idx]) & wanted)
        if days:
            reasons.append(day_words(days))
    elif wanted:
        reasons.append("Times not listed: check before you go")
    for name, bit in ACCESS_BITS.items():
        if query.access & bit and art.access[idx] & bit:
            reasons.append(ACCESS_LABELS[name])
    return Suggestion(
        listing_id=art.ids[idx],
        title=art.titles[idx],
        score=float(candidates.score[position]),
        miles=shown_miles,
        when=art.when[idx],
        reasons=reasons,
        needs_served=[candidates.needs[n].code for n in served],
        features=features,
    )


def _mentions(text: str, words: set[int], vocabulary: dict[str, int]) -> bool:
    return any(
        (column := vocabulary.get(token)) is not None and column in words
        for token in analyse(text)
        if " " not in token
    )
