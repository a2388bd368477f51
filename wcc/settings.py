"""Settings for the WCC dashboard: one file, configured by environment variables (see README)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from wcc.env import env_bool, env_int, env_list, env_str

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
    "assurance",
    "leaguetable",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
    return config


DATABASES = {
    "default": _database_from_url(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'wcc.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "wcc",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
# How long a rendered league page for a published year stays cached. Any write to a year bumps
# its revision, which is part of the cache key, so this only bounds memory, not staleness.
LEAGUE_CACHE_SECONDS = env_int("LEAGUE_CACHE_SECONDS", 3600)
# How long a process may serve the list of published years from its cache after another process
# published or corrected one (a shared cache is invalidated at once; see assurance/cache.py).
YEARS_CACHE_SECONDS = env_int("YEARS_CACHE_SECONDS", 10)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.js from the installed plotly package, so no page loads it from a CDN.
    "leaguetable.staticfiles.PlotlyFinder",
]
STATIC_ROOT = BASE_DIR / "staticfiles"

LOGIN_URL = "admin:login"

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"
