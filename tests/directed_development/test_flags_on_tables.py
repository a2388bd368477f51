"""Flags where decisions are made: the league table's flag filter, flags in downloads and on
the SHA page, for those who may see them and never for anonymous readers."""

import pytest

from tests.pages import csv_rows, flag_markers, soup, table_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("chosen", "codes"),
    [
        ("flagged", {"5C4"}),
        ("proposed", {"5C4"}),
        ("confirmed", set()),
        ("unflagged", {"5QL", "5K5", "5PG", "5ND"}),
        ("", {"5C4", "5QL", "5K5", "5PG", "5ND"}),  # any
    ],
)
def test_the_league_table_filters_by_flag_for_those_who_may_see_flags(
    client, flag_world, chosen, codes
):
    client.force_login(flag_world.users["admin"])
    response = client.get(f"/?flag={chosen}")
    assert {row["code"] for row in table_rows(response)} == codes
    options = [o["value"] for o in soup(response).select('select[name="flag"] option')]
    assert options == ["", "flagged", "proposed", "confirmed", "unflagged"]


def test_anonymous_readers_get_no_flag_filter_and_the_filter_is_ignored(client, flag_world):
    response = client.get("/?flag=flagged")
    assert not soup(response).select('select[name="flag"]')
    assert len(table_rows(response)) == 5


def test_league_downloads_carry_flags_for_those_who_may_see_them_only(client, flag_world):
    anonymous = csv_rows(client.get("/?_export=csv"))
    assert "flag_status" not in anonymous.columns
    client.force_login(flag_world.users["sha_staff"])
    staff = csv_rows(client.get("/?_export=csv")).set_index("pct_code")
    assert staff.loc["5C4", "flag_status"] == "Proposed"
    assert staff.loc["5QL", "flag_status"] == ""


def test_the_sha_page_shows_its_open_flags_and_downloads_them(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    assert flag_markers(client.get("/sha/Q36/")) == {"5C4": "proposed"}
    download = csv_rows(client.get("/sha/Q36/?_export=csv")).set_index("pct_code")
    assert download.loc["5C4", "flag_status"] == "Proposed"
    client.logout()
    assert flag_markers(client.get("/sha/Q36/")) == {}
    assert "flag_status" not in csv_rows(client.get("/sha/Q36/?_export=csv")).columns
