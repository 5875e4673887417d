"""Settings for the forum, read from the environment.

With no variable set, the site runs on SQLite in debug mode with a local-memory
cache, so a fresh checkout just runs. See README.md for every variable.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def email_settings(environ) -> dict:
    """Django's EMAIL_* settings from EMAIL_URL, or from the EMAIL_* variables."""
    url = environ.get("EMAIL_URL", "").strip()
    if not url:
        values = {
            "EMAIL_BACKEND": environ.get(
                "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
            )
        }
        for name in ("EMAIL_HOST", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"):
            if environ.get(name):
                values[name] = environ[name]
        for name in ("EMAIL_PORT", "EMAIL_TIMEOUT"):
            if environ.get(name):
                values[name] = int(environ[name])
        for name in ("EMAIL_USE_TLS", "EMAIL_USE_SSL"):
            if environ.get(name):
                values[name] = environ[name].strip().lower() in {"1", "true", "yes"}
        values.setdefault("EMAIL_TIMEOUT", 10)
        return values
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    backends = "django.core.mail.backends."
    if scheme in {"console", "dummy", "locmem"}:
        return {"EMAIL_BACKEND": f"{backends}{scheme}.EmailBackend"}
    if scheme == "file":
        return {
            "EMAIL_BACKEND": f"{backends}filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme not in {"smtp", "smtp+tls", "smtp+ssl", "submission", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {scheme!r}")
    ssl = scheme in {"smtp+ssl", "smtps"}
    return {
        "EMAIL_BACKEND": f"{backends}smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if ssl else 587 if scheme != "smtp" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": scheme in {"smtp+tls", "submission"},
        "EMAIL_USE_SSL": ssl,
        "EMAIL_TIMEOUT": 10,
    }


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-secret-key-not-for-production-use-0123456789abcdef"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("DJANGO_BEHIND_PROXY", False)
    else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # The voting script reads the token from the form.

# Content-Security-Policy (forum/infra/middleware.py): scripts and styles only from
# this site's static files, so an injected <script> or handler never runs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# The API's documentation (drf-spectacular's Swagger UI page) carries an
# inline <style> block; its scripts still come only from static files.
CONTENT_SECURITY_POLICY_PATHS = {
    "/api/docs/": CONTENT_SECURITY_POLICY.replace(
        "style-src 'self'", "style-src 'self' 'unsafe-inline'"
    ),
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "accounts",
    "articles",
    "forum",
    "webhooks",
]

# Optional PostgreSQL read replica (its database is set up below): read here
# because it adds a middleware.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")

# The header middlewares come first so that every answer, the 413 included,
# carries the security headers. MaxBodySizeMiddleware refuses an oversized
# body before anything reads it: the middlewares above it read headers only,
# and the CSRF check reads the form in process_view, after every __call__;
# placed after them, its error page knows the user and their language.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "forum.infra.middleware.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "forum.infra.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # With a replica, before sessions: the session read already follows the
    # pin to the primary after a write (forum/infra/db_router.py).
    *(
        ["forum.infra.db_router.PrimaryAfterWriteMiddleware"]
        if DATABASE_REPLICA_URL
        else []
    ),
    # Cached anonymous pages are answered before sessions, CSRF and the rest
    # of the stack run (forum/pagecache/).
    "forum.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "forum.infra.middleware.QueryStringMiddleware",
    "forum.infra.middleware.MaxBodySizeMiddleware",
    "forum.infra.middleware.FormEncodingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"
ASGI_APPLICATION = "forum.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "forum.context_processors.notifications",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL (or any dj-database-url URL) through
# DATABASE_URL. SQLite opens every transaction IMMEDIATE and waits on a busy
# database, so concurrent writers queue instead of failing with "locked".
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend with the writers of a process queued in turn, so that
    # none waits out the timeout behind newer ones (forum/infra/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "forum.infra.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON;"
        ),
    }
    # Tests use a file, not shared-cache memory: only a file database has the
    # busy timeout and WAL that let concurrent writers queue.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("SQLITE_TEST_PATH", str(BASE_DIR / "test-db.sqlite3"))
    }

if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # An unreachable server answers a 503 after this many seconds instead of
    # holding the request until the system's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )

# Connections stay open between requests, SQLite's too: opening one and
# running its PRAGMAs costs more than most page queries.
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("DATABASE_CONN_MAX_AGE", 60))

# On PostgreSQL, the statements built once (the thread page's lookups, the
# signed-in user, the session) run as prepared statements, planned once per
# connection instead of at every request (forum/infra/prepared.py). Turn off
# behind a pooler that does not keep them (PgBouncer before 1.21 in
# transaction mode).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)

