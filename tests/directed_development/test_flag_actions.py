"""Flagging, confirming and lifting: who may, what each step records, what the database refuses."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import roles
from assurance.models import Route
from directed_development import actions
from directed_development.models import DirectedDevelopmentFlag
from tests.factories import AssessmentYearFactory, DirectedDevelopmentFlagFactory, make_user

pytestmark = pytest.mark.django_db
Status = DirectedDevelopmentFlag.Status
RULES = {"two-reds": "Two red governance ratings", "red-finance": "Red rating for finance"}


def flag_5ql(world, **overrides):
    arguments = {
        "pct": world.pcts["5QL"],
        "year": world.year,
        "by": world.users["sha_staff"],
        "reason": "  Two reds, and the recovery plan has slipped twice.  ",
        "rules": RULES,
    } | overrides
    return actions.flag_pct(**arguments)


def test_a_flag_records_the_reason_the_rules_with_their_names_and_who_proposed_it(flag_world):
    flag = flag_5ql(flag_world)
    flag.refresh_from_db()
    assert flag.status == Status.PROPOSED
    assert flag.reason == "Two reds, and the recovery plan has slipped twice."
    assert flag.rules == [
        {"slug": "two-reds", "name": "Two red governance ratings"},
        {"slug": "red-finance", "name": "Red rating for finance"},
    ]
    assert flag.proposed_by == flag_world.users["sha_staff"]
    assert flag.proposed_at is not None


def test_each_step_is_in_the_audit_trail_with_its_user_and_route(flag_world):
    staff, admin = flag_world.users["sha_staff"], flag_world.users["admin"]
    flag = flag_5ql(flag_world)
    actions.confirm_flag(flag=flag, by=admin)
    actions.lift_flag(flag=flag, by=staff, reason="A new board is in place.")
    actions.approve_lift(flag=flag, by=admin)
    trail = list(DirectedDevelopmentFlag.history.filter(id=flag.pk).order_by("history_date"))
    assert [(row.status, row.history_user, row.route) for row in trail] == [
        (Status.PROPOSED, staff, Route.FLAG),
        (Status.CONFIRMED, admin, Route.FLAG),
        (Status.CONFIRMED, staff, Route.FLAG),  # asked to lift it
        (Status.LIFTED, admin, Route.FLAG),
    ]
    flag.refresh_from_db()
    assert (flag.confirmed_by, flag.lift_requested_by, flag.lifted_by) == (admin, staff, admin)
    assert flag.lift_reason == "A new board is in place."
    assert flag.confirmed_at == trail[1].history_date
    assert flag.lifted_at == trail[3].history_date


def test_only_one_open_flag_per_pct_and_year(flag_world):
    first = flag_5ql(flag_world)
    with pytest.raises(actions.FlagAlreadyOpen) as refused:
        flag_5ql(flag_world, by=flag_world.users["admin"])
    assert refused.value.flag == first
    assert DirectedDevelopmentFlag.objects.filter(pct=flag_world.pcts["5QL"]).count() == 1


def test_a_pct_can_be_flagged_again_once_its_flag_is_lifted(flag_world):
    first = flag_5ql(flag_world)
    actions.lift_flag(flag=first, by=flag_world.users["sha_staff"], reason="Recovered.")
    second = flag_5ql(flag_world)
    assert second.pk != first.pk
    assert DirectedDevelopmentFlag.objects.open().get(pct=flag_world.pcts["5QL"]) == second


def test_the_database_refuses_a_second_open_flag_even_past_the_action(flag_world):
    world = flag_world
    with pytest.raises(IntegrityError), transaction.atomic():
        DirectedDevelopmentFlagFactory(
            pct=world.flag.pct, year=world.year, proposed_by=world.users["admin"]
        )


def test_a_race_lost_at_the_constraint_is_reported_as_already_open(flag_world, monkeypatch):
    """Two requests both find no open flag; the database lets only the first one in."""
    world = flag_world
    manager = type(DirectedDevelopmentFlag.objects)
    real_open = manager.open
    before_the_other_commit = iter([True])  # only the action's own check misses the other flag

    def open_flags(self):
        flags = real_open(self)
        return flags.none() if next(before_the_other_commit, False) else flags

    monkeypatch.setattr(manager, "open", open_flags)
    with pytest.raises(actions.FlagAlreadyOpen) as refused:
        actions.flag_pct(
            pct=world.flag.pct, year=world.year, by=world.users["admin"], reason="Again"
        )
    assert refused.value.flag == world.flag
    assert DirectedDevelopmentFlag.objects.count() == 1


@pytest.mark.parametrize(
    ("constraint_breaker", "name"),
    [
        ({"reason": ""}, "flag_has_reason"),
        ({"status": "lifted", "lift_reason": ""}, "lifted_flag_has_reason"),
        ({"status": "paused"}, "flag_status_valid"),
    ],
)
def test_the_database_refuses_flags_without_reasons_or_with_unknown_status(
    flag_world, constraint_breaker, name
):
    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        DirectedDevelopmentFlag.objects.filter(pk=flag_world.flag.pk).update(**constraint_breaker)


@pytest.mark.parametrize("role", ["analyst", "other_sha_staff"])
def test_actions_refuse_users_outside_the_pcts_sha_even_when_called_directly(flag_world, role):
    world = flag_world
    user = world.users[role]
    before = list(DirectedDevelopmentFlag.objects.values()), DirectedDevelopmentFlag.history.count()
    with pytest.raises(PermissionDenied):
        flag_5ql(world, by=user)
    with pytest.raises(PermissionDenied):
        actions.confirm_flag(flag=world.flag, by=user)
    with pytest.raises(PermissionDenied):
        actions.lift_flag(flag=world.flag, by=user, reason="Not mine to lift")
    after = list(DirectedDevelopmentFlag.objects.values()), DirectedDevelopmentFlag.history.count()
    assert after == before


def test_a_step_needs_a_person(flag_world):
    with pytest.raises(PermissionDenied):
        flag_5ql(flag_world, by=None)


def test_admins_may_flag_a_pct_of_any_sha(flag_world):
    flag = actions.flag_pct(
        pct=flag_world.pcts["5PG"], year=flag_world.year, by=flag_world.users["admin"], reason="x"
    )
    assert flag.pct.code == "5PG"


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_flag_and_a_lift_need_a_reason(flag_world, reason):
    with pytest.raises(actions.FlagRefused, match="Give a reason"):
        flag_5ql(flag_world, reason=reason)
    with pytest.raises(actions.FlagRefused, match="Give a reason"):
        actions.lift_flag(flag=flag_world.flag, by=flag_world.users["sha_staff"], reason=reason)
    flag_world.flag.refresh_from_db()
    assert flag_world.flag.status == Status.PROPOSED


def test_only_a_proposed_flag_can_be_confirmed_and_only_an_open_one_lifted(flag_world):
    staff, admin = flag_world.users["sha_staff"], flag_world.users["admin"]
    flag = actions.confirm_flag(flag=flag_world.flag, by=admin)  # staff proposed it
    with pytest.raises(actions.FlagRefused, match="nothing to confirm"):
        actions.confirm_flag(flag=flag, by=admin)
    actions.lift_flag(flag=flag, by=staff, reason="Done")
    actions.approve_lift(flag=flag, by=admin)
    with pytest.raises(actions.FlagRefused, match="already lifted"):
        actions.lift_flag(flag=flag, by=staff, reason="Again")
    with pytest.raises(actions.FlagRefused, match="nothing to confirm"):
        actions.confirm_flag(flag=flag, by=staff)


@pytest.mark.parametrize(
    ("status", "embargo_days"),
    [("draft", None), ("published", 1), ("withdrawn", None)],
    ids=["draft", "under embargo", "withdrawn"],
)
def test_a_year_the_public_cannot_read_cannot_be_flagged(flag_world, status, embargo_days):
    year = AssessmentYearFactory(
        start_year=2010,
        status=status,
        public_from=embargo_days and timezone.now() + datetime.timedelta(days=embargo_days),
    )
    with pytest.raises(actions.FlagRefused, match="not public"):
        flag_5ql(flag_world, year=year)


def test_flagging_leaves_the_years_revision_and_so_its_cached_pages_alone(flag_world):
    revision = flag_world.year.revision
    flag = flag_5ql(flag_world)
    actions.confirm_flag(flag=flag, by=flag_world.users["admin"])
    flag_world.year.refresh_from_db()
    assert flag_world.year.revision == revision


def test_one_person_cannot_both_propose_and_lift_a_confirmed_flag(flag_world):
    staff, admin = flag_world.users["sha_staff"], flag_world.users["admin"]
    flag = actions.confirm_flag(flag=flag_world.flag, by=admin)  # staff proposed it
    actions.lift_flag(flag=flag, by=staff, reason="Turnaround plan delivered.")
    with pytest.raises(actions.FlagRefused, match="You asked to lift this flag"):
        actions.approve_lift(flag=flag, by=staff)
    flag.refresh_from_db()
    assert flag.status == Status.CONFIRMED and flag.lift_pending


def test_lifting_a_confirmed_flag_takes_as_many_people_as_confirming_it(flag_world, settings):
    settings.FLAG_CONFIRMATIONS = 2
    staff, admin = flag_world.users["sha_staff"], flag_world.users["admin"]
    colleague = make_user("sue", roles.SHA_STAFF, flag_world.london)
    actions.confirm_flag(flag=flag_world.flag, by=admin)
    flag = actions.confirm_flag(flag=flag_world.flag, by=colleague)
    assert flag.status == Status.CONFIRMED
    actions.lift_flag(flag=flag, by=staff, reason="Turnaround plan delivered.")
    actions.approve_lift(flag=flag, by=admin)
    assert flag.status == Status.CONFIRMED  # two of three
    actions.approve_lift(flag=flag, by=colleague)
    assert flag.status == Status.LIFTED


def test_a_proposal_not_yet_confirmed_is_withdrawn_by_one_person(flag_world):
    flag = actions.lift_flag(
        flag=flag_world.flag, by=flag_world.users["sha_staff"], reason="Proposed in error."
    )
    assert flag.status == Status.LIFTED


def test_a_request_to_lift_can_be_cancelled_and_the_flag_stays_confirmed(flag_world):
    staff, admin = flag_world.users["sha_staff"], flag_world.users["admin"]
    flag = actions.confirm_flag(flag=flag_world.flag, by=admin)
    actions.lift_flag(flag=flag, by=staff, reason="Too early, it turns out.")
    actions.cancel_lift(flag=flag, by=admin)
    flag.refresh_from_db()
    assert (flag.status, flag.lift_pending, flag.lift_approvals.count()) == (
        Status.CONFIRMED,
        False,
        0,
    )
    with pytest.raises(actions.FlagRefused, match="nothing to approve"):
        actions.approve_lift(flag=flag, by=admin)
