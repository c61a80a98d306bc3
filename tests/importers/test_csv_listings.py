"""The listings CSV template importer, and CSV files in the wrong encoding or format."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from directory.models import OrganisationPage, ServicePage
from importers.sources.csv_listings import import_csv_listings, parse_days, parse_time
from importers.writing.upsert import ImportSetupError

TEMPLATE = (
    Path(__file__).resolve().parents[2] / "importers" / "templates_csv" / "listings_template.csv"
)
HEADER = "id,organisation,name,description,postcode,days,opens_at,closes_at,cost,free,categories\n"


@pytest.mark.django_db
def test_the_template_itself_imports(gazetteer_store) -> None:
    report = import_csv_listings(TEMPLATE)
    assert (report.created, report.skipped) == (2, 0), report.summary()
    lunch = ServicePage.objects.get(external_id="poole-gn-lunch")
    assert lunch.live and lunch.get_parent().title == "Poole Good Neighbours"
    assert lunch.cost_options.get().amount == 3.5 and not lunch.is_free
    schedule = lunch.schedules.get()
    assert (schedule.byday, str(schedule.opens_at), str(schedule.closes_at)) == (
        "TU",
        "12:00:00",
        "14:00:00",
    )
    assert lunch.locations.get().postcode == "BH12 3JH" and lunch.locations.get().latitude
    assert {t.code for t in lunch.taxonomy_terms.all()} == {"lunch-clubs"}
    coffee = ServicePage.objects.get(external_id="poole-gn-coffee")
    assert coffee.is_free and coffee.schedules.get().opens_at.hour == 10
    assert OrganisationPage.objects.filter(source="csv").count() == 1
    assert import_csv_listings(TEMPLATE).unchanged == 2


@pytest.mark.django_db
def test_rows_without_ids_get_stable_ones_and_bad_rows_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text(
        HEADER
        + ",Org A,Lunch,<script>alert(1)</script>Soup,,Mon-Wed,10am,2pm,Donations,yes,Nope\n"
        + "x2,,No organisation,,,,,,,,\n"
        + "x3,Org A,,,,,,,,,\n"
        + "x4,Org A,Odd times,,,Funday,10,9,£2,maybe,\n",
        encoding="utf-8",
    )
    report = import_csv_listings(path)
    reasons = {r.row_number: r.reason for r in report.skipped_records}
    assert reasons == {3: "no organisation", 4: "no name"}
    lunch = ServicePage.objects.get(title="Lunch")
    assert lunch.external_id.startswith("row-") and lunch.description == "Soup"
    assert lunch.schedules.get().byday == "MO,TU,WE" and lunch.fees_description == "Donations"
    odd = ServicePage.objects.get(title="Odd times")
    assert not odd.schedules.exists() and "Funday" in odd.schedule_description
    text = report.summary()
    assert "category 'Nope' is not one of ours" in text and "no id: made one" in text
    assert import_csv_listings(path).unchanged == 2  # the made-up id is stable


@pytest.mark.django_db
def test_windows_1252_csv_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        (HEADER + "c1,Caf\u00e9 Org,Caf\u00e9 lunch \u2013 \u00a33,,,,,,,,\n").encode("cp1252")
    )
    report = import_csv_listings(path)
    assert report.created == 1
    assert ServicePage.objects.get().title == "Caf\u00e9 lunch \u2013 \u00a33"
    assert any("not UTF-8" in w and "Windows-1252" in w for w in report.warnings)


@pytest.mark.django_db
def test_binary_and_wrong_header_files_are_refused(tmp_path: Path) -> None:
    xlsx = tmp_path / "sheet.csv"
    xlsx.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(ImportSetupError, match="not a CSV file"):
        import_csv_listings(xlsx)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("title,where\nx,y\n")
    with pytest.raises(ImportSetupError, match="no organisation, name column"):
        import_csv_listings(wrong)
    assert not ServicePage.objects.exists()


def test_days_and_times() -> None:
    assert parse_days("Monday - Friday") == "MO,TU,WE,TH,FR"
    assert parse_days("Tue & Thu") == "TU,TH" and parse_days("1TU") == "1TU"
    assert str(parse_time("2.30pm")) == "14:30:00" and str(parse_time("12am")) == "00:00:00"
    with pytest.raises(ValueError):
        parse_days("Someday")


@pytest.mark.django_db
def test_command_dry_run(capsys) -> None:
    call_command("import_listings_csv", str(TEMPLATE), "--dry-run")
    assert "Would import" in capsys.readouterr().out
    assert not ServicePage.objects.exists()
