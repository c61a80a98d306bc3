"""Editors and invitations in the Wagtail admin.

Council admins and moderators manage every organisation's editors; a lead editor
manages only the organisations they lead (``onboarding.membership``). Anyone else is
refused. Organisation ids come through ``directory.ids.parse_id``: an unknown or huge
id is a 404. (Wagtail's ``register_admin_urls`` sends a signed-out visitor to sign in.)
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cms.workflows.roles import is_council_manager
from directory.ids import parse_id
from directory.models import OrganisationPage
from directory.ratelimits import count_use, too_many_requests, user_key
from onboarding.forms import InviteForm
from onboarding.invitations import invite
from onboarding.membership import (
    editors_of,
    invitable_roles,
    lead_ids,
    led_organisations,
    manageable_organisations,
    may_manage,
    may_use_onboarding,
    remove_editor,
)
from onboarding.models import Claim, Invitation, ListingRequest, RequestStatus

INVITE_RATE_GROUP = "invite-user"


def _require_onboarding(request: HttpRequest) -> None:
    if not may_use_onboarding(request.user):
        raise PermissionDenied


def _managed_organisation(request: HttpRequest, pk: str) -> OrganisationPage:
    """An organisation the user manages; 404 for no such organisation, 403 for another's."""
    _require_onboarding(request)
    organisation_id = parse_id(pk)
    organisation = (
        OrganisationPage.objects.filter(pk=organisation_id).first() if organisation_id else None
    )
    if organisation is None:
        raise Http404("No such organisation")
    if not may_manage(request.user, organisation):
        raise PermissionDenied
    return organisation


def home(request: HttpRequest) -> HttpResponse:
    _require_onboarding(request)
    manager = is_council_manager(request.user)
    context = {
        "page_title": "Editors and requests",
        "header_title": "Editors and requests",
        "is_manager": manager,
        "organisations": led_organisations(request.user).order_by("title"),
    }
    if manager:
        context.update(
            {
                "open_claims": Claim.objects.filter(status=RequestStatus.OPEN).count(),
                "open_listing_requests": ListingRequest.objects.filter(
                    status=RequestStatus.OPEN
                ).count(),
                "invitations": Invitation.objects.select_related("organisation")[:50],
            }
        )
    return render(request, "onboarding/admin/home.html", context)


def invite_editor(request: HttpRequest) -> HttpResponse:
    _require_onboarding(request)
    organisations = manageable_organisations(request.user)
    initial = {}
    chosen = parse_id(request.GET.get("organisation"))
    if chosen and organisations.filter(pk=chosen).exists():
        initial["organisation"] = chosen
    elif organisations.count() == 1:
        initial["organisation"] = organisations.get().pk
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisations=organisations,
        roles=invitable_roles(request.user),
    )
    if request.method == "POST" and form.is_valid():
        # Each invitation is an email to an address someone typed: capped per user.
        if count_use(request, INVITE_RATE_GROUP, user_key):
            return too_many_requests(request, INVITE_RATE_GROUP)
        organisation = form.cleaned_data["organisation"]
        invite(
            organisation,
            form.cleaned_data["email"],
            form.cleaned_data["role"],
            request.user,
            request,
        )
        messages.success(request, f"Invitation sent. It works once, for {organisation.title}.")
        return redirect("onboarding_editors", pk=organisation.pk)
    return render(
        request,
        "onboarding/admin/invite.html",
        {"page_title": "Invite an editor", "header_title": "Invite an editor", "form": form},
    )


def editors(request: HttpRequest, pk: str) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    leads = lead_ids(organisation)
    return render(
        request,
        "onboarding/admin/editors.html",
        {
            "page_title": f"Editors of {organisation.title}",
            "header_title": f"Editors of {organisation.title}",
            "organisation": organisation,
            "editors": [(user, user.pk in leads) for user in editors_of(organisation)],
            "invitations": Invitation.objects.filter(
                organisation=organisation, accepted_at__isnull=True
            ),
        },
    )


@require_POST
def remove(request: HttpRequest, pk: str, user_pk: str) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    user_id = parse_id(user_pk)
    user = editors_of(organisation).filter(pk=user_id).first() if user_id else None
    if user is None:
        raise Http404("No such editor")
    remove_editor(user, organisation)
    messages.success(
        request, f"{user.email or user.get_username()} no longer edits this organisation."
    )
    return redirect("onboarding_editors", pk=organisation.pk)
