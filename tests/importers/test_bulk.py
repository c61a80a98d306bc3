"""The bulk path writes the same rows as Wagtail's add_child + save_revision + publish."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.signals import page_published

from directory.events import Change, listings_changed
from directory.models import OrganisationPage, ServicePage, TaxonomyTerm
from importers.pipeline import Item, Mapper, Options, run_pipeline
from importers.records import OrganisationRecord, ServiceRecord
from importers.report import ImportReport
from importers.writing import wagtail_private
from importers.writing.upsert import PageWriter
from search.backends import SearchQuery
from search.backends import get_search_backend as search_backend

#: Columns that legitimately differ between two pages: identity, position, time.
VOLATILE = {
    "id", "page_ptr_id", "path", "translation_key", "latest_revision_id", "live_revision_id",
    "first_published_at", "last_published_at", "latest_revision_created_at", "oruk_id",
    "source", "external_id", "url_path", "source_hash",
}  # fmt: skip


def record(external_id: str, **page: Any) -> ServiceRecord:
    terms = list(TaxonomyTerm.objects.order_by("pk").values_list("pk", flat=True)[:2])
    return ServiceRecord(
        row_number=1,
        external_id=external_id,
        organisation=OrganisationRecord("org-1", "Bulk Test Org", {"description": "An org."}),
        page={
            "title": "Tuesday Lunch Club",
            "summary": "Lunch and a chat.",
            "description": "Hot lunch, tea and company.",
            "website": "https://example.org/lunch",
            "is_free": False,
            "fees_description": "£3.50",
            "last_verified_on": dt.date(2025, 1, 2),
            **page,
        },
        parts={
            "locations": [
                {
                    "name": "Hall",
                    "address_1": "1 High St",
                    "postcode": "BH1 1AA",
                    "latitude": 50.72,
                    "longitude": -1.86,
                    "wheelchair_accessible": True,
                }
            ],
            "schedules": [
                {"freq": "WEEKLY", "byday": "TU", "opens_at": dt.time(12), "closes_at": dt.time(14)}
            ],
            "contacts": [{"phone": "01202 123456", "email": "a@example.org"}],
            "cost_options": [{"amount": Decimal("3.50"), "amount_description": "lunch"}],
            "languages": [{"name": "English", "code": "en"}],
        },
        term_ids=terms,
        row_hash=f"hash-{external_id}",
    )


def write(source: str, records: list[ServiceRecord], *, bulk: bool, publish: bool = True) -> Any:
    report = ImportReport()
    writer = PageWriter(source, report, publish=publish, bulk=bulk)
    writer.write(records)
    writer.finish()
    report.bulk_created = len(writer.bulk_created)
    return report


def row(page: ServicePage) -> dict[str, Any]:
    values = Page.objects.filter(pk=page.pk).values().get()
    values.update(ServicePage.objects.filter(pk=page.pk).values().get())
    return {k: v for k, v in values.items() if k not in VOLATILE}


def content(revision: Revision) -> dict[str, Any]:
    """Revision content with ids and tree positions taken out."""

    def scrub(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items() if k not in VOLATILE | {"pk", "page"}}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    data = scrub(revision.content)
    # A many-to-many is a set: its list order follows the database's collation of
    # TaxonomyTerm.Meta.ordering (NULLs first on SQLite, last on PostgreSQL).
    data["taxonomy_terms"] = sorted(data["taxonomy_terms"])
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("publish", [True, False])
def test_bulk_page_is_indistinguishable_from_a_normally_created_one(publish: bool) -> None:
    assert write("normal", [record("n1")], bulk=False, publish=publish).created == 1
    bulk_report = write("bulk", [record("b1")], bulk=True, publish=publish)
    assert bulk_report.created == bulk_report.bulk_created == 1
    normal = ServicePage.objects.get(source="normal")
    bulk = ServicePage.objects.get(source="bulk")

    assert row(bulk) == row(normal)
    assert bulk.live is publish and bulk.draft_title == "Tuesday Lunch Club"
    assert bulk.url_path == bulk.get_parent().url_path + bulk.slug + "/"
    assert (bulk.live_revision_id is not None) is publish
    assert bulk.latest_revision_created_at == bulk.latest_revision.created_at
    if publish:
        assert bulk.first_published_at == bulk.last_published_at is not None
    bulk_revisions = list(Revision.objects.for_instance(bulk))
    normal_revisions = list(Revision.objects.for_instance(normal))
    assert len(bulk_revisions) == len(normal_revisions) == 1
    assert content(bulk_revisions[0]) == content(normal_revisions[0])
    assert bulk_revisions[0].as_object().locations.get().postcode == "BH1 1AA"

    actions = lambda page: sorted(  # noqa: E731
        PageLogEntry.objects.filter(page=page).values_list("action", "label", "content_changed")
    )
    assert actions(bulk) == actions(normal)
    refs = lambda page: sorted(  # noqa: E731
        ReferenceIndex.objects.filter(object_id=str(page.pk)).values_list(
            "to_content_type_id", "to_object_id", "model_path", "content_path"
        )
    )
    assert refs(bulk) == refs(normal)

    # The tree is consistent: treebeard's own checks find nothing to fix.
    org = OrganisationPage.objects.get(pk=bulk.get_parent().pk)
    assert org.numchild == org.get_children().count() == 1
    assert Page.find_problems() == ([], [], [], [], [])
    # Wagtail's own search index (the admin's page search) has it.
    found = {page.pk for page in ServicePage.objects.search("Tuesday Lunch")}
    assert {bulk.pk, normal.pk} <= found


@pytest.mark.django_db
def test_admin_edits_and_publishes_a_bulk_page_and_history_works(client: Client) -> None:
    write("bulk", [record("b1"), record("b2", title="Friday Lunch")], bulk=True)
    page = ServicePage.objects.get(external_id="b1")
    admin = get_user_model().objects.create_superuser("boss", "b@example.org", "pw")
    client.force_login(admin)

    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{page.pk}/history/").status_code == 200
    assert client.get(f"/admin/pages/{page.get_parent().pk}/").status_code == 200
    revision = page.latest_revision
    assert client.get(f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/").status_code == 200

    page.title = "Tuesday Lunch Club (edited)"
    new_revision = page.save_revision(user=admin)
    new_revision.publish(user=admin)
    page.refresh_from_db()
    assert page.title == "Tuesday Lunch Club (edited)" and page.live_revision == new_revision
    assert Revision.objects.for_instance(page).count() == 2
    compare = f"/admin/pages/{page.pk}/revisions/compare/{revision.pk}...{new_revision.pk}/"
    assert client.get(compare).status_code == 200
    assert client.get(page.get_url()).status_code == 200


@pytest.mark.django_db
def test_a_bad_record_in_a_bulk_batch_is_skipped_and_the_rest_written() -> None:
    bad = record("bad", website="not a url")
    clash = record("clash")
    clash.parts["schedules"] = [{"freq": "WEEKLY", "byday": "XX"}]
    report = write("bulk", [record("b1"), bad, clash, record("b2")], bulk=True)
    assert report.created == report.bulk_created == 2
    reasons = {r.external_id: r.reason for r in report.skipped_records}
    assert set(reasons) == {"bad", "clash"}
    assert "website" in reasons["bad"] and "byday" in reasons["clash"]
    assert ServicePage.objects.filter(source="bulk").count() == 2
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_a_database_error_falls_back_to_one_transaction_per_record() -> None:
    first = write("bulk", [record("b1")], bulk=True)
    taken = ServicePage.objects.get(external_id="b1").oruk_id
    # The same oruk_id again cannot be inserted: the batch rolls back, and the retry
    # saves the good record and reports the bad one.
    report = write("bulk", [record("b2"), record("b3", oruk_id=taken)], bulk=True)
    assert first.created == first.bulk_created == 1
    assert report.created == 1 and report.bulk_created == 0
    assert [r.external_id for r in report.skipped_records] == ["b3"]
    assert ServicePage.objects.filter(source="bulk").count() == 2
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_bulk_listing_index_matches_documents_built_from_the_database() -> None:
    """Documents built from the in-memory bulk pages are those the index task builds."""
    from search.backends import get_search_backend
    from search.documents import build_documents

    backend = get_search_backend()
    written: list[Any] = []
    original = backend.index_documents  # type: ignore[attr-defined]

    def capture(documents: Any, replace: bool = True) -> int:
        written.extend(documents)
        return original(documents, replace)

    backend.index_documents = capture  # type: ignore[attr-defined]
    try:
        report = write(
            "bulk-index", [record("i-1"), record("i-2", title="Wednesday Cafe")], bulk=True
        )
    finally:
        del backend.index_documents  # type: ignore[attr-defined]
    assert report.created == report.bulk_created == 2
    ids = list(ServicePage.objects.filter(source="bulk-index").values_list("pk", flat=True))
    assert sorted(d.page_id for d in written) == sorted(ids)
    assert {d.page_id: d for d in written} == build_documents(ids)
    assert backend.count() >= 2


class RecordMapper(Mapper):
    """The pipeline's source adapter for records that are already mapped."""

    source = "bulk-events"

    def external_id(self, raw: ServiceRecord) -> str:
        return raw.external_id

    def title(self, raw: ServiceRecord) -> str:
        return raw.title

    def prepare(self, number: int, raw: ServiceRecord) -> ServiceRecord:
        return raw


