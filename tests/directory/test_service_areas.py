"""Service-area coverage an editor can choose, and the one they are warned off."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from directory.models import Area, AreaType, ServiceAreaCoverage
from geography.gazetteer import RESOLVES_WARDS


@pytest.mark.django_db
def test_a_council_area_is_accepted() -> None:
    bcp = Area.objects.create(
        gss_code="E06000058", name="Bournemouth, Christchurch and Poole", area_type="upper_tier"
    )
    ServiceAreaCoverage(kind="area", area=bcp).clean()


@pytest.mark.django_db
@pytest.mark.skipif(RESOLVES_WARDS, reason="postcodes resolve to wards: ward coverage works")
def test_a_ward_is_refused_with_a_reason_while_postcodes_have_no_ward() -> None:
    ward = Area.objects.create(gss_code="E05012345", name="Boscombe West", area_type=AreaType.WARD)
    with pytest.raises(ValidationError) as refused:
        ServiceAreaCoverage(kind="area", area=ward).clean()
    message = refused.value.message_dict["area"][0]
    assert "Boscombe West would never find this service" in message
    assert "council area" in message
