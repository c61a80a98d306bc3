"""The factories give a published service its inline parts before its one publish."""

from __future__ import annotations

import pytest

from directory.models import ServicePage
from tests.factories import (
    CostOptionFactory,
    ServiceLocationFactory,
    ServicePageFactory,
    ServiceScheduleFactory,
)


@pytest.mark.django_db
def test_parts_given_inline_replace_the_defaults_and_are_in_the_live_revision() -> None:
    page = ServicePageFactory(
        locations=[ServiceLocationFactory.build(postcode="BH15 1SZ"), {"postcode": "BH8 8DL"}],
        schedules=[],
        cost_options=[CostOptionFactory.build(amount=2)],
    )
    live = ServicePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert [loc.postcode for loc in live.locations.all()] == ["BH15 1SZ", "BH8 8DL"]
    assert not live.schedules.all()
    assert [str(cost) for cost in live.cost_options.all()] == ["Two-course lunch: £2.00"]
    assert [contact.phone for contact in live.contacts.all()] == ["01202 123456"]


@pytest.mark.django_db
def test_a_part_factory_adds_to_an_existing_page() -> None:
    page = ServicePageFactory()
    ServiceScheduleFactory(page=page, byday="FR")
    assert sorted(page.schedules.values_list("byday", flat=True)) == ["FR", "TU"]
