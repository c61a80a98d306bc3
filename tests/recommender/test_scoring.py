"""The transparent scorer: hard constraints, diversity and explanations (no database)."""

from __future__ import annotations

from recommender.artefacts import build_artefacts
from recommender.features import ACCESS_BITS, BY_PHONE, IN_PERSON, TermVocab
from recommender.needs import specs_from_seed
from recommender.query import Query
from recommender.recommend import recommend, suggest
from tests.recommender.conftest import BH1, record

NEEDS, INTERESTS = specs_from_seed()


def run_all(records, **query):
    art = build_artefacts(records, TermVocab.from_seed())
    defaults = {"lat": BH1[0], "lon": BH1[1], "needs": ("meet-people",), "max_miles": 3.0}
    return suggest(art, Query(**{**defaults, **query}), NEEDS, INTERESTS)


def run(records, **query):
    """The suggestions that meet every constraint (none relaxed)."""
    return [s for s in run_all(records, **query).suggestions if not s.relaxed]


def titles(suggestions):
    return [s.title for s in suggestions]


LUNCH = "Friendly lunch club, meet people and make friends over a hot meal"


def test_free_only_excludes_listings_that_charge():
    found = run(
        [record(1, "Paid lunch club", LUNCH, is_free=False), record(2, "Free lunch club", LUNCH)],
        free_only=True,
    )
    assert titles(found) == ["Free lunch club"]
    assert "Free" in found[0].reasons


def test_days_exclude_other_days_but_keep_unknown_times_with_a_warning():
    found = run(
        [
            record(1, "Tuesday lunch club", LUNCH, days="TU"),
            record(2, "Friday lunch club", LUNCH, days="FR"),
            record(3, "Lunch club, times vary", LUNCH, days=None),
        ],
        days=(1,),
    )
    assert set(titles(found)) == {"Tuesday lunch club", "Lunch club, times vary"}
    by_title = {s.title: s for s in found}
    assert "Tuesdays" in by_title["Tuesday lunch club"].reasons
    assert "Times not listed: check before you go" in by_title["Lunch club, times vary"].reasons
    # Known times that fit rank above unknown ones when everything else is equal.
    assert titles(found)[0] == "Tuesday lunch club"


def test_part_of_day_is_a_constraint():
    found = run([record(1, "Morning lunch club", LUNCH, days="TU")], days=(1,), parts=("evening",))
    assert found == []


def test_access_needs_are_hard_constraints_and_read_from_words_too():
    found = run(
        [
            record(1, "Step-free lunch club", LUNCH, access={"step_free": True}),
            record(2, "Upstairs lunch club", LUNCH),
            record(3, "Church lunch club", LUNCH + ". Disabled access."),
        ],
        access=ACCESS_BITS["step_free"],
    )
    assert set(titles(found)) == {"Step-free lunch club", "Church lunch club"}
    assert all("Step-free or wheelchair access" in s.reasons for s in found)


def test_way_of_taking_part_and_travel_distance():
    records = [
        record(1, "Nearby lunch club", LUNCH, miles=1),
        record(2, "Far lunch club", LUNCH, miles=8),
        record(3, "Telephone friends", "Befriending calls for lonely people", miles=40,
               modes=BY_PHONE, terms=("telephone-befriending",)),
    ]  # fmt: skip
    assert titles(run(records)) == ["Nearby lunch club"]
    phone_only = run(records, modes=BY_PHONE)
    assert titles(phone_only) == ["Telephone friends"]
    assert "By phone" in phone_only[0].reasons
    both = run(records, modes=IN_PERSON | BY_PHONE)
    assert set(titles(both)) == {"Nearby lunch club", "Telephone friends"}


def test_age_limits_are_respected():
    records = [record(1, "Over 65s lunch club", LUNCH), record(2, "Lunch club for all", LUNCH)]
    assert titles(run(records, age_band=(18, 49))) == ["Lunch club for all"]
    assert len(run(records, age_band=(65, 79))) == 2


def test_listings_with_no_evidence_for_any_need_are_not_suggested():
    found = run([record(1, "Tax office", "Self assessment returns")], needs=("memory",))
    assert found == []


def test_nearer_ranks_higher_when_equally_relevant():
    found = run(
        [record(1, "Far lunch club", LUNCH, miles=2.5), record(2, "Near lunch club", LUNCH)]
    )
    assert titles(found)[0] == "Near lunch club"


def test_diversity_serves_every_named_need_in_the_top_five():
    lunch_clubs = [
        record(i, f"Lunch club {i}", LUNCH + " two course meal food", miles=0.1 * i,
               terms=("lunch-clubs",))
        for i in range(1, 9)
    ]  # fmt: skip
    others = [
        record(20, "Chair exercise", "Seated exercise class to keep fit", miles=2.0,
               terms=("exercise-classes",)),
        record(21, "Computer help", "Help with tablets, smartphones and the internet", miles=2.2,
               terms=("digital-skills",)),
    ]  # fmt: skip
    art = build_artefacts(lunch_clubs + others, TermVocab.from_seed())
    query = Query(lat=BH1[0], lon=BH1[1], needs=("food", "stay-active", "digital"), max_miles=3)
    diverse = recommend(art, query, NEEDS, INTERESTS)[:5]
    plain = recommend(art, query, NEEDS, INTERESTS, diverse=False)[:5]
    served = {code for s in diverse for code in s.needs_served}
    assert {"food", "stay-active", "digital"} <= served
    assert {"Chair exercise", "Computer help"} <= set(titles(diverse))
    # Without the diversity step the nearby lunch clubs crowd the top five.
    assert not {"Chair exercise", "Computer help"} <= set(titles(plain))


def test_duplicate_listings_are_shown_once():
    twin = record(1, "Boscombe Library", "Books, warm space, someone to talk to")
    again = record(1, "Boscombe Library", "Books, warm space, someone to talk to")
    found = run([twin, again, record(2, "Other library", "Books and a chat")])
    assert titles(found).count("Boscombe Library") == 1


def test_explanations_name_the_need_the_interest_distance_cost_and_day():
    found = run(
        [record(1, "Garden club", LUNCH + " gardening allotment", miles=0.4)],
        interests=("gardening",),
        free_only=True,
        days=(1,),
    )
    assert found[0].reasons == [
        "You said you'd like to meet people",
        "Matches your interest in gardening",
        "0.4 miles away",
        "Free",
        "Tuesdays",
    ]
