"""The contact-officer console over HTTP, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from cms.workflows.roles import Role
from signposting.models import SignpostedListing, SignpostingEvent, SignpostingNeed

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _store(gazetteer_store):
    return gazetteer_store


def test_console_is_for_staff_only(client, make_user, officer_client):
    assert client.get("/console/").status_code == 302  # to the login page
    editor = Client()
    editor.force_login(make_user(Role.ORGANISATION_EDITOR))
    assert editor.get("/console/").status_code == 403
    assert editor.post("/console/results/", {"q": "lunch"}).status_code == 403
    assert officer_client.get("/console/").status_code == 200


def test_no_javascript_search_lists_results(officer_client, listings):
    response = officer_client.post("/console/", {"q": "carers support poole", "submitted": "1"})
    assert response.status_code == 200
    html = response.text
    assert "Carers Support Café" in html
    assert "Looking for <strong>carers support</strong> near <strong>Poole</strong>" in html
    assert "Keyboard shortcuts" in html
    assert "autofocus" in html


def test_results_fragment_orders_by_words_then_distance(officer_client, listings):
    html = officer_client.post("/console/results/", {"q": "BH15 1SZ carers"}).text
    assert "Carers Support Café" in html
    assert re.search(r"Poole Carers Network · [\d.]+ miles", html)
    assert "<html" not in html  # a fragment, not a page


def test_details_fragment(officer_client, listings):
    html = officer_client.post(f"/console/details/{listings[0].pk}/", {"q": "carers poole"}).text
    assert "Carers Support Café" in html
    assert "01202 555 010" in html
    assert "Tea and cake" in html


def test_pick_send_email_and_log(officer_client, listings):
    response = officer_client.post("/console/pick/", {"page_id": listings[0].pk}, **JSON)
    assert response.json()["picked"] == [listings[0].pk]
    response = officer_client.post(
        "/console/send/",
        {"to": "caller@example.org", "q": "BH8 8DT carers", "channel": "auto"},
        **JSON,
    )
    assert response.json() == {"ok": True, "message": "Details sent by email."}
    assert len(mail.outbox) == 1
    assert "Carers Support Café" in mail.outbox[0].body
    assert mail.outbox[0].to == ["caller@example.org"]
    event = SignpostingEvent.objects.get()
    assert (event.channel, event.district, event.role) == ("email", "BH8", "Contact officers")
    assert [n.need for n in event.needs.all()] == ["carer"]
    assert [item.page_id for item in event.listings.all()] == [listings[0].pk]


def test_send_by_text_uses_the_highlighted_result_when_nothing_is_picked(
    officer_client, listings, locmem_sms
):
    response = officer_client.post(
        "/console/send/", {"to": "07700 900982", "page_id": listings[0].pk, "q": "carers"}, **JSON
    )
    assert response.json()["ok"] is True
    assert len(locmem_sms) == 1
    assert locmem_sms[0].to == "+447700900982"
    assert "Carers Support Café" in locmem_sms[0].body
    assert "http://" in locmem_sms[0].body


@pytest.mark.parametrize(
    ("to", "channel", "message"),
    [
        ("not-an-email@", "auto", "Enter an email address in the correct format"),
        ("01202 123456", "auto", "Enter a UK mobile number"),
        ("07700 900982", "email", "Enter an email address in the correct format"),
        ("", "auto", "Enter an email address or a UK mobile number"),
    ],
)
def test_invalid_recipient_gets_a_clear_message(
    officer_client, listings, locmem_sms, to, channel, message
):
    response = officer_client.post(
        "/console/send/", {"to": to, "channel": channel, "page_id": listings[0].pk}, **JSON
    )
    assert response.status_code == 400
    assert message in response.json()["error"]
    # And without JavaScript, the same message on the page.
    response = officer_client.post(
        "/console/send/", {"to": to, "channel": channel, "page_id": listings[0].pk}
    )
    assert response.status_code == 400
    assert message in response.text
    assert mail.outbox == [] and locmem_sms == []
    assert SignpostingEvent.objects.count() == 0


def test_copy_for_case_notes_gives_plain_text_and_logs(officer_client, listings):
    officer_client.post("/console/pick/", {"page_id": listings[0].pk})
    officer_client.post("/console/pick/", {"page_id": listings[1].pk})
    response = officer_client.post("/console/notes/", {"q": "lunch BH8"}, **JSON)
    text = response.json()["text"]
    assert text.startswith("Signposted on ")
    assert "1. Carers Support Café" in text and "2. Boscombe Lunch Club" in text
    assert "<" not in text
    assert SignpostingEvent.objects.get().channel == "copy"


def test_new_call_clears_the_callers_list(officer_client, listings):
    officer_client.post("/console/pick/", {"page_id": listings[0].pk})
    assert officer_client.session["signposting.call"]["picked"] == [listings[0].pk]
    officer_client.post("/console/new-call/")
    assert "signposting.call" not in officer_client.session
    html = officer_client.get("/console/").text
    assert "Caller&#x27;s list (0)" in html or "Caller's list (0)" in html


def test_unmet_search_is_logged_once_settled(officer_client, listings):
    # Typing: no log. A settled search with nothing within 3 miles: one gap row.
    officer_client.post("/console/results/", {"q": "dementia BH23 4"})
    assert SignpostingEvent.objects.count() == 0
    officer_client.post("/console/results/", {"q": "dementia Christchurch", "settled": "1"})
    officer_client.post("/console/", {"q": "dementia BH8", "submitted": "1"})
    gaps = SignpostingEvent.objects.filter(kind="gap").order_by("pk")
    assert [(g.district, g.channel) for g in gaps] == [
        ("Christchurch", "search"),
        ("BH8", "search"),
    ]
    assert set(SignpostingNeed.objects.values_list("need", flat=True)) == {"dementia"}
    # A search that does find something nearby is not a gap.
    officer_client.post("/console/results/", {"q": "carers BH15 1SZ", "settled": "1"})
    assert gaps.count() == 2


def test_log_never_holds_names_contacts_or_full_postcodes(officer_client, listings):
    q = "BH8 8DT carers for Mrs Smith 07700900982 smith@example.org 12 Acacia Avenue"
    officer_client.post("/console/pick/", {"page_id": listings[0].pk})
    officer_client.post("/console/send/", {"to": "smith@example.org", "q": q}, **JSON)
    officer_client.post("/console/send/", {"to": "07700900982", "q": q}, **JSON)
    officer_client.post("/console/notes/", {"q": q}, **JSON)
    officer_client.post("/console/results/", {"q": "dementia smith BH8 8DT", "settled": "1"})
    assert SignpostingEvent.objects.count() == 4
    stored = []
    for event in SignpostingEvent.objects.all():
        stored += [event.district, event.role, event.channel, event.kind, str(event.radius_miles)]
    stored += list(SignpostingNeed.objects.values_list("need", flat=True))
    stored += [str(pk) for pk in SignpostedListing.objects.values_list("page_id", flat=True)]
    blob = " ".join(stored).lower()
    for secret in ("8dt", "bh8 8", "smith", "mrs", "07700", "@", "acacia", "12"):
        assert secret not in blob, secret
    assert "bh8" in blob and "carer" in blob


@pytest.mark.django_db
def test_words_alone_search_the_council_area_and_say_so(officer_client, organisation, committed):
    from directory.models import ServiceLocation
    from tests.factories import ServicePageFactory

    with committed():
        local = ServicePageFactory(parent=organisation, title="Knit and natter Boscombe")
        far = ServicePageFactory(parent=organisation, title="Knit and natter Leith")
        far.locations.all().delete()
        far.locations.add(
            ServiceLocation(
                name="Leith Library", postcode="EH6 5EN", latitude=55.97, longitude=-3.17
            )
        )
        far.save_revision().publish()

    html = officer_client.post("/console/results/", {"q": "knit natter"}).text
    assert "within 20 miles of <strong>Bournemouth</strong>" in html
    assert local.title in html
    assert far.title not in html
    # Naming a place (here a full postcode) searches there instead.
    elsewhere = officer_client.post("/console/results/", {"q": "knit natter EH6 5EN"}).text
    assert "council area" not in elsewhere
    assert far.title in elsewhere
