"""One row per import run: what was asked for, how far it got, and its report.

The admin page polls this row (a meta refresh, no JavaScript) while the Celery task
writes progress into it; ``checkpoint`` is what a resumed run starts from.
``heartbeat_at`` moves with the progress, so a run whose process died (it says
"running" but has not moved for a while) can be told apart and resumed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportKind(models.TextChoices):
    ORUK = "oruk", "Open Referral UK feed (v1 or 3.0 JSON)"
    CSV = "csv", "Listings spreadsheet (CSV template)"
    WARM_SPACES = "warm_spaces", "Warm spaces CSV (Open Innovations format)"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    STOPPED = "stopped", "Stopped part-way (can be resumed)"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    url = models.URLField("feed address", max_length=1000, blank=True)
    file_path = models.CharField(max_length=500, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    source = models.CharField(
        max_length=100, blank=True, help_text="Upsert key; blank for the importer's default."
    )
    publish = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=True)
    limit = models.PositiveIntegerField(
        null=True, blank=True, help_text="Import only the first N rows or records."
    )
    restore_unpublished = models.BooleanField(
        default=False,
        help_text="Publish again the listings a person unpublished (normally left alone).",
    )
    default_area_gss = models.CharField(
        "default service area (GSS code)",
        max_length=9,
        blank=True,
        help_text="Given to the feed's services that have no location and no service area.",
    )

    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    uncategorised = models.PositiveIntegerField(
        default=0, help_text="Listings left without a category of ours."
    )
    unreachable = models.PositiveIntegerField(
        default=0, help_text="Listings no postcode search can reach (no location, no area)."
    )
    checkpoint = models.JSONField(default=dict, blank=True)
    report = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.describe_input()} ({self.get_status_display()})"

    def describe_input(self) -> str:
        return self.url or self.file_name or self.file_path

    @property
    def is_active(self) -> bool:
        return self.status in (ImportStatus.PENDING, ImportStatus.RUNNING)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.processed / self.total))
