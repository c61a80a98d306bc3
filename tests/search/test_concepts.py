"""The concept lexicon as search uses it: an edit in the admin changes results at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cms.workflows.roles import Role
from search.query import SearchQuery
from tests.vocabulary.admin import concept_edit_form
from vocabulary.models import Concept, Side

from .conftest import BH1, ids, miles_north


def run(backend: Any, text: str) -> Any:
    return backend.search(SearchQuery(text=text, location=BH1))


def test_a_phrase_added_in_the_admin_finds_listings_through_its_concept(
    search_backend: Any, make_listing: Any, client: Any, make_user: Any
) -> None:
    knit = make_listing("Knit and Natter", summary="Bring your needles.", venue=miles_north(1))
    make_listing("Bike repair workshop", venue=miles_north(0.5))
    assert ids(run(search_backend, "woolly hats")) == []

    client.force_login(make_user(Role.COUNCIL_MODERATOR))
    concept = Concept.objects.get(slug="arts-crafts")
    response = client.post(
        reverse("wagtailsnippets_vocabulary_concept:edit", args=[concept.pk]),
        concept_edit_form(concept, add=(("woolly hats", Side.PEOPLE),)),
    )
    assert response.status_code == 302, response.content[:2000]
    assert concept.phrases.filter(text="woolly hats").exists()
    assert concept.revisions.count() == 1  # each edit is kept

    results = run(search_backend, "woolly hats")
    assert ids(results) == [knit.pk]  # through the concept's "knit and natter"
    assert "knit and natter" in results.expanded_terms


def test_an_expanded_word_counts_for_less_than_the_word_typed(
    search_backend: Any, make_listing: Any
) -> None:
    # "cuppa" is a people-say phrase of the community café concept.
    typed = make_listing("Cuppa and a catch-up", venue=miles_north(2.5))
    expanded = make_listing("Community cafe", venue=miles_north(0.2))
    assert ids(run(search_backend, "cuppa")) == [typed.pk, expanded.pk]


@pytest.mark.django_db
def test_a_category_edit_also_renews_the_lexicon(search_backend: Any, make_listing: Any) -> None:
    from directory.models import TaxonomyTerm

    shed = make_listing("Tinkerers' workshop", venue=miles_north(1), terms=["mens-sheds"])
    assert ids(run(search_backend, "bodging")) == []
    term = TaxonomyTerm.objects.get(code="mens-sheds")
    term.synonyms += "\nbodging"
    term.save()
    assert ids(run(search_backend, "bodging")) == [shed.pk]
