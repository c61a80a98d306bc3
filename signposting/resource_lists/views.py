"""Resource list pages: build, reorder, annotate, print, PDF, email and share.

A list is addressed by ``ref``: ``mine`` is the visitor's session list (residents);
a number is a staff member's own database list (anyone else gets a 404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from cms.workflows.roles import is_council_staff
from directory.ids import parse_id
from directory.models import ServicePage
from directory.ratelimits import count_use, session_key, too_many_requests, used_up, user_key
from directory.site import base_url
from signposting.log import record_signposting
from signposting.models import Channel
from signposting.resource_lists import emailing
from signposting.resource_lists.forms import EmailListForm, ItemNoteForm, ListDetailsForm
from signposting.resource_lists.models import ResourceList
from signposting.resource_lists.presentation import build_entries
from signposting.resource_lists.rendering import render_document_html, render_pdf, send_list_email
from signposting.resource_lists.stores import (
    DbListStore,
    ListStore,
    SessionListStore,
    copy_to_database,
    default_title,
)

CURRENT_KEY = "resource_lists.current"


def _owner(request: HttpRequest) -> Any:
    # Only ever called after is_council_staff(), so this is an authenticated user.
    return request.user


def get_store(request: HttpRequest, ref: str) -> ListStore:
    if ref == "mine":
        return SessionListStore(request.session)
    pk = parse_id(ref)
    if pk is None or not is_council_staff(request.user):
        raise Http404("No such list")
    # Another officer's list is a 404, not a 403: its existence is not their business.
    resource_list = get_object_or_404(ResourceList, pk=pk, owner=_owner(request))
    return DbListStore(resource_list)


def list_url(store: ListStore, name: str = "detail") -> str:
    return reverse(f"resource_lists:{name}", kwargs={"ref": store.url_prefix()})


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def current_staff_store(request: HttpRequest, create: bool = True) -> DbListStore | None:
    """The staff member's current list (where "Add to list" puts things)."""
    pk = request.session.get(CURRENT_KEY)
    resource_list = (
        ResourceList.objects.filter(pk=pk, owner=_owner(request)).first() if pk else None
    )
    if resource_list is None and create:
        resource_list = ResourceList.objects.create(owner=_owner(request), title=default_title())
        request.session[CURRENT_KEY] = resource_list.pk
    return DbListStore(resource_list) if resource_list else None


def _log(request: HttpRequest, store: ListStore, channel: Channel) -> None:
    """Staff outputs go in the anonymous log; a resident's own use does not."""
    if not is_council_staff(request.user):
        return
    data = store.load()
    record_signposting(
        channel=channel, user=request.user, page_ids=data.page_ids, postcode=data.postcode
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not is_council_staff(request.user):
        return redirect("resource_lists:detail", ref="mine")
    lists = ResourceList.objects.filter(owner=_owner(request)).prefetch_related("items")
    shared = ResourceList.objects.shared_live().filter(shared_by=_owner(request))
    return render(
        request,
        "resource_lists/index.html",
        {
            "lists": lists,
            "shared_lists": shared,
            "current_id": request.session.get(CURRENT_KEY),
            "form": ListDetailsForm(),
        },
    )


@require_POST
def create(request: HttpRequest) -> HttpResponse:
    if not is_council_staff(request.user):
        raise Http404
    form = ListDetailsForm(request.POST)
    if not form.is_valid():
        lists = ResourceList.objects.filter(owner=_owner(request))
        return render(request, "resource_lists/index.html", {"lists": lists, "form": form})
    data = form.cleaned_data
    resource_list = ResourceList.objects.create(
        owner=_owner(request),
        title=data["title"],
        postcode=data["postcode"],
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        note=data["note"],
    )
    request.session[CURRENT_KEY] = resource_list.pk
    return redirect("resource_lists:detail", ref=str(resource_list.pk))


@require_POST
def add(request: HttpRequest) -> HttpResponse:
    """Add a published listing to the current list (staff) or the session list."""
    page_id = request.POST.get("page_id", "")
    pk = parse_id(page_id) or 0
    page = ServicePage.objects.published().filter(pk=pk).first()
    if page is None:
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "error": "That listing is not available."}, status=404
            )
        raise Http404("No such listing")
    ref = request.POST.get("list", "")
    store: ListStore | None
    if is_council_staff(request.user):
        store = get_store(request, ref) if ref else current_staff_store(request)
    else:
        store = SessionListStore(request.session)
    assert store is not None
    added = store.add(page)
    data = store.load()
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "added": added,
                "count": len(data.items),
                "list_title": data.title,
                "list_url": list_url(store),
            }
        )
    if added:
        messages.success(request, f"Added “{page.title}” to “{data.title}”.")
    else:
        messages.info(request, f"“{page.title}” is already on “{data.title}”.")
    return HttpResponseRedirect(_safe_next(request, list_url(store)))


