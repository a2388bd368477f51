"""No one admin alone changes what the public sees, by any route: the entry form, a web import,
import_results, reversing an import, the demo loader, or the actions called directly. Each asks;
a second admin's approval carries it out. (The Django admin: tests/assurance/test_admin.py.)"""

import pytest
from django.test import Client

from accounts import roles
from assurance import actions
from assurance.decisions import PanelDecision
from assurance.models import Assessment, AssessmentYear, ImportBatch, PublicationRequest, Route
from tests.assurance.test_import import import_via_command, upload
from tests.assurance.test_importers import csv_file
from tests.factories import make_user
from tests.pages import soup

pytestmark = pytest.mark.django_db

CORRECTION = csv_file("5C4,1,1,R,R,R")  # 5C4 was 2 and 3, amber throughout
REASON = "The panel's minutes give lower scores."


@pytest.fixture
def admins(users):
    return users[roles.ADMIN], make_user("bea", roles.ADMIN)


@pytest.fixture
def published(draft_year, admins):
    actions.publish_year(year=draft_year, by=admins[0])
    return AssessmentYear.objects.get(pk=draft_year.pk)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def published_5c4() -> tuple:
    a = Assessment.objects.get(pct__code="5C4")
    return a.strategy, a.finance, a.board_governance, a.corrected_at


def pending() -> PublicationRequest:
    return PublicationRequest.objects.get(status=PublicationRequest.Status.PENDING)


def test_a_web_import_into_a_published_year_waits_for_a_second_admin(published, admins, snapshot):
    ada, bea = admins
    before = published_5c4()
    client = client_of(ada)
    batch_url = upload(client, "fix.csv", CORRECTION)["Location"]
    page = client.post(
        f"{batch_url}confirm/", {"revision": published.revision, "correction_reason": REASON}
    )
    assert page.status_code == 302 and page["Location"] == "/assurance/2009-10/publication/"
    assert published_5c4() == before
    request = pending()
    assert (request.kind, request.reason, request.requested_by) == ("correct", REASON, ada)
    # The admins approving see what changes and whom it moves.
    approval_page = soup(client_of(bea).get("/assurance/2009-10/publication/"))
    changes = approval_page.select_one("#correction-changes").get_text(" ", strip=True)
    assert "5C4" in changes and "strategy A → R" in changes
    actions.approve(request=request, by=bea)
    assert published_5c4()[:3] == ("R", "R", "R")
    assert Assessment.objects.get(pct__code="5C4").correction_reason == REASON


def test_the_asker_cannot_approve_their_own_correction(published, admins):
    ada, _ = admins
    before = published_5c4()
    actions.request_correction(
        year=published,
        by=ada,
        reason=REASON,
        decisions=[PanelDecision("5C4", "R", "R", "R", {1: 1, 2: 1})],
    )
    with pytest.raises(actions.PublicationRefused, match="another assurance admin"):
        actions.approve(request=pending(), by=ada)
    assert published_5c4() == before


def test_import_results_asks_for_a_published_years_correction_and_writes_nothing(
    tmp_path, published, admins, snapshot
):
    path = tmp_path / "fix.csv"
    path.write_bytes(CORRECTION)
    before = snapshot()["assessments"]
    code, out, err = import_via_command(path, "2009-10", "--reason", REASON)
    assert code != 0 and "names the assurance admin" in err  # no --by: nobody to sign
    code, out, err = import_via_command(path, "2009-10", "--by", "ada", "--reason", REASON)
    assert code == 0 and "takes effect when another assurance admin approves it" in out
    assert snapshot()["assessments"] == before
    assert pending().import_batch.from_command_line


def test_the_actions_refuse_an_unsigned_change_to_a_published_year(published, admins, snapshot):
    ada, _ = admins
    before = snapshot()
    batch, _ = actions.store_import(
        year=published, file_name="fix.csv", content=CORRECTION, by=ada, max_bytes=10**6
    )
    with pytest.raises(actions.CorrectionNeedsApproval):
        actions.apply_import(batch=batch, by=ada, reason=REASON)
    with pytest.raises(actions.CorrectionNeedsApproval):
        actions.save_assessment(
            year=published,
            pct=Assessment.objects.get(pct__code="5C4").pct,
            result=PanelDecision("5C4", "R", "R", "R", {1: 1, 2: 1}),
            opened_version=1,
            by=ada,
            reason=REASON,
        )
    with pytest.raises(actions.CorrectionNeedsApproval):
        actions.replace_year_results(
            year=published, results=[], by=None, route=Route.DEMO, reason="regenerated"
        )
    after = snapshot()
    assert after["assessments"] == before["assessments"]


def test_reversing_an_import_of_a_published_year_takes_a_second_admin(draft_year, admins):
    ada, bea = admins
    batch, _ = actions.store_import(
        year=draft_year, file_name="fix.csv", content=CORRECTION, by=ada, max_bytes=10**6
    )
    actions.apply_import(batch=batch, by=ada)
    actions.publish_year(year=draft_year, by=ada)
    corrected = published_5c4()
    client_of(ada).post(f"/assurance/imports/{batch.pk}/reverse/", {"reason": "Wrong file."})
    assert published_5c4() == corrected and pending().kind == "reverse"
    with pytest.raises(actions.CorrectionNeedsApproval):
        actions.reverse_import(batch=batch, by=ada, reason="Wrong file.")
    actions.approve(request=pending(), by=bea)
    assert published_5c4()[:3] == ("A", "A", "A")
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.REVERSED


def test_a_correction_approved_after_the_results_moved_on_is_refused(published, admins):
    ada, bea = admins
    before = published_5c4()
    actions.request_correction(
        year=published,
        by=ada,
        reason=REASON,
        decisions=[PanelDecision("5C4", "R", "R", "R", {1: 1, 2: 1})],
    )
    actions.touch_all_years()  # reference data reloaded meanwhile
    with pytest.raises(actions.PublicationRefused, match="changed after this request"):
        actions.approve(request=pending(), by=bea)
    assert published_5c4() == before


def test_the_demo_loader_may_regenerate_illustrative_results_but_no_official_ones(
    published, admins
):
    published.is_illustrative = True
    published.save(update_fields=["is_illustrative"])
    actions.replace_year_results(
        year=published, results=[], by=None, route=Route.DEMO, reason="regenerated"
    )
    assert not Assessment.objects.filter(year=published).exists()
