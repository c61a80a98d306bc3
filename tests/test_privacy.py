"""Privacy: console searches stay out of URLs, shared links and saved plans expire or can
be withdrawn, plans keep only a postcode district, and logs never hold personal data."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from cms.workflows.roles import Role
from directory.models import ServicePage
from recommender.flow import SESSION_KEY
from recommender.models import SavedPlan, answers_to_keep
from signposting.resource_lists.models import ResourceList
from tests.factories import OrganisationPageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db

FULL_ANSWERS: dict[str, Any] = {
    "who": "me",
    "location": {
        "text": "BH8 8DT",
        "label": "BH8 8DT",
        "lat": 50.735,
        "lon": -1.849,
        "area_codes": ["E06000058", "K02000001"],
    },
    "age": "65-79",
    "needs": ["meet-people"],
    "interests": [],
    "interest_text": "knitting with Mrs Smith on 07700 900982",
    "modes": ["in_person"],
    "distance": "3",
    "days": [],
    "times": [],
    "cost": "any",
    "access": ["none"],
}


@pytest.fixture
def listing(index_listings: Any) -> ServicePage:
    org = OrganisationPageFactory(title="Poole Carers Network")
    page = ServicePageFactory(parent=org, title="Carers Support Café")
    index_listings(page)
    return page


def logged_in(make_user: Any, role: Role) -> Client:
    client = Client()
    client.force_login(make_user(role))
    return client


def with_answers(client: Client, answers: dict[str, Any]) -> Client:
    session = client.session
    session[SESSION_KEY] = answers
    session.save()
    return client


def emailed_link(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/lists/shared/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


# --- The console keeps the query out of URLs ------------------------------------------


def test_console_searches_are_posted_never_put_in_a_url(make_user, listing, gazetteer_store):
    officer = logged_in(make_user, Role.CONTACT_OFFICER)
    page = officer.get("/console/").text
    assert re.search(r'<form method="post" action="/console/" role="search"', page)
    html = officer.post("/console/", {"q": "carers", "submitted": "1"}).text
    assert "Carers Support Café" in html
    assert "?q=" not in html and "q=carers" not in html
    # A search in the URL is not run: nothing typed there can come from this page.
    assert "Carers Support Café" not in officer.get("/console/", {"q": "carers"}).text
    assert officer.get("/console/results/", {"q": "carers"}).status_code == 405
    # Adding without JavaScript answers with the page, not a redirect carrying the query.
    added = officer.post("/console/pick/", {"page_id": listing.pk, "q": "carers"})
    assert added.status_code == 200 and "Carers Support Café" in added.text


# --- Shared list links -----------------------------------------------------------------


def test_a_staff_member_can_withdraw_a_link_they_emailed(make_user, listing):
    coordinator = logged_in(make_user, Role.LOCAL_AREA_COORDINATOR)
    coordinator.post("/lists/add/", {"page_id": listing.pk})
    working = ResourceList.objects.get()
    coordinator.post(f"/lists/{working.pk}/email/", {"email": "a@example.org", "consent": "on"})
    link = emailed_link(mail.outbox[0])
    assert Client().get(link).status_code == 200
    assert "Links you have emailed" in coordinator.get("/lists/").text
    token = link.rstrip("/").rsplit("/", 1)[1]
    # Nobody else can withdraw it: not a visitor, not another officer.
    assert Client().post(f"/lists/shared/{token}/withdraw/").status_code == 404
    other = logged_in(make_user, Role.CONTACT_OFFICER)
    assert other.post(f"/lists/shared/{token}/withdraw/").status_code == 404
    assert coordinator.post(f"/lists/shared/{token}/withdraw/").status_code == 302
    gone = Client().get(link)
    assert gone.status_code == 404 and "no longer available" in gone.text
    assert ResourceList.objects.filter(pk=working.pk).exists()  # the working list stays


def test_a_visitor_can_withdraw_the_link_they_emailed(listing):
    client = Client()
    client.post("/lists/add/", {"page_id": listing.pk})
    client.post("/lists/mine/email/", {"email": "me@example.org", "consent": "on"})
    link = emailed_link(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert "Links you have emailed" in client.get("/lists/mine/").text
    assert client.post(f"/lists/shared/{token}/withdraw/").status_code == 302
    assert Client().get(link).status_code == 404


def test_shared_links_expire(listing, settings):
    settings.RESOURCE_LIST_SHARE_DAYS = 30
    client = Client()
    client.post("/lists/add/", {"page_id": listing.pk})
    client.post("/lists/mine/email/", {"email": "me@example.org", "consent": "on"})
    link = emailed_link(mail.outbox[0])
    assert Client().get(link).status_code == 200
    ResourceList.objects.update(created_at=timezone.now() - dt.timedelta(days=31))
    assert Client().get(link).status_code == 404


# --- Saved plans -------------------------------------------------------------------------


def test_a_saved_plan_keeps_only_the_postcode_district():
    kept = answers_to_keep(FULL_ANSWERS)
    assert kept["location"] == {"label": "BH8"}
    assert "interest_text" not in kept
    assert kept["needs"] == ["meet-people"]
    place = {**FULL_ANSWERS, "location": {"text": "poole", "label": "Poole", "lat": 50.7}}
    assert answers_to_keep(place)["location"] == {"label": "Poole"}
    grid = {**FULL_ANSWERS, "location": {"label": "50.73, -1.85", "lat": 50.73}}
    assert answers_to_keep(grid)["location"] == {"label": ""}


def test_saving_a_plan_stores_no_postcode_or_free_text_and_it_expires(settings):
    settings.SAVED_PLAN_DAYS = 30
    client = with_answers(Client(), dict(FULL_ANSWERS))
    response = client.post("/what-matters/save/")
    plan = SavedPlan.objects.get()
    stored = str(plan.answers)
    assert "8DT" not in stored and "Smith" not in stored and "07700" not in stored
    assert "50.735" not in stored
    page = client.get(response["Location"])
    assert page.status_code == 200 and "BH8" in page.text and "8DT" not in page.text
    SavedPlan.objects.update(created_at=timezone.now() - dt.timedelta(days=31))
    gone = client.get(response["Location"])
    assert gone.status_code == 404 and "no longer available" in gone.text


# --- Logs of a whole journey -------------------------------------------------------------

SECRETS = (
    "Mrs Smith",
    "Smith",
    "07700 900982",
    "07700900982",
    "7700900982",
    "smith@example.org",
    "caller@example.org",
    "BH8 8DT",
    "BH88DT",
    "BH1 1AA",
    "BH11AA",
    "Acacia",
)


def test_logs_of_a_whole_journey_hold_no_personal_data(
    make_user, listing, gazetteer_store, caplog, tmp_path
):
    caplog.set_level(logging.DEBUG)  # every logger, at every level
    resident = Client()
    # Search with a postcode.
    resident.get("/search/", {"q": "carers", "postcode": "BH8 8DT"})
    # What matters, with a full postcode and free text, then save the plan.
    with_answers(resident, dict(FULL_ANSWERS))
    resident.post("/what-matters/where/?change=1", {"location": "BH1 1AA"})
    resident.get("/what-matters/results/")
    plan_url = resident.post("/what-matters/save/")["Location"]
    resident.get(plan_url)
    # Build a list with personal details in it, and email it.
    resident.post("/lists/add/", {"page_id": listing.pk})
    resident.post(
        "/lists/mine/", {"title": "For Mrs Smith", "postcode": "BH8 8DT", "note": "07700 900982"}
    )
    resident.post("/lists/mine/email/", {"email": "smith@example.org", "consent": "on"})
    # A staff list, emailed by a coordinator.
    coordinator = logged_in(make_user, Role.LOCAL_AREA_COORDINATOR)
    coordinator.post("/lists/new/", {"title": "For Mrs Smith", "postcode": "BH8 8DT", "note": ""})
    coordinator.post("/lists/add/", {"page_id": listing.pk})
    staff_list = ResourceList.objects.filter(owner__isnull=False).first()
    coordinator.post(
        f"/lists/{staff_list.pk}/email/", {"email": "smith@example.org", "consent": "on"}
    )
    # The console: a search naming the caller, then send and copy.
    officer = logged_in(make_user, Role.CONTACT_OFFICER)
    q = "BH8 8DT carers for Mrs Smith 07700900982 12 Acacia Avenue"
    officer.post("/console/", {"q": q, "submitted": "1"})
    officer.post("/console/results/", {"q": q, "settled": "1"})
    officer.post("/console/pick/", {"page_id": listing.pk, "q": q})
    officer.post(
        "/console/send/", {"to": "caller@example.org", "q": q}, HTTP_ACCEPT="application/json"
    )
    officer.post("/console/send/", {"to": "07700 900982", "q": q}, HTTP_ACCEPT="application/json")
    officer.post("/console/notes/", {"q": q}, HTTP_ACCEPT="application/json")
    assert len(mail.outbox) == 3  # the journey did happen

    logged = caplog.text + "".join(_log_files())
    assert caplog.records, "the journey logged nothing at all: the capture is not working"
    for secret in SECRETS:
        assert secret.lower() not in logged.lower(), secret
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", logged), "an email address was logged"


def _log_files() -> list[str]:
    """The text of any log files the configured handlers write to."""
    texts = []
    for handler in [*logging.getLogger().handlers, *_all_handlers()]:
        filename = getattr(handler, "baseFilename", None)
        if filename and Path(filename).exists():
            texts.append(Path(filename).read_text(errors="replace"))
    return texts


def _all_handlers() -> list[logging.Handler]:
    loggers = [logging.getLogger(name) for name in logging.root.manager.loggerDict]
    return [handler for found in loggers for handler in getattr(found, "handlers", [])]
