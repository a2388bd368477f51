"""Shared fixtures: the real reference data, the illustrative demo years, a world of flags."""

import io
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.management import call_command

from assurance import roles
from leaguetable.queries import forget_ranked_rows
from tests.factories import (
    AssessmentFactory,
    AssessmentYearFactory,
    DirectedDevelopmentFlagFactory,
    PCTFactory,
    SHAFactory,
    make_user,
)


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with nothing cached, as a freshly started process would."""
    cache.clear()
    forget_ranked_rows()
    yield
    cache.clear()
    forget_ranked_rows()


@pytest.fixture
def reference_data(db):
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture
def demo_data(reference_data):
    call_command("load_demo_data", stdout=io.StringIO())


@dataclass
class FlagWorld:
    """Two SHAs, five PCTs in a published year, a user of each kind, one proposed flag."""

    year: object
    london: object
    other_sha: object
    pcts: dict
    users: dict
    flag: object


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
    return FlagWorld(year, london, other_sha, pcts, users, flag)
