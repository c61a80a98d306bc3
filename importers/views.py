"""The "Import listings" admin page: upload a file or give a feed address, then watch.

Only council admins and moderators (and superusers) may use it. The import runs as
a Celery task (inline when Celery is eager, the default); the run page reloads
itself every few seconds (a meta refresh, no JavaScript) while the run is active
and shows the report when it ends. If the task cannot be queued the run is marked
failed with a message saying why; a run whose process died is shown as stopped (see
``runs.stop_abandoned_runs``) and can be resumed.

Uploads are capped at ``MAX_UPLOAD_BYTES``: a larger upload is stopped by an upload
handler as soon as it passes the cap (before it is all received) and refused with
a clear message. Django's DATA_UPLOAD_MAX_MEMORY_SIZE and
FILE_UPLOAD_MAX_MEMORY_SIZE need no change: files are streamed to a temporary file,
and the form fields are tiny.

A feed address that points inside our network is refused on the form, where the
person can correct it, and again (with every redirect) when it is fetched: see
``safe_fetch``.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from cms.workflows.roles import is_council_manager
from importers.coverage import DefaultArea, DefaultAreaError
from importers.models import ImportKind, ImportRun, ImportStatus
from importers.runs import stop_abandoned_runs
from importers.safe_fetch import FeedError, check_url
from importers.tasks import start_run

#: Largest feed or CSV the admin accepts (a 50 MB feed fits).
MAX_UPLOAD_BYTES = 60 * 1024 * 1024
TOO_LARGE = (
    f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB, so it was not uploaded."
)
REFRESH_SECONDS = 3


class SizeLimitHandler(FileUploadHandler):
    """Stops an upload as soon as it passes the cap, instead of receiving it all."""

    def __init__(self, request: HttpRequest | None = None, limit: int = MAX_UPLOAD_BYTES) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.upload_too_large = True  # type: ignore[attr-defined]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="What is it?", choices=ImportKind.choices)
    upload = forms.FileField(label="Upload a file", required=False)
    url = forms.URLField(
        label="Or a feed address (ORUK only)", required=False, assume_scheme="https"
    )
    mode = forms.ChoiceField(
        label="What should happen?",
        choices=[
            ("dry_run", "Dry run: check and report, change nothing"),
            ("draft", "Import, leaving new listings unpublished for review"),
            ("publish", "Import and publish"),
        ],
        initial="dry_run",
        widget=forms.RadioSelect,
    )
    restore_unpublished = forms.BooleanField(
        label="Publish again the listings a moderator unpublished",
        required=False,
        help_text="Normally they are left unpublished, and the report lists them.",
    )
    default_area = forms.CharField(
        label="Default service area for services with no location (ORUK only)",
        required=False,
        max_length=40,
        help_text=(
            "The GSS code of a council area, usually the publishing council's (for example "
            "E06000013). The feed's services with no location and no service area are given "
            "it, so postcode searches in that area find them. Leave blank to give none."
        ),
    )

    def clean_default_area(self) -> str:
        code = (self.cleaned_data.get("default_area") or "").strip()
        if not code:
            return ""
        try:
            return DefaultArea.lookup(code).gss_code
        except DefaultAreaError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, url = data.get("upload"), data.get("url")
        if bool(upload) == bool(url):
            raise forms.ValidationError("Upload a file or give a feed address (one of them).")
        if url and data.get("kind") != ImportKind.ORUK:
            raise forms.ValidationError("Only ORUK feeds can be fetched from an address.")
        if data.get("default_area") and data.get("kind") != ImportKind.ORUK:
            # Spreadsheet rows must each have a place already (a row without is skipped).
            self.add_error("default_area", "A default service area is only for ORUK feeds.")
        if url:
            # Refuse an internal or unusable address here, where the person can fix it;
            # the fetch checks again (with every redirect) when the run starts.
            try:
                check_url(url)
            except FeedError as error:
                self.add_error("url", str(error))
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        return data


def _check(request: HttpRequest) -> None:
    if not is_council_manager(request.user):
        raise PermissionDenied


@csrf_exempt
def index(request: HttpRequest) -> HttpResponse:
    # Upload handlers must be set before anything reads the body, and the CSRF check
    # reads it: hence csrf_exempt here and csrf_protect just below (Django's recipe).
    request.upload_handlers = [SizeLimitHandler(request), *request.upload_handlers]  # type: ignore[misc]
    return _index(request)


@csrf_protect
def _index(request: HttpRequest) -> HttpResponse:
    _check(request)
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if getattr(request, "upload_too_large", False):
            form.is_valid()
            form.add_error("upload", TOO_LARGE)
        elif form.is_valid():
            run = _create_run(request, form.cleaned_data)
            transaction.on_commit(lambda: start_run(run.pk))
            return redirect("importers_run", run.pk)
    stop_abandoned_runs()
    context = {
        "form": form,
        "runs": ImportRun.objects.all()[:20],
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "header_title": "Import listings",
        "page_title": "Import listings",
        "header_icon": "download",
    }
    return render(request, "importers/index.html", context)


def _create_run(request: HttpRequest, data: dict[str, Any]) -> ImportRun:
    fields: dict[str, Any] = {
        "kind": data["kind"],
        "dry_run": data["mode"] == "dry_run",
        "publish": data["mode"] == "publish",
        "restore_unpublished": bool(data.get("restore_unpublished")),
        "default_area_gss": data.get("default_area") or "",
        "created_by": request.user if request.user.is_authenticated else None,
    }
    upload = data.get("upload")
    if upload:
        # A folder per upload keeps the file's own name (it labels the report).
        folder = Path(settings.VAR_DIR) / "imports" / uuid.uuid4().hex
        folder.mkdir(parents=True, exist_ok=True)
        name = get_valid_filename(Path(upload.name).name)[-100:] or "upload"
        path = folder / name
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        fields.update(file_path=str(path), file_name=upload.name[:255])
    else:
        fields["url"] = data["url"]
    return ImportRun.objects.create(**fields)


def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    _check(request)
    stop_abandoned_runs()
    run = get_object_or_404(ImportRun, pk=run_id)
    context = {
        "run": run,
        "refresh": REFRESH_SECONDS if run.is_active else None,
        "can_resume": _can_resume(run),
        "header_title": f"Import run {run.pk}",
        "page_title": f"Import run {run.pk}",
        "header_icon": "download",
    }
    return render(request, "importers/run.html", context)


@require_POST
def run_action(request: HttpRequest, run_id: int) -> HttpResponse:
    """Resume a stopped run, or do for real what a dry run checked."""
    _check(request)
    run = get_object_or_404(ImportRun, pk=run_id)
    action = request.POST.get("action")
    if action == "resume" and _can_resume(run):
        target, resume = run, True
        ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.PENDING)
    elif action in ("draft", "publish") and run.dry_run and not run.is_active:
        target = ImportRun.objects.create(
            kind=run.kind,
            url=run.url,
            file_path=run.file_path,
            file_name=run.file_name,
            source=run.source,
            dry_run=False,
            publish=action == "publish",
            restore_unpublished=run.restore_unpublished,
            default_area_gss=run.default_area_gss,
            created_by=request.user if request.user.is_authenticated else None,
        )
        resume = False
    else:
        return redirect("importers_run", run.pk)
    transaction.on_commit(lambda: start_run(target.pk, resume=resume))
    return redirect("importers_run", target.pk)


def _can_resume(run: ImportRun) -> bool:
    # A stopped run resumes even before its first checkpoint (it then starts over,
    # harmlessly: imports are idempotent); a failed one only from a checkpoint.
    if run.status == ImportStatus.STOPPED:
        return True
    return run.status == ImportStatus.FAILED and bool(run.checkpoint)
