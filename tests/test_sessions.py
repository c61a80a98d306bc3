"""Residents' sessions survive a cache that evicts, and beat clears the expired ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from cms.celery import clear_expired_sessions

pytestmark = pytest.mark.django_db


def test_a_session_outlives_the_cache() -> None:
    client = Client()
    session = client.session
    session["kept"] = "yes"
    session.save()
    cache.clear()  # a restart, or a file cache evicting past its 300 entries

    returning = Client()
    returning.cookies[settings.SESSION_COOKIE_NAME] = str(session.session_key)
    assert returning.session["kept"] == "yes"


def test_beat_clears_only_expired_sessions() -> None:
    client = Client()
    live = client.session
    live["x"] = 1
    live.save()
    Session.objects.create(
        session_key="expired-session-key-0123456789abcdef",
        session_data="",
        expire_date=timezone.now() - timedelta(days=1),
    )

    clear_expired_sessions()

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
