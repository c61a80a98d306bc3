"""ORUK 3.0 API routes, mounted at ``/api/oruk/`` by ``cms/urls.py``.

A trailing slash is optional on every route, and anything unmatched under the prefix
answers with a JSON 404 (with CORS) instead of falling through to Wagtail's HTML.
"""

from __future__ import annotations

from django.urls import re_path

from . import views

app_name = "oruk"

ID = r"(?P<oruk_id>[^/]+)"

urlpatterns = [
    re_path(r"^$", views.api_details, name="api_details"),
    re_path(r"^openapi\.json$", views.openapi, name="openapi"),
    re_path(r"^export\.ndjson$", views.export_ndjson, name="export_ndjson"),
    re_path(r"^export\.csv$", views.export_csv, name="export_csv"),
    re_path(r"^services/?$", views.services, name="services"),
    re_path(rf"^services/{ID}/?$", views.service, name="service"),
    re_path(r"^service_at_locations/?$", views.service_at_locations, name="service_at_locations"),
    re_path(
        rf"^service_at_locations/{ID}/?$", views.service_at_location, name="service_at_location"
    ),
    re_path(r"^organizations/?$", views.organizations, name="organizations"),
    re_path(rf"^organizations/{ID}/?$", views.organization, name="organization"),
    re_path(r"^taxonomies/?$", views.taxonomies, name="taxonomies"),
    re_path(rf"^taxonomies/{ID}/?$", views.taxonomy, name="taxonomy"),
    re_path(r"^taxonomy_terms/?$", views.taxonomy_terms, name="taxonomy_terms"),
    re_path(rf"^taxonomy_terms/{ID}/?$", views.taxonomy_term, name="taxonomy_term"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
