"""Services a feed sends with no location: placed from their text, or given a default
area, then found by postcode on every surface (issue 12, part 6)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.models import Area, AreaType, ServicePage
from geography.gazetteer import reset_gazetteer
from importers.coverage import DefaultArea, DefaultAreaError
from importers.models import ImportKind, ImportRun
from importers.parsing.text_places import places_in, postcodes_in
from importers.runs import execute_run
from importers.sources.oruk import import_oruk

pytestmark = pytest.mark.django_db

#: North Lincolnshire: the council whose real feed sends no locations at all.
COUNCIL = "E06000013"
IN_COUNCIL = "DN16 1AB"
ELSEWHERE = "BH1 1AA"
SOURCE = "oruk:no-places"


def _service(n: int, name: str, description: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-8000-00000000000{n}",
        "name": name,
        "description": description,
        "status": "active",
        "organization": {"id": "00000000-0000-4000-8000-0000000000aa", "name": "Test Org"},
        "pc_targetAudience": [],
        **extra,
    }


FEED = [
    # As the real North Lincolnshire feed: words only.
    _service(1, "Wellbeing walks for carers", "<p>Gentle walks every week for carers.</p>"),
    # Its venue's postcode is in the description.
    _service(2, "Wellbeing cafe for carers", "Meet us at the Civic Centre, DN15 6NE, on Fridays."),
    # A postcode-shaped typo finds no point: still unplaced.
    _service(3, "Wellbeing phone line for carers", "Write to us at ZZ99 9ZZ."),
]


@pytest.fixture
def council(gazetteer_store: Any) -> Area:
    reset_gazetteer()
    return Area.objects.create(
        gss_code=COUNCIL, name="North Lincolnshire", area_type=AreaType.LOCAL_AUTHORITY
    )


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "no_places.json"
    path.write_text(json.dumps(FEED), encoding="utf-8")
    return path


def _page(n: int) -> ServicePage:
    return ServicePage.objects.get(external_id=FEED[n - 1]["id"])


def test_postcodes_are_read_from_text(gazetteer_store: Any) -> None:
    reset_gazetteer()
    from geography.gazetteer import get_gazetteer

    assert postcodes_in("at dn15 6ne or DN15&nbsp;6NE, then DN16 1AB.") == ["DN15 6NE", "DN16 1AB"]
    assert postcodes_in("call 01724 297000 from 9am") == []
    gazetteer = get_gazetteer()
    assert places_in("Civic Centre, DN15 6NE", gazetteer)[0][0] == "DN15 6NE"
    assert places_in("ZZ99 9ZZ", gazetteer) == []
    assert places_in("DN15 6NE", None) == []
    # A list of many postcodes is a list of elsewhere, not where the service is.
    many = "DN15 6NE, DN16 1AB, DN16 2UT, DN18 5NG"
    assert places_in(many, gazetteer) == []


def test_without_a_default_the_report_counts_the_unreachable(council: Area, feed: Path) -> None:
    report = import_oruk(feed, source=SOURCE)
    assert report.created == 3
    assert report.unreachable == 2
    assert "2 of 3 records have no location and no service area" in report.summary()
    assert "'Wellbeing walks for carers'" in report.summary()
    cafe = _page(2).locations.get()
    assert (cafe.postcode, round(cafe.latitude, 2)) == ("DN15 6NE", 53.59)
    assert any("placed it at DN15 6NE (from its description)" in w for w in report.warnings)
    assert not _page(1).service_areas.exists()


def test_a_default_area_covers_the_unplaced_and_a_later_run_updates_them(
    council: Area, feed: Path
) -> None:
    import_oruk(feed, source=SOURCE)
    area = DefaultArea.lookup(COUNCIL.lower())
    report = import_oruk(feed, source=SOURCE, default_area=area)
    # The feed did not change, but the default did: the two unplaced ones are updated.
    assert (report.updated, report.unchanged, report.defaulted, report.unreachable) == (2, 1, 2, 0)
    assert "2 records with no location and no service area given the default area" in (
        report.summary()
    )
    for n in (1, 3):
        coverage = _page(n).service_areas.get()
        assert (coverage.kind, coverage.area_id) == ("area", council.pk)
    assert not _page(2).service_areas.exists()  # it has a place of its own


def test_default_area_is_checked_with_a_clear_message(council: Area) -> None:
    with pytest.raises(DefaultAreaError, match="No council area has the GSS code E06999999"):
        DefaultArea.lookup("E06999999")
    with pytest.raises(DefaultAreaError, match="North Lincolnshire is E06000013"):
        DefaultArea.lookup("north lincolnshire")
    ward = Area.objects.create(gss_code="E05001234", name="Ashby", area_type=AreaType.WARD)
    with pytest.raises(DefaultAreaError, match="is a ward"):
        DefaultArea.lookup(ward.gss_code)


def test_the_command_takes_and_checks_a_default_area(council: Area, feed: Path, capsys) -> None:
    with pytest.raises(CommandError, match="--default-area: No council area"):
        call_command("import_oruk", str(feed), "--default-area", "E06999999")
    call_command("import_oruk", str(feed), "--source", SOURCE, "--default-area", COUNCIL)
    run = ImportRun.objects.get()
    assert (run.default_area_gss, run.unreachable, run.created) == (COUNCIL, 0, 3)
    assert "given the default area North Lincolnshire (E06000013)" in capsys.readouterr().out


def test_the_admin_import_page_takes_and_checks_a_default_area(
    council: Area, client: Any, make_user: Any, settings: Any, tmp_path: Path
) -> None:
    from cms.workflows.roles import Role

    settings.VAR_DIR = tmp_path
    client.force_login(make_user(Role.COUNCIL_ADMIN))
    lac_client = client
    upload = json.dumps(FEED).encode()

    def post(code: str, kind: str = ImportKind.ORUK) -> Any:
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {"kind": kind, "mode": "dry_run", "default_area": code}
        data["upload"] = SimpleUploadedFile("feed.json", upload)  # type: ignore[assignment]
        return lac_client.post("/admin/imports/", data)

    refused = post("E06999999")
    assert refused.status_code == 200
    assert "No council area has the GSS code E06999999" in refused.text
    assert "only for ORUK feeds" in post(COUNCIL, ImportKind.CSV).text
    assert not ImportRun.objects.exists()
    accepted = post(COUNCIL.lower())
    assert accepted.status_code == 302
    run = ImportRun.objects.get()
    assert run.default_area_gss == COUNCIL
    execute_run(run.pk)
    run.refresh_from_db()
    assert "given the default area North Lincolnshire" in run.report
    detail = lac_client.get(f"/admin/imports/{run.pk}/").text
    assert "Default service area" in detail and COUNCIL in detail
    # Doing for real what the dry run checked keeps the setting.
    lac_client.post(f"/admin/imports/{run.pk}/action/", {"action": "draft"})
    assert ImportRun.objects.exclude(pk=run.pk).get().default_area_gss == COUNCIL


@pytest.fixture
def imported(council: Area, feed: Path, committed: Any) -> None:
    with committed():
        import_oruk(feed, source=SOURCE, default_area=DefaultArea.lookup(COUNCIL))


def test_web_search_shows_them_as_covering_the_area(imported: None, client: Any) -> None:
    page = client.get("/search/", {"q": "wellbeing carers", "postcode": IN_COUNCIL}).text
    for n in (1, 2, 3):
        assert _page(n).title in page
    assert "Covers your area" in page
    elsewhere = client.get("/search/", {"q": "wellbeing carers", "postcode": ELSEWHERE}).text
    assert _page(1).title not in elsewhere


def test_the_console_finds_them_by_postcode(imported: None, officer_client: Any) -> None:
    html = officer_client.post("/console/results/", {"q": f"wellbeing carers {IN_COUNCIL}"}).text
    for n in (1, 2, 3):
        assert _page(n).title in html
    assert "Covers this area" in html
    elsewhere = officer_client.post("/console/results/", {"q": f"wellbeing carers {ELSEWHERE}"})
    assert _page(1).title not in elsewhere.text


def test_oruk_postcode_queries_respect_the_default_area(imported: None, client: Any) -> None:
    def ids(path: str, **params: Any) -> set[str]:
        body = client.get(f"/api/oruk{path}", {"per_page": 50, **params}).json()
        return {item.get("service", {}).get("id", item["id"]) for item in body["contents"]}

    in_council = ids("/services", postcode=IN_COUNCIL)
    assert {FEED[0]["id"], FEED[1]["id"], FEED[2]["id"]} <= in_council
    assert not {FEED[0]["id"], FEED[2]["id"]} & ids("/services", postcode=ELSEWHERE)
    # The service placed from its description has a location a proximity query finds.
    near = client.get(
        "/api/oruk/service_at_locations", {"postcode": IN_COUNCIL, "proximity": 5000}
    ).json()
    assert any(FEED[1]["name"] in json.dumps(item) for item in near["contents"])


def test_the_real_north_lincolnshire_feed_is_all_reachable_with_its_default_area(
    council: Area, shared_data: Path, client: Any
) -> None:
    """The real feed sends no location and no service area for any of its services."""
    path = shared_data / "oruk" / "north_lincolnshire_v1.json"
    report = import_oruk(path, default_area=DefaultArea.lookup(COUNCIL))
    placed = [w for w in report.warnings if "no location in the feed; placed it at" in w]
    assert report.created == 738 and report.unreachable == 0, report.summary()
    assert report.defaulted + len(placed) == 738
    assert len(placed) >= 40  # venues' postcodes written in descriptions
    services = ServicePage.objects.filter(source="oruk:north_lincolnshire_v1")
    without = services.exclude(service_areas__isnull=False).exclude(
        locations__latitude__isnull=False
    )
    assert not without.exists()
    body = client.get("/api/oruk/services", {"postcode": IN_COUNCIL, "per_page": 1}).json()
    assert body["total_items"] == 738
    # Far away only the services with a venue of their own, which ORUK reads as serving
    # anyone (no service area); none of those given the council's area.
    elsewhere = client.get("/api/oruk/services", {"postcode": ELSEWHERE, "per_page": 1}).json()
    assert elsewhere["total_items"] == len(placed)
