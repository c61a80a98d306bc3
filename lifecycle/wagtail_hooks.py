"""The problem-report queue and the broken links in the Wagtail admin menu, for the
people who may use them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, re_path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lifecycle import admin_views, freshness_views
from lifecycle.review_links import CONFIRMED_ACTION
from lifecycle.review_notices import STALE_ACTION


@hooks.register("register_admin_urls")
def register_report_urls() -> list[Any]:
    return [
        path("problem-reports/", admin_views.queue, name="problem_reports"),
        re_path(
            r"^problem-reports/(?P<pk>[0-9]{1,20})/$", admin_views.detail, name="problem_report"
        ),
        path("broken-links/", admin_views.broken_links, name="broken_links"),
        path("freshness/", freshness_views.dashboard, name="freshness_dashboard"),
    ]


class ProblemReportsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return admin_views.may_see_reports(request.user)


@hooks.register("register_admin_menu_item")
def register_reports_menu_item() -> MenuItem:
    return ProblemReportsMenuItem(
        "Problem reports", reverse("problem_reports"), icon_name="warning", order=850
    )


@hooks.register("register_admin_menu_item")
def register_broken_links_menu_item() -> MenuItem:
    return ProblemReportsMenuItem(
        "Broken links", reverse("broken_links"), icon_name="link", order=851
    )


# --- the editor's home and council approval (lifecycle.editor_home, .moderation) -----


@hooks.register("construct_homepage_panels")
def editors_listings_panel(request: HttpRequest, panels: list[Any]) -> None:
    from lifecycle.editor_home import add_listings_panel

    add_listings_panel(request, panels)


@hooks.register("construct_main_menu")
def editors_main_menu(request: HttpRequest, menu_items: list[Any]) -> None:
    from lifecycle.editor_home import hide_menu_items

    hide_menu_items(request, menu_items)


@hooks.register("construct_homepage_summary_items")
def editors_summary_items(request: HttpRequest, items: list[Any]) -> None:
    from lifecycle.editor_home import keep_pages_summary_only

    keep_pages_summary_only(request, items)


@hooks.register("register_admin_urls")
def register_moderation_urls() -> list[Any]:
    from lifecycle import moderation_views
    from lifecycle.editor_home import start_confirmation

    return [
        path("moderation/", moderation_views.queue, name="moderation_queue"),
        path("moderation/<int:page_id>/", moderation_views.review, name="moderation_review"),
        path(
            "your-listings/<int:page_id>/confirm/",
            start_confirmation,
            name="editor_confirm_listing",
        ),
    ]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        from lifecycle.moderation_views import may_see_queue

        return may_see_queue(request.user)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item() -> MenuItem:
    return ModerationMenuItem(
        "Awaiting approval", reverse("moderation_queue"), icon_name="tasks", order=849
    )


@hooks.register("register_admin_viewset")
def register_listing_page_viewsets() -> list[Any]:
    """Listings' workflow screens require a message to send a change back."""
    from directory.models import OrganisationPage, ServicePage
    from lifecycle.moderation_views import ListingPageViewSet

    return [
        ListingPageViewSet(f"listing_workflow_{model._meta.model_name}", model=model)
        for model in (OrganisationPage, ServicePage)
    ]


class FreshnessMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return freshness_views.may_see_freshness(request.user)


@hooks.register("register_admin_menu_item")
def register_freshness_menu_item() -> MenuItem:
    return FreshnessMenuItem(
        "Listing freshness", reverse("freshness_dashboard"), icon_name="date", order=852
    )


@hooks.register("register_log_actions")
def register_review_log_actions(actions: Any) -> None:
    actions.register_action(
        CONFIRMED_ACTION, "Confirmed still correct", "Confirmed still correct from a reminder"
    )
    actions.register_action(
        STALE_ACTION, "May be out of date", "Past its review date and grace: moderators told"
    )
