"""Publishing a year emails each owner who asked ONE summary of their groups' ranks and moves."""

import re

import pytest
from django.core import mail

from accounts import roles
from assurance import actions
from assurance.models import PCT, AssessmentYear
from tests.factories import AssessmentFactory, WatchlistFactory, build_merger, make_user
from watchlists.notifications import email_group_summaries

pytestmark = pytest.mark.django_db

LINE = re.compile(r"^- (?P<name>.+) \((?P<code>\w{3})\): (?P<status>.+)$", re.M)


@pytest.fixture
def owners():
    """A merger, 2010/11 still a draft; Olive follows two groups by email, Otto one without,
    Nora asked but has no address."""
    build_merger()
    AssessmentYear.objects.filter(start_year=2010).update(status="draft")
    olive = make_user("olive", roles.ANALYST, email="olive@example.invalid")
    otto = make_user("otto", roles.ANALYST, email="otto@example.invalid")
    nora = make_user("nora", roles.ANALYST)
    pcts = {pct.code: pct for pct in PCT.objects.all()}
    WatchlistFactory(owner=olive, name="Herts", email_on_publication=True,
                     pcts=[pcts["OLA"], pcts["NEW"]])  # fmt: skip
    WatchlistFactory(owner=olive, name="Others", email_on_publication=True, pcts=[pcts["OTH"]])
    WatchlistFactory(owner=olive, name="Quiet", pcts=[pcts["OLB"]])  # did not ask
    WatchlistFactory(owner=otto, name="Not emailed", pcts=[pcts["OTH"]])
    WatchlistFactory(owner=nora, name="No address", email_on_publication=True, pcts=[pcts["OTH"]])
    return olive


def groups_in(body: str) -> dict[str, dict[str, str]]:
    """Group name -> {PCT code: its rank and move, as written}, parsed from an email body."""
    groups = {}
    for block in re.split(r"^Group: ", body, flags=re.M)[1:]:
        name, _, rest = block.partition("\n")
        groups[name] = {m["code"]: m["status"] for m in LINE.finditer(rest)}
    return groups


def test_publishing_emails_one_summary_per_owner_with_each_groups_ranks_and_moves(
    owners, django_capture_on_commit_callbacks
):
    # Other moves the leader a place down: OTH ranked 1 in 2009/10 (with the others, tied).
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_year(year=AssessmentYear.objects.get(start_year=2010), by=None)
    assert [m.to for m in mail.outbox] == [["olive@example.invalid"]]
    message = mail.outbox[0]
    assert message.subject == (
        "WCC 2010/11 published (hypothetical: no such round took place): ranks of your 2 groups"
    )
    assert "No 2010/11 round of WCC assurance took place" in message.body
    assert groups_in(message.body) == {
        "Herts": {
            "NEW": "rank =1, no earlier rank to compare",
            "OLA": "Merged into Newer PCT (NEW) on 1 April 2010",
        },
        "Others": {"OTH": "rank =1 (was 1), no change"},
    }
    assert f"/groups/{owners.watchlists.get(name='Herts').token}/" in message.body


def test_moves_are_counted_in_places_up_or_down(owners):
    year = AssessmentYear.objects.get(start_year=2010)
    sha = PCT.objects.get(code="OTH").sha
    for code in ("AAA", "BBB"):  # two newcomers above the rest
        AssessmentFactory(pct__code=code, pct__sha=sha, year=year, scores={1: 4, 2: 4})
    actions.publish_year(year=year, by=None)
    assert email_group_summaries(year.pk) == 1
    assert groups_in(mail.outbox[0].body)["Others"] == {"OTH": "rank =3 (was 1), down 2 places"}


def test_a_year_not_readable_by_the_public_sends_nothing(owners):
    assert email_group_summaries(AssessmentYear.objects.get(start_year=2010).pk) == 0  # a draft
    assert email_group_summaries(0) == 0  # no such year
    assert mail.outbox == []
