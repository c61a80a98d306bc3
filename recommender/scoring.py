"""The transparent scorer: hard constraints, need and interest match, distance decay.

For each listing that passes every hard constraint (cost, times, access, age, way
of taking part, travel distance, area served):

* each named need scores ``0.8 * text + 0.2 * category`` where *text* is the BM25
  score of the need's own words (label and keywords) in the listing's own title and
  description (scaled so the best feasible listing scores 1) and *category* is 1
  when the listing is in one of the need's categories. The category is evidence,
  but weaker than what the listing says about itself: every warm space is filed
  under several broad categories;
* relevance is the best need score, plus a quarter of the mean of the others
  (serving two needs at once is worth a little more), plus 1.0 x interest match
  (BM25 of the chosen interests' words and the person's own words, scaled the same);
* the score is ``relevance x (0.4 + 0.6 x proximity)``, where proximity is a gauss
  decay of distance with sigma = travel distance / 1.5 (0.8 for remote-only
  matches), and x 0.85 when the person gave times and the listing's are unknown.

``diversify`` then picks from the top of that ranking (see its docstring).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from geography.distance import haversine_miles_array
from recommender.artefacts import Artefacts
from recommender.features import BY_PHONE, IN_PERSON, ONLINE, analyse
from recommender.needs import NeedSpec
from recommender.query import Query

#: A need counts as served (for explanations, coverage and diversity) when the
#: listing is in one of its categories or its text evidence reaches this score.
SERVES = 0.5
POOL_SIZE = 150
REMOTE_PROXIMITY = 0.8
UNKNOWN_TIMES_FACTOR = 0.85


@dataclass(frozen=True)
class Weights:
    """The scorer's weights, in one place so they can be tuned on training personas.

    Chosen on the training half of the evaluation personas only (evaluation/RECOMMENDER.md);
    the first version's weights were category 0.5, evidence 0, interest 0.35.
    """

    category: float = 0.2  # need score = (1 - category) x text + category x in-category
    evidence: float = 1.0  # text = (1 - evidence) x TF-IDF cosine + evidence x own-words BM25
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
    serves: npt.NDArray[np.bool_]  # needs x listings: see SERVES
    need_text: npt.NDArray[np.float64]
    need_category: npt.NDArray[np.float64]
    interest: npt.NDArray[np.float64]
    proximity: npt.NDArray[np.float64]
    miles: npt.NDArray[np.float64]
    remote_only: npt.NDArray[np.bool_]
    needs: list[NeedSpec] = field(default_factory=list)

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


def feasible(art: Artefacts, query: Query) -> tuple[npt.NDArray[np.bool_], Any, Any]:
    """(mask of listings passing every hard constraint, miles, remote-only mask)."""
    mask = np.ones(len(art), dtype=bool)
    if query.free_only:
        mask &= art.is_free
    if query.age_band is not None:
        low, high = query.age_band
        mask &= ~((art.min_age >= 0) & (art.min_age > high))
        mask &= ~((art.max_age >= 0) & (art.max_age < low))
    if query.access:
        mask &= (art.access & query.access) == query.access
    wanted = query.wanted_slots()
    if wanted:
        # Unknown times are kept (and marked down): many listings give times only in words.
        mask &= ~art.has_schedule | ((art.slots & wanted) != 0)
    if query.has_origin:
        assert query.lat is not None and query.lon is not None
        miles = haversine_miles_array(query.lat, query.lon, art.lat, art.lon)
    else:
        miles = np.full(len(art), np.nan)
    in_person = ((art.modes & IN_PERSON) != 0) & bool(query.modes & IN_PERSON)
    if query.has_origin:
        in_person &= np.isfinite(miles)
        if query.max_miles is not None:
            in_person &= np.nan_to_num(miles, nan=np.inf) <= query.max_miles
    remote = (art.modes & (query.modes & (BY_PHONE | ONLINE))) != 0
    mask &= in_person | remote
    if query.area_codes and art.coverage:
        for idx, codes in art.coverage.items():
            if mask[idx] and codes.isdisjoint(query.area_codes):
                mask[idx] = False
    return mask, miles, remote & ~in_person


def need_text(spec: NeedSpec, art: Artefacts) -> str:
    """A need's query words: its label, keywords and its categories' names and synonyms."""
    return " ".join(
        [spec.label, spec.keywords, *(art.term_words.get(c, "") for c in spec.term_codes)]
    )


def evidence_text(spec: NeedSpec) -> str:
    """A need's own words for BM25 evidence: label and keywords, not its categories' names."""
    return f"{spec.label} {spec.keywords}"


def bm25_scores(art: Artefacts, texts: list[str]) -> npt.NDArray[np.float64]:
    """BM25 of each text's distinct words against each listing's own words (texts x listings)."""
    vocabulary = art.vectorizer.vocabulary_
    data_rows, data_cols = [], []
    for row, text in enumerate(texts):
        for column in {vocabulary[t] for t in analyse(text) if t in vocabulary}:
            data_rows.append(row)
            data_cols.append(column)
    query = sparse.csr_matrix(
        (np.ones(len(data_rows), dtype=np.float32), (data_rows, data_cols)),
        shape=(len(texts), len(vocabulary)),
    )
    result: npt.NDArray[np.float64] = (query @ art.own_t).toarray().astype(np.float64)
    return result


def _scaled(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Each row divided by its maximum, so the best listing scores 1."""
    top = values.max(axis=1, keepdims=True) if values.size else values
    return np.divide(values, top, out=np.zeros_like(values), where=top > 0)