def detail(request: HttpRequest, ref: str) -> HttpResponse:
    store = get_store(request, ref)
    data = store.load()
    if request.method == "POST":
        form = ListDetailsForm(request.POST)
        if form.is_valid():
            c = form.cleaned_data
            store.update_details(
                c["title"], c["postcode"], c.get("latitude"), c.get("longitude"), c["note"]
            )
            messages.success(request, "List details saved.")
            return redirect(list_url(store))
    else:
        form = ListDetailsForm(
            initial={"title": data.title, "postcode": data.postcode, "note": data.note}
        )
    return render(
        request,
        "resource_lists/detail.html",
        {
            "store": store,
            "ref": store.url_prefix(),
            "data": data,
            "entries": build_entries(data, request),
            "form": form,
            "is_staff_list": not store.is_session,
            "is_current": request.session.get(CURRENT_KEY) == _pk(store),
            "shared_lists": (
                ResourceList.objects.shared_live().filter(pk__in=store.shared_ids())
                if isinstance(store, SessionListStore)
                else []
            ),
        },
    )


def _pk(store: ListStore) -> int | None:
    return store.resource_list.pk if isinstance(store, DbListStore) else None


@require_POST
def move(request: HttpRequest, ref: str, key: str) -> HttpResponse:
    store = get_store(request, ref)
    delta = {"up": -1, "down": 1, "top": -10_000, "bottom": 10_000}.get(
        request.POST.get("direction", ""), 0
    )
    store.move(key, delta)
    if _wants_json(request):
        return JsonResponse({"ok": True})
    return redirect(f"{list_url(store)}#item-{key}")


@require_POST
def remove(request: HttpRequest, ref: str, key: str) -> HttpResponse:
    store = get_store(request, ref)
    store.remove(key)
    messages.success(request, "Removed from the list.")
    return redirect(list_url(store))


@require_POST
def note(request: HttpRequest, ref: str, key: str) -> HttpResponse:
    store = get_store(request, ref)
    form = ItemNoteForm(request.POST)
    if form.is_valid():
        store.set_note(key, form.cleaned_data["note"])
        messages.success(request, "Note saved.")
    else:
        messages.error(request, "The note is too long. Keep it under 1,000 characters.")
    return redirect(f"{list_url(store)}#item-{key}")


@require_POST
def use(request: HttpRequest, ref: str) -> HttpResponse:
    store = get_store(request, ref)
    if isinstance(store, DbListStore):
        request.session[CURRENT_KEY] = store.resource_list.pk
        messages.success(request, "“Add to list” now adds to this list.")
    return redirect(list_url(store))


def _options(request: HttpRequest) -> dict[str, bool]:
    return {"large": request.GET.get("large") == "1", "plain": request.GET.get("plain") == "1"}


@require_GET
def print_view(request: HttpRequest, ref: str) -> HttpResponse:
    store = get_store(request, ref)
    _log(request, store, Channel.PRINT)
    return HttpResponse(render_document_html(store.load(), request, **_options(request)))


