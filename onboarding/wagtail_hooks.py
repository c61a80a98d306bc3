"""Editors and requests in the Wagtail admin: the menu item (council managers and lead
editors only) and an "Invite an editor" action on each organisation they manage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.urls import path, re_path, reverse
from django.utils.http import urlencode
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from directory.models import OrganisationPage
from onboarding import admin_queues, admin_views
from onboarding.membership import may_manage, may_use_onboarding

ID = "[0-9]{1,20}"


@hooks.register("register_admin_urls")
def register_onboarding_urls() -> list[Any]:
    return [
        path("onboarding/", admin_views.home, name="onboarding_home"),
        path("onboarding/invite/", admin_views.invite_editor, name="onboarding_invite"),
        re_path(
            rf"^onboarding/organisations/(?P<pk>{ID})/editors/$",
            admin_views.editors,
            name="onboarding_editors",
        ),
        re_path(
            rf"^onboarding/organisations/(?P<pk>{ID})/editors/(?P<user_pk>{ID})/remove/$",
            admin_views.remove,
            name="onboarding_remove_editor",
        ),
        path("onboarding/claims/", admin_queues.claims, name="onboarding_claims"),
        re_path(rf"^onboarding/claims/(?P<pk>{ID})/$", admin_queues.claim, name="onboarding_claim"),
        path(
            "onboarding/listing-requests/",
            admin_queues.listing_requests,
            name="onboarding_listing_requests",
        ),
        re_path(
            rf"^onboarding/listing-requests/(?P<pk>{ID})/$",
            admin_queues.listing_request,
            name="onboarding_listing_request",
        ),
    ]


class OnboardingMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_use_onboarding(request.user)


@hooks.register("register_admin_menu_item")
def register_onboarding_menu_item() -> MenuItem:
    return OnboardingMenuItem(
        "Editors and requests", reverse("onboarding_home"), icon_name="group", order=852
    )


def _invite_buttons(page: Any, user: Any, priority: int) -> Iterator[Button]:
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if isinstance(specific, OrganisationPage) and may_manage(user, specific):
        query = urlencode({"organisation": page.pk})
        yield Button(
            "Invite an editor",
            f"{reverse('onboarding_invite')}?{query}",
            icon_name="user",
            priority=priority,
        )
        yield Button(
            "Editors",
            reverse("onboarding_editors", args=[page.pk]),
            icon_name="group",
            priority=priority + 1,
        )


@hooks.register("register_page_header_buttons")
def organisation_header_buttons(
    page: Any, user: Any, view_name: str, next_url: str | None = None
) -> Iterator[Button]:
    yield from _invite_buttons(page, user, 80)


@hooks.register("register_page_listing_more_buttons")
def organisation_listing_buttons(
    page: Any, user: Any, next_url: str | None = None
) -> Iterator[Button]:
    yield from _invite_buttons(page, user, 80)
