"""Saved groups: the owner edits, anyone with the link reads, nobody else edits; the league table
filtered to a group; constant query counts."""

import pytest

from accounts import roles
from assurance.models import PCT, AssessmentYear
from tests.factories import (
    PASSWORD,
    WatchlistFactory,
    build_league,
    build_merger,
    make_user,
)
from tests.pages import soup, table_rows
from watchlists.models import Watchlist

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "owner": make_user("olive", roles.ANALYST),
        "other": make_user("otto", roles.ANALYST),
    }


@pytest.fixture
def group(people):
    sha = build_league(4)
    first, second = sha.pcts.order_by("code")[:2]
    return WatchlistFactory(owner=people["owner"], name="My four", pcts=[first, second])


def logged_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def edits(group, pct_code="000"):
    """Every edit address of the group, with the POST data that would change it."""
    return [
        (f"/groups/{group.token}/edit/", {"name": "Renamed", "email_on_publication": "on"}),
        (f"/groups/{group.token}/pcts/", {"pct": "002"}),
        (f"/groups/{group.token}/pcts/{pct_code}/remove/", {}),
        (f"/groups/{group.token}/delete/", {}),
        ("/groups/add/", {"group": group.token, "pct": "003"}),
    ]


def snapshot(group):
    group = Watchlist.objects.filter(pk=group.pk).first()
    if group is None:
        return None
    codes = sorted(group.pcts.values_list("code", flat=True))
    return (group.name, group.email_on_publication, codes)


def test_anyone_with_the_link_reads_the_group_without_logging_in(client, group):
    response = client.get(f"/groups/{group.token}/")
    assert response.status_code == 200
    assert [row["code"] for row in table_rows(response, "table.group-ranks")] == ["000", "001"]
    page = soup(response)
    assert page.select("form[action*='/edit/'], form[action*='/pcts/']") == []  # read only


def test_the_owner_renames_adds_removes_and_asks_for_email(client, group, people):
    owner = logged_in(client, people["owner"])
    assert owner.post(f"/groups/{group.token}/edit/", edits(group)[0][1]).status_code == 302
    assert owner.post(f"/groups/{group.token}/pcts/", {"pct": "Test PCT 002"}).status_code == 302
    assert owner.post(f"/groups/{group.token}/pcts/000/remove/").status_code == 302
    assert snapshot(group) == ("Renamed", True, ["001", "002"])
    assert owner.post("/groups/add/", {"group": group.token, "pct": "003"}).status_code == 302
    assert snapshot(group)[2] == ["001", "002", "003"]
    assert owner.post(f"/groups/{group.token}/delete/").status_code == 302
    assert snapshot(group) is None


@pytest.mark.parametrize("route", ["group page", "profile"])
def test_adding_a_pct_already_in_the_group_says_it_was_there(client, group, people, route):
    owner = logged_in(client, people["owner"])
    url, data = {
        "group page": (f"/groups/{group.token}/pcts/", {"pct": "001"}),
        "profile": ("/groups/add/", {"group": group.token, "pct": "001"}),
    }[route]
    before = snapshot(group)
    page = (
        soup(owner.post(url, data, follow=True)).select_one(".messages").get_text(" ", strip=True)
    )
    assert page == f"Test PCT 001 is already in “{group.name}”: nothing changed."
    assert snapshot(group) == before


@pytest.mark.parametrize("step", range(5))
def test_nobody_else_edits_the_group_and_learns_nothing_from_trying(client, group, people, step):
    before = snapshot(group)
    url, data = edits(group)[step]
    response = logged_in(client, people["other"]).post(url, data)
    assert response.status_code == 404  # as for a link that does not exist
    assert snapshot(group) == before


@pytest.mark.parametrize("step", range(5))
def test_an_anonymous_reader_with_the_link_cannot_edit(client, group, step):
    before = snapshot(group)
    url, data = edits(group)[step]
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert snapshot(group) == before


