"""Put the demand dashboard in the Wagtail admin for council admins and moderators."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.workflows.roles import is_council_manager
from signposting.dashboard import dashboard


@hooks.register("register_admin_urls")
def register_dashboard_url() -> list[Any]:
    return [path("signposting/", dashboard, name="signposting_dashboard")]


class ManagersOnlyMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return is_council_manager(request.user)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item() -> MenuItem:
    return ManagersOnlyMenuItem(
        "Signposting and demand", reverse("signposting_dashboard"), icon_name="table", order=900
    )