# Optional PostgreSQL read replica: read-only queries go there, writes and
# reads inside transactions or after a write go to the primary
# (forum/infra/db_router.py, docs/deployment.md).
FORUM_REPLICA_PIN_SECONDS = env_int("FORUM_REPLICA_PIN_SECONDS", 5)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
    # Tests see one database: the replica alias mirrors the primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["forum.infra.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# dumpdata/loaddata in JSON keep datetimes to the microsecond, so a backup
# restores exactly (docs/operations.md).
SERIALIZATION_MODULES = {"json": "forum.infra.dump"}

# Cache: local memory by default, Redis through REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "forum.infra.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "forum"),
            # An unreachable Redis costs at most these seconds, once per
            # process and FORUM_CACHE_RETRY_SECONDS (forum/infra/redis_cache.py).
            "OPTIONS": {
                "socket_connect_timeout": env_float("REDIS_TIMEOUT", 0.5),
                "socket_timeout": env_float("REDIS_TIMEOUT", 0.5),
            },
        }
    }
    # Django's cached_db, read with a page's counters (forum/infra/cached_db.py).
    SESSION_ENGINE = "forum.infra.cached_db"
else:
    # Django's database sessions, read with a prepared statement.
    SESSION_ENGINE = "forum.infra.sessions"
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "forum",
        }
    }

# Counters and one-time records that every server process must see alike:
# rate limits, the API's write throttles, Idempotency-Key responses. Redis
# when configured, otherwise a table in the database, never a process's
# memory (forum/sharedstore.py).
if REDIS_URL:
    CACHES["shared"] = dict(CACHES["default"])
else:
    CACHES["shared"] = {
        "BACKEND": "forum.sharedstore.SharedDatabaseCache",
        "LOCATION": "forum_shared_cache",  # SHARED_TABLE,
        # Entries are short-lived rate-limit slots and kept responses; expired
        # ones are removed first when the table grows past this.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{_VALIDATORS}.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: username sign-up, e-mail required and confirmed by a link
# (a reader signs in at once, and replies once the address is confirmed:
# forum/permissions.py), failed log-ins limited.
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "accounts.validators.username_validators"
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("LOGIN_FAILED_RATE", "5/5m/ip,5/5m/key"),
    "signup": os.environ.get("SIGNUP_RATE", "5/h/ip"),
    "reset_password": "5/h/ip,3/h/key",
    "change_password": "5/m/user",
}
# The extra sign-up fields (display name) on top of allauth's own form.
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
# Usernames are normalised and look-alikes refused (accounts/usernames.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"

# Where the site is reached, for links in e-mails sent outside any request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# E-mail: one EMAIL_URL (smtp://user:password@host:587, smtp+ssl://...,
# console:, file:///path, dummy:), or Django's own EMAIL_* variables.
globals().update(email_settings(os.environ))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"Forum <no-reply@{urlsplit(SITE_URL).hostname}>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Staff told when a webhook endpoint is disabled or a task keeps failing,
# on top of every active staff account with an address.
ADMINS = [("", address) for address in env_list("ADMINS", [])]

# Work off the request path (forum/tasks.py): Celery with Redis as broker when
# CELERY_BROKER_URL or REDIS_URL is set. With neither, tasks run in-process
# once the transaction commits, so `make run` needs no other service.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
# A failing task never fails the request that queued it; it is recorded
# (forum.TaskFailure) and retried, never raised into the caller.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged once done: a worker killed mid-way leaves it to run
# again, which every task here allows (they are idempotent).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Seconds before an unacknowledged task is handed to another worker:
    # longer than the slowest task (a webhook times out after 10 s).
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
}
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "forum")
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE = {
    "send-daily-digests": {
        "task": "forum.tasks.send_daily_digests",
        "schedule": crontab(hour=env_int("FORUM_DIGEST_HOUR", 7), minute=0),
    },
    "retry-pending-work": {
        "task": "forum.tasks.retry_pending_work",
        "schedule": 5 * 60,
    },
    "purge-personal-data": {
        "task": "forum.tasks.purge_personal_data",
        "schedule": crontab(hour=4, minute=30),
    },
}
# Days the records of e-mails sent (or failed) and of failed tasks are kept
# before purge_personal_data deletes them; expired sessions and rate-limit
# entries go at its next run (docs/privacy.md).
FORUM_RETENTION_DAYS = env_int("FORUM_RETENTION_DAYS", 30)
# Attempts at one e-mail before it is marked failed and shown to staff.
FORUM_EMAIL_MAX_ATTEMPTS = env_int("FORUM_EMAIL_MAX_ATTEMPTS", 6)
# Webhooks: a delivery is retried with exponential backoff for this long, and
# an endpoint failing for this long is disabled.
WEBHOOK_RETRY_SECONDS = env_int("WEBHOOK_RETRY_SECONDS", 24 * 60 * 60)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Served at the site's root by WhiteNoise: /favicon.ico, which browsers ask
# for on every page without an icon link (the admin, the API docs).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
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

