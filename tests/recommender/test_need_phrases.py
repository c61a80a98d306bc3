"""A need's phrases are edited in one place: its concept in the lexicon.

Search expands a resident's words with a concept's phrases, and the recommender
matches a need with the listing-say phrases of the concept of the same code; a need
has no keywords of its own (an interest, which has no concept, keeps them).
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from recommender.models import MappingKind, NeedMapping
from recommender.needs import specs_from_db
from vocabulary.models import Concept, ConceptPhrase, LexiconState, Side

pytestmark = pytest.mark.django_db


def need(code: str) -> object:
    needs, _ = specs_from_db()
    return next(spec for spec in needs if spec.code == code)


def test_a_phrase_added_to_the_concept_reaches_the_need() -> None:
    assert NeedMapping.objects.filter(kind=MappingKind.NEED).exclude(keywords="").count() == 0
    concept = Concept.objects.get(slug="food")
    assert "soup and sandwich run" not in need("food").phrases  # type: ignore[attr-defined]
    ConceptPhrase.objects.create(concept=concept, text="soup and sandwich run", side=Side.LISTINGS)
    assert "soup and sandwich run" in need("food").phrases  # type: ignore[attr-defined]
    # People-say phrases are search's: a resident ticks a need rather than typing.
    ConceptPhrase.objects.create(concept=concept, text="skint this week", side=Side.PEOPLE)
    assert "skint this week" not in need("food").phrases  # type: ignore[attr-defined]


def test_a_need_cannot_be_given_keywords_of_its_own_but_an_interest_can() -> None:
    food = NeedMapping.objects.get(code="food")
    food.keywords = "soup run"
    with pytest.raises(ValidationError) as raised:
        food.full_clean()
    assert "Concepts" in str(raised.value.message_dict["keywords"])
    interest = NeedMapping.objects.filter(kind=MappingKind.INTEREST).first()
    assert interest is not None
    interest.keywords = "knitting, sewing"
    interest.full_clean()


def test_the_migration_moves_a_needs_own_words_to_its_concept() -> None:
    migration = importlib.import_module("recommender.migrations.0005_need_phrases_live_on_concepts")
    NeedMapping.objects.filter(code="food").update(keywords="soup run, Food Bank;  hot dinners")
    NeedMapping.objects.create(code="brand-new", label="Something new", kind="need", keywords="x y")
    before = LexiconState.objects.get(pk=1).version if LexiconState.objects.exists() else 0
    migration.move_need_keywords(apps, None)
    food = Concept.objects.get(slug="food")
    texts = [p.text for p in food.phrases.all()]
    assert "soup run" in texts and "hot dinners" in texts
    assert sum(t.casefold() == "food bank" for t in texts) == 1  # already there: not twice
    assert list(Concept.objects.get(slug="brand-new").phrases.values_list("text", flat=True)) == [
        "x y"
    ]
    assert not NeedMapping.objects.filter(kind="need").exclude(keywords="").exists()
    assert LexiconState.objects.get(pk=1).version > before
    assert "soup run" in need("food").phrases  # type: ignore[attr-defined]
