"""ORUK service areas: which become coverage, and which are left out with a reason."""

from __future__ import annotations

import pytest

from directory.models import Area
from geography.gazetteer import RESOLVES_WARDS
from importers.sources.oruk.parts import service_areas
from importers.sources.oruk.reference import ReferenceData


@pytest.mark.django_db
@pytest.mark.skipif(RESOLVES_WARDS, reason="postcodes resolve to wards: ward coverage works")
def test_a_ward_is_left_out_with_a_reason_and_the_council_kept() -> None:
    bcp = Area.objects.create(gss_code="E06000058", name="BCP", area_type="upper_tier")
    Area.objects.create(gss_code="E05012345", name="Boscombe West", area_type="ward")
    record = {
        "service_areas": [
            {"name": "Boscombe West", "extent": "E05012345"},
            {
                "name": "BCP",
                "uri": "http://statistics.data.gov.uk/id/statistical-geography/E06000058",
            },
        ]
    }
    warnings: list[str] = []
    found = service_areas(record, ReferenceData(), warnings)
    assert [(f["kind"], f["area_id"]) for f in found] == [("area", bcp.pk)]
    assert warnings == [
        "service area Boscombe West (E05012345) is a ward, and searches can't yet tell which "
        "ward a postcode is in; left out"
    ]
