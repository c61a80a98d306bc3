"""Abuse limits: no open mail relay, rate limits on public POSTs, the console and the API."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from cms.workflows.roles import Role
from directory.models import ServicePage
from signposting.resource_lists.emailing import ANONYMOUS_TITLE, OTHER_ADDRESS
from signposting.resource_lists.models import ResourceList
from tests.factories import OrganisationPageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def listing(db: None) -> ServicePage:
    org = OrganisationPageFactory(title="Poole Carers Network")
    return ServicePageFactory(parent=org, title="Carers Support Café")


def resident(listing: ServicePage, title: str = "", note: str = "") -> Client:
    """A visitor with one listing on their session list (and any title and note)."""
    client = Client()
    client.post("/lists/add/", {"page_id": listing.pk})
    if title or note:
        client.post("/lists/mine/", {"title": title or "My list", "note": note, "postcode": ""})
    return client


def email(client: Client, to: str, ref: Any = "mine") -> Any:
    return client.post(f"/lists/{ref}/email/", {"email": to, "consent": "on"})


def staff_client(make_user: Any, role: Role) -> Client:
    client = Client()
    client.force_login(make_user(role))
    return client


# --- No open relay --------------------------------------------------------------------


def test_an_anonymous_email_carries_none_of_the_senders_text(listing):
    phishing = "Your council tax refund is ready call 0909 879 0000"
    client = resident(listing, title=phishing, note="Pay at https://evil.example/pay")
    assert email(client, "victim@example.org").status_code == 302
    [message] = mail.outbox
    everything = message.subject + message.body + message.alternatives[0][0]
    assert "0909" not in everything and "evil.example" not in everything
    assert ANONYMOUS_TITLE in message.subject
    assert "Carers Support Café" in message.body
    # The shared copy behind the link holds none of it either.
    shared = ResourceList.objects.get()
    assert shared.title == ANONYMOUS_TITLE and shared.note == ""


def test_an_anonymous_list_goes_to_one_address_only(listing):
    client = resident(listing)
    assert email(client, "me@example.org").status_code == 302
    refused = email(client, "someone.else@example.org")
    assert refused.status_code == 200
    assert OTHER_ADDRESS in refused.text
    assert email(client, "ME@example.org").status_code == 302  # the same address again
    assert [m.to for m in mail.outbox] == [["me@example.org"], ["ME@example.org"]]


def test_anonymous_email_has_a_daily_cap_per_session_and_per_address(listing, settings):
    settings.RATE_LIMITS = {"lists-email-session": "2/d", "lists-email-ip": "3/d"}
    client = resident(listing)
    assert email(client, "me@example.org").status_code == 302
    assert email(client, "me@example.org").status_code == 302
    over = email(client, "me@example.org")
    assert over.status_code == 429 and "Retry-After" in over
    # A fresh session from the same network address reaches the address cap.
    other = resident(listing)
    assert email(other, "me2@example.org").status_code == 302
    assert email(other, "me2@example.org").status_code == 429
    assert len(mail.outbox) == 3


def test_ten_anonymous_attempts_to_ten_addresses_send_at_most_one(listing):
    client = resident(listing)
    for n in range(10):
        email(client, f"target{n}@example.org")
    assert len(mail.outbox) == 1


def test_the_email_log_holds_no_address(listing, caplog):
    caplog.set_level(logging.DEBUG)
    email(resident(listing), "private.person@example.org")
    assert len(mail.outbox) == 1
    assert "Resource list emailed" in caplog.text
    assert "private.person" not in caplog.text and "@" not in caplog.text


def test_staff_list_email_is_rate_limited_per_user(listing, make_user, settings):
    settings.RATE_LIMITS = {"lists-email-staff": "2/h"}
    client = staff_client(make_user, Role.LOCAL_AREA_COORDINATOR)
    client.post("/lists/add/", {"page_id": listing.pk})
    ref = ResourceList.objects.get().pk
    assert email(client, "a@example.org", ref).status_code == 302
    assert email(client, "b@example.org", ref).status_code == 302  # staff may use many
    assert email(client, "c@example.org", ref).status_code == 429
    assert len(mail.outbox) == 2


# --- Console sending, saved plans and the API -------------------------------------------


def test_console_sending_is_rate_limited_per_officer(listing, make_user, settings):
    settings.RATE_LIMITS = {"console-send": "2/h"}
    officer = staff_client(make_user, Role.CONTACT_OFFICER)
    send = {"to": "caller@example.org", "page_id": listing.pk}
    assert officer.post("/console/send/", send, **JSON).status_code == 200
    assert officer.post("/console/send/", send, **JSON).status_code == 200
    assert officer.post("/console/send/", send, **JSON).status_code == 429
    coordinator = staff_client(make_user, Role.LOCAL_AREA_COORDINATOR)
    assert coordinator.post("/console/send/", send, **JSON).status_code == 200
    assert len(mail.outbox) == 3


def test_saving_plans_is_rate_limited(settings):
    settings.RATE_LIMITS = {"plans-save": "2/h"}
    client = Client()
    codes = [client.post("/what-matters/save/").status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_the_api_is_rate_limited_per_address_and_a_key_lifts_it(settings):
    settings.RATE_LIMITS = {"oruk-api": "2/m"}
    settings.ORUK_API_KEYS = ["partner-key-0123456789"]
    client = Client()
    assert [client.get("/api/oruk/services").status_code for _ in range(2)] == [200, 200]
    over = client.get("/api/oruk/services")
    assert over.status_code == 429
    assert over.json()["status"] == 429 and over["Access-Control-Allow-Origin"] == "*"
    assert int(over["Retry-After"]) > 0
    assert client.get("/api/oruk/services", HTTP_X_API_KEY="wrong").status_code == 429
    keyed = client.get("/api/oruk/services", HTTP_X_API_KEY="partner-key-0123456789")
    assert keyed.status_code == 200
    # Another address has its own allowance.
    assert client.get("/api/oruk/services", REMOTE_ADDR="192.0.2.7").status_code == 200
