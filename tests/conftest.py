"""Shared fixtures: the real reference data and the illustrative demo years."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from leaguetable.queries import forget_ranked_rows


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with nothing cached, as a freshly started process would."""
    cache.clear()
    forget_ranked_rows()
    yield
    cache.clear()
    forget_ranked_rows()


@pytest.fixture
def reference_data(db):
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture
def demo_data(reference_data):
    call_command("load_demo_data", stdout=io.StringIO())
