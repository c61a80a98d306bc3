"""Following an invitation link: set a password (a new account) or accept while
signed in (an existing one), then land on the organisation's listings.

``join`` takes the token from the link, keeps it in the session and redirects to
``accept``, whose address holds no token (Django's PasswordResetConfirmView does the
same). Every failure is a page saying what to do next, never a server error.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from lifecycle.forms import error_links
from onboarding.forms import NewPasswordForm
from onboarding.invitations import (
    MAX_TOKEN_LENGTH,
    accept,
    create_user_and_accept,
    existing_user,
    find_invitation,
)
from onboarding.models import Invitation

SESSION_KEY = "onboarding_invitation_token"
#: Signs the new editor in without axes' request-bound backend (no password was checked).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def join(request: HttpRequest, token: str) -> HttpResponse:
    if len(token) <= MAX_TOKEN_LENGTH:
        request.session[SESSION_KEY] = token
    else:
        request.session.pop(SESSION_KEY, None)
    return redirect("onboarding:accept")


def _problem(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    return render(
        request, "onboarding/join_problem.html", {"title": title, "message": message}, status=status
    )


def _landing(invitation: Invitation) -> str:
    """The organisation's listings in the Wagtail page explorer."""
    return reverse("wagtailadmin_explore", args=[invitation.organisation_id])


def _finish(request: HttpRequest, invitation: Invitation, user: Any) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    if not request.user.is_authenticated:
        login(request, user, backend=MODEL_BACKEND)
    return redirect(_landing(invitation))


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest) -> HttpResponse:
    invitation = find_invitation(request.session.get(SESSION_KEY))
    if invitation is None:
        return _problem(
            request,
            "This invitation link does not work",
            "Check you used the whole link from the email. If it still does not work, "
            "ask the person who invited you to send a new invitation.",
            404,
        )
    if invitation.accepted_at is not None:
        return _problem(
            request,
            "This invitation has already been used",
            "Each invitation link works once. If you set up your account, sign in. "
            "Otherwise ask for a new invitation.",
            410,
        )
    if invitation.expires_at <= timezone.now():
        return _problem(
            request,
            "This invitation has expired",
            "Ask the person who invited you to send a new invitation.",
            410,
        )
    user = existing_user(invitation.email)
    signed_in = request.user if request.user.is_authenticated else None
    if signed_in is not None and (user is None or signed_in.pk != user.pk):
        return _problem(
            request,
            "You are signed in as someone else",
            "This invitation is for a different email address. Sign out, then open the "
            "link from the email again.",
            403,
        )
    context: dict[str, Any] = {"invitation": invitation, "organisation": invitation.organisation}
    if user is not None:
        if signed_in is None:
            login_url = reverse("wagtailadmin_login")
            context["login_url"] = f"{login_url}?{urlencode({'next': request.path})}"
            return render(request, "onboarding/join_sign_in.html", context)
        if request.method == "POST":
            if not accept(invitation, user):
                return redirect("onboarding:accept")
            return _finish(request, invitation, user)
        return render(request, "onboarding/join_confirm.html", context)
    # An unsaved account with the invited address, so the similarity validator can
    # refuse a password that repeats it.
    unsaved = get_user_model()(username=invitation.email, email=invitation.email)
    form = NewPasswordForm(request.POST if request.method == "POST" else None, user=unsaved)
    if request.method == "POST" and form.is_valid():
        new_user = create_user_and_accept(invitation, form.cleaned_data["password1"])
        if new_user is None:
            return redirect("onboarding:accept")
        return _finish(request, invitation, new_user)
    context.update({"form": form, "errors": error_links(form, {}) if form.is_bound else []})
    return render(
        request, "onboarding/join_password.html", context, status=400 if form.is_bound else 200
    )
