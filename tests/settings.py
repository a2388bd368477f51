"""Test settings: the one settings file, with test-safe defaults for what it requires."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
# The test client speaks plain HTTP and nothing runs collectstatic before the suite.
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")

from wcc.settings import *  # noqa: F403

# Hashing passwords slowly protects real accounts; tests only need them to round-trip.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
