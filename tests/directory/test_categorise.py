"""The categoriser: which kinds of provision a listing is, from its words or its feed's
own categories (``directory.categorise``)."""

from __future__ import annotations

import pytest

from directory.categorise import Categoriser, FeedTerm, normalise
from directory.categorise_rules import RULES
from directory.taxonomy_seed import iter_seed_terms


@pytest.fixture
def categoriser(db: None) -> Categoriser:
    return Categoriser.from_db()


@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        ("Allendale over 50s Lunch Club", "A two course meal", {"lunch-clubs"}),
        ("Boscombe Library", "books and free wifi", {"libraries"}),
        ("Joy Café", "", {"community-cafes"}),
        ("United Church", "Sunday worship, then tea", {"faith-groups"}),
        ("Strouden Park Community Centre", "", {"community-centres"}),
        ("Hillside", "Our food bank is open on Fridays", {"food-banks"}),
        ("The Shed", "Men's sheds: woodwork and a brew", {"mens-sheds"}),
        ("Stay and Play", "For toddlers and their parents", {"families"}),
        ("Rowlands", "Your local pharmacy", {"pharmacies"}),
        ("Oak Lodge Care Home", "", {"care-homes"}),
        ("Ashley Road Surgery", "GP practice", {"gp-surgeries"}),
    ],
)
def test_terms_from_text(categoriser, title, description, expected) -> None:
    codes = set(categoriser.codes_for(title, description, always=("warm-spaces",)))
    assert expected <= codes
    assert "warm-spaces" in codes


def test_phrases_never_match_word_by_word(categoriser) -> None:
    # "two course meal" is a meal, not a course; "lunch" and "club" apart are not a lunch club.
    assert "learning" not in categoriser.codes_for("Dance night", "then a two course meal")
    assert "lunch-clubs" not in categoriser.codes_for("Book club", "we break for lunch at noon")
    assert categoriser.codes_for("Librarian training", "Scafell cafeteria") == []


def test_plurals_and_spelling_variants_match_the_same_phrase(categoriser) -> None:
    assert categoriser.codes_for("Lunch Clubs for all", "") == ["lunch-clubs"]
    assert "mens-sheds" in categoriser.codes_for("Mens Shed", "")
    assert "arts-and-crafts" in categoriser.codes_for("Knit & Natter", "")


def test_a_venue_named_in_the_text_is_not_what_the_listing_is(categoriser) -> None:
    codes = categoriser.codes_for("Chair yoga", "Held at the library and the community centre")
    assert codes == ["exercise-classes"]


def test_excluded_contexts_do_not_count(categoriser) -> None:
    assert categoriser.codes_for("Bring and share", "Donations for the food bank welcome") == []


def test_only_the_opening_of_a_long_description_is_read(categoriser) -> None:
    filler = "A friendly weekly gentle exercise class. " * 12
    assert categoriser.codes_for("Move more", filler + "We also run a food bank.") == [
        "exercise-classes"
    ]


def test_child_terms_replace_their_parent(categoriser) -> None:
    codes = categoriser.codes_for("St Mary's Church", "Bible study on Thursdays")
    assert "faith-groups" in codes and "faith-and-culture" not in codes


def test_a_more_specific_kind_wins_over_a_general_one(categoriser) -> None:
    codes = categoriser.codes_for("Tuesday lunch club", "A hot meal and a chat")
    assert codes == ["lunch-clubs"]


def test_ids_are_term_primary_keys(categoriser) -> None:
    from directory.models import TaxonomyTerm

    ids = categoriser.ids_for("Lunch club")
    assert set(TaxonomyTerm.objects.filter(pk__in=ids).values_list("code", flat=True)) == {
        "lunch-clubs"
    }


@pytest.mark.parametrize(
    ("feed_term", "expected"),
    [
        (FeedTerm(name="Food banks", lgsl_id="1818"), ["food-banks"]),  # our lga_service_id
        (FeedTerm(name="Adult residential care", lgsl_id="292"), ["care-homes"]),  # mapped
        (FeedTerm(name="Free Meals", taxonomy="Open Eligibility"), ["community-meals"]),
        (FeedTerm(name="Befriending services"), ["befriending"]),  # its name as words
    ],
)
def test_a_feeds_own_categories_map_onto_ours(categoriser, feed_term, expected) -> None:
    assert categoriser.codes_for("Service 1", "", feed_terms=[feed_term]) == expected


def test_the_feeds_categories_come_before_the_text(categoriser) -> None:
    codes = categoriser.codes_for(
        "Lunch club", "", feed_terms=[FeedTerm(name="Food banks", lgsl_id="1818")]
    )
    assert codes == ["food-banks"]


def test_a_councils_own_term_matches_on_its_name_and_synonyms(db: None) -> None:
    from directory.models import Taxonomy, TaxonomyTerm

    taxonomy = Taxonomy.objects.get(slug="community-assets")
    TaxonomyTerm.objects.create(
        taxonomy=taxonomy, code="repair-cafes", name="Repair cafés", synonyms="fix it\nhelp"
    )
    categoriser = Categoriser.from_db()
    assert "repair-cafes" in categoriser.codes_for("Fix It Saturday", "Bring broken toasters")
    assert "repair-cafes" not in categoriser.codes_for("Drop in", "Help with anything")


def test_every_rule_names_a_seed_term_and_every_phrase_has_words() -> None:
    codes = {item.code for item, _parent in iter_seed_terms()}
    assert set(RULES) <= codes
    for code, rule in RULES.items():
        for phrase in rule.phrases:
            assert normalise(phrase.removeprefix("title:")).strip(), code
        assert set(rule.unless) <= codes, code


def test_the_seed_covers_the_common_kinds_of_provision(db: None) -> None:
    from directory.models import TaxonomyTerm

    wanted = {
        "pharmacies", "gp-surgeries", "libraries", "care-homes", "day-services", "food-banks",
        "lunch-clubs", "mens-sheds", "befriending", "advocacy", "money-advice", "debt-advice",
        "housing-advice", "digital-skills", "bereavement", "carers", "dementia", "transport",
        "physical-activity", "learning", "mental-wellbeing", "community-meals", "families",
        "employment", "domestic-abuse", "drug-alcohol",
    }  # fmt: skip
    have = set(TaxonomyTerm.objects.values_list("code", flat=True))
    assert wanted <= have
