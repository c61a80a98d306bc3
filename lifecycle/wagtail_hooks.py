"""The problem-report queue and the broken links in the Wagtail admin menu, for the
people who may use them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, re_path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lifecycle import admin_views


@hooks.register("register_admin_urls")
def register_report_urls() -> list[Any]:
    return [
        path("problem-reports/", admin_views.queue, name="problem_reports"),
        re_path(
            r"^problem-reports/(?P<pk>[0-9]{1,20})/$", admin_views.detail, name="problem_report"
        ),
        path("broken-links/", admin_views.broken_links, name="broken_links"),
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
