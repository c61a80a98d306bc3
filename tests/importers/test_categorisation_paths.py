"""Every way a listing arrives categorises it: CSV, ORUK feeds, warm spaces and an
editor's save; a person's choice of categories is kept; reports count the rest."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from directory.models import ServicePage, TaxonomyTerm
from importers.models import ImportKind, ImportRun
from importers.runs import execute_run
from importers.sources.csv_listings import import_csv_listings
from importers.sources.oruk import import_oruk
from importers.sources.warm_spaces import import_warm_spaces
from tests.admin_forms import service_edit_form
from tests.factories import ServicePageFactory
from tests.importers.test_warm_spaces import row, write_csv

CSV_HEADER = "id,organisation,name,description,postcode,categories\n"


def codes(page: ServicePage) -> set[str]:
    return set(page.taxonomy_terms.values_list("code", flat=True))


def oruk_service(n: int, name: str, description: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"categorised-{n}")),
        "name": name,
        "description": f"<p>{description}</p>",
        "status": "active",
        "organization": {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, "org")), "name": "Org"},
        **extra,
    }


@pytest.mark.django_db
def test_csv_rows_are_categorised_from_their_words_unless_they_name_categories(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.csv"
    path.write_text(
        CSV_HEADER
        + "c1,Org,Knit and Natter,Bring your knitting and have a cuppa,,\n"
        + 'c2,Org,Tuesday Club,"Chair yoga, then lunch",,Lunch clubs\n'
        + "c3,Org,The Zephyr,Open Tuesdays,,\n",
        encoding="utf-8",
    )
    report = import_csv_listings(path)
    assert codes(ServicePage.objects.get(external_id="c1")) == {"arts-and-crafts"}
    # The council's own category column is its choice: nothing is added to it.
    assert codes(ServicePage.objects.get(external_id="c2")) == {"lunch-clubs"}
    assert codes(ServicePage.objects.get(external_id="c3")) == set()
    assert report.uncategorised == 1
    assert "1 of 3 rows left without a category" in report.summary()
    assert "row 4 'The Zephyr'" in report.summary()


@pytest.mark.django_db
def test_oruk_services_are_categorised_from_their_feed_terms_or_their_words(
    tmp_path: Path,
) -> None:
    lgsl_term = {
        "id": str(uuid.uuid4()),
        "name": "Food banks",
        "taxonomy": "esd",
        "term_uri": "http://id.esd.org.uk/service/1818",
    }
    feed = [
        oruk_service(1, "Befriending Scheme", "Weekly visits from a befriender"),  # v3, text
        oruk_service(2, "Hillside Hub", "", attributes=[{"taxonomy_term": lgsl_term}]),
        oruk_service(
            3,
            "Helping Hands",
            "",
            service_taxonomys=[
                {"taxonomy": {"name": "Free Meals", "vocabulary": "openEligibility"}}
            ],
        ),  # v1 with Open Eligibility
        oruk_service(4, "The Zephyr", "Open Tuesdays"),
    ]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    report = import_oruk(path, source="oruk:test")
    assert report.created == 4, report.summary()
    by_title = {page.title: page for page in ServicePage.objects.filter(source="oruk:test")}
    assert codes(by_title["Befriending Scheme"]) == {"befriending"}
    assert "food-banks" in codes(by_title["Hillside Hub"])  # plus the feed's own term
    assert "community-meals" in codes(by_title["Helping Hands"])
    assert codes(by_title["The Zephyr"]) == set()
    assert report.uncategorised == 1 and "1 of 4 records left" in report.summary()


@pytest.mark.django_db
def test_warm_spaces_rows_get_their_kind_as_well_as_warm_spaces(
    tmp_path: Path, gazetteer_store: Any
) -> None:
    path = write_csv(
        tmp_path / "w.csv",
        [row(id="w1", title="Memory Café at St Luke's", description="For people with dementia")],
    )
    report = import_warm_spaces(path)
    page = ServicePage.objects.get(external_id="w1")
    assert codes(page) == {"memory-cafes", "warm-spaces"}
    assert report.uncategorised == 0


@pytest.mark.django_db
def test_the_import_run_records_how_many_were_left_without_a_category(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text(CSV_HEADER + "z1,Org,The Zephyr,,,\nz2,Org,Food Bank,,,\n", encoding="utf-8")
    run = ImportRun.objects.create(
        kind=ImportKind.CSV, file_path=str(path), publish=True, dry_run=False
    )
    execute_run(run.pk)
    run.refresh_from_db()
    assert run.uncategorised == 1
    assert "1 of 2 rows left without a category" in run.report


@pytest.mark.django_db
def test_an_editor_saving_a_service_with_no_category_gets_one(admin_client: Any) -> None:
    service = ServicePageFactory(title="Riverside", summary="", description="")
    service.taxonomy_terms.clear()
    service.save_revision().publish()
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[service.pk]),
        service_edit_form(
            service,
            action="publish",
            title="Riverside Lunch Club",
            description="A hot two-course lunch every Tuesday.",
            taxonomy_terms=[],
        ),
    )
    assert response.status_code == 302
    assert codes(ServicePage.objects.get(pk=service.pk)) == {"lunch-clubs"}


@pytest.mark.django_db
def test_an_editors_own_categories_are_never_replaced(admin_client: Any) -> None:
    service = ServicePageFactory(title="Riverside")
    gardening = TaxonomyTerm.objects.get(code="gardening")
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[service.pk]),
        service_edit_form(
            service,
            action="publish",
            title="Riverside Lunch Club",
            description="A hot two-course lunch every Tuesday.",
            taxonomy_terms=[gardening.pk],
        ),
    )
    assert response.status_code == 302
    assert codes(ServicePage.objects.get(pk=service.pk)) == {"gardening"}


@pytest.mark.django_db
def test_a_draft_save_is_categorised_too(admin_client: Any) -> None:
    service = ServicePageFactory(title="Riverside")
    service.taxonomy_terms.clear()
    service.save_revision().publish()
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[service.pk]),
        service_edit_form(
            service,
            title="Riverside Food Bank",
            summary="",
            description="Food parcels",
            taxonomy_terms=[],
        ),
    )
    assert response.status_code == 302
    draft = ServicePage.objects.get(pk=service.pk).get_latest_revision_as_object()
    assert {term.code for term in draft.taxonomy_terms.all()} == {"food-banks"}


@pytest.mark.django_db
def test_a_reimport_keeps_the_categories_a_person_saved(tmp_path: Path, admin_client: Any) -> None:
    path = tmp_path / "l.csv"
    path.write_text(
        CSV_HEADER + "k1,Org,Riverside,Lunch club,,\nk2,Org,Hillside,Lunch club,,\n",
        encoding="utf-8",
    )
    import_csv_listings(path)
    edited = ServicePage.objects.get(external_id="k1")
    gardening = TaxonomyTerm.objects.get(code="gardening")
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[edited.pk]),
        service_edit_form(edited, action="publish", taxonomy_terms=[gardening.pk]),
    )
    assert response.status_code == 302
    # The feed changes both rows' words; only the page no person saved follows them.
    path.write_text(
        CSV_HEADER + "k1,Org,Riverside,Food bank,,\nk2,Org,Hillside,Food bank,,\n",
        encoding="utf-8",
    )
    report = import_csv_listings(path)
    assert report.updated == 2, report.summary()
    assert codes(ServicePage.objects.get(external_id="k1")) == {"gardening"}
    assert codes(ServicePage.objects.get(external_id="k2")) == {"food-banks"}
