"""Turn scored candidates into 5-10 varied suggestions, each with reasons in plain words.

Every suggestion serves a need the person named, and its first reason says which;
listings that serve none are only ever shown apart, as "Other things near you".
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from directory.presentation import miles as miles_words
from recommender import relax
from recommender.artefacts import Artefacts
from recommender.features import (
    ACCESS_BITS,
    ACCESS_LABELS,
    BY_PHONE,
    ONLINE,
    day_words,
    days_in,
)
from recommender.needs import NeedSpec
from recommender.query import Query
from recommender.recommendation import Recommendation, Suggestion
from recommender.relax import Relaxation
from recommender.reranker import rerank_scores
from recommender.scoring import (
    DEFAULT_WEIGHTS,
    Candidates,
    Weights,
    constraint_masks,
    score,
    serving,
    top_pool,
)

DEFAULT_COUNT = 8
#: 0.7 at first; 0.85 (tuned on training personas) keeps the round-robin and the
#: per-need quota but lets near-duplicate wording cost less than relevance.
MMR_LAMBDA = 0.85
SATURATION_PENALTY = 0.15
NOT_MATCHED = "Near you, but not matched to what you chose"


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
    """The suggestions that serve a named need (see ``suggest``), best first."""
    return suggest(
        art, query, needs, interests,
        count=count, reranker=reranker, diverse=diverse, weights=weights,
    ).suggestions  # fmt: skip


def suggest(
    art: Artefacts,
    query: Query,
    needs: list[NeedSpec],
    interests: list[NeedSpec],
    *,
    count: int = DEFAULT_COUNT,
    reranker: Any = None,
    diverse: bool = True,
    weights: Weights | None = None,
) -> Recommendation:
    """Up to ``count`` suggestions for the person, varied across their needs.

    Every suggestion serves a named need and says which. A need that nothing serves
    within the person's constraints gets the nearest listings that serve it with the
    fewest constraints relaxed, and a note saying what was relaxed. Slots still empty
    go to nearby listings that serve no need, kept apart in ``others``.
    """
    w = weights or DEFAULT_WEIGHTS
    constraints = constraint_masks(art, query)
    masks, miles, _ = constraints
    candidates = score(art, query, needs, interests, w, constraints=constraints)
    chosen = candidates.needs
    result = Recommendation(labels={spec.code: spec.label for spec in chosen})
    # Ranked for every slot first, so slots a relaxed need cannot fill go to the others.
    ranked = _ranked(art, candidates, query, count, reranker=reranker, diverse=diverse)
    taken = {int(art.dedupe[s.art_index]) for s in ranked}
    per_empty = max(1, count // max(len(chosen), 1))
    found: list[Suggestion] = []
    empty = [spec for n, spec in enumerate(chosen) if not candidates.serves[n].any()]
    for spec in empty:
        relaxed, relaxation = _relax(
            art, query, spec, (needs, interests, w), (masks, miles), per_empty, taken
        )
        if relaxation is not None:
            result.notes[spec.code] = relaxation.note
            found.extend(relaxed)
    result.suggestions = ranked[: max(count - len(found), 0)] + found
    spare = count - len(result.suggestions)
    if spare > 0:
        result.others = _nearby(art, candidates, query, spare, taken)
    return result


def _ranked(
    art: Artefacts,
    candidates: Candidates,
    query: Query,
    count: int,
    *,
    reranker: Any = None,
    diverse: bool = True,
    dropped: tuple[str, ...] = (),
) -> list[Suggestion]:
    """The best ``count`` candidates (all serve a named need), explained."""
    pool = top_pool(candidates)
    if not pool.size or count <= 0:
        return []
    features = [candidates.features(art, int(p)) for p in pool]
    ranking = candidates.score[pool]
    if reranker is not None:
        ranking = rerank_scores(reranker, features, ranking)
        order = np.argsort(-ranking, kind="stable")
        pool, ranking = pool[order], ranking[order]
        features = [features[i] for i in order]
    picked_for: dict[int, int] = {}
    picks = (
        diversify(art, candidates, pool, ranking, count, picked_for)
        if diverse
        else _plain(art, candidates, pool, count)
    )
    by_position = {int(p): f for p, f in zip(pool, features, strict=True)}
    return [
        explain(art, candidates, p, query, by_position[p], picked_for.get(p), dropped)
        for p in picks
    ]


def _relax(
    art: Artefacts,
    query: Query,
    spec: NeedSpec,
    specs: tuple[list[NeedSpec], list[NeedSpec], Weights],
    constraints: tuple[dict[str, Any], Any],
    count: int,
    taken: set[int],
) -> tuple[list[Suggestion], Relaxation | None]:
    """The best listings for one need with the fewest constraints dropped.

    The constraint masks say cheaply which relaxation first reaches a listing that
    serves the need; only that one is scored.
    """
    masks, miles = constraints
    servers = serving(art, spec) & masks["base"]
    for dropped in relax.ladder(query):
        kept = [mask for name, mask in masks.items() if name != "base" and name not in dropped]
        if not (np.logical_and.reduce([servers, *kept])).any():
            continue
        looser = relax.relaxed(dataclasses.replace(query, needs=(spec.code,)), dropped)
        candidates = score(art, looser, *specs, miles)
        picks: list[int] = []
        for position in (int(p) for p in top_pool(candidates)):
            key = int(art.dedupe[candidates.index[position]])
            if key not in taken:
                taken.add(key)
                picks.append(position)
            if len(picks) == count:
                break
        if not picks:
            continue
        found = [
            explain(art, candidates, p, query, candidates.features(art, p), 0, dropped)
            for p in picks
        ]
        return found, relax.explain(query, spec.label, dropped)
    return [], None


def _nearby(
    art: Artefacts, candidates: Candidates, query: Query, count: int, taken: set[int]
) -> list[Suggestion]:
    """Nearby listings that serve no named need, nearest first, said plainly."""
    found: list[Suggestion] = []
    for slot, idx in enumerate(int(i) for i in candidates.nearby):
        key = int(art.dedupe[idx])
        if key in taken:
            continue
        taken.add(key)
        distance = float(candidates.nearby_miles[slot])
        reasons = [NOT_MATCHED]
        reasons += [
            reason
            for row, reason in enumerate(candidates.interest_reasons)
            if candidates.nearby_interest_hits[row, slot]
        ]
        reasons.append(f"{miles_words(distance)} away")
        reasons += _facts(art, idx, query, ())
        found.append(
            Suggestion(
                listing_id=art.ids[idx],
                title=art.titles[idx],
                score=0.0,
                miles=distance,
                when=art.when[idx],
                reasons=reasons,
                needs_served=[],
                features={},
                art_index=idx,
            )
        )
        if len(found) == count:
            break
    return found


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
    art: Artefacts,
    candidates: Candidates,
    pool: Any,
    ranking: Any,
    count: int,
    picked_for: dict[int, int] | None = None,
) -> list[int]:
    """Round-robin one pick per named need, then maximal marginal relevance.

    First each need (in the order the person gave them) gets its best-ranked
    listing that serves it, so three named needs are never answered by five lunch
    clubs. The rest are chosen by MMR: ranking minus similarity (TF-IDF cosine) to
    what is already chosen, minus a penalty once a need has its fair share.
    Listings that duplicate a chosen one (same name and postcode) are skipped.
    ``picked_for`` records, for the round-robin picks, the need each was picked for.
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
                if picked_for is not None:
                    picked_for[position] = need
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
    features: dict[str, float],
    picked_for: int | None = None,
    dropped: tuple[str, ...] = (),
) -> Suggestion:
    """Reasons a person can check against what they told us.

    The first reason names the need the listing is shown for; ``dropped`` are the
    constraints relaxed to find it, each said where this listing does not meet it.
    """
    idx = int(candidates.index[position])
    reasons: list[str] = []
    scores = candidates.need_scores[:, position]
    served = [int(n) for n in np.argsort(-scores, kind="stable") if candidates.serves[n, position]]
    if picked_for is not None and picked_for in served:
        served.remove(picked_for)
        served.insert(0, picked_for)
    for n in served[:2]:
        spec = candidates.needs[n]
        reasons.append(spec.reason or f"You chose \u201c{spec.label}\u201d")
    reasons += [
        reason
        for row, reason in enumerate(candidates.interest_reasons)
        if candidates.interest_hits[row, position]
    ]
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
        if relax.DISTANCE in dropped and query.max_miles and distance > query.max_miles:
            reasons.append(f"Further than {miles_words(query.max_miles)}")
    reasons += _facts(art, idx, query, dropped)
    return Suggestion(
        listing_id=art.ids[idx],
        title=art.titles[idx],
        score=float(candidates.score[position]),
        miles=shown_miles,
        when=art.when[idx],
        reasons=reasons,
        needs_served=[candidates.needs[n].code for n in served],
        features=features,
        need=candidates.needs[served[0]].code if served else "",
        relaxed=dropped,
        art_index=idx,
    )


def _facts(art: Artefacts, idx: int, query: Query, dropped: tuple[str, ...]) -> list[str]:
    """Cost, times and access as asked, and where a relaxed one is not met, that too."""
    facts: list[str] = []
    if art.is_free[idx]:
        facts.append("Free")
    elif query.free_only:
        facts.append("Does not say it is free: check the cost")
    wanted = query.wanted_slots()
    if wanted and art.has_schedule[idx]:
        days = days_in(int(art.slots[idx]) & wanted)
        facts.append(day_words(days) if days else "Not at the days or times you chose")
    elif wanted:
        facts.append("Times not listed: check before you go")
    for name, bit in ACCESS_BITS.items():
        if query.access & bit:
            if art.access[idx] & bit:
                facts.append(ACCESS_LABELS[name])
            else:
                facts.append(f"Does not say it has {relax.ACCESS_WORDS[name]}")
    return facts
