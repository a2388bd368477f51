"""Every URL pattern, fed a NUL byte or a negative page size, by every kind of user: a 400 or
404 and no traceback, never a 5xx (on PostgreSQL a NUL reaching a query was a 500)."""

import logging

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# A value for every URL argument of the site and the admin, by its name.
ARGUMENTS = {
    "year_slug": "2009-10",
    "year": "2009-10",  # the API's /api/v1/league/{year}
    "pct_code": "5C4",
    "code": "5C4",
    "chart": "scores",
    "dismissal_id": 1,
    "flag_id": 1,
    "token": "x",
    "batch_id": 1,
    "request_id": 1,
    "fmt": "csv",
    "app_label": "assurance",
    "object_id": "1",
    "content_type_id": "1",
    "url": "x",
    "id": "1",
    "pk": "1",
}
# Every parameter and form field any page reads that names something looked up.
FIELDS = ("q", "year", "pct", "sha", "group", "status", "sort", "reason", "name", "token")


def every_url(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from every_url(pattern.url_patterns, inner)
        elif pattern.name:
            names = pattern.pattern.regex.groupindex
            yield reverse(namespace + pattern.name, kwargs={n: ARGUMENTS[n] for n in names})


URLS = sorted(set(every_url()))
SITE_URLS = [url for url in URLS if not url.startswith("/admin/")]
# Sets its upload handler before reading the body, so its own form refuses what it holds.
READS_ITS_OWN_BODY = "/assurance/import/"
# The read API answers GET alone: a POST to an operation is refused (405) before its body is
# read; /api/v1/ itself, no operation, reads the form and refuses its NUL (400).
API = "/api/v1/"
ROLES = ["anonymous", "analyst", "sha_staff", "admin", "superuser"]


def with_nul(url: str) -> str:
    """The path with a NUL at the end of its last segment: '/pct/5C4%00/', '/%00/'."""
    if url.endswith("/"):
        return url[:-1] + "%00/" if url != "/" else "/%00/"
    return url + "%00"


@pytest.fixture
def client_as(flag_world, django_user_model):
    def signed_in(role: str) -> Client:
        client = Client(raise_request_exception=False)
        if role == "superuser":
            client.force_login(django_user_model.objects.create_superuser("root", "", "x"))
        elif role != "anonymous":
            client.force_login(flag_world.users[role])
        return client

    return signed_in


def urls_for(role: str) -> list[str]:
    # The admin's hundred patterns are asked as the one user who may open them.
    return URLS if role == "superuser" else SITE_URLS


def assert_no_traceback(caplog) -> None:
    # A 403 carries its PermissionDenied (Django's own logging): a refusal, not bad input.
    tracebacks = [
        r
        for r in caplog.records
        if r.levelno >= logging.ERROR or (r.exc_info and getattr(r, "status_code", 0) != 403)
    ]
    assert not tracebacks, tracebacks[0].getMessage()


def test_every_url_pattern_is_walked():
    assert len(SITE_URLS) >= 45 and len(URLS) >= 125
    assert "/flags/suggestions/dismissals/1/restore/" in URLS


@pytest.mark.parametrize("role", ROLES)
def test_a_nul_byte_in_a_path_query_or_form_is_a_400(client_as, role, caplog):
    client = client_as(role)
    nul = dict.fromkeys(FIELDS, "5C4\x00")
    for url in urls_for(role):
        for method, address, data in [
            ("get", with_nul(url), None),
            ("get", url, nul),
            ("post", url, nul),
        ]:
            response = getattr(client, method)(address, data)
            if (method, address) == ("post", READS_ITS_OWN_BODY):
                assert response.status_code < 500, (method, address, response.status_code)
            elif method == "post" and address.startswith(API):
                assert response.status_code in (400, 405), (method, address, response.status_code)
            else:
                assert response.status_code == 400, (method, address, response.status_code)
    assert_no_traceback(caplog)


@pytest.mark.parametrize("role", ROLES)
def test_a_negative_or_broken_page_size_is_never_a_5xx(client_as, role, caplog):
    client = client_as(role)
    for url in urls_for(role):
        for query in ("?per_page=-1", "?per_page=-5&_export=csv", "?per_page=x&page=-1"):
            response = client.get(url + query)
            assert response.status_code < 500, (url + query, response.status_code)
    assert_no_traceback(caplog)


@pytest.mark.parametrize(
    "url",
    ["/?per_page=-1", "/sha/Q36/?per_page=-1", "/league/2009-10/?per_page=-5&_export=csv"],
)
def test_a_table_asked_for_a_negative_page_size_is_not_found(client_as, url):
    assert client_as("anonymous").get(url).status_code == 404
