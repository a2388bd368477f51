"""Shared by the benchmarks: Django on a throwaway database, and generated PCTs."""

import contextlib
import os
import tempfile
import urllib.parse
import warnings
from itertools import product


def setup_django(database_url: str, *, demo_data: bool) -> None:
    """Configure Django for `database_url`, migrate, load reference (and demo) data."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    # Plain HTTP from the test client, static files from the source folders: neither is timed.
    os.environ["HTTPS"] = "0"
    os.environ["STATIC_MANIFEST"] = "0"
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ["DJANGO_SETTINGS_MODULE"] = "wcc.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_reference_data", stdout=quiet)
        if demo_data:
            call_command("load_demo_data", stdout=quiet)


def use_cache(redis_url: str) -> None:
    """The cache the benchmark runs against: the Redis database given, or the in-process cache
    for ''. Set before Django starts."""
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)


def run_in_temporary_database(args, run, *, demo_data: bool) -> None:
    """run(args) in a database made for it and removed afterwards: on the PostgreSQL server of
    `--database-url` (a new database beside the one named), or SQLite in a temporary folder."""
    if args.database_url and args.database_url.startswith("postgres"):
        with _postgresql_database(args.database_url) as url:
            setup_django(url, demo_data=demo_data)
            run(args)
        return
    with tempfile.TemporaryDirectory() as folder:
        setup_django(args.database_url or f"sqlite:///{folder}/bench.sqlite3", demo_data=demo_data)
        run(args)


@contextlib.contextmanager
def _postgresql_database(url: str):
    """A new, empty database on the server of `url`, dropped afterwards: a run never starts
    from an earlier run's rows."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'wcc'}_bench_{os.getpid()}"
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def add_generated_pcts(total: int) -> list[str]:
    """Add PCTs with free three-character codes until there are `total`; returns every code."""
    from assurance.models import PCT, SHA

    shas = list(SHA.objects.all())
    taken = set(PCT.objects.values_list("code", flat=True))
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    free_codes = ("".join(chars) for chars in product(alphabet, repeat=3))
    free_codes = (code for code in free_codes if code not in taken)
    PCT.objects.bulk_create(
        PCT(code=code, name=f"Generated PCT {code}", sha=shas[i % len(shas)])
        for i, code in zip(range(total - len(taken)), free_codes, strict=False)
    )
    return sorted(PCT.objects.values_list("code", flat=True))
