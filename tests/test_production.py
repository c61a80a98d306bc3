"""The production profile (DJANGO_ENV=production), served in-process.

The fixture applies the real ``cms/settings/production.py`` on top of the test settings,
with static files collected into a temporary STATIC_ROOT as a deployment collects them.
The cache stays per process here; the profile's refusal of such a cache is tested below
through a real start-up.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django_ratelimit.decorators import ratelimit

import cms.urls
from cms.home.models import SiteBranding
from cms.settings import base
from directory.models import ServicePage
from tests.factories import ServicePageFactory, UserFactory

REPO = Path(__file__).resolve().parents[1]
COUNCIL = "Bournemouth, Christchurch and Poole Council"


# --- A tiny URLconf for the forced error and the rate-limit example ----------------


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("forced failure with secret detail")


@ratelimit(key="ip", rate="2/m", block=True)
def limited(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


handler500 = cms.urls.handler500
urlpatterns = [path("boom/", boom), path("limited/", limited), *cms.urls.urlpatterns]


# --- Fixtures ------------------------------------------------------------------------


class HttpsClient(Client):
    """Every request over HTTPS, as behind the deployment's TLS."""

    def get(self, *args: Any, secure: bool = True, **kwargs: Any) -> Any:
        return super().get(*args, secure=secure, **kwargs)

    def post(self, *args: Any, secure: bool = True, **kwargs: Any) -> Any:
        return super().post(*args, secure=secure, **kwargs)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`collectstatic` with hashed names and a manifest (uncompressed, for speed)."""
    root = tmp_path_factory.mktemp("static")
    storages = {
        **base.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", "--noinput", "--verbosity", "0")
    assert (root / "staticfiles.json").exists()
    return root


@pytest.fixture
def production(settings: Any, monkeypatch: pytest.MonkeyPatch, collected_static: Path) -> Client:
    """A client of the site under the production profile, over HTTPS."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-test-only-key-" + "x" * 40)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "testserver")
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    monkeypatch.setattr(
        base, "CACHES", {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    )
    monkeypatch.delitem(sys.modules, "cms.settings.production", raising=False)
    profile = importlib.import_module("cms.settings.production")
    monkeypatch.delitem(sys.modules, "cms.settings.production")
    for name, value in vars(profile).items():
        if name.isupper():
            setattr(settings, name, value)
    settings.STATIC_ROOT = collected_static
    assert settings.DEBUG is False
    assert settings.STORAGES["staticfiles"]["BACKEND"].endswith(
        "CompressedManifestStaticFilesStorage"
    )
    cache.clear()
    return HttpsClient(raise_request_exception=False)


@pytest.fixture
def listing(db: None) -> ServicePage:
    return ServicePageFactory(title="Tuesday Lunch Club")


# --- Every public page serves ----------------------------------------------------------


@pytest.mark.django_db
def test_every_public_page_serves(
    production: Client, listing: ServicePage, gazetteer_store
) -> None:
    organisation = listing.get_parent()
    pages = [
        "/",
        "/search/?q=lunch&postcode=BH15+1SZ",
        listing.get_url(),
        organisation.get_url(),
        "/what-matters/",
        "/lists/mine/",
        f"/report-a-problem/{listing.pk}/",
        f"/manage-this-listing/{listing.pk}/",
        "/ask-to-be-listed/",
        "/api/oruk/services",
        "/admin/login/",
    ]
    for url in pages:
        response = production.get(url, follow=True)
        assert response.status_code == 200, url
        assert response.redirect_chain == [] or url == "/what-matters/", url

    home = production.get("/")
    html = home.content.decode()
    # Static files come from the manifest (hashed names) and are served by WhiteNoise.
    stylesheet = re.search(r'href="(/static/css/council\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "the stylesheet should have a hashed name"
    assert production.get(stylesheet.group(1)).status_code == 200
    # The security headers and cookies of the profile.
    assert home["Strict-Transport-Security"].startswith("max-age=31536000")
    assert home["Referrer-Policy"] == "same-origin"
    policy = home["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce and "script-src 'self'" in policy and "object-src 'none'" in policy
    # Every inline script carries the nonce, so the policy lets it run.
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts
    assert all(f'nonce="{nonce.group(1)}"' in attributes for attributes in inline_scripts)
    login = production.get("/admin/login/")
    assert login.cookies["csrftoken"]["secure"]


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_but_probes_are_not(production: Client) -> None:
    plain = Client()
    response = plain.get("/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"
    assert plain.get("/healthz").status_code == 200


# --- Server errors: logged, never shown -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls("tests.test_production")
def test_server_error_shows_the_councils_page_and_logs(production: Client, caplog) -> None:
    response = production.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert COUNCIL in html
    for leak in ("Traceback", "secret detail", "RuntimeError", "INSTALLED_APPS", str(REPO)):
        assert leak not in html
    assert any(
        record.name == "django.request" and "forced failure" in str(record.exc_info)
        for record in caplog.records
    )


@pytest.mark.django_db
@pytest.mark.urls("tests.test_production")
def test_server_error_page_renders_when_the_database_is_down(
    production: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def database_down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(SiteBranding, "for_request", database_down)
    response = production.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert django_settings.WAGTAIL_SITE_NAME in html


# --- Abuse limits --------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_wrong_passwords(production: Client) -> None:
    UserFactory(username="officer")

    def sign_in(password: str) -> HttpResponse:
        return production.post("/admin/login/", {"username": "officer", "password": password})

    # Below the limit the right password still works (and resets the count).
    assert sign_in("wrong").status_code == 200
    assert sign_in("correct horse battery").status_code == 302
    production.logout()

    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in("wrong")
    refused = sign_in("correct horse battery")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert "_auth_user_id" not in production.session


@pytest.mark.django_db
@pytest.mark.urls("tests.test_production")
def test_a_rate_limited_view_answers_with_the_429_page(production: Client) -> None:
    assert production.get("/limited/").status_code == 200
    assert production.get("/limited/").status_code == 200
    response = production.get("/limited/")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


# --- Refusing to start unsafely -------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DJANGO_SECRET_KEY": base.INSECURE_SECRET_KEY}, "set DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "k" * 50, "DJANGO_ALLOWED_HOSTS": ""}, "set DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": "k" * 50, "CACHE_URL": "locmemcache://"}, "set CACHE_URL"),
    ],
)
def test_production_profile_refuses_to_start_unsafely(
    variables: dict[str, str], message: str
) -> None:
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_ALLOWED_HOSTS": "directory.example.org",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        **variables,
    }
    env.pop("DJANGO_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
