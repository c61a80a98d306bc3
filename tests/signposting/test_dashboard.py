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


def _event(days_ago: int, district: str, needs: list[str], kind: str = "signpost") -> None:
    import datetime as dt

    from django.utils import timezone

    from signposting.models import SignpostingEvent, SignpostingNeed

    event = SignpostingEvent.objects.create(
        kind=kind,
        occurred_on=timezone.localdate() - dt.timedelta(days=days_ago),
        district=district,
        channel="search" if kind == "gap" else "print",
    )
    SignpostingNeed.objects.bulk_create(SignpostingNeed(event=event, need=n) for n in needs)


def _soup(html: str):  # type: ignore[no-untyped-def]
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def _table(soup, table_id: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """{row header: [cells]} of a table, headers with their notes stripped."""
    table = soup.find("table", id=table_id)
    assert table is not None, table_id
    rows = {}
    for tr in table.find("tbody").find_all("tr"):
        th = tr.find("th")
        if th is not None:
            name = th.find(string=True, recursive=False) or th.get_text()
            rows[name.strip()] = [td.get_text(strip=True) for td in tr.find_all("td")]
    return rows


def _dots(soup, map_id: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    svg = soup.find("svg", id=map_id)
    assert svg is not None, map_id
    return {g["data-district"]: g.find("title").get_text() for g in svg.find_all("g", "sp-dot")}


def test_charts_and_maps_match_their_tables(make_user, logged):
    # Spread over several weeks and districts, with one district the gazetteer cannot place.
    _event(3, "BH8", ["carer", "dementia"])
    _event(20, "BH1", ["carer"])
    _event(45, "BH1", ["lunch club"])
    _event(80, "", ["carer"])  # no area: "Unknown", in the table but not on the map
    _event(200, "BH1", ["carer"])  # outside the default 90 days
    _event(10, "BH1", ["dementia"], kind="gap")
    client = Client()
    client.force_login(make_user(Role.COUNCIL_MODERATOR))
    soup = _soup(client.get(URL).text)  # the default period: the last 90 days

    # Over time: one line per need, each point equal to the table's cell for that week.
    over = soup.find("svg", id="chart-over-time")
    assert over.find("title").get_text() == "Signposting by need per week, last 90 days"
    assert over.find("desc").get_text()
    table = soup.find("table", id="table-over-time")
    weeks = [th.get_text() for th in table.find("thead").find_all("th")[1:-1]]
    assert len(weeks) in (13, 14)  # ~90 days of weeks
    rows = _table(soup, "table-over-time")
    series = over.find_all("g", "sp-series")
    assert [g["data-series"] for g in series] == list(rows)[: len(series)]
    assert {g["data-series"] for g in series} >= {"carer", "dementia", "lunch club"}
    for g in series:
        name, cells = g["data-series"], rows[g["data-series"]][:-1]
        points = [t.get_text() for t in g.find_all("title")]
        assert points == [f"{name}, {w}: {n}" for w, n in zip(weeks, cells, strict=True)]
    assert rows["carer"][-1] == "4"  # 2 logged today + 20 and 80 days ago, not 200

    # Needs by area: a circle per placed district, its count the table's; Unknown is unplaced.
    districts = _table(soup, "table-needs-by-district")
    dots = _dots(soup, "map-needs")
    assert {"BH8", "BH1", "BH15"} <= set(dots) and "Unknown" not in dots
    assert "Unknown" in districts
    assert "not on the map" in str(soup.find("table", id="table-needs-by-district"))
    for district, tip in dots.items():
        assert tip == f"{district}: {districts[district][0]} needs recorded"
    assert districts["BH1"] == ["2"]  # 20 and 45 days ago; not the one 200 days ago
    # ... and the need-by-area table's "All needs" row adds up to the same.
    need_area = soup.find("table", id="table-needs-by-district").find_next("table")
    areas = [th.get_text() for th in need_area.find("thead").find_all("th")[1:-2]]
    all_needs = [td.get_text() for td in need_area.find("tfoot").find_all("td")]
    assert areas[0] == "BH8" and len(areas) == len(districts)  # busiest first, all fit
    assert all_needs[: len(areas)] == [districts[a][0] for a in areas]

    # Gaps, the same way.
    gap_dots = _dots(soup, "map-gaps")
    gap_table = _table(soup, "table-gaps-by-district")
    assert set(gap_dots) == {"BH8", "BH1"}
    for district, tip in gap_dots.items():
        assert tip == f"{district}: {gap_table[district][0]} needs searched with nothing nearby"

    # Channels as bars.
    bars = soup.find("svg", id="chart-channel").find_all("g", "sp-bar")
    channels = _table(soup, "table-channel")
    assert [b.find("title").get_text() for b in bars] == [
        f"{name}: {cells[0]}" for name, cells in channels.items()
    ]


def test_a_year_is_drawn_by_month_and_an_empty_period_says_so(make_user, db):
    _event(200, "BH1", ["carer"])
    client = Client()
    client.force_login(make_user(Role.COUNCIL_ADMIN))
    soup = _soup(client.get(URL, {"period": "365"}).text)
    over = soup.find("svg", id="chart-over-time")
    assert over.find("title").get_text() == "Signposting by need per month, last 12 months"
    assert "Month" in [t.get_text() for t in over.find_all("text", "sp-axis-label")]
    html = client.get(URL, {"period": "30"}).text
    assert 'class="sp-chart"' not in html
    assert "No signposting recorded in this period, so there is no chart." in html
    assert (
        "No signposting in this period has an area we can place on a map (see the table)." in html
    )
    assert (
        "No unmet search in this period has an area we can place on a map (see the table)." in html
    )


def test_without_the_gazetteer_the_map_gives_way_to_its_table(make_user, db, settings, tmp_path):
    from geography.gazetteer import reset_gazetteer

    _event(5, "BH1", ["carer"])
    settings.GAZETTEER_DIR = tmp_path  # no store built here
    reset_gazetteer()
    try:
        client = Client()
        client.force_login(make_user(Role.COUNCIL_MODERATOR))
        response = client.get(URL)
    finally:
        reset_gazetteer()
    assert response.status_code == 200
    soup = _soup(response.text)
    assert soup.find("svg", id="chart-over-time") is not None
    assert soup.find("svg", id="map-needs") is None
    assert "No signposting in this period has an area we can place on a map" in response.text
    assert _table(soup, "table-needs-by-district") == {"BH1": ["1"]}
