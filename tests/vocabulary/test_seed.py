"""The seeded lexicon: every need and type of service the issue names, in words that
can match a query, enriched from the shared LGA and Open Eligibility lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.query import MAX_PHRASE_WORDS, content_words
from vocabulary.models import Concept, ConceptKind, Side
from vocabulary.seed import seed_concepts

#: Issue 12: "Cover needs (money, food, mood, loneliness, bereavement, caring, memory,
#: mobility, getting out, digital, housing, learning, health) and service types
#: (pharmacy, GP, library, care home, day centre, food bank, lunch club, men's shed,
#: befriending, advocacy...)", by the concept's slug.
NEEDS = {
    "money": "money",
    "food": "food",
    "mood": "wellbeing",
    "loneliness": "meet-people",
    "bereavement": "bereavement",
    "caring": "caring",
    "memory": "memory",
    "mobility": "mobility",
    "getting out": "getting-out",
    "digital": "digital",
    "housing": "housing",
    "learning": "learning",
    "health": "health",
}
SERVICES = {
    "pharmacy": "pharmacy",
    "GP": "gp",
    "library": "library",
    "care home": "care-home",
    "day centre": "day-centre",
    "food bank": "food-bank",
    "lunch club": "lunch-club",
    "men's shed": "mens-shed",
    "befriending": "befriending",
    "advocacy": "advocacy",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "slug", "kind"),
    [(k, v, ConceptKind.NEED) for k, v in NEEDS.items()]
    + [(k, v, ConceptKind.SERVICE) for k, v in SERVICES.items()],
)
def test_migration_seeds_every_listed_need_and_service(label: str, slug: str, kind: str) -> None:
    concept = Concept.objects.get(slug=slug)
    assert concept.kind == kind, label
    people = concept.phrases.filter(side=Side.PEOPLE)
    assert people.count() >= 3, label  # the everyday words people use for it
    assert concept.phrases.filter(side=Side.LISTINGS).exists(), label
    assert concept.taxonomy_terms.exists(), label


def test_every_people_phrase_can_match_a_query() -> None:
    # A query is looked up by its content words, at most three at a time: a phrase
    # of only stop words, or longer than that, could never match anything.
    for seed in seed_concepts(None):
        for phrase in seed.people:
            assert 1 <= len(content_words(phrase)) <= MAX_PHRASE_WORDS, (seed.slug, phrase)


def test_shared_lists_enrich_the_seed_and_their_absence_leaves_the_core(
    settings: object, tmp_path: Path
) -> None:
    shared = Path(settings.DIRECTORY_SHARED_DATA)  # type: ignore[attr-defined]
    if not (shared / "taxonomies" / "lga_services_list.csv").is_file():
        pytest.skip("no shared LGA Services List here")
    enriched = {c.slug: c for c in seed_concepts(shared)}
    core = {c.slug: c for c in seed_concepts(tmp_path)}  # an empty folder: no shared data
    assert enriched.keys() == core.keys()
    # LGSL 1818 is "Food banks"; Open Eligibility 20022 is "Limited Mobility".
    assert "Food banks" in enriched["food-bank"].listings
    assert "Food banks" not in core["food-bank"].listings
    assert "Limited Mobility" in enriched["mobility"].people
    assert "Limited Mobility" not in core["mobility"].people
    assert all(core[slug].people for slug in core)


@pytest.mark.django_db
def test_self_assessment_needs_each_have_a_concept() -> None:
    from recommender.needs import specs_from_seed, split_phrases

    needs, _ = specs_from_seed()
    for need in needs:
        concept = Concept.objects.get(slug=need.code)
        assert concept.kind == ConceptKind.NEED
        # The need's own keywords were seeded into its concept: one home from now on.
        texts = {p.text.casefold() for p in concept.phrases.all()}
        assert {p.casefold() for p in split_phrases(need.keywords)} <= texts, need.code
