"""The question pages: one question per page, errors, back links, check answers."""

from __future__ import annotations

import pytest

from geography.gazetteer import AmbiguousLocation, ResolvedLocation, UnresolvedLocation
from recommender.flow import SESSION_KEY
from recommender.models import SavedPlan, SuggestionFeedback

pytestmark = pytest.mark.django_db

BASE = "/what-matters/"

HAPPY_PATH = [
    ("who", {"who": "someone"}, "where"),
    ("where", {"location": "bh1 1aa"}, "age"),
    ("age", {"age": "65-79"}, "needs"),
    ("needs", {"needs": ["meet-people", "food"]}, "interests"),
    ("interests", {"interests": ["gardening"], "interest_text": "chess"}, "taking-part"),
    ("taking-part", {"modes": ["in_person"]}, "travel"),
    ("travel", {"distance": "3"}, "when"),
    ("when", {"days": ["1"], "times": ["morning"]}, "cost"),
    ("cost", {"cost": "free"}, "access"),
    ("access", {"access": ["none"]}, "check"),
]


def walk(client, path=HAPPY_PATH):
    for slug, data, following in path:
        response = client.post(f"{BASE}{slug}/", data)
        assert response.status_code == 302, (slug, response.content[:2000])
        assert response["Location"] == f"{BASE}{following}/"


def test_start_page_links_to_the_first_question(client):
    response = client.get(BASE)
    assert response.status_code == 200
    assert f'href="{BASE}who/"' in response.content.decode()


def test_each_question_has_a_heading_legend_and_a_back_link(client, fake_location):
    previous = BASE
    for slug, data, _following in HAPPY_PATH:
        page = client.get(f"{BASE}{slug}/").content.decode()
        assert 'class="govuk-back-link">Back</a>' in page
        assert f'href="{previous}"' in page
        assert "govuk-fieldset__legend" in page or "govuk-label--l" in page
        client.post(f"{BASE}{slug}/", data)
        previous = f"{BASE}{slug}/"


def test_questions_about_someone_else_say_they(client, fake_location):
    client.post(f"{BASE}who/", {"who": "someone"})
    assert "Where do they live?" in client.get(f"{BASE}where/").content.decode()


def test_the_whole_flow_reaches_check_answers_with_change_links(client, fake_location):
    walk(client)
    page = client.get(f"{BASE}check/").content.decode()
    assert "Check your answers" in page
    assert "Feeling lonely or wanting to meet people, Food and eating well" in page
    assert "Gardening, chess" in page
    assert f'href="{BASE}needs/?change=1"' in page
    assert 'Change<span class="govuk-visually-hidden"> what matters most to them right now?' in page


