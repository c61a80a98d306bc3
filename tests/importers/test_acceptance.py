"""Acceptance checks on the real shared files (skipped without them).

The full 9,026-row warm spaces file is imported by bench/bench_import.py; here a
slice of it shows the duplicate report working.
"""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from directory.models import OrganisationPage, ServicePage
from importers.sources.oruk import import_oruk
from importers.sources.warm_spaces import import_warm_spaces


@pytest.mark.django_db
def test_north_lincolnshire_v1_creates_738_services_or_says_why(
    shared_data, gazetteer_store
) -> None:
    path = shared_data / "oruk" / "north_lincolnshire_v1.json"
    report = import_oruk(path)
    assert report.created + report.skipped == 738
    assert all(record.reason for record in report.skipped_records)
    assert ServicePage.objects.filter(source="oruk:north_lincolnshire_v1").count() == report.created
    assert report.created == 738, report.summary()
    orgs = OrganisationPage.objects.filter(source="oruk:north_lincolnshire_v1")
    assert orgs.count() == 239 and all(org.live for org in orgs)
    first = ServicePage.objects.get(oruk_id="738f94e0-aa6c-6a5c-2395-7b64421ba2a5")
    assert first.description.startswith("Struggling with Drug & Alcohol Addiction?")
    assert "<p>" not in first.description and "\n" in first.description
    assert first.last_verified_on.isoformat() == "2024-12-10"
    assert not any("<" in d for d in ServicePage.objects.values_list("description", flat=True))


@pytest.mark.django_db
def test_warm_spaces_uk_slice_reports_likely_duplicates(
    shared_data, gazetteer_store, tmp_path
) -> None:
    source = shared_data / "listings" / "warm_spaces_uk.csv"
    with source.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    # The rows of a postcode area covered by several directories, so duplicates occur.
    by_area = Counter(row["postcode"].split(" ")[0][:2] for row in rows)
    area = next(a for a, _ in by_area.most_common() if a)
    chosen = [row for row in rows if row["postcode"].startswith(area)][:600]
    path = tmp_path / "slice.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(chosen)
    report = import_warm_spaces(path)
    assert report.created + report.skipped == len(chosen)
    # The aggregation repeats some listings under the same id: those are the skips.
    reasons = {r.reason.split(" ")[0] for r in report.skipped_records}
    assert reasons <= {"duplicate", "no", "unknown", "malformed"}, reasons
    for line in report.duplicates:
        assert "looks like" in line and " m away" in line
    assert "Likely duplicates across sources" in report.summary() or not report.duplicates
