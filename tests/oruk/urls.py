"""The API, the Wagtail admin (to save drafts) and Wagtail's page serving.

The ORUK tests use this URLconf so they exercise the API apart from the rest of the
site, which other work changes; one test checks ``cms.urls`` mounts it the same way.
"""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/oruk/", include("directory.oruk.urls")),
    path("", include(wagtail_urls)),
]
