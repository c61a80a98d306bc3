"""The console's small map of the highlighted result: the venue and the caller's place."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def details_map(page: str) -> dict[str, Any]:
    found = re.search(r'id="details-map"[^>]*data-map="([^"]*)"', page)
    assert found, "the details should carry a small map"
    return json.loads(html.unescape(found.group(1)))


def test_details_show_the_venue_and_the_callers_place(
    officer_client: Any, listings: list[Any], gazetteer_store: Any
) -> None:
    page = officer_client.post(
        f"/console/details/{listings[0].pk}/", {"q": "BH1 1AA carers"}
    ).content.decode()
    data = details_map(page)
    assert [(m["lat"], m["lon"]) for m in data["markers"]] == [(50.7128, -1.9847)]
    assert data["origin"]["label"] == "BH1 1AA"
    assert "council-map--small" in page
    assert "Map showing Carers Support Café: where it is" in page


def test_the_console_page_loads_the_map_script(officer_client: Any, listings: list[Any]) -> None:
    page = officer_client.get("/console/").content.decode()
    assert "leaflet/leaflet.js" in page and "directory/maps.js" in page
    # Without a place in the query there is no caller's point, only the venue.
    data = details_map(
        officer_client.post(f"/console/details/{listings[0].pk}/", {"q": "carers"}).content.decode()
    )
    assert data["origin"] is None and len(data["markers"]) == 1
