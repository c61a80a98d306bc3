"""The recommender shares the concept lexicon: a need's phrases come from its concept."""

from __future__ import annotations

import pytest

from recommender.artefacts import build_artefacts
from recommender.features import TermVocab
from recommender.needs import specs_from_db
from recommender.query import Query
from recommender.recommend import suggest
from tests.recommender.conftest import BH1, record
from vocabulary.models import Concept, ConceptPhrase, Side

GRUB = "Grub hub: swap and share tins every Friday"


def food_suggestions() -> list[str]:
    needs, interests = specs_from_db()
    art = build_artefacts(
        [record(1, "Friday swap", GRUB), record(2, "Chess club", "Chess and draughts")],
        TermVocab.from_seed(),
    )
    query = Query(lat=BH1[0], lon=BH1[1], needs=("food",), max_miles=3.0)
    return [s.title for s in suggest(art, query, needs, interests).suggestions]


@pytest.mark.django_db
def test_a_phrase_added_to_a_need_concept_serves_that_need() -> None:
    assert food_suggestions() == []  # nothing in the listing is a food phrase yet
    concept = Concept.objects.get(slug="food")
    ConceptPhrase.objects.create(concept=concept, text="grub hub", side=Side.LISTINGS)
    assert food_suggestions() == ["Friday swap"]


@pytest.mark.django_db
def test_a_concept_phrase_still_matches_only_as_a_whole() -> None:
    concept = Concept.objects.get(slug="food")
    # The listing has "tins" but not "tins of soup": a phrase never matches word by word.
    ConceptPhrase.objects.create(concept=concept, text="tins of soup", side=Side.LISTINGS)
    needs, _ = specs_from_db()
    assert "tins of soup" in next(spec for spec in needs if spec.code == "food").phrases
    assert food_suggestions() == []
    ConceptPhrase.objects.create(concept=concept, text="share tins", side=Side.LISTINGS)
    assert food_suggestions() == ["Friday swap"]


@pytest.mark.django_db
def test_people_say_phrases_are_for_search_only() -> None:
    # A resident ticks a need rather than typing it: the recommender matches listings
    # with the words listings use, never with what people type.
    concept = Concept.objects.get(slug="food")
    ConceptPhrase.objects.create(concept=concept, text="grub hub", side=Side.PEOPLE)
    assert food_suggestions() == []


@pytest.mark.django_db
def test_interests_take_no_concept_phrases() -> None:
    _, interests = specs_from_db()
    assert all(spec.concept_phrases == () for spec in interests)
