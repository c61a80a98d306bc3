from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import health

handler500 = "cms.errors.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", include("search.urls")),
    path("what-matters/", include("recommender.urls")),
    path("lists/", include("signposting.resource_lists.urls")),
    path("console/", include("signposting.urls")),
    path("report-a-problem/", include("lifecycle.urls")),
    path("listing-review/", include("lifecycle.review_urls")),
    # /manage-this-listing/<id>/, /ask-to-be-listed/ and /join/ (invitations).
    path("", include("onboarding.urls")),
    path("api/oruk/", include("directory.oruk.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    # Image renditions (the council's logo, listing photos) are public once rendered.
    # Originals and documents are not served from here: documents go through Wagtail's
    # view, which checks their collection's privacy.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/images/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT / "images"},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]
