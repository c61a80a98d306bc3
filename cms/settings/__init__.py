"""The settings Django loads (``DJANGO_SETTINGS_MODULE=cms.settings``).

One environment variable picks the profile: ``DJANGO_ENV=production`` layers
``production.py`` over ``base.py``; anything else unset or ``development`` is the base
alone, which runs a fresh clone with no services.
"""

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import *  # noqa: F403
from cms.settings.base import env

DJANGO_ENV = env("DJANGO_ENV", default="development")

if DJANGO_ENV == "production":
    from cms.settings.production import *  # noqa: F403
elif DJANGO_ENV != "development":
    raise ImproperlyConfigured(
        f"DJANGO_ENV={DJANGO_ENV!r} is not a profile: use 'development' or 'production'."
    )
