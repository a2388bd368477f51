"""A flag's owner, review date and evidence; overdue flags first, and named in a weekly email."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from accounts import roles
from directed_development import actions
from directed_development.models import DirectedDevelopmentFlag
from tests.factories import DirectedDevelopmentFlagFactory, make_user
from tests.pages import csv_rows, soup, table_rows

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2010, 6, 30)  # the suite's clock (tests/conftest.py)


def test_a_flag_records_who_leads_the_plan_when_it_is_reviewed_and_its_evidence(client, flag_world):
    staff = flag_world.users["sha_staff"]
    client.force_login(staff)
    client.post(
        "/flags/new/2009-10/5QL/",
        {
            "reason": "Two reds and no recovery plan.",
            "owner": staff.pk,
            "review_on": "2010-09-30",
            "evidence": "https://example.invalid/board-minutes\nhttps://example.invalid/plan",
        },
    )
    flag = DirectedDevelopmentFlag.objects.get(pct__code="5QL")
    assert (flag.owner, flag.review_on) == (staff, datetime.date(2010, 9, 30))
    assert flag.evidence_links == [
        "https://example.invalid/board-minutes",
        "https://example.invalid/plan",
    ]
    page = soup(client.get(f"/flags/{flag.pk}/"))
    assert [a["href"] for a in page.select(".flag-facts a")] == flag.evidence_links
    # The download carries what the form recorded.
    row = csv_rows(client.get("/flags/?_export=csv")).set_index("pct_code").loc["5QL"]
    assert (row["lead"], row["review_on"]) == (staff.get_username(), "2010-09-30")
    assert row["evidence"] == "https://example.invalid/board-minutes https://example.invalid/plan"


def test_a_review_date_already_past_is_refused_next_to_the_field(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    response = client.post(
        "/flags/new/2009-10/5QL/",
        {"reason": "Two reds.", "review_on": (TODAY - datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200  # the form again, with the error by the field
    page = soup(response).get_text(" ", strip=True)
    assert "Choose a review date from today (30 June 2010)" in page
    assert not DirectedDevelopmentFlag.objects.filter(pct__code="5QL").exists()


def test_evidence_must_be_web_addresses_and_the_owner_one_who_may_flag_the_pct(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    response = client.post(
        "/flags/new/2009-10/5QL/",
        {"reason": "x", "evidence": "javascript:alert(1)", "owner": flag_world.users["analyst"].pk},
    )
    errors = [p.get_text() for p in soup(response).select(".error")]
    assert any("Not a web address" in error for error in errors)
    assert any("Select a valid choice" in error for error in errors)  # an analyst cannot lead it
    assert not DirectedDevelopmentFlag.objects.filter(pct__code="5QL").exists()


def test_flags_past_their_review_date_come_first_marked_overdue(client, flag_world):
    late = DirectedDevelopmentFlagFactory(
        pct=flag_world.pcts["5K5"],
        year=flag_world.year,
        proposed_by=flag_world.users["sha_staff"],
        review_on=TODAY - datetime.timedelta(days=1),
    )
    client.force_login(flag_world.users["admin"])
    rows = table_rows(client.get("/flags/"), "table.flags")
    assert rows[0]["code"] == late.pct.code  # by name alone, 5C4 would come first
    assert "Review overdue" in rows[0]["Status"] and "Review overdue" not in rows[1]["Status"]


def test_the_weekly_email_names_each_shas_flags_past_review_to_its_staff(flag_world):
    DirectedDevelopmentFlagFactory(
        pct=flag_world.pcts["5K5"],
        year=flag_world.year,
        proposed_by=flag_world.users["sha_staff"],
        review_on=TODAY - datetime.timedelta(days=3),
    )
    DirectedDevelopmentFlag.objects.filter(pk=flag_world.flag.pk).update(
        review_on=TODAY + datetime.timedelta(days=3)  # not yet due: not named
    )
    out = io.StringIO()
    call_command("email_flag_reviews", stdout=out)
    assert "Emailed 1 SHA staff" in out.getvalue()
    (message,) = mail.outbox
    assert message.to == ["sam@example.invalid"]
    assert "PCT 5K5 (5K5)" in message.body and "PCT 5C4" not in message.body


def test_a_confirmation_is_kept_with_who_and_when(flag_world):
    flag = actions.confirm_flag(flag=flag_world.flag, by=make_user("sue", roles.ADMIN))
    assert [(c.by.username, c.at) for c in flag.confirmations.all()] == [("sue", flag.confirmed_at)]
