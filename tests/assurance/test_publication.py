"""Publishing takes two people: one asks, another approves; withdrawals too, with a reason."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from accounts import roles
from assurance import actions
from assurance.decisions import PanelDecision
from assurance.models import PCT, AssessmentYear, PublicationRequest
from tests.factories import make_user
from tests.pages import soup

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
PUBLISH = "/assurance/2009-10/publish/"
PAGE = "/assurance/2009-10/publication/"
PUBLIC_PAGES = ["/", "/league/2009-10/", "/?_export=csv", "/pct/5C4/", "/sha/Q36/", "/overview/"]


@pytest.fixture
def admins(users):
    return users[roles.ADMIN], make_user("bea", roles.ADMIN)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pending() -> PublicationRequest:
    return PublicationRequest.objects.get(status=PublicationRequest.Status.PENDING)


def year_2009() -> AssessmentYear:
    return AssessmentYear.objects.get(start_year=2009)


def anonymous_statuses() -> set[int]:
    return {Client().get(url).status_code for url in PUBLIC_PAGES}


def test_one_admin_asks_and_another_approves_before_anyone_else_sees_the_year(
    admins, draft_year, django_capture_on_commit_callbacks
):
    ada, bea = admins
    assert client_of(ada).post(PUBLISH).status_code == 302
    assert not year_2009().is_approved
    assert anonymous_statuses() == {404}  # no page nor download shows the requested year
    with django_capture_on_commit_callbacks(execute=True):
        client_of(bea).post(f"/assurance/publication/{pending().pk}/approve/")
    year = year_2009()
    assert year.is_approved and year.published_by == bea
    assert anonymous_statuses() == {200}


def test_the_admin_who_asked_cannot_approve_their_own_request(admins, draft_year):
    ada, _ = admins
    client = client_of(ada)
    client.post(PUBLISH)
    response = client.post(f"/assurance/publication/{pending().pk}/approve/", follow=True)
    assert "another assurance admin must approve it" in response.content.decode()
    assert not year_2009().is_approved
    assert not soup(client.get(PAGE)).select(
        f'form[action="/assurance/publication/{pending().pk}/approve/"]'
    )
    with pytest.raises(actions.PublicationRefused):
        actions.approve(request=pending(), by=ada)


@pytest.mark.parametrize("role", [roles.ANALYST, roles.SHA_STAFF])
def test_analysts_and_sha_staff_can_neither_ask_nor_approve(
    client, users, admins, draft_year, role
):
    client.force_login(users[role])
    assert client.post(PUBLISH).status_code == 403
    actions.request_publication(year=draft_year, by=admins[0])
    assert client.post(f"/assurance/publication/{pending().pk}/approve/").status_code == 403
    with pytest.raises(PermissionDenied):
        actions.approve(request=pending(), by=users[role])
    assert not year_2009().is_approved


def test_an_embargoed_year_is_public_only_from_nine_on_the_chosen_day(
    admins, draft_year, fixed_clock
):
    ada, bea = admins
    today = datetime.date(2010, 6, 30)  # the suite's clock (tests/conftest.py)
    client_of(ada).post(PUBLISH, {"public_on": (today + datetime.timedelta(days=1)).isoformat()})
    client_of(bea).post(f"/assurance/publication/{pending().pk}/approve/")
    year = year_2009()
    assert year.is_approved and year.is_embargoed
    assert anonymous_statuses() == {404}
    fixed_clock.move_to(datetime.datetime(2010, 7, 1, 8, 59, tzinfo=LONDON))
    assert Client().get("/league/2009-10/").status_code == 404
    fixed_clock.move_to(datetime.datetime(2010, 7, 1, 9, 1, tzinfo=LONDON))
    # Nothing is forgotten from any cache here: the embargo lifts at its moment all the same.
    assert anonymous_statuses() == {200}


def test_either_admin_can_cancel_a_request(admins, draft_year):
    ada, bea = admins
    request = actions.request_publication(year=draft_year, by=ada)
    actions.cancel(request=request, by=bea)
    request.refresh_from_db()
    assert (request.status, request.closed_by) == (PublicationRequest.Status.CANCELLED, bea)
    with pytest.raises(actions.PublicationRefused):
        actions.approve(request=request, by=bea)
    assert not year_2009().is_approved


def test_results_changed_after_the_request_cannot_be_approved(admins, draft_year):
    ada, bea = admins
    request = actions.request_publication(year=draft_year, by=ada)
    actions.save_assessment(
        year=draft_year,
        pct=PCT.objects.get(code="5PG"),
        result=PanelDecision("5PG", "G", "G", "G", {1: 4, 2: 4}),
        opened_version=None,
        by=ada,
    )
    with pytest.raises(actions.PublicationRefused, match="changed after this request"):
        actions.approve(request=request, by=bea)
    assert not year_2009().is_approved


@pytest.mark.parametrize("needed", [1, 3])
def test_the_number_of_signatures_is_a_setting(users, admins, draft_year, settings, needed):
    settings.PUBLICATION_APPROVALS = needed
    ada, bea = admins
    request = actions.request_publication(year=draft_year, by=ada)
    assert year_2009().is_approved is (needed == 1)
    if needed == 3:
        actions.approve(request=request, by=bea)
        assert not year_2009().is_approved
        actions.approve(request=request, by=make_user("cy", roles.ADMIN))
        assert year_2009().is_approved


def test_withdrawing_a_published_year_takes_two_admins_and_says_why_on_the_methodology_page(
    admins, draft_year, django_capture_on_commit_callbacks
):
    ada, bea = admins
    actions.approve(request=actions.request_publication(year=draft_year, by=ada), by=bea)
    assert Client().get("/league/2009-10/").status_code == 200
    client_of(bea).post(
        "/assurance/2009-10/withdraw/", {"reason": "Panel scores for 5C4 were mistyped."}
    )
    assert Client().get("/league/2009-10/").status_code == 200  # one admin alone: still public
    with django_capture_on_commit_callbacks(execute=True):  # forgets the cached year list
        actions.approve(request=pending(), by=ada)
    assert Client().get("/league/2009-10/").status_code == 404
    methodology = soup(Client().get("/methodology/")).select_one("#withdrawn + ul").get_text()
    assert "2009/10" in methodology and "Panel scores for 5C4 were mistyped." in methodology


def test_a_withdrawal_needs_a_reason(admins, draft_year):
    ada, bea = admins
    actions.approve(request=actions.request_publication(year=draft_year, by=ada), by=bea)
    with pytest.raises(actions.PublicationRefused, match="Say why"):
        actions.request_withdrawal(year=year_2009(), by=ada, reason="  ")


def test_the_request_page_shows_what_goes_public(admins, draft_year):
    ada, _ = admins
    client = client_of(ada)
    client.post(PUBLISH)
    page = soup(client.get(PAGE))
    summary = page.get_text(" ", strip=True)
    assert "1 PCT assessed, 2 not assessed" in summary
    not_assessed = [li.get_text(" ", strip=True) for li in page.select("details")[0].select("li")]
    assert not_assessed == ["PCT 5PG 5PG", "PCT 5QL 5QL"]
    top = page.select_one("#preview-top").find_parent("table")
    assert [th.get_text(" ", strip=True) for th in top.select("tbody th")] == ["PCT 5C4 5C4"]


def test_withdrawing_a_year_the_public_never_saw_posts_no_public_notice(admins, draft_year):
    ada, bea = admins
    tomorrow = datetime.datetime(2010, 7, 1, 9, 0, tzinfo=LONDON)
    actions.approve(
        request=actions.request_publication(year=draft_year, by=ada, public_from=tomorrow), by=bea
    )
    actions.approve(
        request=actions.request_withdrawal(year=year_2009(), by=bea, reason="Wrong file."), by=ada
    )
    assert year_2009().status == AssessmentYear.Status.WITHDRAWN
    assert soup(Client().get("/methodology/")).select_one("#withdrawn") is None


def test_the_assurance_home_page_says_a_year_is_embargoed_and_until_when(admins, draft_year):
    ada, bea = admins
    tomorrow = datetime.datetime(2010, 7, 1, 9, 0, tzinfo=LONDON)
    actions.approve(
        request=actions.request_publication(year=draft_year, by=ada, public_from=tomorrow), by=bea
    )
    row = soup(client_of(ada).get("/assurance/")).select_one("tbody tr")
    assert row.select("td")[0].get_text(strip=True) == "Embargoed until 1 Jul 2010, 09:00"


def test_the_request_page_counts_merged_pcts_apart_and_lists_only_what_changed(demo_data, client):
    ada = make_user("ada", roles.ADMIN)
    year = AssessmentYear.objects.get(start_year=2010)
    client.force_login(ada)
    page = soup(client.get("/assurance/2010-11/publication/"))
    summary = page.select_one("#what-goes-public").get_text(" ", strip=True)
    assert summary.startswith("151 PCTs assessed, 0 not assessed, 2 merged before 2010/11")
    changed = page.select("details")[-1]
    assert changed.select_one("summary").get_text(" ", strip=True).endswith(": 0 PCTs")
    pct = PCT.objects.get(code="5C4")
    actions.save_assessment(
        year=year,
        pct=pct,
        result=PanelDecision("5C4", "R", "R", "R", dict.fromkeys(range(1, 12), 1)),
        opened_version=year.assessments.get(pct=pct).version,
        by=ada,
    )
    changed = soup(client.get("/assurance/2010-11/publication/")).select("details")[-1]
    assert [li.get_text(strip=True) for li in changed.select("li")] == [pct.name]
