"""Honest suggestions: needs served only at phrase level, others apart, relaxations said."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from recommender.artefacts import build_artefacts
from recommender.features import ACCESS_BITS, TermVocab
from recommender.needs import specs_from_seed, split_phrases
from recommender.phrases import phrase_columns, phrase_hits
from recommender.query import Query
from recommender.recommend import NOT_MATCHED, suggest
from tests.recommender.conftest import BH1, record

NEEDS, INTERESTS = specs_from_seed()
BY_CODE = {spec.code: spec for spec in NEEDS + INTERESTS}
MEAL = "Community lunch: a hot two course meal every week"
DANCE = "Beginners dance course: ten weeks of ballroom steps"


def run(records, **query):
    art = build_artefacts(records, TermVocab.from_seed())
    defaults = {"lat": BH1[0], "lon": BH1[1], "needs": ("food",), "max_miles": 3.0}
    return suggest(art, Query(**{**defaults, **query}), NEEDS, INTERESTS)


def test_keywords_are_comma_separated_phrases_of_content_words():
    assert split_phrases("hot meal,  two course meal;food bank\n") == [
        "hot meal",
        "two course meal",
        "food bank",
    ]
    assert phrase_columns("two course meal") == ("two course", "course meal")
    assert phrase_columns("cost of living") == ("cost liv",)  # stop words may sit between
    assert phrase_columns("lunches") == ("lunch",)
    for spec in NEEDS + INTERESTS:
        assert spec.phrases, spec.code
        # A phrase made only of stop words ("out and about") could never match anything.
        assert all(phrase_columns(p) for p in spec.phrases), spec.code


def test_a_phrase_matches_only_with_its_words_together():
    art = build_artefacts(
        [record(1, "Lunch", MEAL), record(2, "Dance", DANCE), record(3, "Meal and two courses")],
        TermVocab.from_seed(),
    )
    found = phrase_hits(art, ["two course meal"])
    assert found[0] > 0
    assert found[1] == 0  # "course" alone is not "two course meal"
    assert found[2] == 0  # all the words, but not together


def test_a_dance_course_is_never_a_food_suggestion():
    found = run([record(1, "Community lunch", MEAL), record(2, "Dance class", DANCE)])
    assert [s.title for s in found.suggestions] == ["Community lunch"]
    assert found.suggestions[0].reasons[0] == BY_CODE["food"].reason
    # Nearby, but serving no need: only under its own heading, and said so.
    assert [s.title for s in found.others] == ["Dance class"]
    assert found.others[0].reasons[0] == NOT_MATCHED
    assert found.others[0].needs_served == []


def test_no_slot_is_filled_with_a_listing_that_serves_no_need():
    records = [record(1, "Community lunch", MEAL)] + [
        record(10 + i, f"Chess club {i}", "Chess and draughts for all ages") for i in range(12)
    ]
    found = run(records, needs=("food",))
    assert [s.title for s in found.suggestions] == ["Community lunch"]
    assert len(found.others) == 7  # the rest of the eight slots, apart
    assert all(s.reasons[0] == NOT_MATCHED for s in found.others)


def test_each_suggestion_names_the_need_it_is_shown_for():
    records = [
        record(1, "Community lunch", MEAL),
        record(2, "Memory cafe", "A memory cafe for people living with dementia"),
        record(3, "Computer help", "Help with tablets and getting online"),
    ]
    found = run(records, needs=("food", "memory", "digital"))
    groups = {group.code: [s.title for s in group.suggestions] for group in found.groups()}
    assert groups == {
        "food": ["Community lunch"],
        "memory": ["Memory cafe"],
        "digital": ["Computer help"],
    }
    for suggestion in found.suggestions:
        assert suggestion.need in suggestion.needs_served
        assert suggestion.reasons[0] == BY_CODE[suggestion.need].reason


def test_days_are_relaxed_for_an_empty_need_and_the_note_says_so():
    records = [
        record(1, "Tuesday lunch", MEAL, days="TU"),
        record(2, "Friday memory cafe", "A memory cafe, Fridays", days="FR"),
    ]
    found = run(records, needs=("food", "memory"), days=(1,), free_only=True, max_miles=2.0)
    by_title = {s.title: s for s in found.suggestions}
    assert by_title["Tuesday lunch"].relaxed == ()
    cafe = by_title["Friday memory cafe"]
    assert cafe.relaxed == ("times",)
    assert "Not at the days or times you chose" in cafe.reasons
    assert found.notes == {
        "memory": "Nothing free on Tuesdays within 2 miles for \u201cMemory or dementia\u201d. "
        "These are the nearest free ones within 2 miles on any day."
    }
    assert "food" not in found.notes


def test_free_only_with_no_cost_information_says_what_it_relaxed():
    # Most imported listings never say whether they are free.
    found = run([record(1, "Lunch club", MEAL, is_free=False)], free_only=True)
    assert [s.title for s in found.suggestions] == ["Lunch club"]
    assert found.suggestions[0].relaxed == ("cost",)
    assert "Does not say it is free: check the cost" in found.suggestions[0].reasons
    assert "that do not say they are free" in found.notes["food"]


def test_distance_and_access_are_relaxed_last_and_said_on_each_suggestion():
    far = record(1, "Far lunch", MEAL, miles=6)
    found = run([far], access=ACCESS_BITS["hearing_loop"])
    suggestion = found.suggestions[0]
    assert suggestion.relaxed == ("distance", "access")
    assert "Further than 3 miles" in suggestion.reasons
    assert "Does not say it has a hearing loop" in suggestion.reasons
    assert found.notes["food"].startswith("Nothing within 3 miles with a hearing loop")


@pytest.mark.django_db
def test_migration_turns_seeded_words_into_phrases_and_keeps_edited_words():
    from recommender.models import NeedMapping

    migration = importlib.import_module("recommender.migrations.0004_keyword_phrases")
    NeedMapping.objects.filter(code="food").update(keywords=migration.OLD_SEED["food"])
    NeedMapping.objects.filter(code="memory").update(keywords="dementia  memory cafe")
    migration.to_phrases(apps, None)
    assert NeedMapping.objects.get(code="food").keywords == BY_CODE["food"].keywords
    assert NeedMapping.objects.get(code="memory").keywords == "dementia, memory, cafe"


@pytest.mark.django_db
def test_results_page_groups_by_need_explains_relaxing_and_keeps_others_apart(
    client, make_listing, answer
):
    make_listing("Tuesday Lunch Club", MEAL, byday="TU")
    make_listing("Friday Memory Cafe", "A memory cafe for people living with dementia", byday="FR")
    make_listing("Chess Club", "Chess and draughts", byday="TU")
    answer(needs=["food", "memory"], days=["1"])
    page = client.get("/what-matters/results/").content.decode()
    food = page.index("Food and eating well</h2>")
    memory = page.index("Memory or dementia</h2>")
    others = page.index("Other things near you</h2>")
    assert food < page.index("Tuesday Lunch Club") < memory
    assert memory < page.index("Nothing on Tuesdays within 3 miles for") < others
    assert memory < page.index("Friday Memory Cafe") < others
    assert others < page.index("Chess Club")
    assert "Near you, but not matched to what you chose" in page
    plan = client.get(client.post("/what-matters/save/")["Location"]).content.decode()
    assert plan.index("For Food and eating well") < plan.index("Tuesday Lunch Club")
    assert plan.index("For Memory or dementia") < plan.index("Friday Memory Cafe")
    assert plan.index("Other things near you") < plan.index("Chess Club")
