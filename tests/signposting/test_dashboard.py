"""The demand dashboard in the Wagtail admin: who sees it and what it counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from cms.workflows.roles import Role
from signposting.log import record_signposting, record_unmet_search

pytestmark = pytest.mark.django_db
URL = "/admin/signposting/"


@pytest.fixture
def logged(officer, listings, gazetteer_store):
    from geography.gazetteer import resolve_location

    bh8 = resolve_location("BH8 8DT")
    record_signposting(
        channel="email", user=officer, page_ids=[listings[0].pk], search_text="carers", location=bh8
    )
    record_signposting(
        channel="print",
        user=officer,
        page_ids=[listings[0].pk, listings[1].pk],
        postcode="BH15 1SZ",
    )
    record_unmet_search(user=officer, search_text="dementia", location=bh8, radius_miles=3)
    return listings


def test_only_council_admins_and_moderators_see_it(make_user, officer, logged):
    for role, expected in [(Role.COUNCIL_MODERATOR, 200), (Role.COUNCIL_ADMIN, 200)]:
        client = Client()
        client.force_login(make_user(role))
        response = client.get(URL)
        assert response.status_code == expected, role
        assert "Signposting and demand" in response.text
        assert URL in client.get("/admin/").text  # the menu item
    client = Client()
    client.force_login(officer)
    assert client.get(URL).status_code in (302, 403)
    assert Client().get(URL).status_code == 302


def test_dashboard_counts_needs_areas_gaps_and_listings(make_user, logged):
    client = Client()
    client.force_login(make_user(Role.COUNCIL_MODERATOR))
    html = client.get(URL, {"period": "30"}).text
    assert '<th scope="row">carer</th>' in html
    assert "BH8" in html and "BH15" in html
    assert '<th scope="row">dementia</th>' in html  # a gap
    assert "Carers Support Café" in html  # most signposted
    assert "Canford Walking Group" in html  # never signposted


def test_csv_export(make_user, logged):
    client = Client()
    client.force_login(make_user(Role.COUNCIL_ADMIN))
    response = client.get(URL, {"period": "all", "export": "csv"})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["date", "kind", "district", "channel"]
    assert {(r[1], r[2], r[3]) for r in rows[1:]} == {
        ("signpost", "BH8", "email"),
        ("signpost", "BH15", "print"),
        ("gap", "BH8", "search"),
    }
