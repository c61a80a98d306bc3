"""The one ranking formula every search backend implements.

For a listing that matched a query::

    score = W_TEXT  · text(raw)                      # how well the concepts match
          + W_WORDS · words                          # BM25 of the words as typed
          + W_GEO   · geo                            # how close it is
          + W_FRESH · freshness(last_verified_on)    # how recently someone checked it

    text       = T_RAW    · raw / (raw + K)   BM25-style relevance, saturated
               + T_COVER  · coverage         how much of the query it covers
               + T_ALL    · all_typed        1 if every concept matched as typed
               + T_PHRASE · phrase           1 if it has the typed words as one phrase
                                          (T_* add up to 1, so text is in [0, 1]).
                                          No query words: text = 0 for every listing.

A listing is retrieved when it mentions *any* concept of the query (after filler
words are dropped; see ``search.query``), like Elasticsearch's ``bool.should`` with
``minimum_should_match: 1``. Per concept c of the n concepts:

    e(c)       = 1 when the word as typed (or spell-corrected) matched,
               = EXPANDED when only a synonym of it did, 0 when neither.
    coverage   = Σ e(c) / n               a share of concepts, as minimum_should_match
                                          counts clauses.
    all_typed  = 1 when e(c) = 1 for every c.
    raw        = the engine's relevance, with a synonym's match scaled by EXPANDED
                 (> 0), and K that engine's "typical" raw score (raw/(raw+K) = 0.5).

So a listing covering every concept outranks one covering some: W_TEXT · (T_COVER/n
+ T_ALL) is more than distance can add inside the radius (W_GEO · 0.5) for queries
of up to 5 concepts, unless the words part below favours the other listing. A word
as typed outranks its synonym the same way ("badminton" finds badminton clubs
before nearer sports clubs); among equal matches the nearer listing wins.

    words      = bm25 / (bm25 + WORDS_K)  plain Okapi BM25 (``directory.bm25``) of every
                                          word typed, filler included ("someone to
                                          talk to"), over the listing's title,
                                          summary, description and organisation.
                                          Filler never retrieves a listing (only a
                                          concept does); here it is evidence among the
                                          listings retrieved, weighed by its IDF, as
                                          plain BM25 weighs it. The database backend
                                          gives it to the first listings by the rest
                                          of the score (five pages, at most 100) and
                                          re-ranks them (``search.backends.database
                                          .words``); Elasticsearch to every match.
                                          Measured in evaluation/SEARCH.md.
    geo        = gauss(d) = DECAY ** ((d / radius) ** 2)
                                          d = miles to the nearest venue within the
                                          radius: 1 at the door, 0.5 at the radius edge.
               = COVERS_AREA_GEO          when it matched only by covering the area
                                          (national, a GSS area, or a radius round its
                                          base); less than any in-radius venue, so a
                                          nearby venue always outranks "covers your area".
               = 0                        when no location was given.
    freshness  = 0.5 ** (age_days / FRESH_HALF_LIFE_DAYS)
               = 0                        if never verified, or verified before
                                          ``directory.reviews.stale_before(today)``
                                          (stale: past its review date and grace).

Freshness reads only ``last_verified_on`` (all the index holds): a listing never
confirmed gets 0 whatever its publication date, though ``directory.reviews`` starts
its review clock at first publication. A stale listing ranks lower, never hidden.

``raw`` and ``K``: SQLite uses a BM25F-style concept score (for each query concept,
its IDF × e(c) × (1 + weight of the best column containing it); see
``search.backends.database.sqlite.rank_terms``) with ``K = FTS5_K``; PostgreSQL
sums ``ts_rank()`` per concept (a synonym's × EXPANDED) with ``K = POSTGRES_K``;
Elasticsearch sums per concept a ``dis_max`` of the typed word (boost 1) and its
synonyms (boost EXPANDED) and applies ``_score / (_score + ES_K)`` in a
``script_score`` function; coverage, all_typed and phrase are filtered constant
``weight`` functions, and the gauss and exp decays ``function_score`` functions too
(``score_mode: sum``, ``boost_mode: replace``).

Ties break on page id, so pagination is stable. ``sort="distance"`` orders by the
nearest venue, then listings that only cover the area, each group by score.
"""

from __future__ import annotations

import datetime as dt

from directory import reviews

# The geo part is the directory's one nearness rule, shared with the ORUK API's
# postcode ordering; re-exported here as part of the formula above.
from directory.proximity import COVERS_AREA_GEO as COVERS_AREA_GEO
from directory.proximity import DECAY as DECAY
from directory.proximity import gauss_decay as gauss_decay
from directory.proximity import geo_component as geo_component

# Concepts, distance and freshness keep their old ratios (6 : 3 : 1); BM25 of the
# words as typed weighs as much as the concepts.
W_TEXT = 0.375
W_WORDS = 0.375
W_GEO = 0.1875
W_FRESH = 0.0625

FRESH_HALF_LIFE_DAYS = 365

#: Parts of the text score (they add up to 1).
T_RAW = 0.4
T_COVER = 0.3
T_ALL = 0.2
T_PHRASE = 0.1
#: What a synonym's match counts for, against 1 for the word typed.
EXPANDED = 0.5

#: BM25 of the typed words at which ``words`` is 0.5.
WORDS_K = 5.0

FTS5_K = 8.0
POSTGRES_K = 0.3
ES_K = 8.0


def text_component(
    raw: float | None, k: float, coverage: float = 1.0, all_typed: bool = True, phrase: bool = False
) -> float:
    """The ``text`` part above, or 0 when there was no text query (``raw`` is None)
    or nothing matched."""
    if raw is None or raw <= 0 or coverage <= 0:
        return 0.0
    return (
        T_RAW * raw / (raw + k)
        + T_COVER * min(coverage, 1.0)
        + (T_ALL if all_typed else 0.0)
        + (T_PHRASE if phrase else 0.0)
    )


def coverage_of(levels: list[float] | tuple[float, ...]) -> tuple[float, bool]:
    """(coverage, all_typed) from each concept's e(c): 1, EXPANDED or 0."""
    if not levels:
        return 0.0, False
    return sum(levels) / len(levels), all(level >= 1.0 for level in levels)


def freshness(last_verified_on: dt.date | None, today: dt.date) -> float:
    if last_verified_on is None or last_verified_on < reviews.stale_before(today):
        return 0.0
    age = max(0, (today - last_verified_on).days)
    return float(0.5 ** (age / FRESH_HALF_LIFE_DAYS))


def words_component(bm25: float) -> float:
    """The ``words`` part above from a listing's BM25 of the typed words."""
    return bm25 / (bm25 + WORDS_K) if bm25 > 0 else 0.0


def score(text: float, geo: float, fresh: float, words: float = 0.0) -> float:
    """Combine the normalised parts (each already in [0, 1])."""
    return W_TEXT * text + W_WORDS * words + W_GEO * geo + W_FRESH * fresh
