"""The production profile (``DJANGO_ENV=production``): overrides on top of ``base.py``.

It refuses to start rather than run unsafely, each time with the variable to set.
Every setting here is one ``manage.py check --deploy`` looks for; `make deploy-check`
runs that check in CI.
"""

from django.core.exceptions import ImproperlyConfigured

from cms.settings import base
from cms.settings.base import env


def _refuse(message: str) -> None:
    raise ImproperlyConfigured(f"DJANGO_ENV=production: {message}")


if env.bool("DJANGO_DEBUG", default=False):
    _refuse("DJANGO_DEBUG=true would show visitors tracebacks and settings; unset it.")
DEBUG = False

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY == base.INSECURE_SECRET_KEY:
    _refuse(
        "set DJANGO_SECRET_KEY to a long random value of your own (the built-in "
        "development key is public). For example: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    _refuse("set DJANGO_ALLOWED_HOSTS to the site's host names, comma-separated.")

# Sessions, login lockouts and rate limits live in the cache; each web worker would
# otherwise keep its own, and residents' lists would come and go between requests.
if base.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    _refuse("set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1.")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Behind a TLS-terminating proxy that redirects already, DJANGO_SECURE_SSL_REDIRECT=false.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

# Each web worker keeps its database connection between requests instead of opening
# one per request (a TCP handshake and login on PostgreSQL), checked before reuse.
DATABASES = {
    "default": {
        **base.DATABASES["default"],
        "CONN_MAX_AGE": env.int("DJANGO_CONN_MAX_AGE", default=600),
        "CONN_HEALTH_CHECKS": True,
    }
}

STORAGES = {
    **base.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Only what `collectstatic` put in STATIC_ROOT, with far-future caching of hashed names.
WHITENOISE_USE_FINDERS = False

# A shared cache is required above, so only the "not officially supported" note for
# Django's Redis cache is silenced.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