def test_missing_answer_shows_a_govuk_error_summary(client, fake_location):
    client.post(f"{BASE}who/", {"who": "me"})
    client.post(f"{BASE}where/", {"location": "BH1 1AA"})
    client.post(f"{BASE}age/", {"age": "65-79"})
    response = client.post(f"{BASE}needs/", {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: What matters most to you right now?" in page
    assert "There is a problem" in page
    assert '<a href="#needs">Select at least one thing that matters</a>' in page
    assert "govuk-form-group--error" in page
    assert 'id="needs-error"' in page


MULTI_CHOICE_ANSWERS = {
    "needs": {"needs": ["meet-people", "food"]},
    "interests": {"interests": ["gardening"]},
    "taking-part": {"modes": ["in_person", "phone"]},
    "when": {"days": ["1", "3"], "times": ["morning", "evening"]},
    "access": {"access": ["step_free", "parking"]},
}


def test_multi_choice_questions_are_checkboxes_that_keep_every_value(client, fake_location):
    # CheckboxSelectMultiple subclasses RadioSelect: these once rendered as radios.
    walk(client)
    for slug, data in MULTI_CHOICE_ANSWERS.items():
        assert client.post(f"{BASE}{slug}/?change=1", data).status_code == 302, slug
        page = client.get(f"{BASE}{slug}/?change=1").content.decode()
        assert 'type="radio"' not in page, slug
        assert 'class="govuk-checkboxes"' in page, slug
        for name, values in data.items():
            assert client.session[SESSION_KEY][name] == values, slug
            for value in values:
                assert f'name="{name}" type="checkbox" value="{value}" checked' in page, value


def test_unknown_place_is_an_error_on_the_location_question(client, fake_location):
    fake_location(UnresolvedLocation(query="zzz", message="We could not find zzz."))
    client.post(f"{BASE}who/", {"who": "me"})
    response = client.post(f"{BASE}where/", {"location": "zzz"})
    assert response.status_code == 400
    assert '<a href="#location">We could not find zzz.</a>' in response.content.decode()


def test_ambiguous_place_offers_radios_to_choose(client, fake_location):
    choices = tuple(
        ResolvedLocation(kind="place", label=label, lat=50.7, lon=-1.9)
        for label in ("Ashley, Christchurch", "Ashley, New Forest")
    )
    fake_location(AmbiguousLocation(query="Ashley", choices=choices))
    client.post(f"{BASE}who/", {"who": "me"})
    page = client.post(f"{BASE}where/", {"location": "Ashley"}).content.decode()
    assert 'type="radio" value="Ashley, New Forest"' in page
    assert "There is more than one place called Ashley" in page


def test_none_of_these_cannot_be_combined_with_access_needs(client, fake_location):
    walk(client, HAPPY_PATH[:-1])
    response = client.post(f"{BASE}access/", {"access": ["none", "parking"]})
    assert response.status_code == 400
    assert "not both" in response.content.decode()


def test_skipping_ahead_redirects_to_the_first_unanswered_question(client):
    response = client.get(f"{BASE}cost/")
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}who/"
    assert client.get(f"{BASE}results/")["Location"] == f"{BASE}who/"


def test_travel_is_not_asked_when_not_taking_part_in_person(client, fake_location):
    path = [step for step in HAPPY_PATH if step[0] != "travel"]
    path = [
        ("taking-part", {"modes": ["phone"]}, "when") if slug == "taking-part" else (slug, d, f)
        for slug, d, f in path
    ]
    walk(client, path)
    page = client.get(f"{BASE}check/").content.decode()
    assert "How far can they travel?" not in page
    assert client.get(f"{BASE}when/").content.decode().count(f'href="{BASE}taking-part/"') == 1


def test_change_returns_to_check_answers_and_asks_newly_relevant_questions(client, fake_location):
    path = [
        ("taking-part", {"modes": ["phone"]}, "when") if slug == "taking-part" else (slug, d, f)
        for slug, d, f in HAPPY_PATH
        if slug != "travel"
    ]
    walk(client, path)
    page = client.get(f"{BASE}taking-part/?change=1").content.decode()
    assert f'href="{BASE}check/"' in page  # the back link returns to check answers
    response = client.post(f"{BASE}taking-part/?change=1", {"modes": ["in_person"]})
    assert response["Location"] == f"{BASE}travel/?change=1"
    response = client.post(f"{BASE}travel/?change=1", {"distance": "5"})
    assert response["Location"] == f"{BASE}check/"


def test_answers_stay_in_the_session_and_out_of_the_database(client, fake_location, make_listing):
    make_listing("Tuesday Lunch Club", "A friendly lunch club to meet people")
    walk(client)
    assert client.get(f"{BASE}results/").status_code == 200
    assert client.session[SESSION_KEY]["needs"] == ["meet-people", "food"]
    assert SavedPlan.objects.count() == 0
    assert SuggestionFeedback.objects.count() == 0


def test_start_again_clears_the_answers(client, fake_location):
    walk(client, HAPPY_PATH[:3])
    response = client.post(f"{BASE}start-again/")
    assert response["Location"] == BASE
    assert SESSION_KEY not in client.session
