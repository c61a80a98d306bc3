"""Put the "Import listings" page in the Wagtail admin for council admins and moderators."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.workflows.roles import is_council_manager
from importers import views


@hooks.register("register_admin_urls")
def register_import_urls() -> list[Any]:
    return [
        path("imports/", views.index, name="importers_index"),
        path("imports/<int:run_id>/", views.run_detail, name="importers_run"),
        path("imports/<int:run_id>/action/", views.run_action, name="importers_run_action"),
    ]


class CouncilManagersMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return is_council_manager(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item() -> MenuItem:
    return CouncilManagersMenuItem(
        "Import listings", reverse("importers_index"), icon_name="download", order=910
    )