def test_anonymous_readers_cannot_create_a_group(client):
    response = client.post("/groups/", {"name": "Mine"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Watchlist.objects.exists()


def test_a_logged_in_user_creates_a_group_with_an_unguessable_link(client, people):
    build_league(2)
    response = logged_in(client, people["other"]).post("/groups/", {"name": "Watch", "pct": "001"})
    group = Watchlist.objects.get()
    assert response["Location"] == f"/groups/{group.token}/"
    assert len(group.token) >= 22 and group.owner == people["other"]
    assert list(group.pcts.values_list("code", flat=True)) == ["001"]


def test_two_groups_of_one_owner_cannot_share_a_name(client, group, people):
    response = logged_in(client, people["owner"]).post("/groups/", {"name": "My four"})
    assert response.status_code == 400
    assert "already have a group" in soup(response).select_one(".error").get_text()


def test_adding_a_pct_that_names_no_single_pct_says_why(client, group, people):
    response = logged_in(client, people["owner"]).post(
        f"/groups/{group.token}/pcts/", {"pct": "Test PCT"}
    )
    assert response.status_code == 400
    assert "could be" in soup(response).select_one(".error").get_text()


def test_an_unknown_link_is_not_found(client, group):
    assert client.get("/groups/not-a-real-token-at-all/").status_code == 404


def test_the_profile_offers_add_to_group_to_logged_in_readers_only(client, group, people):
    assert soup(client.get("/pct/002/")).select_one("section.add-to-group") is None
    section = soup(logged_in(client, people["owner"]).get("/pct/002/")).select_one(
        "section.add-to-group"
    )
    assert [o.get_text() for o in section.select("select[name=group] option")] == ["My four"]


def test_the_league_table_filters_to_a_group_for_anyone_with_the_link(client, group):
    response = client.get(f"/?group={group.token}")
    assert [row["code"] for row in table_rows(response)] == ["000", "001"]
    assert "My four" in soup(response).select_one(".row-filter").get_text()
    # Every other filter keeps the group: the form carries it.
    assert soup(response).select_one("form.filters input[name=group]")["value"] == group.token


def test_the_filtered_league_table_follows_edits_at_once_though_pages_are_cached(
    client, group, people
):
    client.get(f"/?group={group.token}")
    group.pcts.add(PCT.objects.get(code="003"))
    assert [row["code"] for row in table_rows(client.get(f"/?group={group.token}"))] == [
        "000",
        "001",
        "003",
    ]


def test_a_deleted_groups_link_shows_no_rows_and_says_so(client, group):
    token = group.token
    group.delete()
    response = client.get(f"/?group={token}")
    assert table_rows(response) == []
    assert "No saved group has this link" in soup(response).select_one(".row-filter").get_text()


@pytest.mark.parametrize("pct_count", [3, 30])
def test_the_group_page_runs_a_fixed_number_of_queries(
    client, people, django_assert_num_queries, pct_count
):
    sha = build_league(pct_count)
    group = WatchlistFactory(owner=people["owner"], pcts=list(sha.pcts.all()))
    client.get(f"/groups/{group.token}/")  # ranked rows memoised, as on a warm process
    with django_assert_num_queries(2):  # the group, its PCTs' codes
        response = client.get(f"/groups/{group.token}/")
    assert len(table_rows(response, "table.group-ranks")) == pct_count


@pytest.mark.parametrize("pct_count", [3, 30])
def test_the_league_page_filtered_to_a_group_runs_a_fixed_number_of_queries(
    client, people, django_assert_num_queries, pct_count
):
    sha = build_league(pct_count)
    group = WatchlistFactory(owner=people["owner"], pcts=list(sha.pcts.all()))
    client.get(f"/?group={group.token}")
    with django_assert_num_queries(2):  # the group's name and its PCTs' codes
        response = client.get(f"/?group={group.token}")
    assert len(table_rows(response)) == pct_count


def test_a_pct_formed_after_the_latest_published_year_is_named_apart(client, people):
    (first, _), successor = build_merger()
    AssessmentYear.objects.filter(start_year=2010).update(status="draft")
    group = WatchlistFactory(owner=people["owner"], pcts=[first, successor])
    response = client.get(f"/groups/{group.token}/")
    assert [row["code"] for row in table_rows(response, "table.group-ranks")] == ["OLA"]
    absent = soup(response).select_one("p.absent")
    assert [a["href"] for a in absent.select("a")] == ["/pct/NEW/"]
