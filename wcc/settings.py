"""Settings for the WCC dashboard: one file, configured by environment variables (see README)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from wcc import release
from wcc.env import env_bool, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Generate one with\n"
            "  python -c 'import secrets; print(secrets.token_urlsafe(50))'\n"
            "and set SECRET_KEY=<that value>, or set DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "assurance",
    "leaguetable",
    "directed_development",
    "watchlists",
    "accounts",
    "api",
]

MIDDLEWARE = [
    "wcc.middleware.RequestLogMiddleware",
    # The read API's limit per address, CORS and JSON errors: outside everything that may
    # answer an API request, the page cache and the 413 and 503 pages included (api/http.py).
    "api.http.ApiMiddleware",
    "wcc.middleware.RequestSizeMiddleware",
    # Before anything looks the path or a parameter up in the database (PostgreSQL refuses NULs).
    "wcc.middleware.RefuseNulBytesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Headers only: out here, a page answered by the page cache below gets them too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An anonymous reader's cached page is answered here, before the session is loaded; every
    # other request goes on (leaguetable/views/caching.py).
    "leaguetable.views.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether this session's user gave a two-factor code (user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "accounts.sessions.AdminSessionMiddleware",
    "accounts.two_factor.TwoFactorMiddleware",
    "wcc.middleware.PrivateForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wcc.middleware.DatabaseUnavailableMiddleware",
]

# Every log line is one JSON object on stderr (wcc/logs.py): the request's id, user and path,
# 500s with their tracebacks (django.request), failed emails (django.dispatch, whose robust
# signals log a receiver's error), and one line per request (wcc.requests). Without this, Django
# logs nothing at all when DEBUG is off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "wcc.logs.JSONFormatter"}},
    "handlers": {"stderr": {"class": "wcc.logs.StderrHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        # Django's own handlers print only in DEBUG (and mail admins, of which there are none):
        # its records go to the root's handler instead, once.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

ROOT_URLCONF = "wcc.urls"
WSGI_APPLICATION = "wcc.wsgi.application"

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
            ],
        },
    },
]


def _database_from_url(url: str) -> dict:
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} is not a database URL ({error}). Examples:\n"
            "  sqlite:///var/wcc.sqlite3\n"
            "  postgres://postgres@127.0.0.1:5432/wcc"
        ) from error
    # A dropped connection (e.g. a database restart) is noticed before a request uses it.
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite lets one writer in at a time. A deferred transaction reads first and asks for
        # the write lock later, and two such writers fail at once with "database is locked";
        # IMMEDIATE takes the lock at BEGIN, so the second writer waits (up to SQLITE_TIMEOUT
        # seconds) and then finds the first one's change: the entry form's conflict page.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_TIMEOUT", 20),
        }
    return config


DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    # The embedded default: a newcomer needs no database server. var/ is git-ignored.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'wcc.sqlite3'}"
DATABASES = {"default": _database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# Failed-login counters (accounts/logins.py) are kept apart from the pages: a flood of pages
# evicting them would reset the throttle. Best on a Redis of their own that never evicts
# (docs/operations.md); by default in REDIS_URL's database under their own key prefix.
LOGINS_REDIS_URL = env_str("LOGINS_REDIS_URL", REDIS_URL)
if REDIS_URL:
    # Shared by every app process and host, so an invalidation is seen everywhere at once. While
    # Redis is unreachable, pages are served uncached (wcc/cache.py).
    CACHES = {"default": {"BACKEND": "wcc.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "wcc",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
if LOGINS_REDIS_URL:
    CACHES["logins"] = {
        "BACKEND": "wcc.cache.RedisCache",
        "LOCATION": LOGINS_REDIS_URL,
        "KEY_PREFIX": "logins",
        # While Redis is unreachable each process counts failures in its own memory: the
        # throttle keeps working (per process) rather than letting every guess through.
        "OPTIONS": {"WHEN_UNREACHABLE": "local"},
    }
else:
    # Its own store, so pages culled from the default one never take counters with them.
    CACHES["logins"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "wcc-logins",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
# Background work (wcc/tasks.py): emails, warming the page cache, removing stale uploads. Queued in
# the database and run by `manage.py db_worker` (docs/operations.md); TASKS_INLINE=1 runs each
# task at once in the process that queued it, for a host that cannot run a second process.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if env_bool("TASKS_INLINE", default=False)
        else "django_tasks_db.DatabaseBackend"
    }
}
# A failed task is tried again after TASK_RETRY_SECONDS, then twice that, …, TASK_ATTEMPTS in all.
TASK_ATTEMPTS = env_int("TASK_ATTEMPTS", 3)
TASK_RETRY_SECONDS = env_int("TASK_RETRY_SECONDS", 60)
# After a publication or correction a task renders the public pages into the page cache, so the
# first reader does not wait for them. Only a cache the web processes share (Redis) gains from
# pages a worker rendered, so it is on by default only with REDIS_URL.
WARM_PAGE_CACHE = env_bool("WARM_PAGE_CACHE", default=bool(REDIS_URL))

# Requests a minute one address may make of the read API (/api/v1/) before it is answered 429;
# 0 turns the limit off. Counted in CACHES["logins"], beside the login throttle's counters.
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 600)

# How long a rendered league page for a published year stays cached. Any write to a year bumps
# its revision, which is part of the cache key, so this only bounds memory, not staleness.
LEAGUE_CACHE_SECONDS = env_int("LEAGUE_CACHE_SECONDS", 3600)
# How long a year's ranked rows stay in the shared cache for the next worker that starts. Keyed
# by revision like the pages, so this too bounds memory only.
RANKINGS_CACHE_SECONDS = env_int("RANKINGS_CACHE_SECONDS", 86400)
# How long a process may serve the list of published years from its cache after another process
# published or corrected one (a shared cache is invalidated at once; see assurance/cache.py).
YEARS_CACHE_SECONDS = env_int("YEARS_CACHE_SECONDS", 10)
# The deployed release, part of every cached page's key and ETag and every shared ranking's key,
# so a deploy never serves the previous code's pages. WCC_RELEASE (the commit, say) when set;
# otherwise a digest of the code and templates, read at start (wcc/release.py).
RELEASE = env_str("WCC_RELEASE") or release.source_digest(BASE_DIR)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Hashed, compressed names in production (served by WhiteNoise, cached by browsers for a year);
# plain files in development so no collectstatic is needed.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic's manifest, WhiteNoise serves straight from the app and project folders.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# Security. HTTPS is assumed unless DEBUG is on; behind a TLS-terminating proxy, set
# TRUST_X_FORWARDED_PROTO=1 so Django knows the original request was HTTPS.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers often probe over plain HTTP inside the network; a redirect would fail the check.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=HTTPS)
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
SESSION_COOKIE_HTTPONLY = True
# How long a login lasts: readers two weeks by default; assurance admins and Django admin staff,
# who can change the record, a working day (set at login, accounts/sessions.py).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 60 * 60)
ADMIN_SESSION_SECONDS = env_int("ADMIN_SESSION_SECONDS", 8 * 60 * 60)
# …and ends sooner for them after this long without a request (accounts/sessions.py).
ADMIN_IDLE_SECONDS = env_int("ADMIN_IDLE_SECONDS", 30 * 60)
# Assurance admins and Django admin staff sign in with a code from an authenticator app too
# (accounts/two_factor.py); off by default in DEBUG, so `make demo`'s users need no phone.
ADMIN_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED", default=not DEBUG)
# The issuer name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "WCC dashboard"
# The Django admin shows no one's TOTP secret or its QR code (a superuser could otherwise sign in
# as anyone's phone), and so never looks a device up by an id from the URL: django-otp's page
# for a missing device was a 500.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# No inline scripts anywhere: every script is a static file of this site. Plotly.js writes
# <style> elements for its own chart styles at run time, hence unsafe-inline for styles only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "leaguetable:latest"
LOGOUT_REDIRECT_URL = "leaguetable:latest"
# Every login (this site's and the admin's) goes through the throttle in accounts/logins.py.
AUTHENTICATION_BACKENDS = ["accounts.logins.ThrottledModelBackend"]
# Proxies (addresses or CIDR networks) whose X-Forwarded-For names the client, e.g. the TLS load
# balancer: the login throttle counts failures per client address, not per proxy.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
# Directed development flags are for SHA staff and assurance admins; analysts see them (on the
# league table, PCT pages and /flags/) only when this is on.
FLAGS_VISIBLE_TO_ANALYSTS = env_bool("FLAGS_VISIBLE_TO_ANALYSTS", default=False)
# How many people besides its proposer (the PCT's SHA staff or assurance admins) confirm a flag.
FLAG_CONFIRMATIONS = env_int("FLAG_CONFIRMATIONS", 1)
# How many different assurance admins sign a publication (or a withdrawal from public view)
# before it happens; the one who asks signs first. 1 lets one admin publish alone.
PUBLICATION_APPROVALS = env_int("PUBLICATION_APPROVALS", 2)
if PUBLICATION_APPROVALS < 1:
    raise ImproperlyConfigured(f"PUBLICATION_APPROVALS={PUBLICATION_APPROVALS}: at least 1.")
# Uploads never confirmed are removed after this many days by `manage.py remove_stale_imports`
# (schedule it daily: docs/operations.md).
IMPORT_PENDING_DAYS = env_int("IMPORT_PENDING_DAYS", 7)
# Largest spreadsheet an import accepts, in bytes; uploads are held in memory, never on disk.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# One file per upload, and no request body larger than the largest spreadsheet and a form around
# it (413 before it is read, wcc/middleware.py): 60 files of 5 MB in one request once cost a
# worker 324 MB.
DATA_UPLOAD_MAX_NUMBER_FILES = 1
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", IMPORT_MAX_BYTES + 1024 * 1024)

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# Email: publishing a year tells each SHA's staff which of their PCTs meet the rules for concern.
# Django 6.1's MAILERS (its EMAIL_* settings are deprecated), read from the usual EMAIL_*
# variables. In development (DEBUG) mail is printed to the console unless EMAIL_BACKEND says
# otherwise; otherwise it goes by SMTP to EMAIL_HOST.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_email_backend = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else SMTP_BACKEND
)
MAILERS = {"default": {"BACKEND": _email_backend}}
if _email_backend == SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
        # Mail is sent as the publishing request ends: a silent server must not hold it long.
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
    if MAILERS["default"]["OPTIONS"]["use_tls"] and MAILERS["default"]["OPTIONS"]["use_ssl"]:
        raise ImproperlyConfigured(
            "EMAIL_USE_TLS and EMAIL_USE_SSL are both on: use TLS (STARTTLS, usually port 587) "
            "or SSL (usually port 465), not both."
        )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "WCC dashboard <wcc-dashboard@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where this site is reached from outside: emails carry absolute links, and a signal receiver
# has no request to build them from.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"SITE_URL={SITE_URL!r} is not an absolute address: e.g. SITE_URL=https://wcc.example.nhs.uk"
    )
