"""Bad input never gives a server error: ids, email headers, feeds, and every URL parameter."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cms.workflows.roles import Role
from directory.ids import MAX_ID, parse_id
from directory.models import ServicePage
from importers.parsing.json_stream import FeedFormatError, check_json
from signposting.resource_lists.models import ResourceList
from tests.factories import OrganisationPageFactory, ServicePageFactory

HUGE = "9" * 30
BEYOND_BIGINT = str(MAX_ID + 1)


@pytest.fixture
def listing(db: None) -> ServicePage:
    org = OrganisationPageFactory(title="Poole Carers Network")
    return ServicePageFactory(parent=org, title="Carers Support Café")


def logged_in(make_user: Any, role: Role) -> Client:
    client = Client()
    client.force_login(make_user(role))
    return client


@pytest.fixture
def officer(make_user: Any) -> Client:
    return logged_in(make_user, Role.CONTACT_OFFICER)


@pytest.fixture
def coordinator(make_user: Any) -> Client:
    return logged_in(make_user, Role.LOCAL_AREA_COORDINATOR)


@pytest.fixture
def places(gazetteer_store: Any) -> Any:
    """Postcodes and place names resolve, as in a real deployment."""
    return gazetteer_store


# --- Ids at the edge ------------------------------------------------------------------


def test_parse_id_accepts_only_ids_the_database_can_hold():
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(MAX_ID) == MAX_ID
    for bad in ("", "0", "-1", "1.5", "1e3", "²", "٣", BEYOND_BIGINT, HUGE, None, "x"):
        assert parse_id(bad) is None, bad


@pytest.mark.django_db
@pytest.mark.parametrize("number", [HUGE, BEYOND_BIGINT])
def test_huge_ids_are_not_found_rather_than_errors(officer, listing, number):
    assert officer.get(f"/console/details/{number}/").status_code == 404
    assert officer.get("/console/", {"open": number}).status_code == 200
    assert officer.post("/console/", {"open": number, "q": "carers"}).status_code == 200
    picked = officer.post("/console/pick/", {"page_id": number}, HTTP_ACCEPT="application/json")
    assert picked.json()["picked"] == []
    sent = {"to": "a@example.org", "page_id": number}
    assert officer.post("/console/send/", sent, HTTP_ACCEPT="application/json").status_code == 400
    assert Client().post("/lists/add/", {"page_id": number}).status_code == 404
    assert officer.get(f"/lists/{number}/").status_code == 404
    officer.post("/lists/add/", {"page_id": listing.pk})
    ref = ResourceList.objects.get().pk
    assert officer.post(f"/lists/{ref}/items/{number}/remove/").status_code == 302
    assert officer.post(f"/lists/{ref}/items/{number}/note/", {"note": "x"}).status_code == 302


# --- Email headers ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_list_title_with_line_breaks_can_be_emailed(coordinator, listing):
    coordinator.post("/lists/add/", {"page_id": listing.pk})
    resource_list = ResourceList.objects.get()
    # Stored before titles were tidied on the way in (the form now makes them one line).
    resource_list.title = "For Mrs B\r\nBcc: everyone@example.org"
    resource_list.save()
    response = coordinator.post(
        f"/lists/{resource_list.pk}/email/", {"email": "mrs.b@example.org", "consent": "on"}
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.recipients() == ["mrs.b@example.org"]
    # And the form keeps a new title on one line.
    coordinator.post(
        f"/lists/{resource_list.pk}/", {"title": "For Mr C\r\nBcc: x@example.org", "note": ""}
    )
    resource_list.refresh_from_db()
    assert resource_list.title == "For Mr C Bcc: x@example.org"


# --- Feeds --------------------------------------------------------------------------------


def test_a_deeply_nested_feed_is_refused_with_a_clear_message():
    deep = "[" + "[" * 100_000 + "]" * 100_000 + "]"
    with pytest.raises(FeedFormatError, match="nested more than 64 levels"):
        check_json(io.StringIO(deep))
    record = {"id": "1", "name": "x", "extra": json.loads("[" * 70 + "]" * 70)}
    with pytest.raises(FeedFormatError, match="nested more than 64 levels"):
        check_json(io.StringIO(json.dumps({"contents": [record]})))
    normal = {"id": "1", "name": "Lunch club", "locations": [{"address": [{"city": "Poole"}]}]}
    assert check_json(io.StringIO(json.dumps({"contents": [normal]}))) == 1


def test_a_deeply_nested_feed_file_fails_the_run_with_the_reason(tmp_path):
    from importers.sources.oruk.feed import FeedError, read_file

    path = tmp_path / "feed.json"
    path.write_text('{"contents": [' + "[" * 5000 + "]" * 5000 + "]}")
    with pytest.raises(FeedError, match="nested more than 64 levels"):
        list(read_file(path))


# --- Every URL parameter, with Hypothesis ------------------------------------------------

values = st.one_of(
    st.sampled_from(["", "0", "-1", "1", HUGE, BEYOND_BIGINT, "1e9", "NaN", "BH1 1AA", "true"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=60),
)
path_values = values.map(lambda text: quote(text, safe="") or "x")
FUZZ = hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def params(*names: str) -> Any:
    return st.dictionaries(st.sampled_from(names), values, max_size=len(names))


def no_server_error(response: Any) -> None:
    assert response.status_code < 500, response.status_code


@pytest.mark.django_db
@FUZZ
@given(
    page=params("q", "open", "submitted"),
    results=params("q", "settled"),
    detail=path_values,
    pick=params("page_id", "action", "q"),
    send=params("to", "channel", "page_id", "q"),
)
def test_console_parameters(officer, listing, places, page, results, detail, pick, send):
    no_server_error(officer.get("/console/", page))
    no_server_error(officer.post("/console/", page))
    no_server_error(officer.post("/console/results/", results))
    no_server_error(officer.get(f"/console/details/{detail}/"))
    no_server_error(officer.post(f"/console/details/{detail}/", results))
    no_server_error(officer.post("/console/pick/", pick))
    no_server_error(officer.post("/console/send/", send, HTTP_ACCEPT="application/json"))
    no_server_error(officer.post("/console/notes/", pick))


@pytest.mark.django_db
@FUZZ
@given(
    add=params("page_id", "list", "next"),
    ref=path_values,
    key=path_values,
    details=params("title", "postcode", "note"),
    output=params("large", "plain"),
    token=path_values,
)
def test_list_parameters(coordinator, listing, places, add, ref, key, details, output, token):
    for client in (Client(), coordinator):
        no_server_error(client.post("/lists/add/", add))
        no_server_error(client.get(f"/lists/{ref}/"))
        no_server_error(client.post(f"/lists/{ref}/", details))
        no_server_error(client.get(f"/lists/{ref}/print/", output))
        no_server_error(client.post(f"/lists/mine/items/{key}/move/", {"direction": key}))
        no_server_error(client.post(f"/lists/{ref}/items/{key}/note/", details))
        no_server_error(client.post(f"/lists/{ref}/items/{key}/remove/"))
        no_server_error(client.post("/lists/mine/email/", {"email": key, "consent": ref}))
        no_server_error(client.get(f"/lists/shared/{token}/"))
        no_server_error(client.post(f"/lists/shared/{token}/withdraw/"))


@pytest.mark.django_db
@FUZZ
@given(query=params(
    "q", "postcode", "radius", "category", "free", "open_now", "day", "time", "age",
    "attend", "access", "sort", "page",
))  # fmt: skip
def test_search_parameters(listing, places, query):
    no_server_error(Client().get("/search/", query))


@pytest.mark.django_db
@FUZZ
@given(
    query=params(
        "page", "per_page", "search", "taxonomy_id", "taxonomy_term_id", "postcode",
        "proximity", "full", "minimal", "format", "modified_after", "status", "top_only",
        "parent_id", "full_service",
    ),
    oruk_id=path_values,
)  # fmt: skip
def test_api_parameters(listing, places, settings, query, oruk_id):
    settings.RATE_LIMITS = {"oruk-api": None}  # exercise the parameters, not the limit
    client = Client()
    for path in ("services", "service_at_locations", "organizations", "taxonomy_terms"):
        no_server_error(client.get(f"/api/oruk/{path}", query))
        no_server_error(client.get(f"/api/oruk/{path}/{oruk_id}", query))
