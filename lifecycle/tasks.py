"""Celery tasks of the listing lifecycle; beat runs them (``CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task

from lifecycle.linkcheck import check_all_links


@shared_task(name="lifecycle.check_links", ignore_result=True)
def check_links() -> int:
    """Check every listing's website and email domain; return how many are broken."""
    summary = check_all_links()
    return summary.broken if summary else 0