# Outages (docs/operations.md). Retry-After of the 503 answers, in seconds;
# how long a process answers without Redis after it failed before asking
# again; how often a lasting outage is logged.
FORUM_RETRY_AFTER_SECONDS = env_int("FORUM_RETRY_AFTER_SECONDS", 30)
FORUM_CACHE_RETRY_SECONDS = env_int("FORUM_CACHE_RETRY_SECONDS", 5)
FORUM_OUTAGE_LOG_SECONDS = env_int("FORUM_OUTAGE_LOG_SECONDS", 60)

# Longest query string read, in bytes; longer ones get a clear 414 in the
# site's own style (`make serve` lets gunicorn pass lines of any length).
FORUM_MAX_QUERY_STRING = env_int("FORUM_MAX_QUERY_STRING", 4096)

# Largest request body accepted; larger ones get a clear 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 256 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Forum rules.
FORUM_REPLY_MAX_LENGTH = 10_000
FORUM_DISPLAY_DEPTH_CAP = 6
FORUM_TOP_LEVEL_PER_PAGE = 20
FORUM_DESCENDANTS_PER_ROOT = 200
FORUM_FLAGS_TO_HIDE = env_int("FORUM_FLAGS_TO_HIDE", 3)
# Reports are weighed by their reporter's standing (forum.services.report_weight),
# in hundredths of a report: an account created after the reply it reports,
# one younger than FORUM_REPORT_TRUSTED_AGE days; members of the trusted
# readers group count twice.
FORUM_REPORT_WEIGHT_LATE = env_int("FORUM_REPORT_WEIGHT_LATE", 10)
FORUM_REPORT_WEIGHT_NEW = env_int("FORUM_REPORT_WEIGHT_NEW", 25)
FORUM_REPORT_TRUSTED_AGE = env_int("FORUM_REPORT_TRUSTED_AGE", 7)
FORUM_TRUSTED_READERS_GROUP = "Trusted readers"

# "@name" mentions linked and notified in one reply; later ones stay text.
FORUM_MENTIONS_PER_REPLY = env_int("FORUM_MENTIONS_PER_REPLY", 5)
FORUM_HOLD_FIRST_REPLIES = env_int("FORUM_HOLD_FIRST_REPLIES", 0)
FORUM_ARTICLES_PER_PAGE = 10
# Seconds a cached anonymous page or shared thread page may live; writes make
# it stale sooner through the version counters of forum/infra/cache.py.
# 0: no cache.
FORUM_PAGE_CACHE_TIMEOUT = env_int("FORUM_PAGE_CACHE_TIMEOUT", 300)
# Each process also keeps copies of the pages it serves, for at most these
# seconds and bytes, so a hit reads only the version counters from Redis.
FORUM_PAGE_LOCAL_SECONDS = env_int("FORUM_PAGE_LOCAL_SECONDS", 60)
FORUM_PAGE_LOCAL_BYTES = env_int("FORUM_PAGE_LOCAL_MB", 32) * 1024 * 1024
# A page whose versions changed more than FORUM_PAGE_HOT_CHANGES times in the
# last second, as one process saw them, is "hot": that process serves its
# newest copy of it while the copy is less than FORUM_PAGE_HOT_SECONDS old
# instead of rendering every version (forum/pagecache/store.py). 0 seconds:
# every version is rendered.
FORUM_PAGE_HOT_SECONDS = env_float("FORUM_PAGE_HOT_SECONDS", 0.5)
FORUM_PAGE_HOT_CHANGES = env_int("FORUM_PAGE_HOT_CHANGES", 5)
# Rendered replies (forum/pagecache/fragments.py), kept whether the page cache
# is on or not: their keys are fingerprints of what they show, so they never
# need invalidating; 0 turns them off. Each process also keeps copies of them.
FORUM_FRAGMENT_CACHE_TIMEOUT = env_int("FORUM_FRAGMENT_CACHE_TIMEOUT", 3600)
FORUM_FRAGMENT_LOCAL_SECONDS = env_int("FORUM_FRAGMENT_LOCAL_SECONDS", 300)
FORUM_FRAGMENT_LOCAL_BYTES = env_int("FORUM_FRAGMENT_LOCAL_MB", 16) * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Rate limits shared by the pages and the API, counted in the shared cache:
# "count/seconds" over a sliding window (forum/ratelimit.py). The "_new"
# limits apply on top while an account is younger than FORUM_NEW_ACCOUNT_AGE.
# In the spirit of mature forums (Discourse: a post per 5 s, per 30 s for a
# new user, 10 replies on the first day, 20 flags a day).
FORUM_RATE_LIMITS = {
    "reply": "1/5",
    "reply_hourly": "60/3600",
    "reply_new": "1/30",
    "reply_new_daily": "10/86400",
    "vote": "30/60",
    "vote_new": "10/60",
    "vote_new_daily": "50/86400",
    "flag": "10/3600",
    "flag_daily": "20/86400",
    "flag_new": "3/3600",
    "edit": "1/5",
    "edit_hourly": "30/3600",
    "edit_new": "1/30",
    "appeal": "5/3600",
    "notice": "5/3600",
    "notice_daily": "20/86400",
}
FORUM_NEW_ACCOUNT_AGE = 24 * 60 * 60
# A reply sent again by its author to the same place with the same text within
# this many seconds is the same reply (a form submitted twice); 0 turns it off.
FORUM_DUPLICATE_REPLY_SECONDS = env_int("FORUM_DUPLICATE_REPLY_SECONDS", 60)