@require_GET
def pdf_view(request: HttpRequest, ref: str) -> HttpResponse:
    store = get_store(request, ref)
    data = store.load()
    _log(request, store, Channel.PDF)
    response = HttpResponse(
        render_pdf(data, request, **_options(request)), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="resource-list.pdf"'
    return response


def _email_limit(request: HttpRequest, store: ListStore) -> HttpResponse | None:
    """The 429 page when this send would go over a limit (see ``emailing``)."""
    if not isinstance(store, SessionListStore):
        if count_use(request, emailing.STAFF_GROUP, user_key):
            return too_many_requests(request, emailing.STAFF_GROUP)
        return None
    for group, key in ((emailing.IP_GROUP, "ip"), (emailing.SESSION_GROUP, session_key)):
        if used_up(request, group, key):
            return too_many_requests(request, group)
    return None


def email(request: HttpRequest, ref: str) -> HttpResponse:
    store = get_store(request, ref)
    data = store.load()
    form = EmailListForm(request.POST or None)
    if request.method == "POST" and (limited := _email_limit(request, store)) is not None:
        return limited
    if request.method == "POST" and form.is_valid():
        to = form.cleaned_data["email"]
        visitor = store if isinstance(store, SessionListStore) else None
        if not data.items:
            form.add_error(None, "Add something to the list before sending it.")
        elif visitor and visitor.recipient() not in ("", emailing.address_digest(to)):
            form.add_error("email", emailing.OTHER_ADDRESS)
        else:
            outgoing = emailing.without_free_text(data) if visitor else data
            # A copy with no owner: the emailed link outlives edits to, or deletion of,
            # the list it came from.
            shared = copy_to_database(outgoing, shared_by=None if visitor else request.user)
            token = shared.ensure_share_token()
            url = base_url(request) + reverse("resource_lists:shared", kwargs={"token": token})
            send_list_email(outgoing, to, url, request)
            if visitor:
                visitor.set_recipient(emailing.address_digest(to))
                visitor.remember_shared(shared.pk)
                count_use(request, emailing.IP_GROUP, "ip")
                count_use(request, emailing.SESSION_GROUP, session_key)
            emailing.log_sent(by_staff=visitor is None, items=len(outgoing.items))
            _log(request, store, Channel.EMAIL)
            messages.success(request, "List sent by email.")
            return redirect(list_url(store))
    return render(
        request,
        "resource_lists/email_form.html",
        {
            "form": form,
            "data": data,
            "ref": store.url_prefix(),
            "anonymous_title": emailing.ANONYMOUS_TITLE if store.is_session else "",
        },
    )


def delete(request: HttpRequest, ref: str) -> HttpResponse:
    store = get_store(request, ref)
    if not isinstance(store, DbListStore):
        if request.method == "POST":
            SessionListStore(request.session).clear()
            messages.success(request, "Your list has been cleared.")
            return redirect("resource_lists:detail", ref="mine")
        return render(request, "resource_lists/delete.html", {"data": store.load(), "ref": "mine"})
    if request.method == "POST":
        store.resource_list.delete()
        if request.session.get(CURRENT_KEY) == _pk(store):
            request.session.pop(CURRENT_KEY, None)
        messages.success(request, "List deleted.")
        return redirect("resource_lists:index")
    return render(request, "resource_lists/delete.html", {"data": store.load(), "ref": ref})


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """The read-only list a person was emailed: current details, with what changed."""
    resource_list = ResourceList.objects.shared_live().filter(share_token=token).first()
    if resource_list is None:
        # Withdrawn, expired or never shared: the same answer, so nothing is revealed.
        response = render(request, "resource_lists/shared_gone.html", status=404)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    data = DbListStore(resource_list).load()
    context: dict[str, Any] = {"data": data, "entries": build_entries(data, request)}
    response = render(request, "resource_lists/shared.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """Withdraw an emailed link: the shared copy is deleted, so the link stops working.

    Only the staff member who sent it, or the visitor (this browser session) who
    emailed it, may withdraw it; anyone else gets the same 404 as a wrong link.
    """
    shared_list = get_object_or_404(ResourceList, share_token=token)
    by_sender = shared_list.shared_by_id is not None and shared_list.shared_by_id == getattr(
        request.user, "pk", None
    )
    by_visitor = shared_list.pk in SessionListStore(request.session).shared_ids()
    if not (by_sender or by_visitor):
        raise Http404("No such link")
    shared_list.delete()
    messages.success(request, "The link has been withdrawn. It no longer shows the list.")
    if by_sender:
        fallback = reverse("resource_lists:index")
    else:
        fallback = reverse("resource_lists:detail", kwargs={"ref": "mine"})
    return HttpResponseRedirect(_safe_next(request, fallback))
