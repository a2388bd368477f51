"""The anonymous page cache's format on the wire: stored compressed, ETags from revisions, 304s."""

import gzip

import brotli
import pytest
from bs4 import BeautifulSoup

from leaguetable.computed import forget_ranked_rows
from leaguetable.views import caching
from leaguetable.views.caching import _encoding
from tests.pages import table_rows

pytestmark = pytest.mark.django_db

BROWSER = "gzip, deflate, br, zstd"


def pcts_listed(html: bytes) -> list[str]:
    rows = BeautifulSoup(html, "html.parser").select("table.league tbody tr")
    return [row.get_text(" ", strip=True) for row in rows]


def test_a_client_without_accept_encoding_gets_plain_html(client, flag_world):
    client.get("/", HTTP_ACCEPT_ENCODING=BROWSER)  # stored compressed first
    response = client.get("/")
    assert "Content-Encoding" not in response
    assert any(row["code"] == "5K5" for row in table_rows(response))
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.parametrize(
    ("accepts", "encoding", "decompress"),
    [("gzip", "gzip", gzip.decompress), (BROWSER, "br", brotli.decompress)],
)
def test_a_compressed_page_decompresses_to_the_same_page(
    client, flag_world, accepts, encoding, decompress
):
    plain = client.get("/").content
    forget_ranked_rows()
    compressed = client.get("/", HTTP_ACCEPT_ENCODING=accepts)
    assert compressed["Content-Encoding"] == encoding
    assert decompress(compressed.content) == plain
    assert pcts_listed(decompress(compressed.content)) == pcts_listed(plain)


def test_a_refused_encoding_is_not_served(client, flag_world):
    response = client.get("/", HTTP_ACCEPT_ENCODING="br;q=0, gzip;q=0")
    assert "Content-Encoding" not in response
    assert table_rows(response)


def test_a_matching_etag_is_answered_304_without_the_page(
    client, flag_world, django_assert_num_queries
):
    first = client.get("/", HTTP_ACCEPT_ENCODING=BROWSER)
    etag = first["ETag"]
    forget_ranked_rows()
    with django_assert_num_queries(0):
        again = client.get("/", HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING=BROWSER)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_an_unchanged_page_is_304_since_it_was_last_modified(client, flag_world):
    first = client.get("/")
    again = client.get("/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_the_etag_changes_when_a_correction_bumps_the_revision(
    client, flag_world, django_capture_on_commit_callbacks
):
    before = client.get("/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        flag_world.correct_5k5()
    forget_ranked_rows()
    response = client.get("/", HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert response["ETag"] != before
    assert [row["Total"] for row in table_rows(response) if row["code"] == "5K5"] == ["2"]


def test_a_different_page_has_a_different_etag(client, flag_world):
    assert client.get("/")["ETag"] != client.get("/?q=5K5")["ETag"]


def test_readers_are_told_to_revalidate_before_reusing_a_copy(client, flag_world):
    assert "no-cache" in client.get("/")["Cache-Control"]


def test_gzip_middleware_does_not_compress_a_stored_page_again(client, flag_world, settings):
    settings.MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    plain = client.get("/").content
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain


def test_a_spreadsheet_download_is_cached_as_it_is(client, flag_world):
    first = client.get("/?_export=xlsx", HTTP_ACCEPT_ENCODING=BROWSER)
    again = client.get("/?_export=xlsx", HTTP_ACCEPT_ENCODING=BROWSER)
    assert "Content-Encoding" not in again
    assert again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", ()),
        ("identity", ()),
        ("gzip", ("gzip",)),
        ("gzip, deflate, br", ("br", "gzip")),
        ("gzip;q=1.0, br;q=0.5", ("gzip", "br")),
        ("br;q=0, gzip", ("gzip",)),
        ("*", ("br", "gzip")),
        ("*;q=0, gzip", ("gzip",)),
        ("GZIP ; Q=0.8", ("gzip",)),
        ("gzip;q=nonsense", ()),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header, expected):
    assert _encoding(header) == expected


def test_a_new_release_renders_the_page_afresh_under_a_new_etag(
    client, flag_world, settings, monkeypatch
):
    settings.RELEASE = "release-1"
    before = client.get("/")["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=before).status_code == 304
    rendered = []
    monkeypatch.setattr(caching, "_stored", spy(caching._stored, rendered))
    settings.RELEASE = "release-2"  # a deploy: new templates, the same revisions
    response = client.get("/", HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert response["ETag"] != before
    assert len(rendered) == 1  # the old release's stored page was not served
    client.get("/")
    assert len(rendered) == 1  # and the new release's page is cached in its turn


def spy(function, calls: list):
    def spying(*args, **kwargs):
        calls.append(args)
        return function(*args, **kwargs)

    return spying
