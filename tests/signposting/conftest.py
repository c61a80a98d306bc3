"""Console fixtures: capture text messages (staff and listings are in tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def locmem_sms(settings: Any) -> Any:
    from signposting import sms

    settings.SMS_BACKEND = "signposting.sms.LocmemSMSBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
