"""The transparent scorer: hard constraints, need and interest match, distance decay.

For each listing that passes every hard constraint (cost, times, access, age, way
of taking part, travel distance, area served):

* each named need scores ``0.8 * text + 0.2 * category`` where *text* is the BM25
  weight of the need's phrases (``recommender/phrases.py``) that the listing's own
  title and description contain as phrases (scaled so the best feasible listing
  scores 1) and *category* is 1 when the listing is in one of the need's
  categories. The category is evidence, but weaker than what the listing says about
  itself: every warm space is filed under several broad categories;
* a listing *serves* a need only when it is in one of the need's categories or
  contains one of its phrases: never on single words of a longer phrase;
* relevance is the best need score, plus a quarter of the mean of the others
  (serving two needs at once is worth a little more), plus 1.0 x interest match
  (the chosen interests' phrases and the person's own words, scaled the same);
  only listings that serve a named need get any (interests never stand in for one);
* the score is ``relevance x (0.4 + 0.6 x proximity)``, where proximity is a gauss
  decay of distance with sigma = travel distance / 1.5 (0.8 for remote-only
  matches), and x 0.85 when the person gave times and the listing's are unknown.

``recommend.diversify`` then picks from the top of that ranking (see its docstring).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from geography.distance import haversine_miles_array
from recommender.artefacts import Artefacts
from recommender.features import BY_PHONE, IN_PERSON, ONLINE
from recommender.needs import NeedSpec
from recommender.phrases import hits_matrix, phrase_columns, phrase_hits
from recommender.query import Query

POOL_SIZE = 150
#: How many nearby listings that serve no named need are kept for "Other things near you".
NEARBY_POOL = 20
REMOTE_PROXIMITY = 0.8
UNKNOWN_TIMES_FACTOR = 0.85


@dataclass(frozen=True)
class Weights:
    """The scorer's weights, in one place so they can be tuned on training personas.

    Chosen on the training half of the evaluation personas only (evaluation/RECOMMENDER.md);
    the first version's weights were category 0.5, evidence 0, interest 0.35.
    """

    category: float = 0.2  # need score = (1 - category) x text + category x in-category
    evidence: float = 1.0  # text = (1 - evidence) x TF-IDF cosine + evidence x phrase BM25
    others: float = 0.25  # share of the mean of the other needs' scores
    interest: float = 1.0
    distance: float = 0.6  # score x ((1 - distance) + distance x proximity)
    sigma_share: float = 1 / 1.5  # gauss sigma as a share of the travel distance


DEFAULT_WEIGHTS = Weights()
FEATURE_NAMES = (
    "need_text",
    "need_category",
    "needs_served",
    "interest",
    "proximity",
    "miles",
    "free",
    "times_known",
    "remote_only",
    "score",
)


@dataclass
class Candidates:
    """Scored feasible listings, as parallel arrays (one entry per listing)."""

    index: npt.NDArray[np.intp]
    score: npt.NDArray[np.float64]
    need_scores: npt.NDArray[np.float64]  # needs x listings
    serves: npt.NDArray[np.bool_]  # needs x listings: a phrase or a category of the need
    need_text: npt.NDArray[np.float64]
    need_category: npt.NDArray[np.float64]
    interest: npt.NDArray[np.float64]
    proximity: npt.NDArray[np.float64]
    miles: npt.NDArray[np.float64]
    remote_only: npt.NDArray[np.bool_]
    needs: list[NeedSpec] = field(default_factory=list)
    #: The interests and typed words, as reasons, and which candidates match each.
    interest_reasons: list[str] = field(default_factory=list)
    interest_hits: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, 0), bool))
    #: Feasible listings with a distance that serve no named need, nearest first
    #: (indices into the artefacts), for the separate "Other things near you".
    nearby: npt.NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, np.intp))
    nearby_miles: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    nearby_interest_hits: npt.NDArray[np.bool_] = field(
        default_factory=lambda: np.zeros((0, 0), bool)
    )

    def __len__(self) -> int:
        return len(self.index)

    def features(self, art: Artefacts, position: int) -> dict[str, float]:
        """The scorer's features for one candidate: for feedback and the re-ranker."""
        idx = self.index[position]
        served = self.serves[:, position]
        miles = self.miles[position]
        return {
            "need_text": round(float(self.need_text[position]), 4),
            "need_category": float(self.need_category[position]),
            "needs_served": round(float(served.mean()) if served.size else 0.0, 4),
            "interest": round(float(self.interest[position]), 4),
            "proximity": round(float(self.proximity[position]), 4),
            "miles": round(min(float(miles) / 10, 1.0), 4) if np.isfinite(miles) else 0.0,
            "free": float(art.is_free[idx]),
            "times_known": float(art.has_schedule[idx]),
            "remote_only": float(self.remote_only[position]),
            "score": round(float(self.score[position]), 4),
        }


