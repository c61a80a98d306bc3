"""Django settings for the community asset directory.

One settings module, driven by environment variables (django-environ). With no
variables set it runs embedded: SQLite, Celery in eager mode and the database
search backend. Setting DATABASE_URL, CELERY_BROKER_URL and ELASTICSEARCH_URL moves
each part onto its scale-path service.
"""

import os
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="insecure-development-key-set-DJANGO_SECRET_KEY-in-production",
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

VAR_DIR = Path(env("DIRECTORY_VAR_DIR", default=str(BASE_DIR / "var")))
# Runtime state (SQLite file, gazetteer, media) lives here; SQLite cannot create folders.
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Real public data lives beside the repository and is never copied into it.
DIRECTORY_SHARED_DATA = Path(
    env("DIRECTORY_SHARED_DATA", default=str(BASE_DIR.parent / "shared" / "data"))
)
GAZETTEER_DIR = Path(env("GAZETTEER_DIR", default=str(VAR_DIR / "gazetteer")))

INSTALLED_APPS = [
    "cms.home",
    "cms.workflows",
    "signposting.resource_lists",
    "signposting",
    "geography",
    "directory",
    "search",
    "importers",
    "recommender",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'directory.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while an import or Celery task writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
else:
    # One test database per test process, so concurrent runs never fight over it.
    DATABASES["default"].setdefault(
        "TEST",
        {"NAME": env("TEST_DATABASE_NAME", default=f"test_directory_{os.getpid()}")},
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    # Compiled council stylesheet (make assets) and the GOV.UK Frontend package.
    ("css", VAR_DIR / "build" / "css"),
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Uploads above this are refused with a clear message rather than exhausting memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGIN_URL = "wagtailadmin_login"

# Feed addresses that resolve inside our network (loopback, private, link-local...) are
# refused (importers/safe_fetch.py). List trusted internal feed hosts here, as written
# in the URL: host names, IP addresses, or CIDR ranges for IP-literal URLs.
IMPORTER_ALLOWED_PRIVATE_HOSTS = env.list("IMPORTER_ALLOWED_PRIVATE_HOSTS", default=[])

# Sessions live in the cache, never in the database: a resident's self-assessment
# answers and their own resource list are not stored unless they choose to save them.
# Embedded runs use process memory; set CACHE_URL=redis://127.0.0.1:6379/1 for several
# workers.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# --- Wagtail ---------------------------------------------------------------
WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", default="Community directory")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "docx", "xlsx", "odt", "txt"]

# --- Celery ----------------------------------------------------------------
# With no broker configured tasks run inline (eager), so a fresh clone needs no services.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://"
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_TIMEZONE = TIME_ZONE
# Nightly upkeep for `celery -A cms beat`: a full reindex compacts the search index and
# picks up category synonym edits; the recommender's artefacts are rebuilt to match.
CELERY_BEAT_SCHEDULE = {
    "rebuild-search-index-nightly": {
        "task": "search.rebuild_listing_index",
        "schedule": crontab(hour=2, minute=30),
    },
    "rebuild-recommender-nightly": {
        "task": "recommender.tasks.rebuild_recommender",
        "schedule": crontab(hour=3, minute=0),
    },
}

# --- Search ----------------------------------------------------------------
DIRECTORY_SEARCH_BACKEND = env("DIRECTORY_SEARCH_BACKEND", default="database")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="directory")

# --- Email -----------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "sent-email"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="directory@example.org")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# Text messages go through a pluggable backend; the default writes them to files.
SMS_BACKEND = env("SMS_BACKEND", default="signposting.sms.FileSMSBackend")
SMS_FILE_PATH = VAR_DIR / "sent-sms"
# The console searches around here when a caller names no place (empty: nationwide).
SIGNPOSTING_HOME_PLACE = env("SIGNPOSTING_HOME_PLACE", default="Bournemouth")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
