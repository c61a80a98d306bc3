"""The public pages: home search form, service page, organisation page, drafts hidden."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from cms.home.models import HomePage
from directory.models import (
    CostOption,
    OrganisationPage,
    ServiceContact,
    ServiceLocation,
    ServicePage,
    ServiceSchedule,
)
from directory.presentation import age_range, display_url, hex_colour, miles


@pytest.fixture
def home() -> HomePage:
    page = HomePage.objects.first()
    assert page is not None, "the migrations should create the home page"
    return page


@pytest.fixture
def organisation(home: HomePage) -> OrganisationPage:
    org = home.add_child(
        instance=OrganisationPage(
            title="Poole Friendship Trust",
            description="Lunch clubs and friendship groups.",
            phone="01202 555 123",
        )
    )
    org.save_revision().publish()
    return org


def add_service(organisation: OrganisationPage, *, publish: bool = True, **fields) -> ServicePage:
    fields.setdefault("title", "Tuesday lunch club")
    service = ServicePage(**fields)
    if not publish:
        service.live = False
    organisation.add_child(instance=service)
    revision = service.save_revision()
    if publish:
        revision.publish()
    return service


@pytest.fixture
def lunch_club(organisation: OrganisationPage) -> ServicePage:
    service = ServicePage(
        title="Tuesday lunch club",
        summary="A hot two-course lunch and a chat.",
        description="Come along.\nTransport can be arranged.",
        is_free=True,
        minimum_age=60,
        last_verified_on=dt.date(2025, 11, 3),
        verification_note="checked by phone",
        email="lunch@example.org",
    )
    service.locations.add(
        ServiceLocation(
            name="St Aldhelm's Church Hall",
            address_1="Bournemouth Road",
            city="Poole",
            postcode="BH14 0EX",
            wheelchair_accessible=True,
        )
    )
    service.schedules.add(ServiceSchedule(byday="TU", opens_at=dt.time(12), closes_at=dt.time(14)))
    service.cost_options.add(CostOption(option="Raffle ticket", amount=Decimal("1.00")))
    service.contacts.add(ServiceContact(name="Jane Smith", phone="01202 555 124"))
    organisation.add_child(instance=service)
    service.save_revision().publish()
    return service


@pytest.mark.django_db
def test_home_page_has_search_form(client, home: HomePage) -> None:
    response = client.get(home.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="get"' in html
    assert 'name="q"' in html
    assert "What are you looking for?" in html
    assert 'name="postcode"' in html
    assert "Postcode or town" in html
    assert 'id="main-content"' in html
    assert 'lang="en-GB"' in html
    # Council branding, never the GOV.UK crown or typeface.
    assert "govuk-header__logotype" not in html
    assert "GDS Transport" not in html
    assert "--brand-colour: #00205b" in html
    assert 'action="/search/"' in html
    # The service's name once in the title, though the home page carries it too.
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.count(home.title) == 1, title


@pytest.mark.django_db
def test_service_page_shows_contact_cost_and_checked_date(client, lunch_club) -> None:
    response = client.get(lunch_club.get_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="tel:01202555124"' in html
    assert 'href="mailto:lunch@example.org"' in html
    assert "Free" in html
    assert "Last checked on 3 November 2025" in html
    assert "checked by phone" in html
    assert "Every Tuesday, midday to 2pm" in html
    assert "Bournemouth Road, Poole, BH14 0EX" in html
    assert "Wheelchair accessible" in html
    assert "60 and over" in html
    assert "£1.00" in html
    assert 'class="govuk-breadcrumbs"' in html
    assert "Poole Friendship Trust" in html
    assert "Transport can be arranged" in html
    assert "temporarily closed" not in html


@pytest.mark.django_db
def test_closed_service_shows_a_warning(client, organisation) -> None:
    service = add_service(organisation, title="Walking group", status="temporarily closed")
    response = client.get(service.get_url())
    assert response.status_code == 200
    assert "This service is temporarily closed" in response.content.decode()


@pytest.mark.django_db
def test_organisation_page_lists_only_live_services(client, organisation, lunch_club) -> None:
    add_service(organisation, title="Secret draft service", publish=False)
    withdrawn = add_service(organisation, title="Withdrawn service")
    withdrawn.unpublish()

    response = client.get(organisation.get_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tuesday lunch club" in html
    assert "Secret draft service" not in html
    assert "Withdrawn service" not in html
    assert 'href="tel:01202555123"' in html


@pytest.mark.django_db
def test_draft_only_service_is_not_public(client, organisation) -> None:
    draft = add_service(organisation, title="Secret draft service", publish=False)
    url = organisation.get_url() + draft.slug + "/"
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Secret draft service" not in client.get("/", {"q": "secret"}).content.decode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (0, "Less than 0.1 miles"),
        (0.04, "Less than 0.1 miles"),
        (0.42, "0.4 miles"),
        (1.0, "1 mile"),
        (1.04, "1 mile"),
        (2.55, "2.5 miles"),
        (12.4, "12 miles"),
        ("junk", ""),
    ],
)
def test_miles_filter(value, expected) -> None:
    assert miles(value) == expected


def test_small_filters() -> None:
    assert display_url("https://www.example.org/lunch/") == "example.org/lunch"
    assert hex_colour("#00205B") == "#00205b"
    assert hex_colour("red; background: url(x)") == ""
    # Plain objects: building a Page outside a database test would look up its content type.
    assert age_range(SimpleNamespace(minimum_age=18, maximum_age=65)) == "18 to 65"
    assert age_range(SimpleNamespace(minimum_age=None, maximum_age=25)) == "Up to 25"
    assert age_range(SimpleNamespace(minimum_age=None, maximum_age=None)) == ""
