"""The warm spaces importer, on the real BH file and on crafted rows."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from directory.models import OrganisationPage, ServiceLocation, ServicePage
from importers.models import ImportKind, ImportRun, ImportStatus
from importers.sources.warm_spaces import import_warm_spaces
from importers.tasks import run_import_task

COLUMNS = [
    "id", "source_id", "source_title", "source_url", "source_checked", "title",
    "description", "address", "postcode", "lat", "lon", "hours_text", "hours_osm",
    "contact", "url",
]  # fmt: skip
SCRIPT = "<script>alert('owned')</script>"


@pytest.fixture
def gazetteer(gazetteer_store: Any) -> Any:
    """The postcode store (built once by the conftest fixture of that name)."""
    return gazetteer_store


def row(**values: str) -> dict[str, str]:
    base = {
        "id": "good-1",
        "source_id": "test_directory",
        "source_title": "Test Directory",
        "source_url": "https://example.org/warm",
        "source_checked": "2025-10-28",
        "title": "Allendale Lunch Club",
        "description": "A warm welcome and a hot lunch. Every Tuesday in the hall...",
        "address": "Allendale Community Centre, Hanham Road, Wimborne Minster BH21 1AS",
        "postcode": "BH21 1AS",
        "lat": "50.8004",
        "lon": "-1.98578",
        "hours_text": "",
        "hours_osm": "Tu 12:00-14:00",
        "contact": "Tel: 01202 887247; Email: club@example.org",
        "url": "https://example.org/allendale",
    }
    base.update(values)
    return base


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def crafted_rows() -> list[dict[str, str]]:
    return [
        row(),  # row 2
        row(id="no-title", title="  "),  # row 3
        row(id="nowhere", title="Nowhere Cafe", postcode="BH99 9ZZ", lat="", lon=""),  # row 4
        row(id="bad-lat", title="Bad Lat Library", lat="fifty", lon="-1.9"),  # row 5
        row(title="Same id again"),  # row 6: duplicate of good-1
        row(
            id="xss",
            title="Scripted Cafe",
            description=f"Tea and cake {SCRIPT}<b>bold</b> &lt;script&gt;x&lt;/script&gt;",
            lat="",
            lon="",
        ),  # row 7: no coordinates, postcode known
        row(id="far-away", title="Unknown Postcode Church", postcode="BH99 9ZZ"),  # row 8
        row(id="priced", title="Friday Lunch", description="Two courses for £3.50. Book."),
        row(id="odd-hours", title="Odd Hours Hub", hours_osm="Mo 14:00-12:00", hours_text="Ask"),
    ]


@pytest.mark.django_db
def test_crafted_rows_skip_with_reasons_and_import_the_rest(tmp_path, gazetteer) -> None:
    report = import_warm_spaces(write_csv(tmp_path / "w.csv", crafted_rows()))

    reasons = {record.row_number: record.reason for record in report.skipped_records}
    assert reasons == {
        3: "no title",
        4: "unknown postcode BH99 9ZZ and no coordinates",
        5: "malformed coordinates (lat 'fifty', lon '-1.9')",
        6: "duplicate id good-1 (first on row 2)",
    }
    assert report.created == 5
    assert "row 4 'Nowhere Cafe' [nowhere]: unknown postcode BH99 9ZZ" in report.summary()
    assert any("unknown postcode BH99 9ZZ; used the listing's coordinates" in w
               for w in report.warnings)  # fmt: skip

    org = OrganisationPage.objects.get(source="warm_spaces", external_id="test_directory")
    assert org.live and org.editors_group is not None
    page = ServicePage.objects.get(source="warm_spaces", external_id="good-1")
    assert page.live and page.get_parent().pk == org.pk
    assert page.is_free and page.offers_in_person and page.status == "active"
    assert page.website == "https://example.org/allendale"
    assert page.verification_note == "Checked by Test Directory"
    assert str(page.last_verified_on) == "2025-10-28"
    [location] = page.locations.all()
    assert (location.name, location.postcode) == ("Allendale Community Centre", "BH21 1AS")
    assert location.address_1 == "Hanham Road, Wimborne Minster"
    assert (location.latitude, location.longitude) == (50.8004, -1.98578)
    [schedule] = page.schedules.all()
    assert (schedule.freq, schedule.byday, str(schedule.opens_at)) == ("WEEKLY", "TU", "12:00:00")
    assert [(c.phone, c.email) for c in page.contacts.all()] == [
        ("01202 887247", "club@example.org")
    ]
    assert "warm-spaces" in {t.code for t in page.taxonomy_terms.all()}
    assert "lunch-clubs" in {t.code for t in page.taxonomy_terms.all()}

    priced = ServicePage.objects.get(external_id="priced")
    assert not priced.is_free and "£3.50" in priced.fees_description
    odd = ServicePage.objects.get(external_id="odd-hours")
    assert not odd.schedules.exists() and odd.schedule_description == "Ask"
    no_coords = ServicePage.objects.get(external_id="xss").locations.get()
    assert no_coords.postcode == "BH21 1AS" and no_coords.latitude == pytest.approx(
        50.801, abs=1e-3
    )


@pytest.mark.django_db
def test_script_in_description_is_stored_and_shown_as_plain_text(client, tmp_path, gazetteer):
    import_warm_spaces(write_csv(tmp_path / "w.csv", crafted_rows()))
    page = ServicePage.objects.get(external_id="xss")
    assert "<" not in page.description and "script" not in page.description.lower()
    assert page.description.startswith("Tea and cake bold")
    response = client.get(page.get_url())
    assert response.status_code == 200
    assert "alert('owned')" not in response.content.decode()


@pytest.mark.django_db
def test_changed_row_updates_and_unchanged_rows_are_left_alone(tmp_path, gazetteer) -> None:
    rows = [row(), row(id="two", title="Second Space")]
    import_warm_spaces(write_csv(tmp_path / "a.csv", rows))
    page = ServicePage.objects.get(external_id="good-1")
    first_revision = page.live_revision_id

    rows[0] = row(title="Allendale Lunch Club (new name)", hours_osm="We 12:00-14:00")
    report = import_warm_spaces(write_csv(tmp_path / "b.csv", rows))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    page.refresh_from_db()
    assert page.title == "Allendale Lunch Club (new name)"
    assert page.live and page.live_revision_id != first_revision
    assert [s.byday for s in page.schedules.all()] == ["WE"]
    assert ServiceLocation.objects.filter(page=page).count() == 1
    assert ServicePage.objects.filter(source="warm_spaces").count() == 2


@pytest.mark.django_db
def test_unpublished_import_leaves_pages_not_live(tmp_path, gazetteer) -> None:
    report = import_warm_spaces(write_csv(tmp_path / "w.csv", [row()]), publish=False)
    assert report.created == 1
    page = ServicePage.objects.get(external_id="good-1")
    assert not page.live and page.latest_revision is not None
    assert not page.get_parent().live


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path, gazetteer) -> None:
    report = import_warm_spaces(write_csv(tmp_path / "w.csv", crafted_rows()), dry_run=True)
    assert report.created == 5 and report.skipped == 4
    assert not ServicePage.objects.filter(source="warm_spaces").exists()
    assert not OrganisationPage.objects.filter(source="warm_spaces").exists()


@pytest.mark.django_db
def test_real_bh_file_imports_once_and_is_unchanged_the_second_time(shared_data, gazetteer):
    path = shared_data / "listings" / "warm_spaces_bh.csv"
    first = import_warm_spaces(path)

    assert first.created == 198 - first.skipped
    assert all(record.reason for record in first.skipped_records)
    counts = (
        OrganisationPage.objects.count(),
        ServicePage.objects.count(),
        ServiceLocation.objects.count(),
    )
    assert OrganisationPage.objects.filter(source="warm_spaces").count() == 3

    second = import_warm_spaces(path)
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == first.created
    assert counts == (
        OrganisationPage.objects.count(),
        ServicePage.objects.count(),
        ServiceLocation.objects.count(),
    )
    assert second.seconds < first.seconds


@pytest.mark.django_db
def test_task_returns_the_report_as_a_dict(tmp_path, gazetteer) -> None:
    path = write_csv(tmp_path / "w.csv", crafted_rows()[:3])
    run = ImportRun.objects.create(
        kind=ImportKind.WARM_SPACES, file_path=str(path), publish=True, dry_run=False
    )
    result = run_import_task(run.pk)
    assert result["created"] == 1 and result["skipped"] == 2
    assert result["skipped_records"][0]["reason"] == "no title"
    assert "Skipped:" in result["summary"]


@pytest.mark.django_db
def test_command_without_shared_data_says_so_and_exits_cleanly(settings, tmp_path, capsys):
    settings.DIRECTORY_SHARED_DATA = tmp_path / "missing"
    call_command("import_warm_spaces")
    assert f"Shared data not found at {tmp_path / 'missing'}" in capsys.readouterr().out


@pytest.mark.django_db
def test_command_prints_the_summary(tmp_path, capsys, gazetteer) -> None:
    call_command("import_warm_spaces", "--file", str(write_csv(tmp_path / "w.csv", [row()])))
    assert "1 created" in capsys.readouterr().out


@pytest.mark.django_db
def test_command_records_a_run_and_a_second_run_leaves_everything_unchanged(
    tmp_path, capsys, gazetteer
) -> None:
    path = write_csv(tmp_path / "w.csv", crafted_rows())
    call_command("import_warm_spaces", "--file", str(path))
    call_command("import_warm_spaces", "--file", str(path))

    second, first = ImportRun.objects.filter(kind=ImportKind.WARM_SPACES)
    assert (first.status, second.status) == (ImportStatus.DONE, ImportStatus.DONE)
    assert (first.created, first.skipped) == (5, 4)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)
    assert "0 created, 0 updated, 5 unchanged" in capsys.readouterr().out


@pytest.mark.django_db
def test_command_limit_and_resume_carry_on_from_the_checkpoint(tmp_path, gazetteer) -> None:
    rows = [row(id=f"space-{n}", title=f"Warm Space {n}") for n in range(6)]
    path = write_csv(tmp_path / "w.csv", rows)
    call_command("import_warm_spaces", "--file", str(path), "--limit", "4")
    run = ImportRun.objects.get(kind=ImportKind.WARM_SPACES)
    assert (run.limit, run.created, run.checkpoint["done"]) == (4, 4, 5)

    ImportRun.objects.filter(pk=run.pk).update(limit=None)  # as if it had stopped at row 5
    call_command("import_warm_spaces", "--resume", str(run.pk))
    run.refresh_from_db()
    assert (run.status, run.created) == (ImportStatus.DONE, 6)
    assert ServicePage.objects.filter(source="warm_spaces").count() == 6