# REST API v1 (forum/api/, docs/api.md). Throttle rates are "count/period"
# (s, m, h, d); the services' own rate limits above apply to the API too.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so a request without credentials answers 401 with
        # WWW-Authenticate: Bearer rather than 403.
        "forum.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["forum.api.permissions.ReadOrWrite"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["forum.api.parsers.StrictJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "forum.api.throttles.AnonReadThrottle",
        "forum.api.throttles.UserWriteThrottle",
        "forum.api.throttles.VoteThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon_read": os.environ.get("API_THROTTLE_ANON_READ", "300/m"),
        "user_write": os.environ.get("API_THROTTLE_USER_WRITE", "60/m"),
        "vote": os.environ.get("API_THROTTLE_VOTE", "60/m"),
        "token": os.environ.get("API_THROTTLE_TOKEN", "10/m"),
    },
    "EXCEPTION_HANDLER": "forum.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "forum.api.schema.ForumAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0) or None,
}
# Seconds an anonymous API read stays cached; writes in a thread invalidate
# its entries at once, other edits (articles, postings) show after this.
API_CACHE_TIMEOUT = env_int("API_CACHE_TIMEOUT", 60)
# Seconds the response to a POST with an Idempotency-Key is kept, to answer
# the same request sent again (forum/api/idempotency.py).
API_IDEMPOTENCY_SECONDS = env_int("API_IDEMPOTENCY_SECONDS", 24 * 60 * 60)

# Days an API token may go unused before it stops working; each use moves its
# last use, written at most once every API_TOKEN_TOUCH_SECONDS so that reads
# do not each cost a write.
API_TOKEN_IDLE_DAYS = env_int("API_TOKEN_IDLE_DAYS", 30)
API_TOKEN_TOUCH_SECONDS = 60

SPECTACULAR_SETTINGS = {
    "TITLE": "Forum des salaires de l'IA — API",
    "DESCRIPTION": (
        "Articles about AI salaries, their question threads, replies, votes "
        "and the job postings they cite. Reads are public; writes need a "
        "token (`Authorization: Bearer <token>`, from POST /api/v1/auth/token/) "
        "or a session with its CSRF token. Guide: docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "FlagReasonEnum": "forum.models.Flag.Reason",
        "PostingPeriodEnum": "articles.models.Posting.Period",
    },
    # Request bodies are documented as JSON only. The token exchange also
    # reads an HTML form, but two media types with one schema make client
    # generators (openapi-python-client) write code that does not import.
    "PARSER_WHITELIST": ["forum.api.parsers.StrictJSONParser"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "forum.api.schema.describe_enforced_rules",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CSRF_FAILURE_VIEW = "forum.infra.errors.csrf_failure"

# Usernames no one may take, nor any name that looks like one of them
# (accounts/usernames.py); staff add more in the admin (Reserved usernames).
ACCOUNTS_RESERVED_USERNAMES = [
    "admin",
    "administrator",
    "moderator",
    "moderation",
    "support",
    "api",
    "staff",
    "root",
    "system",
    "forum",
    "salairesia",
    "aisalaries",
    # Author of the replies of erased accounts (accounts.models.deleted_member).
    "deleted-member",
    "aisalariesforum",
]