@pytest.fixture
def sent() -> Iterator[dict[str, list[Any]]]:
    """``listings_changed``, and ``page_published`` for services, as sent during the test."""
    calls: dict[str, list[Any]] = {"listings_changed": [], "page_published": []}

    def changed(sender: Any, **kwargs: Any) -> None:
        calls["listings_changed"].append(kwargs)

    def published(sender: Any, instance: Any, **kwargs: Any) -> None:
        if isinstance(instance, ServicePage):
            calls["page_published"].append(instance.pk)

    listings_changed.connect(changed, dispatch_uid="test-bulk-changed")
    page_published.connect(published, dispatch_uid="test-bulk-published")
    yield calls
    listings_changed.disconnect(dispatch_uid="test-bulk-changed")
    page_published.disconnect(dispatch_uid="test-bulk-published")


@pytest.mark.django_db
def test_the_bulk_path_sends_listings_changed_once_per_batch(
    sent: dict[str, list[Any]],
) -> None:
    records = [record(f"e-{n}", title=f"Lunch club {n}") for n in range(5)]
    items = [Item(number=n, raw=r) for n, r in enumerate(records, start=1)]
    report = run_pipeline(RecordMapper(), items, ImportReport(), Options(batch_size=2))

    assert report.created == 5
    ids = set(ServicePage.objects.filter(source="bulk-events").values_list("pk", flat=True))
    events = sent["listings_changed"]
    assert len(events) == 3  # batches of 2, 2 and 1
    assert all(e["in_process"] and e["change"] == Change.CHANGED for e in events)
    assert [len(e["page_ids"]) for e in events] == [2, 2, 1]
    assert {pk for e in events for pk in e["page_ids"]} == ids
    assert {page.pk for e in events for page in e["pages"]} == ids  # held in memory
    assert sent["page_published"] == []  # Wagtail's signal: not per bulk page
    assert sorted(hit.page_id for hit in search_backend().search(SearchQuery()).hits) == sorted(ids)


