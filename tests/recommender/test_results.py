"""Results, staff feedback, saved plans, rebuild triggers and the re-ranker fallback."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cms.workflows.roles import Role
from recommender import artefacts, reranker, tasks
from recommender.models import NeedMapping, SavedPlan, SuggestionFeedback
from recommender.recommend import recommend

pytestmark = pytest.mark.django_db

RESULTS = "/what-matters/results/"


def test_results_show_suggestions_with_reasons_and_links(client, make_listing, answer):
    lunch = make_listing("Tuesday Lunch Club", "A friendly lunch club to meet people", miles=0.4)
    make_listing("Far away club", "A friendly club to meet people", miles=9)
    answer(days=["1"], cost="free")
    page = client.get(RESULTS).content.decode()
    assert "Tuesday Lunch Club" in page
    assert "Far away club" not in page
    assert lunch.url in page
    assert "You said you&#x27;d like to meet people · 0.4 miles away · Free · Tuesdays" in page
    assert "Helpful" not in page  # the public never sees the feedback buttons


def test_unpublished_listings_are_not_suggested(client, make_listing, answer):
    gone = make_listing("Closed lunch club", "A friendly lunch club to meet people")
    answer()
    assert "Closed lunch club" in client.get(RESULTS).content.decode()
    gone.unpublish()
    artefacts.rebuild()
    assert "Closed lunch club" not in client.get(RESULTS).content.decode()


def feedback_post(client, listing, label="helpful"):
    return client.post("/what-matters/feedback/", {"listing_id": listing.pk, "label": label})


def test_anonymous_and_non_staff_cannot_give_feedback(client, make_listing, answer, make_user):
    listing = make_listing("Tuesday Lunch Club", "A friendly lunch club to meet people")
    answer()
    assert feedback_post(client, listing).status_code == 403
    client.force_login(make_user(Role.ORGANISATION_EDITOR))
    assert feedback_post(client, listing).status_code == 403
    assert SuggestionFeedback.objects.count() == 0


def test_staff_feedback_stores_features_and_role_but_no_answers(
    client, make_listing, answer, make_user
):
    listing = make_listing("Tuesday Lunch Club", "A friendly lunch club to meet people")
    answer(interest_text="my neighbour Mrs Smith")
    client.force_login(make_user(Role.LOCAL_AREA_COORDINATOR))
    assert "Not suitable" in client.get(RESULTS).content.decode()
    response = feedback_post(client, listing, "not_suitable")
    assert response.status_code == 302
    saved = SuggestionFeedback.objects.get()
    assert saved.listing_id == listing.pk
    assert saved.label == "not_suitable"
    assert saved.role == "Local Area Coordinators"
    assert set(saved.features) == set(reranker.FEATURE_NAMES)
    assert "Smith" not in str(saved.features)
    assert "Thank you" in client.get(RESULTS).content.decode()


def test_feedback_needs_a_csrf_token(make_listing, answer, make_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    listing = make_listing("Tuesday Lunch Club", "A friendly lunch club to meet people")
    strict.force_login(make_user(Role.CONTACT_OFFICER))
    assert feedback_post(strict, listing).status_code == 403


def test_feedback_on_a_listing_not_suggested_is_refused(client, make_listing, answer, make_user):
    make_listing("Tuesday Lunch Club", "A friendly lunch club to meet people")
    other = make_listing("Tax office", "Self assessment returns")
    answer()
    client.force_login(make_user(Role.CONTACT_OFFICER))
    assert feedback_post(client, other).status_code == 400


def test_save_view_and_delete_a_plan(client, make_listing, answer):
    make_listing("Tuesday Lunch Club", "A friendly lunch club to meet people")
    answer()
    response = client.post("/what-matters/save/")
    plan = SavedPlan.objects.get()
    assert response["Location"] == f"/what-matters/plan/{plan.token}/"
    assert len(plan.token) >= 40
    assert plan.suggestions[0]["title"] == "Tuesday Lunch Club"
    page = client.get(response["Location"])
    assert "Tuesday Lunch Club" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    assert client.get(f"/what-matters/plan/{plan.token}/delete/").status_code == 200
    client.post(f"/what-matters/plan/{plan.token}/delete/")
    assert SavedPlan.objects.count() == 0
    assert client.get(response["Location"]).status_code == 404


def test_a_wrong_token_finds_nothing(client):
    assert client.get("/what-matters/plan/not-a-token/").status_code == 404


def test_publishing_marks_the_recommender_stale_after_commit(
    make_listing, django_capture_on_commit_callbacks
):
    make_listing("Lunch club", "meet people")
    built = artefacts.rebuild()
    assert not artefacts.is_stale(built)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_listing("Another lunch club", "meet people")
    assert callbacks
    assert artefacts.is_stale(built)
    assert "Another lunch club" in artefacts.get_artefacts().titles  # eager: rebuilt inline


def test_requesting_a_rebuild_never_touches_the_broker(settings, monkeypatch, make_listing):
    # A worker holding a countdown task exited when Redis went away: nothing is queued,
    # the stale mark is all a change leaves.
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unavailable")

    monkeypatch.setattr(tasks.rebuild_recommender, "apply_async", broker_down)
    make_listing("Lunch club", "meet people")
    built = artefacts.rebuild()
    tasks.request_rebuild()
    assert artefacts.is_stale(built)


def test_rebuild_is_debounced_by_the_stale_check(settings, make_listing):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    make_listing("Lunch club", "meet people")
    artefacts.rebuild()
    assert tasks.rebuild_recommender_if_stale() == 0  # nothing changed
    make_listing("Another lunch club", "meet people")
    for _ in range(5):
        tasks.request_rebuild()
    assert tasks.rebuild_recommender_if_stale() == 2  # one build for all five changes
    assert tasks.rebuild_recommender_if_stale() == 0
    assert "Another lunch club" in artefacts.load_artefacts().titles


def test_reranker_falls_back_to_the_scorer_until_there_is_enough_feedback(make_listing):
    from recommender.needs import specs_from_db
    from recommender.query import Query
    from tests.recommender.conftest import BH1

    make_listing("Lunch club", "meet people, friendly lunch")
    assert reranker.train_from_feedback() is None
    assert reranker.load_reranker() is None
    features = {name: 0.5 for name in reranker.FEATURE_NAMES}
    SuggestionFeedback.objects.bulk_create(
        SuggestionFeedback(features={**features, "proximity": i / 60}, label="helpful")
        for i in range(60)
    )
    assert reranker.train_from_feedback() is None  # one class only
    SuggestionFeedback.objects.filter(pk__in=SuggestionFeedback.objects.values("pk")[:20]).update(
        label="not_suitable"
    )
    assert reranker.train_from_feedback() is not None
    model = reranker.load_reranker()
    assert model is not None
    needs, interests = specs_from_db()
    query = Query(lat=BH1[0], lon=BH1[1], needs=("meet-people",))
    found = recommend(artefacts.get_artefacts(), query, needs, interests, reranker=model)
    assert [s.title for s in found] == ["Lunch club"]
    reranker.reranker_path().write_bytes(b"not a model")
    reranker._cache.clear()
    assert reranker.load_reranker() is None


def test_need_mappings_load_idempotently_and_commands_run(make_listing, tmp_path):
    assert NeedMapping.objects.filter(kind="need").count() == 12  # from the data migration
    mapping = NeedMapping.objects.get(code="meet-people")
    assert "befriending" in {t.code for t in mapping.taxonomy_terms.all()}
    call_command("load_need_mappings")
    call_command("load_need_mappings")
    assert NeedMapping.objects.count() == 24
    make_listing("Lunch club", "meet people")
    call_command("build_recommender")
    assert (tmp_path / "recommender" / artefacts.ARTEFACT_FILE).exists()
