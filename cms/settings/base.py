"""Django settings for the community asset directory, shared by every profile.

Driven by environment variables (django-environ). With no variables set it runs
embedded: SQLite, Celery in eager mode and the database search backend. Setting
DATABASE_URL, CELERY_BROKER_URL and ELASTICSEARCH_URL moves each part onto its
scale-path service. DJANGO_ENV=production adds the checks and hardening in
``production.py``; DEBUG is off unless DJANGO_DEBUG=true (``make dev``).
"""

import os
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Off unless asked for, so a forgotten variable never shows visitors a traceback.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
INSECURE_SECRET_KEY = "insecure-development-key-set-DJANGO_SECRET_KEY-in-production"  # noqa: S105
SECRET_KEY = env("DJANGO_SECRET_KEY", default=INSECURE_SECRET_KEY)
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
# The database search backend's snapshot files, one copy per machine shared by every
# process (search/backends/database/snapfiles.py); empty turns them off.
SEARCH_SNAPSHOT_DIR = env("DIRECTORY_SEARCH_SNAPSHOT_DIR", default=str(VAR_DIR / "search-snapshot"))
SEARCH_SNAPSHOT_GRACE_SECONDS = env.int("DIRECTORY_SEARCH_SNAPSHOT_GRACE_SECONDS", default=600)
# A small write is laid over the shared snapshot as a delta up to this many listings;
# past it the next reader builds a new base.
SEARCH_SNAPSHOT_DELTA_MAX_ROWS = env.int("DIRECTORY_SEARCH_SNAPSHOT_DELTA_MAX_ROWS", default=2000)
# Real English words are never spell-corrected (search/spelling.py); Debian's wbritish.
SPELLING_WORD_LIST = env("SPELLING_WORD_LIST", default="/usr/share/dict/british-english")

INSTALLED_APPS = [
    "cms.home",
    "cms.workflows",
    "signposting.resource_lists",
    "signposting",
    "geography",
    "directory",
    "vocabulary",
    "search",
    "importers",
    "recommender",
    "lifecycle",
    "onboarding",
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
    "axes",
    "csp",
    "django_ratelimit",
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
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the 429 page.
    "axes.middleware.AxesMiddleware",
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
    # Leaflet's script, stylesheet and images for the maps (npm, like GOV.UK Frontend).
    ("leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
]
# Hashed (manifest) file names only in production, where `collectstatic` is a deploy
# step: a missing manifest makes every page that names a static file fail with 500.
# Elsewhere WhiteNoise serves straight from the finders, with or without DEBUG.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
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
# Sessions hold residents' own lists and answers: kept in the database so a cache that
# evicts (a file or memory cache keeps 300 entries) or restarts never loses them, and read
# through the cache so most requests make no session query. Beat clears expired ones.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Secure-only cookies, HSTS and the HTTPS redirect are production.py's: `make run`
# serves plain HTTP on loopback.
SECURE_REFERRER_POLICY = "same-origin"

# --- Security: client address, login lockout, rate limits, CSP --------------
# How many reverse proxies in front of the app append to X-Forwarded-For (and set
# X-Forwarded-Proto). 0 trusts neither header: REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock the username from the address that guessed it, not the whole address (a council
# office shares one) nor the username everywhere (anyone could lock an officer out).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_CLIENT_IP_CALLABLE = "cms.client_ip.client_ip"

# django-ratelimit counts in the default cache; views opt in with @ratelimit.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "cms.client_ip.client_ip"
RATELIMIT_VIEW = "directory.ratelimits.ratelimited_view"
# Per-surface rates ("count/period") overriding directory/ratelimits.py's defaults,
# e.g. DIRECTORY_RATE_LIMITS=lists-email-ip=20/d,oruk-api=1200/m.
RATE_LIMITS = env.dict("DIRECTORY_RATE_LIMITS", default={})
# Partner systems sending one of these in an X-Api-Key header skip the ORUK API limit.
ORUK_API_KEYS = env.list("ORUK_API_KEYS", default=[])
# Emailed list links stop working, and saved what-matters plans are no longer shown,
# after this many days.
RESOURCE_LIST_SHARE_DAYS = env.int("RESOURCE_LIST_SHARE_DAYS", default=90)
SAVED_PLAN_DAYS = env.int("SAVED_PLAN_DAYS", default=90)
# An invitation to edit an organisation's listings works once, for this many days.
ONBOARDING_INVITATION_DAYS = env.int("ONBOARDING_INVITATION_DAYS", default=14)

# --- Maps --------------------------------------------------------------------
# The tiles behind the results and listing maps. OpenStreetMap's standard tiles unless
# set (see their usage policy; a council may point this at its own or a paid service).
# MAP_TILE_URL= (empty) draws no tiles: markers and the search radius on a plain
# background, as in tests, where no tile server is reachable.
MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    " contributors",
)


def tile_image_sources(tile_url: str) -> list[str]:
    """The Content-Security-Policy img-src entry for a tile URL template: its origin
    only ("{s}" subdomains become a wildcard), or nothing when there are no tiles."""
    from urllib.parse import urlsplit

    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return []
    host = parts.netloc.replace("{s}", "*")
    return [f"{parts.scheme}://{host}"]


# Scripts run only from our own origin or with the per-request nonce. Inline styles stay
# allowed: the branding colours and the print view's stylesheet are generated per page.
# The Wagtail and Django admins use inline scripts of their own, so they are left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        # Our own images, and the map tiles' host alone.
        "img-src": [SELF, "data:", *tile_image_sources(MAP_TILE_URL)],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

