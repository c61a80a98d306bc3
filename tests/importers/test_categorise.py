"""Assigning seeded taxonomy terms from listing text."""

from __future__ import annotations

import pytest

from importers.parsing.categorise import Categoriser


@pytest.fixture
def categoriser(db: None) -> Categoriser:
    return Categoriser.from_db()


@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        ("Allendale over 50s Lunch Club", "A two course meal", {"lunch-clubs"}),
        ("Boscombe Library", "books and free wifi", {"libraries"}),
        ("Joy Café", "", {"community-cafes"}),
        ("United Church", "A warm welcome for all", {"faith-groups"}),
        ("Strouden Park Community Centre", "", {"community-centres"}),
    ],
)
def test_terms_from_text(categoriser, title, description, expected) -> None:
    codes = set(categoriser.codes_for(title, description, always=("warm-spaces",)))
    assert expected <= codes
    assert "warm-spaces" in codes


def test_child_terms_replace_their_parent(categoriser) -> None:
    codes = categoriser.codes_for("St Mary's Church", "")
    assert "faith-groups" in codes and "faith-and-culture" not in codes


def test_words_match_whole_words_only(categoriser) -> None:
    assert categoriser.codes_for("Librarian training", "Scafell cafeteria") == []


def test_ids_are_term_primary_keys(categoriser) -> None:
    from directory.models import TaxonomyTerm

    ids = categoriser.ids_for("Lunch club")
    assert set(TaxonomyTerm.objects.filter(pk__in=ids).values_list("code", flat=True)) == {
        "lunch-clubs"
    }