@pytest.mark.django_db
def test_unsupported_wagtail_versions_fall_back_to_the_normal_path(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, sent: dict[str, list[Any]]
) -> None:
    versions = {**wagtail_private.installed_versions(), "wagtail": "9.0.0"}
    monkeypatch.setattr(wagtail_private, "installed_versions", lambda: versions)
    with caplog.at_level(logging.WARNING, logger=wagtail_private.__name__):
        supported = wagtail_private.check_versions()
    assert supported is False
    assert "wagtail 9.0.0" in caplog.text and "normal path" in caplog.text
    monkeypatch.setattr(wagtail_private, "BULK_WRITER_SUPPORTED", supported)

    report = write("bulk", [record("b1"), record("b2", title="Friday Lunch")], bulk=True)

    assert report.created == 2 and report.bulk_created == 0
    ids = sorted(ServicePage.objects.filter(source="bulk").values_list("pk", flat=True))
    # Wagtail's own publish ran for each page, and announced it.
    assert sorted(sent["page_published"]) == ids
    assert sorted(pk for e in sent["listings_changed"] for pk in e["page_ids"]) == ids
    assert Page.find_problems() == ([], [], [], [], [])


def test_the_installed_versions_are_supported() -> None:
    assert wagtail_private.unsupported(wagtail_private.installed_versions()) == []
    assert wagtail_private.unsupported({"django-modelcluster": "7.0"}) == [
        "django-modelcluster 7.0"
    ]