def interest_text(query: Query, interests: list[NeedSpec]) -> str:
    chosen = [spec for spec in interests if spec.code in query.interests]
    return " ".join([*(f"{s.label} {s.keywords}" for s in chosen), query.interest_text]).strip()


def score(
    art: Artefacts,
    query: Query,
    needs: list[NeedSpec],
    interests: list[NeedSpec],
    weights: Weights = DEFAULT_WEIGHTS,
) -> Candidates:
    """Score every feasible listing with any evidence for a need or an interest."""
    w = weights
    mask, miles, remote_only = feasible(art, query)
    index = np.flatnonzero(mask)
    by_code = {spec.code: spec for spec in needs}
    chosen = [by_code[code] for code in query.needs if code in by_code]
    texts = [need_text(spec, art) for spec in chosen]
    wanted_interest = interest_text(query, interests)
    rows = [*texts, wanted_interest] if wanted_interest else texts
    n_needs = len(chosen)
    if index.size and rows:
        # Query words x listings via the transposed matrix: only the posting lists of
        # the query's own words are touched, which keeps this fast at 100k listings.
        sims = np.zeros((len(rows), index.size))
        if w.evidence < 1:
            cosine = (art.vectorizer.transform(rows) @ art.matrix_t).toarray()[:, index]
            sims += (1 - w.evidence) * _scaled(cosine)
        if w.evidence > 0:
            own = [evidence_text(spec) for spec in chosen]
            own = [*own, wanted_interest] if wanted_interest else own
            sims += w.evidence * _scaled(bm25_scores(art, own)[:, index])
    else:
        sims = np.zeros((len(rows), index.size))
    text = sims[:n_needs]
    category = np.zeros((n_needs, index.size))
    for row, spec in enumerate(chosen):
        cols = [art.term_index[c] for c in spec.term_codes if c in art.term_index]
        if cols and index.size:
            in_terms = np.asarray(art.terms_t[cols].sum(axis=0)).ravel()
            category[row] = in_terms[index] > 0
    need_scores = (1 - w.category) * text + w.category * category
    interest = sims[n_needs] if wanted_interest else np.zeros(index.size)
    serves = (category > 0) | (text >= SERVES)
    if n_needs:
        best = need_scores.max(axis=0)
        others = (need_scores.sum(axis=0) - best) / max(n_needs - 1, 1)
        # Interests rank listings that serve a named need; they never stand in for one.
        relevance = np.where(best > 0, best + w.others * others + w.interest * interest, 0.0)
    else:
        best = np.zeros(index.size)
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
    )


def top_pool(candidates: Candidates, size: int = POOL_SIZE) -> npt.NDArray[np.intp]:
    """Positions (into the candidates) of the best ``size`` scores, best first."""
    count = len(candidates)
    part = np.argpartition(-candidates.score, size - 1)[:size] if count > size else np.arange(count)
    order: npt.NDArray[np.intp] = part[np.argsort(-candidates.score[part], kind="stable")]
    return order
