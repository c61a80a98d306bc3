"""The contact-officer console: one box, live results, send details, copy for notes.

Caller data is never stored. The query travels in the request only, and only in a
POST body: an officer may type a caller's name or number, and a URL is written to
every access log. The session keeps just the listing ids picked for this call, and
"New call" clears them. Only the anonymous log (``log.py``) remembers anything, and
only districts and need words.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cms.workflows.roles import is_council_staff
from directory.ids import parse_id
from directory.models import ServicePage
from directory.ratelimits import rate_limit, user_key
from signposting.log import record_signposting, record_unmet_search
from signposting.models import Channel
from signposting.parser import ConsoleQuery, parse_console_query
from signposting.resource_lists.emailing import one_line
from signposting.resource_lists.presentation import build_entries, plain_text
from signposting.resource_lists.rendering import branding_for
from signposting.resource_lists.stores import ListData, ListItemData
from signposting.search import (
    NEARBY_MILES,
    WIDER_MILES,
    ConsoleResults,
    console_search,
    has_nearby,
    home_location,
    home_place,
)
from signposting.sms import INVALID_PHONE, normalise_uk_mobile, send_sms

CALL_KEY = "signposting.call"
INVALID_EMAIL = "Enter an email address in the correct format, like name@example.com"
NO_RECIPIENT = "Enter an email address or a UK mobile number"
NOTHING_TO_SEND = "Choose a result first: move to it with the arrow keys, then press a"


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_council_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def picked_ids(request: HttpRequest) -> list[int]:
    return [int(pk) for pk in request.session.get(CALL_KEY, {}).get("picked", [])]


def _set_picked(request: HttpRequest, ids: list[int]) -> None:
    request.session[CALL_KEY] = {"picked": ids[:50]}


def _picked_pages(ids: list[int]) -> list[ServicePage]:
    pages = {p.pk: p for p in ServicePage.objects.published().filter(pk__in=ids)}
    return [pages[pk] for pk in ids if pk in pages]


def query_text(request: HttpRequest) -> str:
    """The console query, read from the POST body only (never from the URL)."""
    return request.POST.get("q", "")[:200]


def run_query(text: str) -> tuple[ConsoleQuery, ConsoleResults]:
    parsed = parse_console_query(text)
    if not parsed.keywords and parsed.location is None:
        return parsed, ConsoleResults([])
    if parsed.location is None and not parsed.choices:
        home = home_location()
        if home is not None:
            return parsed, console_search(parsed.keywords, home, radius_miles=WIDER_MILES)
    return parsed, console_search(parsed.keywords, parsed.location)


def _results_context(request: HttpRequest, text: str) -> dict[str, Any]:
    parsed, found = run_query(text)
    hits = found.hits
    searched_home_area = bool(parsed.keywords and parsed.location is None and not parsed.choices)
    gap = bool(parsed.keywords and parsed.location and not has_nearby(hits))
    return {
        "q": text,
        "parsed": parsed,
        "hits": hits,
        "found": found,
        "gap": gap,
        "nearby_miles": NEARBY_MILES,
        "picked": set(picked_ids(request)),
        "home_area": home_place() if searched_home_area else "",
        "home_miles": WIDER_MILES,
    }


@require_http_methods(["GET", "POST"])
@staff_required
def console(request: HttpRequest) -> HttpResponse:
    """The console page; the no-JavaScript search form posts back here."""
    text = query_text(request)
    context = _results_context(request, text)
    data = request.POST if request.method == "POST" else request.GET
    open_id = parse_id(data.get("open"))
    if text and request.POST.get("submitted") and not open_id and context["gap"]:
        # The no-JavaScript form: each submit is a settled search, so log the gap.
        record_unmet_search(
            user=request.user,
            search_text=context["parsed"].keywords,
            location=context["parsed"].location,
            radius_miles=NEARBY_MILES,
        )
    if open_id:
        context["details"] = _details_entry(open_id, context["parsed"])
    context["picked_pages"] = _picked_pages(picked_ids(request))
    return render(request, "signposting/console.html", context)


@require_POST
@staff_required
def results(request: HttpRequest) -> HttpResponse:
    """The results fragment the console fetches (by POST) as the officer types."""
    context = _results_context(request, query_text(request))
    if request.POST.get("settled") == "1" and context["gap"]:
        record_unmet_search(
            user=request.user,
            search_text=context["parsed"].keywords,
            location=context["parsed"].location,
            radius_miles=NEARBY_MILES,
        )
    return render(request, "signposting/_results.html", context)


def _details_entry(page_id: int, parsed: ConsoleQuery) -> Any:
    data = _list_data([page_id], parsed)
    entries = build_entries(data)
    return entries[0] if entries and entries[0].page is not None else None


@require_http_methods(["GET", "POST"])
@staff_required
def details(request: HttpRequest, page_id: int) -> HttpResponse:
    """One listing's details; a POST carries the query, for distances from the caller."""
    parsed = parse_console_query(query_text(request))
    entry = _details_entry(page_id, parsed)
    return render(
        request,
        "signposting/_details.html",
        {"details": entry, "picked": set(picked_ids(request)), "parsed": parsed},
    )


