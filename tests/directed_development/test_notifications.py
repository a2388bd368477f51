"""Publishing a year emails each SHA's staff their PCTs meeting rules, once it has committed."""

import logging
import re

import pytest
from django.core import mail
from django.db import transaction

from accounts import roles
from assurance import actions
from assurance.models import SHA, AssessmentYear
from directed_development import queries
from tests.factories import make_user
from tests.test_logging import log_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(demo_data):
    """Staff of London (two) and of the South West, and people who must get no email."""
    london, south_west = SHA.objects.get(code="Q36"), SHA.objects.get(code="Q39")
    made = {
        "sam": make_user("sam", roles.SHA_STAFF, london, "sam@example.invalid"),
        "sue": make_user("sue", roles.SHA_STAFF, london, "sue@example.invalid"),
        "sid": make_user("sid", roles.SHA_STAFF, south_west, "sid@example.invalid"),
    }
    make_user("ann", roles.ANALYST, email="ann@example.invalid")
    make_user("ada", roles.ADMIN, email="ada@example.invalid")
    make_user("nomail", roles.SHA_STAFF, london)  # no address to send to
    gone = make_user("gone", roles.SHA_STAFF, london, "gone@example.invalid")
    gone.is_active = False
    gone.save()
    return made


def publish(year_start=2010, by=None):
    return actions.publish_year(year=AssessmentYear.objects.get(start_year=year_start), by=by)


def listed_codes(message) -> list[str]:
    return re.findall(r"^- .+ \((\w{3})\), ranked", message.body, re.M)


def test_each_sha_staff_member_gets_one_email_listing_exactly_their_shas_pcts(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        year = publish()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "sam@example.invalid",
        "sid@example.invalid",
        "sue@example.invalid",
    ]
    by_sha = queries.concerns_by_sha(year)
    for message in mail.outbox:
        sha_code = staff[message.to[0].split("@")[0]].wcc_profile.sha.code
        expected = [c.row.scorecard.pct_code for c in by_sha[sha_code]]
        assert expected, "the illustrative 2010/11 has PCTs of concern in both SHAs"
        assert listed_codes(message) == expected
        assert message.subject.startswith(
            f"WCC 2010/11 published (hypothetical: no such round took place): {len(expected)} "
        )


def test_the_email_names_each_rule_and_links_to_the_flag_form_absolutely(
    staff, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://wcc.example.invalid"
    with django_capture_on_commit_callbacks(execute=True):
        year = publish()
    message = next(m for m in mail.outbox if m.to == ["sam@example.invalid"])
    first = queries.concerns_by_sha(year)["Q36"][0]
    code = first.row.scorecard.pct_code
    assert f"https://wcc.example.invalid/flags/new/2010-11/{code}/" in message.body
    assert "https://wcc.example.invalid/flags/suggestions/" in message.body
    for rule in first.rules:
        assert rule.name in message.body
    assert "ILLUSTRATIVE" in message.body


def test_no_email_is_sent_before_the_publication_commits(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish()
        assert mail.outbox == []
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 3


def test_no_email_is_sent_when_the_publication_rolls_back(
    staff, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish()
        raise RuntimeError("the request failed after publishing")
    assert mail.outbox == []
    assert not AssessmentYear.objects.get(start_year=2010).is_approved


def test_publishing_a_published_year_again_sends_nothing(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(year_start=2009)
    assert mail.outbox == []


def test_the_approval_that_publishes_sends_the_emails(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(make_user("boss", roles.ADMIN))
    assert client.post("/assurance/2010-11/publish/").status_code == 302
    assert mail.outbox == []  # asked, not yet approved
    client.force_login(make_user("deputy", roles.ADMIN))
    request = AssessmentYear.objects.get(start_year=2010).publication_requests.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/assurance/publication/{request.pk}/approve/")
    assert response.status_code == 302
    assert len(mail.outbox) == 3


def test_a_failing_mail_server_does_not_undo_the_publication(
    staff, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(self, messages):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        publish()
    assert AssessmentYear.objects.get(start_year=2010).is_approved
    assert "no mail server" in caplog.text


def test_a_failed_publication_email_is_tried_again_then_logged_with_its_traceback(
    client, staff, monkeypatch, capsys, django_capture_on_commit_callbacks
):
    def refuse(self, messages):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    client.force_login(make_user("boss", roles.ADMIN))
    client.post("/assurance/2010-11/publish/")  # asks; a second admin approves
    client.force_login(make_user("deputy", roles.ADMIN))
    request = AssessmentYear.objects.get(start_year=2010).publication_requests.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/assurance/publication/{request.pk}/approve/")
    assert response.status_code == 302 and not mail.outbox
    # The tests run tasks at once, so the three tries happen as the publication commits.
    (gave_up,) = [
        line
        for line in log_lines(capsys)
        if line["logger"] == "wcc.tasks" and line["level"] == "ERROR"
    ]
    task = "directed_development.tasks.email_sha_staff_about_publication"
    assert gave_up["message"] == f"Task {task} failed 3 times: giving up"
    assert "ConnectionRefusedError: no mail server" in gave_up["exception"]
