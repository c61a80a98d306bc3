"""Console fixtures: reuse the resource-list fixtures and capture text messages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.resource_lists.conftest import (  # noqa: F401 - fixtures, used by name
    lac,
    lac_client,
    listings,
    moderator,
    officer,
    officer_client,
    second_officer,
)


@pytest.fixture(autouse=True)
def locmem_sms(settings: Any) -> Any:
    from signposting import sms

    settings.SMS_BACKEND = "signposting.sms.LocmemSMSBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
