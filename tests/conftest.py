"""Shared fixtures: one clock, fresh caches and factory sequences, the reference data, the
illustrative demo years, a world of flags."""

import datetime
import io
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

import factory
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone

from accounts import roles
from accounts.actions import grant_role
from assurance.cache import identity
from assurance.models import AssessmentYear
from leaguetable.computed import forget_ranked_rows
from tests import factories
from tests.factories import (
    PASSWORD,
    AssessmentFactory,
    AssessmentYearFactory,
    DirectedDevelopmentFlagFactory,
    PCTFactory,
    SHAFactory,
    make_user,
)


def pytest_sessionstart(session):
    """The browser tests' workers merge their axe results into one file: start it afresh."""
    if not hasattr(session.config, "workerinput"):  # the xdist controller, or a run without it
        (Path(__file__).resolve().parents[1] / "test-artifacts" / "axe.json").unlink(
            missing_ok=True
        )


# Every test but the real-browser ones runs on this clock, ticking from here: timestamps in pages
# and exports are the same whatever the date the suite runs on. (Chromium keeps the real clock,
# so its cookies would expire at once on a clock from the past.) No digit 5 in it, on purpose:
# a test that counted characters in a body once passed or failed by the time of day.
CLOCK_STARTS_AT = datetime.datetime(2010, 6, 30, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def fixed_clock(request):
    if request.node.get_closest_marker("browser"):
        yield None
        return
    with time_machine.travel(CLOCK_STARTS_AT, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def fresh_factory_sequences():
    """Factories number from zero in every test, so a PCT's code does not depend on which tests
    ran before it (or on which xdist worker)."""
    for made in vars(factories).values():
        if isinstance(made, type) and issubclass(made, factory.Factory):
            made.reset_sequence(force=True)


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with nothing cached and every cache reachable, as a freshly started
    process would: a circuit breaker a test tripped (wcc.cache) stays open for seconds, and
    the cache objects outlive the test."""
    for alias in ("default", "logins"):
        _close_breaker(caches[alias])
        caches[alias].clear()
    forget_ranked_rows()
    yield
    for alias in ("default", "logins"):
        _close_breaker(caches[alias])
        caches[alias].clear()
    forget_ranked_rows()


def _close_breaker(cache) -> None:
    if (breaker := getattr(cache, "breaker", None)) is not None:
        breaker.open_until = 0.0


@pytest.fixture(autouse=True)
def cache_identity_read(request):
    """A process reads the database's cache identity once, before its first page: read here,
    before the test, so no test's query count depends on whether it was the first to ask. Tests
    without a database (plain Python) read nothing."""
    if request.node.get_closest_marker("django_db"):  # pytest-django has opened the database
        identity()
        return
    for database in ("db", "transactional_db"):
        if database in request.fixturenames:
            request.getfixturevalue(database)
            identity()
            return


@pytest.fixture
def users(db):
    """An account per role, keyed by role; SHA staff belong to Q36."""
    sha = SHAFactory(code="Q36")
    made = {}
    for role, name in ((roles.ANALYST, "ann"), (roles.SHA_STAFF, "sam"), (roles.ADMIN, "ada")):
        made[role], _ = grant_role(
            username=name,
            role=role,
            sha=sha if role == roles.SHA_STAFF else None,
            password=PASSWORD,
        )
    return made


@pytest.fixture
def reference_data(db):
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture
def demo_data(reference_data):
    call_command("load_demo_data", stdout=io.StringIO())
    # Announced, as `make demo`'s worker does at once: an announcement in a test is then only of
    # what the test itself publishes.
    AssessmentYear.objects.public().update(announced_at=timezone.now())


@dataclass
class FlagWorld:
    """Two SHAs, five PCTs in a published year, a user of each kind, one proposed flag."""

    year: object
    london: object
    other_sha: object
    pcts: dict
    users: dict
    flag: object

    def correct_5k5(self) -> None:
        """An admin asks to correct 5K5's scores (3 and 3 to 1 and 1) with a reason, and a second
        admin approves. Call it inside django_capture_on_commit_callbacks(execute=True) so the
        on-commit callbacks run."""
        from assurance import actions
        from assurance.decisions import PanelDecision

        asked = actions.request_correction(
            year=self.year,
            by=self.users["admin"],
            reason="Scores entered against the wrong PCT",
            decisions=[PanelDecision("5K5", "G", "G", "G", scores={1: 1, 2: 1})],
        )
        second = get_user_model().objects.filter(username="bea").first()
        actions.approve(request=asked, by=second or make_user("bea", roles.ADMIN))


@pytest.fixture
def flag_world(db):
    london = SHAFactory(code="Q36", name="London SHA")
    other_sha = SHAFactory(code="Q30", name="North East SHA")
    year = AssessmentYearFactory(start_year=2009, competencies=[1, 2])
    pcts = {}
    # code, SHA, ratings, scores: 5C4 and 5PG are triple red, 5QL has two reds.
    for code, sha, ratings, score in [
        ("5C4", london, "RRR", 1),
        ("5QL", london, "RRA", 2),
        ("5K5", london, "GGG", 3),
        ("5PG", other_sha, "RRR", 2),
        ("5ND", other_sha, "GGG", 4),
    ]:
        pcts[code] = PCTFactory(code=code, name=f"PCT {code}", sha=sha)
        strategy, finance, board = ratings
        AssessmentFactory(
            pct=pcts[code],
            year=year,
            strategy=strategy,
            finance=finance,
            board_governance=board,
            scores={1: score, 2: score},
        )
    users = {
        "analyst": make_user("ann", roles.ANALYST),
        "sha_staff": make_user("sam", roles.SHA_STAFF, london, "sam@example.invalid"),
        "other_sha_staff": make_user("oli", roles.SHA_STAFF, other_sha, "oli@example.invalid"),
        "admin": make_user("ada", roles.ADMIN),
    }
    flag = DirectedDevelopmentFlagFactory(
        pct=pcts["5C4"], year=year, proposed_by=users["sha_staff"]
    )
    year.refresh_from_db()  # as the writes above left it (its revision)
    return FlagWorld(year, london, other_sha, pcts, users, flag)
