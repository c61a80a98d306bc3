"""Celery tasks of the listing lifecycle; beat runs them (``CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task

from lifecycle.linkcheck import check_all_links


@shared_task(name="lifecycle.check_links", ignore_result=True)
def check_links() -> int:
    """Check every listing's website and email domain; return how many are broken."""
    summary = check_all_links()
    return summary.broken if summary else 0


@shared_task(name="lifecycle.send_review_notices", ignore_result=True)
def send_review_notices() -> int:
    """Today's review reminders and stale alerts (each sent once); return how many."""
    from lifecycle.review_notices import send_review_notices as run

    summary = run()
    return summary.reminders + summary.stale_alerts