def constraint_masks(
    art: Artefacts, query: Query, miles: Any = None
) -> tuple[dict[str, npt.NDArray[np.bool_]], Any, Any]:
    """({constraint: mask of listings meeting it}, miles, remote-only mask).

    ``miles`` from the query's origin can be passed in when already worked out.

    The keys that can be relaxed are ``recommender.relax``'s names (times, cost,
    distance, access); "base" (age, way of taking part, area served) never is.
    """
    everyone = np.ones(len(art), dtype=bool)
    base = everyone.copy()
    if query.age_band is not None:
        low, high = query.age_band
        base &= ~((art.min_age >= 0) & (art.min_age > high))
        base &= ~((art.max_age >= 0) & (art.max_age < low))
    wanted = query.wanted_slots()
    # Unknown times are kept (and marked down): many listings give times only in words.
    times = ~art.has_schedule | ((art.slots & wanted) != 0) if wanted else everyone
    if miles is not None:
        pass
    elif query.has_origin:
        assert query.lat is not None and query.lon is not None
        miles = haversine_miles_array(query.lat, query.lon, art.lat, art.lon)
    else:
        miles = np.full(len(art), np.nan)
    in_person = ((art.modes & IN_PERSON) != 0) & bool(query.modes & IN_PERSON)
    if query.has_origin:
        in_person &= np.isfinite(miles)
    within = in_person
    if query.has_origin and query.max_miles is not None:
        within = in_person & (np.nan_to_num(miles, nan=np.inf) <= query.max_miles)
    remote = (art.modes & (query.modes & (BY_PHONE | ONLINE))) != 0
    base &= in_person | remote
    if query.area_codes and art.coverage:
        for idx, codes in art.coverage.items():
            if base[idx] and codes.isdisjoint(query.area_codes):
                base[idx] = False
    masks = {
        "base": base,
        "times": times,
        "cost": art.is_free if query.free_only else everyone,
        "distance": within | remote,
        "access": (art.access & query.access) == query.access if query.access else everyone,
    }
    return masks, miles, remote & ~within


def feasible(
    art: Artefacts, query: Query, miles: Any = None
) -> tuple[npt.NDArray[np.bool_], Any, Any]:
    """(mask of listings passing every hard constraint, miles, remote-only mask)."""
    masks, miles, remote_only = constraint_masks(art, query, miles)
    mask = np.logical_and.reduce(list(masks.values()))
    return mask, miles, remote_only


def serving(art: Artefacts, spec: NeedSpec) -> npt.NDArray[np.bool_]:
    """Every listing that serves the need (a phrase or a category), constraints aside."""
    mask: npt.NDArray[np.bool_] = phrase_hits(art, spec.phrases) > 0
    cols = [art.term_index[c] for c in spec.term_codes if c in art.term_index]
    if cols:
        mask |= np.asarray(art.terms_t[cols].sum(axis=0)).ravel() > 0
    return mask


def need_text(spec: NeedSpec, art: Artefacts) -> str:
    """A need's query words: its label, phrases and its categories' names and synonyms."""
    return " ".join(
        [spec.label, *spec.phrases, *(art.term_words.get(c, "") for c in spec.term_codes)]
    )


