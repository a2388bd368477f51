"""Configuration: typed environment variables that fail at start-up with a helpful message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from wcc.env import env_bool, env_int, env_list, env_networks

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("Yes", True), ("off", False)])
def test_env_bool_reads_common_words(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is expected


def test_env_bool_rejects_other_words_naming_the_variable(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        env_bool("FLAG")


def test_env_int_rejects_a_non_number(monkeypatch):
    monkeypatch.setenv("SECONDS", "ten")
    with pytest.raises(ImproperlyConfigured, match="SECONDS='ten' is not a whole number"):
        env_int("SECONDS", 10)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , b.example,,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def start_settings(**env):
    """Import the settings in a fresh interpreter, as a server starting up would."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import wcc.settings"],
        env=clean | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_secret_key_is_required_when_debug_is_off():
    started = start_settings(DEBUG="0")
    assert started.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in started.stderr


def test_debug_mode_starts_without_a_secret_key():
    assert start_settings(DEBUG="1").returncode == 0


def test_a_bad_database_url_says_what_a_good_one_looks_like():
    started = start_settings(DEBUG="1", DATABASE_URL="mysqlx://nowhere")
    assert started.returncode != 0
    assert "is not a database URL" in started.stderr
    assert "postgres://" in started.stderr


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-grade-secret-key-of-sufficient-length-and-entropy-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "wcc.example.nhs.uk",
    "HTTPS": "",  # unset: the production default
    "STATIC_MANIFEST": "",
}


def test_the_documented_production_environment_passes_check_deploy():
    test_only = {"HTTPS", "STATIC_MANIFEST", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in test_only}
    environment |= {k: v for k, v in PRODUCTION.items() if v}
    environment["DJANGO_SETTINGS_MODULE"] = "wcc.settings"
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout


def test_pages_carry_a_content_security_policy_without_unsafe_inline_scripts(client, db):
    policy = client.get("/methodology/")["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src
    assert "object-src 'none'" in policy


def test_env_networks_reads_addresses_and_networks_and_names_a_bad_one(monkeypatch):
    monkeypatch.setenv("PROXIES", "10.0.0.0/8, 192.0.2.7")
    assert env_networks("PROXIES") == ["10.0.0.0/8", "192.0.2.7"]
    monkeypatch.setenv("PROXIES", "10.0.0.0/8,proxy.internal")
    with pytest.raises(ImproperlyConfigured, match=r"'proxy\.internal' is not an IP address"):
        env_networks("PROXIES")
