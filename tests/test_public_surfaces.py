"""Nothing withdrawn or private on any public surface.

Each test puts one listing that must stay visible (``shown``) beside one that must
not (``hidden``), hides the second the way it happens in production, then checks one
surface. ``hidden`` is hidden two ways (the ``surfaces`` fixture's params): its
organisation is unpublished while the service itself stays live, or the service
has a password view restriction.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from directory.models import OrganisationPage, ServicePage
from recommender import artefacts
from recommender.flow import SESSION_KEY
from search.backends import SearchQuery, get_search_backend
from signposting.search import fallback_search
from tests.factories import OrganisationPageFactory, ServicePageFactory
from tests.recommender.conftest import (
    complete_answers,
    isolated_var_dir,  # noqa: F401 (an autouse fixture)
)
from tests.search.conftest import BH1

API = "/api/oruk"
RECOMMENDER_RESULTS = "/what-matters/results/"
LUNCH = "A friendly lunch club to meet people over a hot meal."


@dataclass
class Surfaces:
    shown: ServicePage
    hidden: ServicePage
    hide: Callable[[], None]


@pytest.fixture(params=["unpublished organisation", "private service"])
def surfaces(
    request: pytest.FixtureRequest,
    db: None,
    index_listings: Callable[..., None],
    committed: Callable[[], AbstractContextManager[Any]],
) -> Surfaces:
    """Two indexed lunch clubs at BH1; ``hide()`` withdraws the second one."""
    shown_org = OrganisationPageFactory(title="Shown Neighbours")
    shown = ServicePageFactory(parent=shown_org, title="Shown Lunch Club", description=LUNCH)
    if request.param == "unpublished organisation":
        hidden_org = OrganisationPageFactory(title="Withdrawn Neighbours")
        hidden = ServicePageFactory(parent=hidden_org, title="Hidden Lunch Club", description=LUNCH)

        def hide() -> None:
            with committed():
                OrganisationPage.objects.get(pk=hidden_org.pk).unpublish()

    else:
        hidden = ServicePageFactory(parent=shown_org, title="Hidden Lunch Club", description=LUNCH)

        def hide() -> None:
            PageViewRestriction.objects.create(
                page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="secret"
            )
            index_listings(hidden)

    index_listings(shown, hidden)
    return Surfaces(shown, ServicePage.objects.get(pk=hidden.pk), hide)


def _text(response: Any) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_service_page(client: Client, surfaces: Surfaces) -> None:
    surfaces.hide()
    assert client.get(surfaces.shown.url).status_code == 200
    response = client.get(surfaces.hidden.url)
    # A private page asks for its password; neither way are its details shown.
    assert response.status_code in (200, 404)
    assert "Hidden Lunch Club" not in _text(response)
    assert LUNCH not in _text(response)


def test_ask_to_manage_form(client: Client, surfaces: Surfaces) -> None:
    """The "Is this your group?" form names the listing, so a hidden one has none."""
    surfaces.hide()
    shown = client.get(f"/manage-this-listing/{surfaces.shown.pk}/")
    assert shown.status_code == 200
    assert "Shown Neighbours" in shown.text
    for url in (
        f"/manage-this-listing/{surfaces.hidden.pk}/",
        f"/manage-this-listing/{surfaces.hidden.pk}/sent/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Hidden Lunch Club" not in response.text
        assert "Withdrawn Neighbours" not in response.text


def test_organisation_listing(client: Client, surfaces: Surfaces) -> None:
    surfaces.hide()
    organisation = surfaces.shown.get_parent()
    html = client.get(organisation.url).content.decode()
    assert "Shown Lunch Club" in html
    assert "Hidden Lunch Club" not in html


def test_search_results_total_and_facets(client: Client, surfaces: Surfaces) -> None:
    surfaces.hide()
    response = client.get("/search/", {"q": "lunch club"})
    html = response.content.decode()
    assert "Shown Lunch Club" in html
    assert "Hidden Lunch Club" not in html
    assert response.context["results"].total == 1
    # With no words the snapshot answers: the total and every facet count one listing.
    results = get_search_backend().search(SearchQuery(location=BH1, radius_miles=3))
    assert [hit.title for hit in results.hits] == ["Shown Lunch Club"]
    assert results.total == 1
    assert all(n <= 1 for counts in results.facets.values() for n in counts.values())


def test_oruk_api_services(client: Client, surfaces: Surfaces) -> None:
    surfaces.hide()
    listed = client.get(f"{API}/services", {"per_page": 100}).json()["contents"]
    assert [s["id"] for s in listed] == [str(surfaces.shown.oruk_id)]
    assert client.get(f"{API}/services/{surfaces.shown.oruk_id}").status_code == 200
    assert client.get(f"{API}/services/{surfaces.hidden.oruk_id}").status_code == 404
    located = client.get(f"{API}/service_at_locations", {"per_page": 100}).json()["contents"]
    assert {row["service"]["id"] for row in located} == {str(surfaces.shown.oruk_id)}


def test_exports(client: Client, surfaces: Surfaces) -> None:
    surfaces.hide()
    lines = _text(client.get(f"{API}/export.ndjson")).splitlines()
    assert [json.loads(line)["id"] for line in lines] == [str(surfaces.shown.oruk_id)]
    rows = list(csv.DictReader(io.StringIO(_text(client.get(f"{API}/export.csv")))))
    assert [row["name"] for row in rows] == ["Shown Lunch Club"]


def test_recommender_suggestions(client: Client, surfaces: Surfaces) -> None:
    session = client.session
    session[SESSION_KEY] = complete_answers()  # near BH1, to meet people
    session.save()
    # Built while both are visible, so the read-time check is what hides it ...
    assert "Hidden Lunch Club" in client.get(RECOMMENDER_RESULTS).content.decode()
    surfaces.hide()
    html = client.get(RECOMMENDER_RESULTS).content.decode()
    assert "Shown Lunch Club" in html
    assert "Hidden Lunch Club" not in html
    # ... and a rebuild leaves it out of the artefacts themselves.
    artefacts.rebuild()
    html = client.get(RECOMMENDER_RESULTS).content.decode()
    assert "Shown Lunch Club" in html
    assert "Hidden Lunch Club" not in html


def test_resource_lists(client: Client, surfaces: Surfaces) -> None:
    """An anonymous visitor cannot add it, and a list made before shows it as gone."""
    add = reverse("resource_lists:add")
    client.post(add, {"page_id": surfaces.shown.pk})
    client.post(add, {"page_id": surfaces.hidden.pk})
    surfaces.hide()
    print_view = reverse("resource_lists:print", kwargs={"ref": "mine"})
    html = client.get(print_view).content.decode()
    assert "Shown Lunch Club" in html
    assert html.count("This listing is no longer available.") == 1
    assert client.post(add, {"page_id": surfaces.hidden.pk}).status_code == 404


def test_console_search_and_details(officer_client: Client, surfaces: Surfaces) -> None:
    surfaces.hide()
    html = officer_client.post("/console/results/", {"q": "lunch club"}).text
    assert "Shown Lunch Club" in html
    assert "Hidden Lunch Club" not in html
    # The console's own search, for when the search backend is down.
    assert [hit.title for hit in fallback_search("lunch club", None)] == ["Shown Lunch Club"]
    details = officer_client.post(f"/console/details/{surfaces.hidden.pk}/", {"q": "lunch"})
    assert details.status_code == 200
    assert "Hidden Lunch Club" not in details.text
    shown = officer_client.post(f"/console/details/{surfaces.shown.pk}/", {"q": "lunch"}).text
    assert "Shown Lunch Club" in shown


def test_console_details_never_show_a_draft(officer_client: Client, organisation: Any) -> None:
    draft = ServicePage(title="Draft Lunch Club", live=False)
    organisation.add_child(instance=draft)
    details = officer_client.post(f"/console/details/{draft.pk}/", {"q": "lunch"})
    assert details.status_code == 200
    assert "Draft Lunch Club" not in details.text
    picked = officer_client.post("/console/pick/", {"page_id": draft.pk})
    assert "Draft Lunch Club" not in picked.text