def _scaled(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Each row divided by its maximum, so the best listing scores 1."""
    top = values.max(axis=1, keepdims=True) if values.size else values
    return np.divide(values, top, out=np.zeros_like(values), where=top > 0)


def interest_rows(query: Query, interests: list[NeedSpec]) -> list[tuple[str, list[str]]]:
    """(reason, phrases) per chosen interest, then per word the person typed themselves."""
    rows = [
        (f"Matches your interest in {spec.short_label}", spec.phrases)
        for spec in interests
        if spec.code in query.interests
    ]
    seen: set[str] = set()
    for word in query.interest_text.split()[:10]:
        word = word.strip(".,;:!?\"'()")
        if phrase_columns(word) and word.lower() not in seen:
            seen.add(word.lower())
            rows.append((f"Mentions \u201c{word}\u201d", [word]))
    return rows


def score(
    art: Artefacts,
    query: Query,
    needs: list[NeedSpec],
    interests: list[NeedSpec],
    weights: Weights = DEFAULT_WEIGHTS,
    miles: Any = None,
    constraints: tuple[dict[str, Any], Any, Any] | None = None,
) -> Candidates:
    """Score every feasible listing that serves a named need (or, with none named, an
    interest); the feasible listings that serve none are kept apart as ``nearby``.
    ``miles`` from the query's origin, or all of ``constraint_masks`` for this very
    query, can be passed in when already worked out."""
    w = weights
    if constraints is None:
        constraints = constraint_masks(art, query, miles)
    masks, miles, remote_only = constraints
    index = np.flatnonzero(np.logical_and.reduce(list(masks.values())))
    by_code = {spec.code: spec for spec in needs}
    chosen = [by_code[code] for code in query.needs if code in by_code]
    n_needs = len(chosen)
    interest_specs = interest_rows(query, interests)
    hits = hits_matrix(art, [spec.phrases for spec in chosen])[:, index]
    interest_hits = hits_matrix(art, [phrases for _, phrases in interest_specs])[:, index]
    text = w.evidence * _scaled(hits)
    if w.evidence < 1 and n_needs and index.size:
        texts = [need_text(spec, art) for spec in chosen]
        cosine = (art.vectorizer.transform(texts) @ art.matrix_t).toarray()[:, index]
        text += (1 - w.evidence) * _scaled(cosine)
    category = np.zeros((n_needs, index.size))
    for row, spec in enumerate(chosen):
        cols = [art.term_index[c] for c in spec.term_codes if c in art.term_index]
        if cols and index.size:
            in_terms = np.asarray(art.terms_t[cols].sum(axis=0)).ravel()
            category[row] = in_terms[index] > 0
    need_scores = (1 - w.category) * text + w.category * category
    # Served means a phrase of the need, or one of its categories: never a stray word.
    serves = (category > 0) | (hits > 0)
    interest = (
        _scaled(interest_hits.sum(axis=0, keepdims=True))[0]
        if interest_specs
        else np.zeros(index.size)
    )
    if n_needs:
        best = need_scores.max(axis=0)
        others = (need_scores.sum(axis=0) - best) / max(n_needs - 1, 1)
        # Interests rank listings that serve a named need; they never stand in for one.
        relevance = np.where(
            serves.any(axis=0), best + w.others * others + w.interest * interest, 0.0
        )
    else:
        relevance = interest.copy()
    distance = miles[index]
    sigma = (query.max_miles or 5.0) * w.sigma_share
    proximity = np.where(
        np.isfinite(distance), np.exp(-0.5 * (np.nan_to_num(distance) / sigma) ** 2), 1.0
    )
    proximity = np.where(remote_only[index], REMOTE_PROXIMITY, proximity)
    total = relevance * ((1 - w.distance) + w.distance * proximity)
    if query.wanted_slots():
        total = np.where(art.has_schedule[index], total, total * UNKNOWN_TIMES_FACTOR)
    keep = relevance > 0
    near = ~keep & np.isfinite(distance) & ~remote_only[index]
    near_order = np.flatnonzero(near)
    if near_order.size > NEARBY_POOL:  # only the nearest few are ever shown
        part = np.argpartition(distance[near_order], NEARBY_POOL - 1)[:NEARBY_POOL]
        near_order = near_order[part]
    near_order = near_order[np.argsort(distance[near_order], kind="stable")]
    return Candidates(
        index=index[keep],
        score=total[keep],
        need_scores=need_scores[:, keep],
        serves=serves[:, keep],
        need_text=text.max(axis=0)[keep] if n_needs else np.zeros(int(keep.sum())),
        need_category=category.max(axis=0)[keep] if n_needs else np.zeros(int(keep.sum())),
        interest=interest[keep],
        proximity=proximity[keep],
        miles=distance[keep],
        remote_only=remote_only[index][keep],
        needs=chosen,
        interest_reasons=[reason for reason, _ in interest_specs],
        interest_hits=interest_hits[:, keep] > 0,
        nearby=index[near_order],
        nearby_miles=distance[near_order],
        nearby_interest_hits=interest_hits[:, near_order] > 0,
    )


def top_pool(candidates: Candidates, size: int = POOL_SIZE) -> npt.NDArray[np.intp]:
    """Positions (into the candidates) of the best ``size`` scores, best first."""
    count = len(candidates)
    part = np.argpartition(-candidates.score, size - 1)[:size] if count > size else np.arange(count)
    order: npt.NDArray[np.intp] = part[np.argsort(-candidates.score[part], kind="stable")]
    return order
