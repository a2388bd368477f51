"""Reference data loads idempotently; the illustrative demo follows the reported pattern."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Avg

from assurance import demo
from assurance.models import PCT, SHA, Assessment, AssessmentYear, Competency, CompetencyScore

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_fixtures_hold_152_pcts_with_unique_codes_in_the_10_shas():
    with (FIXTURES / "pcts.csv").open(encoding="utf-8") as handle:
        pcts = list(csv.DictReader(handle))
    with (FIXTURES / "shas.csv").open(encoding="utf-8") as handle:
        sha_codes = {row["code"] for row in csv.DictReader(handle)}
    assert len(pcts) == 152
    assert len({row["code"] for row in pcts}) == 152
    assert all(len(row["code"]) == 3 for row in pcts)
    assert {row["sha_code"] for row in pcts} == sha_codes
    assert len(sha_codes) == 10


@pytest.mark.django_db
def test_loading_reference_data_twice_changes_nothing():
    call_command("load_reference_data", stdout=io.StringIO())
    first = list(PCT.objects.values_list("code", "name", "sha__code").order_by("code"))
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert list(PCT.objects.values_list("code", "name", "sha__code").order_by("code")) == first
    assert (SHA.objects.count(), PCT.objects.count(), Competency.objects.count()) == (10, 152, 11)
    assert "10 SHAs, 152 PCTs, 11 competencies" in out.getvalue()
    assert PCT.objects.get(code="5C4").name == "Tower Hamlets PCT"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("5PJ", "Stoke on Trent PCT"),
        ("5MX", "Heart of Birmingham Teaching PCT"),
        ("5NW", "East Riding of Yorkshire PCT"),
        ("5QP", "Cornwall and Isles of Scilly PCT"),
        ("5QT", "Isle of Wight NHS PCT"),
        ("5CC", "Blackburn with Darwen PCT"),
    ],
)
def test_fixture_names_are_capitalised_as_the_ons_list_writes_them(code, name):
    with (FIXTURES / "pcts.csv").open(encoding="utf-8") as handle:
        names = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    assert names[code] == name


@pytest.mark.django_db
def test_loading_reference_data_corrects_a_name_and_refreshes_the_ranked_tables():
    call_command("load_reference_data", stdout=io.StringIO())
    PCT.objects.filter(code="5PJ").update(name="Stoke On Trent PCT")
    year = AssessmentYear.objects.create(start_year=2008)
    call_command("load_reference_data", stdout=io.StringIO())
    assert PCT.objects.get(code="5PJ").name == "Stoke on Trent PCT"
    year_revision = AssessmentYear.objects.get(pk=year.pk).revision
    assert year_revision == year.revision + 1
    call_command("load_reference_data", stdout=io.StringIO())  # nothing to correct now
    assert AssessmentYear.objects.get(pk=year.pk).revision == year_revision


def ratings_of(results):
    return [r.ratings for r in results]


def count_green(results, area):
    return sum(getattr(r, area) == "G" for r in results)


CODES = [f"P{n:02d}" for n in range(152)] + list(demo.YEAR_ONE_LEADERS)


def test_demo_generation_is_deterministic():
    first = demo.generate_year(demo.SHAPES[2008], CODES, list(range(1, 11)))
    again = demo.generate_year(demo.SHAPES[2008], list(reversed(CODES)), list(range(1, 11)))
    assert first == again
    other_seed = demo.generate_year(demo.SHAPES[2008], CODES, list(range(1, 11)), seed=7)
    assert other_seed != first


@pytest.mark.parametrize("start_year", sorted(demo.SHAPES))
def test_demo_reproduces_the_reported_rating_counts(start_year):
    shape = demo.SHAPES[start_year]
    results = demo.generate_year(shape, CODES, list(range(1, 12)))
    for area, greens in shape.greens.items():
        assert count_green(results, area) == greens
    assert ratings_of(results).count(("G", "G", "G")) == shape.triple_green
    assert ratings_of(results).count(("R", "R", "R")) == shape.triple_red
    assert sum(r.ratings.count("R") for r in results) == shape.reds


def test_year_one_demo_has_no_fours_and_mostly_ones_and_twos_with_the_leaders_on_top():
    results = demo.generate_year(demo.SHAPES[2008], CODES, list(range(1, 11)))
    scores = [s for r in results for s in r.scores.values()]
    assert max(scores) == 3
    assert sum(s <= 2 for s in scores) / len(scores) > 0.75
    leaders = [r for r in results if r.pct_code in demo.YEAR_ONE_LEADERS]
    assert all(r.ratings == ("G", "G", "G") for r in leaders)


@pytest.mark.django_db
def test_load_demo_data_twice_gives_the_same_results(reference_data):
    def snapshot():
        return sorted(
            CompetencyScore.objects.values_list(
                "assessment__year__start_year",
                "assessment__pct__code",
                "competency__number",
                "score",
            )
        )

    call_command("load_demo_data", stdout=io.StringIO())
    first = snapshot()
    call_command("load_demo_data", stdout=io.StringIO())
    assert snapshot() == first
    assert Assessment.objects.count() == 152 + 146 + 150  # 146 analysed in 2009/10


@pytest.mark.django_db
def test_demo_years_are_labelled_illustrative_and_only_the_real_years_are_published(demo_data):
    years = {y.start_year: y for y in AssessmentYear.objects.all()}
    assert all(y.is_illustrative for y in years.values())
    assert [y.start_year for y in AssessmentYear.objects.published()] == [2008, 2009]
    assert "Hypothetical" in years[2010].note
    assert years[2008].competencies.count() == 10
    assert years[2009].competencies.count() == 11


@pytest.mark.django_db
def test_demo_competency_11_comes_lowest_in_year_two(demo_data):
    averages = dict(
        CompetencyScore.objects.filter(assessment__year__start_year=2009)
        .values_list("competency__number")
        .annotate(Avg("score"))
    )
    assert min(averages, key=averages.get) == 11
    assert 1.3 <= averages[11] <= 1.6  # reported: 1.46


@pytest.mark.django_db
def test_the_demo_never_overwrites_results_that_are_not_illustrative(reference_data):
    AssessmentYear.objects.create(start_year=2009, is_illustrative=False)
    with pytest.raises(CommandError, match="not illustrative"):
        call_command("load_demo_data", stdout=io.StringIO())
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_the_demo_needs_reference_data_first():
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("load_demo_data", stdout=io.StringIO())
