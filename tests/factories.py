"""factory_boy factories: the assurance record, users in their roles, directed development flags,
saved groups."""

import datetime

import factory
from django.utils import timezone

from accounts import roles
from accounts.actions import grant_role
from assurance.models import (
    PCT,
    SHA,
    Assessment,
    AssessmentYear,
    Competency,
    CompetencyScore,
    OrganisationChange,
)
from directed_development.models import DirectedDevelopmentFlag
from watchlists.models import Watchlist

PASSWORD = "correct horse battery staple"


class SHAFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SHA
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"Q{n % 100:02d}")
    name = factory.LazyAttribute(lambda sha: f"SHA {sha.code}")


class PCTFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PCT

    # Three characters, as the column holds (PostgreSQL, unlike SQLite, refuses a fourth). Every
    # test starts the sequence at 000 (tests/conftest.py), so codes never depend on test order.
    code = factory.Sequence(lambda n: f"{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Test PCT {n:03d}")
    sha = factory.SubFactory(SHAFactory)


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda c: f"Competency {c.number}")


class AssessmentYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentYear
        django_get_or_create = ["start_year"]
        skip_postgeneration_save = True

    start_year = 2009
    status = AssessmentYear.Status.PUBLISHED
    public_from = None
    # A year made public here was announced then (its emails sent): an announcement in a test
    # is of what the test itself publishes.
    announced_at = factory.LazyAttribute(
        lambda year: timezone.now() if year.status == "published" and not year.public_from else None
    )

    @factory.post_generation
    def competencies(self, create, numbers, **kwargs):
        """AssessmentYearFactory(competencies=[1, 2, 3]) scores those competency numbers."""
        if create:
            numbers = numbers if numbers is not None else range(1, 4)
            self.competencies.set([CompetencyFactory(number=n) for n in numbers])


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    pct = factory.SubFactory(PCTFactory)
    year = factory.SubFactory(AssessmentYearFactory)
    strategy = "A"
    finance = "A"
    board_governance = "A"

    @factory.post_generation
    def scores(self, create, scores, **kwargs):
        """AssessmentFactory(scores={1: 2, 2: 3}) adds those competency scores."""
        if create and scores:
            for number, score in scores.items():
                CompetencyScore.objects.create(
                    assessment=self, competency=CompetencyFactory(number=number), score=score
                )


def build_league(pct_count: int) -> SHA:
    """Two published years in which `pct_count` PCTs of one SHA were assessed; returns the SHA."""
    sha = SHAFactory()
    last = AssessmentYearFactory(start_year=2008, competencies=[1, 2, 3])
    this = AssessmentYearFactory(start_year=2009, competencies=[1, 2, 3])
    for _ in range(pct_count):
        pct = PCTFactory(sha=sha)
        AssessmentFactory(pct=pct, year=last, scores={1: 2, 2: 3, 3: 1})
        AssessmentFactory(pct=pct, year=this, scores={1: 1, 2: 4, 3: 2})
    return sha


def make_user(username: str, role: str, sha: SHA | None = None, email: str = ""):
    """A user holding `role` (SHA staff in `sha`), made the way grant_role makes them."""
    user, _ = grant_role(username=username, role=role, sha=sha, password=PASSWORD, email=email)
    return user


class DirectedDevelopmentFlagFactory(factory.django.DjangoModelFactory):
    """A proposed flag, written straight to the table (tests of the actions use the actions)."""

    class Meta:
        model = DirectedDevelopmentFlag

    pct = factory.SubFactory(PCTFactory)
    year = factory.SubFactory(AssessmentYearFactory)
    reason = "Three red ratings and no plan to recover them."
    rules = factory.LazyFunction(lambda: [{"slug": "triple-red", "name": "Three red ratings"}])
    proposed_at = factory.LazyFunction(timezone.now)


def build_flagged_sha(pct_count: int, *, ratings: str = "AAA", flag_every: int = 1):
    """London with `pct_count` PCTs rated `ratings` in a published 2009/10, every `flag_every`th
    one flagged by its staff member; returns (the staff member, an admin)."""
    sha = SHAFactory(code="Q36")
    year = AssessmentYearFactory(start_year=2009, competencies=[1, 2])
    staff = make_user("sam", roles.SHA_STAFF, sha)
    strategy, finance, board = ratings
    for number in range(pct_count):
        pct = PCTFactory(sha=sha)
        AssessmentFactory(
            pct=pct,
            year=year,
            strategy=strategy,
            finance=finance,
            board_governance=board,
            scores={1: 1, 2: 1},
        )
        if number % flag_every == 0:
            DirectedDevelopmentFlagFactory(pct=pct, year=year, proposed_by=staff)
    return staff, make_user("ada", roles.ADMIN)


class OrganisationChangeFactory(factory.django.DjangoModelFactory):
    """A predecessor merged into a successor on 1 April 2010 (the Hertfordshire change's date)."""

    class Meta:
        model = OrganisationChange

    predecessor = factory.SubFactory(PCTFactory)
    successor = factory.SubFactory(PCTFactory)
    kind = OrganisationChange.Kind.MERGER
    effective = datetime.date(2010, 4, 1)
    source = "Made up for a test."


def build_merger():
    """Two PCTs assessed in 2008/09 and 2009/10 that merged into a third on 1 April 2010, which
    alone is assessed in 2010/11 (all three years published); returns (the two, the successor)."""
    sha = SHAFactory(code="Q35")
    years = [AssessmentYearFactory(start_year=start, competencies=[1, 2]) for start in (2008, 2009)]
    later = AssessmentYearFactory(start_year=2010, competencies=[1, 2])
    first = PCTFactory(code="OLA", name="Older A PCT", sha=sha)
    second = PCTFactory(code="OLB", name="Older B PCT", sha=sha)
    merged = PCTFactory(code="NEW", name="Newer PCT", sha=sha)
    other = PCTFactory(code="OTH", name="Other PCT", sha=sha)
    for year in years:
        for pct in (first, second, other):
            AssessmentFactory(pct=pct, year=year, scores={1: 2, 2: 2})
    for pct in (merged, other):
        AssessmentFactory(pct=pct, year=later, scores={1: 3, 2: 3})
    for predecessor in (first, second):
        OrganisationChangeFactory(predecessor=predecessor, successor=merged)
    return (first, second), merged


class WatchlistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Watchlist
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Group {n}")

    @factory.post_generation
    def pcts(self, create, pcts, **kwargs):
        """WatchlistFactory(pcts=[pct, …]) puts those PCTs in the group."""
        if create and pcts:
            self.pcts.add(*pcts)
