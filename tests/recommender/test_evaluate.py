"""The evaluation's metrics and baselines on tiny hand-made examples: a table to trust."""

from __future__ import annotations

import math
import re

import pytest

from directory.text import fold
from evaluation import personas
from evaluation.personas import Persona
from evaluation.recommender import Methods, coverage_at, metrics, ndcg_at, precision_at
from recommender.artefacts import build_artefacts
from recommender.features import TermVocab
from recommender.needs import specs_from_seed
from recommender.query import Query
from tests.recommender.conftest import BH1, record


def persona(relevance: dict[int, int], served: dict[int, frozenset[str]] | None = None, **query):
    defaults = {"lat": BH1[0], "lon": BH1[1], "needs": ("food", "money", "digital")}
    q = Query(**{**defaults, **query})
    return Persona("test", q, list(q.needs), list(q.interests), relevance, served or {})


def test_precision_counts_relevant_listings_in_the_top_k_and_gaps_as_misses():
    p = persona({1: 2, 3: 1, 7: 1})
    assert precision_at([1, 2, 3, 4, 5, 6], p) == pytest.approx(2 / 5)
    assert precision_at([7, 3, 1], p) == pytest.approx(3 / 5)  # a short list: gaps are misses
    assert precision_at([7, 3, 1], p, k=3) == 1.0
    assert precision_at([], p) == 0.0


def test_ndcg_uses_graded_gains_a_log_discount_and_the_ideal_order():
    p = persona({1: 2, 3: 1, 7: 1})
    # ranked gains [1, 2, 0]; ideal gains [2, 1, 1]
    dcg = 1 / math.log2(2) + 2 / math.log2(3)
    ideal = 2 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at([3, 1, 9], p) == pytest.approx(dcg / ideal)
    assert ndcg_at([1, 3, 7], p) == pytest.approx(1.0)
    assert ndcg_at([1, 7, 3, 4], p) == pytest.approx(1.0)  # ties in grade: any order is ideal
    assert ndcg_at([9, 8], p) == 0.0
    assert ndcg_at([1], persona({})) == 0.0  # nothing relevant: defined as 0, not an error
    # The cut-off: a relevant listing below rank k earns nothing.
    assert ndcg_at([9, 1], p, k=1) == 0.0


def test_need_coverage_counts_needs_served_by_relevant_listings_in_the_top_k():
    served = {1: frozenset({"food"}), 3: frozenset({"food", "money"})}
    p = persona({1: 1, 3: 2}, served)
    assert coverage_at([1, 2, 3], p) == pytest.approx(2 / 3)
    assert coverage_at([1], p) == pytest.approx(1 / 3)
    assert coverage_at([2, 4, 5, 6, 8, 3], p) == 0.0  # listing 3 is sixth: outside the top 5
    assert coverage_at([2, 4, 5, 6, 8, 3], p, k=6) == pytest.approx(2 / 3)


def test_metrics_are_the_mean_over_personas():
    a = persona({1: 1}, {1: frozenset({"food"})})
    b = persona({2: 1}, {2: frozenset({"money", "digital"})})
    p5, nd, cov = metrics([[1], [9]], [a, b])
    assert p5 == pytest.approx((1 / 5 + 0) / 2)
    assert nd == pytest.approx((1.0 + 0.0) / 2)
    assert cov == pytest.approx((1 / 3 + 0) / 2)


def test_named_baselines_rank_every_listing_and_ignore_the_hard_constraints():
    records = [
        record(1, "Lunch club", "Hot lunch and food every week", miles=9, is_free=False),
        record(2, "Library", "Books and quiet space", miles=0.2),
        record(3, "Food bank", "Food bank and money advice", miles=1),
    ]
    art = build_artefacts(records, TermVocab.from_seed())
    needs, interests = specs_from_seed()
    texts = [fold(f"{r.title} {r.text}") for r in records]
    methods = Methods(art, texts, needs, interests)
    p = persona({}, needs=("food", "money"), max_miles=3.0, free_only=True)
    # Keyword only: every listing, most keywords first, even the far paid one.
    assert methods.keyword_only(p) == [2, 0, 1]
    # Nearest first: every listing by distance alone.
    assert methods.nearest(p) == [1, 2, 0]
    # The ablations apply the recommender's constraints (free, within 3 miles).
    assert methods.nearest_constrained(p) == [1, 2]
    assert methods.keyword_constrained(p) == [2]


def test_keyword_ties_keep_file_order():
    records = [record(i, f"Lunch club {i}", "lunch") for i in range(1, 5)]
    art = build_artefacts(records, TermVocab.from_seed())
    needs, interests = specs_from_seed()
    texts = [fold(f"{r.title} {r.text}") for r in records]
    assert Methods(art, texts, needs, interests).keyword_only(persona({}, needs=("food",))) == [
        0,
        1,
        2,
        3,
    ]


@pytest.mark.parametrize(
    ("table", "code", "text", "v1", "v2"),
    [
        ("need", "learning", "a delicious two course meal", True, False),
        ("need", "learning", "an art course for beginners", True, True),
        ("need", "learning", "please book in advance", True, False),
        ("need", "stay-active", "active from: 12/04/2022", True, False),
        ("need", "stay-active", "transport can be arranged", True, False),
        ("interest", "faith", "christchurch library", True, False),
        ("interest", "faith", "st peter's church", True, True),
        ("interest", "music", "socialising", True, False),
        ("interest", "music", "singing for the brain", True, True),
        ("interest", "cooking", "a home-cooked meal", True, False),
    ],
)
def test_label_fixes_stop_only_the_wrong_matches(table, code, text, v1, v2):
    new, old = (
        (personas.EVIDENCE, personas.EVIDENCE_V1)
        if table == "need"
        else (personas.INTEREST_EVIDENCE, personas.INTEREST_EVIDENCE_V1)
    )
    assert bool(re.search(old[code], text)) is v1
    assert bool(re.search(new[code], text)) is v2