SILENCED_SYSTEM_CHECKS = [
    # Django's own Redis cache counts atomically; django-ratelimit just does not list it.
    "django_ratelimit.W001",
    # The embedded default cache is per process; production.py refuses it.
    "django_ratelimit.E003",
]

# --- Wagtail ---------------------------------------------------------------
WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", default="Community directory")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# The public site's address, for links made outside a request (exports, emails, lists).
DIRECTORY_BASE_URL = env("DIRECTORY_BASE_URL", default=WAGTAILADMIN_BASE_URL)
# The site settings model holding the council's name, area and home place.
DIRECTORY_COUNCIL_SETTINGS = "home.SiteBranding"
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
# A worker waits out a broker outage, however long, instead of exiting. Tasks running
# when the connection drops are cancelled: unacknowledged, they are delivered again,
# and the listing outbox and import heartbeats cover any that are not.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Publishing from a web request gives up on a dead broker quickly and falls back.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_TIMEZONE = TIME_ZONE
# Seconds between beat's catch-up runs: the listing outbox, the recommender's stale
# check and the import runs whose process died.
CATCH_UP_SECONDS = env.int("CATCH_UP_SECONDS", default=60)
#: A listing's outbox row is left this long to its own task before the drain takes it.
SEARCH_OUTBOX_GRACE_SECONDS = env.int("SEARCH_OUTBOX_GRACE_SECONDS", default=30)
#: A running import whose heartbeat is older than this is shown as stopped (resumable).
IMPORT_HEARTBEAT_TIMEOUT_MINUTES = env.int("IMPORT_HEARTBEAT_TIMEOUT_MINUTES", default=10)
# Upkeep for `celery -A cms beat`. Every task is sent for now, never with a countdown.
# Nightly, a full reindex compacts the search index and picks up category synonym
# edits; the recommender's artefacts are rebuilt to match.
CELERY_BEAT_SCHEDULE = {
    "drain-listing-outbox": {
        "task": "search.drain_listing_outbox",
        "schedule": CATCH_UP_SECONDS,
    },
    "rebuild-recommender-if-stale": {
        "task": "recommender.rebuild_if_stale",
        "schedule": CATCH_UP_SECONDS,
    },
    "stop-abandoned-imports": {
        "task": "importers.stop_abandoned_runs",
        "schedule": CATCH_UP_SECONDS,
    },
    # Folds small index writes (deltas over the shared search snapshot) into a new
    # base on the worker's machine; web machines compact by themselves past
    # SEARCH_SNAPSHOT_DELTA_MAX_ROWS.
    "compact-search-snapshot-hourly": {
        "task": "search.compact_search_snapshot",
        "schedule": crontab(minute=40),
    },
    "rebuild-search-index-nightly": {
        "task": "search.rebuild_listing_index",
        "schedule": crontab(hour=2, minute=30),
    },
    "rebuild-recommender-nightly": {
        "task": "recommender.tasks.rebuild_recommender",
        "schedule": crontab(hour=3, minute=0),
    },
    "clear-expired-sessions-nightly": {
        "task": "cms.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
    "check-listing-links-daily": {
        "task": "lifecycle.check_links",
        "schedule": crontab(hour=4, minute=15),
    },
    # Review reminders and stale alerts (lifecycle.review_notices): each sent once,
    # so a re-run is harmless and a missed day is caught up the next.
    "send-review-notices-daily": {
        "task": "lifecycle.send_review_notices",
        "schedule": crontab(hour=7, minute=30),
    },
}
# The daily link check (lifecycle.linkcheck): how many sites at once, how long to wait
# for each, and the pause before the one retry that comes before flagging a link.
LINK_CHECK_WORKERS = env.int("LINK_CHECK_WORKERS", default=4)
LINK_CHECK_TIMEOUT_SECONDS = env.float("LINK_CHECK_TIMEOUT_SECONDS", default=10.0)
LINK_CHECK_RETRY_DELAY_SECONDS = env.float("LINK_CHECK_RETRY_DELAY_SECONDS", default=5.0)

# --- Search ----------------------------------------------------------------
DIRECTORY_SEARCH_BACKEND = env("DIRECTORY_SEARCH_BACKEND", default="database")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="directory")

# --- Email -----------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "sent-email"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="directory@example.org")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
# Wagtail's moderation notices in HTML as well as text, like every other message; the
# council's name replaces Wagtail's banner (lifecycle/templates/wagtailadmin/notifications).
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
# GOV.UK Notify, when EMAIL_BACKEND=cms.notify.NotifyEmailBackend (see cms/notify.py).
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_EMAIL_TEMPLATE_ID = env("NOTIFY_EMAIL_TEMPLATE_ID", default="")
NOTIFY_EMAIL_REPLY_TO_ID = env("NOTIFY_EMAIL_REPLY_TO_ID", default="")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")

# Text messages go through a pluggable backend; the default writes them to files.
SMS_BACKEND = env("SMS_BACKEND", default="signposting.sms.FileSMSBackend")
SMS_FILE_PATH = VAR_DIR / "sent-sms"
# The console searches around here when a caller names no place. Empty: the home place
# in the site's branding settings (`manage.py setup_council`), else nationwide.
SIGNPOSTING_HOME_PLACE = env("SIGNPOSTING_HOME_PLACE", default="")
# GSS codes whose place names the console takes as places. Empty: the branding's area.
SIGNPOSTING_HOME_AREA_CODES = env.list("SIGNPOSTING_HOME_AREA_CODES", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