@require_POST
@staff_required
def pick(request: HttpRequest) -> HttpResponse:
    """Add (or remove) a listing on this call's list."""
    pk = parse_id(request.POST.get("page_id"))
    ids = picked_ids(request)
    if pk and ServicePage.objects.published().filter(pk=pk).exists():
        if request.POST.get("action") == "remove":
            ids = [i for i in ids if i != pk]
        elif pk not in ids:
            ids.append(pk)
        _set_picked(request, ids)
    if _wants_json(request):
        html = render(
            request, "signposting/_picked.html", {"picked_pages": _picked_pages(ids)}
        ).content.decode()
        return JsonResponse({"ok": True, "picked": ids, "html": html})
    return _back_to_console(request)


def _back_to_console(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    """The console page again, as the answer to a no-JavaScript form post.

    Rendered, not redirected: a redirect would have to carry the query in its URL.
    """
    context = _results_context(request, query_text(request))
    context.update(picked_pages=_picked_pages(picked_ids(request)), **extra)
    return render(request, "signposting/console.html", context, status=status)


def _list_data(ids: list[int], parsed: ConsoleQuery) -> ListData:
    now = timezone.now()
    location = parsed.location
    return ListData(
        title="Details you asked for",
        latitude=location.lat if location else None,
        longitude=location.lon if location else None,
        items=[ListItemData(str(pk), pk, "", "", now) for pk in ids],
    )


def _ids_to_send(request: HttpRequest) -> list[int]:
    ids = [pk for pk in picked_ids(request)]
    fallback = parse_id(request.POST.get("page_id"))
    if not ids and fallback:
        ids = [fallback]
    return [page.pk for page in _picked_pages(ids)]


def sms_text(entries: list[Any], council: str) -> str:
    lines = [f"From {council}:"]
    for entry in entries:
        if not entry.available:
            continue
        phone = next((c.phone for c in entry.contacts if c.phone), "")
        lines.append(" ".join(part for part in (entry.title, phone, entry.url) if part))
    return "\n".join(lines)


@require_POST
@staff_required
@rate_limit("console-send", key=user_key)
def send(request: HttpRequest) -> HttpResponse:
    """Send the picked listings by email or text; the address is used once, never kept."""
    to = request.POST.get("to", "").strip()
    channel = request.POST.get("channel", "auto")
    if channel == "auto":
        channel = "email" if "@" in to else "sms"
    error = ""
    ids = _ids_to_send(request)
    if not to:
        error = NO_RECIPIENT
    elif not ids:
        error = NOTHING_TO_SEND
    elif channel == "email":
        try:
            validate_email(to)
        except ValidationError:
            error = INVALID_EMAIL
    elif normalise_uk_mobile(to) is None:
        error = INVALID_PHONE
    if error:
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": error}, status=400)
        return _back_to_console(request, status=400, send_error=error)

    parsed = parse_console_query(query_text(request))
    data = _list_data(ids, parsed)
    entries = build_entries(data, request)
    branding = branding_for(request)
    if channel == "email":
        from django.core.mail import send_mail

        send_mail(
            one_line(f"Details from {branding.council_name}"),
            plain_text(data, entries),
            None,
            [to],
        )
        done = "Details sent by email."
    else:
        send_sms(to, sms_text(entries, branding.council_name))
        done = "Details sent by text message."
    record_signposting(
        channel=Channel.EMAIL if channel == "email" else Channel.SMS,
        user=request.user,
        page_ids=ids,
        search_text=parsed.keywords,
        location=parsed.location,
    )
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": done})
    from django.contrib import messages

    messages.success(request, done)
    return _back_to_console(request)


@require_POST
@staff_required
def notes(request: HttpRequest) -> HttpResponse:
    """Plain text for case notes; the JavaScript copies it, the form shows it."""
    ids = _ids_to_send(request)
    parsed = parse_console_query(query_text(request))
    data = _list_data(ids, parsed)
    data.title = f"Signposted on {timezone.localdate():%d/%m/%Y}"
    text = plain_text(data, build_entries(data, request)) if ids else ""
    if ids:
        record_signposting(
            channel=Channel.COPY,
            user=request.user,
            page_ids=ids,
            search_text=parsed.keywords,
            location=parsed.location,
        )
    if _wants_json(request):
        return JsonResponse(
            {"ok": bool(ids), "text": text, "error": "" if ids else NOTHING_TO_SEND}
        )
    return _back_to_console(request, notes_text=text or NOTHING_TO_SEND)


@require_POST
@staff_required
def new_call(request: HttpRequest) -> HttpResponse:
    request.session.pop(CALL_KEY, None)
    return redirect("signposting:console")
